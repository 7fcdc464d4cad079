"""Browser tests' plumbing: Debian's Chromium driven by Playwright, and a built site served on 127.0.0.1.

Locally the browser tests are skipped when Chromium or Playwright is missing; in CI (CI=true) they fail instead,
so a broken install step cannot pass unnoticed. `bash tasks.sh test` installs both.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def _missing(what: str) -> None:
    message = f"{what} is needed for the browser tests (bash tasks.sh test installs it)"
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(message)
    pytest.skip(message)


def require_browser() -> None:
    """Skips (or in CI fails) a test whose site is built before it asks for the `browser` fixture."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        _missing("the playwright Python package")
    if not CHROMIUM.exists():
        _missing(f"Chromium at {CHROMIUM}")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One Chromium for a test module; each test opens contexts of its own (a fresh cache and storage each)."""
    require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        yield instance
        instance.close()


class _SubPathHandler(SimpleHTTPRequestHandler):
    """Serves the site under `prefix`, as on a host where it does not live at the root."""

    prefix = "/"
    like_github_pages = False
    """A miss under the prefix answers the site's own 404.html (status 404), and a folder without index.html is a
    miss, not a listing: what GitHub Pages does for a site, or a pull request's preview, under a sub-path."""

    def log_message(self, format: str, *args: object) -> None:
        pass

    def translate_path(self, path: str) -> str:
        if not path.startswith(self.prefix):
            return str(Path(self.directory) / ".nothing-here")
        return super().translate_path("/" + path[len(self.prefix) :])

    def list_directory(self, path: str | os.PathLike[str]) -> None:
        if self.like_github_pages:
            self.send_error(404)
            return None
        return super().list_directory(path)  # type: ignore[return-value]

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code != 404 or not self.like_github_pages or not self.path.startswith(self.prefix) or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


class _Server(ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        """A browser closed while a file was on its way (a test's context closed): not the site's fault."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class StaticServer:
    """A built site on http://127.0.0.1:<free port><prefix>; `stop()` takes it off the network for good."""

    def __init__(self, site_dir: Path, prefix: str = "/", *, like_github_pages: bool = False) -> None:
        handler = type("Handler", (_SubPathHandler,), {"prefix": prefix, "like_github_pages": like_github_pages})
        self._server = _Server(("127.0.0.1", 0), partial(handler, directory=str(site_dir)))
        self.base = f"http://127.0.0.1:{self._server.server_port}{prefix}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def url(self, path: str = "") -> str:
        return self.base + path

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
