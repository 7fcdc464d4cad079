"""The generation flow: load and validate → model → catalogue → render pages, feeds, data → write the generated folder.

1. `gather` (content/): every profile and plan read and checked, the catalogue built;
2. the photos: each photo's variants and search thumbnail; the field cards that stories without a photo share;
3. the stories: `site.story.make_story` on each (or its products kept from an earlier build), in worker processes,
   each page written where it is made;
4. the collection: `site.collection.site_files` from the catalogue and the stories' products (lists, search index,
   feeds, data, statistics; the search index in a forked process beside the others: `Executor.beside`);
5. stale files removed, and every file written scanned for personal data.

MkDocs renders that folder afterwards (mkdocs/render.py); `build.build_site` runs both, then publishes. There the
scan runs beside MkDocs (`scan_beside`), and both are done before anything is published."""

from __future__ import annotations

import contextlib
import errno
import logging
import re
import shutil
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar, overload

from jinja2 import TemplateError

from .content import privacy
from .content.catalogue import Catalogue
from .content.config import Project
from .content.gather import gather
from .content.load import load_profile
from .content.model import Exemplar
from .content.problems import ContentError, Problem
from .content.scanned import Scan, load_scanned, remembered_scan, save_scanned, scan_output
from .content.schema.profile import personal_data_in
from .engine.parallel import Beside, fork_map, shared, worker_count
from .engine.scratch import scratch_folder
from .engine.timings import Stage, Timings, optional_stage
from .engine.write import TreeWriter, WriteReport, write_file, write_files
from .site.collection import FileSet, Stories, site_files
from .site.feeds import FeedItem
from .site.opendata import KeyedRecords, Record
from .site.pages import keep_compiled_templates
from .site.photos import Original, PhotoSet, Variant, process_photo, process_thumbnail
from .site.search_documents import SearchDocument
from .site.sharecard import MissingFont, render_share_card
from .site.social import SITE_CARD, build_field_card_text, build_site_card_text, field_card_path
from .site.story import (
    Images,
    StoryContext,
    forget_stories_but,
    kept_document,
    kept_item,
    kept_record,
    kept_story,
    profile_digest,
    story_context,
)

log = logging.getLogger("exemplars")

Item = TypeVar("Item")


def generate(
    project: Project, drafts: bool = False, *, workers: int | None = None, timings: Timings | None = None
) -> WriteReport:
    """Check, render and write the generated pages; on any problem in the content nothing is written."""
    return _generate(project, drafts, worker_count(workers), timings)[1]


def _generate(
    project: Project,
    drafts: bool,
    workers: int,
    timings: Timings | None,
    checked: Callable[[Catalogue], None] | None = None,
    *,
    scan: bool = True,
) -> tuple[Catalogue, WriteReport]:
    """The work on each story (and each photo, and each profile's checks) is spread over `workers` processes;
    what spans the collection (lists, search index, feeds, data) is done once the stories are in. `checked`: told
    the catalogue as soon as it is known (build.py starts making the new site's folders then). `scan`: every file
    written is scanned for personal data here; else the caller does it (`scan_beside`) before publishing."""
    try:
        return _generate_all(project, drafts, workers, timings, checked, scan)
    except ProfileFailure as failure:
        raise ContentError([failure.problem()]) from failure


def _generate_all(
    project: Project,
    drafts: bool,
    workers: int,
    timings: Timings | None,
    checked: Callable[[Catalogue], None] | None,
    scan: bool,
) -> tuple[Catalogue, WriteReport]:
    with optional_stage(timings, "check") as stage:
        catalogue = gather(project, drafts=drafts, workers=workers, progress=stage)
    if checked is not None:
        checked(catalogue)
    shutil.rmtree(project.former_generated_dir, ignore_errors=True)  # MkDocs would walk it, hidden or not
    writer = TreeWriter(project.generated_dir)
    with optional_stage(timings, "photos") as stage:
        images = make_images(project, catalogue, writer, workers, stage)
    with Executor(writer, workers, project.cache_dir) as executor:
        with optional_stage(timings, "stories") as stage:
            keep_compiled_templates(project.cache_dir / "templates")
            context = story_context(
                catalogue, project.settings, images, drafts, project.cache_dir / "stories", project.root
            )
            stories = executor.stories(context, _kept(project, "products", drafts), stage)
        lists, search, feeds, data = (_kept(project, kind, drafts) for kind in ("lists", "search", "feeds", "data"))
        for warning in site_files(context, stories, executor, timings, lists, search, feeds, data):
            log.warning(warning)
    with optional_stage(timings, "write"):
        report = writer.finish()
    if scan:
        with optional_stage(timings, "privacy") as stage:
            scan_outputs(project, catalogue, report, workers, stage)
    return catalogue, report


