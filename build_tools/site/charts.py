"""Statistics → chart geometry (bars, columns, a tile map), which Jinja2 templates draw as inline SVG.

Pure and deterministic: no JavaScript, no external service, nothing measured at view time. Bar and column charts use
percentages across and pixels down, so text keeps its size on a phone while bars stretch to the width available.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

from .statistics import Count

BAR_COLOR = "#c62828"
"""5.6:1 against white: bars stay distinguishable (WCAG 1.4.11 asks 3:1 for graphics)."""

LINE_HEIGHT = 18
BAR_HEIGHT = 14
ROW_GAP = 12
BAR_MAX_PERCENT = 84.0
"""The longest bar leaves room on its right for its number."""
LABEL_WIDTH = 40
"""Characters per label line: about 300 px at 14 px, so labels wrap rather than overflow a phone screen."""


@dataclass(frozen=True)
class Bar:
    label: str
    lines: tuple[str, ...]
    value: int
    label_y: int
    """Baseline of the first label line."""
    bar_y: int
    width: float
    """Percent of the chart's width (0 for a zero value)."""


@dataclass(frozen=True)
class BarChart:
    id: str
    title: str
    desc: str
    bars: tuple[Bar, ...]
    height: int


@dataclass(frozen=True)
class Column:
    label: str
    value: int
    x: float
    """Percent of the width where the column starts."""
    width: float
    """Percent of the width."""
    y: int
    height: int
    show_label: bool


@dataclass(frozen=True)
class ColumnChart:
    id: str
    title: str
    desc: str
    columns: tuple[Column, ...]
    height: int
    baseline: int


@dataclass(frozen=True)
class Shade:
    """One class of the map's colour scale."""

    low: int
    high: int | None
    fill: str
    ink: str
    """Text colour on that fill, at least 4.5:1 (tests check it)."""

    @property
    def label(self) -> str:
        if self.high == self.low:
            return str(self.low)
        return f"{self.low}–{self.high}" if self.high is not None else f"từ {self.low}"


SHADES: tuple[Shade, ...] = (
    Shade(0, 0, "#f1f1f1", "#333333"),
    Shade(1, 1, "#fde4d9", "#1a1a1a"),
    Shade(2, 3, "#fbb397", "#1a1a1a"),
    Shade(4, 7, "#f4714f", "#1a1a1a"),
    Shade(8, 15, "#cf2a22", "#ffffff"),
    Shade(16, None, "#8e0b12", "#ffffff"),
)
"""Doubling classes: stable from one build to the next and readable when a few provinces hold most stories."""

TILE_EDGE = "#767676"
"""Tile outline, 4.5:1 against white so pale tiles stay visible."""

TILE_W, TILE_H, TILE_GAP = 58, 46, 4
TILE_GRID: dict[str, tuple[int, int]] = {
    "lai-chau": (0, 0),
    "lao-cai": (1, 0),
    "tuyen-quang": (2, 0),
    "cao-bang": (3, 0),
    "dien-bien": (0, 1),
    "son-la": (1, 1),
    "phu-tho": (2, 1),
    "thai-nguyen": (3, 1),
    "lang-son": (4, 1),
    "ha-noi": (2, 2),
    "bac-ninh": (3, 2),
    "quang-ninh": (4, 2),
    "ninh-binh": (2, 3),
    "hung-yen": (3, 3),
    "hai-phong": (4, 3),
    "thanh-hoa": (2, 4),
    "nghe-an": (1, 5),
    "ha-tinh": (2, 6),
    "quang-tri": (3, 7),
    "hue": (4, 8),
    "da-nang": (4, 9),
    "quang-ngai": (4, 10),
    "gia-lai": (4, 11),
    "dak-lak": (4, 12),
    "lam-dong": (3, 13),
    "khanh-hoa": (4, 13),
    "tay-ninh": (1, 14),
    "ho-chi-minh": (2, 14),
    "dong-nai": (3, 14),
    "an-giang": (0, 15),
    "dong-thap": (1, 15),
    "vinh-long": (2, 15),
    "ca-mau": (0, 16),
    "can-tho": (1, 16),
}
"""(column, row) of each of the 34 provinces in force since 1 July 2025, roughly where it lies on the map."""

MAP_COLUMNS, MAP_ROWS = 6, 17


@dataclass(frozen=True)
class Tile:
    id: str
    name: str
    lines: tuple[str, ...]
    count: int
    x: int
    y: int
    fill: str
    ink: str


@dataclass(frozen=True)
class Archipelago:
    """An island group drawn and named on the map as part of the province that administers it."""

    name: str
    province: str
    lines: tuple[str, ...]
    x: int
    y: int
    width: int
    height: int
    islands: tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class TileMap:
    id: str
    title: str
    desc: str
    tiles: tuple[Tile, ...]
    archipelagos: tuple[Archipelago, ...]
    legend: tuple[Shade, ...]
    width: int
    height: int
    sea_label: tuple[int, int]


