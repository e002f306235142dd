"""Clustering quality and time: every representation x algorithm on BBC and HuffPost, next to
BERTopic's default pipeline (UMAP + HDBSCAN + c-TF-IDF) fed the same MiniLM vectors.

k = the number of gold classes (BBC: 5 folders; HuffPost: `category`) for k-means and Ward;
HDBSCAN and BERTopic choose their own number and their noise counts as one more cluster.
Seconds are clustering only (vectors come from the cache; embedding times are printed apart).
Needs `pip install -e '.[bench]'` for BERTopic.

    HF_HUB_OFFLINE=1 .venv/bin/python benchmarks/cluster_quality.py
"""

from __future__ import annotations

import tempfile
import time
import tracemalloc
import warnings
from pathlib import Path

from rich.console import Console
from rich.table import Table

from simtool.encoders import get_encoder
from simtool.io.prepare import prepare_corpus
from simtool.jobs.cluster import HYBRID, classes_of, cluster_corpus, evaluate, represent
from simtool.vectors.embed import embed
from simtool.vectors.store import VectorStore

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
MODELS = ("tfidf", "static", "minilm", HYBRID)
ALGORITHMS = ("kmeans", "agglomerative", "hdbscan")


def bertopic_labels(texts: list[str], vectors) -> list[int]:
    from bertopic import BERTopic

    model = BERTopic(embedding_model=None, calculate_probabilities=False, verbose=False)  # defaults otherwise
    topics, _ = model.fit_transform(texts, embeddings=vectors)
    return list(topics)


def main() -> None:
    warnings.filterwarnings("ignore")
    console = Console(width=140)
    table = Table(title="Clustering quality (2 CPU cores; seconds = clustering only)", title_justify="left")
    for column in ("data", "representation", "algorithm", "clusters", "NMI", "ARI", "V-measure", "seconds"):
        table.add_column(column, justify="left" if column in ("data", "representation", "algorithm") else "right")
    notes = []
    with VectorStore() as store:
        for name, path, field in (("BBC", DATA / "bbc", "folder"),
                                  ("HuffPost", DATA / "huffpost" / "news_category_10k.jsonl", "category")):
            corpus = prepare_corpus([path])
            truth = classes_of(corpus, field)
            k = len(set(truth))
            texts = [doc.content for doc in corpus]
            minilm, _ = embed(texts, get_encoder("minilm"), store)
            if name == "HuffPost":  # the time to beat: embedding the corpus from an empty cache
                with tempfile.TemporaryDirectory() as empty, VectorStore(empty) as cold:
                    start = time.perf_counter()
                    embed(texts, get_encoder("minilm"), cold)
                    notes.append(f"{name}: embedding {len(corpus):,} documents with minilm from an empty "
                                 f"cache took {time.perf_counter() - start:.1f} s")
            for model in MODELS:
                start = time.perf_counter()
                views = represent(corpus, model, store)
                represent_s = time.perf_counter() - start
                for algorithm in ALGORITHMS:
                    tracemalloc.start()
                    start = time.perf_counter()
                    result = cluster_corpus(corpus, model=model, algorithm=algorithm, k=k, views=views)
                    seconds = time.perf_counter() - start
                    peak = tracemalloc.get_traced_memory()[1] / 2**20
                    tracemalloc.stop()
                    scores = evaluate(truth, [result.assignments[doc.id] for doc in corpus])
                    table.add_row(name, model, algorithm, str(len(result.clusters) + bool(result.noise)),
                                  f"{scores['nmi']:.4f}", f"{scores['ari']:.4f}", f"{scores['v_measure']:.4f}",
                                  f"{seconds:.1f}")
                    if model == HYBRID and algorithm == "kmeans":
                        notes.append(f"{name} hybrid k-means: {seconds:.1f} s clustering + {represent_s:.1f} s "
                                     f"TF-IDF/SVD (vectors cached), peak {peak:.0f} MiB allocated while clustering")
            start = time.perf_counter()
            labels = bertopic_labels(texts, minilm)
            seconds = time.perf_counter() - start
            scores = evaluate(truth, labels)
            table.add_row(name, "minilm", "BERTopic default", str(len(set(labels))), f"{scores['nmi']:.4f}",
                          f"{scores['ari']:.4f}", f"{scores['v_measure']:.4f}", f"{seconds:.1f}")
            table.add_section()
    console.print(table)
    for note in notes:
        console.print(note, markup=False)


if __name__ == "__main__":
    main()
