"""The comment on a pull request: an officer who added one story and corrected another taps straight to them on
the preview; what was deleted or is only a draft is said so; names typed by contributors cannot become links or
mentions. The changed files come from git exactly as the pull-request workflow lists them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import SiteFixture

PREVIEW = "https://example.test/pr-preview/pr-7/"


def _git(root: Path, *args: str) -> str:
    command = ["git", "-c", "user.name=Cán bộ", "-c", "user.email=canbo@example.test", *args]
    return subprocess.run(command, cwd=root, check=True, capture_output=True, text=True).stdout


def _comment(root: Path, *args: str) -> str:
    command = [sys.executable, "-m", "build_tools.cli", "--root", str(root), "preview-links", *args]
    done = subprocess.run(command, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture
def pull_request(site: SiteFixture) -> tuple[SiteFixture, Path]:
    """A repository with four stories on main, then a pull request's changes, and the list git gives for them."""
    site.profile("co-huong", name="Nguyễn Thị Hương")
    site.profile("bac-si-lan", group="2023", name="Trần Thị Lan", fields=["y-te"])
    site.profile("se-xoa", name="Người sẽ bị xóa")
    site.profile("doi-ten-cu", name="Người đổi đường dẫn", summary="Một người được đổi đường dẫn.")
    _git(site.root, "init", "-q", "-b", "main")
    _git(site.root, "add", ".")
    _git(site.root, "commit", "-q", "-m", "main")

    site.profile("moi-them", group="2024", name="Hộ ông Ba", kind="ho-gia-dinh")
    site.profile("bac-si-lan", group="2023", name="Trần Thị Lan", fields=["y-te"], summary="Tóm tắt đã sửa lại.")
    site.photo("co-huong")
    site.profile("nhap", name="Người trong bản nháp", draft=True)
    site.profile("ten-doc-hai", name="@admin [bấm vào đây](https://evil.example/) <b>đậm</b>")
    (site.root / "exemplars" / "se-xoa" / "index.md").unlink()
    (site.root / "exemplars" / "doi-ten-cu").rename(site.root / "exemplars" / "doi-ten-moi")
    site.profile("doi-ten-moi", name="Người đổi đường dẫn", summary="Một người được đổi.", aliases=["doi-ten-cu"])
    (site.root / "content" / "gioi-thieu.md").write_text("# Giới thiệu trang\n\nĐã sửa.\n", encoding="utf-8")
    (site.root / "mkdocs.yml").write_text(
        (site.root / "mkdocs.yml").read_text(encoding="utf-8") + "\n# đổi cấu hình\n", encoding="utf-8"
    )
    _git(site.root, "add", "-A")
    _git(site.root, "commit", "-q", "-m", "pull request")
    changed = site.root.parent / "changed.txt"
    # As the workflow lists them: the pull request's merge commit against the base branch it merges into.
    changed.write_text(_git(site.root, "diff", "--name-status", "--no-renames", "HEAD^1", "HEAD"), encoding="utf-8")
    return site, changed