def layout_bar_chart(chart_id: str, title: str, counts: Sequence[Count], unit: str = "gương") -> BarChart:
    """Horizontal bars, one per row, labels wrapped above each bar."""
    top = max((c.count for c in counts), default=0)
    bars, y = [], 0
    for count in counts:
        lines = tuple(textwrap.wrap(count.label, LABEL_WIDTH)) or (count.label,)
        label_y = y + LINE_HEIGHT - 4
        bar_y = y + LINE_HEIGHT * len(lines)
        width = round(BAR_MAX_PERCENT * count.count / top, 2) if top else 0.0
        bars.append(Bar(count.label, lines, count.count, label_y, bar_y, width))
        y = bar_y + BAR_HEIGHT + ROW_GAP
    return BarChart(chart_id, title, _describe(title, counts, unit), tuple(bars), max(y - ROW_GAP + 2, 1))


def layout_column_chart(chart_id: str, title: str, counts: Sequence[Count], unit: str = "gương") -> ColumnChart:
    """Vertical columns in order (years), numbers above and labels below."""
    plot, baseline = 150, 176
    top = max((c.count for c in counts), default=0)
    slot = 100 / max(len(counts), 1)
    # Past eight columns, label every other one (or fewer) so labels never overlap on a phone; the table has all.
    step = math.ceil(len(counts) / 8) if counts else 1
    columns = []
    for index, count in enumerate(counts):
        height = round(plot * count.count / top) if top else 0
        columns.append(
            Column(
                label=count.label,
                value=count.count,
                x=round(slot * index + slot * 0.2, 2),
                width=round(slot * 0.6, 2),
                y=baseline - height,
                height=height,
                show_label=(len(counts) - 1 - index) % step == 0,
            )
        )
    return ColumnChart(chart_id, title, _describe(title, counts, unit), tuple(columns), baseline + 24, baseline)


def shade_for(count: int) -> Shade:
    return next(s for s in SHADES if count >= s.low and (s.high is None or count <= s.high))


def layout_tile_map(chart_id: str, title: str, counts: Sequence[Count]) -> TileMap:
    """One tile per current province on a rough geographic grid, shaded by count, with Hoàng Sa and Trường Sa."""
    cell_w, cell_h = TILE_W + TILE_GAP, TILE_H + TILE_GAP
    tiles = []
    for count in counts:
        column, row = TILE_GRID[count.id]
        shade = shade_for(count.count)
        tiles.append(
            Tile(
                count.id,
                count.label,
                _tile_lines(count.label),
                count.count,
                column * cell_w + 2,
                row * cell_h + 2,
                shade.fill,
                shade.ink,
            )
        )
    width = MAP_COLUMNS * cell_w + 8
    east = 5 * cell_w + 2
    archipelagos = (
        Archipelago(
            "Quần đảo Hoàng Sa",
            "Đà Nẵng",
            ("Quần đảo", "Hoàng Sa", "(Đà Nẵng)"),
            east,
            8 * cell_h + 8,
            width - east - 2,
            int(1.7 * cell_h),
            ((14, 58), (24, 64), (34, 57), (44, 66), (52, 60)),
        ),
        Archipelago(
            "Quần đảo Trường Sa",
            "Khánh Hòa",
            ("Quần đảo", "Trường Sa", "(Khánh Hòa)"),
            east,
            14 * cell_h + 4,
            width - east - 2,
            int(2.1 * cell_h),
            ((12, 62), (22, 70), (30, 60), (40, 76), (50, 66), (56, 84), (18, 86)),
        ),
    )
    legend = SHADES[: SHADES.index(shade_for(max((c.count for c in counts), default=0))) + 1]
    legend = legend if len(legend) > 1 else SHADES[:2]
    desc = _describe(title, counts, "gương") + (
        " Mỗi ô là một tỉnh, thành phố, đặt theo vị trí tương đối trên bản đồ; màu càng đậm càng nhiều gương."
        " Bản đồ thể hiện quần đảo Hoàng Sa (thành phố Đà Nẵng) và quần đảo Trường Sa (tỉnh Khánh Hòa)."
    )
    return TileMap(
        chart_id,
        title,
        desc,
        tuple(tiles),
        archipelagos,
        legend,
        width,
        MAP_ROWS * cell_h + 4,
        (east + 8, 11 * cell_h + 20),
    )


def _tile_lines(name: str) -> tuple[str, ...]:
    """Province names on at most two short lines ("Hồ Chí" / "Minh") so they fit a tile at a readable size."""
    return tuple(textwrap.wrap(name, 8)) or (name,)


def _describe(title: str, counts: Sequence[Count], unit: str) -> str:
    """The chart's gist in one sentence for screen readers; the table beside it has every number."""
    total_rows = len(counts)
    ranked = sorted((c for c in counts if c.count), key=lambda c: -c.count)
    if not ranked:
        return f"{title}: chưa có {unit} nào trong {total_rows} mục."
    top = ", ".join(f"{c.label} ({c.count})" for c in ranked[:3])
    return f"{title}: {len(ranked)}/{total_rows} mục có {unit}; nhiều nhất: {top}. Số liệu đầy đủ ở bảng bên cạnh."
