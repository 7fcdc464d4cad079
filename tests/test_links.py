"""A reader's and a newsroom's story: no link on the site, in a feed, in the sitemap or in the open data leads
nowhere. The whole sample site is built once and every internal address is resolved to a file (and every
`#anchor` to an element); links to other sites are checked for form only, never fetched."""

from __future__ import annotations

import json
import posixpath
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from selectolax.lexbor import LexborHTMLParser

from build_tools.content.config import load_project
from build_tools.content.richtext import PAGE_HEADING_IDS

URL_ATTRIBUTES = {"a": ("href",), "link": ("href",), "img": ("src", "srcset"), "source": ("src", "srcset")}
URL_ATTRIBUTES |= {"script": ("src",), "iframe": ("src",), "form": ("action",), "area": ("href",)}
SHARE_CARD_URLS = {"og:url", "og:image", "twitter:image"}
"""What Zalo, Facebook and others fetch for a link preview: a broken one is a card without its picture."""
_HOST_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")


@dataclass(frozen=True)
class Link:
    where: str
    """The file the link is in (site-relative) and what holds it."""
    url: str
    """Absolute URL."""


def page_url(site_url: str, relative: str) -> str:
    """The address a built file is served at: `guong/a/index.html` → `<site>/guong/a/`."""
    return site_url + (relative.removesuffix("index.html") if relative.endswith("index.html") else relative)


def html_links(site_url: str, relative: str, html: str) -> Iterator[Link]:
    base = page_url(site_url, relative)
    tree = LexborHTMLParser(html)
    for node in tree.root.traverse(include_text=False):
        for attribute in URL_ATTRIBUTES.get(node.tag or "", ()):
            value = node.attributes.get(attribute)
            if value is None:
                continue
            candidates = [part.strip().split(" ")[0] for part in value.split(",")] if attribute == "srcset" else [value]
            for candidate in candidates:
                yield Link(f"{relative} <{node.tag} {attribute}>", urljoin(base, candidate))
        if node.tag == "meta" and (node.attributes.get("http-equiv") or "").lower() == "refresh":
            target = (node.attributes.get("content") or "").split("url=", 1)[-1]
            yield Link(f"{relative} <meta refresh>", urljoin(base, target))
        card = node.attributes.get("property") or node.attributes.get("name") or ""
        if node.tag == "meta" and card in SHARE_CARD_URLS:
            yield Link(f"{relative} <meta {card}>", urljoin(base, node.attributes.get("content") or ""))
        if node.tag == "script" and node.attributes.get("type") == "application/ld+json":
            for link in json_links(site_url, relative, json.loads(node.text())):
                yield Link(f"{relative} <script ld+json> {link.where}", link.url)


def xml_links(site_url: str, relative: str, data: bytes) -> Iterator[Link]:
    for element in ET.fromstring(data).iter():
        tag = element.tag.rsplit("}", 1)[-1]
        for attribute in ("href", "url", "scheme"):
            if element.get(attribute, "").startswith(("http://", "https://")):
                yield Link(f"{relative} <{tag} {attribute}>", element.get(attribute, ""))
        if tag in ("link", "loc", "comments", "docs") and (element.text or "").strip().startswith("http"):
            yield Link(f"{relative} <{tag}>", (element.text or "").strip())
        if tag == "guid" and element.get("isPermaLink", "true") == "true" and element.text:
            yield Link(f"{relative} <guid>", element.text)
        if element.text and (tag in ("description", "encoded") or element.get("type") == "html"):
            for link in html_links(site_url, relative, element.text):
                if urlsplit(link.url).scheme in ("http", "https"):
                    yield Link(f"{relative} <{tag}> {link.where}", link.url)


