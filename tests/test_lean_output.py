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
from .conftest import SiteFixture

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
        # drawer's logo, "back to top" (the search box's three come with it, from reader.js); on a story the edit
        # button, and the drawer's logo and repository link come from the header's, by reader.js.
        assert len(uses) >= (6 if page.startswith("guong/") else 7), page
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


SECTIONS = ["Trang chủ", "Người tốt, việc tốt", "Lĩnh vực", "Địa phương", "Kế hoạch", "Thống kê", "Báo chí"]
SECTIONS += ["Dữ liệu mở", "Giới thiệu", "Đóng góp"]


def test_a_story_sends_its_sections_once_as_tabs_and_without_indentation(real_site: Path) -> None:
    html = (real_site / PAGES[0]).read_text(encoding="utf-8")
    for start, end in (('<nav class="md-tabs"', "</nav>"), ('<div class="md-sidebar md-sidebar--primary"', "</nav>")):
        block = html[html.index(start) : html.index(end, html.index(start))]
        assert "\n" not in block and "  " not in block, start
    tabs = re.findall(r'<a href="[^"]+" class="md-tabs__link">([^<]+)</a>', html)
    assert tabs == SECTIONS  # every section, its label without the spaces around it
    # The drawer's list is filled from the tabs by reader.js (below): sent empty, with no table of contents beside it.
    assert '<ul class="md-nav__list" data-md-scrollfix></ul>' in html
    # So are its title (the site's logo and name) and its repository link: reader.js copies the header's.
    assert '<label class="md-nav__title" for="__drawer"></label><div class="md-nav__source"></div>' in html
    assert "md-sidebar--secondary" not in html and html.count("Dữ liệu mở") == 1
    # Hand-written pages (in the navigation, with their own table of contents) keep Material's sidebars.
    home = (real_site / "index.html").read_text(encoding="utf-8")
    assert 'class="md-nav__link"><span class="md-ellipsis">Dữ liệu mở' in home.replace("\n", "")


def test_a_story_sends_neither_the_search_box_nor_twice_what_previews_and_feed_readers_read(real_site: Path) -> None:
    html = (real_site / PAGES[0]).read_text(encoding="utf-8")
    head = html[: html.index("</head>")]
    # The search box is built by reader.js into an empty frame; its stylesheet is asked for by reader.js too.
    assert re.search(r'<div class="md-search ex-search" data-ex-search="../../search/"></div>', html)
    assert "md-search__input" not in html and "search.css" not in html
    # Link previews: X reads og:image where twitter:image is absent; the card type and the image's alt stay.
    assert 'name="twitter:image"' not in head and 'property="og:image"' in head
    assert 'name="twitter:card" content="summary_large_image"' in head and 'name="twitter:image:alt"' in head
    # Feed readers: the site's RSS feed and the story's field and province feeds; Atom and JSON Feed (the same
    # stories) are announced by the hand-written pages.
    alternates = re.findall(r'<link rel="alternate" type="([^"]+)"', head)
    assert alternates and set(alternates) == {"application/rss+xml"}
    home = (real_site / "index.html").read_text(encoding="utf-8")
    assert "application/atom+xml" in home and "application/feed+json" in home
    # Material's settings: no key sent as null.
    assert ": null" not in re.search(r'<script id="__config" type="application/json">(.*?)</script>', html).group(1)


def test_a_story_page_stays_within_its_chrome_budget(real_site: Path) -> None:
    """What a story page carries besides its story (head, header, navigation, footer): what every page repeats."""
    for page in (PAGES[0], "guong/ho-sung-a-chu-lai-chau/index.html"):
        html = (real_site / page).read_text(encoding="utf-8")
        article = re.search(r"<article .*?</article>", html, re.S).group(0)
        json_ld = re.search(r'<script type="application/ld\+json">.*?</script>', html, re.S).group(0)
        chrome = len(html.encode()) - len(article.encode()) - len(json_ld.encode())
        # About 9.2 kB here (8.6 kB median at 10,000 profiles, from 12.4 before the sections were sent once and the
        # search box built by reader.js: benchmarks/README.md, "Bytes per story").
        assert chrome < 9_800, (page, chrome)


