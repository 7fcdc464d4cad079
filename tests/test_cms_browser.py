"""An officer fills the form at /admin/ (Decap CMS) against decap-server on loopback, as `bash tasks.sh cms` runs it.

Chromium (Debian's, through Playwright) opens the built site's /admin/; decap-server (npm, pinned) serves a clean
git checkout of a small fixture repository in its git mode, where each saved entry becomes a branch, as on GitHub
each becomes a pull request. Nothing leaves 127.0.0.1.

The screenshots in CONTRIBUTING.md come from this test: `UPDATE_SCREENSHOTS=1` writes them to docs/screenshots/
(`bash tasks.sh screenshots` does it).
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from build_tools.build import build_site
from build_tools.content.config import load_project
from build_tools.content.gather import check
from build_tools.content.problems import ContentError

from .browser import StaticServer, _missing, browser  # noqa: F401 (a fixture)
from .conftest import REPO, SiteFixture

DECAP_SERVER = REPO / "node_modules" / "decap-server" / "dist" / "index.js"
SCREENSHOTS = REPO / "docs" / "screenshots"
SLUG = "nguyen-van-dat-nam-dinh"
LONG_SUMMARY = ("Thầy giáo dạy Toán ở vùng ven biển, ba mươi năm không nghỉ một buổi. " * 6)[:400]


@dataclass
class Editor:
    repo: Path
    admin: str
    shots: Path


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _git(repo: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "Thử", "GIT_AUTHOR_EMAIL": "thu@example.test"}
    env.update(GIT_COMMITTER_NAME="Thử", GIT_COMMITTER_EMAIL="thu@example.test")
    return subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=True).stdout


def _wait_for_port(port: int, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"decap-server stopped: {log.read_text(encoding='utf-8')}")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    pytest.fail("decap-server did not start within 20 s")


@pytest.fixture(scope="module")
def editor(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Editor]:
    if not DECAP_SERVER.is_file() or shutil.which("node") is None:
        _missing("decap-server and Node.js (npm ci)")
    if not (REPO / "node_modules" / "decap-cms" / "dist" / "decap-cms.js").is_file():
        _missing("node_modules/decap-cms (npm ci)")
    root = tmp_path_factory.mktemp("cms")
    # The fixture repository: what a checkout holds, with the real form settings and a small taxonomy.
    fixture = SiteFixture(root / "repo")
    fixture.keep_only({"day-tot-hoc-tot", "chuyen-doi-so"}, {"nam-dinh", "ninh-binh", "ha-noi"})
    fixture.profile("nguyen-thi-huong-nam-dinh", sample=True)  # as every shipped profile, a sample
    (fixture.root / "content" / "admin").mkdir()
    for name in ("index.html", "config.yml"):
        shutil.copy(REPO / "content" / "admin" / name, fixture.root / "content" / "admin" / name)
    (fixture.root / ".gitignore").write_text("/node_modules\n/site/\n/.generated/\n/.cache/\n", encoding="utf-8")
    (fixture.root / "node_modules").symlink_to(REPO / "node_modules")
    _git(fixture.root, "init", "-q", "-b", "main")
    _git(fixture.root, "add", ".")
    _git(fixture.root, "commit", "-q", "-m", "Kho thử")
    # decap-server commits with `git add .`: it gets a clean checkout of its own, never the working copy.
    checkout = root / "checkout"
    _git(root, "clone", "-q", str(fixture.root), str(checkout))
    (checkout / "node_modules").symlink_to(REPO / "node_modules")
    site = build_site(fixture.project, root / "site")
    port = _free_port()
    config = yaml.safe_load((site / "admin" / "config.yml").read_text(encoding="utf-8"))
    config["local_backend"] = {"url": f"http://127.0.0.1:{port}/api/v1"}  # the port of this run's decap-server
    (site / "admin" / "config.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    log = root / "decap-server.log"
    env = {**os.environ, "MODE": "git", "PORT": str(port), "BIND_HOST": "127.0.0.1"}
    env.update(GIT_REPO_DIRECTORY=str(checkout), GIT_AUTHOR_NAME="Thử", GIT_AUTHOR_EMAIL="thu@example.test")
    env.update(GIT_COMMITTER_NAME="Thử", GIT_COMMITTER_EMAIL="thu@example.test")
    with open(log, "wb") as output:
        process = subprocess.Popen(["node", str(DECAP_SERVER)], env=env, stdout=output, stderr=subprocess.STDOUT)
    server = StaticServer(site)
    try:
        _wait_for_port(port, process, log)
        update = os.environ.get("UPDATE_SCREENSHOTS") == "1"
        yield Editor(checkout, server.url("admin/"), SCREENSHOTS if update else root / "shots")
    finally:
        server.stop()
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def page(browser: Any, editor: Editor) -> Iterator[Any]:  # noqa: F811
    """A new browser profile for each test: no sign-in, no unsaved entry kept in the browser from another test."""
    context = browser.new_context(viewport={"width": 1280, "height": 860}, locale="vi-VN")
    outside: list[str] = []

    def only_loopback(route: Any) -> None:
        if route.request.url.startswith(("http://127.0.0.1", "data:", "blob:")):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", only_loopback)
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())  # "Bạn có chắc rằng bạn muốn công bố mục này?"
    page.set_default_timeout(15_000)
    page.goto(editor.admin)
    page.get_by_role("button", name="Đăng nhập").click()
    page.goto(editor.admin + "#/collections/exemplars/new")
    page.locator('[id^="name-field-"]').wait_for()
    yield page
    context.close()
    assert not outside, f"the editor reached outside the machine: {outside}"


def _field(page: Any, name: str) -> Any:
    return page.locator(f'[id^="{name}-field-"]').first


def _choose(page: Any, name: str, label: str) -> None:
    _field(page, name).fill(label)
    page.keyboard.press("Enter")


def _shoot(page: Any, editor: Editor, name: str, at: str) -> None:
    """A screenshot for the guide, framed on one field, reduced to a small palette PNG."""
    from PIL import Image

    editor.shots.mkdir(parents=True, exist_ok=True)
    page.locator(at).first.scroll_into_view_if_needed()
    page.evaluate("window.scrollTo(0, 0)")
    path = editor.shots / f"cms-{name}.png"
    page.screenshot(path=str(path))
    with Image.open(path) as image:
        image.convert("RGB").quantize(colors=128).save(path, optimize=True)


def _fill_required(page: Any, summary: str) -> None:
    _field(page, "name").fill("Nguyễn Văn Đạt")
    _choose(page, "kind", "Cá nhân")
    _choose(page, "fields", "Dạy tốt - Học tốt")
    _choose(page, "fields", "Chuyển đổi số")
    _choose(page, "province", "Tỉnh Nam Định")
    _field(page, "summary").fill(summary)
    _field(page, "published").fill("2025-06-01")


def _add_source(page: Any) -> None:
    """A real profile needs an award with its decision or a press article (the check's verifiable-story rule)."""
    page.get_by_role("button", name=re.compile("báo chí đã đưa tin", re.IGNORECASE)).first.click()
    _field(page, "title").fill("Thầy giáo ba mươi năm bám lớp")
    _field(page, "url").fill("https://baonamdinh.vn/thay-giao-ba-muoi-nam")


def test_an_officer_adds_an_individual_with_a_photo_and_it_builds_into_a_story(
    page: Any, editor: Editor, tmp_path: Path
) -> None:
    from PIL import Image

    _fill_required(page, "Thầy giáo dạy Toán ba mươi năm ở vùng ven biển Giao Thủy.")
    _field(page, "locality").fill("Xã Giao Thiện, huyện Giao Thủy")
    _add_source(page)
    photo = tmp_path / "chan-dung.jpg"
    Image.new("RGB", (1200, 800), (200, 120, 40)).save(photo, "JPEG")
    page.get_by_role("button", name="Chọn một hình").click()
    page.locator('input[type="file"]').set_input_files(str(photo))
    page.get_by_role("button", name="Lấy những cái đã chọn").click()
    _field(page, "alt").fill("Thầy Đạt trên lớp")
    _field(page, "credit").fill("Báo Nam Định")
    _field(page, "consent").click()
    page.locator('[data-slate-editor="true"]').first.click()
    page.keyboard.type("Thầy Đạt dạy Toán ở trường làng từ năm 1995.")
    _shoot(page, editor, "bieu-mau", '[id^="name-field-"]')

    page.get_by_role("button", name="Lưu", exact=True).click()
    status = page.get_by_role("button", name="Trạng: Bản nháp")
    status.wait_for()
    branch = f"cms/exemplars/{SLUG}/index"
    assert branch in _git(editor.repo, "branch", "--list", "cms/*")
    saved = _git(editor.repo, "show", f"{branch}:exemplars/{SLUG}/index.md")
    assert "fields:\n  - day-tot-hoc-tot\n  - chuyen-doi-so\n" in saved  # block style, as the schema accepts

    status.click()
    page.get_by_role("menuitem", name="Sẵn sàng").click()
    page.get_by_role("button", name="Công bố", exact=True).click()
    _shoot(page, editor, "cong-bo", '[id^="name-field-"]')
    page.get_by_role("menuitem", name="Công bố ngay").click()  # then the native confirm(), accepted above
    page.get_by_text("Đã công bố").first.wait_for()

    profile = editor.repo / "exemplars" / SLUG
    assert sorted(p.name for p in profile.iterdir()) == ["chan-dung.jpg", "index.md"]
    published = check(load_project(editor.repo))
    exemplar = next(e for e in published.exemplars if e.slug == SLUG)
    assert exemplar.name == "Nguyễn Văn Đạt" and exemplar.consent is True
    assert exemplar.photo is not None and exemplar.photo.alt == "Thầy Đạt trên lớp"
    assert exemplar.fields == ("day-tot-hoc-tot", "chuyen-doi-so")
    site = build_site(load_project(editor.repo), tmp_path / "site")
    story = (site / "guong" / SLUG / "index.html").read_text(encoding="utf-8")
    assert "Thầy Đạt dạy Toán ở trường làng từ năm 1995." in story
    assert "Báo Nam Định" in story and "Xã Giao Thiện, huyện Giao Thủy" in story


def test_a_missing_consent_and_a_400_character_summary_are_refused_in_vietnamese(page: Any, editor: Editor) -> None:
    before = _git(editor.repo, "branch", "--list", "cms/*")
    _fill_required(page, LONG_SUMMARY)
    page.get_by_role("button", name="Lưu", exact=True).click()
    page.get_by_text("Tóm tắt không khớp với mẫu: tối đa 300 ký tự", exact=False).first.wait_for()
    page.get_by_text("Sự đồng ý bắt buộc nhập.").first.wait_for()
    _shoot(page, editor, "loi", '[id^="summary-field-"]')
    assert _git(editor.repo, "branch", "--list", "cms/*") == before, "nothing is saved while the form has errors"


def test_a_namesake_in_the_same_province_is_caught_by_the_check(page: Any, editor: Editor, tmp_path: Path) -> None:
    """Decap makes a taken path unique by numbering the file (`index-1.md`) inside the first one's folder; the
    check names that file and says how to move it, so the officer sees it on the pull request. (No photo: a
    profile without one saves.)"""
    _field(page, "name").fill("Nguyễn Thị Hương")  # the fixture's profile nguyen-thi-huong-nam-dinh
    _choose(page, "kind", "Cá nhân")
    _choose(page, "fields", "Dạy tốt - Học tốt")
    _choose(page, "province", "Tỉnh Nam Định")
    _field(page, "summary").fill("Một cô giáo khác, cùng tên, cùng tỉnh.")
    _field(page, "published").fill("2025-06-01")
    _add_source(page)
    _field(page, "consent").click()
    page.locator('[data-slate-editor="true"]').first.click()
    page.keyboard.type("Câu chuyện của một cô giáo khác.")
    page.get_by_role("button", name="Lưu", exact=True).click()
    page.get_by_role("button", name="Trạng: Bản nháp").wait_for()
    branch = "cms/exemplars/nguyen-thi-huong-nam-dinh/index-1"
    assert branch in _git(editor.repo, "branch", "--list", "cms/*")
    saved = tmp_path / "nhanh"
    _git(editor.repo, "worktree", "add", "-q", str(saved), branch)
    (saved / "node_modules").symlink_to(REPO / "node_modules")
    with pytest.raises(ContentError) as caught:
        check(load_project(saved))
    [problem] = caught.value.problems
    assert problem.path == "exemplars/nguyen-thi-huong-nam-dinh/index-1.md"
    assert "hồ sơ thứ hai bị lưu vào cùng thư mục" in problem.message


def test_editing_a_sample_in_the_form_keeps_it_marked_as_a_sample(page: Any, editor: Editor) -> None:
    """The form has no `sample` switch (officers add real exemplars); a key it does not show is kept on saving."""
    page.goto(editor.admin + "#/collections/exemplars/entries/nguyen-thi-huong-nam-dinh/index")
    page.reload()  # a new page load: the fixture left the tab on an empty new entry
    summary = _field(page, "summary")
    summary.wait_for()
    summary.fill("Cô giáo dạy Toán hai mươi năm ở vùng ven, nay dạy thêm lớp tin học.")
    page.get_by_role("button", name="Lưu", exact=True).click()
    page.get_by_role("button", name="Trạng: Bản nháp").wait_for()
    saved = _git(
        editor.repo,
        "show",
        "cms/exemplars/nguyen-thi-huong-nam-dinh/index:exemplars/nguyen-thi-huong-nam-dinh/index.md",
    )
    assert "nay dạy thêm lớp tin học" in saved
    assert "\nsample: true\n" in saved
