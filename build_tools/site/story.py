"""One story, everything it yields: its page, its search document, its open-data record and its feed item.

`make_story` is the only place a story is assembled: `exemplars build` runs it in each worker process,
`exemplars serve` for an edited profile, and the tests through either. What spans the collection (lists, search
index, feeds, data) is made from its products afterwards (`site.collection`).

`kept_story` keeps each story's products between builds (`.cache/products/`), under the hash of everything
`make_story` reads (`story_key`): a build in which a story and the stories it links to did not change takes its
products from there rather than rendering it again.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import os
import pickle
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..content.catalogue import Catalogue
from ..content.config import Settings
from ..content.load import read_story
from ..content.model import Exemplar
from ..content.richtext import absolute_html, cached_story, render_story
from ..engine.atomic import replace_file
from ..engine.codestamp import code_stamp
from .feeds import FeedItem, build_item, fed_slugs
from .opendata import Record, RowContext, exemplar_record
from .pages import RenderInputs, page_context, render_story_pages
from .photos import PhotoSet, Variant
from .search_documents import SearchDocument, story_document
from .social import field_card_path


@dataclass(frozen=True)
class Images:
    """What the photos stage made for the stories: each photo's variants, each search thumbnail's URL (by slug), and
    the field cards that stories without a photo share, by site path (`social.field_card_path`)."""

    photos: Mapping[str, PhotoSet]
    thumbnails: Mapping[str, str]
    cards: Mapping[str, Variant]


@dataclass(frozen=True)
class StoryContext:
    """What every story of one build shares: computed once, then read by every story (inherited by forked workers,
    never pickled)."""

    catalogue: Catalogue
    settings: Settings
    images: Images
    drafts: bool
    """Drafts are shown (`serve`): their pages say so; feeds and data never carry them either way."""
    common: Mapping[str, object]
    """What every page template sees (`pages.page_context`)."""
    fed: frozenset[str]
    """Stories some feed carries (`feeds.fed_slugs`): only their feed items are made."""
    story_cache: Path | None
    """Where rendered story HTML is kept between builds (`richtext.cached_story`); None: rendered every time."""
    root: Path | None = None
    """The repository, where each story not held by the catalogue is read from its profile (`load.read_story`)."""
    stamp: bytes = b""
    """What every story's products depend on besides its own profile and the stories it links to (`story_key`)."""
    digests: dict[str, bytes] = dataclasses.field(default_factory=dict, compare=False)
    """Each profile's digest for `story_key`, by slug, as this process made them."""

    @property
    def inputs(self) -> RenderInputs:
        """The same, as the page templates take it."""
        images = self.images
        return RenderInputs(self.catalogue, self.settings, {}, images.photos, self.drafts, cards=images.cards)

    def with_catalogue(self, catalogue: Catalogue, images: Images) -> StoryContext:
        """This context for a catalogue changed by one edited profile (`serve`): lists and progress, which the
        collection's files show, are left as they were (the full regeneration that follows remakes them)."""
        common = {**self.common, "cat": catalogue, "photos": images.photos}
        stamp = _context_stamp(catalogue, self.settings, self.drafts)
        return dataclasses.replace(self, catalogue=catalogue, images=images, common=common, stamp=stamp, digests={})


def story_context(
    catalogue: Catalogue,
    settings: Settings,
    images: Images,
    drafts: bool,
    story_cache: Path | None,
    root: Path | None = None,
) -> StoryContext:
    inputs = RenderInputs(catalogue, settings, {}, images.photos, drafts, cards=images.cards)
    fed = frozenset(fed_slugs(catalogue, settings))
    stamp = _context_stamp(catalogue, settings, drafts)
    return StoryContext(catalogue, settings, images, drafts, page_context(inputs), fed, story_cache, root, stamp)


def _context_stamp(catalogue: Catalogue, settings: Settings, drafts: bool) -> bytes:
    """The code that makes a story (this module's imports, the templates, the libraries: `engine.codestamp`), the
    settings, and the vocabulary a story names (fields, provinces, plans). The rest of what a story reads is in its
    own key (`story_key`): the profile as parsed (so the parser's code, outside this closure, reaches the key through
    its product), the story's bytes, its images."""
    digest = hashlib.blake2b(_code_stamp(), digest_size=20)
    vocabulary = (settings, drafts, catalogue.fields, catalogue.provinces, catalogue.plans)
    digest.update(repr(vocabulary).encode("utf-8", errors="surrogatepass"))
    return digest.digest()


@functools.cache
def _code_stamp() -> bytes:
    return code_stamp(__name__)


