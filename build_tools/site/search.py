"""Catalogue → a static search index that a phone fetches in small pieces. The files are returned, not written; the
disk is touched only for the workers' spool and the index kept between builds (`build_search_index`'s `kept`).

Why our own index rather than Material's or Pagefind's (measured at 10,000 profiles, benchmarks/README.md): Material's
client downloads the whole index (115 MiB) before the first result and matches no query typed without diacritics;
Pagefind fetched 0.4–3.1 MB per query because common Vietnamese syllables land in large chunks, and needed 3 GiB of
memory to index. Ours: a first search fetched 135 kB at the median of 20 queries (170 kB at most), and 237 kB at
100,000 profiles (benchmarks/README.md). Vietnamese has only a few thousand syllables, so the index is
keyed by syllable:

- `search/index.json`: the manifest (counts, filter values with their Vietnamese names, and the hashes of the pieces
  below, which name them: `s/12.<hash>.bin`; see `build_search_index`);
- `search/h/<n>.<hash>.json`: the hashes of shards `n·j` to `n·j + j − 1` (`j` in the manifest), whose own hashes
  the manifest lists;
- `search/s/<n>.<hash>.bin`: shards of the inverted index; a term lives in shard `fnv1a(term) % shards`, so a query
  fetches one small file per word; a term of `OWN_PIECE_BYTES` or more is in a piece of its own,
  `search/s/<n>-<k>.<hash>.bin`, which the shard names. A list of `TIER_MIN_POSTINGS` or more keeps there its
  documents and its best weights (a pair's, only its best tier); the rest are in the piece's second piece,
  `search/w/<n>.<hash>.bin` or `search/w/<n>-<k>.<hash>.bin`, which the piece names, fetched when needed.
  Unigrams are keyed by their folded form (`người` → `nguoi`) with the postings split by the exact written form,
  so "người" and "nguoi" find the same words and an exact-diacritic match ranks first; folded bigrams (`nguoi tot`)
  rank phrases and names above scattered words;
- `search/t/<xx>.<hash>.json`: the dictionary by first two letters, to complete the word being typed;
- `search/f/<facet>/<value>.<hash>.bin`: the documents of one filter value (field, today's province, kind, year);
- `search/i/<n>.<hash>.json`: the hashes of result groups `n·i` to `n·i + i − 1` (`i` in the manifest), whose
  own hashes the manifest lists;
- `search/d/<n>.<hash>.json`: what a result shows (name, kind, fields, place, summary, a few of the story's sentences
  for the excerpt (`excerpt_source`), photo, `m` for a sample profile), for `DOCUMENTS_PER_FILE` documents in a row:
  document `id` is item `id % g` of file `id // g` (`g` in the manifest).

The browser client is `theme/assets/exemplars/search.js`; it tokenises and folds exactly as `tokens()` here does.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
import math
import operator
import os
import pickle
import re
import shutil
import tempfile
import zlib
from array import array
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise, repeat
from operator import sub
from pathlib import Path

import numpy as np

from ..content.catalogue import Catalogue, vi_sort_key
from ..content.model import KINDS
from ..content.text import nfc
from ..engine.codestamp import code_stamp
from ..engine.parallel import fork_map, shared
from .search_documents import (
    BOOST_AWARD,
    BOOST_CONTEXT,
    BOOST_KIND,
    BOOST_NAME,
    BOOST_PLACE,
    BOOST_SUMMARY,
    BOOST_TAG,
    FOLDS,
    TOKEN,
    SearchDocument,
    excerpt_source,
    words,
)

FORMAT = b"EXS5"
"""Magic of every binary file; bump it when the layout changes so an old client never misreads a new index."""

SHARDS_PER_ROOT = 20
MAX_SHARDS = 16_384
GROUPS_PER_TABLE = 64
"""Result groups whose hashes one table (`search/i/<n>.<hash>.json`) lists: 0.4 kB, fetched with the results. Ten
results fall in up to ten tables: tables of 256 cost a first search 15 kB at 100,000 profiles (benchmarks/README.md)."""
SHARDS_PER_TABLE = 64
"""Shards whose hashes one table (`search/h/<n>.<hash>.json`) lists: a query fetches the few tables of its shards
instead of a manifest listing every shard's hash (8,192 hashes, 49 kB at 100,000 profiles)."""
HASH_CHARS = 6
"""Characters of a piece's hash (`piece_hash`): the manifest lists one per piece, so it is kept short."""
DICTIONARY_LIMIT = 40
"""Completions kept per two-letter prefix, most frequent first (the client uses a handful)."""
DOCUMENTS_PER_FILE = 4
"""Results per file in search/d/: one file per document was a quarter of a site's files (10,000 of 42,000 at 10,000
profiles); four in a file cost a first search about 3 × 3 KB more per result shown (benchmarks/README.md)."""
META_SATURATION = 4.0
BODY_SATURATION = 1.2
META_SHARE = 0.75
"""A word in the name, place or summary outweighs any number of mentions in the story text."""

FACETS: tuple[tuple[str, str], ...] = (
    ("linh-vuc", "Lĩnh vực"),
    ("tinh", "Tỉnh, thành phố"),
    ("loai", "Loại"),
    ("nam", "Năm"),
)
OTHER_KINDS: dict[str, str] = {"linh-vuc": "Lĩnh vực", "dia-phuong": "Địa phương", "ke-hoach": "Kế hoạch"}
"""Kinds of result besides the three kinds of exemplar: the pages of fields, provinces and plans."""


@dataclass(frozen=True)
class SearchIndex:
    """Every file of the index, keyed by its path under the site root."""

    files: Mapping[str, bytes]
    version: str
    documents: int
    shards: int


# --- index -------------------------------------------------------------------------------------------------------


class _TermIds(dict[str, int]):
    """term → its number in a share of documents, given on first sight."""

    def __missing__(self, term: str) -> int:
        number = self[term] = len(self)
        return number


_NO_POSTINGS = np.empty(0, dtype=np.int32)


class _ShareTable:
    """One kind of term (unigrams or bigrams) of a share of documents, as flat columns: a few bytes a posting,
    made by C loops (`array.extend` over `map`, numpy), no Python code per word. Weights are made later, at once."""

    def __init__(self) -> None:
        self.ids = _TermIds()
        self.body: tuple[np.ndarray, np.ndarray, np.ndarray] = (_NO_POSTINGS, _NO_POSTINGS, _NO_POSTINGS)
        """(term, document, occurrences in the story text) per term of each story text."""
        self.meta = (array("i"), array("i"), array("d"))
        """(term, document, summed boost) per term of the name, places, summary and the like."""

    def add_meta(self, number: int, meta: Mapping[str, float]) -> None:
        terms, docs, boosts = self.meta
        terms.extend(map(self.ids.__getitem__, meta))
        docs.extend(repeat(number, len(meta)))
        boosts.extend(meta.values())

    def set_body(self, keys: np.ndarray, terms: np.ndarray) -> None:
        """The story texts' postings at once: `keys` sorted and distinct (a word's number, then the document, as
        `_body_keys` packs them) with their occurrences, `terms` this table's number of each word number."""
        keys, counts = np.unique(keys, return_counts=True)
        self.body = (
            terms[keys >> np.int64(_DOC_BITS)].astype(np.int32),
            (keys & np.int64((1 << _DOC_BITS) - 1)).astype(np.int32),
            counts.astype(np.int32),
        )


@dataclass(frozen=True)
class _Postings:
    """Every posting of one kind of term, sorted by term then document: `starts[i]:starts[i + 1]` are the
    postings of `terms[i]`, each a document number and a weight 1–255."""

    terms: list[str]
    starts: np.ndarray
    docs: np.ndarray
    weights: np.ndarray


