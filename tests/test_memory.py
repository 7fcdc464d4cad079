"""A national archive's story: at 100,000 profiles no process of the build may hold every story's text, yet every
story still reaches its page, and a broken one is still reported with its file and line."""

from __future__ import annotations

import pickle

import pytest

from build_tools.content.gather import gather
from build_tools.content.problems import ContentError
from build_tools.generate import generate

from .conftest import SiteFixture

STORY = "Chị Hoa mở lớp học tình thương cho trẻ em vùng cao, mỗi tối sau giờ làm đồng. " * 120  # ~9,600 characters


def test_the_catalogue_holds_no_story_yet_every_page_shows_its_own(site: SiteFixture) -> None:
    for number in range(20):
        site.profile(f"guong-{number:02d}", body=f"Câu chuyện số {number}. {STORY}", name=f"Người Thứ {number}")
    catalogue = gather(site.project)
    assert all(e.body_markdown is None for e in catalogue.exemplars)
    # Forked workers inherit the catalogue: it weighs less than the stories it renders, not their sum.
    assert len(pickle.dumps(catalogue)) < 20 * len(STORY.encode()) / 4
    generate(site.project, workers=2)
    for number in range(20):
        page = site.generated(f"guong/guong-{number:02d}/index.md")
        assert f"Câu chuyện số {number}." in page and "lớp học tình thương" in page


def test_a_story_broken_after_the_first_line_is_still_reported_with_its_line(site: SiteFixture) -> None:
    site.profile("dung", name="Người Đúng")
    path = site.profile("sai", body="Đoạn đầu.\n\nLiên hệ 0912 345 678 để biết thêm.", name="Người Sai")
    line = next(n for n, text in enumerate(path.read_text(encoding="utf-8").split("\n"), 1) if "0912" in text)
    with pytest.raises(ContentError) as caught:
        generate(site.project)
    [problem] = caught.value.problems
    assert (problem.path, problem.line) == ("exemplars/sai/index.md", line)
