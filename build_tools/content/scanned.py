"""The outputs already scanned for personal data, remembered by their bytes in `.cache/scanned.pickle`.

The scan reads every text file a build writes as its reader reads it, about 6 MB/s per core: at 10,000 stories,
26 s of a build whose generated folder is new (CI's), though nearly every file has the bytes it had in the build
before. What the scan finds in a file depends only on its path (names are read too), its bytes and the rules; so
each file's raw findings are kept under a digest of its path and bytes, with the rules' stamp (`privacy.py`'s
source and the Python and Unicode versions its regular expressions and NFKC come from). A file is taken from here
only when that digest was scanned under the current rules; a file with new bytes is always scanned. The findings
are kept raw: the contacts profiles declare public are set aside afterwards, since they change with the profiles.

To know a file's digest, the scan reads it, unless it is the very file digested last time: same inode, size and
modification time (a build never rewrites a file in place: each write is a new file swapped in, `engine/write.py`),
as git's index does. At 10,000 stories that spares a warm build reading 30,000 files; in a new generated folder
(CI) no file is the one digested before, so each is read, digested and, when its digest is known, not scanned.

A file read in pieces (JSON a line at a time, CSV a cell at a time: `privacy.findings_in_output`) is remembered
piece by piece too, under its path: after one story changed, the open data (40 MB at 10,000 stories, one story a
line) has new bytes, but only that story's line is new, and only it is scanned; its other lines' findings are taken
from the last scan of that path, known by a digest of their bytes, neither decoded nor parsed. Short pieces (a
JSON line of punctuation, a CSV cell with a name or a date) are scanned rather than looked up.

Only the files of the last build are kept (a removed story's pages leave the cache with it). Like `checked.py`'s
cache, it is pickled and so trusted as the checkout is: the build's own working state, restored in CI from the
build's own previous runs, never from elsewhere.
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
import sys
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..engine.codestamp import code_stamp
from ..engine.write import write_file
from . import privacy

FILE_NAME = "scanned.pickle"
_FORMAT = 4

PIECE_MIN = 256
"""Pieces shorter than this (bytes of a JSON line, characters of a CSV cell) are scanned every time: hashing them
would cost about as much."""

Place = tuple[int, int, int]
"""A file's inode, size and modification time (ns): the same file, unless rewritten."""


@dataclass(frozen=True)
class ScanMemory:
    """What earlier builds scanned under the current rules."""

    findings: Mapping[bytes, tuple[privacy.Finding, ...]] = field(default_factory=dict)
    """Digest of a file's path and bytes → what the rules found in it (usually nothing)."""
    places: Mapping[str, tuple[Place, bytes]] = field(default_factory=dict)
    """Path in the generated folder → the file digested there last time, and its digest."""
    pieces: Mapping[str, Mapping[bytes, tuple[privacy.Finding, ...]]] = field(default_factory=dict)
    """Path of a file read in pieces → digest of each long piece of the file last scanned there → its findings."""


@dataclass(frozen=True)
class Scan:
    """One output as the scan saw it."""

    digest: bytes
    findings: tuple[privacy.Finding, ...]
    """Raw: before the contacts profiles declare public are set aside."""
    place: Place | None
    """None for a file whose bytes are not read (photos, cards, fonts, binary shards: the name only)."""
    scanned: bool
    """The rules ran on it: its digest was not in the memory."""
    pieces: Mapping[bytes, tuple[privacy.Finding, ...]] | None = None
    """Of a file read in pieces and scanned now: its long pieces' findings (None: as the memory holds them)."""


@functools.cache
def rules_stamp() -> bytes:
    """The rules: their code (`privacy.py` and its imports, `engine.codestamp`), and the Python and Unicode versions
    their regular expressions and NFKC follow."""
    digest = hashlib.blake2b(code_stamp(privacy.__name__), digest_size=16)
    digest.update(f"\0{sys.version}\0{unicodedata.unidata_version}\0{_FORMAT}".encode())
    return digest.digest()


