"""Benchmark: the story stage's work (`story.make_story`) on a built corpus, in this one process.

    .venv/bin/python -m benchmarks.stories ROOT [--limit N] [--repeat R] [--profile OUT] [--digests FILE]

ROOT is a project, best one built once: its photos are taken from `.cache/photos` (made there if missing, not
timed). For the first N stories of the catalogue (all by default), it prints the process time (CPU) of `make_story`
per story, the best of R runs, and what each part of a story costs when it is timed alone: Markdown and the
sanitiser, the page templates, the search document (with its excerpt), the record and the feed item. `--profile`
writes cProfile's statistics of one run; `--digests` writes one line per story, the hash of everything `make_story`
returned, so two versions of the code can be compared story by story (`diff` the two files).
"""

from __future__ import annotations

import argparse
import cProfile
import dataclasses
import hashlib
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from build_tools.content.config import load_project
from build_tools.content.gather import gather
from build_tools.content.load import read_story
from build_tools.content.richtext import render_story
from build_tools.engine.write import TreeWriter
from build_tools.generate import make_images
from build_tools.site.feeds import build_item
from build_tools.site.opendata import RowContext, exemplar_record
from build_tools.site.pages import render_story_pages
from build_tools.site.search_documents import story_document
from build_tools.site.story import StoryContext, absolute_story, make_story, story_context


def _cpu(work: Callable[[], object]) -> float:
    start = time.process_time()
    work()
    return time.process_time() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("root", type=Path)
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--profile", type=Path)
    parser.add_argument("--digests", type=Path)
    args = parser.parse_args()

    project = load_project(args.root)
    catalogue = gather(project)
    with tempfile.TemporaryDirectory(prefix="k-stories-") as scratch:
        images = make_images(project, catalogue, TreeWriter(Path(scratch)), workers=1)
    context = story_context(catalogue, project.settings, images, False, None, project.root)
    exemplars = catalogue.exemplars[: args.limit] if args.limit else catalogue.exemplars
    count = len(exemplars)

    def run() -> None:
        for exemplar in exemplars:
            make_story(exemplar, context)

    best = min(_cpu(run) for _ in range(args.repeat))
    print(f"{count:,} stories: make_story {best / count * 1000:.3f} ms of CPU a story (best of {args.repeat})")
    for name, seconds in _parts(exemplars, context).items():
        print(f"  {name}: {seconds / count * 1000:.3f} ms")
    if args.profile:
        cProfile.runctx("run()", globals(), {"run": run}, str(args.profile))
    if args.digests:
        lines = []
        for exemplar in exemplars:
            products = make_story(exemplar, context)
            # By value: a pickle's bytes also tell which equal strings are one object, which varies from run to run.
            digest = hashlib.blake2b(repr(products).encode("utf-8", errors="surrogatepass"), digest_size=16)
            lines.append(f"{exemplar.slug} {digest.hexdigest()}\n")
        args.digests.write_text("".join(lines), encoding="utf-8")


def _parts(exemplars: tuple, context: StoryContext) -> dict[str, float]:
    """Each part of `make_story` timed on its own over all the stories (the HTML made once beforehand)."""
    cat, settings, photos = context.catalogue, context.settings, context.images.photos
    markdown = {e.slug: e.body_markdown or read_story(context.root / e.source_path, e.source_path) for e in exemplars}
    html: dict[str, str] = {}
    parts = {"Markdown and sanitiser": _cpu(lambda: html.update({s: render_story(t) for s, t in markdown.items()}))}
    inputs = dataclasses.replace(context.inputs, story_html=html)
    parts["page templates"] = _cpu(lambda: [render_story_pages(inputs, [e], context.common) for e in exemplars])
    absolute = {e.slug: absolute_story(e, html[e.slug], settings) for e in exemplars}
    thumbnails = context.images.thumbnails
    parts["search document"] = _cpu(
        lambda: [story_document(cat, e, html[e.slug], thumbnails.get(e.slug)) for e in exemplars]
    )
    parts["open-data record"] = _cpu(
        lambda: [exemplar_record(e, RowContext(cat, settings, absolute, photos)) for e in exemplars]
    )
    fed = [e for e in exemplars if e.slug in context.fed]
    parts[f"feed item ({len(fed)} fed)"] = _cpu(
        lambda: [build_item(e, cat, settings, absolute[e.slug], photos) for e in fed]
    )
    return parts


if __name__ == "__main__":
    main()
