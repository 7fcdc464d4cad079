"""The staging site's folders made ahead of MkDocs, by a forked process, while the build's one-core stages run.

A new site folder needs a folder per story (`guong/<slug>/`: 9,900 of the 11,300 at 10,000 stories). Making them
was most of the MkDocs stage of an edited build (0.9 s of each renderer's 1.3–2 s): on the benchmark machine's
`ext4` without a journal, the kernel skips every recently deleted inode of a group when it allocates one
(`recently_deleted`), so a `mkdir` costs 40–250 µs of system CPU after large deletions (benchmarks/README.md, ninth
session). Made serially before MkDocs it bought nothing; made here,
in a process of lowest priority started as soon as the stories are known, it runs on the core the one-core stages
(lists, search, feeds, the scan) leave idle, and MkDocs later finds each folder there. The folders are exactly those
MkDocs would make (a story's page is `guong/<slug>/index.html`), so the site is the same; what the process has not
made when MkDocs starts, MkDocs makes (`stop`). A failed build discards the staging folder whole, as before.
"""

from __future__ import annotations

import contextlib
import os
import signal
from collections.abc import Iterable
from pathlib import Path

from .parallel import fork_child

_MAX_DESCRIPTORS = 1 << 16


class FolderMaker:
    """One forked process making folders under `root` (itself included), parents before children."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.pid = 0

    def start(self, folders: Iterable[str]) -> None:
        """Fork the process that makes `root` and each folder (relative, POSIX, its parent listed before it or
        existing); returns at once. Only on POSIX systems that fork; elsewhere MkDocs makes every folder."""
        if self.pid or not hasattr(os, "fork"):
            return
        paths = [os.fspath(self.root), *(os.path.join(self.root, folder) for folder in folders)]
        pid = fork_child()  # ends with the build's process, should that be killed
        if pid:
            self.pid = pid
            return
        code = 1
        try:
            _quiet_child()
            for path in paths:
                with contextlib.suppress(FileExistsError):
                    os.mkdir(path)
            code = 0
        finally:
            os._exit(code)  # never the parent's clean-up: it owns the folder

    def stop(self) -> None:
        """End the process now and reap it: before MkDocs makes the rest, before the staging folder is published
        or discarded. Whatever it made is a folder MkDocs would make."""
        if not self.pid:
            return
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self.pid, 0)
        self.pid = 0


def _quiet_child() -> None:
    """The folder maker yields every core to the build (lowest priority) and takes Ctrl+C as the build does. It
    holds none of the build's files: a lock it kept open would refuse the next build."""
    os.closerange(3, _MAX_DESCRIPTORS)
    for number in (signal.SIGINT, signal.SIGTERM):
        signal.signal(number, signal.SIG_DFL)
    with contextlib.suppress(OSError):
        os.nice(19)
