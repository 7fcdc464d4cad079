"""How plan progress and statistics scale with the collection, and how heavy their pages are for a phone.

    .venv/bin/python benchmarks/progress_statistics.py [--exemplars 10000]

Builds a synthetic catalogue in memory from the real plans and taxonomies (no files written, no MkDocs), then times
progress, statistics and CSV, and separately the rendering of the statistics, comparison and plan pages.
Goals: under 1 s for 10,000 exemplars on the 2-core reference machine; the statistics page's generated Markdown
stays under 150 KB whatever the collection size (it grows with fields and provinces, not with stories).
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
from pathlib import Path

from build_tools.content.catalogue import build_catalogue
from build_tools.content.config import load_project
from build_tools.content.gather import load_plans, load_taxonomies
from build_tools.content.model import KINDS, Exemplar
from build_tools.site.compare import build_comparisons
from build_tools.site.pages import _page as render_page
from build_tools.site.pages import _render_comparisons as render_comparisons
from build_tools.site.pages import _render_statistics as render_statistics
from build_tools.site.progress import build_progress, resolve_content_date
from build_tools.site.statistics import build_statistics, render_statistics_csv

ROOT = Path(__file__).resolve().parents[1]
GOAL_SECONDS = 1.0
GOAL_PAGE_BYTES = 150_000


def synthetic(count: int, plans, fields, provinces) -> list[Exemplar]:
    rng = random.Random(8)  # fixed seed: the same collection every run
    plan_list = list(plans.values())
    field_ids, province_ids = list(fields), list(provinces)
    exemplars = []
    for n in range(count):
        plan = rng.choice(plan_list) if rng.random() < 0.6 else None
        province = plan.province if plan else rng.choice(province_ids)
        exemplars.append(
            Exemplar(
                slug=f"guong-{n}",
                name=f"Gương {n}",
                kind=rng.choice(list(KINDS)),
                fields=tuple(rng.sample(field_ids, rng.choice((1, 1, 2)))),
                province=province,
                summary="Tóm tắt.",
                published=dt.date(2021, 1, 1) + dt.timedelta(days=rng.randrange(1600)),
                body_markdown="Câu chuyện.",
                source_path=f"exemplars/guong-{n}/index.md",
                plans=(plan.id,) if plan else (),
            )
        )
    return exemplars


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--exemplars", type=int, default=10_000)
    args = parser.parse_args(argv)
    project = load_project(ROOT)
    fields, provinces, _ = load_taxonomies(project)
    plans, _ = load_plans(project, fields, provinces)
    catalogue, _ = build_catalogue(synthetic(args.exemplars, plans, fields, provinces), plans, fields, provinces)

    start = time.perf_counter()
    as_of = resolve_content_date(project.settings.content_date, catalogue)
    progress = build_progress(catalogue, as_of)
    stats = build_statistics(catalogue, as_of)
    csv_files = render_statistics_csv(stats)
    computed = time.perf_counter() - start

    # Render the pages this work adds or changes. Not the story pages: they would dominate the timing
    # (Catalogue.related is quadratic in the collection, a known issue outside this benchmark's scope).
    start = time.perf_counter()
    comparisons = build_comparisons(catalogue, progress)
    common = dict(cat=catalogue, settings=project.settings, photos={}, as_of=as_of, progress=progress,
                  comparisons=comparisons)  # fmt: skip
    pages: dict[str, str] = {}

    def add(path: str, template: str, meta: dict[str, object], **context: object) -> None:
        pages[path] = render_page(template, path.removesuffix("index.md"), meta, feeds=[], **common, **context)

    render_statistics(catalogue, as_of, add)
    render_comparisons(comparisons, add)
    for plan in catalogue.plans.values():
        add(f"ke-hoach/{plan.id}/index.md", "plan.md.j2", {"title": plan.title}, plan=plan,
            today=catalogue.today(plan.province), exemplars=catalogue.by_plan.get(plan.id, ()))  # fmt: skip
    rendered = time.perf_counter() - start

    stats_page = len(pages["thong-ke/index.md"].encode("utf-8"))
    plan_pages = {p: len(pages[f"ke-hoach/{p}/index.md"].encode("utf-8")) for p in plans}
    print(f"exemplars: {args.exemplars}, plans: {len(plans)}, content date: {as_of.isoformat()}")
    print(f"progress + statistics + CSV: {computed:.3f} s (goal < {GOAL_SECONDS} s)")
    print(f"render statistics, comparison and plan pages: {rendered:.3f} s for {len(pages)} pages")
    print(f"/thong-ke/ page: {stats_page / 1000:.1f} KB Markdown (goal < {GOAL_PAGE_BYTES / 1000:.0f} KB)")
    print(f"CSV files: {sum(len(b) for b in csv_files.values()) / 1000:.1f} KB in {len(csv_files)} files")
    for plan_id, size in plan_pages.items():
        print(f"/ke-hoach/{plan_id}/: {size / 1000:.1f} KB Markdown, {progress[plan_id].total} exemplars")
    ok = computed < GOAL_SECONDS and stats_page < GOAL_PAGE_BYTES
    print("OK" if ok else "GOAL MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
