"""What every rule shares: the Issue a check yields, the Context it reads, and the checks of text, dates and keys.

Checks yield issues and never raise, so `exemplars check` can report every mistake in one run.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..text import INVISIBLE, describe_invisible, slugify
from .vocabulary import Vocabulary

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_VN_DATE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
PARTIAL_DATE = re.compile(r"^\d{4}(?:-(?:0[1-9]|1[0-2])(?:-\d{2})?|-Q[1-4])?$")
"""A plan's date as precise as its source: a year, a month, a day or a quarter (`2021-Q2`)."""
_MARKUP = re.compile(r"[<>]")


@dataclass(frozen=True)
class Issue:
    """A problem found inside one value; `key` narrows it (`photo.alt`)."""

    message: str
    key: str | None = None


@dataclass(frozen=True)
class Context:
    """What a rule may consult beyond its value: the known ids, the profile's folder (its photo), the other keys."""

    vocabulary: Vocabulary
    folder: Path
    data: Mapping[str, Any]


Validator = Callable[[Any, Context], Iterator[Issue]]


def suggest(value: str, choices: Sequence[str]) -> str:
    """ " Có phải ý bạn là `x`?" when a close id exists; matches on the folded slug too (Nam Định → nam-dinh)."""
    wanted = slugify(value) if isinstance(value, str) else ""
    if wanted in choices:
        return f" Có phải ý bạn là `{wanted}`?"
    close = difflib.get_close_matches(wanted or str(value), choices, n=1, cutoff=0.6)
    return f" Có phải ý bạn là `{close[0]}`?" if close else ""


def type_name(value: Any) -> str:
    """What a value is, in the words an officer reads in "(đang là …)"."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return "để trống"
    if isinstance(value, bool):
        return f"giá trị đúng/sai `{str(value).lower()}`"
    if isinstance(value, list):
        return "một danh sách" if value else "một danh sách trống"
    if isinstance(value, dict):
        return "một nhóm trường"
    if isinstance(value, int | float):
        return f"số `{value}`"
    return f"`{value}`"


def parse_date(value: Any) -> dt.date | None:
    """A `NĂM-THÁNG-NGÀY` text as a date, or None: YAML dates are kept as text so a bad one can be explained."""
    if isinstance(value, str) and ISO_DATE.match(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def date_issue(value: Any, key: str | None = None) -> Iterator[Issue]:
    """A date that is not `NĂM-THÁNG-NGÀY`, or not on the calendar; a Vietnamese day/month/year is rewritten."""
    if parse_date(value) is not None:
        return
    hint = "Ngày phải viết theo dạng NĂM-THÁNG-NGÀY, ví dụ 2023-05-12."
    if isinstance(value, str) and (m := _VN_DATE.match(value.strip())):
        day, month, year = (int(g) for g in m.groups())
        hint = f"Hãy viết `{year:04d}-{month:02d}-{day:02d}` (NĂM-THÁNG-NGÀY) thay cho `{value}`."
    elif isinstance(value, str) and ISO_DATE.match(value):
        yield Issue(f"ngày `{value}` không có thật trên lịch. Kiểm tra lại ngày và tháng.", key)
        return
    yield Issue(f"ngày không hợp lệ: {type_name(value)}. {hint}", key)


EARLIEST_YEAR = 1900
DATE_MARGIN = dt.timedelta(days=7)
"""How far past the content date (or today, whichever is later) a date may be: a story prepared for next week."""


def latest_date(vocabulary: Vocabulary) -> dt.date:
    """The last day a story, an update, an award or a correction may carry.

    A typo such as 2204 for 2024 used to move the whole site's "as of" date, or crash the build past 2106 (what a
    timestamp in a sitemap's gzip header can hold). Only the check reads the clock; what a build writes never does.
    """
    today = dt.datetime.now(dt.UTC).date()
    return max(today, vocabulary.content_date or today) + DATE_MARGIN


def date_range_issue(value: Any, ctx: Context, key: str | None = None) -> Iterator[Issue]:
    """A real date that is still impossible here: before 1900, or in the future (a typo in the year)."""
    date = parse_date(value)
    if date is None:
        return
    if date.year < EARLIEST_YEAR:
        yield Issue(f"ngày `{value}` trước năm {EARLIEST_YEAR}. Kiểm tra lại năm.", key)
    elif date > latest_date(ctx.vocabulary):
        yield Issue(
            f"ngày `{value}` ở tương lai, sau ngày chốt số liệu (content_date trong mkdocs.yml) và sau hôm nay. "
            "Kiểm tra lại năm; nếu đúng là ngày sắp tới, hãy đợi đến gần ngày đó rồi mới thêm.",
            key,
        )


def plain_text(value: Any, what: str, key: str | None = None, limit: int | None = None) -> Iterator[Issue]:
    """Text shown on pages and in feeds: present, a string, free of markup, and within `limit` characters."""
    if value is None or (isinstance(value, str) and not value.strip()):
        yield Issue(f"{what} đang để trống. Hãy điền vào (một đoạn chữ).", key)
        return
    if not isinstance(value, str):
        yield Issue(f"{what} phải là một đoạn chữ (đang là {type_name(value)}).", key)
        return
    if _MARKUP.search(value):
        yield Issue(f"{what} không được chứa ký tự `<` hoặc `>` (mã HTML). Hãy chỉ viết chữ.", key)
    if limit is not None and len(value) > limit:
        yield Issue(f"{what} dài {len(value)} ký tự, tối đa {limit}. Hãy rút gọn.", key)


def list_of_text(value: Any, what: str, key: str) -> Iterator[Issue]:
    """A list of plain texts (tags), each checked on its own key (`tags.1`)."""
    if not isinstance(value, list):
        yield Issue(f"{what} phải là một danh sách, ví dụ `[giáo dục, tình nguyện]` (đang là {type_name(value)}).")
        return
    for index, item in enumerate(value):
        yield from plain_text(item, f"mục {index + 1} của {what}", f"{key}.{index}")


def unknown_keys(value: Mapping[str, Any], allowed: Sequence[str], prefix: str) -> Iterator[Issue]:
    """Keys a mapping may not have, with the likely intended one, or the allowed ones when none is close."""
    for name in value:
        if name not in allowed:
            hint = suggest(str(name), list(allowed)) or f" Các trường được phép: {', '.join(allowed)}."
            yield Issue(f"trường `{name}` không có trong mẫu hồ sơ.{hint}", f"{prefix}.{name}")


def invisible_characters(value: Any, prefix: str = "") -> Iterator[tuple[str, str]]:
    """(key path, character) for every invisible character in any key or text value, however deep.

    The file itself was checked on reading; these came in through YAML escapes (`"\\x00"`, `"\\u202e"`).
    """
    if isinstance(value, str):
        if match := INVISIBLE.search(value):
            yield prefix, match.group()
    elif isinstance(value, dict):
        for name, item in value.items():
            path = f"{prefix}.{name}" if prefix else str(name)
            yield from invisible_characters(name, path)
            yield from invisible_characters(item, path)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from invisible_characters(item, f"{prefix}.{index}" if prefix else str(index))


def invisible_value_message(char: str) -> str:
    """An invisible character a YAML escape brought in: the file shows only its escape code."""
    return (
        f"giá trị có {describe_invisible(char)}, viết dưới dạng mã thoát trong ngoặc kép. Hãy xóa mã này "
        "hoặc gõ lại giá trị."
    )
