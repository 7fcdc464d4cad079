"""Feeds newsrooms subscribe to: RSS 2.0, Atom and JSON Feed for the whole site, RSS per field and per province.

Pure: the catalogue, the settings, the stories' safe HTML and the processed photos in, `{path: bytes}` out.
Every date comes from the content (feedgen would otherwise stamp `now()`), so two builds of the same content
give byte-identical feeds, and a newsroom's reader only sees an item again when its story really changed.
"""

from __future__ import annotations

import copy
import datetime as dt
import html
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from feedgen.ext.base import BaseEntryExtension, BaseExtension
from feedgen.feed import FeedEntry, FeedGenerator
from feedgen.util import xml_elem
from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from ..content.catalogue import Catalogue
from ..content.config import Settings
from ..content.model import KINDS, SAMPLE_LABEL, SAMPLE_NOTE, Award, Exemplar
from ..content.richtext import absolute_html
from .photos import PhotoSet

VIETNAM = dt.timezone(dt.timedelta(hours=7))
"""Asia/Ho_Chi_Minh: +07:00 all year round since 1975, so a fixed offset is exact and needs no tz database."""
MAX_FEED_BYTES = 2_000_000
"""Largest feed we publish: many readers and aggregators refuse bigger documents."""
EMPTY_FEED_DATE = dt.date(2025, 7, 1)
"""`lastBuildDate` of a feed without stories (a field nobody has reached yet): fixed, so that the feed does not
change until a story arrives (the date the 34 provinces took effect; any fixed date would do)."""
LOGO = "assets/logo-144.png"
"""Channel image: RSS allows at most 144 px wide."""
ICON = "assets/logo-512.png"
"""JSON Feed and Atom icon: JSON Feed recommends 512 px square."""

MEDIA_NS = "http://search.yahoo.com/mrss/"
DC_NS = "http://purl.org/dc/elements/1.1/"
DCTERMS_NS = "http://purl.org/dc/terms/"
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
FORMATS = {
    "rss": "application/rss+xml",
    "atom": "application/atom+xml",
    "json": "application/feed+json",
}


@dataclass(frozen=True)
class FeedSpec:
    """One feed as a newsroom subscribes to it: where it lives, what it follows, which stories it carries."""

    path: str
    """Site-relative path of the feed file (`linh-vuc/y-te/feed.xml`)."""
    format: str
    """`rss`, `atom` or `json`."""
    group: str
    """`site`, `field`, `province` or `former` (a province merged into another on 1 July 2025)."""
    label: str
    """Short name for lists: "Toàn bộ trang", a field's name, a province's label."""
    title: str
    description: str
    page: str
    """Site-relative URL of the page the feed follows."""
    exemplars: tuple[Exemplar, ...]
    """Newest first, before the `feed_items` cut."""

    @property
    def mime(self) -> str:
        return FORMATS[self.format]


@dataclass(frozen=True)
class Category:
    term: str
    """Stable id (`ca-nhan`, `y-te`, `ninh-binh`); for awards and tags, the text itself."""
    label: str
    scheme: str | None = None
    """Absolute URL of the page that lists the category, when there is one."""


@dataclass(frozen=True)
class ItemPhoto:
    """The photo as feeds carry it: the largest processed JPEG (no metadata, no GPS), and as thumbnail the
    link-preview crop (at most 1200×630; a JPEG too: feed readers and newsroom systems read JPEG; the site has no
    smaller JPEG, its list cards show WebP)."""

    url: str
    mime: str
    length: int
    width: int
    height: int
    thumbnail_url: str
    thumbnail_width: int
    thumbnail_height: int
    alt: str
    credit: str


@dataclass(frozen=True)
class FeedItem:
    """One story as every feed format carries it; computed once per story and shared by all its feeds."""

    guid: str
    url: str
    title: str
    summary: str
    content_html: str
    """Sanitised, with absolute URLs: safe to republish as it is."""
    published: dt.datetime
    updated: dt.datetime | None
    categories: tuple[Category, ...]
    awards: tuple[Award, ...]
    photo: ItemPhoto | None
    rights: str
    """Reuse terms and the credit line to print, with the photo's credit."""
    province_today: str
    """Id of the province the story's place belongs to today."""
    exemplar: Exemplar

    @property
    def modified(self) -> dt.datetime:
        return self.updated or self.published


