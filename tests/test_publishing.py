"""An editor's story: whatever stops a build (a kill, Ctrl+C, a broken template, a crash, a full disk, bad
content, a second build at the same time), readers keep the last good site, byte for byte, and the editor reads
in Vietnamese what happened and what to do."""

from __future__ import annotations

import ctypes
import errno
import hashlib
import os
import shutil
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from build_tools import cli
from build_tools.build import build_site
from build_tools.content.config import load_project
from build_tools.engine import publish

from .conftest import BASE_PROFILE, REPO, SiteFixture, profile_text

EXEMPLARS = Path(sys.executable).with_name("exemplars")
KEPT = "thư mục site/ được giữ nguyên như lần tạo thành công trước"
AS_FROM_A_TERMINAL = "import signal; signal.signal(signal.SIGINT, signal.default_int_handler); "
"""The build takes Ctrl+C (SIGINT) as from a terminal, whoever runs this suite. A suite started in the background
of a shell without job control (`pytest … &` in a script, two suites at once) has SIGINT ignored, as has every
process it starts (an ignored signal stays ignored across exec): the build never saw the test's Ctrl+C, went on and
published (exit 0), as a build in the background of a script should."""
FALLBACK = "import build_tools.engine.publish as p; p._rename_function = None; "
"""The two-rename fallback, as on a kernel or filesystem without RENAME_EXCHANGE."""


def exemplars_command(fallback: bool = False) -> list[str]:
    """The `exemplars` command (`cli.run`), its Ctrl+C as from a terminal; with `fallback`, without the exchange."""
    setup = AS_FROM_A_TERMINAL + (FALLBACK if fallback else "")
    return [sys.executable, "-c", f"{setup}from build_tools.cli import run; run()"]


def snapshot(folder: Path) -> dict[str, str]:
    """Every file and folder under `folder`, with a digest of each file's bytes."""
    return {
        path.relative_to(folder).as_posix(): "folder"
        if path.is_dir()
        else hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
    }


def leftovers(root: Path) -> list[str]:
    locks = (".site.lock", publish.TREE_LOCK)
    return sorted(p.name for p in root.iterdir() if p.name.startswith(".site.") and p.name not in locks)


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str], dict[str, str]]:
    """A published site, the content edited since (a new name, a new story), and what the edit would publish."""
    site = SiteFixture(tmp_path_factory.mktemp("published") / "repo")
    site.keep_only(
        {"day-tot-hoc-tot", "nong-thon-moi", "giam-ngheo"}, {"ninh-binh", "nam-dinh", "lang-son", "lai-chau"}
    )
    site.photo("co-giao-huong")
    site.profile(
        "co-giao-huong",
        photo={"src": "anh.jpg", "alt": "Cô Hương trên lớp", "credit": "Báo Nam Định"},
        aliases=["ten-cu"],
    )
    site.profile("htx-dong-dang", name="Hợp tác xã Đồng Đăng", kind="tap-the", consent=None, province="lang-son")
    build_site(site.project)
    old = snapshot(site.root / "site")
    generated = site.project.generated_dir
    shutil.copytree(generated, site.root.parent / "generated-old")
    site.profile("co-giao-huong", name="Nguyễn Thị Hương (đã sửa)")
    site.profile("ong-ba-lai-chau", name="Hộ ông Sùng A Chu", kind="ho-gia-dinh", province="lai-chau")
    expected = site.root.parent / "expected"
    build_site(site.project, expected)
    new = snapshot(expected)
    # The repository as right after the last good build, then edited: the generated pages are the old ones.
    shutil.rmtree(generated)
    shutil.copytree(site.root.parent / "generated-old", generated)
    assert new != old
    return site.root, old, new


@pytest.fixture
def repo(tmp_path: Path, published: tuple[Path, dict[str, str], dict[str, str]]) -> Path:
    """A private copy of the published project, so every test starts from the same last good site."""
    copy = tmp_path / "repo"
    shutil.copytree(published[0], copy)
    return copy


def run_and_stop(root: Path, point: str, signal_number: int, fallback: bool = False) -> tuple[int, str]:
    """Run `exemplars build`, wait until it reaches `point`, send `signal_number`, let it go on, and report."""
    process = subprocess.Popen(
        [*exemplars_command(fallback), "--root", str(root), "build"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, publish.PAUSE_VARIABLE: point},
    )
    watchdog = threading.Timer(120, process.kill)
    watchdog.start()
    try:
        assert process.stderr is not None and process.stdin is not None
        seen = []
        for line in process.stderr:
            seen.append(line)
            if line.strip() == f"exemplars-test: paused at {point}":
                break
        else:
            pytest.fail(f"the build never reached {point}:\n{''.join(seen)}")
        process.send_signal(signal_number)
        # The line lets a build that held the signal go on: it must then finish the swap.
        _, rest = process.communicate("\n")
        return process.returncode, "".join(seen) + rest
    finally:
        watchdog.cancel()


