"""What a shared story looks like elsewhere: Open Graph and Twitter card tags, schema.org JSON-LD, share links.

Pure: catalogue and settings in, plain values out. The theme (partials/ex-reader-head.html) prints them into <head>.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from urllib.parse import quote

from markupsafe import escape

from ..content.catalogue import Catalogue
from ..content.config import Settings
from ..content.model import SAMPLE_LABEL, SAMPLE_NOTE, Award, Exemplar, Field
from ..content.text import unicode_escape
from .photos import PhotoSet, Variant
from .sharecard import CardText

SITE_CARD = "assets/card.png"
"""The card shown when a page other than a story is shared (the theme links it under this path)."""

FIELD_CARD_LINE = "Lĩnh vực thi đua · Gương điển hình tiên tiến, người tốt, việc tốt"
"""The field card's line under the field's name: what the field is, the same for every story in it."""

SCHEMA_TYPES: dict[str, str] = {"ca-nhan": "Person", "tap-the": "Organization", "ho-gia-dinh": "Organization"}
"""schema.org has no household type. A household is recognised as one unit, like a collective, so it is an
Organization (with the household's own name); Person would pin a family's award on one member."""

_JSON_IN_HTML = re.compile("[<>&\u2028\u2029]")


@dataclass(frozen=True)
class ShareImage:
    url: str
    """Absolute: link previews fetch it from another site."""
    width: int
    height: int
    mime: str
    alt: str


@dataclass(frozen=True)
class ShareMeta:
    """Everything a story page tells link previews, search engines and share buttons."""

    title: str
    description: str
    url: str
    """Canonical absolute URL of the story."""
    site_name: str
    published: str
    modified: str | None
    """The day of the last update or correction; None for a story never changed since its publication day, which
    says it (0.1 kB of every such story repeated that day as `article:modified_time` and JSON-LD `dateModified`)."""
    section: str
    tags: tuple[str, ...]
    image: ShareImage | None
    json_ld: str
    """schema.org data, already safe to print inside <script type="application/ld+json">."""

    @property
    def facebook_url(self) -> str:
        """Facebook's plain share dialog: a link, no SDK, nothing loaded until the reader taps it."""
        return f"https://www.facebook.com/sharer/sharer.php?u={quote(self.url, safe='')}"

    def as_meta(self) -> dict[str, object]:
        """For the page's front matter: text HTML-escaped, because the theme prints it into <head> as is."""
        meta: dict[str, object] = {
            "title": _html(self.title),
            "description": _html(self.description),
            "url": _html(self.url),
            "site_name": _html(self.site_name),
            "published": self.published,
            "modified": self.modified,
            "section": _html(self.section),
            "tags": [_html(tag) for tag in self.tags],
            "json_ld": self.json_ld,
        }
        if self.image is not None:
            meta["image"] = {
                "url": _html(self.image.url),
                "width": self.image.width,
                "height": self.image.height,
                "type": self.image.mime,
                "alt": _html(self.image.alt),
            }
        return meta


def field_card_path(exemplar: Exemplar) -> str:
    """Site-relative path of the card a story without a photo shares: its primary field's (the first of its fields),
    beside the field's page. One card per field, not one per story: a drawn card per story was a file and 12 kB
    each, 135 MB in 9,897 files at 10,000 stories (benchmarks/README.md, "Share cards"). A sample's field card says
    it is one, so samples share their own."""
    name = "card-mau.png" if exemplar.sample else "card.png"
    return f"linh-vuc/{exemplar.fields[0]}/{name}"


def build_field_card_text(field: Field, settings: Settings, sample: bool = False) -> CardText:
    """The card every story of `field` without a photo shares: nothing on it is about one person, so it is true of
    each of them (the preview's title and description, next to it, name the exemplar)."""
    return CardText(
        eyebrow=f"{SAMPLE_LABEL} · {settings.site_name}" if sample else settings.site_name,
        title=field.name,
        lines=(FIELD_CARD_LINE,),
        footer=_host(settings.site_url),
    )


def field_card_alt(field: Field, sample: bool = False) -> str:
    """What the field card shows, for readers who cannot see it (`og:image:alt`): the field, not the person. The
    site's name, also on the card, is left out: the preview names the site beside it (`og:site_name`), and the alt
    is printed twice in every story page."""
    alt = f"Thẻ lĩnh vực “{field.name}”"
    return f"{alt} ({SAMPLE_LABEL.lower()})" if sample else alt


def build_site_card_text(settings: Settings) -> CardText:
    return CardText(
        eyebrow="Người tốt, việc tốt",
        title=settings.site_name,
        lines=(settings.site_description,) if settings.site_description else (),
        footer=_host(settings.site_url),
    )


def build_share_meta(
    exemplar: Exemplar, cat: Catalogue, settings: Settings, photo: PhotoSet | None, field_card: Variant | None
) -> ShareMeta:
    """`photo`: the story's processed photo, whose crop becomes the preview; `field_card`: the card of its primary
    field (`field_card_path`), shared by a story without a photo."""
    url = settings.site_url + exemplar.url
    image = None
    if photo is not None and photo.card is not None and exemplar.photo is not None:
        card = photo.card
        image = ShareImage(url + card.name, card.width, card.height, card.mime, exemplar.photo.alt)
    elif photo is None and field_card is not None:
        alt = field_card_alt(cat.fields[exemplar.fields[0]], exemplar.sample)
        image = ShareImage(
            settings.site_url + field_card_path(exemplar), field_card.width, field_card.height, field_card.mime, alt
        )
    return ShareMeta(
        title=exemplar.name,
        description=share_description(exemplar),
        url=url,
        site_name=settings.site_name,
        published=exemplar.published.isoformat(),
        modified=_modified(exemplar),
        section=cat.fields[exemplar.fields[0]].name,
        # The first field is the section: its name again as a tag was 0.1 kB of every story that said nothing more.
        tags=tuple(cat.fields[f].name for f in exemplar.fields[1:]) + exemplar.tags,
        image=image,
        json_ld=render_json_ld(exemplar, cat, settings, image, photo_url=url + photo.fallback.name if photo else None),
    )


def share_description(exemplar: Exemplar) -> str:
    """The summary as it travels alone (link previews, search engines): a sample says it is one first."""
    return f"{SAMPLE_NOTE} {exemplar.summary}" if exemplar.sample else exemplar.summary


def render_json_ld(
    exemplar: Exemplar, cat: Catalogue, settings: Settings, image: ShareImage | None, photo_url: str | None = None
) -> str:
    """A ProfilePage whose main entity is the exemplar (Person or Organization), with its awards as `award`.

    `photo_url` is the photo itself, not its crop; a field card is no picture of anyone, so it is left out there.
    """
    url = settings.site_url + exemplar.url
    # No `@id`: nothing refers to the exemplar's node (no other page's data names it), and its `url` says where it is.
    entity: dict[str, object] = {
        "@type": SCHEMA_TYPES[exemplar.kind],
        "name": exemplar.name,
        "description": share_description(exemplar),
        "url": url,
    }
    if photo_url:
        entity["image"] = photo_url
    if exemplar.awards:
        entity["award"] = [_award_text(award, exemplar.sample) for award in exemplar.awards]
    address: dict[str, object] = {"@type": "PostalAddress"}
    if exemplar.locality:
        address["addressLocality"] = exemplar.locality
    address |= {"addressRegion": cat.today(exemplar.province).label, "addressCountry": "VN"}
    entity["address"] = address
    if exemplar.organization:
        key = "worksFor" if exemplar.kind == "ca-nhan" else "parentOrganization"
        entity[key] = {"@type": "Organization", "name": exemplar.organization}
    if exemplar.sources:
        entity["subjectOf"] = [{"@type": "NewsArticle", "headline": s.title, "url": s.url} for s in exemplar.sources]
    # The page is named once: no `@id` equal to its `url`, no `headline` equal to its `name`, and the description
    # on the exemplar only (the page's own is the <head>'s): each repeated the same text in every story, 0.3 kB.
    # The site (`WebSite`, its name and address) is described once, on its home page (partials/ex-reader-head.html),
    # where search engines look for it, not as `isPartOf` of every story (0.1 kB each).
    page: dict[str, object] = {
        "@context": "https://schema.org",
        "@type": "ProfilePage",
        "url": url,
        "name": exemplar.name,
        "inLanguage": "vi",
        "datePublished": exemplar.published.isoformat(),
        "about": [{"@type": "Thing", "name": cat.fields[f].name} for f in exemplar.fields],
        "license": settings.licence_url,
        "mainEntity": entity,
    }
    modified = _modified(exemplar)
    if modified:
        page["dateModified"] = modified
    if exemplar.sample:
        page["creativeWorkStatus"] = SAMPLE_LABEL
    if exemplar.tags:
        page["keywords"] = list(exemplar.tags)
    if image is not None:
        page["image"] = image.url
    return dump_json_for_html(page)


def dump_json_for_html(data: object) -> str:
    """JSON that cannot close its <script> element: `<`, `>` and `&` become \\u escapes, which JSON readers undo."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return _JSON_IN_HTML.sub(unicode_escape, text)


def _modified(exemplar: Exemplar) -> str | None:
    """The day of the last change (update or correction), if there was one after publication."""
    return exemplar.last_modified.isoformat() if exemplar.last_modified != exemplar.published else None


def _award_text(award: Award, sample: bool = False) -> str:
    """`award` is plain text in schema.org: the title with the decision that makes it verifiable (a sample's
    decision is marked as the illustration it is)."""
    decision = f"{award.decision}, số quyết định minh họa" if award.decision and sample else award.decision
    details = [d for d in (decision, award.date and f"ngày {award.date:%d/%m/%Y}") if d]
    return f"{award.title} ({', '.join(details)})" if details else award.title


def _host(site_url: str) -> str:
    return site_url.split("://", 1)[-1].rstrip("/")


def _html(text: str) -> str:
    return str(escape(text))
