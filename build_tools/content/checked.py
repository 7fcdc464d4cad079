"""Profiles that passed every per-file rule, remembered in `.cache/` with what they were checked against.

At 10,000 profiles, reading and checking every file is two seconds of each build (YAML, rules, photos verified), and the
next build sees almost all of them unchanged. A profile is taken from here only when its folder holds the same files
with the same bytes (its `index.md`, its photo: a photo replaced, removed or added shows; so does any other file,
whatever it is), and the vocabulary and the rules are the same (the code that checks a profile is part of the stamp:
`RULES`). The rules across files (duplicate slugs, aliases, related stories) run on every build regardless.

What a file's bytes are is known without reading them when every entry of the folder is where and as it was when
they were read (same device, inode, size and status-change time: git's index trusts the same), so a build after an
edit reads only the edited folders. A fresh checkout (CI's, with `.cache/` restored) gives every file a new inode
and new times: there each file is read and hashed (the photo too: hashing it is far cheaper than decoding it, which
the rules do), and a profile whose bytes are the ones checked is not checked again. Modification times decide
nothing: a tool may set them back (`touch`, `rsync -t`, a restore), no tool sets back the status-change time.

Only profiles without problems are remembered: a broken one is read again until it is fixed, so its messages are
always those of the current rules. The cache is kept in `.cache/checked/` as 256 files, each profile in the one its
path's digest names: a build after one edit rewrites one of them, not the whole (69 MB at 100,000 profiles, four
seconds to write), and a file that cannot be read costs only its own profiles a second reading. Profiles are known
by their path relative to the repository, and a remembered profile names its photo so too (`Photo.source_path`): a
repository moved or cloned to another folder with its `.cache/` checks none of them again (moved, every stamp's
place is the same; cloned, the bytes decide, as after a fresh checkout). The cache is pickled and so trusted as the
checkout is: it is the build's own working state, restored in CI from the build's own previous runs, never from
elsewhere.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import hashlib
import os
import pickle
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from ..engine.codestamp import code_stamp
from ..engine.write import write_file
from .model import Exemplar
from .schema.vocabulary import Vocabulary

_FORMAT = 5
"""5: profiles known by their path relative to the repository, their photos too (4: absolute paths, so a repository
moved elsewhere had every profile checked again); 4: a folder known by its files' bytes, no longer by their
modification times (3)."""


class Stamp(NamedTuple):
    """What a profile was when it was checked."""

    folder: bytes
    """Digest of what its folder holds: each entry's name and kind, and each file's bytes."""
    place: bytes | None
    """Digest of where and when each entry of its folder was as `folder` was read (`_place`); None when that cannot
    be trusted (an entry changed moments ago, or Windows)."""
    content: bytes
    """Digest of the profile's own bytes."""


@dataclass
class CheckedProfiles:
    """Profile path, relative to the repository (`key`) → (its stamp, the profile built from it)."""

    scope: bytes
    """Stamp of the rules and the vocabulary; a cache made under another scope is empty."""
    root: str
    """The repository's folder, as every profile's path begins (`discover.find_profiles`)."""
    entries: dict[str, tuple[Stamp, Exemplar]] = field(default_factory=dict)

    def key(self, path: Path) -> str:
        """What a profile is known by: its path relative to the repository, as the string it begins with cut off
        (`Path.relative_to` was a tenth of a second of each build at 10,000 profiles)."""
        text = os.fspath(path)
        start = len(self.root) + 1
        if not text.startswith(self.root) or text[start - 1 : start] != os.sep:
            raise ValueError(f"{text} is not in {self.root}")
        return text[start:]

    def stamp(self, path: Path) -> tuple[Stamp, Exemplar | None]:
        """The profile's stamp now and, when its folder holds what was checked, the profile built then. The
        folder's files are read only when an entry moved since (every write moves it; so do a fresh checkout, a
        hard link or a change of permissions, and then the bytes decide)."""
        with os.scandir(path.parent) as found:
            entries = sorted(found, key=lambda entry: entry.name)
        place = _place(entries)
        entry = self.entries.get(self.key(path))
        if entry is not None and place is not None and entry[0].place == place:
            return entry
        stamp = _read(entries, path.name, place)
        if entry is not None and entry[0].folder == stamp.folder:
            return stamp, entry[1]
        return stamp, None


def scope_stamp(vocabulary: Vocabulary) -> bytes:
    """The rules (the code that reads, checks and builds a profile: `RULES`) and what profiles may refer to (fields,
    provinces, plans)."""
    digest = hashlib.blake2b(_code_stamp(), digest_size=16)
    digest.update(
        repr((vocabulary.fields, vocabulary.provinces, sorted(vocabulary.plans), vocabulary.content_date)).encode()
    )
    return digest.digest()


RULES = "build_tools.content.gather"
"""The module whose `_load_profiles` reads, checks and builds each profile remembered here: what it imports is all
the code a remembered profile depends on (`engine.codestamp`); the rendering of the site is not."""


@functools.cache
def _code_stamp() -> bytes:
    return code_stamp(RULES)


