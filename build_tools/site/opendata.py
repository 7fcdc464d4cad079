"""Open data for newsrooms and researchers: every published exemplar as JSON and CSV, every plan as JSON.

The columns are declared once, in `COLUMNS`: the CSV header, the JSON keys, the Data Package schema and the table
on /du-lieu/ all come from that declaration, so the documentation cannot drift from the data. Only what the story
page already shows is exported: no consent flag, no file paths, nothing a reader could not see.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from ..content.catalogue import Catalogue
from ..content.config import Settings
from ..content.model import Exemplar, Plan
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


def render_open_data(cat: Catalogue, settings: Settings, records: Iterable[Record], scratch: Path) -> OpenData:
    """`exemplars.json`, `exemplars.csv`, `plans.json` and a Data Package describing them; drafts never included.

    `records`: each published exemplar's record (`exemplar_record`, made with the story: `story.make_story`), in
    catalogue order (newest first), as the files list them. They are consumed one by one and written into `scratch`
    as they come (both files in one pass), so that at 100,000 stories no process holds the data whole."""
    count = sum(1 for e in cat.exemplars if not e.draft)
    about = _about(settings)
    head = {**about, "count": count, "columns": _column_docs(COLUMNS)}
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
    json_out.write((json.dumps(head, ensure_ascii=False, indent=2).removesuffix("\n}") + f',\n  "{key}": ').encode())
    csv_out.write("\ufeff".encode() + _csv_row(column.name for column in CSV_COLUMNS))
    count = 0
    for record in records:
        json_out.write(b"[\n    " if count == 0 else b",\n    ")
        json_out.write(record.json_line)
        csv_out.write(record.csv_row)
        count += 1
    json_out.write(b"\n  ]\n}\n" if count else b"[]\n}\n")
    return count


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
