"""A story shared on Zalo or Facebook: the preview card, the structured data, the share buttons, the printed page."""

from __future__ import annotations

import datetime as dt
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from PIL import Image
from selectolax.lexbor import LexborHTMLParser

from build_tools.build import build_site
from build_tools.content.model import Award
from build_tools.site.social import dump_json_for_html

from .conftest import SiteFixture


class _Page(HTMLParser):
    """The parts of a built page that link previews and search engines read."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, list[str]] = {}
        self.links: list[dict[str, str]] = []
        self.scripts: list[dict[str, str]] = []
        self.json_ld: list[str] = []
        self.images: list[dict[str, str]] = []
        self.anchors: list[dict[str, str]] = []
        self.iframes = 0
        self._in_json_ld = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "meta" and ("property" in values or "name" in values):
            key = values.get("property") or values["name"]
            self.meta.setdefault(key, []).append(values.get("content", ""))
        elif tag == "link":
            self.links.append(values)
        elif tag == "script":
            self.scripts.append(values)
            self._in_json_ld = values.get("type") == "application/ld+json"
        elif tag == "img":
            self.images.append(values)
        elif tag == "a":
            self.anchors.append(values)
        elif tag == "iframe":
            self.iframes += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_json_ld = False

    def handle_data(self, data: str) -> None:
        if self._in_json_ld:
            self.json_ld.append(data)

    def one(self, key: str) -> str:
        values = self.meta.get(key, [])
        assert len(values) == 1, f"{key}: {values}"
        return values[0]

    @property
    def canonical(self) -> str:
        return next(link["href"] for link in self.links if link.get("rel") == "canonical")

    @property
    def structured(self) -> dict:
        assert len(self.json_ld) == 1
        return json.loads(self.json_ld[0])


def read(site: SiteFixture, path: str) -> _Page:
    page = _Page()
    page.feed(site.built(path))
    return page


@pytest.fixture(scope="module")
def shared_site(tmp_path_factory: pytest.TempPathFactory) -> SiteFixture:
    site = SiteFixture(tmp_path_factory.mktemp("sharing") / "repo")
    site.plan("nam-dinh-2022-2025")
    site.photo("co-huong", name="chan-dung.jpg", size=(900, 1200))
    site.profile(
        "co-huong",
        name="Nguyễn Thị Hương",
        summary="Cô giáo dạy Toán hai mươi năm ở vùng ven, “người giữ lửa” & bạn của học trò.",
        fields=["day-tot-hoc-tot", "chuyen-doi-so"],
        plans=["nam-dinh-2022-2025"],
        locality="Phường Lộc Hạ, TP. Nam Định",
        organization="Trường THCS Trần Đăng Ninh",
        published="2023-06-01",
        updated="2023-07-10",
        awards=[
            {
                "title": "Bằng khen của Chủ tịch UBND tỉnh",
                "decision": "Quyết định số 1234/QĐ-UBND",
                "date": "2023-05-12",
            }
        ],
        photo={"src": "chan-dung.jpg", "alt": "Cô Hương trên lớp", "credit": "Báo Nam Định"},
        sources=[{"title": "Cô giáo của học trò vùng ven", "url": "https://example.vn/bai-viet"}],
        tags=["giáo dục"],
    )
    site.profile(
        "htx-dong-dang",
        name='Hợp tác xã "Đồng Đăng" & các thành viên',
        kind="tap-the",
        consent=None,
        fields=["nong-thon-moi"],
        province="lang-son",
        summary="Hợp tác xã trồng hồi, đưa sản phẩm lên sàn thương mại điện tử.",
        published="2024-02-10",
    )
    site.profile(
        "ho-sung-a-chu",
        name="Hộ ông Sùng A Chu",
        kind="ho-gia-dinh",
        fields=["giam-ngheo"],
        province="lai-chau",
        summary="Hộ gia đình thoát nghèo nhờ trồng quế.",
        published="2022-09-01",
    )
    build_site(site.project)
    return site


def test_story_with_photo_has_a_large_preview_card(shared_site: SiteFixture) -> None:
    page = read(shared_site, "guong/co-huong/index.html")
    url = "https://example.test/guong/co-huong/"
    assert page.canonical == url
    assert page.one("og:url") == url
    assert page.one("og:type") == "article"
    assert page.one("og:locale") == "vi_VN"
    assert page.one("og:site_name") == "Gương thử nghiệm"
    assert page.one("og:title") == "Nguyễn Thị Hương"
    assert page.one("og:description") == page.one("description")
    assert page.one("og:description").startswith("Cô giáo dạy Toán") and "& bạn" in page.one("og:description")
    assert page.one("article:published_time") == "2023-06-01"
    assert page.one("article:modified_time") == "2023-07-10"
    assert page.one("og:image") == url + "chan-dung-card.jpg"
    # A 900 px portrait: its widest region of the card's shape, not enlarged to 1200×630 (and the tags say so).
    assert (page.one("og:image:width"), page.one("og:image:height")) == ("900", "472")
    assert page.one("og:image:type") == "image/jpeg"
    assert page.one("og:image:alt") == "Cô Hương trên lớp"
    assert page.one("twitter:card") == "summary_large_image"
    # X reads og:image (and og:title, og:description) where its own tag is absent: only what has no fallback is sent.
    assert "twitter:image" not in page.meta and page.one("twitter:image:alt") == page.one("og:image:alt")
    with Image.open(shared_site.root / "site/guong/co-huong/chan-dung-card.jpg") as card:
        assert card.size == (900, 472) and card.format == "JPEG"


POVERTY = "Vì người nghèo - không để ai bị bỏ lại phía sau; giảm nghèo"
"""The name of the field `giam-ngheo` (plans/fields.yml), which the household's story is filed under."""


