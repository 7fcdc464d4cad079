"""An officer's story: a build stopped from outside (killed outright by someone or by the system when memory runs
out, Ctrl+C at the terminal, SIGTERM when CI cancels the job) leaves none of its processes running: the next build
is not refused as busy, and publishes. A process of the build lost midway (the search index's, a worker's, a MkDocs
renderer's) fails the build at once with a Vietnamese message saying which stage and what to do, and readers keep
the last good site, byte for byte."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from build_tools.cli import EXIT_BUILD, EXIT_INTERRUPTED, KEPT
from build_tools.engine.scratch import SCRATCH, remove_leftovers, scratch_folder

from .conftest import SiteFixture, eight_stories
from .test_publishing import leftovers, snapshot

EXEMPLARS = Path(sys.executable).with_name("exemplars")
pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc; prctl is Linux's")

HOLD = """
import os, signal, sys
from build_tools import cli, generate
from build_tools.mkdocs import plugin
from build_tools.site import collection, search

build = os.getpid()
signal.signal(signal.SIGINT, signal.default_int_handler)  # as from a terminal (a runner in the background ignores it)
where, kill = os.environ["EXEMPLARS_TEST_HOLD"], os.environ.get("EXEMPLARS_TEST_KILL") == "1"

def held(original):
    def hold(*args, **kwargs):
        if os.getpid() != build:  # in one of the processes the build forked
            print(f"exemplars-test: held {os.getpid()}", file=sys.stderr, flush=True)
            if kill:
                os.kill(os.getpid(), signal.SIGKILL)
            while True:
                signal.pause()
        return original(*args, **kwargs)
    return hold

if where == "search":  # the search index, in its process beside the lists, feeds and data
    collection.build_search_index = held(collection.build_search_index)
elif where == "stories":  # the story pages, in the pool's workers
    generate.kept_story = held(generate.kept_story)
elif where == "rendering":  # MkDocs' pages, in the forked renderer
    plugin.ExemplarsPlugin._link_direct = held(plugin.ExemplarsPlugin._link_direct)
elif where == "postings":  # a fresh search index, its postings spooled in the build's working folder
    search._encode_kinds = held(search._encode_kinds)
sys.exit(cli.main(sys.argv[1:]))
"""
"""`exemplars build` whose work in one forked process never ends (or, with EXEMPLARS_TEST_KILL=1, whose process
is killed there), so that a test can stop the build at that moment."""

STAGES = {"search": "Chỉ mục tìm kiếm", "stories": "Trang câu chuyện", "rendering": "MkDocs dựng trang"}
"""Where a test holds the build, and the stage the user reads it as."""


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """Eight stories published by a build in several processes, then one of them corrected (not yet published)."""
    site = SiteFixture(tmp_path_factory.mktemp("stopped") / "repo")
    eight_stories(site)
    result = subprocess.run([EXEMPLARS, "--root", site.root, "build", "-q", "--workers", "2"], capture_output=True)
    assert result.returncode == 0, result.stderr
    profile = site.root / "exemplars" / "guong-3" / "index.md"
    profile.write_text(profile.read_text(encoding="utf-8") + "\nAnh còn dạy bơi cho trẻ em trong xóm.\n", "utf-8")
    return site.root, snapshot(site.root / "site")


@pytest.fixture
def repo(tmp_path: Path, published: tuple[Path, dict[str, str]]) -> Path:
    copy = tmp_path / "repo"
    shutil.copytree(published[0], copy)
    return copy


class HeldBuild:
    """`exemplars build --workers 2` in a session of its own, held in `where` until the test stops it."""

    def __init__(self, root: Path, where: str, kill: bool = False, env: dict[str, str] | None = None) -> None:
        env = {**os.environ, **(env or {}), "EXEMPLARS_TEST_HOLD": where, "EXEMPLARS_TEST_KILL": "1" if kill else "0"}
        self.process = subprocess.Popen(
            [sys.executable, "-c", HOLD, "--root", str(root), "build", "-q", "--workers", "2"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            start_new_session=True,
        )
        self.session = self.process.pid
        self.watchdog = threading.Timer(120, self.kill)  # a build that hangs fails the test, not the suite
        self.watchdog.start()
        self.said: list[str] = []

    def wait_until_held(self) -> int:
        """The process held in its work (its id), once it is; the build goes on meanwhile where it can."""
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.said.append(line)
            if line.startswith("exemplars-test: held "):
                return int(line.split()[-1])
        pytest.fail(f"the build never reached its hold:\n{''.join(self.said)}")

    def finish(self) -> tuple[int, str]:
        """The build's exit status and what it said, once it has ended by itself."""
        _, rest = self.process.communicate()
        self.watchdog.cancel()
        return self.process.returncode, "".join(self.said) + rest

    def none_left(self, seconds: float = 5) -> bool:
        """Whether every process of the build has ended within `seconds` (a zombie waiting to be reaped has)."""
        deadline = time.monotonic() + seconds
        while processes_in(self.session) and time.monotonic() < deadline:
            time.sleep(0.02)
        return not processes_in(self.session)

    def kill(self) -> None:
        """Every process of the build, ended (they hold the pipe `finish` reads to its end)."""
        for pid in processes_in(self.session):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)

    def close(self) -> None:
        """What a failing test leaves is not left to the rest of the suite."""
        self.watchdog.cancel()
        self.kill()
        self.process.wait()


