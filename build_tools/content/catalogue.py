"""The whole collection: indexes by field, province, kind, plan and year, and the rules that span files."""

from __future__ import annotations

import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property

from .model import KINDS, Exemplar, Field, Plan, PlanField, Province
from .problems import Problem


@dataclass(frozen=True)
class Catalogue:
    """Everything the renderers need, indexed once. Lists of exemplars are newest first."""

    exemplars: tuple[Exemplar, ...]
    plans: Mapping[str, Plan]
    fields: Mapping[str, Field]
    provinces: Mapping[str, Province]
    by_slug: Mapping[str, Exemplar] = field(default_factory=dict)
    by_field: Mapping[str, tuple[Exemplar, ...]] = field(default_factory=dict)
    by_province: Mapping[str, tuple[Exemplar, ...]] = field(default_factory=dict)
    """Keyed by the province in force today: former provinces' exemplars appear under their successor."""
    by_kind: Mapping[str, tuple[Exemplar, ...]] = field(default_factory=dict)
    by_plan: Mapping[str, tuple[Exemplar, ...]] = field(default_factory=dict)
    by_year: Mapping[int, tuple[Exemplar, ...]] = field(default_factory=dict)
    source_digests: Mapping[str, bytes] = field(default_factory=dict)
    """Each profile's bytes as `check` read them, digested, by slug (`checked.Stamp.content`); empty when whoever
    built the catalogue did not read the files (then a story's key reads its profile itself: `story.profile_digest`)."""

    @cached_property
    def published_samples(self) -> tuple[Exemplar, ...]:
        """Sample profiles a reader can meet (drafts aside): while there are any, the front pages say so."""
        return tuple(e for e in self.exemplars if e.sample and not e.draft)

    @property
    def current_provinces(self) -> list[Province]:
        return [p for p in self.provinces.values() if p.current]

    @property
    def years(self) -> list[int]:
        return sorted(self.by_year, reverse=True)

    def today(self, province_id: str) -> Province:
        """The province in force today for an id recorded at any time."""
        return self.provinces[self.provinces[province_id].today_id]

    def former_of(self, province_id: str) -> list[Province]:
        return [p for p in self.provinces.values() if not p.current and p.merged_into == province_id]

    def plans_for_field(self, field_id: str) -> list[tuple[Plan, PlanField]]:
        return [(plan, pf) for plan in self.plans.values() for pf in plan.fields if field_id in pf.field_ids]

    def plans_for_province(self, province_id: str) -> list[Plan]:
        """Plans issued in this province or in a former province merged into it."""
        return [plan for plan in self.plans.values() if self.today(plan.province).id == province_id]

    def related(self, exemplar: Exemplar, limit: int = 4, window: int = 60) -> list[Exemplar]:
        """Other exemplars sharing fields or today's province, the closest first, then the newest.

        Only the newest `window` of each group is considered, which keeps this linear in the collection size.
        """
        today = self.today(exemplar.province).id
        own = self._positions[exemplar.slug]
        best = self._closest(exemplar.fields, today, limit + 1, window)
        return [self.exemplars[position] for position in best if position != own][:limit]

    def _closest(self, fields: tuple[str, ...], today: str, limit: int, window: int) -> tuple[int, ...]:
        """The `limit` closest stories to any story of these fields and province, itself included: what `related`
        answers depends on nothing else, so it is worked out once per such signature (about 2,100 among 10,000
        stories), not once per story (a build whose stories were all kept asks for every story's)."""
        signature = (fields, today, limit, window)
        found = self._closest_by_signature.get(signature)
        if found is None:
            # Positions in the collection (newest first) stand for the stories: counted by C loops.
            scores: Counter[int] = Counter()
            for field_id in fields:
                newest = self._field_positions.get(field_id, ())[:window]
                scores.update(newest)
                scores.update(newest)  # a shared field weighs two
            scores.update(self._province_positions.get(today, ())[:window])
            # Highest score first, then the newest (lowest position), as one integer each: sorted by C comparisons.
            size = len(self.exemplars)
            best = sorted([position - score * size for position, score in scores.items()])[:limit]
            found = self._closest_by_signature[signature] = tuple(value % size for value in best)
        return found

    @cached_property
    def _closest_by_signature(self) -> dict[tuple[tuple[str, ...], str, int, int], tuple[int, ...]]:
        return {}

    @cached_property
    def _positions(self) -> dict[str, int]:
        return {e.slug: index for index, e in enumerate(self.exemplars)}

    @cached_property
    def _field_positions(self) -> dict[str, tuple[int, ...]]:
        return {key: tuple(self._positions[e.slug] for e in group) for key, group in self.by_field.items()}

    @cached_property
    def _province_positions(self) -> dict[str, tuple[int, ...]]:
        return {key: tuple(self._positions[e.slug] for e in group) for key, group in self.by_province.items()}


def _group(exemplars: Iterable[Exemplar], keys: callable) -> dict:  # type: ignore[valid-type]
    groups: dict = defaultdict(list)
    for exemplar in exemplars:
        for key in keys(exemplar):
            groups[key].append(exemplar)
    return {key: tuple(items) for key, items in groups.items()}


