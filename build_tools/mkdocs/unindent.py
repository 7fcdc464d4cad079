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
its own line break, which the first tag must not strip (`{%-`), so that no two words meet. The line break is moved
inside the last tag (`{% if x %}⏎` → `{% if x ⏎%}`), where it is whitespace of the tag: the page loses it, and Jinja
still counts it, so an error names the template's own line."""
_KEEPS_WHITESPACE = re.compile(r"<(pre|textarea)\b", re.IGNORECASE)
_COMMENT = re.compile(r"\{#.*?#\}", re.DOTALL)

_RULES_VERSION = "2"
"""Raised when what the rules do changes without their patterns changing."""

BYTECODE_FOLDER = (
    "templates-"
    + hashlib.sha256(
        "\0".join([_RULES_VERSION, *(p.pattern for p in (_INDENT, _TAG_LINE, _KEEPS_WHITESPACE, _COMMENT))]).encode()
    ).hexdigest()[:12]
)
"""Jinja keys compiled templates on their source before this extension changes it: templates compiled under other
rules (or none) are kept in another folder (`plugin.on_env`), so a change of these rules is never served stale."""


class Unindent(Extension):
    """A Jinja extension: each template's source with every line's leading spaces and tabs removed."""

    def preprocess(self, source: str, name: str | None, filename: str | None = None) -> str:
        if _KEEPS_WHITESPACE.search(_COMMENT.sub("", source)):
            return source
        return _TAG_LINE.sub(_fold_line_break, _INDENT.sub("\n", source))


def _fold_line_break(match: re.Match[str]) -> str:
    """The tags of a line with its line break moved inside the last one, before its `%}` (or `-%}`, `+%}`, `#}`)."""
    tags = match.group(1)
    end = len(tags) - 2
    if tags[end - 1] in "-+":
        end -= 1
    return f"{tags[:end]}\n{tags[end:]}"
