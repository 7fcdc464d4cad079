"""The form editor at /admin/ (Decap CMS): its settings follow the schema, what it writes passes the check, and a
reader never downloads it."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from build_tools.build import build_site
from build_tools.cli import main
from build_tools.content.config import load_project
from build_tools.content.gather import check, load_taxonomies
from build_tools.content.problems import ContentError
from build_tools.content.schema.keys import SUMMARY_MAX
from build_tools.site.cms import CMS_CONFIG, github_repo, render_cms_config

from .conftest import REPO, SiteFixture
from .test_contributing import owners_of

# A profile exactly as Decap CMS 3.16 saved it in a trial through decap-server: lists in block style, keys in the
# order of the form, the photo's keys in alphabetical order, the story right after the closing line.
AS_DECAP_WRITES_IT = """\
---
name: Nguyễn Văn Đạt
kind: ca-nhan
fields:
  - day-tot-hoc-tot
  - chuyen-doi-so
province: nam-dinh
awards:
  - title: Bằng khen của Chủ tịch UBND tỉnh
    decision: Quyết định số 1234/QĐ-UBND
    date: 2024-05-12
summary: Thầy giáo dạy Toán ba mươi năm ở vùng ven biển.
published: 2025-06-01
photo:
  alt: Thầy Đạt trên lớp
  credit: Báo Nam Định
  src: chan-dung.jpg
sources:
  - title: Thầy giáo của học trò vùng biển
    url: https://baonamdinh.vn/thay-giao-vung-bien
consent: true
tags:
  - giáo dục
