"""Share cards drawn for stories without a photo, so a link shared on Zalo or Facebook still shows a proper preview.

The card is a 1200×630 PNG (the Open Graph large-image size) carrying the name, kind, fields and province in
Vietnamese. It needs a font with Vietnamese glyphs: DejaVu Sans (Debian's fonts-dejavu-core, installed by tasks.sh)
or Noto Sans. Cards are cached by the hash of what they show and of the font, so an unchanged story is never redrawn.
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

from .photos import CARD_SIZE, Variant

CACHE_VERSION = "4"
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
_MARGIN = 84


class MissingFont(RuntimeError):
    """No font with Vietnamese glyphs is installed: cards would show boxes instead of letters."""


@dataclass(frozen=True)
class CardText:
    """What one card shows, top to bottom; every string already in NFC."""

    eyebrow: str
    """Small line above the title: the site's name."""
    title: str
    """The exemplar's name, or the page's title."""
    lines: tuple[str, ...]
    """Kind, fields, province…: one short line each (long ones wrap onto a second line)."""
    footer: str
    """The site's address, so a preview says where the link leads."""


def find_fonts() -> tuple[Path, Path]:
    return _first_fonts(tuple(FONT_CANDIDATES))


@functools.cache
def _first_fonts(candidates: tuple[tuple[str, str], ...]) -> tuple[Path, Path]:
    """Looked up once per process (a card per story without a photo), not once per card."""
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
    key = "\n".join([CACHE_VERSION, str(regular), str(bold), text.eyebrow, text.title, *text.lines, text.footer])
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:20]
    cached = cache_dir / f"{digest}.png"
    if not cached.exists():
        cache_dir.mkdir(parents=True, exist_ok=True)
        buffer = io.BytesIO()
        # 16 colours (the card has five, plus the edges of letters, which still look smooth): a quarter of the bytes
        # (12 KB instead of 42; 64 colours made 14–16) and less time than compressing the full-colour image, which was
        # most of a first build at 10,000 profiles (every story without a photo gets a card; benchmarks/README.md).
        # Pillow's `optimize` saves another tenth but costs eight times the time of drawing and encoding.
        _draw(text, regular, bold).quantize(16, method=Image.Quantize.FASTOCTREE).save(buffer, "PNG")
        # Stories with the same card text are drawn at once by two workers: each writes its own temporary file.
        tmp = cached.with_name(f".{cached.name}.{os.getpid()}.tmp")
        tmp.write_bytes(buffer.getvalue())
        tmp.replace(cached)
    width, height = CARD_SIZE
    return Variant(name, width, height, "image/png", cached)


def _draw(text: CardText, regular: Path, bold: Path) -> Image.Image:
    width, height = CARD_SIZE
    image = Image.new("RGB", CARD_SIZE, _PAPER)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 28, height), fill=_RED)
    _star(draw, (width - 130, 120), 62)
    text_width = width - 2 * _MARGIN - 150

    eyebrow = ImageFont.truetype(str(bold), 30)
    draw.text((_MARGIN, 70), _fit_line(draw, text.eyebrow.upper(), eyebrow, text_width), font=eyebrow, fill=_RED)
    footer_top = height - 96
    draw.line((_MARGIN, footer_top, width - _MARGIN, footer_top), fill=(225, 215, 205), width=2)
    footer = ImageFont.truetype(str(regular), 28)
    draw.text((_MARGIN, footer_top + 24), text.footer, font=footer, fill=_RED)

    # The name is the point of the card: as large as fits in two lines, smaller (up to three) when it is long.
    for size in (76, 66, 56, 48):
        title_font = ImageFont.truetype(str(bold), size)
        title_lines = _wrap(draw, text.title, title_font, text_width, max_lines=3)
        if len(title_lines) <= 2:
            break
    body = ImageFont.truetype(str(regular), 32)
    body_lines = [part for line in text.lines for part in _wrap(draw, line, body, width - 2 * _MARGIN, max_lines=2)]
    title_step, body_step, rule_block = round(title_font.size * 1.22), round(body.size * 1.35), 52
    top, bottom = 140, footer_top - 24
    while body_lines and top + len(title_lines) * title_step + rule_block + len(body_lines) * body_step > bottom:
        body_lines.pop()
    block = len(title_lines) * title_step + rule_block + len(body_lines) * body_step
    y = top + max(0, (bottom - top - block) // 2)
    for line in title_lines:
        draw.text((_MARGIN, y), line, font=title_font, fill=_INK)
        y += title_step
    draw.rectangle((_MARGIN, y + 14, _MARGIN + 120, y + 20), fill=_RED)
    y += rule_block
    for line in body_lines:
        draw.text((_MARGIN, y), line, font=body, fill=_MUTED)
        y += body_step
    return image


def _star(draw: ImageDraw.ImageDraw, centre: tuple[int, int], radius: int) -> None:
    """The five-pointed star of emulation certificates, as a simple emblem."""
    cx, cy = centre
    points = []
    for index in range(10):
        r = radius if index % 2 == 0 else radius * 0.4
        angle = -math.pi / 2 + index * math.pi / 5
        points.append((cx + r * math.cos(angle), cy + r * math.sin(angle)))
    draw.polygon(points, fill=_GOLD)


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
