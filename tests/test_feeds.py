"""A newsroom's story: subscribe to the site, a field or a province, and republish what arrives as it is."""

from __future__ import annotations

import datetime as dt
import email.utils
import json
import os
import re
import shutil
import sqlite3
import subprocess
import threading
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from functools import partial
from html import unescape
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import feedparser
import pytest
import yaml

from build_tools.content.gather import gather
from build_tools.generate import generate
from build_tools.site.contributing import CORRECTION_FILE_FIELD, CORRECTION_FORM, render_correction_form
from build_tools.site.feeds import MAX_FEED_BYTES

from .conftest import SiteFixture
from .feed_rules import ATOM, CONTENT, DC, DCTERMS, MEDIA, rss_problems

SITE = "https://example.test/"
ALL_PROVINCES = 63


def site_file(site: SiteFixture, path: str) -> bytes:
    return (site.root / "site" / path).read_bytes()


def rss(site: SiteFixture, path: str = "feed.xml") -> ET.Element:
    return ET.fromstring(site_file(site, path)).find("channel")  # type: ignore[return-value]


def item(channel: ET.Element, title: str) -> ET.Element:
    found = [i for i in channel.findall("item") if i.findtext("title") == title]
    assert len(found) == 1, f"{title!r} is in the feed {len(found)} times"
    return found[0]


def titles(channel: ET.Element) -> list[str]:
    return [i.findtext("title") or "" for i in channel.findall("item")]


def rss_paths(site: SiteFixture) -> list[str]:
    root = site.root / "site"
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("feed.xml"))


# Every feed, parsed twice ---------------------------------------------------------------------------------------


def test_every_feed_exists_and_parses_with_feedparser_and_an_xml_parser(newsroom: SiteFixture) -> None:
    paths = rss_paths(newsroom)
    fields = len(list((newsroom.root / "site" / "linh-vuc").glob("*/index.html")))
    assert len(paths) == 1 + fields + ALL_PROVINCES
    for path in [*paths, "atom.xml"]:
        document = site_file(newsroom, path)
        parsed = feedparser.parse(document)
        assert not parsed.bozo, (path, parsed.get("bozo_exception"))
        assert parsed.version == ("atom10" if path == "atom.xml" else "rss20")
        ET.fromstring(document)
    json.loads(site_file(newsroom, "feed.json"))


def test_every_rss_feed_passes_the_w3c_validator_rules(newsroom: SiteFixture) -> None:
    for path in rss_paths(newsroom):
        assert rss_problems(site_file(newsroom, path), SITE + path) == [], path


def test_the_rule_checker_catches_what_the_w3c_validator_reports() -> None:
    broken = b"""<?xml version='1.0' encoding='UTF-8'?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>T</title><link>/relative/</link>
<atom:link href="https://x.test/feed.xml" rel="self" type="application/rss+xml"/>
<atom:link href="https://x.test/other.xml" rel="self" type="application/rss+xml"/>
<lastBuildDate>2024-03-01</lastBuildDate>
<item><title>A</title><link>guong/a/</link><guid>tag:x.test,2024:a</guid>
<pubDate>Fri, 01 Mar 2024 00:00:00 +0700</pubDate><enclosure url="a.jpg" type="image/jpeg"/>
<content:encoded><![CDATA[<p onclick="x()"><script>1</script><a href="javascript:x()">a</a><img src="b.jpg"></p>]]>
</content:encoded></item>
<item><title>B</title><guid isPermaLink="false">tag:x.test,2024:a</guid>
<pubDate>Mon, 01 Mar 2024 00:00:00 +0700</pubDate><foo/></item>
</channel></rss>"""
    problems = "\n".join(rss_problems(broken, "https://x.test/feed.xml"))
    for expected in (
        "channel: MissingElement description",
        "channel: InvalidFullLink '/relative/'",
        "channel: DuplicateAtomLink self",
        "SelfDoesntMatchLocation 'https://x.test/other.xml'",
        "channel lastBuildDate: InvalidRFC2822Date",
        "item 1: InvalidFullLink 'guong/a/'",
        "item 1: InvalidPermalink 'tag:x.test,2024:a'",
        "item 1: MissingAttribute enclosure@length",
        "item 1: InvalidURLAttribute enclosure@url 'a.jpg'",
        "item 1 content:encoded: SecurityRisk <script>",
        "item 1 content:encoded: SecurityRisk p@onclick",
        "item 1 content:encoded: SecurityRisk a@href=javascript:x()",
        "item 1 content:encoded: ContainsRelRef b.jpg",
        "item 2 pubDate: IncorrectDOW",
        "item 2: DuplicateItem",
        "item 2: UndefinedElement foo",
    ):
        assert expected in problems


