"""A maintainer's story: MkDocs 1.x is unmaintained; ProperDocs, its maintained continuation, renders the same site.

`EXEMPLARS_ENGINE=properdocs exemplars build` (fast path or `--plain`) and `properdocs build` give the site MkDocs
gives, but for one line per page, listed here with its reason: the `generator` tag names the engine.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from .test_reproducible import digests

BIN = Path(sys.executable).parent
GENERATOR = re.compile(rb'<meta name="generator" content="mkdocs-ProperDocs [0-9.]+, ')
"""The only allowed difference: Material writes the engine's name and version into every page's head."""


def _allowed(ours: Path, theirs: Path) -> bool:
    """The page is MkDocs' page byte for byte once ProperDocs' generator tag reads as MkDocs' does."""
    mkdocs_tag = re.search(rb'<meta name="generator" content="mkdocs-[0-9.]+, ', ours.read_bytes())
    assert mkdocs_tag is not None
    return GENERATOR.sub(mkdocs_tag.group(0), theirs.read_bytes(), count=1) == ours.read_bytes()


def _compare(mkdocs_site: Path, properdocs_site: Path) -> list[str]:
    """Paths that differ otherwise than by the generator tag (must be none)."""
    ours, theirs = digests(mkdocs_site), digests(properdocs_site)
    assert sorted(ours) == sorted(theirs)
    differing = [path for path in ours if ours[path] != theirs[path]]
    assert differing and all(path.endswith(".html") for path in differing)  # the tag is there: ProperDocs ran
    return [path for path in differing if not _allowed(mkdocs_site / path, properdocs_site / path)]


def test_properdocs_renders_the_sample_site_as_mkdocs_does(real_site: Path, tmp_path: Path) -> None:
    env = {**os.environ, "EXEMPLARS_ENGINE": "properdocs", "NO_MKDOCS_2_WARNING": "1"}
    for mode in ("fast", "plain"):
        command = [BIN / "exemplars", "--root", real_site.parent, "build", "--site-dir", tmp_path / mode]
        result = subprocess.run(command + (["--plain"] if mode == "plain" else []), env=env, capture_output=True)
        assert result.returncode == 0, result.stderr.decode()
        assert _compare(real_site, tmp_path / mode) == []
    assert digests(tmp_path / "fast") == digests(tmp_path / "plain")

    # `properdocs build` itself reads mkdocs.yml and runs the plugin (its entry point is MkDocs').
    result = subprocess.run(
        [BIN / "properdocs", "build", "--strict", "--quiet", "-f", "mkdocs.yml", "--site-dir", tmp_path / "cli"],
        cwd=real_site.parent,
        capture_output=True,
    )
    assert result.returncode == 0, result.stderr.decode()
    assert digests(tmp_path / "cli") == digests(tmp_path / "plain")
