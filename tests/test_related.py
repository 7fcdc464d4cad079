"""A reader at the foot of a story finds other exemplars of the same field or province, the closest first."""

from __future__ import annotations

import re

from build_tools.build import build_site

from .conftest import SiteFixture


def _related_names(page: str) -> list[str]:
    """The names on the related stories' cards, in the order the reader sees them."""
    section = page.split('<h2 id="guong-dien-hinh-lien-quan"', 1)[1]
    return re.findall(r"<h3[^>]*>\s*<a[^>]*>([^<]+)</a>", section)


def test_each_story_shows_its_own_related_stories_same_field_first_then_same_province(site: SiteFixture) -> None:
    """Each story's page is made in turn by one process, which asks for its related stories twice (for the page
    and for the key it is kept under): each page shows its own."""
    layout = {
        "giao-vien-nam-dinh": (["day-tot-hoc-tot"], "nam-dinh", "2024-05-01"),
        "giao-vien-ha-noi": (["day-tot-hoc-tot"], "ha-noi", "2024-04-01"),
        "bac-si-nam-dinh": (["y-te"], "nam-dinh", "2024-03-01"),
        "bac-si-ha-noi": (["y-te"], "ha-noi", "2024-02-01"),
        "nong-dan-lang-son": (["nong-thon-moi"], "lang-son", "2024-01-01"),
    }
    names = {slug: slug.replace("-", " ").title() for slug in layout}
    for slug, (fields, province, published) in layout.items():
        site.profile(slug, name=names[slug], fields=fields, province=province, published=published)
    build_site(site.project, workers=1)

    def related(slug: str) -> list[str]:
        return _related_names(site.built(f"guong/{slug}/index.html"))

    # A shared field weighs more than a shared province; the newer first among equals; no story shows itself.
    assert related("giao-vien-nam-dinh") == [names["giao-vien-ha-noi"], names["bac-si-nam-dinh"]]
    assert related("giao-vien-ha-noi") == [names["giao-vien-nam-dinh"], names["bac-si-ha-noi"]]
    assert related("bac-si-nam-dinh") == [names["bac-si-ha-noi"], names["giao-vien-nam-dinh"]]
    assert related("bac-si-ha-noi") == [names["bac-si-nam-dinh"], names["giao-vien-ha-noi"]]
    assert '<h2 id="guong-dien-hinh-lien-quan"' not in site.built("guong/nong-dan-lang-son/index.html")
