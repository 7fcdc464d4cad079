"""Photos as published: upright, stripped of every metadata block (phone photos carry GPS), resized variants.

Processing is cached by the content hash of the original, so an unchanged photo is never re-encoded.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageOps

WIDTHS = (480, 960, 1600)
FORMATS = (("webp", "WEBP", "image/webp"), ("jpg", "JPEG", "image/jpeg"))
CACHE_VERSION = "1"
_JPEG_OPTIONS = {"quality": 82, "optimize": True, "progressive": True}
_WEBP_OPTIONS = {"quality": 80, "method": 4}


@dataclass(frozen=True)
class Variant:
    name: str
    """File name beside the story page (`chan-dung-960.webp`)."""
    width: int
    height: int
    mime: str
    cached: Path
    """Where the encoded bytes are kept."""


@dataclass(frozen=True)
class PhotoSet:
    """All published renditions of one photo; `fallback` is the largest JPEG (feeds, cards)."""

    variants: tuple[Variant, ...]
    width: int
    height: int

    @property
    def fallback(self) -> Variant:
        return max((v for v in self.variants if v.mime == "image/jpeg"), key=lambda v: v.width)

    def srcset(self, mime: str) -> str:
        return ", ".join(f"{v.name} {v.width}w" for v in self.variants if v.mime == mime)

    def smallest(self, mime: str = "image/jpeg") -> Variant:
        return min((v for v in self.variants if v.mime == mime), key=lambda v: v.width)


def process_photo(original: Path, cache_dir: Path) -> PhotoSet:
    """Encode (or reuse from cache) every variant of one photo."""
    digest = hashlib.sha256(original.read_bytes() + CACHE_VERSION.encode()).hexdigest()[:20]
    stem = original.stem
    with Image.open(original) as opened:
        image = ImageOps.exif_transpose(opened)
        image.load()
    if image.mode not in ("RGB", "L"):
        background = Image.new("RGB", image.size, "white")
        background.paste(image, mask=image.convert("RGBA").getchannel("A"))
        image = background
    image = image.convert("RGB")
    widths = sorted({min(w, image.width) for w in WIDTHS})
    variants = []
    cache_dir.mkdir(parents=True, exist_ok=True)
    for width in widths:
        height = round(image.height * width / image.width)
        for extension, pil_format, mime in FORMATS:
            cached = cache_dir / f"{digest}-{width}.{extension}"
            if not cached.exists():
                resized = image if width == image.width else image.resize((width, height), Image.Resampling.LANCZOS)
                buffer = io.BytesIO()
                # No exif=, icc_profile= or xmp= arguments: the output carries pixels only.
                options = _JPEG_OPTIONS if pil_format == "JPEG" else _WEBP_OPTIONS
                resized.save(buffer, pil_format, **options)
                tmp = cached.with_suffix(".tmp")
                tmp.write_bytes(buffer.getvalue())
                tmp.replace(cached)
            variants.append(Variant(f"{stem}-{width}.{extension}", width, height, mime, cached))
    return PhotoSet(tuple(variants), image.width, image.height)


THUMBNAIL_SIZE = 128
"""Square thumbnail for search results: 64 CSS pixels on a 2× phone screen, a few kilobytes."""


def process_thumbnail(original: Path, cache_dir: Path) -> Variant:
    """A small square WebP crop of the photo (centre), stripped of metadata like every variant; cached."""
    digest = hashlib.sha256(original.read_bytes() + CACHE_VERSION.encode()).hexdigest()[:20]
    cached = cache_dir / f"{digest}-thumb{THUMBNAIL_SIZE}.webp"
    if not cached.exists():
        with Image.open(original) as opened:
            image = ImageOps.exif_transpose(opened)
            image.load()
        if image.mode not in ("RGB", "L"):
            background = Image.new("RGB", image.size, "white")
            background.paste(image, mask=image.convert("RGBA").getchannel("A"))
            image = background
        thumb = ImageOps.fit(image.convert("RGB"), (THUMBNAIL_SIZE, THUMBNAIL_SIZE), Image.Resampling.LANCZOS)
        buffer = io.BytesIO()
        thumb.save(buffer, "WEBP", quality=70, method=4)
        cache_dir.mkdir(parents=True, exist_ok=True)
        tmp = cached.with_suffix(".tmp")
        tmp.write_bytes(buffer.getvalue())
        tmp.replace(cached)
    return Variant(f"{original.stem}-thumb.webp", THUMBNAIL_SIZE, THUMBNAIL_SIZE, "image/webp", cached)
