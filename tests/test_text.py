"""URLs and ids are ASCII; Vietnamese is compared in NFC."""

from __future__ import annotations

import unicodedata

import pytest

from build_tools.content.text import anchor_slugify, fold, slugify


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Đắk Lắk", "dak-lak"),
        ("Nguyễn Thị Hương", "nguyen-thi-huong"),
        ("Bà Rịa - Vũng Tàu", "ba-ria-vung-tau"),
        ("Đảng bộ", "dang-bo"),
        (unicodedata.normalize("NFD", "Điện Biên"), "dien-bien"),
    ],
)
def test_slugify_is_ascii_with_d_for_dj(text: str, slug: str) -> None:
    assert slugify(text) == slug


def test_anchor_slugify_keeps_dj() -> None:
    assert anchor_slugify("Đoàn kết", "-") == "doan-ket"


def test_fold_ignores_diacritics_and_case() -> None:
    assert fold("Người tốt, việc tốt") == "nguoi tot, viec tot"
