"""`simtool bench` end to end: every model on every task, from an empty cache and again cached.

Distils `minilm-static` from the packaged MiniLM into a fresh cache (model2vec, offline), runs
`simtool bench` with all models and tasks (cold: every vector computed), then the same command
again (warm: vectors from the cache; `speed` always encodes afresh), and prints both wall times
and the benchmark's table. Writes the JSON and the quality-versus-speed plot to --out.

    HF_HUB_OFFLINE=1 .venv/bin/python benchmarks/bench_models.py [--out benchmarks/out]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

SIMTOOL = [str(Path(sys.executable).parent / "simtool")]  # the console script beside this interpreter


def run(args: list[str], env: dict[str, str]) -> tuple[float, str]:
    start = time.perf_counter()
    done = subprocess.run(SIMTOOL + args, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"simtool {' '.join(args)} failed ({done.returncode}): {done.stderr.strip()}")
    return seconds, done.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("benchmarks/out"))
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "COLUMNS": "200"}
    console = Console(width=200)
    with tempfile.TemporaryDirectory() as cache:
        distill_s, _ = run(["models", "distill", "minilm", "minilm-static", "--cache", cache], env)
        bench = ["bench", "--cache", cache, "--json", str(args.out / "bench.json"), "--plot", str(args.out / "pareto.png"),
                 "--force"]  # this script owns those two files
        cold_s, _ = run(bench, env)
        warm_s, table = run(bench, env)
    timing = Table(title="simtool bench, all models x all tasks (2 CPU cores)", title_justify="left")
    for column in ("run", "wall seconds"):
        timing.add_column(column)
    timing.add_row("distil minilm-static from the packaged MiniLM", f"{distill_s:.1f}")
    timing.add_row("bench, empty cache", f"{cold_s:.1f}")
    timing.add_row("bench again, vectors cached", f"{warm_s:.1f}")
    console.print(timing)
    console.print(table, markup=False, highlight=False)


if __name__ == "__main__":
    main()
