"""Time of `find_drift` on HuffPost (10,000 items, 2018-2022) for --query Russia --by year:
from an empty vector cache, then with the statements' vectors cached.

    HF_HUB_OFFLINE=1 .venv/bin/python benchmarks/drift_huffpost.py
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

from simtool.encoders import get_encoder
from simtool.io.prepare import prepare_corpus
from simtool.jobs.drift.timeline import find_drift
from simtool.vectors.store import VectorStore

HUFFPOST = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "huffpost" / "news_category_10k.jsonl"


def main() -> None:
    corpus = prepare_corpus([HUFFPOST])
    encoder = get_encoder("minilm")
    table = Table(title="simtool drift on HuffPost, --query Russia --by year (2 CPU cores)", title_justify="left")
    for column in ("cache", "seconds", "statements kept", "largest change", "2022 top terms"):
        table.add_column(column)
    with tempfile.TemporaryDirectory() as cache, VectorStore(cache) as store:
        for label in ("empty", "warm"):
            start = time.perf_counter()
            result = find_drift(corpus, query="Russia", encoder=encoder, store=store)
            seconds = time.perf_counter() - start
            last = result.periods[-1]
            table.add_row(label, f"{seconds:.1f}", str(sum(p.n_statements for p in result.periods)),
                          (f"{result.largest_change.before} -> {result.largest_change.after} "
                           f"(effect {result.largest_change.effect:.2f})" if result.largest_change
                           else "no significant step"),
                          ", ".join(t for t, _ in last.terms[:5]))
    Console(width=120).print(table)


if __name__ == "__main__":
    main()
