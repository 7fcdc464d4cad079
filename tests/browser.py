"""Browser tests' plumbing: Debian's Chromium driven by Playwright, and a built site served on 127.0.0.1.

Locally the browser tests are skipped when Chromium or Playwright is missing; in CI (CI=true) they fail instead,
so a broken install step cannot pass unnoticed. `bash tasks.sh test` installs both.
"""

from __future__ import annotations

import os
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


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("the playwright Python package")
    if not CHROMIUM.exists():
        _missing(f"Chromium at {CHROMIUM}")
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        yield instance
        instance.close()


class _SubPathHandler(SimpleHTTPRequestHandler):
    """Serves the site under `prefix`, as on a host where it does not live at the root."""

    prefix = "/"

    def log_message(self, format: str, *args: object) -> None:
        pass

    def translate_path(self, path: str) -> str:
        if not path.startswith(self.prefix):
            return str(Path(self.directory) / ".nothing-here")
        return super().translate_path("/" + path[len(self.prefix) :])


class StaticServer:
    """A built site on http://127.0.0.1:<free port><prefix>; `stop()` takes it off the network for good."""

    def __init__(self, site_dir: Path, prefix: str = "/") -> None:
        handler = type("Handler", (_SubPathHandler,), {"prefix": prefix})
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), partial(handler, directory=str(site_dir)))
        self.base = f"http://127.0.0.1:{self._server.server_port}{prefix}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def url(self, path: str = "") -> str:
        return self.base + path

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
