"""Search at scale: indexing time and memory, and what a phone downloads for a first result list.

    python -m benchmarks.search                 # N = 10,000 (about 10 minutes on the 2-core machine)
    python -m benchmarks.search --n 100         # smoke run
    python -m benchmarks.search --pagefind      # also Pagefind (needs `pip install pagefind-bin`)

Steps, each in its own process so its peak memory is its own:
1. write the synthetic corpus (benchmarks/corpus.py) into --work;
2. index only: load and check, render stories, then time the search index (our build's search stage);
3. `exemplars build` of the whole site: wall time and peak memory of the build process;
4. Chromium (Playwright) on the site served from 127.0.0.1: for each of the 20 queries, in a fresh browser profile
   (empty cache), open a story page, open the header search, type the query, wait for the result list, and count
   the bytes of every response from the search's script and style to the result thumbnails;
5. Material's built-in search on the same site (the `search` plugin added): its client downloads the whole
   `search_index.json` plus its worker and lunr language files before the first result, whatever the query;
6. optionally Pagefind on the built site, its time, memory and bytes per query measured the same way.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import gzip
import http.server
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import threading
import time
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .corpus import write_corpus

QUERIES: tuple[str, ...] = (
    "Nguyễn Văn Hùng",
    "nguyen thi huong",
    "Trần Thị Mai",
    "le van toan",
    "pham minh tuan",
    "Hợp tác xã nông nghiệp",
    "truong tieu hoc",
    "Đắk Lắk",
    "dak lak",
    unicodedata.normalize("NFD", "Hà Nội"),
    "thanh hoa",
    "Quảng Ninh",
    "nong thon moi",
    "Chuyển đổi số",
    "day tot hoc tot",
    "người tốt, việc tốt",
    "dien hinh tien tien",
    "hiến máu tình nguyện",
    "rac thai nhua",
    "VietGAP",
)
"""Names, places and fields, with and without diacritics (Hà Nội typed in NFD): fixed, so runs compare."""

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@dataclass
class Run:
    seconds: float
    peak_mib: float
    output: str = ""


@dataclass
class QueryCost:
    query: str
    results: int
    bytes: int
    requests: int
    by_kind: dict[str, int] = field(default_factory=dict)
    shown: list[str] = field(default_factory=list)
    """The links of the first result list, in order: two indexes of one corpus rank alike if these are equal."""


def run_measured(command: list[str], cwd: Path | None = None, env: dict[str, str] | None = None) -> Run:
    """Wall time and peak resident memory of one child process (its own, from wait4)."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    output = process.stdout.read() if process.stdout else ""
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({process.returncode}):\n{output[-4000:]}")
    return Run(seconds, usage.ru_maxrss / 1024, output)


def measure_index(root: Path) -> None:
    """Child process of step 2: prints the timings of the search stage as JSON."""
    import resource

    from build_tools.content.config import load_project
    from build_tools.content.gather import gather
    from build_tools.content.load import read_story
    from build_tools.content.richtext import render_story
    from build_tools.site.photos import process_thumbnail
    from build_tools.site.search import build_search_index
    from build_tools.site.search_documents import page_documents, story_document

    project = load_project(root)
    started = time.perf_counter()
    catalogue = gather(project)
    loaded = time.perf_counter()
    stories = {
        e.slug: render_story(read_story(project.root / e.source_path, e.source_path)) for e in catalogue.exemplars
    }
    rendered = time.perf_counter()
    thumbnails_by_slug: dict[str, str] = {}
    for exemplar in catalogue.exemplars:  # photos are encoded once and cached; timed apart from the index
        if exemplar.photo is not None:
            thumbnail = process_thumbnail(project.root / exemplar.photo.source_path, project.cache_dir / "photos")
            thumbnails_by_slug[exemplar.slug] = f"{exemplar.url}{thumbnail.name}"
    thumbnails = time.perf_counter()
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    cpu = time.process_time()
    # As a build does: each story's document (made with the story there), then the fields', places' and plans'.
    documents = [
        story_document(catalogue, e, stories[e.slug], thumbnails_by_slug.get(e.slug)) for e in catalogue.exemplars
    ]
    files = build_search_index(catalogue, documents + page_documents(catalogue)).files
    indexed = time.perf_counter()
    cpu = time.process_time() - cpu
    index = {path: data for path, data in files.items() if path.startswith("search/") and isinstance(data, bytes)}
    print(
        json.dumps(
            {
                "profiles": len(catalogue.exemplars),
                "load_s": loaded - started,
                "stories_s": rendered - loaded,
                "thumbnails_s": thumbnails - rendered,
                "index_s": indexed - thumbnails,
                "index_cpu_s": cpu,
                "peak_before_index_mib": rss_before,
                "files": len(index),
                "bytes": sum(len(data) for data in index.values()),
                "shards": json.loads(index["search/index.json"])["k"],
                "manifest_bytes": len(index["search/index.json"]),
                "manifest_gzip_bytes": len(gzip.compress(index["search/index.json"], mtime=0)),
            }
        )
    )


