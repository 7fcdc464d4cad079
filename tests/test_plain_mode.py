"""A maintainer's story: MkDocs' speed-ups can be switched off, and what readers get does not change.

`exemplars build --plain` (or EXEMPLARS_PLAIN=1) runs MkDocs as `mkdocs build` does, the plugin only adding the
generated files: no theme shells, no forked renderers, no kept pages, no dirty mode. `mkdocs build` alone works
in the repository too (it generates the pages first). All three give the same site, byte for byte, on the
repository's sample content and on a corpus of 200 profiles: no difference is allowed for, so none is listed.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.corpus import write_corpus
from build_tools.build import build_site
from build_tools.content.config import load_project

from .conftest import SiteFixture
from .test_reproducible import digests

BIN = Path(sys.executable).parent


def _differences(one: dict[str, str], other: dict[str, str]) -> list[str]:
    """Every path only in one site or with other bytes: what a reader of one site would see differently."""
    return sorted(path for path in one.keys() | other.keys() if one.get(path) != other.get(path))


def test_plain_mode_and_mkdocs_build_give_the_sample_site_byte_for_byte(real_site: Path, tmp_path: Path) -> None:
    project = load_project(real_site.parent)
    plain = build_site(project, tmp_path / "plain", plain=True)
    assert _differences(digests(real_site), digests(plain)) == []
    assert (plain / "guong").is_dir() and (plain / "feed.xml").is_file()

    # `mkdocs build` itself, in the repository: the plugin generates the pages, and dates the sitemap from the
    # content, before MkDocs renders them.
    result = subprocess.run(
        [BIN / "mkdocs", "build", "--strict", "--quiet", "--site-dir", tmp_path / "mkdocs"],
        cwd=real_site.parent,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert _differences(digests(plain), digests(tmp_path / "mkdocs")) == []


def test_plain_mode_gives_the_same_site_as_the_fast_path_at_200_profiles(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    write_corpus(root, 200)
    project = load_project(root)
    fast = digests(build_site(project, tmp_path / "fast", workers=2))
    plain_site = build_site(project, tmp_path / "plain", workers=2, plain=True)
    assert _differences(fast, digests(plain_site)) == []
    assert len([path for path in fast if path.startswith("guong/") and path.endswith("/index.html")]) >= 190


def test_plain_mode_is_chosen_by_the_environment_for_a_ci_job(
    real_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """EXEMPLARS_PLAIN=1 makes `exemplars build` plain: MkDocs writes every page itself (no page is a hard link
    to the kept pages of `.cache/rendered/`, as the fast path's story pages are)."""
    monkeypatch.setenv("EXEMPLARS_PLAIN", "1")
    result = subprocess.run(
        [BIN / "exemplars", "--root", real_site.parent, "build", "--site-dir", tmp_path / "site"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    story = next((tmp_path / "site" / "guong").glob("*/index.html"))
    assert story.stat().st_nlink == 1
    fast_story = real_site / story.relative_to(tmp_path / "site")
    assert fast_story.stat().st_nlink > 1 and fast_story.read_bytes() == story.read_bytes()


def test_mkdocs_build_alone_reports_a_broken_profile_in_vietnamese(site: SiteFixture) -> None:
    site.profile("nguyen-van-a", province="Nam Định")
    result = subprocess.run(
        [BIN / "mkdocs", "build", "--strict", "--site-dir", site.root / "site"],
        cwd=site.root,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert "Nội dung có lỗi, chưa tạo trang:" in result.stderr
    assert "exemplars/nguyen-van-a/index.md:" in result.stderr and ": province: " in result.stderr
    assert not (site.root / "site").exists()
