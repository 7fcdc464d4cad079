"""An emulation office's story: a plan's targets, fields and milestones set against what was published, as of a date."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from build_tools.cli import main
from build_tools.content.catalogue import Catalogue
from build_tools.content.config import load_project
from build_tools.content.gather import gather
from build_tools.content.problems import ContentError
from build_tools.site.progress import PlanProgress, build_progress, resolve_content_date

from .conftest import SiteFixture
from .progress_site import CONTENT_DATE, LANG_SON, NAM_DINH, plans_at_work, set_content_date


@pytest.fixture(scope="module")
def catalogue(tmp_path_factory: pytest.TempPathFactory) -> Catalogue:
    site = plans_at_work(SiteFixture(tmp_path_factory.mktemp("progress") / "repo"))
    return gather(site.project)


@pytest.fixture(scope="module")
def progress(catalogue: Catalogue) -> dict[str, PlanProgress]:
    return build_progress(catalogue, CONTENT_DATE)


def periods(progress: PlanProgress) -> list[tuple[str, str, int]]:
    [target] = progress.targets
    return [(p.label, p.state, p.published) for p in target.periods]


def test_lang_son_counts_from_its_issue_date_only_collectives_and_individuals(progress) -> None:
    # Issued 05/04/2023: nothing counts for 2022, and a collective published 10/02/2023 (before it) is left out.
    # 2023 and 2024: one individual each (the 2024 household does not count toward "tập thể và cá nhân").
    lang_son = progress[LANG_SON]
    assert periods(lang_son) == [("2023", "closed", 1), ("2024", "closed", 1), ("2025", "current", 0)]
    first = lang_son.targets[0].periods[0]
    assert (first.start, first.end, first.by_kind) == (dt.date(2023, 4, 5), dt.date(2023, 12, 31), (("ca-nhan", 1),))
    assert (lang_son.counted_from, lang_son.total, lang_son.outside) == (dt.date(2023, 4, 5), 3, 1)
    assert [y.year for y in lang_son.years] == [2023, 2024, 2025]


def test_nam_dinh_counts_from_its_month_of_issue_until_its_issuer_ceased(progress) -> None:
    # "tháng 4 năm 2023": counted from 01/04/2023; the city ceased to exist on 01/07/2025, so 2025 ends on 30/06.
    nam_dinh = progress[NAM_DINH]
    assert periods(nam_dinh) == [("2023", "closed", 1), ("2024", "closed", 0), ("2025", "current", 0)]
    last = nam_dinh.targets[0].periods[-1]
    assert (last.start, last.end) == (dt.date(2025, 1, 1), dt.date(2025, 6, 30))
    # Published 01/12/2021 and 01/03/2023, both before the plan: listed under it, not counted.
    assert (nam_dinh.total, nam_dinh.outside, nam_dinh.counted_until) == (1, 2, dt.date(2025, 6, 30))


def test_fields_are_counted_per_year_with_their_lead_agency(progress) -> None:
    nam_dinh = progress[NAM_DINH]
    by_field = {f.field_id: f for f in nam_dinh.fields}
    farmers = by_field["nong-dan-san-xuat-gioi"]
    assert (farmers.ref, farmers.lead) == ("3.14", ("Hội Nông dân thành phố",))
    assert [(y.year, y.count, y.state) for y in farmers.years] == [
        (2023, 1, "closed"),
        (2024, 0, "closed"),
        (2025, 0, "current"),
    ]
    # Published before the plan was issued: shown as listed under it, but apart from its counts.
    education = by_field["day-tot-hoc-tot"]
    assert (education.total, education.outside) == (0, 1)
    assert nam_dinh.fields_reached == 2 and len(nam_dinh.plan_fields) == 16
    assert "nong-thon-moi" in nam_dinh.fields_missing and "giam-ngheo" not in nam_dinh.fields_missing


def test_two_movements_of_one_field_are_one_row_worded_as_the_plan_words_the_item(progress) -> None:
    rows = [f for f in progress[NAM_DINH].fields if f.ref == "3.4"]
    [row] = rows
    assert row.field_id == "van-hoa-cong-so"
    assert "văn hóa công sở” và phong trào thi đua “Đẩy mạnh cải cách hành chính" in row.wording


def test_exemplars_in_a_field_the_plan_does_not_name_are_shown_apart(progress) -> None:
    lang_son = progress[LANG_SON]
    others = [(f.field_id, f.total) for f in lang_son.fields if not f.in_plan]
    assert others == [("giam-ngheo", 1)]
    assert [f.field_id for f in lang_son.plan_fields] == ["hoc-tap-lam-theo-bac", "dan-van-kheo", "nhiem-vu-chuyen-mon"]
    assert (lang_son.field_count("dan-van-kheo"), lang_son.field_count("nhiem-vu-chuyen-mon")) == (0, 1)


@pytest.mark.parametrize(
    ("as_of", "states", "next_when"),
    [
        (
            dt.date(2025, 6, 30),
            [("2023-05-30", "past"), ("2023", "past"), ("2024", "past"), ("2025-Q2", "current"), ("2025", "current"),
             (None, "undated")],
            "2025-Q2",
        ),
        (
            dt.date(2023, 5, 30),
            [("2023-05-30", "current"), ("2023", "current"), ("2024", "upcoming"), ("2025-Q2", "upcoming"),
             ("2025", "upcoming"), (None, "undated")],
            "2023-05-30",
        ),
        (
            dt.date(2026, 1, 1),
            [("2023-05-30", "past"), ("2023", "past"), ("2024", "past"), ("2025-Q2", "past"), ("2025", "past"),
             (None, "undated")],
            None,
        ),
    ],
)  # fmt: skip
def test_milestone_states_for_a_fixed_content_date(catalogue, as_of, states, next_when) -> None:
    progress = build_progress(catalogue, as_of)[NAM_DINH]
    assert [(m.when, m.state) for m in progress.milestones] == states
    assert (progress.next_milestone.when if progress.next_milestone else None) == next_when
    # Yearly duties repeat in the source; each year's are grouped under one span, in source order.
    assert len(progress.milestones[1].items) == 8
    # The two steps the plan dates only by the period they close have no date, and are never "next".
    assert [m.label for m in progress.milestones[-1].items] == ["giai đoạn 2020-2025", "giai đoạn 2021-2025"]
    # The 2025 steps run past the day the city ceased to exist.
    assert [m.when for m in progress.milestones if m.after_ceased] == ["2025"]


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


def test_plan_state_follows_its_period_and_its_issuer(catalogue) -> None:
    assert build_progress(catalogue, dt.date(2021, 12, 31))[NAM_DINH].state == "upcoming"
    assert build_progress(catalogue, dt.date(2022, 1, 1))[NAM_DINH].state == "current"
    assert build_progress(catalogue, dt.date(2025, 7, 1))[NAM_DINH].state == "ceased"
    assert build_progress(catalogue, dt.date(2026, 1, 1))[LANG_SON].state == "ended"


def test_a_step_after_the_issuer_ceased_is_never_upcoming(site: SiteFixture) -> None:
    site.plan("ninh-thuan-2021-2025")
    catalogue = gather(site.project)
    for as_of in (dt.date(2025, 6, 30), dt.date(2025, 12, 1)):
        progress = build_progress(catalogue, as_of)["ninh-thuan-2021-2025"]
        third_quarter = next(m for m in progress.milestones if m.when == "2025-Q3")
        assert third_quarter.state == "lapsed"
        assert all(m.state != "upcoming" for m in progress.milestones if m.start >= dt.date(2025, 7, 1))
        assert progress.next_milestone is None or progress.next_milestone.start < dt.date(2025, 7, 1)
    assert build_progress(catalogue, dt.date(2025, 12, 1))["ninh-thuan-2021-2025"].state == "ceased"


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
    assert problem.key.endswith(".until")  # the milestone's place in the real plan
    assert (problem.path, problem.message) == (
        f"plans/{NAM_DINH}.yml",
        "mốc kết thúc `2022` sớm hơn mốc bắt đầu `2023-05-30`. Sửa lại `when` hoặc `until`.",
    )


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
    # Every shipped profile is a sample: none counts toward any plan, each is shown apart.
    assert all(e.sample for e in catalogue.exemplars)
    assert {p.total for p in progress.values()} == {0}
    assert sum(p.samples for p in progress.values()) == sum(len(catalogue.by_plan.get(i, ())) for i in progress)
    assert [p.label for p in progress[LANG_SON].targets[0].periods] == ["2023", "2024", "2025"]
    assert progress[NAM_DINH].next_milestone.when == "2025-Q2"
    assert {p.state for p in progress.values()} == {"current", "ended"}


def test_a_span_without_a_start_is_reported(site: SiteFixture) -> None:
    _plan_with(site, '- label: "giai đoạn 2020-2025"\n', '- label: "giai đoạn 2020-2025"\n  until: "2025"\n')
    with pytest.raises(ContentError) as error:
        gather(site.project)
    [problem] = error.value.problems
    assert problem.key.endswith(".until")
    assert (problem.path, problem.message) == (
        f"plans/{NAM_DINH}.yml",
        "mốc có `until` (kết thúc) cần có `when` (bắt đầu). Mốc văn bản không nêu thời gian thì bỏ cả hai.",
    )


def test_a_section_that_says_nowhere_where_it_is_held_is_reported(site: SiteFixture) -> None:
    _plan_with(site, "    in: [purposes]\n", "")
    with pytest.raises(ContentError) as error:
        gather(site.project)
    [problem] = error.value.problems
    assert (problem.key, problem.message) == (
        "sections.0",
        "mỗi mục cần `in` (các trường chép mục này), `text` (các đoạn của mục) hoặc cả hai.",
    )


def test_a_wording_both_another_name_and_a_separate_movement_is_reported(site: SiteFixture) -> None:
    path = site.root / "plans" / "fields.yml"
    text = path.read_text(encoding="utf-8")
    old = "  related:\n    - Xây dựng gia đình 5 không, 3 sạch\n"
    assert old in text
    path.write_text(text.replace(old, "    - Xây dựng gia đình 5 không, 3 sạch\n" + old), encoding="utf-8")
    with pytest.raises(ContentError) as error:
        gather(site.project)
    [problem] = error.value.problems
    assert problem.key.endswith(".related")
    assert (problem.path, problem.message) == (
        "plans/fields.yml",
        "“Xây dựng gia đình 5 không, 3 sạch” vừa là tên khác (`aliases`) vừa là phong trào riêng (`related`) của lĩnh "
        "vực `phu-nu`. Giữ ở một chỗ: tên khác của cùng phong trào thì để trong `aliases`.",
    )
