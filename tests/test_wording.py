"""What a reader of the sample site reads, sentence by sentence: no unit named twice, no capital "Tỉnh" mid-sentence,
no count said twice, and one spelling of the tone marks in the text the site writes itself."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from selectolax.lexbor import LexborHTMLParser

REPO = Path(__file__).resolve().parents[1]


def text_of(site: Path, page: str) -> str:
    body = LexborHTMLParser((site / page).read_text(encoding="utf-8")).body
    return " ".join(body.text().split()) if body else ""


def facts(site: Path, plan: str) -> dict[str, str]:
    tree = LexborHTMLParser((site / "ke-hoach" / plan / "index.html").read_text(encoding="utf-8"))
    dl = tree.css_first("dl.ex-facts")
    return {dt.text(): dd.text() for dt, dd in zip(dl.css("dt"), dl.css("dd"), strict=True)}


def test_a_plan_names_its_place_and_its_issuer_once(real_site: Path) -> None:
    lang_son = facts(real_site, "lang-son-skhdt-2022-2025")
    assert lang_son["Địa bàn"] == "Tỉnh Lạng Sơn"
    assert lang_son["Cơ quan ban hành"] == "Sở Kế hoạch và Đầu tư tỉnh Lạng Sơn"
    assert facts(real_site, "phong-tho-2023")["Địa bàn"] == "Huyện Phong Thổ, tỉnh Lai Châu"
    ninh_thuan = facts(real_site, "ninh-thuan-2021-2025")
    assert ninh_thuan["Địa bàn"] == "Tỉnh Ninh Thuận; nay thuộc tỉnh Khánh Hòa"
    assert ninh_thuan["Cơ quan ban hành"] == "Ủy ban nhân dân tỉnh Ninh Thuận; không còn từ ngày 01/07/2025"


def test_a_province_mid_sentence_is_written_in_lower_case(real_site: Path) -> None:
    texts = {p: text_of(real_site, p.relative_to(real_site).as_posix()) for p in real_site.glob("**/index.html")}
    assert not [p for p, text in texts.items() if "nay thuộc Tỉnh" in text or "vào Tỉnh" in text]
    assert "nay thuộc tỉnh Ninh Bình" in text_of(real_site, "guong/ho-le-van-toan-nam-dinh/index.html")


def test_the_plan_list_gives_each_count_once_and_a_plan_publishes_nothing(real_site: Path) -> None:
    tree = LexborHTMLParser((real_site / "ke-hoach" / "index.html").read_text(encoding="utf-8"))
    for item in tree.css("main li"):
        assert item.text().count("gương đã đăng") <= 1, item.text()
    assert not [p for p in real_site.glob("ke-hoach/*/index.html") if "cả kế hoạch đã đăng" in p.read_text()]


NEW_STYLE = re.compile(r"\w*(?:o[àáảãạ]|o[èéẻẽẹ]|u[ỳýỷỹỵ])(?!\w)", re.IGNORECASE)
"""A tone mark on the second vowel of an open syllable ("toà", "hoá", "thuỷ"): the plans write "tòa", "hóa",
"thủy", and so does the text the site writes itself ("qu" is a consonant: "quý" is right either way)."""


def test_the_site_s_own_text_places_tone_marks_as_the_plans_do() -> None:
    sources = [*(REPO / "build_tools" / "templates").glob("*.j2"), *(REPO / "content").glob("*.md")]
    sources += [*(REPO / "build_tools" / "theme").rglob("*.html"), *(REPO / "build_tools" / "theme").rglob("*.js")]
    found = {
        f"{path.relative_to(REPO)}: {word}"
        for path in sources
        for word in NEW_STYLE.findall(unicodedata.normalize("NFC", path.read_text(encoding="utf-8")))
        if not word.lower().startswith("qu")
    }
    assert found == set()
