"""The declarative shape of a YAML file: plans and taxonomies are checked against a `Shape`, since maintainers, not
communications officers, edit them.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..load import Source
from ..model import KINDS
from ..problems import Problem
from ..text import SLUG_RE
from .checks import PARTIAL_DATE, Issue, parse_date, suggest, type_name


@dataclass(frozen=True)
class Shape:
    """Expected type of a YAML value; `keys` for mappings (name → (shape, required)), `item` for lists."""

    kind: str  # text | int | list | map | date | partial-date | id | bool | enum | any-text
    keys: Mapping[str, tuple[Shape, bool]] | None = None
    item: Shape | None = None
    choices: tuple[str, ...] = ()
    vocabulary: str | None = None  # "fields" | "provinces": ids checked against that taxonomy


TEXT = Shape("text")
OPT_TEXT = Shape("any-text")
TEXTS = Shape("list", item=TEXT)
KIND = Shape("enum", choices=tuple(KINDS))
CRITERIA = Shape(
    "list",
    item=Shape(
        "map",
        keys={"kind": (KIND, True), "items": (TEXTS, True), "subject": (TEXT, False), "ref": (OPT_TEXT, False)},
    ),
)
FIELD_ID = Shape("id", vocabulary="fields")


def validate_shape(
    value: Any, shape: Shape, key: str, vocabulary: Mapping[str, Sequence[str]] | None = None
) -> Iterator[Issue]:
    """Walk a value against its shape; every mismatch is one issue at the deepest key."""
    vocabulary = vocabulary or {}
    whole = "" if key else "tệp "  # a nested value is named by its key already
    if shape.kind == "text":
        if not isinstance(value, str) or not value.strip():
            yield Issue(f"cần một đoạn chữ không trống (đang là {type_name(value)}).", key or None)
    elif shape.kind == "any-text":
        if not isinstance(value, str):
            yield Issue(f'cần một đoạn chữ, có thể để `""` (đang là {type_name(value)}).', key or None)
    elif shape.kind == "int":
        if not isinstance(value, int) or isinstance(value, bool):
            yield Issue(f"cần một số nguyên (đang là {type_name(value)}).", key or None)
    elif shape.kind == "bool":
        if not isinstance(value, bool):
            yield Issue(f"cần `true` hoặc `false` (đang là {type_name(value)}).", key or None)
    elif shape.kind == "partial-date":
        if (
            not isinstance(value, str)
            or not PARTIAL_DATE.match(value)
            or (len(value) == 10 and parse_date(value) is None)
        ):
            yield Issue(
                f"cần ngày dạng `2023`, `2023-05`, `2023-05-30` hoặc quý `2021-Q2` (đang là {type_name(value)}).",
                key or None,
            )
    elif shape.kind == "enum":
        if not isinstance(value, str) or value not in shape.choices:
            yield Issue(
                f"giá trị {type_name(value)} không hợp lệ; chọn một trong: {', '.join(shape.choices)}."
                f"{suggest(str(value), list(shape.choices))}",
                key or None,
            )
    elif shape.kind == "id":
        if not isinstance(value, str) or not SLUG_RE.match(value):
            yield Issue(f"mã {type_name(value)} phải viết thường, không dấu, nối bằng gạch ngang.", key or None)
        elif shape.vocabulary and value not in vocabulary.get(shape.vocabulary, ()):
            known = list(vocabulary.get(shape.vocabulary, ()))
            yield Issue(
                f"mã `{value}` không có trong danh mục plans/{shape.vocabulary}.yml.{suggest(value, known)}",
                key or None,
            )
    elif shape.kind == "list":
        if not isinstance(value, list):
            yield Issue(
                f"{whole}cần một danh sách, mỗi mục một dòng bắt đầu bằng `- ` (đang là {type_name(value)}).",
                key or None,
            )
            return
        assert shape.item is not None
        for index, item in enumerate(value):
            yield from validate_shape(item, shape.item, f"{key}.{index}" if key else str(index), vocabulary)
    elif shape.kind == "map":
        if not isinstance(value, dict):
            yield Issue(f"{whole}cần các dòng `tên-trường: giá trị` (đang là {type_name(value)}).", key or None)
            return
        assert shape.keys is not None
        prefix = f"{key}." if key else ""
        for name in value:
            if name not in shape.keys:
                hint = suggest(str(name), list(shape.keys)) or " Hãy xóa trường này hoặc sửa lại tên."
                yield Issue(
                    f"trường `{name}` không có trong định dạng của tệp (docs/plan-format.md).{hint}", f"{prefix}{name}"
                )
        for name, (sub_shape, required) in shape.keys.items():
            if name in value and (value[name] is not None or required):
                yield from validate_shape(value[name], sub_shape, f"{prefix}{name}", vocabulary)
            elif required:
                yield Issue(
                    f"thiếu trường bắt buộc `{name}`. Hãy thêm trường này (xem docs/plan-format.md).",
                    key if key else f"{prefix}{name}",
                )


def problems_from_issues(source: Source, issues: Iterator[Issue]) -> list[Problem]:
    """Issues of one file → problems on the line of their key, or of the nearest key above it."""
    problems = []
    for issue in issues:
        line, parent = source.lines.get(issue.key or ""), issue.key
        while line is None and parent and "." in parent:
            parent = parent.rsplit(".", 1)[0]
            line = source.lines.get(parent)
        problems.append(Problem(source.path, line or 1, issue.key, issue.message))
    return problems
