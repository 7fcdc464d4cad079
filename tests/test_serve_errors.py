"""An officer edits a profile while `exemplars serve` runs and looks at the browser, not the terminal: a mistake
shows there, over the last good page, with file, line, field and message in Vietnamese; fixed, the story returns.
"""

from __future__ import annotations

import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest

from .browser import browser  # noqa: F401 (the fixture)
from .conftest import BASE_PROFILE, SiteFixture, profile_text
from .test_serve import _fetch_until, running_serve

PANEL = 'id="ex-serve-problems"'
BROKEN = {**BASE_PROFILE, "name": "Người đang xem", "kind": "<script>alert(1)</script>"}


@pytest.fixture
def serving(site: SiteFixture) -> Iterator[tuple[SiteFixture, str]]:
    site.profile("dang-xem", name="Người đang xem")
    with running_serve(site.root) as base:
        _fetch_until(f"{base}/guong/dang-xem/", "Người đang xem")
        yield site, base


def _fetch_missing(url: str, needle: str, timeout: float = 60) -> str:
    """The body of a page that answers 404, once it contains `needle`."""
    deadline = time.monotonic() + timeout
    last = ""
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=30).close()
        except urllib.error.HTTPError as error:
            assert error.code == 404
            last = error.read().decode("utf-8")
            if needle in last:
                return last
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.3)
    raise AssertionError(f"{needle!r} never appeared at {url}; last page:\n{last[:500]}")


def test_a_broken_profile_shows_its_problems_over_the_page_until_it_is_fixed(
    serving: tuple[SiteFixture, str],
) -> None:
    site, base = serving
    path = site.root / "exemplars" / "dang-xem" / "index.md"
    path.write_text(profile_text(BROKEN, "Câu chuyện."), encoding="utf-8")
    kind_line = path.read_text(encoding="utf-8").splitlines().index("kind: <script>alert(1)</script>") + 1

    page = _fetch_until(f"{base}/guong/dang-xem/", PANEL)
    assert "Hồ sơ có 1 lỗi: trang xem trước chưa cập nhật" in page
    assert (
        f'<li data-path="exemplars/dang-xem/index.md" data-line="{kind_line}" data-key="kind"' in page
    )  # file, line and field
    assert f'<code style="font-weight:600">exemplars/dang-xem/index.md</code>, dòng {kind_line}' in page
    assert "trường <code>kind</code>: loại không hợp lệ" in page
    # What the officer typed is quoted, never run: the only <script> tags are the page's own and live reload's.
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "Người đang xem" in page  # the last good page is still under it

    # Every page says so, and so does a new story's address while its profile cannot be read.
    assert PANEL in _fetch_until(f"{base}/", PANEL)
    site.profile("nguoi-moi", name="Người mới", consent=False)
    missing = _fetch_missing(f"{base}/guong/nguoi-moi/", "Hồ sơ có 2 lỗi")
    assert "exemplars/nguoi-moi/index.md" in missing and "exemplars/dang-xem/index.md" in missing
    assert "livereload" in missing  # it reloads by itself once fixed

    site.profile("nguoi-moi", name="Người mới")
    site.profile("dang-xem", name="Người đã sửa xong")
    page = _fetch_until(f"{base}/guong/dang-xem/", "Người đã sửa xong")
    assert PANEL not in page
    assert PANEL not in _fetch_until(f"{base}/guong/nguoi-moi/", "Người mới")


def test_the_browser_shows_the_problems_and_reloads_without_them(
    browser: Any,  # noqa: F811
    serving: tuple[SiteFixture, str],
) -> None:
    site, base = serving
    page = browser.new_page()
    page.goto(f"{base}/guong/dang-xem/")
    panel = page.get_by_role("alert")
    site.profile("dang-xem", name="Người đang xem", summary="")
    panel.wait_for(timeout=60_000)  # live reload brings the problems in, without the officer touching the page
    assert panel.locator("h2").inner_text() == "Hồ sơ có 1 lỗi: trang xem trước chưa cập nhật"
    assert panel.locator("li").inner_text().startswith("exemplars/dang-xem/index.md, dòng ")
    assert ", trường summary: " in panel.locator("li").inner_text()
    assert panel.is_visible() and page.locator("h1").inner_text() == "Người đang xem"

    site.profile("dang-xem", name="Người đã sửa xong")
    page.locator("h1", has_text="Người đã sửa xong").wait_for(timeout=60_000)
    assert page.get_by_role("alert").count() == 0
    page.close()


def test_started_on_a_broken_profile_the_preview_lists_the_problems_and_builds_once_fixed(site: SiteFixture) -> None:
    site.profile("dang-xem", name="Người đang xem", consent=False)
    with running_serve(site.root) as base:
        page = _fetch_missing(f"{base}/", PANEL)  # no site yet: every address answers the list
        assert "<h1>Chưa tạo được trang xem trước</h1>" in page
        assert 'data-path="exemplars/dang-xem/index.md"' in page and 'data-key="consent"' in page
        assert "livereload" in page
        site.profile("dang-xem", name="Người đang xem")
        home = _fetch_until(f"{base}/", "Người đang xem")
        assert PANEL not in home
        assert PANEL not in _fetch_until(f"{base}/guong/dang-xem/", "Người đang xem")
