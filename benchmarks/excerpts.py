"""What a result's excerpt loses when it is cut from a few of the story's sentences (`excerpt_source`) instead of
the first 6,000 characters of the story: for each of the 20 queries of `benchmarks/search.py`, every story that
holds all the query's words (a result) but whose summary shows none of them (so the result shows an excerpt) and
whose text holds some, the number of
distinct query words in the best passage, found as `search.js` finds it (the window of 25 words holding the most
distinct query words).

    python -m benchmarks.excerpts DOCUMENTS

DOCUMENTS: the pickle `benchmarks/first_search.py --documents` writes (the catalogue and every search document).
"""

from __future__ import annotations

import argparse
import pickle
from collections import Counter
from pathlib import Path

from build_tools.site.search_documents import excerpt_source, words

from .search import QUERIES

WINDOW = 25
"""Words the client looks across for the densest cluster of query words (`excerpt` in search.js)."""
OLD_CHARS = 6_000


def shown(text: str, query: set[str]) -> int:
    """Distinct query words in the best window of the text, as the client picks it."""
    folded = words(text)[0]
    best = 0
    for start, word in enumerate(folded):
        if word in query:
            best = max(best, len(query.intersection(folded[start : start + WINDOW])))
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("documents", type=Path)
    args = parser.parse_args()
    _, documents = pickle.loads(args.documents.read_bytes())
    stories = [d for d in documents if d.body]
    totals: Counter[str] = Counter()
    old_chars = sum(len(d.body[:OLD_CHARS]) for d in stories)
    new_chars = sum(len(excerpt_source(d)) for d in stories)
    print(f"{len(stories):,} stories: excerpt text {old_chars / 1e6:.1f} → {new_chars / 1e6:.1f} M characters")
    for query in QUERIES:
        wanted = set(words(query)[0])
        counts: Counter[str] = Counter()
        for document in stories:
            if wanted.intersection(words(document.summary)[0]):
                continue  # the summary is shown, highlighted
            if not wanted <= set(words(" ".join([document.body, *(text for _, text in document.meta)]))[0]):
                continue  # not a result: a result holds every word of the query
            before = shown(document.body[:OLD_CHARS], wanted)
            if not before:
                continue
            after = shown(excerpt_source(document), wanted)
            counts["excerpts"] += 1
            counts["fewer words"] += after < before
            counts["no word"] += after == 0
        totals.update(counts)
        print(
            f"  {query:<26} {counts['excerpts']:>7,} excerpts, {counts['fewer words']:>6,} show fewer query words, "
            f"{counts['no word']:>6,} none"
        )
    share = totals["fewer words"] / max(1, totals["excerpts"])
    print(
        f"all: {totals['excerpts']:,} excerpts, {share:.1%} show fewer query words, "
        f"{totals['no word'] / max(1, totals['excerpts']):.1%} none"
    )


if __name__ == "__main__":
    main()
