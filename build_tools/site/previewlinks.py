"""A pull request's changed files → links into its preview: what the comment on the pull request lists, so a
reviewer (or the officer who opened it) lands on the new or corrected story in one tap.

The preview of pull request <n> lives at `<site_url>pr-preview/pr-<n>/` (README, "Previews"). Paths map as the
build maps them: `exemplars/[<group>/]<slug>/…` → `guong/<slug>/` (the folder is the slug, groups do not show in
the address), `plans/<plan>.yml` → `ke-hoach/<plan>/`, `content/<page>.md` → `<page>/`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from jinja2 import Environment, PackageLoader, StrictUndefined

from ..content.load import load_profile, load_yaml_file

UMBRELLA = "pr-preview"
"""The folder of the published site that holds the previews (the preview action's `umbrella-dir`)."""

LISTED = 30
"""Entries shown per section; a pull request that touches more says how many more (a comment must stay short)."""


def preview_url(site_url: str, number: int) -> str:
    """Where pull request `number`'s preview is published: under the site itself, on the same host."""
    return f"{site_url.rstrip('/')}/{UMBRELLA}/pr-{number}/"


@dataclass(frozen=True)
class Change:
    """One line of `git diff --name-status`: what happened to a file."""

    status: str
    """`A` added, `M` modified, `D` deleted, `?` unknown (a bare path: told apart by whether it still exists)."""
    path: str


def parse_changes(lines: Iterable[str]) -> list[Change]:
    """`git diff --name-status` lines (`M<tab>path`), or bare paths, one per line.

    A rename (`R100<tab>old<tab>new`, when git ran without `--no-renames`) counts as the old file deleted and the
    new one added: git guesses renames by likeness, and two profiles made from one template look alike.
    """
    changes = []
    for line in lines:
        parts = line.rstrip("\n").split("\t")
        if not parts[0].strip():
            continue
        if len(parts) == 1:
            changes.append(Change("?", parts[0].strip()))
        elif parts[0][0] in "RC" and len(parts) == 3:
            if parts[0][0] == "R":
                changes.append(Change("D", parts[1]))
            changes.append(Change("A", parts[2]))
        else:
            changes.append(Change(parts[0][0], parts[-1]))
    return changes


@dataclass(frozen=True)
class Link:
    """A page of the preview that a change touches."""

    title: str
    """What the reader sees: a story's name, a plan's title, a page's path."""
    url: str | None
    """None when the page is gone (a deleted profile or plan)."""
    source: str
    """The file in the repository that makes it."""
    note: str = ""
    """Vietnamese: new, corrected, renamed, a draft that the preview does not show…"""


@dataclass(frozen=True)
class PreviewLinks:
    base_url: str
    stories: tuple[Link, ...]
    removed: tuple[Link, ...]
    plans: tuple[Link, ...]
    pages: tuple[Link, ...]
    other_files: int
    """Changed files that make no page of their own (code, templates, workflows, styles)."""


def build_preview_links(root: Path, base_url: str, changes: Sequence[Change]) -> PreviewLinks:
    """The links for `changes`, read against the pull request's checkout at `root` (for names, and to tell a
    deleted profile from an edited one)."""
    base_url = base_url if base_url.endswith("/") else base_url + "/"
    stories: dict[str, Link] = {}
    removed: dict[str, Link] = {}
    plans: dict[str, Link] = {}
    pages: dict[str, Link] = {}
    other = 0
    aliases: dict[str, str] = {}
    for change in changes:
        parts = PurePosixPath(change.path).parts
        if parts[:1] == ("exemplars",):
            folder = _profile_folder(root, change.path)
            if folder is not None:
                slug = folder.name
                if slug not in stories or change.path.endswith("/index.md"):  # the profile's own change tells most
                    stories[slug], former = _story_link(root, folder, base_url, change)
                    aliases.update((alias, slug) for alias in former)
                continue
            if parts[-1] == "index.md" and len(parts) >= 3:
                slug = parts[-2]
                removed.setdefault(slug, Link(f"guong/{slug}/", None, change.path, "hồ sơ đã xóa"))
            continue
        if parts[:1] == ("plans",) and len(parts) == 2 and parts[1].endswith(".yml"):
            plan_link = _plan_link(root, change.path, base_url)
            plans.setdefault(change.path, plan_link)
            continue
        if parts[:1] == ("plans",):  # a plan's source document
            plans.setdefault(change.path, Link("Văn bản gốc của kế hoạch", base_url + "ke-hoach/", change.path))
            continue
        if parts[:1] == ("content",) and change.path.endswith(".md"):
            address = _page_address(parts[1:])
            gone = not (root / change.path).is_file()
            title = f"/{address}" if gone else _page_title(root / change.path) or f"/{address}"
            pages[change.path] = Link(
                title, None if gone else base_url + address, change.path, "trang đã xóa" if gone else ""
            )
            continue
        other += 1
    for slug, link in list(removed.items()):
        if slug in stories:  # deleted from one group folder, added in another: the story is still there
            del removed[slug]
        elif slug in aliases:  # renamed, the old address kept as an alias: it leads to the new one
            note = f"đổi thành guong/{aliases[slug]}/, địa chỉ cũ vẫn chuyển tới đó"
            removed[slug] = Link(link.title, None, link.source, note)
    return PreviewLinks(
        base_url,
        tuple(stories[slug] for slug in sorted(stories)),
        tuple(removed[slug] for slug in sorted(removed)),
        tuple(plans[path] for path in sorted(plans)),
        tuple(pages[path] for path in sorted(pages)),
        other,
    )


def _profile_folder(root: Path, path: str) -> Path | None:
    """The profile folder a file belongs to (the nearest folder with an `index.md`), if it still exists."""
    exemplars = root / "exemplars"
    folder = (root / path).parent
    while folder != exemplars and exemplars in folder.parents:
        if (folder / "index.md").is_file():
            return folder
        folder = folder.parent
    return None


def _story_link(root: Path, folder: Path, base_url: str, change: Change) -> tuple[Link, list[str]]:
    """The story's link, and its former slugs (`aliases`)."""
    slug = folder.name
    source = (folder / "index.md").relative_to(root).as_posix()
    loaded = load_profile(folder / "index.md", source).source
    data = loaded.data if loaded is not None and isinstance(loaded.data, dict) else {}
    name = data.get("name")
    title = name.strip() if isinstance(name, str) and name.strip() else slug
    former = data.get("aliases")
    former = [a for a in former if isinstance(a, str)] if isinstance(former, list) else []
    if data.get("draft") is True:
        return Link(title, None, source, "bản nháp, không đăng kể cả trên trang xem trước"), former
    if change.path == source and change.status == "A":
        note = "mới"
    elif change.path == source:
        note = "đã sửa"
    else:
        note = "đã sửa ảnh hoặc tệp kèm theo"
    return Link(title, f"{base_url}guong/{slug}/", source, note), former


def _plan_link(root: Path, path: str, base_url: str) -> Link:
    name = PurePosixPath(path).stem
    if name in ("fields", "provinces"):
        address = "linh-vuc/" if name == "fields" else "dia-phuong/"
        title = "Danh mục lĩnh vực" if name == "fields" else "Danh mục tỉnh, thành phố"
        return Link(title, base_url + address, path)
    if not (root / path).is_file():
        return Link(f"ke-hoach/{name}/", None, path, "kế hoạch đã xóa")
    loaded = load_yaml_file(root / path, path).source
    data = loaded.data if loaded is not None and isinstance(loaded.data, dict) else {}
    title = data.get("title")
    return Link(
        title.strip() if isinstance(title, str) and title.strip() else name, f"{base_url}ke-hoach/{name}/", path
    )


def _page_title(path: Path) -> str:
    """A hand-written page's first `# heading`, if it has one."""
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return ""


def _page_address(parts: Sequence[str]) -> str:
    """`gioi-thieu.md` → `gioi-thieu/`, `index.md` → `` (home), `a/index.md` → `a/` (MkDocs' directory URLs)."""
    *folders, name = parts
    stem = name[: -len(".md")]
    segments = [*folders] if stem in ("index", "README") else [*folders, stem]
    return "".join(f"{segment}/" for segment in segments)


def markdown_text(text: str) -> str:
    """Content typed by a contributor, made inert in a GitHub comment: no links, images, mentions or markup."""
    special = set("\\`*_[]<>#!|~@:")
    return "".join(f"\\{c}" if c in special else c for c in " ".join(text.split()))


def render_comment(links: PreviewLinks, *, fork: bool = False, artifact_url: str = "") -> str:
    """The pull request's comment (Markdown, Vietnamese), or the run summary of a pull request from a fork."""
    env = Environment(
        loader=PackageLoader("build_tools", "templates"),
        autoescape=False,  # Markdown for GitHub; contributor text goes through markdown_text
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["md"] = markdown_text
    template = env.get_template("preview_comment.md.j2")
    return template.render(links=links, listed=LISTED, fork=fork, artifact_url=artifact_url)