# The site-wide feeds --------------------------------------------------------------------------------------------


def test_site_feed_channel_has_everything_a_newsroom_needs(newsroom: SiteFixture) -> None:
    channel = rss(newsroom)
    assert channel.findtext("title") == "Gương thử nghiệm"
    assert channel.findtext("link") == SITE
    assert channel.findtext("description") == "Trang thử nghiệm"
    assert channel.findtext("language") == "vi"
    assert channel.findtext("copyright") == (
        "Nội dung được cấp phép CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/deed.vi). "
        "Khi đăng lại, ghi: Nguồn: Gương thử nghiệm"
    )
    selves = [link for link in channel.findall(f"{{{ATOM}}}link") if link.get("rel") == "self"]
    assert [s.get("href") for s in selves] == [SITE + "feed.xml"]
    image = channel.find("image")
    assert image is not None and image.findtext("url") == SITE + "assets/logo-144.png"
    assert site_file(newsroom, "assets/logo-144.png").startswith(b"\x89PNG")
    # Newest date in the content (the photo story's `updated`), never the build's clock.
    assert channel.findtext("lastBuildDate") == "Tue, 02 Apr 2024 00:00:00 +0700"


def test_site_feed_lists_published_stories_newest_first(newsroom: SiteFixture) -> None:
    channel = rss(newsroom)
    assert titles(channel) == ["Trần Thị Lan", "Hợp tác xã Đồng Đăng", "Nguyễn Thị Hương", "Ban giảm nghèo bản Nậm Tăm"]
    dates = [email.utils.parsedate_to_datetime(i.findtext("pubDate") or "") for i in channel.findall("item")]
    assert dates == sorted(dates, reverse=True)
    assert dates[0] == dt.datetime(2024, 3, 1, tzinfo=dt.timezone(dt.timedelta(hours=7)))


def test_item_has_title_absolute_link_stable_guid_dates_and_summary(newsroom: SiteFixture) -> None:
    story = item(rss(newsroom), "Trần Thị Lan")
    assert story.findtext("link") == SITE + "guong/bac-si-lan-ha-noi/"
    guid = story.find("guid")
    assert guid is not None and guid.get("isPermaLink") == "false"
    assert guid.text == "tag:example.test,2024-03-01:guong/bac-si-lan-ha-noi"
    assert story.findtext("pubDate") == "Fri, 01 Mar 2024 00:00:00 +0700"
    assert story.findtext(f"{{{DCTERMS}}}modified") == "2024-04-02T00:00:00+07:00"
    assert story.findtext("description") == "Bác sĩ trạm y tế phường, mười năm khám miễn phí cho người cao tuổi."
    unedited = item(rss(newsroom), "Nguyễn Thị Hương")
    assert unedited.find(f"{{{DCTERMS}}}modified") is None


def test_item_carries_the_full_story_with_award_photo_and_credit(newsroom: SiteFixture) -> None:
    story = item(rss(newsroom), "Trần Thị Lan")
    html = story.findtext(f"{{{CONTENT}}}encoded") or ""
    assert "Bác sĩ Lan khám miễn phí cho người cao tuổi mỗi sáng thứ Bảy." in html
    assert "Bằng khen của Bộ trưởng Bộ Y tế</strong> – Quyết định số 2345/QĐ-BYT, ngày 20/02/2024" in html
    assert f'<img src="{SITE}guong/bac-si-lan-ha-noi/anh-1600.jpg" alt="Bác sĩ Lan khám cho một cụ bà"' in html
    assert "(Ảnh: Báo Hà Nội Mới)" in html
    assert f'Nguồn: Gương thử nghiệm – <a href="{SITE}guong/bac-si-lan-ha-noi/"' in html
    assert 'href="https://example.vn/bai-bao"' in html


