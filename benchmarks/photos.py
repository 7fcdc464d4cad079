"""Benchmark: photos through the photo pipeline, first time and from the cache.

    .venv/bin/python benchmarks/photos.py            # a 12 MP photo (4032×3024), as phones take by default
    .venv/bin/python benchmarks/photos.py 8160 6120  # a 50 MP "high resolution" photo
    .venv/bin/python benchmarks/photos.py --folder /tmp/c10k/exemplars   # every JPEG under a folder, as a build does
    .venv/bin/python benchmarks/photos.py --scaled 60 /tmp/real          # make 60 photos of phone sizes there first

The photo is noise (the worst case for the encoders and the largest file for its size), stored sideways with
EXIF Orientation 6, GPS and XMP like a phone's. Prints the original's size, the time to publish it the first
time (decode, rotate, convert, resize, encode six variants), the time of a cache hit (an unchanged photo in the
next build), the variants' sizes, and the peak memory of the process.

With `--folder`, each JPEG found is published as the photos stage of a build publishes it (its variants, its link
preview crop and its search thumbnail, from one decode) into a fresh cache, in this process: CPU milliseconds per
photo (the process's CPU time: on a shared machine wall time measures the neighbours) and the bytes of each kind of
file. The synthetic corpus's photos are 640 px (`benchmarks/corpus.py`); real ones are 1,200 px and more: `--scaled N
DIR` writes N of those into DIR, cut from the sample site's photos and scaled to 1200×800, 1600×1200, 2048×1536,
4032×3024, 3024×4032 and 1080×1920 in turn, with a little noise (a sensor's), saved as JPEG quality 90.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from PIL import ExifTags, Image

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from build_tools.site.photos import Original, process_photo, process_thumbnail  # noqa: E402


def phone_photo(path: Path, width: int, height: int) -> None:
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    exif.get_ifd(ExifTags.IFD.GPSInfo).update({ExifTags.GPS.GPSLatitudeRef: "N", ExifTags.GPS.GPSLatitude: (21, 1, 30)})
    image = Image.frombytes("RGB", (width, height), os.urandom(width * height * 3))
    image.save(path, "JPEG", quality=75, exif=exif, xmp=b"<x:xmpmeta xmlns:x='adobe:ns:meta/'/>")


def scaled(count: int, into: Path) -> None:
    """`count` photos of phone sizes in `into`, from the sample site's photos (drawn, so smoother than a camera's)."""
    into.mkdir(parents=True, exist_ok=True)
    sources = [Image.open(path).convert("RGB") for path in sorted((ROOT / "exemplars").rglob("*.jpg"))]
    rng = random.Random(7)
    sizes = [(1200, 800), (1600, 1200), (2048, 1536), (4032, 3024), (3024, 4032), (1080, 1920)]
    for number in range(count):
        source, (width, height) = sources[number % len(sources)], sizes[number % len(sizes)]
        crop_width = min(source.width, int(source.height * width / height))
        crop_height = int(crop_width * height / width)
        left, top = rng.randint(0, source.width - crop_width), rng.randint(0, source.height - crop_height)
        image = source.crop((left, top, left + crop_width, top + crop_height)).resize((width, height), Image.BICUBIC)
        noise = Image.effect_noise((width, height), 12).convert("RGB")
        Image.blend(image, noise, 0.06).save(into / f"p{number:03d}.jpg", "JPEG", quality=90)


def folder(photos: Path, limit: int | None) -> None:
    """Every JPEG under `photos` published as a build's photos stage does, into a fresh cache."""
    originals = sorted(photos.rglob("*.jpg"))[:limit]
    with tempfile.TemporaryDirectory() as work:
        cache = Path(work)
        started = time.process_time()
        for path in originals:
            original = Original(path)
            process_photo(original, cache)
            process_thumbnail(original, cache)
        cpu = time.process_time() - started
        kinds: Counter[str] = Counter()
        counts: Counter[str] = Counter()
        for made in cache.iterdir():
            if made.suffix != ".json":
                kind = made.name.split("-", 1)[1]
                kinds[kind] += made.stat().st_size
                counts[kind] += 1
    print(f"{len(originals)} photos: {cpu * 1000 / max(1, len(originals)):.1f} ms of CPU a photo, {cpu:.2f} s in all")
    for kind in sorted(kinds):
        print(f"  {kind:<16} {counts[kind]:>5} files {kinds[kind] / 1e6:8.2f} MB")
    print(f"  {'all':<16} {sum(counts.values()):>5} files {sum(kinds.values()) / 1e6:8.2f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("width", type=int, nargs="?", default=4032)
    parser.add_argument("height", type=int, nargs="?", default=3024)
    parser.add_argument("--folder", type=Path, default=None, help="publish every JPEG under this folder instead")
    parser.add_argument("--limit", type=int, default=None, help="with --folder: the first this many photos only")
    parser.add_argument("--scaled", nargs=2, metavar=("N", "DIR"), help="write N photos of phone sizes into DIR")
    args = parser.parse_args()
    if args.scaled:
        scaled(int(args.scaled[0]), Path(args.scaled[1]))
        return
    if args.folder is not None:
        folder(args.folder, args.limit)
        return
    with tempfile.TemporaryDirectory() as work:
        original = Path(work) / "chan-dung.jpg"
        phone_photo(original, args.width, args.height)
        cache = Path(work) / "cache"
        started = time.perf_counter()
        photo_set = process_photo(original, cache)
        first = time.perf_counter() - started
        started = time.perf_counter()
        process_photo(original, cache)
        cached = time.perf_counter() - started
        print(f"original    {args.width}×{args.height}, {original.stat().st_size / 1e6:.1f} MB")
        print(f"first time  {first:.2f} s")
        print(f"cache hit   {cached * 1000:.1f} ms")
        for variant in photo_set.variants:
            size = variant.cached.stat().st_size / 1e3
            print(f"  {variant.name:<24} {variant.width}×{variant.height}  {size:.0f} kB")
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"peak memory {peak:.0f} MB")


if __name__ == "__main__":
    main()