def scan_beside(
    project: Project, catalogue: Catalogue, report: WriteReport, workers: int, timings: Timings | None
) -> Beside[None]:
    """`scan_outputs` as the stage "privacy" in a forked process while MkDocs renders (`build.build_site`), which
    reads the generated files and writes only its staging site; `join` before publishing raises what it found.
    MkDocs leaves a core idle for part of its stage (forked renderers, folders made one by one), where the scan's
    one core fits. With one worker, the scan runs here when the block begins, before MkDocs, as it always did."""
    return Beside(lambda stage: scan_outputs(project, catalogue, report, workers, stage), workers, timings, "privacy")


def _kept(project: Project, kind: str, drafts: bool) -> Path:
    """Where stories (`products`), list pages (`lists`) or feeds (`feeds`) are kept between builds: a preview with
    drafts (`serve`) keeps its own, since each build keeps only what it made and drafts change every key (their
    stamp): sharing one folder, a preview would throw away the published build's stories and the next build would
    render them again."""
    return project.cache_dir / (f"{kind}-drafts" if drafts else kind)


def make_images(
    project: Project, catalogue: Catalogue, writer: TreeWriter, workers: int, progress: Stage | None = None
) -> Images:
    """Each photo's variants, crop card and search thumbnail, linked beside the story page; the card of each field a
    story without a photo shares (`social.field_card_path`), beside the field's page; and the site's own card."""
    made = fork_map(_process_photos, catalogue.exemplars, shared=(project,), workers=workers, progress=progress)
    photos: dict[str, PhotoSet] = {}
    thumbnails: dict[str, str] = {}
    for exemplar, processed in zip(catalogue.exemplars, made, strict=True):
        if processed is None:
            continue
        photo_set, thumbnail = processed
        photos[exemplar.slug] = photo_set
        for variant in (*photo_set.published, thumbnail):
            writer.add(f"{exemplar.url}{variant.name}", variant.cached)
        thumbnails[exemplar.slug] = f"{exemplar.url}{thumbnail.name}"
    cards = field_cards(project, catalogue, [e for e in catalogue.exemplars if e.photo is None])
    for path, card in cards.items():
        writer.add(path, card.cached)
    site_card = render_share_card(build_site_card_text(project.settings), project.cache_dir / "cards")
    writer.add(SITE_CARD, site_card.cached)
    _forget_other_cards(project.cache_dir / "cards", {site_card.cached, *(card.cached for card in cards.values())})
    return Images(photos, thumbnails, cards)


def _forget_other_cards(cache: Path, kept: set[Path]) -> None:
    """Cards this build does not publish leave the cache: the cards once drawn per story (135 MB at 10,000 stories,
    carried from build to build by CI's cache) and those of fields or texts since changed. A card is redrawn in a
    few milliseconds should it be needed again."""
    for path in cache.glob("*.png"):
        if path not in kept:
            path.unlink(missing_ok=True)


def field_cards(project: Project, catalogue: Catalogue, exemplars: Sequence[Exemplar]) -> dict[str, Variant]:
    """The field cards `exemplars` (stories without a photo) share, by site path: a few dozen at most, drawn once
    and then read from the cache, here rather than in workers."""
    cards: dict[str, Variant] = {}
    for exemplar in exemplars:
        path = field_card_path(exemplar)
        if path not in cards:
            text = build_field_card_text(catalogue.fields[exemplar.fields[0]], project.settings, exemplar.sample)
            cards[path] = render_share_card(text, project.cache_dir / "cards", path.rsplit("/", 1)[-1])
    return cards


