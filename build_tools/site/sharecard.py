"""Share cards drawn where there is no photo, so a link shared on Zalo or Facebook still shows a proper preview: one
card per field, which the stories of that field without a photo share (`social.field_card_path`), and the site's.

The card is a 1200×630 PNG (the Open Graph large-image size) carrying its text in Vietnamese. It needs a font with
Vietnamese glyphs: DejaVu Sans (Debian's fonts-dejavu-core, installed by tasks.sh) or Noto Sans. Cards are cached
by the hash of what they show, of the font and of the drawing code, so an unchanged card is never redrawn and a
card drawn by older code is never published again.
"""

from __future__ import annotations

import functools
import hashlib
import io
import math
import os
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from ..engine.codestamp import code_stamp
from .photos import CARD_SIZE, Variant

FONT_CANDIDATES: tuple[tuple[str, str], ...] = (
    ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
    ("/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf", "/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf"),
    ("/usr/share/fonts/noto/NotoSans-Regular.ttf", "/usr/share/fonts/noto/NotoSans-Bold.ttf"),
)
"""Regular and bold faces that cover Vietnamese, tried in order (Debian, then other Linux layouts)."""

_PAPER = (255, 250, 245)
_RED = (183, 28, 28)
_INK = (33, 33, 33)
_MUTED = (90, 90, 90)
_GOLD = (255, 202, 40)
_RULE = (225, 215, 205)
_MARGIN = 84


class MissingFont(RuntimeError):
    """No font with Vietnamese glyphs is installed: cards would show boxes instead of letters."""


@dataclass(frozen=True)
class CardText:
    """What one card shows, top to bottom; every string already in NFC."""

    eyebrow: str
    """Small line above the title: the site's name."""
    title: str
    """The field's name, or the site's."""
    lines: tuple[str, ...]
    """What the title is: one short line each (long ones wrap onto a second line)."""
    footer: str
    """The site's address, so a preview says where the link leads."""


def find_fonts() -> tuple[Path, Path]:
    return _first_fonts(tuple(FONT_CANDIDATES))


@functools.cache
def _first_fonts(candidates: tuple[tuple[str, str], ...]) -> tuple[Path, Path]:
    """Looked up once per process, not once per card."""
    for regular, bold in candidates:
        if Path(regular).is_file() and Path(bold).is_file():
            return Path(regular), Path(bold)
    raise MissingFont(
        "Không tìm thấy phông chữ có dấu tiếng Việt (DejaVu Sans hoặc Noto Sans) để vẽ ảnh thẻ chia sẻ. "
        "Hãy cài gói fonts-dejavu-core (chạy `bash tasks.sh build`, hoặc `sudo apt-get install fonts-dejavu-core`)."
    )


def render_share_card(text: CardText, cache_dir: Path, name: str = "card.png") -> Variant:
    """Draw (or reuse from cache) the card for `text`; `name` is the file name beside the page."""
    regular, bold = find_fonts()
    key = "\n".join([_drawing_key(), str(regular), str(bold), text.eyebrow, text.title, *text.lines, text.footer])
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:20]
    cached = cache_dir / f"{digest}.png"
    if not cached.exists():
        cache_dir.mkdir(parents=True, exist_ok=True)
        buffer = io.BytesIO()
        # Drawn straight into palette indices: 12 colours, so a 4-bit PNG. zlib's default level: level 9 saves a
        # tenth of the bytes for eight times the time; the RLE strategy halves the time for a tenth more bytes
        # (benchmarks/README.md, "Share cards").
        _draw(text, regular, bold).save(buffer, "PNG")
        # Two processes may draw the same card at once (a build and a preview): each writes its own temporary file.
        tmp = cached.with_name(f".{cached.name}.{os.getpid()}.tmp")
        tmp.write_bytes(buffer.getvalue())
        tmp.replace(cached)
    width, height = CARD_SIZE
    return Variant(name, width, height, "image/png", cached)


