"""A maintainer's story: a long build says what it is doing. On a terminal each stage shows how many of how many
pieces are done and how long is left; in a CI log or a pipe, one plain line per stage with its count and time;
with `--quiet`, nothing but the problems when there are any. The preview says it is preparing before it answers."""

from __future__ import annotations

import fcntl
import json
import os
import re
import select
import struct
import subprocess
import sys
import termios
import time
import urllib.request
from pathlib import Path

import pytest

from build_tools.cli import KEPT
from build_tools.engine.stages import STAGES, format_seconds

from .conftest import SiteFixture
from .test_reproducible import digests
from .test_serve import _free_port

EXEMPLARS = Path(sys.executable).with_name("exemplars")

BUILD_STAGES = [
    "Kiểm tra hồ sơ",
    "Ảnh và thẻ chia sẻ",
    "Trang câu chuyện",
    "Trang danh sách",
    "Nguồn tin và dữ liệu",
    "Chỉ mục tìm kiếm",
    "Ghi các tệp đã tạo",
    "MkDocs dựng trang",
    "Kiểm tra dữ liệu cá nhân",
    "Xuất bản",
]
"""In the order they end with two workers: the search index is made in a process of its own beside the lists and
the feeds and data, and is taken in after them; the privacy scan likewise beside MkDocs, before publishing."""
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
TIME = re.compile(r"(\d+,\d giây|\d+ phút \d\d giây)")
BESIDE = r"(, song song với (Trang danh sách|Nguồn tin và dữ liệu|MkDocs dựng trang)(, Nguồn tin và dữ liệu)?)?"
ANY_STAGE = re.compile(rf"(?P<label>[^:]+): ([\d.]+ [^,]+, )?(\d+,\d giây|\d+ phút \d\d giây){BESIDE}")
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07")


@pytest.fixture
def small(site: SiteFixture) -> SiteFixture:
    """Twelve stories, one with a photo, on trimmed taxonomies: a site of a few dozen pages."""
    site.keep_only({"day-tot-hoc-tot", "y-te"}, {"ha-noi", "lang-son"})
    site.photo("guong-00")
    for number in range(12):
        site.profile(
            f"guong-{number:02d}",
            name=f"Người tốt số {number}",
            province="ha-noi" if number % 2 else "lang-son",
            fields=["y-te"] if number % 3 else ["day-tot-hoc-tot"],
            published=f"2024-03-{number + 1:02d}",
            photo=None if number else {"src": "anh.jpg", "alt": "Chân dung", "credit": "Báo Hà Nội"},
        )
    return site