def test_item_photo_is_an_enclosure_and_media_content_with_its_credit(newsroom: SiteFixture) -> None:
    story = item(rss(newsroom), "Trần Thị Lan")
    published = newsroom.root / "site/guong/bac-si-lan-ha-noi/anh-1600.jpg"
    enclosure = story.find("enclosure")
    assert enclosure is not None
    assert enclosure.attrib == {
        "url": SITE + "guong/bac-si-lan-ha-noi/anh-1600.jpg",
        "length": str(published.stat().st_size),
        "type": "image/jpeg",
    }
    media = story.find(f"{{{MEDIA}}}content")
    assert media is not None
    assert media.get("url") == enclosure.get("url") and media.get("fileSize") == enclosure.get("length")
    assert (media.get("medium"), media.get("width"), media.get("height")) == ("image", "1600", "1066")
    assert media.findtext(f"{{{MEDIA}}}credit") == "Báo Hà Nội Mới"
    thumbnail = story.find(f"{{{MEDIA}}}thumbnail")
    # The thumbnail is the link previews' 1200×630 crop, a JPEG (the site publishes no smaller JPEG).
    assert thumbnail is not None and thumbnail.get("url") == SITE + "guong/bac-si-lan-ha-noi/anh-card.jpg"
    assert (thumbnail.get("width"), thumbnail.get("height")) == ("1200", "630")
    assert (newsroom.root / "site/guong/bac-si-lan-ha-noi/anh-card.jpg").is_file()
    parsed = feedparser.parse(site_file(newsroom, "feed.xml")).entries[0]
    assert parsed.media_credit == [{"content": "Báo Hà Nội Mới"}]
    assert parsed.enclosures[0].href == enclosure.get("url")


def test_item_states_its_reuse_licence_and_credit_line(newsroom: SiteFixture) -> None:
    story = item(rss(newsroom), "Trần Thị Lan")
    assert story.findtext(f"{{{DC}}}rights") == (
        "Nội dung được cấp phép CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/deed.vi). "
        f"Khi đăng lại, ghi: Nguồn: Gương thử nghiệm – {SITE}guong/bac-si-lan-ha-noi/ (Ảnh: Báo Hà Nội Mới)"
    )
    licence = story.find(f"{{{MEDIA}}}license")
    assert licence is not None and licence.text == "CC BY 4.0"
    assert licence.get("href") == "https://creativecommons.org/licenses/by/4.0/deed.vi"


def test_item_categories_name_kind_fields_province_then_and_now_and_award(newsroom: SiteFixture) -> None:
    def categories(title: str) -> list[tuple[str | None, str | None]]:
        return [(c.text, c.get("domain")) for c in item(rss(newsroom), title).findall("category")]

    assert categories("Hợp tác xã Đồng Đăng") == [
        ("Tập thể", SITE + "loai/tap-the/"),
        ("Xây dựng nông thôn mới", SITE + "linh-vuc/nong-thon-moi/"),
        ("Chuyển đổi số", SITE + "linh-vuc/chuyen-doi-so/"),
        ("Tỉnh Lạng Sơn", SITE + "dia-phuong/lang-son/"),
    ]
    assert categories("Nguyễn Thị Hương")[-2:] == [
        ("Tỉnh Ninh Bình", SITE + "dia-phuong/ninh-binh/"),
        ("Tỉnh Nam Định", SITE + "dia-phuong/nam-dinh/"),
    ]
    assert ("Bằng khen của Bộ trưởng Bộ Y tế", None) in categories("Trần Thị Lan")
    assert ("y tế cơ sở", None) in categories("Trần Thị Lan")


