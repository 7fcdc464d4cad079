"""The content that ships in the repository passes every rule and builds, and the sample set covers the cases."""

from __future__ import annotations

from pathlib import Path

import pytest

from build_tools.build import check
from build_tools.catalogue import Catalogue
from build_tools.config import load_project

from .feed_rules import rss_problems

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return check(load_project(REPO))


def test_sample_profiles_cover_kinds_fields_provinces_photos_and_awards(catalogue: Catalogue) -> None:
    exemplars = catalogue.exemplars
    assert len(exemplars) >= 12
    assert len({f for e in exemplars for f in e.fields}) >= 6
    assert len({e.province for e in exemplars}) >= 5
    assert any(not catalogue.provinces[e.province].current for e in exemplars)
    assert {e.kind for e in exemplars} == {"ca-nhan", "tap-the", "ho-gia-dinh"}
    assert sum(e.photo is not None for e in exemplars) >= 3
    assert sum(bool(e.awards) for e in exemplars) >= 3


def test_sample_profiles_say_they_are_sample_data(catalogue: Catalogue) -> None:
    samples = [e for e in catalogue.exemplars if e.sample]
    assert samples, "the repository ships sample profiles, flagged `sample: true`"
    assert all("Dữ liệu mẫu" in e.body_markdown for e in samples)


def test_taxonomies_hold_34_current_and_63_former_provinces(catalogue: Catalogue) -> None:
    provinces = catalogue.provinces.values()
    assert sum(p.current for p in provinces) == 34
    assert len(provinces) == 63
    assert all(catalogue.provinces[p.merged_into].current for p in provinces if not p.current)
    assert catalogue.today("nam-dinh").id == "ninh-binh"
    assert catalogue.today("ninh-thuan").id == "khanh-hoa"
    assert catalogue.today("bac-giang").id == "bac-ninh"
    assert catalogue.today("lang-son").id == "lang-son"


def test_fixed_field_ids_exist(catalogue: Catalogue) -> None:
    fixed = {
        "hoc-tap-lam-theo-bac",
        "nong-thon-moi",
        "lao-dong-sang-tao",
        "doi-song-van-hoa",
        "day-tot-hoc-tot",
        "y-te",
        "quoc-phong",
        "an-ninh-to-quoc",
        "giam-ngheo",
        "van-hoa-cong-so",
        "chuyen-doi-so",
        "chong-rac-thai-nhua",
        "nong-dan-san-xuat-gioi",
        "dan-van-kheo",
    }
    assert fixed <= set(catalogue.fields)
    assert all(f.name and f.description for f in catalogue.fields.values())


def test_the_real_site_builds(real_site: Path) -> None:
    site = real_site
    assert (site / "index.html").is_file()
    assert len(list((site / "guong").glob("*/index.html"))) >= 12
    assert len(list((site / "dia-phuong").glob("*/index.html"))) == 63
    # The feeds newsrooms receive from the real content pass the W3C validator's RSS 2.0 rules.
    site_url = load_project(site.parent).settings.site_url
    for feed in sorted(site.rglob("feed.xml")):
        path = feed.relative_to(site).as_posix()
        assert rss_problems(feed.read_bytes(), site_url + path) == [], path


def test_plan_items_the_source_marks_with_a_dash_have_no_number(real_site: Path) -> None:
    plan = (real_site / "ke-hoach" / "lang-son-skhdt-2022-2025" / "index.html").read_text(encoding="utf-8")
    assert ">Xây dựng mô hình điển hình “dân vận khéo”</h3>" in plan
    assert ">-. " not in plan
    field = (real_site / "linh-vuc" / "dan-van-kheo" / "index.html").read_text(encoding="utf-8")
    assert "mục -" not in field
