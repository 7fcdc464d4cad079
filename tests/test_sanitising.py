"""A reader's and a newsroom's story: whatever a contributor pastes into a profile, no script, frame, form, event
handler or `javascript:`/`data:` link reaches a page, a feed or the open data; and names and summaries full of
quotes, ampersands and Markdown read exactly as written wherever they appear."""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from selectolax.lexbor import LexborHTMLParser

from build_tools.build import build_site
from build_tools.content.richtext import render_story

from .conftest import SiteFixture
from .hostile import HOSTILE_STORIES, HOSTILE_TEXT, SWALLOWING, scripts_of, unsafe_markup, url_scheme

HOSTILE_PHOTO = "javascript:alert(1) Ảnh #1?%20,x.jpg"
"""A photo's file name that would be a script link, a fragment, a query, an escape and a `srcset` separator in a
URL: published as `javascript-alert-1-anh-1-20-x`, an ASCII slug."""
MARKER = "_nghiêng_"
"""A piece of HOSTILE_TEXT: any text or attribute that holds it must hold all of HOSTILE_TEXT, unmangled."""


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> SiteFixture:
    """A site whose every story is an attack, and whose every free-text field is HOSTILE_TEXT."""
    site = SiteFixture(tmp_path_factory.mktemp("hostile") / "repo")
    site.plan("lang-son-skhdt-2022-2025")
    first = next(iter(HOSTILE_STORIES))
    site.photo(first, name=HOSTILE_PHOTO)
    for number, (slug, story) in enumerate(HOSTILE_STORIES.items()):
        site.profile(slug, body=story, name=HOSTILE_TEXT, summary=HOSTILE_TEXT, published=f"2024-01-0{number + 1}")
    site.profile(
        first,
        body=HOSTILE_STORIES[first],
        name=HOSTILE_TEXT,
        summary=HOSTILE_TEXT,
        kind="tap-the",
        consent=None,
        province="lang-son",
        plans=["lang-son-skhdt-2022-2025"],
        locality=HOSTILE_TEXT,
        organization=HOSTILE_TEXT,
        tags=[HOSTILE_TEXT],
        photo={"src": HOSTILE_PHOTO, "alt": HOSTILE_TEXT, "credit": HOSTILE_TEXT},
        awards=[{"title": HOSTILE_TEXT, "decision": HOSTILE_TEXT, "date": "2023-05-12"}],
        sources=[{"title": HOSTILE_TEXT, "url": "https://example.vn/tim?q=a&b=\"c\"'d'"}],
        corrections=[{"date": "2024-02-01", "text": HOSTILE_TEXT}],
        aliases=["ma-doc-ten-cu"],
        published="2024-01-01",
        updated="2024-02-01",
    )
    build_site(site.project)
    return site


def built_files(site: SiteFixture, pattern: str) -> Iterator[tuple[str, bytes]]:
    root = site.root / "site"
    for path in sorted(root.rglob(pattern)):
        yield path.relative_to(root).as_posix(), path.read_bytes()


def theme_scripts(site: SiteFixture) -> frozenset[str]:
    """The theme's own scripts, read from a hand-written page that no profile touches; and Material's settings as
    pages generated as HTML carry them, the same without the clipboard's words (theme/main.html)."""
    scripts = set(scripts_of(site.built("gioi-thieu/index.html")))
    for key in list(scripts):
        if key.startswith("{") and '"translations"' in key:
            settings = json.loads(key) | {"translations": {}}
            scripts.add(json.dumps(settings, sort_keys=True))
    return frozenset(scripts)


def story_fragment(page: str) -> str:
    story = LexborHTMLParser(page).css_first(".ex-story")
    assert story is not None
    return story.html or ""


# Pages -----------------------------------------------------------------------------------------------------------


def test_no_page_carries_live_markup_from_a_story(hostile: SiteFixture) -> None:
    scripts = theme_scripts(hostile)
    pages = list(built_files(hostile, "*.html"))
    assert len(pages) > 100
    found = {path: unsafe_markup(html.decode(), fragment=False, theme_scripts=scripts) for path, html in pages}
    assert {path: problems for path, problems in found.items() if problems} == {}
    for slug in HOSTILE_STORIES:
        assert unsafe_markup(story_fragment(hostile.built(f"guong/{slug}/index.html"))) == [], slug