def json_links(site_url: str, relative: str, value: object, key: str = "") -> Iterator[Link]:
    if isinstance(value, dict):
        for name, item in value.items():
            if name == "@id":
                continue  # a JSON-LD node's name (`…/#guong`), not an address to follow
            if (name == "content_html" and isinstance(item, str)) or (name == "story_html" and isinstance(item, str)):
                for link in html_links(site_url, relative, item):
                    yield Link(f"{relative} {name} {link.where}", link.url)
            else:
                yield from json_links(site_url, relative, item, name)
    elif isinstance(value, list):
        for item in value:
            yield from json_links(site_url, relative, item, key)
    elif isinstance(value, str) and value.startswith(("http://", "https://")) and " " not in value.strip():
        yield Link(f"{relative} {key}", value)


@pytest.fixture(scope="module")
def links(real_site: Path) -> list[Link]:
    """Every address the built sample site gives out: pages, feeds, sitemap, open data."""
    site_url = load_project(real_site.parent).settings.site_url
    found: list[Link] = []
    for path in sorted(real_site.rglob("*")):
        relative = path.relative_to(real_site).as_posix()
        if path.suffix == ".html":
            found += html_links(site_url, relative, path.read_text(encoding="utf-8"))
        elif path.suffix == ".xml":
            found += xml_links(site_url, relative, path.read_bytes())
        elif path.suffix == ".json":
            found += json_links(site_url, relative, json.loads(path.read_bytes()))
    return found


@cache
def ids_in(file: Path) -> frozenset[str]:
    tree = LexborHTMLParser(file.read_text(encoding="utf-8"))
    return frozenset(
        node.attributes.get("id") or node.attributes.get("name") or ""
        for node in tree.root.traverse(include_text=False)
        if "id" in node.attributes or "name" in node.attributes
    )


def broken(site: Path, site_url: str, link: Link) -> str | None:
    """Why an internal link leads nowhere, or None when it reaches a file (and its anchor)."""
    parts = urlsplit(link.url)
    relative = unquote(link.url[len(site_url) :].split("#", 1)[0].split("?", 1)[0])
    target = site / relative
    if relative.endswith("/") or relative == "":
        target = target / "index.html"
    if posixpath.normpath("/" + relative).startswith("/..") or not target.resolve().is_relative_to(site.resolve()):
        return "points outside the site"
    if target.is_dir():
        return "a folder without the trailing slash"
    if not target.is_file():
        return "no such file"
    if parts.fragment and target.suffix == ".html" and unquote(parts.fragment) not in ids_in(target):
        return f"no element with id {parts.fragment!r}"
    return None


def test_every_internal_link_in_pages_feeds_sitemap_and_data_reaches_a_file(real_site: Path, links: list[Link]) -> None:
    site_url = load_project(real_site.parent).settings.site_url
    internal = [link for link in links if link.url.startswith(site_url)]
    assert len(internal) > 5000
    assert any(link.where.startswith("sitemap.xml") for link in internal)
    assert any(link.where.startswith("feed.xml <encoded>") for link in internal)
    assert any(link.where.startswith("du-lieu/exemplars.json") for link in internal)
    assert any("<meta og:image>" in link.where for link in internal)
    assert any("<script ld+json>" in link.where for link in internal)
    problems = sorted(
        {f"{link.where} → {link.url}: {why}" for link in internal if (why := broken(real_site, site_url, link))}
    )
    assert problems == []


def test_every_search_result_links_to_a_page_and_its_thumbnail_to_an_image(real_site: Path) -> None:
    site_url = load_project(real_site.parent).settings.site_url
    documents = [
        doc for path in sorted(real_site.glob("search/d/*.json")) for doc in json.loads(path.read_bytes())["x"]
    ]
    assert len(documents) >= 12
    links = [
        Link(f"search {doc['u']} {key}", site_url + doc[key]) for doc in documents for key in ("u", "i") if doc.get(key)
    ]
    assert any(" i" in link.where for link in links)
    assert sorted(f"{link.where}: {why}" for link in links if (why := broken(real_site, site_url, link))) == []


