"""Catalogue → {path: Markdown page}, through Jinja2 templates. Pure: nothing here touches the disk but the compiled
templates kept between builds (`keep_compiled_templates`)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import quote, quote_plus, urlsplit

from jinja2 import Environment, PackageLoader, StrictUndefined
from markdown.extensions.toc import nest_toc_tokens, strip_tags, unique
from markupsafe import Markup, escape

from ..content.catalogue import Catalogue
from ..content.config import Settings
from ..content.model import KINDS, Exemplar, Plan
from ..content.text import anchor_slugify, date_vi, nfc, unicode_escape
from ..engine.compiled import CompiledTemplates
from .charts import layout_bar_chart, layout_column_chart, layout_tile_map
from .compare import FieldComparison, build_comparisons
from .contributing import CORRECTION_FILE_FIELD, CORRECTION_FORM
from .feeds import MAX_FEED_BYTES, FeedSpec
from .opendata import COLUMNS, LIST_SEPARATOR, OpenData
from .photos import PhotoSet, Variant
from .progress import build_progress, resolve_content_date
from .social import build_share_meta, field_card_path
from .statistics import CSV_FILES, build_statistics

_YAML_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]")
"""Characters YAML reads as line breaks or refuses: escaped, so the JSON front matter is YAML that means the same.
(A regular expression: `str.translate` with a table looks up every character of the page in Python.)"""
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|~])")


@dataclass(frozen=True)
class RenderInputs:
    """What pages need beyond the catalogue: stories already rendered to safe HTML, processed photos."""

    catalogue: Catalogue
    settings: Settings
    story_html: Mapping[str, str]
    photos: Mapping[str, PhotoSet]
    drafts: bool = False
    cards: Mapping[str, Variant] = dataclasses.field(default_factory=dict)
    """The field cards that stories without a photo share, by site path (`social.field_card_path`)."""


@dataclass(frozen=True)
class Pager:
    """Where one page of a long list sits among the pages of that list."""

    number: int
    """1-based."""
    urls: tuple[str, ...]
    """Site-relative URL of every page of the list, the first page first."""

    def window(self, around: int = 2) -> list[int | None]:
        """Page numbers a pager shows: the first, the last and those near this one; None marks a gap.

        Showing every number made the pager of a 500-page archive longer than the page's stories.
        """
        count = len(self.urls)
        shown = sorted({1, count, *range(max(1, self.number - around), min(count, self.number + around) + 1)})
        numbers: list[int | None] = []
        for number in shown:
            if numbers and number - (numbers[-1] or 0) > 1:
                numbers.append(None)
            numbers.append(number)
        return numbers


def paginate(url: str, items: Sequence[Exemplar], size: int) -> list[tuple[str, Sequence[Exemplar], Pager]]:
    """A long list as pages of `size`: the first at `url`, then `url` + `trang-2/`, … (one empty page if none)."""
    size = max(size, 1)
    chunks = [items[i : i + size] for i in range(0, len(items), size)] or [items[:0]]
    urls = (url, *(f"{url}trang-{number}/" for number in range(2, len(chunks) + 1)))
    return [(urls[n], chunk, Pager(n + 1, urls)) for n, chunk in enumerate(chunks)]


def md_text(value: object) -> Markup:
    """Text for a Markdown context: HTML-escaped and with Markdown punctuation backslash-escaped."""
    return Markup(_MD_SPECIAL.sub(r"\\\1", str(escape(nfc(str(value))))))


def partial_date_vi(value: str) -> str:
    """`2023` → `năm 2023`, `2021-Q2` → `quý II/2021`, `2023-05` → `tháng 5/2023`, `2023-05-30` → `30/05/2023`."""
    year, _, rest = value.partition("-")
    if not rest:
        return f"năm {year}"
    if rest.startswith("Q"):
        return f"quý {['I', 'II', 'III', 'IV'][int(rest[1]) - 1]}/{year}"
    if len(rest) == 2:
        return f"tháng {int(rest)}/{year}"
    return date_vi(dt.date.fromisoformat(value))


def upper_first(value: str) -> str:
    """`quý II/2025` → `Quý II/2025` (Jinja's `capitalize` would lower the rest: `Quý ii/2025`)."""
    return value[:1].upper() + value[1:]


@lru_cache(maxsize=65536)
def relative_url(from_url: str, to_url: str) -> str:
    """Link between two directory-style site URLs (`guong/a/` → `../../linh-vuc/b/`), valid under any base path."""
    if to_url.startswith(("http://", "https://", "#")):
        return to_url
    # posixpath.relpath does the same but normalises both paths first: ten times slower, and lists of 10,000
    # stories make hundreds of thousands of links. Site URLs are already normal (no `.`, `..` or `//`).
    here = from_url.split("/")[:-1]
    there = to_url.split("/")
    common = 0
    for mine, theirs in zip(here, there[:-1], strict=False):
        if mine != theirs:
            break
        common += 1
    target = "../" * (len(here) - common) + "/".join(there[common:])
    return target or "./"


def filesize_vi(size: int) -> str:
    """`1234567` → `1,2 MB`, with the Vietnamese decimal comma."""
    for unit, scale in (("MB", 1_000_000), ("kB", 1_000)):
        if size >= scale:
            return f"{size / scale:.1f}".replace(".", ",") + f" {unit}"
    return f"{size} byte"


_CODE_SPAN = re.compile(r"`([^`]+)`")


def inline_code(value: str) -> Markup:
    """Backtick spans of a plain-text description as <code>, for HTML blocks where Markdown is not applied."""
    return Markup(_CODE_SPAN.sub(r"<code>\1</code>", str(escape(value))))


def report_url(settings: Settings, exemplar: Exemplar | None = None) -> str:
    """A prefilled "new issue" page of the repository, for readers who find an error; empty unless on GitHub."""
    base = _issue_form(settings.repo_url)
    if not base:
        return ""
    if exemplar is not None:
        # The correction form (contributing.render_correction_form) asks the questions; the link fills in the
        # profile's file and a title naming it, both ASCII: 0.1 kB where the questions, encoded, were 0.9.
        form = CORRECTION_FORM.rsplit("/", 1)[-1]
        title = quote_plus(f"Báo lỗi: {exemplar.slug}")
        return f"{base}template={form}&title={title}&{CORRECTION_FILE_FIELD}={quote(exemplar.source_path)}"
    title, about = "Báo lỗi trong câu chuyện: <tên gương điển hình>", "Câu chuyện (địa chỉ trang): \n\n"
    # What `urlencode({"title": title, "body": about + _REPORT_FORM})` gives, with the form's part quoted once:
    # quoting goes character by character, so the quoted whole is the quoted parts joined (13,000 story pages).
    return f"{base}title={quote_plus(title)}&body={quote_plus(about)}{_QUOTED_REPORT_FORM}"


_REPORT_FORM = "Thông tin chưa đúng:\n\nThông tin đúng là:\n\nCăn cứ (quyết định, văn bản, bài báo):\n"
_QUOTED_REPORT_FORM = quote_plus(_REPORT_FORM)


@cache
def _issue_form(repo_url: str) -> str:
    """The repository's "new issue" address up to its query, or "" where the repository is not on GitHub."""
    return f"{repo_url.rstrip('/')}/issues/new?" if urlsplit(repo_url).hostname == "github.com" else ""


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("build_tools", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # templates are code: no look at their files' dates on each of 13,000 pages
    )
    env.filters.update(md=md_text, date_vi=date_vi, partial_date_vi=partial_date_vi, upper_first=upper_first)
    env.filters.update(filesize_vi=filesize_vi, inline_code=inline_code, anchor=lambda text: anchor_slugify(text, "-"))
    env.globals.update(KINDS=KINDS, report_url=report_url, card_html=_CARDS.card)
    return env


class _CardCache:
    """Rendered story cards of one catalogue, by story, link, heading level and lazy loading.

    At 10,000 stories there are 60,000 cards on the lists and 40,000 among related stories, but only a few
    distinct ones per story (the link differs with the depth of the page). Reset when another catalogue or photo
    set comes (`exemplars serve` regenerates in the same process); both are immutable during a build.
    """

    def __init__(self) -> None:
        self.owner: tuple[object, object] | None = None
        self.cards: dict[tuple[str, str, int, bool], Markup] = {}
        self.macro: Callable[..., str] | None = None

    def card(
        self, e: Exemplar, link: Callable[[str], str], cat: Catalogue, photos: object, level: int, lazy: bool
    ) -> Markup:
        if self.owner is None or self.owner[0] is not cat or self.owner[1] is not photos:
            self.owner, self.cards = (cat, photos), {}
        href = link(e.url)
        key = (e.slug, href, level, lazy)
        found = self.cards.get(key)
        if found is None:
            if self.macro is None:
                self.macro = _ENV.get_template("_card.html.j2").module.card  # type: ignore[attr-defined]
            found = self.cards[key] = Markup(self.macro(e, href, cat, photos, level, lazy))
        return found


_CARDS = _CardCache()


_ENV = _environment()


def keep_compiled_templates(folder: Path) -> None:
    """Compiled page templates kept in `folder` between builds (Jinja's bytecode cache, each checked against its
    template's source, never by a file date): compiling them was a third of a second of CPU in every build."""
    folder.mkdir(parents=True, exist_ok=True)
    _ENV.bytecode_cache = CompiledTemplates(str(folder))


def _page(template: str, url: str, meta: dict[str, object], **context: object) -> str:
    """A page: front matter for MkDocs (escaped: the theme prints it raw) and the body, in Markdown, or in HTML
    (`html: true`), whose section headings (`toc: true`) become the table of contents (`_table_of_contents`).

    The front matter is JSON, which is YAML too (MkDocs alone reads it so), and which the plugin reads with the
    JSON parser (`plugin.GeneratedPage`): at 10,000 stories, YAML's was a fifth of MkDocs' time.
    """
    safe_meta = {key: str(escape(value)) if isinstance(value, str) else value for key, value in meta.items()}
    body = _ENV.get_template(template).render(url=url, link=lambda to: relative_url(url, to), **context)
    if meta.get("toc") is True:
        body, safe_meta["toc"] = _table_of_contents(body)
    # One line, so the C encoder writes it (`indent` would take the pure-Python one: a second at 10,000 stories);
    # ", " and ": " keep it YAML.
    header = _YAML_UNSAFE.sub(unicode_escape, json.dumps(safe_meta, ensure_ascii=False, separators=(", ", ": ")))
    return f"---\n{header}\n---\n\n{body}"


_HEADING = re.compile(r'<h([1-6]) id="([^"]*)">(.*?)</h\1>')
"""A section heading as the `heading` macro writes it (story cards' headings have no id: not sections)."""


def _table_of_contents(body: str) -> tuple[str, list[dict[str, Any]]]:
    """The sections of a page written in HTML, as Python-Markdown's toc extension lists a Markdown page's headings
    (`plugin.GeneratedPage` hands them to MkDocs): its functions make the anchors unique and nest the entries.

    Pages with long HTML bodies (provinces, fields, plans) were Markdown only for their headings, and converting
    2 MB of HTML through Python-Markdown was a second of every build at 10,000 profiles.
    """
    used: set[str] = set()
    tokens: list[dict[str, Any]] = []

    def entry(match: re.Match[str]) -> str:
        level, anchor, inner = match.groups()
        unique_anchor = unique(anchor, used)
        tokens.append({"level": int(level), "id": unique_anchor, "name": strip_tags(inner)})
        if unique_anchor == anchor:
            return match.group(0)
        return match.group(0).replace(f'id="{anchor}"', f'id="{unique_anchor}"', 1)

    body = _HEADING.sub(entry, body)
    return body, nest_toc_tokens(tokens)


def _is_page_template(name: str) -> bool:
    """Templates of this environment (the folder also holds the contributor guide's and the feeds')."""
    return not name.startswith(("contributing", "example_profile", "feed_item", "profile"))


def page_context(inputs: RenderInputs) -> dict[str, object]:
    """What every page template sees; computed once per build and shared by the processes that render pages."""
    cat, settings = inputs.catalogue, inputs.settings
    for name in _ENV.list_templates(filter_func=_is_page_template):  # compiled here, not in each forked worker
        _ENV.get_template(name)
    as_of = resolve_content_date(settings.content_date, cat)
    progress = build_progress(cat, as_of)
    return {
        "cat": cat,
        "settings": settings,
        "photos": inputs.photos,
        "as_of": as_of,
        "progress": progress,
        "comparisons": build_comparisons(cat, progress),
    }


def _add_page(
    pages: dict[str, str],
    common: Mapping[str, object],
    path: str,
    template: str,
    meta: dict[str, object],
    **context: object,
) -> None:
    url = path.removesuffix("index.md")
    feeds: list[tuple[str, str]] = context.pop("feeds", [])  # type: ignore[assignment]
    # The theme prints these into <head> as alternate links (feed autodiscovery), after the site-wide feeds
    # it links on every page, hand-written ones included.
    if feeds:
        meta = {**meta, "feeds": [{"title": str(escape(t)), "href": relative_url(url, h)} for t, h in feeds]}
    pages[path] = _page(template, url, meta, feeds=feeds, **common, **context)


def render_story_pages(
    inputs: RenderInputs, exemplars: Sequence[Exemplar], common: Mapping[str, object] | None = None
) -> dict[str, str]:
    """The story page of each of `exemplars` (a share of the collection, when several processes render)."""
    cat = inputs.catalogue
    common = page_context(inputs) if common is None else common
    pages: dict[str, str] = {}
    for exemplar in exemplars:
        today = cat.today(exemplar.province)
        share = build_share_meta(
            exemplar,
            cat,
            inputs.settings,
            inputs.photos.get(exemplar.slug),
            inputs.cards.get(field_card_path(exemplar)),
        )
        _add_page(
            pages,
            common,
            f"guong/{exemplar.slug}/index.md",
            "story.md.j2",
            {
                "title": exemplar.name,
                "description": share.description,
                "hide": ["toc"],
                "draft": exemplar.draft,
                "source": exemplar.source_path,
                "html": True,
                "share": share.as_meta(),
            },
            e=exemplar,
            share=share,
            recorded=cat.provinces[exemplar.province],
            today=today,
            story_html=Markup(apart_from_title(inputs.story_html[exemplar.slug], anchor_slugify(exemplar.name, "-"))),
            photo=inputs.photos.get(exemplar.slug),
            related=cat.related(exemplar),
            plans=[cat.plans[p] for p in exemplar.plans],
            feeds=[(f"Lĩnh vực {cat.fields[f].name}", f"linh-vuc/{f}/feed.xml") for f in exemplar.fields]
            + [(f"{today.label}", f"dia-phuong/{today.id}/feed.xml")],
        )
    return pages


def apart_from_title(html: str, title_id: str) -> str:
    """A story heading with the page title's words ("## Nguyễn Thị Hương") would repeat the title's id: it takes
    `bai-` in front, as headings named like the page's sections do (richtext.PAGE_HEADING_IDS), links to it too."""
    if f'id="{title_id}"' not in html:
        return html
    return html.replace(f'id="{title_id}"', f'id="bai-{title_id}"').replace(
        f'href="#{title_id}"', f'href="#bai-{title_id}"'
    )


@dataclass(frozen=True)
class PageSpec:
    """A page to render: what `render_page` needs, so that the pages can be listed here and rendered elsewhere
    (in worker processes, by `collection.site_files`)."""

    path: str
    template: str
    meta: dict[str, object]
    context: dict[str, object]


def render_page(spec: PageSpec, common: Mapping[str, object]) -> str:
    pages: dict[str, str] = {}
    _add_page(pages, common, spec.path, spec.template, spec.meta, **spec.context)
    return pages[spec.path]


def list_pages(inputs: RenderInputs, common: Mapping[str, object]) -> list[PageSpec]:
    """Every generated page but the stories: home, lists, fields, provinces, kinds, plans, statistics."""
    cat, settings = inputs.catalogue, inputs.settings
    as_of = common["as_of"]
    assert isinstance(as_of, dt.date)
    pages: list[PageSpec] = []

    def add(path: str, template: str, meta: dict[str, object], **context: object) -> None:
        pages.append(PageSpec(path, template, meta, context))

    add(
        "index.md",
        "home.md.j2",
        {"title": settings.site_name, "description": settings.site_description, "hide": ["toc"]},
        latest=cat.exemplars[:6],
    )
    _render_archive(cat, settings, add)
    add("linh-vuc/index.md", "fields.md.j2", {"title": "Lĩnh vực", "description": "Các lĩnh vực, phong trào thi đua"})
    size = settings.page_size
    for field in cat.fields.values():
        url = f"linh-vuc/{field.id}/"
        feeds = [(f"Lĩnh vực {field.name}", f"{url}feed.xml")]
        for page_url, chunk, pager in paginate(url, cat.by_field.get(field.id, ()), size):
            if pager.number > 1:
                _add_more(add, page_url, field.name, url, chunk, pager, feeds)
                continue
            add(
                f"{url}index.md",
                "field.md.j2",
                {"title": field.name, "description": field.description, "html": True, "toc": True},
                field=field,
                exemplars=chunk,
                pager=pager,
                plan_fields=cat.plans_for_field(field.id),
                feeds=feeds,
            )
    add(
        "dia-phuong/index.md",
        "provinces.md.j2",
        {"title": "Địa phương", "description": "Gương điển hình theo 34 tỉnh, thành phố"},
    )
    for province in cat.provinces.values():
        today = cat.today(province.id)
        exemplars = (
            cat.by_province.get(province.id, ())
            if province.current
            else tuple(e for e in cat.exemplars if e.province == province.id)
        )
        url = f"dia-phuong/{province.id}/"
        feeds = [(today.label, f"dia-phuong/{today.id}/feed.xml")]
        for page_url, chunk, pager in paginate(url, exemplars, size):
            if pager.number > 1:
                _add_more(add, page_url, province.label, url, chunk, pager, feeds)
                continue
            add(
                f"{url}index.md",
                "province.md.j2",
                {
                    "title": province.label,
                    "description": f"Gương điển hình tiên tiến của {province.label}",
                    "html": True,
                    "toc": True,
                },
                province=province,
                today=today,
                former=cat.former_of(province.id),
                exemplars=chunk,
                pager=pager,
                plans=cat.plans_for_province(province.id)
                if province.current
                else [p for p in cat.plans.values() if p.province == province.id],
                feeds=feeds,
            )
    for kind, label in KINDS.items():
        for page_url, chunk, pager in paginate(f"loai/{kind}/", cat.by_kind[kind], size):
            title = f"Gương điển hình: {label.lower()}"
            add(
                f"{page_url}index.md",
                "kind.md.j2",
                {"title": title + (f" – trang {pager.number}" if pager.number > 1 else ""), "html": True},
                kind=kind,
                label=label,
                heading=title,
                total=len(cat.by_kind[kind]),
                exemplars=chunk,
                pager=pager,
            )
    add(
        "ke-hoach/index.md",
        "plans.md.j2",
        {"title": "Kế hoạch", "description": "Kế hoạch xây dựng, nhân rộng điển hình tiên tiến"},
    )
    for plan in cat.plans.values():
        add(
            f"ke-hoach/{plan.id}/index.md",
            "plan.md.j2",
            {
                "title": _plan_title(plan),
                "description": plan.title,
                "source": plan.source_path,
                "html": True,
                "toc": True,
            },
            plan=plan,
            today=cat.today(plan.province),
            exemplars=cat.by_plan.get(plan.id, ()),
        )
    _render_statistics(cat, as_of, add)
    _render_comparisons(common["comparisons"], add)  # type: ignore[arg-type]
    add(
        "ngoai-tuyen/index.md",
        "offline.md.j2",
        {
            "title": "Bạn đang ngoại tuyến",
            "description": "Các câu chuyện đã đọc vẫn mở được trên thiết bị này khi không có mạng.",
            "hide": ["toc"],
            "noindex": True,
        },
    )
    return pages


def _render_statistics(cat: Catalogue, as_of: dt.date, add) -> None:  # type: ignore[no-untyped-def]
    stats = build_statistics(cat, as_of)
    add(
        "thong-ke/index.md",
        "statistics.md.j2",
        {
            "title": "Thống kê",
            "description": "Số gương điển hình theo lĩnh vực, tỉnh, thành phố, loại và năm",
            "hide": ["navigation"],
        },
        stats=stats,
        csv={key: path.removeprefix("thong-ke/") for key, path in CSV_FILES.items()},
        by_year=layout_column_chart("bieu-do-nam", "Số gương điển hình theo năm đăng", stats.by_year),
        by_kind=layout_bar_chart("bieu-do-loai", "Số gương điển hình theo loại", stats.by_kind),
        by_field=layout_bar_chart("bieu-do-linh-vuc", "Số gương điển hình theo lĩnh vực", stats.by_field),
        by_province=layout_tile_map("ban-do-tinh", "Số gương điển hình theo tỉnh, thành phố", stats.by_province),
    )


def _render_comparisons(comparisons: Mapping[str, FieldComparison], add) -> None:  # type: ignore[no-untyped-def]
    add(
        "so-sanh/index.md",
        "comparisons.md.j2",
        {"title": "So sánh kế hoạch theo lĩnh vực", "description": "Cách các kế hoạch viết cùng một lĩnh vực"},
    )
    for comparison in comparisons.values():
        add(
            f"{comparison.url}index.md",
            "compare.md.j2",
            {
                "title": f"So sánh: {comparison.field.name}",
                "description": f"{comparison.plan_count} kế hoạch viết lĩnh vực “{comparison.field.name}”",
                "hide": ["navigation"],
                "html": True,
                "toc": True,
            },
            comparison=comparison,
        )


def _plan_title(plan: Plan) -> str:
    return f"Kế hoạch {plan.number}" if plan.number else f"Kế hoạch của {plan.issuer} ({plan.date[:4]})"


def _add_more(add, url: str, heading: str, first_url: str, chunk, pager: Pager, feeds) -> None:  # type: ignore[no-untyped-def]
    """Page 2, 3… of a field's or a province's stories: the list only; the first page has the rest."""
    add(
        f"{url}index.md",
        "list_more.md.j2",
        {"title": f"{heading} – trang {pager.number}", "hide": ["toc"], "html": True},
        heading=heading,
        first_url=first_url,
        exemplars=chunk,
        pager=pager,
        feeds=feeds,
    )


def _render_archive(cat: Catalogue, settings: Settings, add) -> None:  # type: ignore[no-untyped-def]
    lists: list[tuple[int | None, str, Sequence[Exemplar]]] = [(None, "nguoi-tot-viec-tot/", cat.exemplars)]
    lists += [(year, f"nguoi-tot-viec-tot/{year}/", items) for year, items in cat.by_year.items()]
    for year, url, items in lists:
        heading = "Người tốt, việc tốt" + (f" năm {year}" if year else "")
        for page_url, chunk, pager in paginate(url, items, settings.page_size):
            description = (
                f"Các câu chuyện đăng năm {year}" if year else "Tất cả câu chuyện gương điển hình, mới nhất trước"
            )
            add(
                f"{page_url}index.md",
                "archive.md.j2",
                {
                    "title": heading + (f" – trang {pager.number}" if pager.number > 1 else ""),
                    "description": description,
                    "html": True,
                },
                heading=heading,
                exemplars=chunk,
                total=len(items),
                pager=pager,
                year=year,
            )


def render_redirect(target_url: str, from_url: str, title: str) -> str:
    """A static page at a former slug that forwards to the story (kept for old links and shares)."""
    return _ENV.get_template("redirect.html.j2").render(target=relative_url(from_url, target_url), title=title)


FORMAT_NAMES = {"rss": "RSS 2.0", "atom": "Atom", "json": "JSON Feed 1.1"}
TYPE_NAMES = {
    "string": "văn bản",
    "boolean": "đúng/sai",
    "date": "ngày",
    "url": "địa chỉ web",
    "list": "danh sách",
    "objects": "danh sách đối tượng",
}


def render_newsroom_pages(inputs: RenderInputs, feeds: Sequence[FeedSpec], data: OpenData) -> dict[str, str]:
    """/bao-chi/ (every feed, the reuse terms, how to report an error) and /du-lieu/ (the data and its columns)."""
    cat, settings = inputs.catalogue, inputs.settings
    common = {"cat": cat, "settings": settings, "data": data}
    repo = settings.repo_url.rstrip("/")
    by_group = {group: [f for f in feeds if f.group == group] for group in ("site", "field", "province", "former")}
    return {
        "bao-chi/index.md": _page(
            "press.md.j2",
            "bao-chi/",
            {"title": "Dành cho báo chí", "description": "Feed, điều kiện sử dụng lại và dữ liệu cho báo chí"},
            site_feeds=by_group["site"],
            field_feeds=by_group["field"],
            province_feeds=by_group["province"],
            former_feeds=by_group["former"],
            format_names=FORMAT_NAMES,
            max_megabytes=MAX_FEED_BYTES // 1_000_000,
            id_domain=settings.id_domain,
            report_link=report_url(settings),
            **common,
        ),
        "du-lieu/index.md": _page(
            "open-data.md.j2",
            "du-lieu/",
            {"title": "Dữ liệu mở", "description": "Tải toàn bộ gương điển hình và kế hoạch dưới dạng JSON, CSV"},
            columns=COLUMNS,
            type_names=TYPE_NAMES,
            separator=LIST_SEPARATOR,
            plan_format_url=f"{repo}/blob/main/docs/plan-format.md" if report_url(settings) else "",
            **common,
        ),
    }