def _process_photos(exemplars: Sequence[Exemplar]) -> list[tuple[PhotoSet, Variant] | None]:
    """Each photo's variants and search thumbnail (None for a story without one: nothing is drawn for it); made
    once, then read from the cache. Every story goes through, so the stage counts stories as it always did."""
    (project,) = shared()
    photos = project.cache_dir / "photos"
    made: list[tuple[PhotoSet, Variant] | None] = []
    for e in exemplars:
        if e.photo is None:
            made.append(None)
            continue
        with processing(e.source_path, e.photo.src):
            # Read and decoded once for the variants and the thumbnail.
            original = Original(project.root / e.photo.source_path)
            made.append((process_photo(original, photos), process_thumbnail(original, photos)))
    return made


class Executor:
    """Runs the site's work in this process or across `workers` forked ones (`engine.parallel.fork_map`: results
    in input order, so the site is the same on one core or many), each file written where it is made.

    Stories leave their products in the kept folder (`story.KeptStory`) and hand back only a summary: the open data,
    the search index and the feeds read each story's record, document or item from there when they need it. None is
    held here all at once, and no product is written twice. The build's working folder in `.cache/scratch/`
    (engine/scratch.py: removed at the end, or by the next build if this one is killed) takes the open data as it is
    written and the search index's postings."""

    def __init__(self, writer: TreeWriter, workers: int, cache_dir: Path) -> None:
        self.writer = writer
        self.workers = workers
        self.cache_dir = cache_dir
        self.scratch = Path()
        self._folder = contextlib.ExitStack()

    def __enter__(self) -> Executor:
        self.scratch = self._folder.enter_context(scratch_folder(self.cache_dir, "build-"))
        return self

    def __exit__(self, *_: object) -> None:
        self._folder.close()

    def stories(self, context: StoryContext, kept: Path, progress: Stage | None = None) -> Stories:
        """`make_story` on every story of the catalogue whose products `kept` does not hold from an earlier build
        (`story.kept_story`): pages written, products kept. `kept` then holds this build's only."""
        exemplars = context.catalogue.exemplars
        shared = (context, self.writer.root, kept)
        made = fork_map(_story_share, exemplars, shared=shared, workers=self.workers, progress=progress)
        forget_stories_but(kept, {summary.key for summary in made})
        for summary in made:
            self.writer.claim(summary.page_path, summary.written)
        keys = [summary.key for summary in made]
        records = _KeptRecords(kept, [key for e, key in zip(exemplars, keys, strict=True) if not e.draft])
        items = _KeptItems(kept, {e.slug: key for e, key in zip(exemplars, keys, strict=True) if e.slug in context.fed})
        digests = {e.slug: summary.digest for e, summary in zip(exemplars, made, strict=True)}
        document_keys = [summary.document_key for summary in made]
        return Stories(_KeptDocuments(kept, keys), records, items, self.scratch, digests, document_keys)

    def write_each(
        self,
        make: Callable[[Item], FileSet],
        items: Sequence[Item],
        chunks_per_worker: int = 4,
        progress: Stage | None = None,
    ) -> list[str]:
        made = fork_map(
            _write_share,
            items,
            shared=(make, self.writer.root),
            workers=self.workers,
            chunks_per_worker=chunks_per_worker,
            progress=progress,
        )
        warnings: list[str] = []
        for written, said in made:
            for path, was_written in written:
                self.writer.claim(path, was_written)
            warnings += said
        return warnings

    def write(self, files: Mapping[str, str | bytes | Path]) -> None:
        self.writer.update(files, self.workers)

    @contextlib.contextmanager
    def beside(self, make: Callable[[], FileSet], timings: Timings | None, name: str) -> Iterator[list[str]]:
        """`make` as the stage `name` in a forked process, its files written there, while the block runs here
        (`engine.parallel.Beside`; with one worker, in this process before the block); then its files claimed and
        its warnings added to the list yielded. After an edit the search index is one core's work (0.8 s at 10,000
        stories) that the lists, feeds and data (two workers' work) need not wait for."""
        warnings: list[str] = []
        root, workers = self.writer.root, self.workers
        with Beside(lambda _: _made_and_written(make, root, workers), workers, timings, name) as making:
            yield warnings
            made = making.join()
        for path, written in made.written:
            self.writer.claim(path, written)
        warnings += made.warnings


@dataclass(frozen=True)
class _Made:
    """What travels back from `Executor.beside`'s process: each file's path and whether it was written (rather
    than found as it was), and the warnings."""

    written: list[tuple[str, bool]]
    warnings: tuple[str, ...]


