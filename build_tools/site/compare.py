"""One canonical field as each plan words it, side by side: how an office drafting a plan sees how others wrote it.

Pure: catalogue and plan progress in, frozen dataclasses out.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ..content.catalogue import Catalogue
from ..content.model import KINDS, CriteriaGroup, Field, Plan
from .progress import PlanProgress

MIN_PLANS = 2
"""A comparison needs at least two plans; a field named by one plan is read on its field page."""


@dataclass(frozen=True)
class ComparisonEntry:
    """How one plan names, leads and judges the field."""

    plan: Plan
    ref: str
    wording: str
    movement: str | None
    """The movement's own wording when the plan groups several movements under one item (Bắc Giang 6, 7)."""
    lead: tuple[str, ...]
    criteria: tuple[CriteriaGroup, ...]
    general: bool
    """True when the item gives no criteria of its own and the plan's general criteria apply."""
    published: int
    """Profiles counted under the plan in this field (as on the plan page: no samples, from its issue date)."""

    def criteria_for(self, kind: str) -> tuple[CriteriaGroup, ...]:
        return tuple(g for g in self.criteria if g.kind == kind)


@dataclass(frozen=True)
class FieldComparison:
    field: Field
    entries: tuple[ComparisonEntry, ...]

    @property
    def url(self) -> str:
        return f"so-sanh/{self.field.id}/"

    @property
    def kinds(self) -> tuple[str, ...]:
        """Kinds for which at least one plan gives criteria, in the usual order."""
        present = {g.kind for e in self.entries for g in e.criteria}
        return tuple(k for k in KINDS if k in present)

    @property
    def plan_count(self) -> int:
        return len({e.plan.id for e in self.entries})


def build_comparisons(catalogue: Catalogue, progress: Mapping[str, PlanProgress]) -> dict[str, FieldComparison]:
    """Every field that two or more plans name, keyed by field id, in the taxonomy's order."""
    comparisons = {}
    for field in catalogue.fields.values():
        entries = []
        for plan, plan_field in catalogue.plans_for_field(field.id):
            published = progress[plan.id].field_count(field.id) if plan.id in progress else 0
            movements = [m for m in plan_field.movements if m.field == field.id] or [None]
            for movement in movements:
                own = (movement.criteria if movement else ()) + plan_field.criteria
                entries.append(
                    ComparisonEntry(
                        plan=plan,
                        ref=plan_field.ref,
                        wording=plan_field.wording,
                        movement=movement.wording if movement else None,
                        lead=(movement.lead if movement and movement.lead else plan_field.lead),
                        criteria=own or plan.general_criteria,
                        general=not own and bool(plan.general_criteria),
                        published=published,
                    )
                )
        comparison = FieldComparison(field, tuple(entries))
        if comparison.plan_count >= MIN_PLANS:
            comparisons[field.id] = comparison
    return comparisons