def test_a_build_killed_at_any_point_before_the_swap_leaves_the_site_untouched(
    repo: Path, published: tuple[Path, dict[str, str], dict[str, str]]
) -> None:
    _, old, new = published
    # Generated pages half rewritten; all generated; MkDocs half way; the new site complete beside the old.
    for point in ("writing", "generate", "mkdocs", "publish"):
        code, _ = run_and_stop(repo, point, signal.SIGKILL)
        assert code == -signal.SIGKILL
        assert snapshot(repo / "site") == old, point
    # The next build clears what the killed ones left, and publishes.
    assert subprocess.run([EXEMPLARS, "--root", repo, "build"], capture_output=True).returncode == 0
    assert snapshot(repo / "site") == new
    assert leftovers(repo) == []


def test_ctrl_c_or_sigterm_before_the_swap_leaves_the_site_untouched_and_says_so(
    repo: Path, published: tuple[Path, dict[str, str], dict[str, str]]
) -> None:
    for point, signal_number in (("generate", signal.SIGINT), ("mkdocs", signal.SIGTERM), ("publish", signal.SIGINT)):
        code, output = run_and_stop(repo, point, signal_number)
        assert code == cli.EXIT_INTERRUPTED, output
        assert f"Đã dừng theo yêu cầu. Chưa tạo trang: {KEPT}." in output
        assert "Traceback" not in output
        assert snapshot(repo / "site") == published[1], point
        assert leftovers(repo) == [], point


def test_a_build_killed_right_after_the_swap_has_published_the_whole_new_site(
    repo: Path, published: tuple[Path, dict[str, str], dict[str, str]]
) -> None:
    code, _ = run_and_stop(repo, "published", signal.SIGKILL)
    assert code == -signal.SIGKILL
    assert snapshot(repo / "site") == published[2]


def test_without_rename_exchange_a_kill_between_the_two_renames_is_repaired_by_the_next_build(
    repo: Path, published: tuple[Path, dict[str, str], dict[str, str]]
) -> None:
    old = published[1]
    code, _ = run_and_stop(repo, "swap", signal.SIGKILL, fallback=True)
    assert code == -signal.SIGKILL
    # The one moment the fallback has no site/: the last good one waits, complete, beside it.
    assert not (repo / "site").exists()
    assert snapshot(publish.retired_dir(repo / "site")) == old
    # The next build puts it back first, so even a build that fails on bad content leaves the old site in place.
    broken = repo / "exemplars" / "hong" / "index.md"
    broken.parent.mkdir()
    broken.write_text("---\nname: Hồ sơ hỏng\n---\n", encoding="utf-8")
    result = subprocess.run([EXEMPLARS, "--root", repo, "build"], capture_output=True, text=True)
    assert result.returncode == cli.EXIT_CONTENT
    assert "đã khôi phục site/ như lần tạo thành công trước" in result.stderr
    assert snapshot(repo / "site") == old
    assert leftovers(repo) == []


def test_without_rename_exchange_ctrl_c_between_the_two_renames_waits_for_the_second(
    repo: Path, published: tuple[Path, dict[str, str], dict[str, str]]
) -> None:
    code, output = run_and_stop(repo, "swap", signal.SIGINT, fallback=True)
    assert code == 0, output
    assert "trang mới đã được đăng trọn vẹn rồi mới dừng" in output
    assert snapshot(repo / "site") == published[2]
    assert leftovers(repo) == []


def build_in_process(root: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = cli.main(["--root", str(root), "build"])
    return code, capsys.readouterr().err


def test_a_broken_theme_template_names_the_file_and_line(
    repo: Path, published: tuple[Path, dict[str, str], dict[str, str]], capsys: pytest.CaptureFixture[str]
) -> None:
    theme = repo / "theme"
    shutil.copytree(REPO / "build_tools" / "theme", theme)
    config = repo / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(str(REPO / "build_tools" / "theme"), "theme"), encoding="utf-8"
    )
    main = theme / "main.html"
    main.write_text(main.read_text(encoding="utf-8") + "\n{% block footer %}{% if %}{% endblock %}\n", "utf-8")
    code, message = build_in_process(repo, capsys)
    assert code == cli.EXIT_BUILD
    line = main.read_text(encoding="utf-8").splitlines().index("{% block footer %}{% if %}{% endblock %}") + 1
    assert f"Lỗi trong mẫu giao diện: theme/main.html, dòng {line}: " in message
    assert KEPT in message and "Traceback" not in message
    assert snapshot(repo / "site") == published[1]
    assert leftovers(repo) == []


