"""A contributor's story: every mistake comes back as `path:line: field: message` in Vietnamese, all at once."""

from __future__ import annotations

import subprocess
import sys
import unicodedata

import pytest

from build_tools.build import build_site
from build_tools.content.gather import check
from build_tools.content.problems import ContentError, Problem

from .conftest import SiteFixture


def problems_of(site: SiteFixture) -> list[Problem]:
    with pytest.raises(ContentError) as caught:
        check(site.project)
    return caught.value.problems


def printed(site: SiteFixture) -> list[str]:
    """The lines `exemplars check` prints for the site, in its order, without the count."""
    return [str(p) for p in sorted(problems_of(site), key=lambda p: (p.path, p.line or 0, p.key or ""))]


def test_valid_profile_passes(site: SiteFixture) -> None:
    site.profile("hop-le")
    assert [e.slug for e in check(site.project).exemplars] == ["hop-le"]


def test_yaml_syntax_error_names_the_line(site: SiteFixture) -> None:
    site.raw_profile("loi-yaml", "---\nname: A\nkind: ca-nhan\nfields: [day-tot-hoc-tot\n---\nChuyện.\n")
    assert printed(site) == [
        "exemplars/loi-yaml/index.md:4: lỗi cú pháp YAML: danh sách mở bằng `[` nhưng chưa đóng bằng `]`, hoặc thiếu "
        "dấu phẩy giữa các mục. Ví dụ: `fields: [day-tot-hoc-tot, chuyen-doi-so]`."
    ]


def test_misspelt_key_is_reported_with_a_suggestion(site: SiteFixture) -> None:
    site.profile("sai-ten-truong", sumary="Tóm tắt gõ sai.")
    assert printed(site) == [
        "exemplars/sai-ten-truong/index.md:13: sumary: trường `sumary` không có trong mẫu hồ sơ. "
        "Có phải ý bạn là `summary`?"
    ]


def test_missing_required_key(site: SiteFixture) -> None:
    site.profile("thieu-ten", name=None)
    assert printed(site) == [
        "exemplars/thieu-ten/index.md:1: name: thiếu trường bắt buộc. Tên người, tập thể hoặc hộ gia đình, viết đầy "
        "đủ có dấu. Ví dụ: `name: Nguyễn Thị Hương`."
    ]


def test_wrong_type_is_explained(site: SiteFixture) -> None:
    site.profile("sai-kieu", fields="day-tot-hoc-tot")
    assert printed(site) == [
        "exemplars/sai-kieu/index.md:4: fields: mã lĩnh vực phải đặt trong ngoặc vuông, kể cả khi chỉ có một: "
        "`fields: [day-tot-hoc-tot]`."
    ]


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        (
            "kind",
            "ca nhan",
            "exemplars/sai-ma/index.md:3: kind: loại không hợp lệ: `ca nhan`. Chọn một trong: `ca-nhan` (cá nhân), "
            "`tap-the` (tập thể), `ho-gia-dinh` (hộ gia đình). Có phải ý bạn là `ca-nhan`?",
        ),
        (
            "province",
            "Nam Định",
            "exemplars/sai-ma/index.md:6: province: mã tỉnh, thành phố `Nam Định` không có trong danh sách "
            "(plans/provinces.yml). Mã viết thường, không dấu, nối bằng gạch ngang. Có phải ý bạn là `nam-dinh`?",
        ),
        (
            "plans",
            ["nam-dinh-2022"],
            "exemplars/sai-ma/index.md:14: plans.0: mã kế hoạch `nam-dinh-2022` không có trong thư mục plans/.",
        ),
    ],
)
def test_unknown_ids_are_rejected(site: SiteFixture, key: str, value: object, expected: str) -> None:
    site.profile("sai-ma", **{key: value})
    assert printed(site) == [expected]


def test_unknown_field_id_suggests_by_name(site: SiteFixture) -> None:
    site.profile("sai-linh-vuc", fields=["Chuyển đổi số"])
    assert printed(site) == [
        "exemplars/sai-linh-vuc/index.md:5: fields.0: mã lĩnh vực `Chuyển đổi số` không có trong danh mục "
        "(plans/fields.yml). Có phải ý bạn là `chuyen-doi-so`?"
    ]


