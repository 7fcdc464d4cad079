"""A national archive's story: at 100,000 profiles no process of the build may hold every story's text, yet every
story still reaches its page, and a broken one is still reported with its file and line."""

from __future__ import annotations

import json
import pickle
import tracemalloc

import pytest

from build_tools.content.gather import gather
from build_tools.content.privacy import findings_in_output
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


def _open_data(count: int, phone_in: int) -> bytes:
    """A data file shaped like `exemplars.json`: an indented head, then one story a line, each story's HTML with
    quotes, backslashes and line breaks (escaped in JSON)."""
    story = '<p>Chị nói: "làm \\\\ học"</p>\n' * 100
    head = json.dumps({"title": "Gương", "count": count}, ensure_ascii=False, indent=2).removesuffix("\n}")
    rows = [
        json.dumps({"slug": f"guong-{n}", "story_html": story + ("<p>Gọi 0912 345 678</p>" if n == phone_in else "")})
        for n in range(count)
    ]
    return (head + ',\n  "exemplars": [\n' + ",\n".join("    " + row for row in rows) + "\n  ]\n}\n").encode()


def test_the_privacy_scan_reads_a_large_data_file_a_line_at_a_time() -> None:
    """`exemplars.json` is 400 MB at 100,000 stories: the scan still finds a phone number deep inside one story's
    escaped HTML, and what it holds does not grow with the file (parsed whole, it held four times the file)."""
    peaks = []
    for count in (50, 400):
        data = _open_data(count, phone_in=count - 7)
        assert len(json.loads(data)["exemplars"]) == count
        tracemalloc.start()
        findings = findings_in_output("du-lieu/exemplars.json", data)
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
        assert [finding.value for finding in findings] == ["0912345678"]
    small, large = peaks
    assert large < small * 1.5, f"{small:,} bytes held for 50 stories, {large:,} for 400"