EntryCache = dict[tuple[str, str], FeedEntry]
"""feedgen entries by (guid, content type), so a story in many feeds is built once."""


@dataclass(frozen=True)
class FeedResult:
    files: dict[str, bytes]
    warnings: tuple[str, ...]
    """Vietnamese build warnings (a feed cut to stay under the size limit)."""
    cut: frozenset[str] = frozenset()
    """The paths of the feeds cut (each with its warning)."""


def item_guid(exemplar: Exemplar, domain: str) -> str:
    """The id a story keeps for ever: `tag:<domain>,<published>:guong/<first slug>` (RFC 4151).

    The first slug is the story's first folder name: the first entry of `aliases` once the folder has been renamed
    (contributors add each former slug at the end of the list), else the slug. So editing the story, rebuilding the
    site or renaming the folder never changes it, and feed readers never show a story twice.
    """
    origin = exemplar.aliases[0] if exemplar.aliases else exemplar.slug
    return f"tag:{domain},{exemplar.published.isoformat()}:guong/{origin}"


def as_datetime(day: dt.date) -> dt.datetime:
    """Midnight in Vietnam: content has dates only, feeds need timezone-aware datetimes."""
    return dt.datetime.combine(day, dt.time(0, 0), VIETNAM)


def list_feeds(cat: Catalogue, settings: Settings) -> list[FeedSpec]:
    """Every feed the site publishes, in the order /bao-chi/ lists them.

    A province merged into another on 1 July 2025 keeps a feed at its old address, carrying its successor's stories:
    stories recognised from then on are recorded under the successor, so a feed of the old name alone would silently
    stop, while a newsroom subscribed to it still wants that area's news. Its title and description give the new
    address.
    """
    published = tuple(e for e in cat.exemplars if not e.draft)
    site = settings.site_name
    description = settings.site_description or f"Gương điển hình tiên tiến, người tốt, việc tốt – {site}."
    specs = [
        FeedSpec(path, fmt, "site", "Toàn bộ trang", site, description, "", published)
        for path, fmt in (("feed.xml", "rss"), ("atom.xml", "atom"), ("feed.json", "json"))
    ]
    for field in cat.fields.values():
        specs.append(
            FeedSpec(
                f"linh-vuc/{field.id}/feed.xml",
                "rss",
                "field",
                field.name,
                f"{site} – Lĩnh vực {field.name}",
                field.description,
                f"linh-vuc/{field.id}/",
                _published(cat.by_field.get(field.id, ())),
            )
        )
    for province in cat.current_provinces:
        former = cat.former_of(province.id)
        names = ", ".join(f.label_in_sentence for f in former)
        including = f", kể cả các gương được công nhận khi còn là {names}" if former else ""
        specs.append(
            FeedSpec(
                f"dia-phuong/{province.id}/feed.xml",
                "rss",
                "province",
                province.label,
                f"{site} – {province.label}",
                f"Gương điển hình tiên tiến của {province.label}{including}.",
                f"dia-phuong/{province.id}/",
                _published(cat.by_province.get(province.id, ())),
            )
        )
    for province in cat.provinces.values():
        if province.current:
            continue
        today = cat.today(province.id)
        specs.append(
            FeedSpec(
                f"dia-phuong/{province.id}/feed.xml",
                "rss",
                "former",
                province.label,
                f"{site} – {today.label} (gồm {province.label} cũ)",
                f"{province.label} đã hợp nhất vào {today.label_in_sentence} từ ngày 1/7/2025; feed này đưa tin của cả "
                f"{today.label_in_sentence}. Địa chỉ mới: {settings.site_url}dia-phuong/{today.id}/feed.xml",
                f"dia-phuong/{today.id}/",
                _published(cat.by_province.get(today.id, ())),
            )
        )
    return specs


def _published(exemplars: Sequence[Exemplar]) -> tuple[Exemplar, ...]:
    # Drafts are shown in `serve` previews, but never in what newsrooms receive.
    return tuple(e for e in exemplars if not e.draft)


_STORY_SLOT = "⟦câu chuyện⟧"
"""Where the story goes in an item's HTML: plain text, which the sanitiser keeps as it is."""


