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


def only_problem(site: SiteFixture) -> Problem:
    problems = problems_of(site)
    assert len(problems) == 1, problems
    return problems[0]


def test_valid_profile_passes(site: SiteFixture) -> None:
    site.profile("hop-le")
    assert [e.slug for e in check(site.project).exemplars] == ["hop-le"]


def test_yaml_syntax_error_names_the_line(site: SiteFixture) -> None:
    site.raw_profile("loi-yaml", "---\nname: A\nkind: ca-nhan\nfields: [day-tot-hoc-tot\n---\nChuyện.\n")
    problem = only_problem(site)
    assert problem.path == "exemplars/loi-yaml/index.md"
    assert problem.line in (4, 5)
    assert "lỗi cú pháp YAML" in problem.message


def test_misspelt_key_is_reported_with_a_suggestion(site: SiteFixture) -> None:
    site.profile("sai-ten-truong", sumary="Tóm tắt gõ sai.")
    problem = only_problem(site)
    assert str(problem).startswith("exemplars/sai-ten-truong/index.md:")
    assert problem.key == "sumary"
    assert "Có phải ý bạn là `summary`?" in problem.message


def test_missing_required_key(site: SiteFixture) -> None:
    site.profile("thieu-ten", name=None)
    problem = only_problem(site)
    assert problem.key == "name" and "thiếu trường bắt buộc" in problem.message
    assert str(problem).startswith("exemplars/thieu-ten/index.md:1: name: thiếu trường bắt buộc.")


def test_wrong_type_is_explained(site: SiteFixture) -> None:
    site.profile("sai-kieu", fields="day-tot-hoc-tot")
    problem = only_problem(site)
    assert problem.key == "fields" and "`fields: [day-tot-hoc-tot]`" in problem.message


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("kind", "ca nhan", "Có phải ý bạn là `ca-nhan`?"),
        ("province", "Nam Định", "Có phải ý bạn là `nam-dinh`?"),
        ("plans", ["nam-dinh-2022"], "mã kế hoạch `nam-dinh-2022` không có"),
    ],
)
def test_unknown_ids_are_rejected(site: SiteFixture, key: str, value: object, expected: str) -> None:
    site.profile("sai-ma", **{key: value})
    problem = only_problem(site)
    assert problem.key is not None and problem.key.startswith(key)
    assert expected in problem.message


def test_unknown_field_id_suggests_by_name(site: SiteFixture) -> None:
    site.profile("sai-linh-vuc", fields=["Chuyển đổi số"])
    problem = only_problem(site)
    assert problem.key == "fields.0" and "Có phải ý bạn là `chuyen-doi-so`?" in problem.message


def test_vietnamese_date_order_gets_a_rewrite_hint(site: SiteFixture) -> None:
    path = site.profile("sai-ngay", published="12/05/2023")
    problem = only_problem(site)
    assert problem.key == "published"
    assert "Hãy viết `2023-05-12`" in problem.message
    assert problem.line == path.read_text(encoding="utf-8").splitlines().index("published: 12/05/2023") + 1


def test_impossible_date_is_rejected(site: SiteFixture) -> None:
    site.profile("ngay-khong-co", awards=[{"title": "Bằng khen", "date": "2023-02-30"}])
    problem = only_problem(site)
    assert problem.key == "awards.0.date" and "không có thật" in problem.message


def test_summary_longer_than_300_characters(site: SiteFixture) -> None:
    site.profile("tom-tat-dai", summary="Rất dài. " * 40)
    problem = only_problem(site)
    assert problem.key == "summary" and "tối đa 300" in problem.message


def test_photo_file_must_exist(site: SiteFixture) -> None:
    site.profile("thieu-anh", photo={"src": "anh.jpg", "alt": "Ảnh", "credit": "Báo"})
    problem = only_problem(site)
    assert problem.key == "photo.src" and "không tìm thấy tệp ảnh `anh.jpg`" in problem.message


def test_photo_needs_alt_and_credit(site: SiteFixture) -> None:
    site.photo("anh-thieu-mo-ta")
    site.profile("anh-thieu-mo-ta", photo={"src": "anh.jpg"})
    keys = sorted(p.key for p in problems_of(site))
    assert keys == ["photo.alt", "photo.credit"]


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
    problem = only_problem(site)
    assert problem.key == "photo.src" and "quá lớn để xử lý" in problem.message


def test_photo_that_is_not_an_image(site: SiteFixture) -> None:
    folder = site.root / "exemplars" / "anh-hong"
    folder.mkdir(parents=True)
    (folder / "anh.jpg").write_text("không phải ảnh", encoding="utf-8")
    site.profile("anh-hong", photo={"src": "anh.jpg", "alt": "Ảnh", "credit": "Báo"})
    problem = only_problem(site)
    assert "không phải là ảnh hoặc đã bị hỏng" in problem.message


@pytest.mark.parametrize("kind", ["ca-nhan", "ho-gia-dinh"])
def test_personal_profiles_need_consent(site: SiteFixture, kind: str) -> None:
    site.profile("chua-dong-y", kind=kind, consent=None)
    problem = only_problem(site)
    assert problem.key == "consent" and "consent: true" in problem.message


