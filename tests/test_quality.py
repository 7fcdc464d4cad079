"""A reader's story, checked by machines: the markup we publish is valid HTML (the Nu HTML Checker, the W3C's own
validator) and usable with a screen reader, a keyboard or poor eyesight (axe-core in Chromium, no serious or
critical violation) on the pages people land on.

Both checkers come from npm (package.json, installed by `bash tasks.sh test`); the Nu checker needs Java. On a
developer's machine without them these tests skip; in CI (CI=true) they fail, so a broken install cannot pass.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from .browser import StaticServer, browser  # noqa: F401 (the fixture: Debian's Chromium through Playwright)
from .conftest import REPO

VNU = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"


def require(available: bool, what: str) -> None:
    if available:
        return
    message = f"{what} is needed for the markup and accessibility checks (`bash tasks.sh test` installs it)"
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(message)
    pytest.skip(message)


# The Nu HTML Checker -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Allowed:
    """An error in Material for MkDocs' own markup that we cannot change without forking the theme."""

    message: str
    """The checker's message, exactly as it prints it (a prefix is enough)."""
    extract: str
    """A regular expression the quoted markup must match: only the theme's element is let through."""
    why: str


MATERIAL_ERRORS = (
    Allowed(
        "Attribute “autocomplete” is only allowed when the input type is",
        r'<input class="md-toggle" data-md-toggle="(drawer|search)" type="checkbox" id="__(drawer|search)" '
        r'autocomplete="off">',
        "Material's menu and search toggles are hidden checkboxes; autocomplete=off stops Firefox from restoring "
        "their state on back navigation (material/templates/base.html).",
    ),
    Allowed(
        "The value of the “for” attribute of the “label” element must be the ID of a non-hidden form control.",
        r'<label class="md-[a-z_-]+" for="__(drawer|toc|search|nav_[0-9_]+)"',
        "Material's navigation labels point at those toggles, which the checker counts as hidden "
        "(material/templates/partials/nav*.html, toc.html).",
    ),
)


def vnu_errors(*folders: Path) -> list[dict[str, Any]]:
    """Every error the Nu HTML Checker finds in the HTML files under `folders` (one Java start for all)."""
    result = subprocess.run(
        ["java", "-jar", str(VNU), "--format", "json", "--errors-only", "--no-langdetect", "--skip-non-html"]
        + [str(folder) for folder in folders],
        capture_output=True,
        text=True,
        timeout=600,
    )
    messages = json.loads(result.stderr)["messages"]
    assert result.returncode in (0, 1) and all(m["type"] in ("error", "non-document-error") for m in messages)
    return messages


def allowed(message: dict[str, Any]) -> bool:
    return any(
        message["message"].startswith(rule.message) and re.search(rule.extract, message.get("extract", ""))
        for rule in MATERIAL_ERRORS
    )


CANARY = (
    '<!doctype html><html lang="vi"><title>Thử</title><h1 id="a">A</h1><p id="a">Trùng id</p>'
    '<img src="a.jpg"><h3>Nhảy cấp</h3>'
)
"""A page with mistakes we could make, checked in the same run: proves the checker runs and reports them."""