def fed_slugs(cat: Catalogue, settings: Settings) -> set[str]:
    """The stories some feed carries (each feed's newest `feed_items`): only their items are ever built."""
    return {e.slug for spec in list_feeds(cat, settings) for e in newest_fed(spec, settings)}


def build_item(
    e: Exemplar, cat: Catalogue, settings: Settings, absolute_story: str, photos: Mapping[str, PhotoSet]
) -> FeedItem:
    """A story as feeds carry it (made with the story by `story.make_story`, so the feeds only serialise).

    `absolute_story`: the story's safe HTML with absolute links (`story.absolute_story`), put in as it is.
    """
    template = _ENV.get_template("feed_item.html.j2")
    url = settings.site_url + e.url
    photo = _item_photo(e, photos.get(e.slug), url)
    recorded, today = cat.provinces[e.province], cat.today(e.province)
    html = template.render(
        e=e,
        url=url,
        photo=photo,
        recorded=recorded,
        today=today,
        field_names=[cat.fields[f].name for f in e.fields],
        story_html=Markup(_STORY_SLOT),
        settings=settings,
    )
    # The item around the story passes the sanitiser on its own; the story already has (render_story) and is
    # absolute already. Sanitising the whole item again cost half of the feeds' time at 10,000 stories.
    around = absolute_html(html, url).strip()
    before, after = around.split(_STORY_SLOT)
    content_html = before + absolute_story + after
    categories = [
        *([Category("du-lieu-mau", SAMPLE_LABEL)] if e.sample else []),
        Category(e.kind, KINDS[e.kind], f"{settings.site_url}loai/{e.kind}/"),
        *(Category(f, cat.fields[f].name, f"{settings.site_url}linh-vuc/{f}/") for f in e.fields),
        Category(today.id, today.label, f"{settings.site_url}dia-phuong/{today.id}/"),
    ]
    if recorded.id != today.id:
        categories.append(Category(recorded.id, recorded.label, f"{settings.site_url}dia-phuong/{recorded.id}/"))
    categories += [Category(a.title, a.title) for a in e.awards]
    categories += [Category(tag, tag) for tag in e.tags]
    return FeedItem(
        guid=item_guid(e, settings.id_domain),
        url=url,
        # A newsroom's reader shows the title and the description first: a sample says so in both.
        title=f"[{SAMPLE_LABEL}] {e.name}" if e.sample else e.name,
        summary=f"{SAMPLE_NOTE} {e.summary}" if e.sample else e.summary,
        content_html=content_html,
        published=as_datetime(e.published),
        # A correction changes the story: readers' feed clients must see the item as updated.
        updated=as_datetime(e.last_modified) if e.last_modified != e.published else None,
        categories=tuple(_unique(categories)),
        awards=e.awards,
        photo=photo,
        rights=_item_rights(settings, url, photo),
        province_today=today.id,
        exemplar=e,
    )


def _unique(categories: list[Category]) -> list[Category]:
    seen: dict[tuple[str, str | None], Category] = {}
    for category in categories:
        seen.setdefault((category.label, category.scheme), category)
    return list(seen.values())


def _item_photo(e: Exemplar, photo_set: PhotoSet | None, url: str) -> ItemPhoto | None:
    if e.photo is None or photo_set is None:
        return None
    large, small = photo_set.fallback, photo_set.card or photo_set.fallback
    return ItemPhoto(
        url=url + large.name,
        mime=large.mime,
        length=large.byte_size,
        width=large.width,
        height=large.height,
        thumbnail_url=url + small.name,
        thumbnail_width=small.width,
        thumbnail_height=small.height,
        alt=e.photo.alt,
        credit=e.photo.credit,
    )


def _item_rights(settings: Settings, url: str, photo: ItemPhoto | None) -> str:
    credit = photo and (photo.credit if photo.credit.lower().startswith("ảnh") else f"Ảnh: {photo.credit}")
    photo_credit = f" ({credit})" if credit else ""  # "Ảnh:" once, as Photo.credit_text
    return (
        f"Nội dung được cấp phép {settings.licence} ({settings.licence_url}). "
        f"Khi đăng lại, ghi: {settings.credit_line} – {url}{photo_credit}"
    )


def channel_rights(settings: Settings) -> str:
    return (
        f"Nội dung được cấp phép {settings.licence} ({settings.licence_url}). Khi đăng lại, ghi: {settings.credit_line}"
    )


