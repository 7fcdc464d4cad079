"""A whole profile: the rules of each key (keys.py), and those about the file itself: its folder name, a YAML escape
that brings an invisible character, a rule that spans keys, personal data anywhere, and the story below the front
matter.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from ..load import Source
from ..model import KINDS
from ..privacy import (
    EMAIL,
    Finding,
    contacts_in,
    find_personal_data,
    may_contain_personal_data,
    normalise,
    visible_text,
)
from ..problems import Problem
from ..richtext import render_story
from ..text import SLUG_RE, slugify
from .checks import Context, invisible_characters, invisible_value_message, type_name, unknown_keys
from .keys import PROFILE_KEY_NAMES, PROFILE_KEYS, validate_verifiable
from .vocabulary import Vocabulary

STORY_MAX = 400_000
"""Characters of a story (about 60,000 words): a 25 MB story emptied its field and province feeds; one of this size
still fits in a feed (feeds.MAX_FEED_BYTES, 2 MB) with room for others."""
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


def validate_profile(source: Source, slug: str, folder: Path, vocabulary: Vocabulary) -> list[Problem]:
    """Every problem of one profile, each naming its line."""
    problems: list[Problem] = []

    def report(message: str, key: str | None = None, line: int | None = None) -> None:
        if line is None:
            line = source.lines.get(key or "", None)
            parent = key
            while line is None and parent and "." in parent:
                parent = parent.rsplit(".", 1)[0]
                line = source.lines.get(parent)
        problems.append(Problem(source.path, line or 1, key, message))

    if not SLUG_RE.match(slug):
        report(
            f"tên thư mục `{slug}` không hợp lệ: chỉ dùng chữ thường không dấu, số và dấu gạch ngang, "
            f"ví dụ `{slugify(slug) or 'nguyen-thi-huong-nam-dinh'}`.",
            line=1,
        )
    data = source.data
    if not isinstance(data, dict):
        report(
            "phần thông tin đầu tệp phải là các dòng `tên-trường: giá trị`, ví dụ `name: Nguyễn Thị Hương` "
            f"(đang là {type_name(data)}). Hãy viết theo “Ví dụ hồ sơ hoàn chỉnh” trong CONTRIBUTING.md."
        )
        return problems
    # The file was checked on reading; only a YAML escape (`"\u202e"`, which needs a backslash) can bring more.
    for key, char in invisible_characters(data) if "\\" in source.text or not source.text else ():
        report(invisible_value_message(char), key)
    ctx = Context(vocabulary, folder, data)
    misspelt = set()
    for issue in unknown_keys(data, PROFILE_KEY_NAMES, ""):
        report(issue.message, (issue.key or "").lstrip("."))
        misspelt.update(re.findall(r"Có phải ý bạn là `([a-z_]+)`", issue.message))
    for key in PROFILE_KEYS:
        if key.name not in data:
            if key.required and key.name in misspelt:
                continue  # `sumary` already told them: one mistake, one message
            if key.required:
                report(f"thiếu trường bắt buộc. {key.rule} Ví dụ: `{key.name}: {key.example}`.", key.name, line=1)
            elif data.get("kind") in key.required_for:
                kind = KINDS[data["kind"]].lower()
                report(f"hồ sơ {kind} cần trường này. {key.rule} Ví dụ: `{key.name}: {key.example}`.", key.name, line=1)
            continue
        for issue in key.validate(data[key.name], ctx):
            report(issue.message, issue.key or key.name)
    for key_name, message in validate_verifiable(data):
        report(message, key_name, line=source.lines.get(key_name, 1))
    photo = data.get("photo")
    photo_src = photo.get("src") if isinstance(photo, dict) and isinstance(photo.get("src"), str) else None
    for line, key_name, message in validate_privacy(source, data.get("public_contacts"), slug, photo_src):
        report(message, key_name, line=line)
    if len(source.body) > STORY_MAX:
        report(
            f"câu chuyện dài {_thousands(len(source.body))} ký tự, tối đa {_thousands(STORY_MAX)} (khoảng 60.000 từ). "
            "Một câu chuyện dài như vậy không vừa feed của báo chí: hãy rút gọn, hoặc đưa phần tư liệu lên trang "
            "khác rồi dẫn liên kết ở `sources`.",
            line=source.body_line,
        )
    if not _HTML_COMMENT.sub("", source.body).strip():
        report("chưa có câu chuyện: hãy viết nội dung bên dưới dòng `---` thứ hai.", line=source.body_line)
    return problems


def _thousands(number: int) -> str:
    """`120.000`: Vietnamese groups thousands with a dot."""
    return f"{number:,}".replace(",", ".")


def validate_privacy(
    source: Source, public_contacts: Any, slug: str = "", photo: str | None = None
) -> Iterator[tuple[int, str | None, str]]:
    """Phone numbers, citizen ID numbers and personal e-mail anywhere in the profile, as written and as published.

    Four readings, so that no disguise gets through (privacy.py normalises each): the file line by line, comments
    included (the repository is public too); every value as YAML reads it (a folded scalar joins lines, an escape
    makes a digit); the story as the page shows it (markup, entities and line breaks can assemble a number); and the
    folder and photo names, which become addresses. The build scans its outputs with the same rules
    (`build.scan_outputs`): `check` gives the same answer. Only the contacts a profile declares in
    `public_contacts` are let through, and the page shows them as official contacts.
    """
    allowed: set[str] = set()
    if isinstance(public_contacts, list):
        allowed = {f.value for item in public_contacts if isinstance(item, str) for f in contacts_in(item)}
    for line, key, message, _ in personal_data_in(source, allowed, slug, photo):
        yield line, key, message


def personal_data_in(
    source: Source, allowed: set[str], slug: str = "", photo: str | None = None
) -> Iterator[tuple[int, str | None, str, str]]:
    """(line, key, message, normalised value) of each piece of personal data in a profile (see `validate_privacy`);
    the build also uses it to name the profile behind a number found in what it wrote."""
    reported = set(allowed)
    starts = sorted((line, key) for key, line in source.lines.items())
    if may_contain_personal_data(source.text):
        for number, line in enumerate(source.text.splitlines(), start=1):
            for finding in find_personal_data(line):
                if finding.value not in allowed:
                    reported.add(finding.value)
                    key = _key_at(starts, number) if number < source.body_line else None
                    yield number, key, finding.message, finding.value
    for key, value in _text_values(source.data):
        for finding in find_personal_data(value) if may_contain_personal_data(value) else ():
            if finding.value not in reported:
                reported.add(finding.value)
                yield source.lines.get(key, 1), key, finding.message, finding.value
    if _may_hide_personal_data(source.body):
        for finding in find_personal_data(visible_text(render_story(source.body))):
            if finding.value not in reported:
                reported.add(finding.value)
                yield _story_line(source, finding), None, finding.message, finding.value
    for name, what, key in ((slug, "tên thư mục", None), (photo or "", "tên tệp ảnh", "photo.src")):
        for finding in find_personal_data(name.replace("_", " ")):
            if finding.value not in allowed:
                line = 1 if key is None else source.lines.get(key, 1)
                message = (
                    f"{what} `{name}` có `{finding.text}`, giống số điện thoại, số căn cước hoặc thư điện tử; tên "
                    "này thành địa chỉ trên trang. Hãy đổi tên, bỏ phần đó đi."
                )
                yield line, key, message, finding.value


_MARKUP_SIGNS = re.compile(r"<[^>]*>|[*_`\\~]")


def _may_hide_personal_data(body: str) -> bool:
    """Whether the story's markup could assemble a number or an address the lines as written do not show."""
    return "&#" in body or may_contain_personal_data(_MARKUP_SIGNS.sub("", body))