def test_the_comment_links_each_new_or_corrected_story_on_the_preview(pull_request: tuple[SiteFixture, Path]) -> None:
    site, changed = pull_request
    comment = _comment(site.root, "--pr", "7", "--changed-from", str(changed))
    assert comment.startswith("<!-- exemplars-preview -->\n### Trang xem trước\n")
    assert f"Xem thử toàn bộ trang: {PREVIEW}\n" in comment
    # Each story once, by its folder (the address, whatever group it sits in), with what happened to it.
    stories = comment.split("**Câu chuyện mới hoặc đã sửa**\n\n")[1].split("\n\n")[0].splitlines()
    assert stories[:5] == [
        f"- [Trần Thị Lan]({PREVIEW}guong/bac-si-lan/) (đã sửa): `exemplars/2023/bac-si-lan/index.md`",
        f"- [Nguyễn Thị Hương]({PREVIEW}guong/co-huong/) (đã sửa ảnh hoặc tệp kèm theo): `exemplars/co-huong/index.md`",
        f"- [Người đổi đường dẫn]({PREVIEW}guong/doi-ten-moi/) (mới): `exemplars/doi-ten-moi/index.md`",
        f"- [Hộ ông Ba]({PREVIEW}guong/moi-them/) (mới): `exemplars/2024/moi-them/index.md`",
        # A draft is never built, not even for the preview: no link that would lead nowhere.
        "- Người trong bản nháp (bản nháp, không đăng kể cả trên trang xem trước): `exemplars/nhap/index.md`",
    ]
    removed = comment.split("**Hồ sơ đã xóa hoặc đổi đường dẫn**\n\n")[1].split("\n\n")[0].splitlines()
    assert removed == [
        "- guong/doi-ten-cu/ (đổi thành guong/doi-ten-moi/, địa chỉ cũ vẫn chuyển tới đó): "
        "`exemplars/doi-ten-cu/index.md`",
        "- guong/se-xoa/ (hồ sơ đã xóa): `exemplars/se-xoa/index.md`",
    ]
    assert f"- [Giới thiệu trang]({PREVIEW}gioi-thieu/): `content/gioi-thieu.md`\n" in comment
    assert "Ngoài ra có 1 tệp mã nguồn, giao diện hoặc cấu hình thay đổi" in comment


def test_a_name_typed_by_a_contributor_stays_plain_text(pull_request: tuple[SiteFixture, Path]) -> None:
    site, changed = pull_request
    comment = _comment(site.root, "--pr", "7", "--changed-from", str(changed))
    line = next(line for line in comment.splitlines() if "ten-doc-hai" in line)
    assert line == (
        f"- [\\@admin \\[bấm vào đây\\](https\\://evil.example/) \\<b\\>đậm\\</b\\>]({PREVIEW}guong/ten-doc-hai/)"
        " (mới): `exemplars/ten-doc-hai/index.md`"
    )


def test_the_preview_address_is_under_the_site_and_a_fork_is_told_where_its_preview_is(
    pull_request: tuple[SiteFixture, Path],
) -> None:
    site, changed = pull_request
    assert _comment(site.root, "--pr", "7", "--print-url") == PREVIEW + "\n"
    other = "https://to-chuc.github.io/guong/pr-preview/pr-12/"
    assert _comment(site.root, "--base-url", other.rstrip("/"), "--print-url") == other + "\n"
    run = "https://github.com/to-chuc/guong/actions/runs/1"
    summary = _comment(site.root, "--pr", "7", "--changed-from", str(changed), "--fork", "--artifact-url", run)
    assert "bản sao (fork)" in summary and "**không được đăng**" in summary
    assert f"mục *Artifacts* của lần chạy này ({run})" in summary
    assert f"({PREVIEW}guong/moi-them/)" in summary  # the addresses the stories will have, once published


def test_a_pull_request_without_content_says_so(site: SiteFixture) -> None:
    comment = _comment(site.root, "--pr", "3", "--changed", "build_tools/site/pages.py", ".github/workflows/pr.yml")
    assert "Pull request này không thay đổi hồ sơ, kế hoạch hay trang nội dung nào." in comment
    assert "Ngoài ra có 2 tệp mã nguồn, giao diện hoặc cấu hình thay đổi" in comment


def test_a_mistyped_preview_address_is_refused_before_anything_is_built(
    site: SiteFixture, capsys: pytest.CaptureFixture
) -> None:
    from build_tools.cli import main

    site.profile("co-huong")
    assert main(["--root", str(site.root), "build", "--site-url", "guong-dien-hinh.example.vn/pr-preview/pr-7"]) == 2
    assert capsys.readouterr().err == (
        "--site-url: `guong-dien-hinh.example.vn/pr-preview/pr-7` không dùng được: địa chỉ trang phải là một URL "
        "đầy đủ bắt đầu bằng https:// hoặc http://, ví dụ `https://to-chuc.github.io/guong-dien-hinh/pr-preview/pr-7/`.\n"
    )
    assert not (site.root / "site").exists()
