"""Clusters kept across runs: the cost of adding 1% new articles against a full run, and how far
the kept clusters are from one batch run on everything.

    HF_HUB_OFFLINE=1 .venv/bin/python benchmarks/cluster_updates.py [--model hybrid] [--k auto]

HuffPost's 10,000 items in date order. Vectors are cached first (both sides read them from the
cache, as a daily run would). Side by side, in this process:

- full run: `cluster_corpus` on all 10,000 (what a run without --state does every day);
- update: `cluster_with_state` on all 10,000, with a state made from the first 9,900 (the 1%
  newest are new). Its cost against the full run's is the goal of issue 22 (under a tenth).

Then agreement with the batch run (adjusted Rand index), after five dated slices fed one after
another, on HuffPost and on BBC (file order shuffled; BBC has no dates): each slice is past
REFIT_SHARE, so each re-fits and maps the fresh clusters to the old ids.

Last, how far assignment alone drifts from a fit on everything as the share of new documents
grows (the measurement behind REFIT_SHARE): a state on the first (1 - share), the rest added with
re-fitting turned off, the ARI of the result with a batch run on everything; beside it the batch
run's agreement with itself under another seed (how much of the gap is k-means' own instability).
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table
from sklearn.metrics import adjusted_rand_score

from simtool.bench.datasets import data_dir
from simtool.io.corpus import Corpus, load_corpus
from simtool.io.prepare import clean_corpus
from simtool.jobs.cluster import cluster_corpus
from simtool.jobs.cluster.local import represent
from simtool.jobs.cluster.updates import cluster_with_state
from simtool.vectors.store import VectorStore

SHARES = (0.01, 0.05, 0.1, 0.2, 0.5)


def _timed(function):
    start = time.perf_counter()
    value = function()
    return value, time.perf_counter() - start


def sliced_agreement(docs: list, model: str, k, store: VectorStore, slices: int = 5) -> tuple[float, int]:
    """ARI between the clusters after feeding `docs` in `slices` parts and one batch run; and how
    many clusters the updates opened."""
    with tempfile.TemporaryDirectory() as state:
        opened = 0
        for part in range(1, slices + 1):
            result, changes = cluster_with_state(Corpus(docs[:len(docs) * part // slices]), Path(state), model=model,
                                                 k=k, store=store)
            opened += len(changes.new_clusters) if part > 1 else 0
    batch = cluster_corpus(Corpus(docs), model=model, k=k, store=store)
    ids = [doc.id for doc in docs]
    return adjusted_rand_score([batch.assignments[i] for i in ids], [result.assignments[i] for i in ids]), opened


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="hybrid")
    parser.add_argument("--k", default="auto")
    parser.add_argument("--no-drift", action="store_true", help="Leave out the drift by share (ten fits a corpus).")
    args = parser.parse_args()
    k = args.k if args.k == "auto" else int(args.k)
    console = Console()
    huffpost = clean_corpus(load_corpus([data_dir() / "huffpost" / "news_category_10k.jsonl"]))
    docs = sorted(huffpost, key=lambda d: (d.date is None, d.date or 0, d.id))
    with VectorStore() as store:
        represent(Corpus(docs), args.model, store)  # fill the cache: both sides read vectors from it
        (_, full) = _timed(lambda: cluster_corpus(Corpus(docs), model=args.model, k=k, store=store))
        with tempfile.TemporaryDirectory() as state:
            cluster_with_state(Corpus(docs[:9900]), Path(state), model=args.model, k=k, store=store)
            ((_, changes), update) = _timed(lambda: cluster_with_state(Corpus(docs), Path(state), model=args.model,
                                                                       k=k, store=store))
        cost = Table(title=f"adding 1% to HuffPost's 10,000 ({args.model}, k {args.k})", title_justify="left")
        for column in ("run", "seconds", "vs full run"):
            cost.add_column(column, justify="right")
        cost.add_row("full run on 10,000", f"{full:.1f}", "1.00x")
        cost.add_row(f"update: {changes.new_documents} new, {len(changes.new_clusters)} new clusters", f"{update:.1f}",
                     f"{update / full:.2f}x")
        console.print(cost)
        bbc = clean_corpus(load_corpus([data_dir() / "bbc"]))
        shuffled = list(bbc)
        random.Random(0).shuffle(shuffled)
        agreement = Table(title="five slices fed in turn against one batch run", title_justify="left")
        for column in ("corpus", "ARI with the batch run", "clusters opened by updates"):
            agreement.add_column(column, justify="right")
        for name, ordered in (("HuffPost, by date", docs), ("BBC, shuffled", shuffled)):
            ari, opened = sliced_agreement(ordered, args.model, k, store)
            agreement.add_row(name, f"{ari:.3f}", str(opened))
        console.print(agreement)
        if args.no_drift:
            return
        drift = Table(title=f"assignment alone against a fit on everything, by share added ({args.model}, k {args.k})",
                      title_justify="left")
        for column in ("corpus", *[f"{share:.0%} new" for share in SHARES], "batch vs batch, other seed"):
            drift.add_column(column, justify="right")
        for name, ordered in (("HuffPost, by date", docs), ("BBC, shuffled", shuffled)):
            batch = cluster_corpus(Corpus(ordered), model=args.model, k=k, store=store)
            other = cluster_corpus(Corpus(ordered), model=args.model, k=k, store=store, seed=1)
            ids = [doc.id for doc in ordered]
            cells = []
            for share in SHARES:
                with tempfile.TemporaryDirectory() as state:
                    cluster_with_state(Corpus(ordered[:round(len(ordered) * (1 - share))]), Path(state),
                                       model=args.model, k=k, store=store)
                    result, _ = cluster_with_state(Corpus(ordered), Path(state), model=args.model, k=k, store=store,
                                                   refit_share=float("inf"))
                cells.append(f"{adjusted_rand_score([batch.assignments[i] for i in ids], [result.assignments[i] for i in ids]):.3f}")
            self_agreement = adjusted_rand_score([batch.assignments[i] for i in ids], [other.assignments[i] for i in ids])
            drift.add_row(name, *cells, f"{self_agreement:.3f}")
        console.print(drift)


if __name__ == "__main__":
    main()
