"""What readers see of drafts (nothing), of corrections (a dated box) and of an agency's declared hotline."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from build_tools.build import build_site
from build_tools.content.gather import check, gather
from build_tools.content.model import Correction
from build_tools.content.problems import ContentError

from .conftest import SiteFixture

CORRECTIONS = [
    {"date": "2024-03-01", "text": "Đính chính: cô Hương nhận Bằng khen năm 2023, không phải năm 2022."},
    {"date": "2023-09-15", "text": "Đính chính: tên trường là THCS Lộc Hạ."},
]


def every_text_file(site_dir: Path) -> dict[str, str]:
    return {
        p.relative_to(site_dir).as_posix(): p.read_text(encoding="utf-8")
        for p in site_dir.rglob("*")
        if p.is_file() and p.suffix in (".html", ".xml", ".json", ".csv", ".txt", ".js")
    }


@pytest.fixture
def site_with_a_draft(site: SiteFixture) -> SiteFixture:
    site.profile("da-dang", name="Người Đã Đăng")
    site.photo("ban-nhap", name="chan-dung.jpg")
    site.profile(
        "ban-nhap",
        name="Người Trong Bản Nháp",
        summary="Tóm tắt chưa duyệt xong.",
        draft=True,
        aliases=["ban-nhap-cu"],
        photo={"src": "chan-dung.jpg", "alt": "Ảnh nháp", "credit": "Ban biên tập"},
        published="2024-01-02",
    )
    return site


def test_a_draft_never_reaches_the_public_site(site_with_a_draft: SiteFixture) -> None:
    site = site_with_a_draft
    built = build_site(site.project)
    assert not (built / "guong" / "ban-nhap").exists()
    assert not (built / "guong" / "ban-nhap-cu").exists()
    files = every_text_file(built)
    assert any("Người Đã Đăng" in text for text in files.values())
    leaks = [path for path, text in files.items() if "Người Trong Bản Nháp" in text or "ban-nhap" in text]
    assert leaks == []  # not in lists, search index, sitemap, feeds or data exports
    assert [e.slug for e in gather(site.project).exemplars] == ["da-dang"]


def test_a_draft_is_still_checked_before_anyone_publishes_it(site: SiteFixture) -> None:
    site.profile("ban-nhap-loi", draft=True, province="Nam Định")
    with pytest.raises(ContentError) as caught:
        check(site.project)
    assert [str(p) for p in caught.value.problems] == [
        "exemplars/ban-nhap-loi/index.md:6: province: mã tỉnh, thành phố `Nam Định` không có trong danh sách "
        "(plans/provinces.yml). Mã viết thường, không dấu, nối bằng gạch ngang. Có phải ý bạn là `nam-dinh`?"
    ]


def test_serve_shows_drafts_with_a_visible_banner(site_with_a_draft: SiteFixture, tmp_path: Path) -> None:
    """The same MkDocs plugin path as `exemplars serve`, rendered into a folder instead of a live server."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    preview = tmp_path / "preview"
    config = load_config(str(site_with_a_draft.project.config_file), site_dir=str(preview))
    config.plugins.on_startup(command="serve", dirty=False)
    try:
        mkdocs_build(config)
    finally:
        config.plugins.on_shutdown()
    html = (preview / "guong" / "ban-nhap" / "index.html").read_text(encoding="utf-8")
    assert '<div class="ex-draft-banner" role="note"><strong>Bản nháp</strong>' in html
    assert '<meta name="robots" content="noindex">' in html
    assert "Bản nháp" in (preview / "index.html").read_text(encoding="utf-8")  # flagged in lists too
    published = (preview / "guong" / "da-dang" / "index.html").read_text(encoding="utf-8")
    assert "ex-draft-banner" not in published

    build_site(site_with_a_draft.project)  # and the next production build drops it again
    assert not (site_with_a_draft.root / "site" / "guong" / "ban-nhap").exists()


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> SiteFixture:
    """One built site for the pages readers see: a corrected story and an agency with a declared hotline."""
    site = SiteFixture(tmp_path_factory.mktemp("published") / "repo")
    site.profile("co-dinh-chinh", corrections=CORRECTIONS, updated="2023-07-01")
    site.profile(
        "tram-y-te",
        name="Trạm Y tế xã Ea Tiêu",
        kind="tap-the",
        consent=None,
        province="dak-lak",
        public_contacts=["Đường dây nóng Trạm Y tế: 0262 3812 345"],
        body="Người dân gọi đường dây nóng 0262.3812.345 bất kể ngày đêm.",
    )
    build_site(site.project)
    return site


def test_corrections_are_dated_shown_first_on_the_page_and_on_the_model(published: SiteFixture) -> None:
    exemplar = check(published.project).by_slug["co-dinh-chinh"]
    assert exemplar.corrections == (
        Correction(dt.date(2023, 9, 15), "Đính chính: tên trường là THCS Lộc Hạ."),
        Correction(dt.date(2024, 3, 1), "Đính chính: cô Hương nhận Bằng khen năm 2023, không phải năm 2022."),
    )
    assert exemplar.last_modified == dt.date(2024, 3, 1)

    html = published.built("guong/co-dinh-chinh/index.html")
    box = html[html.index('<aside class="ex-correction"') : html.index("</aside>")]
    assert '<p class="ex-correction__title"><strong>Đính chính</strong></p>' in box
    assert '<li><time datetime="2023-09-15">15/09/2023</time>: Đính chính: tên trường là THCS Lộc Hạ.</li>' in box
    assert box.index("15/09/2023") < box.index("01/03/2024")
    assert html.index("ex-correction") < html.index('id="cau-chuyen"')  # before the story, not hidden below it


