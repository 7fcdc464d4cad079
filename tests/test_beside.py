"""A maintainer's story: after an officer's edit, the search index is made in a process of its own while the lists,
the feeds and the data are made beside it, and the privacy scan in its own while MkDocs renders. Readers get the very
same site, byte for byte, as when one process does everything in turn; and when such a process fails or is killed,
the build fails with the message the maintainer would have read without it, and the published site stays as it was."""

from __future__ import annotations

import json
import os
import shutil
import signal
import time
from itertools import pairwise
from pathlib import Path

import pytest

from build_tools.build import build_site
from build_tools.cli import KEPT, main
from build_tools.content.config import load_project
from build_tools.content.problems import ContentError, Problem
from build_tools.site import collection

from .conftest import SiteFixture, eight_stories
from .test_reproducible import digests

ALONGSIDE = {"pages", "feeds_data", "mkdocs"}
"""The stages this process runs while the search index or the privacy scan runs in its own."""


@pytest.fixture
def stories(site: SiteFixture) -> SiteFixture:
    """Eight stories in two fields and two provinces: lists, feeds, data and a search index with something in each."""
    return eight_stories(site, "\n\n## Việc làm\n\nChi tiết {number}.")


def build(site: SiteFixture, workers: int, timings: Path | None = None) -> int:
    """`exemplars build` as the maintainer runs it, in this process (so a test may break the search index)."""
    args = ["--root", str(site.root), "build", "--quiet", "--workers", str(workers)]
    return main([*args, "--timings", str(timings)] if timings else args)


def fresh_site(site: SiteFixture, target: Path) -> dict[str, str]:
    """The same repository built from nothing, in one process (every stage in turn)."""
    shutil.copytree(site.root, target, ignore=shutil.ignore_patterns(".cache", ".generated", "site"))
    return digests(build_site(load_project(target), workers=1))


def test_the_search_index_made_beside_the_lists_gives_the_site_one_process_makes(
    stories: SiteFixture, tmp_path: Path
) -> None:
    timings = tmp_path / "timings.json"
    assert build(stories, 2, timings) == 0
    stages = {stage["name"]: stage for stage in json.loads(timings.read_text(encoding="utf-8"))}
    # Begun before the lists, in its own process: its time is its own, and it is taken in after the feeds and data.
    assert stages["search"]["start_s"] <= stages["pages"]["start_s"]
    names = [stage["name"] for stage in json.loads(timings.read_text(encoding="utf-8"))]
    assert names.index("search") == names.index("feeds_data") + 1
    assert digests(stories.root / "site") == fresh_site(stories, tmp_path / "fresh")

    # An officer's correction: the kept index brought up to date in its process, the rest beside it.
    profile = stories.root / "exemplars" / "guong-3" / "index.md"
    profile.write_text(profile.read_text(encoding="utf-8") + "\nAnh còn dạy bơi cho trẻ em trong xóm.\n", "utf-8")
    assert build(stories, 2, timings) == 0
    assert "dạy bơi" in stories.built("guong/guong-3/index.html")
    assert digests(stories.root / "site") == fresh_site(stories, tmp_path / "fresh-after-edit")


def test_with_one_worker_every_stage_runs_in_turn_and_none_beside_another(stories: SiteFixture, tmp_path: Path) -> None:
    timings = tmp_path / "timings.json"
    assert build(stories, 1, timings) == 0
    stages = json.loads(timings.read_text(encoding="utf-8"))
    assert [stage["name"] for stage in stages][3:6] == ["search", "pages", "feeds_data"]
    assert all(stage["beside"] == {} for stage in stages)
    for earlier, later in pairwise(stages):
        assert earlier["start_s"] + earlier["wall_s"] <= later["start_s"]


def test_two_workers_say_which_stages_ran_side_by_side_and_for_how_long(stories: SiteFixture, tmp_path: Path) -> None:
    timings = tmp_path / "timings.json"
    assert build(stories, 2, timings) == 0
    stages = {stage["name"]: stage for stage in json.loads(timings.read_text(encoding="utf-8"))}
    for name, stage in stages.items():
        for other, seconds in stage["beside"].items():
            assert stages[other]["beside"][name] == pytest.approx(seconds)  # told both ways, the same time
            assert 0 < seconds <= min(stage["wall_s"], stages[other]["wall_s"]) + 1e-9
            # Only these leave this process's turn: the search index (beside the lists, feeds and data) and the
            # privacy scan (beside MkDocs), each in a process of its own.
            assert {name, other} & {"search", "privacy"} and {name, other} <= {*ALONGSIDE, "search", "privacy"}
        ends = {other: stages[other]["start_s"] + stages[other]["wall_s"] for other in stages}
        overlapping = {
            other
            for other in stages
            if other != name
            and min(stage["start_s"] + stage["wall_s"], ends[other]) > max(stage["start_s"], stages[other]["start_s"])
        }
        assert set(stage["beside"]) == overlapping