@contextlib.contextmanager
def serve(directory: Path) -> Iterator[str]:
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(directory)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        thread.join()


def _kind(url: str) -> str:
    for marker, kind in (
        ("/assets/exemplars/", "script+style"),
        ("/search/index.json", "manifest"),
        ("/search/s/", "shards"),
        ("/search/w/", "lesser weights"),
        ("/search/t/", "completions"),
        ("/search/f/", "filters"),
        ("/search/h/", "shard tables"),
        ("/search/i/", "result tables"),
        ("/search/d/", "results"),
        ("-thumb.webp", "thumbnails"),
        ("/pagefind/", "pagefind"),
    ):
        if marker in url:
            return kind
    return "other"


def measure_queries(site: Path, story: str, engine: str = "ours") -> list[QueryCost]:
    """Bytes a fresh browser fetches for each query, from opening the search box to the first result list."""
    from playwright.sync_api import sync_playwright

    costs: list[QueryCost] = []
    with serve(site) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for query in QUERIES:
            context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
            page = context.new_page()
            seen: list = []  # finished requests; their sizes are read while the page is still open
            # A lambda, not `seen.append`: Playwright tags its handlers with an attribute, which a builtin cannot take.
            page.on("requestfinished", lambda request, seen=seen: seen.append(request))
            page.goto(url + story, wait_until="load")
            page.wait_for_load_state("networkidle")
            # The search's own script and style come with every page; count them too.
            loaded = [(r.url, _size(r)) for r in seen if _kind(r.url) == "script+style"]
            seen.clear()
            if engine == "ours":
                page.click("label.md-header__button[for='__search']")
                page.fill(".md-search__input", query)
                page.wait_for_function(
                    "q => document.querySelector('.md-search-result__meta').dataset.query === q", arg=query
                )
                page.wait_for_load_state("networkidle")
                results = _result_count(page.inner_text(".md-search-result__meta"))
                shown = page.eval_on_selector_all(".md-search-result__link", "links => links.map((a) => a.href)")
            else:
                shown = []
                results = page.evaluate(
                    """async (q) => {
                        const pagefind = await import("/pagefind/pagefind.js");
                        const search = await pagefind.search(q);
                        await Promise.all(search.results.slice(0, 10).map((r) => r.data()));
                        return search.results.length;
                    }""",
                    query,
                )
                page.wait_for_load_state("networkidle")
            fetched = loaded + [(r.url, _size(r)) for r in seen]
            by_kind: dict[str, int] = {}
            for request_url, size in fetched:
                by_kind[_kind(request_url)] = by_kind.get(_kind(request_url), 0) + size
            by_kind.pop("other", None)
            if engine != "ours":  # our script and style are on the page, but Pagefind's search does not use them
                by_kind = {k: v for k, v in by_kind.items() if k == "pagefind"}
            shown = [link.removeprefix(url) for link in shown]
            costs.append(QueryCost(query, results, sum(by_kind.values()), len(fetched), by_kind, shown))
            context.close()
        browser.close()
    return costs


def _size(request) -> int:  # type: ignore[no-untyped-def]
    sizes = request.sizes()
    return int(sizes["responseBodySize"] + sizes["responseHeadersSize"])


def _result_count(meta: str) -> int:
    digits = "".join(ch for ch in meta.split("kết quả")[0] if ch.isdigit())
    return int(digits) if "kết quả" in meta and digits else 0


def material_cost(site: Path) -> dict[str, int]:
    """What Material's search client downloads before its first result (the same for every query)."""
    scripts = site / "assets" / "javascripts"
    parts = {
        "search_index.json": site / "search" / "search_index.json",
        "worker": next((scripts / "workers").glob("search.*.min.js")),
        "lunr.stemmer.support": scripts / "lunr" / "min" / "lunr.stemmer.support.min.js",
        "lunr.vi": scripts / "lunr" / "min" / "lunr.vi.min.js",
    }
    cost = {name: path.stat().st_size for name, path in parts.items() if path.exists()}
    cost["search_index.json (gzip)"] = len(gzip.compress(parts["search_index.json"].read_bytes(), 6))
    return cost