def test_story_without_photo_shares_its_field_s_card(shared_site: SiteFixture) -> None:
    """Zalo and Facebook show the exemplar's name and summary beside a card of the story's field: the same file for
    every story of that field without a photo, drawn once, beside the field's page."""
    page = read(shared_site, "guong/ho-sung-a-chu/index.html")
    assert page.one("og:title") == "Hộ ông Sùng A Chu"
    assert page.one("og:description") == "Hộ gia đình thoát nghèo nhờ trồng quế."
    # Never updated nor corrected: its publication day is the only date it states (a modified time would repeat it).
    assert page.one("article:published_time") == page.structured["datePublished"] == "2022-09-01"
    assert "article:modified_time" not in page.meta and "dateModified" not in page.structured
    card_url = "https://example.test/linh-vuc/giam-ngheo/card.png"
    assert page.one("og:image") == card_url and "twitter:image" not in page.meta  # X reads og:image
    assert page.one("og:image:type") == "image/png"
    assert (page.one("og:image:width"), page.one("og:image:height")) == ("1200", "630")
    assert page.one("twitter:card") == "summary_large_image"
    # Told as what it shows: the field, not the household.
    alt = f"Thẻ lĩnh vực “{POVERTY}”"
    assert page.one("og:image:alt") == page.one("twitter:image:alt") == alt
    assert page.structured["image"] == card_url
    assert "image" not in page.structured["mainEntity"]  # a field card is no picture of the household
    with Image.open(shared_site.root / "site/linh-vuc/giam-ngheo/card.png") as card:
        assert card.size == (1200, 630) and card.format == "PNG"
        colours = {colour for _, colour in card.convert("RGB").getcolors(1_000_000)}
        assert (183, 28, 28) in colours and any(max(c) < 80 for c in colours)  # drawn: dark letters, the red band
    # Nothing is drawn for the story itself.
    assert not (shared_site.root / "site/guong/ho-sung-a-chu/card.png").exists()
    assert not list((shared_site.root / "site/guong").rglob("*.png"))


