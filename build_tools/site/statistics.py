"""Counts people ask for (by field, province, kind, year, plan) and their CSV downloads. Pure: no disk access."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

from ..content.catalogue import Catalogue
from ..content.model import KINDS

CSV_FILES: dict[str, str] = {
    "by_year": "thong-ke/guong-theo-nam.csv",
    "by_kind": "thong-ke/guong-theo-loai.csv",
    "by_field": "thong-ke/guong-theo-linh-vuc.csv",
    "by_province": "thong-ke/guong-theo-tinh.csv",
    "by_plan": "thong-ke/guong-theo-ke-hoach.csv",
}
"""Which table each CSV download holds; paths are ASCII like every URL."""


@dataclass(frozen=True)
class Count:
    """One row of a statistics table: a category, its count, and (for provinces) the former units inside it."""

    id: str
    label: str
    count: int
    url: str | None = None
    parts: tuple[Count, ...] = ()


@dataclass(frozen=True)
class Statistics:
    as_of: dt.date
    total: int
    """Real exemplars only."""
    by_year: tuple[Count, ...]
    """Every year from the first to the last publication, gaps included, oldest first."""
    by_kind: tuple[Count, ...]
    by_field: tuple[Count, ...]
    """Every field, most exemplars first; an exemplar counts once in each of its fields."""
    by_province: tuple[Count, ...]
    """The 34 provinces in force, in Vietnamese alphabetical order; `parts` split merged ones by recorded unit."""
    by_plan: tuple[Count, ...]
    samples: int = 0
    """Sample profiles, left out of every count above."""

    @property
    def provinces_reached(self) -> int:
        return sum(c.count > 0 for c in self.by_province)

    @property
    def fields_reached(self) -> int:
        return sum(c.count > 0 for c in self.by_field)


def build_statistics(catalogue: Catalogue, as_of: dt.date) -> Statistics:
    """The counts of real exemplars. Sample profiles are illustrations, not exemplars: they are counted apart
    (`samples`, which the page states) and in no table, chart or CSV."""
    real = [e for e in catalogue.exemplars if not e.sample]
    per_year = Counter(e.year for e in real)
    years = sorted(per_year)
    by_year = tuple(
        Count(str(y), str(y), per_year[y], f"nguoi-tot-viec-tot/{y}/" if y in catalogue.by_year else None)
        for y in (range(years[0], years[-1] + 1) if years else ())
    )
    per_kind = Counter(e.kind for e in real)
    by_kind = tuple(Count(k, label, per_kind[k], f"loai/{k}/") for k, label in KINDS.items())
    per_field = Counter(f for e in real for f in e.fields)
    fields = [Count(f.id, f.name, per_field[f.id], f"linh-vuc/{f.id}/") for f in catalogue.fields.values()]
    # Stable sort: equal counts keep the taxonomy's order, which groups related movements.
    by_field = tuple(sorted(fields, key=lambda c: -c.count))
    by_province = []
    for province in catalogue.current_provinces:
        recorded = [e for e in catalogue.by_province.get(province.id, ()) if not e.sample]
        members = [province, *catalogue.former_of(province.id)] if province.merged_from else []
        parts = tuple(
            Count(p.id, p.name, sum(e.province == p.id for e in recorded), f"dia-phuong/{p.id}/") for p in members
        )
        by_province.append(Count(province.id, province.name, len(recorded), f"dia-phuong/{province.id}/", parts))
    per_plan = Counter(plan for e in real for plan in e.plans)
    by_plan = tuple(Count(plan.id, plan.title, per_plan[plan.id], plan.url) for plan in catalogue.plans.values())
    return Statistics(
        as_of=as_of,
        total=len(real),
        samples=len(catalogue.exemplars) - len(real),
        by_year=by_year,
        by_kind=by_kind,
        by_field=by_field,
        by_province=tuple(by_province),
        by_plan=by_plan,
    )


def render_statistics_csv(stats: Statistics) -> dict[str, bytes]:
    """One CSV per table, UTF-8 with a byte-order mark so spreadsheet programs show Vietnamese correctly."""
    tables: Mapping[str, tuple[list[str], list[list[object]]]] = {
        "by_year": (["Năm", "Số gương"], [[c.label, c.count] for c in stats.by_year]),
        "by_kind": (["Mã loại", "Loại", "Số gương"], [[c.id, c.label, c.count] for c in stats.by_kind]),
        "by_field": (["Mã lĩnh vực", "Lĩnh vực", "Số gương"], [[c.id, c.label, c.count] for c in stats.by_field]),
        "by_province": (
            ["Mã tỉnh", "Tỉnh, thành phố (từ 1/7/2025)", "Số gương", "Gồm (theo tên khi được công nhận)"],
            [[c.id, c.label, c.count, "; ".join(f"{p.label}: {p.count}" for p in c.parts)] for c in stats.by_province],
        ),
        "by_plan": (["Mã kế hoạch", "Kế hoạch", "Số gương"], [[c.id, c.label, c.count] for c in stats.by_plan]),
    }
    files = {}
    for key, (header, rows) in tables.items():
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows([[_cell(value) for value in row] for row in rows])
        files[CSV_FILES[key]] = ("\ufeff" + buffer.getvalue()).encode("utf-8")
    return files


def _cell(value: object) -> object:
    """Text that a spreadsheet would run as a formula gets a leading `'`, as in the open data CSV."""
    if isinstance(value, str) and value.startswith(("=", "+", "-", "@", "\t", "\r")):
        return "'" + value
    return value