def test_hostile_html_never_reaches_any_feed(newsroom: SiteFixture) -> None:
    story = item(rss(newsroom), "Ban giảm nghèo bản Nậm Tăm")
    html = story.findtext(f"{{{CONTENT}}}encoded") or ""
    assert "Đoạn văn có" in html and "liên kết độc" in html
    for path in ("feed.xml", "atom.xml", "feed.json", "linh-vuc/giam-ngheo/feed.xml"):
        text = site_file(newsroom, path).decode("utf-8").lower()
        for forbidden in ("<script", "&lt;script", "iframe", "<style", "onclick", "onerror", "javascript:", "steal("):
            assert forbidden not in text, (path, forbidden)
    # Relative links and images of the story point at the site, so they work where the newsroom republishes.
    assert f'href="{SITE}linh-vuc/giam-ngheo/"' in html
    assert f'src="{SITE}guong/ban-giam-ngheo-lai-chau/anh-khac.jpg"' in html


def test_atom_feed_carries_the_same_items_with_the_same_ids(newsroom: SiteFixture) -> None:
    parsed = feedparser.parse(site_file(newsroom, "atom.xml"))
    assert parsed.feed.language == "vi" and parsed.feed.author == "Gương thử nghiệm"
    assert parsed.feed.updated == "2024-04-02T00:00:00+07:00"
    rss_guids = [i.findtext("guid") for i in rss(newsroom).findall("item")]
    assert [e.id for e in parsed.entries] == rss_guids
    entry = parsed.entries[0]
    assert entry.link == SITE + "guong/bac-si-lan-ha-noi/"
    assert entry.published == "2024-03-01T00:00:00+07:00" and entry.updated == "2024-04-02T00:00:00+07:00"
    links = {link.rel: link for link in entry.links}
    assert links["enclosure"].type == "image/jpeg" and int(links["enclosure"].length) > 0
    assert links["license"].href == "https://creativecommons.org/licenses/by/4.0/deed.vi"
    assert entry.content[0].type == "text/html" and "Quyết định số 2345/QĐ-BYT" in entry.content[0].value
    assert {"term": "y-te", "scheme": SITE + "linh-vuc/y-te/", "label": "Y tế, chăm sóc sức khỏe nhân dân"} in [
        dict(t) for t in entry.tags
    ]
    # One alternate link per entry: feedgen alone would turn the photo into a second one, which Atom forbids.
    root = ET.fromstring(site_file(newsroom, "atom.xml"))
    for atom_entry in root.findall(f"{{{ATOM}}}entry"):
        assert [link.get("rel") for link in atom_entry.findall(f"{{{ATOM}}}link")].count("alternate") == 1


def test_json_feed_follows_version_1_1(newsroom: SiteFixture) -> None:
    feed = json.loads(site_file(newsroom, "feed.json"))
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["feed_url"] == SITE + "feed.json" and feed["home_page_url"] == SITE
    assert feed["language"] == "vi" and feed["authors"] == [{"name": "Gương thử nghiệm", "url": SITE}]
    rss_guids = [i.findtext("guid") for i in rss(newsroom).findall("item")]
    assert [i["id"] for i in feed["items"]] == rss_guids
    first = feed["items"][0]
    assert first["url"] == SITE + "guong/bac-si-lan-ha-noi/"
    assert first["date_published"] == "2024-03-01T00:00:00+07:00"
    assert first["date_modified"] == "2024-04-02T00:00:00+07:00"
    assert first["summary"].startswith("Bác sĩ trạm y tế phường")
    assert "Quyết định số 2345/QĐ-BYT" in first["content_html"]
    size = (newsroom.root / "site/guong/bac-si-lan-ha-noi/anh-1600.jpg").stat().st_size
    assert first["attachments"] == [
        {
            "url": first["image"],
            "mime_type": "image/jpeg",
            "size_in_bytes": size,
            "title": "Bác sĩ Lan khám cho một cụ bà",
        }
    ]
    assert first["_exemplar"]["awards"] == [
        {"title": "Bằng khen của Bộ trưởng Bộ Y tế", "decision": "Quyết định số 2345/QĐ-BYT", "date": "2024-02-20"}
    ]
    assert first["_exemplar"]["photo_credit"] == "Báo Hà Nội Mới"
    former = next(i for i in feed["items"] if i["title"] == "Nguyễn Thị Hương")["_exemplar"]
    assert (former["province"], former["province_today"]) == ("nam-dinh", "ninh-binh")
    for entry in feed["items"]:
        assert isinstance(entry["id"], str) and entry["content_html"]
        for key in ("date_published", "date_modified"):
            dt.datetime.fromisoformat(entry[key])