def _made_and_written(make: Callable[[], FileSet], root: Path, workers: int) -> _Made:
    """`make`'s files written where it ran, each compared first (`engine.write.write_files`, as the writer does)."""
    made = make()
    return _Made(write_files(root, made.files, workers), made.warnings)


@dataclass(frozen=True)
class _StorySummary:
    """What travels back from a story's worker: its page's path, whether the file changed, and the key its products
    are kept under. The products themselves stay on disk."""

    page_path: str
    written: bool
    key: str
    digest: bytes
    """The story's profile as its key read it (`story.profile_digest`): what the lists showing its card are kept
    under (`collection.list_key`)."""
    document_key: bytes
    """The digest of its search document's pickle: what the kept search index knows it by (`build_search_index`)."""


def _story_share(exemplars: Sequence[Exemplar]) -> list[_StorySummary]:
    """A share of the stories (in a worker process when there are several): each page written on the spot, its
    products kept (`story.kept_story`), read from there later by whoever needs them."""
    context, root, kept = shared()
    made: list[_StorySummary] = []
    for exemplar in exemplars:
        with processing(exemplar.source_path):
            story, key = kept_story(exemplar, context, kept)
            written = write_file(root, story.page_path, story.page)
            digest = profile_digest(exemplar, context)
            made.append(_StorySummary(story.page_path, written, key, digest, story.document_key))
    return made


class _KeptDocuments(Sequence[SearchDocument]):
    """The stories' search documents, in catalogue order, each read from its kept products when asked for: after one
    edit the kept search index asks for the edited story's alone; a fresh index reads them in order (at 10,000
    stories they are 70 MB, held by no process all at once)."""

    def __init__(self, kept: Path, keys: Sequence[str]) -> None:
        self.kept = kept
        self.keys = keys

    @overload
    def __getitem__(self, index: int) -> SearchDocument: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[SearchDocument]: ...
    def __getitem__(self, index: int | slice) -> SearchDocument | Sequence[SearchDocument]:
        if isinstance(index, slice):
            return [kept_document(self.kept, key) for key in self.keys[index]]
        return kept_document(self.kept, self.keys[index])

    def __len__(self) -> int:
        return len(self.keys)

    def __iter__(self) -> Iterator[SearchDocument]:
        for key in self.keys:
            yield kept_document(self.kept, key)


class _KeptRecords(KeyedRecords):
    """The published stories' open-data records, in catalogue order, each read from its kept head when the data need
    it (each holds its story's HTML: some 4 GB as strings at 100,000 stories if read whole). The heads are this
    build's (`keys`: a story made again is kept under its new key), so the data carry every edit."""

    def __init__(self, kept: Path, keys: Sequence[str]) -> None:
        self.kept = kept
        self.keys = keys

    def read(self, key: str) -> Record:
        record = kept_record(self.kept, key)
        if record is None:
            raise ValueError(f"the story kept under {key} has no open-data record")
        return record


class _KeptItems(Mapping[str, FeedItem]):
    """The fed stories' feed items by slug, each read from its kept products the first time a feed asks for it: after
    one edit, only the feeds that carry the edited story are made, and only their items are read."""

    def __init__(self, kept: Path, keys: Mapping[str, str]) -> None:
        self.kept = kept
        self.keys = keys
        self._read: dict[str, FeedItem] = {}

    def __getitem__(self, slug: str) -> FeedItem:
        item = self._read.get(slug)
        if item is None:
            item = self._read[slug] = kept_item(self.kept, self.keys[slug])
        return item

    def __iter__(self) -> Iterator[str]:
        return iter(self.keys)

    def __len__(self) -> int:
        return len(self.keys)


def _write_share(items: Sequence[Any]) -> list[tuple[list[tuple[str, bool]], tuple[str, ...]]]:
    """A share of the collection's work: files written on the spot, only paths and warnings travel back."""
    make, root = shared()
    made = []
    for item in items:
        result = make(item)
        made.append(([(path, write_file(root, path, data)) for path, data in result.files.items()], result.warnings))
    return made


