"""Load and check everything the site is made from: taxonomies, plans, then every profile (spread over workers,
unchanged ones remembered), then the rules across files; the catalogue the rest of the build renders."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..engine.codestamp import keep_facts_in
from ..engine.parallel import fork_map, shared, worker_count
from ..engine.timings import Stage, Timings, optional_stage
from .catalogue import Catalogue, build_catalogue
from .checked import Stamp, load_checked, save_checked, scope_stamp
from .config import Project
from .discover import find_profiles
from .load import link_problem, load_profile, load_yaml_file
from .model import Exemplar, Field, Plan, Province
from .problems import ContentError, Problem
from .schema.builders import build_exemplar, build_fields, build_plan, build_provinces
from .schema.plan import validate_plan
from .schema.profile import validate_profile
from .schema.taxonomies import validate_taxonomies
from .schema.vocabulary import Vocabulary


@dataclass(frozen=True)
class Content:
    """Everything read and checked; `exemplars` includes drafts (callers decide whether to publish them)."""

    fields: dict[str, Field]
    provinces: dict[str, Province]
    plans: dict[str, Plan]
    exemplars: list[Exemplar]
    digests: dict[str, bytes]
    """Each profile's bytes as `check` read them (`checked.Stamp.content`), by slug: a story's key takes its profile
    from here rather than reading the file again (`story.profile_digest`)."""


def load_taxonomies(project: Project) -> tuple[dict[str, Field], dict[str, Province], list[Problem]]:
    linked = [
        Problem(f"plans/{name}", None, None, message)
        for name in ("fields.yml", "provinces.yml")
        if (message := link_problem(project.plans_dir / name, project.root)) is not None
    ]
    if linked:
        return {}, {}, linked
    fields_result = load_yaml_file(project.plans_dir / "fields.yml", "plans/fields.yml")
    provinces_result = load_yaml_file(project.plans_dir / "provinces.yml", "plans/provinces.yml")
    problems = fields_result.problems + provinces_result.problems
    if fields_result.source is None or provinces_result.source is None or problems:
        return {}, {}, problems
    problems = validate_taxonomies(fields_result.source, provinces_result.source)
    if problems:
        return {}, {}, problems
    return build_fields(fields_result.source), build_provinces(provinces_result.source), []


def load_plans(
    project: Project, fields: dict[str, Field], provinces: dict[str, Province]
) -> tuple[dict[str, Plan], list[Problem]]:
    plans: dict[str, Plan] = {}
    problems: list[Problem] = []
    vocabulary = {"fields": list(fields), "provinces": list(provinces)}
    for path in sorted(project.plans_dir.glob("*.yml")):
        if path.name in ("fields.yml", "provinces.yml"):
            continue
        linked = link_problem(path, project.root)
        if linked is not None:
            problems.append(Problem(project.shown(path), None, None, linked))
            continue
        result = load_yaml_file(path, project.shown(path))
        problems += result.problems
        if result.source is None:
            continue
        found = validate_plan(result.source, path.stem, vocabulary)
        problems += found
        source_name = result.source.data.get("source") if isinstance(result.source.data, dict) else None
        source_problem = _plan_source_problem(project, source_name) if isinstance(source_name, str) else None
        if source_problem is not None:
            found = [
                *found,
                Problem(result.source.path, result.source.lines.get("source", 1), "source", source_problem),
            ]
            problems += found[-1:]
        elif isinstance(source_name, str) and not (project.plans_dir / "sources" / source_name).is_file():
            found = [
                *found,
                Problem(
                    result.source.path,
                    result.source.lines.get("source", 1),
                    "source",
                    f"không tìm thấy văn bản gốc `plans/sources/{source_name}`. Hãy thêm văn bản gốc vào thư mục đó.",
                ),
            ]
            problems += found[-1:]
        if not found and not result.problems:
            plan = build_plan(result.source)
            plans[plan.id] = plan
    return plans, problems


def _plan_source_problem(project: Project, name: str) -> str | None:
    """A plan's `source` names a file in plans/sources/: never a path elsewhere, never a link."""
    if "/" in name or "\\" in name or name.startswith("."):
        return (
            f"`{name}` là một đường dẫn. Chỉ ghi tên tệp văn bản gốc nằm trong thư mục plans/sources/, "
            "ví dụ `source: 002_6f18d55fef7a3bb5.txt`."
        )
    return link_problem(project.plans_dir / "sources" / name, project.root)


