#!/usr/bin/env bash
# One entry point for every routine task, so a newcomer, CI and the Makefile run exactly the same steps.
#
#   bash tasks.sh build [--site-url URL]   set up .venv, check the content, build the site into site/
#   bash tasks.sh test     set up .venv and the test tools (Chromium…), lint, run the whole test suite
#   bash tasks.sh check    check profiles and plans only (`--format github`: annotations in CI)
#   bash tasks.sh serve    preview with live reload (drafts shown)
#   bash tasks.sh cms      try the form editor (/admin/) on this machine, without GitHub
#   bash tasks.sh golden   rewrite the golden pages after an intended template change
#   bash tasks.sh bench-search [--n N] [--pagefind]   search benchmark (benchmarks/README.md)
#   bash tasks.sh bench-scale [N ...]   full build at N profiles against Hugo (default 100 1000 10000)
#   bash tasks.sh screenshots   build, then photograph plan dashboards, statistics, a printed story, the form editor
set -euo pipefail
cd "$(dirname "$0")"

VENV=.venv
PY="$VENV/bin/python"

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "Cần quyền root để cài: $*" >&2; return 1; fi
}

apt_install() {
  # Debian/Ubuntu packages the project needs; installed only when missing.
  local missing=()
  for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "Cài gói hệ thống: ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

setup_python() {
  python3 -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' || {
    echo "Cần Python 3.11 trở lên." >&2; exit 1; }
  if [ ! -x "$PY" ]; then
    python3 -m venv "$VENV" 2>/dev/null || { apt_install python3-venv && python3 -m venv "$VENV"; }
  fi
  # Reinstall only when the dependency list changed.
  local stamp="$VENV/.installed-$(sha256sum pyproject.toml | cut -c1-16)"
  if [ ! -f "$stamp" ]; then
    "$PY" -m pip install -q --upgrade pip 2>&1 | grep -v '^WARNING: Location' || true
    "$PY" -m pip install -q -e '.[test]' 2>&1 | grep -v '^WARNING: Location' || true
    "$PY" -c 'import build_tools, mkdocs, material, feedgen, nh3, PIL'
    rm -f "$VENV"/.installed-* && touch "$stamp"
  fi
  # The build tools' bytecode, which an editable install does not compile and Python does not write where
  # PYTHONDONTWRITEBYTECODE is set (containers, CI images): compiling them again cost every `exemplars` run 0.13 s.
  # Checked by the hash of each source on import, so an edited module is never run from stale bytecode.
  "$PY" -m compileall -q --invalidation-mode checked-hash build_tools
}

setup_fonts() {
  # Share cards for stories without a photo are drawn with a font that has Vietnamese glyphs (DejaVu Sans).
  if command -v dpkg >/dev/null; then apt_install fonts-dejavu-core; fi
}

setup_test_tools() {
  # Browser tests drive Debian's Chromium; feed tests read feeds with a real reader (newsboat).
  apt_install chromium newsboat
}

setup_quality_tools() {
  # The markup and accessibility checks (tests/test_quality.py): the Nu HTML Checker runs on Java; it and
  # axe-core come from npm, pinned in package-lock.json. Reinstalled only when the lock file changes.
  command -v java >/dev/null || apt_install default-jre-headless
  command -v npm >/dev/null || apt_install nodejs npm
  local stamp="node_modules/.installed-$(sha256sum package-lock.json | cut -c1-16)"
  if [ ! -f "$stamp" ]; then
    npm ci --no-audit --no-fund --loglevel=error
    touch "$stamp"
  fi
}