# Per-field and per-province feeds -------------------------------------------------------------------------------


def test_a_story_with_two_fields_is_in_both_field_feeds(newsroom: SiteFixture) -> None:
    for field in ("nong-thon-moi", "chuyen-doi-so"):
        channel = rss(newsroom, f"linh-vuc/{field}/feed.xml")
        assert titles(channel) == ["Hợp tác xã Đồng Đăng"]
        assert channel.findtext("link") == f"{SITE}linh-vuc/{field}/"
    assert titles(rss(newsroom, "linh-vuc/y-te/feed.xml")) == ["Trần Thị Lan"]
    # A field nobody has reached yet still has a valid feed; its date is fixed so it only changes with a story.
    empty = rss(newsroom, "linh-vuc/dan-van-kheo/feed.xml")
    assert titles(empty) == [] and empty.findtext("lastBuildDate") == "Tue, 01 Jul 2025 00:00:00 +0700"


def test_province_feed_includes_stories_recorded_under_a_former_province(newsroom: SiteFixture) -> None:
    channel = rss(newsroom, "dia-phuong/ninh-binh/feed.xml")
    assert titles(channel) == ["Nguyễn Thị Hương"]
    assert channel.findtext("title") == "Gương thử nghiệm – Tỉnh Ninh Bình"
    assert "kể cả các gương được công nhận khi còn là" in (channel.findtext("description") or "")
    assert titles(rss(newsroom, "dia-phuong/lang-son/feed.xml")) == ["Hợp tác xã Đồng Đăng"]
    assert titles(rss(newsroom, "dia-phuong/ha-noi/feed.xml")) == ["Trần Thị Lan"]


def test_a_former_province_feed_follows_its_successor(newsroom: SiteFixture) -> None:
    former = rss(newsroom, "dia-phuong/nam-dinh/feed.xml")
    successor = rss(newsroom, "dia-phuong/ninh-binh/feed.xml")
    assert titles(former) == titles(successor)
    assert former.findtext("title") == "Gương thử nghiệm – Tỉnh Ninh Bình (gồm Tỉnh Nam Định cũ)"
    assert former.findtext("link") == SITE + "dia-phuong/ninh-binh/"
    assert (former.findtext("description") or "").endswith(f"Địa chỉ mới: {SITE}dia-phuong/ninh-binh/feed.xml")
    self_link = former.find(f"{{{ATOM}}}link")
    assert self_link is not None and self_link.get("href") == SITE + "dia-phuong/nam-dinh/feed.xml"


def test_drafts_never_reach_a_feed(newsroom: SiteFixture) -> None:
    root = newsroom.root / "site"
    for path in [*root.rglob("feed.xml"), root / "atom.xml", root / "feed.json"]:
        text = path.read_text(encoding="utf-8")
        assert "Bản Nháp Chưa Đăng" not in text and "ban-nhap-ha-noi" not in text, path


# Autodiscovery and the press page -------------------------------------------------------------------------------


def alternates(site: SiteFixture, page: str) -> list[tuple[str, str]]:
    html = site.built(page)
    return re.findall(r'<link rel="alternate" type="([^"]+)" title="[^"]*" href="([^"]+)"', html)