def build_catalogue(
    exemplars: Iterable[Exemplar],
    plans: Mapping[str, Plan],
    fields: Mapping[str, Field],
    provinces: Mapping[str, Province],
    source_digests: Mapping[str, bytes] | None = None,
    *,
    drafts: bool = True,
) -> tuple[Catalogue, list[Problem]]:
    """Index everything and check what no single file can: unique slugs and aliases across the tree.
    `source_digests`: each profile's bytes digested as they were read (by slug), for the stories' keys. `drafts`:
    False leaves drafts out of the catalogue, not out of the rules (a draft's slug is taken): one sort and one
    indexing, not a second catalogue of the published stories (0.07 s of every build at 10,000 profiles)."""
    problems: list[Problem] = []
    ordered = sorted(exemplars, key=lambda e: (e.published, e.slug), reverse=True)
    claimed: dict[str, Exemplar] = {}
    for exemplar in sorted(ordered, key=lambda e: e.source_path):
        if exemplar.slug in claimed:
            other = claimed[exemplar.slug]
            problems.append(
                Problem(
                    exemplar.source_path,
                    1,
                    None,
                    f"đường dẫn `{exemplar.slug}` đã được dùng cho hồ sơ {other.source_path}. "
                    "Nếu là cùng một gương, hãy sửa hồ sơ đó thay vì tạo mới; nếu là gương khác, đặt tên thư mục "
                    "khác (thêm địa phương hoặc năm).",
                )
            )
        else:
            claimed[exemplar.slug] = exemplar
    for exemplar in sorted(ordered, key=lambda e: e.source_path):
        for alias in exemplar.aliases:
            other = claimed.get(alias)
            if other is not None and other is not exemplar:
                problems.append(
                    Problem(
                        exemplar.source_path,
                        1,
                        "aliases",
                        f"đường dẫn cũ `{alias}` đang là đường dẫn của hồ sơ {other.source_path}. "
                        "Xóa đường dẫn này khỏi aliases.",
                    )
                )
            else:
                claimed[alias] = exemplar
    for exemplar in ordered:
        for plan_id in exemplar.plans:
            plan = plans[plan_id]
            if provinces[plan.province].today_id != provinces[exemplar.province].today_id:
                problems.append(
                    Problem(
                        exemplar.source_path,
                        1,
                        "plans",
                        f"kế hoạch `{plan_id}` là của {plan.locality}, nhưng hồ sơ ghi tỉnh `{exemplar.province}`. "
                        "Kiểm tra lại trường province hoặc plans.",
                    )
                )
    if not drafts:
        ordered = [e for e in ordered if not e.draft]  # in the same order: the sort is stable
    catalogue = Catalogue(
        exemplars=tuple(ordered),
        plans=dict(sorted(plans.items(), key=lambda item: (item[1].date, item[0]), reverse=True)),
        fields=fields,
        provinces=dict(sorted(provinces.items(), key=lambda item: _vi_sort_key(item[1].name))),
        by_slug={e.slug: e for e in ordered},
        by_field=_group(ordered, lambda e: e.fields),
        by_province=_group(ordered, lambda e: [provinces[e.province].today_id]),
        by_kind={kind: tuple(e for e in ordered if e.kind == kind) for kind in KINDS},
        by_plan=_group(ordered, lambda e: e.plans),
        by_year=_group(ordered, lambda e: [e.year]),
        source_digests=source_digests or {},
    )
    return catalogue, problems


_VI_LETTERS = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_VI_RANK = {ch: index for index, ch in enumerate(_VI_LETTERS)}
_VI_TONES = {"": 0, "\u0300": 1, "\u0301": 2, "\u0309": 3, "\u0303": 4, "\u0323": 5}
"""No tone, huyền, sắc, hỏi, ngã, nặng: tones decide only between words that are otherwise the same."""


def _vi_sort_key(text: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Vietnamese dictionary order, which code-point order gets wrong: Ă, Â after A, Đ after D, Ư after U; words
    before longer words ("Cà Mau" before "Cao Bằng"); tone marks only as a tie-break ("Ba" < "Bà" < "Bá")."""
    letters: list[int] = []
    tones: list[int] = []
    for ch in text.lower():
        parts = unicodedata.normalize("NFD", ch)
        tone = "".join(mark for mark in parts if mark in _VI_TONES)
        base = unicodedata.normalize("NFC", "".join(mark for mark in parts if mark not in _VI_TONES))
        if base in _VI_RANK:
            letters.append(100 + _VI_RANK[base])
        elif base.isspace():
            letters.append(0)  # a word before the longer words it starts
        elif base.isascii() and base.isdigit():
            letters.append(10 + int(base))
        elif base.isascii():
            letters.append(1)  # punctuation
        else:
            letters.append(1000 + ord(base))
        tones.append(_VI_TONES.get(tone, 0))
    return tuple(letters), tuple(tones)


vi_sort_key = _vi_sort_key
