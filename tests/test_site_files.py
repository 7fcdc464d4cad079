"""A reader's and a newspaper's story: every file the generator makes is on the published site, at its address.

Most generated files are not pages (photo variants, share cards, search pieces, feeds, open data); the fast path
links many of them into the site itself, around MkDocs, which at 100,000 stories held them all in memory. Whichever
way a file travels, a reader fetching its address gets its bytes, in plain mode too, and a story that is deleted
leaves nothing of itself behind: not its page, not its photos, not its kept rendering.
"""

from __future__ import annotations

import os
import shutil
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from benchmarks.corpus import write_corpus
from build_tools.build import build_site
from build_tools.content.config import load_project

from .browser import StaticServer


def _generated_files(generated: Path) -> dict[str, bytes]:
    """Every file of the generated folder that is not a page source, by its address on the site."""
    found = {}
    for folder, _, names in os.walk(generated):
        for name in names:
            path = Path(folder, name)
            relative = path.relative_to(generated).as_posix()
            if not name.startswith(".") and not name.endswith(".md"):
                found[relative] = path.read_bytes()
    return found


def _fetch(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, b""


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    write_corpus(root, 24, photo_every=3)
    return root


@pytest.mark.parametrize("plain", [False, True], ids=["fast", "plain"])
def test_every_photo_search_piece_feed_and_data_file_is_served_at_its_address(
    corpus: Path, tmp_path: Path, plain: bool
) -> None:
    project = load_project(corpus)
    site = build_site(project, tmp_path / "site", workers=2, plain=plain)
    files = _generated_files(project.generated_dir)
    kinds = {
        "photo": [p for p in files if p.startswith("guong/") and p.endswith((".webp", ".jpg"))],
        "search piece": [p for p in files if p.startswith("search/")],
        "feed": [p for p in files if p.endswith(("feed.xml", "atom.xml", "feed.json"))],
        "open data": [p for p in files if p.startswith("du-lieu/") and p.endswith((".json", ".csv"))],
    }
    assert all(len(paths) >= 2 for paths in kinds.values()), {kind: len(paths) for kind, paths in kinds.items()}
    server = StaticServer(site)
    try:
        wrong = [path for path, data in sorted(files.items()) if _fetch(server.url(path)) != (200, data)]
    finally:
        server.stop()
    assert wrong == []


def test_a_deleted_story_leaves_nothing_behind(corpus: Path, tmp_path: Path) -> None:
    project = load_project(corpus)
    site = build_site(project, tmp_path / "site", workers=2)
    profile = next(path.parent for path in sorted((corpus / "exemplars").rglob("anh.jpg")))
    story = f"guong/{profile.name}/"
    photos = [p.relative_to(site).as_posix() for p in (site / story).iterdir() if p.suffix in (".webp", ".jpg")]
    assert photos, f"{story} has no photo on the site"
    kept = project.cache_dir / "rendered" / story / "index.html"
    assert kept.is_file()

    shutil.rmtree(profile)
    site = build_site(project, site, workers=2)

    assert not (site / story).exists() and not kept.exists()
    assert not (project.generated_dir / story).exists()
    server = StaticServer(site)
    try:
        assert [_fetch(server.url(path))[0] for path in [story, *photos]] == [404] * (1 + len(photos))
        assert _fetch(server.url("guong/"))[0] == 200
    finally:
        server.stop()
