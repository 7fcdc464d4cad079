"""A data journalist's story: download every exemplar as CSV or JSON, open it in Excel, and trust the columns."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import sys
import tracemalloc
from collections.abc import Iterable, Iterator
from html import unescape
from pathlib import Path
from typing import Any

import pytest

from build_tools import generate as generate_module
from build_tools.content.catalogue import Catalogue
from build_tools.content.config import Settings, load_project
from build_tools.content.gather import gather
from build_tools.generate import generate
from build_tools.site import collection
from build_tools.site import story as story_module
from build_tools.site.opendata import COLUMNS, OpenData, Record, render_open_data

from .conftest import SiteFixture

SITE = "https://example.test/"
PUBLISHED = ["Trần Thị Lan", "Hợp tác xã Đồng Đăng", "Nguyễn Thị Hương", "Ban giảm nghèo bản Nậm Tăm"]


def data_file(site: SiteFixture, name: str) -> bytes:
    return (site.root / "site" / "du-lieu" / name).read_bytes()


def csv_rows(site: SiteFixture) -> list[dict[str, str]]:
    raw = data_file(site, "exemplars.csv")
    assert raw.startswith(b"\xef\xbb\xbf"), "Excel needs the UTF-8 byte-order mark to show Vietnamese"
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def json_rows(site: SiteFixture) -> list[dict[str, Any]]:
    return json.loads(data_file(site, "exemplars.json"))["exemplars"]


def by_name(rows: list[dict[str, Any]], name: str) -> dict[str, Any]:
    return next(row for row in rows if row["name"] == name)


def test_csv_has_one_row_per_published_exemplar_newest_first(newsroom: SiteFixture) -> None:
    rows = csv_rows(newsroom)
    assert [row["name"] for row in rows] == PUBLISHED
    assert data_file(newsroom, "exemplars.csv").count(b"\r\n") == len(rows) + 1


def test_csv_joins_multiple_values_with_semicolons(newsroom: SiteFixture) -> None:
    row = by_name(csv_rows(newsroom), "Hợp tác xã Đồng Đăng")
    assert row["fields"] == "nong-thon-moi;chuyen-doi-so"
    assert row["field_names"] == "Xây dựng nông thôn mới;Chuyển đổi số"
    assert row["plans"] == "lang-son-skhdt-2022-2025"
    lan = by_name(csv_rows(newsroom), "Trần Thị Lan")
    assert lan["awards"] == "Bằng khen của Bộ trưởng Bộ Y tế – Quyết định số 2345/QĐ-BYT – 2024-02-20"
    assert lan["sources"] == "https://example.vn/bai-bao"
    assert (lan["published"], lan["updated"]) == ("2024-03-01", "2024-04-02")


def test_data_give_the_province_as_recorded_and_as_today(newsroom: SiteFixture) -> None:
    for rows in (csv_rows(newsroom), json_rows(newsroom)):
        row = by_name(rows, "Nguyễn Thị Hương")
        assert (row["province"], row["province_name"]) == ("nam-dinh", "Tỉnh Nam Định")
        assert (row["province_today"], row["province_today_name"]) == ("ninh-binh", "Tỉnh Ninh Bình")


def test_data_link_the_story_and_its_photo_with_the_credit(newsroom: SiteFixture) -> None:
    row = by_name(json_rows(newsroom), "Trần Thị Lan")
    assert row["url"] == SITE + "guong/bac-si-lan-ha-noi/"
    assert row["photo_url"] == SITE + "guong/bac-si-lan-ha-noi/anh-1600.jpg"
    assert (newsroom.root / "site/guong/bac-si-lan-ha-noi/anh-1600.jpg").is_file()
    assert (row["photo_alt"], row["photo_credit"]) == ("Bác sĩ Lan khám cho một cụ bà", "Báo Hà Nội Mới")
    assert row["awards"] == [
        {"title": "Bằng khen của Bộ trưởng Bộ Y tế", "decision": "Quyết định số 2345/QĐ-BYT", "date": "2024-02-20"}
    ]
    assert row["id"] == "tag:example.test,2024-03-01:guong/bac-si-lan-ha-noi"
    assert row["story_html"] == "<p>Bác sĩ Lan khám miễn phí cho người cao tuổi mỗi sáng thứ Bảy.</p>"
    no_photo = by_name(json_rows(newsroom), "Nguyễn Thị Hương")
    assert no_photo["photo_url"] is None and no_photo["awards"] == [] and no_photo["updated"] is None


def test_data_hold_nothing_the_story_page_does_not_show(newsroom: SiteFixture) -> None:
    rows = json_rows(newsroom)
    assert [row["name"] for row in rows] == PUBLISHED  # the draft is not there
    assert "Bản Nháp Chưa Đăng" not in data_file(newsroom, "exemplars.csv").decode("utf-8-sig")
    for row in rows:
        assert list(row) == [column.name for column in COLUMNS]
        page = unescape(newsroom.built(f"guong/{row['slug']}/index.html"))
        for key in ("name", "locality", "organization", "summary", "photo_alt", "photo_credit"):
            if row[key]:
                assert row[key] in page, (row["slug"], key)
        for award in row["awards"]:
            assert award["decision"] in page


def test_hostile_content_is_defused_in_the_data(newsroom: SiteFixture) -> None:
    row = by_name(json_rows(newsroom), "Ban giảm nghèo bản Nậm Tăm")
    for forbidden in ("<script", "<iframe", "onclick", "onerror", "javascript:"):
        assert forbidden not in row["story_html"]
    assert f'href="{SITE}linh-vuc/giam-ngheo/"' in row["story_html"]
    # A cell starting with "=" would run as a formula in Excel.
    cell = by_name(csv_rows(newsroom), "Ban giảm nghèo bản Nậm Tăm")["organization"]
    assert cell == '\'=HYPERLINK("https://evil.example/")'
    # Nor would any value of a list once split on ";" as the data page says, spaces trimmed or not.
    tags = by_name(csv_rows(newsroom), "Ban giảm nghèo bản Nậm Tăm")["tags"]
    assert tags == 'giảm nghèo;\'=HYPERLINK("https://evil.example/"); \'+cmd|" /C calc"!A0'
    for value in tags.split(";"):
        assert not value.strip().startswith(("=", "+", "-", "@")), value


def test_plans_json_describes_each_plan_and_its_published_exemplars(newsroom: SiteFixture) -> None:
    document = json.loads(data_file(newsroom, "plans.json"))
    assert document["licence"] == "CC BY 4.0" and document["credit"] == "Nguồn: Gương thử nghiệm"
    [plan] = document["plans"]
    assert plan["id"] == "lang-son-skhdt-2022-2025" and plan["url"] == SITE + "ke-hoach/lang-son-skhdt-2022-2025/"
    assert plan["province_today"] == "lang-son"
    assert plan["exemplars"] == [SITE + "guong/htx-dong-dang-lang-son/"] and plan["exemplar_count"] == 1
    assert plan["fields"] and all(f["wording"] and f["field_ids"] for f in plan["fields"])
    assert "source_path" not in plan


def test_data_page_documents_exactly_the_columns_of_the_files(newsroom: SiteFixture) -> None:
    html = newsroom.built("du-lieu/index.html")
    table = html[html.index('class="ex-columns"') :].split("</table>")[0]
    documented = re.findall(r"<tr><td><code>([a-z_]+)</code></td>", table)
    assert documented == [column.name for column in COLUMNS]
    assert list(csv_rows(newsroom)[0]) == [c.name for c in COLUMNS if c.in_csv]
    assert "(không có trong CSV)" in table  # the full story is JSON-only, and the page says so
    for name in ("exemplars.json", "exemplars.csv", "plans.json", "datapackage.json"):
        assert f'href="{name}"' in html
    package = json.loads(data_file(newsroom, "datapackage.json"))
    resources = {r["path"]: r for r in package["resources"]}
    assert [f["name"] for f in resources["exemplars.csv"]["schema"]["fields"]] == list(csv_rows(newsroom)[0])
    for path, resource in resources.items():
        assert resource["bytes"] == len(data_file(newsroom, path))


def test_reuse_terms_and_credit_come_from_the_settings(site: SiteFixture) -> None:
    config = site.root / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "      feed_items: 50\n",
            "      feed_items: 50\n"
            "      licence: CC BY-SA 4.0\n"
            "      licence_url: https://creativecommons.org/licenses/by-sa/4.0/deed.vi\n"
            "      credit: 'Nguồn: Cổng thông tin tỉnh'\n",
        ),
        encoding="utf-8",
    )
    site.profile("mot-nguoi", name="Một Người")
    generate(site.project)
    generated = site.project.generated_dir
    data = json.loads((generated / "du-lieu/exemplars.json").read_text(encoding="utf-8"))
    assert (data["licence"], data["credit"]) == ("CC BY-SA 4.0", "Nguồn: Cổng thông tin tỉnh")
    feed = (generated / "feed.xml").read_text(encoding="utf-8")
    assert "Nội dung được cấp phép CC BY-SA 4.0 (https://creativecommons.org/licenses/by-sa/4.0/deed.vi)" in feed
    assert "Khi đăng lại, ghi: Nguồn: Cổng thông tin tỉnh – https://example.test/guong/mot-nguoi/" in feed
    assert "Nguồn: Cổng thông tin tỉnh" in site.generated("bao-chi/index.md")


def test_drafts_stay_out_of_feeds_and_data_even_in_the_preview(site: SiteFixture) -> None:
    site.profile("da-dang", name="Người Đã Đăng")
    site.profile("ban-nhap", name="Người Chưa Duyệt", published="2024-09-09", draft=True)
    generate(site.project, drafts=True)
    assert "Người Chưa Duyệt" in site.generated("guong/ban-nhap/index.md")  # the officer previews it
    for path in (
        "feed.xml",
        "atom.xml",
        "feed.json",
        "linh-vuc/day-tot-hoc-tot/feed.xml",
        "dia-phuong/ninh-binh/feed.xml",
        "du-lieu/exemplars.json",
        "du-lieu/exemplars.csv",
    ):
        text = site.generated(path)
        assert "Người Đã Đăng" in text and "Người Chưa Duyệt" not in text and "ban-nhap" not in text, path


def _profiles(site: SiteFixture, count: int) -> None:
    for number in range(count):
        day = 1 + number % 28
        site.profile(
            f"guong-{number:02d}", name=f"Người Thứ {number}", published=f"2024-{1 + number // 28:02d}-{day:02d}"
        )


def test_data_list_every_story_newest_first_one_line_each_when_many_workers_make_them(site: SiteFixture) -> None:
    """The records come back from the story workers a spool file at a time; the files still read as one list, in
    the documented shape a newsroom's script can also read line by line."""
    _profiles(site, 40)
    generate(site.project, workers=2)
    text = site.generated("du-lieu/exemplars.json")
    data = json.loads(text)
    rows = data.pop("exemplars")
    published = [row["published"] for row in rows]
    assert len(rows) == data["count"] == 40 and published == sorted(published, reverse=True)
    lines = ",\n".join("    " + json.dumps(row, ensure_ascii=False, separators=(",", ":")) for row in rows)
    head = json.dumps(data, ensure_ascii=False, indent=2).removesuffix("\n}")
    assert text == f'{head},\n  "exemplars": [\n{lines}\n  ]\n}}\n'
    table = list(csv.reader(io.StringIO(site.generated("du-lieu/exemplars.csv").removeprefix("\ufeff"), newline="")))
    assert [row[3] for row in table[1:]] == [row["name"] for row in rows]
    package = json.loads(site.generated("du-lieu/datapackage.json"))
    for resource in package["resources"]:
        assert resource["bytes"] == (site.project.generated_dir / "du-lieu" / resource["path"]).stat().st_size