@functools.cache
def _drawing_key() -> str:
    """This module's code and its imports (the card's size, `photos.CARD_SIZE`), and Pillow's version
    (`engine.codestamp`): a change to the drawing (or to the library that rasterises the letters) gives every card a
    new cache key, so no card drawn by older code is published again."""
    return code_stamp(__name__).hex()


# The card is drawn into an 8-bit image of palette indices, not colours: each anti-aliased colour (ink, muted, red)
# owns a ramp of _STEPS indices that starts at its own copy of the paper, so a letter drawn with the ramp's last
# index over its first blends into the ramp's own in-between shades, and never into another colour's. Each part of
# the card sits on a band of its ramp's paper. A fixed table then folds every ramp into _SHADES shades of its colour
# between the paper and the colour: 12 colours in all, which PNG stores in 4 bits a pixel. No quantiser runs: it
# cost more than drawing and encoding together, and chose the colours anew for every card.
_STEPS = 64
_INK_RAMP, _MUTED_RAMP, _RED_RAMP = 0, _STEPS, 2 * _STEPS
_GOLD_INDEX, _RULE_INDEX = 3 * _STEPS, 3 * _STEPS + 1
_SHADES = 3
"""Shades of each text colour, the colour itself included: two in-between shades keep letters' edges as smooth as
the 16 colours a quantiser chose before, at the size a link preview shows (one: edges stepped when enlarged, 11 % fewer
bytes; three: 7 % more bytes for no visible gain)."""


def _full(ramp: int) -> int:
    return ramp + _STEPS - 1


@functools.cache
def _palette() -> tuple[bytes, bytes]:
    """(lookup table from drawing index to palette index, the palette's RGB bytes); the same for every card."""
    colours: list[tuple[int, int, int]] = [_PAPER]
    lut = [0] * 256
    for ramp, colour in ((_INK_RAMP, _INK), (_MUTED_RAMP, _MUTED), (_RED_RAMP, _RED)):
        first = len(colours)
        for shade in range(1, _SHADES + 1):
            colours.append(_blend(_PAPER, colour, shade / _SHADES))
        for step in range(_STEPS):
            shade = round(step * _SHADES / (_STEPS - 1))
            lut[ramp + step] = 0 if shade == 0 else first + shade - 1
    for index, colour in ((_GOLD_INDEX, _GOLD), (_RULE_INDEX, _RULE)):
        lut[index] = len(colours)
        colours.append(colour)
    return bytes(lut), bytes(channel for colour in colours for channel in colour)


def _blend(paper: tuple[int, int, int], colour: tuple[int, int, int], share: float) -> tuple[int, int, int]:
    red, green, blue = (round(p + (c - p) * share) for p, c in zip(paper, colour, strict=True))
    return red, green, blue


@functools.cache
def _font(path: Path, size: int) -> ImageFont.FreeTypeFont:
    """Fonts are opened once per process, not once per card."""
    return ImageFont.truetype(str(path), size)


_TITLE_BAND = 128
"""Where the eyebrow's band (red letters) ends and the title's (ink) begins: below the eyebrow's letters, above the
highest a title can start (140)."""


@functools.cache
def _background(eyebrow_text: str, footer_text: str, regular: Path, bold: Path) -> Image.Image:
    """What cards share: the red edge, the star, the eyebrow and the footer (the site's name and address, the same
    on every card but a sample's); drawn once per process, copied for each card."""
    width, height = CARD_SIZE
    image = Image.new("L", CARD_SIZE, _INK_RAMP)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, width, _TITLE_BAND - 1), fill=_RED_RAMP)
    footer_top = height - 96
    draw.rectangle((0, footer_top, width, height), fill=_RED_RAMP)
    draw.rectangle((0, 0, 28, height), fill=_full(_RED_RAMP))
    _star(draw, (width - 130, 120), 62)
    eyebrow = _font(bold, 30)
    text_width = width - 2 * _MARGIN - 150
    draw.text(
        (_MARGIN, 70), _fit_line(draw, eyebrow_text.upper(), eyebrow, text_width), font=eyebrow, fill=_full(_RED_RAMP)
    )
    draw.line((_MARGIN, footer_top, width - _MARGIN, footer_top), fill=_RULE_INDEX, width=2)
    draw.text((_MARGIN, footer_top + 24), footer_text, font=_font(regular, 28), fill=_full(_RED_RAMP))
    return image