def test_the_field_card_shows_the_field_and_the_site(shared_site: SiteFixture, tmp_path: Path) -> None:
    """The card in the site is the card that says these words (nothing about any one person)."""
    from build_tools.site.sharecard import CardText, render_share_card

    said = CardText(
        "Gương thử nghiệm",
        POVERTY,
        ("Lĩnh vực thi đua · Gương điển hình tiên tiến, người tốt, việc tốt",),
        "example.test",
    )
    published = (shared_site.root / "site/linh-vuc/giam-ngheo/card.png").read_bytes()
    assert render_share_card(said, tmp_path).cached.read_bytes() == published
    other = read(shared_site, "guong/htx-dong-dang/index.html").one("og:image")
    assert other == "https://example.test/linh-vuc/nong-thon-moi/card.png"
    assert (shared_site.root / "site/linh-vuc/nong-thon-moi/card.png").read_bytes() != published


def test_stories_of_one_field_share_one_card_and_a_sample_says_it_is_one(site: SiteFixture) -> None:
    for slug, name in (("lo-van-binh", "Lò Văn Bình"), ("lo-thi-mai", "Lò Thị Mai")):
        site.profile(slug, name=name, fields=["giam-ngheo", "nong-thon-moi"], province="lai-chau")
    site.profile("vi-du-mau", fields=["giam-ngheo"], sample=True)
    site.profile(
        "co-anh", fields=["giam-ngheo"], photo={"src": "anh.jpg", "alt": "Cô giáo trên lớp", "credit": "Báo Lai Châu"}
    )
    site.photo("co-anh")
    build_site(site.project)
    shared = {read(site, f"guong/{slug}/index.html").one("og:image") for slug in ("lo-van-binh", "lo-thi-mai")}
    assert shared == {"https://example.test/linh-vuc/giam-ngheo/card.png"}  # the first field's, not the second's
    sample = read(site, "guong/vi-du-mau/index.html")
    assert sample.one("og:image") == "https://example.test/linh-vuc/giam-ngheo/card-mau.png"
    assert sample.one("og:image:alt") == f"Thẻ lĩnh vực “{POVERTY}” (dữ liệu mẫu)"
    assert sample.one("og:description").startswith("Dữ liệu mẫu, không phải gương điển hình có thật.")
    # A story with a photo keeps the crop of its own photo.
    assert read(site, "guong/co-anh/index.html").one("og:image") == "https://example.test/guong/co-anh/anh-card.jpg"
    drawn = sorted(p.relative_to(site.root / "site").as_posix() for p in (site.root / "site").rglob("*.png"))
    assert [p for p in drawn if "card" in p] == [
        "assets/card.png",
        "linh-vuc/giam-ngheo/card-mau.png",
        "linh-vuc/giam-ngheo/card.png",
    ]


def test_a_card_drawn_for_a_story_by_an_older_build_is_gone(site: SiteFixture) -> None:
    """Before field cards, each story without a photo had its own `card.png`: a build removes it from the site."""
    site.profile("co-huong")
    build_site(site.project)
    old = site.project.generated_dir / "guong/co-huong/card.png"
    old.write_bytes((site.root / "site/assets/card.png").read_bytes())
    cached = site.project.cache_dir / "cards/0123456789abcdef0123.png"  # and kept it in the cache
    cached.write_bytes(old.read_bytes())
    build_site(site.project)
    assert not old.exists() and not (site.root / "site/guong/co-huong/card.png").exists()
    assert not cached.exists() and len(list(cached.parent.glob("*.png"))) == 2  # the field's card, the site's
    assert (
        read(site, "guong/co-huong/index.html").one("og:image")
        == "https://example.test/linh-vuc/day-tot-hoc-tot/card.png"
    )