def test_the_data_are_written_as_the_records_come_not_held_whole(site: SiteFixture, tmp_path: Path) -> None:
    """At 100,000 stories the records hold 400 MB of story HTML: the writer takes them one at a time from a
    single pass, and holds no more than a few of them at once."""
    _profiles(site, 40)
    cat = gather(site.project)
    story = "Câu chuyện dài về người tốt việc tốt ở bản Nậm Tăm. " * 4_000  # 200,000 characters, 0.4 MB held
    consumed: list[int] = []

    def records() -> Iterator[Record]:
        for e in cat.exemplars:
            consumed.append(len(consumed))
            yield Record.of(json.dumps({"slug": e.slug, "story_html": story}, ensure_ascii=False), (e.slug, e.name))

    tracemalloc.start()
    data = render_open_data(cat, site.project.settings, records(), tmp_path / "scratch")
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert consumed == list(range(40))
    whole = 40 * sys.getsizeof(story)
    assert peak < whole / 8, f"{peak:,} bytes held at once for {whole:,} of records"
    written = {f.path: f for f in data.files}
    text = (tmp_path / "scratch" / "exemplars.json").read_text(encoding="utf-8")
    assert written["du-lieu/exemplars.json"].size == len(text.encode("utf-8"))
    assert [row["slug"] for row in json.loads(text)["exemplars"]] == [e.slug for e in cat.exemplars]
    assert all(row["story_html"] == story for row in json.loads(text)["exemplars"])


