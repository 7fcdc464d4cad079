"""Personal data that must never be published: Vietnamese phone numbers, citizen ID numbers, personal e-mail.

Pure text rules, shared by the profile check (schema/profile.py), `exemplars new` and the scan of every output a build
writes (`findings_in_output`). A finding carries the text as found, so the contributor can find it on the line,
and a normalised `value` used to match the visible exceptions a profile declares in `public_contacts`.

What is looked for is one table, `RULES`, with the Vietnamese message for each kind. Text is first brought to the
form a reader sees (`normalise`): HTML entities and percent-escapes decoded (`&#64;`, `%40`), Unicode NFKC
(fullwidth digits, non-breaking and thin spaces), every dash written as `-`, every line break and tab as a space.
Numbers are then matched as runs of digit groups separated by up to three of: space, dot, dash, slash,
underscore and brackets (`(0228) 3812 345`, `0912–345–678`, `0912/345/678`, `0912  345 678`). Every window of
consecutive groups is tried, so "số 15 0912 345 678" still finds the phone after the count, while a decision
number ("1234/QĐ-UBND"), a date ("12/05/2023", "2023-05-12"), a year range, a count or an amount of money
("1.200.000 đồng") never has the shape of a phone or ID number.
"""

from __future__ import annotations

import csv
import functools
import html
import io
import json
import re
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

PHONE = "phone"
CITIZEN_ID = "citizen-id"
OLD_ID = "old-id"
EMAIL = "email"


@dataclass(frozen=True)
class Rule:
    """One row of the table: what is refused, how it is recognised, and what the contributor is told."""

    kind: str
    shapes: str
    """The forms recognised (for developers: SECURITY.md quotes this table)."""
    message: str
    """Vietnamese; `{text}` is the number or address as found."""


RULES: tuple[Rule, ...] = (
    Rule(
        PHONE,
        "Mobile: 10 digits starting 03/05/07/08/09 (and the pre-2018 11-digit 01x); landline: 11 digits starting "
        "02x, the area code with or without brackets; either with +84, 0084, (+84) or 84 instead of the 0; "
        "in any grouping, inside URLs (`tel:`, `zalo.me/…`) too.",
        "dòng này có số điện thoại `{text}`. Không đăng số điện thoại cá nhân: hãy xóa số này. Nếu đây là "
        "số đường dây nóng công khai của cơ quan, đơn vị, hãy ghi nó vào trường `public_contacts` để được phép đăng.",
    ),
    Rule(
        CITIZEN_ID,
        "12 digits starting with a province code 001–096 (căn cước công dân, số định danh cá nhân), in any grouping.",
        "dòng này có dãy 12 chữ số giống số căn cước công dân (`{text}`). Không đăng số căn cước, "
        "số định danh cá nhân: hãy xóa.",
    ),
    Rule(
        OLD_ID,
        "9 digits in one group (chứng minh nhân dân), unless followed by a unit or currency; not inside URLs, "
        "where article numbers have that shape.",
        "dòng này có dãy 9 chữ số giống số chứng minh nhân dân (`{text}`). Không đăng số chứng minh nhân dân: "
        "hãy xóa. Nếu đây là số tiền hay số lượng, hãy viết có dấu chấm ngăn cách, ví dụ `120.000.000 đồng`.",
    ),
    Rule(
        EMAIL,
        "An e-mail address outside gov.vn and org.vn, also written with `&#64;` or `%40`, or in a URL (`?email=`).",
        "dòng này có địa chỉ thư điện tử `{text}`. Không đăng thư điện tử cá nhân: hãy xóa. Nếu đây là "
        "địa chỉ công khai của cơ quan, đơn vị, hãy ghi nó vào trường `public_contacts` để được phép đăng.",
    ),
)
_MESSAGES = {rule.kind: rule.message for rule in RULES}

NON_PERSONAL_EMAIL_DOMAINS = ("gov.vn", "org.vn")
"""Addresses of state agencies and organisations (`vanphong@namdinh.gov.vn`) are published contacts, not personal."""

