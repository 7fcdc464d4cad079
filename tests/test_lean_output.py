"""A lean output (issue 21): what every page repeated now comes once, from files a browser caches.

A reader still sees the same page: the header's icons, the drawer, the search box, the share buttons and the
printed story (tests/test_phone_reader.py and tests/test_sharing.py walk them); these tests check that the shared
pieces exist where the pages point, and that no page carries them inline again. The bytes saved are measured in
benchmarks/README.md ("Bytes per story", `benchmarks/output_budget.py`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import Any

import pytest

from tools.icon_sprite import SPRITE, render_sprite

from .browser import StaticServer, browser  # noqa: F401 (the fixture)

PAGES = (
    "guong/chi-hoi-phu-nu-thon-hoa-binh-bac-giang/index.html",
    "index.html",
    "linh-vuc/chong-rac-thai-nhua/index.html",
)


def resolve(page: str, href: str) -> str:
    """The site path a relative link on `page` leads to."""
    parts: list[str] = []
    for part in (PurePosixPath(page).parent / href).parts:
        if part == "..":
            parts.pop()
        elif part != ".":
            parts.append(part)
    return "/".join(parts)


def test_the_sprite_holds_materials_own_icons() -> None:
    """After an upgrade of Material the sprite is made again (`python tools/icon_sprite.py`), or this fails."""
    assert SPRITE.read_text(encoding="utf-8") == render_sprite()


def test_every_icon_drawn_from_the_sprite_is_in_it(real_site: Path) -> None:
    sprite = (real_site / "assets/icons.svg").read_text(encoding="utf-8")
    symbols = set(re.findall(r'<symbol id="([^"]+)"', sprite))
    for page in PAGES:
        html = (real_site / page).read_text(encoding="utf-8")
        uses = re.findall(r'<svg viewBox="[0-9 ]+"><use href="([^"#]+)#([^"]+)"/></svg>', html)
        # The header's logo, menu and search button, the repository link in the header and in the drawer, the
        # drawer's logo, "back to top" (the search box's three come with it, from reader.js).
        assert len(uses) >= 7, page
        for href, symbol in uses:
            assert resolve(page, href) == "assets/icons.svg", (page, href)
            assert symbol in symbols, (page, symbol)
        assert "Font Awesome Free" not in html  # the icon's licence comment lives once, in the sprite


def test_no_page_repeats_a_stylesheet_or_a_script_inline(real_site: Path) -> None:
    for page in PAGES:
        html = (real_site / page).read_text(encoding="utf-8")
        assert "<style" not in html, page
        head = html[: html.index("</head>")]
        assert re.search(r'<link rel="stylesheet" href="[./]*assets/stylesheets/reader\.css" media="print">', head)
        # Inline scripts left: Material's one-line settings reader, the phone's `js` switch, schema.org data and
        # Material's settings (JSON); the loader of Material's script is a deferred file.
        inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>(.*?)</script>", html, re.S)
        assert all(len(body) < 400 or "json" in attributes for attributes, body in inline), page
        loader = re.search(r'<script src="([^"]+material-loader\.js)" defer></script>', head)
        assert loader and (real_site / resolve(page, loader.group(1))).is_file(), page
        # Deferred scripts run in document order: the loader before reader.js, which asks whether Material runs.
        assert loader.start() < head.index("assets/javascripts/reader.js"), page
    assert (real_site / "assets/stylesheets/reader.css").read_text(encoding="utf-8").count("@media print") == 1


def test_the_navigation_repeated_on_every_story_is_sent_without_its_indentation(real_site: Path) -> None:
    html = (real_site / PAGES[0]).read_text(encoding="utf-8")
    for start, end in (('<nav class="md-tabs"', "</nav>"), ('<div class="md-sidebar md-sidebar--primary"', "</nav>")):
        block = html[html.index(start) : html.index(end, html.index(start))]
        assert "\n" not in block and "  " not in block, start
        assert "Người tốt, việc tốt" in block and "Dữ liệu mở" in block  # every section is still listed


def test_a_story_page_carries_no_indentation_and_no_script_only_materials_script_reads(real_site: Path) -> None:
    html = (real_site / PAGES[0]).read_text(encoding="utf-8")
    # The theme's templates are compiled without their indentation (build_tools/mkdocs/unindent.py).
    assert not re.search(r"\n[ \t]", html), re.search(r"\n[ \t].{0,60}", html)
    # Material's helpers and its content-tab script are not inline; its settings hold no words of its own search.
    assert "__md_scope" not in html and "__tabbed_" not in html
    config = json.loads(re.search(r'<script id="__config" type="application/json">(.*?)</script>', html).group(1))
    assert set(config["translations"]) == {"clipboard.copy", "clipboard.copied"} and config["base"] == "../.."
    # The correction link names the profile's file, in ASCII: the questions are in the issue form.
    report = re.search(r'<p class="ex-report">.*?href="([^"]+)"', html).group(1)
    assert report.isascii() and "body=" not in report and len(report) < 300, report


@pytest.fixture(scope="module")
def served(real_site: Path) -> Iterator[StaticServer]:
    server = StaticServer(real_site)
    yield server
    server.stop()


def test_on_a_desktop_materials_script_runs_with_its_helpers_set_by_the_loader(
    browser: Any,  # noqa: F811
    served: StaticServer,
) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto(served.url(PAGES[0].removesuffix("index.html")), wait_until="networkidle")
    page.wait_for_function("window.document$ !== undefined")  # Material runs
    scope = page.evaluate("__md_scope.pathname")
    page.mouse.wheel(0, 3000)  # scrolled down then up a little: Material shows "Lên đầu trang" (navigation.top)
    page.wait_for_timeout(300)
    page.mouse.wheel(0, -200)
    page.locator(".md-top").wait_for(state="visible")
    page.locator(".md-search__input").click()  # our search, beside Material's script (in the header on a desktop)
    page.locator(".md-search__input").fill("rác thải")
    page.wait_for_function("document.querySelector('.md-search-result__meta')?.dataset.query === 'rác thải'")
    context.close()
    assert scope == "/" and errors == []
