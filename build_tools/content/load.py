"""Files → Source: decode, normalise to NFC, split front matter, parse YAML with line numbers. No judgement."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .problems import Problem
from .text import INVISIBLE, describe_invisible

_FRONT_MATTER_END = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.MULTILINE)


# LibYAML's parser when available: tens of times faster than the pure-Python one on ten thousand profiles.
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BaseLoader):  # type: ignore[valid-type,misc]
    """Safe loader that keeps dates as text, so the schema can explain a bad date instead of crashing."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass(frozen=True)
class Source:
    """One content file as read from disk, before any rule is applied."""

    path: str
    """Path relative to the repository root, with forward slashes (what messages show)."""
    data: Any
    """The parsed YAML (front matter for a profile)."""
    lines: Mapping[str, int] = field(default_factory=dict)
    """Line of each key path (`name`, `photo.alt`, `awards.0.date`), 1-based."""
    body: str = ""
    """The Markdown story below the front matter (profiles only)."""
    body_line: int = 1
    """Line on which the story starts."""
    text: str = ""
    """The whole file after NFC normalisation (for rules that scan every line)."""


@dataclass(frozen=True)
class LoadResult:
    source: Source | None
    problems: list[Problem]


def read_text(path: Path, shown: str) -> tuple[str | None, list[Problem]]:
    """Decode UTF-8 (a BOM is tolerated), unify line ends, normalise to NFC."""
    raw = path.read_bytes()
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [
            Problem(
                shown,
                line,
                None,
                "tệp không được lưu bằng mã hóa UTF-8 (có thể là Windows-1258 hoặc TCVN3). "
                "Hãy mở tệp và lưu lại với mã hóa UTF-8, rồi kiểm tra lại dấu tiếng Việt.",
            )
        ]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not INVISIBLE.search(text):  # the usual case, found in one pass; then which lines, for the message
        return unicodedata.normalize("NFC", text), []
    problems = [
        Problem(shown, number, None, _invisible_message(match.group(), match.start() + 1))
        for number, line in enumerate(text.split("\n"), start=1)
        if (match := INVISIBLE.search(line))
    ]
    if problems:
        return None, problems
    return unicodedata.normalize("NFC", text), []


def _invisible_message(char: str, column: int) -> str:
    return (
        f"cột {column} có {describe_invisible(char)} (thường lẫn vào khi dán từ Word, PDF hoặc phần mềm khác). "
        "Hãy xóa ký tự này: đặt con trỏ ngay trước chữ đứng sau nó rồi bấm Backspace, hoặc gõ lại dòng này."
    )


def parse_yaml(text: str, shown: str, first_line: int = 1) -> tuple[Any, dict[str, int], list[Problem]]:
    """Parse YAML and map every key path to its line; duplicate keys are problems, not silent overwrites."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark, message = _explain(exc, text)
        line = first_line + mark.line if mark else None
        return None, {}, [Problem(shown, line, None, message)]
    if node is None:
        return None, {}, []
    lines: dict[str, int] = {}
    problems: list[Problem] = []
    try:
        walked = list(_walk(node, "", {id(node)}))
    except _Alias as alias:
        loader.dispose()
        return None, {}, [Problem(shown, first_line + alias.line, alias.path or None, _ALIAS)]
    for path, line, duplicate in walked:
        if duplicate:
            problems.append(
                Problem(
                    shown,
                    first_line + line,
                    path,
                    "trường này được khai báo hai lần; giá trị sau sẽ đè mất giá trị trước. Hãy giữ một dòng.",
                )
            )
        else:
            lines.setdefault(path, first_line + line)
    try:
        data = _construct(node, loader)
    except (yaml.YAMLError, ValueError, TypeError, AttributeError, OverflowError) as exc:
        # An explicit tag (`!!python/object`, `!!int abc`) or a list used as a key: read as data, never run.
        if (long := _long_number(node)) is not None:
            return None, {}, [Problem(shown, first_line + long.start_mark.line, None, _LONG_NUMBER)]
        mark = getattr(exc, "problem_mark", None) or _tagged_mark(node)
        line = first_line + mark.line if mark else None
        return None, {}, [Problem(shown, line, None, _CONSTRUCT)]
    finally:
        loader.dispose()
    return data, lines, problems


class _Unusual(Exception):
    """A document that needs PyYAML's own constructor: a merge key, an explicit tag, a list as a key."""


