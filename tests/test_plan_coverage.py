"""An emulation office's story: every numbered section of a plan's source is on the site, or said to be left out.

The test walks the seed text itself (`plans/sources/`), heading by heading ("I.", "1.", "2.1.", "a)"), so a section
forgotten in a plan file fails here even when nobody remembered it existed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path

import pytest

from build_tools.content.model import Omission, Plan

REPO = Path(__file__).resolve().parents[1]
PLAN_IDS = [
    "ninh-thuan-2021-2025",
    "phong-tho-2023",
    "nam-dinh-2022-2025",
    "lang-son-skhdt-2022-2025",
    "bac-giang-2021",
]
_HEADING = re.compile(r"^(?:(?P<roman>[IVX]+)\.\s|(?P<number>\d+(?:\.\d+)*)\.?\s|(?P<letter>[a-zđ])\)\s)")
_LABEL = re.compile(r"^(?:[-+•]\s*|[a-zđ]\)\s*|\d+(?:\.\d+)*\.?\s+)")


def _flat(text: str) -> str:
    """Compare ignoring case, whitespace, line breaks and the `*` emphasis marks of the seed text."""
    text = unicodedata.normalize("NFC", text).replace("*", "")
    return re.sub(r"\s+", " ", text).strip().lower()


@dataclass
class SourceSection:
    ref: str
    """Qualified by its parents: "II", "II.2", "II.2.2.a", "III.3.4"."""
    label: str
    """As printed: "II", "2.2", "a", "3.4"."""
    heading: str
    body: list[str] = field(default_factory=list)
    children: list[SourceSection] = field(default_factory=list)


def source_sections(text: str) -> list[SourceSection]:
    """The numbered sections of a seed, nested; text before "I." (the preamble) and from "Nơi nhận" on is not."""
    roots: list[SourceSection] = []
    roman: SourceSection | None = None
    number: SourceSection | None = None
    current: SourceSection | None = None
    for raw in text.splitlines():
        line = raw.replace("*", "").strip()
        if not line:
            continue
        if line.startswith("Nơi nhận"):
            break
        match = _HEADING.match(line)
        heading = line[match.end() :].strip() if match else ""
        if match and match.group("roman"):
            roman = current = SourceSection(match.group("roman"), match.group("roman"), heading)
            number = None
            roots.append(roman)
        elif roman is None:
            continue
        elif match and match.group("number"):
            label = match.group("number")
            number = current = SourceSection(f"{roman.ref}.{label}", label, heading)
            _outer(roman, label).children.append(number)  # "2.1." nests in "2.", "2." in the Roman section
        elif match and match.group("letter"):
            parent = number or roman
            current = SourceSection(f"{parent.ref}.{match.group('letter')}", match.group("letter"), heading)
            parent.children.append(current)
        else:
            assert current is not None
            current.body.append(line)
    return roots


def _outer(roman: SourceSection, label: str) -> SourceSection:
    """The numbered section "2.1" nests in: the deepest one whose label is a prefix of it ("2"), else the Roman."""
    parent = roman
    while True:
        inner = next((c for c in parent.children if label.startswith(c.label + ".")), None)
        if inner is None:
            return parent
        parent = inner


def _walk(sections: list[SourceSection]) -> list[SourceSection]:
    return [s for section in sections for s in (section, *_walk(section.children))]


def _lines(section: SourceSection) -> list[str]:
    """The section's own lines, then each sub-section's heading (with its label, as printed) and lines."""
    lines = list(section.body)
    for child in section.children:
        lines += [f"{child.label}) {child.heading}" if child.label.isalpha() else f"{child.label}. {child.heading}"]
        lines += _lines(child)
    return lines


def unaccounted(plan: Plan) -> list[str]:
    """Every source section neither listed in `sections`, nor left out in `omitted`, nor a field of a section
    transcribed into `fields`; a heading whose own text is empty and whose children are all accounted counts too."""
    text = (REPO / "plans" / "sources" / plan.source).read_text(encoding="utf-8")
    listed = {s.ref: s for s in plan.sections}
    omitted = {o.section for o in plan.omitted}
    field_refs = {f.ref for f in plan.fields}
    missing: list[str] = []

    def accounted(section: SourceSection, parent_in_fields: bool) -> bool:
        parts = section.ref.split(".")
        if any(".".join(parts[:n]) in omitted for n in range(1, len(parts) + 1)):
            return True
        entry = listed.get(section.ref)
        if entry is not None:
            assert _flat(entry.heading).rstrip(":") == _flat(section.heading).rstrip(":"), section.ref
            if "fields" not in entry.keys:
                return True  # its sub-sections are transcribed with it
            # A section of fields: each numbered item in it must be one of the plan's fields.
            return all([accounted(child, True) for child in section.children])
        if parent_in_fields and section.label in field_refs:
            return True
        children = [accounted(child, False) for child in section.children]
        own = not section.body and section.children and all(children)
        if not own:
            missing.append(f"{section.ref} {section.heading[:60]}")
        return bool(own)

    for root in source_sections(text):
        accounted(root, False)
    return missing


@pytest.mark.parametrize("plan_id", PLAN_IDS)
def test_every_numbered_section_of_the_source_is_transcribed_or_said_to_be_left_out(plans, plan_id) -> None:
    assert unaccounted(plans[plan_id]) == []


@pytest.mark.parametrize("plan_id", PLAN_IDS)
def test_sections_given_as_text_are_verbatim_and_whole(plans, plan_id) -> None:
    plan = plans[plan_id]
    text = (REPO / "plans" / "sources" / plan.source).read_text(encoding="utf-8")
    by_ref = {s.ref: s for s in _walk(source_sections(text))}
    refs = [s.ref for s in plan.sections] + [o.section for o in plan.omitted]
    assert len(refs) == len(set(refs)), "a section is listed twice"
    for entry in plan.sections:
        assert entry.ref in by_ref, f"{entry.ref} is not a numbered section of {plan.source}"
        source = by_ref[entry.ref]
        body = _flat(" ".join(_lines(source)))
        for paragraph in entry.text:
            assert _flat(paragraph) in body, f"{entry.ref}: not verbatim: {paragraph[:60]}"
        if entry.text and not entry.keys:
            # Nothing else holds it, so every line of the section (its sub-headings included) is in the text.
            held = _flat(" ".join(entry.text))
            lost = [line[:60] for line in _lines(source) if _flat(_LABEL.sub("", line)) not in held]
            assert lost == [], entry.ref
        for key in entry.keys:
            assert getattr(plan, key), f"{entry.ref} is said to be in `{key}`, which is empty"


@pytest.mark.parametrize("plan_id", PLAN_IDS)
def test_the_page_calls_a_partial_plan_an_excerpt(plans, plan_id) -> None:
    plan = plans[plan_id]
    for omission in plan.omitted:
        assert omission.reason.strip() and omission.section
    assert plan.complete == (not plan.omitted)


def test_a_section_nobody_transcribed_is_reported(plans) -> None:
    """The walk itself: drop a section from a plan and it is named."""
    plan = plans["lang-son-skhdt-2022-2025"]
    shorter = replace(plan, sections=tuple(s for s in plan.sections if s.ref != "II.2"))
    assert unaccounted(shorter) == ["II.2 Hình thức, đối tượng tuyên truyền", "II NỘI DUNG THỰC HIỆN"]
    assert unaccounted(replace(plan, omitted=(Omission("II.2", "thử"),), sections=shorter.sections)) == []


@pytest.mark.parametrize("plan_id", PLAN_IDS)
def test_paragraphs_criteria_and_duties_are_verbatim_as_the_page_says(plans, plan_id) -> None:
    """The page promises these word for word (leads and milestones it calls taken out of sentences)."""
    plan = plans[plan_id]
    source = _flat((REPO / "plans" / "sources" / plan.source).read_text(encoding="utf-8"))
    quoted = [*plan.preamble, *plan.purposes, *plan.requirements, *(p for s in plan.sections for p in s.text)]
    quoted += [duty for agency in plan.implementation for duty in agency.duties]
    groups = [*plan.general_criteria]
    for item in plan.fields:
        groups += [*item.criteria, *(g for m in item.movements for g in m.criteria)]
    quoted += [criterion for group in groups for criterion in group.items]
    assert [q[:60] for q in quoted if _flat(q).rstrip(".;:…") not in source] == []
