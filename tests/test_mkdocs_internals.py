"""A maintainer's story: after upgrading MkDocs or Material, a failing test names the internal that changed, where
the site uses it, and the upgrade step, before any reader sees a broken page.

Every internal is registered in build_tools/mkdocs/internals.py; these tests check the registry against the installed
versions, and the code against the registry (no private name of MkDocs used anywhere else).
"""

from __future__ import annotations

import ast
import importlib
import inspect
import re
import subprocess
import sys
from pathlib import Path

import material
import mkdocs.commands.build
import pytest
from mkdocs.plugins import PluginCollection
from mkdocs.structure.files import File
from mkdocs.structure.pages import Page

import build_tools
from build_tools.mkdocs import internals, plugin, preview, render
from build_tools.mkdocs.internals import INTERNALS, UPGRADE_STEP, Internal, resolve

PACKAGE = Path(build_tools.__file__).parent
THEME = PACKAGE / "theme"
MATERIAL_TEMPLATES = Path(material.__file__).parent / "templates"


def _explain(entry: Internal, what: str) -> str:
    return (
        f"MkDocs/Material internal `{entry.name}` {what}. Used in {entry.where}: {entry.why}. "
        f"What breaks: {entry.breaks}. Upgrade step: {UPGRADE_STEP}; update build_tools/mkdocs/internals.py."
    )


@pytest.mark.parametrize("entry", [e for e in INTERNALS if not e.name.startswith("material:")], ids=lambda e: e.name)
def test_each_mkdocs_internal_is_still_there_with_the_parameters_we_use(entry: Internal) -> None:
    if entry.name.endswith("dirty-notice"):
        source = inspect.getsource(mkdocs.commands.build)
        assert render.DIRTY_NOTICE in source, _explain(entry, "no longer logs the warning text we filter")
        return
    if entry.name == "mkdocs.plugins.PluginCollection.events":  # set on each instance
        events = PluginCollection().events
        assert {"page_context", "post_page"} <= set(events), _explain(entry, "no longer lists page events")
        return
    try:
        value = resolve(entry.name)
    except (ImportError, AttributeError):
        pytest.fail(_explain(entry, "is gone"))
    if entry.parameters is not None:
        found = tuple(inspect.signature(value).parameters)
        assert found == entry.parameters, _explain(entry, f"now takes {found}, not {entry.parameters}")


def test_the_canonical_address_of_a_generated_page_is_mkdocs_own(tmp_path: Path) -> None:
    """GeneratedPage replaces `Page._set_canonical_url` by concatenation: same result for every kind of base."""
    entry = next(e for e in INTERNALS if e.name.endswith("_set_canonical_url"))
    for base in ("https://example.vn/", "https://example.vn/pr-preview/pr-7", "http://127.0.0.1:8000/", None):
        for file in (File("guong/nguyen-van-a/index.md", str(tmp_path), str(tmp_path), True),):
            ours = plugin.GeneratedPage.__new__(plugin.GeneratedPage)
            theirs = Page.__new__(Page)
            for page in (ours, theirs):
                page.file = file
                page._set_canonical_url(base)
            assert (ours.canonical_url, ours.abs_url) == (theirs.canonical_url, theirs.abs_url), _explain(
                entry, f"gives another address for base {base!r}"
            )


def test_the_live_reload_server_still_keeps_the_state_the_preview_reads(tmp_path: Path) -> None:
    entry = next(e for e in INTERNALS if e.name.endswith("LiveReloadServer.__init__"))
    server = internals.LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path))
    try:
        for name in re.findall(r"`(\w+)`", entry.why):
            assert hasattr(server, name), _explain(entry, f"has no attribute `{name}` any more")
        page = server._inject_js_into_html(b"<html><body><p>x</p></body></html>", 7)
        assert b"livereload" in page and b"7" in page, _explain(entry, "no longer injects its script with the epoch")
    finally:
        server.server_close()
    first = internals.livereload_timestamp()
    assert isinstance(first, int) and internals.livereload_timestamp() >= first