@pytest.mark.parametrize(
    ("page", "own_feeds"),
    [
        ("index.html", []),
        ("gioi-thieu/index.html", []),
        ("bao-chi/index.html", []),
        ("linh-vuc/y-te/index.html", ["linh-vuc/y-te/feed.xml"]),
        ("dia-phuong/ninh-binh/index.html", ["dia-phuong/ninh-binh/feed.xml"]),
        ("dia-phuong/nam-dinh/index.html", ["dia-phuong/ninh-binh/feed.xml"]),
        (
            "guong/htx-dong-dang-lang-son/index.html",
            ["linh-vuc/nong-thon-moi/feed.xml", "linh-vuc/chuyen-doi-so/feed.xml", "dia-phuong/lang-son/feed.xml"],
        ),
    ],
)
def test_every_page_links_the_site_feeds_and_its_own_for_autodiscovery(
    newsroom: SiteFixture, page: str, own_feeds: list[str]
) -> None:
    found = alternates(newsroom, page)
    folder = (newsroom.root / "site" / page).parent
    resolved = [
        (mime, (folder / href).resolve().relative_to((newsroom.root / "site").resolve()).as_posix())
        for mime, href in found
    ]
    # The site-wide feed in its three forms on hand-written pages; on the generated ones (stories, lists: 10,000 at a
    # national scale) its RSS form only, which a feed reader offered the page subscribes to: the same stories.
    generated = page.startswith(("linh-vuc/", "dia-phuong/", "guong/"))
    site_wide = [
        ("application/rss+xml", "feed.xml"),
        ("application/atom+xml", "atom.xml"),
        ("application/feed+json", "feed.json"),
    ][: 1 if generated else 3]
    assert resolved[: len(site_wide)] == site_wide
    assert resolved[len(site_wide) :] == [("application/rss+xml", path) for path in own_feeds]
    for _, path in resolved:
        assert (newsroom.root / "site" / path).is_file()
    # A page's own feed is announced by what it follows; the feed's own title adds the site's name, which a reader
    # names a subscription by.
    titles = re.findall(r'<link rel="alternate" type="application/rss\+xml" title="([^"]*)"', newsroom.built(page))
    for title, path in zip(titles[1:], own_feeds, strict=True):
        assert title.startswith(("Lĩnh vực ", "Tỉnh ", "Thành phố ")), title
        feed = (newsroom.root / "site" / path).read_text(encoding="utf-8")
        assert re.search(r"<title>(.*?)</title>", feed).group(1) == f"Gương thử nghiệm – {title}"


def test_press_page_lists_every_feed_with_its_address_and_a_subscribe_link(newsroom: SiteFixture) -> None:
    html = newsroom.built("bao-chi/index.html")
    former = {p.id for p in gather(newsroom.project).provinces.values() if not p.current}
    for path in ["atom.xml", "feed.json", *rss_paths(newsroom)]:
        if path.startswith("dia-phuong/") and path.split("/")[1] in former:
            continue  # explained once rather than listed: newsrooms should subscribe to today's provinces
        # The address may wrap after each "/" on a phone (<wbr>), never inside a word; copied, it is whole.
        assert f"<code>{SITE}{path}</code>" in html.replace("<wbr>", ""), path
        href = os.path.relpath(path, "bao-chi")
        assert f'<a href="{href}" type="' in html, path
    assert "Từ ngày 1/7/2025 cả nước có 34 tỉnh, thành phố. Feed của 29 tỉnh cũ vẫn giữ địa chỉ cũ" in html


def test_press_page_gives_reuse_terms_credit_line_data_and_how_to_report_an_error(newsroom: SiteFixture) -> None:
    html = newsroom.built("bao-chi/index.html")
    assert 'href="https://creativecommons.org/licenses/by/4.0/deed.vi" rel="license">CC BY 4.0</a>' in html
    assert f"Nguồn: Gương thử nghiệm – {SITE}guong/…/" in html
    for data in ("exemplars.json", "exemplars.csv", "plans.json"):
        assert f'href="../du-lieu/{data}"' in html
    assert "https://github.com/example/test/issues/new?title=" in html
    assert "Báo lỗi và đính chính" in html and "giữ nguyên mã cố định" in html
    nav = html[html.index('class="md-nav md-nav--primary"') :]
    assert "Báo chí" in nav and "Dữ liệu mở" in nav


def test_story_page_offers_a_prefilled_error_report(newsroom: SiteFixture) -> None:
    html = newsroom.built("guong/co-giao-huong-nam-dinh/index.html")
    report = re.search(r'href="(https://github\.com/example/test/issues/new\?[^"]+)"', html)
    assert report is not None
    query = parse_qs(urlsplit(unescape(report.group(1))).query)
    assert query["title"] == ["Báo lỗi: co-giao-huong-nam-dinh"]
    # GitHub opens the repository's correction form with the profile's file filled in: the officer opens that file.
    form = yaml.safe_load(render_correction_form())
    assert query["template"] == [CORRECTION_FORM.rsplit("/", 1)[-1]]
    fields = {element["id"]: element["attributes"]["label"] for element in form["body"] if "id" in element}
    assert fields[CORRECTION_FILE_FIELD] == "Tệp hồ sơ"
    assert query[CORRECTION_FILE_FIELD] == ["exemplars/2023/co-giao-huong-nam-dinh/index.md"]
    assert list(fields.values())[1:] == [
        "Thông tin chưa đúng",
        "Thông tin đúng là",
        "Căn cứ (quyết định, văn bản, bài báo)",
    ]


