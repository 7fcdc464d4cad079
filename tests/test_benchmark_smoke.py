"""The scale benchmark at N = 100, as CI runs it: it must complete and report every figure (no timing asserted)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def test_scale_benchmark_runs_at_one_hundred_profiles(tmp_path: Path) -> None:
    report_path = tmp_path / "scale.json"
    done = subprocess.run(
        [
            sys.executable,
            str(REPO / "benchmarks" / "scale.py"),
            "100",
            "--work",
            str(tmp_path),
            "--json",
            str(report_path),
            "--repeat",  # two of each repeated build: enough to check the alternation and the median
            "2",
        ],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    report = json.loads(report_path.read_text(encoding="utf-8"))
    assert {"date", "cpu", "cores", "ram_gib", "hugo", "mkdocs"} <= set(report["machine"])
    [result] = report["results"]
    assert result["n"] == 100 and result["identical"] is True
    for run in ("cold", "ci_like", "warm", "edited", "hugo"):
        assert {"wall_s", "cpu_s", "peak_mib", "load_before"} <= set(result[run])
    assert set(result["stages"]) == {
        "check",
        "generate",
        "search index",
        "feeds and data",
        "privacy scan",
        "MkDocs",
    }
    assert {"story_median_bytes", "home_bytes", "total_bytes"} <= set(result["sizes"])
    assert result["feeds"]["count"] > 0 and result["feeds"]["max_bytes"] > 0
    assert len(result["search"]["queries"]) == 20
    assert len(result["preview"]["visible_s"]) == 3 and result["preview"]["caught_up_s"] is not None
    assert {"cold_wall_vs_hugo", "ci_like_wall_vs_hugo", "warm_wall_vs_hugo", "edited_wall_vs_hugo"} <= set(
        result["ratios"]
    )
    assert "preview_vs_hugo_build" in result["ratios"]
    # The search index runs beside the lists (in "generate") and the feeds and data: each side counts that time.
    stages = result["stages"]
    beside = stages["generate"]["beside_s"] + stages["feeds and data"]["beside_s"]
    assert stages["search index"]["beside_s"] == pytest.approx(beside)
    # The CI-like build (only what deploy.yml restores) has its own stages and samples beside the warm one.
    assert set(result["ci_like_stages"]) == set(result["stages"])
    # The CI-like builds ran on a fresh checkout (every file new) in the corpus's own folder, their site the cold
    # build's; the corpus, which the warm builds use, kept every file where it was.
    checkout = result["ci_like_checkout"]
    assert checkout["files"] > 100 and checkout["new_files"] == checkout["files"]
    assert Path(checkout["path"]) == (tmp_path / "corpus-100").resolve()
    assert checkout["corpus_untouched"] is True and checkout["site_identical"] is True
    assert not (tmp_path / "corpus-100.kept").exists()
    # Warm builds and Hugo's alternate; the median of each (of two, the slower) is the one reported.
    assert len(result["warm_samples"]) == len(result["ci_like_samples"]) == len(result["hugo_samples"]) == 2
    assert result["warm"]["wall_s"] == sorted(result["warm_samples"])[1]
    assert result["hugo"]["wall_s"] == sorted(result["hugo_samples"])[1]
    assert "| **ours ÷ Hugo**, wall (CPU) |" in done.stdout
    assert "| CI-like ÷ Hugo, wall (CPU) |" in done.stdout and "| one profile edited, cache warm |" in done.stdout
