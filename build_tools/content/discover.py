"""Which files are profiles: every `exemplars/**/index.md`, and each Markdown file that looks like a profile but
sits where nothing reads it (a mistake an officer cannot see must not pass silently)."""

from __future__ import annotations

import os
import re
from pathlib import Path

from .config import Project
from .load import link_problem, linked_entries
from .problems import Problem


def find_profiles(project: Project) -> tuple[list[Path], list[Problem]]:
    """Every `index.md` under exemplars/ (groups like exemplars/2023/ allowed); stray Markdown is a problem, and so
    is a profile left where nothing reads it (issue 20): a mistake an officer cannot see must not pass silently."""
    profiles, problems = [], []
    outside = link_problem(project.exemplars_dir, project.root)
    if outside is not None:
        return [], [Problem("exemplars", None, None, outside)]
    linked = [p for p in linked_entries(project.exemplars_dir) if p.is_dir() or p.suffix == ".md"]
    problems += [Problem(project.shown(p), None, None, link_problem(p, project.root) or "") for p in linked]
    paths = [path for path in _markdown_files(project.exemplars_dir) if path not in linked]
    folders_with_profile = {path.parent for path in paths if path.name == "index.md"}
    for path in paths:
        if path.name == "index.md" and path.parent != project.exemplars_dir:
            profiles.append(path)
        elif _NUMBERED_INDEX.match(path.name) and (path.parent / "index.md").is_file():
            problems.append(Problem(project.shown(path), None, None, _second_profile_message(project, path)))
        elif path.name.lower() not in ("readme.md",):
            problems.append(
                Problem(project.shown(path), None, None, _stray_message(project, path, folders_with_profile))
            )
    return profiles, problems + profiles_outside_exemplars(project)


_INDEX_LOOKALIKES = ("index.md.txt", "index.txt", "index.markdown", "index.mdx", "index.md.md")
"""Names a profile gets by mistake: Windows hides the `.txt` Notepad adds, editors offer other extensions."""


def _stray_message(project: Project, path: Path, folders_with_profile: set[Path]) -> str:
    """What to do with a file under exemplars/ that is not read as a profile."""
    if path.parent == project.exemplars_dir and path.name == "index.md":
        return (
            "hồ sơ phải nằm trong thư mục riêng mang tên đường dẫn, ví dụ `exemplars/nguyen-thi-huong-nam-dinh/"
            "index.md`, không đặt thẳng trong `exemplars/`. Hãy tạo thư mục rồi chuyển tệp vào đó."
        )
    if path.name.lower() in _INDEX_LOOKALIKES or path.name.lower() == "index.md":
        return (
            f"tệp tên `{path.name}` không được đọc: hồ sơ phải tên đúng `index.md`, chữ thường (Windows có thể đang "
            "ẩn phần đuôi `.txt` mà Notepad thêm vào). Hãy đổi tên tệp thành `index.md`."
        )
    if path.parent in folders_with_profile:
        return (
            "tệp Markdown này nằm cạnh `index.md` của hồ sơ nên không được đọc: mỗi hồ sơ chỉ có một tệp "
            "`index.md`. Hãy chép phần cần giữ vào `index.md` rồi xóa tệp này."
        )
    return (
        "hồ sơ phải là tệp `index.md` trong thư mục riêng mang tên đường dẫn, ví dụ "
        f"`exemplars/{path.stem}/index.md`. Hãy tạo thư mục và đổi tên tệp."
    )


_NOT_CONTENT = {"exemplars", "tests", "build_tools", "benchmarks", "node_modules", "site", "__pycache__"}
_PROFILE_KEYS = re.compile(r"^kind:.*^fields:|^fields:.*^kind:", re.MULTILINE | re.DOTALL)


def profiles_outside_exemplars(project: Project, depth: int = 4) -> list[Problem]:
    """Profiles placed outside exemplars/ (at the repository's root, in content/…): found by their front matter
    (`kind:` and `fields:`), reported instead of silently never published (or, in content/, published raw)."""
    problems = []
    for folder, dirs, names in os.walk(project.root):
        here = Path(folder)
        level = len(here.relative_to(project.root).parts)
        dirs[:] = (
            []
            if level >= depth
            else sorted(
                name
                for name in dirs
                if not name.startswith((".", "_"))
                and not (level == 0 and name in _NOT_CONTENT)
                and not (here / name / "pyvenv.cfg").exists()
            )
        )
        for name in sorted(names):
            if not name.lower().endswith(".md") or (level == 0 and name.upper() in ("README.MD", "CONTRIBUTING.MD")):
                continue
            path = here / name
            try:
                head = path.read_bytes()[:4096].decode("utf-8", "replace").replace("\r\n", "\n")
            except OSError:
                continue
            if not head.startswith("---\n") or not _PROFILE_KEYS.search(head.split("\n---", 1)[0]):
                continue
            folder_name = here.name if name.lower() == "index.md" and level else path.stem
            problems.append(
                Problem(
                    project.shown(path),
                    None,
                    None,
                    "đây là một hồ sơ nhưng nằm ngoài thư mục `exemplars/` nên không được kiểm tra và không được "
                    "đăng như một hồ sơ. Hãy chuyển nó vào `exemplars/`, thành "
                    f"`exemplars/{folder_name}/index.md` (ảnh đi kèm đặt cùng thư mục).",
                )
            )
    return problems


_NUMBERED_INDEX = re.compile(r"^index-\d+\.md$")


def _second_profile_message(project: Project, path: Path) -> str:
    """`index-1.md` beside `index.md`: a second exemplar saved into the first one's folder (two namesakes)."""
    folder = project.shown(path.parent)
    return (
        f"thư mục {folder}/ đã có hồ sơ index.md; tệp {path.name} là hồ sơ thứ hai bị lưu vào cùng thư mục (hai "
        f"người trùng tên và trùng tỉnh). Hãy chuyển tệp này sang thư mục riêng, ví dụ `{folder}-2/index.md`, cùng "
        "với ảnh của hồ sơ đó, và sửa đường dẫn cho khác."
    )


def _markdown_files(root: Path) -> list[Path]:
    """`sorted(root.rglob("*.md"))` and the names a profile gets by mistake (`index.md.txt`), walked with strings:
    10,000 profile folders took half a second as `Path`s."""
    found: list[str] = []
    for folder, _, names in os.walk(root):
        found += [
            os.path.join(folder, name) for name in names if name.endswith(".md") or name.lower() in _INDEX_LOOKALIKES
        ]
    found.sort(key=lambda path: path.split(os.sep))
    return [Path(path) for path in found]