def test_a_story_page_carries_no_indentation_and_no_script_only_materials_script_reads(real_site: Path) -> None:
    html = (real_site / PAGES[0]).read_text(encoding="utf-8")
    # The theme's templates are compiled without their indentation (build_tools/mkdocs/unindent.py).
    assert not re.search(r"\n[ \t]", html), re.search(r"\n[ \t].{0,60}", html)
    # Material's helpers and its content-tab script are not inline; its settings hold no words of its own search.
    assert "__md_scope" not in html and "__tabbed_" not in html
    config = json.loads(re.search(r'<script id="__config" type="application/json">(.*?)</script>', html).group(1))
    assert config["translations"] == {} and config["base"] == "../.."
    # The clipboard's words stay where a hand-written page could hold a code block with Material's copy button.
    home = (real_site / "index.html").read_text(encoding="utf-8")
    config = json.loads(re.search(r'<script id="__config" type="application/json">(.*?)</script>', home).group(1))
    assert set(config["translations"]) == {"clipboard.copy", "clipboard.copied"} and config["base"] == "."
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


def test_on_a_phone_the_drawer_lists_the_sections_and_without_a_script_the_tabs_do(
    browser: Any,  # noqa: F811
    served: StaticServer,
) -> None:
    story = PAGES[0].removesuffix("index.html")
    for script in (True, False):
        context = browser.new_context(
            viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True, java_script_enabled=script
        )
        page = context.new_page()
        page.goto(served.url(story), wait_until="networkidle")
        if script:
            assert not page.locator(".md-tabs").is_visible()
            assert page.locator(".md-sidebar--primary .md-nav__link").all_text_contents() == SECTIONS
            page.locator("label.md-header__button[for=__drawer]").tap()
            # The drawer's title and repository link, as Material draws them, from the header's.
            title = page.locator(".md-sidebar--primary .md-nav__title[for=__drawer]")
            assert title.is_visible() and title.inner_text().strip() == "Gương điển hình tiên tiến"
            assert title.locator("a.md-nav__button.md-logo svg use").count() == 1
            source = page.locator(".md-sidebar--primary .md-nav__source a.md-source")
            assert source.is_visible() and source.get_attribute("href") == "https://github.com/example/guong-dien-hinh"
            page.locator(".md-sidebar--primary .md-nav__link", has_text="Dữ liệu mở").tap()
            page.wait_for_url("**/du-lieu/")
        else:
            assert page.locator(".md-tabs").is_visible()
            assert page.locator(".md-tabs__link").all_text_contents() == SECTIONS
        context.close()