def test_after_one_correction_the_data_carry_it_and_every_other_record_as_it_was(
    site: SiteFixture, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A newsroom downloads the data every night. An officer corrects one story: the next build's JSON and CSV carry
    the corrected record where it stood, every other record byte for byte as before, in the same order. The records
    are read from where the build keeps each story, not copied into a spool file first (5 kB a story: 500 MB a
    build at 100,000 stories): while the data are written, the build's working folder holds no file of records."""
    _profiles(site, 12)
    held = tmp_path / "held.txt"

    def watched(
        cat: Catalogue, settings: Settings, records: Iterable[Record], scratch: Path, kept: Path | None
    ) -> OpenData:
        folder = scratch.parent  # the build's working folder (engine/scratch.py); `scratch` is its `data/`
        files = sorted(entry.name for entry in folder.iterdir() if not entry.is_dir())
        with held.open("a", encoding="utf-8") as out:  # written where the data are made: a worker process
            out.write(" ".join(files) + "\n")
        return render_open_data(cat, settings, records, scratch, kept)

    monkeypatch.setattr(collection, "render_open_data", watched)
    generate(site.project, workers=2)
    before_json = site.generated("du-lieu/exemplars.json").splitlines()
    before_csv = site.generated("du-lieu/exemplars.csv").splitlines()
    site.profile(
        "guong-05",
        name="Người Thứ 5",
        published="2024-01-06",
        summary="Đính chính: ông giúp 120 hộ thoát nghèo, không phải 12.",
        body="Câu chuyện đã được đính chính: 120 hộ, không phải 12.",
    )
    generate(site.project, workers=2)
    after_json = site.generated("du-lieu/exemplars.json").splitlines()
    after_csv = site.generated("du-lieu/exemplars.csv").splitlines()

    for before, after in ((before_json, after_json), (before_csv, after_csv)):
        changed = [n for n, (old, new) in enumerate(zip(before, after, strict=True)) if old != new]
        assert len(changed) == 1, changed
        (line,) = changed
        assert "guong-05" in after[line] and "120 hộ" in after[line] and "120 hộ" not in before[line]
    rows = json.loads("\n".join(after_json))["exemplars"]
    assert [r["slug"] for r in rows] == [r["slug"] for r in json.loads("\n".join(before_json))["exemplars"]]
    assert "120 hộ, không phải 12" in next(r for r in rows if r["slug"] == "guong-05")["story_html"]
    assert len(rows) == len(after_csv) - 1 == 12

    assert held.read_text(encoding="utf-8").splitlines() == [".held", ".held"]


def test_the_data_after_a_correction_read_only_the_stories_made_again_and_are_what_a_fresh_build_makes(
    site: SiteFixture, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The data are kept between builds and spliced (`opendata._spliced`): a build reads the records of the stories
    it made again (the corrected one, and those that show it as a related story) and copies every other record from
    the last build's files; with nothing changed it reads none. The JSON and the CSV are byte for byte what a build
    of the same repository from nothing makes. Kept files damaged or their index lost make the data from every
    record again, never wrong data."""
    _profiles(site, 12)
    read: list[str] = []
    made: list[str] = []
    original_read, original_make = generate_module._KeptRecords.read, story_module.make_story

    def counted(self: generate_module._KeptRecords, key: str) -> Record:
        record = original_read(self, key)
        read.append(json.loads(record.json_line)["slug"])
        return record

    monkeypatch.setattr(generate_module._KeptRecords, "read", counted)
    monkeypatch.setattr(story_module, "make_story", lambda e, context: made.append(e.slug) or original_make(e, context))
    fresh_builds = iter(range(100))

    def build(recovering: bool = False) -> list[str]:
        """The slugs whose records this build read: those of the stories it made, unless it is `recovering` the kept
        data; its data compared with a build from nothing."""
        read.clear()
        made.clear()
        generate(site.project, workers=1)
        assert recovering or sorted(read) == sorted(made)
        result = sorted(read)
        fresh = tmp_path / f"fresh-{next(fresh_builds)}"
        shutil.copytree(site.root, fresh, ignore=shutil.ignore_patterns(".cache", ".generated", "site"))
        generate(load_project(fresh), workers=1)
        for name in ("exemplars.json", "exemplars.csv"):
            assert (site.root / ".generated" / "du-lieu" / name).read_bytes() == (
                fresh / ".generated" / "du-lieu" / name
            ).read_bytes()
        return result

    assert len(build()) == 12
    site.profile("guong-05", name="Người Thứ 5", published="2024-01-06", summary="Đính chính: 120 hộ, không phải 12.")
    corrected = build()
    assert "guong-05" in corrected and len(corrected) < 12, corrected
    site.profile("guong-moi", name="Người Mới", published="2024-06-01")
    assert "guong-moi" in build()
    shutil.rmtree(site.root / "exemplars" / "guong-03")
    build()
    assert "Người Thứ 3" not in site.generated("du-lieu/exemplars.csv")
    assert build() == []  # nothing changed: the last build's files themselves

    kept = site.project.cache_dir / "data"
    assert sorted(path.suffix for path in kept.iterdir()) == [".csv", ".json", ".pickle"]
    (kept / ".exemplars.0123.json.999.tmp").write_bytes(b'{"exemplars": [')  # a build killed while writing
    assert build() == []
    assert sorted(path.suffix for path in kept.iterdir()) == [".csv", ".json", ".pickle"]
    (json_file,) = kept.glob("*.json")
    json_file.write_bytes(json_file.read_bytes()[:-100])  # damaged
    assert len(build(recovering=True)) == 12
    (kept / "index.pickle").unlink()  # lost, as by a build stopped before writing it
    assert len(build(recovering=True)) == 12
