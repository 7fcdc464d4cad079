"""The generation flow: load and validate → model → catalogue → render pages, feeds, data → write the generated folder.

MkDocs renders that folder afterwards (mkdocs/render.py); `build.build_site` runs both, then publishes."""

from __future__ import annotations

import contextlib
import errno
import hashlib
import logging
import pickle
import shutil
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from jinja2 import TemplateError

from .content import privacy
from .content.catalogue import Catalogue
from .content.config import Project, Settings
from .content.gather import gather
from .content.load import load_profile
from .content.model import Exemplar
from .content.problems import ContentError, Problem
from .content.richtext import absolute_html as make_absolute
from .content.richtext import cached_story, render_story
from .content.schema import personal_data_in
from .engine.parallel import fork_map, shared, worker_count
from .engine.timings import Timings, optional_stage
from .engine.write import Outputs, TreeWriter, WriteReport, write_file
from .site.feeds import FeedItem, build_item, fed_slugs, list_feeds, render_feeds
from .site.opendata import Record, RowContext, exemplar_record, render_open_data
from .site.pages import (
    PageSpec,
    RenderInputs,
    list_pages,
    page_context,
    render_newsroom_pages,
    render_page,
    render_pages,
    render_redirect,
    render_story_pages,
)
from .site.photos import PhotoSet, Variant, process_photo, process_thumbnail
from .site.progress import resolve_content_date
from .site.search import SearchDocument, build_search_index, page_documents, render_search, story_document
from .site.sharecard import MissingFont, render_share_card
from .site.social import SITE_CARD, build_card_text, build_site_card_text
from .site.statistics import build_statistics, render_statistics_csv

log = logging.getLogger("exemplars")


def render_outputs(project: Project, catalogue: Catalogue, drafts: bool = False) -> Outputs:
    """Everything the generated folder will hold, in memory, in this process: for tests and small sites.

    `generate` writes the same files, spread over worker processes and written as they are made.
    """
    photos: dict[str, PhotoSet] = {}
    cards: dict[str, Variant] = {}
    outputs = Outputs()
    for exemplar in catalogue.exemplars:
        if exemplar.photo is not None:
            photo_set = process_photo(exemplar.photo.path, project.cache_dir / "photos")
            photos[exemplar.slug] = photo_set
            for variant in photo_set.published:
                outputs.add(f"guong/{exemplar.slug}/{variant.name}", variant.cached)
        else:
            card = render_share_card(
                build_card_text(exemplar, catalogue, project.settings), project.cache_dir / "cards"
            )
            cards[exemplar.slug] = card
            outputs.add(f"guong/{exemplar.slug}/{card.name}", card.cached)
        for alias in exemplar.aliases:
            outputs.add(
                f"guong/{alias}/index.html",
                render_redirect(exemplar.url, f"guong/{alias}/", exemplar.name),
            )
    story_html = {e.slug: render_story(e.body_markdown) for e in catalogue.exemplars}
    site_card = render_share_card(build_site_card_text(project.settings), project.cache_dir / "cards")
    outputs.add(SITE_CARD, site_card.cached)
    inputs = RenderInputs(catalogue, project.settings, story_html, photos, drafts, cards=cards)
    outputs.update(render_pages(inputs))
    outputs.update(render_newsroom_outputs(inputs))
    as_of = resolve_content_date(project.settings.content_date, catalogue)
    outputs.update(render_statistics_csv(build_statistics(catalogue, as_of)))
    outputs.update(render_search_files(project, catalogue, story_html))
    return outputs


def render_search_files(project: Project, catalogue: Catalogue, story_html: dict[str, str]) -> dict[str, bytes | Path]:
    """The search index, and the small square photo each result shows."""
    files: dict[str, bytes | Path] = {}
    thumbnails: dict[str, str] = {}
    for exemplar in catalogue.exemplars:
        if exemplar.photo is not None:
            thumbnail = process_thumbnail(exemplar.photo.path, project.cache_dir / "photos")
            thumbnails[exemplar.slug] = f"{exemplar.url}{thumbnail.name}"
            files[thumbnails[exemplar.slug]] = thumbnail.cached
    files.update(render_search(catalogue, story_html, thumbnails))
    return files


