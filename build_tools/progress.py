"""Plans at work: milestones, fields and targets set against what was published, as of the content date.

Pure: catalogue and a date in, frozen dataclasses out. The site knows when each milestone's time runs, not whether
its task was done, so milestone states speak of time ("đã qua mốc"), never of completion ("đã xong").
The content date comes from configuration or the content itself, never the clock, so builds are reproducible.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .catalogue import Catalogue
from .model import KINDS, Exemplar, Milestone, Plan, Target, period_start

MILESTONE_STATES: dict[str, str] = {
    "past": "Đã qua mốc",
    "current": "Đang diễn ra",
    "upcoming": "Sắp tới",
}
"""State id → what readers see. "Past" means the span has ended, which says nothing about whether work was done."""

PLAN_STATES: dict[str, str] = {
    "upcoming": "Chưa đến thời gian thực hiện",
    "current": "Đang trong thời gian thực hiện",
    "ended": "Đã hết thời gian thực hiện",
}

YEAR_STATES = ("closed", "current", "future")
"""A year before the content date's year is closed; the content date's year is current; later years are future."""

VERDICTS = ("met", "above", "short", "open", "undetermined", "future")
"""How a count stands against a target (see `TargetPeriod.verdict`)."""


@dataclass(frozen=True)
class MilestoneState:
    """Milestones of one plan that share a span, with where the content date falls in it."""

    when: str
    until: str | None
    start: dt.date
    due: dt.date
    state: str
    """`past` (the span ended before the content date), `current` (it contains it) or `upcoming`."""
    days: int
    """Days from the content date to `due` (current), to `start` (upcoming), since `due` (past)."""
    items: tuple[Milestone, ...]

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
    """One field as the plan names it, with its lead agencies and what was published under the plan in it."""

    field_id: str
    ref: str | None
    """The plan's own label for the item ("3.2", "a"); None for a field the plan does not name."""
    wording: str | None
    lead: tuple[str, ...]
    years: tuple[YearCount, ...]
    outside: int
    """Published under the plan in this field outside the plan's period (a plan may be cited after it ends)."""

    @property
    def in_plan(self) -> bool:
        return self.ref is not None

    @property
    def total(self) -> int:
        return sum(y.count for y in self.years) + self.outside


@dataclass(frozen=True)
class TargetPeriod:
    """One span a target counts over (a year, or the whole period) and how the published count stands."""

    label: str
    """`2024`, or `2022-2025` for a target over the whole period."""
    state: str
    """`closed`, `current` or `future`."""
    end: dt.date
    published: int
    by_kind: tuple[tuple[str, int], ...]
    """Counted exemplars per kind, kinds with none left out."""
    minimum: int
    maximum: int | None
    each: bool
    verdict: str
    """`met` (reached the minimum), `above` (closed and more than the maximum), `short` (closed, or for a per-unit
    target certain, below the minimum), `open` (current and below the minimum), `undetermined` (a per-unit target
    whose site-wide count reached one unit's minimum: the site does not record which unit put each forward),
    `future` (not started)."""

    @property
    def shortfall(self) -> int:
        return max(self.minimum - self.published, 0)


@dataclass(frozen=True)
class TargetProgress:
    target: Target
    periods: tuple[TargetPeriod, ...]

    @property
    def counted_kinds(self) -> tuple[str, ...]:
        return self.target.kinds or tuple(KINDS)


@dataclass(frozen=True)
class PlanProgress:
    """Everything a plan's dashboard shows, computed once per build."""

    plan_id: str
    as_of: dt.date
    state: str
    """`upcoming`, `current` or `ended` (see PLAN_STATES)."""
    total: int
    years: tuple[YearCount, ...]
    outside: int
    fields: tuple[FieldProgress, ...]
    targets: tuple[TargetProgress, ...]
    milestones: tuple[MilestoneState, ...]

    @property
    def state_label(self) -> str:
        return PLAN_STATES[self.state]

    @property
    def next_milestone(self) -> MilestoneState | None:
        """The earliest span still running or to come: what is due next."""
        ahead = [m for m in self.milestones if m.state != "past"]
        return min(ahead, key=lambda m: (m.due, m.start), default=None)

    @property
    def milestones_past(self) -> int:
        return sum(m.state == "past" for m in self.milestones)

    @property
    def plan_fields(self) -> tuple[FieldProgress, ...]:
        return tuple(f for f in self.fields if f.in_plan)

    @property
    def fields_reached(self) -> int:
        """Fields the plan names that have at least one exemplar published under it."""
        return sum(f.total > 0 for f in self.plan_fields)

    @property
    def fields_missing(self) -> tuple[str, ...]:
        """Canonical fields the plan names that have no exemplar under it yet, each once."""
        return tuple(dict.fromkeys(f.field_id for f in self.plan_fields if f.total == 0))

    def field_count(self, field_id: str) -> int:
        """Exemplars under the plan in a canonical field (each counted once, however many items name the field)."""
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
    exemplars = tuple(exemplars)
    years = range(plan.period_start, plan.period_end + 1)
    start, end = dt.date(plan.period_start, 1, 1), dt.date(plan.period_end, 12, 31)
    state = "upcoming" if as_of < start else "ended" if as_of > end else "current"
    return PlanProgress(
        plan_id=plan.id,
        as_of=as_of,
        state=state,
        total=len(exemplars),
        years=_year_counts(exemplars, years, as_of),
        outside=sum(e.year not in years for e in exemplars),
        fields=_field_progress(plan, exemplars, catalogue.fields, years, as_of),
        targets=tuple(_target_progress(t, plan, exemplars, as_of) for t in plan.targets),
        milestones=_milestone_states(plan.milestones, as_of),
    )


