"""Work spread over the machine's cores by forked worker processes, with results in input order.

Why fork: the workers need the whole catalogue (related stories, field names, photos); a forked child inherits it
as it is, where a spawned one would have to unpickle ten thousand profiles first. Where fork does not exist
(Windows) or one worker is asked for, the same function runs in this process: results are identical either way,
so the output of a build never depends on the number of cores (tests/test_parallel.py checks it).

Two shapes: `fork_map` spreads one function over many items and waits; `Beside` runs one function in a forked
process while this one goes on with other work (the search index, one core's work after an edit, beside the lists,
the feeds and the data), until `join`.

Every process forked here (and the MkDocs renderers and the folder maker, through `fork_child`) ends with the
process that forked it, however that ends: killed outright (SIGKILL, the system's out-of-memory killer), it leaves
nothing running that would hold the build's lock (engine/publish.py) or go on writing. Ctrl+C and SIGTERM reach the
build's own process, which stops its children and waits for them; a child lost midway fails the build
(`LostProcess`) instead of leaving it waiting.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import logging
import multiprocessing
import os
import pickle
import signal
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from itertools import pairwise
from types import TracebackType
from typing import IO, TYPE_CHECKING, Any, Generic, NoReturn, TypeVar

from .publish import libc_function
from .stages import label_of
from .timings import Effort, Stage, cpu_seconds, peak_mib

if TYPE_CHECKING:
    from .timings import Timings

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
        chunks: list[list[Any]] = [[] for _ in range(count)]
        with _Pool(min(workers, count), progress.name if progress is not None else "") as pool:
            futures = pool.submit_all(_run, list(enumerate(pairwise(bounds))))
            if watched:  # in the order chunks finish, so the count moves as soon as any worker is done
                for future in as_completed(futures):
                    number, chunk = pool.result(future)
                    chunks[number] = chunk
                    assert progress is not None
                    progress.advance(len(chunk))
            else:  # a count read only at the stage's end (a line in CI): all at once
                for future in futures:
                    number, chunk = pool.result(future)
                    chunks[number] = chunk
                if progress is not None:
                    progress.advance(len(items))
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


_PR_SET_PDEATHSIG = 1
_prctl = libc_function("prctl", *([ctypes.c_ulong] * 5))


def fork_child() -> int:
    """`os.fork()`, the child bound to end with this process (`ends_with`) and quiet (`quiet_worker`): 0 in the
    child, its id here. Ctrl+C or SIGTERM arriving meanwhile stops the build once the child is known, and the child
    with it."""
    parent = os.getpid()
    held = _hold_stops()
    pid = os.fork()
    if pid == 0:
        ends_with(parent)
        quiet_worker()
        _release_stops(held)
        return 0
    try:
        _release_stops(held)  # a Ctrl+C held meanwhile is raised here
    except BaseException:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        raise
    return pid


_STOPS = {signal.SIGINT, signal.SIGTERM}


def _hold_stops() -> set[signal.Signals]:
    """Ctrl+C and SIGTERM held back (in this thread) while processes are forked; the signals blocked before.

    Their handlers raise KeyboardInterrupt (cli.py) wherever Python is, and a fork runs hooks (logging's, the live
    display's) in which an exception is dropped ("Exception ignored in…"): the build then ran on as if never told,
    a lock of logging's held for good. Held, a signal arrives once the fork is done. Threads started meanwhile (a
    pool's) keep them held, as do forked processes until they have set their own handlers."""
    return signal.pthread_sigmask(signal.SIG_BLOCK, _STOPS)


def _release_stops(held: set[signal.Signals]) -> None:
    signal.pthread_sigmask(signal.SIG_SETMASK, held)


def ends_with(parent: int) -> None:
    """In a process just forked from `parent`: the kernel kills it (SIGKILL) as soon as `parent` ends, however it
    ends. A build killed outright cannot stop its children itself; without this they ran on to the end of their
    work (minutes for the search index at 100,000 stories), holding the build's lock, so that the next build was
    refused as busy. Linux only (`prctl`); elsewhere only Ctrl+C and SIGTERM stop them.

    The kernel watches the thread that forked, not its process: fork from the thread that waits for the child (as
    everything in build_tools does), never from a thread that may end first."""
    if _prctl is not None:
        _prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # it ended before the line above, so nobody will send the signal
        os._exit(1)


_BIND = """
import ctypes, os, sys
parent, number, program = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
ctypes.CDLL(None).prctl(1, number, 0, 0, 0)
if os.getppid() != parent:
    sys.exit(1)
try:
    os.execvp(program, sys.argv[3:])
except OSError as error:
    sys.exit(f"{program}: {error.strerror}")
"""
"""`ends_with` for a program run by `bound_command`: bound, then replaced by the program (the binding outlives exec)."""


def bound_command(command: Sequence[str], death_signal: int = signal.SIGKILL) -> list[str]:
    """`command` to run with `subprocess`, bound to end (`death_signal`) with the thread that starts it, as
    `ends_with` binds a forked process: `serve`'s catch-up, `deploy`'s rclone ran on after their parent was killed.

    A few lines of Python bind it, then become it (`os.execvp`): the binding outlives exec. `preexec_fn` would do it
    without a second interpreter's start (30-100 ms), but may deadlock in a process with threads (`serve`'s). The
    thread that starts it must wait for it (`ends_with`). Linux only; elsewhere, `command` as it is."""
    if _prctl is None:
        return list(command)
    return [sys.executable, "-I", "-S", "-c", _BIND, str(os.getpid()), str(int(death_signal)), *command]


def _pool_worker(parent: int, held: set[signal.Signals]) -> None:
    """How each of `fork_map`'s workers starts: bound to end with the build's process, Ctrl+C left to it."""
    ends_with(parent)
    quiet_worker()
    _release_stops(held)


class _Pool:
    """`fork_map`'s forked workers, in `concurrent.futures`' pool rather than `multiprocessing.Pool`: a killed worker
    (the out-of-memory killer, someone) breaks it, and every chunk not yet back fails at once (`BrokenProcessPool`,
    raised as `LostProcess`), where `multiprocessing.Pool` replaced the worker and waited for ever for the chunk it
    had. Leaving the block on any error (a worker's exception, Ctrl+C, SIGTERM) stops the workers (SIGTERM) and reaps
    them, so none goes on once the build has given up."""

    def __init__(self, workers: int, stage: str) -> None:
        self.stage = stage
        self.before = set(multiprocessing.active_children())
        self.held = signal.pthread_sigmask(signal.SIG_BLOCK, set())  # what a worker restores (`_pool_worker`)
        context = multiprocessing.get_context("fork")
        initargs = (os.getpid(), self.held)
        self.executor = ProcessPoolExecutor(workers, context, initializer=_pool_worker, initargs=initargs)

    def __enter__(self) -> _Pool:
        return self

    def submit_all(self, function: Callable[[Item], Result], items: Sequence[Item]) -> list[Future[Result]]:
        """`function` on each item; the workers are forked at the first (`fork_child` says why stops are held)."""
        held = _hold_stops()
        try:
            return [self.executor.submit(function, item) for item in items]
        finally:
            _release_stops(held)

    def result(self, future: Future[Result]) -> Result:
        """The chunk's results, or the exception its function raised there; `LostProcess` if a worker was lost."""
        try:
            return future.result()
        except BrokenProcessPool as error:
            raise LostProcess(self.stage) from error

    def __exit__(self, kind: type[BaseException] | None, *_: object) -> None:
        if kind is not None:  # the workers' processes: those `multiprocessing` started since this pool began
            for process in set(multiprocessing.active_children()) - self.before:
                process.terminate()
        self.executor.shutdown(wait=True, cancel_futures=True)


def _run(chunk: tuple[int, tuple[int, int]]) -> tuple[int, list[Any]]:
    assert _function is not None
    number, (start, end) = chunk
    return number, _function(_items[start:end])


class LostProcess(RuntimeError):
    """A forked process ended without its result: killed (by the system when memory ran out, or by someone), or
    stopped before it could report. The build fails; the published site stays as it was. Its text is what the user
    reads (cli.py): which stage, how the process ended, what to do."""

    def __init__(self, stage: str = "", status: int | None = None) -> None:
        super().__init__(stage, status)
        self.stage, self.status = stage, status
        """The stage's name (engine/stages.py); the process's wait status, when it is known (`os.waitpid`)."""

    def in_stage(self, stage: str) -> LostProcess:
        """This error, said of `stage` unless it names one already (lost in a pool inside a forked stage)."""
        if not self.stage:
            self.stage = stage
            self.args = (stage, self.status)
        return self

    def __str__(self) -> str:
        return _lost(self.stage, self.status)


class Beside(Generic[Result]):
    """`function(stage)` in a forked process while this one goes on, its result (or its exception) taken by `join`.

    ```
    with Beside(make_index, workers, timings, "search") as index:
        ...                       # other work, here and in this process's own workers
        files = index.join()      # waits; the forked process's exception is raised here, as it was raised there
    ```

    With one worker (or no fork on this system) `function` runs here when the block starts, so the results are the
    same and only the order of the work differs. Leaving the block on an error stops the forked process (SIGTERM)
    and waits for it, so nothing it does outlives the build.

    With `timings`, the work is the stage `stage`: begun with the block, ended when its result is taken (here, at
    once), timed as the process that did the work measured itself (`effort`: its own clock times, its CPU and peak
    memory with its own workers'), so the stages run here meanwhile keep their own times. `function` counts its
    work on the `Stage` it is given; a forked process's count, and what it logged, are taken in with its result.

    Forked with `os.fork`, not `multiprocessing.Process`: every `Process.start` (a pool of `fork_map`) first reaps
    the finished children `multiprocessing` knows of, which would count this process's CPU in whatever stage
    started that pool. The result travels back pickled through a file without a name (not a pipe, which a large
    result would fill and block), so nothing is left on disk whatever happens to either process.
    """

    def __init__(
        self, function: Callable[[Stage], Result], workers: int, timings: Timings | None = None, stage: str = ""
    ) -> None:
        self.function = function
        self.forked = workers > 1 and hasattr(os, "fork")
        self.timings = timings
        self.stage_name = stage
        self.stage = Stage(stage)
        self._ended = False
        self.effort: Effort | None = None
        self._pid = 0
        self._outcome: IO[bytes] | None = None
        self._result: Result | None = None

    def __enter__(self) -> Beside[Result]:
        if self.timings is not None:
            self.stage = self.timings.begin(self.stage_name)
        if not self.forked:
            started, cpu = time.perf_counter(), cpu_seconds()
            failed: type[BaseException] | None = None
            try:
                self._result = self.function(self.stage)
            except BaseException as error:
                failed = type(error)
                raise
            finally:
                self._end(Effort(started, time.perf_counter(), cpu_seconds() - cpu, peak_mib()), failed)
            return self
        self._outcome = tempfile.TemporaryFile()  # shared with the child, which writes it
        gc.freeze()  # as in `fork_map`: the child's collector leaves the parent's objects (and pages) alone
        started = time.perf_counter()
        pid = fork_child()
        if pid == 0:
            _run_beside(self.function, self.stage, self._outcome, started)
        self._pid = pid
        return self

    def join(self) -> Result:
        """The function's result, once its process ended; its exception, raised again here, if it raised one."""
        if not self._pid:
            return self._result  # type: ignore[return-value]  # run here, in __enter__
        _, status = os.waitpid(self._pid, 0)  # interrupted (Ctrl+C), `__exit__` stops the process
        self._pid = 0
        assert self._outcome is not None
        with self._outcome as outcome:
            if os.waitstatus_to_exitcode(status) != 0:  # it leaves with 0 only once its outcome is written whole
                self._end(None, LostProcess)
                raise LostProcess(self.stage_name, status)
            outcome.seek(0)
            kind, value, effort, (self.stage.total, self.stage.done, records) = pickle.load(outcome)
        for record in records:
            logging.getLogger(record.name).handle(record)
        self._end(effort, None if kind == "returned" else Exception)
        if kind == "raised":
            error, remote = value
            error.__cause__ = _RemoteTraceback(remote)
            if isinstance(error, LostProcess):  # one of its own workers was lost
                error.in_stage(self.stage_name)
            raise error
        return value  # type: ignore[no-any-return]

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        if self._pid:  # left early, on an error: the forked process is stopped, not left to run on
            pid, self._pid = self._pid, 0
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)
            if self._outcome is not None:
                self._outcome.close()
            self._end(None, kind or Exception)

    def _end(self, effort: Effort | None, failed: type[BaseException] | None) -> None:
        """The stage ended, once: timed by `effort`, or (stopped or lost) from its start until now."""
        self.effort = effort
        if self.timings is None or self._ended:
            return
        self._ended = True
        if effort is None:
            effort = Effort(self.stage.started, time.perf_counter(), 0.0, peak_mib())
        self.timings.end(self.stage, effort, done=failed is None)


