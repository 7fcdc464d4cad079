"""A contributor corrects one word of one story: the next build changes only the search pieces that hold that story's
words (plus the manifest), and a reader's browser, even one holding the old index in its cache, finds the new word
and no longer the old one. (A deploy then sends those few pieces, not the whole index: `tests/test_deploy.py`.)
"""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from build_tools.build import build_site
from build_tools.content.config import load_project
from build_tools.engine.deploy import headers_for
from build_tools.generate import generate
from build_tools.site import search as search_module
from build_tools.site.search import fnv1a
from build_tools.site.search_documents import tokens

from .browser import browser, require_browser  # noqa: F401 (the fixture)
from .conftest import SiteFixture
from .test_search import BuiltIndex, read_shard
from .test_search_browser import search

OLD_WORD, NEW_WORD = "Quýtcam", "Mậnhồng"
"""The word corrected: of the same length, as a typo's fix is, so the story's length is unchanged too."""
STORY = "Chị Loan nuôi gà trên đồi, trồng {word} quanh nhà và dạy các cháu trong xóm đọc sách mỗi tối."
EDITED = "guong/tran-thi-loan-son-la/"


def _site(root: Path) -> SiteFixture:
    site = SiteFixture(root)
    site.profile(
        "nguyen-thi-huong-nam-dinh",
        body="Cô là tấm gương người tốt, việc tốt được cả phường quý mến. Cô dạy Toán hai mươi năm.",
    )
    site.profile(
        "tran-van-huong-ha-noi",
        name="Trần Văn Hưởng",
        fields=["chuyen-doi-so"],
        province="ha-noi",
        summary="Cán bộ một cửa đưa thủ tục lên mạng.",
        body="Anh đưa hơn một trăm thủ tục hành chính lên cổng dịch vụ công, người dân không phải đi lại.",
        published="2024-01-15",
    )
    site.profile(
        "tram-y-te-ea-tieu",
        name="Trạm Y tế xã Ea Tiêu",
        kind="tap-the",
        consent=None,
        fields=["y-te"],
        province="dak-lak",
        summary="Trạm y tế điển hình tiên tiến của tỉnh Đắk Lắk.",
        body="Các y sĩ đi từng buôn tiêm chủng cho trẻ em, kể cả mùa mưa lũ.",
        published="2024-03-01",
    )
    _loan(site, OLD_WORD)
    return site


def _loan(site: SiteFixture, word: str) -> None:
    site.profile(
        "tran-thi-loan-son-la",
        name="Trần Thị Loan",
        fields=["nong-dan-san-xuat-gioi"],
        province="son-la",
        summary="Nông dân sản xuất giỏi ở vùng cao.",
        body=STORY.format(word=word),
        published="2023-09-09",
    )


def _search_files(site_dir: Path) -> dict[str, bytes]:
    return {
        path.relative_to(site_dir).as_posix(): path.read_bytes()
        for path in sorted((site_dir / "search").rglob("*"))
        if path.is_file()
    }


class _Deployed(http.server.SimpleHTTPRequestHandler):
    """The site as a host configured by `exemplars deploy` serves it: each file with its deploy cache header."""

    requests: list[str]

    def end_headers(self) -> None:
        path = self.path.split("?", 1)[0].lstrip("/")
        if path and not path.endswith("/"):
            self.send_header("Cache-Control", headers_for(path).cache_control)
        super().end_headers()

    def log_message(self, format: str, *args: object) -> None:
        self.requests.append(self.path.split("?", 1)[0].lstrip("/"))


@pytest.fixture(scope="module")
def edited(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[SiteFixture, Path, dict, dict]]:
    site = _site(tmp_path_factory.mktemp("edit") / "repo")
    site_dir = build_site(site.project)
    before = _search_files(site_dir)
    _loan(site, NEW_WORD)
    assert build_site(site.project) == site_dir
    yield site, site_dir, before, _search_files(site_dir)


def _pieces(files: dict[str, bytes]) -> dict[str, str]:
    """Piece (`search/s/3`) → its file's path, for every piece of one build."""
    return {path.rsplit(".", 2)[0]: path for path in files if path != "search/index.json"}


def _holding(files: dict[str, bytes], path: str, doc: int) -> set[str]:
    """The terms of a shard whose postings name document `doc`."""
    version = path.rsplit(".", 2)[1]
    return {
        term
        for term, variants in read_shard(files[path], version).items()
        if any(doc in postings for postings in variants.values())
    }


def _without(variants: dict[str, dict[int, int]], doc: int) -> dict[str, dict[int, int]]:
    """A term's postings (written form → {document: weight}) with document `doc` left out."""
    kept = {form: {d: w for d, w in postings.items() if d != doc} for form, postings in variants.items()}
    return {form: postings for form, postings in kept.items() if postings}


