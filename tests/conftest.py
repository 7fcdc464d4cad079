"""Throwaway sites built inline: a test writes the profiles it needs and reads what a reader would see."""

from __future__ import annotations

import shutil
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml

from build_tools.content.config import Project, load_project
from build_tools.content.gather import load_plans, load_taxonomies
from build_tools.content.model import Plan

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures"

MKDOCS_YML = """\
site_name: Gương thử nghiệm
site_description: Trang thử nghiệm
site_url: https://example.test/
repo_url: https://github.com/example/test
docs_dir: content
theme:
  name: material
  language: vi
  custom_dir: {theme}
  font: false
plugins:
  - exemplars:
      page_size: {page_size}
      feed_items: {feed_items}
markdown_extensions:
  - admonition
  - attr_list
  - tables
  - toc:
      slugify: !!python/name:build_tools.content.text.anchor_slugify
nav:
  - Trang chủ: index.md
  - Người tốt, việc tốt: nguoi-tot-viec-tot/index.md
  - Lĩnh vực: linh-vuc/index.md
  - Địa phương: dia-phuong/index.md
  - Kế hoạch: ke-hoach/index.md
  - Báo chí: bao-chi/index.md
  - Dữ liệu mở: du-lieu/index.md
  - Giới thiệu: gioi-thieu.md
"""


def profile_text(front_matter: dict[str, Any], body: str) -> str:
    header = yaml.safe_dump(front_matter, allow_unicode=True, sort_keys=False)
    return f"---\n{header}---\n{textwrap.dedent(body).strip()}\n"


BASE_PROFILE: dict[str, Any] = {
    "name": "Nguyễn Thị Hương",
    "kind": "ca-nhan",
    "fields": ["day-tot-hoc-tot"],
    "province": "nam-dinh",
    "summary": "Cô giáo dạy Toán hai mươi năm ở vùng ven.",
    "published": "2023-06-01",
    "consent": True,
    # A real profile is verifiable (schema.keys.validate_verifiable): tests about something else need not say so.
    "sources": [{"title": "Cô giáo của học trò vùng ven", "url": "https://example.vn/bai-viet"}],
}


COMPILED_TEMPLATES: list[Path] = []
"""The folders of compiled templates (`.cache/templates*`) of a site built once in this test process, if any: see
`compiled_templates`."""


@dataclass
class SiteFixture:
    """A small project in a temporary folder, with the real taxonomies and only the plans a test asks for.

    Its `.cache/` starts with the templates compiled (`compiled=True`), as a second build of a site finds them:
    Material's and our templates, which every site compiles alike, took half of a small site's first build (0.6 to
    0.9 s of CPU); a test about compiling itself passes `compiled=False`. Nothing else is kept."""

    root: Path
    page_size: int = 20
    feed_items: int = 50
    written: list[Path] = field(default_factory=list)
    compiled: bool = True

    def __post_init__(self) -> None:
        (self.root / "plans" / "sources").mkdir(parents=True)
        for name in ("fields.yml", "provinces.yml"):
            shutil.copy(REPO / "plans" / name, self.root / "plans" / name)
        (self.root / "exemplars").mkdir()
        (self.root / "content").mkdir()
        (self.root / "content" / "gioi-thieu.md").write_text("# Giới thiệu\n\nTrang thử.\n", encoding="utf-8")
        shutil.copytree(REPO / "content" / "assets", self.root / "content" / "assets")
        self.write_config()
        if self.compiled:
            for folder in COMPILED_TEMPLATES:  # copies: Jinja rewrites a file whose template changed
                shutil.copytree(folder, self.root / ".cache" / folder.name)

    def write_config(self) -> None:
        text = MKDOCS_YML.format(
            theme=REPO / "build_tools" / "theme", page_size=self.page_size, feed_items=self.feed_items
        )
        (self.root / "mkdocs.yml").write_text(text, encoding="utf-8")

    @property
    def project(self) -> Project:
        return load_project(self.root)

    def keep_only(self, fields: set[str], provinces: set[str]) -> None:
        """Trim the real taxonomies to a few entries: a site of twenty pages instead of a hundred and twenty, for
        tests that build many times and are about something other than the lists (publishing, fuzzing)."""
        for name, keep in (("fields.yml", fields), ("provinces.yml", provinces)):
            path = self.root / "plans" / name
            entries = [entry for entry in yaml.safe_load(path.read_text(encoding="utf-8")) if entry["id"] in keep]
            for entry in entries:
                if "merged_from" in entry:
                    entry["merged_from"] = [i for i in entry["merged_from"] if i in keep]
            path.write_text(yaml.safe_dump(entries, allow_unicode=True, sort_keys=False), encoding="utf-8")

    def plan(self, plan_id: str) -> None:
        """Copy one of the real plans (and its source text) into the fixture."""
        shutil.copy(REPO / "plans" / f"{plan_id}.yml", self.root / "plans" / f"{plan_id}.yml")
        source = yaml.safe_load((REPO / "plans" / f"{plan_id}.yml").read_text(encoding="utf-8"))["source"]
        shutil.copy(REPO / "plans" / "sources" / source, self.root / "plans" / "sources" / source)

    def profile(self, slug: str, body: str = "Câu chuyện mẫu.", group: str = "", **overrides: Any) -> Path:
        data = {**BASE_PROFILE, **overrides}
        data = {key: value for key, value in data.items() if value is not None}
        folder = self.root / "exemplars" / group / slug
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "index.md"
        path.write_text(profile_text(data, body), encoding="utf-8")
        self.written.append(path)
        return path

    def raw_profile(self, slug: str, content: str | bytes) -> Path:
        folder = self.root / "exemplars" / slug
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "index.md"
        if isinstance(content, str):
            path.write_text(content, encoding="utf-8")
        else:
            path.write_bytes(content)
        return path

    def photo(self, slug: str, name: str = "anh.jpg", size: tuple[int, int] = (1200, 800), group: str = "") -> Path:
        from PIL import Image

        folder = self.root / "exemplars" / group / slug
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / name
        Image.new("RGB", size, (200, 120, 40)).save(path, "JPEG")
        return path

    def generated(self, path: str) -> str:
        return (self.project.generated_dir / path).read_text(encoding="utf-8")

    def built(self, path: str) -> str:
        return (self.root / "site" / path).read_text(encoding="utf-8")


