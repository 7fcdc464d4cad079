"""Photos as published: upright, stripped of every metadata block (phone photos carry GPS), resized variants.

Processing is cached by the content hash of the original, the encoding settings and the code that encodes it (this
module's import closure and Pillow's version, `engine.codestamp`): on a cache hit the original is not even decoded, so
an unchanged 10 MB phone photo costs one hash per build. A change to that code or a Pillow upgrade encodes every photo
again once (the cold build's largest stage) rather than keep variants a fresh build would not make: a fix to the
stripping of metadata must reach every published photo without anyone remembering to bump a version.
"""

from __future__ import annotations

import functools
import hashlib
import io
import json
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from PIL import Image, ImageCms, ImageOps

from ..content.text import slugify
from ..engine.atomic import replace_file
from ..engine.codestamp import code_stamp

WIDTHS = (480, 960, 1600)
"""Every width is published as WebP, which every phone and browser of the last five years shows (`<source>` in the
story's `<picture>`, the `<img>` of list cards); JPEG only at the largest (the `<img>` fallback, feeds, schema.org,
open data): a smaller JPEG was a file of a story that no browser of our readers was sent (issue 21)."""
CARD_SIZE = (1200, 630)
"""The largest link-preview crop: Open Graph's large-image size, which Facebook and Zalo show without cropping."""
CARD_MIN_WIDTH = 600
"""Facebook shows a large preview from 600×315 up: a photo smaller than that is enlarged to it, and no further."""
FORMATS = (("webp", "WEBP", "image/webp"), ("jpg", "JPEG", "image/jpeg"))
_JPEG_OPTIONS = {"quality": 82, "optimize": True, "progressive": True}
_WEBP_OPTIONS = {"quality": 80, "method": 2}
"""libwebp's effort 2, not Pillow's default 4: 2.3-2.7 times faster to encode (half the photo stage of a cold build)
for 5-9 % more bytes at the same quality, and the same fidelity (PSNR within 0.3 dB of effort 4 on the benchmark's
photos); efforts 3 and 4 gave the same bytes, 1 and 0 a quarter more (benchmarks/README.md, "Seventh session:
the cold build's photos and story pages")."""
_SETTINGS = json.dumps(
    [WIDTHS, FORMATS, _JPEG_OPTIONS, _WEBP_OPTIONS, CARD_SIZE, CARD_MIN_WIDTH], sort_keys=True
).encode()
_ROTATED = (5, 6, 7, 8)
"""EXIF orientations that swap width and height."""


@functools.cache
def _code_stamp() -> bytes:
    return code_stamp(__name__)


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
    """The crop that link previews (Open Graph, Twitter) show, 1200×630 at most (`card_size`)."""

    @property
    def published(self) -> tuple[Variant, ...]:
        """Every file this photo puts beside the story page."""
        return (*self.variants, self.card) if self.card else self.variants

    @property
    def fallback(self) -> Variant:
        return max((v for v in self.variants if v.mime == "image/jpeg"), key=lambda v: v.width)

    def srcset(self, mime: str) -> str:
        return ", ".join(f"{v.name} {v.width}w" for v in self.variants if v.mime == mime)

    def smallest(self, mime: str = "image/webp") -> Variant:
        return min((v for v in self.variants if v.mime == mime), key=lambda v: v.width)


class Original:
    """A photo as uploaded: its bytes read once (each cache key hashes them), its upright sRGB pixels decoded once on
    first need, and each width resized once. The variants and the search thumbnail are cut from the same pixels:
    decoding a photo a second time for its thumbnail was 6 % of a photo's work."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.data = path.read_bytes()
        self._pixels: Image.Image | None = None
        self._resized: dict[int, Image.Image] = {}

    def key(self, settings: bytes) -> str:
        """The cache key of what `settings` make of this photo."""
        return hashlib.sha256(self.data + settings).hexdigest()[:20]

    def pixels(self) -> Image.Image:
        if self._pixels is None:
            self._pixels = _upright_srgb_pixels(self.path)
        return self._pixels

    def widths(self) -> list[int]:
        """The published widths, smallest first: `WIDTHS`, none wider than the photo (which is never enlarged)."""
        return sorted({min(w, self.pixels().width) for w in WIDTHS})

    def resized(self, width: int) -> Image.Image:
        """The pixels at one of `widths()`, each resized from the next wider one (1600 from the photo, 960 from 1600,
        480 from 960): a third of the work of resizing each from the photo, which at 12 MP is decoded at 2016 px,
        with the same filter. Always by the same steps, so a width's pixels never depend on what was made before."""
        image = self.pixels()
        if width == image.width:
            return image
        found = self._resized.get(width)
        if found is None:
            wider = min(w for w in (*self.widths(), image.width) if w > width)
            height = max(1, round(image.height * width / image.width))
            found = self._resized[width] = self.resized(wider).resize((width, height), Image.Resampling.LANCZOS)
        return found