class ProfileFailure(Exception):
    """Something failed while one profile (or plan) was being made into pages: which file, and what, for the
    message. Its arguments are plain text, so it travels back from a worker process as it is."""

    def __init__(self, path: str, detail: str) -> None:
        super().__init__(path, detail)

    def problem(self) -> Problem:
        path, detail = self.args
        return Problem(
            path,
            None,
            None,
            f"lỗi khi tạo trang từ tệp này ({detail}). Trang đang đăng được giữ nguyên. Hãy kiểm tra nội dung và ảnh "
            "của hồ sơ (tải lại ảnh gốc nếu ảnh bị hỏng); nếu không thấy gì sai, hãy báo nhóm kỹ thuật kèm dòng này.",
        )


@contextlib.contextmanager
def processing(path: str, photo: str | None = None) -> Iterator[None]:
    """Any exception while one profile is processed is reported with that profile, never blamed on the disk or the
    tool (a truncated photo once read "kiểm tra ổ đĩa"). Ctrl+C and the like pass through untouched."""
    try:
        yield
    except (ProfileFailure, TemplateError, MissingFont):
        raise  # the tool's or the machine's: cli.py names the template, or the font to install
    except OSError as error:
        if error.errno in _DISK_ERRORS:
            raise  # the disk's (full, read-only): cli.py says so
        raise ProfileFailure(path, _detail(error, photo)) from error
    except Exception as error:
        raise ProfileFailure(path, _detail(error, photo)) from error


_DISK_ERRORS = {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EIO}


def _detail(error: BaseException, photo: str | None) -> str:
    detail = f"{type(error).__name__}: {error}"[:300]
    return f"ảnh `{photo}`: {detail}" if photo is not None else detail


def scan_outputs(
    project: Project, catalogue: Catalogue, report: WriteReport, workers: int = 1, progress: Stage | None = None
) -> None:
    """Personal data checked where it is published: every file written (pages, feeds, data, search index) and every
    file and folder name, read as their readers read them (privacy.findings_in_output). A hit fails the build,
    naming the profile (or plan) and line the text came from, before anything is published: `site/` stays as it was.

    Files whose path and bytes were scanned under the same rules before (content/scanned.py) are not scanned again:
    only a digest of them is made, so a new generated folder (CI) costs a read of each file, not a scan. The files
    digested last time where they still are (all but a few after one edit) are known here, without a worker."""
    paths = sorted(report.kept)
    memory = load_scanned(project.cache_dir)
    root = project.generated_dir
    known = [remembered_scan(root, path, memory) for path in paths] if memory.places else [None] * len(paths)
    unread = [path for path, scan in zip(paths, known, strict=True) if scan is None]
    forked = workers if len(unread) >= _SCAN_WORKERS_FROM else 1
    read = iter(fork_map(_scan_share, unread, shared=(root, memory), workers=forked, progress=progress))
    scans = [scan if scan is not None else next(read) for scan in known]
    log.debug("privacy scan: %d files, %d scanned", len(paths), sum(scan.scanned for scan in scans))
    save_scanned(project.cache_dir, paths, scans, memory)
    allowed = {
        f.value for e in catalogue.exemplars for contact in e.public_contacts for f in privacy.contacts_in(contact)
    }
    hits = [
        (path, finding)
        for path, scan in zip(paths, scans, strict=True)
        for finding in scan.findings
        if finding.value not in allowed
    ]
    if hits:
        raise ContentError(_origins(project, catalogue, hits, workers))


_SCAN_WORKERS_FROM = 200
"""Files to read before the scan starts workers: after one edit a few dozen change (the open data, a few lists and
search pieces), read faster here than two workers are forked from the build's process."""


def _scan_share(paths: Sequence[str]) -> list[Scan]:
    root, memory = shared()
    return [scan_output(root, path, memory) for path in paths]


