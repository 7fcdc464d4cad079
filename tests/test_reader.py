"""A reader's story: the pages of a small site, and the links between story, field, province and plan."""

from __future__ import annotations

import posixpath
import re
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from build_tools.build import build_site
from build_tools.generate import generate
from build_tools.site.pages import relative_url

from .conftest import SiteFixture


@pytest.fixture(scope="module")
def small_site(tmp_path_factory: pytest.TempPathFactory) -> SiteFixture:
    """Three stories, one plan: built once, read by every test that only looks."""
    site = SiteFixture(tmp_path_factory.mktemp("small") / "repo")
    site.plan("nam-dinh-2022-2025")
    site.profile(
        "nguyen-thi-huong-nam-dinh",
        body="## Đảng viên trẻ\n\nCô dạy Toán ở trường THCS.",
        fields=["day-tot-hoc-tot", "chuyen-doi-so"],
        plans=["nam-dinh-2022-2025"],
        awards=[
            {
                "title": "Bằng khen của Chủ tịch UBND tỉnh",
                "decision": "Quyết định số 1234/QĐ-UBND",
                "date": "2023-05-12",
            }
        ],
        locality="Phường Lộc Hạ, TP. Nam Định",
    )
    site.profile(
        "htx-lang-son",
        name="Hợp tác xã Đồng Đăng",
        kind="tap-the",
        consent=None,
        fields=["nong-thon-moi"],
        province="lang-son",
        summary="Hợp tác xã trồng hồi.",
        published="2024-02-10",
        group="2024",
    )
    site.profile(
        "ho-ong-a-lai-chau",
        name="Hộ ông Sùng A Chu",
        kind="ho-gia-dinh",
        fields=["giam-ngheo"],
        province="lai-chau",
        summary="Hộ gia đình thoát nghèo.",
        published="2022-09-01",
    )
    build_site(site.project)
    return site


def test_story_page_shows_profile_awards_and_then_and_now(small_site: SiteFixture) -> None:
    html = small_site.built("guong/nguyen-thi-huong-nam-dinh/index.html")
    assert "<h1" in html and "Nguyễn Thị Hương" in html
    assert "Quyết định số 1234/QĐ-UBND" in html and "12/05/2023" in html
    # Recorded under Nam Định, shown with the province it belongs to since 1 July 2025.
    assert re.search(
        r"Tỉnh Nam Định</a> \(khi được công nhận\), nay thuộc <a href=\"\.\./\.\./dia-phuong/ninh-binh/\"", html
    )
    assert 'href="../../linh-vuc/day-tot-hoc-tot/"' in html
    assert 'href="../../linh-vuc/chuyen-doi-so/"' in html
    assert 'href="../../ke-hoach/nam-dinh-2022-2025/"' in html
    assert "Phường Lộc Hạ, TP. Nam Định" in html


def test_story_heading_anchor_is_ascii_with_d_for_dj(small_site: SiteFixture) -> None:
    html = small_site.built("guong/nguyen-thi-huong-nam-dinh/index.html")
    assert 'id="dang-vien-tre"' in html


def test_province_page_lists_exemplars_recorded_under_a_merged_province(small_site: SiteFixture) -> None:
    html = small_site.built("dia-phuong/ninh-binh/index.html")
    assert "Nguyễn Thị Hương" in html
    assert "Tỉnh Nam Định" in html  # the former province is named on its successor's page
    assert 'href="../../ke-hoach/nam-dinh-2022-2025/"' in html  # and its plans
    former = small_site.built("dia-phuong/nam-dinh/index.html")
    assert "đã hợp nhất vào" in former and 'href="../ninh-binh/"' in former


def test_field_page_shows_plan_wording_lead_and_criteria(small_site: SiteFixture) -> None:
    html = small_site.built("linh-vuc/day-tot-hoc-tot/index.html")
    assert "Nguyễn Thị Hương" in html
    assert "Điển hình tiên tiến trong lĩnh vực giáo dục và đào tạo" in html
    assert "Cơ quan chủ trì:" in html and "Phòng Giáo dục và Đào tạo" in html
    assert 'href="feed.xml"' in html


def test_plan_page_links_every_field_and_lists_its_exemplars(small_site: SiteFixture) -> None:
    html = small_site.built("ke-hoach/nam-dinh-2022-2025/index.html")
    for number in range(1, 17):
        assert f"3.{number}. " in html
    assert html.count('href="../../linh-vuc/') >= 16
    assert "Mốc thời gian" in html and "trước ngày 30/5/2023" in html
    assert "Nguyễn Thị Hương" in html
    assert 'nay thuộc <a href="../../dia-phuong/ninh-binh/">tỉnh Ninh Bình</a>' in html