def process_photo(original: Path | Original, cache_dir: Path) -> PhotoSet:
    """Encode (or reuse from cache) every variant of one photo."""
    source = original if isinstance(original, Original) else Original(original)
    digest = source.key(_SETTINGS + _code_stamp())
    manifest = cache_dir / f"{digest}.json"
    stem = published_stem(source.path)
    cached = _load_manifest(manifest, stem, cache_dir, digest)
    if cached is not None:
        return cached
    image = source.pixels()
    widths = source.widths()
    cache_dir.mkdir(parents=True, exist_ok=True)
    sizes = []
    for width in widths:
        resized = source.resized(width)
        for extension, pil_format, _ in FORMATS:
            if _published(pil_format, width, widths):
                replace_file(cache_dir / f"{digest}-{width}.{extension}", _encode(resized, pil_format))
        sizes.append(resized.size)
    replace_file(cache_dir / f"{digest}-card.jpg", _encode(_card_crop(image), "JPEG"))
    # The manifest is written last: its presence means every variant is complete.
    replace_file(manifest, json.dumps({"width": image.width, "height": image.height, "sizes": sizes}).encode())
    return _photo_set(stem, cache_dir, digest, image.width, image.height, sizes)


def _published(pil_format: str, width: int, widths: list[int]) -> bool:
    """WebP at every width; JPEG at the largest only (`WIDTHS`)."""
    return pil_format != "JPEG" or width == widths[-1]


STEM_MAX = 60
"""Characters of a photo's published name kept from its file name (a 250-character name made paths too long)."""


def published_stem(original: Path) -> str:
    """The name a photo is published under: its file name as an ASCII slug (`Ảnh chân dung #1.JPG` →
    `anh-chan-dung-1`), percent-encoded (a no-op on a slug, kept so that no file name reaches a URL raw), so that
    `javascript:…`, spaces, `#`, `?`, `%` and commas never break a `src`, a `srcset`, a card or a feed enclosure."""
    stem = slugify(original.stem)[:STEM_MAX].strip("-") or "anh"
    return quote(stem)


def _upright_srgb_pixels(original: Path) -> Image.Image:
    """Decode, rotate by EXIF orientation, convert to sRGB, and keep nothing but the pixels."""
    with Image.open(original) as opened:
        orientation = opened.getexif().get(0x0112, 1)
        if opened.format == "JPEG":
            # Decode at the smallest DCT scale still wider than the largest variant: 4× less work on a phone photo.
            wanted = (1, max(WIDTHS)) if orientation in _ROTATED else (max(WIDTHS), 1)
            opened.draft("RGB", wanted)
        icc = opened.info.get("icc_profile")
        image = ImageOps.exif_transpose(opened)
        image.load()
    if image.mode not in ("RGB", "L"):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", image.size, "white")
        background.paste(rgba, mask=rgba.getchannel("A"))
        image = background
    if image.mode != "RGB":  # convert() would copy an RGB image whole
        image = image.convert("RGB")
    if icc:
        image = _to_srgb(image, icc)
    # Encoders fall back on `info` for some blocks (a JPEG comment, for one): publish pixels only.
    image.info = {}
    return image


