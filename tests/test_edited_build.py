"""An officer's correction merged: the build that follows, with every cache of the last one in place, publishes the
same site, byte for byte, as a build of the corrected repository from nothing."""

from __future__ import annotations

import os
import pickle
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from build_tools import generate as generate_module
from build_tools.build import build_site
from build_tools.content import checked
from build_tools.content import gather as gathering
from build_tools.content.config import load_project
from build_tools.generate import generate
from build_tools.mkdocs import plugin
from build_tools.site import story as story_module

from .conftest import BASE_PROFILE, SiteFixture
from .test_reproducible import digests


def test_a_build_after_one_story_is_edited_is_the_site_a_fresh_build_makes(site: SiteFixture, tmp_path: Path) -> None:
    site.plan("nam-dinh-2022-2025")
    for number in range(6):
        site.profile(
            f"guong-{number}",
            body=f"Câu chuyện số {number}.\n\n## Việc làm\n\nChi tiết {number}.",
            name=f"Nguyễn Văn {number}",
            fields=["day-tot-hoc-tot"] if number % 2 else ["y-te", "day-tot-hoc-tot"],
            province=["nam-dinh", "ha-noi"][number % 2],
            published=f"2024-03-1{number}",
            plans=["nam-dinh-2022-2025"] if number % 2 == 0 else None,
        )
    site.photo("guong-2")
    build_site(site.project)

    profile = site.root / "exemplars" / "guong-3" / "index.md"
    profile.write_text(profile.read_text(encoding="utf-8") + "\nAnh còn dạy bơi cho trẻ em trong xóm.\n", "utf-8")
    edited = build_site(site.project)
    assert "dạy bơi" in (edited / "guong" / "guong-3" / "index.html").read_text(encoding="utf-8")

    fresh_root = tmp_path / "fresh"
    shutil.copytree(site.root, fresh_root, ignore=shutil.ignore_patterns(".cache", ".generated", "site"))
    fresh = build_site(load_project(fresh_root))
    assert digests(edited) == digests(fresh)


def test_a_renamed_story_is_renamed_in_the_related_stories_under_the_stories_kept_from_the_last_build(
    site: SiteFixture, tmp_path: Path
) -> None:
    """Unchanged stories are taken from the last build (`site.story.kept_story`); a story that shows the renamed one
    as a related card is not unchanged, though its own profile is."""
    for number in range(4):
        site.profile(f"guong-{number}", name=f"Nguyễn Văn {number}", published=f"2024-03-1{number}")
    build_site(site.project, workers=1)
    assert "Nguyễn Văn 3" in site.built("guong/guong-0/index.html")
    kept = sorted(path.name for path in (site.project.cache_dir / "products").rglob("*.md"))
    assert len(kept) == 4

    profile = site.root / "exemplars" / "guong-3" / "index.md"
    profile.write_text(profile.read_text(encoding="utf-8").replace("Nguyễn Văn 3", "Trần Thị Ba"), "utf-8")
    edited = build_site(site.project, workers=1)
    related = (edited / "guong" / "guong-0" / "index.html").read_text(encoding="utf-8")
    assert "Trần Thị Ba" in related and "Nguyễn Văn 3" not in related
    # Only this build's stories are kept: each renamed card's story made anew, its old products gone.
    assert len(list((site.project.cache_dir / "products").rglob("*.md"))) == 4

    fresh_root = tmp_path / "fresh"
    shutil.copytree(site.root, fresh_root, ignore=shutil.ignore_patterns(".cache", ".generated", "site"))
    fresh = build_site(load_project(fresh_root))
    assert digests(edited) == digests(fresh)


