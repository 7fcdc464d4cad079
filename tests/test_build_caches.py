"""A maintainer's story: what makes a large build fast never changes what readers get.

- Stories go through one theme shell per shape of page (build_tools/mkdocs/shell.py) instead of Material's
  template each: every page is byte for byte what MkDocs renders on its own.
- A story's safe HTML is kept in `.cache/stories/` between builds: a corrected story is what readers see at the
  next build, and HTML made under other rules is never reused.
- A profile that passed every per-file rule is remembered (`.cache/checked/`) and read again only when it,
  its folder, the vocabulary or the rules change: an error made after the last build is always reported.
"""

from __future__ import annotations

import html
import json
import os
import pickle
import shutil
import time
from pathlib import Path
from typing import Any

import pytest
import yaml
from markupsafe import escape

import build_tools.content.gather as generation
from build_tools.build import build_site
from build_tools.content import richtext
from build_tools.content.gather import check
from build_tools.content.problems import ContentError, format_problems
from build_tools.content.richtext import cached_story, render_story
from build_tools.generate import generate
from build_tools.mkdocs import plugin
from build_tools.mkdocs.render import render_site
from build_tools.site.pages import _page

from .conftest import SiteFixture
from .test_reproducible import digests


def _site_with_stories(site: SiteFixture) -> SiteFixture:
    """Stories of several shapes: with and without photo, one or two fields, a long name with `&` and quotes."""
    site.keep_only({"day-tot-hoc-tot", "y-te", "nong-dan-san-xuat-gioi"}, {"ha-noi", "lang-son", "ca-mau"})
    for number in range(7):
        site.profile(
            f"guong-{number}",
            body=f"Câu chuyện số {number} & những việc <em>tốt</em>.\n\n## Việc làm\n\nChi tiết {number}.",
            name=f'Gương "số" {number} & Cộng sự' if number % 2 else f"Nguyễn Văn {number}",
            fields=["day-tot-hoc-tot", "y-te"] if number % 3 == 0 else ["nong-dan-san-xuat-gioi"],
            province=["ha-noi", "lang-son", "ca-mau"][number % 3],
            published=f"2024-03-1{number}",
        )
    site.photo("guong-2")
    site.photo("guong-4", size=(900, 1200))
    return site


def _correct_story_3(site: SiteFixture) -> None:
    """A communications officer corrects one story's text (its other values unchanged)."""
    site.profile(
        "guong-3",
        body="Câu chuyện đã được đính chính.",
        name="Gương số 3",
        fields=["nong-dan-san-xuat-gioi"],
        province="ha-noi",
        published="2024-03-13",
    )


def test_story_pages_through_shells_are_what_mkdocs_renders(site: SiteFixture, tmp_path: Path) -> None:
    _site_with_stories(site)
    project = site.project
    generate(project, workers=1)
    render_site(project, tmp_path / "shells", workers=1, shells=True)
    render_site(project, tmp_path / "mkdocs", workers=1, shells=False)
    with_shells, without = digests(tmp_path / "shells"), digests(tmp_path / "mkdocs")
    assert sorted(with_shells) == sorted(without)
    assert [path for path in with_shells if with_shells[path] != without[path]] == []
    story = (tmp_path / "shells" / "guong" / "guong-1" / "index.html").read_text(encoding="utf-8")
    assert "<title>Gương &#34;số&#34; 1 &amp; Cộng sự - " in story or "<title>Gương &quot;số&quot; 1 &amp;" in story
    assert 'og:url" content="https://' in story and "/guong/guong-1/" in story


def test_shells_render_the_stories_when_the_build_is_shared_among_processes(site: SiteFixture) -> None:
    _site_with_stories(site)
    build_site(site.project, workers=2)
    alone = digests(site.root / "site")
    build_site(site.project, workers=1)
    assert digests(site.root / "site") == alone