def _quantise(meta: np.ndarray, tf: np.ndarray) -> np.ndarray:
    """Weight 1–255: saturating meta score (name, places, summary…) plus saturating, length-normalised story tf."""
    score = META_SHARE * meta / (meta + META_SATURATION) + (1 - META_SHARE) * tf / (tf + BODY_SATURATION)
    return np.clip(np.rint(255 * score), 1, 255).astype(np.uint8)


_DOC_BITS, _VALUE_BITS = 20, 19
"""A posting packed into one 64-bit key for sorting: term (the rest), document, meta flag, value."""
_BOOST_UNIT = 8
"""Meta boosts are summed as whole eighths, exactly (every boost above is a multiple of 1/8)."""
assert all(
    (boost * _BOOST_UNIT).is_integer()
    for boost in (BOOST_NAME, BOOST_PLACE, BOOST_TAG, BOOST_SUMMARY, BOOST_CONTEXT, BOOST_AWARD, BOOST_KIND)
)


@dataclass(frozen=True)
class _Raw:
    """Every posting of one kind of term before it is weighed: `key` is term << `_DOC_BITS` | document, ascending,
    with the term's occurrences in the story text and its summed meta boost (in eighths). What a build keeps of its
    postings for the next (`_update_part`): weights follow from these and the length factors alone."""

    names: list[str]
    key: np.ndarray
    count: np.ndarray
    boost: np.ndarray


def _raw_postings(shares: Sequence[_ShareTable]) -> _Raw:
    """The shares' columns under one numbering of terms (in sorted order), a story's mentions and its meta boost of
    one term joined into one posting, sorted by term then document.

    Each posting is packed into one integer whose order is (term, document, story before meta), so a single
    sort of plain integers puts everything in place, and a term's story and meta entries for one document meet.
    """
    numbers: dict[str, int] = {}
    for share in shares:
        for term in share.ids:
            numbers.setdefault(term, len(numbers))
    names = sorted(numbers)  # terms in the order they are encoded; their numbers follow that order
    if len(names) >= 1 << (64 - _DOC_BITS - 1 - _VALUE_BITS):
        raise ValueError("too many terms for the search index's packed postings")
    rank = np.empty(len(names), dtype=np.uint64)
    rank[[numbers[name] for name in names]] = np.arange(len(names), dtype=np.uint64)
    # Built in place, one share at a time: at 10,000 stories there are millions of postings, and a worker that
    # joins them must stay well under the build's memory limit.
    key = np.empty(sum(len(s.body[0]) + len(s.meta[0]) for s in shares), dtype=np.uint64)
    filled = 0
    for share in shares:
        renumber = rank[[numbers[term] for term in share.ids]] << np.uint64(_DOC_BITS + 1 + _VALUE_BITS)
        for (term, doc, value), meta in ((share.body, 0), (share.meta, 1)):
            part = key[filled : filled + len(term)]
            filled += len(term)
            if not len(part):
                continue
            values = np.frombuffer(value, dtype=np.float64 if meta else np.int32)
            if meta:
                values = np.rint(values * _BOOST_UNIT)
            if values.max() >= 1 << _VALUE_BITS:
                raise ValueError("a word occurs too often in one document for the search index")
            np.take(renumber, np.frombuffer(term, dtype=np.int32), out=part)
            part |= np.frombuffer(doc, dtype=np.int32).astype(np.uint64) << np.uint64(1 + _VALUE_BITS)
            part |= values.astype(np.uint64) | np.uint64(meta << _VALUE_BITS)
            del values
    key.sort()
    # Sorted, a document's story entry and meta entry for one term are neighbours, the story's first.
    posting = key >> np.uint64(1 + _VALUE_BITS)
    first = np.ones(len(key), dtype=bool)
    np.not_equal(posting[1:], posting[:-1], out=first[1:])
    posting = posting[first]
    at = np.flatnonzero(first)
    paired = np.zeros(len(at), dtype=bool)  # a story entry followed by the same posting's meta entry
    paired[:-1] = at[1:] - at[:-1] == 2
    if len(at):
        paired[-1] = len(key) - at[-1] == 2
    del first
    value_mask = np.uint64((1 << _VALUE_BITS) - 1)
    entry = key[at]
    is_meta = (entry >> np.uint64(_VALUE_BITS)) & np.uint64(1) == 1
    value = (entry & value_mask).astype(np.int32)
    del entry
    count = np.where(is_meta, 0, value).astype(np.int32)
    boost = np.where(is_meta, value, 0).astype(np.int32)
    del value, is_meta
    boost[paired] = (key[at[paired] + 1] & value_mask).astype(np.int32)
    del key, at, paired
    return _Raw(names, posting.astype(np.int64), count, boost)


def _weigh(raw: _Raw, length_factors: np.ndarray) -> _Postings:
    """Each posting's weight from its occurrences (over its story's length factor) and its meta boost."""
    term = raw.key >> np.int64(_DOC_BITS)
    doc = raw.key & np.int64((1 << _DOC_BITS) - 1)
    count = raw.count.astype(np.float64)
    count /= length_factors[doc]
    boost = raw.boost.astype(np.float64)
    boost /= _BOOST_UNIT
    weights = _quantise(boost, count)
    starts = np.searchsorted(term, np.arange(len(raw.names) + 1))
    return _Postings(raw.names, starts, doc, weights)


@dataclass(frozen=True)
class _Terms:
    """Every term of the index, encoded (`_encode_term`: its bytes in its shard, and in the shard's second piece),
    with how many documents hold each single word."""

    encoded: dict[str, tuple[bytes, bytes]]
    frequencies: dict[str, int]
    fragments: list[bytes]
    """What each result shows (`_fragment`), as JSON, in document order: encoded where the documents are read."""


LENGTH_STEPS_PER_DOUBLING = 8
"""The average story length used to normalise weights is rounded to one of 8 steps per doubling (9 % apart)."""


def _reference_length(average: float) -> float:
    """The average story length, rounded to a coarse step: an edit moves the true average by a hair, and if that
    hair reached the weights, every shard would change with any edited story (and a deploy would send them all).
    Rounded, it changes only when the collection's average itself moves by several per cent."""
    if average <= 1:
        return 1.0
    return float(2 ** (round(math.log2(average) * LENGTH_STEPS_PER_DOUBLING) / LENGTH_STEPS_PER_DOUBLING))


PIECE_CHARS = 8_000_000
"""Story text (about 3,600 stories) read, and postings joined, by one piece of the index's work at a time. At 100,000
stories the postings of the whole collection are gigabytes: the documents are read in pieces of about this size,
each piece's postings are spooled to disk cut into as many parts by term, and each part is joined on its own, so no
process holds more than a piece's postings (benchmarks/README.md, "Memory (issue 21)")."""


def _length_factors(lengths: Sequence[int], reference: float) -> np.ndarray:
    """Each story's length over the reference length, rounded to 1/32: a word corrected in a story leaves its
    factor, hence its weights and the shards that hold its other words, as they were."""
    return np.array([round(32 * (0.5 + 0.5 * length / reference)) / 32 for length in lengths], dtype=np.float64)


def _reference_of(lengths: Sequence[int]) -> float:
    # Story length in characters is close enough to words for length normalisation, and costs nothing.
    return _reference_length(sum(lengths) / max(1, sum(1 for n in lengths if n)))


