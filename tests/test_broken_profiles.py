"""Fifty mistakes officers make, one small profile each (tests/fixtures/broken/<case>/), and the exact message each
gets: file, line, field and what to do, in Vietnamese. The table is tests/fixtures/broken/expected.yml.

Every case sits beside two valid profiles that must stay valid: a mistake is reported where it is, never
elsewhere. Cases with no expected problem are traps for the checker (NFD text, a BOM, decision numbers and
amounts of money that look like phone or ID numbers, a declared hotline).
"""

from __future__ import annotations

import shutil
import unicodedata
from pathlib import Path

import pytest
import yaml

from build_tools.content.gather import check
from build_tools.content.load import read_story
from build_tools.content.problems import ContentError, Problem

from .conftest import FIXTURES, SiteFixture

BROKEN = FIXTURES / "broken"
EXPECTED: dict[str, dict] = yaml.safe_load((BROKEN / "expected.yml").read_text(encoding="utf-8"))
CASES = sorted(p.name for p in BROKEN.iterdir() if p.is_dir())


def place(site: SiteFixture, case: str) -> None:
    """Copy a case where an officer would have put it (its own folder by default)."""
    target = site.root / EXPECTED[case].get("place", f"exemplars/{case}")
    shutil.copytree(BROKEN / case, target, dirs_exist_ok=True)


def with_companions(site: SiteFixture) -> SiteFixture:
    """Two valid profiles every case sits beside; some mistakes (a duplicate slug, an alias) are about them."""
    site.plan("nam-dinh-2022-2025")
    site.photo("nguyen-thi-huong-nam-dinh", name="chan-dung.jpg", group="2023")
    site.profile(
        "nguyen-thi-huong-nam-dinh",
        group="2023",
        plans=["nam-dinh-2022-2025"],
        photo={"src": "chan-dung.jpg", "alt": "Cô Hương trên lớp", "credit": "Báo Nam Định"},
    )
    site.profile(
        "htx-dong-dang-lang-son",
        name="Hợp tác xã Đồng Đăng",
        kind="tap-the",
        consent=None,
        fields=["nong-thon-moi"],
        province="lang-son",
        summary="Hợp tác xã trồng hồi.",
    )
    return site


def reported(site: SiteFixture) -> list[str]:
    try:
        check(site.project)
    except ContentError as error:
        return [str(p) for p in sorted(error.problems, key=_order)]
    return []


def _order(problem: Problem) -> tuple[str, int, str, str]:
    return (problem.path, problem.line or 0, problem.key or "", problem.message)


