"""Wall time, CPU time and peak memory of each stage of a build: what `exemplars build --timings` writes.

The scale benchmark reads it to split a build into check, generate, search index, feeds and data, and MkDocs.
CPU time counts this process and the worker processes a stage waited for; on a shared machine it is the steadier
figure, wall time the one a user feels. Peak memory is the high-water mark of the largest single process so far.

The same stage boundaries drive what a build shows while it runs (engine/progress.py): a listener is told when a
stage starts and ends, and reads how much of it is done from its `Stage`, so the display and the JSON never disagree.
"""

from __future__ import annotations

import json
import resource
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Protocol


@dataclass(frozen=True)
class StageTiming:
    name: str
    wall_s: float
    cpu_s: float
    """User + system time of this process and of the children it reaped during the stage."""
    peak_mib: float
    """Largest resident set of this process or of any reaped child, from the start of the build to the stage's end."""


def _cpu() -> float:
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

    @contextmanager
    def stage(self, name: str) -> Iterator[Stage]:
        counted = any(listener.counted for listener in self.listeners)
        current = Stage(name, counted=counted, watched=any(listener.watched for listener in self.listeners))
        for listener in self.listeners:
            listener.stage_started(current)
        wall, cpu = time.perf_counter(), _cpu()
        timing = None
        try:
            yield current
            timing = StageTiming(name, time.perf_counter() - wall, _cpu() - cpu, peak_mib())
        finally:
            self.stages.append(timing or StageTiming(name, time.perf_counter() - wall, _cpu() - cpu, peak_mib()))
            for listener in self.listeners:
                listener.stage_finished(current, timing)

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