def test_a_hand_written_page_may_link_the_feeds_the_data_and_a_story_in_markdown(site: SiteFixture) -> None:
    """Photo variants and the search index are linked into the site by the plugin, not listed for MkDocs; what a
    communications officer may link from a page of content/ (strict mode checks it) is still known to MkDocs."""
    _site_with_stories(site)
    (site.root / "content" / "gioi-thieu.md").write_text(
        "# Giới thiệu\n\nTải [dữ liệu CSV](du-lieu/exemplars.csv), theo dõi [feed](feed.xml) hoặc đọc "
        "[một câu chuyện](guong/guong-2/index.md).\n",
        encoding="utf-8",
    )
    for workers in (1, 2):
        site_dir = build_site(site.project, workers=workers)
        page = (site_dir / "gioi-thieu" / "index.html").read_text(encoding="utf-8")
        assert 'href="../du-lieu/exemplars.csv"' in page and 'href="../feed.xml"' in page
        assert 'href="../guong/guong-2/"' in page
        assert (site_dir / "du-lieu" / "exemplars.csv").is_file()
        assert (site_dir / "linh-vuc" / "nong-dan-san-xuat-gioi" / "card.png").stat().st_nlink > 1  # linked, not copied
        assert (site_dir / "search" / "index.json").is_file()


def test_a_hand_written_page_may_link_a_section_of_a_province_page(
    site: SiteFixture, caplog: pytest.LogCaptureFixture
) -> None:
    """Province pages are HTML, not Markdown: MkDocs still knows their sections when it checks a link to one."""
    _site_with_stories(site)
    (site.root / "content" / "gioi-thieu.md").write_text(
        "# Giới thiệu\n\nXem [kế hoạch của Hà Nội](dia-phuong/ha-noi/index.md#ke-hoach) hoặc "
        "[một mục không có](dia-phuong/ha-noi/index.md#khong-co).\n",
        encoding="utf-8",
    )
    with caplog.at_level("INFO", logger="mkdocs"):
        site_dir = build_site(site.project, workers=1)
    page = (site_dir / "gioi-thieu" / "index.html").read_text(encoding="utf-8")
    assert 'href="../dia-phuong/ha-noi/#ke-hoach"' in page
    anchors = [r.getMessage() for r in caplog.records if "anchor" in r.getMessage()]
    assert any("#khong-co" in message for message in anchors)  # MkDocs reports the missing section
    assert not any("#ke-hoach" in message for message in anchors)  # and knows the real one


def test_a_corrected_story_is_what_readers_see_with_the_cache_of_the_last_build(site: SiteFixture) -> None:
    path = site.profile("nguyen-van-a", body="Anh giúp dân **sửa cầu**.")
    build_site(site.project, workers=1)
    assert "<strong>sửa cầu</strong>" in site.built("guong/nguyen-van-a/index.html")
    assert any((site.project.cache_dir / "stories").rglob("*.html"))
    path.write_text(path.read_text(encoding="utf-8").replace("sửa cầu", "làm đường"), encoding="utf-8")
    build_site(site.project, workers=1)
    page = site.built("guong/nguyen-van-a/index.html")
    assert "<strong>làm đường</strong>" in page and "sửa cầu" not in page


def test_an_unchanged_story_is_converted_once(tmp_path: Path) -> None:
    text = "Chị **Lan** dạy chữ cho <script>alert(1)</script> trẻ em vùng cao."
    first = cached_story(text, tmp_path)
    assert first == render_story(text) and "<script" not in first
    [stored] = tmp_path.rglob("*.html")
    stored.write_text("<p>đọc từ bộ nhớ đệm</p>", encoding="utf-8")
    assert cached_story(text, tmp_path) == "<p>đọc từ bộ nhớ đệm</p>"
    assert cached_story(text + " Thêm.", tmp_path) == render_story(text + " Thêm.")


def test_html_made_under_other_rules_is_not_reused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The key covers the sanitiser's code: an edited allow-list (or an upgraded nh3) converts every story again."""
    text = "Một câu chuyện."
    cached_story(text, tmp_path)
    richtext._recipe.cache_clear()
    original = Path.read_bytes

    def edited(path: Path) -> bytes:
        data = original(path)
        return data + b"\n# allow-list changed\n" if path.name == "richtext.py" else data

    monkeypatch.setattr(Path, "read_bytes", edited)
    try:
        cached_story(text, tmp_path)
    finally:
        richtext._recipe.cache_clear()
    assert len(list(tmp_path.rglob("*.html"))) == 2


