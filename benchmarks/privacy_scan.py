"""The privacy scan of every output, alone: its cost on a generated folder, and its findings against other rules.

    # the cold scan (no memory) of a built corpus's generated folder, in 2 workers as the build runs it
    .venv/bin/python benchmarks/privacy_scan.py time /tmp/s100k/corpus-10000/.generated
    # the same findings as older rules, on real outputs with personal data planted in them and on hostile text
    git show c93c350:build_tools/content/privacy.py > /tmp/privacy_before.py
    .venv/bin/python benchmarks/privacy_scan.py compare /tmp/s100k/corpus-10000/.generated /tmp/privacy_before.py

Results in benchmarks/README.md ("Seventh session: the privacy scan").
"""

from __future__ import annotations

import argparse
import importlib.util
import random
import resource
import sys
import time
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from build_tools import generate  # noqa: E402
from build_tools.content import privacy  # noqa: E402
from build_tools.content.scanned import ScanMemory  # noqa: E402
from build_tools.engine.parallel import fork_map  # noqa: E402

PLANTED = [
    *("0912345678", "0912 345 678", "0912.345.678", "091-234-5678", "+84 912 345 678", "(+84) 24 3826 1234"),
    *("84 912 345 678", "024 3826 1234", "(0228) 3812 345", "0168 123 4567", "tel:0912345678", "036185001234"),
    *("zalo.me/0912345678", "001 089 012 345", "162345678", "162345678 đồng", "162345678" + " " * 90 + "đồng"),
    *("huong.nt@gmail.com", "Huong.NT@Yahoo.com.vn", "vanphong@namdinh.gov.vn", "0912\u00a0345\u00a0678"),
    *("0912\u2013345\u2013678", "\uff10\uff19\uff11\uff12\uff13\uff14\uff15\uff16\uff17\uff18", "0912\n345 678"),
    *("0912&#32;345&#x20;678", "huong&#64;gmail.com", "huong%40gmail.com", "huong\uff20gmail.com", "0912<br>345678"),
    *("09<em>12</em>345678", "mã số thuế 0301234567", "MST 0301234567", "12/05/2023 0912345678", "05/2023–06/2024"),
    *("1.200.000.000 đồng", "https://baonamdinh.vn/tin-tuc/123456789/x.html", "0084 912 345 678", "a@b.cd"),
    *("&lt;b&gt;0912&lt;/b&gt;345678", "%30%39%31%32%33%34%35%36%37%38", "x" * 200 + "@gmail.com", "09 12 34 56 78"),
    *("2025 2024 2023 2022", "099999999999999", "<!-- 0912345678 -->", "<script>0912345678</script>", "@type"),
    *('href="tel:0912345678"', "&commat;gmail.com", "MÃ SỐ THUẾ", "0912 345", "678", "\u017ft", "%C3%A1%E1%BB"),
]
"""Personal data in the spellings the rules know, the numbers they must let pass, and the pieces of both."""

HOSTILE = [*"0129 .-+()/@ađ\u0663\n\u00a0\u2013\uff10_xX<>", "&#48;", "&#64;", "%40", "%30", "<em>", "</em>", "<p>"]
HOSTILE += ["gmail.com", "mã số thuế", "MST", "đồng", "tel:", "https://", "12/05/2023", "+84", "0084", "@context"]


def _cpu_of_workers() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def time_scan(generated: Path, workers: int) -> None:
    """Every file of `generated` scanned as a cold build scans it: nothing remembered."""
    paths = sorted(p.relative_to(generated).as_posix() for p in generated.rglob("*") if p.is_file())
    wall, cpu = time.perf_counter(), _cpu_of_workers()
    scans = fork_map(generate._scan_share, paths, shared=(generated, ScanMemory()), workers=workers)
    wall, cpu = time.perf_counter() - wall, _cpu_of_workers() - cpu
    found = sum(len(scan.findings) for scan in scans)
    print(f"{len(paths)} files, {found} findings: wall {wall:.1f} s, CPU of the {workers} workers {cpu:.1f} s")


def _load(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("privacy_before", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def _plant(text: str, rng: random.Random) -> str:
    for _ in range(rng.randint(1, 6)):
        at = rng.randrange(len(text) + 1)
        text = text[:at] + rng.choice(PLANTED) + text[at:]
    return text


def _variants(path: str, data: bytes, rng: random.Random) -> list[bytes]:
    """The file as built, three copies with personal data planted, and a short stretch (the rules' other path)."""
    text = data.decode("utf-8", "replace")
    if path.endswith((".json", ".csv")):  # planted inside strings and cells, without quotes or escapes
        parts = text.split('"')
        for number in range(1, len(parts), 2):
            if rng.random() < 0.05:
                parts[number] = _plant(parts[number], rng).replace("\\", "").replace('"', "").replace("\n", " ")
        return [data, '"'.join(parts).encode()]
    planted = _plant(text, rng)
    start = rng.randrange(max(1, len(planted) - 3000))
    short = planted[start : start + rng.randint(50, 3900)]
    return [data, *(_plant(text, rng).encode() for _ in range(3)), short.encode()]


def _seen(findings: list[privacy.Finding]) -> list[tuple[str, str, str]]:
    return [(finding.kind, finding.text, finding.value) for finding in findings]


def compare(generated: Path, before: Path, files: int, strings: int, seed: int) -> int:
    """The findings of the rules in `before` and of today's, on outputs with personal data planted and on hostile
    text; the number of texts on which they differ."""
    old, rng = _load(before), random.Random(seed)
    paths = sorted(p.relative_to(generated).as_posix() for p in generated.rglob("*") if p.is_file())
    paths = [path for path in paths if privacy.reads_content(path)]
    texts = differ = found = 0
    for path in rng.sample(paths, min(files, len(paths))):
        for data in _variants(path, (generated / path).read_bytes(), rng):
            expected = _seen(old.findings_in_output(path, data))
            texts, found = texts + 1, found + len(expected)
            if _seen(privacy.findings_in_output(path, data)) != expected:
                differ += 1
                print(f"differ: {path}")
    for number in range(strings):
        text = "".join(rng.choice(HOSTILE) for _ in range(rng.randint(1, 40)))
        text = (text + " ") * rng.randint(100, 300) if number % 10 == 0 else text  # long: scanned in stretches
        expected = _seen(old.find_personal_data(text))
        texts, found = texts + 1, found + len(expected)
        same = _seen(privacy.find_personal_data(text)) == expected
        if not same or _seen(privacy.findings_in_output("a.md", text.encode())) != _seen(
            old.findings_in_output("a.md", text.encode())
        ):
            differ += 1
            print(f"differ: {text[:80]!r}")
    print(f"{texts} texts, {found} findings under the rules before, {differ} texts whose findings differ")
    return differ


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    timed = commands.add_parser("time", help="the cold scan of a generated folder")
    timed.add_argument("generated", type=Path)
    timed.add_argument("--workers", type=int, default=2)
    compared = commands.add_parser("compare", help="the same findings as the rules of another privacy.py")
    compared.add_argument("generated", type=Path)
    compared.add_argument("before", type=Path, help="privacy.py as it was (git show <commit>:build_tools/...)")
    compared.add_argument("--files", type=int, default=2000)
    compared.add_argument("--strings", type=int, default=20000)
    compared.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if args.command == "time":
        time_scan(args.generated.resolve(), args.workers)
    else:
        sys.exit(1 if compare(args.generated.resolve(), args.before, args.files, args.strings, args.seed) else 0)


if __name__ == "__main__":
    main()