def test_a_template_that_fails_while_rendering_names_the_file_and_line(
    repo: Path, published: tuple[Path, dict[str, str], dict[str, str]], capsys: pytest.CaptureFixture[str]
) -> None:
    theme = repo / "theme"
    shutil.copytree(REPO / "build_tools" / "theme", theme)
    config = repo / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(str(REPO / "build_tools" / "theme"), "theme"), encoding="utf-8"
    )
    (theme / "main.html").write_text(
        '{% extends "base.html" %}\n{% block extrahead %}\n{{ page.meta.photo.credit.upper() }}\n{% endblock %}\n',
        encoding="utf-8",
    )
    code, message = build_in_process(repo, capsys)
    assert code == cli.EXIT_BUILD
    assert "Lỗi trong mẫu giao diện: theme/main.html, dòng 3: " in message
    assert snapshot(repo / "site") == published[1]


def test_a_crash_half_way_through_mkdocs_leaves_the_site_untouched(
    repo: Path,
    published: tuple[Path, dict[str, str], dict[str, str]],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from build_tools.mkdocs.plugin import ExemplarsPlugin

    pages: list[str] = []

    def crash_on_tenth_page(self: ExemplarsPlugin, output: str, *, page: object, config: object) -> str:
        pages.append(output)
        if len(pages) == 10:
            raise RuntimeError("hỏng giữa chừng")
        return output

    monkeypatch.setattr(ExemplarsPlugin, "on_post_page", crash_on_tenth_page)
    code, message = build_in_process(repo, capsys)
    assert code == cli.EXIT_BUILD
    assert "Lỗi không mong đợi khi tạo trang" in message
    assert "Chi tiết: RuntimeError: hỏng giữa chừng" in message and KEPT in message
    assert snapshot(repo / "site") == published[1]
    assert leftovers(repo) == []


def no_space(path: object) -> OSError:
    return OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))


@pytest.mark.parametrize("stage", ["generation", "mkdocs", "flush"])
def test_a_full_disk_at_any_stage_leaves_the_site_untouched(
    repo: Path,
    published: tuple[Path, dict[str, str], dict[str, str]],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    stage: str,
) -> None:
    import mkdocs.utils

    writes = []
    profile = repo / "exemplars" / "htx-dong-dang" / "index.md"
    profile.write_text(profile.read_text(encoding="utf-8").replace("Đồng Đăng", "Đồng Đăng mới"), "utf-8")
    if stage == "generation":
        original = Path.write_bytes

        def write_bytes(self: Path, data: bytes) -> int:
            writes.append(self)
            if len(writes) > 5:
                raise no_space(self)
            return original(self, data)

        monkeypatch.setattr(Path, "write_bytes", write_bytes)
    elif stage == "mkdocs":
        original_write = mkdocs.utils.write_file

        def write_file(content: bytes, output_path: str) -> None:
            writes.append(output_path)  # counted per process: each forked renderer writes its share of pages
            if len(writes) > 5:
                raise no_space(output_path)
            original_write(content, output_path)

        monkeypatch.setattr(mkdocs.utils, "write_file", write_file)
    else:

        def syncfs(descriptor: int) -> int:
            ctypes.set_errno(errno.ENOSPC)  # a full disk surfaces at the flush when blocks are allocated late
            return -1

        def fsync(descriptor: int) -> None:
            raise no_space(descriptor)

        monkeypatch.setattr(publish, "_syncfs", syncfs if publish._syncfs else None)
        monkeypatch.setattr(publish.os, "fsync", fsync)
    code, message = build_in_process(repo, capsys)
    assert code == cli.EXIT_BUILD
    assert "Ổ đĩa đã đầy khi ghi" in message and "Hãy giải phóng dung lượng" in message and KEPT in message
    assert snapshot(repo / "site") == published[1]
    assert leftovers(repo) == []


def test_bad_content_leaves_the_site_untouched(
    repo: Path, published: tuple[Path, dict[str, str], dict[str, str]], capsys: pytest.CaptureFixture[str]
) -> None:
    profile = repo / "exemplars" / "htx-dong-dang" / "index.md"
    profile.write_text(profile.read_text(encoding="utf-8").replace("kind: tap-the", "kind: khong-ro"), "utf-8")
    code, message = build_in_process(repo, capsys)
    assert code == cli.EXIT_CONTENT
    assert "exemplars/htx-dong-dang/index.md:3: kind:" in message and KEPT in message
    assert snapshot(repo / "site") == published[1]


def test_a_second_build_at_the_same_time_is_refused(
    repo: Path, published: tuple[Path, dict[str, str], dict[str, str]], capsys: pytest.CaptureFixture[str]
) -> None:
    with publish.build_lock(repo / "site"):
        code, message = build_in_process(repo, capsys)
    assert code == cli.EXIT_BUILD
    assert "một lần tạo trang khác đang ghi vào site/" in message
    assert snapshot(repo / "site") == published[1]