def eight_stories(site: SiteFixture, details: str = "") -> SiteFixture:
    """Eight stories in two fields and two provinces: every list, feed, data file and the search index hold some.
    `details` is added to each story's body."""
    site.keep_only({"day-tot-hoc-tot", "y-te"}, {"ha-noi", "lang-son"})
    for number in range(8):
        site.profile(
            f"guong-{number}",
            body=f"Câu chuyện số {number} về người tốt, việc tốt.{details.format(number=number)}",
            name=f"Trần Văn {number}",
            province="ha-noi" if number % 2 else "lang-son",
            fields=["y-te"] if number % 3 else ["day-tot-hoc-tot"],
            published=f"2024-05-{number + 1:02d}",
        )
    return site


@pytest.fixture
def site(tmp_path: Path) -> SiteFixture:
    return SiteFixture(tmp_path / "repo")


@pytest.fixture(scope="session", autouse=True)
def compiled_templates(tmp_path_factory: pytest.TempPathFactory) -> None:
    """A site with a plan and a photo built once per test process, cold: its compiled templates seed every
    `SiteFixture` made after it. The real content (`real_site`) is built from nothing, as this seed is."""
    from build_tools.build import build_site

    seed = SiteFixture(tmp_path_factory.mktemp("compiled") / "repo", compiled=False)
    seed.plan("nam-dinh-2022-2025")
    seed.photo("nguyen-thi-huong-nam-dinh")
    seed.profile(
        "nguyen-thi-huong-nam-dinh",
        plans=["nam-dinh-2022-2025"],
        photo={"src": "anh.jpg", "alt": "Cô Hương", "credit": "Báo Nam Định"},
        awards=[{"title": "Bằng khen", "decision": "Quyết định số 1/QĐ-UBND", "date": "2023-05-12"}],
    )
    build_site(seed.project)
    COMPILED_TEMPLATES[:] = sorted(seed.project.cache_dir.glob("templates*"))


HOSTILE_STORY = """\
Câu chuyện có mã độc do người sửa hồ sơ vô tình dán vào.

<script>alert("xss")</script>
<iframe src="https://evil.example/"></iframe>
<style>body { display: none }</style>

<p onclick="steal()">Đoạn văn có <a href="javascript:alert(1)">liên kết độc</a> và
<img src="anh-khac.jpg" onerror="alert(2)" alt="ảnh"></p>

Xem thêm [các gương giảm nghèo](../../linh-vuc/giam-ngheo/).
"""