def processes_in(session: int) -> set[int]:
    """The processes of a session still running: the build (its session's leader) and every process it forked,
    orphaned or not, however deep."""
    found = set()
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text(encoding="utf-8")
        except OSError:  # ended meanwhile
            continue
        state, _, _, session_id = stat[stat.rindex(")") + 2 :].split()[:4]
        if int(session_id) == session and state != "Z":
            found.add(int(entry.name))
    return found


def next_build_publishes(root: Path, old: dict[str, str], env: dict[str, str] | None = None) -> None:
    """The officer runs the build again: it is not refused as busy, and readers get the correction."""
    command = [EXEMPLARS, "--root", root, "build", "-q"]
    result = subprocess.run(command, capture_output=True, text=True, env={**os.environ, **(env or {})})
    assert result.returncode == 0, result.stderr
    assert "dạy bơi" in (root / "site" / "guong" / "guong-3" / "index.html").read_text(encoding="utf-8")
    assert snapshot(root / "site") != old
    assert leftovers(root) == []


@pytest.mark.parametrize("where", ["search", "stories", "rendering"])
def test_a_build_killed_outright_leaves_none_of_its_processes_and_the_next_build_publishes(
    repo: Path, published: tuple[Path, dict[str, str]], where: str
) -> None:
    build = HeldBuild(repo, where)
    try:
        held = build.wait_until_held()
        running = processes_in(build.session)
        assert {build.process.pid, held} <= running
        os.kill(build.process.pid, signal.SIGKILL)  # as the system does to a build when memory runs out
        assert build.none_left(), f"still running after the build was killed: {processes_in(build.session)}"
        assert build.process.wait() == -signal.SIGKILL
        assert snapshot(repo / "site") == published[1]
    finally:
        build.close()
    next_build_publishes(repo, published[1])


@pytest.mark.parametrize(
    ("where", "signal_number"),
    [
        ("search", signal.SIGTERM),
        ("stories", signal.SIGINT),
        ("rendering", signal.SIGINT),
        ("rendering", signal.SIGTERM),
    ],
)
def test_ctrl_c_or_sigterm_stops_every_process_of_the_build_and_the_site_stays(
    repo: Path, published: tuple[Path, dict[str, str]], where: str, signal_number: int
) -> None:
    build = HeldBuild(repo, where)
    try:
        build.wait_until_held()
        if signal_number == signal.SIGINT:  # Ctrl+C: the terminal signals every process of the foreground group
            os.killpg(build.session, signal.SIGINT)
        else:  # CI cancelling a job signals the command it started
            os.kill(build.process.pid, signal_number)
        code, said = build.finish()
        assert code == EXIT_INTERRUPTED, said
        assert f"Đã dừng theo yêu cầu. {KEPT}" in said
        assert "Traceback" not in said
        assert build.none_left(), f"still running after the build stopped: {processes_in(build.session)}"
        assert snapshot(repo / "site") == published[1]
        assert leftovers(repo) == []
    finally:
        build.close()
    next_build_publishes(repo, published[1])


