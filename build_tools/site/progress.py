"""Plans at work: milestones, fields and targets set against what was published, as of the content date.

Pure: catalogue and a date in, frozen dataclasses out. The site knows when each milestone's time runs, not whether
its task was done, so milestone states speak of time ("đã qua mốc"), never of completion ("đã xong").
The content date comes from configuration or the content itself, never the clock, so builds are reproducible.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from ..content.catalogue import Catalogue
from ..content.model import KINDS, Exemplar, Milestone, Plan, Target, period_start

MILESTONE_STATES: dict[str, str] = {
    "past": "Đã qua mốc",
    "current": "Đang diễn ra",
    "upcoming": "Sắp tới",
    "lapsed": "Sau khi cơ quan ban hành không còn",
    "undated": "Không nêu thời gian",
}
"""State id → what readers see. "Past" means the span has ended, which says nothing about whether work was done;
"lapsed" is a span that starts after the issuing body ceased to exist, so it can be neither running nor to come."""

PLAN_STATES: dict[str, str] = {
    "upcoming": "Chưa đến thời gian thực hiện",
    "current": "Trong thời gian thực hiện",
    "ended": "Đã hết thời gian thực hiện",
    "ceased": "Cơ quan ban hành không còn",
}

YEAR_STATES = ("closed", "current", "future")
"""A year before the content date's year is closed; the content date's year is current; later years are future."""


def counted_on(exemplar: Exemplar) -> tuple[dt.date, str]:
    """The day a profile counts on, and on what grounds: its recognition (the earliest dated award) where the
    profile records one, else its publication here. `award` or `published`."""
    awarded = [a.date for a in exemplar.awards if a.date is not None]
    return (min(awarded), "award") if awarded else (exemplar.published, "published")


@dataclass(frozen=True)
class MilestoneState:
    """Milestones of one plan that share a span, with where the content date falls in it."""

    when: str | None
    until: str | None
    start: dt.date | None
    due: dt.date | None
    state: str
    """`past` (the span ended before the content date), `current` (it contains it), `upcoming`, `lapsed` (it
    starts after the issuing body ceased) or `undated` (the source gives no date)."""
    items: tuple[Milestone, ...]
    after_ceased: bool = False
    """The span runs past the day the issuing body ceased to exist."""

    @property
    def state_label(self) -> str:
        return MILESTONE_STATES[self.state]


@dataclass(frozen=True)
class YearCount:
    year: int
    count: int
    state: str
    """`closed`, `current` or `future` (see YEAR_STATES)."""


@dataclass(frozen=True)
class FieldProgress:
    """One field as the plan names it, with its lead agencies and what is counted under the plan in it."""

    field_id: str
    ref: str | None
    """The plan's own label for the item ("3.2", "a"); None for a field the plan does not name."""
    wording: str | None
    lead: tuple[str, ...]
    years: tuple[YearCount, ...]
    outside: int
    """Listed under the plan in this field but recognised before the plan was issued or after its counting ended."""

    @property
    def in_plan(self) -> bool:
        return self.ref is not None

    @property
    def total(self) -> int:
        return sum(y.count for y in self.years)


@dataclass(frozen=True)
class TargetPeriod:
    """One span a target counts over (a year, or the whole period) and the profiles here counted in it.

    No verdict: the site holds only what was published here, not every exemplar an agency put forward."""

    label: str
    """`2024`, or `2022-2025` for a target over the whole period."""
    state: str
    """`closed`, `current` or `future`."""
    start: dt.date
    """The first day counted: never before the plan's issue date."""
    end: dt.date
    published: int
    by_kind: tuple[tuple[str, int], ...]
    """Counted exemplars per kind, kinds with none left out."""


@dataclass(frozen=True)
class TargetProgress:
    target: Target
    periods: tuple[TargetPeriod, ...]


