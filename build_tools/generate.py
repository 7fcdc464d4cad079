"""The generation flow: load and validate → model → catalogue → render pages, feeds, data → write the generated folder.

MkDocs renders that folder afterwards (mkdocs/render.py); `build.build_site` runs both, then publishes."""

from __future__ import annotations

import contextlib
import errno
import hashlib
import logging
import os
import pickle
import re
import shutil
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from jinja2 import TemplateError

from .content import privacy
from .content.catalogue import Catalogue, build_catalogue
from .content.checked import load_checked, profile_stamp, save_checked, scope_stamp
from .content.config import Project, Settings
from .content.load import link_problem, linked_entries, load_profile, load_yaml_file
from .content.model import Exemplar, Field, Plan, Province
from .content.problems import ContentError, Problem
from .content.richtext import absolute_html as make_absolute
from .content.richtext import cached_story, render_story
from .content.schema import (
    Vocabulary,
    build_exemplar,
    build_fields,
    build_plan,
    build_provinces,
    personal_data_in,
    validate_plan,
    validate_profile,
    validate_taxonomies,
)
from .engine.parallel import fork_map, shared, worker_count
from .engine.timings import Stage, Timings, optional_stage
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


@dataclass(frozen=True)
class Content:
    """Everything read and checked; `exemplars` includes drafts (callers decide whether to publish them)."""

    fields: dict[str, Field]
    provinces: dict[str, Province]
    plans: dict[str, Plan]
    exemplars: list[Exemplar]


def load_taxonomies(project: Project) -> tuple[dict[str, Field], dict[str, Province], list[Problem]]:
    linked = [
        Problem(f"plans/{name}", None, None, message)
        for name in ("fields.yml", "provinces.yml")
        if (message := link_problem(project.plans_dir / name, project.root)) is not None
    ]
    if linked:
        return {}, {}, linked
    fields_result = load_yaml_file(project.plans_dir / "fields.yml", "plans/fields.yml")
    provinces_result = load_yaml_file(project.plans_dir / "provinces.yml", "plans/provinces.yml")
    problems = fields_result.problems + provinces_result.problems
    if fields_result.source is None or provinces_result.source is None or problems:
        return {}, {}, problems
    problems = validate_taxonomies(fields_result.source, provinces_result.source)
    if problems:
        return {}, {}, problems
    return build_fields(fields_result.source), build_provinces(provinces_result.source), []


def load_plans(
    project: Project, fields: dict[str, Field], provinces: dict[str, Province]
) -> tuple[dict[str, Plan], list[Problem]]:
    plans: dict[str, Plan] = {}
    problems: list[Problem] = []
    vocabulary = {"fields": list(fields), "provinces": list(provinces)}
    for path in sorted(project.plans_dir.glob("*.yml")):
        if path.name in ("fields.yml", "provinces.yml"):
            continue
        linked = link_problem(path, project.root)
        if linked is not None:
            problems.append(Problem(project.shown(path), None, None, linked))
            continue
        result = load_yaml_file(path, project.shown(path))
        problems += result.problems
        if result.source is None:
            continue
        found = validate_plan(result.source, path.stem, vocabulary)
        problems += found
        source_name = result.source.data.get("source") if isinstance(result.source.data, dict) else None
        source_problem = _plan_source_problem(project, source_name) if isinstance(source_name, str) else None
        if source_problem is not None:
            found = [
                *found,
                Problem(result.source.path, result.source.lines.get("source", 1), "source", source_problem),
            ]
            problems += found[-1:]
        elif isinstance(source_name, str) and not (project.plans_dir / "sources" / source_name).is_file():
            found = [
                *found,
                Problem(
                    result.source.path,
                    result.source.lines.get("source", 1),
                    "source",
                    f"không tìm thấy văn bản gốc `plans/sources/{source_name}`. Hãy thêm văn bản gốc vào thư mục đó.",
                ),
            ]
            problems += found[-1:]
        if not found and not result.problems:
            plan = build_plan(result.source)
            plans[plan.id] = plan
    return plans, problems


def _plan_source_problem(project: Project, name: str) -> str | None:
    """A plan's `source` names a file in plans/sources/: never a path elsewhere, never a link."""
    if "/" in name or "\\" in name or name.startswith("."):
        return (
            f"`{name}` là một đường dẫn. Chỉ ghi tên tệp văn bản gốc nằm trong thư mục plans/sources/, "
            "ví dụ `source: 002_6f18d55fef7a3bb5.txt`."
        )
    return link_problem(project.plans_dir / "sources" / name, project.root)