# A real feed reader ---------------------------------------------------------------------------------------------


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def served(newsroom: SiteFixture) -> Iterator[str]:
    """The built site on an ephemeral loopback port, as a newsroom's reader fetches it."""
    handler = partial(_QuietHandler, directory=str(newsroom.root / "site"))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def test_newsboat_reads_the_feeds_over_loopback(newsroom: SiteFixture, served: str, tmp_path: Path) -> None:
    newsboat = shutil.which("newsboat")
    if newsboat is None:
        if os.environ.get("CI"):
            pytest.fail("newsboat is missing: `bash tasks.sh test` installs it with apt")
        pytest.skip("newsboat is not installed (bash tasks.sh test installs it)")
    feeds = ["feed.xml", "linh-vuc/chuyen-doi-so/feed.xml", "dia-phuong/ninh-binh/feed.xml"]
    results = {}
    for feed in feeds:
        # One cache per feed: newsboat keys articles by guid across feeds, and our guids are shared on purpose.
        cache = tmp_path / f"{feed.replace('/', '-')}.db"
        (tmp_path / "urls").write_text(served + feed + "\n", encoding="utf-8")
        (tmp_path / "config").write_text("", encoding="utf-8")
        run = subprocess.run(
            [newsboat, "-u", str(tmp_path / "urls"), "-c", str(cache), "-C", str(tmp_path / "config"), "-x", "reload"],
            env={
                **os.environ,
                "HOME": str(tmp_path),
                "XDG_CONFIG_HOME": str(tmp_path),
                "XDG_DATA_HOME": str(tmp_path),
                "LANG": "C.UTF-8",
            },
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=60,
            check=False,
        )
        assert run.returncode == 0, run.stderr
        with sqlite3.connect(cache) as db:
            results[feed] = (
                db.execute("SELECT title FROM rss_feed").fetchall(),
                db.execute("SELECT guid, title, url, pubDate, content FROM rss_item ORDER BY pubDate DESC").fetchall(),
            )
    channel, items = results["feed.xml"]
    assert channel == [("Gương thử nghiệm",)]
    assert [row[1] for row in items] == titles(rss(newsroom))
    guid, title, url, published, content = items[0]
    assert (guid, title, url) == (
        "tag:example.test,2024-03-01:guong/bac-si-lan-ha-noi",
        "Trần Thị Lan",
        SITE + "guong/bac-si-lan-ha-noi/",
    )
    assert published == int(dt.datetime(2024, 3, 1, tzinfo=dt.timezone(dt.timedelta(hours=7))).timestamp())
    assert "Quyết định số 2345/QĐ-BYT" in content and "Báo Hà Nội Mới" in content
    assert [row[1] for row in results["linh-vuc/chuyen-doi-so/feed.xml"][1]] == ["Hợp tác xã Đồng Đăng"]
    assert [row[1] for row in results["dia-phuong/ninh-binh/feed.xml"][1]] == ["Nguyễn Thị Hương"]


# Stable ids, reproducible bytes, bounded size -------------------------------------------------------------------


def feed_files(site: SiteFixture) -> dict[str, bytes]:
    generated = site.project.generated_dir
    return {
        p.relative_to(generated).as_posix(): p.read_bytes()
        for p in sorted(generated.rglob("*"))
        if p.name in ("feed.xml", "atom.xml", "feed.json")
    }


def rss_item_xml(document: bytes, title: str) -> bytes:
    start = document.index(f"<title>{title}</title>".encode())
    return document[document.rindex(b"<item>", 0, start) : document.index(b"</item>", start)]


