"""`exemplars build` as one readable flow: generate (generate.py) → MkDocs (mkdocs/render.py) → publish."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path

from .content.catalogue import Catalogue
from .content.config import Project, with_site_url
from .engine.parallel import worker_count
from .engine.publish import build_lock, checkpoint, discard, publish, recover, staging_dir, tree_lock
from .engine.timings import Timings, optional_stage
from .generate import _generate, generate
from .mkdocs.render import render_site
from .site.progress import resolve_content_date

__all__ = ["build_site", "content_epoch", "generate", "source_date_epoch"]
"""`generate`: the build's first step alone, the generated folder without MkDocs (what the golden pages compare)."""


def build_site(
    project: Project,
    site_dir: Path | None = None,
    *,
    workers: int | None = None,
    timings: Timings | None = None,
    site_url: str | None = None,
    preview: bool = False,
) -> Path:
    """`exemplars build`: generate, render with MkDocs in strict mode into a staging folder, then publish.

    The previous site is replaced only when every step succeeded, and in one atomic step (publish.py): a failed
    or interrupted build leaves it byte for byte as it was. `site_url`: the address the site is built for when it
    is not mkdocs.yml's, e.g. a pull request's preview under a sub-path. `preview`: every page says it shows content
    not yet reviewed, and asks search engines not to index it (it lives on the real site's host).
    """
    if site_url is not None:
        project = with_site_url(project, site_url)
        site_url = project.settings.site_url
    site_dir = (site_dir or project.root / "site").resolve()
    workers = worker_count(workers)
    with tree_lock(project.root), build_lock(site_dir):
        recover(site_dir)
        catalogue, report = _generate(project, False, workers, timings)
        checkpoint("generate")
        staging = staging_dir(site_dir)
        discard(staging)
        try:
            with source_date_epoch(content_epoch(project, catalogue)), optional_stage(timings, "mkdocs"):
                render_site(project, staging, workers, generated=report.kept, site_url=site_url, preview=preview)
            with optional_stage(timings, "publish"):
                publish(staging, site_dir)
        except BaseException:
            discard(staging)
            raise
    return site_dir


def content_epoch(project: Project, catalogue: Catalogue) -> int:
    """The build's date, from the content: the day plan progress is stated as of (the newest story, or the
    configured `content_date`), as seconds since 1970 at midnight UTC.

    MkDocs stamps it into sitemap.xml and sitemap.xml.gz; from the clock, two builds of one commit would differ.
    """
    day = resolve_content_date(project.settings.content_date, catalogue)
    return int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC).timestamp())


@contextlib.contextmanager
def source_date_epoch(epoch: int) -> Iterator[None]:
    """SOURCE_DATE_EPOCH for MkDocs (reproducible-builds.org); a value already set by the caller wins."""
    if os.environ.get("SOURCE_DATE_EPOCH"):
        yield
        return
    os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
    try:
        yield
    finally:
        os.environ.pop("SOURCE_DATE_EPOCH", None)