def test_structured_data_names_the_person_and_the_award(shared_site: SiteFixture) -> None:
    data = read(shared_site, "guong/co-huong/index.html").structured
    assert data["@context"] == "https://schema.org" and data["@type"] == "ProfilePage"
    assert data["url"] == "https://example.test/guong/co-huong/"
    assert data["datePublished"] == "2023-06-01" and data["dateModified"] == "2023-07-10"
    person = data["mainEntity"]
    assert person["@type"] == "Person"
    assert person["name"] == "Nguyễn Thị Hương"
    assert person["description"].startswith("Cô giáo dạy Toán")
    assert person["url"] == data["url"]
    assert person["award"] == ["Bằng khen của Chủ tịch UBND tỉnh (Quyết định số 1234/QĐ-UBND, ngày 12/05/2023)"]
    assert person["address"] == {
        "@type": "PostalAddress",
        "addressLocality": "Phường Lộc Hạ, TP. Nam Định",
        "addressRegion": "Tỉnh Ninh Bình",
        "addressCountry": "VN",
    }
    assert person["worksFor"] == {"@type": "Organization", "name": "Trường THCS Trần Đăng Ninh"}
    assert person["image"] == "https://example.test/guong/co-huong/chan-dung-900.jpg"
    assert person["subjectOf"][0]["url"] == "https://example.vn/bai-viet"
    assert data["image"] == "https://example.test/guong/co-huong/chan-dung-card.jpg"


def test_collectives_and_households_are_organizations(shared_site: SiteFixture) -> None:
    collective = read(shared_site, "guong/htx-dong-dang/index.html").structured["mainEntity"]
    assert collective["@type"] == "Organization"
    assert collective["name"] == 'Hợp tác xã "Đồng Đăng" & các thành viên'
    household = read(shared_site, "guong/ho-sung-a-chu/index.html").structured["mainEntity"]
    assert household["@type"] == "Organization"
    assert "image" not in household  # a field card is not a picture of the household
    assert "award" not in household


def test_quotes_and_ampersands_are_escaped_in_the_head(shared_site: SiteFixture) -> None:
    html = shared_site.built("guong/htx-dong-dang/index.html")
    head = html[: html.index("</head>")]
    assert 'content="Hợp tác xã &#34;Đồng Đăng&#34; &amp; các thành viên"' in head
    json_ld = head[head.index('<script type="application/ld+json">') :]
    json_ld = json_ld[: json_ld.index("</script>")]
    assert "&" not in json_ld.replace("\\u0026", "") and "<" not in json_ld[1:]


def test_json_ld_cannot_break_out_of_its_script_element() -> None:
    hostile = "</script><script>alert(1)</script> & <!--"
    text = dump_json_for_html({"name": hostile, "line": "a\u2028b"})
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == {"name": hostile, "line": "a\u2028b"}


def test_award_without_decision_is_listed_by_title() -> None:
    from build_tools.site.social import _award_text

    assert _award_text(Award("Chiến sĩ thi đua cơ sở")) == "Chiến sĩ thi đua cơ sở"
    assert _award_text(Award("Bằng khen", date=dt.date(2024, 1, 2))) == "Bằng khen (ngày 02/01/2024)"


def test_other_pages_share_the_site_card(shared_site: SiteFixture) -> None:
    for path, title in (("index.html", "Gương thử nghiệm"), ("gioi-thieu/index.html", "Giới thiệu")):
        page = read(shared_site, path)
        assert page.one("og:type") == "website"
        assert page.one("og:title") == title
        assert page.one("og:image") == "https://example.test/assets/card.png"
        assert page.one("twitter:card") == "summary_large_image"
    # The site is described once, on its home page; a story does not repeat it (`isPartOf`).
    assert read(shared_site, "index.html").structured == {
        "@context": "https://schema.org",
        "@type": "WebSite",
        "name": "Gương thử nghiệm",
        "url": "https://example.test/",
        "inLanguage": "vi",
    }
    assert read(shared_site, "gioi-thieu/index.html").json_ld == []
    assert "isPartOf" not in read(shared_site, "guong/co-huong/index.html").structured
    with Image.open(shared_site.root / "site/assets/card.png") as card:
        assert card.size == (1200, 630)


