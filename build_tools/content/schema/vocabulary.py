"""The ids a profile may refer to, known before any profile is read."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..model import Field, Province


@dataclass(frozen=True)
class Vocabulary:
    """The ids a profile may refer to, known before any profile is read."""

    fields: Mapping[str, Field]
    provinces: Mapping[str, Province]
    plans: Sequence[str]
    content_date: dt.date | None = None
    """`content_date` from mkdocs.yml: no story may be dated much after it (nor after today)."""
