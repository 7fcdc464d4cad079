"""Open data for newsrooms and researchers: every published exemplar as JSON and CSV, every plan as JSON.

The columns are declared once, in `COLUMNS`: the CSV header, the JSON keys, the Data Package schema and the table
on /du-lieu/ all come from that declaration, so the documentation cannot drift from the data. Only what the story
page already shows is exported: no consent flag, no file paths, nothing a reader could not see.
"""

from __future__ import annotations

import abc
import csv
import dataclasses
import errno
import functools
import hashlib
import io
import json
import os
import pickle
from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from ..content.catalogue import Catalogue
from ..content.config import Settings
from ..content.model import Exemplar, Plan
from ..engine.atomic import replace_file
from ..engine.codestamp import code_stamp
from .feeds import item_guid
from .photos import PhotoSet

DATA_DIR = "du-lieu/"
LIST_SEPARATOR = ";"
"""Joins the values of a multi-valued CSV cell (fields, awards, tags…)."""
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class RowContext:
    """What a column may look up besides the exemplar itself."""

    cat: Catalogue
    settings: Settings
    story_html: Mapping[str, str]
    """Each story's safe HTML with absolute links (made once per story, shared with the feeds)."""
    photos: Mapping[str, PhotoSet]

    def url(self, e: Exemplar) -> str:
        return self.settings.site_url + e.url


@dataclass(frozen=True)
class Column:
    """One column of the exemplar data; its description is the documentation newsrooms read on /du-lieu/."""

    name: str
    type: str
    """`string`, `boolean`, `date`, `url`, `list` or `objects`, as documented on /du-lieu/."""
    description: str
    value: Callable[[Exemplar, RowContext], Any]
    """The JSON value; the CSV cell is derived from it (`csv` overrides)."""
    csv: Callable[[Any], str] | None = None
    in_csv: bool = True
    """False for what does not fit a spreadsheet cell (the full story)."""

    def cell(self, value: Any) -> str:
        if self.csv is not None:
            text = self.csv(value)
        elif value is None:
            text = ""
        elif isinstance(value, list):
            text = LIST_SEPARATOR.join(_no_separator(str(item)) for item in value)
        else:
            text = str(value)
        return _no_formula(text)


def _no_separator(text: str) -> str:
    # A value must not split into two when the cell is read back with split(";").
    return text.replace(LIST_SEPARATOR, ",")


def _no_formula(text: str) -> str:
    """Spreadsheets run a cell starting with `=`, `+`, `-` or `@` as a formula (CSV injection): quote it as text.

    Every `;`-joined value is a cell of its own once a newsroom splits the list as the data page tells it to, so
    each is neutralised, spaces before it or not (`tag;=HYPERLINK(…)` → `tag;'=HYPERLINK(…)`)."""
    if LIST_SEPARATOR not in text:
        return _no_formula_value(text)
    return LIST_SEPARATOR.join(_no_formula_value(part) for part in text.split(LIST_SEPARATOR))


def _no_formula_value(text: str) -> str:
    stripped = text.lstrip(" \t\r\n")
    if not stripped.startswith(_FORMULA_START):
        return text
    return text[: len(text) - len(stripped)] + "'" + stripped


def _award_cell(awards: list[dict[str, Any]]) -> str:
    parts = [" – ".join(str(v) for v in (a["title"], a["decision"], a["date"]) if v) for a in awards]
    return LIST_SEPARATOR.join(_no_separator(part) for part in parts)


def _source_cell(sources: list[dict[str, str]]) -> str:
    return LIST_SEPARATOR.join(_no_separator(s["url"]) for s in sources)


def _photo(e: Exemplar, ctx: RowContext, attribute: str) -> Any:
    photo_set = ctx.photos.get(e.slug)
    if e.photo is None or photo_set is None:
        return None
    if attribute == "url":
        return ctx.url(e) + photo_set.fallback.name
    return getattr(e.photo, attribute)