DRAFT = "Người trong bản nháp chưa duyệt"
SERVE_BUSY = "đang dùng các trang được tạo (.generated/) và bộ nhớ đệm (.cache/) của kho này"


def _start_paused_build(root: Path, point: str) -> subprocess.Popen[str]:
    process = subprocess.Popen(
        [str(EXEMPLARS), "--root", str(root), "build"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, publish.PAUSE_VARIABLE: point},
    )
    assert process.stderr is not None
    for line in process.stderr:
        if line.strip() == f"exemplars-test: paused at {point}":
            return process
    process.kill()
    pytest.fail(f"the build never reached {point}")


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _no_draft_in(folder: Path) -> None:
    for path in folder.rglob("*"):
        assert "ban-nhap" not in path.as_posix(), path
        if path.is_file() and path.suffix in (".html", ".xml", ".json", ".csv", ".txt"):
            assert DRAFT not in path.read_text(encoding="utf-8"), path


def test_serve_saving_while_build_publishes_never_puts_a_draft_in_the_site(
    repo: Path, published: tuple[Path, dict[str, str], dict[str, str]]
) -> None:
    """`serve` writes drafts into the generated pages that `build` reads: the two share one lock over the tree, so
    whichever comes second is refused with a message, and no draft ever reaches `site/`."""
    (repo / "exemplars" / "ban-nhap").mkdir()
    profile = profile_text({**BASE_PROFILE, "name": DRAFT, "draft": True}, "Câu chuyện chưa duyệt.")
    (repo / "exemplars" / "ban-nhap" / "index.md").write_text(profile, encoding="utf-8")
    serve_command = [str(EXEMPLARS), "--root", str(repo), "serve", "--dev-addr", f"127.0.0.1:{_free_port()}"]
    # A build about to publish: the preview cannot start, so it writes nothing.
    build = _start_paused_build(repo, "publish")
    try:
        refused = subprocess.run(serve_command, capture_output=True, text=True, timeout=120)
        assert refused.returncode == 1
        assert "Chưa mở bản xem trước" in refused.stderr and SERVE_BUSY in refused.stderr
        _, _ = build.communicate("\n", timeout=120)
        assert build.returncode == 0
    finally:
        build.kill()
    _no_draft_in(repo / "site")
    after_build = snapshot(repo / "site")
    # A preview running, its drafts in the generated pages: a build is refused and the site stays as it was.
    serve = subprocess.Popen(serve_command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        generated = load_project(repo).generated_dir / "guong" / "ban-nhap"
        for _ in range(600):
            if generated.is_dir():
                break
            threading.Event().wait(0.2)
        assert generated.is_dir(), "the preview never wrote its draft"
        busy = subprocess.run([str(EXEMPLARS), "--root", str(repo), "build"], capture_output=True, text=True)
        assert busy.returncode == cli.EXIT_BUILD and SERVE_BUSY in busy.stderr
        assert snapshot(repo / "site") == after_build
    finally:
        serve.terminate()
        serve.wait(timeout=30)
    # The preview stopped: the next build publishes, without the draft.
    assert subprocess.run([str(EXEMPLARS), "--root", str(repo), "build"], capture_output=True).returncode == 0
    _no_draft_in(repo / "site")


def test_two_builds_into_two_site_folders_do_not_collide_on_the_shared_caches(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = repo.parent / "site-khac"
    with publish.tree_lock(repo):
        code = cli.main(["--root", str(repo), "build", "--site-dir", str(other)])
    assert code == cli.EXIT_BUILD
    assert SERVE_BUSY in capsys.readouterr().err
    assert not other.exists()


def test_the_exchange_swaps_two_folders_in_one_step(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir()
    second.mkdir()
    (first / "x").write_text("A", encoding="utf-8")
    (second / "x").write_text("B", encoding="utf-8")
    if publish._rename_function is None:
        pytest.skip("this system has no renameat2; the fallback is tested above")
    assert publish._exchange(first, second)
    assert (first / "x").read_text(encoding="utf-8") == "B" and (second / "x").read_text(encoding="utf-8") == "A"


def test_staging_and_retired_folders_are_never_committed_or_published() -> None:
    site = load_project(REPO).root / "site"
    names = [publish.staging_dir(site), publish.retired_dir(site), site.with_name(".site.lock")]
    names.append(site.with_name(publish.TREE_LOCK))
    result = subprocess.run(
        ["git", "-C", str(REPO), "check-ignore", *(p.relative_to(REPO).as_posix() for p in names)],
        capture_output=True,
        text=True,
    )
    assert result.stdout.split() == [".site.building", ".site.old", ".site.lock", publish.TREE_LOCK]
    # Beside site/, never inside it or inside the docs folder, so neither MkDocs nor the deploy step sees them.
    assert all(p.parent == site.parent for p in names)