def output_digest(path: str, data: bytes) -> bytes:
    """What a file's findings depend on besides the rules: its path (how it is read, and the name itself) and bytes."""
    digest = hashlib.blake2b(path.encode(), digest_size=16)
    digest.update(b"\0")
    digest.update(data)
    return digest.digest()


def remembered_scan(root: Path, path: str, memory: ScanMemory) -> Scan | None:
    """One file's scan from the memory alone, without reading it: a file whose name only is read, or the very file
    digested last time (same place). None: its bytes must be read (`scan_output`). A status call per text file, so
    that after one edit the build's own process finds the few files to read before it starts any worker."""
    if not privacy.reads_content(path):
        digest = output_digest(path, b"")
        known = memory.findings.get(digest)
        return Scan(digest, known, None, False) if known is not None else None
    place = _place(root, path)
    last = memory.places.get(path)
    if place is not None and last is not None and last[0] == place:
        known = memory.findings.get(last[1])
        return Scan(last[1], known, place, False) if known is not None else None
    return None


def _place(root: Path, path: str) -> Place | None:
    try:
        status = os.stat(os.path.join(root, path))
    except FileNotFoundError:
        return None
    return (status.st_ino, status.st_size, status.st_mtime_ns)


def scan_output(root: Path, path: str, memory: ScanMemory) -> Scan:
    """One file of the generated folder: its findings from the memory when its path and bytes are there, else from
    the rules (`privacy.findings_in_output`)."""
    known_here = remembered_scan(root, path, memory)
    if known_here is not None:
        return known_here
    place: Place | None = None
    data = b""
    if privacy.reads_content(path):
        place = _place(root, path)
        if place is not None:
            with open(os.path.join(root, path), "rb") as file:
                data = file.read()
    digest = output_digest(path, data)
    known = memory.findings.get(digest)
    if known is not None:
        return Scan(digest, known, place, False)
    before = memory.pieces.get(path, {})
    pieces: dict[bytes, tuple[privacy.Finding, ...]] = {}

    def remembered(piece: bytes | str, scan: privacy.PieceScan) -> tuple[privacy.Finding, ...]:
        if len(piece) < PIECE_MIN:
            return tuple(scan())
        text = piece if isinstance(piece, bytes) else piece.encode("utf-8", errors="surrogatepass")
        key = hashlib.blake2b(text, digest_size=16).digest()
        found = pieces.get(key)
        if found is None:
            found = before.get(key)
            pieces[key] = found if found is not None else tuple(scan())
        return pieces[key]

    findings = tuple(privacy.findings_in_output(path, data, remembered))
    return Scan(digest, findings, place, True, pieces or None)


def load_scanned(cache_dir: Path) -> ScanMemory:
    """What earlier builds scanned under the current rules, or nothing (no cache, other rules, an unreadable file)."""
    try:
        with open(cache_dir / FILE_NAME, "rb") as file:
            stamp, findings, places, pieces = pickle.load(file)
    except (OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError, AttributeError, ImportError):
        return ScanMemory()
    if stamp != rules_stamp() or not all(isinstance(kept, dict) for kept in (findings, places, pieces)):
        return ScanMemory()
    return ScanMemory(findings, places, pieces)


def save_scanned(
    cache_dir: Path, paths: Sequence[str], scans: Sequence[Scan], memory: ScanMemory | None = None
) -> None:
    """This build's files only (the pieces of a file not scanned now taken from `memory`). Written whole and swapped
    in (write.py), so a build stopped midway leaves the previous cache, never half."""
    findings = {scan.digest: scan.findings for scan in scans}
    places = {path: (scan.place, scan.digest) for path, scan in zip(paths, scans, strict=True) if scan.place}
    pieces = {
        path: kept
        for path, scan in zip(paths, scans, strict=True)
        if (kept := scan.pieces if scan.scanned or memory is None else memory.pieces.get(path))
    }
    data = pickle.dumps((rules_stamp(), findings, places, pieces), protocol=pickle.HIGHEST_PROTOCOL)
    cache_dir.mkdir(parents=True, exist_ok=True)
    write_file(cache_dir, FILE_NAME, data)
