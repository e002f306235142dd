"""Related-article search at 100k and 1M documents: brute force against ANN indexes.

Vectors: the real all-MiniLM-L6-v2 vectors of BBC (2,225) and HuffPost (10,000) from the cache,
then, to reach the size, perturbed copies: each copy mixes a random real vector with a second
one, (1 - w) * a + w * b with w uniform in [0, 0.5], plus Gaussian noise of norm 0.3, and is
normalised; so copies stay on the manifold of real news vectors and neighbourhoods are crowded
(about 80 copies around each real article at 1M). Queries: 1,000 more copies made the same way
with another seed, not in the index. Truth: exact top-10 by brute force.

Per method: build seconds, memory (bytes per vector: the index's own count, and the process's
RSS growth), single-query latency p50/p99 (one query at a time, 1 thread for the indexes),
recall@10 against exact. Each usearch index is searched at several depths (ef), both raw (its top
10) and as `related` uses it (40 candidates rescored exactly). Then the all-pairs job (`related --all`: each document's top 10) at 100k.

    HF_HUB_OFFLINE=1 .venv/bin/python benchmarks/ann_index.py [--sizes 100000,1000000] [--faiss]
"""

from __future__ import annotations

import argparse
import gc
import os
import time
from pathlib import Path

import numpy as np
from rich.console import Console
from rich.table import Table

from simtool.encoders import get_encoder
from simtool.io.prepare import prepare_corpus
from simtool.jobs.related import CANDIDATES
from simtool.vectors.ann import CONNECTIVITY, EXPANSION_ADD, EXPANSION_SEARCH
from simtool.vectors.embed import embed
from simtool.vectors.similarity import nearest_neighbours
from simtool.vectors.store import VectorStore

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
QUERIES = 1000
K = 10


def rss_bytes() -> int:
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) * 1024 for line in status if line.startswith("VmRSS"))


def real_vectors() -> np.ndarray:
    corpus = prepare_corpus([DATA / "bbc", DATA / "huffpost"])
    with VectorStore() as store:
        vectors, _ = embed([doc.content for doc in corpus], get_encoder("minilm"), store)
    return np.asarray(vectors, dtype=np.float32)


def perturbed(base: np.ndarray, n: int, seed: int) -> np.ndarray:
    """n copies of `base` rows, each mixed with another row and noised (see the docstring)."""
    rng = np.random.default_rng(seed)
    out = np.empty((n, base.shape[1]), np.float32)
    for start in range(0, n, 100_000):
        m = min(100_000, n - start)
        a, b = base[rng.integers(0, len(base), m)], base[rng.integers(0, len(base), m)]
        w = rng.uniform(0, 0.5, (m, 1)).astype(np.float32)
        noise = rng.normal(size=(m, base.shape[1])).astype(np.float32)
        noise *= 0.3 / np.linalg.norm(noise, axis=1, keepdims=True)
        v = (1 - w) * a + w * b + noise
        out[start:start + m] = v / np.linalg.norm(v, axis=1, keepdims=True)
    return out


def exact_top(data: np.ndarray, queries: np.ndarray, k: int = K) -> np.ndarray:
    scores = queries @ data.T
    top = np.argpartition(-scores, k, axis=1)[:, :k]
    return np.take_along_axis(top, np.argsort(-np.take_along_axis(scores, top, 1), axis=1), 1)


def recall(found: np.ndarray, truth: np.ndarray) -> float:
    return float(np.mean([len(set(f.tolist()) & set(t.tolist())) / len(t) for f, t in zip(found, truth)]))


def latencies(search, queries: np.ndarray) -> tuple[np.ndarray, float, float]:
    found, times = [], []
    for q in queries:
        start = time.perf_counter()
        found.append(search(q))
        times.append(time.perf_counter() - start)
    ms = np.array(times) * 1000
    return np.array(found), float(np.percentile(ms, 50)), float(np.percentile(ms, 99))


def brute_force(data: np.ndarray, queries: np.ndarray, truth: np.ndarray) -> dict:
    def search(q):
        scores = data @ q
        top = np.argpartition(-scores, K)[:K]
        return top[np.argsort(-scores[top])]

    found, p50, p99 = latencies(search, queries)
    return {"method": "brute force (numpy, f32)", "build": 0.0, "bytes": data.nbytes / len(data),
            "rss": data.nbytes / len(data), "p50": p50, "p99": p99, "recall": recall(found, truth)}