def find_profiles(project: Project) -> tuple[list[Path], list[Problem]]:
    """Every `index.md` under exemplars/ (groups like exemplars/2023/ allowed); stray Markdown is a problem, and so
    is a profile left where nothing reads it (issue 20): a mistake an officer cannot see must not pass silently."""
    profiles, problems = [], []
    outside = link_problem(project.exemplars_dir, project.root)
    if outside is not None:
        return [], [Problem("exemplars", None, None, outside)]
    linked = [p for p in linked_entries(project.exemplars_dir) if p.is_dir() or p.suffix == ".md"]
    problems += [Problem(project.shown(p), None, None, link_problem(p, project.root) or "") for p in linked]
    paths = [path for path in _markdown_files(project.exemplars_dir) if path not in linked]
    folders_with_profile = {path.parent for path in paths if path.name == "index.md"}
    for path in paths:
        if path.name == "index.md" and path.parent != project.exemplars_dir:
            profiles.append(path)
        elif _NUMBERED_INDEX.match(path.name) and (path.parent / "index.md").is_file():
            problems.append(Problem(project.shown(path), None, None, _second_profile_message(project, path)))
        elif path.name.lower() not in ("readme.md",):
            problems.append(
                Problem(project.shown(path), None, None, _stray_message(project, path, folders_with_profile))
            )
    return profiles, problems + profiles_outside_exemplars(project)


_INDEX_LOOKALIKES = ("index.md.txt", "index.txt", "index.markdown", "index.mdx", "index.md.md")
"""Names a profile gets by mistake: Windows hides the `.txt` Notepad adds, editors offer other extensions."""


def _stray_message(project: Project, path: Path, folders_with_profile: set[Path]) -> str:
    """What to do with a file under exemplars/ that is not read as a profile."""
    if path.parent == project.exemplars_dir and path.name == "index.md":
        return (
            "hồ sơ phải nằm trong thư mục riêng mang tên đường dẫn, ví dụ `exemplars/nguyen-thi-huong-nam-dinh/"
            "index.md`, không đặt thẳng trong `exemplars/`. Hãy tạo thư mục rồi chuyển tệp vào đó."
        )
    if path.name.lower() in _INDEX_LOOKALIKES or path.name.lower() == "index.md":
        return (
            f"tệp tên `{path.name}` không được đọc: hồ sơ phải tên đúng `index.md`, chữ thường (Windows có thể đang "
            "ẩn phần đuôi `.txt` mà Notepad thêm vào). Hãy đổi tên tệp thành `index.md`."
        )
    if path.parent in folders_with_profile:
        return (
            "tệp Markdown này nằm cạnh `index.md` của hồ sơ nên không được đọc: mỗi hồ sơ chỉ có một tệp "
            "`index.md`. Hãy chép phần cần giữ vào `index.md` rồi xóa tệp này."
        )
    return (
        "hồ sơ phải là tệp `index.md` trong thư mục riêng mang tên đường dẫn, ví dụ "
        f"`exemplars/{path.stem}/index.md`. Hãy tạo thư mục và đổi tên tệp."
    )


_NOT_CONTENT = {"exemplars", "tests", "build_tools", "benchmarks", "node_modules", "site", "__pycache__"}
_PROFILE_KEYS = re.compile(r"^kind:.*^fields:|^fields:.*^kind:", re.MULTILINE | re.DOTALL)


def profiles_outside_exemplars(project: Project, depth: int = 4) -> list[Problem]:
    """Profiles placed outside exemplars/ (at the repository's root, in content/…): found by their front matter
    (`kind:` and `fields:`), reported instead of silently never published (or, in content/, published raw)."""
    problems = []
    for folder, dirs, names in os.walk(project.root):
        here = Path(folder)
        level = len(here.relative_to(project.root).parts)
        dirs[:] = (
            []
            if level >= depth
            else sorted(
                name
                for name in dirs
                if not name.startswith((".", "_"))
                and not (level == 0 and name in _NOT_CONTENT)
                and not (here / name / "pyvenv.cfg").exists()
            )
        )
        for name in sorted(names):
            if not name.lower().endswith(".md") or (level == 0 and name.upper() in ("README.MD", "CONTRIBUTING.MD")):
                continue
            path = here / name
            try:
                head = path.read_bytes()[:4096].decode("utf-8", "replace").replace("\r\n", "\n")
            except OSError:
                continue
            if not head.startswith("---\n") or not _PROFILE_KEYS.search(head.split("\n---", 1)[0]):
                continue
            folder_name = here.name if name.lower() == "index.md" and level else path.stem
            problems.append(
                Problem(
                    project.shown(path),
                    None,
                    None,
                    "đây là một hồ sơ nhưng nằm ngoài thư mục `exemplars/` nên không được kiểm tra và không được "
                    "đăng như một hồ sơ. Hãy chuyển nó vào `exemplars/`, thành "
                    f"`exemplars/{folder_name}/index.md` (ảnh đi kèm đặt cùng thư mục).",
                )
            )
    return problems