@pytest.fixture(scope="module")
def all_cases(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """One pull request holding every mistake beside the two valid profiles: one `check`, every problem at once."""
    site = with_companions(SiteFixture(tmp_path_factory.mktemp("broken") / "repo"))
    for case in CASES:
        place(site, case)
    return reported(site)


def where(case: str) -> str:
    return EXPECTED[case].get("place", f"exemplars/{case}") + "/"


def test_the_corpus_covers_at_least_25_mistakes_and_every_case_has_its_row() -> None:
    assert len(CASES) >= 25
    assert sorted(EXPECTED) == CASES
    assert sum(bool(row["problems"]) for row in EXPECTED.values()) >= 25
    for case, row in EXPECTED.items():
        assert row["what"], case
        for line in row["problems"]:
            assert line.startswith(where(case)), (case, line)


@pytest.mark.parametrize("case", CASES)
def test_each_mistake_gets_its_exact_message(all_cases: list[str], case: str) -> None:
    assert [line for line in all_cases if line.startswith(where(case))] == EXPECTED[case]["problems"]


def test_nothing_else_breaks(all_cases: list[str]) -> None:
    """No problem outside the broken files: the valid profiles beside them still pass, nothing is reported twice."""
    expected = [line for case in CASES for line in EXPECTED[case]["problems"]]
    assert sorted(all_cases) == sorted(expected)


def test_a_mistake_alone_is_reported_the_same_way(site: SiteFixture) -> None:
    """The combined run hides no interaction: a case checked on its own gives the same lines."""
    for case in ("trung-duong-dan-voi-ho-so-khac", "so-dien-thoai-trong-cau-chuyen", "luu-bang-windows-1258"):
        shutil.rmtree(site.root / "exemplars")
        (site.root / "exemplars").mkdir()
        with_companions(site)
        place(site, case)
        assert reported(site) == EXPECTED[case]["problems"]


def test_the_traps_pass_and_their_text_is_stored_in_nfc(site: SiteFixture) -> None:
    for case in ("chu-tieng-viet-dang-nfd", "luu-co-bom-utf8", "duong-day-nong-da-khai-bao"):
        place(site, case)
    exemplars = {e.slug: e for e in check(site.project).exemplars}
    assert exemplars["chu-tieng-viet-dang-nfd"].name == "Nguyễn Thị Hương"
    story = exemplars["chu-tieng-viet-dang-nfd"].source_path
    assert read_story(site.root / story, story).startswith("Cô Hương dạy Toán")
    assert exemplars["duong-day-nong-da-khai-bao"].public_contacts == (
        "Đường dây nóng Trường THCS Lộc Hạ: 0228 3812 345",
        "Thư điện tử: thcslocha@namdinh.edu.vn",
    )


def test_a_photo_named_in_decomposed_form_on_disk_is_found_and_published(site: SiteFixture) -> None:
    """macOS saves "ảnh-lớp-học.jpg" decomposed (NFD); the profile names it composed: the same name, found."""
    place(site, "anh-ten-tep-dang-nfd")
    photo = {e.slug: e for e in check(site.project).exemplars}["anh-ten-tep-dang-nfd"].photo
    assert photo is not None and (site.root / photo.source_path).is_file()
    assert photo.source_path.rsplit("/", 1)[-1] == unicodedata.normalize("NFD", "ảnh-lớp-học.jpg")


def dump_actual(tmp: Path) -> str:  # pragma: no cover - a maintainer's aid
    """The table as the checker sees it today, to review after changing a message:

    .venv/bin/python -m tests.test_broken_profiles > /tmp/actual.yml && diff tests/fixtures/broken/expected.yml …
    """
    site = with_companions(SiteFixture(tmp / "repo"))
    for case in CASES:
        place(site, case)
    lines = reported(site)
    rows = {
        case: {
            **{k: v for k, v in EXPECTED.get(case, {}).items() if k != "problems"},
            "problems": [line for line in lines if line.startswith(where(case))],
        }
        for case in CASES
    }
    return yaml.safe_dump(rows, allow_unicode=True, sort_keys=True, width=10_000)


if __name__ == "__main__":  # pragma: no cover
    import tempfile

    print(dump_actual(Path(tempfile.mkdtemp())))


SYNTAX_CASES = [case for case in CASES if any("lỗi cú pháp YAML" in line for line in EXPECTED[case]["problems"])]


@pytest.mark.parametrize("parser", ["libyaml", "python"])
def test_syntax_errors_read_the_same_with_either_yaml_parser(
    site: SiteFixture, monkeypatch: pytest.MonkeyPatch, parser: str
) -> None:
    """LibYAML words its errors differently from PyYAML's own parser (used where LibYAML is missing)."""
    from build_tools.content import load

    if parser == "python":

        class PurePython(yaml.SafeLoader):
            yaml_implicit_resolvers = load._Loader.yaml_implicit_resolvers

        monkeypatch.setattr(load, "_Loader", PurePython)
    assert len(SYNTAX_CASES) >= 4
    for case in SYNTAX_CASES:
        place(site, case)
    assert reported(site) == sorted(line for c in SYNTAX_CASES for line in EXPECTED[c]["problems"])


def test_nothing_from_outside_the_repository_is_read_or_published(site: SiteFixture, tmp_path: Path) -> None:
    """A pull request can carry symbolic links: to a private photo, to a file of the build machine, to a folder of
    profiles elsewhere. Each is refused where it is, and nothing behind it reaches the site."""
    from PIL import Image

    from build_tools.build import build_site

    with_companions(site)
    build_site(site.project)
    before = sorted(p.relative_to(site.root / "site") for p in (site.root / "site").rglob("*"))
    outside = tmp_path / "ngoai-kho"
    (outside / "ho-so-khac").mkdir(parents=True)
    Image.new("RGB", (800, 600), (1, 2, 3)).save(outside / "anh-rieng.jpg")
    (outside / "bi-mat.md").write_text("---\nname: Bí mật của máy chủ\n---\nMật khẩu: hunter2\n", encoding="utf-8")
    (outside / "ho-so-khac" / "index.md").write_text("---\nname: Hồ sơ ngoài kho\n---\n", encoding="utf-8")
    site.profile(
        "anh-la-lien-ket",
        photo={"src": "anh.jpg", "alt": "Ảnh", "credit": "Báo Nam Định"},
    )
    (site.root / "exemplars" / "anh-la-lien-ket" / "anh.jpg").symlink_to(outside / "anh-rieng.jpg")
    (site.root / "exemplars" / "ho-so-la-lien-ket").mkdir()
    (site.root / "exemplars" / "ho-so-la-lien-ket" / "index.md").symlink_to(outside / "bi-mat.md")
    (site.root / "exemplars" / "thu-muc-la-lien-ket").symlink_to(outside / "ho-so-khac")
    plan = site.root / "plans" / "nam-dinh-2022-2025.yml"
    plan.write_text(
        plan.read_text(encoding="utf-8").replace('source: "002_6f18d55fef7a3bb5.txt"', 'source: "../../../etc/passwd"'),
        encoding="utf-8",
    )
    link = (
        "là một liên kết tượng trưng (symbolic link), không phải {0} thật. Trang chỉ đọc và đăng những gì nằm "
        "trong kho: hãy thay liên kết bằng chính {0} đó."
    )
    assert reported(site) == [
        "exemplars/anh-la-lien-ket/index.md:14: photo.src: tệp `anh.jpg` " + link.format("tệp"),
        "exemplars/ho-so-la-lien-ket/index.md: tệp `index.md` " + link.format("tệp"),
        "exemplars/thu-muc-la-lien-ket: thư mục `thu-muc-la-lien-ket` " + link.format("thư mục"),
        "plans/nam-dinh-2022-2025.yml:12: source: `../../../etc/passwd` là một đường dẫn. Chỉ ghi tên tệp văn bản gốc "
        "nằm trong thư mục plans/sources/, ví dụ `source: 002_6f18d55fef7a3bb5.txt`.",
    ]
    with pytest.raises(ContentError):
        build_site(site.project)
    assert sorted(p.relative_to(site.root / "site") for p in (site.root / "site").rglob("*")) == before
    source = site.root / "plans" / "sources" / "002_6f18d55fef7a3bb5.txt"
    source.unlink()
    source.symlink_to(outside / "bi-mat.md")
    plan.write_text(
        plan.read_text(encoding="utf-8").replace('source: "../../../etc/passwd"', 'source: "002_6f18d55fef7a3bb5.txt"'),
        encoding="utf-8",
    )
    assert "plans/nam-dinh-2022-2025.yml:12: source: tệp `002_6f18d55fef7a3bb5.txt` " + link.format("tệp") in reported(
        site
    )


def test_what_used_to_crash_the_build_is_named_by_check_with_its_file_and_line(site: SiteFixture) -> None:
    """Each of these passed `check` and then crashed the build (or silently moved the site's "as of" date): now
    `check` names the file, the line and what to do, and the build says the same and keeps the site."""
    from PIL import Image

    from build_tools.build import build_site

    with_companions(site)
    build_site(site.project)
    before = sorted(p.relative_to(site.root / "site") for p in (site.root / "site").rglob("*"))
    site.profile("ngay-go-nham-nam", published="2204-05-12", awards=[{"title": "Bằng khen", "date": "2052-01-02"}])
    truncated = site.photo("anh-bi-cat-cut", name="anh.jpg")
    truncated.write_bytes(truncated.read_bytes()[: truncated.stat().st_size // 2])
    site.profile("anh-bi-cat-cut", photo={"src": "anh.jpg", "alt": "Ảnh", "credit": "Báo"})
    folder = site.root / "exemplars" / "anh-qua-nhieu-diem-anh"
    folder.mkdir()
    Image.new("L", (12_000, 12_000), 255).save(folder / "anh.png", optimize=True)  # 144 megapixels, a few KB
    site.profile("anh-qua-nhieu-diem-anh", photo={"src": "anh.png", "alt": "Ảnh", "credit": "Báo"})
    long_name = "a" * 240 + ".jpg"
    site.photo("anh-ten-rat-dai", name=long_name)
    site.profile("anh-ten-rat-dai", photo={"src": long_name, "alt": "Ảnh", "credit": "Báo"})
    site.raw_profile(
        "so-dai-nghin-chu-so",
        "---\nname: Nguyễn Văn An\nkind: ca-nhan\nfields: [day-tot-hoc-tot]\nprovince: nam-dinh\n"
        f"summary: Thầy giáo.\npublished: 2023-06-01\nconsent: true\ntags: [{'7' * 5000}]\n---\nCâu chuyện.\n",
    )
    site.profile("cau-chuyen-qua-dai", body="Câu chuyện rất dài. " * 25_000)
    plan = site.root / "plans" / "nam-dinh-2022-2025.yml"
    plan.write_text(
        plan.read_text(encoding="utf-8").replace(
            "period: {start: 2022, end: 2025}", "period: {start: 2022, end: 10000}"
        ),
        encoding="utf-8",
    )
    future = (
        "ở tương lai, sau ngày chốt số liệu (content_date trong mkdocs.yml) và sau hôm nay. Kiểm tra lại năm; nếu "
        "đúng là ngày sắp tới, hãy đợi đến gần ngày đó rồi mới thêm."
    )
    expected = [
        "exemplars/anh-bi-cat-cut/index.md:14: photo.src: tệp `anh.jpg` không phải là ảnh hoặc đã bị hỏng khi tải "
        "lên. Hãy tải lại ảnh gốc (JPEG hoặc PNG).",
        "exemplars/anh-qua-nhieu-diem-anh/index.md:14: photo.src: ảnh `anh.png` có kích thước điểm ảnh quá lớn để xử "
        "lý. Hãy dùng ảnh gốc từ điện thoại hoặc máy ảnh (dưới 50 triệu điểm ảnh).",
        "exemplars/cau-chuyen-qua-dai/index.md:14: câu chuyện dài 500.000 ký tự, tối đa 400.000 (khoảng 60.000 từ). "
        "Một câu chuyện dài như vậy không vừa feed của báo chí: hãy rút gọn, hoặc đưa phần tư liệu lên trang khác "
        "rồi dẫn liên kết ở `sources`.",
        f"exemplars/ngay-go-nham-nam/index.md:8: published: ngày `2204-05-12` {future}",
        f"exemplars/ngay-go-nham-nam/index.md:15: awards.0.date: ngày `2052-01-02` {future}",
        "exemplars/so-dai-nghin-chu-so/index.md:9: giá trị là một số quá dài (hàng nghìn chữ số), không đọc được. "
        "Nếu đây là chữ, hãy đặt cả giá trị trong ngoặc kép; nếu là số, hãy kiểm tra lại (có thể đã dán nhầm), "
        'ví dụ `summary: "…"`.',
        "plans/nam-dinh-2022-2025.yml:11: period.end: năm 10000 nằm ngoài khoảng 1945–2100. Kiểm tra lại năm.",
    ]
    assert reported(site) == expected
    with pytest.raises(ContentError) as built:
        build_site(site.project)
    assert sorted(str(p) for p in built.value.problems) == sorted(expected)
    assert sorted(p.relative_to(site.root / "site") for p in (site.root / "site").rglob("*")) == before
    for slug in ("anh-bi-cat-cut", "anh-qua-nhieu-diem-anh", "so-dai-nghin-chu-so", "cau-chuyen-qua-dai"):
        shutil.rmtree(site.root / "exemplars" / slug)
    shutil.rmtree(site.root / "exemplars" / "ngay-go-nham-nam")
    plan.write_text(plan.read_text(encoding="utf-8").replace("end: 10000", "end: 2025"), encoding="utf-8")
    build_site(site.project)
    published = [p.name for p in (site.root / "site" / "guong" / "anh-ten-rat-dai").iterdir()]
    assert "a" * 60 + "-960.webp" in published and all(len(name) < 80 for name in published)


def test_a_failure_while_a_profile_is_made_into_pages_names_the_profile(
    site: SiteFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Should anything still fail after `check` (a photo library's bug, a decoder's limit), the message names the
    profile and the photo, says the site was kept, and blames neither the disk nor the tool."""
    import build_tools.build as build
    import build_tools.generate as generate

    with_companions(site)

    def broken_decoder(original: Path, cache_dir: Path) -> None:
        raise OSError("broken data stream when reading image file")

    monkeypatch.setattr(generate, "process_photo", broken_decoder)
    with pytest.raises(ContentError) as caught:
        build.build_site(site.project, workers=1)
    assert [str(p) for p in caught.value.problems] == [
        "exemplars/2023/nguyen-thi-huong-nam-dinh/index.md: lỗi khi tạo trang từ tệp này (ảnh `chan-dung.jpg`: "
        "OSError: broken data stream when reading image file). Trang đang đăng được giữ nguyên. Hãy kiểm tra nội "
        "dung và ảnh của hồ sơ (tải lại ảnh gốc nếu ảnh bị hỏng); nếu không thấy gì sai, hãy báo nhóm kỹ thuật kèm "
        "dòng này."
    ]
    assert not (site.root / "site").exists()