def newest_fed(spec: FeedSpec, settings: Settings) -> tuple[Exemplar, ...]:
    """The stories a feed carries: its `feed_items` newest (before any cut to its size limit)."""
    return spec.exemplars[: max(settings.feed_items, 0)]


def render_feeds(
    cat: Catalogue,
    settings: Settings,
    items: Mapping[str, FeedItem],
    max_bytes: int = MAX_FEED_BYTES,
    specs: Sequence[FeedSpec] | None = None,
) -> FeedResult:
    """Every feed file (or those of `specs`), newest items first, `feed_items` per feed, each cut to stay under
    `max_bytes`.

    `items`: the feed item of each story some feed carries (`build_item`, made with the story: `story.make_story`).
    """
    specs = list_feeds(cat, settings) if specs is None else specs
    # One feedgen entry per story and format, shared by every feed that carries the story.
    entries: dict[tuple[str, str], FeedEntry] = {}
    files: dict[str, bytes] = {}
    warnings: list[str] = []
    cut: set[str] = set()
    for spec in specs:
        chosen = [items[e.slug] for e in newest_fed(spec, settings)]
        render = partial(_render_newest, spec, chosen, settings, entries)
        content, kept = _fit(render, len(chosen), max_bytes)
        if kept < len(chosen):
            warnings.append(
                f"{spec.path}: {len(chosen)} câu chuyện mới nhất vượt giới hạn {_megabytes(max_bytes)} của một feed, "
                f"nên feed chỉ giữ {kept} câu chuyện mới nhất ({_megabytes(len(content))}). "
                "Hãy giảm `feed_items` trong mkdocs.yml hoặc rút gọn những câu chuyện quá dài."
            )
            cut.add(spec.path)
        files[spec.path] = content
    return FeedResult(files, tuple(warnings), frozenset(cut))


def _render_newest(
    spec: FeedSpec, items: Sequence[FeedItem], settings: Settings, entries: EntryCache, count: int
) -> bytes:
    """The feed with its `count` newest items, dated by the newest of them (a fixed date when there are none)."""
    kept = items[:count]
    updated = _newest(kept) or as_datetime(EMPTY_FEED_DATE)
    return RENDERERS[spec.format](spec, kept, settings, updated, entries)


def _fit(render: Callable[[int], bytes], count: int, max_bytes: int) -> tuple[bytes, int]:
    """The feed with as many of the newest items as fit under `max_bytes` (binary search: size grows with count)."""
    content = render(count)
    if len(content) <= max_bytes:
        return content, count
    low, high, best = 0, count - 1, render(0)
    best_count = 0
    while low <= high:
        middle = (low + high) // 2
        candidate = render(middle)
        if len(candidate) <= max_bytes:
            best, best_count, low = candidate, middle, middle + 1
        else:
            high = middle - 1
    return best, best_count


def _newest(items: Sequence[FeedItem]) -> dt.datetime | None:
    return max((item.modified for item in items), default=None)


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:.2f}".replace(".", ",") + " MB"


# RSS and Atom through feedgen ------------------------------------------------------------------------------------


class _Namespaces(BaseExtension):
    """Declares the namespaces our items use: feedgen takes them from feed-level extensions only."""

    def extend_ns(self) -> dict[str, str]:
        return {"media": MEDIA_NS, "dc": DC_NS, "dcterms": DCTERMS_NS}


