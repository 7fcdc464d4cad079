"""Unicode rules shared by every stage: NFC for storage and comparison, ASCII for URLs and ids."""

from __future__ import annotations

import html
import re
import unicodedata

_NON_SLUG = re.compile(r"[^a-z0-9]+")
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def nfc(value: str) -> str:
    return unicodedata.normalize("NFC", value)


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
