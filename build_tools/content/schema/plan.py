"""A plan (`plans/<id>.yml`): its shape, then the rules that span keys (years in range, spans that run forwards,
targets whose maximum is not below their minimum)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from ..load import Source
from ..model import PLAN_LEVELS, period_end, period_start
from ..problems import Problem
from .checks import PARTIAL_DATE, invisible_characters, invisible_value_message
from .shape import CRITERIA, FIELD_ID, KIND, OPT_TEXT, TEXT, TEXTS, Shape, problems_from_issues, validate_shape

PLAN_YEARS = range(1945, 2101)
"""Years a plan's period, date and milestones may name: a typo (`20225`, `10000`) is caught with its line."""

SECTION_KEYS = (
    "basis",
    "purposes",
    "requirements",
    "general_criteria",
    "fields",
    "targets",
    "milestones",
    "implementation",
)
"""Plan keys a source section may be transcribed into (`sections[].in`)."""
PLAN_SHAPE = Shape(
    "map",
    keys={
        "id": (Shape("id"), True),
        "title": (TEXT, True),
        "number": (OPT_TEXT, True),
        "number_printed": (OPT_TEXT, False),
        "issuer": (TEXT, True),
        "level": (Shape("enum", choices=tuple(PLAN_LEVELS)), True),
        "locality": (TEXT, True),
        "province": (Shape("id", vocabulary="provinces"), True),
        "date": (Shape("partial-date"), True),
        "date_printed": (OPT_TEXT, False),
        "period": (Shape("map", keys={"start": (Shape("int"), True), "end": (Shape("int"), True)}), True),
        "source": (TEXT, True),
        "preamble": (TEXTS, False),
        "basis": (TEXTS, False),
        "purposes": (TEXTS, False),
        "requirements": (TEXTS, False),
        "general_criteria": (CRITERIA, False),
        "fields": (
            Shape(
                "list",
                item=Shape(
                    "map",
                    keys={
                        "ref": (TEXT, True),
                        "wording": (TEXT, True),
                        "field": (FIELD_ID, False),
                        "movements": (
                            Shape(
                                "list",
                                item=Shape(
                                    "map",
                                    keys={
                                        "wording": (TEXT, True),
                                        "field": (FIELD_ID, True),
                                        "lead": (TEXTS, False),
                                        "criteria": (CRITERIA, False),
                                    },
                                ),
                            ),
                            False,
                        ),
                        "lead": (TEXTS, False),
                        "criteria": (CRITERIA, False),
                    },
                ),
            ),
            True,
        ),
        "targets": (
            Shape(
                "list",
                item=Shape(
                    "map",
                    keys={
                        "text": (TEXT, True),
                        "who": (TEXT, False),
                        "min": (Shape("int"), True),
                        "max": (Shape("int"), False),
                        "per": (Shape("enum", choices=("year", "period", "once")), True),
                        "kinds": (Shape("list", item=KIND), False),
                        "field": (Shape("id", vocabulary="fields"), False),
                        "each": (Shape("bool"), False),
                    },
                ),
            ),
            False,
        ),
        "milestones": (
            Shape(
                "list",
                item=Shape(
                    "map",
                    keys={
                        "when": (Shape("partial-date"), False),  # absent: the source gives no date
                        "until": (Shape("partial-date"), False),
                        "what": (TEXT, True),
                        "label": (TEXT, False),
                        "who": (TEXT, False),
                    },
                ),
            ),
            False,
        ),
        "implementation": (
            Shape("list", item=Shape("map", keys={"agency": (TEXT, True), "duties": (TEXTS, True)})),
            False,
        ),
        "signer": (Shape("map", keys={"position": (OPT_TEXT, True), "name": (OPT_TEXT, True)}), False),
        "sections": (
            Shape(
                "list",
                item=Shape(
                    "map",
                    keys={
                        "ref": (TEXT, True),
                        "heading": (TEXT, True),
                        "in": (Shape("list", item=Shape("enum", choices=SECTION_KEYS)), False),
                        "text": (TEXTS, False),
                    },
                ),
            ),
            False,
        ),
        "omitted": (
            Shape("list", item=Shape("map", keys={"section": (TEXT, True), "reason": (TEXT, True)})),
            False,
        ),
        "ceased": (Shape("map", keys={"date": (Shape("partial-date"), True), "note": (TEXT, True)}), False),
    },
)


