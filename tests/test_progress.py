"""An emulation office's story: a plan's targets, fields and milestones set against what was published, as of a date."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from build_tools.build import gather
from build_tools.catalogue import Catalogue
from build_tools.cli import main
from build_tools.config import load_project
from build_tools.problems import ContentError
from build_tools.progress import PlanProgress, build_progress, resolve_content_date

from .conftest import SiteFixture
from .progress_site import CONTENT_DATE, LANG_SON, NAM_DINH, plans_at_work, set_content_date


@pytest.fixture(scope="module")
def catalogue(tmp_path_factory: pytest.TempPathFactory) -> Catalogue:
    site = plans_at_work(SiteFixture(tmp_path_factory.mktemp("progress") / "repo"))
    return gather(site.project)


@pytest.fixture(scope="module")
def progress(catalogue: Catalogue) -> dict[str, PlanProgress]:
    return build_progress(catalogue, CONTENT_DATE)


def periods(progress: PlanProgress) -> list[tuple[str, str, int, str, int]]:
    [target] = progress.targets
    return [(p.label, p.state, p.published, p.verdict, p.shortfall) for p in target.periods]


def test_lang_son_target_of_two_a_year_counts_only_collectives_and_individuals(progress) -> None:
    # 2023: one collective and one individual; 2024: one individual and one household (households do not count).
    assert periods(progress[LANG_SON]) == [
        ("2022", "closed", 0, "short", 2),
        ("2023", "closed", 2, "met", 0),
        ("2024", "closed", 1, "short", 1),
        ("2025", "current", 0, "open", 2),
    ]
    year_2023 = progress[LANG_SON].targets[0].periods[1]
    assert year_2023.by_kind == (("ca-nhan", 1), ("tap-the", 1))


def test_nam_dinh_per_department_target_is_compared_honestly(progress) -> None:
    # "Each department 1-2 a year": a site-wide count below one unit's minimum proves a shortfall for every unit;
    # at or above it, the site cannot say which unit delivered, so the verdict stays open.
    assert periods(progress[NAM_DINH]) == [
        ("2022", "closed", 0, "short", 1),
        ("2023", "closed", 2, "undetermined", 0),
        ("2024", "closed", 0, "short", 1),
        ("2025", "current", 0, "open", 1),
    ]


def test_fields_are_counted_per_year_with_their_lead_agency(progress) -> None:
    nam_dinh = progress[NAM_DINH]
    by_field = {f.field_id: f for f in nam_dinh.fields}
    education = by_field["day-tot-hoc-tot"]
    assert (education.ref, education.lead) == ("3.8", ("Phòng Giáo dục và Đào tạo",))
    assert [(y.year, y.count, y.state) for y in education.years] == [
        (2022, 0, "closed"),
        (2023, 1, "closed"),
        (2024, 0, "closed"),
        (2025, 0, "current"),
    ]
    # Published in 2021 under a 2022-2025 plan: counted, but apart from the plan's years.
    youth = by_field["thanh-nien"]
    assert ([y.count for y in youth.years], youth.outside, youth.total) == ([0, 0, 0, 0], 1, 1)
    assert (nam_dinh.total, [y.count for y in nam_dinh.years], nam_dinh.outside) == (3, [0, 2, 0, 0], 1)
    assert nam_dinh.fields_reached == 5 and len(nam_dinh.plan_fields) == 16
    assert "nong-thon-moi" in nam_dinh.fields_missing and "giam-ngheo" not in nam_dinh.fields_missing


def test_exemplars_in_a_field_the_plan_does_not_name_are_shown_apart(progress) -> None:
    lang_son = progress[LANG_SON]
    others = [(f.field_id, f.total) for f in lang_son.fields if not f.in_plan]
    assert others == [("giam-ngheo", 1)]
    assert [f.field_id for f in lang_son.plan_fields] == ["hoc-tap-lam-theo-bac", "dan-van-kheo", "nhiem-vu-chuyen-mon"]
    assert lang_son.field_count("dan-van-kheo") == 1


@pytest.mark.parametrize(
    ("as_of", "states", "next_when"),
    [
        (
            dt.date(2025, 6, 30),
            [("2023-05-30", "past", 762), ("2023", "past", 547), ("2024", "past", 181), ("2025-Q2", "current", 0),
             ("2025", "current", 184)],
            "2025-Q2",
        ),
        (
            dt.date(2023, 5, 30),
            [("2023-05-30", "current", 0), ("2023", "current", 215), ("2024", "upcoming", 216),
             ("2025-Q2", "upcoming", 672), ("2025", "upcoming", 582)],
            "2023-05-30",
        ),
        (
            dt.date(2026, 1, 1),
            [("2023-05-30", "past", 947), ("2023", "past", 732), ("2024", "past", 366), ("2025-Q2", "past", 185),
             ("2025", "past", 1)],
            None,
        ),
    ],
)  # fmt: skip
def test_milestone_states_for_a_fixed_content_date(catalogue, as_of, states, next_when) -> None:
    progress = build_progress(catalogue, as_of)[NAM_DINH]
    assert [(m.when, m.state, m.days) for m in progress.milestones] == states
    assert (progress.next_milestone.when if progress.next_milestone else None) == next_when
    # Yearly duties repeat in the source; each year's are grouped under one span, in source order.
    assert len(progress.milestones[1].items) == 8


def test_a_milestone_given_as_a_range_runs_until_its_end(site: SiteFixture) -> None:
    site.plan("ninh-thuan-2021-2025")
    catalogue = gather(site.project)
    progress = build_progress(catalogue, dt.date(2022, 6, 1))["ninh-thuan-2021-2025"]
    span = next(m for m in progress.milestones if m.until == "2023")
    assert (span.when, span.start, span.due, span.state) == (
        "2021",
        dt.date(2021, 1, 1),
        dt.date(2023, 12, 31),
        "current",
    )
    half_year = next(m for m in progress.milestones if m.when == "2023-Q1")
    assert (half_year.start, half_year.due, half_year.state) == (dt.date(2023, 1, 1), dt.date(2023, 6, 30), "upcoming")
    assert progress.state == "current"


def test_plan_state_follows_its_period(catalogue) -> None:
    assert build_progress(catalogue, dt.date(2021, 12, 31))[NAM_DINH].state == "upcoming"
    assert build_progress(catalogue, dt.date(2022, 1, 1))[NAM_DINH].state == "current"
    assert build_progress(catalogue, dt.date(2026, 1, 1))[NAM_DINH].state == "ended"


def test_content_date_comes_from_configuration_or_content_never_the_clock(catalogue) -> None:
    newest = dt.date(2025, 1, 15)
    assert resolve_content_date(None, catalogue) == newest
    assert resolve_content_date(dt.date(2025, 6, 30), catalogue) == dt.date(2025, 6, 30)
    # A count cannot be "as of" a day before a story it includes: a later story moves the date forward.
    assert resolve_content_date(dt.date(2024, 1, 1), catalogue) == newest


def test_content_date_is_read_from_the_plugin_options(site: SiteFixture) -> None:
    set_content_date(site, "2025-06-30")
    assert site.project.settings.content_date == dt.date(2025, 6, 30)
    set_content_date(site, None)
    assert site.project.settings.content_date is None


def test_a_bad_content_date_is_explained_in_vietnamese_with_file_and_line(site: SiteFixture, capsys) -> None:
    set_content_date(site, "30/06/2025")
    with pytest.raises(ContentError) as error:
        load_project(site.root)
    [problem] = error.value.problems
    line = (
        site.root.joinpath("mkdocs.yml")
        .read_text(encoding="utf-8")
        .splitlines()
        .index("      content_date: 30/06/2025")
    )
    assert (problem.path, problem.line, problem.key) == ("mkdocs.yml", line + 1, "content_date")
    assert "ngày `30/06/2025` không hợp lệ" in problem.message and "`2025-06-30`" in problem.message
    assert main(["--root", str(site.root), "check"]) == 1
    assert f"mkdocs.yml:{line + 1}: content_date: ngày `30/06/2025` không hợp lệ" in capsys.readouterr().err


def _plan_with(site: SiteFixture, old: str, new: str) -> Path:
    site.plan(NAM_DINH)
    path = site.root / "plans" / f"{NAM_DINH}.yml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_a_milestone_ending_before_it_starts_is_reported(site: SiteFixture) -> None:
    _plan_with(site, '- when: "2023-05-30"\n', '- when: "2023-05-30"\n  until: "2022"\n')
    with pytest.raises(ContentError) as error:
        gather(site.project)
    [problem] = error.value.problems
    assert problem.key.endswith(".until") and problem.path == f"plans/{NAM_DINH}.yml"
    assert problem.message == "mốc kết thúc `2022` sớm hơn mốc bắt đầu `2023-05-30`. Sửa lại `when` hoặc `until`."


def test_a_target_whose_maximum_is_below_its_minimum_is_reported(site: SiteFixture) -> None:
    _plan_with(site, "  min: 1\n  max: 2\n", "  min: 3\n  max: 2\n")
    with pytest.raises(ContentError) as error:
        gather(site.project)
    [problem] = error.value.problems
    assert (problem.key, problem.message) == (
        "targets.0.max",
        "mức tối đa 2 nhỏ hơn mức tối thiểu 3. Sửa lại `min` hoặc `max`.",
    )


def test_real_content_is_stated_as_of_its_configured_date() -> None:
    project = load_project(Path(__file__).resolve().parents[1])
    catalogue = gather(project)
    as_of = resolve_content_date(project.settings.content_date, catalogue)
    assert as_of == project.settings.content_date == dt.date(2025, 6, 30)
    progress = build_progress(catalogue, as_of)
    lang_son = progress[LANG_SON].targets[0].periods
    assert [(p.label, p.published, p.verdict) for p in lang_son] == [
        ("2022", 0, "short"),
        ("2023", 0, "short"),
        ("2024", 1, "short"),
        ("2025", 0, "open"),
    ]
    assert progress[NAM_DINH].next_milestone.when == "2025-Q2"
    assert {p.state for p in progress.values()} == {"current", "ended"}
