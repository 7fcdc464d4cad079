"""Serve a built site on 127.0.0.1 the way a real host does, so measured transfer sizes are realistic.

Text (HTML, CSS, JS, SVG, XML, JSON) is gzip-compressed (level 6, nginx's `gzip on` at a common level) when the
browser asks for it; files with a content hash in their name get a one-year cache lifetime, others ten minutes.

    .venv/bin/python benchmarks/serve.py site/ --port 8080
"""

from __future__ import annotations

import argparse
import gzip
import mimetypes
import re
import threading
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

COMPRESSIBLE = ("text/", "application/javascript", "application/json", "application/xml", "image/svg+xml")
VERSIONED = re.compile(r"\.[0-9a-f]{8,}\.min\.(?:js|css)$")


class CompressingHandler(SimpleHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as every real host: one connection serves several files

    def log_message(self, format: str, *args: object) -> None:
        pass

    def send_head(self):  # type: ignore[no-untyped-def]
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?", 1)[0].endswith("/"):
                return super().send_head()  # the base class redirects to the slash-terminated URL
            path = path / "index.html"
        if not path.is_file():
            self.send_error(HTTPStatus.NOT_FOUND, "Not found")
            return None
        body = path.read_bytes()
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        encoding = None
        if mime.startswith(COMPRESSIBLE) and "gzip" in self.headers.get("Accept-Encoding", ""):
            body, encoding = gzip.compress(body, compresslevel=6, mtime=0), "gzip"
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", f"{mime}; charset=utf-8" if mime.startswith("text/") else mime)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Accept-Encoding")
        if encoding:
            self.send_header("Content-Encoding", encoding)
        lifetime = 31_536_000 if VERSIONED.search(path.name) else 600
        self.send_header("Cache-Control", f"public, max-age={lifetime}")
        self.end_headers()
        if self.command == "HEAD":
            return None
        self.wfile.write(body)
        return None


def start(site_dir: Path, port: int = 0) -> ThreadingHTTPServer:
    """Serve `site_dir` in a background thread; `server.server_port` tells the port when 0 was asked."""
    server = ThreadingHTTPServer(("127.0.0.1", port), partial(CompressingHandler, directory=str(site_dir)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site_dir", type=Path)
    parser.add_argument("--port", type=int, default=8080)
    args = parser.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", args.port), partial(CompressingHandler, directory=str(args.site_dir)))
    print(f"http://127.0.0.1:{args.port}/")
    server.serve_forever()


if __name__ == "__main__":
    main()