def _run_beside(function: Callable[[Stage], Any], stage: Stage, outcome: IO[bytes], started: float) -> NoReturn:
    """In the forked process: run, write what happened, and leave at once (`os._exit`), never returning into the
    parent's code (its `finally` blocks would remove folders the parent still uses)."""
    code = 1
    try:
        logged = _LogRecords()
        logging.getLogger().handlers = [logged]  # told here, shown by the parent's handlers when it joins
        try:
            kept: tuple[str, Any] = ("returned", function(stage))
        except Exception as error:
            kept = ("raised", (error, traceback.format_exc()))
        effort = Effort(started, time.perf_counter(), cpu_seconds(), peak_mib())
        said = (stage.total, stage.done, logged.records)
        try:
            data = pickle.dumps((*kept, effort, said), pickle.HIGHEST_PROTOCOL)
        except Exception as error:  # an exception that cannot be pickled travels as its text
            unpicklable = RuntimeError(f"{type(error).__name__}: {error}")
            failed = ("raised", (unpicklable, traceback.format_exc()), effort, said)
            data = pickle.dumps(failed, pickle.HIGHEST_PROTOCOL)
        outcome.write(data)
        outcome.flush()
        code = 0
    finally:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):  # leaving, whatever the streams say
                stream.flush()
        os._exit(code)