def load_content(project: Project, workers: int = 1, progress: Stage | None = None) -> Content:
    """Read and check everything; raise `ContentError` with every problem found, across all files."""
    keep_facts_in(project.cache_dir)  # every stamp of the build's caches reads the code's facts from there
    fields, provinces, problems = load_taxonomies(project)
    if problems:
        raise ContentError(problems)
    plans, problems = load_plans(project, fields, provinces)
    plan_ids = [path.stem for path in project.plans_dir.glob("*.yml") if path.stem not in ("fields", "provinces")]
    vocabulary = Vocabulary(fields, provinces, plan_ids, project.settings.content_date)
    paths, found = find_profiles(project)
    problems += found
    scope = scope_stamp(vocabulary)
    remembered = load_checked(project.root, project.cache_dir, scope)
    exemplars: list[Exemplar] = []
    digests: dict[str, bytes] = {}
    checked: dict[str, tuple[Stamp, Exemplar]] = {}
    loaded = fork_map(
        _load_profiles, paths, shared=(project, vocabulary, remembered), workers=workers, progress=progress
    )
    for path, (profile_problems, exemplar, stamp) in zip(paths, loaded, strict=True):
        problems += profile_problems
        key = remembered.key(path)
        if exemplar == _REMEMBERED:  # a string, pickled back from a worker
            exemplar = remembered.entries[key][1]
        if isinstance(exemplar, Exemplar):
            exemplars.append(exemplar)
            digests[exemplar.slug] = stamp.content
            if not profile_problems:
                checked[key] = (stamp, exemplar)
    save_checked(project.cache_dir, remembered, checked)
    if problems:
        # The rules across files too (duplicate slugs, aliases), so one run reports all that can be known now.
        checkable = [e for e in exemplars if all(plan in plans for plan in e.plans)]
        problems += build_catalogue(checkable, plans, fields, provinces)[1]
        raise ContentError(problems)
    return Content(fields, provinces, plans, exemplars, digests)


_REMEMBERED = "remembered"
"""A worker's answer for a profile that `checked.py` remembers unchanged: the build's process has it already."""


def _load_profiles(paths: Sequence[Path]) -> list[tuple[list[Problem], Exemplar | str | None, Stamp]]:
    """Per-file rules for a share of the profiles (in a worker process when there are several)."""
    project, vocabulary, remembered = shared()
    loaded: list[tuple[list[Problem], Exemplar | str | None, Stamp]] = []
    for path in paths:
        stamp, known = remembered.stamp(path)
        if known is not None:
            loaded.append(([], _REMEMBERED, stamp))
            continue
        result = load_profile(path, project.shown(path))
        if result.source is None:
            loaded.append((result.problems, None, stamp))
            continue
        slug = path.parent.name
        found = validate_profile(result.source, slug, path.parent, vocabulary)
        good = not found and not result.problems
        exemplar = build_exemplar(result.source, slug, path.parent) if good else None
        loaded.append((result.problems + found, exemplar, stamp))
    return loaded


def check(project: Project, workers: int | None = None, timings: Timings | None = None) -> Catalogue:
    """`exemplars check`: every rule, per file and across files, drafts included."""
    with optional_stage(timings, "check") as stage:
        content = load_content(project, worker_count(workers), stage)
        catalogue, problems = build_catalogue(content.exemplars, content.plans, content.fields, content.provinces)
    if problems:
        raise ContentError(problems)
    return catalogue


def gather(project: Project, drafts: bool = False, workers: int = 1, progress: Stage | None = None) -> Catalogue:
    content = load_content(project, workers, progress)
    # Drafts are checked like any profile, so errors surface before publication, but only `serve` shows them.
    catalogue, problems = build_catalogue(
        content.exemplars, content.plans, content.fields, content.provinces, content.digests, drafts=drafts
    )
    if problems:
        raise ContentError(problems)
    return catalogue
