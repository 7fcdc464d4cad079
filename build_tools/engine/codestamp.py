"""The stamp of the code a stage runs: what each cache of a build is keyed by besides its data.

A cache keyed by every file of the build tools was made useless by any change to them (the deploy command, the
progress display, the MkDocs plugin): the next build, and CI's deploy build after every such merge, made every
story and checked every profile again (about 2 minutes instead of 12 s at 10,000 profiles, 13 at 100,000). A
stage's stamp now covers what can change that stage's output, found rather than listed:

- the modules of `build_tools` that its entry modules reach through imports, read from their source with `ast`:
  every `import` and `from … import` anywhere in a module (functions, `TYPE_CHECKING` blocks included), relative ones
  resolved, a name imported from a package taken as its module when it is one, and every package's `__init__` on the
  way (Python runs it); a string naming a module of the package counts too (`importlib.import_module`);
- the package's data folders its modules name in a string (`PackageLoader("build_tools", "templates")`: every
  template, since templates are looked up by names made at run time and include each other), and any file other
  than a module beside one of its modules (`Path(__file__).with_name(…)`; none today);
- Python's version (the standard library and the interpreter), and the version of each installed library its
  modules import and of the libraries those require (Markdown, nh3, Jinja2 and MarkupSafe, Pillow, NumPy…).

Why that is sound for a stage whose inputs are otherwise hashed into its key: the stage's code can only run what it
imports, and what it reads is in its key. Code outside the closure reaches a stage only through data handed to it
(the profile parsed into an `Exemplar`, the settings, the vocabulary, the images), and each key holds that data's
`repr`, so whatever a parser change does to the data shows there; a callable or an object whose methods are
defined outside the closure, handed in, would escape it, and none is: the stages' keys name which values they take
(`story.story_key`, `checked.scope_stamp`). Over-approximation is harmless (a module imported but not used only
costs a rebuild when it changes); a stale page is what this must never allow.
"""

from __future__ import annotations

import ast
import functools
import hashlib
import importlib.metadata
import os
import pickle
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

PACKAGE = Path(__file__).parents[1]
"""The `build_tools` package: the code every stamp is taken from."""

_FORMAT = b"codestamp 1"
"""Changed when what a stamp covers changes, so that no cache made under an older notion is trusted."""


def code_stamp(*entries: str) -> bytes:
    """The stamp of the code the stage beginning at the modules `entries` (`build_tools.site.story`) can run, with
    the data folders and libraries it reads (the module's docstring says what and why). Read anew on each call (a
    few milliseconds): callers keep it for the process."""
    modules = _package_modules()
    closure = reach(entries)
    digest = hashlib.blake2b(_FORMAT, digest_size=20)
    paths = [modules[name] for name in closure]
    for name in sorted({folder for module in closure for folder in _facts(module).strings}):
        paths += (path for path in (PACKAGE / name).rglob("*") if path.is_file() and "__pycache__" not in path.parts)
    for folder in {modules[name].parent for name in closure}:  # a module may read a file beside it
        paths += (path for path in folder.iterdir() if path.is_file() and path.suffix != ".py")
    for path in sorted(set(paths)):
        digest.update(b"\0%s\0%s" % (path.relative_to(PACKAGE).as_posix().encode(), path.read_bytes()))
    libraries = sorted(_library_versions({library for module in closure for library in _facts(module).libraries}))
    digest.update(repr((sys.implementation.name, sys.version, libraries)).encode())
    _keep_facts()
    return digest.digest()


def reach(entries: Iterable[str]) -> frozenset[str]:
    """The modules of the package that `entries` import, directly or not, the entries included."""
    modules = _package_modules()
    seen: set[str] = set()
    todo = [name for entry in entries for name in _module_and_packages(entry, modules)]
    if not todo:
        raise ValueError(f"no module of {PACKAGE.name} among {list(entries)}")
    while todo:
        name = todo.pop()
        if name not in seen:
            seen.add(name)
            todo += _facts(name).imports
    return frozenset(seen)