@pytest.mark.parametrize("where", ["stories", "rendering"])
def test_a_process_killed_midway_fails_the_build_at_once_with_what_to_do_and_the_site_stays(
    repo: Path, published: tuple[Path, dict[str, str]], where: str
) -> None:
    build = HeldBuild(repo, where, kill=True)
    try:
        build.wait_until_held()
        started = time.monotonic()
        code, said = build.finish()
        assert time.monotonic() - started < 60, "the build waited for the lost process"
        assert code == EXIT_BUILD, said
        assert (
            f"Một tiến trình con của lệnh tạo trang ở bước “{STAGES[where]}” đã bị dừng giữa chừng ("
            "tín hiệu 9: thường do máy hết bộ nhớ)"
            if where == "rendering"
            else "(thường do máy hết bộ nhớ, hoặc có người đã dừng nó)"
        ) in said
        assert f"ở bước “{STAGES[where]}”" in said
        assert "Hãy chạy lại lệnh; nếu lần nào cũng dừng như vậy" in said
        assert said.rstrip().endswith(KEPT)
        assert "Traceback" not in said
        assert build.none_left()
        assert snapshot(repo / "site") == published[1]
        assert leftovers(repo) == []
    finally:
        build.close()


def working_folders(root: Path) -> list[str]:
    """The build's working folders in the repository (engine/scratch.py), each with what it holds."""
    scratch = root / ".cache" / SCRATCH
    if not scratch.is_dir():
        return []
    return sorted(path.relative_to(scratch).as_posix() for path in scratch.rglob("*") if path.name != ".lock")


