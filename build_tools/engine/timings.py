"""Wall time, CPU time and peak memory of each stage of a build: what `exemplars build --timings` writes.

The scale benchmark reads it to split a build into check, generate, search index, feeds and data, and MkDocs.
CPU time counts this process and the worker processes a stage waited for; on a shared machine it is the steadier
figure, wall time the one a user feels. Peak memory is the high-water mark of the largest single process so far.
"""

from __future__ import annotations

import json
import resource
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path


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


@dataclass
class Timings:
    stages: list[StageTiming] = field(default_factory=list)

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        wall, cpu = time.perf_counter(), _cpu()
        try:
            yield
        finally:
            self.stages.append(StageTiming(name, time.perf_counter() - wall, _cpu() - cpu, peak_mib()))

    def write_json(self, path: Path) -> None:
        path.write_text(json.dumps([asdict(s) for s in self.stages], indent=1) + "\n", encoding="utf-8")


@contextmanager
def optional_stage(timings: Timings | None, name: str) -> Iterator[None]:
    """`with optional_stage(timings, "check"):` times the block when the caller asked for timings."""
    if timings is None:
        yield
    else:
        with timings.stage(name):
            yield
