"""Where the bytes and files of a built site go: grouped by kind, and a story page cut into its parts.

The lean-output targets of issue 21 (whole output ≤ 300 MB and ≤ 25,000 files at 10,000 profiles, a story page
≤ 20 KB of HTML) are reached by cutting what every story repeats; this shows what that is, before and after.

    python -m benchmarks.corpus /tmp/c10k 10000 && .venv/bin/exemplars --root /tmp/c10k build
    .venv/bin/python benchmarks/output_budget.py /tmp/c10k/site            # a Markdown report
    .venv/bin/python benchmarks/output_budget.py /tmp/c10k/site --json     # the same figures as JSON

Files hard-linked from `.cache/` (photo variants, cards, pages rendered through shells) are counted like any
other file: a deploy uploads them all; the report also says how many of them are links.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import statistics
import sys
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path

KINDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("story HTML", re.compile(r"^guong/[^/]+/index\.html$")),
    # A photo's crop beside its story; the field cards that stories without a photo share (a card per story before).
    ("share cards", re.compile(r"^(guong/[^/]+/[^/]*card\.(png|jpg)|linh-vuc/[^/]+/card(-mau)?\.png)$")),
    ("photo thumbnails", re.compile(r"^guong/[^/]+/[^/]*-thumb\.(webp|jpg)$")),
    ("photo variants", re.compile(r"^guong/[^/]+/[^/]+\.(webp|jpg|jpeg|png)$")),
    ("story lists (all stories, by year)", re.compile(r"^nguoi-tot-viec-tot/.*\.html$")),
    ("field, province, kind pages", re.compile(r"^(linh-vuc|dia-phuong|loai)/.*\.html$")),
    ("feeds", re.compile(r"(^|/)(feed\.xml|atom\.xml|feed\.json)$")),
    ("search index", re.compile(r"^search/")),
    ("open data", re.compile(r"^du-lieu/.*\.(json|csv)$")),
    ("statistics data", re.compile(r"^thong-ke/.*\.csv$")),
    ("theme assets (Material, ours)", re.compile(r"^assets/")),
    ("sitemap", re.compile(r"^sitemap\.xml(\.gz)?$")),
    ("form editor (/admin/)", re.compile(r"^admin/")),
    ("other pages", re.compile(r"\.html$")),
)
"""First match wins: cards and thumbnails before the other images of a story folder."""

STORY_PARTS: tuple[tuple[str, str, str], ...] = (
    ("head: inline scripts", "<head>", "</head>"),
    ("header (logo, search box, icons)", '<header class="md-header"', "</header>"),
    ("tabs", '<nav class="md-tabs"', "</nav>"),
    ("sidebars (navigation, table of contents)", '<div class="md-sidebar', '<div class="md-content"'),
    ("article", "<article", "</article>"),
    ("footer", '<footer class="md-footer"', "</footer>"),
    ("after the footer (config, scripts)", "</footer>", "</html>"),
)
"""Parts of a story page, each from its first marker to its end marker (the sidebars: up to the content)."""


@dataclass
class Group:
    files: int = 0
    bytes: int = 0
    linked: int = 0
    """Files with more than one link: hard-linked from `.cache/`."""


@dataclass
class Budget:
    total_files: int
    total_bytes: int
    groups: dict[str, Group]
    story_pages: int
    story_median: int
    story_max: int
    story_gzip_median: int
    """What a reader's browser downloads of a story page (gzip level 6, as benchmarks/serve.py sends it)."""
    story_parts: dict[str, int] = field(default_factory=dict)
    """Median bytes of each part over the story pages."""
    card_median: int = 0
    card_max: int = 0
    story_cards: int = 0
    """Story cards (`ul.ex-cards > li`) on all pages: a story's card is on each of its lists and under other stories."""
    story_card_bytes: int = 0


def classify(relative: str) -> str:
    for kind, pattern in KINDS:
        if pattern.search(relative):
            return kind
    return "other files"


def story_parts(html: str) -> dict[str, int]:
    """Bytes of each part of one story page; `head` is split into its inline scripts and styles and the rest."""
    parts: dict[str, int] = {}
    head_start, head_end = html.find("<head>"), html.find("</head>")
    head = html[head_start:head_end]
    inline = sum(len(m.group(0).encode()) for m in re.finditer(r"<script(?![^>]*\bsrc=)[^>]*>.*?</script>", head, re.S))
    styles = sum(len(m.group(0).encode()) for m in re.finditer(r"<style[^>]*>.*?</style>", html, re.S))
    parts["head: inline scripts (JSON-LD included)"] = inline
    parts["head: inline CSS"] = styles
    parts["head: the rest (meta, links)"] = len(head.encode()) - inline - styles
    for name, start, end in STORY_PARTS[1:]:
        i = html.find(start)
        j = html.find(end, i + 1) if i >= 0 else -1
        parts[name] = len(html[i : j + (0 if end.startswith("<div") else len(end))].encode()) if i >= 0 <= j else 0
    parts["inline SVG icons (in the parts above)"] = sum(
        len(m.group(0).encode()) for m in re.finditer(r"<svg.*?</svg>", html, re.S)
    )
    parts["whole page"] = len(html.encode())
    return parts


