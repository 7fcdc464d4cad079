"""Profiles that passed every per-file rule, remembered in `.cache/` with what they were checked against.

At 10,000 profiles, reading and checking every file is two seconds of each build (YAML, rules, photos verified),
and the next build sees almost all of them unchanged. A profile is taken from here only when its `index.md` is the
same to the byte, its folder holds the same files (name, size, modification time: a photo replaced or removed
shows), and the vocabulary and the rules are the same (the build tools' own source is part of the stamp). The
rules across files (duplicate slugs, aliases, related stories) run on every build regardless.

Only profiles without problems are remembered: a broken one is read again until it is fixed, so its messages are
always those of the current rules. The cache is pickled and so trusted as the checkout is: it is the build's own
working state, restored in CI from the build's own previous runs, never from elsewhere.
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ..engine.write import write_file
from .model import Exemplar
from .schema.vocabulary import Vocabulary

_FORMAT = 1


@dataclass
class CheckedProfiles:
    """Profile path (as a string) → (its stamp, the profile built from it)."""

    scope: bytes
    """Stamp of the rules and the vocabulary; a cache made under another scope is empty."""
    entries: dict[str, tuple[bytes, Exemplar]] = field(default_factory=dict)

    def get(self, path: str, stamp: bytes) -> Exemplar | None:
        entry = self.entries.get(path)
        return entry[1] if entry is not None and entry[0] == stamp else None


def scope_stamp(vocabulary: Vocabulary) -> bytes:
    """The rules (this package's source) and what profiles may refer to (fields, provinces, plans)."""
    digest = hashlib.blake2b(_code_stamp(), digest_size=16)
    digest.update(
        repr((vocabulary.fields, vocabulary.provinces, sorted(vocabulary.plans), vocabulary.content_date)).encode()
    )
    return digest.digest()


@functools.cache
def _code_stamp() -> bytes:
    digest = hashlib.blake2b(digest_size=16)
    package = Path(__file__).parents[1]  # all of build_tools: any rule or renderer may change what is checked
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.digest()


def profile_stamp(path: Path) -> bytes:
    """The profile's bytes and its folder's listing (name, size, modification time of every entry)."""
    with open(path, "rb") as file:
        digest = hashlib.blake2b(file.read(), digest_size=16)
    with os.scandir(path.parent) as entries:
        listing = sorted((entry.name, entry.stat()) for entry in entries)
    for name, status in listing:
        digest.update(f"\0{name}\0{status.st_size}\0{status.st_mtime_ns}".encode())
    return digest.digest()


def load_checked(cache_dir: Path, scope: bytes) -> CheckedProfiles:
    """What the last build remembered, or nothing (no cache, another scope, an unreadable file)."""
    try:
        with open(cache_dir / "checked.pickle", "rb") as file:
            format_, saved_scope, entries = pickle.load(file)
    except (OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError, AttributeError, ImportError):
        return CheckedProfiles(scope)
    if format_ != _FORMAT or saved_scope != scope or not isinstance(entries, dict):
        return CheckedProfiles(scope)
    return CheckedProfiles(scope, entries)


def save_checked(cache_dir: Path, scope: bytes, entries: Mapping[str, tuple[bytes, Exemplar]]) -> None:
    """Written whole and swapped in (write.py), so a build stopped midway leaves the previous cache, never half."""
    data = pickle.dumps((_FORMAT, scope, dict(entries)), protocol=pickle.HIGHEST_PROTOCOL)
    write_file(cache_dir, "checked.pickle", data)