def test_share_buttons_are_plain_links_with_no_third_party_script(shared_site: SiteFixture) -> None:
    page = read(shared_site, "guong/co-huong/index.html")
    url = "https://example.test/guong/co-huong/"
    facebook = next(a for a in page.anchors if a.get("href", "").startswith("https://www.facebook.com/"))
    assert (
        facebook["href"]
        == "https://www.facebook.com/sharer/sharer.php?u=https%3A%2F%2Fexample.test%2Fguong%2Fco-huong%2F"
    )
    assert facebook["rel"] == "noopener noreferrer"
    # Zalo has no script-free share link: the phone's share sheet (Web Share API) offers it; hidden without script.
    # The other two point at the page itself, which a browser resolves into its address; with a script, reader.js
    # shares the canonical one (tests/test_reading.py), which the page states once.
    assert page.canonical == url
    zalo = next(a for a in page.anchors if a.get("data-share") == "native")
    assert zalo["href"] == "./" and "hidden" in zalo
    copy = next(a for a in page.anchors if a.get("data-share") == "copy")
    assert copy["href"] == "./" and "hidden" not in copy
    for script in page.scripts:
        assert not script.get("src", "").startswith(("http:", "https:", "//")), script
    assert page.iframes == 0
    html = shared_site.built("guong/co-huong/index.html")
    assert "connect.facebook.net" not in html and "sp.zalo.me" not in html and "api.github.com" not in html
    assert 'data-md-component="source"' not in html  # Material would ask GitHub for stars on every view


def test_print_stylesheet_and_reader_script_are_first_party(shared_site: SiteFixture) -> None:
    page = read(shared_site, "guong/co-huong/index.html")
    # Its address changes with its bytes (it builds the search box and the drawer): no kept copy outlives it.
    reader = next(script for script in page.scripts if "reader.js" in script.get("src", ""))
    assert re.fullmatch(r"\.\./\.\./assets/javascripts/reader\.js\?v=[0-9a-f]{8}", reader["src"]) and "defer" in reader
    html = shared_site.built("guong/co-huong/index.html")
    head = html[: html.index("</head>")]
    # The print rules: a file for print only, which a screen never waits for; no stylesheet is repeated inline.
    assert '<link rel="stylesheet" href="../../assets/stylesheets/reader.css" media="print">' in head
    assert "<style" not in head
    css = (shared_site.root / "site/assets/stylesheets/reader.css").read_text(encoding="utf-8")
    print_rules = css[css.index("@media print") :]
    for hidden in (".ex-share", ".ex-subscribe", "#guong-dien-hinh-lien-quan"):
        assert hidden in print_rules
    # The share buttons' screen rules come with the site's stylesheet, already loaded by every page.
    assert ".ex-share > a" in (shared_site.root / "site/assets/site.css").read_text(encoding="utf-8")
    assert (shared_site.root / "site/sw.js").is_file()
    assert (shared_site.root / "site/assets/javascripts/reader.js").is_file()


def test_every_image_has_dimensions_and_only_the_story_photo_loads_eagerly(shared_site: SiteFixture) -> None:
    story = read(shared_site, "guong/co-huong/index.html")
    photo = story.images[0]
    assert photo["src"] == "chan-dung-900.jpg" and photo["fetchpriority"] == "high" and "loading" not in photo
    for path in (
        "guong/co-huong/index.html",
        "index.html",
        "nguoi-tot-viec-tot/index.html",
        "linh-vuc/day-tot-hoc-tot/index.html",
    ):
        page = read(shared_site, path)
        for image in page.images:
            assert re.fullmatch(r"\d+", image.get("width", "")) and re.fullmatch(r"\d+", image.get("height", "")), image
        cards = LexborHTMLParser(shared_site.built(path)).css("ul.ex-cards > li")
        for position, card in enumerate(cards):
            photo = card.css_first("li > img")  # a card's photo comes first, before its text
            if photo is None:
                continue
            # On a list the first card is in view on a phone; the others, and related stories below a story, wait
            # until the reader scrolls to them.
            lazy = position > 0 or path.startswith("guong/")
            assert (photo.attributes.get("loading") == "lazy") == lazy, (path, position)
    archive = LexborHTMLParser(shared_site.built("nguoi-tot-viec-tot/index.html")).css("ul.ex-cards > li")
    assert [card.css_first("li > img") is not None for card in archive] == [False, True, False]  # the fixture's order