def test_templates_compiled_in_one_folder_are_not_compiled_again_when_the_build_tools_move(tmp_path: Path) -> None:
    """CI that checks the repository out into another folder (a fork's runner, a preview built in a folder of its
    own) moves the build tools, and their templates, with it: with `.cache/` restored, a template whose source is
    the same is not compiled again; one whose source changed is, and renders the new source."""
    from jinja2 import Environment, FileSystemLoader

    from build_tools.engine.compiled import CompiledTemplates

    cache = tmp_path / "cache"
    cache.mkdir()
    compiled: list[str] = []

    def render(folder: str, source: str) -> str:
        (tmp_path / folder).mkdir(exist_ok=True)
        (tmp_path / folder / "trang.html").write_text(source, encoding="utf-8")
        kept = CompiledTemplates(str(cache))
        environment = Environment(loader=FileSystemLoader(tmp_path / folder), bytecode_cache=kept)
        compile_source = environment.compile

        def counted(source: str, name: str | None = None, filename: str | None = None) -> Any:
            compiled.append(folder)
            return compile_source(source, name, filename)

        environment.compile = counted  # type: ignore[method-assign]
        return environment.get_template("trang.html").render(ten="Lan")

    assert render("kho-cu", "Xin chào {{ ten }}") == "Xin chào Lan"
    assert render("kho-moi", "Xin chào {{ ten }}") == "Xin chào Lan"
    assert compiled == ["kho-cu"]
    assert render("kho-khac", "Chào cô {{ ten }}") == "Chào cô Lan"
    assert compiled == ["kho-cu", "kho-khac"]


def test_front_matter_reads_the_same_as_yaml_and_as_json() -> None:
    """Generated pages carry JSON front matter (fast to read); MkDocs alone reads it as YAML: the same values,
    even with characters YAML takes for line breaks or refuses."""
    meta = {"title": 'Chị Lan\u2028dạy\x85chữ 😀 & "bạn" – \ufeffđọc', "hide": ["toc"], "html": True, "n": 1200}
    page = _page("offline.md.j2", "ngoai-tuyen/", meta)
    header = page.split("---\n")[1]
    expected = {**meta, "title": str(escape(meta["title"]))}
    assert json.loads(header) == expected
    assert yaml.load(header, Loader=yaml.CSafeLoader) == expected
    assert yaml.safe_load(header) == expected


def test_a_replaced_photo_never_changes_what_the_cache_holds(site: SiteFixture) -> None:
    """Photo variants are hard-linked from the cache into the site (one copy of a gigabyte at 10,000 stories):
    a new photo must arrive as new files, never written through a link into the cached or published ones."""
    from PIL import Image

    site.profile("co-lan", photo={"src": "anh.jpg", "alt": "Cô Lan trên lớp", "credit": "Ban biên tập"})
    photo = site.photo("co-lan")
    build_site(site.project, workers=1)
    cache = site.project.cache_dir / "photos"
    cached = {path: path.read_bytes() for path in cache.iterdir() if path.is_file()}
    published = site.root / "site" / "guong" / "co-lan"
    variant = next(path for path in published.iterdir() if path.suffix == ".webp")
    old_variant = variant.read_bytes()
    assert variant.stat().st_nlink > 1  # linked, not copied

    Image.new("RGB", (1200, 800), (20, 60, 160)).save(photo, "JPEG")
    build_site(site.project, workers=1)
    assert {path: path.read_bytes() for path in cached} == cached
    assert variant.read_bytes() != old_variant  # the new site has the new photo


def _problems(site: SiteFixture) -> str:
    with pytest.raises(ContentError) as caught:
        check(site.project, workers=1)
    return format_problems(caught.value.problems)


def _checked_site(site: SiteFixture) -> SiteFixture:
    site.keep_only({"day-tot-hoc-tot", "y-te"}, {"ha-noi", "lang-son"})
    site.profile(
        "co-giao-huong",
        fields=["day-tot-hoc-tot"],
        province="lang-son",
        photo={"src": "anh.jpg", "alt": "Cô Hương", "credit": "Báo"},
    )
    site.photo("co-giao-huong")
    site.profile("bac-si-minh", fields=["y-te"], province="ha-noi")
    check(site.project, workers=1)
    assert list((site.root / ".cache" / "checked").glob("*.pickle"))
    return site