def test_one_corrected_word_changes_only_the_pieces_holding_the_story(
    edited: tuple[SiteFixture, Path, dict, dict],
) -> None:
    _, site_dir, before, after = edited
    index = BuiltIndex(site_dir)
    doc = index.number_of(EDITED)
    old, new = _pieces(before), _pieces(after)
    assert old.keys() == new.keys()  # the same pieces: shards, result groups, completions, filters
    changed = {piece for piece in new if old[piece] != new[piece]}
    assert before["search/index.json"] != after["search/index.json"]
    # Named by their content: a piece that kept its name kept its bytes.
    assert all(before[old[piece]] == after[new[piece]] for piece in new.keys() - changed)

    shards = {piece for piece in changed if piece.startswith("search/s/")}
    for piece in shards:  # a changed shard holds the story's words, before the correction or after it
        assert _holding(before, old[piece], doc) | _holding(after, new[piece], doc), piece
    old_key, new_key = (fnv1a(tokens(word)[0][0]) % index.manifest["k"] for word in (OLD_WORD, NEW_WORD))
    assert {f"search/s/{old_key}", f"search/s/{new_key}"} <= shards
    # No other story's weights moved: every term's postings outside the story are the same in both builds.
    for piece in shards:
        old_terms = read_shard(before[old[piece]], old[piece].rsplit(".", 2)[1])
        new_terms = read_shard(after[new[piece]], new[piece].rsplit(".", 2)[1])
        for term in old_terms.keys() | new_terms.keys():
            assert _without(old_terms.get(term, {}), doc) == _without(new_terms.get(term, {}), doc), term
    unchanged_shards = sum(1 for piece in new if piece.startswith("search/s/")) - len(shards)
    assert unchanged_shards > len(shards)  # most of the index is untouched, even on a site of four stories

    # Besides shards: the tables of the changed shards' hashes, the result group that shows the story, the table of
    # its hash, and the completions of the two words; no filter.
    group = doc // index.manifest["g"]
    rest = changed - shards
    assert f"search/d/{group}" in rest
    completions = {f"search/t/{tokens(word)[0][0][:2]}" for word in (OLD_WORD, NEW_WORD)}
    shard_tables = {f"search/h/{int(piece.rsplit('/', 1)[1]) // index.manifest['j']}" for piece in shards}
    assert rest == {f"search/d/{group}", f"search/i/{group // index.manifest['i']}"} | completions | shard_tables
    assert NEW_WORD in index.fragment(doc)["b"] and OLD_WORD not in index.fragment(doc)["b"]


