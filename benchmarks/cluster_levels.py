"""The two levels `cluster --k auto` gives a news corpus, against each corpus's own classes.

    HF_HUB_OFFLINE=1 .venv/bin/python benchmarks/cluster_levels.py [--model hybrid]

`--k auto` takes the most stable k (k-means on 80% subsamples agreeing with each other), which
for news is often a coarse split; below 5 clusters in a corpus of 200 or more, the most stable
split of 5 or more is given beside it as a finer level (`ClusterResult.finer`). For BBC (5
folders), HuffPost (its categories) and AllSides (its three topics) this prints both levels: k,
stability, and NMI and ARI with the corpus's classes. The classes are one reading of a corpus,
not the truth of it (HuffPost's 29 categories include "world news" and "politics" side by side),
so the figures say how far each level is from that reading.

`--sweep` also prints, for every k from 2 to 30, the stability `--k auto` ranks by, the same
stability on a null (Gaussian data with the corpus's principal spectrum, as Clest compares with a
reference), and plain k-means' NMI and ARI with the classes at that k (the whole run about 6 minutes here).
"""

from __future__ import annotations

import argparse

import numpy as np
from rich.console import Console
from rich.table import Table
from sklearn.cluster import KMeans

from simtool.bench.datasets import data_dir
from simtool.io.prepare import prepare_corpus
from simtool.jobs.cluster import classes_of, cluster_corpus, evaluate
from simtool.jobs.cluster.local import hash_order, represent
from simtool.jobs.cluster.rules import choose_k
from simtool.vectors.store import VectorStore

CORPORA = (("BBC", "bbc", "folder"), ("HuffPost", "huffpost/news_category_10k.jsonl", "category"),
           ("AllSides", "allsides/allsides_3topics.jsonl", "topic"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="hybrid")
    parser.add_argument("--sweep", action="store_true", help="Also print every k from 2 to 30 against a null.")
    args = parser.parse_args()
    table = Table(title=f"cluster --k auto, both levels ({args.model})", title_justify="left")
    for column in ("corpus", "classes", "level", "k", "stability", "NMI", "ARI"):
        table.add_column(column, justify="right")
    sweeps: list[Table] = []
    with VectorStore() as store:
        for name, path, field in CORPORA:
            corpus = prepare_corpus([data_dir() / path])
            truth = classes_of(corpus, field)
            result = cluster_corpus(corpus, model=args.model, k="auto", store=store)
            levels = [("chosen", result.settings.k, result.assignments)]
            if result.finer is not None:
                levels.append(("finer", result.finer.k, result.finer.assignments))
            for level, k, assignments in levels:
                scores = evaluate(truth, [assignments[doc.id] for doc in corpus])
                table.add_row(name, str(len(set(truth))), level, str(k), f"{result.k_scores.get(k, float('nan')):.3f}",
                              f"{scores['nmi']:.3f}", f"{scores['ari']:.3f}")
            if args.sweep:
                sweeps.append(_sweep(name, corpus, truth, args.model, store))
    Console().print(table)
    for sweep in sweeps:
        Console().print(sweep)


def _sweep(name, corpus, truth, model, store) -> Table:
    """Stability and a null's stability by k, and k-means' agreement with the classes at each k."""
    vectors = represent(corpus, model, store).vectors
    placed = vectors[hash_order(corpus, range(len(corpus)))]  # as cluster_corpus orders them
    ks = range(2, 31)
    _, stability = choose_k(placed, ks)
    rng = np.random.default_rng(0)
    centred = placed - placed.mean(axis=0)
    sample = centred[rng.choice(len(centred), min(3000, len(centred)), replace=False)]
    axes = np.linalg.svd(sample, full_matrices=False)[2]
    spread = (centred @ axes.T).std(axis=0)
    _, null = choose_k((rng.standard_normal((len(placed), len(spread))) * spread) @ axes, ks)
    table = Table(title=f"{name}: every k ({model})", title_justify="left")
    for column in ("k", "stability", "null", "gap", "k-means NMI", "ARI"):
        table.add_column(column, justify="right")
    for k in ks:
        scores = evaluate(truth, KMeans(k, n_init=4, random_state=0).fit_predict(vectors))
        table.add_row(str(k), f"{stability[k]:.3f}", f"{null[k]:.3f}", f"{stability[k] - null[k]:+.3f}",
                      f"{scores['nmi']:.3f}", f"{scores['ari']:.3f}")
    return table


if __name__ == "__main__":
    main()
