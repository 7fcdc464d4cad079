"""What showing a build's progress costs (engine/progress.py, engine/live.py).

    .venv/bin/python benchmarks/progress.py            # about half a minute

1. `fork_map` over 10,000 small items with 2 workers: counted as chunks return (what a pipe or CI gets: the chunks
   a build always makes) and counted for a terminal (16 chunks per worker, so the count moves): wall and CPU time
   of this process and its workers, median of 5;
2. the live display redrawing ten stage rows into a pseudo-terminal for 5 seconds: CPU time of its thread per
   second of build.

The whole build's overhead is measured with benchmarks/scale.py (piped, the CI mode) before and after, and with
one build under `script -qc` (a terminal); benchmarks/README.md, "Progress", has the figures.
"""

from __future__ import annotations

import os
import resource
import statistics
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from build_tools.engine.live import LiveDisplay  # noqa: E402
from build_tools.engine.parallel import fork_map  # noqa: E402
from build_tools.engine.stages import STAGES  # noqa: E402
from build_tools.engine.timings import Stage  # noqa: E402

ITEMS = 10_000
SAMPLES = 5


def _work(items: Sequence[int]) -> list[int]:
    """A few microseconds per item, a thousandth of what a story costs: the hand-offs weigh as much as they can."""
    return [sum(range(item % 7, 400)) for item in items]


def _cpu() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def time_fork_map(watched: bool) -> tuple[float, float]:
    walls, cpus = [], []
    for _ in range(SAMPLES):
        stage = Stage("stories", counted=True, watched=watched)
        wall, cpu = time.perf_counter(), _cpu()
        results = fork_map(_work, range(ITEMS), workers=2, progress=stage)
        walls.append(time.perf_counter() - wall)
        cpus.append(_cpu() - cpu)
        assert len(results) == ITEMS and stage.done == ITEMS
    return statistics.median(walls), statistics.median(cpus)


def time_redraws(seconds: float = 5.0) -> float:
    """CPU seconds the display takes per second of build, ten rows shown, one of them counting."""
    leader, follower = os.openpty()
    drained = threading.Thread(target=_drain, args=(leader,), daemon=True)
    drained.start()
    with open(follower, "w", encoding="utf-8", closefd=True) as terminal:
        display = LiveDisplay(terminal)
        with display:
            stages = [Stage(name, counted=True, watched=True) for name in list(STAGES)[:10]]
            for stage in stages[:-1]:
                display.stage_started(stage)
                stage.expect(1000)
                stage.advance(1000)
                display.stage_finished(stage, None)
            counting = stages[-1]
            display.stage_started(counting)
            counting.expect(10_000)
            start_cpu, start = time.process_time(), time.perf_counter()
            while time.perf_counter() - start < seconds:
                time.sleep(0.05)
                counting.advance(100)
            spent = time.process_time() - start_cpu
    os.close(leader)
    return spent / seconds


def _drain(fd: int) -> None:
    try:
        while os.read(fd, 65536):
            pass
    except OSError:
        pass


def main() -> None:
    plain_wall, plain_cpu = time_fork_map(watched=False)
    fine_wall, fine_cpu = time_fork_map(watched=True)
    print(f"fork_map, {ITEMS:,} items, 2 workers (median of {SAMPLES}):")
    print(f"  pipe/CI (8 chunks):      wall {plain_wall * 1000:.0f} ms, CPU {plain_cpu * 1000:.0f} ms")
    print(f"  terminal (32 chunks):    wall {fine_wall * 1000:.0f} ms, CPU {fine_cpu * 1000:.0f} ms")
    print(f"  difference per chunk:    CPU {(fine_cpu - plain_cpu) / 24 * 1000:.2f} ms")
    share = time_redraws()
    print(f"live display, 10 rows redrawn 5 times a second: {share * 100:.1f} % of a core")
    print(f"load average: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
