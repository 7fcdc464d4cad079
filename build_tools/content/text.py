"""Text rules shared by every stage: NFC for storage and comparison, ASCII for URLs and ids, dates as written in
Vietnamese."""

from __future__ import annotations

import datetime as dt
import html
import re
import unicodedata

_NON_SLUG = re.compile(r"[^a-z0-9]+")
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def unicode_escape(match: re.Match[str]) -> str:
    """The matched character as a JSON `\\uXXXX` escape (for `re.sub`: one C pass over the text)."""
    return f"\\u{ord(match[0]):04x}"


def nfc(value: str) -> str:
    return unicodedata.normalize("NFC", value)


def date_vi(value: dt.date | None) -> str:
    """`2025-06-13` → `13/06/2025`, as a Vietnamese reader writes a date (pages, feeds, search results alike)."""
    return value.strftime("%d/%m/%Y") if value else ""


def fold(value: str) -> str:
    """Lowercase ASCII approximation of Vietnamese text: "Đắk Lắk" → "dak lak".

    `đ` has no decomposition in Unicode, so NFKD alone would drop it; it is mapped by hand.
    """
    value = unicodedata.normalize("NFKD", value.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in value if not unicodedata.combining(ch)).lower()


def slugify(value: str, separator: str = "-") -> str:
    """ASCII slug for URLs, ids and heading anchors (`Đắk Lắk` → `dak-lak`)."""
    return _NON_SLUG.sub(separator, fold(value)).strip(separator)


def anchor_slugify(value: str, separator: str) -> str:
    """Heading-anchor slugify for Python-Markdown's toc extension.

    MkDocs' default drops `đ` ("Đảng" → "ang"); this one keeps it as `d`. Headings made from escaped names
    reach it with their entities (`&#34;`): decoded first, they do not leave `34` in the anchor.
    """
    return slugify(html.unescape(value), separator)


INVISIBLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufdd0-\ufdef\ufffe\uffff]"
)
"""Characters no one types on purpose: control codes (XML and HTML forbid them, feeds would break), YAML's own
line breaks (U+2028/2029 shift line numbers), bidirectional overrides (they make text read in another order than
it is stored, a way to disguise it) and non-characters. Tab and newline are fine."""


def describe_invisible(char: str) -> str:
    """An invisible character as a contributor can recognise it in a message."""
    code = f"U+{ord(char):04X}"
    if "\u202a" <= char <= "\u202e" or "\u2066" <= char <= "\u2069":
        return f"ký tự vô hình {code} làm đảo thứ tự hiển thị của chữ"
    if char in "\u2028\u2029":
        return f"ký tự xuống dòng đặc biệt {code}"
    return f"ký tự điều khiển vô hình {code}"