def test_a_remembered_profile_is_not_read_again(site: SiteFixture, monkeypatch: pytest.MonkeyPatch) -> None:
    _checked_site(site)
    first = build_site(site.project, workers=1)
    before = digests(first)
    read: list[Path] = []
    real = generation.load_profile
    monkeypatch.setattr(generation, "load_profile", lambda path, shown: read.append(path) or real(path, shown))
    assert digests(build_site(site.project, workers=1)) == before
    assert read == []
    site.profile("bac-si-minh", fields=["y-te"], province="ha-noi", summary="Bác sĩ tuyến xã.")
    build_site(site.project, workers=1)
    assert [path.parent.name for path in read] == ["bac-si-minh"]
    assert "Bác sĩ tuyến xã." in site.built("guong/bac-si-minh/index.html")


def test_a_profile_broken_after_the_last_check_is_reported(site: SiteFixture) -> None:
    _checked_site(site)
    path = site.root / "exemplars" / "bac-si-minh" / "index.md"
    path.write_text(path.read_text(encoding="utf-8").replace("consent: true", "consent: false"), encoding="utf-8")
    assert "exemplars/bac-si-minh/index.md" in _problems(site) and "consent" in _problems(site)


def test_a_photo_removed_after_the_last_check_is_reported(site: SiteFixture) -> None:
    _checked_site(site)
    (site.root / "exemplars" / "co-giao-huong" / "anh.jpg").unlink()
    assert "không tìm thấy tệp ảnh `anh.jpg`" in _problems(site)


def test_a_photo_replaced_by_a_broken_file_after_the_last_check_is_reported(site: SiteFixture) -> None:
    _checked_site(site)
    (site.root / "exemplars" / "co-giao-huong" / "anh.jpg").write_bytes(b"not a photo")
    assert "không phải là ảnh hoặc đã bị hỏng" in _problems(site)


def test_a_field_removed_from_the_vocabulary_is_reported_for_remembered_profiles(site: SiteFixture) -> None:
    _checked_site(site)
    site.keep_only({"day-tot-hoc-tot"}, {"ha-noi", "lang-son"})
    problems = _problems(site)
    assert "exemplars/bac-si-minh/index.md" in problems and "y-te" in problems


def test_each_change_between_two_checks_is_seen_and_an_edit_rewrites_one_file_of_the_cache(
    site: SiteFixture,
) -> None:
    """An archive is checked again after every pull request: what changed since (an edit, a break, a removal, a
    rename) is what the check reports, never what the cache remembers; and an edit rewrites one of the cache's
    files, not the whole (at 100,000 profiles the whole is 69 MB)."""
    for number in range(12):
        site.profile(f"nguoi-tot-{number}", body=f"Anh giúp hàng xóm sửa {number + 2} mái nhà.")
    assert len(check(site.project, workers=1).exemplars) == 12
    folder = site.root / ".cache" / "checked"
    before = {shard.name: shard.stat().st_mtime_ns for shard in folder.iterdir()}
    assert 1 < len(before) <= 12

    site.profile("nguoi-tot-3", body="Anh giúp hàng xóm sửa mười mái nhà.", summary="Thợ mộc của xóm.")
    assert {e.slug: e.summary for e in check(site.project, workers=1).exemplars}["nguoi-tot-3"] == "Thợ mộc của xóm."
    after = {shard.name: shard.stat().st_mtime_ns for shard in folder.iterdir()}
    assert after.keys() == before.keys()
    assert len([name for name in after if after[name] != before[name]]) == 1

    broken = site.root / "exemplars" / "nguoi-tot-5" / "index.md"
    broken.write_text(broken.read_text(encoding="utf-8").replace("consent: true", "consent: false"), "utf-8")
    shutil.rmtree(site.root / "exemplars" / "nguoi-tot-7")
    (site.root / "exemplars" / "nguoi-tot-9").rename(site.root / "exemplars" / "anh-tu-lang-son")
    problems = _problems(site)
    assert "exemplars/nguoi-tot-5/index.md" in problems and "consent" in problems
    assert "nguoi-tot-7" not in problems and "nguoi-tot-9" not in problems
    site.profile("nguoi-tot-5", body="Anh giúp hàng xóm sửa 7 mái nhà.")
    slugs = {e.slug for e in check(site.project, workers=1).exemplars}
    assert slugs == {f"nguoi-tot-{n}" for n in range(12) if n not in (7, 9)} | {"anh-tu-lang-son"}
    broken.write_text(broken.read_text(encoding="utf-8").replace("consent: true", "consent: false"), "utf-8")
    assert "exemplars/nguoi-tot-5/index.md" in _problems(site)