_SEPARATOR = r"[ .\-/_()]{1,3}"
_GROUPED_NUMBER = re.compile(
    r"(?<![\w+])(\(?(?:\+|\b00)\s?84\)?[ .-]?)?\(?(\d+(?:" + _SEPARATOR + r"\d+)*)\)?(?![\w/])"
)
_GROUP_SPLIT = re.compile(r"(" + _SEPARATOR + r")")
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@(?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,}\b")
_URL = re.compile(r"\b(?:https?://|www\.|zalo\.me/|tel:|mailto:)[^\s)\]>\"']+")
_DATE = re.compile(
    r"(?<![\d/])(?:\d{1,2}/\d{1,2}/(?:19|20)\d\d|\d{1,2}/(?:19|20)\d\d|(?:19|20)\d\d-\d\d-\d\d)(?![\d/])"
)
"""Dates with a slash (`12/05/2023`, `05/2023`) and ISO dates: taken out first, so that a slash or a dash between
them and a neighbouring number never joins them into something phone-shaped (`05/2023–06/2024`)."""
_BUSINESS_CODE = re.compile(r"(mã số thuế|\bMST\b|mã số doanh nghiệp|mã doanh nghiệp|mã hợp tác xã)", re.IGNORECASE)
_MONEY_OR_UNIT = re.compile(
    r"^\s*(đồng|đ\b|VNĐ|VND|USD|triệu|tỷ|nghìn|ngàn|người|lượt|hộ|m²|m2|ha\b|km|kg|tấn|cây|con|bản|trang)",
    re.IGNORECASE,
)
_MAX_GROUPS = 6
_CANDIDATE = re.compile(r"[@＠]|&#|&commat;|%(?:40|3\d)|\d(?:[^\w@]{0,3}\d){8}")
"""What any finding needs: an `@`, an escape that could make one or a digit, or nine digits with at most three
other signs between each (the shortest number we report, an old ID, has nine digits; a phone after +84 too). Most
text has none of these, and is skipped at once. Fullwidth digits are digits to `\\d`."""
_DASH_CHARACTERS = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"
_DASHES = re.compile(f"[{_DASH_CHARACTERS}]")
"""Dashes left after NFKC (which maps the small and fullwidth hyphen-minus to `-` already)."""
_COMMON_ENTITIES = (("&amp;", "&"), ("&lt;", "<"), ("&gt;", ">"), ("&quot;", '"'), ("&#34;", '"'), ("&#39;", "'"))
"""Replaced as plain text first (`&amp;` first, so `&amp;lt;` becomes `<`): `html.unescape` calls Python per entity."""
_PERCENT_ESCAPES = re.compile(r"%[0-9A-Fa-f]{2}(?:%[0-9A-Fa-f]{2})*")
"""A run of percent-escapes, written to start with its `%` so that the engine looks for that sign alone (twice as
fast on pages as `(?:%XX)+`, which it tries at every place)."""


def _unquote(match: re.Match[str]) -> str:
    """One run of escapes as `urllib.parse.unquote` decodes it (UTF-8, errors replaced), without its general parsing."""
    return bytes.fromhex(match.group().replace("%", "")).decode("utf-8", "replace")


_SPACES = re.compile(r"[^\S ]")
"""Every space that is not a plain one (line breaks, tabs, and what NFKC leaves): one plain space each."""


@dataclass(frozen=True)
class Finding:
    kind: str
    """PHONE, CITIZEN_ID, OLD_ID or EMAIL."""
    text: str
    """As found on the line (after `normalise`)."""
    value: str
    """Normalised: a phone in national form (`0912345678`), an ID's digits, an e-mail in lowercase."""

    @property
    def message(self) -> str:
        """What the contributor is told (the table's message for this kind)."""
        return _MESSAGES[self.kind].format(text=self.text)


def normalise(text: str) -> str:
    """Text as a reader sees it, for the rules: escapes decoded, NFKC, one kind of dash, every space a plain one."""
    if "&" in text:
        for entity, char in _COMMON_ENTITIES:  # feeds carry HTML escaped once more: 300 KB of `&lt;` each
            text = text.replace(entity, char)
        if "&" in text:
            text = html.unescape(html.unescape(text))
    if "%" in text:
        text = _PERCENT_ESCAPES.sub(_unquote, text)
    if not text.isascii():
        if not unicodedata.is_normalized("NFKC", text):
            text = unicodedata.normalize("NFKC", text)
        # Each dash looked for as a substring first: ten times faster than the expression over a page without one.
        if any(dash in text for dash in _DASH_CHARACTERS):
            text = _DASHES.sub("-", text)
    return _SPACES.sub(" ", text)


def find_personal_data(line: str) -> list[Finding]:
    """Every phone number, citizen ID number and personal e-mail address in a piece of text (line breaks are
    spaces: a number wrapped over two lines is found)."""
    if not may_contain_personal_data(line):
        return []
    return _find(normalise(line))