def test_vietnamese_date_order_gets_a_rewrite_hint(site: SiteFixture) -> None:
    path = site.profile("sai-ngay", published="12/05/2023")
    line = path.read_text(encoding="utf-8").splitlines().index("published: 12/05/2023") + 1
    assert printed(site) == [
        f"exemplars/sai-ngay/index.md:{line}: published: ngày không hợp lệ: `12/05/2023`. Hãy viết `2023-05-12` "
        "(NĂM-THÁNG-NGÀY) thay cho `12/05/2023`."
    ]


def test_impossible_date_is_rejected(site: SiteFixture) -> None:
    site.profile("ngay-khong-co", awards=[{"title": "Bằng khen", "date": "2023-02-30"}])
    assert printed(site) == [
        "exemplars/ngay-khong-co/index.md:15: awards.0.date: ngày `2023-02-30` không có thật trên lịch. Kiểm tra lại "
        "ngày và tháng."
    ]


def test_summary_longer_than_300_characters(site: SiteFixture) -> None:
    site.profile("tom-tat-dai", summary="Rất dài. " * 40)
    assert printed(site) == [
        "exemplars/tom-tat-dai/index.md:7: summary: Phần tóm tắt dài 360 ký tự, tối đa 300. Hãy rút gọn."
    ]


def test_photo_file_must_exist(site: SiteFixture) -> None:
    site.profile("thieu-anh", photo={"src": "anh.jpg", "alt": "Ảnh", "credit": "Báo"})
    assert printed(site) == [
        "exemplars/thieu-anh/index.md:14: photo.src: không tìm thấy tệp ảnh `anh.jpg` trong thư mục của hồ sơ. Hãy "
        "tải ảnh lên cùng thư mục."
    ]


def test_photo_needs_alt_and_credit(site: SiteFixture) -> None:
    site.photo("anh-thieu-mo-ta")
    site.profile("anh-thieu-mo-ta", photo={"src": "anh.jpg"})
    assert printed(site) == [
        "exemplars/anh-thieu-mo-ta/index.md:13: photo.alt: ảnh cần mô tả (alt) cho người khiếm thị, ví dụ "
        "`alt: Cô Hương trên lớp`.",
        "exemplars/anh-thieu-mo-ta/index.md:13: photo.credit: ảnh cần ghi nguồn (credit): tác giả hoặc cơ quan giữ "
        "bản quyền ảnh.",
    ]