class _ItemExtension(BaseEntryExtension):
    """Photo with its credit, reuse licence and date of the last edit: what feedgen's own `media` extension cannot
    say (it has no `media:credit` or `media:license`, and wraps everything in a `media:group`)."""

    def __init__(self) -> None:
        self.item: FeedItem | None = None
        self.licence: tuple[str, str] = ("", "")

    def extend_rss(self, entry: Any) -> Any:
        assert self.item is not None
        if self.item.updated is not None:
            xml_elem(f"{{{DCTERMS_NS}}}modified", entry).text = self.item.updated.isoformat()
        xml_elem(f"{{{DC_NS}}}rights", entry).text = self.item.rights
        self._media(entry)
        return entry

    def extend_atom(self, entry: Any) -> Any:
        assert self.item is not None
        # feedgen 1.0 drops `rel`, `type` and `length` from entry links (it reads them back from the new element),
        # which would make the photo a second "alternate" link, invalid in Atom: write the links ourselves.
        for link in entry.findall("link"):
            entry.remove(link)
        xml_elem("link", entry, rel="alternate", type="text/html", href=self.item.url)
        photo = self.item.photo
        if photo is not None:
            xml_elem("link", entry, rel="enclosure", type=photo.mime, length=str(photo.length), href=photo.url)
        name, url = self.licence
        xml_elem("link", entry, rel="license", type="text/html", href=url, title=name)
        self._media(entry)
        return entry

    def _media(self, entry: Any) -> None:
        assert self.item is not None
        photo = self.item.photo
        if photo is not None:
            content = xml_elem(
                f"{{{MEDIA_NS}}}content",
                entry,
                url=photo.url,
                fileSize=str(photo.length),
                type=photo.mime,
                medium="image",
                width=str(photo.width),
                height=str(photo.height),
            )
            # No media:description for the alt text: feedparser, under many readers, would take it for the summary.
            xml_elem(f"{{{MEDIA_NS}}}credit", content).text = photo.credit
            xml_elem(
                f"{{{MEDIA_NS}}}thumbnail",
                entry,
                url=photo.thumbnail_url,
                width=str(photo.thumbnail_width),
                height=str(photo.thumbnail_height),
            )
        name, url = self.licence
        xml_elem(f"{{{MEDIA_NS}}}license", entry, type="text/html", href=url).text = name


def _generator(spec: FeedSpec, settings: Settings, updated: dt.datetime) -> FeedGenerator:
    site = settings.site_url
    feed = FeedGenerator()
    feed.register_extension("exemplars", _Namespaces, _ItemExtension)
    feed.id(site + spec.path)
    feed.title(spec.title)
    feed.description(spec.description)
    feed.author(name=settings.site_name, uri=site)
    # feedgen's RSS <link> is the last link added: self first, the page last.
    feed.link(href=site + spec.path, rel="self", type=spec.mime)
    feed.link(href=settings.licence_url, rel="license", type="text/html")
    feed.link(href=site + spec.page, rel="alternate", type="text/html")
    feed.language("vi")
    feed.rights(channel_rights(settings))
    feed.icon(site + ICON)
    # Also atom:logo; an RSS image may be at most 144 px wide, and must repeat the channel's title and link.
    feed.image(url=site + LOGO, title=spec.title, link=site + spec.page, width="144", height="144")
    feed.generator(settings.site_name, uri=settings.repo_url or site)
    # Always set: feedgen would stamp the build's clock, and every build would differ.
    feed.updated(updated)
    return feed


def _add_entry(feed: FeedGenerator, item: FeedItem, settings: Settings, content_type: str, cache: EntryCache) -> None:
    key = (item.guid, content_type)
    if key not in cache:
        cache[key] = _entry(item, settings, content_type)
    # feedgen tries to register its extensions on the entry again, and skips them when already there.
    feed.add_entry(cache[key], order="append")


class _SharedEntry(FeedEntry):
    """A feedgen entry whose XML is built once and copied into every feed that carries the story."""

    def __init__(self) -> None:
        super().__init__()
        self._built: dict[str, Any] = {}

    def rss_entry(self, extensions: bool = True) -> Any:
        if "rss" not in self._built:
            self._built["rss"] = super().rss_entry(extensions)
        return copy.deepcopy(self._built["rss"])

    def atom_entry(self, extensions: bool = True) -> Any:
        if "atom" not in self._built:
            self._built["atom"] = super().atom_entry(extensions)
        return copy.deepcopy(self._built["atom"])


def _entry(item: FeedItem, settings: Settings, content_type: str) -> FeedEntry:
    entry = _SharedEntry()
    entry.register_extension("exemplars", _ItemExtension)
    entry.guid(item.guid, permalink=False)
    entry.title(item.title)
    entry.link(href=item.url, rel="alternate", type="text/html")
    if item.photo is not None:
        entry.link(href=item.photo.url, rel="enclosure", type=item.photo.mime, length=str(item.photo.length))
    entry.published(item.published)
    entry.updated(item.modified)
    # Readers render RSS <description> as HTML; escaped once more, a summary reads as written ("&lt;" stays "&lt;").
    entry.summary(html.escape(item.summary, quote=False), type="html")
    entry.content(item.content_html, type=content_type)
    for category in item.categories:
        entry.category(term=category.term, label=category.label, scheme=category.scheme)
    entry.rights(item.rights)
    entry.exemplars.item = item
    entry.exemplars.licence = (settings.licence, settings.licence_url)
    return entry


