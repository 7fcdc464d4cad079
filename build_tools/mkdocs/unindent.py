"""The theme's templates without their indentation: Material indents its markup deeply, and every page repeats it.

A line's leading spaces, and the line break after a line of nothing but Jinja tags, render as the one space the
line break before them already makes (HTML collapses a run of whitespace into one), so dropping them changes no
page a reader sees; a template that holds `<pre>` or `<textarea>`, where whitespace shows, is left as it is. Done to
the templates' source, before Jinja compiles them, so that MkDocs' rendering, the theme shells (shell.py, cut from
that rendering) and plain mode all give the same bytes: 0.9 kB of the median story page.
"""

from __future__ import annotations

import hashlib
import re

from jinja2.ext import Extension

_INDENT = re.compile(r"\n[ \t]+")
_TAG_LINE = re.compile(r"^((?:\{%(?!-)|\{#(?!-))[^%#]*[%#]\}(?:\{[%#][^%#]*[%#]\})*)\n", re.MULTILINE)
"""A line of nothing but Jinja tags: its line break would be an empty line of the page. The line before ends in
its own line break, which the first tag must not strip (`{%-`), so that no two words meet."""
_KEEPS_WHITESPACE = re.compile(r"<(pre|textarea)\b", re.IGNORECASE)
_COMMENT = re.compile(r"\{#.*?#\}", re.DOTALL)

BYTECODE_FOLDER = (
    "templates-"
    + hashlib.sha256(
        "\0".join(p.pattern for p in (_INDENT, _TAG_LINE, _KEEPS_WHITESPACE, _COMMENT)).encode()
    ).hexdigest()[:12]
)
"""Jinja keys compiled templates on their source before this extension changes it: templates compiled under other
rules (or none) are kept in another folder (`plugin.on_env`), so a change of these rules is never served stale."""


class Unindent(Extension):
    """A Jinja extension: each template's source with every line's leading spaces and tabs removed."""

    def preprocess(self, source: str, name: str | None, filename: str | None = None) -> str:
        if _KEEPS_WHITESPACE.search(_COMMENT.sub("", source)):
            return source
        return _TAG_LINE.sub(r"\1", _INDENT.sub("\n", source))
