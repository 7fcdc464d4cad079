"""Publishing: the new site replaces `site/` in one atomic step, or not at all.

Whoever reads `site/` (a web server, the deploy step, a person) sees the last good site or the new one, never a
mix and never nothing. The new site is built in a staging folder beside `site/`, flushed to disk, and the two
folders are exchanged by one `renameat2(RENAME_EXCHANGE)` call. Where the kernel or the filesystem cannot
exchange, two renames are used instead, and `recover` (run at the start of every build) puts the last good site
back if the process died between them.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import logging
import os
import shutil
import signal
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from types import FrameType
from typing import IO

log = logging.getLogger("exemplars")

PAUSE_VARIABLE = "EXEMPLARS_TEST_PAUSE_AT"
"""Test hook: the name of a checkpoint where the build stops and waits for a line on stdin (or its end)."""

_AT_FDCWD = -100
_RENAME_EXCHANGE = 1 << 1
_UNSUPPORTED = {errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV}
_reached: set[str] = set()


class BuildBusy(Exception):
    """Another build is publishing into the same folder: two builds would trample each other's staging."""


def staging_dir(site_dir: Path) -> Path:
    """Where MkDocs writes the new site; a sibling of `site/`, so that renames never cross filesystems."""
    return site_dir.with_name(f".{site_dir.name}.building")


def retired_dir(site_dir: Path) -> Path:
    """Where the previous site waits while the fallback swap is under way."""
    return site_dir.with_name(f".{site_dir.name}.old")


def _lock_file(site_dir: Path) -> Path:
    return site_dir.with_name(f".{site_dir.name}.lock")


@contextlib.contextmanager
def build_lock(site_dir: Path) -> Iterator[None]:
    """One build at a time per site folder (a second `exemplars build`, or CI and a person on one machine)."""
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    with open(_lock_file(site_dir), "a+b") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BuildBusy(
                f"một lần tạo trang khác đang ghi vào {site_dir.name}/. Hãy đợi lần đó xong rồi chạy lại."
            ) from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


TREE_LOCK = ".site.tree.lock"
"""Beside `.generated/` and `.cache/` in the repository (git-ignored with the other `.site.*` paths)."""


@contextlib.contextmanager
def tree_lock(root: Path) -> Iterator[None]:
    """One writer at a time over a repository's generated pages and caches: `build`, and `serve` for as long as it
    runs. `serve` writes drafts there; a build reading them at that moment would publish them. Two builds into two
    site folders shared these folders too, and failed with an obscure I/O error; the second now says why."""
    handle = hold_tree_lock(root)
    try:
        yield
    finally:
        handle.close()


def hold_tree_lock(root: Path) -> IO[bytes]:
    """`tree_lock` for a caller that holds it until it ends: the lock is released when the handle is closed."""
    handle = open(root / TREE_LOCK, "a+b")  # noqa: SIM115 - the caller closes it, releasing the lock
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        raise BuildBusy(
            "một lần tạo trang khác, hoặc một bản xem trước (`exemplars serve`), đang dùng các trang được tạo "
            "(.generated/) và bộ nhớ đệm (.cache/) của kho này. Hãy đợi lần đó xong, hoặc dừng `exemplars serve` "
            "(Ctrl+C), rồi chạy lại."
        ) from None
    return handle


def recover(site_dir: Path) -> bool:
    """Undo what an interrupted build left beside `site/`; True when the last good site had to be put back.

    Only the fallback swap has a moment where `site/` is missing (moved aside, the new one not yet in place);
    the previous site is then complete in the retired folder and goes back. Leftover staging and retired
    folders are removed: they are never the published site.
    """
    restored = False
    retired = retired_dir(site_dir)
    if not site_dir.exists() and retired.is_dir():
        os.rename(retired, site_dir)
        _sync_directory(site_dir.parent)
        log.warning(
            "Lần tạo trang trước bị dừng giữa chừng: đã khôi phục %s/ như lần tạo thành công trước.", site_dir.name
        )
        restored = True
    for leftover in (staging_dir(site_dir), retired):
        shutil.rmtree(leftover, ignore_errors=True)
    return restored


