"""A contributor's story reads the same however fast it is rendered: the shortcut that spares plain sentences the
inline pass (`richtext._PlainTextFirst`) gives the very HTML Python-Markdown gives without it, for stories full of
markup, hostile ones, and random ones."""

from __future__ import annotations

from hypothesis import given, settings

from build_tools.content import richtext

from .hostile import HOSTILE_STORIES
from .test_fuzz import FUZZ, SURROGATE, markdown

WITHOUT_SHORTCUT = richtext._markdown()

MARKUP = [
    "Cô **Hương** dạy _tốt_ và `học` tốt.\n\nMột câu thường, không có gì đặc biệt.",
    "## Khen thưởng\n\nBằng khen năm 2023.\n\n## Câu chuyện\n\nChị kể rằng...",
    "Dòng một  \nDòng hai sau một ngắt dòng.\n\nA &amp; B, 3 < 4 và 5 > 2.",
    "Đọc [bài báo](https://baonamdinh.vn/a) và ![ảnh](anh.jpg \"tiêu đề\").\n\n<https://example.vn/>",
    "Xem chú thích[^1].\n\n[^1]: Theo Quyết định số 1234/QĐ-UBND.",
    "*[UBND]: Ủy ban nhân dân\n\nUBND xã khen thưởng. Một câu khác không có gì.\n\n- UBND huyện\n- Hội Nông dân",
    "Thuật ngữ\n: định nghĩa của nó\n\n| Năm | Số hộ |\n|---|---|\n| 2023 | 12 |",
    "## Tiêu đề {: #rieng }\n\nĐoạn văn {: .lop }\n\n<div markdown=\"1\">\nChữ **đậm** trong khối.\n</div>",
    "```\nmã **không** đổi\n```\n\n    khối mã thụt lề\n\n> Trích dẫn thường\n> > lồng nhau",
    "Chữ thường\\*không nghiêng\\* và snake_case_name.\n\n1. một\n2. hai\n\n---\n\nHết.",
    "<p onclick=\"x\">HTML thô</p>\n\nSau đó một câu thường.\n\n<!-- ghi chú -->",
]


def both_ways(text: str) -> tuple[str, str]:
    return richtext._CONVERTER.reset().convert(text), WITHOUT_SHORTCUT.reset().convert(text)


def test_stories_with_every_kind_of_markup_render_the_same_with_the_shortcut() -> None:
    for text in [*MARKUP, *HOSTILE_STORIES.values()]:
        fast, plain = both_ways(text)
        assert fast == plain, text


def test_the_shortcut_knows_every_inline_pattern_markdown_has() -> None:
    """Each pattern needs one of `_INLINE_MARKUP` to match; a new one (an upgrade, another extension) must be checked
    against that set before it is added to `INLINE_PATTERNS`."""
    assert [entry.name for entry in richtext._CONVERTER.inlinePatterns._priority] == list(richtext.INLINE_PATTERNS)


@settings(FUZZ, max_examples=300)
@given(markdown.map(lambda text: SURROGATE.sub("", text)))
def test_random_stories_render_the_same_with_the_shortcut(body: str) -> None:
    fast, plain = both_ways(body)
    assert fast == plain