@pytest.fixture(scope="module")
def reader(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[SiteFixture, list[str], str]]:
    require_browser()
    site = _site(tmp_path_factory.mktemp("edit-browser") / "repo")
    site_dir = build_site(site.project)
    requests: list[str] = []
    handler = functools.partial(type("Handler", (_Deployed,), {"requests": requests}), directory=str(site_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield site, requests, f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        thread.join()


def test_a_reader_finds_the_corrected_word_even_with_the_old_index_cached(
    reader: tuple[SiteFixture, list[str], str],
    browser: Any,  # noqa: F811
) -> None:
    site, requests, base = reader
    errors: list[str] = []
    contexts, pages = [], []
    for _ in ("kept open", "coming back"):  # two readers, each with a browser cache of their own
        context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(base + "guong/tran-van-huong-ha-noi/")
        assert search(page, OLD_WORD) == ["Trần Thị Loan"]
        contexts.append(context)
        pages.append(page)
    old_files = set(_search_files(site.root / "site"))

    _loan(site, NEW_WORD)  # corrected and rebuilt (deployed) while the readers hold the old index
    build_site(site.project)
    new_files = set(_search_files(site.root / "site"))

    # The first reader's page is still open, with the old manifest: the pieces it names for the new word are
    # gone, so it fetches the manifest again and finds the corrected story.
    open_page = pages[0]
    assert search(open_page, NEW_WORD) == ["Trần Thị Loan"]
    assert search(open_page, OLD_WORD) == []
    assert "Không tìm thấy" in open_page.inner_text(".md-search-result__meta")

    # The second comes back the next day, with yesterday's pieces in the browser cache: the manifest is asked
    # for again; the pieces it names that were cached are used as they are (named by their content, they cannot
    # be stale), and only the changed ones are fetched.
    requests.clear()
    returning = contexts[1].new_page()
    returning.on("pageerror", lambda error: errors.append(str(error)))
    returning.goto(base + "guong/nguyen-thi-huong-nam-dinh/")
    assert search(returning, NEW_WORD) == ["Trần Thị Loan"]
    assert search(returning, OLD_WORD) == []
    fetched = {path for path in requests if path.startswith("search/")}
    assert "search/index.json" in fetched
    assert fetched - {"search/index.json"} <= new_files - old_files
    assert fetched - {"search/index.json"}, "the corrected story's pieces come from the server"
    assert errors == []
    for context in contexts:
        context.close()


STORIES = (
    "Anh {name} dạy nghề mộc cho thanh niên trong xã, mở lớp học tình thương cho trẻ em khó khăn.",
    "Chị {name} hiến máu tình nguyện hai mươi lần, vận động cả khu phố cùng tham gia.",
    "Tổ hợp tác của {name} trồng rau theo VietGAP, giúp bà con thoát nghèo bền vững.",
    "Ông {name} giữ rừng đầu nguồn ba mươi năm, dạy con cháu yêu cây, yêu đất.",
)


def _grown(site: SiteFixture, number: int, word: str = "") -> None:
    """Story `number` of a site whose common words are in every story (long lists, packed and tiered below)."""
    name = f"Nguyễn Văn {chr(ord('A') + number)}"
    site.profile(
        f"guong-{number}",
        name=name,
        fields=["day-tot-hoc-tot"] if number % 2 else ["y-te", "giam-ngheo"],
        province=["nam-dinh", "ha-noi", "dak-lak"][number % 3],
        summary=f"Gương điển hình tiên tiến số {number}.",
        body=" ".join(STORIES[(number + k) % len(STORIES)].format(name=name) for k in range(3)) + f" {word}".rstrip(),
        published=f"2024-0{1 + number % 9}-{10 + number:02d}",
    )


def _generated_search(site: SiteFixture) -> dict[str, bytes]:
    return _search_files(site.project.generated_dir)


def _fresh_search(site: SiteFixture, folder: Path) -> dict[str, bytes]:
    """The index a build of the same repository makes from nothing (no `.cache/`)."""
    shutil.copytree(site.root, folder, ignore=shutil.ignore_patterns(".cache", ".generated", "site"))
    generate(load_project(folder), workers=1)
    return _search_files(load_project(folder).generated_dir)


def test_the_index_kept_between_builds_is_the_index_a_fresh_build_makes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each change an officer makes (a word corrected, a name corrected, a story added, removed or renamed): the
    build that follows with the last build's index kept publishes the same search files, byte for byte, as a build
    from nothing, and reads again only the stories changed or added (the kept index is brought up to date)."""
    # Short lists packed, long ones in tiers, as the common words of a large collection are.
    monkeypatch.setattr(search_module, "LAYOUT_MIN_POSTINGS", 2)
    monkeypatch.setattr(search_module, "TIER_MIN_POSTINGS", 6)
    monkeypatch.setattr(search_module, "TIER_SHARE", 3)
    fresh_builds: list[int] = []
    fresh_state = search_module._fresh_state
    monkeypatch.setattr(search_module, "_fresh_state", lambda *args: fresh_builds.append(1) or fresh_state(*args))

    site = SiteFixture(tmp_path / "repo")
    for number in range(12):
        _grown(site, number)
    generate(site.project, workers=1)
    assert len(fresh_builds) == 1
    kept = site.project.cache_dir / "search"
    assert (kept / "index.pickle").is_file()

    def changed(label: str, *, brought_up_to_date: bool) -> None:
        builds = len(fresh_builds)
        generate(site.project, workers=1)
        assert (len(fresh_builds) == builds) is brought_up_to_date, label
        assert _generated_search(site) == _fresh_search(site, tmp_path / label), label

    _grown(site, 5, word="Mậnhồng")
    changed("word", brought_up_to_date=True)
    assert b"M\xe1\xba\xadnh\xe1\xbb\x93ng" in b"".join(_generated_search(site).values())
    profile = site.root / "exemplars" / "guong-7" / "index.md"
    profile.write_text(profile.read_text(encoding="utf-8").replace("Nguyễn Văn H", "Trần Thị Hạnh"), "utf-8")
    changed("name", brought_up_to_date=True)
    (site.root / "exemplars" / "guong-7").rename(site.root / "exemplars" / "guong-bay")
    changed("renamed", brought_up_to_date=True)
    _grown(site, 5)  # the word taken out again: its postings, its completion gone
    changed("word-removed", brought_up_to_date=True)
    _grown(site, 12)
    changed("added", brought_up_to_date=True)  # the documents after it renumbered, every term encoded again
    shutil.rmtree(site.root / "exemplars" / "guong-3")
    changed("removed", brought_up_to_date=True)
    _grown(site, 13, word="Mậnhồng")
    shutil.rmtree(site.root / "exemplars" / "guong-8")
    changed("added-and-removed", brought_up_to_date=True)
    builds = len(fresh_builds)
    generate(site.project, workers=1)  # nothing changed: the kept index is the index
    assert len(fresh_builds) == builds