def test_a_story_moved_into_a_group_folder_unchanged_is_made_again_for_its_new_place(
    site: SiteFixture, tmp_path: Path
) -> None:
    """A profile moved into a group folder with its photo, not a byte of either changed, is another file: the link on
    its page for reporting a mistake names its new place, as a fresh build's does (a story's key holds the profile's
    path)."""
    photo = {"src": "anh.jpg", "alt": "Anh Một trên công trường", "credit": "Báo Nam Định"}
    for number in range(3):
        site.profile(f"guong-{number}", name=f"Nguyễn Văn {number}", published=f"2024-03-1{number}", photo=photo)
        site.photo(f"guong-{number}")
    build_site(site.project, workers=1)
    assert "ho-so=exemplars/guong-1/index.md" in site.built("guong/guong-1/index.html")

    (site.root / "exemplars" / "2023").mkdir()
    (site.root / "exemplars" / "guong-1").rename(site.root / "exemplars" / "2023" / "guong-1")
    edited = build_site(site.project, workers=1)
    page = (edited / "guong" / "guong-1" / "index.html").read_text(encoding="utf-8")
    assert "ho-so=exemplars/2023/guong-1/index.md" in page and "ho-so=exemplars/guong-1/" not in page

    fresh_root = tmp_path / "fresh"
    shutil.copytree(site.root, fresh_root, ignore=shutil.ignore_patterns(".cache", ".generated", "site"))
    assert digests(edited) == digests(build_site(load_project(fresh_root), workers=1))


def test_a_fresh_checkout_of_the_same_profiles_keeps_every_story_made_by_the_last_build(site: SiteFixture) -> None:
    """CI builds from a fresh checkout, every file's modification time new, with the cache of the last build
    restored: not one story is made again for that (a story's key holds what its profile says, not when the file
    was written), while a changed profile still is."""
    photo = {"src": "anh.jpg", "alt": "Anh Một trên công trường", "credit": "Báo Nam Định"}
    for number in range(3):
        site.profile(f"guong-{number}", name=f"Nguyễn Văn {number}", published=f"2024-03-1{number}", photo=photo)
        site.photo(f"guong-{number}")
    build_site(site.project, workers=1)
    products = site.project.cache_dir / "products"
    kept = {path: path.stat().st_ino for path in products.rglob("*.md")}
    assert len(kept) == 3

    checkout = time.time() + 3600
    for path in (site.root / "exemplars").rglob("*"):
        os.utime(path, (checkout, checkout))
    build_site(site.project, workers=1)
    assert {path: path.stat().st_ino for path in products.rglob("*.md")} == kept

    profile = site.root / "exemplars" / "guong-1" / "index.md"
    profile.write_text(profile.read_text(encoding="utf-8").replace("Nguyễn Văn 1", "Trần Thị Hai"), "utf-8")
    build_site(site.project, workers=1)
    assert {path for path in products.rglob("*.md")} != set(kept)  # its story and those showing its card made again


