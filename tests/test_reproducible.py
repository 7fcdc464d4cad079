"""A maintainer's story: two builds of the same commit, on different machines or folders, in different time zones,
give the same site byte for byte, so a diff of two deployments shows only what the content changed."""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from build_tools.build import content_epoch
from build_tools.content.config import load_project
from build_tools.content.gather import gather
from build_tools.site.cms import BUNDLE_DIR

from .conftest import REPO, copy_repository

EXEMPLARS = Path(sys.executable).with_name("exemplars")
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def digests(site: Path) -> dict[str, str]:
    return {
        path.relative_to(site).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(site.rglob("*"))
        if path.is_file()
    }


def test_two_builds_in_different_folders_time_zones_and_hash_seeds_are_byte_identical(
    real_site: Path, tmp_path: Path
) -> None:
    # Another absolute path (with a space and Vietnamese in it), another time zone and locale, another hash seed,
    # and a fresh photo cache: nothing of the build machine may leak into the site.
    other = copy_repository(tmp_path / "máy khác" / "kho")
    env = {**os.environ, "TZ": "Pacific/Kiritimati", "LC_ALL": "C.UTF-8", "PYTHONHASHSEED": "4242"}
    env.pop("SOURCE_DATE_EPOCH", None)
    result = subprocess.run([EXEMPLARS, "--root", other, "build"], env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    first, second = digests(real_site), digests(other / "site")
    assert sorted(first) == sorted(second)
    assert [path for path in first if first[path] != second[path]] == []


def test_no_file_names_the_folder_it_was_built_in(real_site: Path) -> None:
    roots = [str(real_site.parent), str(Path.home()), "/tmp/", "/work/", "pytest-of-"]
    leaks = []
    vendored = REPO / BUNDLE_DIR  # the form editor, copied byte for byte: its upstream's own build paths are in it
    for path in sorted(real_site.rglob("*")):
        if path.parent.name == "admin" and (vendored / path.name).is_file():
            assert path.read_bytes() == (vendored / path.name).read_bytes()
            continue
        if path.is_file() and path.suffix in (".html", ".xml", ".json", ".csv", ".js", ".css", ".txt"):
            text = path.read_text(encoding="utf-8", errors="replace")
            leaks += [f"{path.relative_to(real_site)}: {root}" for root in roots if root in text]
    assert leaks == []


def test_the_sitemap_is_dated_by_the_content_not_the_clock(real_site: Path) -> None:
    project = load_project(real_site.parent)
    catalogue = gather(project)
    # The day the content is stated as of: `content_date` in mkdocs.yml, moved forward to a later story.
    configured = project.settings.content_date
    newest = max(e.last_modified for e in catalogue.exemplars)
    if configured is not None:
        newest = max(configured, *(e.published for e in catalogue.exemplars))
    epoch = content_epoch(project, catalogue)
    assert dt.datetime.fromtimestamp(epoch, dt.UTC).date() == newest
    sitemap = ET.fromstring((real_site / "sitemap.xml").read_bytes())
    assert {node.text for node in sitemap.iter(f"{SITEMAP}lastmod")} == {newest.isoformat()}
    compressed = (real_site / "sitemap.xml.gz").read_bytes()
    assert int.from_bytes(compressed[4:8], "little") == epoch  # the gzip header's modification time
    assert gzip.decompress(compressed) == (real_site / "sitemap.xml").read_bytes()
    assert not re.search(rb"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}", (real_site / "sitemap.xml").read_bytes())