def validate_plan(source: Source, file_id: str, vocabulary: Mapping[str, Sequence[str]]) -> list[Problem]:
    """Every problem of one plan file: its shape, then the rules that span keys, each with its line."""
    problems = problems_from_issues(source, validate_shape(source.data, PLAN_SHAPE, "", vocabulary))
    problems += [
        Problem(source.path, source.lines.get(key, 1), key, invisible_value_message(char))
        for key, char in invisible_characters(source.data)
    ]
    data = source.data
    if isinstance(data, dict):
        if data.get("id") != file_id:
            problems.append(
                Problem(
                    source.path,
                    source.lines.get("id", 1),
                    "id",
                    f"mã kế hoạch `{data.get('id')}` phải trùng tên tệp `{file_id}`. Hãy ghi `id: {file_id}`, "
                    "hoặc đổi tên tệp theo mã.",
                )
            )
        for index, item in enumerate(data.get("fields") or ()):
            if isinstance(item, dict) and ("field" in item) == ("movements" in item):
                key = f"fields.{index}"
                problems.append(
                    Problem(
                        source.path,
                        source.lines.get(key, 1),
                        key,
                        "mỗi lĩnh vực cần đúng một trong hai: `field` (một mã) hoặc `movements` (nhiều phong trào).",
                    )
                )
        for index, item in enumerate(data.get("sections") or ()):
            if isinstance(item, dict) and not item.get("in") and not item.get("text"):
                key = f"sections.{index}"
                problems.append(
                    Problem(
                        source.path,
                        source.lines.get(key, 1),
                        key,
                        "mỗi mục cần `in` (các trường chép mục này), `text` (các đoạn của mục) hoặc cả hai.",
                    )
                )
        ceased = data.get("ceased")
        if isinstance(ceased, dict) and isinstance(ceased.get("date"), str) and len(ceased["date"]) != 10:
            key = "ceased.date"
            message = (
                "ngày cơ quan ban hành không còn cần đủ năm, tháng, ngày, ví dụ `2025-07-01` "
                f"(đang là `{ceased['date']}`)."
            )
            problems.append(Problem(source.path, source.lines.get(key, 1), key, message))
        period = data.get("period")
        start, end = (period.get("start"), period.get("end")) if isinstance(period, dict) else (None, None)
        if isinstance(start, int) and isinstance(end, int) and start > end:
            problems.append(
                Problem(
                    source.path,
                    source.lines.get("period", 1),
                    "period",
                    f"năm bắt đầu {start} sau năm kết thúc {end}. Sửa lại `start` hoặc `end`.",
                )
            )
        problems += _check_ranges(source)
        problems += _plan_years(source)
    return problems


def _plan_years(source: Source) -> list[Problem]:
    """The years a plan names (period, date, milestones) within `PLAN_YEARS`: a plan ending in year 10000 crashed."""
    data = source.data
    named: list[tuple[str, Any]] = []
    period = data.get("period")
    if isinstance(period, dict):
        named += [(f"period.{part}", period.get(part)) for part in ("start", "end")]
    named.append(("date", data.get("date")))
    for index, milestone in enumerate(data.get("milestones") or ()):
        if isinstance(milestone, dict):
            named += [(f"milestones.{index}.{part}", milestone.get(part)) for part in ("when", "until")]
    problems = []
    for key, value in named:
        year = value if isinstance(value, int) and not isinstance(value, bool) else None
        if isinstance(value, str) and re.match(r"^\d{4,}", value):
            year = int(re.match(r"^\d+", value).group()[:9])  # type: ignore[union-attr]
        if year is not None and year not in PLAN_YEARS:
            message = f"năm {year} nằm ngoài khoảng {PLAN_YEARS.start}–{PLAN_YEARS.stop - 1}. Kiểm tra lại năm."
            problems.append(Problem(source.path, source.lines.get(key, 1), key, message))
    return problems


def _check_ranges(source: Source) -> list[Problem]:
    """Numbers and spans that are each valid alone but contradict each other (`max` below `min`)."""
    problems = []
    for index, target in enumerate(source.data.get("targets") or ()):
        low, high = (target.get("min"), target.get("max")) if isinstance(target, dict) else (None, None)
        if isinstance(low, int) and isinstance(high, int) and high < low:
            key = f"targets.{index}.max"
            message = f"mức tối đa {high} nhỏ hơn mức tối thiểu {low}. Sửa lại `min` hoặc `max`."
            problems.append(Problem(source.path, source.lines.get(key, 1), key, message))
    for index, milestone in enumerate(source.data.get("milestones") or ()):
        if not isinstance(milestone, dict):
            continue
        when, until = milestone.get("when"), milestone.get("until")
        if until is not None and when is None:
            key = f"milestones.{index}.until"
            message = (
                "mốc có `until` (kết thúc) cần có `when` (bắt đầu). Mốc văn bản không nêu thời gian thì bỏ cả hai."
            )
            problems.append(Problem(source.path, source.lines.get(key, 1), key, message))
        if isinstance(when, str) and isinstance(until, str) and PARTIAL_DATE.match(when) and PARTIAL_DATE.match(until):
            try:
                backwards = period_end(until) < period_start(when)
            except ValueError:
                continue
            if backwards:
                key = f"milestones.{index}.until"
                message = f"mốc kết thúc `{until}` sớm hơn mốc bắt đầu `{when}`. Sửa lại `when` hoặc `until`."
                problems.append(Problem(source.path, source.lines.get(key, 1), key, message))
    return problems
