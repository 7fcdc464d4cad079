"""An officer's preview: `exemplars serve` shows drafts and picks up an edited profile without a restart."""

from __future__ import annotations

import contextlib
import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import SiteFixture


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _fetch_until(url: str, needle: str, timeout: float = 60) -> str:
    deadline = time.monotonic() + timeout
    last = ""
    while time.monotonic() < deadline:
        last = _fetch_once(url) or last
        if needle in last:
            return last
        time.sleep(0.3)
    raise AssertionError(f"{needle!r} never appeared at {url}; last page:\n{last[:500]}")


def _fetch_once(url: str) -> str | None:
    """The file at `url`, or None when it is not there (any more): a rebuilt preview names its files anew."""
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.read().decode("utf-8")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


@contextlib.contextmanager
def running_serve(root: Path) -> Iterator[str]:
    """`exemplars serve` on a free loopback port, as a contributor starts it; yields its address."""
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "build_tools.cli", "--root", str(root), "serve", "--dev-addr", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=20)


@pytest.fixture
def served(site: SiteFixture) -> Iterator[tuple[SiteFixture, str]]:
    site.profile("dang-xem", name="Người đang xem")
    site.profile("ban-nhap", name="Người trong bản nháp", draft=True)
    with running_serve(site.root) as base:
        yield site, base


def test_preview_shows_drafts_and_reloads_an_edited_profile(served: tuple[SiteFixture, str]) -> None:
    site, base = served
    draft = _fetch_until(f"{base}/guong/ban-nhap/", "Người trong bản nháp")
    assert "Bản nháp" in draft and 'name="robots" content="noindex"' in draft
    _fetch_until(f"{base}/guong/dang-xem/", "Người đang xem")
    site.profile("dang-xem", name="Người đã sửa tên")
    page = _fetch_until(f"{base}/guong/dang-xem/", "Người đã sửa tên")
    assert "Người đang xem" not in page
    # The preview's search is rebuilt with its pages: the newest story is the first result document.
    # The first result group is named by its hash, which a table named by the manifest lists (`site/search.py`):
    # read as a browser does, the manifest first, until the rebuilt one names a group with the new name. A preview
    # may be rebuilt between two reads (the catch-up after the edit): a file the manifest named is then gone, and the
    # reading starts again from the new manifest, as the preview's reloaded page does.
    deadline = time.monotonic() + 90
    group = ""
    while "Người đã sửa tên" not in group and time.monotonic() < deadline:
        time.sleep(0.3)
        manifest = json.loads(_fetch_until(f"{base}/search/index.json", '"d":"'))
        table_text = _fetch_once(f"{base}/search/i/0.{manifest['d'][: manifest['w']]}.json")
        if table_text is None:
            continue
        group = _fetch_once(f"{base}/search/d/0.{json.loads(table_text)['x'][: manifest['w']]}.json") or ""
    assert "Người đã sửa tên" in group


def test_production_build_never_contains_drafts(site: SiteFixture) -> None:
    from build_tools.build import build_site

    site.profile("cong-khai", name="Người công khai")
    site.profile("ban-nhap", name="Người trong bản nháp", draft=True)
    build_site(site.project)
    assert not (site.root / "site" / "guong" / "ban-nhap").exists()
    assert "Người trong bản nháp" not in site.built("index.html")
    assert "Người trong bản nháp" not in site.built("nguoi-tot-viec-tot/index.html")


def test_an_edited_story_is_previewed_as_the_build_will_publish_it(site: SiteFixture, tmp_path: Path) -> None:
    """The page shown a second after an officer saves a profile is made by the build's own story function: byte
    for byte the page the full regeneration that follows writes (and `exemplars build` publishes)."""
    from build_tools.mkdocs.preview import Preview

    site.profile("dang-xem", name="Người đang xem")
    site.profile("hang-xom", name="Người cùng lĩnh vực")
    site.profile("ban-nhap", name="Người trong bản nháp", draft=True)
    story = site.project.generated_dir / "guong" / "dang-xem" / "index.md"
    preview = Preview(site.project, tmp_path / "served", "http://127.0.0.1:8000/", workers=1)
    try:
        preview.build_all()
        edited = site.profile("dang-xem", name="Người đã sửa tên", body="Câu chuyện đã sửa, có **chữ đậm**.")
        preview.update({edited})
        previewed = story.read_text(encoding="utf-8")
        assert "Người đã sửa tên" in (tmp_path / "served" / "guong" / "dang-xem" / "index.html").read_text("utf-8")
        deadline = time.monotonic() + 120
        while preview.catch_up_running and time.monotonic() < deadline:  # lists, search, feeds: regenerated
            time.sleep(0.2)
        assert not preview.catch_up_running
    finally:
        preview.stop()
    assert "Người đã sửa tên" in previewed and "<strong>chữ đậm</strong>" in previewed
    assert story.read_text(encoding="utf-8") == previewed
