"""Benchmark: share cards drawn for stories without a photo, per card (the cold build's biggest single cost).

    python -m benchmarks.corpus /tmp/c1k 1000                  # once: the 1,000-profile corpus
    .venv/bin/python benchmarks/cards.py /tmp/c1k              # 300 cards: median ms (CPU) and kB per card
    .venv/bin/python benchmarks/cards.py /tmp/c1k --profile    # and where the time goes (cProfile, top functions)
    .venv/bin/python benchmarks/cards.py /tmp/c1k --save /tmp/cards   # three cards kept to look at

Each card is drawn into a fresh cache folder, so nothing is reused; time is the process's CPU time (the machine is
shared: wall time would measure the neighbours). The three saved cards are the longest name, the shortest name and
a household's, the cases a reader's eye checks first.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from build_tools.content.config import load_project  # noqa: E402
from build_tools.content.gather import gather  # noqa: E402
from build_tools.content.model import Exemplar  # noqa: E402
from build_tools.site.sharecard import CardText, render_share_card  # noqa: E402
from build_tools.site.social import build_card_text  # noqa: E402


def card_texts(root: Path, count: int) -> tuple[list[CardText], dict[str, CardText]]:
    """The texts of the first `count` stories without a photo, and the three kept for a look."""
    project = load_project(root)
    catalogue = gather(project)
    without_photo: list[Exemplar] = [e for e in catalogue.exemplars if e.photo is None]
    texts = [build_card_text(e, catalogue, project.settings) for e in without_photo[:count]]
    by_length = sorted(without_photo, key=lambda e: len(e.name))
    household = next(e for e in without_photo if e.kind == "ho-gia-dinh")
    kept = {
        "long-name": build_card_text(by_length[-1], catalogue, project.settings),
        "short-name": build_card_text(by_length[0], catalogue, project.settings),
        "household": build_card_text(household, catalogue, project.settings),
    }
    return texts, kept


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path, help="a project (benchmarks/corpus.py) with its mkdocs.yml")
    parser.add_argument("--count", type=int, default=300, help="cards drawn (default 300)")
    parser.add_argument("--profile", action="store_true", help="print the 15 functions that take the most time")
    parser.add_argument("--save", type=Path, default=None, help="keep three cards here (long, short, household)")
    args = parser.parse_args()

    texts, kept = card_texts(args.corpus, args.count)
    render_share_card(texts[0], Path(tempfile.mkdtemp()))  # fonts and imports loaded once, as in a build's worker
    with tempfile.TemporaryDirectory() as scratch:
        ms: list[float] = []
        kb: list[float] = []
        profiler = cProfile.Profile() if args.profile else None
        for index, text in enumerate(texts):
            folder = Path(scratch) / str(index)
            if profiler:
                profiler.enable()
            start = time.process_time()
            card = render_share_card(text, folder)
            ms.append((time.process_time() - start) * 1000)
            if profiler:
                profiler.disable()
            kb.append(card.cached.stat().st_size / 1000)
        print(f"{len(texts)} cards: median {statistics.median(ms):.1f} ms CPU (mean {statistics.fmean(ms):.1f}),")
        print(
            f"  median {statistics.median(kb):.1f} kB (mean {statistics.fmean(kb):.1f}, total {sum(kb) / 1000:.2f} MB)"
        )
        if profiler:
            pstats.Stats(profiler).sort_stats("tottime").print_stats(15)
        if args.save:
            args.save.mkdir(parents=True, exist_ok=True)
            for name, text in kept.items():
                card = render_share_card(text, Path(scratch) / name)
                shutil.copyfile(card.cached, args.save / f"{name}.png")
            print(f"  kept: {', '.join(sorted(kept))} in {args.save}")


if __name__ == "__main__":
    main()