@functools.cache
def _package_modules() -> dict[str, Path]:
    """Every module of the package by its dotted name (a package by its own name: its `__init__.py`)."""
    modules: dict[str, Path] = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        modules[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return modules


def _module_and_packages(name: str, modules: dict[str, Path]) -> Iterator[str]:
    """The module `name` stands for (itself, or the one that defines it: `pkg.module.function`) and the packages
    around it, whose `__init__` runs first."""
    while name and name not in modules:
        name = name.rpartition(".")[0]
    while name:
        yield name
        name = name.rpartition(".")[0]


class _Facts(NamedTuple):
    """What a stamp needs of one module's source."""

    imports: tuple[str, ...]
    """The package's modules it imports anywhere, or names in a string."""
    strings: frozenset[str]
    """Its string constants' first path part, where that names a data folder of the package."""
    libraries: frozenset[str]
    """The top-level names of the libraries it imports, the standard library's left out (Python's version)."""


def _facts(name: str) -> _Facts:
    """One module's facts: kept by the digest of its source (`keep_facts_in`), else read from its syntax tree."""
    path = _package_modules()[name]
    source = path.read_bytes()
    key = _source_key(source)
    found = _kept.facts.get(key)
    if found is None:
        found = _kept.facts[key] = _parsed(name, path, source)
        _kept.changed = True
    return found


def _source_key(source: bytes) -> bytes:
    """What a module's facts are a function of: its source, and the package's layout its imports and strings are
    resolved against (a module or data folder added or removed: every module read again)."""
    digest = hashlib.blake2b(_layout(), digest_size=16)
    digest.update(source)
    return digest.digest()


@functools.cache
def _layout() -> bytes:
    return repr((_FORMAT, sorted(_package_modules()), sorted(_data_entries()))).encode()


def _parsed(name: str, path: Path, source: bytes) -> _Facts:
    """What a module imports and names, from its syntax tree (walked once)."""
    modules, data = _package_modules(), _data_entries()
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: list[str] = []
    strings: set[str] = set()
    libraries: set[str] = set()
    for node in ast.walk(ast.parse(source, filename=str(path))):
        if isinstance(node, ast.Import):
            found += (alias.name for alias in node.names)
            libraries.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".")
                base = parts[: len(parts) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
                libraries.add(module.split(".")[0])
            found.append(module)
            found += (f"{module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            if node.value in modules:
                found.append(node.value)
            elif (first := node.value.split("/", 1)[0]) in data:
                strings.add(first)
    imports = tuple(
        module for imported in found if imported in modules or imported.startswith(f"{PACKAGE.name}.")
        for module in _module_and_packages(imported, modules)
    )  # fmt: skip
    return _Facts(imports, frozenset(strings), frozenset(libraries - _STANDARD - {PACKAGE.name, ""}))


@dataclass
class _Kept:
    """Each module's facts by the digest of its source, as kept in `file` between builds (`keep_facts_in`)."""

    facts: dict[bytes, _Facts] = field(default_factory=dict)
    file: Path | None = None
    changed: bool = False


_kept = _Kept()


def keep_facts_in(folder: Path) -> None:
    """Each module's facts kept in `folder` between builds, by the digest of its source: parsing the modules every
    stamp reaches was half a second of CPU in every build (0.01 s to read them back). A file not of this format, or
    unreadable, is ignored; facts are taken only for the very bytes they were read from."""
    path = folder / MEMO
    if _kept.file == path:
        return
    _kept.file = path
    try:
        kept = pickle.loads(path.read_bytes())
    except Exception:  # none yet, unreadable: read every module's syntax tree
        return
    if isinstance(kept, tuple) and len(kept) == 2 and kept[0] == _FORMAT and isinstance(kept[1], dict):
        _kept.facts.update((key, _Facts(*facts)) for key, facts in kept[1].items())


MEMO = "codestamp.pickle"
"""In the cache folder: each module's facts, by the digest of its source (`keep_facts_in`)."""


def _keep_facts() -> None:
    """The facts read since the last build written back, those of sources no longer in the package left out."""
    if _kept.file is None or not _kept.changed:
        return
    current = {_source_key(path.read_bytes()) for path in _package_modules().values()}
    facts = {key: tuple(found) for key, found in _kept.facts.items() if key in current}
    temporary = _kept.file.with_name(f".{MEMO}.{os.getpid()}.tmp")
    try:
        _kept.file.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_bytes(pickle.dumps((_FORMAT, facts), pickle.HIGHEST_PROTOCOL))
        temporary.replace(_kept.file)
    except OSError:  # a read-only cache: the next build reads the syntax trees again
        temporary.unlink(missing_ok=True)
    _kept.changed = False


_STANDARD = frozenset(sys.stdlib_module_names) | {"__future__"}


@functools.cache
def _data_entries() -> frozenset[str]:
    """The package's folders that hold no Python module: data (templates, the theme)."""
    return frozenset(
        entry.name
        for entry in PACKAGE.iterdir()
        if entry.is_dir() and entry.name != "__pycache__" and not any(entry.rglob("*.py"))
    )


def _library_versions(names: Iterable[str]) -> set[str]:
    """Each library's distribution and version, with those of the distributions it requires (not for an extra):
    an upgrade of any of them may change what the stage publishes. A name no installed distribution provides is
    kept as it is (the stamp then does not see its upgrades; none of the build's imports is such)."""
    found: set[str] = set()
    todo = list(names)
    while todo:
        entry, requires = _library(todo.pop())
        if entry not in found:
            found.add(entry)
            todo += requires
    return found


@functools.cache
def _library(name: str) -> tuple[str, tuple[str, ...]]:
    """The distribution that installs module or distribution `name` (`PIL`: pillow), its version and the
    distributions it requires; its metadata parsed once (0.15 s a build when each stamp parsed it again)."""
    try:
        distribution = importlib.metadata.distribution(name)
    except importlib.metadata.PackageNotFoundError:
        found = _top_levels().get(name)
        if found is None:
            return f"{name} (not installed)", ()
        distribution = found
    metadata = distribution.metadata
    requires = (
        match.group(0)
        for requirement in metadata.get_all("Requires-Dist") or ()
        if (match := _REQUIREMENT.match(requirement)) is not None and "extra" not in requirement.partition(";")[2]
    )
    return f"{metadata['Name']} {metadata['Version']}", tuple(requires)


_REQUIREMENT = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


@functools.cache
def _top_levels() -> dict[str, importlib.metadata.Distribution]:
    """Top-level module → the distribution that installs it, from each distribution's `top_level.txt` (a few
    milliseconds; `packages_distributions`, which reads every file list, took half a second)."""
    found: dict[str, importlib.metadata.Distribution] = {}
    for distribution in importlib.metadata.distributions():
        for module in (distribution.read_text("top_level.txt") or "").split():
            found.setdefault(module, distribution)
    return found
