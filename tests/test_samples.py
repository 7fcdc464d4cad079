"""A reader, a newsroom and a machine meet a sample profile: every surface says it is sample data, a real profile
carries no such mark, and the site-wide notice is there exactly while a sample is published."""

from __future__ import annotations

import csv
import io
import json
import re
from html import unescape
from pathlib import Path

import feedparser
import pytest
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from build_tools.build import build_site
from build_tools.content.model import SAMPLE_NOTE

from .conftest import SiteFixture

SAMPLE = "guong/lo-van-mau-lai-chau/"
REAL = "guong/tran-thi-lan-ha-noi/"
NOTICE_PAGES = ("index.html", "bao-chi/index.html", "du-lieu/index.html")


def add_real(site: SiteFixture) -> None:
    site.profile(
        "tran-thi-lan-ha-noi",
        body="Bác sĩ Lan khám miễn phí cho người cao tuổi mỗi sáng thứ Bảy.",
        name="Trần Thị Lan",
        fields=["y-te"],
        province="ha-noi",
        summary="Bác sĩ trạm y tế phường, mười năm khám miễn phí cho người cao tuổi.",
        awards=[{"title": "Bằng khen của Bộ trưởng Bộ Y tế", "decision": "Quyết định số 2345/QĐ-BYT"}],
        published="2024-03-01",
    )


@pytest.fixture(scope="module")
def mixed(tmp_path_factory: pytest.TempPathFactory) -> SiteFixture:
    """One sample and one real profile in the same field, so each appears on the other's page and lists."""
    site = SiteFixture(tmp_path_factory.mktemp("samples") / "repo")
    site.profile(
        "lo-van-mau-lai-chau",
        body="> **Dữ liệu mẫu:** hồ sơ minh họa.\n\nÔng Mẫu vận động bà con đưa trẻ đến trạm y tế tiêm chủng.",
        name="Lò Văn Mẫu",
        fields=["y-te"],
        province="lai-chau",
        summary="Người có uy tín vận động bà con tiêm chủng đầy đủ.",
        awards=[{"title": "Giấy khen của Chủ tịch UBND huyện", "decision": "Quyết định số …/QĐ-UBND"}],
        sources=None,
        published="2024-05-01",
        sample=True,
    )
    add_real(site)
    build_site(site.project)
    return site


@pytest.fixture(scope="module")
def real_only(tmp_path_factory: pytest.TempPathFactory) -> SiteFixture:
    site = SiteFixture(tmp_path_factory.mktemp("real-only") / "repo")
    add_real(site)
    build_site(site.project)
    return site


def story_part(site: SiteFixture, url: str) -> str:
    """The story page without its related stories (which may be the other profile's card)."""
    return site.built(url + "index.html").split('<h2 id="guong-dien-hinh-lien-quan"')[0]


def card_of(site: SiteFixture, page: str, url_end: str) -> str:
    cards = HTMLParser(site.built(page)).css("ul.ex-cards > li")
    [card] = [c for c in cards if (c.css_first("a").attributes.get("href") or "").endswith(url_end)]
    return card.html or ""


def test_the_sample_story_says_so_before_its_name_and_its_decision_is_a_placeholder(mixed: SiteFixture) -> None:
    page = story_part(mixed, SAMPLE)
    banner = page.index('<p class="ex-sample-banner" role="note"><strong class="ex-sample-tag">Dữ liệu mẫu</strong>')
    assert banner < page.index('<h1 id="lo-van-mau">Lò Văn Mẫu</h1>')
    assert "không phải một gương điển hình có thật" in page
    assert 'Quyết định số …/QĐ-UBND <em class="ex-sample-note">(số quyết định minh họa)</em>' in page


def test_the_real_story_carries_no_sample_mark(mixed: SiteFixture) -> None:
    page = story_part(mixed, REAL)
    assert "Quyết định số 2345/QĐ-BYT" in page
    assert "ex-sample" not in page and "Dữ liệu mẫu" not in page and "minh họa" not in page


LISTS = ("nguoi-tot-viec-tot/index.html", "linh-vuc/y-te/index.html", "loai/ca-nhan/index.html")


@pytest.mark.parametrize("page", LISTS)
def test_cards_on_every_list_mark_the_sample_only(mixed: SiteFixture, page: str) -> None:
    assert '<strong class="ex-sample-tag">Dữ liệu mẫu</strong> Cá nhân' in card_of(mixed, page, "lo-van-mau-lai-chau/")
    assert "Dữ liệu mẫu" not in card_of(mixed, page, "tran-thi-lan-ha-noi/")


def test_the_related_card_on_a_real_story_marks_the_sample(mixed: SiteFixture) -> None:
    related = card_of(mixed, REAL + "index.html", "lo-van-mau-lai-chau/")
    assert '<strong class="ex-sample-tag">Dữ liệu mẫu</strong>' in related


def search_results(site: SiteFixture) -> dict[str, dict]:
    files = (site.root / "site" / "search" / "d").glob("*.json")
    fragments = [fragment for path in files for fragment in json.loads(path.read_bytes())["x"]]  # a few per file
    return {f["u"]: f for f in fragments}


def test_the_search_result_fragment_flags_the_sample_only(mixed: SiteFixture) -> None:
    """What the search client reads for each result; tests/test_search_browser.py sees the label it shows."""
    results = search_results(mixed)
    assert results[SAMPLE]["m"] == 1
    assert "m" not in results[REAL]