COLUMNS: tuple[Column, ...] = (
    Column(
        "id",
        "string",
        "Mã cố định của câu chuyện, trùng với `guid` trong feed: không đổi khi sửa bài hay đổi đường dẫn.",
        lambda e, ctx: item_guid(e, ctx.settings.id_domain),
    ),
    Column("slug", "string", "Đường dẫn hiện tại của câu chuyện (phần cuối của `url`).", lambda e, ctx: e.slug),
    Column("url", "url", "Địa chỉ đầy đủ của trang câu chuyện.", lambda e, ctx: ctx.url(e)),
    Column("name", "string", "Tên cá nhân, tập thể hoặc hộ gia đình.", lambda e, ctx: e.name),
    Column(
        "sample",
        "boolean",
        "`true` nếu là hồ sơ mẫu (dữ liệu minh họa, không phải gương điển hình có thật; tên, số liệu, khen thưởng "
        "và số quyết định đều là giả định), `false` nếu là gương thật. Khi thống kê hay đăng lại, hãy bỏ các dòng "
        "`true`.",
        lambda e, ctx: e.sample,
        csv=lambda value: "true" if value else "false",
    ),
    Column("kind", "string", "Loại: `ca-nhan`, `tap-the` hoặc `ho-gia-dinh`.", lambda e, ctx: e.kind),
    Column("kind_name", "string", "Loại, viết đầy đủ (Cá nhân, Tập thể, Hộ gia đình).", lambda e, ctx: e.kind_label),
    Column("fields", "list", "Mã các lĩnh vực.", lambda e, ctx: list(e.fields)),
    Column(
        "field_names",
        "list",
        "Tên các lĩnh vực, cùng thứ tự với `fields`.",
        lambda e, ctx: [ctx.cat.fields[f].name for f in e.fields],
    ),
    Column(
        "province",
        "string",
        "Mã tỉnh, thành phố ghi trong hồ sơ, theo tên khi được công nhận (có thể là tỉnh cũ trước 1/7/2025).",
        lambda e, ctx: e.province,
    ),
    Column(
        "province_name",
        "string",
        "Tên tỉnh, thành phố khi được công nhận.",
        lambda e, ctx: ctx.cat.provinces[e.province].label,
    ),
    Column(
        "province_today",
        "string",
        "Mã tỉnh, thành phố hiện nay (34 tỉnh, thành phố từ 1/7/2025).",
        lambda e, ctx: ctx.cat.today(e.province).id,
    ),
    Column(
        "province_today_name",
        "string",
        "Tên tỉnh, thành phố hiện nay.",
        lambda e, ctx: ctx.cat.today(e.province).label,
    ),
    Column("locality", "string", "Địa bàn (xã, phường, huyện…), nếu có.", lambda e, ctx: e.locality),
    Column("organization", "string", "Cơ quan, đơn vị, nếu có.", lambda e, ctx: e.organization),
    Column("plans", "list", "Mã các kế hoạch mà gương được công nhận theo.", lambda e, ctx: list(e.plans)),
    Column(
        "awards",
        "objects",
        "Khen thưởng. JSON: danh sách `{title, decision, date}`; CSV: mỗi khen thưởng là "
        "`tên – số quyết định – ngày`, các khen thưởng nối bằng `;`.",
        lambda e, ctx: [
            {"title": a.title, "decision": a.decision, "date": a.date.isoformat() if a.date else None} for a in e.awards
        ],
        csv=_award_cell,
    ),
    Column("summary", "string", "Tóm tắt một đến ba câu.", lambda e, ctx: e.summary),
    Column("published", "date", "Ngày đăng (NĂM-THÁNG-NGÀY).", lambda e, ctx: e.published.isoformat()),
    Column(
        "updated",
        "date",
        "Ngày cập nhật gần nhất, nếu có.",
        lambda e, ctx: e.updated.isoformat() if e.updated else None,
    ),
    Column("photo_url", "url", "Ảnh (JPEG, đã bỏ toàn bộ siêu dữ liệu), nếu có.", lambda e, ctx: _photo(e, ctx, "url")),
    Column("photo_alt", "string", "Mô tả ảnh.", lambda e, ctx: _photo(e, ctx, "alt")),
    Column("photo_credit", "string", "Nguồn ảnh: phải ghi khi đăng lại ảnh.", lambda e, ctx: _photo(e, ctx, "credit")),
    Column(
        "sources",
        "objects",
        "Báo chí đã đưa tin. JSON: danh sách `{title, url}`; CSV: các địa chỉ nối bằng `;`.",
        lambda e, ctx: [{"title": s.title, "url": s.url} for s in e.sources],
        csv=_source_cell,
    ),
    Column("tags", "list", "Từ khóa.", lambda e, ctx: list(e.tags)),
    Column(
        "former_urls",
        "list",
        "Các địa chỉ cũ của câu chuyện (trước khi đổi đường dẫn); vẫn chuyển tiếp đến `url`.",
        lambda e, ctx: [f"{ctx.settings.site_url}guong/{alias}/" for alias in e.aliases],
    ),
    Column(
        "story_html",
        "string",
        "Toàn văn câu chuyện (HTML đã lọc an toàn, liên kết tuyệt đối). Chỉ có trong JSON.",
        lambda e, ctx: ctx.story_html[e.slug],
        in_csv=False,
    ),
)
CSV_COLUMNS = tuple(column for column in COLUMNS if column.in_csv)