def render_rss(
    spec: FeedSpec,
    items: Sequence[FeedItem],
    settings: Settings,
    updated: dt.datetime,
    entries: EntryCache | None = None,
) -> bytes:
    """RSS 2.0 with `content:encoded`, Media RSS and Dublin Core: what newsroom CMS importers read."""
    feed = _generator(spec, settings, updated)
    if items:
        feed.pubDate(max(item.published for item in items))
    cache: EntryCache = {} if entries is None else entries
    for item in items:
        # CDATA keeps the HTML readable for a developer viewing the feed; it cannot hold "]]>".
        _add_entry(feed, item, settings, "CDATA" if "]]>" not in item.content_html else "", cache)
    return feed.rss_str(pretty=True)


def render_atom(
    spec: FeedSpec,
    items: Sequence[FeedItem],
    settings: Settings,
    updated: dt.datetime,
    entries: EntryCache | None = None,
) -> bytes:
    """Atom 1.0: the same items with the same ids, for readers that prefer it."""
    feed = _generator(spec, settings, updated)
    cache: EntryCache = {} if entries is None else entries
    for item in items:
        _add_entry(feed, item, settings, "html", cache)
    return feed.atom_str(pretty=True)


# JSON Feed 1.1 -------------------------------------------------------------------------------------------------


def render_json_feed(
    spec: FeedSpec,
    items: Sequence[FeedItem],
    settings: Settings,
    updated: dt.datetime,
    entries: EntryCache | None = None,
) -> bytes:
    """JSON Feed 1.1; what RSS says in namespaces goes into the `_exemplar` extension object."""
    site = settings.site_url
    document: dict[str, Any] = {
        "version": JSON_FEED_VERSION,
        "title": spec.title,
        "home_page_url": site + spec.page,
        "feed_url": site + spec.path,
        "description": spec.description,
        "user_comment": channel_rights(settings),
        "icon": site + ICON,
        "favicon": site + LOGO,
        "authors": [{"name": settings.site_name, "url": site}],
        "language": "vi",
        "_exemplar": {
            "about": f"{site}bao-chi/",
            "licence": settings.licence,
            "licence_url": settings.licence_url,
            "credit": settings.credit_line,
            "updated": updated.isoformat(),
        },
        "items": [_json_item(item, settings) for item in items],
    }
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _json_item(item: FeedItem, settings: Settings) -> dict[str, Any]:
    e = item.exemplar
    entry: dict[str, Any] = {
        "id": item.guid,
        "url": item.url,
        "title": item.title,
        "content_html": item.content_html,
        "summary": item.summary,
        "date_published": item.published.isoformat(),
        "date_modified": item.modified.isoformat(),
        "tags": [category.label for category in item.categories],
        "language": "vi",
    }
    if item.photo is not None:
        entry["image"] = item.photo.url
        entry["attachments"] = [
            {
                "url": item.photo.url,
                "mime_type": item.photo.mime,
                "size_in_bytes": item.photo.length,
                "title": item.photo.alt,
            }
        ]
    entry["_exemplar"] = {
        "about": f"{settings.site_url}bao-chi/",
        "kind": e.kind,
        "fields": list(e.fields),
        "province": e.province,
        "province_today": item.province_today,
        "sample": e.sample,
        "awards": [
            {"title": a.title, "decision": a.decision, "date": a.date.isoformat() if a.date else None}
            for a in item.awards
        ],
        "licence": settings.licence,
        "licence_url": settings.licence_url,
        "credit": f"{settings.credit_line} – {item.url}",
        "photo_credit": item.photo.credit if item.photo else None,
        "rights": item.rights,
    }
    return entry


RENDERERS: dict[str, Callable[[FeedSpec, Sequence[FeedItem], Settings, dt.datetime, EntryCache], bytes]] = {
    "rss": render_rss,
    "atom": render_atom,
    "json": render_json_feed,
}


def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("build_tools", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


_ENV = _environment()