setup_cms() {
  # The form editor at /admin/ (Decap CMS, pinned in package-lock.json) is copied from node_modules into the build,
  # never kept in git nor fetched from a CDN. Only the production dependency is installed here (`test` installs the
  # test tools too). Without npm or a registry the site is still built, and /admin/ says how to install the editor.
  local lock; lock="$(sha256sum package-lock.json | cut -c1-16)"
  if [ -f node_modules/decap-cms/dist/decap-cms.js ] && \
     { [ -f "node_modules/.installed-$lock" ] || [ -f "node_modules/.installed-cms-$lock" ]; }; then
    return 0
  fi
  if ! command -v npm >/dev/null && ! apt_install nodejs npm; then
    echo "Chưa cài được Node.js: trang vẫn được tạo, nhưng trình biên tập /admin/ chưa có." >&2; return 0
  fi
  if npm ci --omit=dev --no-audit --no-fund --loglevel=error; then
    touch "node_modules/.installed-cms-$lock"
  else
    echo "Chưa cài được Decap CMS (npm ci): trang vẫn được tạo, nhưng trình biên tập /admin/ chưa có." >&2
  fi
}

serve_cms() {
  # The form editor on this machine: decap-server (git mode: each entry a branch, as on GitHub a pull request)
  # commits with `git add .`, so it works in a clean clone of its own, never in this working copy; it listens on
  # 127.0.0.1 only. The site is served from that clone too, so a published entry shows up as a story.
  local port=8081 workdir clone
  workdir="$(mktemp -d "${TMPDIR:-/tmp}/bien-tap.XXXXXX")"
  clone="$workdir/kho"
  git clone -q --no-hardlinks . "$clone"
  ln -s "$PWD/node_modules" "$clone/node_modules"
  echo "Bản sao để biên tập: $clone (chỉ có những gì đã commit; các mục lưu trong biểu mẫu là nhánh cms/… ở đó)."
  MODE=git PORT="$port" BIND_HOST=127.0.0.1 GIT_REPO_DIRECTORY="$clone" LOG_LEVEL=warn \
    node node_modules/decap-server/dist/index.js &
  local server=$!
  trap 'kill "$server" 2>/dev/null || true' EXIT INT TERM
  echo "Mở http://127.0.0.1:8000/admin/ và bấm “Đăng nhập” (không cần tài khoản GitHub)."
  echo "Lấy các mục đã lưu về kho này: git fetch \"$clone\" 'refs/heads/cms/*:refs/heads/cms/*'"
  "$VENV/bin/exemplars" --root "$clone" serve
}

case "${1:-}" in
  build)
    setup_python
    setup_fonts
    setup_cms
    "$VENV/bin/exemplars" build "${@:2}"
    ;;
  test)
    setup_python
    setup_fonts
    setup_test_tools
    setup_quality_tools
    "$VENV/bin/ruff" check .
    "$VENV/bin/ruff" format --check --quiet .
    "$VENV/bin/python" -m pytest
    ;;
  check)
    setup_python
    "$VENV/bin/exemplars" check "${@:2}"
    ;;
  serve)
    setup_python
    setup_fonts
    "$VENV/bin/exemplars" serve
    ;;
  cms)
    setup_python
    setup_fonts
    setup_quality_tools
    serve_cms
    ;;
  golden)
    setup_python
    setup_fonts
    UPDATE_GOLDEN=1 "$VENV/bin/python" -m pytest -q tests/test_golden.py
    git --no-pager diff --stat -- tests/golden
    ;;
  bench-search)
    setup_python
    setup_test_tools
    shift
    "$VENV/bin/python" -m benchmarks.search "$@"
    ;;
  bench-scale)
    setup_python
    setup_fonts
    setup_test_tools
    shift
    "$VENV/bin/python" benchmarks/scale.py "$@"
    ;;
  screenshots)
    setup_python
    setup_fonts
    setup_test_tools
    apt_install poppler-utils
    "$VENV/bin/exemplars" build
    "$VENV/bin/python" tools/screenshots.py
    "$VENV/bin/python" tools/print_story.py
    setup_quality_tools
    UPDATE_SCREENSHOTS=1 "$VENV/bin/python" -m pytest -q tests/test_cms_browser.py
    ;;
  *)
    sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
    ;;
esac
