#!/usr/bin/env bash
# Set up simtool in .venv: idempotent, offline apart from the package index.
# torch is pinned to its CPU build *before* anything else, so that no dependency pulls the
# multi-gigabyte CUDA build (and its nvidia-* packages) from the index.
set -euo pipefail
cd "$(dirname "$0")/.."
python=${PYTHON:-python3}
"$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
  || { echo "simtool needs Python >= 3.11 (set PYTHON=/path/to/python3.11)" >&2; exit 1; }
[ -x .venv/bin/python ] || "$python" -m venv .venv
pip=(.venv/bin/python -m pip --quiet --disable-pip-version-check)
"${pip[@]}" install torch==2.13.0
"${pip[@]}" install -c scripts/constraints.txt -e '.[dev,nlp]'
# The report's browser tests drive a Chromium through Playwright. Where none is on PATH: the
# distribution's package (apt-get, dnf or apk; as root, or through sudo when it asks for no
# password), else Playwright's own download of Chromium (needs its CDN); if neither works, those
# tests are skipped and say why. SIMTOOL_NO_BROWSER=1 skips this step.
has_browser() { command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo -n env DEBIAN_FRONTEND=noninteractive "$@"; else return 1; fi; }
if [ -z "${SIMTOOL_NO_BROWSER:-}" ] && ! has_browser; then
  if command -v apt-get >/dev/null 2>&1; then
    export DEBIAN_FRONTEND=noninteractive
    as_root apt-get install -y -q chromium >/dev/null 2>&1 \
      || { as_root apt-get update -q >/dev/null 2>&1 && as_root apt-get install -y -q chromium >/dev/null 2>&1; } || true
  elif command -v dnf >/dev/null 2>&1; then
    as_root dnf install -y -q chromium >/dev/null 2>&1 || true
  elif command -v apk >/dev/null 2>&1; then
    as_root apk add -q chromium >/dev/null 2>&1 || true
  fi
  if ! has_browser && ! .venv/bin/python -m playwright install chromium >/dev/null 2>&1; then
    echo "setup: no Chromium could be installed (no package manager as root or password-less sudo, and" \
         "Playwright's download failed); the report's browser tests will be skipped" >&2
  fi
fi
if .venv/bin/python -m pip list 2>/dev/null | grep -qi '^nvidia-'; then
  echo "setup: a CUDA package (nvidia-*) was installed; torch must stay at the CPU build 2.13.0" >&2
  exit 1
fi