@pytest.fixture(scope="session")
def newsroom(tmp_path_factory: pytest.TempPathFactory) -> SiteFixture:
    """A built site as a newsroom meets it: a story with a photo, one with two fields, one recorded under a former
    province, one with hostile HTML, and a draft that must never leave the repository."""
    from build_tools.build import build_site

    site = SiteFixture(tmp_path_factory.mktemp("newsroom") / "repo")
    site.plan("lang-son-skhdt-2022-2025")
    site.photo("bac-si-lan-ha-noi", size=(2000, 1333))
    site.profile(
        "bac-si-lan-ha-noi",
        body="Bác sĩ Lan khám miễn phí cho người cao tuổi mỗi sáng thứ Bảy.",
        name="Trần Thị Lan",
        fields=["y-te"],
        province="ha-noi",
        locality="Phường Kim Liên, quận Đống Đa",
        summary="Bác sĩ trạm y tế phường, mười năm khám miễn phí cho người cao tuổi.",
        photo={"src": "anh.jpg", "alt": "Bác sĩ Lan khám cho một cụ bà", "credit": "Báo Hà Nội Mới"},
        awards=[
            {"title": "Bằng khen của Bộ trưởng Bộ Y tế", "decision": "Quyết định số 2345/QĐ-BYT", "date": "2024-02-20"}
        ],
        sources=[{"title": "Bác sĩ của người cao tuổi", "url": "https://example.vn/bai-bao"}],
        tags=["y tế cơ sở"],
        published="2024-03-01",
        updated="2024-04-02",
    )
    site.profile(
        "htx-dong-dang-lang-son",
        body="Hợp tác xã đưa sản phẩm hồi lên sàn thương mại điện tử.",
        name="Hợp tác xã Đồng Đăng",
        kind="tap-the",
        consent=None,
        fields=["nong-thon-moi", "chuyen-doi-so"],
        province="lang-son",
        plans=["lang-son-skhdt-2022-2025"],
        summary="Hợp tác xã trồng hồi bán hàng trực tuyến.",
        published="2024-02-10",
    )
    site.profile(
        "co-giao-huong-nam-dinh",
        body="Cô dạy Toán ở trường THCS.",
        name="Nguyễn Thị Hương",
        province="nam-dinh",
        organization="Trường THCS Trần Đăng Ninh",
        published="2023-06-01",
        group="2023",
    )
    site.profile(
        "ban-giam-ngheo-lai-chau",
        body=HOSTILE_STORY,
        name="Ban giảm nghèo bản Nậm Tăm",
        kind="tap-the",
        consent=None,
        fields=["giam-ngheo"],
        province="lai-chau",
        organization='=HYPERLINK("https://evil.example/")',
        tags=["giảm nghèo", '=HYPERLINK("https://evil.example/")', ' +cmd|" /C calc"!A0'],
        summary="Ban giảm nghèo giúp 30 hộ thoát nghèo.",
        published="2022-09-01",
    )
    site.profile(
        "ban-nhap-ha-noi",
        name="Bản Nháp Chưa Đăng",
        province="ha-noi",
        summary="Hồ sơ chưa được duyệt.",
        published="2024-05-01",
        draft=True,
    )
    build_site(site.project)
    return site


REAL_COPY_IGNORE = shutil.ignore_patterns(
    ".git", ".venv", "site", ".site.*", ".cache", ".generated", "__pycache__", ".*cache", "node_modules"
)


def copy_repository(target: Path) -> Path:
    """The repository's content and code as a fresh clone would have them, without anything built or cached."""
    shutil.copytree(REPO, target, ignore=REAL_COPY_IGNORE)
    bundle = REPO / "node_modules" / "decap-cms" / "dist"
    if bundle.is_dir():  # the form editor at /admin/, which `bash tasks.sh build` installs with npm
        (target / "node_modules" / "decap-cms").mkdir(parents=True)
        (target / "node_modules" / "decap-cms" / "dist").symlink_to(bundle)
    return target


@pytest.fixture(scope="session")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real content of the repository, built once per session in a temporary copy; its `site/` folder."""
    from build_tools.build import build_site

    return build_site(load_project(copy_repository(tmp_path_factory.mktemp("real") / "repo")))


@pytest.fixture(scope="session")
def plans() -> dict[str, Plan]:
    """The repository's five plans as the build loads them, for the tests that compare them with their sources."""
    project = load_project(REPO)
    fields, provinces, problems = load_taxonomies(project)
    assert problems == []
    loaded, problems = load_plans(project, fields, provinces)
    assert problems == []
    return loaded
