"""Screenshots of the plan dashboard and the statistics page, at phone and desktop widths, for review.

    bash tasks.sh screenshots        (builds the site first; writes docs/screenshots/*.png)

Debian's Chromium through Playwright (never `playwright install`), the site served on loopback as a reader gets it
over HTTP (from disk, `file://`, Chromium refuses the icons the pages draw from assets/icons.svg): no
network beyond 127.0.0.1.
PNGs are reduced to a 128-colour palette to stay small in the repository.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import sys
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from PIL import Image
from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WIDTHS = {"phone": 412, "desktop": 1280}
PAGES = {
    "ke-hoach-nam-dinh": ("ke-hoach/nam-dinh-2022-2025/index.html", "#van-ban-ke-hoach"),
    "ke-hoach-lang-son": ("ke-hoach/lang-son-skhdt-2022-2025/index.html", "#van-ban-ke-hoach"),
    "ke-hoach-ninh-thuan": ("ke-hoach/ninh-thuan-2021-2025/index.html", "#van-ban-ke-hoach"),
    "thong-ke": ("thong-ke/index.html", None),
    "so-sanh-giam-ngheo": ("so-sanh/giam-ngheo/index.html", None),
    "trang-chu-the-mau": ("index.html", "#theo-linh-vuc"),
    "guong-mau-dau-trang": ("guong/ho-sung-a-chu-lai-chau/index.html", "#cau-chuyen"),
}
"""Name → (page, the element where the picture stops: plan pages end with the dashboard, the plan's text follows)."""
MAX_HEIGHT = 9000


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def served(site: Path) -> Iterator[str]:
    """The site on a free loopback port, for as long as the pictures take; yields its address."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def take(site: Path, out: Path, pages: dict[str, tuple[str, str | None]]) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    with served(site.resolve()) as origin, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for device, width in WIDTHS.items():
                context = browser.new_context(viewport={"width": width, "height": 900}, device_scale_factor=1)
                # Nothing leaves the machine: only the site served on loopback loads.
                context.route(
                    "**/*",
                    lambda route: route.continue_() if route.request.url.startswith(origin) else route.abort(),
                )
                page = context.new_page()
                for name, (path, stop) in pages.items():
                    page.goto(origin + path)
                    page.wait_for_load_state("load")
                    height = page.evaluate("document.documentElement.scrollHeight")
                    if stop:
                        height = page.evaluate(
                            f"document.querySelector('{stop}').getBoundingClientRect().top + scrollY"
                        )
                    height = min(int(height), MAX_HEIGHT)
                    target = out / f"{name}-{device}.png"
                    # A window as tall as the picture rather than `full_page`: the theme hides its tabs when the
                    # window is resized under it mid-capture, which no reader ever sees.
                    page.set_viewport_size({"width": width, "height": height})
                    page.wait_for_timeout(400)
                    page.screenshot(path=str(target))
                    page.set_viewport_size({"width": width, "height": 900})
                    Image.open(target).convert("RGB").quantize(colors=128).save(target, optimize=True)
                    written.append(target)
                context.close()
        finally:
            browser.close()
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=Path("site"))
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    parser.add_argument("--only", nargs="*", choices=sorted(PAGES), help="take only these pages")
    args = parser.parse_args(argv)
    pages = {name: page for name, page in PAGES.items() if not args.only or name in args.only}
    for path in take(args.site, args.out, pages):
        print(f"{path}  {path.stat().st_size // 1024} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
