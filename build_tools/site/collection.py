"""The catalogue and its stories' products → every file that spans the collection: redirects for former slugs, the
pages that list stories, the search index, the feeds, the open data and the statistics.

`site_files` is the one place these are made, for `exemplars build` and `exemplars serve` alike; a `Runner` (the
generation flow's executor) runs each piece in this process or in worker processes, writing files where they
are made. The search index, one core's work after an edit, is made in a process of its own beside the lists, the
feeds and the data (`Runner.beside`), which read the same catalogue and stories and write other files.
"""

from __future__ import annotations

import functools
import hashlib
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from functools import partial
from itertools import chain
from pathlib import Path
from typing import Protocol, TypeVar, overload

from ..content.catalogue import Catalogue
from ..content.model import Exemplar
from ..engine.atomic import replace_file
from ..engine.codestamp import code_stamp
from ..engine.timings import Stage, Timings, optional_stage
from .feeds import MAX_FEED_BYTES, FeedItem, FeedSpec, list_feeds, newest_fed, render_feeds
from .opendata import Record, render_open_data
from .pages import PageSpec, list_pages, render_newsroom_pages, render_page, render_redirect
from .search import build_search_index, document_key
from .search_documents import SearchDocument, page_documents
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
    a build read from each story's kept head as the data are written: at 100,000 stories they are 400 MB of story
    HTML, held by no process."""
    feed_items: Mapping[str, FeedItem]
    """Each fed story's item, by slug (only the stories some feed carries), read from disk by the process that
    makes the feeds."""
    scratch: Path
    """The build's working folder (engine/scratch.py), for files too large to hold: the open data, linked from there
    into the generated folder, and the search index's postings."""
    digests: Mapping[str, bytes] = field(default_factory=dict)
    """Each story's profile as its key read it (`story.profile_digest`), by slug: what the lists that show its
    card are kept under (`list_key`). Empty: no list page is kept."""
    search_keys: Sequence[bytes] = ()
    """Each story's `search.document_key`, in catalogue order: what the kept search index knows its document by.
    Empty: no search index is kept."""


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

    def beside(
        self, make: Callable[[], FileSet], timings: Timings | None, name: str
    ) -> AbstractContextManager[list[str]]:
        """`make` as the stage `name`, in a forked process while the block runs (in this process before it, with
        one worker), its files written there; they are claimed, and its warnings added to the list given, once the
        block is done. An error in either fails the build, the other stopped."""
        ...


def site_files(
    context: StoryContext,
    stories: Stories,
    run: Runner,
    timings: Timings | None = None,
    kept: Path | None = None,
    search_kept: Path | None = None,
    feeds_kept: Path | None = None,
    data_kept: Path | None = None,
) -> list[str]:
    """Every file of the collection, written through `run`; the warnings to show (feeds cut to their size limit).
    The list pages that show only their stories' cards are kept in `kept` between builds (`list_key`), the search
    index in `search_kept` (`build_search_index`), the feeds in `feeds_kept` (`feed_key`), the open data's two large
    files in `data_kept` (`render_open_data`)."""
    cat = context.catalogue
    with run.beside(partial(search_files, cat, stories, run.workers, search_kept), timings, "search") as warnings:
        with optional_stage(timings, "pages") as stage:
            run.write(redirect_pages(cat))
            specs = list_pages(context.inputs, context.common)
            listed = [(spec, list_key(spec, context, stories.digests)) for spec in specs]
            run.write_each(partial(_list_page, common=context.common, kept=kept), listed, progress=stage)
            if kept is not None:
                _forget_lists_but(kept, {f"{key}.md" for _, key in listed if key is not None})
        with optional_stage(timings, "feeds_data") as stage:
            # Two halves of about equal cost, side by side when there are two cores.
            newsroom = partial(newsroom_files, context=context, stories=stories, kept=feeds_kept, data_kept=data_kept)
            warnings += run.write_each(newsroom, NEWSROOM_PARTS, chunks_per_worker=1, progress=stage)
            run.write(render_statistics_csv(build_statistics(cat, context.common["as_of"])))  # type: ignore[arg-type]
    return warnings