@dataclass(frozen=True)
class DataFile:
    path: str
    """Site-relative path (`du-lieu/exemplars.csv`)."""
    title: str
    description: str
    mime: str
    content: bytes | Path
    """The bytes, or the scratch file they were written into as they were made (`exemplars.json` and `.csv`: some
    400 and 70 MB at 100,000 stories, which no process should hold)."""
    size: int
    """In bytes, as the data page and the Data Package say."""


def _held(path: str, title: str, description: str, mime: str, content: bytes) -> DataFile:
    return DataFile(path, title, description, mime, content, len(content))


@dataclass(frozen=True)
class OpenData:
    files: tuple[DataFile, ...]
    count: int
    """Published exemplars in the data."""

    def outputs(self) -> dict[str, bytes | Path]:
        return {f.path: f.content for f in self.files}


@dataclass(frozen=True)
class Record:
    """One exemplar's line of `exemplars.json` and its row of `exemplars.csv`, encoded as the files hold them.

    Made with the story (`story.make_story`, in the worker that renders it) and kept with its products: at 10,000
    exemplars the data files are then only joined, bytes to bytes, after the stories are in (formatting the rows
    and encoding 80 MB of text there was two thirds of the data's time in a build after one edit).
    """

    json_line: bytes
    """The record as one line of JSON, UTF-8."""
    csv_row: bytes
    """The record's cells as `csv` writes a row (quoted where needed, CRLF), UTF-8."""

    @classmethod
    def of(cls, json_line: str, cells: Iterable[str]) -> Record:
        return cls(json_line.encode("utf-8"), _csv_row(cells))


def _csv_row(cells: Iterable[str]) -> bytes:
    """A row of `exemplars.csv`: CRLF line ends (RFC 4180), so that Excel reads it."""
    row = io.StringIO()
    csv.writer(row, lineterminator="\r\n").writerow(cells)
    return row.getvalue().encode("utf-8")


def exemplar_record(e: Exemplar, ctx: RowContext) -> Record:
    row = {column.name: column.value(e, ctx) for column in COLUMNS}
    return Record.of(
        json.dumps(row, ensure_ascii=False, separators=(",", ":")),
        (column.cell(row[column.name]) for column in CSV_COLUMNS),
    )


class KeyedRecords(Iterable[Record], abc.ABC):
    """Each published story's record, known by the key its story's products are kept under (`story.kept_story`), in
    catalogue order, each read only when asked for: data kept between builds are then spliced, and only the records
    of stories made again are read (`render_open_data`'s `kept`)."""

    keys: Sequence[str]

    @abc.abstractmethod
    def read(self, key: str) -> Record: ...

    def __iter__(self) -> Iterator[Record]:
        return map(self.read, self.keys)