@dataclass(frozen=True)
class PlanProgress:
    """Everything a plan's dashboard shows, computed once per build."""

    plan_id: str
    as_of: dt.date
    state: str
    """`upcoming`, `current`, `ended` or `ceased` (see PLAN_STATES)."""
    counted_from: dt.date
    """The plan's issue date: nothing recognised before it counts."""
    counted_until: dt.date
    """The end of its period, or the day before its issuing body ceased to exist."""
    total: int
    years: tuple[YearCount, ...]
    outside: int
    """Real profiles listing the plan but recognised outside `counted_from` … `counted_until`."""
    by_award: int
    """Counted profiles placed in a year by their award date (the rest by their publication date)."""
    samples: int
    """Sample profiles that list the plan: shown apart, never counted."""
    fields: tuple[FieldProgress, ...]
    targets: tuple[TargetProgress, ...]
    milestones: tuple[MilestoneState, ...]

    @property
    def state_label(self) -> str:
        return PLAN_STATES[self.state]

    @property
    def next_milestone(self) -> MilestoneState | None:
        """The earliest span still running or to come: what is due next."""
        ahead = [m for m in self.milestones if m.state in ("current", "upcoming") and m.due is not None]
        return min(ahead, key=lambda m: (m.due, m.start), default=None)

    @property
    def dated_milestones(self) -> tuple[MilestoneState, ...]:
        return tuple(m for m in self.milestones if m.state != "undated")

    @property
    def milestones_past(self) -> int:
        return sum(m.state == "past" for m in self.milestones)

    @property
    def plan_fields(self) -> tuple[FieldProgress, ...]:
        return tuple(f for f in self.fields if f.in_plan)

    @property
    def fields_reached(self) -> int:
        """Fields the plan names that have at least one exemplar counted under it."""
        return sum(f.total > 0 for f in self.plan_fields)

    @property
    def fields_missing(self) -> tuple[str, ...]:
        """Canonical fields the plan names that have no exemplar counted under it yet, each once."""
        return tuple(dict.fromkeys(f.field_id for f in self.plan_fields if f.total == 0))

    def field_count(self, field_id: str) -> int:
        """Exemplars counted under the plan in a canonical field (each once, however many items name the field)."""
        return next((f.total for f in self.fields if f.field_id == field_id), 0)


def resolve_content_date(configured: dt.date | None, catalogue: Catalogue) -> dt.date:
    """The day numbers are stated as of: the configured date, moved forward to the newest story if one is later.

    A count cannot be "as of" a day before a story it includes, so a late story moves the date rather than
    failing a contributor's build over a file they did not touch. Unset: the newest date in the content.
    """
    newest_published = max((e.published for e in catalogue.exemplars), default=None)
    if configured is not None:
        return max(configured, newest_published) if newest_published else configured
    newest = max((e.last_modified for e in catalogue.exemplars), default=None)
    if newest is not None:
        return newest
    return max((period_start(p.date) for p in catalogue.plans.values()), default=dt.date(1970, 1, 1))


def build_progress(catalogue: Catalogue, as_of: dt.date) -> dict[str, PlanProgress]:
    """Progress of every plan, keyed by plan id."""
    return {
        plan.id: plan_progress(plan, catalogue.by_plan.get(plan.id, ()), catalogue, as_of)
        for plan in catalogue.plans.values()
    }


def plan_progress(plan: Plan, exemplars: Iterable[Exemplar], catalogue: Catalogue, as_of: dt.date) -> PlanProgress:
    listed = tuple(exemplars)
    real = tuple(e for e in listed if not e.sample)  # samples illustrate; they never count toward a plan
    counted_from = plan.issued
    period_end = dt.date(plan.period_end, 12, 31)
    ceased = plan.ceased.date if plan.ceased else None
    counted_until = min(period_end, ceased - dt.timedelta(days=1)) if ceased else period_end
    dates = {e.slug: counted_on(e) for e in real}
    inside = tuple(e for e in real if counted_from <= dates[e.slug][0] <= counted_until)
    years = range(max(plan.period_start, counted_from.year), counted_until.year + 1)
    if ceased is not None and as_of >= ceased:
        state = "ceased"
    elif as_of < dt.date(plan.period_start, 1, 1):
        state = "upcoming"
    else:
        state = "ended" if as_of > period_end else "current"
    return PlanProgress(
        plan_id=plan.id,
        as_of=as_of,
        state=state,
        counted_from=counted_from,
        counted_until=counted_until,
        total=len(inside),
        years=_year_counts(inside, dates, years, as_of),
        outside=len(real) - len(inside),
        by_award=sum(dates[e.slug][1] == "award" for e in inside),
        samples=len(listed) - len(real),
        fields=_field_progress(plan, real, inside, dates, catalogue.fields, years, as_of),
        targets=tuple(
            _target_progress(t, inside, dates, years, counted_from, counted_until, as_of) for t in plan.targets
        ),
        milestones=_milestone_states(plan.milestones, as_of, ceased),
    )


def _year_state(year: int, as_of: dt.date) -> str:
    return "closed" if year < as_of.year else "current" if year == as_of.year else "future"


