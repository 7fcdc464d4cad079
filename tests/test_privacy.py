"""Personal data a profile must never carry, and the numbers of ordinary prose that must not be mistaken for it."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from urllib.parse import unquote

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from build_tools.content import privacy
from build_tools.content.privacy import (
    _BUSINESS_CODE,
    _CANDIDATE,
    CITIZEN_ID,
    EMAIL,
    OLD_ID,
    PHONE,
    _is_business,
    _scan,
    contacts_in,
    find_personal_data,
    findings_in_output,
    may_contain_personal_data,
    normalise,
)
from build_tools.content.problems import ContentError

from .conftest import SiteFixture


@pytest.mark.parametrize(
    ("line", "kind", "text", "value"),
    [
        ("Gọi cô Hương: 0912345678.", PHONE, "0912345678", "0912345678"),
        ("SĐT 0912 345 678 (giờ hành chính)", PHONE, "0912 345 678", "0912345678"),
        ("ĐT: 0912.345.678", PHONE, "0912.345.678", "0912345678"),
        ("ĐT: 091-234-5678", PHONE, "091-234-5678", "0912345678"),
        ("Zalo +84 912 345 678", PHONE, "+84 912 345 678", "0912345678"),
        ("Zalo +84912345678", PHONE, "+84912345678", "0912345678"),
        ("(+84) 24 3826 1234", PHONE, "(+84) 24 3826 1234", "02438261234"),
        ("gọi 84 912 345 678", PHONE, "84 912 345 678", "0912345678"),
        ("máy bàn 024 3826 1234", PHONE, "024 3826 1234", "02438261234"),
        ("máy bàn 0243 826 1234", PHONE, "0243 826 1234", "02438261234"),
        ("máy bàn 028.3822.1234", PHONE, "028.3822.1234", "02838221234"),
        ("máy bàn 0262 3812 345", PHONE, "0262 3812 345", "02623812345"),
        ("số cũ 0168 123 4567", PHONE, "0168 123 4567", "01681234567"),
        ("liên hệ 035 123 4567", PHONE, "035 123 4567", "0351234567"),
        ("[Gọi ngay](tel:0912345678)", PHONE, "0912345678", "0912345678"),
        ("nhắn zalo.me/0912345678", PHONE, "0912345678", "0912345678"),
        ("có 15 0912345678", PHONE, "0912345678", "0912345678"),
        ("CCCD 036185001234", CITIZEN_ID, "036185001234", "036185001234"),
        ("CCCD: 001 089 012 345", CITIZEN_ID, "001 089 012 345", "001089012345"),
        ("CMND 162345678 cấp năm 2010", OLD_ID, "162345678", "162345678"),
        ("thư: huong.nt@gmail.com", EMAIL, "huong.nt@gmail.com", "huong.nt@gmail.com"),
        ("Thư: Huong.NT@Yahoo.com.vn", EMAIL, "Huong.NT@Yahoo.com.vn", "huong.nt@yahoo.com.vn"),
        ("giáo viên huongnt@namdinh.edu.vn", EMAIL, "huongnt@namdinh.edu.vn", "huongnt@namdinh.edu.vn"),
        # Disguises a person or a word processor puts in (red-team pass, issue 22).
        ("ĐT 0912\u00a0345\u00a0678", PHONE, "0912 345 678", "0912345678"),
        ("ĐT 0912\u2009345\u2009678", PHONE, "0912 345 678", "0912345678"),
        ("ĐT 0912\u2013345\u2013678", PHONE, "0912-345-678", "0912345678"),
        ("ĐT 0912/345/678", PHONE, "0912/345/678", "0912345678"),
        ("ĐT 0912  345  678", PHONE, "0912  345  678", "0912345678"),
        ("ĐT \uff10\uff19\uff11\uff12\uff13\uff14\uff15\uff16\uff17\uff18", PHONE, "0912345678", "0912345678"),
        ("ĐT 0912\n345 678", PHONE, "0912 345 678", "0912345678"),
        ("máy bàn (0228) 3812 345", PHONE, "(0228) 3812 345", "02283812345"),
        ("máy bàn (024) 3826.1234", PHONE, "(024) 3826.1234", "02438261234"),
        ("gọi 0084 912 345 678", PHONE, "0084 912 345 678", "0912345678"),
        ("gọi 0084912345678", PHONE, "0084912345678", "0912345678"),
        ("nhắn https://zalo.me/0912345678", PHONE, "0912345678", "0912345678"),
        ("ĐT 0912&#32;345&#x20;678", PHONE, "0912 345 678", "0912345678"),
        ("thư huong&#64;gmail.com", EMAIL, "huong@gmail.com", "huong@gmail.com"),
        ("https://example.vn/lien-he?email=huong%40gmail.com", EMAIL, "huong@gmail.com", "huong@gmail.com"),
        ("thư huong\uff20gmail.com", EMAIL, "huong@gmail.com", "huong@gmail.com"),
    ],
)
def test_personal_data_is_found_in_every_common_spelling(line: str, kind: str, text: str, value: str) -> None:
    [finding] = find_personal_data(line)
    assert (finding.kind, finding.text, finding.value) == (kind, text, value)


@pytest.mark.parametrize(
    "line",
    [
        "Quyết định số 1234/QĐ-UBND ngày 12/05/2023",
        "Quyết định số 02/2022/QĐ-UBND; Kế hoạch số 3862/KH-UBND",
        "ngày 2023-05-12, giai đoạn 2022-2025, năm 2019 2020 2021",
        "ngày 01.02.2023 lúc 08:00, ngày 20/11/2023",
        "doanh thu 1.200.000.000 đồng, mỗi suất 2.000.000 đồng, 600.000.000 đồng",
        "quỹ 120000000 đồng, 350 suất học bổng, 1.250 lượt, 4.000 lượt học sinh",
        "diện tích 1,8 ha, 5.000 m², 12 tấn cá, 85 giáo viên",
        "mã số thuế 0301234567 của hợp tác xã",
        "mã số doanh nghiệp 0101234567-001",
        "https://baonamdinh.vn/tin-tuc/123456789/co-giao-gioi.html",
        "giai đoạn 05/2023–06/2024, từ 12/5/2023 - 15/6/2023, năm 2019 – 2020",
        "Quyết định số 1234/QĐ-UBND, số 02/2022/QĐ-UBND ngày 2022-03-15",
        "thư điện tử vanphong@namdinh.gov.vn hoặc hoinongdan@hnd.org.vn",
        "tổng đài 1900 9095, 1800 1234, 115, 113",
        "Bằng khen số 162345678/QĐ-TTg",
    ],
)
def test_ordinary_numbers_and_agency_addresses_are_not_personal_data(line: str) -> None:
    assert find_personal_data(line) == []


def test_every_finding_on_a_line_is_reported_in_order() -> None:
    findings = find_personal_data("A: 0912 345 678, B: 0987.654.321, thư a@gmail.com, CCCD 001089012345")
    assert [f.kind for f in findings] == [PHONE, PHONE, EMAIL, CITIZEN_ID]


def test_a_declared_contact_names_the_numbers_and_addresses_it_allows() -> None:
    found = contacts_in("Đường dây nóng: 0262 3812 345, vanphong@eatieu.gov.vn")
    assert [(f.kind, f.value) for f in found] == [(PHONE, "02623812345"), (EMAIL, "vanphong@eatieu.gov.vn")]
    assert contacts_in("Văn phòng trạm y tế") == []


_DIGITISH = st.lists(
    st.sampled_from([*"0129 .-+()/@ađ\u0663\n\u00a0\u2013\uff10", "&#48;", "&#64;", "%40", "%30"]),
    max_size=30,
).map("".join)


@settings(max_examples=3000, deadline=None)
@given(_DIGITISH)
def test_the_quick_test_never_skips_a_line_the_full_rules_would_flag(line: str) -> None:
    """The 10,000-profile check skips text without an `@` or nine grouped digits: that must never hide a finding."""
    if _scan(normalise(line)):
        assert may_contain_personal_data(line)
    assert may_contain_personal_data(line) == (_CANDIDATE.search(line) is not None)  # as the one expression says
    assert find_personal_data(line) == _scan(normalise(line))


@settings(max_examples=2000, deadline=None)
@given(
    st.lists(st.sampled_from(["mã", "MÃ", "Mã", "ma\u0303", "M", "s", "S", "\u017ft", "\ufb05", "T", " ", "số thuế"]))
)
def test_a_business_code_is_recognised_in_any_case_as_the_case_blind_rule_says(parts: list[str]) -> None:
    """The scan settles most pages without the case-blind search for "mã số thuế" or "MST" (`_is_business`):
    whatever the case or the Unicode form, it answers as that search does on the text the rules see."""
    text = normalise("".join(parts))
    assert _is_business(text) == (_BUSINESS_CODE.search(text) is not None)


_HOSTILE = st.lists(
    st.sampled_from(
        [
            *"0129 .-+()/@_ađx\u0663\n\u00a0\u2013\uff10\uff20<>",
            *("&#48;", "&#64;", "%40", "%30", "%E2%80%93", "<em>", "</em>", "<p>", "gmail.com", ".vn", "MST"),
            *("mã số thuế", "đồng", "tel:", "https://", "12/05/2023", "+84", "0084", '"@type":', "@context", " " * 70),
        ]
    ),
    max_size=40,
).map("".join)


@settings(max_examples=2000, deadline=None)
@given(_HOSTILE, st.integers(min_value=1, max_value=200))
def test_the_shortcuts_of_the_scan_of_outputs_never_hide_a_finding(text: str, copies: int) -> None:
    """A page's scan skips the rules where no nine grouped digits and no address's `@name.` stand (most pages: their
    only `@` are JSON-LD's `@type`): with those shortcuts opened, the rules find exactly the same, in short text
    and in long (scanned around its candidates)."""
    page = ((text + " ") * copies).encode()
    found = findings_in_output("guong/a/index.md", page)
    with pytest.MonkeyPatch.context() as opened:
        opened.setattr(privacy, "_DIGIT_RUN", re.compile(""))
        opened.setattr(privacy, "_ADDRESS_CORE", re.compile(""))
        assert findings_in_output("guong/a/index.md", page) == found


@given(st.lists(st.sampled_from([*"%%%0a9Fg ", "%C3%A1", "%E1%BB", "%00"]), max_size=30).map("".join))
def test_percent_escapes_are_found_and_decoded_as_urllib_decodes_them(text: str) -> None:
    """The runs of escapes are those of `(?:%XX)+`, each decoded as `urllib.parse.unquote` decodes it."""
    runs = list(privacy._PERCENT_ESCAPES.finditer(text))
    assert [run.group() for run in runs] == re.findall(r"(?:%[0-9A-Fa-f]{2})+", text)
    assert [privacy._unquote(run) for run in runs] == [unquote(run.group()) for run in runs]


# The whole pipeline: what `check` says before the build is what the build says, and nothing is published.

BROKEN = Path(__file__).parent / "fixtures" / "broken"
DISGUISES = [
    "so-dien-thoai-cach-bang-dau-gach-ngang-dai",
    "so-may-ban-co-ma-vung-trong-ngoac",
    "so-dien-thoai-xuong-dong-va-dinh-dang",
    "so-dien-thoai-trong-yaml-gap-dong",
    "so-dien-thoai-va-thu-trong-lien-ket",
    "so-dien-thoai-0084-va-chu-so-toan-goc",
    "huong-0912345678",
]
HIDDEN = ("0912-345-678", "(0228) 3812 345", "huong.nt", "huongnt", "0084 912", "huong-0912345678", "0988 765 432")


def _everything_published(root: Path) -> str:
    """Every name and every byte of text under a folder, decoded as a reader's software would."""
    parts = []
    for path in sorted(root.rglob("*")):
        parts.append(path.relative_to(root).as_posix())
        if path.is_file() and path.suffix in (".html", ".xml", ".json", ".csv", ".md", ".txt"):
            parts.append(normalise(path.read_text(encoding="utf-8")))
    return "\n".join(parts)


def test_disguised_personal_data_stops_the_build_as_check_said_and_reaches_no_output(site: SiteFixture) -> None:
    from build_tools.build import build_site
    from build_tools.content.gather import check

    site.profile("co-giao-huong", body="Cô Hương dạy Toán từ năm 2003.")
    build_site(site.project)
    before = _everything_published(site.root / "site")
    for case in DISGUISES:
        shutil.copytree(BROKEN / case, site.root / "exemplars" / case)
    with pytest.raises(ContentError) as checked:
        check(site.project)
    with pytest.raises(ContentError) as built:
        build_site(site.project)
    assert sorted(map(str, built.value.problems)) == sorted(map(str, checked.value.problems))
    assert {p.path for p in built.value.problems} == {f"exemplars/{case}/index.md" for case in DISGUISES}
    assert _everything_published(site.root / "site") == before
    published = _everything_published(site.root / "site") + _everything_published(site.project.generated_dir)
    assert not [text for text in HIDDEN if text in published]
    for root in (site.root / "site", site.project.generated_dir):
        for path in root.rglob("*"):
            content = path.read_bytes() if path.is_file() else b""
            assert findings_in_output(path.relative_to(root).as_posix(), content) == [], path


def test_a_number_only_the_outputs_show_is_blamed_on_the_file_and_line_it_came_from(site: SiteFixture) -> None:
    """Plans are not profiles, but their pages are outputs: the scan of what the build wrote finds the number, and
    names the plan's line, not the generated page."""
    from build_tools.build import build_site

    site.plan("nam-dinh-2022-2025")
    site.profile("co-giao-huong", plans=["nam-dinh-2022-2025"])
    build_site(site.project)
    before = _everything_published(site.root / "site")
    plan = site.root / "plans" / "nam-dinh-2022-2025.yml"
    lines = plan.read_text(encoding="utf-8").splitlines()
    number = next(n for n, line in enumerate(lines) if line.startswith("issuer:"))
    lines[number] = 'issuer: "Ủy ban nhân dân thành phố Nam Định, ĐT 0912\u2013345\u2013678"'
    plan.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ContentError) as built:
        build_site(site.project)
    assert [str(p) for p in built.value.problems] == [
        f"plans/nam-dinh-2022-2025.yml:{number + 1}: dòng này có số điện thoại `0912-345-678`. Không đăng số điện "
        "thoại cá nhân: hãy xóa số này. Nếu đây là số đường dây nóng công khai của cơ quan, đơn vị, hãy ghi nó vào "
        "trường `public_contacts` để được phép đăng."
    ]
    assert _everything_published(site.root / "site") == before