_STR, _SEQ, _MAP = (f"tag:yaml.org,2002:{name}" for name in ("str", "seq", "map"))
_SCALARS = {f"tag:yaml.org,2002:{name}" for name in ("null", "bool", "int", "float")}


def _construct(node: yaml.Node, loader: Any) -> Any:
    """The document's data, as PyYAML's safe constructor makes it, without its per-node machinery, for the plain
    documents profiles are (text, lists, maps, a few numbers and booleans); anything else goes to PyYAML."""
    try:
        return _plain(node, loader)
    except _Unusual:
        return loader.construct_document(node)


def _plain(node: yaml.Node, loader: Any) -> Any:
    """Aliases never get here: `_walk` refuses them first."""
    tag = node.tag
    if isinstance(node, yaml.ScalarNode):
        if tag == _STR:
            return node.value
        if tag in _SCALARS:
            return loader.yaml_constructors[tag](loader, node)
        raise _Unusual
    if tag == _SEQ and isinstance(node, yaml.SequenceNode):
        return [_plain(item, loader) for item in node.value]
    if tag == _MAP and isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = _plain(key_node, loader)
            if not isinstance(key, str | int | float | bool | None):  # merge keys, lists as keys: PyYAML decides
                raise _Unusual
            result[key] = _plain(value_node, loader)
        return result
    raise _Unusual


_CONSTRUCT = (
    "lỗi cú pháp YAML: giá trị không đọc được. Giá trị bắt đầu bằng `!`, `&`, `*`, `?` hoặc `%` phải đặt trong "
    "ngoặc kép; tên trường phải là một chữ, không phải danh sách hay nhóm."
)
_PLAIN_TAGS = {f"tag:yaml.org,2002:{name}" for name in ("str", "seq", "map")}


def _tagged_mark(node: yaml.Node) -> yaml.Mark | None:
    """Where the first explicitly tagged value is (`!!int abc`): the likely cause when constructing fails."""
    stack = [node]
    while stack:
        current = stack.pop(0)
        if current.tag not in _PLAIN_TAGS and (getattr(current, "style", None) or current.tag.startswith("!")):
            return current.start_mark
        if isinstance(current, yaml.MappingNode):
            stack += [part for pair in current.value for part in pair]
        elif isinstance(current, yaml.SequenceNode):
            stack += current.value
    return None


_SYNTAX = "lỗi cú pháp YAML: "
_QUOTES_HINT = (
    "Nếu trong câu có dấu ngoặc kép, hãy dùng ngoặc kép cong “…” bên trong, hoặc đặt cả giá trị trong ngoặc đơn '…'."
)
_INDENT = _SYNTAX + "thụt lề không đều: các trường cùng cấp phải bắt đầu ở cùng một cột (cùng số dấu cách ở đầu dòng)."
_KEY_LIKE = re.compile(r"^\s+[A-Za-z_][\w-]*$")


