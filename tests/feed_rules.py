"""The W3C Feed Validator's rules that apply to our RSS 2.0 feeds, checked offline with the standard XML parser.

Each rule names the validator's own message id (https://validator.w3.org/feed/docs/) so a failure reads like the
validator's report. Errors and the warnings a newsroom's software would trip over are both reported.
"""

from __future__ import annotations

import email.utils
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from urllib.parse import urlsplit

ATOM = "http://www.w3.org/2005/Atom"
CONTENT = "http://purl.org/rss/1.0/modules/content/"
MEDIA = "http://search.yahoo.com/mrss/"
DC = "http://purl.org/dc/elements/1.1/"
DCTERMS = "http://purl.org/dc/terms/"

CHANNEL_ELEMENTS = {
    "title", "link", "description", "language", "copyright", "managingEditor", "webMaster", "pubDate",
    "lastBuildDate", "category", "generator", "docs", "cloud", "ttl", "image", "rating", "textInput", "skipHours",
    "skipDays", "item",
}  # fmt: skip
ITEM_ELEMENTS = {
    "title",
    "link",
    "description",
    "author",
    "category",
    "comments",
    "enclosure",
    "guid",
    "pubDate",
    "source",
}
KNOWN_NAMESPACES = {ATOM, CONTENT, MEDIA, DC, DCTERMS}
RFC822 = re.compile(
    r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} "
    r"\d{2}:\d{2}:\d{2} [+-]\d{4}$"
)
W3CDTF = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?([+-]\d{2}:\d{2}|Z)$")
MIME = re.compile(r"^[a-z]+/[a-z0-9.+-]+$")
UNSAFE_TAGS = {"script", "style", "iframe", "object", "embed", "form", "meta", "link", "base", "frame", "applet"}


def _full_url(value: str | None) -> bool:
    if not value:
        return False
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