class _LogRecords(logging.Handler):
    """What the forked process logs, kept to be handled by the parent's loggers (a terminal's display, a test's
    capture), as if logged there; formatted here, since their arguments need not pickle (`QueueHandler` does so)."""

    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        record.msg, record.args = record.getMessage(), None
        if record.exc_info:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
            record.exc_info = None
        self.records.append(record)


class _RemoteTraceback(Exception):
    """Where the forked process raised, as its traceback's text (shown under the error raised again here)."""

    def __str__(self) -> str:
        return str(self.args[0])


def _lost(stage: str, status: int | None) -> str:
    """What the user reads (cli.py): where the process was lost, how (when known), likely why, and what to do."""
    where = f" ở bước “{label_of(stage).label}”" if stage else ""
    if status is not None and os.WIFSIGNALED(status):
        number = os.WTERMSIG(status)
        cause = "thường do máy hết bộ nhớ" if number == signal.SIGKILL else "có người hoặc chương trình khác đã dừng nó"
        how = f"đã bị dừng giữa chừng (tín hiệu {number}: {cause})"
    elif status is not None:
        how = f"đã dừng mà không báo kết quả (mã thoát {os.waitstatus_to_exitcode(status)})"
    else:
        how = "đã bị dừng giữa chừng (thường do máy hết bộ nhớ, hoặc có người đã dừng nó)"
    return (
        f"Một tiến trình con của lệnh tạo trang{where} {how}. Đây không phải lỗi của hồ sơ. Hãy chạy lại lệnh; nếu "
        "lần nào cũng dừng như vậy, hãy đóng bớt chương trình khác hoặc chạy với ít tiến trình hơn (--workers 1) để "
        "dùng ít bộ nhớ hơn."
    )
