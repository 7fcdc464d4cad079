"""`exemplars serve`: the preview an officer watches while editing a profile, fast at 10,000 profiles.

MkDocs' own `serve` regenerates everything and rebuilds every page on each change (minutes at 10,000 profiles),
and polls every file of the tree twice a second. Here the first build is a normal one (drafts shown), then:

1. the file system reports a change (inotify where available, through watchdog, MkDocs' own dependency);
2. if only profiles or their photos changed, the changed profiles are read and checked again, the catalogue is
   rebuilt (rules across files too), and only their story pages are rendered: by our templates, then by MkDocs'
   own page machinery (the same functions `mkdocs build` calls for each page) into the served folder. Browsers
   reload; the changed story is visible in well under a second;
3. meanwhile a full regeneration runs in a separate process (what the change does to lists, search, feeds…):
   only the files it changes are rendered again, and browsers reload once more;
4. a change to plans, hand-written pages, the theme or mkdocs.yml rebuilds everything, as MkDocs would.

Content errors are printed (in Vietnamese, with file and line) and the last good pages stay served, with the
problems laid over every page (and the 404 page) until they are fixed: the officer watching the browser sees them.
When the very first build fails, every address answers the list, and the next change tries the build again.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import watchdog.events
import watchdog.observers
from jinja2 import Environment, PackageLoader, StrictUndefined

from ..content.catalogue import Catalogue, build_catalogue
from ..content.config import Project, load_project
from ..content.discover import find_profiles
from ..content.gather import load_content, load_taxonomies
from ..content.load import load_profile
from ..content.model import Exemplar
from ..content.problems import ContentError, Problem, format_problems
from ..content.schema.builders import build_exemplar
from ..content.schema.profile import validate_profile
from ..content.schema.vocabulary import Vocabulary
from ..engine.parallel import bound_command, worker_count
from ..engine.progress import Mode, showing_progress
from ..engine.publish import BuildBusy, hold_tree_lock
from ..engine.scratch import scratch_folder
from ..engine.timings import Stage, Timings, optional_stage
from ..engine.write import write_file
from ..generate import field_cards, generate
from ..site.photos import PhotoSet, Variant, process_photo
from ..site.social import field_card_path
from ..site.story import Images, StoryContext, make_story, story_context
from .internals import LiveReloadServer, build_page, populate_page
from .internals import livereload_timestamp as _timestamp
from .render import render_site

log = logging.getLogger("exemplars")

Signature = tuple[int, int]
"""(modification time in ns, size) of a file: what tells a changed profile from an unchanged one."""


@dataclass(frozen=True)
class ProfileState:
    exemplar: Exemplar
    signature: tuple[Signature, ...]
    """Of `index.md`, then of the photo when there is one."""


class Preview:
    """The served site and what it was made from, updated in place as profiles change."""

    def __init__(self, project: Project, site_dir: Path, site_url: str, workers: int) -> None:
        self.project = project
        self.site_dir = site_dir
        self.site_url = site_url
        self.workers = workers
        self.lock = threading.Lock()
        self.profiles: dict[Path, ProfileState] = {}
        self.catalogue: Catalogue | None = None
        self.photos: dict[str, PhotoSet] = {}
        self.cards: dict[str, Variant] = {}
        self.context: StoryContext | None = None
        """What the last full build's stories shared (lists and progress as they were then)."""
        self.rendered: Any = None
        self.vocabulary: Vocabulary | None = None
        self.catch_up_running = False
        self.catch_up_again = False
        self.catch_up_process: subprocess.Popen[str] | None = None
        self.stopped = False
        self.on_reload: Any = None
        self.problems: list[Problem] = []
        """What the last change left wrong (empty when the pages are current): shown over every page."""

    # -- the first build ------------------------------------------------------------------------------------------

    def build_all(self, workers: int | None = None, timings: Timings | None = None) -> None:
        """Generate everything (drafts included) and let MkDocs render it all: the state later updates start from.

        `timings`: the stages of the first build, shown while the officer waits (engine/progress.py)."""
        workers = self.workers if workers is None else workers
        generate(self.project, drafts=True, workers=workers, timings=timings)
        with optional_stage(timings, "mkdocs"):
            self._render_everything(workers)
        with optional_stage(timings, "preview") as stage:
            self._load_state(stage)

    def try_first_build(self, workers: int | None = None, timings: Timings | None = None) -> bool:
        """`build_all`, or, when the content has problems, nothing served but their list (every address answers
        it, reloaded until they are fixed): an officer who starts the preview on a broken profile is told where."""
        try:
            self.build_all(workers, timings)
        except ContentError as error:
            self.problems = _in_order(error.problems)
            log.error("Chưa tạo được trang xem trước, nội dung có lỗi:\n%s", format_problems(error.problems))
            return False
        self.problems = []
        return True

    def _render_everything(self, workers: int) -> None:
        self.rendered = render_site(self.project, self.site_dir, workers, strict=False, site_url=self.site_url)
        for file in self.rendered.files:
            # Shared rendering marks other processes' files as unmodified; from now on each page is ours to render.
            file.__dict__.pop("is_modified", None)

    def _load_state(self, progress: Stage | None = None) -> None:
        content = load_content(self.project, progress=progress)
        fields, provinces, _ = load_taxonomies(self.project)
        plan_ids = [p.stem for p in self.project.plans_dir.glob("*.yml") if p.stem not in ("fields", "provinces")]
        self.vocabulary = Vocabulary(fields, provinces, plan_ids)
        self.profiles = {}
        by_source = {e.source_path: e for e in content.exemplars}
        for path in find_profiles(self.project)[0]:
            exemplar = by_source.get(self.project.shown(path))
            if exemplar is not None:
                self.profiles[path] = ProfileState(exemplar, _signature(exemplar, path, self.project.root))
        self.catalogue, _ = build_catalogue(content.exemplars, content.plans, content.fields, content.provinces)
        self.photos, self.cards = {}, {}
        for exemplar in self.catalogue.exemplars:
            self._process_image(exemplar)
        self.context = story_context(
            self.catalogue,
            self.project.settings,
            self._images(),
            True,
            self.project.cache_dir / "stories",
            self.project.root,
        )

    # -- a change ------------------------------------------------------------------------------------------------

    def update(self, changed: set[Path]) -> None:
        """Called by the server after the file system reported `changed` paths (settled for 0.1 s)."""
        if not changed:
            return
        with self.lock:
            if self.rendered is None:  # the first build failed: each change tries it again
                # In one process, as below: forking renderers from a process that serves HTTP on threads is unsafe.
                self.try_first_build(workers=1)
                return
            exemplars_dir = self.project.exemplars_dir.resolve()
            if all(_inside(path, exemplars_dir) for path in changed):
                self._update_profiles()
            else:
                self._rebuild_everything()

    def _update_profiles(self) -> None:
        """Re-check and re-render only the profiles whose files changed; then the rest in the background."""
        assert self.catalogue is not None and self.vocabulary is not None
        paths, problems = find_profiles(self.project)
        profiles: dict[Path, ProfileState] = {}
        changed: list[Exemplar] = []
        for path in paths:
            known = self.profiles.get(path)
            if known is not None and known.signature == _signature(known.exemplar, path, self.project.root):
                profiles[path] = known
                continue
            exemplar, found = self._check_profile(path)
            problems += found
            if exemplar is not None:
                profiles[path] = ProfileState(exemplar, _signature(exemplar, path, self.project.root))
                changed.append(exemplar)
        catalogue = self.catalogue
        if not problems:
            exemplars = [state.exemplar for state in profiles.values()]
            catalogue, problems = build_catalogue(exemplars, catalogue.plans, catalogue.fields, catalogue.provinces)
        if problems:
            # Keep serving the last good pages, with what to fix over them (and in the terminal).
            self.problems = _in_order(problems)
            log.error("Nội dung có lỗi, trang xem trước giữ bản cũ:\n%s", format_problems(problems))
            return
        self.problems = []
        self.profiles, self.catalogue = profiles, catalogue
        removed = len(self.profiles) < len(paths)
        pages: list[str] = []
        for exemplar in changed:
            self._process_image(exemplar)
            pages.append(self._write_story(exemplar))
        self._render(pages)
        if changed:
            log.info("Đã cập nhật %d câu chuyện: %s", len(changed), ", ".join(e.slug for e in changed))
        if changed or removed or len(paths) != len(self.profiles):
            self._start_catch_up()

    def _process_image(self, exemplar: Exemplar) -> None:
        """The photo's variants, or the field card a story without one shares (both cached: cheap when unchanged)."""
        assert self.catalogue is not None
        self.photos.pop(exemplar.slug, None)
        if exemplar.photo is not None:
            original = self.project.root / exemplar.photo.source_path
            self.photos[exemplar.slug] = process_photo(original, self.project.cache_dir / "photos")
        else:  # drawn again should a build have removed it from the cache since
            self.cards.update(field_cards(self.project, self.catalogue, [exemplar]))

    def _check_profile(self, path: Path) -> tuple[Exemplar | None, list[Problem]]:
        assert self.vocabulary is not None
        result = load_profile(path, self.project.shown(path))
        if result.source is None:
            return None, result.problems
        found = validate_profile(result.source, path.parent.name, path.parent, self.vocabulary)
        if found or result.problems:
            return None, result.problems + found
        return build_exemplar(result.source, path.parent.name, path.parent), []

    def _images(self) -> Images:
        return Images(self.photos, {}, self.cards)

    def _write_story(self, exemplar: Exemplar) -> str:
        """The edited story's page, made as `exemplars build` makes it (`make_story`), and its photos."""
        assert self.catalogue is not None and self.context is not None
        story = make_story(exemplar, self.context.with_catalogue(self.catalogue, self._images()))
        path, text = story.page_path, story.page
        write_file(self.project.generated_dir, path, text)
        photo_set = self.photos.get(exemplar.slug)
        if photo_set is not None:
            images = {f"{exemplar.url}{variant.name}": variant.cached for variant in photo_set.published}
        else:
            card = field_card_path(exemplar)
            images = {card: self.cards[card].cached}
        for target, cached in images.items():
            if write_file(self.project.generated_dir, target, cached):
                self._copy_static([target])
        return path

    def _rebuild_everything(self) -> None:
        """Plans, hand-written pages, theme or configuration changed: everything again, as MkDocs' serve does."""
        try:
            generate(self.project, drafts=True, workers=1)
        except ContentError as error:
            self.problems = _in_order(error.problems)
            log.error("Nội dung có lỗi, trang xem trước giữ bản cũ:\n%s", format_problems(error.problems))
            return
        self.problems = []
        # Forking renderers from a process that serves HTTP on threads is unsafe: one process renders.
        self._render_everything(1)
        self._load_state()

    # -- the rest, in the background ------------------------------------------------------------------------------

    def _start_catch_up(self) -> None:
        if self.catch_up_running:
            self.catch_up_again = True
            return
        self.catch_up_running, self.catch_up_again = True, False
        threading.Thread(target=self._catch_up, name="exemplars-catch-up", daemon=True).start()

    def _catch_up(self) -> None:
        """Regenerate everything in a child process (it may fork workers; this one serves HTTP on threads), then
        render what it changed. The child ends with this process however it ends (`bound_command`): a preview killed
        outright left it writing the generated pages that a build, no longer refused by the preview's lock, reads."""
        while True:
            command = [sys.executable, "-m", "build_tools.mkdocs.preview", "--regenerate", str(self.project.root)]
            process = subprocess.Popen(
                bound_command(command), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
            )
            self.catch_up_process = process
            stdout, stderr = process.communicate()
            with self.lock:
                if self.stopped:
                    return
                if process.returncode == 0:
                    report = json.loads(stdout.strip().splitlines()[-1])
                    self._apply(report["written"], report["removed"])
                    log.info("Đã cập nhật danh sách, tìm kiếm, feed: %d tệp.", len(report["written"]))
                    if self.on_reload is not None:
                        self.on_reload()
                elif process.returncode != 1:  # 1: content errors, already reported by the fast path
                    log.error("Tạo lại toàn bộ trang gặp lỗi:\n%s", stderr[-4000:])
                if not self.catch_up_again:
                    self.catch_up_running = False
                    return
                self.catch_up_again = False

    def stop(self) -> None:
        with self.lock:
            self.stopped = True
        if self.catch_up_process is not None and self.catch_up_process.poll() is None:
            self.catch_up_process.terminate()
            self.catch_up_process.wait()

    def _apply(self, written: Iterable[str], removed: Iterable[str]) -> None:
        pages = [path for path in written if path.endswith(".md")]
        self._render(pages)
        self._copy_static([path for path in written if not path.endswith(".md")])
        files = self.rendered.files
        for path in removed:
            file = files.get_file_from_path(path)
            if file is not None:
                files.remove(file)
                Path(file.abs_dest_path).unlink(missing_ok=True)

    # -- MkDocs, one page at a time -------------------------------------------------------------------------------

    def _render(self, pages: Iterable[str]) -> None:
        """MkDocs renders these generated pages again, exactly as `mkdocs build` renders each page."""
        # MkDocs has no public call for one page; these two are what its `build` runs for every page (internals.py).
        from mkdocs.structure.files import File, InclusionLevel

        from .plugin import GeneratedPage

        state = self.rendered
        config, files = state.config, state.files
        doc_files = None
        for path in pages:
            file = files.get_file_from_path(path)
            if file is None:
                generated = str(self.project.generated_dir)
                inclusion = InclusionLevel.NOT_IN_NAV
                file = File(path, generated, config.site_dir, config.use_directory_urls, inclusion=inclusion)
                files.append(file)
                GeneratedPage(None, file, config)
            if doc_files is None:
                doc_files = files.documentation_pages(inclusion=InclusionLevel.is_in_serve)
            populate_page(file.page, config, files)
            build_page(file.page, config, doc_files, state.nav, state.env)

    def _copy_static(self, paths: Iterable[str]) -> None:
        # Linked, never copied over: the site's file may be a hard link to the cache (write.link_or_copy).
        from .plugin import LinkedFile

        config, files = self.rendered.config, self.rendered.files
        for path in paths:
            file = files.get_file_from_path(path)
            if file is None:
                file = LinkedFile(path, str(self.project.generated_dir), config.site_dir, config.use_directory_urls)
                files.append(file)
            file.copy_file()


