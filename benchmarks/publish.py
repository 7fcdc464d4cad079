"""Benchmark: what atomic publishing costs on top of a build, for a site of N files.

    .venv/bin/python benchmarks/publish.py 1000 10000 50000

For each N it writes a synthetic site of N files (8 kB each, 50 per folder) as MkDocs would into the staging folder,
then times `publish()` (flush with syncfs, one renameat2 exchange, removal of the previous site) against the old
way (two renames, no flush), and the flush alone done file by file with fsync (the fallback where syncfs is
missing). The folder is on the same filesystem as the repository, like the real `site/`.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from build_tools.engine import publish  # noqa: E402

PAGE = os.urandom(8192)


def write_site(folder: Path, files: int) -> None:
    for index in range(files):
        target = folder / f"d{index // 50:05d}" / f"f{index:06d}.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(PAGE)


def timed(action) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    wall, cpu = time.perf_counter(), time.process_time()
    action()
    return time.perf_counter() - wall, time.process_time() - cpu


def measure(files: int, workdir: Path) -> dict[str, tuple[float, float]]:
    site = workdir / "site"
    shutil.rmtree(site, ignore_errors=True)
    write_site(site, files)
    results = {}

    staging = publish.staging_dir(site)
    write_site(staging, files)
    results["publish (syncfs + exchange + cleanup)"] = timed(lambda: publish.publish(staging, site))

    write_site(staging, files)
    syncfs = publish._syncfs
    publish._syncfs = None
    try:
        results["flush file by file (fsync fallback)"] = timed(lambda: publish._sync_tree(staging))
    finally:
        publish._syncfs = syncfs

    retired = publish.retired_dir(site)

    def two_renames() -> None:
        os.replace(site, retired)
        os.replace(staging, site)
        shutil.rmtree(retired)

    results["old swap (two renames + cleanup, no flush)"] = timed(two_renames)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[1000, 10000])
    args = parser.parse_args()
    print(f"renameat2: {'yes' if publish._rename_function else 'no'}; syncfs: {'yes' if publish._syncfs else 'no'}")
    print("| files | step | wall | CPU |")
    print("|---|---|---|---|")
    with tempfile.TemporaryDirectory(dir=ROOT) as folder:
        for files in args.sizes:
            for step, (wall, cpu) in measure(files, Path(folder)).items():
                print(f"| {files:,} | {step} | {wall:.2f} s | {cpu:.2f} s |")


if __name__ == "__main__":
    main()