def _encode_terms(
    documents: Sequence[SearchDocument],
    length_factors: np.ndarray,
    workers: int = 1,
    parts: Path | None = None,
    scratch: Path | None = None,
) -> tuple[_Terms, int]:
    """Read every document, then join and encode unigrams and bigrams; and into how many parts the terms were cut.
    With several workers each reads pieces of contiguous documents in a forked process, then each joins parts of
    the unigrams and bigrams (terms split by a hash); pieces are joined in document order, so the index is the same
    however it is cut or spread. Each part's postings before weighing go into `parts` when given (`_update_part`).
    The pieces' postings are spooled in a folder made in `scratch` (a build's working folder, engine/scratch.py,
    which the next build removes should this one be killed), else in the system's temporary folder."""
    if len(documents) >= 1 << _DOC_BITS:
        raise ValueError("too many documents for the search index's packed postings")
    count = max(1, min(workers, len(documents) // 500))  # forking pays only for a few hundred documents
    characters = sum(len(document.body) for document in documents)
    pieces = max(count, math.ceil(characters / PIECE_CHARS))
    shares = [(i, range(len(documents) * i // pieces, len(documents) * (i + 1) // pieces)) for i in range(pieces)]
    with tempfile.TemporaryDirectory(prefix="search-" if scratch else "exemplars-search-", dir=scratch) as folder:
        spool = Path(folder)
        fragments = fork_map(_index_shares, shares, shared=(documents, spool, pieces), workers=count)
        # The bigrams alone take longer than the unigrams: each worker takes parts of both kinds.
        tasks = [(kind, part) for part in range(pieces) for kind in (0, 1)]
        kinds = fork_map(_encode_kinds, tasks, shared=(spool, pieces, length_factors, parts), workers=count)
    encoded: dict[str, tuple[bytes, bytes]] = {}
    frequencies: dict[str, int] = {}
    for terms in kinds:
        encoded.update(terms.encoded)
        frequencies.update(terms.frequencies)
    return _Terms(encoded, frequencies, [fragment for share in fragments for fragment in share]), pieces


def _spooled_part(spool: Path, kind: int, share: int, part: int) -> Path:
    return spool / f"{kind}-{share}-{part}.pickle"


def _kept_part(parts: Path, kind: int, part: int) -> Path:
    return parts / f"{kind}-{part}.pickle"


def _encode_kinds(tasks: Sequence[tuple[int, int]]) -> list[_Terms]:
    """Each (kind, part): every piece's postings of that part read back from the spool (and removed), joined."""
    spool, pieces, length_factors, parts = shared()
    done = []
    for kind, part in tasks:
        tables = []
        for share in range(pieces):
            path = _spooled_part(spool, kind, share, part)
            tables.append(pickle.loads(path.read_bytes()))
            path.unlink()
        raw = _raw_postings(tables)
        del tables
        terms, forms = _encode_raw(raw, length_factors, kind == 0)
        if parts is not None:
            _save_part(_kept_part(parts, kind, part), raw, forms)
        done.append(terms)
    return done


def _term_part(table: _ShareTable, unigrams: bool, number: int, count: int) -> _ShareTable:
    """The table's postings of the terms in part `number` of `count`: a unigram goes by its folded form, so all
    its written forms land in one part."""
    if count == 1:
        return table
    keys = (FOLDS[term] if unigrams else term for term in table.ids)
    kept = np.fromiter((zlib.crc32(key.encode()) % count == number for key in keys), dtype=bool, count=len(table.ids))
    renumber = np.cumsum(kept, dtype=np.int32) - 1
    part = _ShareTable()
    for term, local in table.ids.items():
        if kept[local]:
            part.ids[term] = int(renumber[local])
    columns = []
    for terms, docs, values in (table.body, table.meta):
        term_numbers = np.frombuffer(terms, dtype=np.int32)
        mask = kept[term_numbers]
        value_type = np.float64 if isinstance(values, array) and values.typecode == "d" else np.int32
        columns.append(
            (
                renumber[term_numbers[mask]],
                np.frombuffer(docs, dtype=np.int32)[mask],
                np.frombuffer(values, dtype=value_type)[mask],
            )
        )
    part.body, part.meta = columns[0], columns[1]  # type: ignore[assignment]
    return part


def _encode_raw(raw: _Raw, length_factors: np.ndarray, unigrams: bool) -> tuple[_Terms, dict[str, list[int]]]:
    """Unigrams are grouped by folded form (`người` → `nguoi`), most frequent written form first; a bigram is
    its folded pair, with one unnamed form. Also each term's numbers in `raw.names` (its written forms)."""
    postings = _weigh(raw, length_factors)
    encoded = _Encoded(postings, pairs=not unigrams)
    terms: dict[str, list[_Variant]] = defaultdict(list)
    forms: dict[str, list[int]] = defaultdict(list)
    for number, written in enumerate(postings.terms):
        term = FOLDS[written] if unigrams else written
        terms[term].append((written if unigrams else "", encoded, number))
        forms[term].append(number)
    frequencies: dict[str, int] = {}
    for term, variants in terms.items():
        variants.sort(key=lambda variant: (-variant[1].count(variant[2]), variant[0]))
        if unigrams:
            frequencies[term] = _frequency(variants)
    result: dict[str, tuple[bytes, bytes]] = {}
    for term, variants in terms.items():
        out, rest = bytearray(), bytearray()
        _encode_term(term, variants, out, rest)
        result[term] = (bytes(out), bytes(rest))
    return _Terms(result, frequencies, []), forms


def _save_part(path: Path, raw: _Raw, forms: Mapping[str, list[int]]) -> None:
    """A part's postings before weighing, and each of its terms' written forms, for the next build."""
    path.write_bytes(pickle.dumps((raw, dict(forms)), pickle.HIGHEST_PROTOCOL))


def _moved(old: _Raw, new: _Raw, before: np.ndarray, after: np.ndarray) -> set[int]:
    """The terms (numbers) whose postings differ between `old` and `new`, weighed with the length factors `before`
    and `after`: a posting gone, come, or of another weight."""
    sides = []
    for raw, factors in ((old, before), (new, after)):
        weights = _weigh(raw, factors).weights.astype(np.int64)
        sides.append(set(zip(raw.key.tolist(), weights.tolist(), strict=True)))
    return {key >> _DOC_BITS for key, _ in sides[0] ^ sides[1]}


def _insert(
    raw: _Raw, forms: dict[str, list[int]], table: _ShareTable, unigrams: bool
) -> tuple[np.ndarray, np.ndarray, np.ndarray, _Raw]:
    """`raw`'s postings with those of `table` put in place (its new terms numbered after `raw.names`, which grows,
    as does `forms`): the key, count and boost columns, and the postings added under their numbers."""
    mask = np.int64((1 << _DOC_BITS) - 1)
    new = _raw_postings([table])
    if not new.names:
        return raw.key, raw.count, raw.boost, new
    numbers = {name: number for number, name in enumerate(raw.names)}
    ids = []
    for name in new.names:
        number = numbers.get(name)
        if number is None:
            number = len(raw.names)
            raw.names.append(name)
            forms.setdefault(FOLDS[name] if unigrams else name, []).append(number)
        ids.append(number)
    added = (np.array(ids, dtype=np.int64)[new.key >> np.int64(_DOC_BITS)] << np.int64(_DOC_BITS)) | (new.key & mask)
    order = np.argsort(added, kind="stable")
    at = np.searchsorted(raw.key, added[order])
    return (
        np.insert(raw.key, at, added[order]),
        np.insert(raw.count, at, new.count[order]),
        np.insert(raw.boost, at, new.boost[order]),
        _Raw([], added, new.count, new.boost),
    )


def _renumber_parts(tasks: Sequence[tuple[int, int]]) -> list[_Terms]:
    """Each kept (kind, part) with its documents renumbered (`remap`: old number → new, −1 for one gone), the
    postings of the documents read again put in, and every term encoded again (a story added or removed moves the
    numbers of those after it, newest first, so most lists change)."""
    parts, tables, remap, length_factors, pieces = shared()
    mask = np.int64((1 << _DOC_BITS) - 1)
    done = []
    for kind, part in tasks:
        path = _kept_part(parts, kind, part)
        raw, forms = pickle.loads(path.read_bytes())
        documents = remap[raw.key & mask]
        staying = documents >= 0
        key = ((raw.key[staying] >> np.int64(_DOC_BITS)) << np.int64(_DOC_BITS)) | documents[staying]
        moved = _Raw(raw.names, key, raw.count[staying], raw.boost[staying])
        key, count, boost, _ = _insert(moved, forms, _term_part(tables[kind], kind == 0, part, pieces), kind == 0)
        # Only the terms some document still holds, numbered anew.
        term = key >> np.int64(_DOC_BITS)
        present = np.unique(term)
        compact = _Raw(
            [moved.names[number] for number in present.tolist()],
            (np.searchsorted(present, term).astype(np.int64) << np.int64(_DOC_BITS)) | (key & mask),
            count,
            boost,
        )
        terms, forms = _encode_raw(compact, length_factors, kind == 0)
        _save_part(path, compact, forms)
        done.append(terms)
    return done


def _update_part(
    path: Path, table: _ShareTable, changed: np.ndarray, factors: tuple[np.ndarray, np.ndarray], unigrams: bool
) -> tuple[dict[str, tuple[bytes, bytes] | None], dict[str, int | None]]:
    """A kept part with the postings of the `changed` documents replaced by theirs in `table`, saved again; each
    term whose postings the change moved encoded anew (None: no document holds it any more), and its frequency
    (unigrams). `factors`: the documents' length factors before the change and after it.

    A term's bytes depend only on its own postings (documents and weights), and the other documents' weights stay
    as they were (`_kept_state` checks the reference length), so a term whose weight in the changed documents
    stayed the same keeps its bytes: a sentence added leaves most of a story's words where they were."""
    raw, forms = pickle.loads(path.read_bytes())
    before, after = factors
    mask = np.int64((1 << _DOC_BITS) - 1)
    dropped = np.isin(raw.key & mask, changed)
    if not dropped.any() and not table.ids:
        return {}, {}
    old = _Raw([], raw.key[dropped], raw.count[dropped], raw.boost[dropped])
    names: list[str] = raw.names
    kept = _Raw(names, raw.key[~dropped], raw.count[~dropped], raw.boost[~dropped])
    key, count, boost, added = _insert(kept, forms, table, unigrams)
    touched = _moved(old, added, before, after)
    terms = sorted({FOLDS[names[number]] if unigrams else names[number] for number in touched})
    numbers_of = np.array(sorted({number for term in terms for number in forms[term]}), dtype=np.int64)
    starts = np.searchsorted(key, numbers_of << np.int64(_DOC_BITS))
    ends = np.searchsorted(key, (numbers_of + 1) << np.int64(_DOC_BITS))
    present = ends > starts
    numbers_of, starts, ends = numbers_of[present], starts[present], ends[present]
    lengths = ends - starts
    at = np.repeat(starts - np.cumsum(lengths) + lengths, lengths) + np.arange(int(lengths.sum()))
    local = np.repeat(np.arange(len(numbers_of), dtype=np.int64), lengths)
    sub = _Raw(
        [names[number] for number in numbers_of.tolist()],
        (local << np.int64(_DOC_BITS)) | (key[at] & mask),
        count[at],
        boost[at],
    )
    encoded, _ = _encode_raw(sub, after, unigrams)
    _save_part(path, _Raw(names, key, count, boost), forms)
    frequencies: dict[str, int | None] = {term: encoded.frequencies.get(term) for term in terms} if unigrams else {}
    return {term: encoded.encoded.get(term) for term in terms}, frequencies


def _frequency(variants: list[_Variant]) -> int:
    """How many documents hold a word in any of its written forms."""
    if len(variants) == 1:
        return variants[0][1].count(variants[0][2])
    return len(np.unique(np.concatenate([postings.documents(n) for _, postings, n in variants])))


def _index_shares(shares: Sequence[tuple[int, range]]) -> list[list[bytes]]:
    """Each piece of documents read, its postings spooled cut into parts by term; its result fragments handed back."""
    documents, spool, pieces = shared()
    made = []
    for number, share in shares:
        for kind, table in enumerate(_index_share(documents, share)):
            for part in range(pieces):
                data = pickle.dumps(_term_part(table, kind == 0, part, pieces), pickle.HIGHEST_PROTOCOL)
                _spooled_part(spool, kind, number, part).write_bytes(data)
        made.append([_json(_fragment(documents[n])) for n in share])
    return made


def _index_share(
    documents: Sequence[SearchDocument] | Mapping[int, SearchDocument], share: Sequence[int]
) -> tuple[_ShareTable, _ShareTable]:
    """Unigrams keyed by written form (the folded form follows from it), bigrams by their folded pair, of the
    documents numbered in `share` (ascending).

    A story text is read as word numbers (one C loop over the words), and its postings (which word, how often,
    which consecutive pairs) are counted for the whole share at once, with numpy: millions of words at 10,000
    stories, which `Counter`s of strings took seconds to count.
    """
    unigrams, bigrams = _ShareTable(), _ShareTable()
    body_words, lengths = array("i"), array("q")
    for number in share:
        document = documents[number]
        meta_unigrams: dict[str, float] = defaultdict(float)
        meta_bigrams: dict[str, float] = defaultdict(float)
        for boost, text in document.meta:
            folded, written = words(text)
            for word in written:
                meta_unigrams[word] += boost
            for pair in map(" ".join, pairwise(folded)):
                meta_bigrams[pair] += boost
        written = TOKEN.findall(nfc(document.body).lower())
        body_words.extend(map(unigrams.ids.__getitem__, written))
        lengths.append(len(written))
        unigrams.add_meta(number, meta_unigrams)
        bigrams.add_meta(number, meta_bigrams)
    word = np.frombuffer(body_words, dtype=np.int32).astype(np.int64)
    doc = np.repeat(np.array(share, dtype=np.int64), np.frombuffer(lengths, dtype=np.int64))
    unigrams.set_body((word << np.int64(_DOC_BITS)) | doc, np.arange(len(unigrams.ids), dtype=np.int32))
    # Bigrams: consecutive words of one story, by the numbers of their folded forms.
    folded_ids = _TermIds()
    folded_names = [FOLDS[written] for written in unigrams.ids]
    folded_of = np.fromiter(map(folded_ids.__getitem__, folded_names), dtype=np.int64, count=len(folded_names))
    folded = folded_of[word]
    same_story = doc[1:] == doc[:-1]
    width = max(1, len(folded_ids))
    if width**2 >= 1 << (63 - _DOC_BITS):
        raise ValueError("too many distinct words for the search index's packed postings")
    # Each posting keyed (pair code, document), sorted and counted once; its pair code's bigram number follows
    # from where the codes change, with no second sort.
    pair = (folded[:-1] * np.int64(width) + folded[1:])[same_story]
    keys, counts = np.unique((pair << np.int64(_DOC_BITS)) | doc[1:][same_story], return_counts=True)
    del pair
    codes = keys >> np.int64(_DOC_BITS)
    new_code = np.ones(len(codes), dtype=bool)
    np.not_equal(codes[1:], codes[:-1], out=new_code[1:])
    names = list(folded_ids)
    pair_terms = np.fromiter(
        (bigrams.ids[f"{names[code // width]} {names[code % width]}"] for code in codes[new_code].tolist()),
        dtype=np.int32,
        count=int(new_code.sum()),
    )
    bigrams.body = (
        pair_terms[np.cumsum(new_code) - 1],
        (keys & np.int64((1 << _DOC_BITS) - 1)).astype(np.int32),
        counts.astype(np.int32),
    )
    return unigrams, bigrams


def fnv1a(text: str) -> int:
    """32-bit FNV-1a of the UTF-8 bytes: the shard of a term, computed identically by the client."""
    value = 0x811C9DC5
    for byte in text.encode("utf-8"):
        value = ((value ^ byte) * 0x01000193) & 0xFFFFFFFF
    return value


def _varint(value: int, out: bytearray) -> None:
    while value >= 0x80:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)


def _string(text: str, out: bytearray) -> None:
    encoded = text.encode("utf-8")
    _varint(len(encoded), out)
    out += encoded


def _deltas(docs: list[int], out: bytearray) -> None:
    """Ascending numbers as varint gaps; a dense list (every gap < 128) is one byte a gap, encoded at C speed."""
    if not docs:
        return
    gaps = [docs[0], *map(sub, docs[1:], docs[:-1])]
    if max(gaps) < 0x80:
        out += bytes(gaps)
        return
    for gap in gaps:
        if gap < 0x80:
            out.append(gap)
        else:
            _varint(gap, out)


def _varints(values: np.ndarray) -> tuple[bytes, np.ndarray]:
    """Every value as a varint (as `_varint` writes it), at once: the bytes, and where each value's bytes start."""
    values = values.astype(np.uint64)
    sizes = np.ones(len(values), dtype=np.int64)
    for bits in (7, 14, 21, 28, 35):
        sizes += values >= (1 << bits)
    offsets = np.zeros(len(values) + 1, dtype=np.int64)
    np.cumsum(sizes, out=offsets[1:])
    out = np.zeros(int(offsets[-1]), dtype=np.uint8)
    for index in range(int(sizes.max(initial=0))):
        has = sizes > index
        more = (sizes[has] > index + 1).astype(np.uint64) << np.uint64(7)
        out[offsets[:-1][has] + index] = ((values[has] >> np.uint64(7 * index)) & np.uint64(0x7F)) | more
    return out.tobytes(), offsets


class _Encoded:
    """One kind of postings as the index stores them, encoded for all terms at once: a term's part is then two
    slices (its document gaps as varints, its weights)."""

    def __init__(self, postings: _Postings, pairs: bool = False) -> None:
        self.postings = postings
        self.pairs = pairs
        """Bigrams: they only rank what the words found, so a long list's first piece need not hold every document."""
        starts, docs = postings.starts, postings.docs
        gaps = docs.copy()
        gaps[1:] -= docs[:-1]
        gaps[starts[:-1][starts[:-1] < len(docs)]] = docs[starts[:-1][starts[:-1] < len(docs)]]
        self.gaps, self.offsets = _varints(gaps)
        self.weights = postings.weights.tobytes()

    def count(self, term: int) -> int:
        return int(self.postings.starts[term + 1] - self.postings.starts[term])

    def documents(self, term: int) -> np.ndarray:
        return self.postings.docs[self.postings.starts[term] : self.postings.starts[term + 1]]

    def write(self, term: int, out: bytearray, rest: bytearray) -> None:
        """count and layout, documents, weights (`_encode_term`): the smallest of the layouts, each exact. A list of
        `TIER_MIN_POSTINGS` or more writes the weights of its best tier only (`_write_tiers`), the others into
        `rest`, the shard's second piece; a pair's list of `PAIR_TIER_MIN_POSTINGS` or more writes only its best
        tier's documents and weights, the others' into `rest` (`_write_pair_tiers`)."""
        start, end = int(self.postings.starts[term]), int(self.postings.starts[term + 1])
        count = end - start
        gaps = self.gaps[self.offsets[start] : self.offsets[end]]
        if count < LAYOUT_MIN_POSTINGS:
            _varint(count << 7, out)
            out += gaps
            out += self.weights[start:end]
            return
        docs = self.postings.docs[start:end]
        weights = self.postings.weights[start:end]
        if self.pairs and count >= PAIR_TIER_MIN_POSTINGS:
            _varint(count << 7 | 1 << 5, out)
            _write_pair_tiers(docs, weights, out, rest)
            return
        layout, encoded = _documents(docs, gaps)
        if count >= TIER_MIN_POSTINGS:
            _varint(count << 7 | 1 << 4 | layout, out)
            out += encoded
            _write_tiers(weights, out, rest)
            return
        palette, codes, bits = _palette(weights)
        packed = palette is not None and len(palette) + len(codes) < count
        _varint(count << 7 | layout | (bits + 1 if packed else 0), out)
        out += encoded
        if packed and palette is not None:
            out += palette
            out += codes
        else:
            out += self.weights[start:end]


def _write_weights(weights: np.ndarray, out: bytearray) -> None:
    """Weights on their own: 0 then one byte each, or 1 + bits then a palette and places (`_palette`)."""
    palette, codes, bits = _palette(weights)
    if palette is not None and len(palette) + len(codes) < len(weights):
        _varint(bits + 1, out)
        out += palette
        out += codes
    else:
        _varint(0, out)
        out += weights.astype(np.uint8).tobytes()


def _best_tier(weights: np.ndarray) -> np.ndarray:
    """Which postings are in the best tier: those of the highest weights, at most one in `TIER_SHARE`. The tier is
    cut at a weight, so that every posting left out weighs less than every one kept."""
    values, counts = np.unique(weights, return_counts=True)
    above = np.cumsum(counts[::-1])[::-1]  # postings weighing each value or more
    fits = np.flatnonzero(above <= len(weights) // TIER_SHARE)
    cut = int(values[fits[0]]) if len(fits) else 256
    return weights >= cut


def _write_tiers(weights: np.ndarray, out: bytearray, rest: bytearray) -> None:
    """The best tier into the shard: how many, their places in the list (gaps), the highest weight left out (what
    any other posting may weigh at most, which lets a client rank without it), their weights; the other weights,
    in list order, into `rest`."""
    best = _best_tier(weights)
    places = np.flatnonzero(best)
    _varint(len(places), out)
    _deltas(places.tolist(), out)
    _varint(int(weights[~best].max(initial=0)), out)
    _write_weights(weights[best], out)
    _write_weights(weights[~best], rest)


def _write_pair_tiers(docs: np.ndarray, weights: np.ndarray, out: bytearray, rest: bytearray) -> None:
    """A pair's best tier into the shard: how many, their documents (gaps), the highest weight left out, their
    weights; the other documents (gaps or a bitmap, after a 0 or a 1) and their weights into `rest`.

    A pair only ranks the documents its words found (the count is the words'), so until `rest` is fetched a client
    takes any document outside the tier to hold the pair at that highest weight: the first ten are told from the
    tier alone when it is enough, without a common pair's every document (a bitmap of 12 kB at 100,000 stories)."""
    best = _best_tier(weights)
    _varint(int(best.sum()), out)
    _deltas(docs[best].tolist(), out)
    _varint(int(weights[~best].max(initial=0)), out)
    _write_weights(weights[best], out)
    gaps = bytearray()  # a tier is at most one in `TIER_SHARE`: some documents are always left out
    _deltas(docs[~best].tolist(), gaps)
    layout, encoded = _documents(docs[~best], bytes(gaps))
    _varint(layout, rest)
    rest += encoded
    _write_weights(weights[~best], rest)


LAYOUT_MIN_POSTINGS = 16
"""Posting lists shorter than this keep the plain layout (gaps and one byte a weight): packing them saves nothing."""
TIER_MIN_POSTINGS = 4_096
"""A posting list this long keeps in its shard every document but the weights of its best tier only (`TIER_SHARE`):
the rest of its weights are in the shard's second piece, `search/w/`, fetched only when the first ten results
cannot be told without them, or when the reader asks for more. At 100,000 profiles a common folded word (`nguyen`) is
in tens of thousands of stories, and its weights were most of a first search (benchmarks/README.md)."""
TIER_SHARE = 16
"""The best tier: the postings of the highest weights, at most one in this many of the list. At 100,000 stories one
in sixteen rather than eight: the first search's median 279 -> 236 kB, though "thanh hoa" and 4 other queries of 20
then fetch second pieces (benchmarks/README.md, "Eighth session: search")."""
PAIR_TIER_MIN_POSTINGS = 4_096
"""A pair's posting list this long keeps in its shard only its best tier, documents and weights
(`_write_pair_tiers`)."""
OWN_PIECE_BYTES = 1_000
"""A term whose bytes in its shard reach this is a piece of its own (`s/<shard>-<k>`), which the shard names: a
query fetching a rare word then no longer fetches the common words beside it, nor one fetching a common word the
others (benchmarks/README.md, "Eighth session: search")."""


def _documents(docs: np.ndarray, gaps: bytes) -> tuple[int, bytes]:
    """A list's documents in the smallest of three layouts, with its layout bits (`_encode_term`): their gaps (0); a
    bitmap (8); or, for a word in nearly every story, the span from the first to the last and the few documents of
    it that do not hold the word (64: `_complement`). At 100,000 stories a bitmap is 12 kB, the complement of a word
    found in every story a few bytes."""
    choices = [(0, gaps), (8, _bitmap(docs))]
    span = int(docs[-1] - docs[0]) + 1
    if 2 * len(docs) > span:
        choices.append((64, _complement(docs, span)))
    return min(choices, key=lambda choice: len(choice[1]))


def _complement(docs: np.ndarray, span: int) -> bytes:
    """The first document, the span, how many documents of the span are left out, and their gaps from the first."""
    left_out = np.ones(span, dtype=bool)
    left_out[docs - docs[0]] = False
    missing = np.flatnonzero(left_out)
    out = bytearray()
    _varint(int(docs[0]), out)
    _varint(span, out)
    _varint(len(missing), out)
    _deltas(missing.tolist(), out)
    return bytes(out)


def _bitmap(docs: np.ndarray) -> bytes:
    """Documents as the first one and a bit per document after it (least significant bit first): 1 bit a document
    where a common word's gaps take a byte each."""
    first, span = int(docs[0]), int(docs[-1] - docs[0]) + 1
    bits = np.zeros((span + 7) // 8 * 8, dtype=np.uint8)
    bits[docs - first] = 1
    out = bytearray()
    _varint(first, out)
    _varint(len(bits) // 8, out)
    return bytes(out) + np.packbits(bits, bitorder="little").tobytes()


def _palette(weights: np.ndarray) -> tuple[bytes | None, bytes, int]:
    """Weights as a palette of their distinct values (its length, then the values) and each weight's place in it
    in `bits` bits, least significant first: a word's weights take a few dozen values (how often it occurs, how
    long the story is), 6 bits where they took 8, and a word in most stories' meta fields fewer. None when the
    palette would need more than 6 bits."""
    values = np.unique(weights)
    bits = max(0, len(values) - 1).bit_length()
    if bits > 6:
        return None, b"", 8
    out = bytearray()
    _varint(len(values), out)
    out += values.astype(np.uint8).tobytes()
    if not bits:
        return bytes(out), b"", 0
    codes = np.searchsorted(values, weights).astype(np.uint8)
    planes = (codes[:, None] >> np.arange(bits, dtype=np.uint8)) & 1
    return bytes(out), np.packbits(planes.ravel(), bitorder="little").tobytes(), bits


_Variant = tuple[str, _Encoded, int]
"""(written form, its postings, its number among them); a bigram's written form is ""."""


def _encode_term(term: str, variants: list[_Variant], out: bytearray, rest: bytearray) -> None:
    """term, then per written form: form ("" when it is the term itself), its postings (`_Encoded.write`).

    A form's postings start with one number, count × 128 + layout: layout bits 3 and 6 say whether the documents
    are gaps (varints), a bitmap (bit 3, `_bitmap`) or a span but a few (bit 6, `_complement`); bit 4 that only the
    best tier's weights follow (`_write_tiers`), the others being in `rest`; bit 5 (a pair) that only the best
    tier's documents and weights follow (`_write_pair_tiers`); else bits 0–2 are 0 for one byte a weight, or 1 +
    the bits of each weight's place in a palette (`_palette`). A term of no written forms is in a piece of its own,
    whose number and hash follow."""
    _string(term, out)
    _varint(len(variants), out)
    for written, postings, number in variants:
        _string("" if written == term else written, out)
        postings.write(number, out, rest)


def _shard_count(documents: int) -> int:
    """Shards for a collection of `documents`: a power of two near `SHARDS_PER_ROOT` × √documents.

    A query fetches one shard per word and pair, each about 1/shards of the index, and the manifest lists one hash
    per shard: the index grows as N, so shards near √N keep both in balance (benchmarks/README.md, "Search"). Counted
    from documents, not bytes, so an edited story never changes the number of shards (nor every piece with it).
    """
    wanted = min(SHARDS_PER_ROOT * math.sqrt(max(1, documents)), max(1, documents / 2))  # small sites: few shards
    return min(MAX_SHARDS, 1 << max(0, round(math.log2(wanted))))


def _dictionary(frequencies: Mapping[str, int]) -> dict[str, list[tuple[str, int]]]:
    """Completions of a word being typed, by its first two letters: single words only, most frequent first."""
    by_prefix: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for term, frequency in frequencies.items():
        if len(term) < 2 or term.isdigit():
            continue
        by_prefix[prefix_key(term)].append((term, frequency))
    return {
        key: sorted(items, key=lambda item: (-item[1], item[0]))[:DICTIONARY_LIMIT] for key, items in by_prefix.items()
    }


def prefix_key(term: str) -> str:
    """File name of a word's dictionary page: its first two letters, anything but a-z0-9 as `_`."""
    return re.sub(r"[^a-z0-9]", "_", term[:2])


def _fragment(document: SearchDocument) -> dict[str, object]:
    fragment: dict[str, object] = {"u": document.url, "t": document.title, "k": document.kind, "s": document.summary}
    optional = {
        "f": list(document.fields),
        "p": document.place,
        "r": document.former_place,
        "d": document.date,
        "i": document.thumbnail,
        "b": document.excerpt if document.excerpt is not None else excerpt_source(document),
        "m": 1 if document.sample else 0,
    }
    fragment.update({key: value for key, value in optional.items() if value})
    return fragment


def _facet_values(facets: Sequence[tuple[tuple[str, str], ...]]) -> dict[str, dict[str, list[int]]]:
    members: dict[str, dict[str, list[int]]] = {facet: defaultdict(list) for facet, _ in FACETS}
    for number, pairs in enumerate(facets):
        for facet, value in sorted(set(pairs)):
            members[facet][value].append(number)
    return members


def _facet_options(
    catalogue: Catalogue, facet: str, members: Mapping[str, list[int]], kinds: Sequence[str]
) -> list[list[object]]:
    """[value, Vietnamese name, count] per option. Counts are of stories, what a reader filters for (a kind counts
    its own pages); values without a story are left out, though filtering keeps a province's or a field's own page."""
    options: list[list[object]] = []
    for value, name in _facet_labels(catalogue, facet, members):
        docs = members[value]
        count = len(docs) if facet == "loai" else sum(1 for n in docs if kinds[n] in KINDS)
        if count:
            options.append([value, name, count])
    return options


def _facet_labels(catalogue: Catalogue, facet: str, values: Iterable[str]) -> list[tuple[str, str]]:
    """Filter values in the order a reader looks for them, each with its Vietnamese name."""
    if facet == "linh-vuc":
        return sorted(((v, catalogue.fields[v].name) for v in values), key=lambda item: vi_sort_key(item[1]))
    if facet == "tinh":
        return sorted(((v, catalogue.provinces[v].name) for v in values), key=lambda item: vi_sort_key(item[1]))
    if facet == "loai":
        labels = {**KINDS, **OTHER_KINDS}
        return [(v, label) for v, label in labels.items() if v in set(values)]
    return [(v, v) for v in sorted(values, reverse=True)]


def _json(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=False).encode("utf-8")


def piece_hash(payload: bytes) -> str:
    """A piece's version: the first `HASH_CHARS` of its payload's SHA-256 in URL-safe base64 (36 bits)."""
    return base64.urlsafe_b64encode(hashlib.sha256(payload).digest()).decode("ascii")[:HASH_CHARS]


def document_key(document: SearchDocument) -> bytes:
    """What a kept index knows a document by (`build_search_index`): the digest of its pickle."""
    return hashlib.blake2b(pickle.dumps(document, pickle.HIGHEST_PROTOCOL), digest_size=16).digest()


_STATE = "index.pickle"
_PARTS = "parts"
CHANGED_SHARE = 100
CHANGED_MIN = 8
"""A kept index is brought up to date when at most one document in `CHANGED_SHARE` (or `CHANGED_MIN`) is new, and
as many gone; more, and it is built anew (the work per changed document is then most of a fresh build's). A story
added also changes the counts its fields' and its province's pages show."""


@dataclass
class _State:
    """What a build keeps of its index for the next (`build_search_index` with `kept`), besides each part's
    postings before weighing (`_update_part`): whatever it was made from besides the documents' keys is in
    `stamp` (`_stamp`: the code)."""

    stamp: bytes
    keys: list[bytes]
    lengths: list[int]
    reference: float
    pieces: int
    fragments: list[bytes]
    facets: list[tuple[tuple[str, str], ...]]
    kinds: list[str]
    frequencies: dict[str, int]
    shards: list[dict[str, tuple[bytes, bytes]]]
    """Each shard's terms, encoded (`_encode_term`)."""
    shard_files: list[dict[str, bytes]]
    shard_hashes: list[str]


@functools.cache
def _stamp() -> bytes:
    """The code a kept index was made by: this module's imports (the folding of words among them) and the libraries
    that encode it (NumPy: `engine.codestamp`)."""
    return code_stamp(__name__)


def _fresh_state(
    documents: Sequence[SearchDocument],
    keys: Sequence[bytes],
    workers: int,
    parts: Path | None,
    scratch: Path | None = None,
) -> _State:
    """Every document read, every term encoded."""
    lengths = [len(document.body) for document in documents]
    reference = _reference_of(lengths)
    terms, pieces = _encode_terms(documents, _length_factors(lengths, reference), workers, parts, scratch)
    shards: list[dict[str, tuple[bytes, bytes]]] = [{} for _ in range(_shard_count(len(documents)))]
    # Each stage takes its bytes from the one before (pop), so the index is held about once.
    for term in sorted(terms.encoded):
        shards[fnv1a(term) % len(shards)][term] = terms.encoded.pop(term)
    state = _State(
        _stamp(),
        list(keys),
        lengths,
        reference,
        pieces,
        terms.fragments,
        [document.facets for document in documents],
        [document.kind for document in documents],
        terms.frequencies,
        shards,
        [{} for _ in shards],
        ["" for _ in shards],
    )
    for shard in range(len(shards)):
        _write_shard(state, shard)
    return state


def _write_shard(state: _State, shard: int) -> None:
    """A shard's files from its terms: the shard, its terms of `OWN_PIECE_BYTES` or more each in a piece of its own
    (`s/<shard>-<k>`, which the shard names), and each piece's second piece (the weights, and a pair's documents,
    that its long lists leave out)."""
    files: dict[str, bytes] = {}
    entries: list[tuple[bytes, bytes]] = []
    terms = state.shards[shard]
    own = 0
    for term in sorted(terms):
        kept, left = terms[term]
        if len(kept) < OWN_PIECE_BYTES:
            entries.append((kept, left))
            continue
        named = bytearray()  # no written forms here: the number and hash of the term's own piece
        _string(term, named)
        _varint(0, named)
        _varint(own, named)
        _string(_write_piece(files, f"{shard}-{own}", [(kept, left)]), named)
        entries.append((bytes(named), b""))
        own += 1
    state.shard_hashes[shard] = _write_piece(files, str(shard), entries)
    state.shard_files[shard] = files


def _write_piece(files: dict[str, bytes], name: str, entries: Sequence[tuple[bytes, bytes]]) -> str:
    """A piece of terms (`s/<name>`: their count, then each term's bytes) and its second piece (`w/<name>`, what
    their long lists leave out, in the same order), which it names first ("" when none); its hash."""
    body, rest = bytearray(), bytearray()
    _varint(len(entries), body)
    for kept, left in entries:
        body += kept
        rest += left
    out = bytearray()
    _string(_binary(files, f"w/{name}", bytes(rest)) if rest else "", out)
    return _binary(files, f"s/{name}", bytes(out + body))


def _binary(files: dict[str, bytes], piece: str, payload: bytes) -> str:
    version = piece_hash(payload)
    files[f"search/{piece}.{version}.bin"] = FORMAT + version.encode("ascii") + payload
    return version


def _kept_state(
    kept: Path, documents: Sequence[SearchDocument], keys: Sequence[bytes], workers: int = 1
) -> tuple[_State, bool] | None:
    """The last build's index with the documents whose key is new read again, or None when it cannot be (none
    kept, another version of this module, too many documents new or gone, or the kept ones in another order); and
    whether anything changed.

    Documents changed in place (an officer's correction) have their terms encoded again where their postings moved
    (`_update_part`); documents added or removed renumber those after them, and every term is encoded again from
    the kept postings (`_renumber_parts`), as is every term when the reference length moved (every weight with it).
    Either way no other document is read again."""
    try:
        state: _State = pickle.loads((kept / _STATE).read_bytes())
    except Exception:  # none yet, or unreadable: built anew
        return None
    if state.stamp != _stamp():
        return None
    if len(state.keys) == len(keys) and all(map(operator.eq, state.keys, keys)):
        return state, False
    was = {key: number for number, key in enumerate(state.keys)}
    old_of = [was.get(key, -1) for key in keys]
    matched = [old for old in old_of if old >= 0]
    if len(was) != len(state.keys) or any(later <= earlier for earlier, later in pairwise(matched)):
        return None  # two documents alike (known by place only), or documents moved
    changed = [number for number, old in enumerate(old_of) if old < 0]
    if max(len(changed), len(state.keys) - len(matched)) > max(CHANGED_MIN, len(keys) // CHANGED_SHARE):
        return None
    read = {number: documents[number] for number in changed}
    lengths = [state.lengths[old] if old >= 0 else len(read[number].body) for number, old in enumerate(old_of)]
    reference = _reference_of(lengths)
    # The parts change below: a build stopped midway leaves no state to trust, and the next builds anew.
    (kept / _STATE).unlink()
    tables = _index_share(read, changed)
    in_place = len(keys) == len(state.keys) and all(old in (number, -1) for number, old in enumerate(old_of))
    if in_place and reference == state.reference:
        _update_terms(state, kept, tables, changed, lengths)
    else:
        _renumber_terms(state, kept, tables, old_of, lengths, reference, workers)
    state.fragments = [
        state.fragments[old] if old >= 0 else _json(_fragment(read[number])) for number, old in enumerate(old_of)
    ]
    state.facets = [state.facets[old] if old >= 0 else read[number].facets for number, old in enumerate(old_of)]
    state.kinds = [state.kinds[old] if old >= 0 else read[number].kind for number, old in enumerate(old_of)]
    state.keys, state.lengths, state.reference = list(keys), lengths, reference
    return state, True


def _update_terms(
    state: _State, kept: Path, tables: Sequence[_ShareTable], changed: list[int], lengths: list[int]
) -> None:
    """The `changed` documents' postings replaced in every kept part, the terms whose postings moved encoded
    again and their shards made again."""
    factors = (_length_factors(state.lengths, state.reference), _length_factors(lengths, state.reference))
    documents_changed = np.array(changed, dtype=np.int64)
    touched: dict[str, tuple[bytes, bytes] | None] = {}
    for kind, table in enumerate(tables):
        for part in range(state.pieces):
            path = _kept_part(kept / _PARTS, kind, part)
            terms, frequencies = _update_part(
                path, _term_part(table, kind == 0, part, state.pieces), documents_changed, factors, kind == 0
            )
            touched.update(terms)
            for term, frequency in frequencies.items():
                if frequency is None:
                    state.frequencies.pop(term, None)
                else:
                    state.frequencies[term] = frequency
    dirty = set()
    for term, encoded in touched.items():
        shard = fnv1a(term) % len(state.shards)
        dirty.add(shard)
        if encoded is None:
            state.shards[shard].pop(term, None)
        else:
            state.shards[shard][term] = encoded
    for shard in sorted(dirty):
        _write_shard(state, shard)


def _renumber_terms(
    state: _State,
    kept: Path,
    tables: Sequence[_ShareTable],
    old_of: list[int],
    lengths: list[int],
    reference: float,
    workers: int,
) -> None:
    """Every kept part renumbered (`_renumber_parts`, spread over `workers`), every term and shard made again."""
    remap = np.full(len(state.keys), -1, dtype=np.int64)
    for number, old in enumerate(old_of):
        if old >= 0:
            remap[old] = number
    length_factors = _length_factors(lengths, reference)
    tasks = [(kind, part) for part in range(state.pieces) for kind in (0, 1)]
    context = (kept / _PARTS, tables, remap, length_factors, state.pieces)
    count = max(1, min(workers, len(old_of) // 500))
    encoded: dict[str, tuple[bytes, bytes]] = {}
    state.frequencies = {}
    for terms in fork_map(_renumber_parts, tasks, shared=context, workers=count):
        encoded.update(terms.encoded)
        state.frequencies.update(terms.frequencies)
    state.shards = [{} for _ in range(_shard_count(len(old_of)))]
    for term in sorted(encoded):
        state.shards[fnv1a(term) % len(state.shards)][term] = encoded.pop(term)
    state.shard_files = [{} for _ in state.shards]
    state.shard_hashes = ["" for _ in state.shards]
    for shard in range(len(state.shards)):
        _write_shard(state, shard)


def build_search_index(
    catalogue: Catalogue,
    documents: Sequence[SearchDocument],
    workers: int = 1,
    kept: Path | None = None,
    keys: Sequence[bytes] | None = None,
    scratch: Path | None = None,
) -> SearchIndex:
    """Every file of the index; identical input gives byte-identical files.

    Each piece is named by the hash of its own payload (`s/12.<hash>.bin`, which it also carries after `FORMAT`,
    or as `v` beside the value `x` of a JSON piece), and the manifest, the one file fetched fresh, lists every
    piece's hash (those of shards and result groups through tables of hashes, themselves pieces): an unchanged
    piece keeps its name and bytes from one build to the next (a deploy does not send it again, a browser keeps it
    cached for good), and a browser can only ever fetch the pieces of the manifest it holds; one deleted since (a
    newer deploy) answers 404, and the client fetches the manifest again.

    `documents` may be read from disk as they are needed (a build's are spooled by the story workers): they are read
    in order, a few times over, never all held at once here. With `kept` (a folder) and `keys` (each document's
    `document_key`), the index is kept there between builds, and a build where a few documents are new, changed or
    gone reads only those (`_kept_state`): a story corrected costs 0.7 s of CPU at 10,000 stories, 8 s otherwise.
    The files are the same either way (tests/test_search_edit.py). `scratch`: the build's working folder, for the
    postings of a fresh index (`_encode_terms`).
    """
    if kept is None or keys is None:
        return _index_files(catalogue, _fresh_state(documents, [], workers, None, scratch))
    found = _kept_state(kept, documents, keys, workers)
    if found is None:
        shutil.rmtree(kept, ignore_errors=True)
        (kept / _PARTS).mkdir(parents=True)
        found = _fresh_state(documents, keys, workers, kept / _PARTS, scratch), True
    state, changed = found
    files = _index_files(catalogue, state)
    if changed:
        # Streamed, not made as one bytes object first: at 100,000 stories the state is some 300 MB.
        temporary = kept / f".{_STATE}.{os.getpid()}.tmp"
        with temporary.open("wb") as stream:
            pickle.dump(state, stream, pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, kept / _STATE)
    return files


def _index_files(catalogue: Catalogue, state: _State) -> SearchIndex:
    files: dict[str, bytes] = {}

    def binary(piece: str, payload: bytes) -> str:
        return _binary(files, piece, payload)

    def text(piece: str, value: bytes) -> str:
        version = piece_hash(value)
        files[f"search/{piece}.{version}.json"] = b'{"v":"' + version.encode("ascii") + b'","x":' + value + b"}"
        return version

    for shard_files in state.shard_files:
        files.update(shard_files)

    def tables(folder: str, hashes: Sequence[str], size: int) -> list[str]:
        """Hashes of pieces `size` to a table that is itself a piece; the manifest lists only the tables' hashes."""
        return [
            text(f"{folder}/{start // size}", _json("".join(hashes[start : start + size])))
            for start in range(0, len(hashes), size)
        ]

    shards = len(state.shards)
    shard_tables = tables("h", state.shard_hashes, SHARDS_PER_TABLE)
    members = _facet_values(state.facets)
    facet_hashes: dict[tuple[str, str], str] = {}
    for facet, values in members.items():
        for value, docs in values.items():
            out = bytearray()
            _varint(len(docs), out)
            _deltas(docs, out)
            facet_hashes[facet, value] = binary(f"f/{facet}/{value}", bytes(out))
    completions = {
        key: text(f"t/{key}", _json([list(item) for item in items]))
        for key, items in sorted(_dictionary(state.frequencies).items())
    }
    group_hashes = []
    for start in range(0, len(state.fragments), DOCUMENTS_PER_FILE):
        group = state.fragments[start : start + DOCUMENTS_PER_FILE]
        group_hashes.append(text(f"d/{start // DOCUMENTS_PER_FILE}", b"[" + b",".join(group) + b"]"))
    # At 100,000 profiles, 25,000 groups would be 150 kB of manifest in every first search.
    table_hashes = tables("i", group_hashes, GROUPS_PER_TABLE)

    facets = [
        {
            "id": facet,
            "label": label,
            "values": [
                [*option, facet_hashes[facet, str(option[0])]]
                for option in _facet_options(catalogue, facet, members[facet], state.kinds)
            ],
        }
        for facet, label in FACETS
    ]
    manifest: dict[str, object] = {
        "format": FORMAT.decode(),
        "n": len(state.kinds),
        "k": shards,
        "g": DOCUMENTS_PER_FILE,
        "w": HASH_CHARS,
        "j": SHARDS_PER_TABLE,
        "s": "".join(shard_tables),
        "i": GROUPS_PER_TABLE,
        "d": "".join(table_hashes),
        "t": completions,
        "facets": facets,
    }
    version = piece_hash(_json(manifest))
    files["search/index.json"] = _json({"v": version, **manifest})
    return SearchIndex(dict(sorted(files.items())), version, len(state.kinds), shards)
