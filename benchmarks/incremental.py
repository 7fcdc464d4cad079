"""The builds after the first, on a corpus already built once: CI-like, warm, one profile edited, warm again, and
Hugo's full build in the same run. `scale.py`'s own steps without its cold build, for a machine too busy to run it.

    .venv/bin/python -m benchmarks.corpus /tmp/c10k 10000
    .venv/bin/exemplars --root /tmp/c10k build -q          # the cold build, once
    .venv/bin/python benchmarks/incremental.py /tmp/c10k --work /tmp/incremental

Each build is measured as `scale.run_measured` measures it (wall and CPU of the build and all its workers), and its
stages are read from its `--timings`. Prints one line per build (results in benchmarks/README.md, "What the warm and
edited builds skip").
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.hugo_site import hugo_executable, write_hugo_site  # noqa: E402
from benchmarks.scale import Run, keep_only_ci_cache, measure_edited_build, run_measured  # noqa: E402


def _line(name: str, run: Run, timings: Path | None) -> str:
    """Each stage as `name wall/CPU`, and `∥` with the seconds it ran beside other stages (the search index, in a
    process of its own, beside the lists, feeds and data: the stages' walls then add up to more than the build's)."""
    stages = ""
    if timings is not None:
        stages = " | " + " ".join(
            f"{stage['name']} {stage['wall_s']:.1f}/{stage['cpu_s']:.1f}"
            + (f"∥{sum(stage['beside'].values()):.1f}" if stage.get("beside") else "")
            for stage in json.loads(timings.read_text())
        )
    return f"{name}: wall {run.wall_s:.1f} s, CPU {run.cpu_s:.1f} s, load {run.load_before:.1f}{stages}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path, help="a corpus built once (benchmarks/corpus.py)")
    parser.add_argument("--work", type=Path, default=Path("/tmp/incremental"))
    args = parser.parse_args()
    corpus, work = args.corpus.resolve(), args.work.resolve()
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    exemplars = str(Path(sys.executable).with_name("exemplars"))
    timings = work / "timings.json"
    build = [exemplars, "--root", str(corpus), "build", "--timings", str(timings), "--site-dir"]

    keep_only_ci_cache(corpus / ".cache", work / "aside")
    if (corpus / ".generated").exists():
        (corpus / ".generated").rename(work / "aside" / "generated")  # a fresh clone has none
    print(_line("CI-like", run_measured([*build, str(work / "site-ci")]), timings), flush=True)
    print(_line("warm", run_measured([*build, str(work / "site-warm")]), timings), flush=True)
    edited = measure_edited_build(corpus, build, work / "site-edited", work / "edited.log")
    print(_line("one profile edited", edited, timings), flush=True)
    print(_line("warm again", run_measured([*build, str(work / "site-warm-again")]), timings), flush=True)
    write_hugo_site(corpus, work / "hugo")
    hugo = [str(hugo_executable()), "--quiet", "--source", str(work / "hugo"), "--destination"]
    print(_line("Hugo", run_measured([*hugo, str(work / "hugo-site")]), None), flush=True)
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