---
Thầy Đạt dạy Toán ở trường làng.
"""


@pytest.fixture(scope="module")
def config() -> dict:
    return yaml.safe_load((REPO / CMS_CONFIG).read_text(encoding="utf-8"))


def _fields(config: dict) -> dict[str, dict]:
    [collection] = config["collections"]
    return {field["name"]: field for field in collection["fields"]}


def test_the_committed_form_settings_are_what_the_schema_generates() -> None:
    """`exemplars docs --check` fails while content/admin/config.yml lags behind the schema."""
    path = REPO / CMS_CONFIG
    assert owners_of(CMS_CONFIG) == ["@org/ky-thuat"], "generated settings are reviewed by the technical team"
    assert main(["--root", str(REPO), "docs", "--check"]) == 0
    assert path.read_text(encoding="utf-8").startswith("# Tạo tự động từ build_tools/content/schema/keys.py")


def test_a_stale_form_is_reported_by_docs_check(site: SiteFixture, capsys: pytest.CaptureFixture[str]) -> None:
    (site.root / "CONTRIBUTING.md").write_text((REPO / "CONTRIBUTING.md").read_text(encoding="utf-8"))
    assert main(["--root", str(site.root), "docs"]) == 0
    assert main(["--root", str(site.root), "docs", "--check"]) == 0
    path = site.root / CMS_CONFIG
    path.write_text(path.read_text(encoding="utf-8").replace("tối đa 300", "tối đa 400"), encoding="utf-8")
    capsys.readouterr()
    assert main(["--root", str(site.root), "docs", "--check"]) == 1
    assert f"{CMS_CONFIG}: chưa khớp với mẫu hồ sơ. Chạy `exemplars docs`" in capsys.readouterr().err


def test_an_officer_picks_kind_fields_and_province_by_their_vietnamese_names(config: dict) -> None:
    fields = _fields(config)
    assert fields["kind"]["widget"] == "select"
    assert {o["value"]: o["label"] for o in fields["kind"]["options"]} == {
        "ca-nhan": "Cá nhân",
        "tap-the": "Tập thể",
        "ho-gia-dinh": "Hộ gia đình",
    }
    assert fields["fields"]["multiple"] is True and fields["fields"]["min"] == 1
    assert {"label": "Dạy tốt - Học tốt; giáo dục và đào tạo", "value": "day-tot-hoc-tot"} in fields["fields"][
        "options"
    ]
    provinces = fields["province"]["options"]
    assert all(not o["label"].endswith(")") for o in provinces[:34]), "today's 34 provinces come first"
    assert all("tỉnh cũ, trước 1/7/2025" in o["label"] for o in provinces[34:])
    assert len(provinces) == len(load_taxonomies(load_project(REPO))[1])
    assert {"label": "Tỉnh Nam Định (tỉnh cũ, trước 1/7/2025; nay thuộc Tỉnh Ninh Bình)", "value": "nam-dinh"} in (
        provinces
    )
    assert all(re.fullmatch(r"[a-z0-9-]+", o["value"]) for o in provinces)


def test_the_form_has_the_checks_limits_and_requirements(config: dict) -> None:
    fields = _fields(config)
    pattern, message = fields["summary"]["pattern"]
    assert re.fullmatch(pattern, "a" * SUMMARY_MAX) and not re.fullmatch(pattern, "a" * (SUMMARY_MAX + 1))
    assert not re.fullmatch(pattern, "Tóm tắt có <script>")
    assert message.startswith(f"tối đa {SUMMARY_MAX} ký tự")  # Decap shows "Tóm tắt không khớp với mẫu: tối đa…"
    assert fields["consent"] == {**fields["consent"], "widget": "boolean", "required": True}
    assert "default" not in fields["consent"], "an untouched switch must be reported, not saved as false"
    photo = {f["name"]: f for f in fields["photo"]["fields"]}
    assert fields["photo"]["required"] is False
    assert photo["src"]["widget"] == "image"
    # Decap enforces required parts of an optional group even when it is left empty, which would make a photo
    # mandatory: the form says they are needed with a photo, and the check enforces it (tests/test_validation.py).
    assert not any(part["required"] for part in photo.values())
    assert photo["alt"]["hint"].startswith("Bắt buộc khi có ảnh") and photo["credit"]["hint"].startswith("Bắt buộc")
    assert re.fullmatch(photo["alt"]["pattern"][0], "a" * 250) and not re.fullmatch(
        photo["alt"]["pattern"][0], "a" * 251
    )
    for date in (fields["published"], fields["updated"]):
        assert date["widget"] == "datetime" and date["format"] == "YYYY-MM-DD" and date["time_format"] is False
    assert fields["published"]["required"] and not fields["updated"]["required"]
    assert not {"draft", "aliases", "sample"} & set(fields), "officers add real exemplars; samples ship with us"


def test_each_entry_becomes_a_pull_request_into_its_own_folder(config: dict) -> None:
    [collection] = config["collections"]
    assert config["publish_mode"] == "editorial_workflow"
    assert config["backend"] == {**config["backend"], "name": "github", "open_authoring": True, "branch": "main"}
    assert config["backend"]["repo"] == "example/guong-dien-hinh"  # mkdocs.yml's repo_url
    assert "base_url" not in config["backend"], "no sign-in proxy is invented before the organisation sets one"
    assert collection["folder"] == "exemplars" and collection["path"] == "{{slug}}/index"
    assert collection["slug"] == "{{name}}-{{province}}"
    assert (collection["media_folder"], collection["public_folder"]) == ("", "")
    assert config["slug"] == {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"}
    assert config["locale"] == "vi"
    # `bash tasks.sh cms`: decap-server on loopback; the published site never tries it (not on 127.0.0.1).
    assert config["local_backend"] == {
        "url": "http://127.0.0.1:8081/api/v1",
        "allowed_hosts": ["127.0.0.1", "localhost"],
    }


def test_the_sign_in_proxy_and_the_repository_come_from_the_settings(site: SiteFixture) -> None:
    text = (site.root / "mkdocs.yml").read_text(encoding="utf-8")
    text = text.replace("  - exemplars:\n", "  - exemplars:\n      cms_auth_url: https://dang-nhap.example.org/\n")
    (site.root / "mkdocs.yml").write_text(text, encoding="utf-8")
    fields, provinces, _ = load_taxonomies(site.project)
    config = yaml.safe_load(render_cms_config(site.project.settings, fields.values(), provinces.values()))
    assert config["backend"]["repo"] == "example/test"
    assert config["backend"]["base_url"] == "https://dang-nhap.example.org"
    assert github_repo("https://gitlab.com/a/b") == ""


def test_a_profile_as_decap_writes_it_passes_the_check_and_builds(site: SiteFixture) -> None:
    site.raw_profile("nguyen-van-dat-nam-dinh", AS_DECAP_WRITES_IT)
    site.photo("nguyen-van-dat-nam-dinh", "chan-dung.jpg")
    [exemplar] = check(site.project).exemplars
    assert exemplar.fields == ("day-tot-hoc-tot", "chuyen-doi-so")
    assert exemplar.photo is not None and exemplar.photo.credit == "Báo Nam Định"
    assert str(exemplar.published) == "2025-06-01"
    build_site(site.project)
    page = site.built("guong/nguyen-van-dat-nam-dinh/index.html")
    assert "Nguyễn Văn Đạt" in page and "Thầy Đạt dạy Toán ở trường làng." in page
    assert "Quyết định số 1234/QĐ-UBND" in page


def test_two_namesakes_saved_into_one_folder_are_caught(site: SiteFixture) -> None:
    site.raw_profile("nguyen-van-dat-nam-dinh", AS_DECAP_WRITES_IT.replace("  src: chan-dung.jpg\n", "  src: a.jpg\n"))
    site.photo("nguyen-van-dat-nam-dinh", "a.jpg")
    (site.root / "exemplars" / "nguyen-van-dat-nam-dinh" / "index-1.md").write_text(
        AS_DECAP_WRITES_IT, encoding="utf-8"
    )
    with pytest.raises(ContentError) as caught:
        check(site.project)
    assert [str(p) for p in caught.value.problems] == [
        "exemplars/nguyen-van-dat-nam-dinh/index-1.md: thư mục exemplars/nguyen-van-dat-nam-dinh/ đã có hồ sơ "
        "index.md; tệp index-1.md là hồ sơ thứ hai bị lưu vào cùng thư mục (hai người trùng tên và trùng tỉnh). Hãy "
        "chuyển tệp này sang thư mục riêng, ví dụ `exemplars/nguyen-van-dat-nam-dinh-2/index.md`, cùng với ảnh của "
        "hồ sơ đó, và sửa đường dẫn cho khác."
    ]


def _with_bundle(site: SiteFixture) -> None:
    """The fixture shares the repository's `node_modules` (installed by `npm ci`), as a checkout would have it."""
    if not (REPO / "node_modules" / "decap-cms" / "dist" / "decap-cms.js").is_file():
        pytest.skip("node_modules/decap-cms is missing: `bash tasks.sh test` installs it with npm ci")
    (site.root / "node_modules").symlink_to(REPO / "node_modules")


