"""Benchmark: the field cards that stories without a photo share, per card.

    python -m benchmarks.corpus /tmp/c1k 1000                  # once: the 1,000-profile corpus
    .venv/bin/python benchmarks/cards.py /tmp/c1k              # every field's card, real and sample: ms (CPU), kB
    .venv/bin/python benchmarks/cards.py /tmp/c1k --profile    # and where the time goes (cProfile, top functions)
    .venv/bin/python benchmarks/cards.py /tmp/c1k --save /tmp/cards   # three cards kept to look at

A card was drawn per story until issue 21 (the cold build's biggest single cost, 9,897 files at 10,000 stories); now
one per field a story without a photo is filed under first (`social.field_card_path`), so a build draws a few dozen
at most. Each card is drawn `--repeat` times into fresh cache folders, so nothing is reused; time is the process's
CPU time (the machine is shared: wall time would measure the neighbours). The three saved cards are the field with
the longest name, the shortest, and a sample's card, the cases a reader's eye checks first.
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
from build_tools.site.sharecard import CardText, render_share_card  # noqa: E402
from build_tools.site.social import build_field_card_text  # noqa: E402


def card_texts(root: Path, repeat: int) -> tuple[list[CardText], dict[str, CardText]]:
    """Every field's card, real and sample, `repeat` times over; and the three kept for a look."""
    project = load_project(root)
    catalogue = gather(project)
    fields = sorted(catalogue.fields.values(), key=lambda f: len(f.name))
    settings = project.settings
    texts = [build_field_card_text(f, settings, sample) for f in fields for sample in (False, True)] * repeat
    kept = {
        "long-name": build_field_card_text(fields[-1], settings),
        "short-name": build_field_card_text(fields[0], settings),
        "sample": build_field_card_text(fields[0], settings, sample=True),
    }
    return texts, kept


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path, help="a project (benchmarks/corpus.py) with its mkdocs.yml")
    parser.add_argument("--repeat", type=int, default=5, help="times each card is drawn (default 5)")
    parser.add_argument("--profile", action="store_true", help="print the 15 functions that take the most time")
    parser.add_argument("--save", type=Path, default=None, help="keep three cards here (long, short, household)")
    args = parser.parse_args()

    texts, kept = card_texts(args.corpus, args.repeat)
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