def publish(staging: Path, site_dir: Path) -> None:
    """Make the complete site in `staging` the one at `site_dir`, atomically; the old one is then deleted.

    SIGINT and SIGTERM are held back while the folders move: the swap takes milliseconds, and once begun it is
    safer finished than stopped. SIGKILL and power loss cannot be held back; `recover` and the flush make
    those safe too.
    """
    _sync_tree(staging)
    checkpoint("publish")
    with _interrupts_held():
        if not site_dir.exists():
            os.rename(staging, site_dir)
        elif _exchange(staging, site_dir):
            checkpoint("published")
        else:
            retired = retired_dir(site_dir)
            shutil.rmtree(retired, ignore_errors=True)
            os.rename(site_dir, retired)
            checkpoint("swap")
            os.rename(staging, site_dir)
            os.rename(retired, staging)
            checkpoint("published")
        _sync_directory(site_dir.parent)
    # After an exchange, the staging name holds the previous site.
    shutil.rmtree(staging, ignore_errors=True)


def discard(staging: Path) -> None:
    """A failed build's half-written site goes; `site/` was never touched."""
    shutil.rmtree(staging, ignore_errors=True)


def checkpoint(name: str) -> None:
    """Test hook: with EXEMPLARS_TEST_PAUSE_AT=name, say so on stderr and wait, so a test can kill the build here.

    The build waits for a line on stdin (or its end), so the test decides when it goes on. Each checkpoint
    pauses once per process; without the variable this does nothing.
    """
    if os.environ.get(PAUSE_VARIABLE) != name or name in _reached:
        return
    _reached.add(name)
    print(f"exemplars-test: paused at {name}", file=sys.stderr, flush=True)
    sys.stdin.readline()


def libc_function(name: str, *argtypes: type) -> Callable[..., int] | None:
    """A Linux libc function through ctypes, or None where this libc has no such function."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        function = getattr(ctypes.CDLL(None, use_errno=True), name)
    except (AttributeError, OSError):
        return None
    function.argtypes = argtypes
    function.restype = ctypes.c_int
    return function


# renameat2: glibc 2.28+, musl 1.2.3+; syncfs: glibc 2.14+.
_rename_function = libc_function(
    "renameat2", ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint
)
_syncfs = libc_function("syncfs", ctypes.c_int)


def _exchange(first: Path, second: Path) -> bool:
    """Swap two existing paths in one step; False when the system cannot (then nothing has moved)."""
    if _rename_function is None:
        return False
    result = _rename_function(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE)
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in _UNSUPPORTED:
        return False
    raise OSError(code, os.strerror(code), str(second))


@contextlib.contextmanager
def _interrupts_held() -> Iterator[None]:
    """Record SIGINT/SIGTERM instead of acting on them; the build then ends normally, its site published."""
    received: list[int] = []

    def hold(number: int, frame: FrameType | None) -> None:
        received.append(number)

    try:
        previous = {number: signal.signal(number, hold) for number in (signal.SIGINT, signal.SIGTERM)}
    except ValueError:  # not the main thread (a test's or a server's worker): nothing to hold
        yield
        return
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
    if received:
        log.warning("Đã nhận lệnh dừng khi đang thay trang: trang mới đã được đăng trọn vẹn rồi mới dừng.")


def _sync_tree(root: Path) -> None:
    """Flush the new site to disk before it is swapped in, so a power cut afterwards cannot publish empty files.

    One syncfs() flushes the whole filesystem in one journal commit (5× faster than a fsync per file, measured
    on a 250-file site); elsewhere, every file and folder is flushed one by one.
    """
    if _syncfs is not None:
        descriptor = os.open(root, os.O_RDONLY)
        try:
            if _syncfs(descriptor) != 0:
                code = ctypes.get_errno()
                raise OSError(code, os.strerror(code), str(root))
        finally:
            os.close(descriptor)
        return
    for folder, _, files in os.walk(root):
        for name in files:
            descriptor = os.open(os.path.join(folder, name), os.O_RDONLY)
            try:
                os.fsync(descriptor)
            finally:
                os.close(descriptor)
        _sync_directory(Path(folder))


def _sync_directory(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