def _table_of_contents(html: str) -> list[str]:
    """The anchors the theme's table of contents (the secondary sidebar) links to, in order."""
    nav = html.split('data-md-component="toc"', 1)[1].split('data-md-component="content"', 1)[0]
    return re.findall(r'href="#([^"]+)"', nav)


def test_province_field_and_plan_pages_list_their_sections_in_the_table_of_contents(small_site: SiteFixture) -> None:
    """These pages are written in HTML (no Markdown to convert), their sections still listed beside them."""
    province = small_site.built("dia-phuong/ninh-binh/index.html")
    assert _table_of_contents(province) == ["guong-dien-hinh", "ke-hoach"]
    assert '<h2 id="guong-dien-hinh">Gương điển hình</h2>' in province
    assert 'href="#tinh-ninh-binh" class="md-skip"' in province  # "skip to content" lands on the page's title
    field = small_site.built("linh-vuc/day-tot-hoc-tot/index.html")
    assert _table_of_contents(field)[:2] == ["guong-dien-hinh", "ke-hoach-co-linh-vuc-nay"]
    plan = small_site.built("ke-hoach/nam-dinh-2022-2025/index.html")
    sections = _table_of_contents(plan)
    progress = ["tinh-hinh-thuc-hien", "chi-tieu-va-so-guong-tren-trang", "guong-duoc-tinh-theo-linh-vuc"]
    assert sections[:4] == [*progress, "moc-thoi-gian"]  # the dashboard and its parts, then the plan itself
    assert sections[4:7] == ["van-ban-ke-hoach", "muc-dich", "yeu-cau"] and "linh-vuc-va-tieu-chi" in sections
    for anchor in sections:
        assert f' id="{anchor}"' in plan


def test_archive_is_newest_first_and_has_year_pages(small_site: SiteFixture) -> None:
    html = small_site.built("nguoi-tot-viec-tot/index.html")
    positions = [html.index(name) for name in ("Hợp tác xã Đồng Đăng", "Nguyễn Thị Hương", "Hộ ông Sùng A Chu")]
    assert positions == sorted(positions)
    year = small_site.built("nguoi-tot-viec-tot/2023/index.html")
    assert "Nguyễn Thị Hương" in year and "Hợp tác xã Đồng Đăng" not in year


def test_archive_is_paginated(site: SiteFixture) -> None:
    site.page_size = 2
    site.write_config()
    for day in range(1, 6):
        site.profile(f"nguoi-{day}", name=f"Người số {day}", published=f"2023-01-0{day}")
    build_site(site.project)
    first = site.built("nguoi-tot-viec-tot/index.html")
    third = site.built("nguoi-tot-viec-tot/trang-3/index.html")
    assert "Người số 5" in first and "Người số 4" in first and "Người số 3" not in first
    assert "Người số 1" in third
    assert 'rel="next" href="trang-2/"' in first


def test_home_page_has_latest_stories_and_every_field_province_and_plan(small_site: SiteFixture) -> None:
    html = small_site.built("index.html")
    assert "Hợp tác xã Đồng Đăng" in html
    for href in (
        "linh-vuc/giam-ngheo/",
        "dia-phuong/ninh-binh/",
        "dia-phuong/ho-chi-minh/",
        "ke-hoach/nam-dinh-2022-2025/",
        "loai/ho-gia-dinh/",
        "nguoi-tot-viec-tot/2022/",
    ):
        assert f'href="{href}"' in html
    assert html.count('href="dia-phuong/') >= 34


def test_stories_stay_out_of_the_navigation(small_site: SiteFixture) -> None:
    html = small_site.built("index.html")
    nav = html[html.index('class="md-nav md-nav--primary"') :]
    assert "guong/" not in nav.split("</nav>")[0]


def test_pages_are_vietnamese_and_readable_on_a_phone(small_site: SiteFixture) -> None:
    html = small_site.built("guong/htx-lang-son/index.html")
    assert '<html lang="vi"' in html
    assert 'name="viewport" content="width=device-width' in html
    assert "fonts.googleapis.com" not in html


def test_nfd_input_is_shown_as_nfc(site: SiteFixture) -> None:
    name = unicodedata.normalize("NFD", "Trần Thị Điệp")
    site.profile("tran-thi-diep", name=name, summary=unicodedata.normalize("NFD", "Người tốt, việc tốt."))
    build_site(site.project)
    html = site.built("guong/tran-thi-diep/index.html")
    assert "Trần Thị Điệp" in html and name not in html
    assert "Người tốt, việc tốt." in html


