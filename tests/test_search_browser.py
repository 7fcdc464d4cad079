"""A reader on a phone searches from the header: Debian's Chromium, driven by Playwright, on a site served locally.

In CI (CI=true) a missing Chromium or Playwright fails the run; on a developer's machine without them it skips.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from typing import Any

import pytest

from build_tools.build import build_site

from .browser import StaticServer, browser, require_browser  # noqa: F401 (the fixture)
from .conftest import SiteFixture


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    require_browser()
    site = SiteFixture(tmp_path_factory.mktemp("browser") / "repo")
    site.profile(
        "nguyen-thi-huong-nam-dinh",
        body="Cô là tấm gương người tốt, việc tốt được cả phường quý mến.",
        summary="Cô giáo dạy Toán hai mươi năm ở vùng ven.",
        photo={"src": "anh.jpg", "alt": "Cô Hương trên lớp", "credit": "Báo Nam Định"},
    )
    site.photo("nguyen-thi-huong-nam-dinh")
    site.profile(
        "tran-van-huong-ha-noi",
        name="Trần Văn Hưởng",
        fields=["chuyen-doi-so"],
        province="ha-noi",
        summary="Cán bộ một cửa đưa thủ tục lên mạng.",
        published="2024-01-15",
    )
    site.profile(
        "tram-y-te-ea-tieu",
        name="Trạm Y tế xã Ea Tiêu",
        kind="tap-the",
        consent=None,
        fields=["y-te"],
        province="dak-lak",
        summary="Trạm y tế điển hình tiên tiến của tỉnh Đắk Lắk.",
        body="Các y sĩ đi từng buôn tiêm chủng cho trẻ em.",
        published="2024-03-01",
    )
    site.profile(
        "ke-tan-cong",
        name="Lò Văn Sáng",
        summary="Người dân tộc Thái giúp bản làng.",
        body='Anh giúp bản. <script>alert("xss")</script><img src=x onerror="alert(2)">',
        province="son-la",
        published="2022-05-05",
        sample=True,
    )
    site.profile("ban-nhap", name="Bản nháp Quýtxanh", summary="Chưa duyệt.", draft=True)
    server = StaticServer(build_site(site.project))
    yield server.url()
    server.stop()


@pytest.fixture(scope="module")
def phone(served: str, browser: Any) -> Iterator[Any]:  # noqa: F811
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("dialog", lambda dialog: errors.append(f"dialog: {dialog.message}"))
    page.goto(served + "guong/tran-van-huong-ha-noi/")
    page.errors = errors  # type: ignore[attr-defined]
    yield page
    context.close()


def search(page, query: str, filters: str = "") -> list[str]:  # type: ignore[no-untyped-def]
    """Open the header's search on a phone, type a query, return the titles of the results."""
    if not page.is_visible(".md-search__input"):
        page.click("label.md-header__button[for='__search']")
    page.fill(".md-search__input", query)
    wait_for_results(page, query, filters)
    return page.locator(".ex-result__title").all_inner_texts()


def wait_for_results(page, query: str, filters: str = "") -> None:  # type: ignore[no-untyped-def]
    page.wait_for_function(
        "([q, f]) => { const m = document.querySelector('.md-search-result__meta');"
        " return m.dataset.query === q && m.dataset.filters === f; }",
        arg=[query.strip(), filters],
        timeout=10_000,
    )


def test_header_search_opens_on_a_phone_and_finds_without_diacritics(phone) -> None:  # type: ignore[no-untyped-def]
    titles = search(phone, "nguoi tot viec tot")
    assert titles[0] == "Nguyễn Thị Hương"
    marks = phone.locator(".ex-result").first.locator("mark").all_inner_texts()
    assert {"người", "tốt", "việc"} <= set(marks)
    assert search(phone, "dien hinh")[0] == "Trạm Y tế xã Ea Tiêu"


def test_dak_lak_finds_dak_lak_with_kind_field_province_and_link(phone) -> None:  # type: ignore[no-untyped-def]
    titles = search(phone, "Dak Lak")
    assert "Trạm Y tế xã Ea Tiêu" in titles and "Tỉnh Đắk Lắk" in titles
    result = phone.locator(".ex-result", has_text="Trạm Y tế xã Ea Tiêu")
    facts = result.locator(".ex-result__facts").inner_text()
    assert "Tập thể" in facts and "Đắk Lắk" in facts and "01/03/2024" in facts
    assert result.locator(".ex-chip").all_inner_texts() == ["Y tế, chăm sóc sức khỏe nhân dân"]
    assert result.locator("mark").all_inner_texts()[:2] == ["Đắk", "Lắk"]
    result.click()
    phone.wait_for_url("**/guong/tram-y-te-ea-tieu/")
    assert phone.locator("h1").inner_text() == "Trạm Y tế xã Ea Tiêu"


def test_a_query_typed_in_nfd_or_with_diacritics_works(phone) -> None:  # type: ignore[no-untyped-def]
    assert search(phone, unicodedata.normalize("NFD", "điển hình"))[0] == "Trạm Y tế xã Ea Tiêu"
    # With diacritics, the exact spelling ranks first; without, both spellings are found.
    assert search(phone, "Hưởng")[0] == "Trần Văn Hưởng"
    assert search(phone, "Hương")[0] == "Nguyễn Thị Hương"
    assert {"Nguyễn Thị Hương", "Trần Văn Hưởng"} <= set(search(phone, "huong"))


