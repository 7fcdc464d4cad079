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

from build_tools.build import check
from build_tools.problems import ContentError, Problem

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
    assert exemplars["chu-tieng-viet-dang-nfd"].body_markdown.startswith("Cô Hương dạy Toán")
    assert exemplars["duong-day-nong-da-khai-bao"].public_contacts == (
        "Đường dây nóng Trường THCS Lộc Hạ: 0228 3812 345",
        "Thư điện tử: thcslocha@namdinh.edu.vn",
    )


def test_a_photo_named_in_decomposed_form_on_disk_is_found_and_published(site: SiteFixture) -> None:
    """macOS saves "ảnh-lớp-học.jpg" decomposed (NFD); the profile names it composed: the same name, found."""
    place(site, "anh-ten-tep-dang-nfd")
    photo = {e.slug: e for e in check(site.project).exemplars}["anh-ten-tep-dang-nfd"].photo
    assert photo is not None and photo.path.is_file()
    assert photo.path.name == unicodedata.normalize("NFD", "ảnh-lớp-học.jpg")


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
    from build_tools import load

    if parser == "python":

        class PurePython(yaml.SafeLoader):
            yaml_implicit_resolvers = load._Loader.yaml_implicit_resolvers

        monkeypatch.setattr(load, "_Loader", PurePython)
    assert len(SYNTAX_CASES) >= 4
    for case in SYNTAX_CASES:
        place(site, case)
    assert reported(site) == sorted(line for c in SYNTAX_CASES for line in EXPECTED[c]["problems"])