def render_newsroom_outputs(inputs: RenderInputs, absolute_html: Mapping[str, str] | None = None) -> dict[str, bytes]:
    """Feeds, open data, and the two pages that document them; drafts never reach any of them.

    `absolute_html`: the stories with absolute links, when the caller already made them (one pass per story,
    shared by feeds and data); otherwise they are made here from `inputs.story_html`.
    """
    cat, settings = inputs.catalogue, inputs.settings
    if absolute_html is None:
        absolute_html = {e.slug: absolute_story(e, inputs.story_html[e.slug], settings) for e in cat.exemplars}
    files: dict[str, bytes] = {}
    for part in NEWSROOM_PARTS:
        made, warnings = render_newsroom_part(part, inputs, absolute_html)
        files.update(made)
        for warning in warnings:
            log.warning(warning)
    return files


NEWSROOM_PARTS = ("feeds", "data")
"""The two halves of the newsroom's files, of about equal cost, made side by side when there are two cores."""


def render_newsroom_part(
    part: str,
    inputs: RenderInputs,
    absolute_html: Mapping[str, str],
    records: Mapping[str, Record] | None = None,
    feed_items: Mapping[str, FeedItem] | None = None,
) -> tuple[dict[str, bytes], tuple[str, ...]]:
    """The feeds (with what was cut to keep each under its size limit), or the open data and the press and data
    pages (which list the feeds); `records` and `feed_items`: the data's rows and the feeds' items, when made with
    the stories."""
    cat, settings = inputs.catalogue, inputs.settings
    if part == "feeds":
        feeds = render_feeds(cat, settings, absolute_html, inputs.photos, items=feed_items)
        return dict(feeds.files), tuple(feeds.warnings)
    data = render_open_data(cat, settings, absolute_html, inputs.photos, records)
    pages = render_newsroom_pages(inputs, list_feeds(cat, settings), data)
    return {**data.outputs(), **{path: text.encode("utf-8") for path, text in pages.items()}}, ()


def absolute_story(exemplar: Exemplar, html: str, settings: Settings) -> str:
    """The story as feeds and open data carry it: every link and image absolute (a newsroom's copy must work)."""
    return make_absolute(html, settings.site_url + exemplar.url).strip()


@dataclass(frozen=True)
class StoryOutput:
    """What a story worker hands back for one exemplar; the story page itself it writes on the spot."""

    page: str
    """Path of the story page under the generated folder."""
    written: bool
    absolute_html: str | None
    """The story with absolute links, when feeds are made from it here (`serve`); else the feed item has it."""
    search_document: SearchDocument


@dataclass(frozen=True)
class _StoryJob:
    """What story workers read (inherited by the forked processes, never pickled)."""

    inputs: RenderInputs
    common: Mapping[str, object]
    thumbnails: Mapping[str, str]
    root: Path
    cache_dir: Path
    fed: set[str]
    """Stories some feed carries (`feeds.fed_slugs`)."""
    keep_absolute: bool
    """Hand back each story's absolute copy (when feed items are not made in the workers)."""
    spool: Path
    """Where each run of stories leaves its open-data records and feed items for the newsroom workers."""


def _render_story_share(exemplars: Sequence[Exemplar]) -> list[StoryOutput]:
    """Markdown → safe HTML, the story page, the search document, the absolute copy, the open data's record and the
    feed item: all a story needs, at once."""
    job: _StoryJob = shared()
    outputs: list[StoryOutput] = []
    records: dict[str, Record] = {}
    items: dict[str, FeedItem] = {}
    for exemplar in exemplars:
        with processing(exemplar.source_path):
            outputs.append(_render_story(job, exemplar, records, items))
    if exemplars:  # a file per run, named by its first story
        for kind, made in (("records", records), ("items", items)):
            (job.spool / f"{kind}-{exemplars[0].slug}.pickle").write_bytes(pickle.dumps(made, pickle.HIGHEST_PROTOCOL))
    return outputs