def card_size(width: int, height: int) -> tuple[int, int]:
    """The link-preview crop's size for an upright photo of `width`×`height`: its largest region of the card's
    shape, never enlarged beyond its own pixels (enlarging adds bytes, not detail: a 640 px photo made a 1200 px crop
    of 28 kB, a 640 px one is 11 kB), nor shrunk below what a large preview needs (`CARD_MIN_WIDTH`)."""
    full_width, full_height = CARD_SIZE
    region = min(width, height * full_width // full_height)
    card_width = max(CARD_MIN_WIDTH, min(full_width, region))
    return card_width, round(card_width * full_height / full_width)


def _card_crop(image: Image.Image) -> Image.Image:
    """Crop for link previews, keeping the upper part of tall photos where faces usually are.

    A landscape photo loses its sides evenly; a portrait or square one loses mostly its bottom, since
    portraits of people and groups put heads in the upper third and previews that cut off heads look broken.
    """
    width, height = CARD_SIZE
    centering = (0.5, 0.5 if image.width / image.height >= width / height else 0.3)
    size = card_size(image.width, image.height)
    if size[0] == image.width and size[1] <= image.height:
        # As wide as the photo: cut at whole pixels. Resampling only moved it by a fraction of a pixel, softer, and
        # cost 2 ms of a 640 px photo's 30.
        top = round((image.height - size[1]) * centering[1])
        return image.crop((0, top, size[0], top + size[1]))
    return ImageOps.fit(image, size, Image.Resampling.LANCZOS, centering=centering)


def _to_srgb(image: Image.Image, icc: bytes) -> Image.Image:
    """Phones shoot in wide-gamut profiles (Display P3); dropping the profile without converting dulls colours."""
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        converted = ImageCms.profileToProfile(image, source, ImageCms.createProfile("sRGB"), outputMode="RGB")
    except (ImageCms.PyCMSError, OSError, ValueError):
        return image
    return converted if converted is not None else image


def _encode(image: Image.Image, pil_format: str) -> bytes:
    buffer = io.BytesIO()
    options = _JPEG_OPTIONS if pil_format == "JPEG" else _WEBP_OPTIONS
    # No exif=, icc_profile=, xmp= or comment= arguments, and `info` is empty: the output carries pixels only.
    image.save(buffer, pil_format, **options)
    return buffer.getvalue()


def _load_manifest(manifest: Path, stem: str, cache_dir: Path, digest: str) -> PhotoSet | None:
    try:
        data = json.loads(manifest.read_text(encoding="utf-8"))
        sizes = [(int(w), int(h)) for w, h in data["sizes"]]
        photo_set = _photo_set(stem, cache_dir, digest, int(data["width"]), int(data["height"]), sizes)
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return photo_set if all(v.cached.is_file() for v in photo_set.published) else None


def _photo_set(
    stem: str, cache_dir: Path, digest: str, width: int, height: int, sizes: list[tuple[int, int]]
) -> PhotoSet:
    widths = [w for w, _ in sizes]
    variants = [
        Variant(f"{stem}-{w}.{extension}", w, h, mime, cache_dir / f"{digest}-{w}.{extension}")
        for w, h in sizes
        for extension, pil_format, mime in FORMATS
        if _published(pil_format, w, widths)
    ]
    card = Variant(f"{stem}-card.jpg", *card_size(width, height), "image/jpeg", cache_dir / f"{digest}-card.jpg")
    return PhotoSet(tuple(variants), width, height, card)


THUMBNAIL_SIZE = 128
"""Square thumbnail for search results: 64 CSS pixels on a 2× phone screen, a few kilobytes."""
_THUMBNAIL_OPTIONS = {"quality": 70, "method": 2}
_THUMBNAIL_SETTINGS = json.dumps([THUMBNAIL_SIZE, _THUMBNAIL_OPTIONS], sort_keys=True).encode()


def process_thumbnail(original: Path | Original, cache_dir: Path) -> Variant:
    """A small square WebP crop (centre) for a search result: upright, sRGB, pixels only, like every variant; cached."""
    source = original if isinstance(original, Original) else Original(original)
    digest = source.key(_THUMBNAIL_SETTINGS + _code_stamp())
    cached = cache_dir / f"{digest}-thumb{THUMBNAIL_SIZE}.webp"
    if not cached.is_file():
        # From the smallest variant, not the photo: at 12 MP that was 24 ms a photo, now 2.
        smallest = source.resized(source.widths()[0])
        thumbnail = ImageOps.fit(smallest, (THUMBNAIL_SIZE, THUMBNAIL_SIZE), Image.Resampling.LANCZOS)
        thumbnail.info = {}
        buffer = io.BytesIO()
        thumbnail.save(buffer, "WEBP", **_THUMBNAIL_OPTIONS)
        cache_dir.mkdir(parents=True, exist_ok=True)
        replace_file(cached, buffer.getvalue())
    return Variant(f"{published_stem(source.path)}-thumb.webp", THUMBNAIL_SIZE, THUMBNAIL_SIZE, "image/webp", cached)
