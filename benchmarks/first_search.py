"""The first search at a scale whose full build takes too long: only the search index is built again, from the
corpus, into a small copy of a site already built from it, and a phone browser measures what one query fetches.

    python -m benchmarks.first_search CORPUS SITE WORK

CORPUS: the profiles the site was built from (its check cache, `.cache/`, is written: use a copy, for example
`cp -al` of its `content`, `exemplars`, `plans` and `mkdocs.yml`); SITE: that site, built by any version (its
`assets/`, its first story page and its results' thumbnails are reused, its search index is not); WORK: a folder
for the copy. Prints the index's files and bytes by folder, then the bytes of the 20 queries' first searches by kind
(`benchmarks/search.py`). At 100,000 profiles, on the loaded 2-core machine: 17 minutes to load and render the
profiles, 7 to index, 4 for the browser (benchmarks/README.md, "Search").
"""

from __future__ import annotations

import argparse
import json
import pickle
import shutil
import statistics
import time
from collections import Counter
from pathlib import Path

from build_tools.content.load import read_story
from build_tools.content.model import Exemplar

from .search import measure_queries


def _thumbnails(site: Path) -> dict[str, str]:
    """Each story's result thumbnail as the built site's index names it: photos are not encoded again."""
    found: dict[str, str] = {}
    for group in (site / "search" / "d").glob("*.json"):
        for fragment in json.loads(group.read_bytes())["x"]:
            if fragment.get("i"):
                found[fragment["u"]] = fragment["i"]
    return found


def _markdown(corpus: Path, exemplar: Exemplar) -> str:
    """The story, read from its profile as `story.make_story` reads it (the catalogue holds none)."""
    if exemplar.body_markdown is not None:
        return exemplar.body_markdown
    return read_story(corpus / exemplar.source_path, exemplar.source_path)


def main() -> None:
    from build_tools.content.config import load_project
    from build_tools.content.gather import gather
    from build_tools.content.richtext import render_story
    from build_tools.site.search import build_search_index
    from build_tools.site.search_documents import page_documents, story_document

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("site", type=Path)
    parser.add_argument("work", type=Path)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--documents",
        type=Path,
        help="a pickle of the catalogue and its documents: written when absent, read when present, so that a "
        "second run at 100,000 skips the 17 minutes of loading and rendering (delete it when profiles or "
        "`story_document` change)",
    )
    parser.add_argument("--results", type=Path, help="a JSON file for each query's cost and first ten results")
    args = parser.parse_args()

    started = time.perf_counter()
    if args.documents and args.documents.exists():
        catalogue, documents = pickle.loads(args.documents.read_bytes())
    else:
        thumbnails = _thumbnails(args.site)
        catalogue = gather(load_project(args.corpus))
        documents = [
            story_document(catalogue, e, render_story(_markdown(args.corpus, e)), thumbnails.get(e.url))
            for e in catalogue.exemplars
        ]
        documents += page_documents(catalogue)
        if args.documents:
            args.documents.write_bytes(pickle.dumps((catalogue, documents), pickle.HIGHEST_PROTOCOL))
    loaded = time.perf_counter()
    index = build_search_index(catalogue, documents, workers=args.workers)
    indexed = time.perf_counter()
    print(
        f"{len(documents):,} documents: loaded and rendered {loaded - started:.0f} s, indexed {indexed - loaded:.0f} s"
    )

    target = args.work / "site"
    shutil.rmtree(target, ignore_errors=True)
    story = next(p for p in sorted((args.site / "guong").iterdir()) if (p / "index.html").exists())
    shutil.copytree(args.site / "assets", target / "assets")
    shutil.copytree(story, target / "guong" / story.name)
    for name in ("search.js", "search.css"):  # this version's client, with this version's index
        shutil.copy(
            Path(__file__).parents[1] / "build_tools/theme/assets/exemplars" / name, target / "assets/exemplars"
        )
    files, sizes = Counter[str](), Counter[str]()
    for path, data in index.files.items():
        (target / path).parent.mkdir(parents=True, exist_ok=True)
        (target / path).write_bytes(data)
        folder = path.split("/")[1] if path.count("/") > 1 else path
        files[folder] += 1
        sizes[folder] += len(data)
    print(f"index: {sum(files.values()):,} files, {sum(sizes.values()) / 1e6:.1f} MB")
    for folder in sorted(files):
        print(f"  {folder:<18} {files[folder]:>7,} files {sizes[folder] / 1e6:>9.2f} MB")

    costs = measure_queries(target, f"guong/{story.name}/")
    fetched = [cost.bytes for cost in costs]
    print(f"first search: median {statistics.median(fetched) / 1000:.1f} kB, max {max(fetched) / 1000:.1f} kB")
    for kind in sorted({kind for cost in costs for kind in cost.by_kind}):
        values = [cost.by_kind.get(kind, 0) for cost in costs]
        print(f"  {kind:<18} median {statistics.median(values) / 1000:>7.1f} kB, max {max(values) / 1000:>7.1f} kB")
    for cost in costs:
        print(f"  {cost.query:<26} {cost.results:>7,} results {cost.bytes / 1000:>8.1f} kB")
    if args.results:  # to compare two versions' first ten results (the same top results, in the same order)
        args.results.write_text(
            json.dumps(
                [
                    {"query": c.query, "results": c.results, "bytes": c.bytes, "kinds": c.by_kind, "shown": c.shown}
                    for c in costs
                ],
                ensure_ascii=False,
                indent=1,
            )
        )


if __name__ == "__main__":
    main()