def _in_order(problems: list[Problem]) -> list[Problem]:
    """By file and line, as the terminal lists them (`format_problems`)."""
    return sorted(problems, key=lambda p: (p.path, p.line or 0, p.key or ""))


def _signature(exemplar: Exemplar, path: Path, root: Path) -> tuple[Signature, ...]:
    paths = [path] + ([root / exemplar.photo.source_path] if exemplar.photo is not None else [])
    signatures = []
    for item in paths:
        try:
            found = item.stat()
        except FileNotFoundError:
            signatures.append((0, -1))
        else:
            signatures.append((found.st_mtime_ns, found.st_size))
    return tuple(signatures)


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder)
    except ValueError:
        return False
    return True


# -- the server -----------------------------------------------------------------------------------------------------


def serve(
    project: Project, dev_addr: str = "127.0.0.1:8000", workers: int | None = None, progress: Mode = "quiet"
) -> None:
    """Build, serve on `dev_addr` with live reload, and keep the pages in step with the files.

    `progress`: how the first build shows its stages while nothing answers yet (engine/progress.py)."""
    host, _, port = dev_addr.rpartition(":")
    site_url = f"http://{host}:{port}/"
    try:
        lock = hold_tree_lock(project.root)  # released when the preview ends (publish.tree_lock: no draft published)
    except BuildBusy as error:
        print(f"Chưa mở bản xem trước: {error}", file=sys.stderr)
        raise SystemExit(1) from None
    # The served site, in the repository's working folders (engine/scratch.py): a preview killed outright leaves it
    # there, and the next build or preview removes it.
    folder = contextlib.ExitStack()
    site_dir = folder.enter_context(scratch_folder(project.cache_dir, "preview-"))
    preview = Preview(project, site_dir, site_url, worker_count(workers))
    try:
        if progress != "quiet":
            print(
                f"Đang chuẩn bị bản xem trước (tạo toàn bộ trang lần đầu); khi xong, trang có tại {site_url}",
                file=sys.stderr,
            )
        with showing_progress(progress) as timings:
            built = preview.try_first_build(timings=timings)
        if not built:
            log.error("Hãy sửa các lỗi trên (danh sách cũng hiện trong trình duyệt): trang được tạo ngay khi hết lỗi.")
        server = PreviewServer(
            builder=lambda: preview.update(server.take_changes()), host=host, port=int(port), root=str(site_dir)
        )
        preview.on_reload = server.reload_browsers
        server.problems = lambda: preview.problems
        server.error_handler = lambda code: server.error_page(code, site_dir)
        watched = [project.exemplars_dir, project.plans_dir, project.config_file]
        watched += [Path(__file__).parents[1] / "theme", Path(__file__).parents[1] / "templates"]
        for path in watched:
            server.watch(str(path), recursive=path.is_dir())
        docs = project.docs_dir
        # Not a leftover content/.generated/ of older builds (our output, now in .generated/).
        server.watch(str(docs), recursive=False)
        for child in sorted(docs.iterdir()):
            if child.is_dir() and child.name != ".generated":
                server.watch(str(child))
        # Started from a script, SIGINT may arrive ignored (background jobs of a shell): stop on it all the same.
        for stop_signal in (signal.SIGINT, signal.SIGTERM):
            signal.signal(stop_signal, _interrupt)
        try:
            server.serve()
        except KeyboardInterrupt:
            log.info("Dừng xem trước.")
        finally:
            server.shutdown()
            preview.stop()
    finally:
        folder.close()
        lock.close()