def _render_story(
    job: _StoryJob, exemplar: Exemplar, records: dict[str, Record], items: dict[str, FeedItem]
) -> StoryOutput:
    """One story's share of the work (see `_render_story_share`)."""
    cat, settings = job.inputs.catalogue, job.inputs.settings
    html = cached_story(exemplar.body_markdown, job.cache_dir)
    inputs = replace(job.inputs, story_html={exemplar.slug: html})
    [(path, text)] = render_story_pages(inputs, [exemplar], job.common).items()
    absolute = absolute_story(exemplar, html, settings)
    if not exemplar.draft:  # the open data never carries a draft
        records[exemplar.slug] = exemplar_record(
            exemplar, RowContext(cat, settings, {exemplar.slug: absolute}, job.inputs.photos)
        )
    if exemplar.slug in job.fed:
        items[exemplar.slug] = build_item(exemplar, cat, settings, absolute, job.inputs.photos)
    return StoryOutput(
        path,
        write_file(job.root, path, text),
        absolute if job.keep_absolute else None,
        story_document(cat, exemplar, html, job.thumbnails.get(exemplar.slug)),
    )


def _spooled(spool: Path, kind: str) -> dict[str, Any]:
    """What the story workers left in the spool: every record, or every feed item, by slug."""
    found: dict[str, Any] = {}
    for path in spool.glob(f"{kind}-*.pickle"):
        found.update(pickle.loads(path.read_bytes()))
    return found


def _write_pages(numbers: Sequence[int]) -> list[tuple[str, bool]]:
    """A share of the pages that list stories (thousands at 10,000 stories), rendered and written on the spot."""
    listed: list[PageSpec]
    listed, common, root = shared()
    return [(listed[n].path, write_file(root, listed[n].path, render_page(listed[n], common))) for n in numbers]


@dataclass(frozen=True)
class _NewsroomJob:
    """What the two newsroom workers read (inherited by the forked processes, never pickled)."""

    inputs: RenderInputs
    absolute_html: Mapping[str, str]
    spool: Path
    """Records and feed items, left by the story workers (read by the worker that needs them, not this process:
    at 10,000 stories they are a hundred megabytes, and the stories' text in them three times)."""
    items_spooled: bool
    """Whether feed items were made with the stories (not under `serve`, whose drafts feeds never carry)."""
    root: Path


def _write_newsroom_part(parts: Sequence[str]) -> list[tuple[list[tuple[str, bool]], tuple[str, ...]]]:
    """Feeds or data, written on the spot: only paths and warnings travel back, not tens of megabytes."""
    job: _NewsroomJob = shared()
    made = []
    for part in parts:
        records = _spooled(job.spool, "records") if part == "data" else None
        items = _spooled(job.spool, "items") if part == "feeds" and job.items_spooled else None
        files, warnings = render_newsroom_part(part, job.inputs, job.absolute_html, records, items)
        made.append(([(path, write_file(job.root, path, data)) for path, data in sorted(files.items())], warnings))
    return made


def _process_images(exemplars: Sequence[Exemplar]) -> list[tuple[PhotoSet | None, Variant]]:
    """Each photo's variants and search thumbnail, or the share card drawn for a story without a photo; made once,
    then read from the cache."""
    project, catalogue = shared()
    photos, cards = project.cache_dir / "photos", project.cache_dir / "cards"
    made: list[tuple[PhotoSet | None, Variant]] = []
    for e in exemplars:
        with processing(e.source_path, e.photo.src if e.photo else None):
            made.append(
                (process_photo(e.photo.path, photos), process_thumbnail(e.photo.path, photos))
                if e.photo is not None
                else (None, render_share_card(build_card_text(e, catalogue, project.settings), cards))
            )
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


def generate(
    project: Project, drafts: bool = False, *, workers: int | None = None, timings: Timings | None = None
) -> WriteReport:
    """Check, render and write the generated pages; on any problem in the content nothing is written."""
    return _generate(project, drafts, worker_count(workers), timings)[1]


