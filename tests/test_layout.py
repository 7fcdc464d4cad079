"""A newcomer reads the flow from the folders of build_tools/: each stage imports only the stages below it.

The imports of every module (lazy ones inside functions included) are read from the source, not executed.
"""

from __future__ import annotations

import ast
from pathlib import Path

import build_tools

PACKAGE = Path(build_tools.__file__).parent

# Lowest first. Engine is at the bottom because content (the checked-profiles cache) and site (search) run their
# work through it; generate.py writes the generated folder, which the MkDocs plugin regenerates while serving.
FLOW = ("engine", "content", "site", "generate", "mkdocs", "build", "cli")


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {_module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def _imports(name: str, path: Path, known: set[str]) -> set[str]:
    """The build_tools modules that `name` imports (a package's name when it imports the package itself)."""
    is_package = path.name == "__init__.py"
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.startswith("build_tools"))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".") if is_package else name.split(".")[:-1]
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            elif node.module and node.module.startswith("build_tools"):
                target = node.module
            else:
                continue
            for alias in node.names:  # `from . import privacy` imports a module, `from .x import y` a name
                found.add(f"{target}.{alias.name}" if f"{target}.{alias.name}" in known else target)
    return found - {name}


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    known = set(modules)
    return {name: _imports(name, path, known) & known for name, path in modules.items()}


def _stage(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else None


def _rank(module: str) -> int:
    """Height in the flow; the package's own `__init__` (empty) is below everything."""
    stage = _stage(module)
    return FLOW.index(stage) if stage in FLOW else -1


def test_every_module_of_build_tools_belongs_to_a_stage() -> None:
    strays = [name for name in _graph() if name != "build_tools" and _stage(name) not in FLOW]
    assert strays == [], f"Modules outside the stages {FLOW}: {strays}; add them to a stage folder."


def test_a_stage_imports_only_stages_below_it() -> None:
    upward = [
        f"{name} imports {target}"
        for name, targets in _graph().items()
        for target in sorted(targets)
        if _rank(target) > _rank(name)
    ]
    assert upward == [], f"Imports against the flow {' → '.join(FLOW)}: {upward}"


def test_no_module_imports_itself_through_others() -> None:
    graph = _graph()
    circles: list[list[str]] = []
    state: dict[str, int] = {}  # 1: on the current path, 2: done

    def visit(name: str, path: list[str]) -> None:
        state[name] = 1
        for target in sorted(graph[name]):
            if state.get(target) == 1:
                circles.append([*path[path.index(target) :], target])
            elif target not in state:
                visit(target, [*path, target])
        state[name] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    assert circles == [], "Import circles: " + "; ".join(" → ".join(circle) for circle in circles)


def test_the_layout_check_sees_the_imports_it_judges() -> None:
    """The checks above would pass on a graph they failed to read: the flow's own edges must be found."""
    graph = _graph()
    assert "build_tools.generate" in graph["build_tools.mkdocs.plugin"]
    assert "build_tools.mkdocs.render" in graph["build_tools.build"]
    assert "build_tools.content.privacy" in graph["build_tools.generate"]  # `from .content import privacy`
    assert "build_tools.engine.write" in graph["build_tools.content.checked"]


def test_mkdocs_and_material_are_imported_in_the_mkdocs_folder_only() -> None:
    """What an upgrade of MkDocs or Material can break is found in one folder."""
    outside: dict[str, set[str]] = {}
    for name, path in _modules().items():
        if _stage(name) == "mkdocs":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and not node.level and node.module:
                names = [node.module]
            for module in names:
                if module.split(".")[0] in {"mkdocs", "material"}:
                    outside.setdefault(name, set()).add(module)
    assert outside == {}


# The rules read in one order, the one content/schema/__init__.py gives: each module imports only those before it.
SCHEMA_ORDER = ("vocabulary", "checks", "keys", "profile", "shape", "plan", "taxonomies", "builders")


def test_the_rules_read_top_to_bottom() -> None:
    prefix = "build_tools.content.schema."
    graph = _graph()
    modules = sorted(name for name in graph if name.startswith(prefix))
    assert modules == sorted(prefix + name for name in SCHEMA_ORDER), "List a new schema module in SCHEMA_ORDER."
    backwards = [
        f"{name} imports {target}"
        for name in modules
        for target in sorted(graph[name])
        if target.startswith(prefix)
        and SCHEMA_ORDER.index(target.removeprefix(prefix)) > SCHEMA_ORDER.index(name.removeprefix(prefix))
    ]
    assert backwards == [], f"Imports against the order {' → '.join(SCHEMA_ORDER)}: {backwards}"
