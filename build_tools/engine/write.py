"""The only module that writes: write-if-changed, remove what is stale, refuse two outputs on one path."""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from .parallel import fork_map, shared
from .publish import checkpoint


class DuplicateOutput(Exception):
    """Two things want the same output path (two stories with one slug, a page over a photo…)."""


@dataclass
class Outputs:
    """Everything one build will write, gathered before anything touches the disk."""

    files: dict[str, bytes | Path] = field(default_factory=dict)

    def add(self, path: str, content: str | bytes | Path) -> None:
        if path in self.files:
            raise DuplicateOutput(f"hai nội dung cùng ghi vào {path}")
        self.files[path] = content.encode("utf-8") if isinstance(content, str) else content

    def update(self, items: dict[str, str] | dict[str, bytes] | dict[str, Path]) -> None:
        for path, content in items.items():
            self.add(path, content)

    def __iter__(self) -> Iterator[str]:
        return iter(self.files)


@dataclass(frozen=True)
class WriteReport:
    written: tuple[str, ...]
    removed: tuple[str, ...]
    unchanged: int
    kept: frozenset[str] = frozenset()
    """Every file the folder now holds: what MkDocs renders next, without walking the folder again."""


class TreeWriter:
    """Makes `root` hold exactly what a build adds, writing as it goes, so a build never holds every page in memory.

    Only files whose bytes differ are touched (fast, quiet `serve`); a second output on one path is refused;
    `finish()` removes what no output claimed. Worker processes write their own share with `write_file` and
    `claim` the paths here.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self.claimed: set[str] = set()
        self.written: list[str] = []
        self.unchanged = 0
        root.mkdir(parents=True, exist_ok=True)

    def add(self, path: str, content: str | bytes | Path) -> None:
        self.claim(path, write_file(self.root, path, content))

    def update(self, items: Mapping[str, str | bytes | Path], workers: int = 1) -> None:
        """Write many files (`write_files`) and claim them."""
        for path, written in write_files(self.root, items, workers):
            self.claim(path, written)

    def claim(self, path: str, written: bool) -> None:
        """Record a file written (or found unchanged) by `write_file`, here or in a worker process."""
        if path in self.claimed:
            raise DuplicateOutput(f"hai nội dung cùng ghi vào {path}")
        self.claimed.add(path)
        if written:
            self.written.append(path)
            checkpoint("writing")  # test hook (publish.py): a build stopped half-way through writing the pages
        else:
            self.unchanged += 1

    def finish(self) -> WriteReport:
        """Remove what this build did not write (a deleted story's page and photos), then emptied folders."""
        removed: list[str] = []
        root = str(self.root)
        emptied: set[str] = set()
        for folder, folders, names in os.walk(root, topdown=False):  # strings: 42,000 `Path`s cost seconds
            prefix = folder[len(root) + 1 :] + "/" if folder != root else ""
            kept = False
            for name in names:
                if prefix + name in self.claimed:
                    kept = True
                else:
                    os.unlink(os.path.join(folder, name))
                    removed.append(prefix + name)
            # Bottom-up, so the subfolders have been seen: a folder is empty when all of them were emptied.
            if folder != root and not kept and all(os.path.join(folder, sub) in emptied for sub in folders):
                os.rmdir(folder)
                emptied.add(folder)
        return WriteReport(tuple(sorted(self.written)), tuple(sorted(removed)), self.unchanged, frozenset(self.claimed))


def write_files(root: Path, items: Mapping[str, str | bytes | Path], workers: int = 1) -> list[tuple[str, bool]]:
    """`write_file` on many files, each path with whether it was written; with several workers, each compares and
    writes a share (the search index's 6,800 files at 10,000 stories in a CI-like build)."""
    if workers <= 1 or len(items) < 1000:
        return [(path, write_file(root, path, content)) for path, content in items.items()]
    return fork_map(_write_share, list(items), shared=(root, items), workers=workers)


def _write_share(paths: Sequence[str]) -> list[tuple[str, bool]]:
    root, items = shared()
    return [(path, write_file(root, path, items[path])) for path in paths]


def write_file(root: Path, relative: str, content: str | bytes | Path) -> bool:
    """Write one file unless it already holds these bytes; True when written. Atomic: a reader never sees half."""
    target = root / relative
    data = content.encode("utf-8") if isinstance(content, str) else content
    same = _same(target, data)
    if same == "bytes" and isinstance(data, Path):
        _replace_with_link(data, target)  # the same bytes, linked now: the next build compares no bytes
    if same:
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, Path):
        _replace_with_link(data, target)
        return True
    temporary = target.with_name(f".{target.name}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, target)
    return True


def _replace_with_link(source: Path, target: Path) -> None:
    temporary = target.with_name(f".{target.name}.tmp")
    link_or_copy(source, temporary)
    os.replace(temporary, target)


def link_or_copy(source: str | os.PathLike[str], target: str | os.PathLike[str]) -> None:
    """A hard link where the file system allows one, else a copy.

    Photo variants and share cards are a gigabyte at 10,000 stories: linked from the cache into the generated
    folder and on into the site, they are written once. Safe because nothing here rewrites a file in place: every
    write goes to a new file that replaces the old (`write_file`, the caches, MkDocs into an empty folder).
    Paths may be strings: 42,000 links at 10,000 stories, where making `Path`s cost more than linking.
    """
    try:
        os.link(source, target)
    except FileExistsError:
        os.unlink(target)
        link_or_copy(source, target)
    except FileNotFoundError:
        raise
    except OSError:  # another file system, or one without hard links
        with contextlib.suppress(FileNotFoundError):
            os.unlink(target)  # never write through a link into the file it shares bytes with
        shutil.copyfile(source, target)


def write_tree(outputs: Outputs, root: Path) -> WriteReport:
    """Make `root` hold exactly `outputs`, touching only files whose bytes differ (fast, quiet `serve`)."""
    writer = TreeWriter(root)
    for relative, content in sorted(outputs.files.items()):
        writer.add(relative, content)
    return writer.finish()


def _same(target: Path, content: bytes | Path) -> Literal["", "linked", "bytes"]:
    """Whether `target` holds `content` already: "linked" (the very file), "bytes" (the same bytes), or ""."""
    try:
        found = target.stat()
    except FileNotFoundError:
        return ""
    if not stat.S_ISREG(found.st_mode):
        return ""
    size = found.st_size
    if isinstance(content, Path):
        source = content.stat()
        if (found.st_ino, found.st_dev) == (source.st_ino, source.st_dev):
            return "linked"  # by the last build
        if size != source.st_size:
            return ""
        return "bytes" if _same_files(target, content) else ""
    return "bytes" if size == len(content) and target.read_bytes() == content else ""


def _same_files(first: Path, second: Path, chunk: int = 1 << 20) -> bool:
    """Compared a chunk at a time: the open data is hundreds of megabytes at 100,000 stories."""
    with first.open("rb") as one, second.open("rb") as other:
        while True:
            a, b = one.read(chunk), other.read(chunk)
            if a != b:
                return False
            if not a:
                return True