def piped(site: SiteFixture, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """The command as CI runs it: both streams read by another program, not shown on a terminal."""
    environ = {**os.environ, **env}
    environ.pop("CI", None)
    return subprocess.run(
        [EXEMPLARS, "--root", str(site.root), *args], env=environ, capture_output=True, text=True, timeout=300
    )


def on_terminal(site: SiteFixture, *args: str) -> tuple[int, str]:
    """The command in a terminal of 120 columns (a pseudo-terminal): what the maintainer sees, escapes and all."""
    leader, follower = os.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    environ = {key: value for key, value in os.environ.items() if key not in ("CI", "NO_COLOR", "COLUMNS")}
    process = subprocess.Popen(
        [EXEMPLARS, "--root", str(site.root), *args],
        stdin=follower,
        stdout=follower,
        stderr=follower,
        env={**environ, "TERM": "xterm-256color"},
        close_fds=True,
    )
    os.close(follower)
    output = bytearray()
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        ready, _, _ = select.select([leader], [], [], 1)
        if not ready:
            continue
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal's other end closed: the command ended
            break
        if not chunk:
            break
        output += chunk
    os.close(leader)
    return process.wait(timeout=30), output.decode("utf-8", errors="replace")


def stage_line(label: str, count: str | None = None) -> re.Pattern[str]:
    counted = f"{re.escape(count)}, " if count else ""
    return re.compile(rf"{re.escape(label)}: {counted}(\d+,\d giây|\d+ phút \d\d giây)")


def test_in_a_pipe_each_stage_is_one_line_with_its_count_and_time_in_order(small: SiteFixture) -> None:
    timings = small.root / "timings.json"
    result = piped(small, "build", "--timings", str(timings), "--workers", "2")
    assert result.returncode == 0, result.stderr
    lines = result.stderr.splitlines()
    assert [line.split(":")[0] for line in lines] == BUILD_STAGES
    assert stage_line("Kiểm tra hồ sơ", "12 hồ sơ").fullmatch(lines[0])
    assert stage_line("Ảnh và thẻ chia sẻ", "12 câu chuyện").fullmatch(lines[1])
    assert stage_line("Trang câu chuyện", "12 câu chuyện").fullmatch(lines[2])
    assert re.fullmatch(r"Trang danh sách: \d+ trang, \d+,\d giây", lines[3])
    assert stage_line("Nguồn tin và dữ liệu", "2 phần").fullmatch(lines[4])
    assert re.fullmatch(rf"Chỉ mục tìm kiếm: \d+,\d giây{BESIDE}", lines[5])
    assert stage_line("MkDocs dựng trang").fullmatch(lines[7])
    assert re.fullmatch(rf"Kiểm tra dữ liệu cá nhân: [\d.]+ tệp, \d+,\d giây{BESIDE}", lines[8])
    assert stage_line("Xuất bản").fullmatch(lines[9])
    assert not CONTROL.search(result.stderr + result.stdout)
    assert result.stdout == f"Đã tạo trang vào {small.root / 'site'}\n"
    # The lines and `--timings` are the same stages, timed by the same clock, and say alike which ran side by side.
    recorded = json.loads(timings.read_text(encoding="utf-8"))
    names = {label.label: name for name, label in STAGES.items()}
    assert [stage["name"] for stage in recorded] == [names[label] for label in BUILD_STAGES]
    assert [format_seconds(stage["wall_s"]) for stage in recorded] == [TIME.search(line)[0] for line in lines]
    for number in (5, 8):  # the search index, the privacy scan
        beside = [STAGES[name].label for name in recorded[number]["beside"]]
        assert lines[number].endswith(f", song song với {', '.join(beside)}" if beside else "giây")


def test_check_in_a_pipe_says_how_many_profiles_it_read(small: SiteFixture) -> None:
    result = piped(small, "check")
    assert result.returncode == 0
    assert stage_line("Kiểm tra hồ sơ", "12 hồ sơ").fullmatch(result.stderr.strip())
    assert result.stdout == "Không có lỗi: 12 hồ sơ, 0 kế hoạch.\n"


def test_quiet_prints_nothing_when_all_goes_well(small: SiteFixture) -> None:
    built = piped(small, "build", "--quiet")
    assert (built.returncode, built.stdout, built.stderr) == (0, "", "")
    assert (small.root / "site" / "guong" / "guong-07" / "index.html").is_file()
    checked = piped(small, "check", "-q")
    assert (checked.returncode, checked.stdout, checked.stderr) == (0, "", "")


def test_a_failing_build_still_lists_its_problems_in_every_mode(small: SiteFixture) -> None:
    small.profile("guong-05", province="sai-gon")
    expected = "exemplars/guong-05/index.md:6: province: mã tỉnh, thành phố `sai-gon`"
    for args in (("build",), ("build", "--quiet")):
        result = piped(small, *args)
        assert result.returncode == 1
        assert result.stderr.startswith(expected), result.stderr  # the stage that failed prints no line of its own
        assert result.stderr.rstrip().endswith(KEPT) and result.stdout == ""
    code, screen = on_terminal(small, "build")
    text = ANSI.sub("", screen)
    assert code == 1
    assert "Kiểm tra hồ sơ (dừng)" in text
    assert text.index("Kiểm tra hồ sơ (dừng)") < text.index(expected) < text.index(KEPT)


def test_on_a_terminal_each_stage_counts_up_to_its_total_also_from_forked_workers(small: SiteFixture) -> None:
    alone = piped(small, "build", "--workers", "1", "--site-dir", str(small.root / "one"))
    assert alone.returncode == 0, alone.stderr
    code, screen = on_terminal(small, "build", "--workers", "2", "--site-dir", str(small.root / "two"))
    assert code == 0, screen
    assert "\x1b[" in screen  # drawn and redrawn in place, not printed line after line
    text = ANSI.sub("", screen)
    rows = [row.strip() for row in re.split(r"[\r\n]+", text) if row.strip()]
    last = {label: [row for row in rows if label in row][-1] for label in BUILD_STAGES}
    assert "12/12 hồ sơ" in last["Kiểm tra hồ sơ"] and "12/12 câu chuyện" in last["Ảnh và thẻ chia sẻ"]
    assert "12/12 câu chuyện" in last["Trang câu chuyện"]
    assert "2/2 phần" in last["Nguồn tin và dữ liệu"]
    assert re.search(r"(\d+)/\1 trang", last["Trang danh sách"])
    assert all(row.startswith("✓") and "giây" in row for row in last.values()), last
    assert rows[-1] == f"Đã tạo trang vào {small.root / 'two'}"
    # The work cut finer for the display, in two processes or in one, makes the very same site.
    code, screen = on_terminal(small, "build", "--workers", "1", "--site-dir", str(small.root / "three"))
    assert code == 0 and "12/12 câu chuyện" in ANSI.sub("", screen)
    one = digests(small.root / "one")
    for other in (digests(small.root / "two"), digests(small.root / "three")):
        assert sorted(one) == sorted(other) and [path for path in one if one[path] != other[path]] == []


def test_the_preview_says_it_is_preparing_and_how_far_it_is_before_it_answers(small: SiteFixture) -> None:
    port = _free_port()
    environ = {key: value for key, value in os.environ.items() if key != "CI"}
    process = subprocess.Popen(
        [EXEMPLARS, "--root", str(small.root), "serve", "--dev-addr", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env={**environ, "EXEMPLARS_WORKERS": "2"},  # the stages in BUILD_STAGES' order
    )
    assert process.stderr is not None
    lines: list[str] = []
    try:
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline and not any("Serving on" in line for line in lines):
            line = process.stderr.readline()
            if not line:
                break
            lines.append(line.rstrip("\n"))
        page = urllib.request.urlopen(f"http://127.0.0.1:{port}/guong/guong-03/", timeout=30).read().decode()
    finally:
        process.terminate()
        process.wait(timeout=30)
    assert "Người tốt số 3" in page
    assert (
        lines[0]
        == f"Đang chuẩn bị bản xem trước (tạo toàn bộ trang lần đầu); khi xong, trang có tại http://127.0.0.1:{port}/"
    )
    stages = [found["label"] for line in lines if (found := ANY_STAGE.fullmatch(line))]
    # The preview scans before MkDocs renders: it serves what was rendered, with nothing published to wait for.
    assert stages == [*BUILD_STAGES[:7], "Kiểm tra dữ liệu cá nhân", "MkDocs dựng trang", "Chuẩn bị bản xem trước"]
    assert any(stage_line("Chuẩn bị bản xem trước", "12 hồ sơ").fullmatch(line) for line in lines)
    served = next(number for number, line in enumerate(lines) if "Serving on" in line)
    assert served > max(number for number, line in enumerate(lines) if line.startswith("Chuẩn bị bản xem trước"))


def test_quiet_preview_starts_without_the_stages(small: SiteFixture) -> None:
    port = _free_port()
    process = subprocess.Popen(
        [EXEMPLARS, "--root", str(small.root), "serve", "--quiet", "--dev-addr", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 240
        page = ""
        while time.monotonic() < deadline and not page:
            try:
                page = urllib.request.urlopen(f"http://127.0.0.1:{port}/guong/guong-03/", timeout=5).read().decode()
            except OSError:
                time.sleep(0.5)
    finally:
        process.terminate()
        _, errors = process.communicate(timeout=30)
    assert "Người tốt số 3" in page
    assert errors == ""
