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
from typing import Any, TypeVar

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
) -> list[Result]:
    """`function` over contiguous chunks of `items` in `workers` forked processes; results flattened, in order.

    `function` takes a chunk and returns one result per item; results travel back pickled, so keep them small
    (a worker may write its own files through write.py and return their paths). `items` and `shared` are
    inherited by the workers, never pickled: a worker is sent only the bounds of its chunk.
    """
    global _shared, _function, _items
    _shared, _function, _items = shared, function, items
    try:
        if workers <= 1 or len(items) < 2:
            return function(items)
        count = min(len(items), workers * chunks_per_worker)
        bounds = [len(items) * i // count for i in range(count + 1)]
        # What exists now is shared with the workers page by page until written to; the collector of a worker
        # would write to every object it visits (copying the parent's memory), so it leaves these alone.
        gc.freeze()
        pool = multiprocessing.get_context("fork").Pool(min(workers, count), initializer=quiet_worker)
        try:
            results = pool.map(_run, pairwise(bounds), chunksize=1)
            pool.close()  # workers finish and leave; terminate() would stop them in the middle
        except BaseException:
            pool.terminate()
            raise
        finally:
            pool.join()
        return [result for chunk in results for result in chunk]
    finally:
        _shared, _function, _items = None, None, ()


def quiet_worker() -> None:
    """A worker leaves Ctrl+C to the process that started it, which stops it (SIGTERM) without a traceback."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _run(bounds: tuple[int, int]) -> list[Any]:
    assert _function is not None
    start, end = bounds
    return _function(_items[start:end])