def render_open_data(
    cat: Catalogue, settings: Settings, records: Iterable[Record], scratch: Path, kept: Path | None = None
) -> OpenData:
    """`exemplars.json`, `exemplars.csv`, `plans.json` and a Data Package describing them; drafts never included.

    `records`: each published exemplar's record (`exemplar_record`, made with the story: `story.make_story`), in
    catalogue order (newest first), as the files list them. They are consumed one by one and written into `scratch`
    as they come (both files in one pass), so that at 100,000 stories no process holds the data whole. With `kept`
    (a folder) and `KeyedRecords`, the two files are kept there between builds instead and made by splicing
    (`_spliced`): the last build's bytes for every story kept, a record read and written only for a story made again."""
    count = sum(1 for e in cat.exemplars if not e.draft)
    about = _about(settings)
    head = {**about, "count": count, "columns": _column_docs(COLUMNS)}
    if kept is not None and isinstance(records, KeyedRecords):
        json_path, csv_path = _spliced(records, head, kept)
        written = len(records.keys)
    else:
        json_path, csv_path = scratch / "exemplars.json", scratch / "exemplars.csv"
        scratch.mkdir(parents=True, exist_ok=True)
        with json_path.open("wb") as json_out, csv_path.open("wb") as csv_out:
            written = _write_records(records, head, "exemplars", json_out, csv_out)
    if written != count:
        raise ValueError(f"open data: {written} records for {count} published exemplars")
    files = (
        DataFile(
            DATA_DIR + "exemplars.json",
            "Gương điển hình (JSON)",
            "Mọi gương điển hình đã đăng, mới nhất trước, kèm toàn văn câu chuyện.",
            "application/json",
            json_path,
            json_path.stat().st_size,
        ),
        DataFile(
            DATA_DIR + "exemplars.csv",
            "Gương điển hình (CSV)",
            "Một dòng cho mỗi gương điển hình; mở được bằng Excel (UTF-8 có BOM).",
            "text/csv",
            csv_path,
            csv_path.stat().st_size,
        ),
        _held(
            DATA_DIR + "plans.json",
            "Kế hoạch (JSON)",
            "Các kế hoạch xây dựng, nhân rộng điển hình tiên tiến: lĩnh vực, tiêu chí, cơ quan chủ trì, chỉ tiêu, "
            "mốc thời gian, và các gương đã đăng theo từng kế hoạch.",
            "application/json",
            _json(
                {
                    **about,
                    "count": len(cat.plans),
                    "plans": [_plan_record(p, cat, settings) for p in cat.plans.values()],
                }
            ),
        ),
    )
    package = _held(
        DATA_DIR + "datapackage.json",
        "Mô tả dữ liệu (Data Package)",
        "Mô tả máy đọc được của các tệp trên theo chuẩn Frictionless Data Package.",
        "application/json",
        _json(_datapackage(settings, files)),
    )
    return OpenData((*files, package), count)


def _about(settings: Settings) -> dict[str, Any]:
    return {
        "title": settings.site_name,
        "site_url": settings.site_url,
        "licence": settings.licence,
        "licence_url": settings.licence_url,
        "credit": settings.credit_line,
        "documentation": f"{settings.site_url}{DATA_DIR}",
    }


def _column_docs(columns: tuple[Column, ...]) -> list[dict[str, Any]]:
    return [{"name": c.name, "type": c.type, "description": c.description, "in_csv": c.in_csv} for c in columns]


def _json(document: Any) -> bytes:
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _write_records(
    records: Iterable[Record], head: dict[str, Any], key: str, json_out: BinaryIO, csv_out: BinaryIO
) -> int:
    """The JSON: `head` indented, then one record per line: readable, diffable, and fast (indenting every record
    would make `json` fall back from its C encoder, ten times slower at ten thousand exemplars). The CSV: UTF-8 with
    a byte-order mark, CRLF line ends (RFC 4180): Excel then shows Vietnamese correctly. How many records."""
    json_out.write(_json_head(head, key))
    csv_out.write(_CSV_HEAD)
    count = 0
    for record in records:
        json_out.write(_JSON_FIRST if count == 0 else _JSON_NEXT)
        json_out.write(record.json_line)
        csv_out.write(record.csv_row)
        count += 1
    json_out.write(_json_end(count))
    return count


def _json_head(head: dict[str, Any], key: str) -> bytes:
    return (json.dumps(head, ensure_ascii=False, indent=2).removesuffix("\n}") + f',\n  "{key}": ').encode()


def _json_end(count: int) -> bytes:
    return b"\n  ]\n}\n" if count else b"[]\n}\n"


_CSV_HEAD = "\ufeff".encode() + _csv_row(column.name for column in CSV_COLUMNS)
_JSON_FIRST = b"[\n    "
_JSON_NEXT = b",\n    "
"""Before each record of the JSON but the first: between two records kept side by side, the same bytes in the last
build's file as in this one's, so a run of them is copied whole (`_spliced`)."""


@dataclass(frozen=True)
class _KeptIndex:
    """Where each record lies in the kept `exemplars.<name>.json` and `.csv` (`_spliced`)."""

    stamp: bytes
    """The code that wrote them: another stamp, other files made from the start."""
    name: str
    """Of the two files: the digest of what they hold (`_kept_name`). They are never written again once named, so
    the index names whole files even when a build was stopped before writing it, or the cache was restored by CI."""
    sizes: tuple[int, int]
    keys: tuple[str, ...]
    spans: array[int]
    """Four numbers a record: its start and end in the JSON, then in the CSV."""

    def paths(self, kept: Path) -> tuple[Path, Path]:
        return _kept_paths(kept, self.name)


_INDEX = "index.pickle"