def test_every_page_is_in_the_sitemap_and_every_story_in_the_feeds(real_site: Path, links: list[Link]) -> None:
    site_url = load_project(real_site.parent).settings.site_url
    in_sitemap = {link.url for link in links if link.where.startswith("sitemap.xml")}
    stories = {page_url(site_url, p.relative_to(real_site).as_posix()) for p in real_site.glob("guong/*/index.html")}
    redirects = {
        url for url in stories if "http-equiv" in (real_site / url[len(site_url) :] / "index.html").read_text()
    }
    assert stories - redirects <= in_sitemap
    in_feed = {link.url for link in links if link.where.startswith("feed.json url")}
    assert stories - redirects <= in_feed


def well_formed(url: str, require_https: bool) -> str | None:
    """Why an address to another site is malformed, or None; nothing is fetched."""
    if url != url.strip() or re.search(r"\s", url):
        return "contains spaces"
    parts = urlsplit(url)
    if parts.scheme not in (("https",) if require_https else ("https", "http")):
        return f"scheme {parts.scheme!r}"
    host = parts.hostname or ""
    if parts.username or parts.password:
        return "carries a user name or password"
    try:
        ascii_host = host.encode("idna").decode("ascii")
    except UnicodeError:
        return f"host {host!r} is not a valid domain name"
    labels = ascii_host.split(".")
    if len(labels) < 2 or not all(_HOST_LABEL.match(label) for label in labels) or labels[-1].isdigit():
        return f"host {host!r} is not a domain name"
    return None


def test_links_to_other_sites_are_well_formed_and_sources_use_https(real_site: Path, links: list[Link]) -> None:
    site_url = load_project(real_site.parent).settings.site_url
    external = [link for link in links if not link.url.startswith(site_url) and link.url.startswith("http")]
    sources = [link for link in external if "<a href>" in link.where and link.where.startswith("guong/")]
    assert len(sources) >= 5
    problems = sorted(
        {
            f"{link.where} → {link.url}: {why}"
            for link in external
            if (why := well_formed(link.url, require_https=link in sources or " sources" in link.where))
        }
    )
    assert problems == []


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("https://baonamdinh.vn/co-giao", None),
        ("https://báo.vn/bài-viết", None),
        ("http://baonamdinh.vn/co-giao", "scheme 'http'"),
        ("https://bao namdinh.vn/", "contains spaces"),
        ("https://localhost/", "host 'localhost' is not a domain name"),
        ("https://user:mat-khau@bao.vn/", "carries a user name or password"),
        ("https://-bao.vn/", "host '-bao.vn' is not a domain name"),
        ("javascript:alert(1)", "scheme 'javascript'"),
    ],
)
def test_the_form_check_for_outside_links(url: str, problem: str | None) -> None:
    assert well_formed(url, require_https=True) == problem


def test_the_checker_finds_a_missing_page_a_missing_anchor_and_a_way_out(tmp_path: Path) -> None:
    site, site_url = tmp_path / "site", "https://example.test/"
    (site / "guong" / "a").mkdir(parents=True)
    (site / "guong" / "a" / "index.html").write_text('<h2 id="cau-chuyen">x</h2>', encoding="utf-8")
    page = '<a href="../a/#cau-chuyen">ok</a> <a href="../b/">b</a> <a href="../a/#khong-co">c</a>'
    page += ' <a href="../a">d</a> <img src="../../../etc/passwd" alt="">'
    found = [broken(site, site_url, link) for link in html_links(site_url, "guong/c/index.html", page)]
    assert found == [
        None,
        "no such file",
        "no element with id 'khong-co'",
        "a folder without the trailing slash",
        "no such file",
    ]


def test_the_story_page_sections_are_the_anchors_a_story_heading_must_not_take(real_site: Path) -> None:
    # richtext.PAGE_HEADING_IDS lists the story page's own section anchors; it must follow the template.
    sections: set[str] = set()
    for page in real_site.glob("guong/*/index.html"):
        tree = LexborHTMLParser(page.read_text(encoding="utf-8"))
        story = {node.attributes.get("id") for node in tree.css(".ex-story [id]")}
        sections |= {node.attributes.get("id") or "" for node in tree.css("article h2[id]")} - story
    assert sections == PAGE_HEADING_IDS