def test_no_private_name_of_mkdocs_or_material_is_imported_outside_the_registry() -> None:
    """A private name (`_build_page`) or `mkdocs.commands`/`mkdocs.livereload` imported elsewhere escapes the
    registry's checks: import it from build_tools/mkdocs/internals.py, registered there."""
    stray = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path == Path(internals.__file__):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.ImportFrom) or node.level or not node.module:
                continue
            if node.module.split(".")[0] not in ("mkdocs", "material"):
                continue
            private = [a.name for a in node.names if a.name.startswith("_")]
            if private or node.module.startswith(("mkdocs.commands", "mkdocs.livereload", "material.")):
                stray.append(f"{path.relative_to(PACKAGE)}: from {node.module} import {[a.name for a in node.names]}")
    assert stray == []


def _mkdocs_classes_we_extend() -> list[type]:
    found = []
    for name in ("plugin", "preview", "shell", "render", "internals"):
        module = importlib.import_module(f"build_tools.mkdocs.{name}")
        for value in vars(module).values():
            ours = inspect.isclass(value) and value.__module__ == module.__name__
            if ours and any(base.__module__.split(".")[0] == "mkdocs" for base in value.__mro__[1:]):
                found.append(value)
    return found


def test_every_private_method_of_mkdocs_we_override_is_registered() -> None:
    registered = {entry.name for entry in INTERNALS}
    classes = _mkdocs_classes_we_extend()
    assert plugin.GeneratedPage in classes and preview.PreviewServer in classes  # the check sees what it judges
    unregistered = []
    for cls in classes:
        for name in vars(cls):
            if not name.startswith("_") or name.startswith("__") or name == "_abc_impl":  # Python's, for ABCs
                continue
            for base in cls.__mro__[1:]:
                if base.__module__.split(".")[0] == "mkdocs" and name in vars(base):
                    full = f"{base.__module__}.{base.__qualname__}.{name}"
                    if full not in registered:
                        unregistered.append(f"{cls.__qualname__}.{name} overrides {full}")
                    break
    assert unregistered == [], "Register these in build_tools/mkdocs/internals.py"


def test_our_theme_replaces_partials_material_still_has() -> None:
    entry = next(e for e in INTERNALS if e.name == "material:partials/*")
    ours = sorted(p.name for p in (THEME / "partials").glob("*.html") if not p.name.startswith("ex-"))
    assert ours, "the check sees the partials it judges"
    for name in ours:
        assert (MATERIAL_TEMPLATES / "partials" / name).is_file(), _explain(entry, f"has no partials/{name} any more")


def test_the_blocks_our_main_template_fills_are_still_in_material_base() -> None:
    entry = next(e for e in INTERNALS if e.name == "material:main.html")
    main = (THEME / "main.html").read_text(encoding="utf-8")
    assert '{% extends "base.html" %}' in main
    base = (MATERIAL_TEMPLATES / "base.html").read_text(encoding="utf-8")
    theirs = set(re.findall(r"{%-?\s*block\s+(\w+)", base))
    ours = set(re.findall(r"{%-?\s*block\s+(\w+)", main))
    assert ours, "the check sees the blocks it judges"
    missing = sorted(ours - theirs)
    assert missing == [], _explain(entry, f"base.html no longer has the blocks {missing}")


def test_the_registry_names_where_each_internal_is_used() -> None:
    """Each entry names a file of build_tools that exists and mentions it (by its last part)."""
    wrong = []
    for entry in INTERNALS:
        file = entry.where.split(" ")[0].rstrip(",")
        path = PACKAGE / file
        if not path.exists():
            wrong.append(f"{entry.name}: {file} does not exist")
            continue
        last = entry.name.rsplit(".", 1)[-1].removeprefix("material:").replace("*", "")
        text = path.read_text(encoding="utf-8") if path.is_file() else ""
        if path.is_file() and "-" not in last and last not in text and last.lstrip("_") not in text:
            wrong.append(f"{entry.name}: not mentioned in {file}")
    assert wrong == []
    assert "build_tools.mkdocs.internals" in sys.modules


def test_a_build_starts_without_the_preview_server() -> None:
    """Every `exemplars build` imports what it runs; MkDocs' live-reload server (and `ssl` with it) only `serve`
    needs, through `internals.LiveReloadServer` on first use."""
    code = "import sys, build_tools.cli, build_tools.build, build_tools.mkdocs.render; print(sorted(sys.modules))"
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert "'mkdocs.livereload'" not in loaded and "'ssl'" not in loaded
    assert internals.LiveReloadServer.__name__ == "LiveReloadServer"
