"""An operator's story: `exemplars deploy` publishes the built site to object storage and keeps it whole.

The storage is real: `rclone serve s3` over a temporary folder, on loopback, with access keys set here; the deploy
reaches it the way an operator's CI does, through a named rclone remote made of `RCLONE_CONFIG_KHO_*` variables.
What the server stored is read back over S3 (`rclone lsjson --metadata`, `rclone copy` of the bucket) and, to count
uploads without trusting the deploy's own report, from the server's folder: every object the server writes is a new
file renamed into place, so a replaced object has a new inode.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from build_tools import cli
from build_tools.build import build_site
from build_tools.engine import deploy
from build_tools.engine.deploy import IMMUTABLE, REVALIDATE, SHORT, STATIC, DeployReport

from .conftest import SiteFixture
from .test_links import Link, html_links, xml_links
from .test_stopped_build import processes_in

RCLONE = deploy.find_rclone()
ACCESS_KEY = "khoa-truy-cap-kiem-thu"
SECRET_KEY = "bi-mat-kiem-thu-khong-in-ra"
SITE_URL = "https://example.test/"


@dataclass(frozen=True)
class Storage:
    """The S3 server and what a client needs to reach it."""

    folder: Path
    """The server's backend: one folder per bucket."""
    endpoint: str
    environment: dict[str, str]

    def objects(self, bucket: str) -> dict[str, tuple[int, int]]:
        """Each stored object's (inode, ctime): a new pair means the server wrote it again."""
        root = self.folder / bucket
        return {
            path.relative_to(root).as_posix(): (path.stat().st_ino, path.stat().st_ctime_ns)
            for path in root.rglob("*")
            if path.is_file() and not path.name.startswith(".rclone_temp_")
        }

    def listing(self, bucket: str) -> dict[str, dict]:
        """What S3 answers for each object: its hash and its headers (HEAD per object)."""
        result = subprocess.run(
            [RCLONE, "lsjson", "-R", "--files-only", "--hash", "--metadata", f"kho:{bucket}"],
            capture_output=True,
            text=True,
            check=True,
            env=self.environment,
        )
        return {entry["Path"]: entry for entry in json.loads(result.stdout)}

    def download(self, bucket: str, target: Path) -> Path:
        """The published site as a reader's browser gets it, file by file, over S3."""
        subprocess.run(
            [RCLONE, "copy", f"kho:{bucket}", str(target)], check=True, env=self.environment, capture_output=True
        )
        return target


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def storage(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Storage]:
    root = tmp_path_factory.mktemp("s3")
    folder = root / "kho"
    folder.mkdir()
    config = root / "rclone.conf"
    config.write_text("", encoding="utf-8")  # never the operator's own remotes
    port = _free_port()
    server_environment = {**os.environ, "RCLONE_CONFIG": str(config)}
    server = subprocess.Popen(
        [RCLONE, "serve", "s3", "--auth-key", f"{ACCESS_KEY},{SECRET_KEY}", "--addr", f"127.0.0.1:{port}", str(folder)],
        env=server_environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 20
    while True:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                break
        assert server.poll() is None, "rclone serve s3 stopped at start"
        assert time.monotonic() < deadline, "rclone serve s3 did not start listening"
        time.sleep(0.1)
    endpoint = f"http://127.0.0.1:{port}"
    environment = {
        **server_environment,
        "RCLONE_CONFIG_KHO_TYPE": "s3",
        "RCLONE_CONFIG_KHO_PROVIDER": "Rclone",
        "RCLONE_CONFIG_KHO_ENDPOINT": endpoint,
        "RCLONE_CONFIG_KHO_ACCESS_KEY_ID": ACCESS_KEY,
        "RCLONE_CONFIG_KHO_SECRET_ACCESS_KEY": SECRET_KEY,
    }
    try:
        yield Storage(folder, endpoint, environment)
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture(autouse=True)
def operator_environment(storage: Storage, monkeypatch: pytest.MonkeyPatch) -> None:
    """The deploy runs as in CI: the remote and its keys in environment variables, nothing on the command line."""
    for name, value in storage.environment.items():
        monkeypatch.setenv(name, value)


@dataclass(frozen=True)
class Builds:
    """The same small site built four times, as the content changed between deploys."""

    first: Path
    edited: Path
    """One story's text corrected."""
    removed: Path
    """Then another story taken down."""
    reworked: Path
    """From `first`: a story corrected, a story with a photo added, a story taken down."""
    edited_slug: str = "co-giao-huong"
    removed_slug: str = "htx-dong-dang"
    added_slug: str = "bac-si-lan"


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> Builds:
    base = tmp_path_factory.mktemp("deploy-site")
    site = SiteFixture(base / "repo")
    site.keep_only({"day-tot-hoc-tot", "nong-thon-moi", "y-te"}, {"ninh-binh", "nam-dinh", "lang-son", "ha-noi"})
    site.photo("co-giao-huong")
    site.profile(
        "co-giao-huong",
        body="Cô dạy Toán hai mươi năm ở vùng ven.",
        photo={"src": "anh.jpg", "alt": "Cô Hương trên lớp", "credit": "Báo Nam Định"},
    )
    site.profile(
        "htx-dong-dang",
        name="Hợp tác xã Đồng Đăng",
        kind="tap-the",
        consent=None,
        fields=["nong-thon-moi"],
        province="lang-son",
        published="2024-02-10",
    )
    site.profile("ong-lam-ha-noi", name="Ông Trần Văn Lâm", province="ha-noi", published="2023-09-01")
    first = build_site(site.project, base / "first")
    site.profile(
        "co-giao-huong",
        body="Cô dạy Toán hai mươi năm ở vùng ven, và mở lớp học miễn phí mỗi tối.",
        photo={"src": "anh.jpg", "alt": "Cô Hương trên lớp", "credit": "Báo Nam Định"},
    )
    edited = build_site(site.project, base / "edited")
    shutil.rmtree(site.root / "exemplars" / "htx-dong-dang")
    removed = build_site(site.project, base / "removed")
    site.photo("bac-si-lan", size=(1600, 1000))
    site.profile(
        "bac-si-lan",
        body="Bác sĩ Lan khám miễn phí cho người cao tuổi.",
        name="Trần Thị Lan",
        fields=["y-te"],
        province="ha-noi",
        summary="Bác sĩ trạm y tế phường khám miễn phí cho người cao tuổi.",
        photo={"src": "anh.jpg", "alt": "Bác sĩ Lan khám cho một cụ bà", "credit": "Báo Hà Nội Mới"},
        published="2024-03-01",
    )
    reworked = build_site(site.project, base / "reworked")
    return Builds(first, edited, removed, reworked)


def digests(folder: Path) -> dict[str, str]:
    return {
        path.relative_to(folder).as_posix(): hashlib.md5(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def changed_between(old: Path, new: Path) -> set[str]:
    """What a deploy from `old` to `new` must send: files new or different in bytes."""
    before, after = digests(old), digests(new)
    return {path for path, digest in after.items() if before.get(path) != digest}


def publish(site_dir: Path, bucket: str) -> DeployReport:
    """`exemplars deploy kho:<bucket>` as the command runs it, returning what rclone reported."""
    with deploy.source_tree(site_dir) as source:
        plan = deploy.plan_deploy(source, f"kho:{bucket}")
        return deploy.run_deploy(source, f"kho:{bucket}", plan, say=lambda line: None)


def rewritten(before: dict[str, tuple[int, int]], after: dict[str, tuple[int, int]]) -> set[str]:
    return {path for path, stamp in after.items() if before.get(path) != stamp}


def test_a_first_deploy_uploads_the_whole_site_with_its_types_and_cache_headers(
    storage: Storage, builds: Builds, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        cli.main(
            ["--root", str(builds.first.parent / "repo"), "deploy", "kho:lan-dau", "--site-dir", str(builds.first)]
        )
        == 0
    )
    said = capsys.readouterr()
    local = digests(builds.first)
    assert f"Đã đăng trang lên kho:lan-dau: tải lên {len(local)} tệp, xóa 0 tệp, giữ nguyên 0 tệp." in said.out
    assert SECRET_KEY not in said.out + said.err and ACCESS_KEY not in said.out + said.err

    stored = storage.listing("lan-dau")
    assert {path: entry["Hashes"]["md5"] for path, entry in stored.items()} == local

    def headers(path: str) -> tuple[str, str]:
        metadata = stored[path]["Metadata"]
        return metadata["content-type"], metadata["cache-control"]

    story = f"guong/{builds.edited_slug}/"
    assert headers(story + "index.html") == ("text/html; charset=utf-8", SHORT)
    assert headers("index.html") == ("text/html; charset=utf-8", SHORT)
    assert headers("feed.xml") == ("application/rss+xml; charset=utf-8", SHORT)
    assert headers("linh-vuc/y-te/feed.xml") == ("application/rss+xml; charset=utf-8", SHORT)
    assert headers("atom.xml") == ("application/atom+xml; charset=utf-8", SHORT)
    assert headers("feed.json") == ("application/feed+json; charset=utf-8", SHORT)
    assert headers("sitemap.xml") == ("application/xml; charset=utf-8", SHORT)
    assert headers("du-lieu/exemplars.csv") == ("text/csv; charset=utf-8", SHORT)
    assert headers("du-lieu/exemplars.json") == ("application/json; charset=utf-8", SHORT)
    assert headers("thong-ke/guong-theo-nam.csv") == ("text/csv; charset=utf-8", SHORT)
    assert headers("search/index.json") == ("application/json; charset=utf-8", REVALIDATE)
    assert headers("sw.js") == ("text/javascript; charset=utf-8", REVALIDATE)
    photos = sorted(path for path in stored if path.startswith(story) and path.endswith(".webp"))
    assert photos and all(headers(path) == ("image/webp", STATIC) for path in photos)
    assert headers("assets/javascripts/reader.js") == ("text/javascript; charset=utf-8", STATIC)
    bundles = [path for path in stored if path.startswith("assets/javascripts/bundle.") and path.endswith(".min.js")]
    styles = [path for path in stored if path.startswith("assets/stylesheets/main.") and path.endswith(".min.css")]
    assert len(bundles) == len(styles) == 1
    assert headers(bundles[0]) == ("text/javascript; charset=utf-8", IMMUTABLE)
    assert headers(styles[0]) == ("text/css; charset=utf-8", IMMUTABLE)
    assert all(stored[path]["Metadata"].get("content-encoding") is None for path in stored)


def test_uploads_go_up_assets_first_then_pages_then_the_home_page(storage: Storage, builds: Builds) -> None:
    report = publish(builds.first, "thu-tu")
    order = [transfer.phase for transfer in sorted(report.uploaded, key=lambda t: t.time)]
    assert order == sorted(order), "a phase began before the one before it had finished"
    phase_of = {transfer.path: transfer.phase for transfer in report.uploaded}
    story = f"guong/{builds.edited_slug}/index.html"
    photo = next(path for path in phase_of if path.startswith(f"guong/{builds.edited_slug}/") and path.endswith("webp"))
    assert phase_of[photo] < phase_of[story] < phase_of["linh-vuc/day-tot-hoc-tot/index.html"]
    assert phase_of["linh-vuc/day-tot-hoc-tot/index.html"] < phase_of["feed.xml"] < phase_of["index.html"]
    assert max(phase_of[path] for path in phase_of if path.startswith("search/s/")) < phase_of["search/index.json"]


def test_a_second_deploy_sends_only_what_changed_and_deletes_a_removed_story_last(
    storage: Storage, builds: Builds
) -> None:
    publish(builds.first, "lan-sau")
    before = storage.objects("lan-sau")

    report = publish(builds.edited, "lan-sau")
    expected = changed_between(builds.first, builds.edited)
    uploaded = {transfer.path for transfer in report.uploaded}
    assert uploaded == expected
    assert rewritten(before, storage.objects("lan-sau")) == expected, "the server stored other files than reported"
    # The search index's pieces are named by their content: only those holding the story's words are new, and
    # their old names go once the new ones (and the manifest naming them) are in place.
    replaced = set(digests(builds.first)) - set(digests(builds.edited))
    assert {transfer.path for transfer in report.deleted} == replaced
    assert all(path.startswith("search/") and path != "search/index.json" for path in replaced)
    assert max(t.time for t in report.uploaded) <= min(t.time for t in report.deleted), "deleted before uploads ended"
    search_sent = {path for path in uploaded if path.startswith("search/")}
    index_files = {path for path in digests(builds.edited) if path.startswith("search/")}
    pieces_sent = {path.rsplit(".", 2)[0] for path in search_sent - {"search/index.json"}}
    assert "search/index.json" in search_sent and {path.rsplit(".", 2)[0] for path in replaced} <= pieces_sent
    # Besides the pieces replaced, only completions of new words' first letters, which had none before.
    assert all(piece.startswith("search/t/") for piece in pieces_sent - {p.rsplit(".", 2)[0] for p in replaced})
    assert len(search_sent) < len(index_files) / 2, "most of the search index was sent again"
    story = f"guong/{builds.edited_slug}/"
    assert story + "index.html" in uploaded
    other_stories = {path for path in uploaded if path.startswith("guong/") and not path.startswith(story)}
    assert other_stories == set(), "a story that did not change was sent again"
    assert not any(path.startswith(("assets/", story + "anh")) for path in uploaded), "unchanged files were sent"
    assert {"feed.xml", "atom.xml", "feed.json", "du-lieu/exemplars.json"} <= uploaded  # the story's text is in them
    print_counts("một câu chuyện sửa lời", uploaded, replaced)

    before = storage.objects("lan-sau")
    report = publish(builds.removed, "lan-sau")
    gone = set(digests(builds.edited)) - set(digests(builds.removed))
    assert {transfer.path for transfer in report.deleted} == gone
    assert any(path.startswith(f"guong/{builds.removed_slug}/") for path in gone)
    assert {transfer.path for transfer in report.uploaded} == changed_between(builds.edited, builds.removed)
    assert rewritten(before, storage.objects("lan-sau")) == changed_between(builds.edited, builds.removed)
    assert max(t.time for t in report.uploaded) <= min(t.time for t in report.deleted), "deleted before uploads ended"
    stored = storage.listing("lan-sau")
    assert {path: entry["Hashes"]["md5"] for path, entry in stored.items()} == digests(builds.removed)
    print_counts("một câu chuyện gỡ xuống", {t.path for t in report.uploaded}, gone)


def print_counts(case: str, uploaded: set[str], deleted: set[str]) -> None:
    """Shown with `pytest -s`: the numbers benchmarks/README.md reports per case."""
    kinds: dict[str, int] = {}
    for path in uploaded:
        kind = deploy.step_of(path).label if not path.startswith("search/") else "chỉ mục tìm kiếm"
        kinds[kind] = kinds.get(kind, 0) + 1
    print(f"\n{case}: tải lên {len(uploaded)}, xóa {len(deleted)}: {json.dumps(kinds, ensure_ascii=False)}")


def broken_references(published: Path) -> list[str]:
    """What a reader of the published site would find missing.

    Every page stored, reachable or not, must find its pictures, styles and scripts. Every page a reader can reach
    from the home page, the feeds or the sitemap must find every page it links to as well.
    """

    def missing(link: Link) -> bool:
        if not link.url.startswith(SITE_URL):
            return False
        relative = unquote(urlsplit(link.url).path[len(urlsplit(SITE_URL).path) :])
        target = published / relative
        return not (target / "index.html" if relative.endswith("/") or relative == "" else target).is_file()

    problems: list[str] = []
    pages = {path.relative_to(published).as_posix() for path in published.rglob("*.html")}
    for page in sorted(pages):
        for link in html_links(SITE_URL, page, (published / page).read_text(encoding="utf-8")):
            if link.where.split("<", 1)[1].split(" ", 1)[0] in ("img", "source", "script", "link") and missing(link):
                problems.append(f"{link.where} → {link.url}")
    queue = ["index.html"]
    for feed in ("feed.xml", "atom.xml", "sitemap.xml"):
        queue += [
            unquote(urlsplit(link.url).path[1:]).removesuffix("/") + "/index.html"
            for link in xml_links(SITE_URL, feed, (published / feed).read_bytes())
            if link.url.startswith(SITE_URL) and link.url.endswith("/") and link.url != SITE_URL
        ]
        problems += [
            f"{link.where} → {link.url}"
            for link in xml_links(SITE_URL, feed, (published / feed).read_bytes())
            if missing(link)
        ]
    seen: set[str] = set()
    while queue:
        page = queue.pop()
        if page in seen or not (published / page).is_file():
            continue
        seen.add(page)
        for link in html_links(SITE_URL, page, (published / page).read_text(encoding="utf-8")):
            if missing(link):
                problems.append(f"{link.where} → {link.url}")
            elif link.url.startswith(SITE_URL) and urlsplit(link.url).path.endswith("/"):
                queue.append(unquote(urlsplit(link.url).path[1:]) + "index.html")
    assert len(seen) > 10, "the crawl reached too few pages to mean anything"
    return sorted(set(problems))


def test_the_published_site_of_a_finished_deploy_has_nothing_missing(
    storage: Storage, builds: Builds, tmp_path: Path
) -> None:
    """The check used below on an interrupted deploy, first on a whole site: it finds pages and passes."""
    publish(builds.first, "tron-ven")
    published = storage.download("tron-ven", tmp_path / "kho")
    assert broken_references(published) == []
    # What it would report had a deploy deleted too early: a photo, and a story its field's page links to.
    story = published / "guong" / builds.edited_slug
    photo = next(story.glob("*.webp"))
    photo.unlink()
    (published / "guong" / builds.removed_slug / "index.html").unlink()
    problems = broken_references(published)
    assert any(f"guong/{builds.edited_slug}/index.html <" in p and p.endswith(photo.name) for p in problems)
    assert any(p.startswith("linh-vuc/nong-thon-moi/index.html <a href>") for p in problems), problems


def test_a_deploy_killed_midway_leaves_the_published_site_whole_and_a_rerun_finishes_it(
    storage: Storage, builds: Builds, tmp_path: Path
) -> None:
    publish(builds.first, "dut-giua")
    before = storage.objects("dut-giua")
    edited_story = f"guong/{builds.edited_slug}/index.html"
    command = [sys.executable, "-m", "build_tools.cli", "--root", str(builds.first.parent / "repo")]
    command += ["deploy", "kho:dut-giua", "--site-dir", str(builds.reworked)]
    # Slowed down (rclone reads its flags from RCLONE_* variables) so that the kill lands among the changed pages.
    slow = {**storage.environment, "RCLONE_BWLIMIT": "48k", "RCLONE_TRANSFERS": "1"}
    deploying = subprocess.Popen(
        command, env=slow, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 120
    while storage.objects("dut-giua").get(edited_story) == before[edited_story]:
        assert deploying.poll() is None, "the deploy ended before it could be interrupted"
        assert time.monotonic() < deadline, "the deploy never reached the changed pages"
        time.sleep(0.05)
    os.killpg(deploying.pid, signal.SIGKILL)  # the deploy and its rclone, mid-upload
    deploying.wait()

    after = storage.objects("dut-giua")
    print(f"\nbị dừng giữa chừng: kho đã nhận {len(rewritten(before, after))} tệp trước khi dừng")
    assert after["index.html"] == before["index.html"], "the kill came too late to test anything"
    assert f"guong/{builds.removed_slug}/index.html" in after, "a story was deleted before the uploads ended"
    assert any(path.startswith(f"guong/{builds.added_slug}/") for path in after)
    published = storage.download("dut-giua", tmp_path / "giua-chung")
    assert digests(published) != digests(builds.reworked)
    assert broken_references(published) == []

    assert cli.main(command[3:]) == 0
    stored = storage.listing("dut-giua")
    assert {path: entry["Hashes"]["md5"] for path, entry in stored.items()} == digests(builds.reworked)
    assert broken_references(storage.download("dut-giua", tmp_path / "xong")) == []


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="binds rclone with prctl, reads /proc")
def test_a_deploy_killed_outright_takes_its_rclone_with_it(storage: Storage, builds: Builds, tmp_path: Path) -> None:
    """CI's timeout, or someone, kills `exemplars deploy` mid-upload: rclone, which does the uploading, stops with
    it, rather than uploading on alone (and meanwhile racing the deploy run again to finish the job), and nothing of
    the deploy is left in the temporary folder."""
    site = tmp_path / "site"
    (site / "assets").mkdir(parents=True)
    (site / "index.html").write_text("<!doctype html><title>Gương</title>", encoding="utf-8")
    # A large photo, slowly: rclone says nothing until it is sent (were it to write a line to the pipe the killed
    # deploy read, it would end then).
    (site / "assets" / "anh-lon.jpg").write_bytes(os.urandom(4 << 20))
    command = [sys.executable, "-m", "build_tools.cli", "--root", str(builds.first.parent / "repo")]
    command += ["deploy", "kho:rclone-cung-dung", "--site-dir", str(site)]
    scratch = tmp_path / "tam"  # the system's temporary folder, as the deploy sees it
    scratch.mkdir()
    slow = {**storage.environment, "RCLONE_BWLIMIT": "16k", "RCLONE_TRANSFERS": "1", "TMPDIR": str(scratch)}
    deploying = subprocess.Popen(
        command, env=slow, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 60
        while not any(b"\0copy\0" in _command_line(pid) for pid in processes_in(deploying.pid)):
            assert deploying.poll() is None, "the deploy ended before it uploaded"
            assert time.monotonic() < deadline, "the deploy never started uploading"
            time.sleep(0.05)
        time.sleep(1)  # the upload under way
        os.kill(deploying.pid, signal.SIGKILL)  # the deploy alone, not its process group
        assert deploying.wait() == -signal.SIGKILL
        deadline = time.monotonic() + 2
        while processes_in(deploying.pid) and time.monotonic() < deadline:
            time.sleep(0.02)
        assert processes_in(deploying.pid) == set(), "rclone uploaded on after the deploy was killed"
        assert list(scratch.iterdir()) == [], "the killed deploy left its lists of files behind"
    finally:
        for pid in processes_in(deploying.pid):
            os.kill(pid, signal.SIGKILL)
        deploying.wait()


def test_the_compressed_copy_a_killed_deploy_left_is_removed_by_the_next(builds: Builds, tmp_path: Path) -> None:
    """`--compress gzip` sends a compressed copy of the site made beside it: a deploy killed outright leaves it
    (as large as the site's text), and the next deploy of that site removes it before making its own."""
    site = tmp_path / "site"
    shutil.copytree(builds.first, site)
    left = tmp_path / ".site.deploy-bi-dung"
    shutil.copytree(builds.first, left)
    with deploy.source_tree(site, "gzip") as source:
        assert not left.exists()
        assert source.parent == tmp_path and source.name.startswith(".site.deploy-")
    assert sorted(path.name for path in tmp_path.iterdir()) == [".site.lock", "site"]


def _command_line(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:  # ended meanwhile
        return b""


def test_a_dry_run_lists_the_plan_in_vietnamese_and_changes_nothing(
    storage: Storage, builds: Builds, capsys: pytest.CaptureFixture[str]
) -> None:
    publish(builds.first, "chay-thu")
    before = storage.objects("chay-thu")
    root = str(builds.first.parent / "repo")
    assert cli.main(["--root", root, "deploy", "kho:chay-thu", "--site-dir", str(builds.reworked), "--dry-run"]) == 0
    said = capsys.readouterr().out
    assert storage.objects("chay-thu") == before
    added, removed = f"guong/{builds.added_slug}/index.html", f"guong/{builds.removed_slug}/index.html"
    assert f"  + {added}  (mới; text/html; charset=utf-8 · {SHORT})" in said
    assert f"  + guong/{builds.edited_slug}/index.html  (nội dung đã đổi; text/html; charset=utf-8 · {SHORT})" in said
    assert f"  - {removed}" in said
    uploads = changed_between(builds.first, builds.reworked)
    gone = set(digests(builds.first)) - set(digests(builds.reworked))
    new = set(digests(builds.reworked)) - set(digests(builds.first))
    assert said.splitlines()[-1] == (
        f"Tổng cộng: tải lên {len(uploads)} tệp ({len(new)} mới, {len(uploads) - len(new)} đã đổi), "
        f"xóa {len(gone)} tệp, giữ nguyên {len(digests(builds.reworked)) - len(uploads)} tệp."
    )
    lines = said.splitlines()
    first_changed = next(i for i, line in enumerate(lines) if "nội dung đã đổi" in line)
    assert max(i for i, line in enumerate(lines) if "(mới;" in line) < first_changed
    assert next(i for i, line in enumerate(lines) if line.startswith("Cuối cùng: xóa")) > first_changed


def test_compressed_text_is_stored_gzipped_and_a_second_deploy_sends_nothing(
    storage: Storage, builds: Builds, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = str(builds.first.parent / "repo")
    command = ["--root", root, "deploy", "kho:nen", "--site-dir", str(builds.first), "--compress", "gzip"]
    assert cli.main(command) == 0
    stored = storage.listing("nen")
    assert stored["index.html"]["Metadata"]["content-encoding"] == "gzip"
    assert stored["feed.xml"]["Metadata"]["content-encoding"] == "gzip"
    assert stored["sitemap.xml.gz"]["Metadata"].get("content-encoding") is None
    webp = next(path for path in stored if path.endswith(".webp"))
    assert stored[webp]["Metadata"].get("content-encoding") is None
    raw = (storage.folder / "nen" / "index.html").read_bytes()
    assert gzip.decompress(raw) == (builds.first / "index.html").read_bytes()
    capsys.readouterr()
    assert cli.main(command) == 0
    assert "tải lên 0 tệp, xóa 0 tệp" in capsys.readouterr().out


def run_deploy_command(arguments: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = cli.main(arguments)
    said = capsys.readouterr()
    assert SECRET_KEY not in said.out + said.err
    return code, said.err


def test_clear_vietnamese_errors_and_no_secret_printed(
    storage: Storage,
    builds: Builds,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    root = ["--root", str(builds.first.parent / "repo")]
    site = ["--site-dir", str(builds.first)]

    code, said = run_deploy_command([*root, "deploy", "kho:loi", "--site-dir", str(tmp_path / "chua-co")], capsys)
    assert code == 2
    assert "Chưa có trang để đăng" in said and "exemplars build" in said

    code, said = run_deploy_command([*root, "deploy", "khong-co-kho-nay:loi", *site], capsys)
    assert code == 2
    assert "Chưa có kho tên này trong cấu hình rclone" in said
    assert "khong-co-kho-nay" in said  # rclone's own words name it

    monkeypatch.setenv("RCLONE_CONFIG_KHO_SECRET_ACCESS_KEY", SECRET_KEY + "-sai")
    code, said = run_deploy_command([*root, "deploy", "kho:loi", *site], capsys)
    assert code == 2
    assert "Kho từ chối khóa truy cập" in said
    monkeypatch.setenv("RCLONE_CONFIG_KHO_SECRET_ACCESS_KEY", SECRET_KEY)

    closed = f"http://127.0.0.1:{_free_port()}"
    monkeypatch.setenv("RCLONE_RETRIES", "1")
    monkeypatch.setenv("RCLONE_LOW_LEVEL_RETRIES", "1")
    inline = f":s3,provider=Rclone,endpoint='{closed}',access_key_id={ACCESS_KEY},secret_access_key={SECRET_KEY}:loi"
    code, said = run_deploy_command([*root, "deploy", inline, *site], capsys)
    assert code == 2
    assert "Không kết nối được tới kho" in said and "connection refused" in said
    assert ACCESS_KEY not in said

    # rclone stopping mid-upload (here: its own transfer limit) is reported with its words; nothing was deleted.
    monkeypatch.setenv("RCLONE_MAX_TRANSFER", "20k")
    monkeypatch.setenv("RCLONE_CUTOFF_MODE", "hard")
    code, said = run_deploy_command([*root, "deploy", "kho:loi", *site], capsys)
    assert code == 2
    assert "rclone báo lỗi khi tải lên tệp mới, bước 1/6" in said and "max transfer" in said.lower()
    assert "Chạy lại lệnh để đăng tiếp." in said
