"""Pages that differ only in their values, rendered through one theme shell instead of Material's template each.

At 10,000 stories, Material's template is most of MkDocs' time, yet the stories (generated as HTML, outside the
navigation) differ only in their values: title, description, link-preview tags, content, addresses. The theme's
template is rendered once for a stand-in page whose varying values are markers; where each marker lands, and how the
template escaped it there, makes a shell into which every page of the same shape is filled. Pages whose values
have another shape (another number of feeds, no photo) get a shell of their own. A shell is used only after it
reproduced three real pages of its group byte for byte; otherwise MkDocs renders that group as usual.
"""

from __future__ import annotations

import copy
import functools
import hashlib
import re
from array import array
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup, escape
from mkdocs.structure.pages import Page

from ..engine.codestamp import code_stamp
from .internals import get_context

MIN_GROUP = 3
"""Smaller groups are left to MkDocs: a shell costs two renders of its own."""

_CONTENT, _CANONICAL, _ABSOLUTE = 0, 1, 2
"""Marker numbers of the values every page has; its front matter's varying values follow."""

_SLOT = re.compile(r"(?P<h1><h1 )?Zq(?P<number>\d+)qZ(?P<form><b>&amp;|&lt;b&gt;&amp;amp;|&amp;|&)")
_LEFTOVER = re.compile(r"Zq\d+qZ")


def _marker(number: int) -> str:
    """A marker whose every rendering tells how the template treated it: as is, escaped, tags stripped, or both."""
    return f"Zq{number}qZ<b>&amp;"


def _as_is(value: str) -> str:
    return value


def _escaped(value: str) -> str:
    return str(escape(value))


def _text(value: str) -> str:
    return Markup(value).striptags()


def _text_escaped(value: str) -> str:
    return str(escape(Markup(value).striptags()))


_FORMS: dict[str, Callable[[str], str]] = {
    "<b>&amp;": _as_is,  # {{ value }}
    "&lt;b&gt;&amp;amp;": _escaped,  # {{ value | e }}
    "&": _text,  # {{ value | striptags }}
    "&amp;": _text_escaped,  # {{ value | striptags | e }}
}


@dataclass(frozen=True)
class Shell:
    """The rendered template cut at each marker: `pieces[0]`, slot 0's value, `pieces[1]`, …, the last piece.

    A slot is (index of the value in `_leaves`' list, after content and the two URLs; how the template treated it)."""

    pieces: tuple[str, ...]
    slots: tuple[tuple[int, Callable[[str], str]], ...]

    @functools.cached_property
    def fingerprint(self) -> bytes:
        """Identifies what this shell makes of any values: two shells with one fingerprint fill alike. The code that
        fills it is part of it (`_code_stamp`): a page kept by a build whose filling differed is filled again."""
        digest = hashlib.sha256(_code_stamp())
        for piece in self.pieces:
            _update(digest, piece)
        for number, form in self.slots:
            _update(digest, f"{number}:{form.__name__}")
        return digest.digest()

    def key(self, values: bytes) -> str:
        """What `fill(values)` depends on, hashed from the values' digest (`values_digest`): a page whose key did
        not change since the last build renders to the same bytes (plugin.RenderedCache reuses them without
        reading, filling or comparing the page again)."""
        return hashlib.sha256(self.fingerprint + values).hexdigest()

    def fill(self, values: Sequence[str]) -> str:
        out = [self.pieces[0]]
        for (number, form), piece in zip(self.slots, self.pieces[1:], strict=True):
            out.append(form(values[number]))
            out.append(piece)
        return "".join(out)


@functools.cache
def _code_stamp() -> bytes:
    """This module and its imports (`engine.codestamp`): how a shell is filled and a page's values are taken."""
    return code_stamp(__name__)


def _update(digest: Any, text: str) -> None:
    data = text.encode("utf-8", errors="surrogatepass")
    digest.update(len(data).to_bytes(8, "little"))
    digest.update(data)


def values_digest(values: Sequence[str]) -> bytes:
    """The values a shell fills, hashed: what `Shell.key` needs of a page once its text is released."""
    digest = hashlib.sha256(array("q", map(len, values)).tobytes())  # the lengths tell where each value ends
    digest.update("".join(values).encode("utf-8", errors="surrogatepass"))
    return digest.digest()


def page_values(page: Page) -> tuple[list[str], object]:
    """The values of a page a shell may fill (its content, addresses and front matter's leaves), and its shape."""
    values = [page.content or "", page.canonical_url or "", page.abs_url or ""]
    return values, _leaves(page.meta, values)


@dataclass
class _Group:
    """Pages of one shape, without their values: the first page's, which of them vary, and a digest of each
    page's values (`values_digest`)."""

    pages: list[Page]
    first: list[str] | None
    """The values of the first page read in this build; None while the group holds only pages kept unread."""
    varying: list[bool]
    digests: list[bytes]
    reference: list[bytes] | None = None
    """A digest of each value of a page of the group's last build (`GroupState`), when the group holds pages kept
    unread: a value read now that differs from it varies."""


