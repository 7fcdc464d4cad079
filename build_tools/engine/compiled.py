"""Compiled Jinja templates kept in `.cache/` between builds: the page templates' (`site.pages`) and the theme's
(`mkdocs.plugin`, Material's templates and ours), each compiled once rather than by every build."""

from __future__ import annotations

import contextlib

from jinja2 import FileSystemBytecodeCache
from jinja2.bccache import Bucket


class CompiledTemplates(FileSystemBytecodeCache):
    """Jinja's bytecode cache, but a damaged file (cut short by a full disk, say) is compiled again rather than
    failing the build, as with the other caches; and each template known by its name alone, not by its file's
    absolute path as Jinja keys it, so that a repository moved or cloned to another folder (a fork's runner, a
    preview built in a folder of its own) with its `.cache/` compiles none again. An environment finds one file
    under a name, and compiled code is used only for the source it was compiled from (Jinja checks its checksum)."""

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        return super().get_cache_key(name)

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        with contextlib.suppress(OSError):  # its folder gone (`.cache` cleared while serving): compiled next time
            super().dump_bytecode(bucket)