def _find(text: str) -> list[Finding]:
    """`find_personal_data` on text already normalised. Text that holds neither nine grouped digits nor the core
    of an address (`_may_hold_findings`) has nothing to find: most pages, whose only `@` are JSON-LD's `@type`."""
    if not _may_hold_findings(text):
        return []
    if len(text) <= _LONG_TEXT:
        return _scan(text)
    business = functools.cache(functools.partial(_is_business, text))
    return [finding for start, end in _windows(text) for finding in _scan(text[start:end], business)]


_DIGIT_RUN = re.compile(r"\d(?:(?:[^\w@]|_){0,3}\d){8}")
"""Nine digits with at most three other signs between each: every number the rules report holds such a run, since
it has nine digits or more (an old ID; a phone after +84) in groups split by at most three of `_SEPARATOR`'s signs,
none of them a letter, a digit or an `@`; dates and addresses blanked out by `_scan` are six signs or more."""
_ADDRESS_CORE = re.compile(r"@[A-Za-z0-9-]+\.")
"""What every address `_EMAIL` matches holds."""


def _may_hold_findings(text: str) -> bool:
    """Whether the number or the address rules could find anything in normalised text: when not, `_scan` would
    find nothing, and is spared."""
    return _DIGIT_RUN.search(text) is not None or ("@" in text and _ADDRESS_CORE.search(text) is not None)


_LONG_TEXT = 4000
_MARGIN = 80
"""Characters kept on each side of a candidate in a long text (a page, a feed): more than any finding spans."""
_NORMALISED_CANDIDATE = re.compile("@|" + _DIGIT_RUN.pattern)


def _windows(text: str) -> list[tuple[int, int]]:
    """The stretches of a long text around each candidate (`_CANDIDATE` once escapes are decoded), from a space to
    a space so that no number is cut, merged where they meet: a page of 300 KB is scanned where it matters, not
    whole (the scan of every output was a quarter of a cold build)."""
    spans: list[tuple[int, int]] = []
    for match in _NORMALISED_CANDIDATE.finditer(text):
        before = max(0, match.start() - _MARGIN)
        start = max(text.rfind(" ", max(0, before - _MARGIN), before) + 1, 0) if before else 0
        after = min(len(text), match.end() + _MARGIN)
        end = text.find(" ", after, after + _MARGIN)
        end = len(text) if end < 0 else end
        if spans and start <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(end, spans[-1][1]))
        else:
            spans.append((start, end))
    return spans


def _scan(line: str, business: Callable[[], bool] | None = None) -> list[Finding]:
    """The rules on one stretch of normalised text. `business` says whether the text around names a business's code
    (`_is_business`): asked only of a number shaped like a tax code, since the case-blind search costs a tenth of a
    page's scan."""
    findings: list[Finding] = []
    blanked = line
    if "@" in line and _ADDRESS_CORE.search(line) is not None:  # most pages' `@` are JSON-LD's, never an address
        for match in _EMAIL.finditer(line):
            address = match.group().lower()
            domain = address.rsplit("@", 1)[1]
            if not any(domain == d or domain.endswith("." + d) for d in NON_PERSONAL_EMAIL_DOMAINS):
                findings.append(Finding(EMAIL, match.group(), address))
        blanked = _blank(_EMAIL, line)
    if _DIGIT_RUN.search(blanked) is None or _DIGIT_RUN.search(blanked := _blank(_DATE, blanked)) is None:
        return sorted(findings, key=lambda f: line.find(f.text))  # no number the rules report: the rest spared
    urls = [match.span() for match in _URL.finditer(blanked)]
    if business is None:
        business = functools.cache(functools.partial(_is_business, blanked))
    for match in _GROUPED_NUMBER.finditer(blanked):
        for finding, start in _numbers_in_run(match, blanked, business):
            in_url = any(begin <= start < end for begin, end in urls)
            if not (in_url and finding.kind == OLD_ID):  # an article's number in a link, not an ID card
                findings.append(finding)
    return sorted(findings, key=lambda f: line.find(f.text))


def _is_business(text: str) -> bool:
    """Whether the text names a business's code (`_BUSINESS_CODE`). Every form it knows starts with "mã" or "MST",
    in any case: text without either, lower-cased, is settled without the case-blind search (a tenth of a page's
    scan). The text is normalised (NFKC), so no other letter folds to these (the long s is an s by then)."""
    lowered = text.lower()
    return ("mã" in lowered or "mst" in lowered) and _BUSINESS_CODE.search(text) is not None


def _blank(pattern: re.Pattern[str], text: str) -> str:
    return pattern.sub(lambda m: " " * len(m.group()), text)