def test_generation_writes_only_changed_files(site: SiteFixture) -> None:
    site.profile("a-one", name="Người A")
    first = generate(site.project)
    assert "guong/a-one/index.md" in first.written
    again = generate(site.project)
    assert again.written == () and again.removed == ()
    site.profile("a-one", name="Người A sửa")
    edited = generate(site.project)
    assert "guong/a-one/index.md" in edited.written
    assert "index.md" in edited.written  # the home page lists the name too
    assert "dia-phuong/lai-chau/index.md" not in edited.written


def test_removed_profile_disappears_from_generated_pages(site: SiteFixture) -> None:
    path = site.profile("a-two", name="Người B")
    generate(site.project)
    path.unlink()
    report = generate(site.project)
    assert "guong/a-two/index.md" in report.removed


def test_former_slug_redirects_to_the_story(site: SiteFixture) -> None:
    site.profile("ten-moi", aliases=["ten-cu"])
    build_site(site.project)
    html = site.built("guong/ten-cu/index.html")
    assert 'http-equiv="refresh" content="0; url=../ten-moi/"' in html


def test_photo_is_published_as_responsive_variants(site: SiteFixture) -> None:
    site.photo("co-anh", size=(2000, 1000))
    site.profile("co-anh", photo={"src": "anh.jpg", "alt": "Cô giáo trên lớp", "credit": "Báo Nam Định"})
    build_site(site.project)
    html = site.built("guong/co-anh/index.html")
    assert 'srcset="anh-480.webp 480w, anh-960.webp 960w, anh-1600.webp 1600w"' in html
    assert 'alt="Cô giáo trên lớp"' in html and "Ảnh: Báo Nam Định" in html
    assert (site.root / "site/guong/co-anh/anh-1600.jpg").is_file()


def test_provinces_are_listed_in_vietnamese_dictionary_order(small_site: SiteFixture) -> None:
    html = small_site.built("dia-phuong/index.html")
    names = ["Cà Mau", "Cao Bằng", "Đà Nẵng", "Điện Biên", "Lai Châu", "Lạng Sơn", "Lào Cai", "Lâm Đồng"]
    listed = re.findall(r"<strong>(?:Tỉnh|Thành phố) ([^<]+)</strong>", html)
    assert len(listed) == 34
    assert [name for name in listed if name in names] == names


SEGMENTS = st.lists(st.sampled_from(["guong", "a", "b", "linh-vuc", "2024", "trang-2"]), max_size=3)


@settings(derandomize=True, database=None, max_examples=300)
@given(here=SEGMENTS, there=SEGMENTS, file=st.sampled_from(["", "feed.xml", "anh-960.webp"]))
def test_every_link_between_two_pages_resolves_like_a_browser_would(
    here: list[str], there: list[str], file: str
) -> None:
    # Links are relative so the site works under any base path; a browser resolves them against the page's URL.
    from_url = "".join(f"{s}/" for s in here)
    to_url = "".join(f"{s}/" for s in there) + file
    link = relative_url.__wrapped__(from_url, to_url)
    resolved = posixpath.normpath(posixpath.join("/" + from_url, link)) + ("/" if link.endswith("/") else "")
    assert resolved.replace("//", "/") == "/" + to_url


@pytest.mark.parametrize("number", [842, 8_430])
def test_a_long_list_s_pager_is_not_mistaken_for_a_phone_number(number: int) -> None:
    """At 100,000 stories a list has some 2,000 pages: the pager of page 842 showed "841 842 843 844", which the
    privacy scan reads as a phone number (84 1842843844), and the build failed. Each number now says "Trang" to
    screen readers, hidden on screen, so neighbours are not one long number to a listener or to the scan."""
    from build_tools.content.privacy import findings_in_output
    from build_tools.site.pages import Pager, _environment

    urls = ("nguoi-tot-viec-tot/", *(f"nguoi-tot-viec-tot/trang-{n}/" for n in range(2, 10_001)))
    macros = _environment().get_template("_macros.html.j2").module
    html = str(macros.pager(Pager(number, urls), lambda url: "/" + url))

    assert findings_in_output(f"nguoi-tot-viec-tot/trang-{number}/index.html", html.encode()) == []
    assert f'<strong aria-current="page"><span class="ex-hidden">Trang </span>{number}</strong>' in html
    assert (
        f'<a href="/nguoi-tot-viec-tot/trang-{number + 1}/"><span class="ex-hidden">Trang </span>{number + 1}</a>'
        in html
    )
