"""Drift's cost on full articles: 1,000 AllSides articles, from an empty cache and from a warm one.

    HF_HUB_OFFLINE=1 .venv/bin/python benchmarks/drift_allsides.py [--documents 1000] [--model minilm]

`find_drift(query="abortion", axis_from="bias_text=left,right", groups="bias_text")` on the first
N articles of `allsides/allsides_3topics.jsonl`, every sentence embedded (the statements about the
query are chosen from all of them), timed whole in this process, cold then warm. Goal (issue 19):
under 3 minutes cold and 15 s warm for 1,000 articles on a 2-core machine.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from simtool.bench.datasets import data_dir
from simtool.encoders import get_encoder
from simtool.io.prepare import prepare_corpus
from simtool.jobs.drift import find_drift
from simtool.vectors.store import VectorStore


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--model", default="minilm")
    args = parser.parse_args()
    corpus = prepare_corpus([data_dir() / "allsides" / "allsides_3topics.jsonl"])
    corpus = corpus.with_documents(list(corpus.documents)[:args.documents])
    sentences = sum(len(doc.sentences) + 1 for doc in corpus)
    encoder = get_encoder(args.model)
    encoder.encode(["warm up the model"])
    print(f"{len(corpus)} AllSides articles, {sentences} sentences and titles, model {encoder.identity}")
    with tempfile.TemporaryDirectory() as cache, VectorStore(cache) as store:
        for label in ("cold (empty cache)", "warm (cached)"):
            start = time.perf_counter()
            result = find_drift(corpus, query="abortion", encoder=encoder, store=store,
                                axis_from="bias_text=left,right", groups="bias_text")
            print(f"  {label:<20} {time.perf_counter() - start:6.1f} s; {sum(p.n_statements for p in result.periods)} "
                  f"statements, {len(result.claims)} claims, axis AUC {result.axis.validity['auc']}")


if __name__ == "__main__":
    main()
