"""Stage 5: everything that knows MkDocs (the plugin, theme shells, rendering, `exemplars serve`).

The engine is MkDocs, or ProperDocs, its maintained 1.x continuation (same API under the package `properdocs`),
when `EXEMPLARS_ENGINE=properdocs` or when `properdocs build` runs the plugin. ProperDocs' `replacement` module makes
every `import mkdocs.…` (ours and Material's) load ProperDocs' module of that name; it must come before any MkDocs
import, which is why it is here, at the door of the only folder that imports MkDocs.
"""

from __future__ import annotations

import importlib
import os
import sys

ENGINE_VARIABLE = "EXEMPLARS_ENGINE"

if os.environ.get(ENGINE_VARIABLE, "").strip().lower() == "properdocs":
    if "mkdocs" in sys.modules and sys.modules["mkdocs"].__name__ != "properdocs":
        raise ImportError(f"{ENGINE_VARIABLE}=properdocs: MkDocs was imported before build_tools.mkdocs.")
    try:
        importlib.import_module("properdocs.replacement")
    except ImportError:
        raise SystemExit(
            f"{ENGINE_VARIABLE}=properdocs nhưng ProperDocs chưa được cài: chạy `pip install properdocs`, "
            f"hoặc bỏ biến {ENGINE_VARIABLE} để dùng MkDocs."
        ) from None

ENGINE: str = importlib.import_module("mkdocs").__name__
"""`mkdocs` or `properdocs`: the package that renders, and the root of its loggers (strict mode counts warnings
logged under it)."""