def test_every_feed_format_marks_the_sample_in_title_category_and_description(mixed: SiteFixture) -> None:
    for path in ("feed.xml", "atom.xml", "linh-vuc/y-te/feed.xml", "dia-phuong/lai-chau/feed.xml"):
        entries = {e.link: e for e in feedparser.parse((mixed.root / "site" / path).read_bytes()).entries}
        sample, real = entries["https://example.test/" + SAMPLE], entries.get("https://example.test/" + REAL)
        assert sample.title == "[Dữ liệu mẫu] Lò Văn Mẫu", path
        assert "Dữ liệu mẫu" in [t.get("label") or t.term for t in sample.tags], path
        assert unescape(sample.summary).startswith(SAMPLE_NOTE), path
        assert "(số quyết định minh họa)" in sample.content[0].value, path
        if real is not None:
            assert real.title == "Trần Thị Lan" and "Dữ liệu mẫu" not in json.dumps(real, default=str), path
    items = {i["url"]: i for i in json.loads(mixed.built("feed.json"))["items"]}
    sample, real = items["https://example.test/" + SAMPLE], items["https://example.test/" + REAL]
    assert sample["title"] == "[Dữ liệu mẫu] Lò Văn Mẫu" and sample["summary"].startswith(SAMPLE_NOTE)
    assert "Dữ liệu mẫu" in sample["tags"] and sample["_exemplar"]["sample"] is True
    assert real["title"] == "Trần Thị Lan" and real["_exemplar"]["sample"] is False
    assert "Dữ liệu mẫu" not in json.dumps(real, ensure_ascii=False)


def test_json_and_csv_open_data_carry_a_sample_column_documented_once(mixed: SiteFixture) -> None:
    data = json.loads(mixed.built("du-lieu/exemplars.json"))
    assert {e["slug"]: e["sample"] for e in data["exemplars"]} == {
        "lo-van-mau-lai-chau": True,
        "tran-thi-lan-ha-noi": False,
    }
    rows = list(csv.DictReader(io.StringIO(mixed.built("du-lieu/exemplars.csv").lstrip("\ufeff"))))
    assert {r["slug"]: r["sample"] for r in rows} == {"lo-van-mau-lai-chau": "true", "tran-thi-lan-ha-noi": "false"}
    package = json.loads(mixed.built("du-lieu/datapackage.json"))
    [csv_resource] = [r for r in package["resources"] if r["format"] == "csv"]
    assert {"name": "sample", "type": "boolean"}.items() <= next(
        f for f in csv_resource["schema"]["fields"] if f["name"] == "sample"
    ).items()
    page = mixed.built("du-lieu/index.html")
    assert re.search(r"<td><code>sample</code></td><td>đúng/sai</td><td><code>true</code> nếu là hồ sơ mẫu", page)
    plans = json.loads(mixed.built("du-lieu/plans.json"))
    assert all(p["exemplar_count"] == len(p["exemplars"]) for p in plans["plans"])


def head_tags(site: SiteFixture, url: str) -> tuple[dict, str]:
    tree = HTMLParser(site.built(url + "index.html"))
    json_ld = json.loads(tree.css_first('script[type="application/ld+json"]').text())
    og = tree.css_first('meta[property="og:description"]').attributes["content"] or ""
    return json_ld, og


def test_json_ld_and_open_graph_describe_the_sample_as_such(mixed: SiteFixture) -> None:
    json_ld, og = head_tags(mixed, SAMPLE)
    assert og.startswith(SAMPLE_NOTE)
    assert json_ld["creativeWorkStatus"] == "Dữ liệu mẫu"
    # The exemplar's description says so; the page's own is the <head>'s (`og:description`, above), not repeated.
    assert json_ld["mainEntity"]["description"].startswith(SAMPLE_NOTE) and "description" not in json_ld
    assert json_ld["mainEntity"]["award"] == [
        "Giấy khen của Chủ tịch UBND huyện (Quyết định số …/QĐ-UBND, số quyết định minh họa)"
    ]
    json_ld, og = head_tags(mixed, REAL)
    assert og == "Bác sĩ trạm y tế phường, mười năm khám miễn phí cho người cao tuổi."
    assert "creativeWorkStatus" not in json_ld and "minh họa" not in json.dumps(json_ld, ensure_ascii=False)


@pytest.mark.parametrize("page", NOTICE_PAGES)
def test_the_site_wide_notice_is_on_home_press_and_open_data_while_a_sample_is_published(
    mixed: SiteFixture, real_only: SiteFixture, page: str
) -> None:
    notice = HTMLParser(mixed.built(page)).css_first(".ex-sample-notice")
    assert notice is not None
    assert notice.text().strip().startswith("Trang đang đăng 1 hồ sơ mẫu. Đó là dữ liệu minh họa, không phải gương")
    assert "ex-sample-notice" not in real_only.built(page)


def test_a_draft_sample_raises_no_notice(tmp_path: Path) -> None:
    site = SiteFixture(tmp_path / "repo")
    add_real(site)
    site.profile("ban-nhap-mau", name="Bản nháp mẫu", sources=None, sample=True, draft=True, body="Dữ liệu mẫu.")
    build_site(site.project)
    assert all("ex-sample-notice" not in site.built(page) for page in NOTICE_PAGES)


def test_statistics_count_real_exemplars_and_say_the_sample_is_left_out(
    mixed: SiteFixture, real_only: SiteFixture
) -> None:
    lead = HTMLParser(mixed.built("thong-ke/index.html")).css_first("p.ex-lead").text()
    assert "1 gương điển hình đã đăng" in lead and "Không tính 1 hồ sơ mẫu" in lead
    by_field = list(csv.reader(io.StringIO(mixed.built("thong-ke/guong-theo-linh-vuc.csv").lstrip("\ufeff"))))
    assert [row[2] for row in by_field if row[0] == "y-te"] == ["1"]
    assert "hồ sơ mẫu" not in HTMLParser(real_only.built("thong-ke/index.html")).css_first("p.ex-lead").text()