class PreviewServer(LiveReloadServer):
    """MkDocs' live-reload server, watching with inotify (or the platform's equivalent) rather than polling every
    file twice a second, telling the builder which paths changed, and able to reload browsers at any time."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.observer = watchdog.observers.Observer()
        self._changes: set[Path] = set()
        self.problems: Callable[[], list[Problem]] = list
        """Returns the content's current problems (`Preview.problems`)."""

    def _inject_js_into_html(self, content: bytes, epoch: int) -> bytes:
        """Every served page gets MkDocs' live-reload script and, while the content has problems, their list.

        Overrides an internal of MkDocs' server (mkdocs 1.6), as `reload_browsers` uses its epochs:
        tests/test_serve_errors.py fails if either changes."""
        content = super()._inject_js_into_html(content, epoch)
        problems = self.problems()
        if not problems:
            return content
        panel = render_problems_panel(problems).encode("utf-8")
        body = content.find(b"<body")
        start = content.find(b">", body) + 1 if body != -1 else 0
        return content[:start] + panel + content[start:]

    def error_page(self, code: int, site_dir: Path) -> bytes | None:
        """A missing page answers the site's 404 page (a new profile with a mistake has no page yet): with the
        problems over it, and reloaded when they are fixed."""
        page = site_dir / "404.html"
        if code != 404:
            return None
        if page.is_file():
            content = page.read_bytes()
        elif self.problems():  # no site yet: the first build failed
            content = _PROBLEMS_PAGE.render().encode("utf-8")
        else:
            return None
        with self._epoch_cond:
            epoch = self._visible_epoch
        return self._inject_js_into_html(content, epoch)

    def watch(self, path: str, func: None = None, *, recursive: bool = True) -> None:
        path = os.path.abspath(path)
        self._watched_paths[path] = self._watched_paths.get(path, 0) + 1
        self._watch_refs[path] = self.observer.schedule(
            _ChangeHandler(self), path, recursive=recursive, event_filter=list(_CHANGES)
        )

    def record(self, paths: Iterable[str]) -> None:
        with self._rebuild_cond:
            self._changes.update(Path(p) for p in paths)
            self._want_rebuild = True
            self._rebuild_cond.notify_all()

    def take_changes(self) -> set[Path]:
        with self._rebuild_cond:
            changes, self._changes = self._changes, set()
        return changes

    def reload_browsers(self) -> None:
        with self._epoch_cond:
            epoch = max(_timestamp(), self._wanted_epoch + 1)
            if self._wanted_epoch != self._visible_epoch:
                self._wanted_epoch = epoch  # a rebuild is running: it publishes this epoch when it ends
                return
            # Pages are served only when both epochs agree (no rebuild running).
            self._wanted_epoch = self._visible_epoch = epoch
            self._epoch_cond.notify_all()