def test_a_number_the_check_missed_is_blamed_on_the_one_profile_and_line_it_came_from(
    site: SiteFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Should a rule of the check ever miss a number (here the check's privacy rule is switched off), the scan of
    what the build wrote still stops the build, and names the profile and line it came from, once, though the number
    is on its story page, in the lists, the feeds, the data and the search index; the other profiles are not blamed,
    not even one with the same digits in another order or one holding a number only in the same digits' company."""
    from build_tools.build import build_site
    from build_tools.content.schema import profile as profile_rules

    for number in range(8):
        site.profile(f"nguoi-tot-{number}", body=f"Anh giúp hàng xóm sửa {number + 2} mái nhà sau bão.")
    site.profile("ong-ba-so-khac", body="Ông Ba làm 1.000.000 viên gạch, 912.345.678 đồng (không phải số điện thoại).")
    path = site.profile(
        "co-giao-huong",
        body="Cô Hương dạy Toán từ năm 2003.\n\nPhụ huynh gọi cô qua số 0912 345 678 mỗi tối.",
        published="2023-05-01",
    )
    line = path.read_text(encoding="utf-8").splitlines().index("Phụ huynh gọi cô qua số 0912 345 678 mỗi tối.") + 1
    monkeypatch.setattr(profile_rules, "validate_privacy", lambda *args, **kwargs: iter(()))
    with pytest.raises(ContentError) as built:
        build_site(site.project)
    [problem] = built.value.problems
    assert (problem.path, problem.line) == ("exemplars/co-giao-huong/index.md", line)
    assert problem.message.startswith("dòng này có số điện thoại `0912 345 678`. Không đăng số điện thoại cá nhân")
    assert "khi tạo trang)" in problem.message
    assert not (site.root / "site").exists()


@pytest.mark.parametrize(
    ("path", "content"),
    [
        ("guong/a/index.html", b"<p>G\xe1\xbb\x8di 09<em>12</em> 345<!-- x --> 678</p>"),
        ("feed.xml", b"<description>&lt;p&gt;G\xe1\xbb\x8di 0912&amp;#32;345 678&lt;/p&gt;</description>"),
        ("feed.json", json.dumps({"items": [{"content_html": "<p>thư huong&#64;gmail.com</p>"}]}).encode()),
        ("du-lieu/exemplars.csv", b'name,story\nA,"0912 345 678"\n'),
        ("search/a.json", json.dumps({"text": "zalo.me/0912345678"}).encode()),
        ("guong/huong-0912-345-678/index.html", b"<p>Trang.</p>"),
        ("guong/a/anh-0912345678-960.webp", b"RIFF"),
    ],
)
def test_each_kind_of_output_is_read_as_its_reader_reads_it(path: str, content: bytes) -> None:
    assert findings_in_output(path, content)


def test_numbers_of_an_ordinary_page_are_not_mistaken_in_the_outputs() -> None:
    page = (
        '<img src="anh-960.webp" srcset="anh-480.webp 480w, anh-960.webp 960w" width="960" height="640">'
        '<time datetime="2023-06-01T00:00:00+07:00">01/06/2023</time> <p>Quyết định số 1234/QĐ-UBND</p>'
    ).encode()
    feed = json.dumps({"items": [{"id": "tag:example.test,2023-06-01:guong/a", "size_in_bytes": 123456789}]})
    assert findings_in_output("guong/a/index.html", page) == []
    assert findings_in_output("feed.json", feed.encode()) == []
