"""A reader on a phone, in a real browser: a story read once opens again offline; sharing and printing work.

The site is served under a sub-path (/guong-dien-hinh/), as on a host where it does not live at the root.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import urljoin

import pytest

from build_tools.build import build_site

from .browser import StaticServer, browser  # noqa: F401 (the fixture)
from .conftest import SiteFixture

PREFIX = "/guong-dien-hinh/"
STORY = "guong/co-huong/"
CANONICAL = "https://example.test/guong/co-huong/"
STORY_TEXT = "\n\n".join(
    [
        "## Hai mươi năm đứng lớp",
        "Cô Hương dạy Toán ở Trường THCS Trần Đăng Ninh từ năm 2003. " * 6,
        "Mỗi tối, cô mở lớp học miễn phí cho học sinh có hoàn cảnh khó khăn trong phường. " * 5,
        "## Chuyển đổi số trong lớp học",
        "Cô xây dựng kho bài giảng điện tử và hướng dẫn đồng nghiệp sử dụng. " * 6,
    ]
)


@pytest.fixture(scope="module")
def reading_site(tmp_path_factory: pytest.TempPathFactory) -> SiteFixture:
    site = SiteFixture(tmp_path_factory.mktemp("reading") / "repo")
    site.photo("co-huong", name="chan-dung.jpg", size=(1600, 1067))
    site.profile(
        "co-huong",
        body=STORY_TEXT,
        fields=["day-tot-hoc-tot", "chuyen-doi-so"],
        awards=[
            {
                "title": "Bằng khen của Chủ tịch UBND tỉnh",
                "decision": "Quyết định số 1234/QĐ-UBND",
                "date": "2023-05-12",
            },
            {"title": "Chiến sĩ thi đua cơ sở", "decision": "Quyết định số 88/QĐ-UBND", "date": "2022-06-01"},
        ],
        photo={"src": "chan-dung.jpg", "alt": "Cô Hương trên lớp", "credit": "Báo Nam Định"},
        sources=[{"title": "Cô giáo của học trò vùng ven", "url": "https://example.vn/bai-viet"}],
    )
    site.profile("chua-doc", name="Người chưa đọc", summary="Một câu chuyện khác.", published="2023-05-01")
    config = site.root / "mkdocs.yml"  # the real site's "back to top" button
    config.write_text(
        config.read_text(encoding="utf-8").replace("  font: false\n", "  font: false\n  features: [navigation.top]\n"),
        encoding="utf-8",
    )
    build_site(site.project)
    return site


@pytest.fixture
def served(reading_site: SiteFixture) -> Iterator[StaticServer]:
    server = StaticServer(reading_site.root / "site", PREFIX)
    yield server
    server.stop()


def _wait_until(page: Any, script: str, timeout: float = 20) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = page.evaluate(script)
        if result:
            return result
        time.sleep(0.2)
    raise AssertionError(f"never true in the page: {script}")


KEPT = """async (path) => {
  const cache = await caches.open("ex-pages-v1");
  return Boolean(await cache.match(new URL(path, document.baseURI).href));
}"""
PHOTO_KEPT = """async () => {
  const photo = document.querySelector(".ex-photo img");
  return Boolean(photo.currentSrc && (await (await caches.open("ex-assets-v1")).match(photo.currentSrc)));
}"""
"""The story's photo as the browser chose it: the worker keeps a page and what it loaded side by side, so the page
may be kept a moment before its photo (seen under load)."""


def test_a_story_read_once_opens_again_offline(browser: Any, served: StaticServer) -> None:  # noqa: F811
    context = browser.new_context()
    page = context.new_page()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(served.url(STORY))
    scope = _wait_until(page, "navigator.serviceWorker.ready.then(r => r.scope)")
    assert scope == served.url()  # the whole site, under its sub-path
    deadline = time.monotonic() + 20
    while not page.evaluate(KEPT, served.url(STORY)) or not page.evaluate(PHOTO_KEPT):
        assert time.monotonic() < deadline, "the story and its photo were never kept for offline reading"
        time.sleep(0.2)
    assert all(url.startswith(served.url()) for url in requested), [u for u in requested if "127.0.0.1" not in u]

    served.stop()
    context.set_offline(True)
    page.reload()
    assert page.locator("h1").inner_text() == "Nguyễn Thị Hương"
    assert "Quyết định số 1234/QĐ-UBND" in page.content()
    _wait_until(page, "document.querySelector('.ex-photo img').complete")
    assert page.evaluate("document.querySelector('.ex-photo img').naturalWidth") > 0  # the photo too
    assert page.evaluate("getComputedStyle(document.querySelector('.md-header')).position") == "sticky"  # and styles

    # A page never opened offers the offline page, listing what can be read.
    page.goto(served.url("guong/chua-doc/"))
    assert page.locator("h1").inner_text() == "Bạn đang ngoại tuyến"
    kept = page.locator("[data-offline-list] a")
    kept.first.wait_for()
    assert kept.all_inner_texts() == ["Nguyễn Thị Hương"]
    assert page.evaluate("getComputedStyle(document.querySelector('.md-header')).position") == "sticky"
    context.close()


def test_feeds_and_data_are_never_answered_by_the_service_worker(browser: Any, served: StaticServer) -> None:  # noqa: F811
    context = browser.new_context()
    page = context.new_page()
    page.goto(served.url(STORY))
    # The worker claims the open page as soon as it is active (clients.claim), without a reload.
    _wait_until(page, "navigator.serviceWorker.ready.then(() => navigator.serviceWorker.controller !== null)")
    for path in ("feed.xml", "feed.json", "linh-vuc/day-tot-hoc-tot/feed.xml", "du-lieu/exemplars.json"):
        response = page.goto(served.url(path))
        assert response.ok and not response.from_service_worker, path
    page.goto(served.url(STORY))
    context.set_offline(True)
    outcome = page.evaluate(
        """async () => Promise.all(["../../feed.xml", "../../atom.xml", "../../du-lieu/exemplars.csv"].map(
             (u) => fetch(u).then(() => "served", () => "network error")))"""
    )
    assert outcome == ["network error"] * 3  # nothing stale is served in their place
    cached = page.evaluate(
        """async () => (await Promise.all((await caches.keys()).map(async (n) =>
             (await (await caches.open(n)).keys()).map((r) => r.url)))).flat()"""
    )
    assert cached and not [url for url in cached if re.search(r"\.(xml|json|csv)$", url)]
    context.close()


def test_share_buttons_copy_the_link_or_open_the_share_sheet(browser: Any, served: StaticServer) -> None:  # noqa: F811
    from playwright.sync_api import expect  # the browser fixture has checked that Playwright is there

    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.add_init_script("delete Navigator.prototype.share")  # a desktop browser without a share sheet
    page.goto(served.url(STORY))
    page.get_by_role("link", name="Chép liên kết").click()
    status = page.locator("[data-share-status]")
    # The status is written once the clipboard promise settles: wait for it rather than read it at once.
    expect(status).to_have_text("Đã chép liên kết.")
    assert page.evaluate("navigator.clipboard.readText()") == CANONICAL
    zalo = page.get_by_role("link", name=re.compile("^Zalo"))
    assert zalo.is_visible()
    zalo.click()
    expect(status).to_have_text("Đã chép liên kết. Mở Zalo và dán vào cuộc trò chuyện.")

    phone = context.new_page()
    phone.add_init_script("navigator.share = async (data) => { window.sharedWith = data; };")
    phone.goto(served.url(STORY))
    phone.get_by_role("link", name=re.compile("^Zalo")).click()
    assert _wait_until(phone, "window.sharedWith") == {"title": "Nguyễn Thị Hương", "url": CANONICAL}
    context.close()

    without_script = browser.new_context(java_script_enabled=False)
    plain = without_script.new_page()
    plain.goto(served.url(STORY))
    assert plain.get_by_role("link", name="Facebook").is_visible()
    # Without a script the link is the page's own address ("./"), which a reader copies by hand (long press).
    href = plain.get_by_role("link", name="Chép liên kết").get_attribute("href")
    assert urljoin(plain.url, href) == served.url(STORY)
    assert not plain.locator("a[data-share=native]").is_visible()  # no script, no share sheet: not offered
    without_script.close()


def test_printed_story_is_clean_and_fits_two_pages(browser: Any, served: StaticServer) -> None:  # noqa: F811
    context = browser.new_context()
    page = context.new_page()
    page.goto(served.url(STORY))
    page.emulate_media(media="print")
    hidden = [".md-header", ".md-tabs", ".md-sidebar--primary", ".md-footer", ".ex-share", ".ex-subscribe"]
    hidden += ["#guong-dien-hinh-lien-quan", ".md-content__button"]
    for selector in hidden:
        if page.locator(selector).count():
            assert not page.locator(selector).first.is_visible(), selector
    for selector in ("h1", ".ex-photo img", ".ex-awards", ".ex-credit", ".ex-credit-line"):
        assert page.locator(selector).first.is_visible(), selector
    credit_line = page.locator(".ex-credit-line").inner_text()
    assert CANONICAL in credit_line and "Ảnh: Báo Nam Định" in credit_line
    assert "(https://example.vn/bai-viet)" in page.evaluate(
        "getComputedStyle(document.querySelector('.ex-sources a'), '::after').content"
    )
    pdf = page.pdf(format="A4")
    pages = len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf))
    assert 1 <= pages <= 2, pages
    context.close()


def test_the_live_preview_registers_no_service_worker(browser: Any, served: StaticServer) -> None:  # noqa: F811
    context = browser.new_context()
    page = context.new_page()
    page.add_init_script("window.livereload = function () {};")  # what `exemplars serve` (MkDocs) defines
    page.goto(served.url(STORY), wait_until="load")
    page.wait_for_timeout(500)
    assert page.evaluate("navigator.serviceWorker.getRegistrations().then((r) => r.length)") == 0
    context.close()


MATERIAL_STARTED = "new Promise((done) => window.document$ ? document$.subscribe(() => done(true)) : done(false))"


def test_phones_read_without_materials_script_and_lose_nothing(browser: Any, served: StaticServer) -> None:  # noqa: F811
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    requested: list[str] = []
    problems: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.goto(served.url(STORY), wait_until="networkidle")
    assert not [url for url in requested if "/assets/javascripts/bundle." in url]  # 35 KB and a second of CPU saved
    assert page.evaluate("document.documentElement.classList.contains('js')")
    page.locator("label.md-header__button[for=__drawer]").tap()  # the menu opens without script
    assert page.get_by_role("link", name="Người tốt, việc tốt").first.is_visible()
    page.locator("label.md-overlay").tap(position={"x": 370, "y": 400})
    page.mouse.wheel(0, 2500)
    page.wait_for_timeout(200)
    page.mouse.wheel(0, -400)
    top = page.locator(".md-top")
    top.wait_for(state="visible")
    top.click()
    page.wait_for_function("window.scrollY === 0")
    assert problems == []
    context.close()


def test_wider_screens_still_run_materials_script(browser: Any, served: StaticServer) -> None:  # noqa: F811
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(served.url("linh-vuc/day-tot-hoc-tot/"), wait_until="networkidle")
    assert page.evaluate(MATERIAL_STARTED)  # Material's documented document$ observable has fired
    assert page.locator(".md-sidebar--secondary .md-nav__link").first.is_visible()  # the table of contents
    context.close()

    narrow = browser.new_context(viewport={"width": 390, "height": 844})
    page = narrow.new_page()
    page.goto(served.url("linh-vuc/day-tot-hoc-tot/"), wait_until="networkidle")
    assert page.evaluate("window.document$ === undefined")
    page.set_viewport_size({"width": 1280, "height": 900})  # a rotated tablet, a widened window
    page.wait_for_function("window.document$ !== undefined")
    assert page.evaluate(MATERIAL_STARTED)
    assert page.locator(".md-sidebar--secondary .md-nav__link").first.is_visible()
    narrow.close()
