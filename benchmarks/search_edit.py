"""CPU seconds of the search stage alone when one story is edited and the index is kept between builds (what the
search stage of an edited build does), on the documents `benchmarks/first_search.py --documents` keeps.

    python -m benchmarks.search_edit DOCUMENTS KEPT [--edits 3]

DOCUMENTS: the pickle of the catalogue and its documents; KEPT: a scratch folder for `.cache/search`. Builds the
index fresh into KEPT, then edits one story's text at a time (a word added) and brings the index up to date, printing
the CPU seconds (this process and its forked workers) and the wall time of each. Run it from two checkouts to compare
their search code (CPU seconds: the machine is shared).
"""

from __future__ import annotations

import argparse
import dataclasses
import pickle
import resource
import shutil
import time
from pathlib import Path


def _cpu() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main() -> None:
    from build_tools.site.search import build_search_index, document_key

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("documents", type=Path)
    parser.add_argument("kept", type=Path)
    parser.add_argument("--edits", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    catalogue, documents = pickle.loads(args.documents.read_bytes())
    shutil.rmtree(args.kept, ignore_errors=True)
    keys = [document_key(document) for document in documents]
    started = _cpu()
    build_search_index(catalogue, documents, workers=args.workers, kept=args.kept, keys=keys)
    print(f"fresh: {_cpu() - started:.2f} s CPU")
    for edit in range(args.edits):
        number = len(documents) // 8 + edit
        documents = list(documents)
        edited = documents[number]
        documents[number] = dataclasses.replace(edited, body=edited.body.replace(" ", f" sửa{edit} ", 1))
        keys = [*keys[:number], document_key(documents[number]), *keys[number + 1 :]]
        started, wall = _cpu(), time.perf_counter()
        build_search_index(catalogue, documents, workers=args.workers, kept=args.kept, keys=keys)
        print(f"story {number} edited: {_cpu() - started:.2f} s CPU, {time.perf_counter() - wall:.2f} s wall")


if __name__ == "__main__":
    main()
