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
CARD_SIZE = (1200, 630)
"""Open Graph / Twitter large-image card: the size Facebook and Zalo show without cropping."""
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

    @property
    def byte_size(self) -> int:
        """Size of the published file: feeds must state it (`enclosure length`, JSON Feed `size_in_bytes`)."""
        return self.cached.stat().st_size


@dataclass(frozen=True)
class PhotoSet:
    """All published renditions of one photo; `fallback` is the largest JPEG (feeds, cards)."""

    variants: tuple[Variant, ...]
    width: int
    height: int
    card: Variant | None = None
    """The 1200×630 crop that link previews (Open Graph, Twitter) show."""

    @property
    def published(self) -> tuple[Variant, ...]:
        """Every file this photo puts beside the story page."""
        return (*self.variants, self.card) if self.card else self.variants

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
    card = _card_crop(image, stem, cache_dir / f"{digest}-card.jpg")
    return PhotoSet(tuple(variants), image.width, image.height, card)


def _card_crop(image: Image.Image, stem: str, cached: Path) -> Variant:
    """Crop to 1200×630 for link previews, keeping the upper part of tall photos where faces usually are.

    A landscape photo loses its sides evenly; a portrait or square one loses mostly its bottom, since
    portraits of people and groups put heads in the upper third and previews that cut off heads look broken.
    """
    width, height = CARD_SIZE
    if not cached.exists():
        wider_than_card = image.width / image.height >= width / height
        cropped = ImageOps.fit(
            image, CARD_SIZE, Image.Resampling.LANCZOS, centering=(0.5, 0.5 if wider_than_card else 0.3)
        )
        buffer = io.BytesIO()
        cropped.save(buffer, "JPEG", **_JPEG_OPTIONS)
        tmp = cached.with_suffix(".tmp")
        tmp.write_bytes(buffer.getvalue())
        tmp.replace(cached)
    return Variant(f"{stem}-card.jpg", width, height, "image/jpeg", cached)
