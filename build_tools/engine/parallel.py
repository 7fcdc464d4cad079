"""Work spread over the machine's cores by forked worker processes, with results in input order.

Why fork: the workers need the whole catalogue (related stories, field names, photos); a forked child inherits it
as it is, where a spawned one would have to unpickle ten thousand profiles first. Where fork does not exist
(Windows) or one worker is asked for, the same function runs in this process: results are identical either way,
so the output of a build never depends on the number of cores (tests/test_parallel.py checks it).
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
from collections.abc import Callable, Sequence
from itertools import pairwise
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from .timings import Stage

Item = TypeVar("Item")
Result = TypeVar("Result")

WORKERS_VARIABLE = "EXEMPLARS_WORKERS"
"""Environment variable that sets the number of worker processes (1: everything in the build's own process)."""

_shared: Any = None
_function: Callable[[Any], Any] | None = None
_items: Sequence[Any] = ()


def worker_count(requested: int | None = None) -> int:
    """The workers a build uses: as asked, else $EXEMPLARS_WORKERS, else the cores this process may run on."""
    if requested is None:
        configured = os.environ.get(WORKERS_VARIABLE, "").strip()
        requested = int(configured) if configured.isdigit() else len(os.sched_getaffinity(0))
    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return max(1, requested)


def shared() -> Any:
    """What the caller of `fork_map` passed as `shared`, in the worker and in the caller alike."""
    return _shared


def fork_map(
    function: Callable[[Sequence[Item]], list[Result]],
    items: Sequence[Item],
    *,
    shared: Any = None,
    workers: int = 1,
    chunks_per_worker: int = 4,
    progress: Stage | None = None,
) -> list[Result]:
    """`function` over contiguous chunks of `items` in `workers` forked processes; results flattened, in order.

    `function` takes a chunk and returns one result per item; results travel back pickled, so keep them small
    (a worker may write its own files through write.py and return their paths). `items` and `shared` are
    inherited by the workers, never pickled: a worker is sent only the bounds of its chunk.
    `progress`: the stage whose count the items are. When someone watches it (a terminal), the items are cut into
    more chunks (in this process too) and the count advances as each comes back, so it moves as work is done;
    otherwise (a line per stage in CI) it advances once, when all are back.
    """
    global _shared, _function, _items
    _shared, _function, _items = shared, function, items
    try:
        if progress is not None:
            progress.expect(len(items))
        watched = progress is not None and progress.watched
        if workers <= 1 or len(items) < 2:
            if progress is not None and progress.watched and len(items) >= 2:
                return _in_pieces(function, items, progress)
            results = function(items)
            if progress is not None:
                progress.advance(len(items))
            return results
        per_worker = max(chunks_per_worker, WATCHED_CHUNKS_PER_WORKER) if watched else chunks_per_worker
        count = min(len(items), workers * per_worker)
        bounds = [len(items) * i // count for i in range(count + 1)]
        # What exists now is shared with the workers page by page until written to; the collector of a worker
        # would write to every object it visits (copying the parent's memory), so it leaves these alone.
        gc.freeze()
        pool = multiprocessing.get_context("fork").Pool(min(workers, count), initializer=quiet_worker)
        chunks: list[list[Any]] = [[] for _ in range(count)]
        try:
            if progress is not None and progress.watched:
                # In the order chunks finish, so the count moves as soon as any worker is done; put back in order.
                for number, chunk in pool.imap_unordered(_run, enumerate(pairwise(bounds)), chunksize=1):
                    chunks[number] = chunk
                    progress.advance(len(chunk))
            else:  # a count read only at the stage's end (a line in CI): all at once, as before
                for number, chunk in pool.map(_run, enumerate(pairwise(bounds)), chunksize=1):
                    chunks[number] = chunk
                if progress is not None:
                    progress.advance(len(items))
            pool.close()  # workers finish and leave; terminate() would stop them in the middle
        except BaseException:
            pool.terminate()
            raise
        finally:
            pool.join()
        return [result for chunk in chunks for result in chunk]
    finally:
        _shared, _function, _items = None, None, ()


WATCHED_CHUNKS_PER_WORKER = 16
"""Chunks per worker when a terminal shows the count: a step of about 3 % of the stage at 2 workers, for a few
milliseconds of extra hand-offs (benchmarks/README.md, "Progress")."""

WATCHED_PIECES = 32
"""Pieces of the work when it runs in this process (one worker) and a terminal shows the count."""


def _in_pieces(function: Callable[[Sequence[Item]], list[Result]], items: Sequence[Item], progress: Stage) -> list[Any]:
    """`function` over `items` in this process, a piece at a time, the count advancing after each piece."""
    count = min(len(items), WATCHED_PIECES)
    results: list[Any] = []
    for start, end in pairwise([len(items) * i // count for i in range(count + 1)]):
        made = function(items[start:end])
        results += made
        progress.advance(len(made))
    return results


def quiet_worker() -> None:
    """A worker leaves Ctrl+C to the process that started it, which stops it (SIGTERM) without a traceback."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _run(chunk: tuple[int, tuple[int, int]]) -> tuple[int, list[Any]]:
    assert _function is not None
    number, (start, end) = chunk
    return number, _function(_items[start:end])
