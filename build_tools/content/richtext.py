"""Story Markdown → safe HTML, shared by pages and feeds.

Contributors' Markdown may carry raw HTML; only an allow-list survives (nh3, the Ammonia sanitiser), so a
script, an event attribute or a `javascript:` link never reaches a page or a feed.
"""

from __future__ import annotations

import hashlib
import os
import re
from functools import cache
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import markdown
import nh3

from ..engine.codestamp import code_stamp
from .text import anchor_slugify

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "dd", "del", "dl", "dt", "em", "figcaption",
    "figure", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "li", "ol", "p", "pre", "s", "strong", "sub",
    "sup", "table", "tbody", "td", "th", "thead", "tr", "u", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "th": {"align", "colspan", "rowspan"},
    "td": {"align", "colspan", "rowspan"},
    "h2": {"id"},
    "h3": {"id"},
    "h4": {"id"},
    "h5": {"id"},
    "h6": {"id"},
    "ol": {"start"},
    "sup": {"id"},
    "li": {"id"},
    "abbr": {"title"},
}
URL_SCHEMES = {"http", "https", "mailto"}
_STORY_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
"""Heading anchors as the toc extension makes them (`dang-vien-tre`, `dang-vien-tre_1`). The theme's scripts look
up elements by ids that start with `__` (`__config`, `__drawer`, `__search`): a story claiming one would take
over the page (DOM clobbering), so any other id is dropped."""
_FOOTNOTE_ID = re.compile(r"^fn(?:ref)?:[\w.-]+$")
"""Footnotes (`[^1]`) link a reference `sup#fnref:1` and its note `li#fn:1` to each other."""
_HEADINGS = {"h2", "h3", "h4", "h5", "h6"}
PAGE_HEADING_IDS = frozenset({"khen-thuong", "cau-chuyen", "bao-chi-da-dua-tin", "guong-dien-hinh-lien-quan"})
"""Anchors of the story page's own sections (templates/story.md.j2). A story heading with the same words ("## Khen
thưởng") gets `bai-` in front, so that no id appears twice on the page and both anchors keep working."""


THEME_ID_PREFIXES = ("ex-", "md-")
"""Ids our theme (`ex-material-scripts`…) and Material (`md-…`) give their own elements: a story heading
("## Ex material scripts") would take the element's place and the page's scripts would fail. Such a heading gets
`bai-` in front too; so does one equal to the page's title (pages.apart_from_title)."""


def _markdown() -> markdown.Markdown:
    return markdown.Markdown(
        extensions=["extra", "sane_lists", "toc"],
        extension_configs={
            "toc": {"slugify": anchor_slugify, "baselevel": 2, "permalink": False},
            "extra": {"footnotes": {"BACKLINK_TITLE": "Quay lại chỗ ghi chú %d trong bài"}},
        },
        output_format="html",
    )


_CONVERTER = _markdown()


def render_story(text: str) -> str:
    """Markdown story → sanitised HTML with relative links kept relative (for the story page)."""
    # One converter, reset between stories: building a Markdown instance costs more than converting a story.
    return sanitise(_CONVERTER.reset().convert(text))


def cached_story(text: str, cache_dir: Path) -> str:
    """`render_story`, kept in `cache_dir` by the hash of the text and of the code that makes it safe.

    At 10,000 stories, Markdown is half of a story's cost; a build with the cache in place (CI restores it)
    converts only what changed. The key covers this module and its imports (text.py: heading anchors) and the
    versions of Python-Markdown and nh3 (`engine.codestamp`), so a change to the allow-list or an upgrade never
    serves HTML made under old rules.
    """
    key = hashlib.sha256(_recipe() + text.encode("utf-8")).hexdigest()
    path = cache_dir / key[:2] / f"{key}.html"
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        pass
    html = render_story(text)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")  # workers may write the same story at once
    temporary.write_text(html, encoding="utf-8")
    temporary.replace(path)
    return html


@cache
def _recipe() -> bytes:
    return code_stamp(__name__)


def sanitise(html: str, base_url: str | None = None) -> str:
    """Keep only the allow-list; with `base_url`, make every link and image absolute (for feeds)."""
    return _SANITISER.clean(html, base_url)


class _Sanitiser:
    """One nh3 cleaner, built once: building it from the allow-lists was half the cost of cleaning a feed item.

    The base URL for absolute links changes from call to call, so the attribute filter reads it from here (a build
    sanitises in one thread per process).
    """

    def __init__(self) -> None:
        self.base_url: str | None = None
        self.cleaner = nh3.Cleaner(
            tags=ALLOWED_TAGS,
            attributes=ALLOWED_ATTRIBUTES,
            url_schemes=URL_SCHEMES,
            link_rel="noopener noreferrer nofollow",
            attribute_filter=self._filter,
            strip_comments=True,
        )

    def _filter(self, tag: str, attribute: str, value: str) -> str | None:
        return _filter_attribute(self.base_url, tag, attribute, value)

    def clean(self, html: str, base_url: str | None) -> str:
        self.base_url = base_url
        try:
            return self.cleaner.clean(html)
        finally:
            self.base_url = None


def absolute_html(html: str, base_url: str) -> str:
    """Already-sanitised story HTML with links resolved against the story's absolute URL."""
    if "href=" not in html and "src=" not in html:
        # Nothing to resolve, and sanitised HTML is a fixed point of the sanitiser (tests/test_richtext.py):
        # most stories have no link, and at 10,000 stories the pass is seconds.
        return html
    return sanitise(html, base_url)


def _filter_attribute(base_url: str | None, tag: str, attribute: str, value: str) -> str | None:
    if attribute == "id":
        if tag not in _HEADINGS:
            return value if _FOOTNOTE_ID.match(value) else None
        if not _STORY_ID.match(value):
            return None
        return f"bai-{value}" if value in PAGE_HEADING_IDS or value.startswith(THEME_ID_PREFIXES) else value
    if base_url and attribute in ("href", "src") and not urlsplit(value).scheme:
        return urljoin(base_url, value)
    return value


_SANITISER = _Sanitiser()
