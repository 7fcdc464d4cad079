"""What a long command shows while it works: each stage of a build, how far it is, and how long it took.

(Not to be confused with site/progress.py, which measures how far each plan has come.)

Three modes, chosen by `output_mode` for `exemplars build`, `check` and `serve`'s first build:

- a terminal (stderr is one, and not `CI=true`): a live display, one row per stage with what it is doing, how
  many of how many pieces are done (work done in forked workers included: timings.Stage), the time spent and the
  time left, drawn by `rich` (engine/live.py; chosen over tqdm, which redraws only when a count moves, for a
  display that keeps every stage's row, a clock that runs through stages that count nothing, such as MkDocs, and
  log lines printed above the rows rather than through them);
- CI logs and pipes: one plain line per finished stage, its count and its time (and the stages it ran beside, when
  one ran in a process of its own: "Chỉ mục tìm kiếm: 0,8 giây, song song với Trang danh sách, …"), no control
  characters;
- `--quiet`: nothing (problems are still printed, and the exit status says the rest).

Both modes listen to the stages of `engine/timings.py` (`optional_stage(timings, "<name>")`), so the display, these
lines and `--timings` JSON are the same stages with the same clock; stages.py names them for the user.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import IO, Literal

from .stages import describe_beside, describe_count, format_seconds, label_of
from .timings import Stage, StageListener, StageTiming, Timings

Mode = Literal["quiet", "lines", "live"]


def output_mode(stream: IO[str], quiet: bool, environ: Mapping[str, str] = os.environ) -> Mode:
    """`--quiet`: nothing; a terminal: the live display; anything else (a pipe, a file, CI): plain lines.

    CI services attach a terminal at times but cannot redraw one; they set CI=true."""
    if quiet:
        return "quiet"
    interactive = stream.isatty() and environ.get("TERM", "") != "dumb"
    if not interactive or environ.get("CI", "").strip().lower() in ("true", "1", "yes"):
        return "lines"
    return "live"


@contextmanager
def showing_progress(mode: Mode, timings: Timings | None = None, stream: IO[str] | None = None) -> Iterator[Timings]:
    """Timings whose stages are shown as `mode` says, for the length of the block; `timings` when the caller
    also wants them written (`--timings`), else new ones."""
    timings = timings if timings is not None else Timings()
    stream = stream if stream is not None else sys.stderr
    if mode == "quiet":
        yield timings
        return
    listener: StageListener
    with contextlib.ExitStack() as stack:
        if mode == "live":
            from .live import LiveDisplay  # rich is imported only when a terminal shows it

            listener = stack.enter_context(LiveDisplay(stream))
        else:
            listener = StageLines(stream)
        timings.listeners.append(listener)
        try:
            yield timings
        finally:
            timings.listeners.remove(listener)


class StageLines:
    """CI logs and pipes: "Trang câu chuyện: 1.000 câu chuyện, 12,3 giây", one line as each stage ends."""

    counted = True
    watched = False

    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream

    def stage_started(self, stage: Stage) -> None:
        pass

    def stage_finished(self, stage: Stage, timing: StageTiming | None) -> None:
        if timing is None:  # stopped on an error, whose message follows
            return
        parts = [describe_count(stage), format_seconds(timing.wall_s), describe_beside(timing)]
        self.stream.write(f"{label_of(stage.name).label}: {', '.join(part for part in parts if part)}\n")
        self.stream.flush()
