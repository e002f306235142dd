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
# The report's browser tests drive Debian's chromium through Playwright (which downloads no
# browser here). Installed where it is missing and this is Debian as root; elsewhere those tests
# are skipped with the reason. SIMTOOL_NO_BROWSER=1 skips this step.
if [ -z "${SIMTOOL_NO_BROWSER:-}" ] && ! command -v chromium >/dev/null 2>&1 \
    && command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q chromium >/dev/null 2>&1 \
    || { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q chromium >/dev/null 2>&1; } \
    || echo "setup: could not install chromium; the report's browser tests will be skipped" >&2
fi
if .venv/bin/python -m pip list 2>/dev/null | grep -qi '^nvidia-'; then
  echo "setup: a CUDA package (nvidia-*) was installed; torch must stay at the CPU build 2.13.0" >&2
  exit 1
fi
