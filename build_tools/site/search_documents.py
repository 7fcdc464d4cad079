"""What search knows of each page a result can lead to: a story, a field, a province or a plan, as plain text.

A module of its own because two stages use it: each story's document is made in its story worker and kept with the
story's products (`story.make_story`), and the index stage (`search.build_search_index`) encodes every document.
Each stage's cache is stamped by the code it imports (`engine.codestamp`): kept apart from the index's encoding, a
change to that encoding rebuilds the index alone, not every story, and a change to a page template rebuilds the
stories, not the index.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from html import unescape as html_unescape
from itertools import pairwise

from ..content.catalogue import Catalogue, vi_sort_key
from ..content.model import Exemplar, Field, Plan, Province
from ..content.text import date_vi, fold, nfc

EXCERPT_CHARS = 600
"""Story text a result carries for its excerpt (shown when the summary holds none of the query words): the story's
sentences that bring the most words its title and summary lack, in story order, up to this many characters
(`excerpt_source`). The whole story is still indexed. 6,000 characters of the story itself were most of the index's
bytes and 100 kB of every first search (benchmarks/README.md, "Sixth session: search")."""

BOOST_NAME = 8.0
BOOST_PLACE = 4.0
BOOST_TAG = 3.0
BOOST_SUMMARY = 2.0
BOOST_CONTEXT = 2.0
BOOST_AWARD = 1.5
BOOST_KIND = 1.0

TOKEN = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class SearchDocument:
    """One page a reader can land on from a result: a story, a field, a province or a plan."""

    url: str
    title: str
    kind: str
    """Facet value: ca-nhan | tap-the | ho-gia-dinh | linh-vuc | dia-phuong | ke-hoach."""
    meta: tuple[tuple[float, str], ...]
    """(boost, text): name, places, summary and the like, weighted above the story text."""
    body: str
    """Plain text of the story (or of a plan's purposes): indexed, and the source of excerpts."""
    summary: str
    facets: tuple[tuple[str, str], ...]
    """(facet, value) pairs the filters select on; the province is today's."""
    fields: tuple[str, ...] = ()
    """Vietnamese names of the fields, as the result shows them."""
    place: str = ""
    former_place: str = ""
    """The province as recorded, when it has since merged into `place`."""
    date: str = ""
    thumbnail: str | None = None
    sample: bool = False
    """A sample profile (`sample: true`): its result is marked as such."""
    excerpt: str | None = None
    """`excerpt_source`, made once with a story's document in its story worker and kept with the story's products
    between builds (3 s of CPU at 10,000 when the index stage made it for every story on every build); None: made
    when the document's result group is written."""


# --- text --------------------------------------------------------------------------------------------------------


class _Folds(dict[str, str]):
    """Memo of folded words: a text has hundreds of words but a corpus only a few thousand distinct ones."""

    def __missing__(self, word: str) -> str:
        folded = self[word] = fold(word)
        return folded


FOLDS = _Folds()


def words(text: str) -> tuple[list[str], list[str]]:
    """Words of a text as two aligned lists, folded and written: `Đắk Lắk` → (["dak", "lak"], ["đắk", "lắk"]).

    The written form is NFC lowercase; the folded form is ASCII for Vietnamese. The client does exactly the same.
    """
    written = TOKEN.findall(nfc(text).lower())
    return list(map(FOLDS.__getitem__, written)), written


def tokens(text: str) -> list[tuple[str, str]]:
    """(folded, written) pairs of `words()`."""
    return list(zip(*words(text), strict=True))


_BLOCK_TAGS = ("p", "li", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr", "br", "dd", "dt", "figcaption")
_ATTRIBUTES = r"""[^>"]*(?:"[^"]*"[^>"]*)*"""
_BLOCK_START = re.compile(rf"<(?:{'|'.join(_BLOCK_TAGS)})(?=[\s/>]){_ATTRIBUTES}>")
_TAG = re.compile(rf"</?[a-zA-Z]{_ATTRIBUTES}>")


def plain_text(html: str) -> str:
    """Sanitised story HTML → plain text, paragraph breaks as spaces.

    Regular expressions suffice, and are several times faster than an HTML parser, because the input is the
    sanitiser's output: lowercase tags, attributes in double quotes, no comments, scripts or raw `<` in text.
    (tests/test_search.py checks this against an HTML parser.)
    """
    return " ".join(html_unescape(_TAG.sub("", _BLOCK_START.sub(" ", html))).split())


# --- documents ---------------------------------------------------------------------------------------------------


def page_documents(catalogue: Catalogue) -> list[SearchDocument]:
    """The documents after the stories (newest first, so document order is also the order of a filtered list):
    fields, places, plans. Each story's is made with the story (`story.make_story`)."""
    documents = [_field_document(catalogue, f) for f in sorted(catalogue.fields.values(), key=_field_order)]
    documents += [_province_document(catalogue, p) for p in catalogue.provinces.values()]
    documents += [_plan_document(catalogue, p) for p in catalogue.plans.values()]
    return documents


def _field_order(field: Field) -> tuple[tuple[int, ...], tuple[int, ...]]:
    return vi_sort_key(field.name)


def story_document(catalogue: Catalogue, e: Exemplar, html: str, thumbnail: str | None) -> SearchDocument:
    recorded = catalogue.provinces[e.province]
    today = catalogue.today(e.province)
    field_names = tuple(catalogue.fields[f].name for f in e.fields)
    plans = [catalogue.plans[p] for p in e.plans]
    meta: list[tuple[float, str]] = [(BOOST_NAME, e.name), (BOOST_SUMMARY, e.summary), (BOOST_KIND, e.kind_label)]
    meta += [(BOOST_PLACE, text) for text in (e.organization, e.locality) if text]
    meta += [(BOOST_TAG, tag) for tag in e.tags]
    meta += [(BOOST_CONTEXT, name) for name in field_names]
    meta += [(BOOST_CONTEXT, name) for name in sorted({recorded.name, today.name, *recorded.former_names})]
    meta += [(BOOST_CONTEXT, f"{plan.title} {plan.issuer}") for plan in plans]
    meta += [(BOOST_AWARD, " ".join(filter(None, (a.title, a.decision)))) for a in e.awards]
    document = SearchDocument(
        url=e.url,
        title=e.name,
        kind=e.kind,
        meta=tuple(meta),
        body=plain_text(html),
        summary=e.summary,
        facets=(
            *(("linh-vuc", f) for f in e.fields),
            ("tinh", today.id),
            ("loai", e.kind),
            ("nam", str(e.year)),
        ),
        fields=field_names,
        place=today.name,
        former_place=recorded.name if recorded.id != today.id else "",
        date=date_vi(e.published),
        thumbnail=thumbnail,
        sample=e.sample,
    )
    return replace(document, excerpt=excerpt_source(document))


def _field_document(catalogue: Catalogue, field: Field) -> SearchDocument:
    count = len(catalogue.by_field.get(field.id, ()))
    return SearchDocument(
        url=f"linh-vuc/{field.id}/",
        title=field.name,
        kind="linh-vuc",
        meta=((BOOST_NAME, field.name), (BOOST_SUMMARY, field.description), *((BOOST_PLACE, a) for a in field.aliases)),
        # The count in the summary is for the eye only: indexed, every field would match "gương điển hình".
        body="",
        summary=f"{field.description} {_count_text(count)}".strip(),
        facets=(("linh-vuc", field.id), ("loai", "linh-vuc")),
    )


def _count_text(count: int) -> str:
    return f"{count} gương điển hình." if count else "Chưa có gương điển hình nào được đăng."


def _province_document(catalogue: Catalogue, province: Province) -> SearchDocument:
    today = catalogue.today(province.id)
    if province.current:
        former = catalogue.former_of(province.id)
        count = len(catalogue.by_province.get(province.id, ()))
        summary = _count_text(count)
        if former:
            summary += " Gồm cả " + ", ".join(p.label for p in former) + " trước ngày 01/7/2025."
    else:
        summary = f"Từ ngày 01/7/2025 thuộc {today.label}."
    return SearchDocument(
        url=f"dia-phuong/{province.id}/",
        title=province.label,
        kind="dia-phuong",
        meta=(
            (BOOST_NAME, province.name),
            (BOOST_PLACE, province.label),
            *((BOOST_PLACE, name) for name in province.former_names),
            *((BOOST_CONTEXT, p.name) for p in [today, *catalogue.former_of(province.id)] if p.id != province.id),
        ),
        body="",
        summary=summary,
        facets=(("tinh", today.id), ("loai", "dia-phuong")),
        place=today.name,
        former_place=province.name if not province.current else "",
    )


def _plan_document(catalogue: Catalogue, plan: Plan) -> SearchDocument:
    today = catalogue.today(plan.province)
    wordings = [pf.wording for pf in plan.fields] + [m.wording for pf in plan.fields for m in pf.movements]
    field_names = tuple(catalogue.fields[f].name for f in plan.field_ids if f in catalogue.fields)
    leads = sorted({lead for pf in plan.fields for lead in pf.lead})
    return SearchDocument(
        url=plan.url,
        title=plan.title,
        kind="ke-hoach",
        meta=(
            (BOOST_NAME, plan.title),
            (BOOST_PLACE, plan.issuer),
            (BOOST_PLACE, plan.locality),
            (BOOST_PLACE, plan.number),
            *((BOOST_CONTEXT, name) for name in field_names),
            *((BOOST_AWARD, text) for text in wordings),
        ),
        body=" ".join((*plan.purposes, *plan.requirements, *leads)),
        summary=f"{plan.issuer}, {plan.period_label}.",
        facets=(
            *(("linh-vuc", f) for f in plan.field_ids),
            ("tinh", today.id),
            ("loai", "ke-hoach"),
            ("nam", plan.date[:4]),
        ),
        fields=field_names,
        place=today.name,
        former_place=catalogue.provinces[plan.province].name if plan.province != today.id else "",
        date=plan.date[:4],
    )


_SENTENCE_END = re.compile(r"(?<=[.!?…;])\s+")
_GAP = " … "
"""Between two kept sentences that are not neighbours in the story."""
SOUGHT_WEIGHT = 4
"""A word of the profile's place, fields, organisation or awards counts this many more times than another."""


def excerpt_source(document: SearchDocument) -> str:
    """The text an excerpt is cut from: the whole story when short, else its sentences that bring the most words
    not yet kept (nor in the title or summary, which the result shows anyway) per character, in story order, up to
    `EXCERPT_CHARS`. A query's words are in the document, so they are likely in one of these sentences, and the
    client cuts the passage around them as before; a reader sees the story's own sentences, "…" where some were
    left out."""
    body = document.body
    if len(body) <= EXCERPT_CHARS:
        return body
    sentences = [sentence for sentence in _SENTENCE_END.split(body) if sentence]
    known = set(words(f"{document.title} {document.summary}")[0])
    # What readers search by besides the name: place, fields, organisation, awards, tags. A sentence naming them in
    # the story shows why the story matched.
    sought = set(words(" ".join(text for _, text in document.meta))[0]) - known
    vocabulary = [set(words(sentence)[0]) for sentence in sentences]
    kept: list[int] = []
    used = 0
    while True:
        best, best_gain = -1, 0.0
        for number, sentence in enumerate(sentences):
            if number in kept or used + len(sentence) > EXCERPT_CHARS:
                continue
            new = vocabulary[number] - known
            gain = (len(new) + SOUGHT_WEIGHT * len(new & sought)) / (len(sentence) + 20)
            if new and gain > best_gain:
                best, best_gain = number, gain
        if best < 0:
            break
        kept.append(best)
        used += len(sentences[best]) + len(_GAP)
        known |= vocabulary[best]
    if not kept:  # one sentence longer than the budget: its start, cut at a word
        return body[:EXCERPT_CHARS].rsplit(" ", 1)[0] + "…"
    kept.sort()
    out = sentences[kept[0]]
    for before, number in pairwise(kept):
        out += (" " if number == before + 1 else _GAP) + sentences[number]
    return out
