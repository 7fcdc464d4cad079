"""`exemplars build` as one readable flow: generate (generate.py) → MkDocs (mkdocs/render.py) → publish."""

from __future__ import annotations

from pathlib import Path

from .content.catalogue import Catalogue
from .content.config import Project, with_site_url
from .engine.parallel import worker_count
from .engine.publish import build_lock, checkpoint, discard, publish, recover, staging_dir, tree_lock
from .engine.staging import FolderMaker
from .engine.timings import Timings, optional_stage
from .generate import _generate, generate, scan_beside
from .mkdocs.render import content_epoch, plain_requested, render_site, source_date_epoch

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
    plain: bool = False,
) -> Path:
    """`exemplars build`: generate, render with MkDocs in strict mode into a staging folder, then publish.

    The previous site is replaced only when every step succeeded, and in one atomic step (publish.py): a failed
    or interrupted build leaves it byte for byte as it was. `site_url`: the address the site is built for when it
    is not mkdocs.yml's, e.g. a pull request's preview under a sub-path. `preview`: every page says it shows content
    not yet reviewed, and asks search engines not to index it (it lives on the real site's host). `plain`
    (or EXEMPLARS_PLAIN=1): MkDocs renders as `mkdocs build` does, without the fast path (mkdocs/render.py).
    """
    plain = plain or plain_requested()
    if site_url is not None:
        project = with_site_url(project, site_url)
        site_url = project.settings.site_url
    site_dir = (site_dir or project.root / "site").resolve()
    workers = worker_count(workers)
    with tree_lock(project.root), build_lock(site_dir):
        recover(site_dir)
        staging = staging_dir(site_dir)
        discard(staging)
        # The new site's story folders are made while the rest is generated (engine/staging.py); not in plain mode,
        # where MkDocs empties its site folder first.
        folders = FolderMaker(staging)
        try:
            checked = None if plain else lambda catalogue: folders.start(story_folders(catalogue))
            catalogue, report = _generate(project, False, workers, timings, checked, scan=False)
            checkpoint("generate")
            folders.stop()
            # The privacy scan of the generated files beside MkDocs; what it finds fails the build before publishing.
            with scan_beside(project, catalogue, report, workers, timings) as scanning:
                with source_date_epoch(content_epoch(project, catalogue)), optional_stage(timings, "mkdocs"):
                    render_site(
                        project,
                        staging,
                        workers,
                        generated=report.kept,
                        site_url=site_url,
                        preview=preview,
                        plain=plain,
                        keep_folders=not plain,
                    )
                scanning.join()
            with optional_stage(timings, "publish"):
                publish(staging, site_dir)
        except BaseException:
            folders.stop()
            discard(staging)
            raise
    return site_dir


def story_folders(catalogue: Catalogue) -> list[str]:
    """The folder of each story in the site (its page is `<Exemplar.url>index.html`), each parent before them."""
    folders = sorted({exemplar.url.rstrip("/") for exemplar in catalogue.exemplars})
    parents = sorted({folder.rpartition("/")[0] for folder in folders} - {""})
    return [*parents, *folders]