def _explain(exc: yaml.MarkedYAMLError, text: str) -> tuple[yaml.Mark | None, str]:
    """The parser's English error → the line to fix and what to do, in Vietnamese.

    LibYAML and the pure-Python parser word their errors differently, so the decision rests on the kind of error
    and on the text at the error's position rather than on the wording alone.
    """
    problem, context = exc.problem or "", exc.context or ""
    at_problem, at_context = exc.problem_mark, exc.context_mark or exc.problem_mark
    lines = text.splitlines()
    line = lines[at_problem.line] if at_problem and at_problem.line < len(lines) else ""
    column = at_problem.column if at_problem else 0
    before, char = line[:column], line[column : column + 1]
    if "cannot start any token" in problem:
        if char == "\t" or "'\\t'" in problem:
            return at_problem, _SYNTAX + "dòng này thụt lề bằng phím Tab. Chỉ dùng dấu cách (hai dấu cách mỗi bậc)."
        return at_problem, (
            _SYNTAX + f"giá trị bắt đầu bằng ký tự `{char or '?'}`, một ký tự đặc biệt của YAML. "
            "Hãy đặt cả giá trị trong ngoặc kép."
        )
    if "mapping values are not allowed" in problem:
        if _KEY_LIKE.match(before):
            return at_problem, _INDENT
        return at_problem, (
            _SYNTAX + "giá trị có dấu hai chấm `:`. Hãy đặt cả giá trị trong ngoặc kép, "
            'ví dụ `summary: "Đính chính: …"`.'
        )
    if "flow sequence" in context:
        return at_context, (
            _SYNTAX + "danh sách mở bằng `[` nhưng chưa đóng bằng `]`, hoặc thiếu dấu phẩy giữa các mục. "
            "Ví dụ: `fields: [day-tot-hoc-tot, chuyen-doi-so]`."
        )
    if "flow mapping" in context:
        return at_context, (
            _SYNTAX + "nhóm mở bằng `{` nhưng chưa đóng bằng `}`, hoặc thiếu dấu phẩy giữa các mục. "
            "Ví dụ: `photo: {src: anh.jpg, alt: Mô tả ảnh, credit: Nguồn ảnh}`."
        )
    if "could not find expected ':'" in problem:
        return at_context, _SYNTAX + "thiếu dấu hai chấm và một dấu cách sau tên trường, ví dụ `kind: ca-nhan`."
    if "quoted scalar" in context:
        return at_context, _SYNTAX + "dấu ngoặc kép mở ở dòng này nhưng chưa đóng. " + _QUOTES_HINT
    if "block" in context:
        if before.rstrip().endswith(('"', "'")):
            return at_problem, _SYNTAX + "sau dấu ngoặc kép đóng vẫn còn chữ. " + _QUOTES_HINT
        return at_problem, _INDENT
    if "undefined alias" in problem:
        return at_problem, (
            _SYNTAX + "giá trị bắt đầu bằng ký tự `*`, một ký tự đặc biệt của YAML. Hãy đặt cả giá trị trong ngoặc kép."
        )
    return at_problem or at_context, (
        _SYNTAX + f"({problem or context or 'không rõ'}). Kiểm tra dấu hai chấm sau tên trường, thụt lề bằng dấu "
        "cách (không dùng Tab) và đặt văn bản có dấu hai chấm trong ngoặc kép."
    )


class _Alias(Exception):
    """A value given as `*name`, a reference to one marked `&name` elsewhere (possibly to itself)."""

    def __init__(self, path: str, line: int) -> None:
        super().__init__(path)
        self.path, self.line = path, line


_ALIAS = (
    "không dùng neo `&…` và bí danh `*…` của YAML trong hồ sơ và kế hoạch (một bí danh có thể trỏ vào chính nó "
    "hoặc nhân nội dung lên rất nhiều lần). Hãy viết trực tiếp giá trị; nếu giá trị bắt đầu bằng `&` hoặc `*`, "
    "hãy đặt cả giá trị trong ngoặc kép."
)


def _walk(node: yaml.Node, prefix: str, nodes: set[int]) -> Iterator[tuple[str, int, bool]]:
    """(key path, line, whether the key repeats an earlier one) of every value; an alias raises `_Alias` (the
    composer hands back the very node an anchor marked, so a node met twice is one)."""
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = str(key_node.value)
            path = f"{prefix}.{key}" if prefix else key
            for part in (key_node, value_node):
                if id(part) in nodes:
                    raise _Alias(path, key_node.start_mark.line)
                nodes.add(id(part))
            yield path, key_node.start_mark.line, key in seen
            seen.add(key)
            yield from _walk(value_node, path, nodes)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            path = f"{prefix}.{index}" if prefix else str(index)  # `0.id` in a taxonomy, as the rules name it
            if id(item) in nodes:
                raise _Alias(path, item.start_mark.line)
            nodes.add(id(item))
            yield path, item.start_mark.line, False
            yield from _walk(item, path, nodes)


def read_story(path: Path, shown: str) -> str:
    """The story of a profile that passed the check: the Markdown after its front matter, decoded as the check read
    it. Read by the process that renders it, not held by the catalogue (`Exemplar.body_markdown`)."""
    text, _ = read_text(path, shown)
    end = _FRONT_MATTER_END.search(text, 4) if text is not None and text.startswith("---\n") else None
    if text is None or end is None:
        raise ValueError("hồ sơ đã thay đổi sau bước kiểm tra; hãy chạy lại lệnh")
    return text[end.end() + 1 :]


