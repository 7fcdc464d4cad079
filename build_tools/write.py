"""The only module that writes: write-if-changed, remove what is stale, refuse two outputs on one path."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

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


def write_tree(outputs: Outputs, root: Path) -> WriteReport:
    """Make `root` hold exactly `outputs`, touching only files whose bytes differ (fast, quiet `serve`)."""
    root.mkdir(parents=True, exist_ok=True)
    written: list[str] = []
    unchanged = 0
    for relative, content in sorted(outputs.files.items()):
        target = root / relative
        if _same(target, content):
            unchanged += 1
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f".{target.name}.tmp")
        if isinstance(content, Path):
            shutil.copyfile(content, temporary)
        else:
            temporary.write_bytes(content)
        os.replace(temporary, target)
        written.append(relative)
        checkpoint("writing")  # test hook (publish.py): a build stopped half-way through writing the pages
    removed: list[str] = []
    for existing in sorted(root.rglob("*"), reverse=True):
        relative = existing.relative_to(root).as_posix()
        if existing.is_file() and relative not in outputs.files:
            existing.unlink()
            removed.append(relative)
        elif existing.is_dir() and not any(existing.iterdir()):
            existing.rmdir()
    return WriteReport(tuple(written), tuple(removed), unchanged)


def _same(target: Path, content: bytes | Path) -> bool:
    if not target.is_file():
        return False
    if isinstance(content, Path):
        if target.stat().st_size != content.stat().st_size:
            return False
        return target.read_bytes() == content.read_bytes()
    return target.stat().st_size == len(content) and target.read_bytes() == content