def test_result_shows_the_photo_thumbnail(phone) -> None:  # type: ignore[no-untyped-def]
    search(phone, "co giao day toan")
    thumbnail = phone.locator(".ex-result").first.locator("img.ex-result__thumb")
    assert thumbnail.get_attribute("src").endswith("/guong/nguyen-thi-huong-nam-dinh/anh-thumb.webp")
    thumbnail.scroll_into_view_if_needed()
    phone.wait_for_function("img => img.complete && img.naturalWidth === 128", arg=thumbnail.element_handle())


def test_filter_by_todays_province_and_kind(phone) -> None:  # type: ignore[no-untyped-def]
    search(phone, "")
    phone.click(".ex-search__filter-toggle")
    province = phone.locator("select[name='tinh']")
    # The menus are built when the filters first open (a "toggle" event, then the manifest): wait for them.
    province.locator("option").nth(1).wait_for(state="attached")
    assert "Ninh Bình (1)" in province.locator("option").all_inner_texts()
    assert "Nam Định" not in " ".join(province.locator("option").all_inner_texts())
    province.select_option("ninh-binh")
    wait_for_results(phone, "", "tinh=ninh-binh")
    # Its stories first, then its page and those of the provinces merged into it.
    titles = phone.locator(".ex-result__title").all_inner_texts()
    assert titles == ["Nguyễn Thị Hương", "Tỉnh Hà Nam", "Tỉnh Nam Định", "Tỉnh Ninh Bình"]
    assert "trước là Nam Định" in phone.locator(".ex-result__facts").first.inner_text()
    province.select_option("")
    phone.locator("select[name='loai']").select_option("tap-the")
    assert search(phone, "dak lak", "loai=tap-the") == ["Trạm Y tế xã Ea Tiêu"]  # the province page is no "Tập thể"
    phone.locator("select[name='loai']").select_option("")
    wait_for_results(phone, "dak lak")


def test_a_sample_result_says_so_first_and_a_real_one_does_not(phone) -> None:  # type: ignore[no-untyped-def]
    assert search(phone, "Lo Van Sang")[0] == "Lò Văn Sáng"
    facts = phone.locator(".ex-result", has_text="Lò Văn Sáng").locator(".ex-result__facts")
    assert facts.locator("strong.ex-result__sample").inner_text() == "Dữ liệu mẫu"
    assert facts.inner_text().startswith("Dữ liệu mẫu Cá nhân")
    search(phone, "Ea Tieu")
    assert phone.locator(".ex-result", has_text="Trạm Y tế xã Ea Tiêu").locator(".ex-result__sample").count() == 0


def test_drafts_and_scripts_never_show(phone) -> None:  # type: ignore[no-untyped-def]
    assert search(phone, "Quytxanh") == []
    assert "Không tìm thấy" in phone.locator(".md-search-result__meta").inner_text()
    assert search(phone, "giup ban") == ["Lò Văn Sáng"]
    assert phone.locator(".ex-result script, .ex-result img:not(.ex-result__thumb)").count() == 0
    assert phone.errors == []  # type: ignore[attr-defined]


def test_a_shared_link_with_a_query_opens_the_search(phone, served: str) -> None:  # type: ignore[no-untyped-def]
    phone.goto(served + "nguoi-tot-viec-tot/?q=tram%20y%20te")
    wait_for_results(phone, "tram y te")
    assert phone.is_visible(".md-search__input") and phone.input_value(".md-search__input") == "tram y te"
    assert phone.locator(".ex-result__title").all_inner_texts()[0] == "Trạm Y tế xã Ea Tiêu"


def test_more_results_extend_the_list_and_a_new_query_replaces_it(phone) -> None:  # type: ignore[no-untyped-def]
    # The client builds a page of results in short tasks and puts it on screen at once (search.js, showPage).
    first = search(phone, "tinh")
    assert len(first) == 10 and phone.is_visible(".ex-search__more")
    assert phone.locator(".md-search-result__meta").inner_text().endswith("kết quả")
    phone.click(".ex-search__more")
    phone.wait_for_function("() => document.querySelectorAll('.ex-result').length > 10")
    titles = phone.locator(".ex-result__title").all_inner_texts()
    assert titles[:10] == first and len(set(titles)) == len(titles)
    assert search(phone, "giup ban") == ["Lò Văn Sáng"]
    assert phone.is_hidden(".ex-search__more")


def test_the_open_search_fits_the_phone_screen(phone) -> None:  # type: ignore[no-untyped-def]
    # Material's growing circle behind the open search once widened the page to 1,262 px (search.css).
    search(phone, "tinh")
    width, height = phone.evaluate("() => [document.documentElement.scrollWidth, window.innerHeight]")
    assert (width, height) == (390, 844)
    assert phone.locator(".ex-result__title").first.bounding_box()["x"] + 10 < 390