def _generate(project: Project, drafts: bool, workers: int, timings: Timings | None) -> tuple[Catalogue, WriteReport]:
    """The work on each story (and each photo, and each profile's checks) is spread over `workers` processes;
    what spans the collection (lists, search index, feeds, data) is done here once the stories are in."""
    try:
        return _generate_all(project, drafts, workers, timings)
    except ProfileFailure as failure:
        raise ContentError([failure.problem()]) from failure


def _generate_all(
    project: Project, drafts: bool, workers: int, timings: Timings | None
) -> tuple[Catalogue, WriteReport]:
    with optional_stage(timings, "check"):
        catalogue = gather(project, drafts=drafts, workers=workers)
    shutil.rmtree(project.former_generated_dir, ignore_errors=True)  # MkDocs would walk it, hidden or not
    writer = TreeWriter(project.generated_dir)
    settings = project.settings
    with optional_stage(timings, "photos"):
        images = fork_map(_process_images, catalogue.exemplars, shared=(project, catalogue), workers=workers)
        photos: dict[str, PhotoSet] = {}
        thumbnails: dict[str, str] = {}
        cards: dict[str, Variant] = {}
        for exemplar, (photo_set, image) in zip(catalogue.exemplars, images, strict=True):
            if photo_set is None:
                cards[exemplar.slug] = image
                writer.add(f"{exemplar.url}{image.name}", image.cached)
                continue
            photos[exemplar.slug] = photo_set
            for variant in (*photo_set.published, image):
                writer.add(f"{exemplar.url}{variant.name}", variant.cached)
            thumbnails[exemplar.slug] = f"{exemplar.url}{image.name}"
        site_card = render_share_card(build_site_card_text(settings), project.cache_dir / "cards")
        writer.add(SITE_CARD, site_card.cached)
    spool = Path(tempfile.mkdtemp(prefix="exemplars-spool-"))
    try:
        with optional_stage(timings, "stories"):
            inputs = RenderInputs(catalogue, settings, {}, photos, drafts, cards=cards)
            common = page_context(inputs)
            fed = set() if drafts else fed_slugs(catalogue, settings)  # `serve` shows drafts, which feeds never carry
            job = _StoryJob(inputs, common, thumbnails, writer.root, project.cache_dir / "stories", fed, drafts, spool)
            stories = fork_map(_render_story_share, catalogue.exemplars, shared=job, workers=workers)
            for story in stories:
                writer.claim(story.page, story.written)
        with optional_stage(timings, "pages"):
            for exemplar in catalogue.exemplars:
                for alias in exemplar.aliases:
                    writer.add(
                        f"guong/{alias}/index.html", render_redirect(exemplar.url, f"guong/{alias}/", exemplar.name)
                    )
            listed = list_pages(inputs, common)
            pages = fork_map(_write_pages, range(len(listed)), shared=(listed, common, writer.root), workers=workers)
            for path, written in pages:
                writer.claim(path, written)
        with optional_stage(timings, "search"):
            documents = [story.search_document for story in stories] + page_documents(catalogue)
            writer.update(build_search_index(catalogue, documents, workers).files, workers)
        with optional_stage(timings, "feeds_data"):
            absolute = {
                e.slug: story.absolute_html
                for e, story in zip(catalogue.exemplars, stories, strict=True)
                if story.absolute_html is not None
            }
            newsroom = _NewsroomJob(inputs, absolute, spool, not drafts, writer.root)
            parts = fork_map(
                _write_newsroom_part, NEWSROOM_PARTS, shared=newsroom, workers=workers, chunks_per_worker=1
            )
            for written, warnings in parts:
                for path, was_written in written:
                    writer.claim(path, was_written)
                for warning in warnings:
                    log.warning(warning)
            writer.update(render_statistics_csv(build_statistics(catalogue, common["as_of"])))  # type: ignore[arg-type]
    finally:
        shutil.rmtree(spool, ignore_errors=True)
    with optional_stage(timings, "write"):
        report = writer.finish()
    with optional_stage(timings, "privacy"):
        scan_outputs(project, catalogue, report, workers)
    return catalogue, report