_NUMBERED_INDEX = re.compile(r"^index-\d+\.md$")


def _second_profile_message(project: Project, path: Path) -> str:
    """`index-1.md` beside `index.md`: a second exemplar saved into the first one's folder (two namesakes)."""
    folder = project.shown(path.parent)
    return (
        f"thư mục {folder}/ đã có hồ sơ index.md; tệp {path.name} là hồ sơ thứ hai bị lưu vào cùng thư mục (hai "
        f"người trùng tên và trùng tỉnh). Hãy chuyển tệp này sang thư mục riêng, ví dụ `{folder}-2/index.md`, cùng "
        "với ảnh của hồ sơ đó, và sửa đường dẫn cho khác."
    )


def _markdown_files(root: Path) -> list[Path]:
    """`sorted(root.rglob("*.md"))` and the names a profile gets by mistake (`index.md.txt`), walked with strings:
    10,000 profile folders took half a second as `Path`s."""
    found: list[str] = []
    for folder, _, names in os.walk(root):
        found += [
            os.path.join(folder, name) for name in names if name.endswith(".md") or name.lower() in _INDEX_LOOKALIKES
        ]
    found.sort(key=lambda path: path.split(os.sep))
    return [Path(path) for path in found]


def load_content(project: Project, workers: int = 1, progress: Stage | None = None) -> Content:
    """Read and check everything; raise `ContentError` with every problem found, across all files."""
    fields, provinces, problems = load_taxonomies(project)
    if problems:
        raise ContentError(problems)
    plans, problems = load_plans(project, fields, provinces)
    plan_ids = [path.stem for path in project.plans_dir.glob("*.yml") if path.stem not in ("fields", "provinces")]
    vocabulary = Vocabulary(fields, provinces, plan_ids, project.settings.content_date)
    paths, found = find_profiles(project)
    problems += found
    scope = scope_stamp(vocabulary)
    remembered = load_checked(project.cache_dir, scope)
    exemplars: list[Exemplar] = []
    checked: dict[str, tuple[bytes, Exemplar]] = {}
    loaded = fork_map(
        _load_profiles, paths, shared=(project, vocabulary, remembered), workers=workers, progress=progress
    )
    for path, (profile_problems, exemplar, stamp) in zip(paths, loaded, strict=True):
        problems += profile_problems
        if exemplar == _REMEMBERED:  # a string, pickled back from a worker
            exemplar = remembered.entries[str(path)][1]
        if isinstance(exemplar, Exemplar):
            exemplars.append(exemplar)
            if not profile_problems:
                checked[str(path)] = (stamp, exemplar)
    if checked.keys() != remembered.entries.keys() or any(
        remembered.entries[path][0] != stamp for path, (stamp, _) in checked.items()
    ):
        save_checked(project.cache_dir, scope, checked)
    if problems:
        # The rules across files too (duplicate slugs, aliases), so one run reports all that can be known now.
        checkable = [e for e in exemplars if all(plan in plans for plan in e.plans)]
        problems += build_catalogue(checkable, plans, fields, provinces)[1]
        raise ContentError(problems)
    return Content(fields, provinces, plans, exemplars)


_REMEMBERED = "remembered"
"""A worker's answer for a profile that `checked.py` remembers unchanged: the build's process has it already."""


def _load_profiles(paths: Sequence[Path]) -> list[tuple[list[Problem], Exemplar | str | None, bytes]]:
    """Per-file rules for a share of the profiles (in a worker process when there are several)."""
    project, vocabulary, remembered = shared()
    loaded: list[tuple[list[Problem], Exemplar | str | None, bytes]] = []
    for path in paths:
        stamp = profile_stamp(path)
        if remembered.get(str(path), stamp) is not None:
            loaded.append(([], _REMEMBERED, stamp))
            continue
        result = load_profile(path, project.shown(path))
        if result.source is None:
            loaded.append((result.problems, None, stamp))
            continue
        slug = path.parent.name
        found = validate_profile(result.source, slug, path.parent, vocabulary)
        good = not found and not result.problems
        exemplar = build_exemplar(result.source, slug, path.parent) if good else None
        loaded.append((result.problems + found, exemplar, stamp))
    return loaded