def _material_project(corpus: Path, target: Path) -> Path:
    """The same corpus with Material's `search` plugin enabled and Material's own header (its search box)."""
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(corpus, target, symlinks=True, ignore=shutil.ignore_patterns("site", ".site*"))
    config = (target / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace("plugins:\n", "plugins:\n  - search\n", 1)
    (target / "mkdocs.yml").write_text(config, encoding="utf-8")
    return target


def _shown(query: str) -> str:
    nfc = unicodedata.normalize("NFC", query)
    return f"{nfc} (NFD)" if nfc != query else query


def _fmt_kib(value: float) -> str:
    return f"{value / 1024:,.0f} KiB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--work", type=Path, default=Path(".cache/benchmarks"))
    parser.add_argument("--skip-material", action="store_true", help="skip the second build with Material's search")
    parser.add_argument("--pagefind", action="store_true", help="also index with Pagefind (pip install pagefind-bin)")
    parser.add_argument("--measure-index", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure_index:
        measure_index(args.measure_index)
        return

    work = args.work.resolve()
    corpus = work / f"corpus-{args.n}"
    machine = f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"
    print(f"Search benchmark, N = {args.n:,} ({machine})")
    stats = write_corpus(corpus, args.n)
    print(f"corpus: {stats.profiles:,} profiles, {stats.photos:,} photos, {stats.drafts} drafts, {stats.words:,} words")

    index_run = run_measured([sys.executable, "-m", "benchmarks.search", "--measure-index", str(corpus)])
    index = json.loads(index_run.output.strip().splitlines()[-1])
    print(
        f"search index: {index['index_s']:.1f} s (CPU {index['index_cpu_s']:.1f} s) for {index['files']:,} files, "
        f"{index['bytes'] / 2**20:.1f} MiB, {index['shards']:,} shards; first thumbnails {index['thumbnails_s']:.1f} s "
        f"(then cached); before it, load and check {index['load_s']:.1f} s, stories {index['stories_s']:.1f} s; "
        f"peak memory {index_run.peak_mib:.0f} MiB ({index['peak_before_index_mib']:.0f} MiB before the index); "
        f"manifest {_fmt_kib(index['manifest_bytes'])} ({_fmt_kib(index['manifest_gzip_bytes'])} gzipped)"
    )

    exemplars = Path(sys.executable).with_name("exemplars")
    site = work / f"site-{args.n}"
    build = run_measured([str(exemplars), "--root", str(corpus), "build", "--site-dir", str(site)])
    print(f"full build (exemplars build): {build.seconds:.1f} s, peak memory {build.peak_mib:.0f} MiB")

    story = next(p for p in sorted((site / "guong").iterdir()) if (p / "index.html").exists()).name
    ours = measure_queries(site, f"guong/{story}/")
    print(f"\n{'query':<26} {'results':>8} {'requests':>8} {'fetched':>10}   by kind")
    for cost in ours:
        kinds = ", ".join(f"{k} {_fmt_kib(v)}" for k, v in sorted(cost.by_kind.items()))
        print(f"{_shown(cost.query):<26} {cost.results:>8,} {cost.requests:>8} {_fmt_kib(cost.bytes):>10}   {kinds}")
    fetched = [c.bytes for c in ours]
    print(f"ours: median {_fmt_kib(statistics.median(fetched))}, max {_fmt_kib(max(fetched))} (targets 300 / 600 KiB)")

    if not args.skip_material:
        material_root = _material_project(corpus, work / f"corpus-{args.n}-material")
        material_site = work / f"site-{args.n}-material"
        material_build = run_measured(
            [str(exemplars), "--root", str(material_root), "build", "--site-dir", str(material_site)]
        )
        cost = material_cost(material_site)
        total = sum(v for k, v in cost.items() if "gzip" not in k)
        print(
            f"Material's search: {_fmt_kib(total)} before any result, every query "
            f"({', '.join(f'{k} {_fmt_kib(v)}' for k, v in cost.items())}); "
            f"its build {material_build.seconds:.1f} s, peak {material_build.peak_mib:.0f} MiB"
        )
        shutil.rmtree(material_root, ignore_errors=True)

    if args.pagefind:
        from pagefind_bin import get_executable

        run = run_measured([str(get_executable()), "--site", str(site)])
        pagefind_costs = measure_queries(site, f"guong/{story}/", engine="pagefind")
        print(f"\nPagefind: indexing {run.seconds:.1f} s, peak memory {run.peak_mib:.0f} MiB")
        for cost in pagefind_costs:
            print(f"{_shown(cost.query):<26} {cost.results:>8,} {cost.requests:>8} {_fmt_kib(cost.bytes):>10}")
        fetched = [c.bytes for c in pagefind_costs]
        print(f"Pagefind: median {_fmt_kib(statistics.median(fetched))}, max {_fmt_kib(max(fetched))}")


if __name__ == "__main__":
    main()
