"""The two levels `cluster --k auto` gives a news corpus, against each corpus's own classes.

    HF_HUB_OFFLINE=1 .venv/bin/python benchmarks/cluster_levels.py [--model hybrid]

`--k auto` takes the most stable k (k-means on 80% subsamples agreeing with each other), which
for news is often a coarse split; below 5 clusters in a corpus of 200 or more, the most stable
split of 5 or more is given beside it as a finer level (`ClusterResult.finer`). For BBC (5
folders), HuffPost (its categories) and AllSides (its three topics) this prints both levels: k,
stability, and NMI and ARI with the corpus's classes. The classes are one reading of a corpus,
not the truth of it (HuffPost's 29 categories include "world news" and "politics" side by side),
so the figures say how far each level is from that reading.
"""

from __future__ import annotations

import argparse

from rich.console import Console
from rich.table import Table

from simtool.bench.datasets import data_dir
from simtool.io.prepare import prepare_corpus
from simtool.jobs.cluster import classes_of, cluster_corpus, evaluate
from simtool.vectors.store import VectorStore

CORPORA = (("BBC", "bbc", "folder"), ("HuffPost", "huffpost/news_category_10k.jsonl", "category"),
           ("AllSides", "allsides/allsides_3topics.jsonl", "topic"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="hybrid")
    args = parser.parse_args()
    table = Table(title=f"cluster --k auto, both levels ({args.model})", title_justify="left")
    for column in ("corpus", "classes", "level", "k", "stability", "NMI", "ARI"):
        table.add_column(column, justify="right")
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
    Console().print(table)


if __name__ == "__main__":
    main()
