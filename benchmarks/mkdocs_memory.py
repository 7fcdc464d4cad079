"""Benchmark: the peak memory (and time) of the MkDocs stage alone, on the generated folder of a built corpus.

    .venv/bin/python -m benchmarks.corpus /tmp/x-c100k 100000 && .venv/bin/exemplars --root /tmp/x-c100k build
    .venv/bin/python benchmarks/mkdocs_memory.py /tmp/x-c100k /tmp/x-mkdocs [--plain] [--workers 2] [--events]

The corpus is only read: a scratch project is made in the second folder (its `mkdocs.yml` pointed at this checkout's
theme, its `content/` copied, its `.generated/` hard-linked from the corpus's; made once, reused by later runs), and
MkDocs renders it there into a staging folder, as `exemplars build` does after generating (`render_site`), in a
process forked from this one. Prints that process's peak RSS and its largest child's (the forked renderers), in MiB,
as `wait4` reports them (what `exemplars build --timings` and `/usr/bin/time -v` report), the wall time and the CPU
time (the renderers' included).
`--events`: also the resident and peak memory of each process at each step of the plugin (files, navigation,
templates, after the pages rendered through shells, end), to see where the memory goes.
Each run starts without kept rendered pages (`.cache/rendered` removed) unless `--warm`: every page is rendered.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.memory import in_child  # noqa: E402
from build_tools.content.config import load_project  # noqa: E402
from build_tools.mkdocs.plugin import ExemplarsPlugin  # noqa: E402
from build_tools.mkdocs.render import render_site  # noqa: E402


def scratch_project(corpus: Path, folder: Path) -> Path:
    """A project that holds the corpus's generated folder (hard links) and this checkout's theme."""
    if not (folder / ".generated").is_dir():
        folder.mkdir(parents=True, exist_ok=True)
        shutil.rmtree(folder / "content", ignore_errors=True)
        shutil.copytree(corpus / "content", folder / "content")
        shutil.copytree(corpus / ".generated", folder / ".generated.partial", copy_function=os.link)
        os.rename(folder / ".generated.partial", folder / ".generated")
    lines = (corpus / "mkdocs.yml").read_text(encoding="utf-8").splitlines(keepends=True)
    theme = f"  custom_dir: {ROOT / 'build_tools' / 'theme'}\n"
    (folder / "mkdocs.yml").write_text(
        "".join(theme if line.strip().startswith("custom_dir:") else line for line in lines), encoding="utf-8"
    )
    return folder


def _memory() -> str:
    """This process's resident and peak resident memory, from /proc."""
    status = dict(
        line.split(":", 1) for line in Path("/proc/self/status").read_text().splitlines() if line.startswith("Vm")
    )
    rss, hwm = (int(status[name].split()[0]) / 1024 for name in ("VmRSS", "VmHWM"))
    return f"{rss:,.0f} MiB (peak {hwm:,.0f})"


def _reporting(name: str, method: Callable[..., Any]) -> Callable[..., Any]:
    def wrapped(self: ExemplarsPlugin, *args: Any, **kwargs: Any) -> Any:
        print(f"  [{os.getpid()} share {self.share}] before {name}: {_memory()}", flush=True)
        result = method(self, *args, **kwargs)
        print(f"  [{os.getpid()} share {self.share}] after {name}: {_memory()}", flush=True)
        return result

    return wrapped


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("corpus", type=Path, help="a corpus built once (its .generated/ is read)")
    parser.add_argument("scratch", type=Path, help="where the scratch project is made (or reused)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--plain", action="store_true", help="plain mode, as `mkdocs build`")
    parser.add_argument("--warm", action="store_true", help="keep the rendered pages of the previous run")
    parser.add_argument("--events", action="store_true", help="memory at each step of the plugin")
    arguments = parser.parse_args()
    folder = scratch_project(arguments.corpus.resolve(), arguments.scratch.resolve())
    if not arguments.warm:
        shutil.rmtree(folder / ".cache" / "rendered", ignore_errors=True)
    if arguments.events:
        for name in ("on_files", "on_nav", "on_env", "on_post_build"):
            setattr(ExemplarsPlugin, name, _reporting(name, getattr(ExemplarsPlugin, name)))
    project = load_project(folder)
    staging = folder / "site.building"
    pages = sum(1 for _ in (folder / ".generated").rglob("*.md"))
    print(f"{pages:,} generated pages; MkDocs stage, {'plain' if arguments.plain else 'fast'} mode:", flush=True)
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1750000000")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    own, children, wall = in_child(
        lambda: render_site(project, staging, arguments.workers, plain=arguments.plain, shells=not arguments.plain)
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    files = sum(len(names) for _, _, names in os.walk(staging))
    print(
        f"peak RSS: {own:,.0f} MiB, its largest child {children:,.0f} MiB; {wall:.1f} s (CPU {cpu:.1f} s, renderers "
        f"included); {files:,} files written"
    )
    shutil.rmtree(staging, ignore_errors=True)


if __name__ == "__main__":
    main()