def usearch_index(data: np.ndarray, queries: np.ndarray, truth: np.ndarray, dtype: str,
                  efs: tuple[int, ...] = (64, 128, 256, 512)) -> list[dict]:
    """Rows for one usearch index at several search depths (ef), raw and as `related` uses it:
    4 candidates per result wanted, rescored exactly against the float32 vectors."""
    from usearch.index import Index

    gc.collect()
    before = rss_bytes()
    index = Index(ndim=data.shape[1], metric="cos", dtype=dtype, connectivity=CONNECTIVITY,
                  expansion_add=EXPANSION_ADD, expansion_search=EXPANSION_SEARCH)
    start = time.perf_counter()
    index.add(np.arange(len(data), dtype=np.uint64), data, threads=os.cpu_count() or 1)
    build = time.perf_counter() - start
    grown = rss_bytes() - before

    def rescored(q):
        candidates = index.search(q, CANDIDATES * K, threads=1).keys.astype(np.int64)
        scores = data[candidates] @ q
        return candidates[np.argsort(-scores)[:K]]

    rows = []
    for ef in efs:
        index.expansion_search = ef
        for label, search in ((f"raw top {K}", lambda q: index.search(q, K, threads=1).keys.astype(np.int64)),
                              (f"{CANDIDATES * K} rescored", rescored)):
            found, p50, p99 = latencies(search, queries)
            rows.append({"method": f"usearch HNSW {dtype} M={CONNECTIVITY} ef={ef}, {label}",
                         "build": build, "bytes": index.memory_usage / len(data), "rss": grown / len(data),
                         "p50": p50, "p99": p99, "recall": recall(found, truth)})
    return rows  # the index is freed with this frame


def faiss_index(data: np.ndarray, queries: np.ndarray, truth: np.ndarray) -> dict:
    import faiss

    faiss.omp_set_num_threads(os.cpu_count() or 1)
    gc.collect()
    before = rss_bytes()
    index = faiss.IndexHNSWFlat(data.shape[1], CONNECTIVITY, faiss.METRIC_INNER_PRODUCT)
    index.hnsw.efConstruction = EXPANSION_ADD
    start = time.perf_counter()
    index.add(data)
    build = time.perf_counter() - start
    grown = rss_bytes() - before
    index.hnsw.efSearch = EXPANSION_SEARCH
    faiss.omp_set_num_threads(1)
    found, p50, p99 = latencies(lambda q: index.search(q[None, :], K)[1][0], queries)
    row = {"method": f"faiss HNSWFlat f32 (M={CONNECTIVITY}, ef={EXPANSION_SEARCH})", "build": build,
           "bytes": grown / len(data), "rss": grown / len(data), "p50": p50, "p99": p99,
           "recall": recall(found, truth)}
    return row  # the index is freed with this frame


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--dtypes", default="f32,f16,i8", help="usearch storage types at the first size")
    parser.add_argument("--large-dtypes", default="f16,i8", help="usearch storage types past the first size")
    parser.add_argument("--faiss", action="store_true", help="faiss-cpu's HNSW too, at the first size")
    args = parser.parse_args()
    console = Console(width=150)
    base = real_vectors()
    queries = perturbed(base, QUERIES, seed=12345)
    sizes = [int(s) for s in args.sizes.split(",")]
    for n, size in enumerate(sizes):
        data = np.vstack([base, perturbed(base, size - len(base), seed=1)])[:size]
        start = time.perf_counter()
        truth = exact_top(data, queries)
        console.print(f"{size:,} vectors ({len(base):,} real); exact truth for {QUERIES} queries "
                      f"in {time.perf_counter() - start:.1f} s", markup=False)
        rows = [brute_force(data, queries, truth)]
        for dtype in (args.dtypes if n == 0 else args.large_dtypes).split(","):
            rows.extend(usearch_index(data, queries, truth, dtype))
            console.print(f"  usearch {dtype}: built in {rows[-1]['build']:.1f} s", markup=False)
        if args.faiss and n == 0:
            rows.append(faiss_index(data, queries, truth))
        table = Table(title=f"related search at {size:,} vectors (384-d, top {K}, {os.cpu_count()} cores)",
                      title_justify="left")
        for column in ("method", "build s", "bytes/vector (index says)", "bytes/vector (RSS growth)", "p50 ms", "p99 ms",
                       f"recall@{K}", "p50 vs brute"):
            table.add_column(column, justify="left" if column == "method" else "right")
        for row in rows:
            table.add_row(row["method"], f"{row['build']:.1f}", f"{row['bytes']:.0f}", f"{row['rss']:.0f}",
                          f"{row['p50']:.2f}", f"{row['p99']:.2f}", f"{row['recall']:.4f}",
                          f"{rows[0]['p50'] / row['p50']:.1f}x")
        console.print(table)
        if n == 0:
            start = time.perf_counter()
            nearest_neighbours(data, K)
            console.print(f"all pairs at {size:,} (each document's top {K}, simtool's blocked brute force, "
                          f"`related --all`): {time.perf_counter() - start:.1f} s", markup=False)
        del data, truth
        gc.collect()


if __name__ == "__main__":
    main()
