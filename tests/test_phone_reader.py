"""A reader on a phone, in Chromium, on the real sample site (issue 20): what people tripped on.

Phones run without Material's script (partials/ex-material-loader.html: it is not loaded below 60em), so every
test here on a phone viewport, with touch, checks that it was not requested. Desktop checks run with it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from .browser import StaticServer, browser  # noqa: F401 (the fixture)

STORY = "guong/chi-hoi-phu-nu-thon-hoa-binh-bac-giang/"  # a photo credited "Ảnh minh họa: Ban biên tập"
PLAN = "ke-hoach/nam-dinh-2022-2025/"  # about twenty screens on a phone
FIELD = "linh-vuc/chong-rac-thai-nhua/"
PROVINCE = "dia-phuong/bac-ninh/"
PAGES = ["", STORY, PLAN, FIELD, PROVINCE, "nguoi-tot-viec-tot/", "thong-ke/", "bao-chi/", "du-lieu/", "404.html"]
MATERIAL = "/assets/javascripts/bundle."


@pytest.fixture(scope="module")
def served(real_site: Path) -> Iterator[StaticServer]:
    server = StaticServer(real_site)
    yield server
    server.stop()


class Phone:
    """One phone (touch, no Material script) in its own browser context; `requested` lists every URL asked for."""

    def __init__(self, browser: Any, served: StaticServer, width: int = 360, script: bool = True) -> None:  # noqa: F811
        self.served = served
        self.context = browser.new_context(
            viewport={"width": width, "height": 740}, is_mobile=True, has_touch=True, java_script_enabled=script
        )
        self.page = self.context.new_page()
        self.requested: list[str] = []
        self.failed: list[str] = []
        self.page.on("request", lambda request: self.requested.append(request.url))
        self.page.on("response", lambda r: self.failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
        self.page.on("pageerror", lambda error: self.failed.append(str(error)))

    def open(self, path: str, until: str = "load") -> Any:
        """The page as a reader meets it once it has loaded (its deferred scripts have run); `networkidle` (half a
        second without a request) for a test that must see every request the page makes."""
        self.page.goto(self.served.url(path), wait_until=until)
        return self.page

    def close(self) -> None:
        assert not [url for url in self.requested if MATERIAL in url], "Material's script was loaded on a phone"
        self.context.close()


@pytest.fixture
def phone(browser: Any, served: StaticServer) -> Iterator[Phone]:  # noqa: F811
    made = Phone(browser, served)
    yield made
    made.close()


def _state(page: Any) -> dict[str, Any]:
    return page.evaluate(
        """() => ({drawer: document.getElementById('__drawer').checked,
                   search: document.getElementById('__search').checked,
                   path: location.pathname, query: location.search, hash: location.hash, y: scrollY})"""
    )


def test_a_tap_on_an_entry_of_the_drawers_table_of_contents_closes_the_drawer(phone: Phone) -> None:
    page = phone.open("bao-chi/")
    page.locator("label.md-header__button[for=__drawer]").tap()
    page.locator(".md-nav--primary label.md-nav__link[for=__toc]").tap()  # "Mục lục" of this page, in the drawer
    entry = page.locator(".md-nav--primary .md-nav--secondary a.md-nav__link").nth(2)
    anchor = entry.get_attribute("href")
    entry.tap()
    page.wait_for_function("!document.getElementById('__drawer').checked")
    page.wait_for_function(f"location.hash === {anchor!r}")
    state = _state(page)
    assert state["path"] == "/bao-chi/" and state["y"] > 300  # the section, no longer under the drawer
    heading = page.locator(anchor)
    assert (
        heading.is_visible() and page.evaluate(f"document.querySelector({anchor!r}).getBoundingClientRect().top") < 200
    )
    page.wait_for_function("document.querySelector('.md-sidebar--primary').getBoundingClientRect().right <= 0")

    # An entry to another page: the drawer's history entry goes first, so Back from there returns to this page.
    page.locator("label.md-header__button[for=__drawer]").tap()
    page.locator(".md-nav--primary .md-nav--secondary label.md-nav__title[for=__toc]").tap()  # up from "Mục lục"
    page.locator(".md-nav--primary > .md-nav__list > .md-nav__item > a", has_text="Dữ liệu mở").tap()
    page.wait_for_url(re.compile(r"/du-lieu/$"))
    page.go_back(wait_until="networkidle")
    state = _state(page)
    assert state["path"] == "/bao-chi/" and not state["drawer"]
    assert not page.evaluate("history.state && history.state.exDrawer")


def test_back_closes_the_drawer_and_the_search_before_leaving_the_page(phone: Phone) -> None:
    page = phone.open("nguoi-tot-viec-tot/")
    page.locator("label.md-header__button[for=__drawer]").tap()
    assert _state(page)["drawer"]
    page.evaluate("history.back()")  # Android's Back button
    page.wait_for_function("!document.getElementById('__drawer').checked")
    assert _state(page)["path"] == "/nguoi-tot-viec-tot/"

    page.locator("label.md-header__button[for=__search]").tap()
    page.locator(".md-search__input").fill("nông thôn")
    page.wait_for_function("document.querySelector('.md-search-result__meta')?.dataset.query === 'nông thôn'")
    assert parse_qs(_state(page)["query"][1:]) == {"q": ["nông thôn"]}
    page.evaluate("history.back()")
    page.wait_for_function("!document.getElementById('__search').checked")
    state = _state(page)
    assert state["path"] == "/nguoi-tot-viec-tot/" and state["query"] == ""  # still here; the query went with it
    # Closed on the page (the arrow), the search leaves no entry behind: the next Back leaves the page at once.
    page.locator("label.md-header__button[for=__search]").tap()
    page.locator(".md-search__input").fill("hợp tác xã")
    page.locator(".md-search__form label.md-search__icon").tap()
    page.wait_for_function("!document.getElementById('__search').checked")
    page.wait_for_function("!(history.state && history.state.exSearch)")  # its entry is gone
    assert _state(page)["path"] == "/nguoi-tot-viec-tot/" and _state(page)["query"] == ""


def test_a_search_closed_as_soon_as_it_opened_stays_closed(phone: Phone) -> None:
    """A reader who taps the search button, then the arrow at once (a mistaken tap), is left with the page: the focus
    the opened box was due a moment later must not open it again."""
    page = phone.open("nguoi-tot-viec-tot/")
    page.evaluate(
        """() => {
            document.querySelector('label.md-header__button[for=__search]').click();
            document.querySelector('.md-search__form label.md-search__icon').click();
        }"""
    )
    page.wait_for_timeout(600)  # past the moment the box would take the focus
    state = _state(page)
    assert not state["search"] and state["query"] == ""
    assert page.evaluate("document.activeElement === document.querySelector('.md-search__input')") is False


def test_the_search_query_and_its_filters_live_in_the_address(phone: Phone) -> None:
    page = phone.open(STORY)
    page.locator("label.md-header__button[for=__search]").tap()
    page.locator(".md-search__input").fill("ninh thuận")
    page.locator(".ex-search__filter-toggle").tap()
    kind = page.locator(".ex-search__filters select[name=loai]")
    kind.wait_for()
    kind.select_option("ho-gia-dinh")
    page.wait_for_function("document.querySelector('.md-search-result__meta')?.dataset.filters === 'loai=ho-gia-dinh'")
    assert parse_qs(_state(page)["query"][1:]) == {"q": ["ninh thuận"], "loai": ["ho-gia-dinh"]}
    titles = page.locator(".md-search-result__list .ex-result__title").all_inner_texts()
    assert titles == ["Hộ gia đình anh Chamaléa Thuận"]

    page.locator(".md-search-result__list a").first.tap()
    page.wait_for_url(re.compile(r"/guong/ho-chamalea-thuan-ninh-thuan/$"))
    page.go_back(wait_until="networkidle")  # from the result back to the list, as it was
    for _ in ("back", "refresh"):
        page.wait_for_function(
            "document.querySelector('.md-search-result__meta')?.dataset.filters === 'loai=ho-gia-dinh'"
        )
        assert _state(page)["search"] and page.locator(".md-search__input").input_value() == "ninh thuận"
        assert page.locator(".ex-search__filters select[name=loai]").input_value() == "ho-gia-dinh"
        assert page.locator(".md-search-result__list .ex-result__title").all_inner_texts() == titles
        page.reload(wait_until="networkidle")


def test_long_pages_open_with_a_folded_table_of_contents_on_phones(phone: Phone, browser: Any) -> None:  # noqa: F811
    page = phone.open(PLAN)
    toc = page.locator("article details.ex-toc")
    assert toc.count() == 1 and toc.evaluate("e => e.previousElementSibling.tagName") == "H1"  # it heads the page
    assert not toc.evaluate("e => e.open") and page.locator("details.ex-toc > summary").inner_text() == "Mục lục trang"
    page.locator("details.ex-toc > summary").tap()
    entries = page.locator("details.ex-toc a")
    headings = page.locator("article h2[id]").evaluate_all("hs => hs.map((h) => '#' + h.id)")
    assert [entries.nth(i).get_attribute("href") for i in range(entries.count())] == headings
    assert "Lĩnh vực và tiêu chí" in entries.all_inner_texts()
    toc.get_by_role("link", name="Lĩnh vực và tiêu chí", exact=True).tap()
    page.wait_for_function("location.hash === '#linh-vuc-va-tieu-chi'")
    assert not toc.evaluate("e => e.open")  # folded again, out of the way
    assert abs(page.evaluate("document.getElementById('linh-vuc-va-tieu-chi').getBoundingClientRect().top")) < 120

    assert phone.open(STORY).locator("details.ex-toc").count() == 1  # a long story too
    assert phone.open("gioi-thieu/").locator("details.ex-toc").count() == 0  # a short page needs none
    wide = browser.new_context(viewport={"width": 1280, "height": 900})
    desktop = wide.new_page()
    desktop.goto(phone.served.url(PLAN), wait_until="networkidle")
    assert not desktop.locator("details.ex-toc").count() or not desktop.locator("details.ex-toc").is_visible()
    wide.close()


TARGETS = """() => {
  const small = [];
  const selector = 'a[href], button, summary, select, input:not([type=hidden]), label.md-header__button';
  for (const el of document.querySelectorAll(selector)) {
    const box = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    if (!box.width || !box.height || style.visibility === 'hidden' || style.opacity === '0') continue;
    if (box.right <= 0 || box.left >= innerWidth || el.closest('[hidden], .md-sidebar')) continue;
    // WCAG 2.5.8 exempts a link inside a sentence: its size is the text's.
    const block = el.parentElement.closest('p, li, dd, td, figcaption, .ex-parts, .md-copyright, .ex-facts, .ex-lead');
    const inSentence = el.tagName === 'A' && block && block.textContent.trim() !== el.textContent.trim()
      && !(el.parentElement.tagName === 'LI' && el === el.parentElement.firstElementChild);
    if (inSentence) continue;
    const name = `${el.tagName} "${el.textContent.trim().slice(0, 30)}"`;
    if (box.height < 24 || box.width < 24) small.push(`${name} ${Math.round(box.width)}×${Math.round(box.height)}`);
  }
  return small;
}"""


def test_tap_targets_are_at_least_24_px_and_the_main_controls_44(phone: Phone) -> None:
    for path in [*PAGES, "linh-vuc/", "dia-phuong/", "dong-gop/"]:
        assert phone.open(path).evaluate(TARGETS) == [], path
    page = phone.open("")
    page.locator("label.md-header__button[for=__drawer]").tap()
    assert page.evaluate(TARGETS.replace("'[hidden], .md-sidebar'", "'[hidden]'")) == []  # the drawer's entries
    page.locator("label.md-overlay").tap(position={"x": 350, "y": 400})
    search = page.locator("label.md-header__button[for=__search]")
    assert search.bounding_box()["height"] >= 44 and search.bounding_box()["width"] >= 44
    search.tap()
    page.locator(".md-search__input").fill("xã")
    page.wait_for_function("document.querySelector('.md-search-result__meta')?.dataset.query === 'xã'")
    for control in (".md-search__input", ".ex-search__filter-toggle", ".ex-search__more"):
        box = page.locator(control).bounding_box()
        assert box["height"] >= 44, (control, box)
    more = page.locator(".ex-search__more")
    assert more.inner_text() == "Xem thêm kết quả"
    looks = more.evaluate(
        "e => { const s = getComputedStyle(e); return [s.borderTopWidth, s.borderRadius, s.cursor]; }"
    )
    assert float(looks[0].removesuffix("px")) >= 1 and looks[1] != "0px" and looks[2] == "pointer"  # a button


PLACEHOLDER = """() => {
  const input = document.querySelector('.md-search__input');
  const style = getComputedStyle(input);
  const context = document.createElement('canvas').getContext('2d');
  context.font = `${style.fontStyle} ${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
  const room = input.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  return [context.measureText(input.placeholder).width, room, input.placeholder];
}"""


@pytest.mark.parametrize("width", [320, 360, 412, 1280])
def test_the_search_placeholder_is_never_cut(browser: Any, served: StaticServer, width: int) -> None:  # noqa: F811
    context = browser.new_context(
        viewport={"width": width, "height": 740}, is_mobile=width < 960, has_touch=width < 960
    )
    page = context.new_page()
    page.goto(served.url(STORY), wait_until="networkidle")
    if width < 960:
        page.locator("label.md-header__button[for=__search]").tap()
    text_width, room, text = page.evaluate(PLACEHOLDER)
    assert text == "Tìm kiếm" and text_width <= room, (text_width, room)
    # What can be searched for is said as the search opens, in full, where there is room for it.
    page.locator(".md-search__input").focus()
    hint = page.locator(".md-search-result__meta")
    assert hint.inner_text().startswith("Gõ tên người, tập thể, địa phương hoặc lĩnh vực") and hint.is_visible()
    context.close()


@pytest.mark.parametrize("script", [True, False], ids=["with-script", "without-script"])
def test_no_page_scrolls_sideways_at_320_px(browser: Any, served: StaticServer, script: bool) -> None:  # noqa: F811
    phone = Phone(browser, served, 320, script)
    wide = {}
    for path in PAGES:
        page = phone.open(path)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 320:
            wide[path] = width
    assert wide == {}
    phone.close()


LINE_BREAKS = """(code) => {
  // Where the address wraps: the character before each line break.
  const range = document.createRange();
  const text = code.textContent;
  const nodes = [];
  const walker = document.createTreeWalker(code, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) nodes.push(walker.currentNode);
  const breaks = [];
  let top = null, previous = '';
  for (const node of nodes) {
    for (let i = 0; i < node.length; i++) {
      range.setStart(node, i); range.setEnd(node, i + 1);
      const rect = range.getClientRects()[0];
      if (!rect) continue;
      if (top !== null && rect.top > top + 2) breaks.push(previous);
      top = rect.top; previous = node.data[i];
    }
  }
  return breaks;
}"""


def test_feed_addresses_on_the_press_page_wrap_after_a_slash_or_hyphen(browser: Any, served: StaticServer) -> None:  # noqa: F811
    phone = Phone(browser, served, 320)
    page = phone.open("bao-chi/")
    codes = page.locator(".ex-feeds code")
    assert codes.count() > 40
    wrapped = 0
    for index in range(codes.count()):
        code = codes.nth(index)
        breaks = code.evaluate(LINE_BREAKS)
        wrapped += bool(breaks)
        assert set(breaks) <= {"/", "-"}, (code.inner_text(), breaks)
        assert code.inner_text().startswith("https://")
    assert wrapped  # the narrow screen did make them wrap
    phone.close()


def test_the_404_page_is_vietnamese_and_leads_somewhere(phone: Phone) -> None:
    page = phone.open("404.html")
    assert page.locator("h1").inner_text() == "Không tìm thấy trang"
    assert "Not found" not in page.content()
    sections = page.locator(".ex-notfound-nav a")
    names = sections.all_inner_texts()
    assert names[:3] == ["Trang chủ", "Người tốt, việc tốt", "Lĩnh vực"] and "Báo chí" in names
    for index in range(sections.count()):
        response = page.request.get(sections.nth(index).evaluate("a => a.href"))
        assert response.ok, names[index]
    page.locator("#ex-notfound-q").fill("Vi Văn Khởi")
    page.locator(".ex-notfound-search button").tap()
    page.wait_for_url(re.compile(r"/\?q="), wait_until="networkidle")
    page.wait_for_function("document.querySelector('.md-search-result__meta')?.dataset.query === 'Vi Văn Khởi'")
    assert _state(page)["path"] == "/" and _state(page)["search"]  # the home page, its search open with the query
    assert page.locator(".md-search-result__list .ex-result__title").first.inner_text() == "Vi Văn Khởi"


def test_footer_and_back_to_top_speak_vietnamese(phone: Phone) -> None:
    page = phone.open(STORY)
    footer = page.locator(".md-copyright").inner_text()
    assert "Made with" not in footer and "Trang được làm bằng phần mềm mã nguồn mở" in footer
    assert page.locator(".md-top").evaluate("e => e.textContent.trim()") == "Lên đầu trang"


def test_the_photo_caption_stands_apart_from_its_credit(phone: Phone) -> None:
    page = phone.open(STORY)
    caption, credit = page.locator(".ex-photo .ex-caption"), page.locator(".ex-photo .ex-credit")
    assert credit.inner_text() == "Ảnh minh họa: Ban biên tập"  # the credit says "Ảnh" itself: not "Ảnh: Ảnh…"
    assert page.locator(".ex-photo figcaption").inner_text().count("Ảnh") == 1
    assert credit.bounding_box()["y"] >= caption.bounding_box()["y"] + caption.bounding_box()["height"] - 1
    line = page.locator(".ex-credit-line")
    assert line.inner_text().endswith("(Ảnh minh họa: Ban biên tập)")
    font = line.evaluate("e => getComputedStyle(e).fontFamily")
    assert not re.search(r"mono|courier|consolas", font, re.IGNORECASE), font


def test_no_request_fails_on_any_page_type_on_a_desktop(browser: Any, served: StaticServer) -> None:  # noqa: F811
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    failed: list[str] = []
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.on("console", lambda message: failed.append(message.text) if message.type == "error" else None)
    for path in [p for p in PAGES if p != "404.html"]:
        page.goto(served.url(path), wait_until="networkidle")
        page.wait_for_function("window.document$ !== undefined")  # Material runs here
        page.wait_for_timeout(300)
    assert failed == []
    # The feeds are still announced for readers and browser extensions once Material has started.
    page.goto(served.url(FIELD), wait_until="networkidle")
    feeds = page.locator('link[rel="alternate"][type="application/rss+xml"]').evaluate_all(
        "links => links.map((l) => new URL(l.href).pathname)"
    )
    assert f"/{FIELD}feed.xml" in feeds and "/feed.xml" in feeds
    context.close()


def test_phones_ask_for_nothing_that_fails_either(phone: Phone) -> None:
    for path in PAGES:
        phone.open(path, until="networkidle")
    assert phone.failed == []
    assert {urlsplit(url).path for url in phone.requested if url.endswith("sitemap.xml")} == set()
