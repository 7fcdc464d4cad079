"""A pull request's preview lives under a sub-path (`/pr-preview/pr-7/` on GitHub Pages): a reviewer opens it and
walks home → story → field → search → a mistyped address, and nothing on the way may assume the site sits at `/`.

The site is built with `--site-url` set to the preview's address (as the pull-request workflow does) and served
as a static host serves a site under a sub-path: nothing outside the prefix, no folder listings, the site's
404.html for a miss at any depth. (GitHub Pages answers a miss anywhere with the root 404.html, the main site's:
the walk covers a site published under a sub-path as well as a preview.) Any request outside the prefix, any
failed response or any console error fails the walk.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest

from .browser import StaticServer, browser  # noqa: F401 (the fixture)
from .conftest import SiteFixture

PREFIX = "/pr-preview/pr-7/"
MISSING = "guong/khong-co-ai/ca/trang-nay/"


@pytest.fixture(scope="module")
def preview(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StaticServer]:
    site = SiteFixture(tmp_path_factory.mktemp("preview") / "repo")
    site.photo("co-huong")
    site.profile(
        "co-huong",
        body="Cô Hương mở lớp học miễn phí cho học sinh nghèo trong phường.\n\n## Lớp học buổi tối\n\nMỗi tối.",
        photo={"src": "anh.jpg", "alt": "Cô Hương trên lớp", "credit": "Báo Nam Định"},
    )
    site.profile(
        "tram-y-te-ea-tieu",
        group="2024",
        name="Trạm Y tế xã Ea Tiêu",
        kind="tap-the",
        consent=None,
        fields=["y-te"],
        province="dak-lak",
        summary="Trạm y tế điển hình tiên tiến của tỉnh Đắk Lắk.",
        published="2024-03-01",
    )
    server = StaticServer(site.root / "site", PREFIX, like_github_pages=True)
    # The command the pull-request workflow runs, with the address the preview will have.
    built = subprocess.run(
        [
            sys.executable,
            "-m",
            "build_tools.cli",
            "--root",
            str(site.root),
            "build",
            "--site-url",
            server.url(),
            "--preview",
        ],
        capture_output=True,
        text=True,
    )
    assert built.returncode == 0, built.stderr
    yield server
    server.stop()


class Watch:
    """Everything the browser asked for and was told, on every page and in the service worker."""

    def __init__(self, context: Any, base: str) -> None:
        self.base = base
        self.outside: list[str] = []
        self.failed: list[str] = []
        self.errors: list[str] = []
        self.expected_404: set[str] = set()
        context.on("request", self._request)
        context.on("response", self._response)
        context.on("requestfailed", self._failed)

    def _request(self, request: Any) -> None:
        if not request.url.startswith(self.base):
            self.outside.append(request.url)

    def _failed(self, request: Any) -> None:
        # Chromium fetches the favicon last and at low priority, and cancels it when the walk moves on first (seen
        # under load): a cancelled favicon is no missing file (a missing one answers 404, caught in `_response`).
        if request.failure == "net::ERR_ABORTED" and request.url.endswith("/favicon.png"):
            return
        self.failed.append(f"{request.url}: {request.failure}")

    def _response(self, response: Any) -> None:
        if response.status >= 400 and response.url not in self.expected_404:
            self.failed.append(f"{response.url}: {response.status}")

    def page(self, context: Any) -> Any:
        page = context.new_page()
        page.on("pageerror", lambda error: self.errors.append(f"{page.url}: {error}"))

        def console(message: Any) -> None:
            if message.type != "error":
                return
            # Chromium reports the deliberate 404 document itself as a console error; nothing else may be one.
            location = message.location.get("url", "") if message.location else ""
            if location in self.expected_404 and "404" in message.text:
                return
            self.errors.append(f"{page.url}: {message.text}")

        page.on("console", console)
        return page

    def assert_clean(self) -> None:
        assert not self.outside, f"requests outside {self.base}: {self.outside}"
        assert not self.failed, f"failed requests: {self.failed}"
        assert not self.errors, f"console errors: {self.errors}"


def _styled(page: Any) -> bool:
    """Material's stylesheet and ours applied: the header sticks, the body font is not the browser's default."""
    return page.evaluate(
        "getComputedStyle(document.querySelector('.md-header')).position === 'sticky'"
        " && getComputedStyle(document.body).fontFamily.indexOf('Times') === -1"
    )


@pytest.mark.parametrize(
    "screen",
    [
        pytest.param({"viewport": {"width": 1280, "height": 900}}, id="desktop"),
        pytest.param({"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}, id="phone"),
    ],
)
def test_a_reviewer_walks_the_preview_under_its_sub_path(
    browser: Any,  # noqa: F811
    preview: StaticServer,
    screen: dict[str, Any],
) -> None:
    context = browser.new_context(**screen)
    watch = Watch(context, preview.url())
    page = watch.page(context)

    # Home: styled, its links inside the preview.
    assert page.goto(preview.url()).status == 200
    assert _styled(page)
    hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
    inside = [h for h in hrefs if h.startswith("http://127.0.0.1")]
    assert inside and all(h.startswith(preview.url()) for h in inside), [h for h in inside if PREFIX not in h]

    # A story from the home page, its photo loaded.
    page.locator("a[href$='guong/co-huong/']").first.click()
    page.wait_for_url(preview.url("guong/co-huong/"))
    assert page.locator("h1").inner_text() == "Nguyễn Thị Hương"
    page.wait_for_function("() => { const i = document.querySelector('.ex-photo img'); return i && i.complete; }")
    assert page.evaluate("document.querySelector('.ex-photo img').naturalWidth") > 0
    canonical = page.get_attribute("link[rel=canonical]", "href")
    assert canonical == preview.url("guong/co-huong/")
    assert page.get_attribute("meta[property='og:url']", "content") == canonical
    feeds = page.eval_on_selector_all("link[rel=alternate]", "links => links.map(l => l.href)")
    assert feeds and all(f.startswith(preview.url()) for f in feeds)
    # It lives on the real site's host: it says what it is, and search engines are asked to leave it out.
    assert page.locator(".md-banner").inner_text().startswith("Trang xem trước của một đề xuất thay đổi")
    assert page.get_attribute("meta[name=robots]", "content") == "noindex"

    # Its field, from the link on the story.
    page.locator("main a[href$='linh-vuc/day-tot-hoc-tot/']").first.click()
    page.wait_for_url(preview.url("linh-vuc/day-tot-hoc-tot/"))
    assert "Dạy tốt" in page.locator("h1").inner_text()

    # Search from the header: the index is fetched under the prefix; a result opens the story in its group folder.
    if not page.is_visible(".md-search__input"):
        page.click("label.md-header__button[for='__search']")
    page.fill(".md-search__input", "tram y te ea tieu")
    result = page.locator(".ex-result", has_text="Trạm Y tế xã Ea Tiêu").first
    result.wait_for()
    result.click()
    page.wait_for_url(preview.url("guong/tram-y-te-ea-tieu/"))
    assert page.locator("h1").inner_text() == "Trạm Y tế xã Ea Tiêu"

    # A mistyped address, three folders deep: the site's 404 page, styled, and its links lead back into the preview.
    watch.expected_404.add(preview.url(MISSING))
    response = page.goto(preview.url(MISSING))
    assert response.status == 404
    assert _styled(page)
    assert page.locator(".md-banner").is_visible()
    page.wait_for_load_state("load")
    hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
    inside = [h for h in hrefs if h.startswith("http://127.0.0.1")]
    assert inside and all(h.startswith(preview.url()) for h in inside), inside
    home = page.locator("a.md-header__button.md-logo")
    if not home.is_visible():  # a phone shows the home link in the drawer
        page.click("label.md-header__button[for='__drawer']")
        home = page.locator(".md-nav--primary a.md-nav__link", has_text="Trang chủ").first
    home.click()
    page.wait_for_url(lambda url: url.rstrip(".") == preview.url())
    assert _styled(page)

    watch.assert_clean()
    context.close()