def search_files(cat: Catalogue, stories: Stories, workers: int, kept: Path | None) -> FileSet:
    """The search index (`build_search_index`), kept in `kept` between builds when the stories say what each
    document is (`Stories.search_keys`); its files too (`kept_files`), linked from there into the generated
    folder."""
    pages = page_documents(cat)
    documents = Joined(stories.search_documents, pages)
    keys = [*stories.search_keys, *map(document_key, pages)] if stories.search_keys else None
    if kept is None or keys is None:
        return FileSet(build_search_index(cat, documents, workers, scratch=stories.scratch).files)
    index = build_search_index(cat, documents, workers, kept, keys, stories.scratch)
    return FileSet(kept_files(index.files, kept / KEPT_FILES))


KEPT_FILES = "files"
"""The folder of the kept search index that holds its files, each named by the digest of its bytes."""


def kept_files(files: Mapping[str, bytes], store: Path) -> dict[str, Path]:
    """Each file as a file of `store` named by the digest of its bytes, written there only when no earlier build
    did; the generated folder links to it. A build without a generated folder (CI, with its cache restored) then
    links 6,800 files at 10,000 stories instead of creating them, which cost more (system time: a new inode each)
    than making the index (benchmarks/README.md, tenth session). Files no index holds any more leave the store."""
    store.mkdir(parents=True, exist_ok=True)
    present = {entry.name for entry in os.scandir(store)}
    linked: dict[str, Path] = {}
    for path, data in files.items():
        name = hashlib.blake2b(data, digest_size=20).hexdigest()
        if name not in present:
            replace_file(store / name, data)
            present.add(name)
        linked[path] = store / name
    for name in present - {kept.name for kept in linked.values()}:
        os.unlink(store / name)  # an earlier index's, or a build's stopped before its rename
    return linked


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


KEPT_LISTS = frozenset({"list_more.md.j2", "kind.md.j2", "archive.md.j2"})
"""The list pages that show of the collection only their stories' cards (and the years, in the archive): pages 2, 3…
of a field or province, every page of a kind and of the archive, nine in ten of the list pages. Each is kept under
`list_key`; a field's or province's first page shows plans and their progress, and is made every time."""


def list_key(spec: PageSpec, context: StoryContext, digests: Mapping[str, bytes]) -> str | None:
    """What a page of `KEPT_LISTS` shows, hashed: the story context's stamp (the settings, the vocabulary a card names),
    the code that makes it (`_code_stamp`), the page's own path, front matter and context, the years, and each story it
    lists as its card shows it (its profile and images, as the story's own key reads them). None: the page is not kept
    (another template, or a story whose digest this build did not make). A template of `KEPT_LISTS` that came to read
    more of the catalogue must add it here (tests/test_edited_build.py)."""
    members: Sequence[Exemplar] = spec.context.get("exemplars", ())  # type: ignore[assignment]
    if spec.template not in KEPT_LISTS or any(e.slug not in digests for e in members):
        return None
    shown = {name: value for name, value in spec.context.items() if name != "exemplars"}
    page = (spec.path, spec.template, spec.meta, shown, context.catalogue.years)
    digest = hashlib.blake2b(context.stamp + _code_stamp(), digest_size=20)
    digest.update(repr(page).encode("utf-8", errors="surrogatepass"))
    for exemplar in members:
        digest.update(digests[exemplar.slug])
    return digest.hexdigest()


@functools.cache
def _code_stamp() -> bytes:
    """The code that makes a kept list page or feed: this module's imports (the stories' code among them), the
    templates, the libraries (`engine.codestamp`)."""
    return code_stamp(__name__)


