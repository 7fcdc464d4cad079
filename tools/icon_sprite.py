"""Write build_tools/theme/assets/icons.svg: the theme's icons as one cached sprite.

Material includes each icon as inline SVG, so every page carried the same eleven icons (3.5 kB; the repository
icon twice with its 250-byte licence comment). `theme/partials/ex-icon.html` draws the icons listed there with
`<svg viewBox…><use href="…/icons.svg#id"></svg>` instead. Run after upgrading Material or changing an icon in
`mkdocs.yml`; `tests/test_lean_output.py` fails while the sprite differs from Material's icons.

    .venv/bin/python tools/icon_sprite.py
"""

from __future__ import annotations

import re
from pathlib import Path

import material

ROOT = Path(__file__).resolve().parents[1]
ICONS = Path(material.__file__).parent / "templates" / ".icons"
PARTIAL = ROOT / "build_tools" / "theme" / "partials" / "ex-icon.html"
SPRITE = ROOT / "build_tools" / "theme" / "assets" / "icons.svg"
_SVG = re.compile(r'<svg xmlns="http://www.w3.org/2000/svg" viewBox="([^"]+)">(.*)</svg>\s*$', re.S)


def listed_icons() -> dict[str, str]:
    """The icons `partials/ex-icon.html` draws from the sprite, with their viewBox."""
    return dict(re.findall(r'"([a-z0-9/-]+)": "([0-9 .]+)"', PARTIAL.read_text(encoding="utf-8")))


def symbol_id(name: str) -> str:
    """The icon's own name (`material/menu` → `menu`): every page names up to eleven of them, so short ids count."""
    return name.rsplit("/", 1)[-1]


def material_icon(name: str) -> tuple[str, str]:
    """(viewBox, inner markup) of one of Material's icons; licence comments kept once, in the sprite."""
    match = _SVG.match((ICONS / f"{name}.svg").read_text(encoding="utf-8"))
    if match is None:
        raise ValueError(f"{name}: not a single <svg> with a viewBox")
    return match.group(1), match.group(2)


def render_sprite() -> str:
    symbols = []
    names = sorted(listed_icons())
    if len({symbol_id(name) for name in names}) < len(names):
        raise ValueError("two icons of the sprite share a name: give ex-icon.html's list one of each")
    for name in names:
        view_box, inner = material_icon(name)
        symbols.append(f'<symbol id="{symbol_id(name)}" viewBox="{view_box}">{inner}</symbol>')
    body = "\n".join(symbols)
    return f'<svg xmlns="http://www.w3.org/2000/svg">\n{body}\n</svg>\n'


if __name__ == "__main__":
    SPRITE.write_text(render_sprite(), encoding="utf-8")
    print(f"{SPRITE.relative_to(ROOT)}: {len(listed_icons())} icons")
