"""Checked data → the model: each builder assumes its source passed its rules, so it only converts."""

from __future__ import annotations

import datetime as dt
import posixpath
from pathlib import Path
from typing import Any

from ..load import Source, find_photo
from ..model import (
    Award,
    Ceased,
    Correction,
    CriteriaGroup,
    Duty,
    Exemplar,
    Field,
    Link,
    Milestone,
    Movement,
    Omission,
    Photo,
    Plan,
    PlanField,
    Province,
    Section,
    Signer,
    Target,
    period_start,
)
from .checks import parse_date


def build_exemplar(source: Source, slug: str, folder: Path) -> Exemplar:
    """Data that passed `validate_profile` → the model. Assumes validity."""
    data = source.data
    photo = data.get("photo")
    return Exemplar(
        slug=slug,
        name=data["name"].strip(),
        kind=data["kind"],
        fields=tuple(data["fields"]),
        province=data["province"],
        summary=" ".join(data["summary"].split()),
        published=_date(data["published"]),
        body_markdown=None,  # read again where the story is rendered (`load.read_story`): no process holds them all
        source_path=source.path,
        locality=data.get("locality"),
        organization=data.get("organization"),
        plans=tuple(data.get("plans") or ()),
        awards=tuple(Award(a["title"], a.get("decision"), parse_date(a.get("date"))) for a in data.get("awards") or ()),
        updated=parse_date(data.get("updated")),
        photo=Photo(photo["src"], photo["alt"], photo["credit"], _photo_path(source, folder, photo["src"]))
        if photo
        else None,
        sources=tuple(Link(s["title"], s["url"]) for s in data.get("sources") or ()),
        consent=bool(data.get("consent")),
        tags=tuple(data.get("tags") or ()),
        draft=bool(data.get("draft")),
        sample=bool(data.get("sample")),
        aliases=tuple(data.get("aliases") or ()),
        corrections=tuple(
            sorted(
                (Correction(_date(c["date"]), " ".join(c["text"].split())) for c in data.get("corrections") or ()),
                key=lambda c: c.date,
            )
        ),
        public_contacts=tuple(" ".join(c.split()) for c in data.get("public_contacts") or ()),
    )


def _photo_path(source: Source, folder: Path, src: str) -> str:
    """The photo's file beside the profile, relative to the repository (`Photo.source_path`): named as it is on disk
    (`find_photo`: a name saved decomposed on macOS), `src` being a bare file name (`keys.validate_photo`)."""
    found = find_photo(folder, src)
    return posixpath.join(posixpath.dirname(source.path), found.name if found is not None else src)


def _date(value: str) -> dt.date:
    parsed = parse_date(value)
    assert parsed is not None
    return parsed


def _criteria(items: Any) -> tuple[CriteriaGroup, ...]:
    return tuple(
        CriteriaGroup(g["kind"], tuple(g["items"]), g.get("subject"), _opt_str(g.get("ref"))) for g in items or ()
    )


def _opt_str(value: Any) -> str | None:
    return None if value is None else str(value)


def build_plan(source: Source) -> Plan:
    """A checked plan → `Plan`; a field item names one field or several movements, each with its own field."""
    data = source.data
    fields = []
    for item in data.get("fields") or ():
        movements = tuple(
            Movement(m["wording"], m["field"], tuple(m.get("lead") or ()), _criteria(m.get("criteria")))
            for m in item.get("movements") or ()
        )
        field_ids = (item["field"],) if "field" in item else tuple(dict.fromkeys(m.field for m in movements))
        fields.append(
            PlanField(
                ref=str(item["ref"]),
                wording=item["wording"],
                field_ids=field_ids,
                lead=tuple(item.get("lead") or ()),
                criteria=_criteria(item.get("criteria")),
                movements=movements,
            )
        )
    signer = data.get("signer")
    return Plan(
        id=data["id"],
        title=data["title"],
        number=data["number"],
        issuer=data["issuer"],
        level=data["level"],
        locality=data["locality"],
        province=data["province"],
        date=data["date"],
        period_start=data["period"]["start"],
        period_end=data["period"]["end"],
        source=data["source"],
        source_path=source.path,
        basis=tuple(data.get("basis") or ()),
        purposes=tuple(data.get("purposes") or ()),
        requirements=tuple(data.get("requirements") or ()),
        general_criteria=_criteria(data.get("general_criteria")),
        fields=tuple(fields),
        targets=tuple(
            Target(
                t["text"],
                t["min"],
                t["per"],
                t.get("who"),
                t.get("max"),
                tuple(t.get("kinds") or ()),
                t.get("field"),
                bool(t.get("each")),
            )
            for t in data.get("targets") or ()
        ),
        milestones=tuple(
            Milestone(m.get("when"), m["what"], m.get("label"), m.get("who"), m.get("until"))
            for m in data.get("milestones") or ()
        ),
        preamble=tuple(data.get("preamble") or ()),
        sections=tuple(
            Section(str(s["ref"]), s["heading"], tuple(s.get("in") or ()), tuple(s.get("text") or ()))
            for s in data.get("sections") or ()
        ),
        omitted=tuple(Omission(str(o["section"]), o["reason"]) for o in data.get("omitted") or ()),
        ceased=Ceased(period_start(ceased["date"]), ceased["note"]) if (ceased := data.get("ceased")) else None,
        implementation=tuple(Duty(d["agency"], tuple(d["duties"])) for d in data.get("implementation") or ()),
        signer=Signer(signer["position"], signer["name"]) if signer else None,
        number_printed=data.get("number_printed"),
        date_printed=data.get("date_printed"),
    )


def build_fields(source: Source) -> dict[str, Field]:
    """The checked fields taxonomy → `Field` by id; descriptions folded to one line as YAML may wrap them."""
    return {
        f["id"]: Field(
            f["id"],
            f["name"],
            " ".join(f["description"].split()),
            tuple(f.get("aliases") or ()),
            tuple(f.get("related") or ()),
        )
        for f in source.data
    }


def build_provinces(source: Source) -> dict[str, Province]:
    """The checked provinces list → `Province` by id, the former ones with the province they joined."""
    return {
        p["id"]: Province(
            id=p["id"],
            name=p["name"],
            type=p["type"],
            current=p["current"],
            merged_into=p.get("merged_into"),
            merged_from=tuple(p.get("merged_from") or ()),
            former_names=tuple(p.get("former_names") or ()),
        )
        for p in source.data
    }