def load_yaml_file(path: Path, shown: str) -> LoadResult:
    """A plan or taxonomy file."""
    text, problems = read_text(path, shown)
    if text is None:
        return LoadResult(None, problems)
    if not text.strip():
        return LoadResult(None, [Problem(shown, None, None, "tệp trống. Hãy điền nội dung hoặc xóa tệp.")])
    data, lines, problems = parse_yaml(text, shown)
    if data is None and problems:
        return LoadResult(None, problems)
    return LoadResult(Source(shown, data, lines, text=text), problems)


def load_profile(path: Path, shown: str) -> LoadResult:
    """A profile: `---` front matter `---` then the Markdown story."""
    text, problems = read_text(path, shown)
    if text is None:
        return LoadResult(None, problems)
    if not text.strip():
        return LoadResult(
            None,
            [Problem(shown, None, None, "tệp trống. Hãy chép mẫu hồ sơ trong CONTRIBUTING.md vào tệp này.")],
        )
    if not text.startswith("---\n"):
        return LoadResult(
            None,
            [
                Problem(
                    shown,
                    1,
                    None,
                    "thiếu phần thông tin đầu tệp (front matter). Dòng đầu tiên phải là `---`, tiếp theo là "
                    "các trường name, kind, fields…, rồi một dòng `---` trước câu chuyện.",
                )
            ],
        )
    end = _FRONT_MATTER_END.search(text, 4)
    if end is None:
        return LoadResult(
            None,
            [
                Problem(
                    shown,
                    1,
                    None,
                    "phần thông tin đầu tệp không có dòng `---` đóng lại. Thêm một dòng `---` "
                    "ngay sau trường cuối cùng, trước câu chuyện.",
                )
            ],
        )
    header = text[4 : end.start()]
    if word := word_characters(header, shown, first_line=2):
        return LoadResult(None, word)
    data, lines, problems = parse_yaml(header, shown, first_line=2)
    if data is None and problems:
        return LoadResult(None, problems)
    body_start = end.end() + 1
    body_line = text.count("\n", 0, body_start) + 1
    source = Source(shown, data, lines, body=text[body_start:], body_line=body_line, text=text)
    return LoadResult(source, problems)


# --- what Word and copy-paste leave in a front matter (issue 20) --------------------------------------------------

_WORD_SPACES = {
    "\u00a0": "dấu cách không ngắt (U+00A0)",
    "\u202f": "dấu cách hẹp không ngắt (U+202F)",
    "\u2007": "dấu cách cố định (U+2007)",
    "\u200b": "ký tự vô hình rộng bằng không (U+200B)",
    "\u200c": "ký tự vô hình rộng bằng không (U+200C)",
    "\u200d": "ký tự vô hình rộng bằng không (U+200D)",
    "\u2060": "ký tự nối từ vô hình (U+2060)",
    "\ufeff": "ký tự vô hình U+FEFF (dấu BOM lạc vào giữa tệp)",
    "\u00ad": "dấu gạch nối mềm vô hình (U+00AD)",
}
_WORD_SPACE = re.compile("[" + "".join(_WORD_SPACES) + "]")
_CURLY_WRAPPED = re.compile(r"^(\s*(?:-\s+)?[\w.-]+:\s+|\s*-\s+)([“‘„«])[^\n]*?([”’“»])\s*$")
"""A value, or a list item, wrapped whole in curly quotes (a line of a folded text block is not a value)."""
_TOP_KEY = re.compile(r"^([A-Za-z_][\w-]*)\s*:")


def word_characters(header: str, shown: str, first_line: int) -> list[Problem]:
    """Characters Word or a web page leave in a front matter, named for what they are.

    Left to YAML they get messages about colons, quotes or unknown fields that do not describe the problem: a
    non-breaking space after `name:` hides the colon's space, a zero-width character makes `ca-nhan` another word,
    quotes Word curled are not quotes to YAML. Curly quotes inside a sentence are fine; only a value wrapped in
    them is meant as YAML's quoting. Checked before YAML parses the header, so the officer gets one clear message.
    """
    if not _WORD_SPACE.search(header) and not any(mark in header for mark in "“‘„«"):
        return []
    problems = []
    for number, line in enumerate(header.split("\n"), start=first_line):
        key_match = _TOP_KEY.match(line)
        key = key_match.group(1) if key_match else None
        if found := _WORD_SPACE.search(line):
            problems.append(Problem(shown, number, key, _word_space_message(found.group(), found.start() + 1)))
        elif wrapped := _CURLY_WRAPPED.match(line):
            problems.append(Problem(shown, number, key, _curly_message(wrapped.group(2), wrapped.group(3), key)))
    return problems


