"""Print a real story as a reader's browser does and save the pages as one PNG, for review.

Builds the repository's content into a temporary folder, serves it on 127.0.0.1, prints the story to PDF in
Debian's Chromium (print media, A4), turns the pages into images with pdftoppm (Debian's poppler-utils) and lays
them side by side in docs/screenshots/print-story.png.

    bash tasks.sh screenshots          (installs poppler-utils when missing, then runs this)
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from PIL import Image
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from build_tools.build import build_site  # noqa: E402
from build_tools.content.config import load_project  # noqa: E402

STORY = "guong/tran-thi-minh-nguyet-nam-dinh/"
OUTPUT = ROOT / "docs" / "screenshots" / "print-story.png"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking"]


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        site = build_site(load_project(ROOT), work / "site")
        server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(site)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=FLAGS)
                page = browser.new_page()
                page.goto(f"http://127.0.0.1:{server.server_port}/{STORY}", wait_until="networkidle")
                page.emulate_media(media="print")
                page.pdf(path=str(work / "story.pdf"), format="A4")
                browser.close()
        finally:
            server.shutdown()
        subprocess.run(["pdftoppm", "-png", "-r", "70", str(work / "story.pdf"), str(work / "page")], check=True)
        pages = [Image.open(path).convert("RGB") for path in sorted(work.glob("page-*.png"))]
        gap = 16
        sheet = Image.new(
            "RGB", (sum(p.width for p in pages) + gap * (len(pages) + 1), pages[0].height + 2 * gap), "#9e9e9e"
        )
        x = gap
        for image in pages:
            sheet.paste(image, (x, gap))
            x += image.width + gap
        sheet.quantize(colors=128, method=Image.Quantize.MEDIANCUT).save(OUTPUT, optimize=True)
    print(f"{len(pages)} trang → {OUTPUT.relative_to(ROOT)} ({OUTPUT.stat().st_size // 1024} KB)")


if __name__ == "__main__":
    main()
