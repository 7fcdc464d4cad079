"""A kept file written whole. A module of its own, apart from the tree writer (`write.py`), because the caches that
write files this way are stamped by the code they import (`codestamp.py`): the photos' encodings should not be made
again for a change to how the generated folder is written."""

from __future__ import annotations

import os
from pathlib import Path


def replace_file(path: Path, data: bytes) -> None:
    """Write `path` whole under a name of this process's own, then rename it into place: processes may make the same
    kept file at once, and a file is never written in place, since a generated folder may hold a link to the old one."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)