def _origins(
    project: Project, catalogue: Catalogue, hits: list[tuple[str, privacy.Finding]], workers: int = 1
) -> list[Problem]:
    """Each piece of personal data found in the outputs, blamed on the file and line it came from: the profile (or
    plan) whose text holds it, else the generated file itself.

    The outputs' own story first (`guong/<slug>/…`), then the collection newest first, as a reader would look. Only
    the profiles whose text can hold one of the values found are loaded and checked line by line
    (`_profiles_holding`): at 100,000 profiles, loading every one for each finding took minutes."""
    values = list(dict.fromkeys(finding.value for _, finding in hits))
    holding = _profiles_holding(project, catalogue.exemplars, values, workers)
    position = {e.slug: index for index, e in enumerate(catalogue.exemplars)}
    seen: dict[int, dict[str, tuple[int, str | None, str]]] = {}
    in_plans: dict[str, Problem | None] = {}
    problems: dict[tuple[str, int | None, str], Problem] = {}
    for output, finding in hits:
        parts = output.split("/")
        own = position.get(parts[1]) if len(parts) > 2 and parts[0] == "guong" else None
        candidates = holding.get(finding.value, [])
        origin = None
        for index in ([own] if own in candidates else []) + candidates:
            if index not in seen:
                seen[index] = _personal_data_of(project, catalogue.exemplars[index])
            found = seen[index].get(finding.value)
            if found is not None:
                line, key, message = found
                source = catalogue.exemplars[index].source_path
                origin = Problem(source, line, key, f"{message} (tìm thấy trong `{output}` khi tạo trang)")
                break
        if origin is None:
            if finding.value not in in_plans:
                in_plans[finding.value] = _origin_in_plans(project, finding)
            origin = in_plans[finding.value]
        if origin is None:
            origin = Problem(
                f"{project.generated_dir.name}/{output}",
                None,
                None,
                f"{finding.message} (tệp này do lệnh tạo trang viết ra; hãy báo nhóm kỹ thuật)",
            )
        problems.setdefault((origin.path, origin.line, finding.value), origin)
    return list(problems.values())


def _personal_data_of(project: Project, exemplar: Exemplar) -> dict[str, tuple[int, str | None, str]]:
    """Value → (line, key, message) of the first place each piece of personal data stands in a profile."""
    loaded = load_profile(project.root / exemplar.source_path, exemplar.source_path).source
    if loaded is None:
        return {}
    photo = exemplar.photo.src if exemplar.photo else None
    found: dict[str, tuple[int, str | None, str]] = {}
    for line, key, message, value in personal_data_in(loaded, set(), exemplar.slug, photo):
        found.setdefault(value, (line, key, message))
    return found


def _profiles_holding(
    project: Project, exemplars: Sequence[Exemplar], values: Sequence[str], workers: int
) -> dict[str, list[int]]:
    """Value → positions of the profiles whose text can hold it, in order: a superset of those `personal_data_in`
    names it in, found by reading each file once (in worker processes) instead of loading and checking it."""
    found = fork_map(_holding_share, exemplars, shared=(project.root, values), workers=workers)
    holding: dict[str, list[int]] = {}
    for index, matched in enumerate(found):
        for number in matched:
            holding.setdefault(values[number], []).append(index)
    return holding


_MARKUP = re.compile(r"<[^>]*>|[*`\\~]")
"""What Markdown and HTML put inside a word (`huong<em>nt</em>@…`); `_` stays, since addresses use it."""
_NOT_DIGIT = re.compile(r"\D+")


def _holding_share(exemplars: Sequence[Exemplar]) -> list[list[int]]:
    """For each profile of a share: which of the values its text can hold. An address is looked for in the text as
    a reader reads it, lower-cased and without markup; a number by its digits after the first (a phone is written
    with 0, +84 or 84) in the text's digits run together, whatever groups, dashes or markup separate them."""
    root, values = shared()
    addresses = [(number, value) for number, value in enumerate(values) if "@" in value]
    numbers = [(number, value[1:]) for number, value in enumerate(values) if "@" not in value]
    matched: list[list[int]] = []
    for exemplar in exemplars:
        try:
            raw = (root / exemplar.source_path).read_text(encoding="utf-8", errors="replace")
        except OSError:
            raw = ""
        text = privacy.normalise(f"{exemplar.slug.replace('_', ' ')}\n{raw}")
        found = []
        if addresses:
            lowered = text.lower()
            words = _MARKUP.sub("", lowered)
            found += [number for number, value in addresses if value in words or value in lowered]
        if numbers:
            digits = _NOT_DIGIT.sub("", text)
            found += [number for number, key in numbers if key in digits]
        matched.append(sorted(found))
    return matched


def _origin_in_plans(project: Project, finding: privacy.Finding) -> Problem | None:
    for path in sorted(project.plans_dir.glob("*.yml")):
        text = path.read_text(encoding="utf-8")
        for number, line in enumerate(text.splitlines(), start=1):
            if any(f.value == finding.value for f in privacy.find_personal_data(line)):
                return Problem(project.shown(path), number, None, finding.message)
    return None
