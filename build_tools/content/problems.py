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


def format_github(problems: list[Problem]) -> str:
    """GitHub Actions workflow commands: each problem becomes an annotation on its file and line in the pull request."""
    lines = []
    for p in sorted(problems, key=lambda p: (p.path, p.line or 0, p.key or "")):
        properties = [f"file={_escape_property(p.path)}"]
        if p.line is not None:
            properties.append(f"line={p.line}")
        title = f"Lỗi ở trường {p.key}" if p.key else "Lỗi hồ sơ"
        properties.append(f"title={_escape_property(title)}")
        lines.append(f"::error {','.join(properties)}::{_escape_data(p.message)}")
    lines.append(f"{len(problems)} lỗi" if problems else "Không có lỗi.")
    return "\n".join(lines)


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


class ContentError(Exception):
    """Raised when content has problems; the build stops before anything is written."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(format_problems(problems))
        self.problems = problems

    def __reduce__(self) -> tuple[type[ContentError], tuple[list[Problem]]]:
        """Pickled as its problems (it travels back from a forked process: `engine.parallel.Beside`), not as the
        message they were formatted into, which `__init__` would take for a list of problems."""
        return type(self), (self.problems,)