@dataclass(frozen=True)
class GroupState:
    """What a group of one build leaves for the next (plugin.RenderedCache), so that a page whose source did not
    change need not be read to join it: a digest of each value of one of its pages, and which values varied. Which
    vary may be more than vary now (a page since removed): a shell with a marker more fills the same bytes."""

    reference: list[bytes]
    varying: list[bool]

    def merged(self, other: GroupState) -> GroupState:
        """One group's state from two renderers' shares: a value varies if it did in either, or if they differ."""
        varying = [
            mine or theirs or a != b
            for mine, theirs, a, b in zip(self.varying, other.varying, self.reference, other.reference, strict=True)
        ]
        return GroupState(self.reference, varying)


def _value_digests(values: Sequence[str]) -> list[bytes]:
    return [hashlib.blake2b(v.encode("utf-8", errors="surrogatepass"), digest_size=16).digest() for v in values]


Render = Callable[[Page], str]
"""Renders a page through the theme as MkDocs would, up to (not including) the post-page plugin events."""


def theme_renderer(config: Any, doc_files: Sequence[Any], nav: Any, env: Any) -> Render:
    """MkDocs' own page rendering (`mkdocs.commands.build._build_page`) without the writing."""

    def render(page: Page) -> str:
        page.active = True
        try:
            context = get_context(nav, doc_files, config, page)
            template = env.get_template(page.meta.get("template", "main.html"))
            context = config.plugins.on_page_context(context, page=page, config=config, nav=nav)
            return template.render(context)
        finally:
            page.active = False

    return render


Restore = Callable[[Page], None]
"""Gives a page whose text was released (`ShellPlan.add`) its text again, as MkDocs read it; `Release` drops it."""

Release = Callable[[Page], None]


class ShellPlan:
    """The pages of one build grouped by shape as MkDocs reads them, each page's text released once added.

    At 100,000 stories a process held every page of its share (text, front matter, values) until all were
    rendered: 1.5 GiB of its 1.7. A group now keeps its first page's values, which of them vary and a digest per
    page; a page is read again only when it must be filled (its kept rendering is stale) or checked."""

    def __init__(self) -> None:
        self.groups: dict[tuple[object, ...], _Group] = {}
        self._kept: dict[int, _Group] = {}
        """Groups by the identity of the keys `add_kept` was given (one object per group): a key is a nested tuple,
        hashed anew on every lookup."""

    def add(self, page: Page) -> tuple[tuple[object, ...], bytes]:
        """Group a page MkDocs has just read (its content, addresses and front matter set); its group's key and the
        digest of its values, which the next build needs to group it unread (`add_kept`)."""
        values, shape = page_values(page)
        key = _shape_key(page, shape)
        digest = values_digest(values)
        group = self.groups.get(key)
        if group is None:
            self.groups[key] = _Group([page], values, [False] * len(values), [digest])
            return key, digest
        group.pages.append(page)
        group.digests.append(digest)
        varying = group.varying
        if group.first is None:  # the first page read of a group of pages kept unread: compared with the last build's
            group.first = values
            reference = group.reference or []
            for number, (known, value) in enumerate(zip(reference, _value_digests(values), strict=True)):
                if known != value:
                    varying[number] = True
            return key, digest
        for number, (first, value) in enumerate(zip(group.first, values, strict=True)):
            if not varying[number] and first != value:
                varying[number] = True
        return key, digest

    def add_kept(self, page: Page, key: tuple[object, ...], digest: bytes, state: GroupState) -> None:
        """Group a page MkDocs has not read, whose source is what the last build read: its group's key and the
        digest of its values are the last build's, and so is what its group knew of the values (`GroupState`)."""
        group = self._kept.get(id(key)) or self.groups.get(key)
        if group is None:
            group = self.groups[key] = _Group([page], None, list(state.varying), [digest], list(state.reference))
            self._kept[id(key)] = group
            return
        self._kept[id(key)] = group
        group.pages.append(page)
        group.digests.append(digest)
        if group.reference is None and group.first is not None:  # begun by a page read: what the last build knew joins
            group.reference = list(state.reference)
            for number, (known, value) in enumerate(zip(state.reference, _value_digests(group.first), strict=True)):
                if known != value or state.varying[number]:
                    group.varying[number] = True

    def states(self) -> dict[tuple[object, ...], GroupState]:
        """What each group leaves for the next build, once every page of this build is grouped."""
        return {
            key: GroupState(
                _value_digests(group.first) if group.first is not None else group.reference or [], list(group.varying)
            )
            for key, group in self.groups.items()
        }

    def render(self, render: Render, restore: Restore, release: Release) -> Iterator[tuple[Page, Shell | None, bytes]]:
        """Each page with the verified shell that renders it (None: MkDocs must, and its text is restored) and the
        digest of its values, one at a time: the caller links a kept rendering by `Shell.key`, or restores the page
        and fills the shell with its `page_values`. Ten thousand pages of output need not sit in memory."""
        groups, self.groups, self._kept = self.groups, {}, {}
        for group in groups.values():
            shell = _make_shell(group, render, restore, release) if len(group.pages) >= MIN_GROUP else None
            for page, digest in zip(group.pages, group.digests, strict=True):
                if shell is None:
                    restore(page)
                yield page, shell, digest