def _year_state(year: int, as_of: dt.date) -> str:
    return "closed" if year < as_of.year else "current" if year == as_of.year else "future"


def _year_counts(exemplars: Iterable[Exemplar], years: range, as_of: dt.date) -> tuple[YearCount, ...]:
    exemplars = tuple(exemplars)
    return tuple(YearCount(y, sum(e.year == y for e in exemplars), _year_state(y, as_of)) for y in years)


def _field_progress(
    plan: Plan, exemplars: tuple[Exemplar, ...], fields: Mapping[str, object], years: range, as_of: dt.date
) -> tuple[FieldProgress, ...]:
    rows: list[FieldProgress] = []

    def row(field_id: str, ref: str | None, wording: str | None, lead: tuple[str, ...]) -> FieldProgress:
        matching = tuple(e for e in exemplars if field_id in e.fields)
        return FieldProgress(
            field_id,
            ref,
            wording,
            lead,
            _year_counts(matching, years, as_of),
            sum(e.year not in years for e in matching),
        )

    for plan_field in plan.fields:
        if plan_field.movements:
            for movement in plan_field.movements:
                rows.append(row(movement.field, plan_field.ref, movement.wording, movement.lead or plan_field.lead))
        else:
            for field_id in plan_field.field_ids:
                rows.append(row(field_id, plan_field.ref, plan_field.wording, plan_field.lead))
    named = set(plan.field_ids)
    # Exemplars may be recognised under a plan in a field the plan does not list (Phong Thổ lists none at all):
    # they are shown apart rather than dropped, so the rows still account for every story.
    others = [f for f in fields if f not in named and any(f in e.fields for e in exemplars)]
    rows += [row(field_id, None, None, ()) for field_id in others]
    return tuple(rows)


def _target_progress(target: Target, plan: Plan, exemplars: tuple[Exemplar, ...], as_of: dt.date) -> TargetProgress:
    counted = tuple(
        e
        for e in exemplars
        if (not target.kinds or e.kind in target.kinds) and (target.field is None or target.field in e.fields)
    )
    if target.per == "year":
        spans = [(str(y), dt.date(y, 1, 1), dt.date(y, 12, 31)) for y in range(plan.period_start, plan.period_end + 1)]
    else:
        label = (
            str(plan.period_start) if plan.period_start == plan.period_end else f"{plan.period_start}-{plan.period_end}"
        )
        spans = [(label, dt.date(plan.period_start, 1, 1), dt.date(plan.period_end, 12, 31))]
    periods = []
    for label, start, end in spans:
        inside = [e for e in counted if start <= e.published <= end]
        state = "closed" if end < as_of else "future" if start > as_of else "current"
        by_kind = tuple((k, n) for k in KINDS if (n := sum(e.kind == k for e in inside)))
        periods.append(
            TargetPeriod(
                label=label,
                state=state,
                end=end,
                published=len(inside),
                by_kind=by_kind,
                minimum=target.min,
                maximum=target.max,
                each=target.each,
                verdict=_verdict(len(inside), target, state),
            )
        )
    return TargetProgress(target, tuple(periods))


def _verdict(published: int, target: Target, state: str) -> str:
    if state == "future":
        return "future"
    if published < target.min:
        # Below one unit's minimum site-wide means below it for every unit too: certain, even per unit.
        return "short" if state == "closed" else "open"
    if target.each:
        return "undetermined"
    if state == "closed" and target.max is not None and published > target.max:
        return "above"
    return "met"


def _milestone_states(milestones: Iterable[Milestone], as_of: dt.date) -> tuple[MilestoneState, ...]:
    """Milestones grouped by span (plans repeat yearly duties once per year), in order of their due dates."""
    groups: dict[tuple[str, str | None], list[Milestone]] = {}
    for milestone in milestones:
        groups.setdefault((milestone.when, milestone.until), []).append(milestone)
    states = []
    for (when, until), items in groups.items():
        start, due = items[0].start, items[0].due
        if due < as_of:
            state, days = "past", (as_of - due).days
        elif start > as_of:
            state, days = "upcoming", (start - as_of).days
        else:
            state, days = "current", (due - as_of).days
        states.append(MilestoneState(when, until, start, due, state, days, tuple(items)))
    return tuple(sorted(states, key=lambda m: (m.due, m.start)))
