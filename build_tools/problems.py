"""What a contributor is told when content is wrong."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in one file, phrased for the person who edited it (in Vietnamese)."""

    path: str
    """File path relative to the repository root, with forward slashes."""
    line: int | None
    """1-based line in that file, when one can be named."""
    key: str | None
    """The front-matter or YAML key at fault (`photo.alt`, `awards.0.date`), if any."""
    message: str
    """What is wrong, what was expected, what to do."""

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.key}: {self.message}" if self.key else f"{where}: {self.message}"


def format_problems(problems: list[Problem]) -> str:
    """Every problem on its own line, sorted by file and line, then the count."""
    lines = [str(p) for p in sorted(problems, key=lambda p: (p.path, p.line or 0, p.key or ""))]
    lines.append(f"{len(problems)} lỗi" if problems else "Không có lỗi.")
    return "\n".join(lines)


class ContentError(Exception):
    """Raised when content has problems; the build stops before anything is written."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(format_problems(problems))
        self.problems = problems