def _spliced(records: KeyedRecords, head: dict[str, Any], kept: Path) -> tuple[Path, Path]:
    """`exemplars.json` and `.csv` kept in `kept`, each the same bytes `_write_records` would write, made from the
    last build's: every run of stories kept side by side is copied as one range (inside the kernel, `_copy_range`),
    and only the record of a story made again, moved or new is read and written. Data with the same stories under the
    same keys are the last build's files themselves, not written again. Each build's are new files: the last build's
    site links to the old ones.

    At 10,000 stories, writing the data from every story's record read anew was 0.3-0.4 s of CPU in every build and
    48 MB written (benchmarks/README.md, "Fourteenth session: the open data spliced")."""
    json_head = _json_head(head, "exemplars")
    stamp = _data_stamp()
    keys = tuple(records.keys)
    name = _kept_name(stamp, json_head, keys)
    old = _kept_index(kept, stamp)
    if old is not None and old.name == name:
        _forget_all_but(kept, old.paths(kept))
        return old.paths(kept)
    where = {key: number for number, key in enumerate(old.keys)} if old is not None else {}
    spans = array("q")
    paths = _kept_paths(kept, name)
    kept.mkdir(parents=True, exist_ok=True)
    temporary = tuple(path.with_name(f".{path.name}.{os.getpid()}.tmp") for path in paths)
    sources = [os.open(path, os.O_RDONLY | _BINARY) for path in old.paths(kept)] if old is not None else []
    targets = [os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | _BINARY, 0o644) for path in temporary]
    try:
        out = _Splicer(sources, targets, old.spans if old is not None else array("q"))
        out.write(json_head, _CSV_HEAD)
        for number, key in enumerate(keys):
            separator = _JSON_NEXT if number else _JSON_FIRST
            found = where.get(key)
            spans.extend(out.copy(found, separator) if found is not None else out.record(records.read(key), separator))
        out.write(_json_end(len(keys)), b"")
        sizes = (out.written[0], out.written[1])
    finally:
        for descriptor in (*sources, *targets):
            os.close(descriptor)
    for source, target in zip(temporary, paths, strict=True):
        os.replace(source, target)
    index = _KeptIndex(stamp, name, sizes, keys, spans)
    replace_file(kept / _INDEX, pickle.dumps(index, pickle.HIGHEST_PROTOCOL))
    _forget_all_but(kept, paths)
    return paths


def _forget_all_but(kept: Path, paths: Sequence[Path]) -> None:
    """The last build's files, and any left half-written by a build stopped midway, removed."""
    for entry in os.scandir(kept):
        if entry.name not in {_INDEX, *(path.name for path in paths)}:
            os.unlink(entry.path)


_BINARY = getattr(os, "O_BINARY", 0)
"""Windows opens a file descriptor in text mode unless told otherwise."""


def _kept_name(stamp: bytes, json_head: bytes, keys: Sequence[str]) -> str:
    digest = hashlib.blake2b(stamp + json_head, digest_size=12)
    for key in keys:
        digest.update(key.encode() + b"\0")
    return digest.hexdigest()


def _kept_paths(kept: Path, name: str) -> tuple[Path, Path]:
    return kept / f"exemplars.{name}.json", kept / f"exemplars.{name}.csv"


class _Splicer:
    """The two files being written, and the run of the last build's records (consecutive there) still to copy."""

    def __init__(self, sources: Sequence[int], targets: Sequence[int], spans: array[int]) -> None:
        self.sources = sources
        self.targets = targets
        self.spans = spans
        self.written = [0, 0]
        self.run: tuple[int, int] | None = None
        """The first and last record (by their number in the last build) of the run not copied yet."""

    def write(self, json_bytes: bytes, csv_bytes: bytes) -> None:
        self.flush()
        for file, data in enumerate((json_bytes, csv_bytes)):
            _write_all(self.targets[file], data)
            self.written[file] += len(data)

    def record(self, record: Record, separator: bytes) -> tuple[int, int, int, int]:
        self.write(separator, b"")
        start = tuple(self.written)
        self.write(record.json_line, record.csv_row)
        return start[0], self.written[0], start[1], self.written[1]

    def copy(self, number: int, separator: bytes) -> tuple[int, int, int, int]:
        """The last build's record `number` (its `spans` there), copied with the run it continues; where it will lie."""
        if self.run is not None and number == self.run[1] + 1:
            self.run = (self.run[0], number)
        else:
            self.write(separator, b"")
            self.run = (number, number)
        first, span = self.run[0], self.spans[4 * number : 4 * number + 4]
        # Where the record will be: as far from the run's start here as it was from the run's start there.
        base = self.spans[4 * first : 4 * first + 4]
        return (
            self.written[0] + span[0] - base[0],
            self.written[0] + span[1] - base[0],
            self.written[1] + span[2] - base[2],
            self.written[1] + span[3] - base[2],
        )

    def flush(self) -> None:
        if self.run is None:
            return
        first, last = self.run
        self.run = None
        for file in (0, 1):
            start, end = self.spans[4 * first + 2 * file], self.spans[4 * last + 2 * file + 1]
            _copy_range(self.sources[file], self.targets[file], start, end - start)
            self.written[file] += end - start