def story_key(exemplar: Exemplar, context: StoryContext) -> str:
    """What `make_story(exemplar, context)` depends on, hashed: the context's stamp; the profile, its photo or card,
    whether a feed carries it; and each related story it shows as a card, with that story's photo.

    Everything else of the collection (lists, counts, other stories) is out of a story's reach: its page, search
    document, record and item are made from these alone (a template or function of `make_story` that came to read
    more of the catalogue must add it here; tests/test_edited_build.py builds an edited site against a fresh one)."""
    digest = hashlib.blake2b(context.stamp, digest_size=20)
    digest.update(b"fed" if exemplar.slug in context.fed else b"not fed")
    digest.update(profile_digest(exemplar, context))
    for other in context.catalogue.related(exemplar):
        digest.update(profile_digest(other, context))
    return digest.hexdigest()


def profile_digest(exemplar: Exemplar, context: StoryContext) -> bytes:
    """A profile as a story or a card shows it, with its images; each made once per process (a story's key reads
    it and four others': `repr` of them all was a quarter of a build whose stories were kept). Not `check`'s stamp
    of the profile's folder: that holds each file's modification time, which a fresh checkout (CI) sets anew, and
    every story would be made again there. Nor the repository's folder: the profile names its files relative to it,
    and it is taken out of the images' kept files (`Variant.cached`, in `.cache/`, each named by the digest of the
    photo's bytes and of the encoder's settings), so a repository moved or cloned elsewhere with its `.cache/` keeps
    every story. Out of the images' `repr` alone, which holds no text of the profile's; rebuilding each image with a
    relative path instead took longer than its `repr` (0.15 ms a photo)."""
    found = context.digests.get(exemplar.slug)
    if found is None:
        images, slug = context.images, exemplar.slug
        card = images.cards.get(field_card_path(exemplar))  # by site path: the card it shares without a photo
        shown = repr((images.photos.get(slug), images.thumbnails.get(slug), card))
        if context.root is not None:
            shown = shown.replace(f"{context.root}{os.sep}", "")
        digest = hashlib.blake2b(repr(exemplar).encode("utf-8", errors="surrogatepass"), digest_size=20)
        digest.update(b"\0" + shown.encode("utf-8", errors="surrogatepass"))
        if exemplar.body_markdown is None and context.root is not None:  # the story: the catalogue holds none
            # As `check` read it when it did (a quarter of a build's story stage was reading every profile again).
            read = context.catalogue.source_digests.get(slug)
            digest.update(read if read is not None else (context.root / exemplar.source_path).read_bytes())
        found = digest.digest()
        context.digests[slug] = found
    return found


@dataclass(frozen=True)
class KeptStory:
    """A story's products as kept between builds (`.cache/products/`): its page a file, to be linked into the
    generated folder (a page linked by the last build is then neither read nor written again); what every build's
    story stage needs in `<key>.head` (the page's path, the search document's key) with what every build's open data
    needs (the open-data record); what only a changed story's feeds or search entry need in `<key>.tail` (feed item,
    search document), each pickled on its own as `make_story` made it. Nothing but this summary travels on from the
    story's worker: the open data reads each record from the head (`kept_record`), the search index and the feeds a
    document or an item from the tail when they need it (`kept_document`, `kept_item`): after one edit, one document
    and no item. Split so that a build reads half the bytes: at 100,000 stories the kept products (1.1 GB) no longer
    stayed in the page cache, and reading them whole was half the edited build's story stage."""

    page_path: str
    page: Path
    document_key: bytes
    """The digest of its search document's pickle: what the kept search index knows it by (`build_search_index`)."""


def kept_story(exemplar: Exemplar, context: StoryContext, folder: Path) -> tuple[KeptStory, str]:
    """`make_story`, or its products as a build made them from the same `story_key` (with that key): the page in
    `<key>.md`, the rest in `<key>.head` and `<key>.tail` (so trusted as the checkout is, like the other caches). The
    head is read; the page and the tail only looked at (a tail not of the size the head says: made again)."""
    key = story_key(exemplar, context)
    stem = _kept_stem(folder, key)
    try:
        page_path, document_key, _, tail_size = _read_kept(f"{stem}.head")
        if os.stat(f"{stem}.tail").st_size == tail_size and os.path.isfile(f"{stem}.md"):
            return KeptStory(page_path, Path(f"{stem}.md"), document_key), key
    except Exception:  # none yet, unreadable, or of an older layout (each written whole and renamed; a disk may fail)
        pass
    return keep_products(make_story(exemplar, context), folder, key), key


def keep_products(products: StoryProducts, folder: Path, key: str) -> KeptStory:
    """A story's products kept under `key`: the page in `<key>.md`, item and document in `<key>.tail`, then what
    the story stage reads in `<key>.head`, last, so that a head is only found beside the files it names."""
    record, item, document = (
        pickle.dumps(part, pickle.HIGHEST_PROTOCOL)
        for part in (products.record, products.feed_item, products.search_document)
    )
    document_key = hashlib.blake2b(document, digest_size=16).digest()
    tail = pickle.dumps((item, document), pickle.HIGHEST_PROTOCOL)
    head = pickle.dumps((products.page_path, document_key, record, len(tail)), pickle.HIGHEST_PROTOCOL)
    stem = _kept_stem(folder, key)
    page = Path(f"{stem}.md")
    page.parent.mkdir(parents=True, exist_ok=True)
    replace_file(page, products.page.encode("utf-8"))
    replace_file(Path(f"{stem}.tail"), tail)
    replace_file(Path(f"{stem}.head"), head)
    return KeptStory(products.page_path, page, document_key)