_CHANGES = (
    watchdog.events.FileCreatedEvent,
    watchdog.events.FileModifiedEvent,
    watchdog.events.FileClosedEvent,
    watchdog.events.FileDeletedEvent,
    watchdog.events.FileMovedEvent,
    watchdog.events.DirCreatedEvent,
    watchdog.events.DirDeletedEvent,
    watchdog.events.DirMovedEvent,
)
"""What the kernel is asked to report. Not files opened or read: a build reads all 10,000 profiles, and that many
events overflow inotify's queue (16,384), after which watchdog rebuilds every watch again and again."""


class _ChangeHandler(watchdog.events.FileSystemEventHandler):
    """Changes that matter: not a file being opened or read (templates, profiles read by the build), not a
    folder's own timestamp, nothing under a .generated/ folder (our output)."""

    def __init__(self, server: PreviewServer) -> None:
        self.server = server

    def on_any_event(self, event: watchdog.events.FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write") or (event.is_directory and event.event_type == "modified"):
            return
        paths = [os.fsdecode(p) for p in (event.src_path, getattr(event, "dest_path", "")) if p]
        paths = [p for p in paths if ".generated" not in Path(p).parts]
        if paths:
            self.server.record(paths)


_TEMPLATES = Environment(
    loader=PackageLoader("build_tools", "templates"), autoescape=True, undefined=StrictUndefined, trim_blocks=True
)
_PANEL = _TEMPLATES.get_template("serve_problems.html.j2")
_PROBLEMS_PAGE = _TEMPLATES.get_template("serve_problems_page.html.j2")
"""The page served at every address while the first build cannot be made (the panel is laid over it)."""


def render_problems_panel(problems: list[Problem]) -> str:
    """The problems as `exemplars serve` shows them over a page: file, line, field and message, HTML-escaped."""
    return _PANEL.render(problems=problems)


def _interrupt(signum: int, frame: Any) -> None:
    """Ctrl+C or SIGTERM: the served folder is removed and background work ended."""
    raise KeyboardInterrupt


def _regenerate(root: Path) -> None:
    """The background step: regenerate everything (drafts shown) and print what changed, as JSON."""
    os.nice(10)  # the officer's next edit comes first
    try:
        report = generate(load_project(root), drafts=True)
    except ContentError:
        raise SystemExit(1) from None
    print(json.dumps({"written": list(report.written), "removed": list(report.removed)}))


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--regenerate":
        _regenerate(Path(sys.argv[2]))
    else:
        raise SystemExit("usage: python -m build_tools.mkdocs.preview --regenerate ROOT")
