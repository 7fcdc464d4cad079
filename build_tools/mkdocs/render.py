"""MkDocs renders the generated folder and the hand-written pages into a staging folder: in plain mode as
`mkdocs build` does, or (the default) with its work shared among processes and stories rendered through shells."""

from __future__ import annotations

import logging
import os
import shutil
import sys
from collections.abc import Collection
from pathlib import Path

from mkdocs.exceptions import MkDocsException

from ..content.config import Project
from . import ENGINE
from .internals import mkdocs_build
from .plugin import RenderState, content_epoch, source_date_epoch

__all__ = ["MkDocsException", "content_epoch", "plain_requested", "render_site", "source_date_epoch"]

PLAIN_VARIABLE = "EXEMPLARS_PLAIN"
"""`EXEMPLARS_PLAIN=1`: every `exemplars build` in plain mode (as `--plain`), e.g. for a CI job that checks it."""

DIRTY_NOTICE = "A 'dirty' build is being performed"
"""The start of MkDocs' warning about dirty builds (internals.py: `mkdocs.commands.build.dirty-notice`)."""


def plain_requested() -> bool:
    return os.environ.get(PLAIN_VARIABLE, "").strip().lower() in ("1", "true", "yes")


def render_site(
    project: Project,
    staging: Path,
    workers: int = 1,
    *,
    strict: bool = True,
    site_url: str | None = None,
    shells: bool = True,
    generated: Collection[str] | None = None,
    preview: bool = False,
    plain: bool = False,
    keep_folders: bool = False,
) -> RenderState | None:
    """MkDocs renders the generated and hand-written pages into `staging` (strict: any warning fails the build).

    `plain`: exactly what `mkdocs build` does (`mkdocs.__main__`'s build command: load the configuration, the
    startup event, `build`, the shutdown event), the plugin only adding the generated files; no shells, no forked
    renderers, no kept pages, no dirty mode. tests/test_plain_mode.py proves both ways give the same site.

    With several workers, the plugin forks renderers that each write every n-th page into `staging`
    (`ExemplarsPlugin._fork_renderers`); a forked renderer ends here, its share written. Returns what MkDocs
    gathered (files, navigation, templates), with which `exemplars serve` re-renders single pages.
    `shells`: stories go through one theme shell per shape of page (shell.py); off, MkDocs renders each. Pages
    rendered through shells are kept in `.cache/rendered/` and linked into the site (plugin.RenderedCache).
    `generated`: every file of the generated folder, when the caller has just written it. `keep_folders`: `staging`
    holds only folders made for this site (build.py's `FolderMaker`), kept rather than emptied.
    """
    from mkdocs.config import load_config

    if not keep_folders:
        shutil.rmtree(staging, ignore_errors=True)
    config = load_config(str(project.config_file), site_dir=str(staging), strict=strict)
    if site_url is not None:
        config.site_url = site_url
    if preview:
        config.extra["preview"] = True  # the theme's banner and robots tag (main.html, partials/ex-reader-head.html)
    plugin = config.plugins.get("exemplars")
    if plain:
        if plugin is not None:
            plugin.start_plain()  # type: ignore[attr-defined]
        config.plugins.on_startup(command="build", dirty=False)
        try:
            mkdocs_build(config, dirty=False)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        finally:
            config.plugins.on_shutdown()
        return getattr(plugin, "rendered", None)
    shared_rendering = workers > 1 and plugin is not None
    dirty = plugin is not None and (shared_rendering or shells)  # into an empty folder: see _dirty_notice
    if plugin is not None:
        # MkDocs keeps plugin instances from one configuration load to the next in a process.
        plugin.start_rendering(  # type: ignore[attr-defined]
            workers if shared_rendering else 1,
            shells=shells,
            generated=generated,
            rendered_cache=project.cache_dir / "rendered" if shells else None,
        )
    config.plugins.on_startup(command="build", dirty=False)
    build_log = logging.getLogger(f"{ENGINE}.commands.build")
    build_log.addFilter(_dirty_notice)
    try:
        mkdocs_build(config, dirty=dirty)
    except BaseException as error:
        if shared_rendering and plugin.is_forked_renderer:  # type: ignore[union-attr]
            plugin.report_failure(error)  # type: ignore[union-attr]
            _exit_renderer(1)
        if shared_rendering:
            plugin.stop_renderers()  # type: ignore[union-attr]
        shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        build_log.removeFilter(_dirty_notice)
        if not (shared_rendering and plugin.is_forked_renderer):  # type: ignore[union-attr]
            config.plugins.on_shutdown()
    if shared_rendering and plugin.is_forked_renderer:  # type: ignore[union-attr]
        _exit_renderer(0)
    return getattr(plugin, "rendered", None)


def _dirty_notice(record: logging.LogRecord) -> bool:
    """Shared rendering and shells use MkDocs' dirty mode into an empty folder: its warning about stale pages does
    not apply (and in strict mode would fail the build)."""
    return not record.getMessage().startswith(DIRTY_NOTICE)


def _exit_renderer(code: int) -> None:
    """A forked renderer leaves without running the parent's clean-up (the parent still owns the folder)."""
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        stream.flush()
    os._exit(code)