def _kept_index(kept: Path, stamp: bytes) -> _KeptIndex | None:
    """The last build's index, if made by this code and its two files are there, whole."""
    try:
        index = pickle.loads((kept / _INDEX).read_bytes())
        if not isinstance(index, _KeptIndex) or index.stamp != stamp:
            return None
        sizes = tuple(path.stat().st_size for path in index.paths(kept))
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, TypeError, ValueError):
        return None
    return index if sizes == index.sizes else None


def _write_all(descriptor: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(descriptor, view) :]


def _copy_range(source: int, target: int, offset: int, length: int) -> None:
    """`length` bytes of `source` from `offset` appended to `target`: by `copy_file_range` where the system has it
    (Linux: no bytes pass through this process), else read and written a megabyte at a time."""
    while length > 0:
        try:
            copied = os.copy_file_range(source, target, length, offset)
        except (AttributeError, OSError) as error:
            if isinstance(error, OSError) and error.errno not in _NO_COPY_RANGE:
                raise
            copied = _write_all_from(source, target, offset, min(length, 1 << 20))
        if copied == 0:
            raise ValueError("open data: the kept file is shorter than its index says")
        offset += copied
        length -= copied


_NO_COPY_RANGE = {errno.EXDEV, errno.ENOSYS, errno.EOPNOTSUPP, errno.EINVAL, errno.EPERM}


def _write_all_from(source: int, target: int, offset: int, length: int) -> int:
    data = os.pread(source, length, offset)
    _write_all(target, data)
    return len(data)


@functools.cache
def _data_stamp() -> bytes:
    return code_stamp(__name__)


def _plan_record(plan: Plan, cat: Catalogue, settings: Settings) -> dict[str, Any]:
    record = dataclasses.asdict(plan)
    record.pop("source_path")
    if plan.ceased is not None:
        record["ceased"]["date"] = plan.ceased.date.isoformat()
    published = [e for e in cat.by_plan.get(plan.id, ()) if not e.draft]
    # A sample is no exemplar recognised under the plan: listed apart, never counted.
    real = [e for e in published if not e.sample]
    return {
        "id": plan.id,
        "url": settings.site_url + plan.url,
        "province_today": cat.today(plan.province).id,
        "field_ids": list(plan.field_ids),
        "exemplar_count": len(real),
        "exemplars": [settings.site_url + e.url for e in real],
        "sample_exemplars": [settings.site_url + e.url for e in published if e.sample],
        **{key: value for key, value in record.items() if key != "id"},
    }


_PACKAGE_TYPES = {
    "string": "string",
    "boolean": "boolean",
    "date": "date",
    "url": "string",
    "list": "string",
    "objects": "string",
}


def _datapackage(settings: Settings, files: tuple[DataFile, ...]) -> dict[str, Any]:
    csv_schema = {
        "fields": [
            {
                "name": c.name,
                "type": _PACKAGE_TYPES[c.type],
                **({"format": "uri"} if c.type == "url" else {}),
                "description": c.description,
            }
            for c in CSV_COLUMNS
        ]
    }
    resources = []
    for f in files:
        resource: dict[str, Any] = {
            "name": f.path.removeprefix(DATA_DIR).replace(".", "-"),
            "path": f.path.removeprefix(DATA_DIR),
            "title": f.title,
            "description": f.description,
            "mediatype": f.mime,
            "bytes": f.size,
        }
        if f.mime == "text/csv":
            resource.update(format="csv", encoding="utf-8-sig", schema=csv_schema)
        else:
            resource.update(format="json", encoding="utf-8")
        resources.append(resource)
    return {
        "name": "guong-dien-hinh-tien-tien",
        "title": settings.site_name,
        "homepage": settings.site_url,
        "licenses": [{"title": settings.licence, "path": settings.licence_url}],
        "resources": resources,
    }
