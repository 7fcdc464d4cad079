"""The taxonomies (`plans/fields.yml`, `plans/provinces.yml`): their shapes, unique ids, and former provinces that
name the province they were merged into."""

from __future__ import annotations

from ..load import Source
from ..problems import Problem
from .shape import TEXT, TEXTS, Shape, problems_from_issues, validate_shape

FIELDS_SHAPE = Shape(
    "list",
    item=Shape(
        "map",
        keys={
            "id": (Shape("id"), True),
            "name": (TEXT, True),
            "description": (TEXT, True),
            "aliases": (TEXTS, False),
            "related": (TEXTS, False),
        },
    ),
)
PROVINCES_SHAPE = Shape(
    "list",
    item=Shape(
        "map",
        keys={
            "id": (Shape("id"), True),
            "name": (TEXT, True),
            "type": (Shape("enum", choices=("tinh", "thanh-pho")), True),
            "current": (Shape("bool"), True),
            "merged_into": (Shape("id"), False),
            "merged_from": (Shape("list", item=Shape("id")), False),
            "former_names": (TEXTS, False),
        },
    ),
)


def validate_taxonomies(fields_source: Source, provinces_source: Source) -> list[Problem]:
    """The fields and provinces lists: shapes first, then unique ids, wordings and merges."""
    problems = problems_from_issues(fields_source, validate_shape(fields_source.data, FIELDS_SHAPE, ""))
    problems += problems_from_issues(provinces_source, validate_shape(provinces_source.data, PROVINCES_SHAPE, ""))
    if problems:
        return problems
    for source in (fields_source, provinces_source):
        seen: set[str] = set()
        for index, item in enumerate(source.data):
            if item["id"] in seen:
                problems.append(
                    Problem(
                        source.path,
                        source.lines.get(f"{index}.id", 1),
                        f"{index}.id",
                        f"mã `{item['id']}` đã có ở một mục phía trên. Mỗi mục cần một mã riêng: đổi mã này, "
                        "hoặc gộp hai mục.",
                    )
                )
            seen.add(item["id"])
    for index, item in enumerate(fields_source.data):
        # A separate movement is not another name of the field: one wording may not be both.
        both = sorted(set(item.get("aliases") or ()) & set(item.get("related") or ()))
        if both:
            key = f"{index}.related"
            problems.append(
                Problem(
                    fields_source.path,
                    fields_source.lines.get(key, 1),
                    key,
                    f"“{both[0]}” vừa là tên khác (`aliases`) vừa là phong trào riêng (`related`) của lĩnh vực "
                    f"`{item['id']}`. Giữ ở một chỗ: tên khác của cùng phong trào thì để trong `aliases`.",
                )
            )
    ids = {p["id"]: p for p in provinces_source.data}
    for index, item in enumerate(provinces_source.data):
        target = item.get("merged_into")
        key = f"{index}.merged_into"
        if not item["current"] and (target is None or target not in ids or not ids[target]["current"]):
            problems.append(
                Problem(
                    provinces_source.path,
                    provinces_source.lines.get(key, provinces_source.lines.get(f"{index}.id", 1)),
                    key,
                    f"tỉnh cũ `{item['id']}` cần `merged_into` là mã một tỉnh, thành phố hiện hành.",
                )
            )
    return problems
