"""What the search index publishes: every story findable with or without diacritics, drafts and markup never.

The ranking and the page behaviour are proved in a real browser (test_search_browser.py); these tests read the
files a browser would fetch, with a small decoder of their binary layout.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import unicodedata
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from build_tools.build import build_site
from build_tools.content.richtext import render_story
from build_tools.site.search import FORMAT, fnv1a
from build_tools.site.search_documents import EXCERPT_CHARS, plain_text, tokens

from .conftest import REPO, SiteFixture


def _varint(data: bytes, pos: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        byte = data[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return value, pos


def _string(data: bytes, pos: int) -> tuple[str, int]:
    length, pos = _varint(data, pos)
    return data[pos : pos + length].decode("utf-8"), pos + length


def _weights(data: bytes, pos: int, n: int, bits: int | None) -> tuple[list[int], int]:
    """n weights: one byte each (bits None), or a palette then each weight's place in it in `bits` bits."""
    if bits is None:
        return list(data[pos : pos + n]), pos + n
    size, pos = _varint(data, pos)
    palette, pos = data[pos : pos + size], pos + size
    places = int.from_bytes(data[pos : pos + (n * bits + 7) // 8], "little")
    return [palette[places >> (i * bits) & ((1 << bits) - 1)] for i in range(n)], pos + (n * bits + 7) // 8


def _tier_weights(data: bytes, pos: int, n: int) -> tuple[list[int], int]:
    """Weights on their own (`_write_weights`): their layout, then the weights."""
    head, pos = _varint(data, pos)
    return _weights(data, pos, n, head - 1 if head else None)


def _docs(data: bytes, pos: int, n: int, layout: int) -> tuple[list[int], int]:
    """n documents: gaps (layout 0), a bitmap after the first one (8), or a span but the documents listed (64)."""
    docs, doc = [], 0
    if layout & 64:
        first, pos = _varint(data, pos)
        span, pos = _varint(data, pos)
        count, pos = _varint(data, pos)
        gaps, pos = _docs(data, pos, count, 0)
        missing = set(gaps)
        docs = [first + i for i in range(span) if i not in missing]
        assert len(docs) == n
        return docs, pos
    if layout & 8:
        first, pos = _varint(data, pos)
        length, pos = _varint(data, pos)
        bits = int.from_bytes(data[pos : pos + length], "little")
        return [first + bit for bit in range(8 * length) if bits >> bit & 1], pos + length
    for _ in range(n):
        gap, pos = _varint(data, pos)
        doc += gap
        docs.append(doc)
    return docs, pos


def read_shard(
    data: bytes,
    version: str,
    rest: Callable[[str], bytes] | None = None,
    own: Callable[[int, str], bytes] | None = None,
) -> dict[str, dict[str, dict[int, int]]]:
    """term → written form → {document: weight}, as search.js decodes it; `rest` gives the piece's second piece
    (what its long lists leave out) by its hash, read once every list of the piece is; `own` the piece of its own of
    a common term, by its number and hash (without it, such a term is left out)."""
    start = 4 + len(version)
    assert data[:4] == FORMAT and data[4:start].decode() == version
    rest_hash, pos = _string(data, start)
    terms: dict[str, dict[str, dict[int, int]]] = {}
    tiered: list[tuple[str, str, int, bool]] = []  # each long list: term, form, postings left out, whether a pair's
    count, pos = _varint(data, pos)
    for _ in range(count):
        term, pos = _string(data, pos)
        variants: dict[str, dict[int, int]] = {}
        number, pos = _varint(data, pos)
        if not number:  # a piece of its own
            piece, pos = _varint(data, pos)
            piece_hash, pos = _string(data, pos)
            if own is not None:
                terms.update(read_shard(own(piece, piece_hash), piece_hash, rest, own))
            continue
        for _ in range(number):
            form, pos = _string(data, pos)
            head, pos = _varint(data, pos)
            n, layout = head >> 7, head & 127
            weights: list[int | None]
            if layout & 32:  # a pair's best tier: its documents, the bound of the others, its weights
                top, pos = _varint(data, pos)
                docs, pos = _docs(data, pos, top, 0)
                bound, pos = _varint(data, pos)
                best, pos = _tier_weights(data, pos, top)
                assert all(w > bound for w in best)
                variants[form or term] = dict(zip(docs, best, strict=True))
                tiered.append((term, form or term, n - top, True))
                continue
            docs, pos = _docs(data, pos, n, layout)
            if layout & 16:  # the best tier: its places in the list, the bound of the others, its weights
                top, pos = _varint(data, pos)
                places, place = [], 0
                for _ in range(top):
                    gap, pos = _varint(data, pos)
                    place += gap
                    places.append(place)
                bound, pos = _varint(data, pos)
                best, pos = _tier_weights(data, pos, top)
                weights = [None] * n
                for place, weight in zip(places, best, strict=True):
                    weights[place] = weight
                assert all(w is None or w > bound for w in weights)
                tiered.append((term, form or term, n - top, False))
            else:
                weights, pos = _weights(data, pos, n, (layout & 7) - 1 if layout & 7 else None)  # type: ignore[assignment]
            assert len(docs) == n
            variants[form or term] = dict(zip(docs, weights, strict=True))  # type: ignore[arg-type]
        terms[term] = variants
    assert bool(rest_hash) == bool(tiered)
    if tiered:
        assert rest is not None, "a piece with long lists needs its second piece"
        second = rest(rest_hash)
        assert second[:4] == FORMAT and second[4 : 4 + len(rest_hash)].decode() == rest_hash
        pos = 4 + len(rest_hash)
        for term, form, left, pair in tiered:
            postings = terms[term][form]
            if pair:  # the other documents and their weights
                layout, pos = _varint(second, pos)
                docs, pos = _docs(second, pos, left, layout)
                others, pos = _tier_weights(second, pos, left)
                assert not postings.keys() & set(docs)
                terms[term][form] = dict(sorted({**postings, **dict(zip(docs, others, strict=True))}.items()))
            else:  # the other weights, in list order
                others, pos = _tier_weights(second, pos, left)
                weights = iter(others)
                terms[term][form] = {d: next(weights) if w is None else w for d, w in postings.items()}
        assert pos == len(second)
    return terms


class BuiltIndex:
    def __init__(self, site_dir: Path) -> None:
        self.root = site_dir / "search"
        self.manifest = json.loads((self.root / "index.json").read_text(encoding="utf-8"))

    def piece(self, table: str, number: int) -> str:
        """The hash the manifest lists for table `number` of `s` (tables of shards) or `d` (of result groups)."""
        width = self.manifest["w"]
        return self.manifest[table][number * width : (number + 1) * width]

    def tabled(self, folder: str, table: str, size: int, number: int) -> str:
        """The hash of piece `number`, read from its table in `folder`, as the browser reads it."""
        width, version = self.manifest["w"], self.piece(table, number // size)
        hashes = json.loads((self.root / folder / f"{number // size}.{version}.json").read_text(encoding="utf-8"))
        assert hashes["v"] == version
        return hashes["x"][(number % size) * width : (number % size + 1) * width]

    def term(self, term: str) -> dict[str, dict[int, int]]:
        number = fnv1a(term) % self.manifest["k"]
        version = self.tabled("h", "s", self.manifest["j"], number)
        shard = (self.root / "s" / f"{number}.{version}.bin").read_bytes()
        return read_shard(
            shard,
            version,
            lambda rest: next((self.root / "w").glob(f"{number}*.{rest}.bin")).read_bytes(),
            lambda own, piece: (self.root / "s" / f"{number}-{own}.{piece}.bin").read_bytes(),
        ).get(term, {})

    def documents_with(self, term: str) -> set[int]:
        return {doc for docs in self.term(term).values() for doc in docs}

    def fragment(self, number: int) -> dict:
        """What result `number` shows: item `number % g` of file `number // g`, as the browser reads it."""
        group = number // self.manifest["g"]
        version = self.tabled("i", "d", self.manifest["i"], group)
        payload = json.loads((self.root / "d" / f"{group}.{version}.json").read_text(encoding="utf-8"))
        assert payload["v"] == version
        return payload["x"][number % self.manifest["g"]]

    def number_of(self, url: str) -> int:
        for number in range(self.manifest["n"]):
            if self.fragment(number)["u"] == url:
                return number
        raise AssertionError(f"{url} is not in the search index")

    def filter(self, facet: str, value: str) -> set[int]:
        options = next(f["values"] for f in self.manifest["facets"] if f["id"] == facet)
        version = next(option[3] for option in options if option[0] == value)
        data = (self.root / "f" / facet / f"{value}.{version}.bin").read_bytes()
        assert data[:4] == FORMAT and data[4 : 4 + len(version)].decode() == version
        count, pos = _varint(data, 4 + len(version))
        docs, doc = set(), 0
        for _ in range(count):
            gap, pos = _varint(data, pos)
            doc += gap
            docs.add(doc)
        return docs


@pytest.fixture(scope="module")
def searchable(tmp_path_factory: pytest.TempPathFactory) -> tuple[SiteFixture, BuiltIndex]:
    site = SiteFixture(tmp_path_factory.mktemp("search") / "repo")
    site.plan("nam-dinh-2022-2025")
    site.profile(
        "nguyen-thi-huong-nam-dinh",
        body="Cô là tấm gương người tốt, việc tốt của phường.",
        plans=["nam-dinh-2022-2025"],
        organization="Trường THCS Trần Đăng Ninh",
        photo={"src": "anh.jpg", "alt": "Cô Hương trên lớp", "credit": "Báo Nam Định"},
    )
    photo = site.photo("nguyen-thi-huong-nam-dinh")
    with Image.open(photo) as image:  # a phone photo: it says where it was taken
        exif = image.getexif()
        exif.get_ifd(0x8825).update({1: "N", 2: (20.0, 25.0, 0.0), 3: "E", 4: (106.0, 10.0, 0.0)})
        image.save(photo, "JPEG", exif=exif)
    site.profile(
        "tram-y-te-ea-tieu",
        name=unicodedata.normalize("NFD", "Trạm Y tế xã Ea Tiêu"),
        kind="tap-the",
        consent=None,
        fields=["y-te"],
        province="dak-lak",
        summary=unicodedata.normalize("NFD", "Trạm y tế điển hình tiên tiến của tỉnh Đắk Lắk."),
        body=unicodedata.normalize("NFD", "Các y sĩ đi từng buôn tiêm chủng."),
        published="2024-03-01",
    )
    site.profile(
        "ban-nhap-bi-mat",
        name="Hồ sơ chưa duyệt Quýtxanh",
        summary="Bản nháp không được lộ ra.",
        body="Từ khóa Quýtxanh chỉ có trong bản nháp.",
        draft=True,
    )
    site.profile(
        "ke-tan-cong",
        name="Lò Văn Sáng",
        summary="Người dân tộc Thái giúp bản làng.",
        body='Anh giúp bản. <script>alert("xss")</script><img src=x onerror="alert(2)"> '
        '[bấm vào](javascript:alert(3)) <a href="#" onclick="steal()">liên kết</a>',
        province="son-la",
        published="2022-05-05",
    )
    build_site(site.project)
    return site, BuiltIndex(site.root / "site")


def test_every_published_story_field_province_and_plan_is_a_result(searchable: tuple[SiteFixture, BuiltIndex]) -> None:
    _, index = searchable
    urls = {index.fragment(n)["u"] for n in range(index.manifest["n"])}
    assert {"guong/nguyen-thi-huong-nam-dinh/", "guong/tram-y-te-ea-tieu/", "guong/ke-tan-cong/"} <= urls
    assert {"linh-vuc/y-te/", "dia-phuong/dak-lak/", "dia-phuong/nam-dinh/", "ke-hoach/nam-dinh-2022-2025/"} <= urls
    # Stories come first, newest first: a filtered list with no query is in that order.
    assert [index.fragment(n)["u"] for n in range(3)] == [
        "guong/tram-y-te-ea-tieu/",
        "guong/nguyen-thi-huong-nam-dinh/",
        "guong/ke-tan-cong/",
    ]


def test_drafts_never_reach_the_search_index(searchable: tuple[SiteFixture, BuiltIndex]) -> None:
    site, index = searchable
    assert not index.term("quytxanh")
    for path in (site.root / "site" / "search").rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert "Quýtxanh".encode() not in data and b"ban-nhap-bi-mat" not in data, path


def test_words_are_keyed_without_diacritics_and_keep_their_spelling(searchable: tuple[SiteFixture, BuiltIndex]) -> None:
    _, index = searchable
    huong = index.number_of("guong/nguyen-thi-huong-nam-dinh/")
    assert huong in index.term("nguoi")["người"]  # "nguoi" finds "người", and knows how it was spelt
    assert huong in index.documents_with("viec tot")  # and the phrase, to rank it above scattered words
    assert huong in index.documents_with("nguyen thi")  # names rank as names
    assert huong in index.documents_with("tran dang")  # organisation
    assert huong in index.documents_with("ninh binh")  # today's province of a Nam Định story


def test_text_written_in_nfd_is_found_like_nfc(searchable: tuple[SiteFixture, BuiltIndex]) -> None:
    _, index = searchable
    tram = index.number_of("guong/tram-y-te-ea-tieu/")
    assert tram in index.term("dak")["đắk"] and tram in index.term("lak")["lắk"]
    assert tram in index.term("dien")["điển"] and tram in index.term("tiem")["tiêm"]
    fragment = index.fragment(tram)
    assert fragment["t"] == "Trạm Y tế xã Ea Tiêu" and unicodedata.is_normalized("NFC", fragment["s"])


def test_query_words_fold_like_the_index(searchable: tuple[SiteFixture, BuiltIndex]) -> None:
    assert tokens("Đắk Lắk") == [("dak", "đắk"), ("lak", "lắk")]
    assert tokens(unicodedata.normalize("NFD", "ĐIỂN HÌNH")) == [("dien", "điển"), ("hinh", "hình")]
    assert tokens("người tốt, việc tốt") == [("nguoi", "người"), ("tot", "tốt"), ("viec", "việc"), ("tot", "tốt")]


def test_hostile_markup_reaches_search_only_as_harmless_text(searchable: tuple[SiteFixture, BuiltIndex]) -> None:
    _, index = searchable
    fragment = index.fragment(index.number_of("guong/ke-tan-cong/"))
    text = json.dumps(fragment, ensure_ascii=False)
    for bad in ("<script", "alert", "onerror", "onclick", "javascript:", "steal", "<img", "<a "):
        assert bad not in text
    assert "Anh giúp bản." in fragment["b"] and "liên kết" in fragment["b"]


def test_filters_use_todays_province_and_vietnamese_names(searchable: tuple[SiteFixture, BuiltIndex]) -> None:
    _, index = searchable
    facets = {facet["id"]: facet for facet in index.manifest["facets"]}
    assert [f["label"] for f in index.manifest["facets"]] == ["Lĩnh vực", "Tỉnh, thành phố", "Loại", "Năm"]
    provinces = {value: (name, count) for value, name, count, _ in facets["tinh"]["values"]}
    assert "nam-dinh" not in provinces  # a former province is filed under today's
    assert provinces["ninh-binh"][0] == "Ninh Bình" and provinces["dak-lak"][0] == "Đắk Lắk"
    huong = index.number_of("guong/nguyen-thi-huong-nam-dinh/")
    assert huong in index.filter("tinh", "ninh-binh")
    assert huong in index.filter("linh-vuc", "day-tot-hoc-tot") and huong in index.filter("nam", "2023")
    assert index.number_of("guong/tram-y-te-ea-tieu/") in index.filter("loai", "tap-the")
    kinds = [(value, name) for value, name, *_ in facets["loai"]["values"]]
    assert kinds[:3] == [("ca-nhan", "Cá nhân"), ("tap-the", "Tập thể"), ("linh-vuc", "Lĩnh vực")]
    names = [name for facet in facets.values() for _, name, *_ in facet["values"]]
    assert all(unicodedata.is_normalized("NFC", name) for name in names)


def test_result_photo_is_a_small_square_without_metadata(searchable: tuple[SiteFixture, BuiltIndex]) -> None:
    site, index = searchable
    fragment = index.fragment(index.number_of("guong/nguyen-thi-huong-nam-dinh/"))
    thumbnail = site.root / "site" / fragment["i"]
    with Image.open(thumbnail) as image:
        assert image.format == "WEBP" and image.size == (128, 128)
        assert not image.info.get("exif") and not image.getexif()
    assert thumbnail.stat().st_size < 8_000
    assert "i" not in index.fragment(index.number_of("guong/tram-y-te-ea-tieu/"))


def test_header_search_box_is_on_every_page(searchable: tuple[SiteFixture, BuiltIndex]) -> None:
    site, _ = searchable
    for page, base in (("index.html", "search/"), ("guong/tram-y-te-ea-tieu/index.html", "../../search/")):
        html = site.built(page)
        assert f'data-ex-search="{base}"' in html
        assert 'for="__search"' in html and "assets/javascripts/reader.js" in html  # which builds the box in its frame
        assert "assets/exemplars/search.js" in html
    reader = (site.root / "site/assets/javascripts/reader.js").read_text(encoding="utf-8")
    assert 'class: "md-search__input"' in reader and 'name: "ex-search"' in reader


_DIGEST = """
import hashlib, sys
from pathlib import Path
from build_tools.content.config import load_project
from build_tools.generate import generate
project = load_project(Path(sys.argv[1]))
generate(project, workers=1)
digest = hashlib.sha256()
for path in sorted((project.generated_dir / "search").rglob("*")):
    if path.is_file():
        digest.update(path.relative_to(project.generated_dir).as_posix().encode() + path.read_bytes())
print(digest.hexdigest())
"""


def test_two_builds_give_a_byte_identical_index(searchable: tuple[SiteFixture, BuiltIndex]) -> None:
    site, _ = searchable
    built = hashlib.sha256()
    for path in sorted((site.root / "site" / "search").rglob("*")):
        if path.is_file():
            built.update(path.relative_to(site.root / "site").as_posix().encode() + path.read_bytes())
    digests = {built.hexdigest()}
    for seed in ("1", "2"):  # different string hashing, so any order leaking from a set would show
        env = {**os.environ, "PYTHONHASHSEED": seed}
        result = subprocess.run(
            [sys.executable, "-c", _DIGEST, str(site.root)], env=env, cwd=REPO, capture_output=True, text=True
        )
        assert result.returncode == 0, result.stderr
        digests.add(result.stdout.strip())
    assert len(digests) == 1


class _ReferenceText(HTMLParser):
    """What `plain_text` must equal: an HTML parser's text, a space at the start of every block."""

    BLOCKS = frozenset({"p", "li", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr", "br", "dd", "dt", "figcaption"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.BLOCKS:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def _reference_text(html: str) -> str:
    parser = _ReferenceText()
    parser.feed(html)
    parser.close()
    return " ".join("".join(parser.parts).split())


_STORY_PIECES = st.sampled_from(
    [
        "Chị Hương", "dạy học & làm theo", "<b>đậm</b>", "a < b > c", "**nhấn**",
        "[liên kết](https://a.vn/?x=1&y=2 \"a > b\")",
        "![ảnh](anh.jpg \"tiêu đề\")", "\n\n## Mục\n\n", "\n\n- một\n- hai\n\n", "\n\n> trích\n\n", "&amp; &lt;p&gt;",
        "<script>alert(1)</script>", "<!-- ghi chú -->", "| a | b |\n|---|---|\n| 1 | 2 |", "dòng<br>mới", "`mã <p>`",
        "<p title=\"x>y\">đoạn</p>", "Đắk Lắk", "\n\n",
    ]
)  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.lists(_STORY_PIECES, max_size=12))
def test_plain_text_equals_an_html_parsers_text(pieces: list[str]) -> None:
    html = render_story(" ".join(pieces))
    assert plain_text(html) == _reference_text(html)


def test_plain_text_equals_an_html_parsers_text_on_the_real_stories() -> None:
    for path in sorted((REPO / "exemplars").rglob("index.md")):
        html = render_story(path.read_text(encoding="utf-8").split("---", 2)[2])
        assert plain_text(html) == _reference_text(html), path


def test_a_long_story_gives_its_result_a_few_of_its_own_sentences_naming_what_readers_search_by(
    tmp_path: Path,
) -> None:
    """A result carries a few hundred characters of its story for the excerpt, not the story: the sentences that
    bring the most words its title and summary lack, first those of its place, fields and organisation, as written
    in the story, "…" where sentences were left out."""
    filler = [
        f"Năm {2000 + n}, cô dạy thêm {n + 2} lớp buổi tối cho học trò nghèo ở xóm {n}, không lấy tiền của ai."
        for n in range(30)
    ]
    late = "Trường Tiểu học Hải Hậu ghi nhận cô là giáo viên dạy giỏi cấp tỉnh ba năm liền."
    site = SiteFixture(tmp_path / "repo")
    site.profile(
        "co-giao-hai-hau",
        summary="Cô giáo dạy Toán hai mươi năm ở vùng ven.",
        organization="Trường Tiểu học Hải Hậu",
        body=" ".join([*filler[:25], late, *filler[25:]]),
    )
    index = BuiltIndex(build_site(site.project))
    fragment = index.fragment(index.number_of("guong/co-giao-hai-hau/"))
    story = " ".join([*filler[:25], late, *filler[25:]])
    assert len(fragment["b"]) <= EXCERPT_CHARS < len(story)
    assert late in fragment["b"]  # the organisation a reader may search by, named late in the story
    assert all(part in story for part in fragment["b"].split(" … "))  # the story's own words, in its order
    positions = [story.index(part) for part in fragment["b"].split(" … ")]
    assert positions == sorted(positions)