def test_a_newsroom_gets_the_correction_in_the_feed_item(published: SiteFixture) -> None:
    feed = json.loads(published.built("feed.json"))
    [item] = [i for i in feed["items"] if i["url"].endswith("/guong/co-dinh-chinh/")]
    assert item["date_modified"].startswith("2024-03-01")  # feed readers see the story as changed
    assert "<p><strong>Đính chính</strong></p>" in item["content_html"]
    assert "<li>15/09/2023: Đính chính: tên trường là THCS Lộc Hạ.</li>" in item["content_html"]
    assert "Đính chính: tên trường là THCS Lộc Hạ." in published.built("feed.xml")


@pytest.mark.parametrize(
    ("corrections", "expected"),
    [
        (
            [{"date": "2023-05-01", "text": "Sửa."}],
            "14: corrections.0.date: ngày đính chính 2023-05-01 sớm hơn ngày đăng 2023-06-01. Kiểm tra lại.",
        ),
        (
            [{"date": "01/03/2024", "text": "Sửa."}],
            "14: corrections.0.date: ngày không hợp lệ: `01/03/2024`. Hãy viết `2024-03-01` (NĂM-THÁNG-NGÀY) thay "
            "cho `01/03/2024`.",
        ),
        (
            [{"date": "2024-03-01"}],
            "14: corrections.0.text: Nội dung đính chính (text) đang để trống. Hãy điền vào (một đoạn chữ).",
        ),
        (
            [{"date": "2024-03-01", "text": "Sửa.", "by": "A"}],
            "16: corrections.0.by: trường `by` không có trong mẫu hồ sơ. Các trường được phép: date, text.",
        ),
        (
            "Đính chính: …",
            '13: corrections: cần một danh sách; mỗi đính chính có dạng `- {date: 2024-03-01, text: "Đính chính: …"}` '
            "(đang là `Đính chính: …`).",
        ),
    ],
)
def test_a_malformed_correction_is_explained(site: SiteFixture, corrections: object, expected: str) -> None:
    site.profile("dinh-chinh-sai", corrections=corrections)
    with pytest.raises(ContentError) as caught:
        check(site.project)
    assert [str(p) for p in caught.value.problems] == [f"exemplars/dinh-chinh-sai/index.md:{expected}"]


def test_a_declared_hotline_is_published_as_an_official_contact(published: SiteFixture) -> None:
    html = published.built("guong/tram-y-te/index.html")
    assert '<dt>Liên hệ chính thức</dt><dd class="ex-contacts">Đường dây nóng Trạm Y tế: 0262 3812 345</dd>' in html
    assert "0262.3812.345" in html
    assert "Liên hệ chính thức" not in published.built("guong/co-dinh-chinh/index.html")


def test_the_exception_covers_only_the_declared_number(site: SiteFixture) -> None:
    site.profile(
        "tram-y-te",
        kind="tap-the",
        consent=None,
        public_contacts=["Đường dây nóng: 0262 3812 345"],
        body="Đường dây nóng 0262 3812 345; trạm trưởng: 0912 345 678.",
    )
    with pytest.raises(ContentError) as caught:
        check(site.project)
    assert [str(p) for p in caught.value.problems] == [
        "exemplars/tram-y-te/index.md:15: dòng này có số điện thoại `0912 345 678`. Không đăng số điện thoại cá nhân: "
        "hãy xóa số này. Nếu đây là số đường dây nóng công khai của cơ quan, đơn vị, hãy ghi nó vào trường "
        "`public_contacts` để được phép đăng."
    ]


@pytest.mark.parametrize(
    ("contacts", "expected"),
    [
        (
            ["Văn phòng trạm"],
            [
                "13: public_contacts.0: `Văn phòng trạm` không có số điện thoại hay địa chỉ thư điện tử nào. Chỉ ghi ở "
                "đây số đường dây nóng, điện thoại hoặc thư điện tử công khai của cơ quan, đơn vị."
            ],
        ),
        (
            "0262 3812 345",
            [
                '12: public_contacts: cần một danh sách, ví dụ `["Đường dây nóng UBND xã: 0228 3812 345"]` (đang là '
                "`0262 3812 345`).",
                # not a list, so nothing is declared: the number is refused like any other
                "12: public_contacts: dòng này có số điện thoại `0262 3812 345`. Không đăng số điện thoại cá nhân: hãy "
                "xóa số này. Nếu đây là số đường dây nóng công khai của cơ quan, đơn vị, hãy ghi nó vào trường "
                "`public_contacts` để được phép đăng.",
            ],
        ),
    ],
)
def test_a_public_contact_must_be_a_number_or_address(site: SiteFixture, contacts: object, expected: list[str]) -> None:
    site.profile("lien-he-sai", kind="tap-the", consent=None, public_contacts=contacts)
    with pytest.raises(ContentError) as caught:
        check(site.project)
    assert [str(p) for p in caught.value.problems] == [f"exemplars/lien-he-sai/index.md:{e}" for e in expected]
