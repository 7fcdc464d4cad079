"""Material's blocks that every generated page repeats (tabs, drawer, footer), made lean once per build.

The theme (theme/main.html) renders these blocks once per depth and section and reuses them (`exemplars_blocks`);
these filters shape that one rendering. They know Material's markup (the drawer's list, title and repository link,
the hidden table of contents' sidebar), so they live beside the other uses of Material's internals, in `mkdocs/`:
a markup that moved is left as it is, never cut in the wrong place (tests/test_lean_blocks.py; what a reader then
sees: tests/test_lean_output.py, tests/test_phone_reader.py). Registered as Jinja filters by the plugin
(`plugin.on_env`), in plain mode too.
"""

from __future__ import annotations

from collections.abc import Callable, Collection

from markupsafe import Markup

_TIGHT = (("> <", "><"), ('"md-ellipsis"> ', '"md-ellipsis">'), (" </span>", "</span>"))
"""Spaces that no flex box of the tabs or the drawer lays out: between two tags, inside a label's <span>."""
_TIGHT_TABS = (('"md-tabs__link"> ', '"md-tabs__link">'), (" </a>", "</a>"), ('<li class="md-tabs__item">', "<li>"))
"""The tabs' links without their inner spaces, their items without Material's class (site.css styles them by
position: `.md-tabs__list > li`)."""
_LIST = '<ul class="md-nav__list" data-md-scrollfix>'
_TITLE = '<label class="md-nav__title" for="__drawer">'
_SOURCE = '<div class="md-nav__source">'
_TOC_SIDEBAR = '<div class="md-sidebar md-sidebar--secondary"'


def squeeze(html: str) -> Markup:
    """Every run of whitespace as one space, which is how HTML renders it (the blocks hold no <pre>, script or value
    of the page): Material's templates indent them deeply, 4 kB of every story page."""
    return Markup(_squeezed(html))


def lean_tabs(html: str) -> Markup:
    return Markup(_replace(_squeezed(html), _TIGHT + _TIGHT_TABS))


def lean_nav(html: str, features: Collection[str]) -> Markup:
    """The drawer and sidebars of a page outside the navigation with no table of contents of its own."""
    nav = _replace(_squeezed(html), _TIGHT)
    if "md-nav__icon" not in nav:  # a flat navigation (this site's); a nested one keeps all of it
        nav = _flat_drawer(nav, "navigation.tabs" in features)
    # The table of contents' sidebar of a page without one, hidden (`hide: [toc]`): an empty, never shown box that
    # nothing reads (Material's script mounts the sidebars there are; phones get reader.js' own contents).
    toc_at = nav.find(_TOC_SIDEBAR)
    toc = nav[toc_at:] if toc_at >= 0 else ""
    if " hidden>" in toc and toc.endswith('"></nav></div></div></div>'):
        nav = nav[:toc_at]
    return Markup(nav)


def _flat_drawer(nav: str, tabs: bool) -> str:
    """Each entry's label without its `md-ellipsis` wrapper, which only cuts a label too long for its line (none is:
    the drawer is 12 rem wide). With tabs, the drawer's entries are the tabs' (the site's sections, none of them this
    page): sent once, as the tabs; reader.js fills the drawer's list from them, and without a script site.css shows
    phones the tabs instead (1.2 kB). So are the drawer's title (the site's logo and name) and its repository link:
    the header's, which reader.js copies in with the list (only the drawer shows them, and only with a script; 0.5
    kB)."""
    nav = nav.replace('<span class="md-ellipsis">', "").replace("</span></a>", "</a>")
    list_at = nav.find(_LIST)
    list_end = nav.find("</ul>", list_at)
    if not (tabs and list_at >= 0 and list_end > list_at):
        return nav
    nav = nav[: list_at + len(_LIST)] + nav[list_end:]
    title_at = nav.find(_TITLE)
    title_end = nav.find("</label>", title_at)
    source_at = nav.find(_SOURCE)
    source_end = nav.find(_LIST, source_at)
    if title_at >= 0 and title_end > title_at and source_at > title_end and source_end > source_at:
        title_kept = nav[: title_at + len(_TITLE)] + nav[title_end : source_at + len(_SOURCE)]
        nav = title_kept + "</div>" + nav[source_end:]
    return nav


def _squeezed(html: str) -> str:
    # Plain `str` from here on: `Markup` would escape what is replaced or added to it.
    return " ".join(str(html).split())


def _replace(text: str, pairs: tuple[tuple[str, str], ...]) -> str:
    for old, new in pairs:
        text = text.replace(old, new)
    return text


FILTERS: dict[str, Callable[..., Markup]] = {
    "ex_squeeze": squeeze,
    "ex_lean_tabs": lean_tabs,
    "ex_lean_nav": lean_nav,
}
"""The theme's names for them (theme/main.html)."""
