"""A maintainer merges a change to the build tools: the next build (CI's deploy build among them) remakes only what
that change can alter. A change to the deploy command or the MkDocs plugin remakes no story and checks no profile
again; a change to what renders a story remakes every story; a change to the profile parser checks every profile
again (`engine/codestamp.py`).

The builds run in a fresh process on a copy of the build tools, edited as a maintainer would edit them, and count
the profiles read and checked and the stories made (`workers=1`: all in that process)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from build_tools.content.gather import gather
from build_tools.engine.codestamp import reach
from build_tools.site.photos import Variant
from build_tools.site.social import field_card_path
from build_tools.site.story import Images, profile_digest, story_context

from .conftest import REPO, SiteFixture
from .test_reproducible import digests

_BUILD = """
import json, sys
from pathlib import Path

import build_tools
from build_tools.build import build_site
from build_tools.content import gather
from build_tools.content.config import load_project
from build_tools.site import story

assert Path(build_tools.__file__).parent == Path(sys.argv[2]), build_tools.__file__
checked, made = [], []
load_profile, make_story = gather.load_profile, story.make_story
gather.load_profile = lambda path, shown: checked.append(shown) or load_profile(path, shown)
story.make_story = lambda exemplar, context: made.append(exemplar.slug) or make_story(exemplar, context)
build_site(load_project(Path(sys.argv[1])), workers=1)
print(json.dumps({"checked": sorted(checked), "made": sorted(made)}))
"""

PROFILES = ["exemplars/guong-0/index.md", "exemplars/guong-1/index.md", "exemplars/guong-2/index.md"]
STORIES = ["guong-0", "guong-1", "guong-2"]


def _three_stories(site: SiteFixture) -> None:
    site.keep_only({"day-tot-hoc-tot", "y-te"}, {"ha-noi", "lang-son"})
    photo = {"src": "anh.jpg", "alt": "Anh Một trên công trường", "credit": "Báo Nam Định"}
    site.profile("guong-0", name="Nguyễn Văn Một", province="ha-noi", published="2024-03-10", photo=photo)
    site.photo("guong-0")
    site.profile("guong-1", name="Trần Thị Hai", province="lang-son", fields=["y-te"], published="2024-03-11")
    site.profile("guong-2", name="Lê Văn Ba", province="ha-noi", published="2024-03-12", body="Câu chuyện **ba**.")


def _tools(tmp_path: Path) -> Path:
    """A copy of the build tools (their compiled bytecode too, still valid: the copy keeps each file's time)."""
    tools = tmp_path / "tools" / "build_tools"
    shutil.copytree(REPO / "build_tools", tools)
    return tools


def _build(tools: Path, root: Path) -> dict[str, list[str]]:
    """`exemplars build` by the build tools in `tools`: which profiles it read and checked, which stories it made."""
    env = {**os.environ, "PYTHONPATH": str(tools.parent)}
    done = subprocess.run(
        [sys.executable, "-c", _BUILD, str(root), str(tools)],
        cwd=tools.parent,  # not the repository: its own build_tools would come first
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    made: dict[str, list[str]] = json.loads(done.stdout.strip().splitlines()[-1])
    return made


def _edit(path: Path, line: str) -> None:
    """A maintainer's change that alters nothing the module does: one more comment line."""
    path.write_text(path.read_text(encoding="utf-8") + line, encoding="utf-8")


def _encoded_photos(site: SiteFixture) -> set[str]:
    """The photo encodings in the cache, each a manifest named by its key (the photo, the settings and the code)."""
    return {path.name for path in (site.root / ".cache" / "photos").glob("*.json")}


def _fresh_build(tools: Path, site: SiteFixture, target: Path) -> dict[str, str]:
    """The same repository built from nothing (a fresh clone: no cache, nothing generated) by the same tools."""
    ignore = shutil.ignore_patterns(".cache", ".generated", "site")
    shutil.copytree(site.root, target, ignore=ignore)
    assert _build(tools, target) == {"checked": PROFILES, "made": STORIES}
    return digests(target / "site")


def test_a_change_to_the_deploy_command_or_the_mkdocs_plugin_remakes_no_story_and_checks_no_profile_again(
    site: SiteFixture, tmp_path: Path
) -> None:
    """Merged after the last deploy: a comment in `engine/deploy.py`, `mkdocs/plugin.py` and `cli.py`. None of them
    takes part in checking a profile or making a story, so the deploy build reads no profile and makes no story, and
    publishes the site a build from nothing would."""
    tools = _tools(tmp_path)
    _three_stories(site)
    assert _build(tools, site.root) == {"checked": PROFILES, "made": STORIES}

    encoded = _encoded_photos(site)
    for module in ("engine/deploy.py", "mkdocs/plugin.py", "cli.py"):
        _edit(tools / module, "\n# Ghi chú của người bảo trì: không đổi gì.\n")
    assert _build(tools, site.root) == {"checked": [], "made": []}
    assert _encoded_photos(site) == encoded, "no photo is encoded again"
    assert digests(site.root / "site") == _fresh_build(tools, site, tmp_path / "fresh")


def test_a_change_to_what_renders_a_story_remakes_every_story(site: SiteFixture, tmp_path: Path) -> None:
    """A story's template and the Markdown conversion make every story page: a change to either (a comment here,
    which changes no page, but a change all the same) makes every story again; a template checks no profile."""
    tools = _tools(tmp_path)
    _three_stories(site)
    assert _build(tools, site.root) == {"checked": PROFILES, "made": STORIES}
    before = digests(site.root / "site")

    _edit(tools / "templates" / "story.md.j2", "{# Ghi chú của người bảo trì. #}\n")
    assert _build(tools, site.root) == {"checked": [], "made": STORIES}
    _edit(tools / "content" / "richtext.py", "\n# Ghi chú của người bảo trì: không đổi gì.\n")
    assert _build(tools, site.root)["made"] == STORIES
    assert digests(site.root / "site") == before


def test_the_search_index_and_the_stories_are_remade_apart(site: SiteFixture, tmp_path: Path) -> None:
    """The index's encoding (`site/search.py`) and the story pages are separate work: a change to the first makes the
    index again and no story, a change to a story's template makes every story again and keeps the index (each
    story's search document is unchanged). Either way the site is what a build from nothing makes."""
    tools = _tools(tmp_path)
    _three_stories(site)
    assert _build(tools, site.root) == {"checked": PROFILES, "made": STORIES}
    state = site.root / ".cache" / "search" / "index.pickle"
    written = state.stat().st_mtime_ns

    _edit(tools / "site" / "search.py", "\n# Ghi chú của người bảo trì: không đổi gì.\n")
    assert _build(tools, site.root) == {"checked": [], "made": []}
    assert state.stat().st_mtime_ns != written, "the index is made again by the changed code"
    written = state.stat().st_mtime_ns

    _edit(tools / "templates" / "story.md.j2", "{# Ghi chú của người bảo trì. #}\n")
    assert _build(tools, site.root) == {"checked": [], "made": STORIES}
    assert state.stat().st_mtime_ns == written, "no document changed: the kept index is used as it is"
    assert digests(site.root / "site") == _fresh_build(tools, site, tmp_path / "fresh")


def test_a_change_to_the_photo_code_encodes_every_photo_again(site: SiteFixture, tmp_path: Path) -> None:
    """The variants of a photo are made by `site/photos.py` and Pillow: a change there (a fix to how metadata is
    stripped, say) reaches every published photo at the next build, with no version to bump by hand, and the site is
    what a build from nothing makes. The stories are made again too (a story's code reads a photo's variants through
    the types that module defines); no profile is checked again."""
    tools = _tools(tmp_path)
    _three_stories(site)
    assert _build(tools, site.root) == {"checked": PROFILES, "made": STORIES}
    encoded = _encoded_photos(site)
    assert len(encoded) == 1

    _edit(tools / "site" / "photos.py", "\n# Ghi chú của người bảo trì: không đổi gì.\n")
    assert _build(tools, site.root) == {"checked": [], "made": STORIES}
    assert len(_encoded_photos(site) - encoded) == 1, "the photo is encoded again by the changed code"
    assert digests(site.root / "site") == _fresh_build(tools, site, tmp_path / "fresh")


def test_a_change_to_the_profile_parser_checks_every_profile_again_and_remakes_only_stories_it_changed(
    site: SiteFixture, tmp_path: Path
) -> None:
    """A change to the rules of a profile (`content/schema/profile.py`) checks every profile again. A story is made
    from the profile as parsed, so one whose profile parses as before is kept; a change to what the parser makes
    reaches the story through that (the parser's product is in each story's key)."""
    tools = _tools(tmp_path)
    _three_stories(site)
    assert _build(tools, site.root) == {"checked": PROFILES, "made": STORIES}

    _edit(tools / "content" / "schema" / "profile.py", "\n# Ghi chú của người bảo trì: không đổi gì.\n")
    assert _build(tools, site.root) == {"checked": PROFILES, "made": []}

    builders = tools / "content" / "schema" / "builders.py"
    source = builders.read_text(encoding="utf-8")
    assert 'name=data["name"].strip(),' in source
    # The parser now gives every name in capitals: every profile is checked again, every story made again.
    builders.write_text(source.replace('name=data["name"].strip(),', 'name=data["name"].strip().upper(),'), "utf-8")
    assert _build(tools, site.root) == {"checked": PROFILES, "made": STORIES}
    assert "TRẦN THỊ HAI" in site.built("guong/guong-1/index.html")


def test_each_stamp_covers_the_modules_its_stage_imports_and_not_the_deploy_command_or_the_mkdocs_plugin() -> None:
    """What a maintainer may change without remaking the stories or checking the profiles again, as computed."""
    stories, profiles = reach(["build_tools.site.story"]), reach(["build_tools.content.gather"])
    outside = {"build_tools.engine.deploy", "build_tools.mkdocs.plugin", "build_tools.cli", "build_tools.engine.live"}
    assert not outside & (stories | profiles)
    assert {"build_tools.content.richtext", "build_tools.site.pages", "build_tools.engine.codestamp"} <= stories
    assert {"build_tools.content.schema.profile", "build_tools.content.load"} <= profiles
    assert "build_tools.content.schema.profile" not in stories  # it reaches a story through the profile it parses
    index = reach(["build_tools.site.search"])
    assert "build_tools.site.search" not in stories  # a story makes its search document, not the index
    assert {"build_tools.site.search_documents", "build_tools.content.text"} <= stories & index
    assert not {"build_tools.site.pages", "build_tools.site.story"} & index  # nor the templates with them
    # A photo is encoded again only for a change to how photos are encoded: not to how the site's files are written.
    photos = reach(["build_tools.site.photos"])
    assert not {"build_tools.engine.write", "build_tools.engine.parallel", "build_tools.engine.publish"} & photos


def test_a_story_without_a_photo_is_keyed_by_the_card_it_shares(site: SiteFixture) -> None:
    """A story without a photo shares its field's card (`social.field_card_path`, by site path): its key reads that
    card, not one looked up by the story's slug (which no card is kept under)."""
    _three_stories(site)
    catalogue = gather(site.project)
    story = catalogue.by_slug["guong-1"]
    card = Variant("card.png", 1200, 630, "image/png", site.root / ".cache" / "cards" / "a.png")
    other = Variant("card.png", 1200, 630, "image/png", site.root / ".cache" / "cards" / "b.png")
    keys = {
        profile_digest(story, story_context(catalogue, site.project.settings, images, False, None, site.root))
        for images in (Images({}, {}, {field_card_path(story): card}), Images({}, {}, {field_card_path(story): other}))
    }
    assert len(keys) == 2
