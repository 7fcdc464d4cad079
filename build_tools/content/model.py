"""The content as plain typed objects: what every later stage reads. Nothing here touches the disk."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

KINDS: dict[str, str] = {"ca-nhan": "Cá nhân", "tap-the": "Tập thể", "ho-gia-dinh": "Hộ gia đình"}
"""Kind id → Vietnamese label; ids are the contract, labels are what readers see."""

SAMPLE_LABEL = "Dữ liệu mẫu"
"""What every surface says of a sample profile (`sample: true`): story, cards, search, feeds, share tags."""
SAMPLE_NOTE = "Dữ liệu mẫu, không phải gương điển hình có thật."
"""Put before a sample's summary where the summary travels alone (feed descriptions, link previews, JSON-LD)."""

PLAN_LEVELS: dict[str, str] = {
    "tinh": "Tỉnh",
    "huyen": "Huyện",
    "thanh-pho": "Thành phố",
    "so": "Sở, ngành",
    "hoi-dong": "Hội đồng Thi đua - Khen thưởng",
}


@dataclass(frozen=True)
class Field:
    """A canonical field of emulation (a movement), shared by plans that word it differently."""

    id: str
    name: str
    description: str
    aliases: tuple[str, ...] = ()
    """Other names of this same movement, as plans word it."""
    related: tuple[str, ...] = ()
    """Separate movements that plans file under this field (never shown as another name of it)."""


@dataclass(frozen=True)
class Province:
    """A province-level unit; former ones (before 1 July 2025) point at the one they merged into."""

    id: str
    name: str
    type: str
    current: bool
    merged_into: str | None = None
    merged_from: tuple[str, ...] = ()
    former_names: tuple[str, ...] = ()

    @property
    def today_id(self) -> str:
        return self.id if self.current else (self.merged_into or self.id)

    @property
    def label(self) -> str:
        return f"{'Thành phố' if self.type == 'thanh-pho' else 'Tỉnh'} {self.name}"

    @property
    def label_in_sentence(self) -> str:
        """The label mid-sentence, where Vietnamese writes the unit in lower case: `nay thuộc tỉnh Ninh Bình`."""
        return self.label[:1].lower() + self.label[1:]


@dataclass(frozen=True)
class Award:
    title: str
    decision: str | None = None
    date: dt.date | None = None


@dataclass(frozen=True)
class Photo:
    src: str
    alt: str
    credit: str
    source_path: str
    """The original file beside the profile, relative to the repository like `Exemplar.source_path`: what a build
    remembers of a profile (`content/checked.py`, a story's key and kept products) names no folder of the machine,
    so a repository moved or cloned elsewhere keeps it."""

    @property
    def credit_text(self) -> str:
        """The credit as printed: prefixed "Ảnh: " unless it already says it is about the photo ("Ảnh minh họa: …",
        "Ảnh: …"), so "Ảnh:" is never printed twice. "Anh" (a given name) is not "Ảnh"."""
        return self.credit if self.credit.lower().startswith("ảnh") else f"Ảnh: {self.credit}"


@dataclass(frozen=True)
class Link:
    title: str
    url: str


@dataclass(frozen=True)
class Correction:
    """A dated correction note ("đính chính"): shown on the story page and carried in its feed item."""

    date: dt.date
    text: str


@dataclass(frozen=True)
class Exemplar:
    """One published profile. `province` is as recorded (possibly former); pages show today's too."""

    slug: str
    name: str
    kind: str
    fields: tuple[str, ...]
    province: str
    summary: str
    published: dt.date
    body_markdown: str | None
    """The story's Markdown, or None when not held: a checked profile's story is read from its file by whoever
    renders it (`load.read_story`), so that the catalogue every worker inherits holds no story (at 100,000
    profiles they are some 700 MB as strings)."""
    source_path: str
    locality: str | None = None
    organization: str | None = None
    plans: tuple[str, ...] = ()
    awards: tuple[Award, ...] = ()
    updated: dt.date | None = None
    photo: Photo | None = None
    sources: tuple[Link, ...] = ()
    consent: bool = False
    tags: tuple[str, ...] = ()
    draft: bool = False
    sample: bool = False
    """Illustrative content: marked as such wherever it appears, never counted toward a plan."""
    aliases: tuple[str, ...] = ()
    corrections: tuple[Correction, ...] = ()
    """Oldest first, as the profile lists them by date."""
    public_contacts: tuple[str, ...] = ()
    """An agency's published hotlines or addresses, the only phone numbers and e-mails a profile may show."""

    @property
    def url(self) -> str:
        """Site-relative URL of the story page."""
        return f"guong/{self.slug}/"

    @property
    def year(self) -> int:
        return self.published.year

    @property
    def kind_label(self) -> str:
        return KINDS[self.kind]

    @property
    def last_modified(self) -> dt.date:
        """A correction is a change readers and feeds must see, so it counts as one."""
        return max([self.updated or self.published, *(c.date for c in self.corrections)])


@dataclass(frozen=True)
class CriteriaGroup:
    kind: str
    items: tuple[str, ...]
    subject: str | None = None
    ref: str | None = None

    @property
    def label(self) -> str:
        return self.subject or KINDS[self.kind]


@dataclass(frozen=True)
class Movement:
    wording: str
    field: str
    lead: tuple[str, ...] = ()
    criteria: tuple[CriteriaGroup, ...] = ()