def test_photo_with_absurd_dimensions_is_refused_before_decoding(site: SiteFixture) -> None:
    """A decompression bomb: a few bytes that claim 40 000 × 40 000 pixels."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    folder = site.root / "exemplars" / "anh-qua-lon"
    folder.mkdir(parents=True)
    header = struct.pack(">IIBBBBB", 40_000, 40_000, 8, 2, 0, 0, 0)
    (folder / "anh.png").write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IEND", b""))
    site.profile("anh-qua-lon", photo={"src": "anh.png", "alt": "Ảnh", "credit": "Báo"})
    assert printed(site) == [
        "exemplars/anh-qua-lon/index.md:14: photo.src: ảnh `anh.png` có kích thước điểm ảnh quá lớn để xử lý. Hãy "
        "dùng ảnh gốc từ điện thoại hoặc máy ảnh (dưới 50 triệu điểm ảnh)."
    ]


def test_photo_that_is_not_an_image(site: SiteFixture) -> None:
    folder = site.root / "exemplars" / "anh-hong"
    folder.mkdir(parents=True)
    (folder / "anh.jpg").write_text("không phải ảnh", encoding="utf-8")
    site.profile("anh-hong", photo={"src": "anh.jpg", "alt": "Ảnh", "credit": "Báo"})
    assert printed(site) == [
        "exemplars/anh-hong/index.md:14: photo.src: tệp `anh.jpg` không phải là ảnh hoặc đã bị hỏng khi tải lên. "
        "Hãy tải lại ảnh gốc (JPEG hoặc PNG)."
    ]


@pytest.mark.parametrize(("kind", "label"), [("ca-nhan", "cá nhân"), ("ho-gia-dinh", "hộ gia đình")])
def test_personal_profiles_need_consent(site: SiteFixture, kind: str, label: str) -> None:
    site.profile("chua-dong-y", kind=kind, consent=None)
    assert printed(site) == [
        f"exemplars/chua-dong-y/index.md:1: consent: hồ sơ {label} cần trường này. Bắt buộc `true` với cá nhân và hộ "
        "gia đình: người được nêu gương đã đồng ý (bằng văn bản) cho đăng. Ví dụ: `consent: true`."
    ]


def test_collectives_do_not_need_consent(site: SiteFixture) -> None:
    site.profile("tap-the", kind="tap-the", consent=None)
    check(site.project)


def test_duplicate_slugs_across_groups(site: SiteFixture) -> None:
    site.profile("trung-ten", group="2023")
    site.profile("trung-ten", group="2024")
    assert printed(site) == [
        "exemplars/2024/trung-ten/index.md:1: đường dẫn `trung-ten` đã được dùng cho hồ sơ "
        "exemplars/2023/trung-ten/index.md. Nếu là cùng một gương, hãy sửa hồ sơ đó thay vì tạo mới; nếu là gương "
        "khác, đặt tên thư mục khác (thêm địa phương hoặc năm)."
    ]


def test_slug_must_be_ascii_lowercase_hyphens(site: SiteFixture) -> None:
    site.profile("Nguyễn_Văn_A")
    assert printed(site) == [
        "exemplars/Nguyễn_Văn_A/index.md:1: tên thư mục `Nguyễn_Văn_A` không hợp lệ: chỉ dùng chữ thường không dấu, "
        "số và dấu gạch ngang, ví dụ `nguyen-van-a`."
    ]


def test_file_not_in_utf8(site: SiteFixture) -> None:
    text = "---\nname: Nguyễn Thị Hương\n---\n"
    site.raw_profile("windows-1258", text.encode("utf-8").decode("utf-8").encode("cp1258", errors="replace"))
    assert printed(site) == [
        "exemplars/windows-1258/index.md:2: tệp không được lưu bằng mã hóa UTF-8 (có thể là Windows-1258 hoặc "
        "TCVN3). Hãy mở tệp và lưu lại với mã hóa UTF-8, rồi kiểm tra lại dấu tiếng Việt."
    ]


def test_empty_file(site: SiteFixture) -> None:
    site.raw_profile("trong", "")
    assert printed(site) == [
        "exemplars/trong/index.md: tệp trống. Hãy chép mẫu hồ sơ trong CONTRIBUTING.md vào tệp này."
    ]


def test_no_front_matter(site: SiteFixture) -> None:
    site.raw_profile("khong-front-matter", "Nguyễn Thị Hương là giáo viên.\n")
    assert printed(site) == [
        "exemplars/khong-front-matter/index.md:1: thiếu phần thông tin đầu tệp (front matter). Dòng đầu tiên phải là "
        "`---`, tiếp theo là các trường name, kind, fields…, rồi một dòng `---` trước câu chuyện."
    ]


def test_duplicate_key_is_not_silently_overwritten(site: SiteFixture) -> None:
    site.raw_profile(
        "trung-truong",
        "---\nname: A\nname: B\nkind: tap-the\nfields: [y-te]\nprovince: ha-noi\nsummary: S.\npublished: 2023-01-01\n"
        'sources: [{title: Bài báo, url: "https://example.vn/a"}]\n---\nChuyện.\n',
    )
    assert printed(site) == [
        "exemplars/trung-truong/index.md:3: name: trường này được khai báo hai lần; giá trị sau sẽ đè mất giá trị "
        "trước. Hãy giữ một dòng."
    ]


def test_nfd_input_is_valid_and_stored_as_nfc(site: SiteFixture) -> None:
    site.profile("nfd", name=unicodedata.normalize("NFD", "Đặng Thị Ánh"))
    [exemplar] = check(site.project).exemplars
    assert exemplar.name == unicodedata.normalize("NFC", "Đặng Thị Ánh")


def test_html_in_a_name_is_refused(site: SiteFixture) -> None:
    site.profile("ten-co-html", name="<script>alert(1)</script>")
    assert printed(site) == [
        "exemplars/ten-co-html/index.md:2: name: Tên không được chứa ký tự `<` hoặc `>` (mã HTML). Hãy chỉ viết chữ."
    ]


def test_every_problem_is_reported_at_once(site: SiteFixture) -> None:
    site.profile("loi-mot", kind="ca nhan")
    site.profile("loi-hai", province="sai-gon", published="hôm qua")
    assert printed(site) == [
        "exemplars/loi-hai/index.md:6: province: mã tỉnh, thành phố `sai-gon` không có trong danh sách "
        "(plans/provinces.yml). Mã viết thường, không dấu, nối bằng gạch ngang. Có phải ý bạn là `ho-chi-minh`?",
        "exemplars/loi-hai/index.md:8: published: ngày không hợp lệ: `hôm qua`. Ngày phải viết theo dạng "
        "NĂM-THÁNG-NGÀY, ví dụ 2023-05-12.",
        "exemplars/loi-mot/index.md:3: kind: loại không hợp lệ: `ca nhan`. Chọn một trong: `ca-nhan` (cá nhân), "
        "`tap-the` (tập thể), `ho-gia-dinh` (hộ gia đình). Có phải ý bạn là `ca-nhan`?",
    ]


def test_check_command_prints_path_line_field_message_and_count(site: SiteFixture) -> None:
    site.profile("loi-mot", kind="ca nhan")
    site.profile("loi-hai", province="sai-gon")
    result = subprocess.run(
        [sys.executable, "-m", "build_tools.cli", "--root", str(site.root), "check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "exemplars/loi-hai/index.md:6: province: mã tỉnh, thành phố `sai-gon` không có trong danh sách "
        "(plans/provinces.yml). Mã viết thường, không dấu, nối bằng gạch ngang. Có phải ý bạn là `ho-chi-minh`?",
        "exemplars/loi-mot/index.md:3: kind: loại không hợp lệ: `ca nhan`. Chọn một trong: `ca-nhan` (cá nhân), "
        "`tap-the` (tập thể), `ho-gia-dinh` (hộ gia đình). Có phải ý bạn là `ca-nhan`?",
        "2 lỗi",
    ]


def test_build_refuses_bad_content_and_keeps_the_last_good_site(site: SiteFixture) -> None:
    site.profile("tot")
    build_site(site.project)
    before = {p: p.read_bytes() for p in (site.root / "site").rglob("*") if p.is_file()}
    site.profile("hong", kind="khong-ro")
    with pytest.raises(ContentError):
        build_site(site.project)
    after = {p: p.read_bytes() for p in (site.root / "site").rglob("*") if p.is_file()}
    assert after == before


def test_stray_markdown_outside_a_profile_folder(site: SiteFixture) -> None:
    (site.root / "exemplars" / "nguyen-van-a.md").write_text("---\nname: A\n---\n", encoding="utf-8")
    assert printed(site) == [
        "exemplars/nguyen-van-a.md: hồ sơ phải là tệp `index.md` trong thư mục riêng mang tên đường dẫn, ví dụ "
        "`exemplars/nguyen-van-a/index.md`. Hãy tạo thư mục và đổi tên tệp."
    ]


def test_a_real_story_needs_an_award_with_its_decision_or_a_source(site: SiteFixture) -> None:
    """The home page promises readers they can check every real story: the check keeps that promise."""
    site.profile("khong-can-cu", sources=None)
    site.profile("khen-thuong-khong-so", sources=None, awards=[{"title": "Giấy khen của Chủ tịch UBND xã"}])
    assert printed(site) == [
        # the `awards:` line
        "exemplars/khen-thuong-khong-so/index.md:10: awards: khen thưởng chưa ghi số quyết định và hồ sơ chưa có bài "
        "báo đã đưa tin, nên bạn đọc không kiểm chứng được. Hãy ghi số quyết định vào khen thưởng, ví dụ "
        '`decision: Quyết định số 1234/QĐ-UBND`, hoặc thêm bài báo vào `sources`, ví dụ `sources: [{title: "Tên '
        'bài", url: "https://…"}]`.',
        # no award to point at: the first line
        "exemplars/khong-can-cu/index.md:1: awards: hồ sơ chưa có căn cứ để bạn đọc kiểm chứng: cần ít nhất một khen "
        "thưởng có số quyết định hoặc một bài báo đã đưa tin. Hãy thêm khen thưởng, ví dụ `awards: [{title: Bằng "
        "khen của Chủ tịch UBND tỉnh, decision: Quyết định số 1234/QĐ-UBND, date: 2023-05-12}]`, hoặc bài báo, ví "
        'dụ `sources: [{title: "Tên bài", url: "https://…"}]`.',
    ]


def test_an_award_with_its_decision_a_source_a_draft_or_a_sample_passes(site: SiteFixture) -> None:
    decision = {"title": "Giấy khen", "decision": "Quyết định số 12/QĐ-UBND"}
    site.profile("co-quyet-dinh", sources=None, awards=[decision])
    site.profile("co-bai-bao")
    site.profile("ban-nhap", sources=None, draft=True)
    site.profile("ho-so-mau", sources=None, sample=True, body="Dữ liệu mẫu.")
    assert len(check(site.project).exemplars) == 4