def test_rebuilds_are_byte_identical_and_an_edit_keeps_the_guid(site: SiteFixture) -> None:
    site.profile("a-mot", name="Người A", province="ha-noi", fields=["y-te"], published="2024-01-10")
    site.profile("b-hai", name="Người B", province="lang-son", fields=["nong-thon-moi"], published="2024-02-20")
    generate(site.project)
    first = feed_files(site)
    generate(site.project)
    assert feed_files(site) == first

    site.profile(
        "a-mot",
        body="Câu chuyện đã sửa.",
        name="Người A",
        province="ha-noi",
        fields=["y-te"],
        published="2024-01-10",
        updated="2024-03-05",
    )
    generate(site.project)
    edited = feed_files(site)
    guid = b'<guid isPermaLink="false">tag:example.test,2024-01-10:guong/a-mot</guid>'
    assert guid in first["feed.xml"] and guid in edited["feed.xml"]
    assert "Câu chuyện đã sửa.".encode() in edited["feed.xml"]
    assert rss_item_xml(edited["feed.xml"], "Người B") == rss_item_xml(first["feed.xml"], "Người B")
    # Only the feeds that carry the edited story change; every other feed keeps its bytes.
    changed = {path for path in first if first[path] != edited[path]}
    assert changed == {"feed.xml", "atom.xml", "feed.json", "linh-vuc/y-te/feed.xml", "dia-phuong/ha-noi/feed.xml"}


def test_renaming_the_folder_keeps_the_guid_through_aliases(site: SiteFixture) -> None:
    old = site.profile("ten-cu", name="Người C", published="2023-05-05")
    generate(site.project)
    before = ET.fromstring(feed_files(site)["feed.xml"]).find("channel/item")
    shutil.rmtree(old.parent)
    site.profile("ten-moi-nam-dinh", name="Người C", published="2023-05-05", aliases=["ten-cu"])
    generate(site.project)
    after = ET.fromstring(feed_files(site)["feed.xml"]).find("channel/item")
    assert before is not None and after is not None
    assert after.findtext("guid") == before.findtext("guid") == "tag:example.test,2023-05-05:guong/ten-cu"
    assert after.findtext("link") == SITE + "guong/ten-moi-nam-dinh/"


def test_feed_items_setting_caps_every_feed(site: SiteFixture) -> None:
    site.feed_items = 2
    site.write_config()
    for day in range(1, 5):
        site.profile(f"nguoi-{day}", name=f"Người số {day}", published=f"2024-01-0{day}")
    generate(site.project)
    feeds = feed_files(site)
    assert titles(ET.fromstring(feeds["feed.xml"]).find("channel")) == ["Người số 4", "Người số 3"]  # type: ignore[arg-type]
    assert len(json.loads(feeds["feed.json"])["items"]) == 2
    assert feeds["dia-phuong/ninh-binh/feed.xml"].count(b"<item>") == 2


def test_a_feed_over_2_mb_drops_its_oldest_stories_and_says_so(
    site: SiteFixture, caplog: pytest.LogCaptureFixture
) -> None:
    paragraph = "Cô giáo dạy Toán ở vùng ven, hướng dẫn học sinh làm bài và phụ đạo miễn phí mỗi chiều. " * 40
    for day in range(1, 6):
        site.profile(
            f"bai-dai-{day}", body="\n\n".join([paragraph] * 95), name=f"Bài dài {day}", published=f"2024-01-0{day}"
        )
    generate(site.project)
    feeds = feed_files(site)
    for path in ("feed.xml", "atom.xml", "feed.json", "linh-vuc/day-tot-hoc-tot/feed.xml"):
        assert len(feeds[path]) <= MAX_FEED_BYTES, path
    kept = titles(ET.fromstring(feeds["feed.xml"]).find("channel"))  # type: ignore[arg-type]
    assert kept == ["Bài dài 5", "Bài dài 4", "Bài dài 3", "Bài dài 2"]
    size = f"{len(feeds['feed.xml']) / 1_000_000:.2f}".replace(".", ",")
    assert (
        f"feed.xml: 5 câu chuyện mới nhất vượt giới hạn 2,00 MB của một feed, nên feed chỉ giữ 4 câu chuyện mới nhất "
        f"({size} MB). Hãy giảm `feed_items` trong mkdocs.yml hoặc rút gọn những câu chuyện quá dài."
    ) in caplog.messages
