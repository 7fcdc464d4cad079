"""Phone budget: Lighthouse (mobile emulation, simulated slow 4G and 4× CPU slowdown) on each page type.

Builds the repository's real content into a temporary folder, serves it gzip-compressed on 127.0.0.1
(benchmarks/serve.py), runs Lighthouse from benchmarks/node_modules (installed from package-lock.json with
`npm ci` on first use) against Debian's Chromium, and prints one Markdown table row per page: the median of
`--runs` runs for Performance, and the story's transfer size with and without its photo.

    .venv/bin/python benchmarks/lighthouse.py            # 3 runs per page
    .venv/bin/python benchmarks/lighthouse.py --runs 5 --json-dir /tmp/lh   # keep the reports

Targets (issue 9): Performance ≥ 95, Accessibility 100, Best Practices ≥ 95, SEO 100; a story page's total
transfer without its photo ≤ 150 KB compressed.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

from serve import start  # noqa: E402

from build_tools.build import build_site  # noqa: E402
from build_tools.content.config import load_project  # noqa: E402

CHROMIUM = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking "
    "--disable-component-update --disable-sync --disable-dev-shm-usage"
)
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
PAGES = (
    ("story, with photo", "guong/chi-hoi-phu-nu-thon-hoa-binh-bac-giang/"),
    ("story, no photo (drawn card)", "guong/do-minh-khoa-ha-noi/"),
    ("home", ""),
    ("field", "linh-vuc/day-tot-hoc-tot/"),
    ("province", "dia-phuong/ninh-binh/"),
    ("all stories", "nguoi-tot-viec-tot/"),
    ("search, open with results", "?q=gi%C3%A1o+vi%C3%AAn"),
)
"""The header search opens from `?q=` on any page (build_tools/theme/assets/exemplars/search.js)."""
TARGETS = {"performance": 95, "accessibility": 100, "best-practices": 95, "seo": 100}
STORY_BUDGET = 150 * 1024


@dataclass(frozen=True)
class Result:
    label: str
    path: str
    scores: dict[str, int]
    transfer: int
    """Bytes over the wire (compressed) for everything the page loaded."""
    photo: int
    """Of which: the story's own photo (files beside the story page)."""
    failed: tuple[str, ...]
    """Audits that lost points, for the record."""


def install_lighthouse() -> Path:
    binary = HERE / "node_modules" / ".bin" / "lighthouse"
    if not binary.exists():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=HERE, check=True)
    return binary


def run_once(binary: Path, url: str, out: Path, cpu_slowdown: float | None = None) -> dict:
    extra = [f"--throttling.cpuSlowdownMultiplier={cpu_slowdown}"] if cpu_slowdown else []
    subprocess.run(
        [
            str(binary),
            url,
            "--output=json",
            f"--output-path={out}",
            f"--only-categories={','.join(CATEGORIES)}",
            f"--chrome-flags={CHROME_FLAGS}",
            "--quiet",
            *extra,
        ],
        check=True,
        env={**os.environ, "CHROME_PATH": CHROMIUM},
    )
    return json.loads(out.read_text(encoding="utf-8"))


def summarise(label: str, path: str, reports: list[dict]) -> Result:
    scores = {"benchmark-index": round(statistics.median(r["environment"]["benchmarkIndex"] for r in reports))}
    for category in CATEGORIES:
        values = [round(r["categories"][category]["score"] * 100) for r in reports]
        scores[category] = round(statistics.median(values))
    median = sorted(reports, key=lambda r: r["categories"]["performance"]["score"])[len(reports) // 2]
    requests = median["audits"]["network-requests"]["details"]["items"]
    transfer = sum(item.get("transferSize", 0) for item in requests)
    photo = sum(
        item.get("transferSize", 0)
        for item in requests
        if item.get("resourceType") == "Image" and path.startswith("guong/") and f"/{path}" in item["url"]
    )
    failed = tuple(
        sorted(
            f"{audit_id} ({category})"
            for category in CATEGORIES
            for ref in median["categories"][category]["auditRefs"]
            if ref["weight"] > 0
            for audit_id in [ref["id"]]
            if (median["audits"][audit_id].get("score") is not None and median["audits"][audit_id]["score"] < 1)
        )
    )
    return Result(label, path, scores, transfer, photo, failed)


def main() -> int:
    parser = argparse.ArgumentParser(description="Lighthouse phone budget for each page type.")
    parser.add_argument("--runs", type=int, default=3, help="runs per page; the median is reported (default 3)")
    parser.add_argument("--json-dir", type=Path, default=None, help="keep the Lighthouse JSON reports here")
    parser.add_argument("--site-dir", type=Path, default=None, help="measure this built site instead of building")
    parser.add_argument(
        "--cpu-slowdown",
        type=float,
        default=None,
        help="Lighthouse's CPU slowdown (default 4, calibrated for hosts with a BenchmarkIndex above 1000)",
    )
    args = parser.parse_args()
    binary = install_lighthouse()
    work = Path(tempfile.mkdtemp(prefix="lighthouse-"))
    try:
        site_dir = args.site_dir or build_site(load_project(ROOT), work / "site")
        server = start(site_dir)
        base = f"http://127.0.0.1:{server.server_port}/"
        results = []
        for label, path in PAGES:
            reports = []
            for run in range(args.runs):
                name = re.sub(r"[^a-z0-9]+", "_", path.lower()).strip("_") or "home"
                out = (args.json_dir or work) / f"{name}-{run}.json"
                out.parent.mkdir(parents=True, exist_ok=True)
                reports.append(run_once(binary, base + path, out, args.cpu_slowdown))
            results.append(summarise(label, path, reports))
            print_row(results[-1], file=sys.stderr)
        server.shutdown()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    columns = ("Performance", "Accessibility", "Best Practices", "SEO", "transfer (gzip)", "without photo")
    print(f"| page | URL | {' | '.join(columns)} | BenchmarkIndex |")
    print("|---|---|---|---|---|---|---|---|---|")
    for result in results:
        print_row(result)
    misses = [
        f"{r.label}: {category} {r.scores[category]} < {target}"
        for r in results
        for category, target in TARGETS.items()
        if r.scores[category] < target
    ]
    misses += [
        f"{r.label}: {(r.transfer - r.photo) / 1024:.1f} KB without photo > 150 KB"
        for r in results
        if r.path.startswith("guong/") and r.transfer - r.photo > STORY_BUDGET
    ]
    for result in results:
        if result.failed:
            print(f"\n{result.label}: audits below full marks: {', '.join(result.failed)}", file=sys.stderr)
    print("\n" + ("All targets met." if not misses else "Targets missed:\n" + "\n".join(misses)))
    return 1 if misses else 0


def print_row(result: Result, file=sys.stdout) -> None:  # type: ignore[no-untyped-def]
    s = result.scores
    print(
        f"| {result.label} | `/{result.path}` | {s['performance']} | {s['accessibility']} | {s['best-practices']} "
        f"| {s['seo']} | {result.transfer / 1024:.1f} KB | {(result.transfer - result.photo) / 1024:.1f} KB "
        f"| {s['benchmark-index']} |",
        file=file,
    )


if __name__ == "__main__":
    sys.exit(main())