def test_a_search_index_that_fails_in_its_process_fails_the_build_and_the_site_stays(
    stories: SiteFixture, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert build(stories, 2) == 0
    published = digests(stories.root / "site")
    capsys.readouterr()

    def broken(*args: object, **kwargs: object) -> object:
        raise ValueError("too many terms for the search index's packed postings")

    monkeypatch.setattr(collection, "build_search_index", broken)
    (stories.root / "exemplars" / "guong-2" / "index.md").write_text(
        (stories.root / "exemplars" / "guong-2" / "index.md").read_text(encoding="utf-8") + "\nMột đoạn mới.\n",
        encoding="utf-8",
    )
    assert build(stories, 2) == 2
    said = capsys.readouterr().err
    assert "Lỗi không mong đợi khi tạo trang; đây là lỗi của công cụ, không phải của hồ sơ." in said
    assert "Chi tiết: ValueError: too many terms for the search index's packed postings" in said
    assert said.rstrip().endswith(KEPT)
    assert digests(stories.root / "site") == published

    # A problem with the content found there reaches the officer as the same list of problems, file and line.
    def refused(*args: object, **kwargs: object) -> object:
        raise ContentError([Problem("exemplars/guong-2/index.md", 9, "name", "tên quá dài cho chỉ mục tìm kiếm")])

    monkeypatch.setattr(collection, "build_search_index", refused)
    assert build(stories, 2) == 1
    said = capsys.readouterr().err
    assert said.startswith("exemplars/guong-2/index.md:9: name: tên quá dài cho chỉ mục tìm kiếm\n1 lỗi\n")
    assert digests(stories.root / "site") == published


def test_a_search_process_killed_midway_fails_the_build_and_the_site_stays(
    stories: SiteFixture, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert build(stories, 2) == 0
    published = digests(stories.root / "site")
    capsys.readouterr()

    def killed(*args: object, **kwargs: object) -> object:
        os.kill(os.getpid(), signal.SIGKILL)  # as the system does to a process when memory runs out
        raise AssertionError("not reached")

    monkeypatch.setattr(collection, "build_search_index", killed)
    assert build(stories, 2) == 2
    said = capsys.readouterr().err
    assert said.startswith(
        "Một tiến trình con của lệnh tạo trang ở bước “Chỉ mục tìm kiếm” đã bị dừng giữa chừng (tín hiệu 9: thường do "
        "máy hết bộ nhớ). Đây không phải lỗi của hồ sơ. Hãy chạy lại lệnh;"
    )
    assert said.rstrip().endswith(KEPT)
    assert digests(stories.root / "site") == published


def test_when_the_lists_fail_the_search_process_is_stopped_not_left_running(
    stories: SiteFixture, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert build(stories, 2) == 0
    published = digests(stories.root / "site")
    pid_file = tmp_path / "search.pid"

    def slow(*args: object, **kwargs: object) -> object:
        pid_file.write_text(str(os.getpid()), encoding="utf-8")
        time.sleep(120)
        raise AssertionError("not reached")

    def broken_feeds(*args: object, **kwargs: object) -> object:
        deadline = time.monotonic() + 30
        while not pid_file.exists() and time.monotonic() < deadline:  # the search process is under way
            time.sleep(0.01)
        raise ValueError("feeds broken")

    monkeypatch.setattr(collection, "build_search_index", slow)
    monkeypatch.setattr(collection, "newsroom_files", broken_feeds)
    started = time.monotonic()
    assert build(stories, 2) == 2
    assert time.monotonic() - started < 60  # not waiting for the search process's two minutes
    assert "Chi tiết: ValueError: feeds broken" in capsys.readouterr().err
    with pytest.raises(ProcessLookupError):
        os.kill(int(pid_file.read_text(encoding="utf-8")), 0)  # stopped and reaped
    assert digests(stories.root / "site") == published


def test_personal_data_the_scan_beside_mkdocs_finds_fails_the_build_before_anything_is_published(
    site: SiteFixture, capsys: pytest.CaptureFixture[str]
) -> None:
    """The privacy scan runs in its own process while MkDocs renders: a number only a plan's page shows still stops
    the build with the plan's line, MkDocs' half-made site is thrown away, and the published site stays."""
    stories = site
    stories.plan("nam-dinh-2022-2025")
    stories.profile("co-giao-huong", plans=["nam-dinh-2022-2025"])
    assert build(stories, 2) == 0
    published = digests(stories.root / "site")
    capsys.readouterr()
    plan = stories.root / "plans" / "nam-dinh-2022-2025.yml"
    lines = plan.read_text(encoding="utf-8").splitlines()
    number = next(n for n, line in enumerate(lines) if line.startswith("issuer:"))
    lines[number] = 'issuer: "Ủy ban nhân dân thành phố Nam Định, ĐT 0912 345 678"'
    plan.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert build(stories, 2) == 1
    said = capsys.readouterr().err
    assert said.startswith(
        f"plans/nam-dinh-2022-2025.yml:{number + 1}: dòng này có số điện thoại `0912 345 678`. Không đăng số điện "
        "thoại cá nhân"
    )
    assert said.rstrip().endswith(KEPT)
    assert digests(stories.root / "site") == published
    assert not (stories.root / ".site.building").exists()  # MkDocs' staging site, thrown away