def _draw(text: CardText, regular: Path, bold: Path) -> Image.Image:
    width, height = CARD_SIZE
    image = _background(text.eyebrow, text.footer, regular, bold).copy()
    draw = ImageDraw.Draw(image)
    text_width = width - 2 * _MARGIN - 150
    footer_top = height - 96

    # The title is the point of the card: as large as fits in two lines, smaller (up to three) when it is long.
    for size in (76, 66, 56, 48):
        title_font = _font(bold, size)
        title_lines = _wrap(draw, text.title, title_font, text_width, max_lines=3)
        if len(title_lines) <= 2:
            break
    body = _font(regular, 32)
    body_lines = [part for line in text.lines for part in _wrap(draw, line, body, width - 2 * _MARGIN, max_lines=2)]
    title_step, body_step, rule_block = round(title_font.size * 1.22), round(body.size * 1.35), 52
    top, bottom = 140, footer_top - 24
    while body_lines and top + len(title_lines) * title_step + rule_block + len(body_lines) * body_step > bottom:
        body_lines.pop()
    block = len(title_lines) * title_step + rule_block + len(body_lines) * body_step
    y = top + max(0, (bottom - top - block) // 2)
    for line in title_lines:
        draw.text((_MARGIN, y), line, font=title_font, fill=_full(_INK_RAMP))
        y += title_step
    draw.rectangle((_MARGIN, y + 14, _MARGIN + 120, y + 20), fill=_full(_RED_RAMP))
    # The body's band: from below the red rule to the footer's band, clear of the title's letters above it.
    draw.rectangle((29, y + 21, width, footer_top - 1), fill=_MUTED_RAMP)
    y += rule_block
    for line in body_lines:
        draw.text((_MARGIN, y), line, font=body, fill=_full(_MUTED_RAMP))
        y += body_step
    lut, palette = _palette()
    image = image.point(list(lut))
    image.putpalette(palette)
    return image


def _star(draw: ImageDraw.ImageDraw, centre: tuple[int, int], radius: int) -> None:
    """The five-pointed star of emulation certificates, as a simple emblem."""
    cx, cy = centre
    points = []
    for index in range(10):
        r = radius if index % 2 == 0 else radius * 0.4
        angle = -math.pi / 2 + index * math.pi / 5
        points.append((cx + r * math.cos(angle), cy + r * math.sin(angle)))
    draw.polygon(points, fill=_GOLD_INDEX)


def _wrap(draw: ImageDraw.ImageDraw, text: str, font: ImageFont.FreeTypeFont, width: int, max_lines: int) -> list[str]:
    """Greedy word wrap; the last allowed line ends with an ellipsis when text is left over."""
    words = text.split()
    lines: list[str] = []
    current = ""
    for index, word in enumerate(words):
        candidate = f"{current} {word}".strip()
        if draw.textlength(candidate, font=font) <= width or not current:
            current = candidate
            continue
        lines.append(current)
        current = word
        if len(lines) == max_lines:
            lines[-1] = _fit_line(draw, " ".join([lines[-1], *words[index:]]), font, width)
            return lines
    if current:
        lines.append(_fit_line(draw, current, font, width))
    return lines


def _fit_line(draw: ImageDraw.ImageDraw, text: str, font: ImageFont.FreeTypeFont, width: int) -> str:
    if draw.textlength(text, font=font) <= width:
        return text
    words = text.split()
    # Cut at a word boundary when a whole word fits; a single overlong word is cut by letters.
    while len(words) > 1 and draw.textlength(" ".join(words) + "…", font=font) > width:
        words.pop()
    text = " ".join(words)
    while text and draw.textlength(text + "…", font=font) > width:
        text = text[:-1]
    return text.rstrip(" ,;·-") + "…"