def test_a_card_s_parts_its_chips_and_the_tabs_carry_no_class_and_keep_their_look(
    browser: Any,  # noqa: F811
    served: StaticServer,
    real_site: Path,
) -> None:
    """A card is on ten pages a story, the tabs on every page: site.css styles their parts by position, and a reader
    sees what Material's and our classes drew (the home page, written by hand, keeps Material's tab classes)."""
    story = (real_site / PAGES[0]).read_text(encoding="utf-8")
    cards = re.search(r'<ul class="ex-cards">(.*?)</ul>', story, re.S).group(1)
    assert cards.count("<li>") >= 3 and "<time" not in cards and "<div" not in cards
    assert not re.search(r"<(li|img|span|p|h3)\b[^>]* class=", cards)  # a sample's tag keeps its own (a <strong>)
    badges = re.search(r'<p class="ex-badges">(.*?)</p>', story).group(1)
    share = re.search(r'<div class="ex-share".*?</div>', story, re.S).group(0)
    assert "<a class" not in badges and "<a class" not in share and '<li class="md-tabs__item">' not in story
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(served.url(PAGES[0].removesuffix("index.html")), wait_until="networkidle")
    look = page.evaluate(
        """() => {
        const style = (element) => getComputedStyle(element);
        const card = document.querySelector(".ex-cards > li");
        const lines = [...card.querySelectorAll(":scope > p, :scope > h3")];
        const chip = card.querySelector("h3 + p + p > span");
        const kind = document.querySelector(".ex-badges > a");
        const field = document.querySelector(".ex-badges > a + a");
        const tab = document.querySelector(".md-tabs__list > li");
        return {
            card: [style(card).borderTopStyle, style(card).borderTopLeftRadius, style(card).overflow],
            sizes: lines.map((line) => parseFloat(style(line).fontSize)),
            inset: [lines[0].getBoundingClientRect().left - card.getBoundingClientRect().left,
                    parseFloat(style(lines[0]).marginTop), parseFloat(style(lines.at(-1)).marginBottom)],
            chip: [style(chip).display, style(chip).borderTopLeftRadius !== "0px", style(chip).backgroundColor],
            kind: [style(kind).backgroundColor, style(kind).color, style(kind).textDecorationLine],
            field: [style(field).backgroundColor, style(field).textDecorationLine],
            tab: [tab.getBoundingClientRect().height, style(tab).paddingLeft],
        };
    }"""
    )
    home = context.new_page()
    home.goto(served.url(""), wait_until="networkidle")
    home_tab = home.evaluate(
        "(() => { const t = document.querySelector('.md-tabs__item');"
        " return [t.getBoundingClientRect().height, getComputedStyle(t).paddingLeft]; })()"
    )
    context.close()
    assert look["card"] == ["solid", "8px", "hidden"]  # .4rem at Material's 20 px root
    # The kind and the date smaller than the title and the summary, the chips smaller still.
    kind_line, title, summary, chips, date = look["sizes"]
    assert kind_line == date < summary < title and chips < title
    # The text inset as the <div>'s padding set it: .8rem aside, .6rem above and below plus the lines' own .3em.
    assert look["inset"][0] == 16 + 1 and look["inset"][1] == look["inset"][2] == 12 + 0.3 * kind_line
    assert look["chip"][:2] == ["inline-block", True] and look["chip"][2] != "rgba(0, 0, 0, 0)"
    assert look["kind"][0] == "rgb(183, 28, 28)" and look["kind"][1] == "rgb(255, 255, 255)"
    assert look["kind"][2] == look["field"][1] == "none" and look["field"][0] != look["kind"][0]
    assert look["tab"] == home_tab == [48, "12px"]


def test_the_site_carries_none_of_materials_own_search_nor_its_source_maps(real_site: Path) -> None:
    """Material's search worker and lunr's language files serve its search plugin, which is off (the search is ours),
    and source maps only a browser's developer tools read: a newsroom's copy, a deploy and every build do without
    them, while Material's script and style stay."""
    assets = {path.relative_to(real_site).as_posix() for path in (real_site / "assets").rglob("*") if path.is_file()}
    assert not [a for a in assets if a.endswith(".map") or "/lunr/" in a or "/workers/" in a]
    assert any(re.fullmatch(r"assets/javascripts/bundle\.[0-9a-f]+\.min\.js", a) for a in assets)
    assert any(re.fullmatch(r"assets/stylesheets/main\.[0-9a-f]+\.min\.css", a) for a in assets)
    assert "assets/exemplars/search.js" in assets


def test_a_site_that_turns_materials_search_on_keeps_its_files(site: SiteFixture) -> None:
    from build_tools.build import build_site

    config = site.root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("plugins:\n", "plugins:\n  - search\n"), "utf-8")
    site.profile("nguyen-thi-huong-nam-dinh")
    built = build_site(site.project)
    assert list(built.glob("assets/javascripts/workers/search.*.min.js"))
    assert (built / "assets/javascripts/lunr/min/lunr.vi.min.js").is_file()
    assert (built / "search/search_index.json").is_file()