def measure(site: Path) -> Budget:
    groups: dict[str, Group] = defaultdict(Group)
    story_sizes: list[int] = []
    story_gzip: list[int] = []
    card_sizes: list[int] = []
    story_cards = story_card_bytes = 0
    parts: dict[str, list[int]] = defaultdict(list)
    total_files = total_bytes = 0
    for path in sorted(site.rglob("*")):
        if not path.is_file():
            continue
        relative = path.relative_to(site).as_posix()
        stat = path.stat()
        kind = classify(relative)
        group = groups[kind]
        group.files += 1
        group.bytes += stat.st_size
        group.linked += stat.st_nlink > 1
        total_files += 1
        total_bytes += stat.st_size
        if relative.endswith(".html"):
            html = path.read_text(encoding="utf-8")
            for cards in re.finditer(r'<ul class="ex-cards">(.*?)</ul>', html, re.S):
                items = re.findall(r"<li\b.*?</li>", cards.group(1), re.S)
                story_cards += len(items)
                story_card_bytes += sum(len(item.encode()) for item in items)
        if kind == "story HTML":
            if 'http-equiv="refresh"' in html[:2000]:  # a former slug's redirect, not a story
                continue
            story_sizes.append(stat.st_size)
            story_gzip.append(len(gzip.compress(html.encode("utf-8"), 6)))
            for name, size in story_parts(html).items():
                parts[name].append(size)
        elif kind == "share cards":
            card_sizes.append(stat.st_size)
    return Budget(
        total_files=total_files,
        total_bytes=total_bytes,
        groups=dict(sorted(groups.items(), key=lambda item: -item[1].bytes)),
        story_pages=len(story_sizes),
        story_median=round(statistics.median(story_sizes)) if story_sizes else 0,
        story_max=max(story_sizes, default=0),
        story_gzip_median=round(statistics.median(story_gzip)) if story_gzip else 0,
        story_parts={name: round(statistics.median(sizes)) for name, sizes in parts.items()},
        card_median=round(statistics.median(card_sizes)) if card_sizes else 0,
        card_max=max(card_sizes, default=0),
        story_cards=story_cards,
        story_card_bytes=story_card_bytes,
    )


def report(budget: Budget) -> str:
    mb = 1_000_000
    lines = [
        f"Output: {budget.total_bytes / mb:.1f} MB in {budget.total_files:,} files"
        # Per story: what 10,000 and 100,000 profiles compare by (the targets: 300 MB and 3 GB, 30 kB a story).
        f"{f', {budget.total_bytes / budget.story_pages / 1000:.1f} kB per story' if budget.story_pages else ''}.",
        "",
        "| kind | files | MB | share of bytes | hard-linked from .cache |",
        "|---|---:|---:|---:|---:|",
    ]
    for kind, group in budget.groups.items():
        share = group.bytes / budget.total_bytes if budget.total_bytes else 0
        lines.append(f"| {kind} | {group.files:,} | {group.bytes / mb:.1f} | {share:.0%} | {group.linked:,} |")
    lines += [
        "",
        f"Story pages: {budget.story_pages:,}, HTML median {budget.story_median / 1000:.1f} kB, "
        f"largest {budget.story_max / 1000:.1f} kB, gzip median {budget.story_gzip_median / 1000:.1f} kB. "
        f"Share cards: median {budget.card_median / 1000:.1f} kB, "
        f"largest {budget.card_max / 1000:.1f} kB.",
        f"Story cards, on every list and under every story: {budget.story_cards:,}, "
        f"{budget.story_card_bytes / mb:.1f} MB"
        f"{f', {budget.story_card_bytes / budget.story_pages / 1000:.2f} kB a story' if budget.story_pages else ''}.",
        "",
        "| part of a story page (median) | kB |",
        "|---|---:|",
    ]
    lines += [f"| {name} | {size / 1000:.1f} |" for name, size in budget.story_parts.items()]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path, help="a built site folder (site/)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    budget = measure(args.site)
    print(json.dumps(asdict(budget), indent=2) if args.json else report(budget))
    return 0


if __name__ == "__main__":
    sys.exit(main())