@dataclass(frozen=True)
class PlanField:
    """A field as one plan words it: its own heading, lead agencies and criteria."""

    ref: str
    wording: str
    field_ids: tuple[str, ...]
    lead: tuple[str, ...] = ()
    criteria: tuple[CriteriaGroup, ...] = ()
    movements: tuple[Movement, ...] = ()


@dataclass(frozen=True)
class Target:
    text: str
    min: int
    per: str
    who: str | None = None
    max: int | None = None
    kinds: tuple[str, ...] = ()
    field: str | None = None
    each: bool = False
    """True when the numbers apply to each unit named in `who` (every department), not to the plan as a whole."""


@dataclass(frozen=True)
class Milestone:
    when: str | None
    """`YYYY`, `YYYY-MM`, `YYYY-MM-DD` or `YYYY-Qn`, as precise as the source; None when the source gives no date."""
    what: str
    label: str | None = None
    who: str | None = None
    until: str | None = None
    """End of a span the source gives as a range ("từ năm 2021 đến năm 2023"), in the same notation as `when`."""

    @property
    def start(self) -> dt.date | None:
        """The first day the milestone covers; None for a step the source does not date."""
        return period_start(self.when) if self.when else None

    @property
    def due(self) -> dt.date | None:
        """The last day the milestone covers."""
        return period_end(self.until or self.when) if self.when else None


@dataclass(frozen=True)
class Section:
    """A numbered section of the source and where this plan file holds it: a structured key, or its own text."""

    ref: str
    """Its number in the source, qualified by its parents ("II.2", "III.3.4", "II.2.2.a")."""
    heading: str
    keys: tuple[str, ...] = ()
    """The plan keys that transcribe it (`purposes`, `fields` …)."""
    text: tuple[str, ...] = ()
    """Its paragraphs, verbatim, that no structured key holds (all of them when `keys` is empty)."""


@dataclass(frozen=True)
class Omission:
    """A numbered section of the source deliberately left out, and why."""

    section: str
    reason: str


@dataclass(frozen=True)
class Ceased:
    """The issuing body no longer exists (provinces merged, districts abolished on 1 July 2025)."""

    date: dt.date
    note: str


@dataclass(frozen=True)
class Duty:
    agency: str
    duties: tuple[str, ...]


@dataclass(frozen=True)
class Signer:
    position: str
    name: str


@dataclass(frozen=True)
class Plan:
    id: str
    title: str
    number: str
    issuer: str
    level: str
    locality: str
    province: str
    date: str
    period_start: int
    period_end: int
    source: str
    source_path: str
    basis: tuple[str, ...] = ()
    purposes: tuple[str, ...] = ()
    requirements: tuple[str, ...] = ()
    general_criteria: tuple[CriteriaGroup, ...] = ()
    fields: tuple[PlanField, ...] = ()
    targets: tuple[Target, ...] = ()
    milestones: tuple[Milestone, ...] = ()
    implementation: tuple[Duty, ...] = ()
    signer: Signer | None = None
    number_printed: str | None = None
    date_printed: str | None = None
    preamble: tuple[str, ...] = ()
    """The opening paragraphs before section I, verbatim: the page shows them as printed, under no heading."""
    sections: tuple[Section, ...] = ()
    omitted: tuple[Omission, ...] = ()
    ceased: Ceased | None = None

    @property
    def url(self) -> str:
        return f"ke-hoach/{self.id}/"

    @property
    def issued(self) -> dt.date:
        """The first day the plan can have been in force: counts start here, never earlier."""
        return period_start(self.date)

    @property
    def complete(self) -> bool:
        """Every numbered section of the source is transcribed here; otherwise pages call the text an excerpt."""
        return not self.omitted

    @property
    def level_label(self) -> str:
        return PLAN_LEVELS[self.level]

    @property
    def issuer_with_level(self) -> str:
        """The issuer, with its level only where the name does not say it already: "Ủy ban nhân dân tỉnh Ninh Thuận"
        needs no "(Tỉnh)"."""
        level = self.level_label.split(",")[0].lower()
        return self.issuer if level in self.issuer.lower() else f"{self.issuer} ({self.level_label})"

    @property
    def field_ids(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for plan_field in self.fields:
            for field_id in plan_field.field_ids:
                seen.setdefault(field_id)
        return tuple(seen)

    @property
    def period_label(self) -> str:
        if self.period_start == self.period_end:
            return f"năm {self.period_start}"
        return f"giai đoạn {self.period_start}-{self.period_end}"


def period_start(when: str) -> dt.date:
    """First day of a partial date: `2023` → 2023-01-01, `2021-Q2` → 2021-04-01, `2023-05` → 2023-05-01."""
    year_text, _, rest = when.partition("-")
    year = int(year_text)
    if not rest:
        return dt.date(year, 1, 1)
    if rest.startswith("Q"):
        return dt.date(year, int(rest[1:]) * 3 - 2, 1)
    if len(rest) > 2:
        return dt.date.fromisoformat(when)
    return dt.date(year, int(rest), 1)


def period_end(when: str) -> dt.date:
    """Last day of a partial date: `2023` → 2023-12-31, `2021-Q2` → 2021-06-30, `2023-05` → 2023-05-31."""
    year_text, _, rest = when.partition("-")
    year = int(year_text)
    if not rest:
        return dt.date(year, 12, 31)
    if rest.startswith("Q"):
        month = int(rest[1:]) * 3
    elif len(rest) > 2:
        return dt.date.fromisoformat(when)
    else:
        month = int(rest)
    first_of_next = dt.date(year + (month == 12), month % 12 + 1, 1)
    return first_of_next - dt.timedelta(days=1)