KEPT_SUFFIXES = (".md", ".head", ".tail")
"""The files a story's products are kept in, each `<key><suffix>` (`keep_products`)."""


def _kept_stem(folder: Path, key: str) -> str:
    """Where a story's products are kept, without the suffix: strings, since every build asks for every story's
    (`Path`s cost more than the reads)."""
    return f"{folder}/{key[:2]}/{key}"


def _read_kept(path: str) -> Any:
    """One kept file unpickled. Read without Python's file objects: a build whose stories were kept reads one head
    per story."""
    descriptor = os.open(path, os.O_RDONLY)
    try:
        data = b""
        while more := os.read(descriptor, _KEPT_READ):
            data += more
    finally:
        os.close(descriptor)
    return pickle.loads(data)


_KEPT_READ = 1 << 16
"""Bytes asked for at once: a story's head is about 5 kB, its tail about 6 kB at the synthetic corpus's 10,000."""


def kept_record(folder: Path, key: str) -> Record | None:
    """The open-data record of the story kept under `key` (`kept_story`), from its head; None for a draft."""
    record: Record | None = pickle.loads(_read_kept(f"{_kept_stem(folder, key)}.head")[2])
    return record


def kept_document(folder: Path, key: str) -> SearchDocument:
    """The search document of the story kept under `key` (`kept_story`)."""
    document: SearchDocument = pickle.loads(_read_kept(f"{_kept_stem(folder, key)}.tail")[1])
    return document


def kept_item(folder: Path, key: str) -> FeedItem:
    """The feed item of the story kept under `key`, one some feed carries (`StoryContext.fed`)."""
    item: FeedItem | None = pickle.loads(_read_kept(f"{_kept_stem(folder, key)}.tail")[0])
    if item is None:
        raise ValueError(f"the story kept under {key} has no feed item")
    return item


def forget_stories_but(folder: Path, keys: Collection[str]) -> None:
    """Remove the products of stories this build no longer made (an edited or deleted story's old ones), and any
    file not of the current layout (`KEPT_SUFFIXES`: an older build's `<key>.pickle`)."""
    if not folder.is_dir():
        return
    keep = {f"{key}{suffix}" for key in keys for suffix in KEPT_SUFFIXES}
    for group in os.scandir(folder):
        if group.is_dir():
            for entry in os.scandir(group.path):
                if entry.name not in keep:
                    os.unlink(entry.path)


@dataclass(frozen=True)
class StoryProducts:
    """Everything one story yields."""

    page_path: str
    """Path of the story page under the generated folder (`guong/<slug>/index.md`)."""
    page: str
    search_document: SearchDocument
    record: Record | None
    """Its line of the open data; None for a draft (the data never carries one)."""
    feed_item: FeedItem | None
    """None when no feed carries the story (a draft, or older than every feed's newest items)."""
    absolute_html: str
    """The story with every link and image absolute, as feeds and data carry it."""


def make_story(exemplar: Exemplar, context: StoryContext) -> StoryProducts:
    """Markdown → safe HTML once, then the page, the search document, the absolute copy, the record and the item."""
    cat, settings, images = context.catalogue, context.settings, context.images
    markdown = exemplar.body_markdown
    if markdown is None:
        if context.root is None:
            raise ValueError(f"{exemplar.source_path}: no story held, and no repository to read it from")
        markdown = read_story(context.root / exemplar.source_path, exemplar.source_path)
    html = render_story(markdown) if context.story_cache is None else cached_story(markdown, context.story_cache)
    inputs = dataclasses.replace(context.inputs, story_html={exemplar.slug: html})
    [(path, page)] = render_story_pages(inputs, [exemplar], context.common).items()
    absolute = absolute_story(exemplar, html, settings)
    record = (
        None
        if exemplar.draft
        else exemplar_record(exemplar, RowContext(cat, settings, {exemplar.slug: absolute}, images.photos))
    )
    item = build_item(exemplar, cat, settings, absolute, images.photos) if exemplar.slug in context.fed else None
    document = story_document(cat, exemplar, html, images.thumbnails.get(exemplar.slug))
    return StoryProducts(path, page, document, record, item, absolute)


def absolute_story(exemplar: Exemplar, html: str, settings: Settings) -> str:
    """The story as feeds and open data carry it: every link and image absolute (a newsroom's copy must work)."""
    return absolute_html(html, settings.site_url + exemplar.url).strip()
