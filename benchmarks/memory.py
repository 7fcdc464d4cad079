"""Benchmark: the peak memory of the stages that grow with the collection, each measured on its own at N profiles.

    .venv/bin/python -m benchmarks.corpus /tmp/m-c100k 100000        # the corpus, checked once by a build
    .venv/bin/python benchmarks/memory.py /tmp/m-c100k

A cold build at 100,000 profiles draws 90,000 share cards first (over an hour on a loaded 2-core machine); this
measures what matters for memory without them. In this process, as in the build's: the catalogue (`gather`, from the
corpus's checked cache when the code is the same). Then, as the story workers do, each published story's open-data
record and search document are made and kept with its story's products (`story.keep_products`), with the story's
Markdown standing in for its HTML (the same length within a few per cent: the records and documents carry the text,
not the markup). Then, each in a process forked from this one (so inheriting the catalogue, as the build's workers
do): the open data written from the records read from the kept products one at a time (`render_open_data`), and the
search index built from the documents, read the same way.
Prints the peak RSS of each, in MiB; `wait4`'s figures, as `exemplars build --timings` reports them.
"""

from __future__ import annotations

import hashlib
import os
import resource
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from build_tools.content.config import load_project  # noqa: E402
from build_tools.content.gather import gather  # noqa: E402
from build_tools.content.load import read_story  # noqa: E402
from build_tools.content.model import Exemplar  # noqa: E402
from build_tools.engine.parallel import fork_map, shared  # noqa: E402
from build_tools.generate import _KeptDocuments, _KeptRecords  # noqa: E402
from build_tools.site.collection import Joined  # noqa: E402
from build_tools.site.opendata import RowContext, exemplar_record, render_open_data  # noqa: E402
from build_tools.site.search import build_search_index  # noqa: E402
from build_tools.site.search_documents import page_documents, story_document  # noqa: E402
from build_tools.site.story import StoryProducts, keep_products  # noqa: E402


def peak_mib() -> tuple[float, float]:
    """This process's and its largest child's peak RSS."""
    own, children = (
        resource.getrusage(who).ru_maxrss / 1024 for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
    )
    return own, children


def in_child(work: Callable[[], object]) -> tuple[float, float, float]:
    """`work` in a forked process: its peak RSS, its largest child's, and the wall time."""
    read, write = os.pipe()
    started = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        os.close(read)
        work()
        own, children = peak_mib()
        os.write(write, f"{own} {children}".encode())
        os._exit(0)
    os.close(write)
    answer = os.read(read, 100).decode()
    os.waitpid(pid, 0)
    own, children = (float(value) for value in answer.split())
    return own, children, time.perf_counter() - started


def _keep_share(exemplars: Sequence[Exemplar]) -> list[str]:
    """As `generate._story_share` keeps a share: each story's record and document kept with its products (the key
    here is the slug's: one per story, as the build's)."""
    project, cat, spool = shared()
    keys = []
    for e in exemplars:
        story = read_story(project.root / e.source_path, e.source_path)
        record = exemplar_record(e, RowContext(cat, project.settings, {e.slug: story}, {}))
        products = StoryProducts(e.url, "", story_document(cat, e, story, None), record, None, "")
        key = hashlib.blake2b(e.slug.encode(), digest_size=20).hexdigest()
        keep_products(products, spool / "kept", key)
        keys.append(key)
    return keys


def main() -> None:
    project = load_project(Path(sys.argv[1]))
    started = time.perf_counter()
    cat = gather(project, workers=2)
    print(
        f"catalogue: {len(cat.exemplars):,} published stories, {time.perf_counter() - started:.0f} s; "
        f"this process {peak_mib()[0]:.0f} MiB"
    )
    spool = Path(tempfile.mkdtemp(prefix="memory-bench-"))
    try:
        started = time.perf_counter()
        keys = fork_map(_keep_share, cat.exemplars, shared=(project, cat, spool), workers=2, chunks_per_worker=4)
        print(
            f"records and documents kept: {time.perf_counter() - started:.0f} s; largest worker {peak_mib()[1]:.0f} MiB"
        )
        records = _KeptRecords(spool / "kept", keys)
        data = in_child(lambda: render_open_data(cat, project.settings, records, spool / "data"))
        print(
            f"open data: {data[0]:.0f} MiB, {data[2]:.0f} s; exemplars.json "
            f"{(spool / 'data' / 'exemplars.json').stat().st_size / 1e6:.0f} MB"
        )
        documents = Joined(_KeptDocuments(spool / "kept", keys), page_documents(cat))
        search = in_child(lambda: build_search_index(cat, documents, workers=2).files)
        print(f"search index: {search[0]:.0f} MiB (its joining workers {search[1]:.0f} MiB), {search[2]:.0f} s")
    finally:
        shutil.rmtree(spool, ignore_errors=True)


if __name__ == "__main__":
    main()
