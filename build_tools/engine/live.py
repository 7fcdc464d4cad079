"""The live display of a build on a terminal (engine/progress.py chooses it): one row per stage, drawn by rich."""

from __future__ import annotations

import logging
import os
import sys
import threading
from typing import IO, Any

from rich.console import Console
from rich.progress import BarColumn, Progress, ProgressColumn, SpinnerColumn, Task, TaskID, TextColumn
from rich.text import Text

from .stages import describe_count, format_seconds, label_of
from .timings import Stage, StageTiming


class LiveDisplay:
    """One row per stage: what it does, how many of how many pieces are done, time spent and time left.

    A stage's count advances as its workers' chunks come back (timings.Stage); a thread of this process redraws five
    times a second, so the clock and the rows move while this process waits on its workers or on MkDocs.
    A fork in the middle of a redraw would leave the child with the terminal's locks held: `_ForkGuard` makes each
    fork wait for the redraw under way, and a forked child forgets the display (it never draws).
    """

    counted = True
    watched = True
    REDRAWS_PER_SECOND = 5

    def __init__(self, stream: IO[str]) -> None:
        self.progress = Progress(
            SpinnerColumn(finished_text="[green]✓[/]"),
            TextColumn("{task.description}"),
            BarColumn(bar_width=24),
            CountColumn(),
            TimeColumn(),
            console=Console(file=stream, highlight=False),
            auto_refresh=False,  # our thread redraws, so that a fork can wait for it
            redirect_stdout=False,  # stdout may be a pipe: what is printed there must reach it as it is
            redirect_stderr=True,
        )
        self.running: dict[Stage, TaskID] = {}
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._redraw, name="exemplars-progress", daemon=True)
        self._stderr = sys.stderr
        self._handlers: list[tuple[logging.StreamHandler[Any], Any]] = []

    def __enter__(self) -> LiveDisplay:
        self._stderr = sys.stderr
        self.progress.start()  # from here, what is printed on sys.stderr appears above the rows
        # Log records (a feed cut to its size limit, MkDocs' notices under `serve`) too.
        for handler in logging.getLogger().handlers:
            if isinstance(handler, logging.StreamHandler) and handler.stream is self._stderr:
                self._handlers.append((handler, handler.stream))
                handler.setStream(sys.stderr)
        _guard.display = self
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        _guard.display = None
        self._sync()
        self.progress.stop()
        for handler, stream in self._handlers:
            handler.setStream(stream)

    def _redraw(self) -> None:
        while not self._stop.wait(1 / self.REDRAWS_PER_SECOND):
            with self._lock:
                self._sync()
                self.progress.refresh()

    def _sync(self) -> None:
        for stage, task in list(self.running.items()):
            self.progress.update(task, completed=stage.done, total=stage.total)

    def stage_started(self, stage: Stage) -> None:
        with self._lock:
            self.running[stage] = self.progress.add_task(label_of(stage.name).label, total=None, stage=stage)
            self.progress.refresh()

    def stage_finished(self, stage: Stage, timing: StageTiming | None) -> None:
        with self._lock:  # not while the redraw thread syncs this row
            task = self.running.pop(stage)
            if timing is None:  # the row stays where it stopped; the error's message follows
                self.progress.update(task, description=f"{label_of(stage.name).label} (dừng)", completed=stage.done)
            else:
                total = stage.total if stage.total is not None else 1
                completed = total if stage.total is None else stage.done
                # The rows of the stages beside it are in sight: a short mark keeps the row within the terminal.
                label = label_of(stage.name).label + (" (song song)" if timing.beside else "")
                self.progress.update(task, total=total, completed=completed, description=label, wall=timing.wall_s)
            self.progress.stop_task(task)
            self.progress.refresh()

    # -- forks (see _ForkGuard) ----------------------------------------------------------------------------------

    def before_fork(self) -> None:
        self._lock.acquire()

    def after_fork_in_parent(self) -> None:
        self._lock.release()

    def after_fork_in_child(self) -> None:
        """A forked worker prints (if ever) straight to the terminal, and never draws."""
        self._lock.release()
        sys.stderr = self._stderr
        for handler, stream in self._handlers:
            handler.setStream(stream)


class CountColumn(ProgressColumn):
    """How many of how many ("312/1.000 hồ sơ"); empty for a stage that counts nothing."""

    def render(self, task: Task) -> Text:
        return Text(describe_count(task.fields["stage"], of_total=True))


class TimeColumn(ProgressColumn):
    """Time spent ("2,3 giây"), and time left ("còn khoảng 1 phút 20 giây") once the stage's pace is known."""

    def render(self, task: Task) -> Text:
        # A finished stage shows its own wall (a stage run in another process ends before this one takes it in).
        spent = task.fields.get("wall", task.finished_time if task.finished_time is not None else task.elapsed)
        text = format_seconds(spent or 0.0)
        remaining = task.time_remaining
        if not task.finished and task.total is not None and remaining is not None and task.completed > 0:
            text += f", còn khoảng {format_seconds(remaining)}"
        return Text(text, style="dim")


class _ForkGuard:
    """Registered once per process (`os.register_at_fork` cannot be undone); forwards to the display shown, if any."""

    display: LiveDisplay | None = None

    def before(self) -> None:
        if self.display is not None:
            self.display.before_fork()

    def after_in_parent(self) -> None:
        if self.display is not None:
            self.display.after_fork_in_parent()

    def after_in_child(self) -> None:
        if self.display is not None:
            self.display.after_fork_in_child()
            self.display = None


_guard = _ForkGuard()
if hasattr(os, "register_at_fork"):  # where fork exists (parallel.worker_count)
    os.register_at_fork(
        before=_guard.before, after_in_parent=_guard.after_in_parent, after_in_child=_guard.after_in_child
    )
