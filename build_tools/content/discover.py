"""Which files are profiles: every `exemplars/**/index.md`, and each Markdown file that looks like a profile but
sits where nothing reads it (a mistake an officer cannot see must not pass silently)."""

from __future__ import annotations

import os
import re
from pathlib import Path

from .config import Project
from .load import link_problem
from .problems import Problem


def find_profiles(project: Project) -> tuple[list[Path], list[Problem]]:
    """Every `index.md` under exemplars/ (groups like exemplars/2023/ allowed); stray Markdown is a problem, and so
    is a profile left where nothing reads it (issue 20): a mistake an officer cannot see must not pass silently."""
    profiles, problems = [], []
    exemplars_dir = project.exemplars_dir
    outside = link_problem(exemplars_dir, project.root)
    if outside is not None:
        return [], [Problem("exemplars", None, None, outside)]
    found, links = _walk(exemplars_dir)
    linked = [p for p in sorted(map(Path, links)) if p.is_dir() or p.suffix == ".md"]
    problems += [Problem(project.shown(p), None, None, link_problem(p, project.root) or "") for p in linked]
    refused = {str(p) for p in linked}
    paths = [path for path in found if path not in refused]
    top = str(exemplars_dir)
    folders_with_profile = {os.path.dirname(path) for path in paths if os.path.basename(path) == "index.md"}
    for text in paths:
        folder, name = os.path.split(text)
        if name == "index.md" and folder != top:
            profiles.append(Path(text))
            continue
        path = Path(text)
        if _NUMBERED_INDEX.match(name) and (path.parent / "index.md").is_file():
            problems.append(Problem(project.shown(path), None, None, _second_profile_message(project, path)))
        elif name.lower() not in ("readme.md",):
            problems.append(
                Problem(project.shown(path), None, None, _stray_message(project, path, folders_with_profile))
            )
    return profiles, problems + profiles_outside_exemplars(project)


_INDEX_LOOKALIKES = ("index.md.txt", "index.txt", "index.markdown", "index.mdx", "index.md.md")
"""Names a profile gets by mistake: Windows hides the `.txt` Notepad adds, editors offer other extensions."""


def _stray_message(project: Project, path: Path, folders_with_profile: set[str]) -> str:
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
    if str(path.parent) in folders_with_profile:
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


def _walk(root: Path) -> tuple[list[str], list[str]]:
    """The Markdown files under `root` (and the names a profile gets by mistake: `index.md.txt`), in
    `sorted(root.rglob("*.md"))` order, and every symbolic link, folder or file, in one pass: at 100,000 profile
    folders, walking the tree twice with `os.walk` and `os.path.islink` on every entry took half a minute. Linked
    folders are not entered (`os.walk` passes over them in silence: they are reported instead); a linked file keeps
    its place among the files, as `os.walk` lists it."""
    found: list[str] = []
    links: list[str] = []
    folders = [os.fspath(root)]
    while folders:
        try:
            with os.scandir(folders.pop()) as entries:
                for entry in entries:
                    if entry.is_symlink():
                        links.append(entry.path)
                        if entry.is_dir():
                            continue
                    elif entry.is_dir(follow_symlinks=False):
                        folders.append(entry.path)
                        continue
                    name = entry.name
                    if name.endswith(".md") or name.lower() in _INDEX_LOOKALIKES:
                        found.append(entry.path)
        except OSError:  # a folder that cannot be read, as `os.walk` leaves it
            continue
    found.sort(key=lambda path: path.split(os.sep))
    return found, links