_SCAN_STAMP = "privacy-scan"
"""In the cache: the rules under which every file now in the generated folder was scanned. A file unchanged since
is not scanned again (at 10,000 stories a warm build rewrites a handful); new rules rescan everything."""


def scan_outputs(project: Project, catalogue: Catalogue, report: WriteReport, workers: int = 1) -> None:
    """Personal data checked where it is published: every file written (pages, feeds, data, search index) and every
    file and folder name, read as their readers read them (privacy.findings_in_output). A hit fails the build,
    naming the profile (or plan) and line the text came from, before MkDocs runs: `site/` stays as it was."""
    stamp_path = project.cache_dir / _SCAN_STAMP
    stamp = hashlib.sha256(Path(privacy.__file__).read_bytes()).hexdigest()
    try:
        rescan = stamp_path.read_text(encoding="utf-8") != stamp
    except OSError:
        rescan = True
    paths = sorted(report.kept if rescan else report.written)
    allowed = {
        f.value for e in catalogue.exemplars for contact in e.public_contacts for f in privacy.contacts_in(contact)
    }
    found = fork_map(_scan_share, paths, shared=(project.generated_dir, allowed), workers=workers)
    hits = [(path, finding) for path, findings in zip(paths, found, strict=True) for finding in findings]
    if hits:
        raise ContentError(_origins(project, catalogue, hits))
    project.cache_dir.mkdir(parents=True, exist_ok=True)
    write_file(project.cache_dir, _SCAN_STAMP, stamp)


def _scan_share(paths: Sequence[str]) -> list[list[privacy.Finding]]:
    root, allowed = shared()
    found = []
    for path in paths:
        try:
            data = (root / path).read_bytes()
        except FileNotFoundError:
            data = b""
        found.append([f for f in privacy.findings_in_output(path, data) if f.value not in allowed])
    return found


def _origins(project: Project, catalogue: Catalogue, hits: list[tuple[str, privacy.Finding]]) -> list[Problem]:
    """Each piece of personal data found in the outputs, blamed on the file and line it came from: the profile (or
    plan) whose text holds it, else the generated file itself."""
    problems: dict[tuple[str, int | None, str], Problem] = {}
    for output, finding in hits:
        origin = _origin_in_profiles(project, catalogue, output, finding) or _origin_in_plans(project, finding)
        if origin is None:
            origin = Problem(
                f"{project.generated_dir.name}/{output}",
                None,
                None,
                f"{finding.message} (tệp này do lệnh tạo trang viết ra; hãy báo nhóm kỹ thuật)",
            )
        problems.setdefault((origin.path, origin.line, finding.value), origin)
    return list(problems.values())


def _origin_in_profiles(
    project: Project, catalogue: Catalogue, output: str, finding: privacy.Finding
) -> Problem | None:
    by_slug = {e.slug: e for e in catalogue.exemplars}
    parts = output.split("/")
    first = by_slug.get(parts[1]) if len(parts) > 2 and parts[0] == "guong" else None
    for exemplar in ([first] if first else []) + list(catalogue.exemplars):
        path = project.root / exemplar.source_path
        loaded = load_profile(path, exemplar.source_path).source
        if loaded is None:
            continue
        photo = exemplar.photo.src if exemplar.photo else None
        for line, key, message, value in personal_data_in(loaded, set(), exemplar.slug, photo):
            if value == finding.value:
                return Problem(exemplar.source_path, line, key, f"{message} (tìm thấy trong `{output}` khi tạo trang)")
    return None


def _origin_in_plans(project: Project, finding: privacy.Finding) -> Problem | None:
    for path in sorted(project.plans_dir.glob("*.yml")):
        text = path.read_text(encoding="utf-8")
        for number, line in enumerate(text.splitlines(), start=1):
            if any(f.value == finding.value for f in privacy.find_personal_data(line)):
                return Problem(project.shown(path), number, None, finding.message)
    return None