def may_contain_personal_data(text: str) -> bool:
    """A quick test that lets a 10,000-profile check skip the costly rules on the lines that cannot match them:
    `_CANDIDATE`, its literal branches tested as substrings first (a third of the time of the one expression)."""
    if "@" in text or "\uff20" in text or "&#" in text or "&commat;" in text:
        return True
    if "%" in text and _PERCENT_CANDIDATE.search(text) is not None:
        return True
    return _DIGITS_CANDIDATE.search(text) is not None


_PERCENT_CANDIDATE = re.compile(r"%(?:40|3\d)")
_DIGITS_CANDIDATE = re.compile(r"\d(?:[^\w@]{0,3}\d){8}")


def contacts_in(text: str) -> list[Finding]:
    """Phone numbers and e-mail addresses (an agency's too) in a declared public contact."""
    findings = [f for f in find_personal_data(text) if f.kind in (PHONE, EMAIL)]
    for match in _EMAIL.finditer(normalise(text)):
        if not any(f.kind == EMAIL and f.text == match.group() for f in findings):
            findings.append(Finding(EMAIL, match.group(), match.group().lower()))
    return findings


def _numbers_in_run(match: re.Match[str], line: str, business: Callable[[], bool]) -> list[tuple[Finding, int]]:
    """Phone and ID numbers inside one run of digit groups; the longest shape wins at each start."""
    plus = match.group(1) is not None
    parts = _GROUP_SPLIT.split(match.group(2))
    groups, separators = parts[::2], parts[1::2]
    offset = match.start(2)
    starts = []
    position = offset
    for index, group in enumerate(groups):
        starts.append(position)
        position += len(group) + (len(separators[index]) if index < len(separators) else 0)
    findings: list[tuple[Finding, int]] = []
    first = 0
    while first < len(groups):
        found = None
        for last in range(min(len(groups), first + _MAX_GROUPS) - 1, first - 1, -1):
            digits = "".join(groups[first : last + 1])
            if len(digits) > 15:
                continue
            with_prefix = plus and first == 0
            kind, value = _classify(digits, with_prefix, single_group=first == last)
            if kind is None:
                continue
            end = starts[last] + len(groups[last])
            begin = match.start(1) if with_prefix else starts[first]
            if kind == OLD_ID and _MONEY_OR_UNIT.match(line[end:]):
                continue
            if kind in (PHONE, OLD_ID) and len(digits) in (10, 13) and business():
                continue  # a business's tax code (mã số thuế) is public by law
            text = line[begin:end].strip()
            if line[begin - 1 : begin] == "(" and ")" in text and "(" not in text:
                text = "(" + text  # a landline's area code in brackets
            found = (Finding(kind, text, value), begin), last
            break
        if found:
            findings.append(found[0])
            first = found[1] + 1
        else:
            first += 1
    return findings


def _classify(digits: str, plus: bool, single_group: bool) -> tuple[str | None, str]:
    national = None
    if plus:
        national = "0" + digits.removeprefix("0")
    elif digits.startswith("0084") and len(digits) in (13, 14):
        national = "0" + digits[4:]
    elif digits.startswith("84") and len(digits) in (11, 12):
        national = "0" + digits[2:]
    elif digits.startswith("0"):
        national = digits
    if national is not None and _is_phone(national):
        return PHONE, national
    if plus:
        return None, digits
    if len(digits) == 12 and digits.startswith("0") and 1 <= int(digits[:3]) <= 96:
        return CITIZEN_ID, digits
    if len(digits) == 9 and single_group:
        return OLD_ID, digits
    return None, digits


def _is_phone(national: str) -> bool:
    """Mobile: 10 digits, 03/05/07/08/09. Landline: 11 digits, 02x. Numbers in the pre-2018 plans too."""
    if len(national) == 10:
        return national[1] in "3456789"
    if len(national) == 11:
        return national[1] in "12"
    return False


# Output scanning: what a build wrote, as a reader, a feed reader or a spreadsheet shows it.

