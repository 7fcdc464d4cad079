"""Benchmark: feeds and open data for N synthetic exemplars, beyond rendering the stories.

    .venv/bin/python benchmarks/feeds_data.py 100 1000 10000

For each N it prints the time to make the stories (`story.make_story`: page, search document, open-data record and
feed item, as every build does; not counted), the time to write every feed (site-wide RSS, Atom, JSON Feed, one RSS
per field and per province) and the open data, the largest feed, the data files' sizes and the peak memory of the
process. The corpus is deterministic (seeded) and uses the real taxonomies; one real photo, processed like any
other, is shared by a fifth of the exemplars.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from build_tools.content.catalogue import build_catalogue  # noqa: E402
from build_tools.content.config import load_project  # noqa: E402
from build_tools.content.gather import load_taxonomies  # noqa: E402
from build_tools.content.model import KINDS, Award, Exemplar, Photo  # noqa: E402
from build_tools.site.feeds import MAX_FEED_BYTES, render_feeds  # noqa: E402
from build_tools.site.opendata import render_open_data  # noqa: E402
from build_tools.site.photos import PhotoSet, process_photo  # noqa: E402
from build_tools.site.story import Images, make_story, story_context  # noqa: E402

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý"]
MIDDLE = ["Thị", "Văn", "Minh", "Thu", "Đức", "Ngọc", "Thanh", "Hữu", "Kim", "Quang"]
GIVEN = ["Hương", "Lan", "Nam", "Hùng", "Mai", "Tuấn", "Hoa", "Dũng", "Nguyệt", "Khoa", "Thảo", "Phúc", "Trang"]
_TEXT = (
    "người dân xã thôn bản hợp tác xã sản xuất kinh doanh giỏi giúp đỡ hộ nghèo vươn lên thoát nghèo bền vững "
    "mô hình cách làm hay sáng tạo chuyển đổi số học sinh giáo viên trạm y tế chăm sóc sức khỏe nhân dân "
    "phong trào thi đua yêu nước đóng góp ngày công hiến đất làm đường nông thôn mới văn hóa đoàn kết"
)
WORDS = _TEXT.split(" ")


def synthetic_corpus(n: int, fields: list[str], provinces: list[str], photo: Path) -> list[Exemplar]:
    rng = random.Random(20250701)
    exemplars = []
    for index in range(n):
        words = rng.randint(300, 600)
        paragraphs = [" ".join(rng.choices(WORDS, k=60)).capitalize() + "." for _ in range(words // 60)]
        published = dt.date(2019, 1, 1) + dt.timedelta(days=rng.randrange(2400))
        exemplars.append(
            Exemplar(
                slug=f"guong-{index:05d}",
                name=f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}",
                kind=rng.choice(list(KINDS)),
                fields=tuple(rng.sample(fields, rng.choice((1, 1, 2)))),
                province=rng.choice(provinces),
                summary=" ".join(rng.choices(WORDS, k=35)).capitalize() + ".",
                published=published,
                body_markdown="\n\n".join(paragraphs),
                source_path=f"exemplars/guong-{index:05d}/index.md",
                locality="Xã Mẫu, huyện Mẫu",
                awards=tuple(
                    Award("Bằng khen của Chủ tịch UBND tỉnh", f"Quyết định số {index}/QĐ-UBND", published)
                    for _ in range(rng.randint(0, 2))
                ),
                photo=Photo("anh.jpg", "Ảnh minh họa", "Ban biên tập", photo.as_posix()) if index % 5 == 0 else None,
                consent=True,
            )
        )
    return exemplars


class Clock:
    """Wall time and this process's CPU time: on a shared machine the CPU time is the steadier figure."""

    def __init__(self) -> None:
        self.wall, self.cpu = time.perf_counter(), time.process_time()

    def lap(self) -> str:
        wall, cpu = time.perf_counter(), time.process_time()
        text = f"{wall - self.wall:.2f} s (CPU {cpu - self.cpu:.2f} s)"
        self.wall, self.cpu = wall, cpu
        return text


def run(n: int, work: Path) -> dict[str, str]:
    project = load_project(ROOT)
    fields, provinces, _ = load_taxonomies(project)
    photo_path = work / "anh.jpg"
    if not photo_path.exists():
        Image.new("RGB", (2400, 1600), (200, 120, 40)).save(photo_path, "JPEG")
    photo_set: PhotoSet = process_photo(photo_path, work / "cache")
    exemplars = synthetic_corpus(n, sorted(fields), sorted(provinces), photo_path)
    cat, _ = build_catalogue(exemplars, {}, fields, provinces)
    photos = {e.slug: photo_set for e in exemplars if e.photo}

    clock = Clock()
    # Each story's feed item and open-data record are made with the story, as in a build (with its page).
    context = story_context(cat, project.settings, Images(photos, {}, {}), False, None)
    made = [make_story(e, context) for e in exemplars]
    items = {e.slug: story.feed_item for e, story in zip(exemplars, made, strict=True) if story.feed_item}
    records = {e.slug: story.record for e, story in zip(exemplars, made, strict=True) if story.record}
    stories = clock.lap()
    feeds = render_feeds(cat, project.settings, items)
    feeds_time = clock.lap()
    data = render_open_data(cat, project.settings, records.values(), work / f"data-{n}")
    data_time = clock.lap()

    largest = max(feeds.files, key=lambda path: len(feeds.files[path]))
    sizes = {f.path.removeprefix("du-lieu/"): f.size for f in data.files}
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "N": f"{n:,}",
        "stories (not counted)": stories,
        "feeds": f"{feeds_time} ({len(feeds.files)} files)",
        "open data": data_time,
        "largest feed": f"{largest} {len(feeds.files[largest]) / 1e6:.2f} MB",
        "feeds cut": str(len(feeds.warnings)),
        "exemplars.json": f"{sizes['exemplars.json'] / 1e6:.1f} MB",
        "exemplars.csv": f"{sizes['exemplars.csv'] / 1e6:.1f} MB",
        "peak memory": f"{peak:.0f} MiB",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[100, 1000, 10000])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        rows = [run(n, Path(folder)) for n in args.sizes]
    print(f"Feed limit {MAX_FEED_BYTES / 1e6:.0f} MB; feed_items from mkdocs.yml.\n")
    headers = list(rows[0])
    print("| " + " | ".join(headers) + " |")
    print("|" + "---|" * len(headers))
    for row in rows:
        print("| " + " | ".join(row[h] for h in headers) + " |")


if __name__ == "__main__":
    main()
