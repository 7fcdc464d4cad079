"""One story, everything it yields: its page, its search document, its open-data record and its feed item.

`make_story` is the only place a story is assembled: `exemplars build` runs it in each worker process,
`exemplars serve` for an edited profile, and the tests through either. What spans the collection (lists, search
index, feeds, data) is made from its products afterwards (`site.collection`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ..content.catalogue import Catalogue
from ..content.config import Settings
from ..content.load import read_story
from ..content.model import Exemplar
from ..content.richtext import absolute_html, cached_story, render_story
from .feeds import FeedItem, build_item, fed_slugs
from .opendata import Record, RowContext, exemplar_record
from .pages import RenderInputs, page_context, render_story_pages
from .photos import PhotoSet, Variant
from .search import SearchDocument, story_document


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

    @property
    def inputs(self) -> RenderInputs:
        """The same, as the page templates take it."""
        images = self.images
        return RenderInputs(self.catalogue, self.settings, {}, images.photos, self.drafts, cards=images.cards)

    def with_catalogue(self, catalogue: Catalogue, images: Images) -> StoryContext:
        """This context for a catalogue changed by one edited profile (`serve`): lists and progress, which the
        collection's files show, are left as they were (the full regeneration that follows remakes them)."""
        common = {**self.common, "cat": catalogue, "photos": images.photos}
        return dataclasses.replace(self, catalogue=catalogue, images=images, common=common)


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
    return StoryContext(catalogue, settings, images, drafts, page_context(inputs), fed, story_cache, root)


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