_INLINE_TAGS = "a|abbr|b|bdi|bdo|cite|code|data|del|dfn|em|i|ins|kbd|mark|q|s|samp|small|span|strong|sub|sup|time|u|var"
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_INLINE_TAG = re.compile(r"</?(?:" + _INLINE_TAGS + r")\b[^>]*>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]*>")
_URL_ATTRIBUTE = re.compile(r"""(?=[hsuc])\b(?:href|src|url|content)\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)
"""The look-ahead only says what the names start with: the engine then tries fewer places (twice as fast on pages)."""
_SCRIPT = re.compile(r"<(script|style)\b[^>]*>.*?</\1>", re.DOTALL | re.IGNORECASE)


def visible_text(markup: str) -> str:
    """The text a reader sees in HTML: comments dropped, inline tags removed without a trace (so `09<em>12</em>…`
    reads as one number), other tags read as a space; then the values of link and image addresses, on their own."""
    if "<" not in markup:
        return markup
    markup = _SCRIPT.sub(" ", _COMMENT.sub("", markup))
    addresses = " ".join(a or b for a, b in _URL_ATTRIBUTE.findall(markup))
    return _TAG.sub(" ", _INLINE_TAG.sub("", markup)) + " " + addresses


READ_SUFFIXES = frozenset({"html", "md", "xml", "json", "csv", "txt", "js"})
"""Outputs whose text a reader reads; of the others (photos, cards, the search index's binary shards, fonts) only
the name is read."""


def reads_content(path: str) -> bool:
    """Whether the scan needs the file's bytes: images are a third of the files and most of the bytes at 10,000
    stories, and reading them cost the scan a third of its time for nothing."""
    return path.rsplit(".", 1)[-1].lower() in READ_SUFFIXES


PieceScan = Callable[[], list["Finding"]]
Remembered = Callable[[bytes | str, PieceScan], Sequence["Finding"]]
"""Given one piece of a file read in pieces (a line of JSON, a cell of CSV) and the scan of that piece: its findings,
from a memory of pieces scanned before where it holds them (content/scanned.py)."""


def findings_in_output(path: str, data: bytes, remembered: Remembered | None = None) -> list[Finding]:
    """Personal data in one file a build writes, read as its reader reads it: the path itself, HTML as text (feeds'
    escaped HTML too), JSON as its strings, CSV as its cells. Images and fonts: the name only.

    JSON is read a line at a time and CSV a cell at a time, so each line's or cell's findings are its own:
    `remembered` may give them for pieces scanned before. The open data after one story changed is 40 MB at 10,000
    stories, of which one line is new: a line is known by its bytes, without decoding or parsing it."""
    findings = find_personal_data(path.replace("/", " / "))
    suffix = path.rsplit(".", 1)[-1].lower()
    if not reads_content(path):
        return findings
    if suffix == "json":
        pieces: Iterator[tuple[bytes | str, PieceScan]] = (
            (line, functools.partial(_findings_in_json_line, line)) for line in _lines(data)
        )
    elif suffix == "csv":
        cells = _cells(data.decode("utf-8", "replace"))
        pieces = ((cell, functools.partial(findings_in_piece, cell)) for cell in cells)
    else:
        return findings + findings_in_piece(data.decode("utf-8", "replace"))
    for piece, scan in pieces:
        findings += scan() if remembered is None else remembered(piece, scan)
    return findings


def findings_in_piece(piece: str) -> list[Finding]:
    """Personal data in one piece of an output (`findings_in_output`)."""
    if "<" in piece or may_contain_personal_data(piece):  # markup may assemble what the quick test misses
        return _find(visible_text(normalise(piece)))
    return []


_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"(\s*:)?')
"""A JSON string literal, and the colon after it when it is a key."""


def _lines(data: bytes) -> Iterator[bytes]:
    """A JSON document a line at a time: JSON escapes every line break inside a string, so no string spans two lines.
    `exemplars.json` is 400 MB at 100,000 stories, which decoded and parsed whole would be held four times over by
    the process that scans it."""
    for line in io.BytesIO(data):
        yield line[:-1] if line.endswith(b"\n") else line


def _findings_in_json_line(line: bytes) -> list[Finding]:
    """Personal data in the string values of one line of JSON, as its readers show them. Without a backslash, each
    value is its literal's text as written, a part of the line: a line without markup that the quick test passes
    holds no value either test would stop at (a search index's piece: a hundred short strings)."""
    text = line.decode("utf-8", "replace")
    escaped = "\\" in text
    if not escaped and "<" not in text and not may_contain_personal_data(text):
        return []
    findings: list[Finding] = []
    for match in _JSON_STRING.finditer(text):
        if match.group(1) is None:  # a value, not a key
            literal = match.group()
            try:
                value = json.loads(literal) if escaped else literal[1:-1]
            except ValueError:  # not JSON after all: its text as written
                value = literal[1:-1]
            findings += findings_in_piece(value)
    return findings


def _cells(text: str) -> Iterator[str]:
    for row in csv.reader(io.StringIO(text), delimiter=","):
        yield from row
