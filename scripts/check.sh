#!/usr/bin/env bash
# The project's checks, as CI runs them: the import contract, ruff, mypy, the command reference,
# then the default tests (the `slow` ones are left to `pytest -m slow`). Run after scripts/setup.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
export HF_HUB_OFFLINE=1
.venv/bin/lint-imports --no-cache
.venv/bin/ruff check simtool tests benchmarks scripts
.venv/bin/mypy
.venv/bin/python -m pytest -q