def test_collectives_do_not_need_consent(site: SiteFixture) -> None:
    site.profile("tap-the", kind="tap-the", consent=None)
    check(site.project)


def test_duplicate_slugs_across_groups(site: SiteFixture) -> None:
    site.profile("trung-ten", group="2023")
    site.profile("trung-ten", group="2024")
    problem = only_problem(site)
    assert problem.path == "exemplars/2024/trung-ten/index.md"
    assert "exemplars/2023/trung-ten/index.md" in problem.message


def test_slug_must_be_ascii_lowercase_hyphens(site: SiteFixture) -> None:
    site.profile("Nguyễn_Văn_A")
    problem = only_problem(site)
    assert "tên thư mục" in problem.message and "`nguyen-van-a`" in problem.message


def test_file_not_in_utf8(site: SiteFixture) -> None:
    text = "---\nname: Nguyễn Thị Hương\n---\n"
    site.raw_profile("windows-1258", text.encode("utf-8").decode("utf-8").encode("cp1258", errors="replace"))
    problem = only_problem(site)
    assert problem.line == 2 and "UTF-8" in problem.message


def test_empty_file(site: SiteFixture) -> None:
    site.raw_profile("trong", "")
    assert "tệp trống" in only_problem(site).message


def test_no_front_matter(site: SiteFixture) -> None:
    site.raw_profile("khong-front-matter", "Nguyễn Thị Hương là giáo viên.\n")
    problem = only_problem(site)
    assert problem.line == 1 and "Dòng đầu tiên phải là `---`" in problem.message


def test_duplicate_key_is_not_silently_overwritten(site: SiteFixture) -> None:
    site.raw_profile(
        "trung-truong",
        "---\nname: A\nname: B\nkind: tap-the\nfields: [y-te]\nprovince: ha-noi\nsummary: S.\npublished: 2023-01-01\n"
        'sources: [{title: Bài báo, url: "https://example.vn/a"}]\n---\nChuyện.\n',
    )
    problem = only_problem(site)
    assert problem.line == 3 and problem.key == "name" and "hai lần" in problem.message


def test_nfd_input_is_valid_and_stored_as_nfc(site: SiteFixture) -> None:
    site.profile("nfd", name=unicodedata.normalize("NFD", "Đặng Thị Ánh"))
    [exemplar] = check(site.project).exemplars
    assert exemplar.name == unicodedata.normalize("NFC", "Đặng Thị Ánh")


def test_html_in_a_name_is_refused(site: SiteFixture) -> None:
    site.profile("ten-co-html", name="<script>alert(1)</script>")
    assert "không được chứa ký tự `<`" in only_problem(site).message


def test_every_problem_is_reported_at_once(site: SiteFixture) -> None:
    site.profile("loi-mot", kind="ca nhan")
    site.profile("loi-hai", province="sai-gon", published="hôm qua")
    assert len(problems_of(site)) == 3


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
    lines = result.stderr.strip().splitlines()
    assert lines[0].startswith("exemplars/loi-hai/index.md:6: province: mã tỉnh, thành phố `sai-gon`")
    assert lines[0].endswith("Có phải ý bạn là `ho-chi-minh`?")
    assert lines[1].startswith("exemplars/loi-mot/index.md:3: kind: loại không hợp lệ: `ca nhan`.")
    assert lines[-1] == "2 lỗi"


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
    assert "`exemplars/nguyen-van-a/index.md`" in only_problem(site).message


def test_a_real_story_needs_an_award_with_its_decision_or_a_source(site: SiteFixture) -> None:
    """The home page promises readers they can check every real story: the check keeps that promise."""
    site.profile("khong-can-cu", sources=None)
    site.profile("khen-thuong-khong-so", sources=None, awards=[{"title": "Giấy khen của Chủ tịch UBND xã"}])
    problems = {p.path: p for p in problems_of(site)}
    assert set(problems) == {"exemplars/khong-can-cu/index.md", "exemplars/khen-thuong-khong-so/index.md"}
    bare, undecided = problems["exemplars/khong-can-cu/index.md"], problems["exemplars/khen-thuong-khong-so/index.md"]
    assert (bare.line, bare.key) == (1, "awards")
    assert bare.message.startswith("hồ sơ chưa có căn cứ để bạn đọc kiểm chứng")
    assert undecided.key == "awards" and undecided.line == 10  # the `awards:` line
    assert "`decision: Quyết định số 1234/QĐ-UBND`" in undecided.message


def test_an_award_with_its_decision_a_source_a_draft_or_a_sample_passes(site: SiteFixture) -> None:
    decision = {"title": "Giấy khen", "decision": "Quyết định số 12/QĐ-UBND"}
    site.profile("co-quyet-dinh", sources=None, awards=[decision])
    site.profile("co-bai-bao")
    site.profile("ban-nhap", sources=None, draft=True)
    site.profile("ho-so-mau", sources=None, sample=True, body="Dữ liệu mẫu.")
    assert len(check(site.project).exemplars) == 4