def _text_values(value: Any, prefix: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield prefix, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _text_values(item, f"{prefix}.{key}" if prefix else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _text_values(item, f"{prefix}.{index}" if prefix else str(index))


def _story_line(source: Source, finding: Finding) -> int:
    """The line of the story where a number or address assembled by markup or a line break begins: the first line
    that starts it and, with the two after it, holds all of it."""
    wanted = _comparable(finding.text, finding.kind)
    lines = source.body.split("\n")
    for index, line in enumerate(lines):
        here = _comparable(visible_text(normalise(line)), finding.kind)
        window = _comparable(visible_text(normalise(" ".join(lines[index : index + 3]))), finding.kind)
        if wanted in window and wanted[:3] in here:
            return source.body_line + index
    return source.body_line


def _comparable(text: str, kind: str) -> str:
    return text.lower().replace(" ", "") if kind == EMAIL else re.sub(r"\D", "", text)


def _key_at(starts: Sequence[tuple[int, str]], line: int) -> str | None:
    """The deepest front-matter key whose value is on or above this line."""
    best: tuple[int, str] | None = None
    for start, key in starts:
        if start > line:
            break
        if best is None or start > best[0] or (start == best[0] and len(key) > len(best[1])):
            best = (start, key)
    return best[1] if best else None