def test_every_hostile_story_is_still_read_to_its_end_with_its_safe_links(hostile: SiteFixture) -> None:
    for number, slug in enumerate(HOSTILE_STORIES, start=1):
        story = LexborHTMLParser(story_fragment(hostile.built(f"guong/{slug}/index.html")))
        assert f"Phần {number} của câu chuyện" in story.text()
        if slug == SWALLOWING:
            continue  # an unclosed <style> or <textarea> makes the rest of the story its text, dropped with it
        assert f"Hết phần {number}" in story.text(), slug
        hrefs = {a.attributes.get("href") for a in story.css("a")}
        assert {"../../linh-vuc/giam-ngheo/", "https://example.vn/bai-bao"} <= hrefs, slug
    markdown = LexborHTMLParser(story_fragment(hostile.built("guong/ma-doc-markdown/index.html")))
    assert "../../linh-vuc/y-te/" in {a.attributes.get("href") for a in markdown.css("a")}


def test_story_markup_cannot_claim_the_ids_the_theme_scripts_look_up(hostile: SiteFixture) -> None:
    page = LexborHTMLParser(hostile.built("guong/ma-doc-markdown/index.html"))
    for theme_id in ("__config", "__drawer", "__search"):
        assert len(page.css(f"[id='{theme_id}']")) <= 1  # the theme's own element, if the page has one
        claimed = page.css_first(f".ex-story [id='{theme_id}']")
        assert claimed is None, theme_id


def test_a_photo_name_reaches_no_address_raw(hostile: SiteFixture) -> None:
    """Pages, feeds, data and the search index name the photo by its slug; the original name is nowhere."""
    first = next(iter(HOSTILE_STORIES))
    files = [
        f.relative_to(hostile.root / "site").as_posix() for f in (hostile.root / "site" / "guong" / first).iterdir()
    ]
    assert sorted(f for f in files if "javascript" in f) == [
        f"guong/{first}/javascript-alert-1-anh-1-20-x-{suffix}"
        for suffix in ("1200.jpg", "1200.webp", "480.webp", "960.webp", "card.jpg", "thumb.webp")
    ]
    for pattern in ("*.html", "*.xml", "*.json", "*.csv"):
        for path, data in built_files(hostile, pattern):
            text = data.decode()
            assert "javascript:alert(1) " not in text and "Ảnh #1" not in text, path
    page = LexborHTMLParser(hostile.built(f"guong/{first}/index.html"))
    sources = [i.attributes.get("src") or "" for i in page.css(".ex-story-photo img, figure img")]
    assert sources and all(src.startswith("javascript-alert-1-anh-1-20-x-") for src in sources), sources


def test_ids_are_unique_on_every_page_and_every_anchor_inside_a_page_resolves(hostile: SiteFixture) -> None:
    problems = []
    for path, html in built_files(hostile, "*.html"):
        tree = LexborHTMLParser(html.decode())
        ids = [node.attributes["id"] for node in tree.css("[id]")]
        problems += [f"{path}: id {i!r} twice" for i in sorted({i for i in ids if ids.count(i) > 1})]
        anchors = {a.attributes.get("href") or "" for a in tree.css("a[href^='#']")} - {"#"}
        problems += [f"{path}: {a} leads nowhere" for a in sorted(anchors) if a[1:] not in ids]
    assert problems == []
    story = LexborHTMLParser(story_fragment(hostile.built("guong/ma-doc-markdown/index.html")))
    assert {a.attributes.get("href") for a in story.css("a[href^='#']")} == {"#fn:1", "#fnref:1", "#bai-khen-thuong"}


def test_each_attack_on_its_own_is_neutralised() -> None:
    lines = [line for story in HOSTILE_STORIES.values() for line in story.splitlines() if line[:1] in "<[!{`#"]
    assert len(lines) > 50
    found = {line: unsafe_markup(render_story(line)) for line in lines}
    assert {line: problems for line, problems in found.items() if problems} == {}


# Feeds -----------------------------------------------------------------------------------------------------------


def is_html(element: ET.Element) -> bool:
    """RSS description and content:encoded hold HTML; Atom says so with type="html"; the rest is plain text."""
    tag = element.tag.rsplit("}", 1)[-1]
    return tag in ("description", "encoded") or element.get("type") == "html"


def feed_fragments(site: SiteFixture) -> Iterator[tuple[str, str]]:
    """Every HTML fragment a feed reader renders: RSS description and content:encoded, Atom content and summary,
    JSON Feed content_html."""
    for path, data in built_files(site, "*.xml"):
        if path.startswith("sitemap"):
            continue
        for element in ET.fromstring(data).iter():
            if is_html(element) and element.text:
                yield f"{path} {element.tag}", element.text
    for path, data in built_files(site, "feed.json"):
        for entry in json.loads(data)["items"]:
            yield f"{path} {entry['id']}", entry["content_html"]


