"""A build's working folder (the open data as it is written, the search index's postings), in `.cache/scratch/`,
and what a killed build left there removed by the next one.

In the system's temporary folder (`/tmp/exemplars-spool-*`, `/tmp/exemplars-search-*`) these stayed for ever after a
build killed outright (the out-of-memory killer, a CI timeout: no clean-up runs), gigabytes at 100,000 stories. Here
each folder is held by a lock (`flock`) from the moment it is made until its process, and every process forked from
it, has ended; whoever makes a folder first removes every folder that nobody holds. A folder in use is held, so it is
never removed, whoever else works in the repository meanwhile: the build's own locks (engine/publish.py) do not
cover every caller of `generate` (`serve`'s catch-up runs under its parent's lock, tests and benchmarks under none).
Inside the repository, beside `.generated/`: the open data written here is hard-linked into the generated folder,
which needs the same file system.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

SCRATCH = "scratch"
"""The folder of `.cache/` that holds the working folders (never restored by CI's cache, never published)."""
_GUARD = ".lock"
"""Held while a folder is made and held, or leftovers removed: no folder is ever seen made but not yet held."""
_HELD = ".held"
"""In each working folder: locked by the process that made it for as long as the folder is in use."""


@contextlib.contextmanager
def scratch_folder(cache_dir: Path, prefix: str) -> Iterator[Path]:
    """A new empty folder in `cache_dir/scratch/`, named `<prefix><process id>-…`, removed on leaving the block.
    Folders left there by processes that ended without removing theirs (killed) are removed first.

    The lock is inherited by processes forked meanwhile (a pool's workers, `Beside`): the folder is the build's
    while any of them runs. Processes started by `subprocess` do not inherit it (descriptors close on exec)."""
    base = cache_dir / SCRATCH
    base.mkdir(parents=True, exist_ok=True)
    with open(base / _GUARD, "a+b") as guard:
        fcntl.flock(guard, fcntl.LOCK_EX)  # a few milliseconds, or the time to remove a killed build's folder
        remove_leftovers(base)
        folder = Path(tempfile.mkdtemp(prefix=f"{prefix}{os.getpid()}-", dir=base))
        held = _hold(folder / _HELD)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        held.close()


def _hold(path: Path) -> IO[bytes]:
    handle = open(path, "wb")  # noqa: SIM115 - held until the folder is removed
    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)  # new, so nobody else holds it
    return handle


def remove_leftovers(base: Path) -> list[str]:
    """Remove every working folder in `base` that no process holds; the names of those removed."""
    removed = []
    for entry in sorted(os.scandir(base), key=lambda entry: entry.name):
        if entry.name == _GUARD or not entry.is_dir(follow_symlinks=False):
            continue
        try:
            handle = open(os.path.join(entry.path, _HELD), "rb")  # noqa: SIM115 - closed below
        except FileNotFoundError:  # its owner's removal under way, or a folder nothing here made
            shutil.rmtree(entry.path, ignore_errors=True)
            removed.append(entry.name)
            continue
        with handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:  # in use by a running build
                continue
            shutil.rmtree(entry.path, ignore_errors=True)
            removed.append(entry.name)
    return removed