def _make_shell(group: _Group, render: Render, restore: Restore, release: Release) -> Shell | None:
    """The group's shell, if the template treats its varying values in ways a shell can reproduce."""
    varying = group.varying
    first = group.pages[0]
    restore(first)
    try:
        stand_in = copy.copy(first)
        numbers = iter(range(len(varying)))
        # A value that does not vary is the same in every page of the group: the first page's own (read again).
        values = page_values(first)[0]
        markers = [_marker(next(numbers)) if vary else value for vary, value in zip(varying, values, strict=True)]
        if varying[_CONTENT] and "<h1" in first.content:
            markers[_CONTENT] = "<h1 " + markers[_CONTENT]  # Material adds a heading to content that has none
        stand_in.content, stand_in.canonical_url, stand_in.abs_url = markers[:3]
        # A value that does not vary stays the first page's own (a number stays a number, for the template to
        # compare).
        kept = (marker if vary else None for marker, vary in zip(markers[3:], varying[3:], strict=True))
        stand_in.meta = _replace_leaves(first.meta, kept)
    finally:
        release(first)
    derive = getattr(stand_in, "derive_from_meta", None)
    if derive is not None:
        derive()  # what the page computes from its front matter (its table of contents) takes the markers too
    try:
        shell = _cut(render(stand_in), [number for number, vary in enumerate(varying) if vary])
    except Exception:  # a template that computes with a value (a date, a number) cannot have a shell
        return None
    if shell is None:
        return None
    middle = len(group.pages) // 2
    for number in sorted({0, middle, len(group.pages) - 1}):
        page = group.pages[number]
        restore(page)
        try:
            if shell.fill(page_values(page)[0]) != render(page):
                return None
        finally:
            release(page)
    return shell


def _cut(text: str, columns: list[int]) -> Shell | None:
    pieces, slots = [], []
    position = 0
    for match in _SLOT.finditer(text):
        number = int(match["number"])
        if number >= len(columns) or (match["h1"] and columns[number] != _CONTENT):
            return None
        pieces.append(text[position : match.start()])
        slots.append((columns[number], _FORMS[match["form"]]))
        position = match.end()
    pieces.append(text[position:])
    if any(_LEFTOVER.search(piece) for piece in pieces):  # a marker cut, truncated or encoded: not a shell
        return None
    return Shell(tuple(pieces), tuple(slots))


def _is_leaf(value: object) -> bool:
    return isinstance(value, str | int) and not isinstance(value, bool) and value not in ("", 0)


def _leaves(value: object, out: list[str]) -> object:
    """Append every value of `value` a shell may fill (strings and numbers, not empty), in a fixed order, and
    return its shape: what two pages must share to share a shell (keys, lengths, flags, which values are empty).

    One pass for both, with the types JSON gives tested first: 13,000 pages of nested front matter."""
    kind = type(value)
    if kind is dict:
        return tuple((key, _leaves(item, out)) for key, item in value.items())  # type: ignore[attr-defined]
    if kind is list:
        return tuple(_leaves(item, out) for item in value)  # type: ignore[attr-defined]
    if _is_leaf(value):
        out.append(str(value))
        return "value"
    if isinstance(value, dict):
        return tuple((key, _leaves(item, out)) for key, item in value.items())
    if isinstance(value, list):
        return tuple(_leaves(item, out) for item in value)
    return repr(value)


def _replace_leaves(value: Any, markers: Iterator[str | None]) -> Any:
    """`value` with each leaf (in `_leaves`' order) replaced by the next marker, or kept where that is None."""
    if _is_leaf(value):
        marker = next(markers)
        return value if marker is None else marker
    if isinstance(value, dict):
        return {key: _replace_leaves(item, markers) for key, item in value.items()}
    if isinstance(value, list):
        return [_replace_leaves(item, markers) for item in value]
    return value


def _shape_key(page: Page, shape: object) -> tuple[object, ...]:
    return (
        page.url.count("/"),
        page.url.split("/")[0],  # links to the navigation, made relative, differ from one section to another
        "<h1" in (page.content or ""),
        bool(page.canonical_url),
        shape,
    )