def check(project: Project, workers: int | None = None, timings: Timings | None = None) -> Catalogue:
    """`exemplars check`: every rule, per file and across files, drafts included."""
    with optional_stage(timings, "check") as stage:
        content = load_content(project, worker_count(workers), stage)
        catalogue, problems = build_catalogue(content.exemplars, content.plans, content.fields, content.provinces)
    if problems:
        raise ContentError(problems)
    return catalogue


def gather(project: Project, drafts: bool = False, workers: int = 1, progress: Stage | None = None) -> Catalogue:
    content = load_content(project, workers, progress)
    # Drafts are checked like any profile, so errors surface before publication, but only `serve` shows them.
    catalogue, problems = build_catalogue(content.exemplars, content.plans, content.fields, content.provinces)
    if problems:
        raise ContentError(problems)
    published = [e for e in content.exemplars if drafts or not e.draft]
    if len(published) < len(content.exemplars):
        catalogue, _ = build_catalogue(published, content.plans, content.fields, content.provinces)
    return catalogue


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
    with optional_stage(timings, "check") as stage:
        catalogue = gather(project, drafts=drafts, workers=workers, progress=stage)
    shutil.rmtree(project.former_generated_dir, ignore_errors=True)  # MkDocs would walk it, hidden or not
    writer = TreeWriter(project.generated_dir)
    settings = project.settings
    with optional_stage(timings, "photos") as stage:
        images = fork_map(
            _process_images, catalogue.exemplars, shared=(project, catalogue), workers=workers, progress=stage
        )
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
        with optional_stage(timings, "stories") as stage:
            inputs = RenderInputs(catalogue, settings, {}, photos, drafts, cards=cards)
            common = page_context(inputs)
            fed = set() if drafts else fed_slugs(catalogue, settings)  # `serve` shows drafts, which feeds never carry
            job = _StoryJob(inputs, common, thumbnails, writer.root, project.cache_dir / "stories", fed, drafts, spool)
            stories = fork_map(_render_story_share, catalogue.exemplars, shared=job, workers=workers, progress=stage)
            for story in stories:
                writer.claim(story.page, story.written)
        with optional_stage(timings, "pages") as stage:
            for exemplar in catalogue.exemplars:
                for alias in exemplar.aliases:
                    writer.add(
                        f"guong/{alias}/index.html", render_redirect(exemplar.url, f"guong/{alias}/", exemplar.name)
                    )
            listed = list_pages(inputs, common)
            pages = fork_map(
                _write_pages, range(len(listed)), shared=(listed, common, writer.root), workers=workers, progress=stage
            )
            for path, written in pages:
                writer.claim(path, written)
        with optional_stage(timings, "search"):
            documents = [story.search_document for story in stories] + page_documents(catalogue)
            writer.update(build_search_index(catalogue, documents, workers).files, workers)
        with optional_stage(timings, "feeds_data") as stage:
            absolute = {
                e.slug: story.absolute_html
                for e, story in zip(catalogue.exemplars, stories, strict=True)
                if story.absolute_html is not None
            }
            newsroom = _NewsroomJob(inputs, absolute, spool, not drafts, writer.root)
            parts = fork_map(
                _write_newsroom_part,
                NEWSROOM_PARTS,
                shared=newsroom,
                workers=workers,
                chunks_per_worker=1,
                progress=stage,
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
    with optional_stage(timings, "privacy") as stage:
        scan_outputs(project, catalogue, report, workers, stage)
    return catalogue, report


_SCAN_STAMP = "privacy-scan"
"""In the cache: the rules under which every file now in the generated folder was scanned. A file unchanged since
is not scanned again (at 10,000 stories a warm build rewrites a handful); new rules rescan everything."""


def scan_outputs(
    project: Project, catalogue: Catalogue, report: WriteReport, workers: int = 1, progress: Stage | None = None
) -> None:
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
    found = fork_map(_scan_share, paths, shared=(project.generated_dir, allowed), workers=workers, progress=progress)
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