def test_a_profile_rewritten_with_its_old_size_and_time_is_read_again(
    site: SiteFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The check does not read a remembered profile's bytes unless it changed moments ago (`checked.py`): here no
    file counts as recent, as in an archive edited days ago. An edit that keeps the size and sets the old
    modification time back (a restore, `rsync -t`, `touch -r`) still moves the file's status time, and is read."""
    from build_tools.content import checked

    monkeypatch.setattr(checked, "_RECENT_NS", 0)
    _checked_site(site)
    path = site.root / "exemplars" / "bac-si-minh" / "index.md"
    before = path.stat()
    text = path.read_text(encoding="utf-8")
    assert "consent: true" in text
    path.write_text(text.replace("consent: true", "consent: fals"), encoding="utf-8")  # same size, then:
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size and path.stat().st_mtime_ns == before.st_mtime_ns
    problems = _problems(site)
    assert "exemplars/bac-si-minh/index.md" in problems and "consent" in problems


def test_a_profile_whose_status_time_moved_without_an_edit_is_compared_by_its_bytes(
    site: SiteFixture, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A hard link made elsewhere (a backup, a copy with `cp -al`) or a change of permissions moves a profile's
    status time without changing it: the check reads its bytes, finds them the same and checks nothing again."""
    from build_tools.content import checked

    monkeypatch.setattr(checked, "_RECENT_NS", 0)
    _checked_site(site)
    path = site.root / "exemplars" / "bac-si-minh" / "index.md"
    before = path.stat().st_ctime_ns
    os.link(path, tmp_path / "backup-index.md")
    assert path.stat().st_ctime_ns != before
    read: list[Path] = []
    real = generation.load_profile
    monkeypatch.setattr(generation, "load_profile", lambda path, shown: read.append(path) or real(path, shown))
    assert sorted(e.slug for e in check(site.project, workers=1).exemplars) == ["bac-si-minh", "co-giao-huong"]
    assert read == []


def _fresh_checkout(root: Path, last: Path) -> None:
    """What CI's checkout makes of the same profiles in the same folder: every file new (new inode, new status and
    modification times), its bytes the same; the last checkout's files moved to `last` (so no inode is reused)."""
    exemplars = root / "exemplars"
    exemplars.rename(last)
    shutil.copytree(last, exemplars, copy_function=shutil.copyfile)
    later = time.time() + 3600
    for path in exemplars.rglob("*"):
        os.utime(path, (later, later))


def test_a_fresh_checkout_of_the_same_profiles_checks_none_of_them_again(
    site: SiteFixture, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """CI builds a fresh clone with the last build's `.cache/` restored: every file is new, with the same bytes.
    Not one profile is checked again (its photo not decoded again), and the site is the same; the build after it,
    nothing having moved, reads no file of any profile's folder at all."""
    from build_tools.content import checked

    _checked_site(site)
    before = digests(build_site(site.project, workers=1))
    _fresh_checkout(site.root, tmp_path / "last-checkout")
    monkeypatch.setattr(checked, "_RECENT_NS", 0)  # no file counts as changed moments ago, as in CI
    read: list[Path] = []
    real = generation.load_profile
    monkeypatch.setattr(generation, "load_profile", lambda path, shown: read.append(path) or real(path, shown))
    assert digests(build_site(site.project, workers=1)) == before
    assert read == []

    folders_read: list[str] = []
    read_folder = checked._read
    monkeypatch.setattr(checked, "_read", lambda *args: folders_read.append(args[1]) or read_folder(*args))
    assert digests(build_site(site.project, workers=1)) == before
    assert (read, folders_read) == ([], [])


def _replace_photo_keeping_its_size_and_time(photo: Path) -> None:
    status = photo.stat()
    photo.write_bytes(b"\0" * status.st_size)  # another file of the same size: not a photo at all
    os.utime(photo, ns=(status.st_atime_ns, status.st_mtime_ns))


@pytest.mark.parametrize(
    ("change", "reported"),
    [
        (_replace_photo_keeping_its_size_and_time, "không phải là ảnh hoặc đã bị hỏng"),
        (Path.unlink, "không tìm thấy tệp ảnh `anh.jpg`"),
        (lambda photo: photo.with_name("ghi-chu.txt").write_text("Ảnh do phóng viên gửi.", "utf-8"), None),
    ],
    ids=["photo replaced, same size and time", "photo removed", "file added"],
)
def test_a_profile_whose_folder_changed_is_checked_again_whatever_its_times_say(
    site: SiteFixture, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, change: Any, reported: str | None
) -> None:
    """A profile is remembered by its folder's files and their bytes: a photo replaced (even by a file of the same
    size, its old modification time set back), a photo removed, a file added is checked again, also after a fresh
    checkout, and only that profile."""
    from build_tools.content import checked

    monkeypatch.setattr(checked, "_RECENT_NS", 0)  # every file's place trusted: the times alone would say "same"
    _checked_site(site)
    _fresh_checkout(site.root, tmp_path / "last-checkout")
    check(site.project, workers=1)  # remembers each folder's files where they are now
    change(site.root / "exemplars" / "co-giao-huong" / "anh.jpg")
    read: list[Path] = []
    real = generation.load_profile
    monkeypatch.setattr(generation, "load_profile", lambda path, shown: read.append(path) or real(path, shown))
    if reported is None:
        assert len(check(site.project, workers=1).exemplars) == 2
    else:
        assert reported in _problems(site)
    assert {path.parent.name for path in read} == {"co-giao-huong"}


def test_an_unreadable_cache_is_ignored(site: SiteFixture) -> None:
    _checked_site(site)
    for content in (b"garbage", b""):
        for shard in (site.root / ".cache" / "checked").glob("*.pickle"):
            shard.write_bytes(content)
        assert len(check(site.project, workers=1).exemplars) == 2


def test_a_cache_from_before_the_modules_moved_is_ignored(site: SiteFixture, monkeypatch: pytest.MonkeyPatch) -> None:
    """A cache written when the model lived in `build_tools/model.py` names a module that is gone: the build reads
    every profile again instead of failing, and remembers them under today's module."""
    _checked_site(site)
    shards = sorted((site.root / ".cache" / "checked").glob("*.pickle"))
    for cache in shards:
        old = pickle.dumps(pickle.loads(cache.read_bytes()), protocol=2)  # protocol 2: classes as "module\nname"
        assert b"build_tools.content.model\n" in old
        cache.write_bytes(old.replace(b"build_tools.content.model\n", b"build_tools.model\n"))
    read: list[Path] = []
    real = generation.load_profile
    monkeypatch.setattr(generation, "load_profile", lambda path, shown: read.append(path) or real(path, shown))
    assert sorted(e.slug for e in check(site.project, workers=1).exemplars) == ["bac-si-minh", "co-giao-huong"]
    assert sorted(path.parent.name for path in read) == ["bac-si-minh", "co-giao-huong"]
    assert all(b"build_tools.content.model" in cache.read_bytes() for cache in shards)


def test_a_story_edited_between_builds_is_published_and_the_last_site_is_never_written_through(
    site: SiteFixture, tmp_path: Path
) -> None:
    """Pages rendered through shells are kept in `.cache/rendered/` and hard-linked into the site: an edit must
    reach the new site and leave the bytes of the old one alone (the published site shares them)."""
    _site_with_stories(site)
    site_dir = build_site(site.project, workers=1)
    page = site_dir / "guong" / "guong-3" / "index.html"
    cached = site.root / ".cache" / "rendered" / "guong" / "guong-3" / "index.html"
    assert cached.read_bytes() == page.read_bytes() and cached.stat().st_ino == page.stat().st_ino
    before = page.read_bytes()
    os.link(page, tmp_path / "published-before.html")  # what a reader's web server still holds open
    _correct_story_3(site)
    build_site(site.project, workers=1)
    assert "Câu chuyện đã được đính chính." in site.built("guong/guong-3/index.html")
    assert (tmp_path / "published-before.html").read_bytes() == before


def test_a_deleted_story_leaves_the_rendered_cache(site: SiteFixture) -> None:
    _site_with_stories(site)
    build_site(site.project, workers=1)
    rendered = site.root / ".cache" / "rendered"
    assert (rendered / "guong" / "guong-5" / "index.html").is_file()
    shutil.rmtree(site.root / "exemplars" / "guong-5")
    build_site(site.project, workers=1)
    assert not (rendered / "guong" / "guong-5" / "index.html").exists()
    assert (rendered / "guong" / "guong-4" / "index.html").is_file()
    # Without the listing of what it holds (an older cache), the folder is walked instead.
    (rendered / ".pages").unlink()
    shutil.rmtree(site.root / "exemplars" / "guong-4")
    build_site(site.project, workers=1)
    assert not (rendered / "guong" / "guong-4" / "index.html").exists()
    assert (rendered / "guong" / "guong-6" / "index.html").is_file()


def test_mkdocs_is_handed_the_generated_files_the_generation_wrote(site: SiteFixture) -> None:
    """The plugin takes the generation's own list instead of walking 42,000 files at 10,000 stories: the same
    files, in the same order."""
    _site_with_stories(site)
    (site.project.generated_dir / "guong" / "guong-1").mkdir(parents=True)
    (site.project.generated_dir / "guong" / "guong-1" / "stale.webp").write_bytes(b"from an older build")
    report = generate(site.project, workers=1)
    assert "guong/guong-1/stale.webp" in report.removed
    assert plugin._listed(report.kept) == plugin._walk(site.project.generated_dir)
    assert "guong/guong-2/index.md" in report.kept and "search/index.json" in report.kept


def _rendered_again(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The pages the next build renders through a shell and writes to the cache (not linked as they were)."""
    rendered: list[str] = []
    link = plugin.RenderedCache.link

    def record(self: plugin.RenderedCache, relative: str, *args: object) -> None:
        rendered.append(relative)
        link(self, relative, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(plugin.RenderedCache, "link", record)
    return rendered


def test_a_page_made_from_the_same_shell_and_values_is_linked_without_being_rendered_again(
    site: SiteFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    _site_with_stories(site)
    build_site(site.project, workers=1)
    before = digests(site.root / "site")
    rendered = _rendered_again(monkeypatch)
    build_site(site.project, workers=1)
    assert rendered == []
    assert digests(site.root / "site") == before
    _correct_story_3(site)
    build_site(site.project, workers=1)
    assert "guong/guong-3/index.html" in rendered
    assert "guong/guong-6/index.html" not in rendered  # another province, another field: nothing of it changed
    assert "Câu chuyện đã được đính chính." in site.built("guong/guong-3/index.html")


def test_a_kept_page_that_no_longer_matches_its_key_is_never_published(site: SiteFixture) -> None:
    """The keys leave the disk while a build renders: a build stopped half way (its keys handed over by the
    renderers, never committed), or a cache tampered with, makes the next build render and compare every page
    rather than trust what it finds."""
    _site_with_stories(site)
    build_site(site.project, workers=1)
    rendered = site.root / ".cache" / "rendered"
    keys = (rendered / ".keys.0").read_text(encoding="utf-8")
    assert "guong/guong-2/index.html\t" in keys
    good = site.built("guong/guong-2/index.html")
    kept = rendered / "guong" / "guong-2" / "index.html"
    kept.unlink()
    kept.write_text("<p>left by a build that stopped</p>", encoding="utf-8")
    (rendered / ".keys.0").rename(rendered / ".keys.0.new")  # as the renderer handed them over
    (rendered / ".sources.0").rename(rendered / ".sources.0.new")
    build_site(site.project, workers=1)
    assert site.built("guong/guong-2/index.html") == good
    # A kept page removed by hand is rendered again, its key notwithstanding.
    kept.unlink()
    build_site(site.project, workers=1)
    assert site.built("guong/guong-2/index.html") == good


def test_renderers_sharing_a_build_hand_their_keys_to_the_build(
    site: SiteFixture, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each renderer hands its share's keys over; the build, every renderer done, commits them as they are (one
    file per share, not merged and written again), and the next build reads them all."""
    _site_with_stories(site)
    for number in range(7, 15):  # enough stories of one shape for each of two renderers to make a shell
        site.profile(f"guong-{number}", name=f"Trần Thị {number}", province="ca-mau", published="2024-04-01")
    build_site(site.project, workers=2)
    rendered = site.root / ".cache" / "rendered"
    assert sorted(path.name for path in rendered.glob(".keys*")) == [".keys.0", ".keys.1"]
    shares = [
        dict(line.split("\t") for line in (rendered / f".keys.{share}").read_text(encoding="utf-8").splitlines())
        for share in (0, 1)
    ]
    assert all(shares) and not set(shares[0]) & set(shares[1])
    assert {f"guong/guong-{number}/index.html" for number in range(7, 15)} <= {*shares[0], *shares[1]}
    first = digests(site.root / "site")
    # The second build's shells know which values vary in either share (a marker more, the same bytes): settled.
    build_site(site.project, workers=2)
    written = tmp_path / "rendered-again.txt"  # by either renderer: each is a forked process
    link = plugin.RenderedCache.link

    def record(self: plugin.RenderedCache, relative: str, *args: object) -> None:
        with written.open("a", encoding="utf-8") as out:
            out.write(f"{relative}\n")
        link(self, relative, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(plugin.RenderedCache, "link", record)
    build_site(site.project, workers=2)
    assert digests(site.root / "site") == first
    assert not written.exists()  # every page linked under its key, from either share


@pytest.mark.parametrize(
    "headings",
    [
        [(1, "Tỉnh Hà Nội"), (2, "Gương điển hình"), (2, "Kế hoạch")],
        [(1, "Kế hoạch"), (2, "Lĩnh vực"), (3, "1. Dạy tốt & học tốt"), (3, "1. Dạy tốt & học tốt"), (2, "Lĩnh vực")],
        [(1, 'So sánh: "Đổi mới" <sáng tạo> *nhanh*'), (3, "Sâu"), (2, "Nông")],
    ],
)
def test_sections_of_a_page_in_html_are_listed_as_markdown_would_list_them(headings: list[tuple[int, str]]) -> None:
    """Pages written in HTML give MkDocs the table of contents Python-Markdown made of the same headings when the
    templates wrote them in Markdown: the same anchors (a repeated heading's made unique the same way), titles and
    nesting."""
    import markdown

    from build_tools.content.text import anchor_slugify
    from build_tools.site.pages import _ENV, _table_of_contents, md_text

    converter = markdown.Markdown(extensions=["toc"], extension_configs={"toc": {"slugify": anchor_slugify}})
    as_markdown = converter.convert("\n\n".join(f"{'#' * level} {md_text(text)}" for level, text in headings))
    template = _ENV.from_string(
        '{% from "_macros.html.j2" import heading %}{% for level, text in headings %}{{ heading(level, text) }}\n'
        "{% endfor %}"
    )
    as_html, toc = _table_of_contents(template.render(headings=headings))

    def outline(tokens: list[dict[str, Any]]) -> list[object]:
        return [(t["level"], t["id"], outline(t["children"])) for t in tokens]

    def titles(tokens: list[dict[str, Any]]) -> list[str]:
        return [title for t in tokens for title in (html.unescape(t["name"]), *titles(t["children"]))]

    assert outline(toc) == outline(converter.toc_tokens)  # type: ignore[attr-defined]
    # Each title reads as the heading does. (Markdown escaped the quotes of a title twice: `&amp;#34;` on screen.)
    assert titles(toc) == [text for _, text in headings]
    assert [html.unescape(tag) for tag in as_html.split()] == [html.unescape(tag) for tag in as_markdown.split()]
