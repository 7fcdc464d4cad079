"""Benchmark: what `exemplars deploy` sends and how long it takes, for a corpus of N profiles.

    .venv/bin/python benchmarks/deploy.py 1000

Writes the corpus (`corpus.py`), builds it, starts `rclone serve s3` over a temporary folder on loopback (as
`tests/test_deploy.py` does), then times three deploys: the first (everything), a second with nothing changed, and a
third after one profile's story was edited and the site rebuilt. For each: files sent (by step), files deleted,
wall time. Loopback has no latency: on a real bucket each file sent costs a round trip or more, so the counts matter
more than the seconds.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.corpus import write_corpus  # noqa: E402
from build_tools.build import build_site  # noqa: E402
from build_tools.content.config import load_project  # noqa: E402
from build_tools.engine import deploy  # noqa: E402


def _serve(folder: Path, config: Path) -> tuple[subprocess.Popen[bytes], dict[str, str]]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    rclone = deploy.find_rclone()
    environment = {**os.environ, "RCLONE_CONFIG": str(config)}
    keys = "khoa-do-hieu-nang,bi-mat-do-hieu-nang"
    command = [rclone, "serve", "s3", "--auth-key", keys, "--addr", f"127.0.0.1:{port}", str(folder)]
    server = subprocess.Popen(command, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(200):
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                break
        time.sleep(0.1)
    access, secret = keys.split(",")
    environment |= {
        "RCLONE_CONFIG_KHO_TYPE": "s3",
        "RCLONE_CONFIG_KHO_PROVIDER": "Rclone",
        "RCLONE_CONFIG_KHO_ENDPOINT": f"http://127.0.0.1:{port}",
        "RCLONE_CONFIG_KHO_ACCESS_KEY_ID": access,
        "RCLONE_CONFIG_KHO_SECRET_ACCESS_KEY": secret,
    }
    return server, environment


def _deploy(site: Path, label: str) -> None:
    started = time.perf_counter()
    with deploy.source_tree(site) as source:
        plan = deploy.plan_deploy(source, "kho:trang")
        planned = time.perf_counter() - started
        report = deploy.run_deploy(source, "kho:trang", plan, say=lambda line: None)
    wall = time.perf_counter() - started
    steps = Counter(deploy.step_of(t.path).number for t in report.uploaded)
    by_step = ", ".join(f"step {number}: {count}" for number, count in sorted(steps.items()))
    files = sum(1 for path in site.rglob("*") if path.is_file())
    print(
        f"| {label} | {files:,} | {len(report.uploaded):,} ({by_step or '–'}) | {len(report.deleted):,} | "
        f"{planned:.1f} s | {wall:.1f} s |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, nargs="?", default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-deploy-") as scratch:
        work = Path(scratch)
        write_corpus(work / "repo", args.n)
        project = load_project(work / "repo")
        site = build_site(project)
        (work / "kho").mkdir()
        (work / "rclone.conf").write_text("", encoding="utf-8")
        server, environment = _serve(work / "kho", work / "rclone.conf")
        os.environ.update(environment)
        try:
            print(f"N = {args.n:,}\n")
            print("| deploy | files in site/ | sent (by step) | deleted | plan | total |")
            print("|---|---|---|---|---|---|")
            _deploy(site, "first")
            _deploy(site, "nothing changed")
            stories = sorted((work / "repo" / "exemplars").rglob("index.md"))
            story = stories[len(stories) // 2]
            story.write_text(story.read_text(encoding="utf-8") + "\nMột câu thêm vào câu chuyện.\n", encoding="utf-8")
            site = build_site(project)
            _deploy(site, "one story edited")
        finally:
            server.terminate()
            server.wait()


if __name__ == "__main__":
    main()
