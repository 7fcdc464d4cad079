"""A word in most stories is packed into bits (its documents as a bitmap, its weights as places in a palette): a
reader on a phone sees the same count and the same results, in the same order, as from one byte a weight.

A module of its own: the browser of test_search_browser.py is open for the whole of that module.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from build_tools.build import build_site

from .browser import StaticServer, browser, require_browser  # noqa: F401 (the fixture)
from .conftest import SiteFixture
from .test_search_browser import search

PACKED_WORDS = ("hiến", "máu", "tình", "nguyện", "đỏ", "giọt", "hồng", "sẻ", "chia")


def _common_word_site(root: object) -> SiteFixture:
    """Thirty stories that all speak of blood donation, each as often and at a length of its own: the words' posting
    lists are long enough to be packed (documents as a bitmap, weights as a palette of a few bits)."""
    site = SiteFixture(root)  # type: ignore[arg-type]
    for number in range(30):
        told = " ".join(["Anh hiến máu tình nguyện."] * (1 + number % 4))
        filler = " ".join(PACKED_WORDS[(number + k) % len(PACKED_WORDS)] for k in range(number % 7 * 5))
        site.profile(
            f"nguoi-hien-mau-{number}",
            name=f"Người hiến máu số {number}",
            summary="Giọt máu đào sẻ chia." if number % 5 else "Hiến máu tình nguyện nhiều năm.",
            body=f"{told} {filler}",
            published=f"2024-{1 + number % 12:02d}-{1 + number:02d}",
        )
    return site


def _results_in_a_browser(
    browser: Any,  # noqa: F811
    site_dir: Path,
    queries: tuple[str, ...],
    more: bool = False,
) -> tuple[list[tuple[str, list[str]]], list[int]]:
    """(count line, titles of the results) per query, from a fresh phone (a browser context of its own) on the
    served site, with every page of results when `more` (the reader taps "more" until the list ends); and per query
    how many second pieces of shards (`search/w/`, the weights long lists leave out) its first page fetched."""
    server = StaticServer(site_dir)
    answers, second_pieces = [], []
    try:
        for query in queries:  # a fresh context each (its own cache): nothing fetched for one query helps the next
            context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
            page = context.new_page()
            errors: list[str] = []
            fetched: list[str] = []
            page.on("pageerror", lambda error, errors=errors: errors.append(str(error)))
            page.on("request", lambda request, fetched=fetched: fetched.append(request.url))
            page.goto(server.url("guong/nguoi-hien-mau-0/"))
            titles = search(page, query)
            second_pieces.append(sum("/search/w/" in url for url in fetched))
            while more and page.is_visible(".ex-search__more"):
                page.click(".ex-search__more")
                page.wait_for_function(f"() => document.querySelectorAll('.ex-result').length > {len(titles)}")
                titles = page.locator(".ex-result__title").all_inner_texts()
            answers.append((page.inner_text(".md-search-result__meta"), titles))
            assert errors == []
            context.close()
    finally:
        server.stop()
    return answers, second_pieces


def _own_pieces(site: Path, folder: str) -> set[str]:
    """The pieces of `search/<folder>/` that hold one common term (`12-0`), not a shard (`12`)."""
    return {name for path in site.glob(f"search/{folder}/*.bin") if "-" in (name := path.name.split(".")[0])}


@pytest.fixture(scope="module")
def packed_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site as every build makes it: its lists are packed, none long enough for tiers."""
    require_browser()
    return build_site(_common_word_site(tmp_path_factory.mktemp("packed") / "repo").project)


def test_common_words_packed_into_bits_find_and_rank_as_one_byte_a_weight(
    tmp_path_factory: pytest.TempPathFactory,
    packed_site: Path,
    browser: Any,  # noqa: F811
) -> None:
    """A word in most stories has its documents stored as a bitmap and its weights as places in a palette: a
    reader sees the same count and the same results in the same order as from the plain layout."""
    from build_tools.site import search as index

    queries = ("hien mau", "Hiến máu tình nguyện", "giọt máu", "sẻ chia")
    assert not list(packed_site.glob("search/w/*.bin"))
    shard_bytes = sum(p.stat().st_size for p in packed_site.glob("search/s/*.bin"))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(index, "LAYOUT_MIN_POSTINGS", 1 << 30)  # every list in the plain layout
        plain_site = build_site(_common_word_site(tmp_path_factory.mktemp("plain") / "repo").project)
    assert sum(p.stat().st_size for p in plain_site.glob("search/s/*.bin")) > shard_bytes
    packed, plain = (
        _results_in_a_browser(browser, packed_site, queries)[0],
        _results_in_a_browser(browser, plain_site, queries)[0],
    )
    assert packed == plain
    count, titles = packed[0]
    assert int(count.split()[0]) >= 30 and len(titles) == 10  # the thirty stories, and any page on the subject


def test_long_lists_fetch_their_lesser_weights_only_when_the_first_page_needs_them(
    tmp_path_factory: pytest.TempPathFactory,
    packed_site: Path,
    browser: Any,  # noqa: F811
) -> None:
    """A word in tens of thousands of stories keeps in its shard the weights of its best postings only, a pair of
    words its best postings only, and either is a piece of its own, away from the other words of its shard; the
    rest comes from a second piece, fetched when the first ten results cannot be told without it or when the reader
    asks for more. Either way the reader sees the same count and the same results, in the same order, page after
    page, as from whole lists in shared shards."""
    from build_tools.site import search as index

    queries = ("máu", "hien mau", "Hiến máu tình nguyện", "giọt máu", "sẻ chia")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(index, "TIER_MIN_POSTINGS", 16)  # thirty stories stand for tens of thousands
        patch.setattr(index, "PAIR_TIER_MIN_POSTINGS", 16)
        patch.setattr(index, "TIER_SHARE", 2)
        patch.setattr(index, "OWN_PIECE_BYTES", 24)
        tiered_site = build_site(_common_word_site(tmp_path_factory.mktemp("tiered") / "repo").project)
    assert list(tiered_site.glob("search/w/*.bin"))
    own = _own_pieces(tiered_site, "s")
    assert own and not _own_pieces(packed_site, "s") and _own_pieces(tiered_site, "w") <= own
    tiered, second_pieces = _results_in_a_browser(browser, tiered_site, queries, more=True)
    whole, none = _results_in_a_browser(browser, packed_site, queries, more=True)
    assert tiered == whole and not any(none)
    count, titles = tiered[0]
    assert int(count.split()[0]) == len(titles) > 10  # every page of "máu", tapped through to its end
    # One word: its ten best postings are all in the best tier, and nothing outside it can reach them.
    assert second_pieces[0] == 0