def test_feeds_carry_no_live_markup(hostile: SiteFixture) -> None:
    fragments = list(feed_fragments(hostile))
    assert len([where for where, _ in fragments if "encoded" in where]) >= len(HOSTILE_STORIES)
    assert len([where for where, _ in fragments if "Atom}summary" in where]) >= len(HOSTILE_STORIES)
    found = {where: unsafe_markup(html) for where, html in fragments}
    assert {where: problems for where, problems in found.items() if problems} == {}


def test_every_link_in_a_feed_has_a_safe_scheme(hostile: SiteFixture) -> None:
    for path, data in built_files(hostile, "*.xml"):
        for element in ET.fromstring(data).iter():
            for name in ("href", "url"):
                if element.get(name):
                    assert url_scheme(element.get(name, "")) in ("https", "http"), (path, element.get(name))
            if element.tag.rsplit("}", 1)[-1] in ("link", "loc", "comments") and element.text:
                assert url_scheme(element.text) in ("https", "http"), (path, element.text)
    for _, data in built_files(hostile, "feed.json"):
        for entry in json.loads(data)["items"]:
            for key in ("url", "image", "external_url"):
                assert url_scheme(entry.get(key) or "https:") == "https", entry.get(key)


# Search index ----------------------------------------------------------------------------------------------------

SAFE_SEARCH_PATH = re.compile(r"^[a-z0-9][a-z0-9\-/.]*$")
"""What the search client accepts as a link (theme/assets/exemplars/search.js, SAFE_PATH): a site-relative path."""


def search_documents(site: SiteFixture) -> list[dict[str, Any]]:
    return [doc for _, data in built_files(site, "search/d/*.json") for doc in json.loads(data)["x"]]


def test_the_search_index_holds_only_what_the_sanitised_pages_show(hostile: SiteFixture) -> None:
    documents = {doc["u"]: doc for doc in search_documents(hostile)}
    assert {f"guong/{slug}/" for slug in HOSTILE_STORIES} <= set(documents)
    for slug in HOSTILE_STORIES:
        doc = documents[f"guong/{slug}/"]
        assert all(SAFE_SEARCH_PATH.match(doc[key]) for key in ("u", "i") if doc.get(key)), doc
        shown = " ".join(LexborHTMLParser(story_fragment(hostile.built(f"guong/{slug}/index.html"))).text().split())
        # Every attack marker in the index is one the page shows as plain text (code samples): the contents of
        # removed elements and attributes never reach it.
        markers = set(re.findall(r"XSS-[a-z-]+", json.dumps(doc, ensure_ascii=False)))
        assert markers <= set(re.findall(r"XSS-[a-z-]+", shown)), slug
    for doc in documents.values():
        assert all(SAFE_SEARCH_PATH.match(doc[key]) for key in ("u", "i") if doc.get(key)), doc


def test_the_search_index_files_are_data_not_markup(hostile: SiteFixture) -> None:
    for path, data in built_files(hostile, "search/**/*.json"):
        value = json.loads(data)  # valid JSON, read by the client with JSON.parse and shown with textContent
        assert not any(url_scheme(text) not in ("", "https") for text in json_strings(value) if ":" in text[:12]), path


# Open data -------------------------------------------------------------------------------------------------------


def test_open_data_carries_no_live_markup_and_only_web_links(hostile: SiteFixture) -> None:
    data = json.loads(hostile.built("du-lieu/exemplars.json"))
    assert len(data["exemplars"]) == len(HOSTILE_STORIES)
    for row in data["exemplars"]:
        assert unsafe_markup(row["story_html"]) == [], row["id"]
        links = [row["url"], row["photo_url"], *row["former_urls"], *(s["url"] for s in row["sources"])]
        assert all(url_scheme(link) == "https" for link in links if link), links
    rows = list(csv.DictReader(io.StringIO(hostile.built("du-lieu/exemplars.csv").lstrip("\ufeff"))))
    assert all("<" not in cell for row in rows for cell in row.values())


# Names and summaries ---------------------------------------------------------------------------------------------


def texts_and_attributes(html: str) -> Iterator[str]:
    """What a reader or a crawler reads on a page: text, attribute values, and JSON in script elements."""
    tree = LexborHTMLParser(html)
    for node in tree.root.traverse(include_text=True):
        if node.tag == "-text":
            if node.parent is None or node.parent.tag not in ("script", "style"):  # JSON-LD is read decoded, below
                yield node.text_content or ""
        else:
            yield from (value or "" for value in node.attributes.values())
            if node.tag == "script" and node.attributes.get("type") == "application/ld+json":
                yield from json_strings(json.loads(node.text()))