@pytest.fixture(scope="module")
def checked(real_site: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[list[dict], list[dict]]:
    """The checker's errors on the built sample site, and on the canary page."""
    require(shutil.which("java") is not None, "Java (Debian's default-jre-headless)")
    require(VNU.is_file(), "the Nu HTML Checker (npm package vnu-jar)")
    canary = tmp_path_factory.mktemp("canary")
    (canary / "index.html").write_text(CANARY, encoding="utf-8")
    messages = vnu_errors(real_site, canary)
    in_canary = [m for m in messages if "/canary" in m["url"]]
    return [m for m in messages if m not in in_canary], in_canary


def test_the_nu_html_checker_finds_no_error_in_our_markup(checked: tuple[list[dict], list[dict]]) -> None:
    ours = [
        f"{m['url'].split('/site/', 1)[-1]}:{m.get('lastLine')}: {m['message']} {m.get('extract', '')!r}"
        for m in checked[0]
        if not allowed(m)
    ]
    assert ours == []


def test_the_allowed_theme_errors_are_only_the_themes(checked: tuple[list[dict], list[dict]]) -> None:
    # The allow-list is narrow: each rule matches something real (else it is stale and goes), and on the theme's
    # elements only, whose markup is the same on every page.
    for rule in MATERIAL_ERRORS:
        matched = {m["extract"].strip() for m in checked[0] if allowed(m) and m["message"].startswith(rule.message)}
        assert matched, f"stale allow-list entry: {rule.message}"
        assert all(re.search(rule.extract, extract) for extract in matched)


def test_the_checker_reports_what_we_would_get_wrong(checked: tuple[list[dict], list[dict]]) -> None:
    found = {m["message"].split("“")[0] for m in checked[1]}
    assert {"Duplicate ID ", "An "} <= found  # An “img” element must have an “alt” attribute…
    assert not any(allowed(m) for m in checked[1])


# axe-core in Chromium ------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def served(real_site: Path) -> Iterator[str]:
    server = StaticServer(real_site)
    yield server.url()
    server.stop()


def open_search(page: Any, query: str) -> None:
    """Open the header's search (a button on a phone), type a query and wait until its results are shown."""
    if not page.is_visible(".md-search__input"):
        page.click("label.md-header__button[for='__search']")
    page.fill(".md-search__input", query)
    page.wait_for_function(
        "q => document.querySelector('.md-search-result__meta')?.dataset.query === q", arg=query, timeout=15_000
    )
    assert page.locator(".ex-result").count() > 0


def story_with_photo(site: Path) -> str:
    for page in sorted(site.glob("guong/*/index.html")):
        if 'class="ex-photo"' in page.read_text(encoding="utf-8"):
            return page.parent.relative_to(site).as_posix() + "/"
    raise AssertionError("the sample content has no story with a photo")


PHONE, DESKTOP = {"width": 390, "height": 844}, {"width": 1280, "height": 900}
PHONE, DESKTOP = {"width": 390, "height": 844}, {"width": 1280, "height": 900}
PAGES = {
    "home": "",
    "story": None,  # the first story with a photo
    "field": "linh-vuc/day-tot-hoc-tot/",
    "province": "dia-phuong/ninh-binh/",
    "plan": "ke-hoach/nam-dinh-2022-2025/",
    "archive": "nguoi-tot-viec-tot/",
    "statistics": "thong-ke/",
    "press": "bao-chi/",
    "search": "",  # the home page with the header's search open and a query typed
}
SEARCH_QUERY = "nông thôn"


@pytest.mark.parametrize(
    ("name", "viewport"),
    [(name, PHONE) for name in PAGES] + [("home", DESKTOP), ("story", DESKTOP), ("search", DESKTOP)],
    ids=[f"{name}-phone" for name in PAGES] + ["home-desktop", "story-desktop", "search-desktop"],
)
def test_axe_finds_no_serious_or_critical_accessibility_problem(
    real_site: Path,
    served: str,
    browser: Any,  # noqa: F811 (the fixture imported from tests/browser.py)
    name: str,
    viewport: dict[str, int],
) -> None:
    """Every page on a phone, where most readers are; the header and menu change on a wide screen, so three there."""
    require(AXE.is_file(), "axe-core (npm package axe-core)")
    path = PAGES[name] if PAGES[name] is not None else story_with_photo(real_site)
    page = browser.new_page(viewport=viewport, locale="vi-VN")
    try:
        page.goto(served + path, wait_until="load")
        if name == "search":
            open_search(page, SEARCH_QUERY)
        page.add_script_tag(path=str(AXE))
        results = page.evaluate(
            "async () => await axe.run(document, {resultTypes: ['violations'], runOnly: ['wcag2a', 'wcag2aa', "
            "'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']})"
        )
    finally:
        page.close()
    problems = [
        f"{violation['impact']} {violation['id']}: {violation['help']} — {node['target']} {node['html'][:160]}"
        for violation in results["violations"]
        if violation["impact"] in ("serious", "critical")
        for node in violation["nodes"]
    ]
    assert problems == []