def _list_page(listed: tuple[PageSpec, str | None], common: Mapping[str, object], kept: Path | None) -> FileSet:
    """A list page, or the one kept under its key by an earlier build (linked, as kept stories are)."""
    spec, key = listed
    if kept is None or key is None:
        return FileSet({spec.path: render_page(spec, common)})
    page = kept / f"{key}.md"
    if not page.is_file():
        kept.mkdir(parents=True, exist_ok=True)
        replace_file(page, render_page(spec, common).encode("utf-8"))
    return FileSet({spec.path: page})


def _forget_lists_but(kept: Path, names: set[str]) -> None:
    """Remove the list pages this build did not show (their stories changed, or the list did)."""
    if kept.is_dir():
        for entry in os.scandir(kept):
            if entry.name not in names:
                os.unlink(entry.path)


NEWSROOM_PARTS = ("feeds", "data")
"""The two halves of the newsroom's files."""


def newsroom_files(
    part: str, context: StoryContext, stories: Stories, kept: Path | None = None, data_kept: Path | None = None
) -> FileSet:
    """The feeds (with what was cut to keep each under its size limit), or the open data and the press and data
    pages (which list the feeds). Drafts never reach any of them. Feeds are kept in `kept` between builds, the open
    data in `data_kept`."""
    cat, settings = context.catalogue, context.settings
    if part == "feeds":
        return feed_files(context, stories, kept)
    data = render_open_data(cat, settings, stories.records, stories.scratch / "data", data_kept)
    pages = render_newsroom_pages(context.inputs, list_feeds(cat, settings), data)
    return FileSet({**data.outputs(), **pages})


def feed_key(spec: FeedSpec, context: StoryContext, digests: Mapping[str, bytes]) -> str | None:
    """What a feed holds, hashed: the story context's stamp (the settings, the vocabulary an item names), the code that
    makes it (`_code_stamp`), the feed's own description, its size limit, and each story it carries as its item shows it
    (its profile and images, as the story's own key reads them: `story.profile_digest`). None: a story whose digest this
    build did not make. A feed that came to read more of the catalogue must add it here (tests/test_edited_build.py)."""
    carried = newest_fed(spec, context.settings)
    if any(e.slug not in digests for e in carried):
        return None
    described = (spec.path, spec.format, spec.group, spec.label, spec.title, spec.description, spec.page)
    digest = hashlib.blake2b(context.stamp + _code_stamp(), digest_size=20)
    digest.update(repr((described, MAX_FEED_BYTES)).encode("utf-8", errors="surrogatepass"))
    for exemplar in carried:
        digest.update(digests[exemplar.slug])
    return digest.hexdigest()


def feed_files(context: StoryContext, stories: Stories, kept: Path | None) -> FileSet:
    """Every feed, each taken from `kept` when an earlier build made it under the same `feed_key`: after one edit
    only the feeds that carry the edited story are made again (none when it is not among any feed's newest), and
    the other stories' items are not even read. A feed cut to its size limit is made every time, with its warning."""
    cat, settings = context.catalogue, context.settings
    specs = list_feeds(cat, settings)
    if kept is None:
        feeds = render_feeds(cat, settings, stories.feed_items, specs=specs)
        return FileSet(feeds.files, feeds.warnings)
    keys = {spec.path: feed_key(spec, context, stories.digests) for spec in specs}
    found: dict[str, Path] = {}
    for spec in specs:
        key = keys[spec.path]
        if key is not None and (kept / key).is_file():
            found[spec.path] = kept / key
    feeds = render_feeds(cat, settings, stories.feed_items, specs=[spec for spec in specs if spec.path not in found])
    made: dict[str, bytes | Path] = dict(feeds.files)
    for path, content in feeds.files.items():
        key = keys[path]
        if key is not None and path not in feeds.cut:
            kept.mkdir(parents=True, exist_ok=True)
            replace_file(kept / key, content)
            made[path] = kept / key
    _forget_lists_but(kept, {key for key in keys.values() if key is not None})
    return FileSet({spec.path: found.get(spec.path) or made[spec.path] for spec in specs}, feeds.warnings)