def test_a_build_killed_outright_leaves_its_working_folder_to_the_next_build_and_nothing_in_tmp(
    repo: Path, published: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    """The open data as it is written and the search index's postings (gigabytes at 100,000 stories) are kept in
    the repository, where the next build removes what a killed one left; the system's temporary folder (here a
    private one, `TMPDIR`) is never written to."""
    shutil.rmtree(repo / ".cache" / "search")  # a fresh search index, whose postings are spooled
    system_tmp = tmp_path / "tmp"
    system_tmp.mkdir()
    env = {"TMPDIR": str(system_tmp)}
    build = HeldBuild(repo, "postings", env=env)
    try:
        build.wait_until_held()
        assert sorted(system_tmp.iterdir()) == []
        left = working_folders(repo)
        assert any(name.count("/") == 1 and "/search-" in name for name in left), left  # the postings' folder
        os.kill(build.process.pid, signal.SIGKILL)
        assert build.none_left()
    finally:
        build.close()
    # Nothing ran to remove them (the open data, written beside the held search, may have gone on until the kill).
    assert set(left) <= set(working_folders(repo))
    next_build_publishes(repo, published[1], env)
    assert working_folders(repo) == []
    assert sorted(system_tmp.iterdir()) == []


def test_a_running_builds_working_folder_is_never_taken_for_a_killed_ones(tmp_path: Path) -> None:
    """Two processes at work in one repository (`serve` and its catch-up, two test runs): a folder is removed only
    once nothing holds it, that is, once its process and every process forked from it have ended."""
    cache = tmp_path / ".cache"
    killed = subprocess.run([sys.executable, "-c", KILLED_IN_ITS_FOLDER, str(cache)], capture_output=True, text=True)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    worker = int(killed.stdout)
    (orphan,) = (cache / SCRATCH).glob("build-*")
    try:
        with scratch_folder(cache, "build-") as first:
            assert (orphan / "records.pickle").is_file()  # the killed build's worker may still write there
            (first / "records.pickle").write_bytes(b"...")
            with scratch_folder(cache, "build-") as second:
                assert (first / "records.pickle").is_file()
        assert not first.exists() and not second.exists()
    finally:
        os.kill(worker, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while (removed := remove_leftovers(cache / SCRATCH)) == [] and time.monotonic() < deadline:
        time.sleep(0.05)
    assert removed == [orphan.name]
    assert working_folders(tmp_path) == []


KILLED_IN_ITS_FOLDER = """
import os, signal, sys, time
from pathlib import Path
from build_tools.engine.scratch import scratch_folder
with scratch_folder(Path(sys.argv[1]), "build-") as folder:
    (folder / "records.pickle").write_bytes(b"...")
    worker = os.fork()
    if worker == 0:  # a worker of the build, still running after the build is killed
        null = os.open(os.devnull, os.O_RDWR)
        for stream in (0, 1, 2):
            os.dup2(null, stream)
        time.sleep(120)
        os._exit(0)
    print(worker, flush=True)
    os.kill(os.getpid(), signal.SIGKILL)
"""
"""A build killed outright in its working folder, one of its workers left running: its id is printed."""


CATCHING_UP = """
import os, sys, time
from pathlib import Path
from build_tools.content.config import load_project
from build_tools.engine import publish
from build_tools.mkdocs.preview import Preview

root, served = Path(sys.argv[1]), Path(sys.argv[2])
preview = Preview(load_project(root), served, "http://127.0.0.1:8000/", workers=2)
preview.build_all()
os.environ[publish.PAUSE_VARIABLE] = "writing"  # the catch-up waits where it writes, for a line that never comes
edited = root / "exemplars" / "guong-3" / "index.md"
edited.write_text(edited.read_text(encoding="utf-8") + "\\nAnh còn dạy bơi cho người lớn.\\n", encoding="utf-8")
preview.update({edited})
while preview.catch_up_process is None:
    time.sleep(0.05)
print(preview.catch_up_process.pid, flush=True)
time.sleep(120)
"""
"""`exemplars serve` as the server drives it: the first build, then a profile saved, the rest regenerated in the
background (the catch-up, a process of its own) and held there; the catch-up's id is printed."""


def test_a_preview_killed_outright_takes_its_background_regeneration_with_it(repo: Path, tmp_path: Path) -> None:
    """`exemplars serve` killed (the terminal closed, the system out of memory) while it regenerates the lists and
    the search index after an edit: that work ends with it, and writes no more into the generated pages, which the
    next build (no longer refused by the preview's lock) reads."""
    serve = subprocess.Popen(
        [sys.executable, "-c", CATCHING_UP, str(repo), str(tmp_path / "served")],
        stdin=subprocess.PIPE,  # held open: the catch-up never gets its line
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        start_new_session=True,
    )
    watchdog = threading.Timer(120, serve.kill)
    watchdog.start()
    try:
        assert serve.stdout is not None
        catch_up = int(serve.stdout.readline())
        waiting_for_its_line(catch_up)
        assert {serve.pid, catch_up} <= processes_in(serve.pid)
        os.kill(serve.pid, signal.SIGKILL)
        assert serve.wait() == -signal.SIGKILL
        deadline = time.monotonic() + 2
        while processes_in(serve.pid) and time.monotonic() < deadline:
            time.sleep(0.02)
        assert processes_in(serve.pid) == set(), "the catch-up ran on after the preview was killed"
    finally:
        watchdog.cancel()
        for pid in processes_in(serve.pid):
            os.kill(pid, signal.SIGKILL)
        serve.wait()


def waiting_for_its_line(pid: int, seconds: float = 60) -> None:
    """Once the process waits at its checkpoint (`publish.checkpoint`: reading a line from the pipe on its stdin),
    where it would stay for ever. Killed before, it may end on its own: it writes to a pipe nobody reads any more."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        wchan = Path(f"/proc/{pid}/wchan").read_text(encoding="ascii")
        if wchan == "0":  # the kernel does not say where a process waits
            time.sleep(5)
            return
        if wchan.endswith("pipe_read"):
            return
        time.sleep(0.05)
    pytest.fail("the catch-up never reached its checkpoint")