def json_strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from json_strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from json_strings(item)


def mangled(texts: Iterator[str]) -> list[str]:
    """Every text that shows a piece of HOSTILE_TEXT but not all of it, exactly: escaped twice, unescaped, cut…"""
    return [text for text in texts if MARKER in text and HOSTILE_TEXT not in text]


def test_names_and_summaries_read_exactly_as_written_on_every_page(hostile: SiteFixture) -> None:
    found: dict[str, list[str]] = {}
    shown = 0
    for path, data in built_files(hostile, "*.html"):
        texts = list(texts_and_attributes(data.decode()))
        shown += sum(HOSTILE_TEXT in text for text in texts)
        if problems := mangled(iter(texts)):
            found[path] = problems
    assert found == {}
    assert shown > 50
    page = LexborHTMLParser(hostile.built(f"guong/{next(iter(HOSTILE_STORIES))}/index.html"))
    assert page.css_first("title").text() == f"{HOSTILE_TEXT} - Gương thử nghiệm"
    assert page.css_first("meta[name=description]").attributes["content"] == HOSTILE_TEXT
    assert page.css_first("h1").text() == HOSTILE_TEXT
    assert page.css_first(".ex-photo img").attributes["alt"] == HOSTILE_TEXT
    assert page.css_first(".ex-sources a").attributes["href"] == "https://example.vn/tim?q=a&b=\"c\"'d'"


def test_names_and_summaries_read_exactly_as_written_in_feeds_and_data(hostile: SiteFixture) -> None:
    found: list[str] = []
    for path, data in built_files(hostile, "*.xml"):
        for element in ET.fromstring(data).iter():
            texts = list(element.attrib.values())
            if element.text and is_html(element):
                texts += texts_and_attributes(element.text)  # what the reader shows is the text of the HTML
            elif element.text:
                texts.append(element.text)
            found += [f"{path}: {text}" for text in mangled(iter(texts))]
    for path, data in built_files(hostile, "*.json"):
        value = json.loads(data)
        texts = list(json_strings(value))
        for item in value.get("items", []) if isinstance(value, dict) else []:
            texts.remove(item["content_html"])
            texts += texts_and_attributes(item["content_html"])
        found += [f"{path}: {text}" for text in mangled(iter(texts))]
    data = json.loads(hostile.built("du-lieu/exemplars.json"))
    assert {row["name"] for row in data["exemplars"]} == {HOSTILE_TEXT}
    for row in csv.DictReader(io.StringIO(hostile.built("du-lieu/exemplars.csv").lstrip("\ufeff"))):
        assert row["name"] == HOSTILE_TEXT and row["summary"] == HOSTILE_TEXT
    assert found == []


def test_the_page_for_a_former_slug_only_forwards_to_the_story(hostile: SiteFixture) -> None:
    page = LexborHTMLParser(hostile.built("guong/ma-doc-ten-cu/index.html"))
    assert page.css_first("title").text() == HOSTILE_TEXT
    refresh = page.css_first("meta[http-equiv=refresh]").attributes["content"]
    assert refresh == f"0; url=../{next(iter(HOSTILE_STORIES))}/"
    assert not Path(refresh).is_absolute()


def test_story_headings_never_take_the_theme_s_or_the_title_s_id(site: SiteFixture) -> None:
    """`## Ex material scripts` would have taken the id of the element that loads the theme's scripts, and a heading
    with the page's title its id: both go to the story's namespace (`bai-…`), and links inside the story follow."""
    site.profile(
        "co-giao-huong",
        body="""\
Mở đầu, xem [mục cùng tên](#nguyen-thi-huong).

## Ex material scripts

Một mục.

## Nguyễn Thị Hương

Mục trùng tên người.

## Md sidebar

Mục cuối.
""",
    )
    build_site(site.project)
    page = LexborHTMLParser(site.built("guong/co-giao-huong/index.html"))
    ids = [node.attributes["id"] for node in page.css("[id]")]
    assert sorted(i for i in ids if ids.count(i) > 1) == []
    assert [h.attributes.get("id") for h in page.css(".ex-story h3")] == [
        "bai-ex-material-scripts",
        "bai-nguyen-thi-huong",
        "bai-md-sidebar",
    ]
    assert page.css_first("h1").attributes.get("id") == "nguyen-thi-huong"
    assert [a.attributes.get("href") for a in page.css(".ex-story a[href^='#']")] == ["#bai-nguyen-thi-huong"]
    assert page.css_first("#ex-material-scripts") is not None
    assert page.css_first(".ex-story #ex-material-scripts") is None
