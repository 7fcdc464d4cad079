"""Every MkDocs or Material internal the site relies on, named in one place.

MkDocs 1.x is unmaintained and Material is in maintenance: whatever this site uses of them beyond the documented
plugin events and configuration API can change in any release. Each such use is imported from here (functions) or
listed here (methods we override, attributes we read, names of templates we override), with where it is used, why,
and what breaks when it changes. `tests/test_mkdocs_internals.py` checks every entry against the installed versions
and fails naming the entry and the upgrade step (README, "Upgrading MkDocs or Material").

Plain mode (`exemplars build --plain`, or `mkdocs build` itself) needs only the entries marked `plain=True`.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any

from mkdocs.commands.build import _build_page as build_page
from mkdocs.commands.build import _populate_page as populate_page
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.commands.build import get_context
from mkdocs.structure.toc import get_toc
from mkdocs.utils import write_file
from mkdocs.utils.meta import get_data

__all__ = [
    "INTERNALS",
    "Internal",
    "build_page",
    "get_context",
    "get_data",
    "get_toc",
    "mkdocs_build",
    "populate_page",
    "resolve",
    "write_file",
]

UPGRADE_STEP = "README.md, “Upgrading MkDocs or Material”"


@dataclass(frozen=True)
class Internal:
    name: str
    """Dotted path from the package (`mkdocs.commands.build._build_page`), or a template's path in a theme
    (`material:partials/search.html`)."""
    where: str
    why: str
    breaks: str
    """What a change breaks, and what to do."""
    parameters: tuple[str, ...] | None = None
    """The parameter names we call or override it with, in order (None: an attribute, a class, a template)."""
    plain: bool = False
    """Used in plain mode too (not only by the fast path's speed-ups or by `exemplars serve`)."""


INTERNALS: tuple[Internal, ...] = (
    Internal(
        "mkdocs.commands.build.build",
        "mkdocs/render.py render_site",
        "what `mkdocs build` runs after loading the configuration: the build in-process, with the configuration "
        "adjusted (site_url of a preview, the preview banner, the staging folder)",
        "every build fails; follow the new CLI's `build_command` in mkdocs/__main__.py",
        ("config", "serve_url", "dirty"),
        plain=True,
    ),
    Internal(
        "mkdocs.commands.build.get_context",
        "mkdocs/shell.py theme_renderer",
        "the template context MkDocs gives each page, for rendering a page through the theme without writing it",
        "theme shells fail their byte-for-byte check against MkDocs' own pages and the build falls back to MkDocs "
        "(slower); tests/test_build_caches.py fails",
        ("nav", "files", "config", "page", "base_url"),
    ),
    Internal(
        "mkdocs.commands.build._build_page",
        "mkdocs/preview.py Preview._render",
        "MkDocs has no public call to render one page: `exemplars serve` re-renders only the changed stories",
        "`exemplars serve` cannot show a changed story; tests/test_serve.py fails",
        ("page", "config", "doc_files", "nav", "env", "dirty", "excluded"),
    ),
    Internal(
        "mkdocs.commands.build._populate_page",
        "mkdocs/preview.py Preview._render; mkdocs/plugin.py ExemplarsPlugin._restore",
        "reads and converts one page as `build` does before `_build_page`: a changed story in `exemplars serve`, and "
        "a page rendered through a shell, whose text was released after MkDocs read it, read again to be filled",
        "`exemplars serve` cannot show a changed story and fast builds fail; tests/test_serve.py and "
        "tests/test_site_files.py fail",
        ("page", "config", "files", "dirty"),
    ),
    Internal(
        "mkdocs.commands.build.dirty-notice",
        "mkdocs/render.py _dirty_notice",
        "the fast path builds in dirty mode into an empty folder; MkDocs' warning about stale pages (which strict "
        "mode turns into a failure) is filtered by its text, on the logger `mkdocs.commands.build`",
        "fast builds fail in strict mode with that warning; update DIRTY_NOTICE in mkdocs/render.py",
    ),
    Internal(
        "mkdocs.structure.files.File.is_modified",
        "mkdocs/plugin.py ExemplarsPlugin.on_files, _fork_renderers",
        "in dirty mode MkDocs reads and writes only files whose `is_modified()` is true: each forked renderer marks "
        "the others' share unmodified, and every file is modified in the empty staging folder",
        "forked renderers would write every page (slower) or none; tests/test_parallel.py fails",
        ("self",),
    ),
    Internal(
        "mkdocs.structure.files.File._content",
        "mkdocs/plugin.py GeneratedFile.content_string",
        "a generated page is read in one call when no plugin set its content (`_content` is None)",
        "generated pages would be read from disk even when a plugin replaced their text",
    ),
    Internal(
        "mkdocs.structure.files.File.src_path",
        "mkdocs/plugin.py GeneratedFile.src_path",
        "a generated path is already relative and POSIX: set without MkDocs' PurePath parsing (a second at "
        "10,000 stories)",
        "generated files get wrong addresses; tests/test_golden.py fails",
    ),
    Internal(
        "mkdocs.structure.pages.Page._set_canonical_url",
        "mkdocs/plugin.py GeneratedPage",
        "a generated page's address is a plain ASCII path: its canonical URL is made by concatenation, MkDocs' own "
        "result without `urljoin` twice per page",
        "canonical and Open Graph links of stories may differ from MkDocs'; the plain/fast same-site test fails",
        ("self", "base"),
    ),
    Internal(
        "mkdocs.structure.pages.Page._set_edit_url",
        "mkdocs/plugin.py GeneratedPage",
        "a generated page's edit link is set from its profile or plan by on_page_context, not from its path",
        "harmless if it goes (on_page_context sets the link anyway); a new signature raises TypeError",
        ("self", "repo_url", "edit_uri", "edit_uri_template"),
    ),
    Internal(
        "mkdocs.structure.toc.get_toc",
        "mkdocs/plugin.py PlainGeneratedPage.derive_from_meta",
        "a page generated in HTML lists its sections in its front matter: its table of contents is made from them "
        "as MkDocs makes it from Markdown's",
        "pages in HTML lose their table of contents and links to their sections fail in strict mode",
        ("toc_tokens",),
        plain=True,
    ),
    Internal(
        "mkdocs.utils.meta.get_data",
        "mkdocs/plugin.py PlainGeneratedPage.read_source",
        "front matter that is not JSON is read exactly as MkDocs reads it",
        "generated pages in Markdown lose their front matter",
        ("doc",),
        plain=True,
    ),
    Internal(
        "mkdocs.utils.write_file",
        "mkdocs/plugin.py ExemplarsPlugin._render_through_shells",
        "pages rendered through shells are written as MkDocs writes pages (folders made as needed)",
        "shell-rendered pages are not written; every build test fails",
        ("content", "output_path"),
    ),
    Internal(
        "mkdocs.plugins.PluginCollection.events",
        "mkdocs/plugin.py ExemplarsPlugin._only_page_plugin",
        "shells reproduce what this plugin does to a page; they are used only when no other plugin handles pages",
        "shells would skip another plugin's page events, or never be used",
    ),
    Internal(
        "mkdocs.livereload._timestamp",
        "mkdocs/preview.py PreviewServer.reload_browsers",
        "the epochs with which MkDocs' live-reload script asks whether the site changed",
        "browsers of `exemplars serve` stop reloading; tests/test_serve.py fails",
        (),
    ),
    Internal(
        "mkdocs.livereload.LiveReloadServer._inject_js_into_html",
        "mkdocs/preview.py PreviewServer",
        "every served page gets the live-reload script and, while the content has problems, their list",
        "the error panel of `exemplars serve` disappears; tests/test_serve_errors.py fails",
        ("self", "content", "epoch"),
    ),
    Internal(
        "mkdocs.livereload.LiveReloadServer.__init__",
        "mkdocs/preview.py PreviewServer",
        "MkDocs' live-reload server, watched with inotify instead of polling; its state is read and set under its "
        "own locks: `_epoch_cond`, `_visible_epoch`, `_wanted_epoch`, `_rebuild_cond`, `_want_rebuild`, "
        "`_watched_paths`, `_watch_refs`, `observer`",
        "`exemplars serve` stops reloading or watching; tests/test_serve.py fails",
        ("self", "builder", "host", "port", "root", "mount_path", "polling_interval", "shutdown_delay"),
    ),
    Internal(
        "material:main.html",
        "theme/main.html, and mkdocs/shell.py, which renders stories through it",
        "our main.html extends Material's base.html and fills its blocks; shells cut its output at markers",
        "pages lose our additions; rerun `bash tasks.sh golden` and read the diff",
        plain=True,
    ),
    Internal(
        "material:partials/*",
        "theme/partials/ (every file not starting with `ex-`)",
        "a partial of ours replaces Material's partial of the same name (header, search, source, language, copyright)",
        "a renamed or removed partial of Material silently stops being replaced: review build_tools/theme/ against "
        "material/templates/",
        plain=True,
    ),
)


def __getattr__(name: str) -> Any:
    """`exemplars serve`'s entries, imported on first use: MkDocs' live-reload server brings `ssl` and an HTTP server
    with it, a tenth of a second of every build's start-up (`python -X importtime`) for a server a build never runs."""
    if name in _LIVERELOAD:
        from mkdocs import livereload

        return getattr(livereload, _LIVERELOAD[name])
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


_LIVERELOAD = {"LiveReloadServer": "LiveReloadServer", "livereload_timestamp": "_timestamp"}


def resolve(name: str) -> Any:
    """The object a dotted name of the registry points at (module, then attributes)."""
    parts = name.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            value: Any = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for attribute in parts[cut:]:
            value = getattr(value, attribute)
        return value
    raise ImportError(name)
