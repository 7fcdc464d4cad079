"""The catalogue and its stories' products → every file that spans the collection: redirects for former slugs, the
pages that list stories, the search index, the feeds, the open data and the statistics.

`site_files` is the one place these are made, for `exemplars build` and `exemplars serve` alike; a `Runner` (the
generation flow's executor) runs each piece in this process or in worker processes, writing files where they
are made.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from itertools import chain
from pathlib import Path
from typing import Protocol, TypeVar, overload

from ..content.catalogue import Catalogue
from ..engine.timings import Stage, Timings, optional_stage
from .feeds import FeedItem, list_feeds, render_feeds
from .opendata import Record, render_open_data
from .pages import PageSpec, list_pages, render_newsroom_pages, render_page, render_redirect
from .search import SearchDocument, build_search_index, page_documents
from .statistics import build_statistics, render_statistics_csv
from .story import StoryContext

Item = TypeVar("Item")


@dataclass(frozen=True)
class Stories:
    """What the collection's files need of the stories' products (`story.make_story`), in catalogue order."""

    search_documents: Sequence[SearchDocument]
    """In a build, read from disk as the search index reads them: at 100,000 stories they would be some 700 MB."""
    records: Iterable[Record]
    """Each published story's line of the open data, in catalogue order (newest first, as the data list them). In
    a build read from disk a spool file at a time as the data are written: at 100,000 stories they are 400 MB of
    story HTML, held by no process."""
    feed_items: Mapping[str, FeedItem]
    """Each fed story's item, by slug (only the stories some feed carries), read from disk by the process that
    makes the feeds."""
    scratch: Path
    """A folder for files too large to hold (the open data), linked from there into the generated folder."""


@dataclass(frozen=True)
class FileSet:
    """Files made by one piece of work, by path under the generated folder, and what it has to say (a feed cut)."""

    files: Mapping[str, str | bytes | Path]
    warnings: tuple[str, ...] = field(default=())


class Runner(Protocol):
    """Runs pieces of work and writes the files they make (the generation flow's executor)."""

    workers: int

    def write_each(
        self,
        make: Callable[[Item], FileSet],
        items: Sequence[Item],
        chunks_per_worker: int = 4,
        progress: Stage | None = None,
    ) -> list[str]:
        """`make` on each item, in this process or spread over workers, each item's files written where they are
        made; the warnings, in item order; `progress` counts the items done."""
        ...

    def write(self, files: Mapping[str, str | bytes | Path]) -> None:
        """Files made here."""
        ...


def site_files(context: StoryContext, stories: Stories, run: Runner, timings: Timings | None = None) -> list[str]:
    """Every file of the collection, written through `run`; the warnings to show (feeds cut to their size limit)."""
    cat = context.catalogue
    with optional_stage(timings, "pages") as stage:
        run.write(redirect_pages(cat))
        listed = list_pages(context.inputs, context.common)
        run.write_each(partial(_list_page, common=context.common), listed, progress=stage)
    with optional_stage(timings, "search"):
        documents = Joined(stories.search_documents, page_documents(cat))
        run.write(build_search_index(cat, documents, run.workers).files)
    with optional_stage(timings, "feeds_data") as stage:
        # Two halves of about equal cost, side by side when there are two cores.
        newsroom = partial(newsroom_files, context=context, stories=stories)
        warnings = run.write_each(newsroom, NEWSROOM_PARTS, chunks_per_worker=1, progress=stage)
        run.write(render_statistics_csv(build_statistics(cat, context.common["as_of"])))  # type: ignore[arg-type]
    return warnings


class Joined(Sequence[Item]):
    """Two sequences read as one, neither copied (the stories' search documents stay on disk until read)."""

    def __init__(self, first: Sequence[Item], second: Sequence[Item]) -> None:
        self.first, self.second = first, second

    @overload
    def __getitem__(self, index: int) -> Item: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Item]: ...
    def __getitem__(self, index: int | slice) -> Item | Sequence[Item]:
        if isinstance(index, slice):
            return list(self)[index]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        split = len(self.first)
        return self.first[index] if index < split else self.second[index - split]

    def __len__(self) -> int:
        return len(self.first) + len(self.second)

    def __iter__(self) -> Iterator[Item]:
        return chain(self.first, self.second)


def redirect_pages(cat: Catalogue) -> dict[str, str]:
    """A page at each former slug (`aliases`), sending readers and search engines on to the story."""
    return {
        f"guong/{alias}/index.html": render_redirect(exemplar.url, f"guong/{alias}/", exemplar.name)
        for exemplar in cat.exemplars
        for alias in exemplar.aliases
    }


def _list_page(spec: PageSpec, common: Mapping[str, object]) -> FileSet:
    return FileSet({spec.path: render_page(spec, common)})


NEWSROOM_PARTS = ("feeds", "data")
"""The two halves of the newsroom's files."""


def newsroom_files(part: str, context: StoryContext, stories: Stories) -> FileSet:
    """The feeds (with what was cut to keep each under its size limit), or the open data and the press and data
    pages (which list the feeds). Drafts never reach any of them."""
    cat, settings = context.catalogue, context.settings
    if part == "feeds":
        feeds = render_feeds(cat, settings, stories.feed_items)
        return FileSet(feeds.files, tuple(feeds.warnings))
    data = render_open_data(cat, settings, stories.records, stories.scratch / "data")
    pages = render_newsroom_pages(context.inputs, list_feeds(cat, settings), data)
    return FileSet({**data.outputs(), **pages})
