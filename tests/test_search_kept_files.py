"""The search index's files kept between builds (`collection.kept_files`): a deployment that restores the cache but
has no generated folder (a new clone in CI) links them rather than writing them again, and publishes the site a
fresh build makes, byte for byte; after an edit the kept files are the new index's, and no others."""

from __future__ import annotations

import shutil
from pathlib import Path

from build_tools.build import build_site
from build_tools.content.config import load_project
from build_tools.site.collection import KEPT_FILES

from .conftest import SiteFixture
from .test_reproducible import digests


def _search_files(folder: Path) -> dict[str, int]:
    """Each file of the generated search folder, with its inode (the same as a kept file's when linked)."""
    return {str(path.relative_to(folder)): path.stat().st_ino for path in folder.rglob("*") if path.is_file()}


def test_a_deployment_with_the_cache_restored_links_the_kept_search_files_and_publishes_a_fresh_builds_site(
    site: SiteFixture, tmp_path: Path
) -> None:
    for number in range(4):
        site.profile(
            f"guong-{number}",
            name=f"Nguyễn Văn {number}",
            body=f"Câu chuyện số {number}: anh dạy bơi cho trẻ em trong xóm.",
            published=f"2024-03-1{number}",
        )
    published = build_site(site.project, workers=2)
    first = digests(published)
    store = site.project.cache_dir / "search" / KEPT_FILES
    kept = {path.stat().st_ino for path in store.iterdir()}

    # What deploy.yml starts from: the cache restored, no generated folder, no site.
    shutil.rmtree(site.project.generated_dir)
    shutil.rmtree(published)
    deployed = build_site(site.project, workers=2)
    assert digests(deployed) == first
    linked = _search_files(site.project.generated_dir / "search")
    assert "index.json" in linked and len(linked) > 10
    assert set(linked.values()) == kept  # every file the kept one, none written again

    profile = site.root / "exemplars" / "guong-2" / "index.md"
    profile.write_text(profile.read_text(encoding="utf-8").replace("dạy bơi", "dạy võ"), "utf-8")
    edited = build_site(site.project, workers=2)
    fresh_root = tmp_path / "fresh"
    shutil.copytree(site.root, fresh_root, ignore=shutil.ignore_patterns(".cache", ".generated", "site"))
    assert digests(edited) == digests(build_site(load_project(fresh_root), workers=2))
    now = _search_files(site.project.generated_dir / "search")
    assert set(now.values()) == {path.stat().st_ino for path in store.iterdir()}  # the old pieces left the store
    assert set(now.values()) != kept and set(now.values()) & kept  # some pieces changed, most stayed
