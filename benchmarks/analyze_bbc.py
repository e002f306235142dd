"""`simtool analyze` on a corpus, stage by stage: the time of each stage, then the whole command.

The goals: on BBC (2,225 articles), with the embeddings cached, under a minute here (issue 7);
from an empty cache, under 4 minutes on BBC and under 6 on HuffPost's 10,000 items (issue 19).
The first run uses a new, empty cache folder and is judged against the second goal; the runs
after it read vectors from the user's cache. Each map method is timed, since UMAP costs more.

    HF_HUB_OFFLINE=1 .venv/bin/python benchmarks/analyze_bbc.py [--corpus ../shared/data/bbc] [--cold-only]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

from simtool.io.prepare import prepare_corpus
from simtool.jobs.analyze import analyze
from simtool.vectors.store import VectorStore

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


def stage_times(corpus_path: Path, map_method: str) -> dict[str, float]:
    """Seconds per stage of one `analyze` call through the Python API."""
    times: dict[str, float] = {}
    current = {"stage": "load", "since": time.perf_counter()}

    def progress(stage: str, done: int, total: int) -> None:
        if stage != current["stage"]:
            now = time.perf_counter()
            times[current["stage"]] = times.get(current["stage"], 0.0) + now - current["since"]
            current.update(stage=stage, since=now)

    corpus = prepare_corpus([corpus_path])
    with VectorStore() as store:
        analyze(corpus, store=store, map_method=map_method, progress=progress)
    progress("end", 0, 0)
    return times


def command_seconds(corpus_path: Path, map_method: str, empty_cache: bool = False) -> float:
    """Wall seconds of the whole command in a fresh process, report written; with `empty_cache`,
    into a new cache folder, so that every vector is computed."""
    simtool = Path(sys.executable).with_name("simtool")
    with tempfile.TemporaryDirectory() as tmp:
        cache = ["--cache", f"{tmp}/cache"] if empty_cache else []
        start = time.perf_counter()
        subprocess.run([str(simtool), "analyze", str(corpus_path), "--out", f"{tmp}/report.html",
                        "--map", map_method, *cache], check=True, stdout=subprocess.DEVNULL)
        return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DATA / "bbc")
    parser.add_argument("--cold-only", action="store_true", help="Time only the run from an empty cache.")
    args = parser.parse_args()
    console = Console()
    cold = command_seconds(args.corpus, "pca", empty_cache=True)
    goal = 240 if "bbc" in str(args.corpus) else 360
    console.print(f"from an empty cache: {cold:.1f} s (goal: under {goal} s; "
                  f"{'met' if cold < goal else 'NOT met'})")
    if args.cold_only:
        return
    table = Table(title=f"simtool analyze {args.corpus} (embeddings cached)", title_justify="left")
    table.add_column("stage")
    for method in ("pca", "umap"):
        table.add_column(f"--map {method} (s)", justify="right")
    stages = {method: stage_times(args.corpus, method) for method in ("pca", "umap")}
    for stage in stages["pca"]:
        table.add_row(stage, *(f"{stages[m].get(stage, 0.0):.1f}" for m in ("pca", "umap")))
    table.add_row("whole command, fresh process",
                  *(f"{command_seconds(args.corpus, m):.1f}" for m in ("pca", "umap")))
    console.print(table)


if __name__ == "__main__":
    main()