class _Html(HTMLParser):
    """Collects what the validator flags in embedded HTML: unsafe markup and relative references."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.unsafe: list[str] = []
        self.relative: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in UNSAFE_TAGS:
            self.unsafe.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.unsafe.append(f"{tag}@{name}")
            if name in ("href", "src") and value is not None:
                if value.strip().lower().startswith(("javascript:", "vbscript:", "data:")):
                    self.unsafe.append(f"{tag}@{name}={value}")
                elif not urlsplit(value).scheme and not value.startswith("#"):
                    self.relative.append(value)


def _html_problems(where: str, html: str) -> list[str]:
    parser = _Html()
    parser.feed(html)
    problems = [f"{where}: SecurityRisk {item}" for item in parser.unsafe]
    problems += [f"{where}: ContainsRelRef {ref}" for ref in parser.relative]
    return problems


def _date_problems(where: str, text: str | None) -> list[str]:
    if text is None or not RFC822.match(text):
        return [f"{where}: InvalidRFC2822Date {text!r}"]
    parsed = email.utils.parsedate_to_datetime(text)
    if parsed.strftime("%a") != text[:3]:
        return [f"{where}: IncorrectDOW {text!r}"]
    return []


def rss_problems(document: bytes, location: str) -> list[str]:
    """Every rule the validator would report on this RSS 2.0 document served at `location`."""
    problems: list[str] = []
    if not document.startswith(b"<?xml") or b"encoding='UTF-8'" not in document.split(b"?>")[0].replace(b'"', b"'"):
        problems.append("feed: the XML declaration must name UTF-8")
    root = ET.fromstring(document)
    if root.tag != "rss" or root.get("version") != "2.0":
        return [*problems, f"feed: root is {root.tag} version {root.get('version')}, not rss 2.0"]
    channels = root.findall("channel")
    if len(channels) != 1:
        return [*problems, f"feed: {len(channels)} channel elements"]
    channel = channels[0]

    def one(parent: ET.Element, name: str, where: str, required: bool = True) -> ET.Element | None:
        found = parent.findall(name)
        if not found and required:
            problems.append(f"{where}: MissingElement {name}")
        if len(found) > 1:
            problems.append(f"{where}: DuplicateElement {name}")
        return found[0] if found else None

    for child in channel:
        if not child.tag.startswith("{") and child.tag not in CHANNEL_ELEMENTS:
            problems.append(f"channel: UndefinedElement {child.tag}")
        if child.tag.startswith("{") and child.tag[1:].split("}")[0] not in KNOWN_NAMESPACES:
            problems.append(f"channel: unknown namespace {child.tag}")
    title = one(channel, "title", "channel")
    link = one(channel, "link", "channel")
    one(channel, "description", "channel")
    if link is not None and not _full_url(link.text):
        problems.append(f"channel: InvalidFullLink {link.text!r}")
    language = one(channel, "language", "channel", required=False)
    if language is not None and not re.match(r"^[a-z]{2,3}(-[A-Za-z]{2,8})*$", language.text or ""):
        problems.append(f"channel: InvalidLanguage {language.text!r}")
    for name in ("pubDate", "lastBuildDate"):
        element = one(channel, name, "channel", required=False)
        if element is not None:
            problems += _date_problems(f"channel {name}", element.text)
    docs = one(channel, "docs", "channel", required=False)
    if docs is not None and not _full_url(docs.text):
        problems.append(f"channel: InvalidURL docs {docs.text!r}")
    if channel.find("copyright") is not None and channel.find(f"{{{DC}}}rights") is not None:
        problems.append("channel: DuplicateSemantics copyright and dc:rights")

    selves = [a for a in channel.findall(f"{{{ATOM}}}link") if a.get("rel") == "self"]
    if not selves:
        problems.append("channel: MissingAtomSelfLink")
    if len(selves) > 1:
        problems.append("channel: DuplicateAtomLink self")
    for self_link in selves:
        if self_link.get("href") != location:
            problems.append(f"channel: SelfDoesntMatchLocation {self_link.get('href')!r} != {location!r}")
        if self_link.get("type") != "application/rss+xml":
            problems.append(f"channel: atom:link self type {self_link.get('type')!r}")

    image = one(channel, "image", "channel", required=False)
    if image is not None:
        url, image_title, image_link = (one(image, n, "image") for n in ("url", "title", "link"))
        if url is not None and not _full_url(url.text):
            problems.append(f"image: InvalidURL {url.text!r}")
        if url is not None and not (url.text or "").lower().endswith((".png", ".jpg", ".jpeg", ".gif")):
            problems.append(f"image: not a GIF, JPEG or PNG {url.text!r}")
        if image_title is not None and title is not None and image_title.text != title.text:
            problems.append("image: ImageTitleDoesntMatch")
        if image_link is not None and link is not None and image_link.text != link.text:
            problems.append("image: ImageLinkDoesntMatch")
        for name, limit in (("width", 144), ("height", 400)):
            element = image.find(name)
            if element is not None and (not (element.text or "").isdigit() or int(element.text or 0) > limit):
                problems.append(f"image: Invalid{name.title()} {element.text!r}")

    guids: set[str] = set()
    for index, item in enumerate(channel.findall("item")):
        where = f"item {index + 1}"
        for child in item:
            if not child.tag.startswith("{") and child.tag not in ITEM_ELEMENTS:
                problems.append(f"{where}: UndefinedElement {child.tag}")
            if child.tag.startswith("{") and child.tag[1:].split("}")[0] not in KNOWN_NAMESPACES:
                problems.append(f"{where}: unknown namespace {child.tag}")
        if item.find("title") is None and item.find("description") is None:
            problems.append(f"{where}: ItemMustContainTitleOrDescription")
        for name in ("title", "link", "description", "guid", "pubDate", "enclosure", "comments", "source"):
            if len(item.findall(name)) > 1:
                problems.append(f"{where}: DuplicateElement {name}")
        item_link = item.find("link")
        if item_link is not None and not _full_url(item_link.text):
            problems.append(f"{where}: InvalidFullLink {item_link.text!r}")
        guid = item.find("guid")
        if guid is None:
            problems.append(f"{where}: MissingGuid")
        else:
            permalink = guid.get("isPermaLink", "true")
            if permalink not in ("true", "false"):
                problems.append(f"{where}: InvalidBooleanAttribute isPermaLink={permalink!r}")
            if permalink == "true" and not _full_url(guid.text):
                problems.append(f"{where}: InvalidPermalink {guid.text!r}")
            if guid.text in guids:
                problems.append(f"{where}: DuplicateItem {guid.text!r}")
            guids.add(guid.text or "")
        date = item.find("pubDate")
        if date is not None:
            problems += _date_problems(f"{where} pubDate", date.text)
        modified = item.find(f"{{{DCTERMS}}}modified")
        if modified is not None and not W3CDTF.match(modified.text or ""):
            problems.append(f"{where}: InvalidW3CDTFDate {modified.text!r}")
        description = item.find("description")
        if description is not None:
            problems += _html_problems(f"{where} description", description.text or "")
        for encoded in item.findall(f"{{{CONTENT}}}encoded"):
            problems += _html_problems(f"{where} content:encoded", encoded.text or "")
        for enclosure in item.findall("enclosure"):
            for attribute in ("url", "length", "type"):
                if enclosure.get(attribute) is None:
                    problems.append(f"{where}: MissingAttribute enclosure@{attribute}")
            if not _full_url(enclosure.get("url")):
                problems.append(f"{where}: InvalidURLAttribute enclosure@url {enclosure.get('url')!r}")
            if not (enclosure.get("length") or "").isdigit():
                problems.append(f"{where}: InvalidIntegerAttribute enclosure@length {enclosure.get('length')!r}")
            if not MIME.match(enclosure.get("type") or ""):
                problems.append(f"{where}: InvalidMIMEType enclosure@type {enclosure.get('type')!r}")
        for category in item.findall("category"):
            domain = category.get("domain")
            if domain is not None and not _full_url(domain):
                problems.append(f"{where}: category domain is not a full URL {domain!r}")
            if not (category.text or "").strip():
                problems.append(f"{where}: empty category")
        for media in item.findall(f"{{{MEDIA}}}content") + item.findall(f"{{{MEDIA}}}thumbnail"):
            if not _full_url(media.get("url")):
                problems.append(f"{where}: media url is not a full URL {media.get('url')!r}")
            for attribute in ("fileSize", "width", "height"):
                if media.get(attribute) is not None and not media.get(attribute, "").isdigit():
                    problems.append(f"{where}: media {attribute} is not an integer")
            if media.get("medium") not in (None, "image", "audio", "video", "document", "executable"):
                problems.append(f"{where}: media medium {media.get('medium')!r}")
    return problems
