"""What each stage of a build is called for the user, and how its count and its time read (in Vietnamese).

Shared by the lines printed in pipes and CI (progress.py) and the live display on a terminal (live.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .timings import Stage, StageTiming


@dataclass(frozen=True)
class StageLabel:
    label: str
    """What the stage does, as the user reads it."""
    unit: str
    """What its count counts ("" when the stage counts nothing)."""


STAGES: Mapping[str, StageLabel] = {
    "check": StageLabel("Kiểm tra hồ sơ", "hồ sơ"),
    "photos": StageLabel("Ảnh và thẻ chia sẻ", "câu chuyện"),
    "stories": StageLabel("Trang câu chuyện", "câu chuyện"),
    "pages": StageLabel("Trang danh sách", "trang"),
    "search": StageLabel("Chỉ mục tìm kiếm", ""),
    "feeds_data": StageLabel("Nguồn tin và dữ liệu", "phần"),
    "write": StageLabel("Ghi các tệp đã tạo", ""),
    "privacy": StageLabel("Kiểm tra dữ liệu cá nhân", "tệp"),
    "mkdocs": StageLabel("MkDocs dựng trang", ""),
    "publish": StageLabel("Xuất bản", ""),
    "preview": StageLabel("Chuẩn bị bản xem trước", "hồ sơ"),
}
"""Labels of the stages named in generate.py, build.py and mkdocs/preview.py (the names `--timings` writes)."""


def label_of(name: str) -> StageLabel:
    return STAGES.get(name, StageLabel(name, ""))


def format_count(number: int) -> str:
    """As 12.345: Vietnamese groups thousands with a dot."""
    return f"{number:,}".replace(",", ".")


def format_seconds(seconds: float) -> str:
    """As "2,3 giây" or "2 phút 05 giây": Vietnamese writes a decimal comma."""
    if round(seconds, 1) < 60:
        return f"{seconds:.1f}".replace(".", ",") + " giây"
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes} phút {rest:02d} giây"


def describe_count(stage: Stage, of_total: bool = False) -> str:
    """The stage's count as "1.000 hồ sơ" (or, `of_total`, "1.000/1.000 hồ sơ"), "998/1.000 hồ sơ" while it runs;
    empty for a stage that counts nothing."""
    unit = label_of(stage.name).unit
    if not unit or not stage.total:  # nothing announced, or nothing to do (a warm build's privacy scan)
        return ""
    done = stage.done
    if done == stage.total and not of_total:
        return f"{format_count(done)} {unit}"
    return f"{format_count(done)}/{format_count(stage.total)} {unit}"


def describe_beside(timing: StageTiming) -> str:
    """The stages that ran at the same time as this one ("song song với Trang danh sách, Nguồn tin và dữ liệu": the
    search index's process beside the lists, feeds and data), so that their times are not read as added up; empty
    for a stage that ran alone."""
    if not timing.beside:
        return ""
    return "song song với " + ", ".join(label_of(name).label for name in timing.beside)