def _year_counts(
    exemplars: Iterable[Exemplar], dates: Mapping[str, tuple[dt.date, str]], years: range, as_of: dt.date
) -> tuple[YearCount, ...]:
    exemplars = tuple(exemplars)
    return tuple(YearCount(y, sum(dates[e.slug][0].year == y for e in exemplars), _year_state(y, as_of)) for y in years)


def _field_progress(
    plan: Plan,
    real: tuple[Exemplar, ...],
    inside: tuple[Exemplar, ...],
    dates: Mapping[str, tuple[dt.date, str]],
    fields: Mapping[str, object],
    years: range,
    as_of: dt.date,
) -> tuple[FieldProgress, ...]:
    rows: list[FieldProgress] = []

    def row(field_id: str, ref: str | None, wording: str | None, lead: tuple[str, ...]) -> FieldProgress:
        matching = tuple(e for e in inside if field_id in e.fields)
        outside = sum(field_id in e.fields for e in real) - len(matching)
        return FieldProgress(field_id, ref, wording, lead, _year_counts(matching, dates, years, as_of), outside)

    for plan_field in plan.fields:
        if plan_field.movements:
            # Two movements of one item may share a canonical field: one row per field, worded as the item.
            shared = len({m.field for m in plan_field.movements}) < len(plan_field.movements)
            seen: set[str] = set()
            for movement in plan_field.movements:
                if movement.field in seen:
                    continue
                seen.add(movement.field)
                wording = plan_field.wording if shared else movement.wording
                rows.append(row(movement.field, plan_field.ref, wording, movement.lead or plan_field.lead))
        else:
            for field_id in plan_field.field_ids:
                rows.append(row(field_id, plan_field.ref, plan_field.wording, plan_field.lead))
    named = set(plan.field_ids)
    # Exemplars may be recognised under a plan in a field the plan does not list (Phong Thổ lists none at all):
    # they are shown apart rather than dropped, so the rows still account for every story.
    others = [f for f in fields if f not in named and any(f in e.fields for e in real)]
    rows += [row(field_id, None, None, ()) for field_id in others]
    return tuple(rows)


def _target_progress(
    target: Target,
    inside: tuple[Exemplar, ...],
    dates: Mapping[str, tuple[dt.date, str]],
    years: range,
    counted_from: dt.date,
    counted_until: dt.date,
    as_of: dt.date,
) -> TargetProgress:
    counted = tuple(
        e
        for e in inside
        if (not target.kinds or e.kind in target.kinds) and (target.field is None or target.field in e.fields)
    )
    if target.per == "year":
        spans = [(str(y), max(dt.date(y, 1, 1), counted_from), min(dt.date(y, 12, 31), counted_until)) for y in years]
    else:
        label = str(years[0]) if len(years) == 1 else f"{years[0]}-{years[-1]}"
        spans = [(label, counted_from, counted_until)]
    periods = []
    for label, start, end in spans:
        within = [e for e in counted if start <= dates[e.slug][0] <= end]
        state = "closed" if end < as_of else "future" if start > as_of else "current"
        by_kind = tuple((k, n) for k in KINDS if (n := sum(e.kind == k for e in within)))
        periods.append(TargetPeriod(label, state, start, end, len(within), by_kind))
    return TargetProgress(target, tuple(periods))


def _milestone_states(
    milestones: Iterable[Milestone], as_of: dt.date, ceased: dt.date | None
) -> tuple[MilestoneState, ...]:
    """Milestones grouped by span (plans repeat yearly duties once per year), in order of their due dates; steps
    the source does not date come last, in source order."""
    groups: dict[tuple[str | None, str | None], list[Milestone]] = {}
    for milestone in milestones:
        groups.setdefault((milestone.when, milestone.until), []).append(milestone)
    states = []
    for (when, until), items in groups.items():
        start, due = items[0].start, items[0].due
        if start is None or due is None:
            states.append(MilestoneState(when, until, None, None, "undated", tuple(items)))
            continue
        if ceased is not None and start >= ceased:
            state = "lapsed"
        elif due < as_of:
            state = "past"
        elif start > as_of:
            state = "upcoming"
        else:
            state = "current"
        after_ceased = ceased is not None and due >= ceased
        states.append(MilestoneState(when, until, start, due, state, tuple(items), after_ceased))
    far = dt.date.max
    return tuple(sorted(states, key=lambda m: (m.due or far, m.start or far)))