def test_a_repository_moved_to_another_folder_with_its_cache_makes_no_story_and_checks_no_profile_again(
    site: SiteFixture, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A contributor moves their clone to another folder, `.cache/` and `.generated/` with it (so does CI whose
    checkout folder changes: a fork's runner, a renamed repository, a preview built in a folder of its own). What the
    last build kept names no folder of the machine: not one profile is read and checked again, not one story made
    again, no kept file rewritten, and the site is the same, byte for byte. A story edited there is the one made
    again."""
    monkeypatch.setattr(checked, "_RECENT_NS", 0)  # no file counts as changed moments ago, as a build later
    photo = {"src": "anh.jpg", "alt": "Anh Một trên công trường", "credit": "Báo Nam Định"}
    for number in range(3):
        site.profile(f"guong-{number}", name=f"Nguyễn Văn {number}", published=f"2024-03-1{number}", photo=photo)
        site.photo(f"guong-{number}")
    site.profile("guong-3", name="Nguyễn Văn 3", published="2024-03-13")  # without a photo: a field's card
    # Its own field and province: no other story shows it as a related card.
    site.profile("guong-sua", name="Lê Thị Sửa", fields=["y-te"], province="ha-noi", published="2024-01-01")
    before = digests(build_site(site.project, workers=1))
    cache = site.project.cache_dir
    kept = {path.relative_to(cache): path.stat().st_mtime_ns for path in cache.rglob("*") if path.is_file()}
    kept = {path: stamp for path, stamp in kept.items() if path.parts[0] in ("checked", "products", "templates")}

    moved = tmp_path / "thư mục mới" / "kho"
    moved.parent.mkdir()
    site.root = site.root.rename(moved)
    read: list[str] = []
    load_profile = gathering.load_profile
    monkeypatch.setattr(gathering, "load_profile", lambda path, shown: read.append(shown) or load_profile(path, shown))
    made: list[str] = []
    make_story = story_module.make_story
    monkeypatch.setattr(story_module, "make_story", lambda e, context: made.append(e.slug) or make_story(e, context))
    assert digests(build_site(site.project, workers=1)) == before
    assert (read, made) == ([], [])
    cache = site.project.cache_dir
    assert {path: (cache / path).stat().st_mtime_ns for path in kept} == kept  # none written again

    profile = site.root / "exemplars" / "guong-sua" / "index.md"
    profile.write_text(profile.read_text(encoding="utf-8") + "\nChị còn dạy bơi cho trẻ em.\n", "utf-8")
    build_site(site.project, workers=1)
    assert (read, made) == (["exemplars/guong-sua/index.md"], ["guong-sua"])
    assert "dạy bơi" in site.built("guong/guong-sua/index.html")


def test_a_preview_with_drafts_leaves_the_published_builds_stories_kept(site: SiteFixture) -> None:
    """`exemplars serve` shows drafts, which every story's key depends on: it keeps its own stories, so the next
    build takes each story from the last one (the very same page file) rather than rendering it again."""
    for number in range(3):
        site.profile(f"guong-{number}", name=f"Nguyễn Văn {number}", published=f"2024-03-1{number}")
    site.profile("guong-nhap", name="Bản nháp", draft=True)
    build_site(site.project, workers=1)
    products = site.project.cache_dir / "products"
    pages = {path.name: path.stat().st_ino for path in products.rglob("*.md")}
    assert len(pages) == 3

    generate(site.project, drafts=True, workers=1)
    assert "Bản nháp" in (site.project.generated_dir / "guong" / "guong-nhap" / "index.md").read_text("utf-8")
    build_site(site.project, workers=1)
    assert {path.name: path.stat().st_ino for path in products.rglob("*.md")} == pages


def test_compiled_templates_kept_between_builds_never_change_the_site(tmp_path: Path) -> None:
    """Each build compiles the page templates once and keeps them (`.cache/templates`, checked against each
    template's source); a later build in a new process reads them, and damaged ones are compiled again."""
    site = SiteFixture(tmp_path / "repo", compiled=False)
    for number in range(2):
        site.profile(f"guong-{number}", name=f"Nguyễn Văn {number}", published=f"2024-03-1{number}")
    command = [sys.executable, "-m", "build_tools.cli", "--root", str(site.root), "build", "-q", "--workers", "1"]
    subprocess.run([*command, "--site-dir", str(tmp_path / "first")], check=True)
    compiled = sorted((site.project.cache_dir / "templates").iterdir())
    assert len(compiled) > 10
    for path in compiled[: len(compiled) // 2]:
        path.write_bytes(path.read_bytes()[:40])  # cut short, as a full disk might leave it
    subprocess.run([*command, "--site-dir", str(tmp_path / "second")], check=True)
    assert digests(tmp_path / "second") == digests(tmp_path / "first")


def test_list_pages_kept_between_builds_follow_each_story_renamed_added_removed_or_unpublished(
    site: SiteFixture, tmp_path: Path
) -> None:
    """Pages 2, 3… of a field or province and the archive and kind pages show only their stories' cards: they are
    kept under those stories' digests (`collection.list_key`). After each change, the site is a fresh build's."""
    site.page_size = 2
    site.write_config()
    for number in range(7):
        site.profile(f"guong-{number}", name=f"Nguyễn Văn {number}", published=f"2024-03-1{number}")
    build_site(site.project, workers=1)
    kept = site.project.cache_dir / "lists"
    assert "Nguyễn Văn 1" in site.built("nguoi-tot-viec-tot/trang-3/index.html")
    oldest_page = site.root / ".generated" / "nguoi-tot-viec-tot" / "trang-4" / "index.md"
    assert oldest_page.stat().st_ino in {path.stat().st_ino for path in kept.iterdir()}

    def same_as_a_fresh_build(step: str) -> None:
        edited = build_site(site.project, workers=1)
        fresh_root = tmp_path / step
        shutil.copytree(site.root, fresh_root, ignore=shutil.ignore_patterns(".cache", ".generated", "site"))
        assert digests(edited) == digests(build_site(load_project(fresh_root), workers=1)), step

    profile = site.root / "exemplars" / "guong-1" / "index.md"
    profile.write_text(profile.read_text(encoding="utf-8").replace("Nguyễn Văn 1", "Trần Thị Một"), "utf-8")
    oldest = oldest_page.stat().st_ino
    same_as_a_fresh_build("renamed")
    assert "Trần Thị Một" in site.built("nguoi-tot-viec-tot/trang-3/index.html")
    assert oldest_page.stat().st_ino == oldest  # the page of guong-0 alone was not made again

    site.profile("guong-moi", name="Lê Văn Mới", published="2024-03-20")
    same_as_a_fresh_build("added")
    assert "Lê Văn Mới" in site.built("nguoi-tot-viec-tot/index.html")

    shutil.rmtree(site.root / "exemplars" / "guong-3")
    same_as_a_fresh_build("removed")

    site.profile("guong-5", name="Nguyễn Văn 5", published="2024-03-15", draft=True)
    same_as_a_fresh_build("unpublished")
    assert "Nguyễn Văn 5" not in site.built("nguoi-tot-viec-tot/index.html")


def test_stories_that_did_not_change_are_not_read_again_by_mkdocs_and_the_site_is_a_fresh_builds(
    site: SiteFixture, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A page rendered through a shell whose generated file has the bytes the last build read joins its shell's
    group unread (`ExemplarsPlugin._group_kept`): MkDocs reads only the changed pages, and those that make and check
    each shell. After an edit of a value every story shared until then (the summary: their pages' description), a
    story removed and one added, and the edit undone, the site is what a fresh build makes."""
    fields = ["nong-thon-moi", "lao-dong-sang-tao", "doi-song-van-hoa", "day-tot-hoc-tot", "y-te", "quoc-phong"]
    fields += ["an-ninh-to-quoc", "giam-ngheo", "van-hoa-cong-so", "chuyen-doi-so", "dan-van-kheo"]
    provinces = ["an-giang", "bac-ninh", "ca-mau", "cao-bang", "can-tho", "da-nang", "dak-lak", "dien-bien"]
    provinces += ["dong-nai", "dong-thap", "gia-lai"]
    for number in range(10):  # no two related: an edit changes no other story's page
        site.profile(
            f"guong-{number}",
            name=f"Nguyễn Văn {number}",
            published=f"2024-03-1{number}",
            fields=[fields[number]],
            province=provinces[number],
        )
    build_site(site.project, workers=1)
    read: list[str] = []
    read_source = plugin.PlainGeneratedPage.read_source

    def record(page: plugin.PlainGeneratedPage, config: object) -> None:
        read.append(page.file.src_uri)
        read_source(page, config)

    monkeypatch.setattr(plugin.PlainGeneratedPage, "read_source", record)
    through_shells: list[str] = []  # pages filled into a shell (not rendered by MkDocs) and kept
    link = plugin.RenderedCache.link

    def kept(cache: plugin.RenderedCache, relative: str, *args: object) -> None:
        through_shells.append(relative)
        link(cache, relative, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(plugin.RenderedCache, "link", kept)

    def same_as_a_fresh_build(step: str, workers: int = 1) -> set[str]:
        read.clear()
        through_shells.clear()
        edited = build_site(site.project, workers=workers)
        stories = {path for path in read if path.startswith("guong/")}
        filled = set(through_shells)
        fresh_root = tmp_path / step
        shutil.copytree(site.root, fresh_root, ignore=shutil.ignore_patterns(".cache", ".generated", "site"))
        assert digests(edited) == digests(build_site(load_project(fresh_root), workers=workers)), step
        through_shells[:] = filled
        return stories

    assert len(same_as_a_fresh_build("unchanged")) <= 4  # a shell's first page, then three that check it

    # Two stories' summaries, which every page had in common: the shell changes, and every page is filled again.
    edited = [site.root / "exemplars" / f"guong-{number}" / "index.md" for number in (3, 7)]
    originals = [profile.read_text(encoding="utf-8") for profile in edited]
    for profile, original in zip(edited, originals, strict=True):
        profile.write_text(original.replace(BASE_PROFILE["summary"], "Người thầy của làng chài."), encoding="utf-8")
    same_as_a_fresh_build("summary")
    assert "Người thầy của làng chài." in site.built("guong/guong-3/index.html")
    # The shell knows the value varies now, though the pages that had it in common joined their group unread.
    assert {"guong/guong-0/index.html", "guong/guong-3/index.html"} <= set(through_shells)

    shutil.rmtree(site.root / "exemplars" / "guong-5")
    site.profile("guong-moi", name="Trần Thị Mới", published="2024-04-01", fields=[fields[10]], province=provinces[10])
    same_as_a_fresh_build("removed-added", workers=2)
    for profile, original in zip(edited, originals, strict=True):
        profile.write_text(original, encoding="utf-8")
    same_as_a_fresh_build("undone")
    assert "Người thầy của làng chài." not in site.built("guong/guong-3/index.html")


def five_stories_in_feeds_of_two(site: SiteFixture) -> None:
    """Five stories a day apart, in two fields by turns, and feeds of two items: the newest stories are in a feed,
    the oldest in none."""
    site.feed_items = 2
    site.write_config()
    for number in range(5):
        site.profile(
            f"guong-{number}",
            name=f"Nguyễn Văn {number}",
            published=f"2024-03-1{number}",
            fields=["y-te"] if number % 2 else ["day-tot-hoc-tot"],
        )


def test_feeds_kept_between_builds_change_only_when_a_story_they_carry_does(site: SiteFixture, tmp_path: Path) -> None:
    """A newsroom's feed holds the newest stories of its group (`feed_items`): a feed is kept under those stories'
    digests (`collection.feed_key`), so an edit to an older story leaves every feed file as the last build made it
    (the very same file), and an edit to a story a feed carries makes that feed and only the feeds carrying the
    story again. After each, the site is a fresh build's."""
    five_stories_in_feeds_of_two(site)
    build_site(site.project, workers=1)
    generated = site.project.generated_dir

    def feeds() -> dict[str, int]:
        return {str(path.relative_to(generated)): path.stat().st_ino for path in generated.rglob("feed.xml")}

    def same_as_a_fresh_build(step: str) -> None:
        edited = build_site(site.project, workers=1)
        fresh_root = tmp_path / step
        shutil.copytree(site.root, fresh_root, ignore=shutil.ignore_patterns(".cache", ".generated", "site"))
        assert digests(edited) == digests(build_site(load_project(fresh_root), workers=1)), step

    def edit(slug: str, old: str, new: str) -> None:
        profile = site.root / "exemplars" / slug / "index.md"
        profile.write_text(profile.read_text(encoding="utf-8").replace(old, new), "utf-8")

    before = {**feeds(), "atom.xml": (generated / "atom.xml").stat().st_ino}
    edit("guong-0", "Nguyễn Văn 0", "Trần Văn Không")  # the oldest: no feed carries it
    same_as_a_fresh_build("older")
    assert {**feeds(), "atom.xml": (generated / "atom.xml").stat().st_ino} == before
    assert "Trần Văn Không" not in site.built("feed.xml")

    edit("guong-4", "Nguyễn Văn 4", "Lê Thị Bốn")  # the newest, of "Dạy tốt - học tốt"
    same_as_a_fresh_build("newest")
    assert "Lê Thị Bốn" in site.built("feed.xml") and "Lê Thị Bốn" in site.built("linh-vuc/day-tot-hoc-tot/feed.xml")
    after = feeds()
    assert after["linh-vuc/y-te/feed.xml"] == before["linh-vuc/y-te/feed.xml"]
    assert after["feed.xml"] != before["feed.xml"]
    assert len(list((site.project.cache_dir / "feeds").iterdir())) == len(after) + 2  # atom.xml, feed.json


def test_unchanged_pages_are_known_by_their_place_and_not_read_again_and_the_site_is_a_fresh_builds(
    site: SiteFixture, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """MkDocs groups a page unread when its generated file is the one the last build read (`plugin._place`: the
    same file, untouched since); that file's bytes are not even read for their digest. Files changed moments
    ago are always read (a second write in the same clock tick would not show): here every file counts as old,
    as it would be a build later. A page edited since is read, and the site is a fresh build's."""
    for number in range(6):
        site.profile(
            f"guong-{number}",
            name=f"Nguyễn Văn {number}",
            published=f"2024-03-1{number}",
            fields=[["y-te", "quoc-phong", "giam-ngheo", "dan-van-kheo", "nong-thon-moi", "chuyen-doi-so"][number]],
            province=["an-giang", "bac-ninh", "ca-mau", "cao-bang", "can-tho", "da-nang"][number],
        )
    build_site(site.project, workers=1)  # every file just written: none known by its place
    monkeypatch.setattr(plugin, "_RECENT_NS", -3_600_000_000_000)  # every file as if written an hour ago
    build_site(site.project, workers=1)  # each page read once more, grouped unread, its place noted
    digested: list[int] = []
    source_digest = plugin._source_digest

    def count(data: bytes) -> bytes:
        digested.append(len(data))
        return source_digest(data)

    monkeypatch.setattr(plugin, "_source_digest", count)
    compared: list[str] = []
    read: list[str] = []  # the pages whose generated file was read to compare it with the last build's
    source_digest_now = plugin.GeneratedFile.source_digest_now

    def now(file: plugin.GeneratedFile, kept: plugin.KeptPage) -> bytes | None:
        before = len(digested)
        found = source_digest_now(file, kept)
        compared.append(file.src_uri)
        if len(digested) > before:
            read.append(file.src_uri)
        return found

    monkeypatch.setattr(plugin.GeneratedFile, "source_digest_now", now)
    build_site(site.project, workers=1)
    assert len(compared) >= 2 and read == []  # stories grouped unread, their files not read either

    compared.clear()
    profile = site.root / "exemplars" / "guong-2" / "index.md"
    profile.write_text(profile.read_text(encoding="utf-8") + "\nChị còn mở lớp học tình thương.\n", "utf-8")
    edited = build_site(site.project, workers=1)
    assert "lớp học tình thương" in (edited / "guong" / "guong-2" / "index.html").read_text(encoding="utf-8")
    # The edited story, and the pages made again because they show its card (lists kept under its digest).
    assert len(compared) >= 10 and {path for path in read if path.startswith("guong/")} <= {"guong/guong-2/index.md"}
    assert len(read) <= 3
    fresh_root = tmp_path / "fresh"
    shutil.copytree(site.root, fresh_root, ignore=shutil.ignore_patterns(".cache", ".generated", "site"))
    assert digests(edited) == digests(build_site(load_project(fresh_root), workers=1))


def test_after_one_edit_the_search_and_the_feeds_read_only_the_changed_stories_from_the_kept_products(
    site: SiteFixture, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each story's search document and feed item stay in its kept products (`story.KeptStory`) rather than being
    copied for every build: the kept search index reads only the edited story's document; the feeds read items only
    when one they carry changed. A story whose kept products were lost is made again. Each time the site is a fresh
    build's, byte for byte."""
    five_stories_in_feeds_of_two(site)
    build_site(site.project, workers=1)
    reads = tmp_path / "reads.txt"  # appended to by whichever process reads (the search index may be forked)

    def counted(name: str) -> None:
        read = getattr(generate_module, name)

        def reading(folder: Path, key: str) -> object:
            with reads.open("a", encoding="utf-8") as log:
                log.write(f"{name} {key}\n")
            return read(folder, key)

        monkeypatch.setattr(generate_module, name, reading)

    counted("kept_document")
    counted("kept_item")

    def build_and_compare(step: str) -> list[str]:
        reads.write_text("", encoding="utf-8")
        edited = build_site(site.project, workers=1)
        read = [line.split()[0] for line in reads.read_text(encoding="utf-8").splitlines()]
        fresh_root = tmp_path / step
        shutil.copytree(site.root, fresh_root, ignore=shutil.ignore_patterns(".cache", ".generated", "site"))
        assert digests(edited) == digests(build_site(load_project(fresh_root), workers=1)), step
        return read

    def edit(slug: str, old: str, new: str) -> None:
        profile = site.root / "exemplars" / slug / "index.md"
        profile.write_text(profile.read_text(encoding="utf-8").replace(old, new), "utf-8")

    edit("guong-0", "Nguyễn Văn 0", "Trần Văn Không")  # the oldest: no feed carries it
    assert build_and_compare("older") == ["kept_document"]
    assert "Trần Văn Không" in site.built("guong/guong-0/index.html")

    edit("guong-4", "Nguyễn Văn 4", "Lê Thị Bốn")  # the newest: the feeds that carry it are made again
    read = build_and_compare("newest")
    assert read.count("kept_document") == 1 and 1 <= read.count("kept_item") <= 2 * 2
    assert "Lê Thị Bốn" in site.built("feed.xml")

    for kept in (site.project.cache_dir / "products").rglob("*.head"):
        kept.unlink()  # a cache restored in part: every story made again from its profile
    build_and_compare("lost")
    products = site.project.cache_dir / "products"
    assert len(list(products.rglob("*.head"))) == len(list(products.rglob("*.tail"))) == 5

    for kept in products.rglob("*.tail"):  # a disk that failed while writing: cut short, so made again
        kept.write_bytes(kept.read_bytes()[:-1])
    build_and_compare("cut short")
    assert not any(kept.stat().st_size < 10 for kept in products.rglob("*.tail"))


def test_after_one_edit_the_story_stage_reads_of_each_kept_story_only_what_it_passes_on(
    site: SiteFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A build after one edit takes every other story from its kept products; of those it needs the page's path, the
    search document's key (and the head holds the open-data record, which the open data read from it later), not
    the feed item or the search document (`story.KeptStory`): at 100,000 stories the products no longer stay in the
    page cache, and reading them whole was half of that build's story stage. Counted as the bytes the story stage
    read from the files the first build kept, against what they hold beside the pages."""
    site.feed_items = 2  # the edited story is in no feed: no feed made again, no feed item read
    site.write_config()
    body = "Câu chuyện của một người thầy.\n\n## Việc làm\n\nMỗi tối thầy dạy thêm cho học trò nghèo trong xóm."
    for number in range(8):
        site.profile(f"guong-{number}", body=body, name=f"Nguyễn Văn {number}", published=f"2024-03-1{number}")
    # Its own field and province: no other story shows it as a related card, so every other story is kept.
    site.profile("guong-sua", body=body, fields=["y-te"], province="ha-noi", published="2024-01-01")
    build_site(site.project, workers=1)
    products = site.project.cache_dir / "products"
    before = {path: path.stat().st_size for path in products.rglob("*") if path.is_file() and path.suffix != ".md"}
    opened: dict[int, str] = {}
    read: list[int] = []
    in_stage = [False]
    stories = generate_module.Executor.stories

    def counted_stories(executor: generate_module.Executor, *args: Any, **kwargs: Any) -> Any:
        in_stage[0] = True
        try:
            return stories(executor, *args, **kwargs)
        finally:
            in_stage[0] = False

    class Counting:
        """`os` as `site.story` sees it, counting the bytes read from the files the first build kept."""

        def __getattr__(self, name: str) -> object:
            return getattr(os, name)

        def open(self, path: str, flags: int, *args: int) -> int:
            descriptor = os.open(path, flags, *args)
            opened[descriptor] = str(path)
            return descriptor

        def read(self, descriptor: int, size: int) -> bytes:
            data = os.read(descriptor, size)
            if in_stage[0] and Path(opened.get(descriptor, "")) in before:
                read.append(len(data))
            return data

    monkeypatch.setattr(story_module, "os", Counting())
    monkeypatch.setattr(generate_module.Executor, "stories", counted_stories)
    profile = site.root / "exemplars" / "guong-sua" / "index.md"
    profile.write_text(profile.read_text(encoding="utf-8") + "\nAnh còn dạy bơi cho trẻ em.\n", "utf-8")
    build_site(site.project, workers=1)
    assert "dạy bơi" in site.built("guong/guong-sua/index.html")
    held = sum(size for path, size in before.items() if path.exists())  # the eight stories kept
    assert 0 < sum(read) < held * 0.6, (sum(read), held)


def test_stories_kept_by_an_older_build_in_another_layout_are_made_again_and_forgotten(
    site: SiteFixture, tmp_path: Path
) -> None:
    """A `.cache/` restored from a build of the code before the products were split (each story's page path,
    document key, record, item and document in one `<key>.pickle`), even under the very keys this build computes:
    never read, every story made again, the site a fresh build's, and the old files removed."""
    five_stories_in_feeds_of_two(site)
    build_site(site.project, workers=1)
    products = site.project.cache_dir / "products"
    for head in list(products.rglob("*.head")):
        page_path, document_key, record, _ = pickle.loads(head.read_bytes())
        tail = head.with_suffix(".tail")
        item, document = pickle.loads(tail.read_bytes())
        old = (page_path, document_key, record, item, document)
        head.with_suffix(".pickle").write_bytes(pickle.dumps(old, pickle.HIGHEST_PROTOCOL))
        head.unlink()
        tail.unlink()
    edited = build_site(site.project, workers=1)
    assert not list(products.rglob("*.pickle"))
    assert len(list(products.rglob("*.head"))) == len(list(products.rglob("*.tail"))) == 5
    fresh_root = tmp_path / "fresh"
    shutil.copytree(site.root, fresh_root, ignore=shutil.ignore_patterns(".cache", ".generated", "site"))
    assert digests(edited) == digests(build_site(load_project(fresh_root), workers=1))


def test_the_new_sites_story_folders_made_while_the_rest_is_generated_are_the_folders_mkdocs_makes(
    site: SiteFixture, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A new site's story folders are made by a forked process while the stories, lists, search and feeds are
    generated (`engine/staging.py`); MkDocs finds them there. The site is folder for folder and byte for byte what
    plain MkDocs makes: no folder for a draft, one for a renamed story's former address, none left empty."""
    from build_tools.engine import staging

    site.profile("co-giao-huong", name="Nguyễn Thị Hương", aliases=["ten-cu"])
    site.photo("co-giao-huong")
    site.profile("htx-dong-dang", name="Hợp tác xã Đồng Đăng", kind="tap-the", consent=None)
    site.profile("ban-nhap", name="Trần Văn Nháp", draft=True)
    made_ahead: list[set[str]] = []
    stop = staging.FolderMaker.stop

    def wait_then_stop(maker: staging.FolderMaker) -> None:
        if maker.pid:  # let it finish, to see all it made before MkDocs starts
            _, status = os.waitpid(maker.pid, 0)
            assert os.waitstatus_to_exitcode(status) == 0
            maker.pid = 0
            made_ahead.append({path.relative_to(maker.root).as_posix() for path in maker.root.rglob("*")})
        stop(maker)

    monkeypatch.setattr(staging.FolderMaker, "stop", wait_then_stop)
    fast = build_site(site.project, tmp_path / "fast", workers=2)
    assert made_ahead == [{"guong", "guong/co-giao-huong", "guong/htx-dong-dang"}]
    plain = build_site(site.project, tmp_path / "plain", workers=1, plain=True)
    assert made_ahead[1:] == []  # plain mode: MkDocs as designed, which empties its folder first

    def tree(folder: Path) -> dict[str, str]:
        return {
            path.relative_to(folder).as_posix(): "folder" if path.is_dir() else path.read_bytes().hex()
            for path in folder.rglob("*")
        }

    assert tree(fast) == tree(plain)
    assert (fast / "guong" / "ten-cu" / "index.html").is_file() and not (fast / "guong" / "ban-nhap").exists()
    assert all(any(folder.iterdir()) for folder in fast.rglob("*") if folder.is_dir())
