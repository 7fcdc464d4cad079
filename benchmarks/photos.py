"""Benchmark: a phone photo through the photo pipeline, first time and from the cache.

    .venv/bin/python benchmarks/photos.py            # a 12 MP photo (4032×3024), as phones take by default
    .venv/bin/python benchmarks/photos.py 8160 6120  # a 50 MP "high resolution" photo

The photo is noise (the worst case for the encoders and the largest file for its size), stored sideways with
EXIF Orientation 6, GPS and XMP like a phone's. Prints the original's size, the time to publish it the first
time (decode, rotate, convert, resize, encode six variants), the time of a cache hit (an unchanged photo in the
next build), the variants' sizes, and the peak memory of the process.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

from PIL import ExifTags, Image

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from build_tools.site.photos import process_photo  # noqa: E402


def phone_photo(path: Path, width: int, height: int) -> None:
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    exif.get_ifd(ExifTags.IFD.GPSInfo).update({ExifTags.GPS.GPSLatitudeRef: "N", ExifTags.GPS.GPSLatitude: (21, 1, 30)})
    image = Image.frombytes("RGB", (width, height), os.urandom(width * height * 3))
    image.save(path, "JPEG", quality=75, exif=exif, xmp=b"<x:xmpmeta xmlns:x='adobe:ns:meta/'/>")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("width", type=int, nargs="?", default=4032)
    parser.add_argument("height", type=int, nargs="?", default=3024)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        original = Path(folder) / "chan-dung.jpg"
        phone_photo(original, args.width, args.height)
        cache = Path(folder) / "cache"
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