def test_card_crop_keeps_the_upper_part_of_a_portrait_and_drops_metadata(tmp_path: Path) -> None:
    from build_tools.site.photos import process_photo

    original = tmp_path / "chan-dung.jpg"
    image = Image.new("RGB", (900, 1200), (40, 40, 200))
    image.paste((230, 30, 30), (0, 240, 900, 420))  # the face band, in the upper third
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (21.0, 1.0, 30.0)}  # GPS
    exif[0x010F] = "PhoneMaker"
    image.save(original, "JPEG", exif=exif)
    card = process_photo(original, tmp_path / "cache").card
    assert card is not None and card.name == "chan-dung-card.jpg"
    with Image.open(card.cached) as published:
        assert published.size == (900, 472)  # the portrait's widest region of the card's shape, not enlarged
        assert not published.getexif() and "exif" not in published.info
        r, _g, b = published.convert("RGB").getpixel((450, 100))
        assert r > 180 and b < 90  # the face band survives the crop


def test_a_site_under_a_sub_path_shares_absolute_urls_under_it(site: SiteFixture) -> None:
    config = site.root / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("https://example.test/", "https://example.test/guong-dien-hinh/"),
        encoding="utf-8",
    )
    site.profile("co-huong")
    build_site(site.project)
    page = read(site, "guong/co-huong/index.html")
    url = "https://example.test/guong-dien-hinh/guong/co-huong/"
    assert page.canonical == page.one("og:url") == url
    assert page.one("og:image") == "https://example.test/guong-dien-hinh/linh-vuc/day-tot-hoc-tot/card.png"
    assert page.structured["mainEntity"]["url"] == url
    assert read(site, "index.html").one("og:image") == "https://example.test/guong-dien-hinh/assets/card.png"


def test_drawn_cards_are_the_same_bytes_on_every_build(tmp_path: Path) -> None:
    from build_tools.site.sharecard import CardText, render_share_card

    text = CardText("Gương điển hình tiên tiến", "Hộ ông Sùng A Chu", ("Hộ gia đình · Tỉnh Lai Châu",), "example.test")
    first = render_share_card(text, tmp_path / "a").cached.read_bytes()
    assert render_share_card(text, tmp_path / "b").cached.read_bytes() == first


_CARD_PAPER, _CARD_GOLD, _CARD_RULE = (255, 250, 245), (255, 202, 40), (225, 215, 205)
_CARD_TEXT_COLOURS = {"ink": (33, 33, 33), "muted": (90, 90, 90), "red": (183, 28, 28)}


def _png_chunks(data: bytes) -> list[str]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    chunks, position = [], 8
    while position < len(data):
        length = int.from_bytes(data[position : position + 4], "big")
        chunks.append(data[position + 4 : position + 8].decode("ascii"))
        position += 12 + length
    return chunks


def _shade_of(colour: tuple[int, int, int]) -> str | None:
    """Which text colour `colour` is an edge shade of (on the straight line from the paper to it), if any."""
    for name, ink in _CARD_TEXT_COLOURS.items():
        shares = {round((c - p) / (i - p), 2) for c, p, i in zip(colour, _CARD_PAPER, ink, strict=True) if i != p}
        if max(shares) - min(shares) <= 0.02 and 0 < min(shares) <= 1:
            return name
    return None