def _admin(site: SiteFixture) -> None:
    (site.root / "content" / "admin").mkdir()
    for name in ("index.html", "config.yml"):
        (site.root / "content" / "admin" / name).write_bytes((REPO / "content" / "admin" / name).read_bytes())


def test_the_editor_is_served_at_admin_and_only_there(site: SiteFixture) -> None:
    _with_bundle(site)
    _admin(site)
    site.profile("nguyen-thi-huong-nam-dinh")
    build_site(site.project)
    built = site.root / "site"
    assert (built / "admin" / "decap-cms.js").stat().st_size > 1_000_000
    assert list((built / "admin").glob("*.decap-cms.js")), "the chunks the bundle loads on demand"
    assert not list((built / "admin").glob("*.map")), "25 MB of source maps stay out of the site"
    assert (built / "admin" / "config.yml").read_bytes() == (REPO / CMS_CONFIG).read_bytes()
    admin = site.built("admin/index.html")
    assert '<script src="decap-cms.js"' in admin and 'name="robots" content="noindex' in admin
    for page in built.rglob("*.html"):
        if page.parent.name != "admin":
            assert "decap-cms" not in page.read_text(encoding="utf-8"), f"{page} loads the editor"
    assert "/admin/" not in site.built("sitemap.xml")
    manifest = json.loads(site.built("search/index.json"))
    assert "admin" not in json.dumps(manifest)


def test_without_the_bundle_the_build_works_and_admin_says_how_to_install_it(site: SiteFixture) -> None:
    _admin(site)
    site.profile("nguyen-thi-huong-nam-dinh")
    build_site(site.project)
    assert not (site.root / "site" / "admin" / "decap-cms.js").exists()
    admin = site.built("admin/index.html")
    assert "Trình biên tập hồ sơ chưa được cài đặt" in admin
    assert "bash tasks.sh build" in admin


def test_the_guide_explains_sign_in_and_the_officers_steps() -> None:
    guide = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    section = guide.split("## Biên tập bằng biểu mẫu")[1].split("\n## ")[0]
    for needed in ("/admin/", "cms_auth_url", "OAuth", "bash tasks.sh cms", "docs/screenshots/cms-"):
        assert needed in section
    for shot in re.findall(r"\((docs/screenshots/cms-[a-z-]+\.png)\)", section):
        assert Path(REPO / shot).is_file(), shot
