"""The content that ships in the repository passes every rule and builds, and the sample set covers the cases.

Each test also runs on a copy of the repository where an officer's pull request added a correct real profile (no
sample flag): a rule about samples applies to samples alone, so real content passes every content check.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from build_tools.build import build_site
from build_tools.cli import main
from build_tools.content.catalogue import Catalogue
from build_tools.content.config import load_project
from build_tools.content.gather import check
from build_tools.content.load import read_story

from .conftest import copy_repository, profile_text
from .feed_rules import rss_problems

REPO = Path(__file__).resolve().parents[1]

REAL_PROFILE = "exemplars/2025/nguyen-van-hai-ninh-binh/index.md"
"""Where the officer's pull request puts the real profile (`with_real_profile`)."""


def add_real_profile(root: Path) -> None:
    """What an officer's pull request adds: a real exemplar, with consent and an award (decision, date), unflagged."""
    path = root / REAL_PROFILE
    path.parent.mkdir(parents=True)
    front = {
        "name": "Nguyễn Văn Hải",
        "kind": "ca-nhan",
        "fields": ["nong-thon-moi"],
        "province": "ninh-binh",
        "locality": "Xã Gia Vân",
        "awards": [
            {
                "title": "Giấy khen của Chủ tịch UBND xã Gia Vân",
                "decision": "Quyết định số 45/QĐ-UBND",
                "date": "2025-08-20",
            }
        ],
        "summary": "Trưởng thôn vận động bà con hiến đất mở rộng đường liên thôn.",
        "published": "2025-09-01",
        "consent": True,
    }
    path.write_text(profile_text(front, "Ông Hải làm trưởng thôn từ năm 2018."), encoding="utf-8")


@pytest.fixture(scope="module")
def with_real_profile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the repository with a real profile added, as an officer's pull request adds it."""
    root = copy_repository(tmp_path_factory.mktemp("real-profile") / "repo")
    add_real_profile(root)
    return root


@pytest.fixture(scope="module")
def real_profile_site(with_real_profile: Path) -> Path:
    return build_site(load_project(with_real_profile))


@pytest.fixture(scope="module", params=["repository", "with_real_profile"])
def content_root(request: pytest.FixtureRequest) -> Path:
    """The repository as it is, and its copy with a real profile added."""
    return REPO if request.param == "repository" else request.getfixturevalue("with_real_profile")


@pytest.fixture(scope="module")
def catalogue(content_root: Path) -> Catalogue:
    return check(load_project(content_root))


@pytest.fixture(scope="module")
def content_site(content_root: Path, request: pytest.FixtureRequest) -> Path:
    """The built site: the session's build of the repository, or the build of its copy with the real profile."""
    return request.getfixturevalue("real_site" if content_root == REPO else "real_profile_site")


def test_the_pull_request_checks_pass(content_root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """What the pull-request workflow and the pre-commit hooks run on content: `exemplars check`, `exemplars docs
    --check` (.github/workflows/pr.yml, .pre-commit-config.yaml)."""
    assert main(["--root", str(content_root), "check"]) == 0, capsys.readouterr()
    assert main(["--root", str(content_root), "docs", "--check"]) == 0, capsys.readouterr()


def test_the_real_profile_is_published_without_any_sample_mark(real_profile_site: Path) -> None:
    page = (real_profile_site / "guong" / "nguyen-van-hai-ninh-binh" / "index.html").read_text(encoding="utf-8")
    story = page.split('<h2 id="guong-dien-hinh-lien-quan"')[0]  # related stories are samples: marked as such
    assert "Nguyễn Văn Hải" in story and "Quyết định số 45/QĐ-UBND, ngày 20/08/2025" in story
    assert "Dữ liệu mẫu" not in story and "minh họa" not in story


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
    assert all("Dữ liệu mẫu" in read_story(REPO / e.source_path, e.source_path) for e in samples)
    # Their decision numbers are visibly placeholders: no invented number of a real body.
    assert all("…/" in a.decision for e in samples for a in e.awards if a.decision)


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


def test_the_real_site_builds(content_site: Path) -> None:
    site = content_site
    assert (site / "index.html").is_file()
    assert len(list((site / "guong").glob("*/index.html"))) >= 12
    assert len(list((site / "dia-phuong").glob("*/index.html"))) == 63
    # The feeds newsrooms receive from the real content pass the W3C validator's RSS 2.0 rules.
    site_url = load_project(site.parent).settings.site_url
    for feed in sorted(site.rglob("feed.xml")):
        path = feed.relative_to(site).as_posix()
        assert rss_problems(feed.read_bytes(), site_url + path) == [], path


def test_plan_items_the_source_marks_with_a_dash_have_no_number(content_site: Path) -> None:
    plan = (content_site / "ke-hoach" / "lang-son-skhdt-2022-2025" / "index.html").read_text(encoding="utf-8")
    assert ">Xây dựng mô hình điển hình “dân vận khéo”</h3>" in plan
    assert ">-. " not in plan
    field = (content_site / "linh-vuc" / "dan-van-kheo" / "index.html").read_text(encoding="utf-8")
    assert "mục -" not in field
