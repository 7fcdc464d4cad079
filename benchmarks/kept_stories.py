"""Benchmark: what the story stage and the open data cost in a build whose stories were kept (one profile edited,
or none), in this one process.

    .venv/bin/python -m benchmarks.kept_stories ROOT [--repeat R]

ROOT is a project built once by this code (`exemplars --root ROOT build`), so that `.cache/products/` holds every
story's products under its current key. It prints the process time (CPU) of the best of R runs of:
- every story's related stories (`Catalogue.related`, its memory of each signature emptied before each run);
- every story's key (`story.story_key`, the profile digests made anew);
- the story stage's work on every story (`generate._story_share`: key, kept products, page linked), as one worker
  does it on its share;
- the open data written from the records in the kept products (`opendata.render_open_data`);
- the open data spliced from the last build's kept data (`opendata._spliced`) after one story was made again (the
  middle one: its record read, the others copied as two ranges of each file), and with nothing changed.
"""

from __future__ import annotations

import argparse
import dataclasses
import pickle
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from build_tools.content.config import load_project
from build_tools.content.gather import gather
from build_tools.engine.parallel import fork_map
from build_tools.engine.write import TreeWriter
from build_tools.generate import _KeptRecords, _story_share, make_images
from build_tools.site.opendata import render_open_data
from build_tools.site.story import story_context, story_key


def _best(label: str, work: Callable[[], object], repeat: int, setup: Callable[[], object] | None = None) -> None:
    times = []
    for _ in range(repeat):
        if setup is not None:
            setup()
        start = time.process_time()
        work()
        times.append(time.process_time() - start)
    print(f"{label}: {min(times):.3f} s of CPU (runs: {', '.join(f'{t:.3f}' for t in times)})", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("root", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    project = load_project(args.root)
    catalogue = gather(project)
    scratch = Path(tempfile.mkdtemp(prefix="kept-stories-"))
    try:
        images = make_images(project, catalogue, TreeWriter(scratch / "images"), workers=1)
        context = story_context(catalogue, project.settings, images, False, project.cache_dir / "stories", project.root)
        exemplars = catalogue.exemplars
        print(f"{len(exemplars):,} stories")

        def related() -> None:
            catalogue.__dict__.pop("_closest_by_signature", None)
            for exemplar in exemplars:
                catalogue.related(exemplar)

        def keys() -> None:
            context.digests.clear()
            for exemplar in exemplars:
                story_key(exemplar, context)

        kept = project.cache_dir / "products"
        kept_keys: list[str] = []

        def stories() -> None:
            context.digests.clear()
            made = fork_map(_story_share, exemplars, shared=(context, project.generated_dir, kept), workers=1)
            kept_keys[:] = [summary.key for summary in made]

        def data() -> None:
            render_open_data(catalogue, project.settings, _KeptRecords(kept, kept_keys), scratch / "data")

        data_kept = scratch / "kept-data"

        def without_the_middle_story() -> None:
            """The last build's kept data as if the middle story had been made again since: under another key there."""
            shutil.rmtree(data_kept, ignore_errors=True)
            render_open_data(catalogue, project.settings, _KeptRecords(kept, kept_keys), scratch / "data", data_kept)
            index = data_kept / "index.pickle"
            last = pickle.loads(index.read_bytes())
            known = list(last.keys)
            known[len(known) // 2] = "made-again"
            other = "0" * len(last.name)  # and so the files of other data, not this build's own
            for path in data_kept.glob(f"exemplars.{last.name}.*"):
                path.rename(path.with_name(path.name.replace(last.name, other)))
            index.write_bytes(pickle.dumps(dataclasses.replace(last, keys=tuple(known), name=other)))

        def spliced() -> None:
            render_open_data(catalogue, project.settings, _KeptRecords(kept, kept_keys), scratch / "data", data_kept)

        _best("related stories", related, args.repeat)
        _best("stories' keys", keys, args.repeat)
        _best("the story stage's work (one share of all)", stories, args.repeat)
        _best("the open data from the kept heads", data, args.repeat)
        _best("the open data spliced, one story made again", spliced, args.repeat, without_the_middle_story)
        _best("the open data spliced, nothing changed", spliced, args.repeat)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
