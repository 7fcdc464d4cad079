"""Personal data a profile must never carry, and the numbers of ordinary prose that must not be mistaken for it."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from build_tools.privacy import (
    CITIZEN_ID,
    EMAIL,
    OLD_ID,
    PHONE,
    _scan,
    contacts_in,
    find_personal_data,
    may_contain_personal_data,
)


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


_DIGITISH = st.text(alphabet=st.sampled_from("0123456789 .-+()/@abcđ\u0663\n"), max_size=40)


@settings(max_examples=3000, deadline=None)
@given(_DIGITISH)
def test_the_quick_test_never_skips_a_line_the_full_rules_would_flag(line: str) -> None:
    """The 10,000-profile check skips text without an `@` or nine grouped digits: that must never hide a finding."""
    if _scan(line):
        assert may_contain_personal_data(line)
    assert find_personal_data(line) == _scan(line)
