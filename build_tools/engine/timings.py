"""Wall time, CPU time and peak memory of each stage of a build: what `exemplars build --timings` writes.

The scale benchmark reads it to split a build into check, generate, search index, feeds and data, and MkDocs.
CPU time counts this process and the worker processes a stage waited for; on a shared machine it is the steadier
figure, wall time the one a user feels. Peak memory is the high-water mark of the largest single process so far.

Stages mostly run one after another. One may run in a forked process beside others (the search index beside the
lists, the feeds and the data: `generate.Executor.beside`): its wall, CPU and peak are what that process measured of
itself (`Effort`), and each stage names the stages it ran beside and for how long (`StageTiming.beside`), so the
stages' walls may add up to more than the build's.

The same stage boundaries drive what a build shows while it runs (engine/progress.py): a listener is told when a
stage starts and ends, and reads how much of it is done from its `Stage`, so the display and the JSON never disagree.
"""

from __future__ import annotations

import json
import resource
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Protocol


@dataclass(frozen=True)
class StageTiming:
    name: str
    wall_s: float
    cpu_s: float
    """User + system time of this process and of the children it reaped during the stage (a stage run in a forked
    process: that process's and its own children's)."""
    peak_mib: float
    """Largest resident set of this process or of any reaped child, from the start of the build to the stage's end."""
    start_s: float = 0.0
    """When the stage started, in seconds after the first stage of the build started."""
    beside: dict[str, float] = field(default_factory=dict)
    """The stages that ran at the same time as this one (one of them in another process), and for how many seconds
    each."""


@dataclass(frozen=True)
class Effort:
    """What a stage's work cost where it ran. `time.perf_counter` is the system's monotonic clock on Linux, the
    same in a forked process as in its parent, so a stage measured in a forked process lines up with the others."""

    started: float
    ended: float
    cpu_s: float
    peak_mib: float


def cpu_seconds() -> float:
    """User + system time of this process and of the children it reaped (a forked process starts from zero)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def peak_mib() -> float:
    """Linux reports ru_maxrss in KiB; children's is the largest single child, not a sum."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return max(own.ru_maxrss, children.ru_maxrss) / 1024


class Stage:
    """A stage under way, and how many of its pieces of work (profiles, pages, files) are done.

    Counted in the build's own process: work done in forked workers counts as each worker's chunk comes back
    (`parallel.fork_map(..., progress=stage)`). A stage nobody listens to counts nothing.
    """

    def __init__(self, name: str, *, counted: bool = False, watched: bool = False) -> None:
        self.name = name
        self.started = time.perf_counter()
        self.counted = counted
        self.total: int | None = None
        """How many pieces the stage has, once its work announced them (`expect`)."""
        self.done = 0
        self.watched = watched
        """Someone watches the count move (a terminal): the work is cut into finer pieces so that it does."""

    def expect(self, pieces: int) -> None:
        """`pieces` more pieces of work belong to this stage (announced before they are done)."""
        if self.counted:
            self.total = (self.total or 0) + pieces

    def advance(self, pieces: int = 1) -> None:
        if self.counted:
            self.done += pieces


class StageListener(Protocol):
    """What a build shows while it runs (engine/progress.py)."""

    counted: bool
    """Whether the listener reads counts."""
    watched: bool

    def stage_started(self, stage: Stage) -> None: ...

    def stage_finished(self, stage: Stage, timing: StageTiming | None) -> None:
        """`timing` is None when the stage stopped on an error (the error's own message follows)."""


@dataclass
class Timings:
    stages: list[StageTiming] = field(default_factory=list)
    listeners: list[StageListener] = field(default_factory=list)
    running: list[Stage] = field(default_factory=list)
    """Stages begun and not yet ended: more than one while a stage runs beside others."""
    origin: float | None = None
    """`time.perf_counter()` when the first stage began."""

    @contextmanager
    def stage(self, name: str) -> Iterator[Stage]:
        """A stage whose work runs here (and in the workers it waits for), measured as it goes."""
        current = self.begin(name)
        cpu = cpu_seconds()
        done = False
        try:
            yield current
            done = True
        finally:
            self.end(current, Effort(current.started, time.perf_counter(), cpu_seconds() - cpu, peak_mib()), done)

    def begin(self, name: str) -> Stage:
        """A stage started: its listeners told. `end` it with what its work cost, wherever it ran."""
        counted = any(listener.counted for listener in self.listeners)
        current = Stage(name, counted=counted, watched=any(listener.watched for listener in self.listeners))
        if self.origin is None:
            self.origin = current.started
        self.running.append(current)
        for listener in self.listeners:
            listener.stage_started(current)
        return current

    def end(self, stage: Stage, effort: Effort, done: bool = True) -> None:
        """A stage ended (`done`: its work succeeded; else an error follows), `effort` measured where its work ran.

        It ran beside the stages that ended before it and overlap its time; each of those is told too. A stage
        still running is not counted yet: a stage run in another process may have ended long before it is taken
        in, and it names the stages beside it when it is."""
        self.running.remove(stage)
        origin = self.origin if self.origin is not None else effort.started
        start, end = effort.started - origin, effort.ended - origin
        beside: dict[str, float] = {}
        for number, other in enumerate(self.stages):
            overlap = min(end, other.start_s + other.wall_s) - max(start, other.start_s)
            if overlap > 0:
                beside[other.name] = beside.get(other.name, 0.0) + overlap
                also = {**other.beside, stage.name: other.beside.get(stage.name, 0.0) + overlap}
                self.stages[number] = replace(other, beside=also)
        timing = StageTiming(stage.name, end - start, effort.cpu_s, max(effort.peak_mib, peak_mib()), start, beside)
        self.stages.append(timing)
        for listener in self.listeners:
            listener.stage_finished(stage, timing if done else None)

    def write_json(self, path: Path) -> None:
        path.write_text(json.dumps([asdict(s) for s in self.stages], indent=1) + "\n", encoding="utf-8")


@contextmanager
def optional_stage(timings: Timings | None, name: str) -> Iterator[Stage]:
    """`with optional_stage(timings, "check") as stage:` times the block when the caller asked for timings, and
    reports it to whoever shows progress; `stage` counts the work done in it (`fork_map(..., progress=stage)`)."""
    if timings is None:
        yield Stage(name)
    else:
        with timings.stage(name) as stage:
            yield stage