def test_a_drawn_card_is_a_small_png_in_the_cards_own_colours(tmp_path: Path) -> None:
    from build_tools.site.sharecard import CardText, render_share_card

    title = "Hộ ông Sùng A Chu"
    text = CardText("Gương điển hình tiên tiến", title, ("Hộ gia đình · Tỉnh Lai Châu",), "example.test")
    data = render_share_card(text, tmp_path / "cards").cached.read_bytes()
    # What Zalo and Facebook fetch: a 1200×630 PNG with nothing but the picture in it (no text, time or EXIF).
    assert _png_chunks(data) == ["IHDR", "PLTE", "IDAT", "IEND"]
    assert len(data) < 15_000
    with Image.open(tmp_path / "cards" / next(p.name for p in (tmp_path / "cards").iterdir())) as card:
        assert card.format == "PNG" and card.size == (1200, 630) and card.mode == "P"
        assert card.info.get("bits", 4) <= 4  # twelve colours: four bits a pixel
        colours = {colour for _, colour in card.convert("RGB").getcolors(1_000_000)}
    # The paper, the gold star, the footer's rule, and the three text colours with the soft edges of their letters:
    # nothing else (a quantiser's stray colours, a red fringe on black letters).
    assert {_CARD_PAPER, _CARD_GOLD, _CARD_RULE, *_CARD_TEXT_COLOURS.values()} <= colours
    strays = {c for c in colours - {_CARD_PAPER, _CARD_GOLD, _CARD_RULE} if _shade_of(c) is None}
    assert not strays
    assert len(colours) <= 16


def test_a_drawn_card_shows_its_own_title(tmp_path: Path) -> None:
    from build_tools.site.sharecard import CardText, render_share_card

    def card(title: str) -> Image.Image:
        text = CardText("Gương điển hình tiên tiến", title, ("Cá nhân · Tỉnh Lai Châu",), "example.test")
        return Image.open(render_share_card(text, tmp_path / title).cached).convert("RGB")

    short, other = card("Lò Văn Bình"), card("Nguyễn Thị Hồng Nhung")
    # Only the name's lines differ (the eyebrow, the star and the footer are the same on both cards); the name is
    # written in the ink colour, large.
    difference = [
        (x, y) for y in range(0, 630, 2) for x in range(0, 1200, 2) if short.getpixel((x, y)) != other.getpixel((x, y))
    ]
    assert difference
    rows = {y for _, y in difference}
    assert min(rows) >= 128 and max(rows) < 534  # between the eyebrow's band and the footer's
    ink_rows = {y for y in range(128, 534) if (33, 33, 33) in {short.getpixel((x, y)) for x in range(84, 966, 3)}}
    assert len(ink_rows) > 40  # letters of a 76 px font, not a stray line


def test_an_edit_to_the_drawing_code_draws_every_card_anew(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Cards are kept under the stamp of the code that draws them, which any edit of `sharecard.py` or of what it
    imports changes (tests/test_code_stamps.py): under a new stamp every card is drawn anew."""
    from build_tools.site import sharecard

    text = sharecard.CardText("Gương điển hình tiên tiến", "Lò Văn Bình", ("Cá nhân",), "example.test")
    before = sharecard.render_share_card(text, tmp_path).cached
    monkeypatch.setattr(sharecard, "code_stamp", lambda *entries: b"the drawing code, edited")
    sharecard._drawing_key.cache_clear()
    try:
        after = sharecard.render_share_card(text, tmp_path).cached
    finally:
        sharecard._drawing_key.cache_clear()
    assert after != before and after.exists() and before.exists()


def test_a_machine_without_a_vietnamese_font_is_told_what_to_install(
    site: SiteFixture, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from build_tools import cli
    from build_tools.site import sharecard

    monkeypatch.setattr(sharecard, "FONT_CANDIDATES", (("/khong-co/Regular.ttf", "/khong-co/Bold.ttf"),))
    site.profile("khong-anh")
    assert cli.main(["--root", str(site.root), "build"]) == cli.EXIT_BUILD
    error = capsys.readouterr().err
    assert "Không tìm thấy phông chữ có dấu tiếng Việt" in error and "fonts-dejavu-core" in error
    assert "thư mục site/ được giữ nguyên" in error
