"""A maintainer's story: a build spread over several processes (the default on a machine with several cores) gives
the very same site as one process, so what readers get never depends on the machine that built it."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest

from build_tools.content.config import load_project
from build_tools.content.gather import gather
from build_tools.engine.parallel import fork_map
from build_tools.engine.timings import Stage
from build_tools.site import search
from build_tools.site.search import build_search_index
from build_tools.site.search_documents import SearchDocument

from .conftest import copy_repository
from .test_reproducible import digests

EXEMPLARS = Path(sys.executable).with_name("exemplars")
WORDS = [
    "người",
    "tốt",
    "việc",
    "tốt",
    "giáo",
    "viên",
    "nông",
    "dân",
    "hợp",
    "tác",
    "xã",
    "Đắk",
    "Lắk",
    "Hà",
    "Nội",
    "chuyển",
    "đổi",
    "số",
    "thanh",
    "niên",
    "tình",
    "nguyện",
]


def test_one_process_and_three_build_the_same_site(tmp_path: Path) -> None:
    sites = {}
    for workers in ("1", "3"):
        repo = copy_repository(tmp_path / workers)
        env = {**os.environ, "EXEMPLARS_WORKERS": workers}
        result = subprocess.run([EXEMPLARS, "--root", repo, "build"], env=env, capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
        sites[workers] = digests(repo / "site")
    assert sorted(sites["1"]) == sorted(sites["3"])
    assert [path for path in sites["1"] if sites["1"][path] != sites["3"][path]] == []


def _documents(count: int) -> list[SearchDocument]:
    """Stories made of a few words each, in varied mixes, so terms are shared across any cut."""
    return [
        SearchDocument(
            url=f"guong/mau-{number}/",
            title=f"Gương {WORDS[number % len(WORDS)]} {number}",
            kind="ca-nhan",
            meta=((8.0, f"{WORDS[number % 7]} {WORDS[number % 11]}"), (2.0, WORDS[number % 13])),
            body=" ".join(WORDS[(number * k) % len(WORDS)] for k in range(1, 60)),
            summary=WORDS[number % 5],
            facets=(("linh-vuc", "nong-thon-moi"),) if number % 3 else (),
        )
        for number in range(count)
    ]


def test_the_search_index_is_the_same_when_shares_of_it_are_indexed_apart(real_site: Path) -> None:
    catalogue = gather(load_project(real_site.parent))
    documents = _documents(1_200)  # enough for the index to be made in shares
    alone = build_search_index(catalogue, documents, workers=1)
    shared = build_search_index(catalogue, documents, workers=2)
    assert alone.files == shared.files and alone.version == shared.version


def test_the_search_index_is_the_same_when_read_and_joined_in_many_pieces(
    real_site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At 100,000 stories the index is made in pieces so no process holds every posting (benchmarks/README.md,
    "Memory (issue 21)"): cut into a few pieces here, it gives the same files, on one core or two."""
    catalogue = gather(load_project(real_site.parent))
    documents = _documents(600)
    whole = build_search_index(catalogue, documents, workers=1)
    monkeypatch.setattr(search, "PIECE_CHARS", sum(len(d.body) for d in documents) // 5)
    for workers in (1, 2):
        cut = build_search_index(catalogue, documents, workers=workers)
        assert cut.files == whole.files and cut.version == whole.version


def _pid_and_item(items: Sequence[int]) -> list[tuple[int, int]]:
    return [(os.getpid(), item) for item in items]


class _RecordedStage(Stage):
    """A stage as a terminal's display reads it, remembering each step by which its count moved."""

    def __init__(self) -> None:
        super().__init__("stories", counted=True, watched=True)
        self.steps: list[int] = []

    def advance(self, pieces: int = 1) -> None:
        self.steps.append(pieces)
        super().advance(pieces)


def test_work_done_in_forked_workers_moves_the_count_and_keeps_its_order() -> None:
    for workers in (2, 1):
        stage = _RecordedStage()
        results = fork_map(_pid_and_item, range(500), workers=workers, progress=stage)
        assert [item for _, item in results] == list(range(500))
        assert (stage.done, stage.total) == (500, 500)
        assert len(stage.steps) > 8  # in finer steps than the chunks a build makes when nobody watches
        assert (os.getpid() in {pid for pid, _ in results}) == (workers == 1)