def _place(entries: list[os.DirEntry[str]]) -> bytes | None:
    """Where and when each entry of a folder is (device, inode, size, status-change time), digested, where that
    can be trusted: no tool sets the status-change time back, as `touch` and `rsync -t` do the modification time,
    which spares reading every profile and photo (60 % of the stamps' time at 10,000). Not for a folder with an
    entry changed in the last seconds (a second edit in the same clock tick would not move its time), nor on
    Windows, where that time is the creation time."""
    if os.name == "nt":
        return None
    digest = hashlib.blake2b(digest_size=16)
    recent = time.time_ns() - _RECENT_NS
    for entry in entries:
        try:
            status = entry.stat(follow_symlinks=False)
        except OSError:  # gone since the listing
            return None
        if status.st_ctime_ns >= recent:
            return None
        digest.update(
            b"\0%s\0%d %d %d %d"
            % (os.fsencode(entry.name), status.st_dev, status.st_ino, status.st_size, status.st_ctime_ns)
        )
    return digest.digest()


def _read(entries: list[os.DirEntry[str]], profile: str, place: bytes | None) -> Stamp:
    """The stamp of a folder read now: each file's bytes digested, a link known by its target, a folder by its name
    (the rules read no file in it)."""
    digest = hashlib.blake2b(digest_size=16)
    content = b""
    for entry in entries:
        if entry.is_symlink():
            what = b"link " + os.fsencode(os.readlink(entry.path))
        elif entry.is_dir(follow_symlinks=False):
            what = b"folder"
        elif entry.is_file(follow_symlinks=False):
            try:
                with open(entry.path, "rb") as file:
                    found = hashlib.file_digest(file, _FILE_DIGEST).digest()
            except OSError:  # gone since the listing, or not readable: the rules say so if it is the profile's
                what = b"unreadable"
            else:
                content = found if entry.name == profile else content
                what = b"file " + found
        else:
            what = b"other"
        digest.update(b"\0%s\0%s" % (os.fsencode(entry.name), what))
    return Stamp(digest.digest(), place, content)


_FILE_DIGEST = functools.partial(hashlib.blake2b, digest_size=16)
"""A file's digest, a profile's the same as a story's key takes (`Content.digests`)."""


_RECENT_NS = 3_000_000_000
"""A file changed less than this long ago (ns) is read: its times may not yet show an edit made in the same tick."""


FOLDER = "checked"
"""In the cache folder: one file per shard, named by the first byte of the digest of its profiles' paths
(`CheckedProfiles.key`)."""


def _shard(path: str) -> str:
    return hashlib.blake2b(path.encode(), digest_size=1).hexdigest() + ".pickle"


def load_checked(root: Path, cache_dir: Path, scope: bytes) -> CheckedProfiles:
    """What the last build remembered of the profiles under `root`, or nothing: each shard made under another scope
    or format, or unreadable, is empty."""
    entries: dict[str, tuple[Stamp, Exemplar]] = {}
    try:
        names = sorted(os.listdir(cache_dir / FOLDER))
    except OSError:
        return CheckedProfiles(scope, os.fspath(root))
    # Unpickling 100,000 profiles makes millions of objects, none of them garbage: the collector would walk them
    # again and again for nothing (2.2 s of CPU at 100,000, 0.9 s without it).
    collecting = gc.isenabled()
    gc.disable()
    try:
        for name in names:
            entries.update(_load_shard(cache_dir / FOLDER / name, scope))
    finally:
        if collecting:
            gc.enable()
    return CheckedProfiles(scope, os.fspath(root), entries)


def _load_shard(path: Path, scope: bytes) -> dict[str, tuple[Stamp, Exemplar]]:
    try:
        with open(path, "rb") as file:
            format_, saved_scope, entries = pickle.load(file)
    except (OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError, AttributeError, ImportError):
        return {}
    if format_ != _FORMAT or saved_scope != scope or not isinstance(entries, dict):
        return {}
    return entries


def save_checked(cache_dir: Path, remembered: CheckedProfiles, entries: Mapping[str, tuple[Stamp, Exemplar]]) -> None:
    """Only the shards whose profiles or stamps differ from what was remembered; shards left empty are removed.
    Each is written whole and swapped in (write.py): a build stopped midway leaves each shard old or new, never
    half, and every entry is checked against its own stamp anyway."""
    if entries.keys() == remembered.entries.keys() and all(
        remembered.entries[path][0] == stamp for path, (stamp, _) in entries.items()
    ):
        return
    before = _by_shard({path: stamp for path, (stamp, _) in remembered.entries.items()})
    after = _by_shard({path: stamp for path, (stamp, _) in entries.items()})
    folder = cache_dir / FOLDER
    for name, stamps in after.items():
        if before.get(name) != stamps:
            shard = {path: entries[path] for path in stamps}
            data = pickle.dumps((_FORMAT, remembered.scope, shard), protocol=pickle.HIGHEST_PROTOCOL)
            write_file(folder, name, data)
    with contextlib.suppress(OSError):
        for name in os.listdir(folder):
            if name not in after:
                (folder / name).unlink()
    (cache_dir / "checked.pickle").unlink(missing_ok=True)  # the whole cache of earlier versions


def _by_shard(stamps: Mapping[str, Stamp]) -> dict[str, dict[str, Stamp]]:
    shards: dict[str, dict[str, Stamp]] = {}
    for path, stamp in stamps.items():
        shards.setdefault(_shard(path), {})[path] = stamp
    return shards