def _word_space_message(char: str, column: int) -> str:
    kind = _WORD_SPACES[char]
    if char in "\u00a0\u202f\u2007":
        what = "trông như dấu cách thường nhưng YAML không đọc nó là dấu cách"
        fix = "Hãy xóa ký tự đó và gõ lại dấu cách bằng phím cách"
    else:
        what = "không nhìn thấy được nhưng làm giá trị thành một chữ khác"
        fix = "Hãy xóa hẳn giá trị rồi gõ lại bằng bàn phím, không dán"
    return (
        f"cột {column} có {kind}, {what} (thường lẫn vào khi chép từ Word hoặc một trang web). {fix}, "
        "hoặc gõ lại cả dòng trong trình soạn thảo của GitHub."
    )


def _curly_message(opening: str, closing: str, key: str | None) -> str:
    example = f"{key}: " if key else ""
    return (
        f"giá trị đặt trong dấu ngoặc kép cong {opening} {closing} (do Word tự đổi ngoặc kép thẳng thành ngoặc "
        'cong); YAML không coi đó là ngoặc kép. Hãy thay hai dấu ở hai đầu giá trị bằng ngoặc kép thẳng ", '
        f'ví dụ `{example}"…"`; ngoặc kép cong ở giữa câu thì giữ nguyên được.'
    )


def find_photo(folder: Path, name: str) -> Path | None:
    """The photo file `name` names, compared in NFC.

    A file saved on macOS, or uploaded from it, may carry its name decomposed (NFD) while the profile, stored in
    NFC, names it composed: the two look the same and must match. Returns the path as it is on disk.
    """
    exact = folder / name
    if exact.is_file():
        return exact
    wanted = unicodedata.normalize("NFC", name)
    try:
        entries = list(folder.iterdir())
    except OSError:
        return None
    for entry in entries:
        if unicodedata.normalize("NFC", entry.name) == wanted and entry.is_file():
            return entry
    return None


def link_problem(path: Path, root: Path) -> str | None:
    """Why a content path may not be read, or None: it is a symbolic link, or it resolves outside `root`.

    In a pull-request build a link is a way to publish any file of the machine (a photo that points at a private
    image, an `index.md` that points at a secret); a linked folder would be skipped without a word. Every path is
    resolved and confined to the repository, and a link is refused where it is, with a message.
    """
    if path.is_symlink():
        what = "thư mục" if path.is_dir() else "tệp"
        return (
            f"{what} `{path.name}` là một liên kết tượng trưng (symbolic link), không phải {what} thật. Trang chỉ "
            f"đọc và đăng những gì nằm trong kho: hãy thay liên kết bằng chính {what} đó."
        )
    try:
        path.resolve().relative_to(root.resolve())
    except ValueError:
        return (
            f"`{path.name}` nằm ngoài kho (qua một liên kết tượng trưng ở thư mục chứa nó). Trang chỉ đọc và đăng "
            "những gì nằm trong kho: hãy chép tệp vào kho thay cho liên kết."
        )
    return None


_LONG_NUMBER = (
    "giá trị là một số quá dài (hàng nghìn chữ số), không đọc được. Nếu đây là chữ, hãy đặt cả giá trị trong ngoặc "
    'kép; nếu là số, hãy kiểm tra lại (có thể đã dán nhầm), ví dụ `summary: "…"`.'
)


def _long_number(node: yaml.Node) -> yaml.Node | None:
    """The first plain value YAML reads as a number with more digits than Python converts (4,300): where a pasted
    run of digits made the document unreadable, so the message can name its line."""
    stack = [node]
    while stack:
        current = stack.pop(0)
        if isinstance(current, yaml.ScalarNode):
            if current.tag == "tag:yaml.org,2002:int" and len(current.value) > 4000:
                return current
        elif isinstance(current, yaml.MappingNode):
            stack += [part for pair in current.value for part in pair]
        elif isinstance(current, yaml.SequenceNode):
            stack += current.value
    return None
