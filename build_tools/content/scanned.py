"""The outputs already scanned for personal data, remembered by their bytes in `.cache/scanned.pickle`.

The scan reads every text file a build writes as its reader reads it, about 6 MB/s per core: at 10,000 stories,
26 s of a build whose generated folder is new (CI's), though nearly every file has the bytes it had in the build
before. What the scan finds in a file depends only on its path (names are read too), its bytes and the rules; so
each file's raw findings are kept under a digest of its path and bytes, with the rules' stamp (`privacy.py`'s
source and the Python and Unicode versions its regular expressions and NFKC come from). A file is taken from here
only when that digest was scanned under the current rules; a file with new bytes is always scanned. The findings
are kept raw: the contacts profiles declare public are set aside afterwards, since they change with the profiles.

Only the files of the last build are kept (a removed story's pages leave the cache with it). Like `checked.py`'s
cache, it is pickled and so trusted as the checkout is: the build's own working state, restored in CI from the
build's own previous runs, never from elsewhere.
"""

from __future__ import annotations

import functools
import hashlib
import pickle
import sys
import unicodedata
from collections.abc import Mapping
from pathlib import Path

from ..engine.write import write_file
from . import privacy

FILE_NAME = "scanned.pickle"
_FORMAT = 1

Remembered = Mapping[bytes, tuple[privacy.Finding, ...]]
"""Digest of a file's path and bytes → what the rules found in it (usually nothing)."""


@functools.cache
def rules_stamp() -> bytes:
    """The rules: their source, and the Python and Unicode versions their regular expressions and NFKC follow."""
    digest = hashlib.blake2b(Path(privacy.__file__).read_bytes(), digest_size=16)
    digest.update(f"\0{sys.version}\0{unicodedata.unidata_version}\0{_FORMAT}".encode())
    return digest.digest()


def output_digest(path: str, data: bytes) -> bytes:
    """What a file's findings depend on besides the rules: its path (how it is read, and the name itself) and bytes."""
    digest = hashlib.blake2b(path.encode(), digest_size=16)
    digest.update(b"\0")
    digest.update(data)
    return digest.digest()


def load_scanned(cache_dir: Path) -> Remembered:
    """What earlier builds scanned under the current rules, or nothing (no cache, other rules, an unreadable file)."""
    try:
        with open(cache_dir / FILE_NAME, "rb") as file:
            stamp, remembered = pickle.load(file)
    except (OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError, AttributeError, ImportError):
        return {}
    return remembered if stamp == rules_stamp() and isinstance(remembered, dict) else {}


def save_scanned(cache_dir: Path, remembered: Remembered) -> None:
    """Written whole and swapped in (write.py), so a build stopped midway leaves the previous cache, never half."""
    data = pickle.dumps((rules_stamp(), dict(remembered)), protocol=pickle.HIGHEST_PROTOCOL)
    cache_dir.mkdir(parents=True, exist_ok=True)
    write_file(cache_dir, FILE_NAME, data)
