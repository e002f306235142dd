"""Clustering past one machine's memory: k-means fitted on a sample, assignment on Ray.

The centroids are fitted by scikit-learn's KMeans on a sample of at most FIT_SAMPLE vectors
(memory: the sample and k centroids, whatever the corpus size), and the same sample chooses k
when asked (`choose_k`, the local rule). The sample is drawn by text hash and ordered by it, so a
seed gives the same centroids however the shards are laid out (a run from the cache writes them
differently from a cold one); a corpus no larger than the sample is clustered whole. Every
document is then assigned to its nearest centroid by Ray tasks, one per shard, which write the
assignments as Parquet shards themselves; clusters are numbered by size, largest first, as
locally. Labels are c-TF-IDF terms (`ctfidf_terms`) of a sample of documents.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from simtool.encoders import Encoder, resolve_encoder
from simtool.engines.ray import RayEngine
from simtool.errors import Problem
from simtool.io.document import content_of
from simtool.jobs.cluster.rules import choose_k, ctfidf_terms, size_numbering
from simtool.results import to_jsonable
from simtool.text.basics import text_hash
from simtool.vectors.shards import read_shards, replacing, shard_files, shard_identity, write_shard
from simtool.vectors.store import VectorStore

FIT_SAMPLE = 100_000  # vectors k-means is fitted on (k-means centroids settle long before)
LABEL_SAMPLE = 20_000  # documents whose texts label the clusters


@dataclass(frozen=True)
class ShardClusters:
    """k, each cluster's size and label terms, and where the assignments were written."""

    k: int
    sizes: list[int]
    labels: list[list[str]]
    directory: str
    k_scores: dict[int, float] = field(default_factory=dict)


def fit_sample(files: list[Path], total: int, size: int = FIT_SAMPLE) -> np.ndarray:
    """About `size` of the shards' vectors, chosen by text hash and ordered by it (one pass)."""
    share = size / max(total, 1)
    cut = np.uint64(2**64 - 1) if share >= 1 else np.uint64(int(share * 2**64))
    keys: list[bytes] = []
    kept: list[np.ndarray] = []
    for batch in read_shards(files, columns=("sha256", "vector")):
        heads = np.array([int.from_bytes(h[:8], "big") for h in batch["sha256"]], dtype=np.uint64)
        chosen = heads <= cut
        keys.extend(h for h, c in zip(batch["sha256"], chosen) if c)
        kept.append(batch["vector"][chosen])
    if not keys:
        return np.zeros((0, 0), np.float32)
    vectors = np.vstack(kept)
    return vectors[sorted(range(len(keys)), key=keys.__getitem__)]


def fit_centroids(sample: np.ndarray, k: int, seed: int = 0) -> np.ndarray:
    """k-means centroids of the sample (several starts, the best kept)."""
    from sklearn.cluster import KMeans

    if len(sample) < k:
        raise ValueError(f"fewer vectors ({len(sample)}) than the {k} clusters asked for")
    return KMeans(k, n_init=3, random_state=seed).fit(sample).cluster_centers_.astype(np.float32)


def _nearest(vectors: np.ndarray, centroids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    # squared Euclidean distance without the |x|^2 term, which does not change the argmin
    scores = vectors @ centroids.T * -2.0 + (centroids ** 2).sum(axis=1)
    nearest = np.argmin(scores, axis=1)
    return nearest, np.sqrt(np.maximum(scores[np.arange(len(vectors)), nearest] + (vectors ** 2).sum(axis=1), 0.0))


def _count(path: str, centroids: np.ndarray) -> np.ndarray:
    counts = np.zeros(len(centroids), np.int64)
    for batch in read_shards([Path(path)], columns=("vector",)):
        counts += np.bincount(_nearest(batch["vector"], centroids)[0], minlength=len(centroids))
    return counts


def _assign(path: str, centroids: np.ndarray, numbering: np.ndarray, directory: str) -> int:
    import pyarrow as pa

    written = 0
    for batch in read_shards([Path(path)], columns=("id", "vector")):
        nearest, distance = _nearest(batch["vector"], centroids)
        write_shard(directory, pa.table({"id": pa.array(batch["id"], pa.string()),
                                         "cluster": pa.array(numbering[nearest], pa.int32()),
                                         "distance": pa.array(distance.astype(np.float32))}), prefix="clusters")
        written += len(nearest)
    return written


def cluster_shards(ray, files: list[Path], k: int | None, directory: str | Path, *, seed: int = 0,
                   label_texts: list[str] | None = None, label_vectors: np.ndarray | None = None,
                   total: int | None = None) -> ShardClusters:
    """k-means over the vectors in `files` (`total` of them); assignments (id, cluster, distance)
    written as shards in `directory` by Ray tasks. `k` None: chosen on the sample. `label_texts` with their
    `label_vectors`: the sample whose c-TF-IDF terms label the clusters."""
    k_scores: dict[int, float] = {}
    sample = fit_sample(files, total or FIT_SAMPLE)
    if k is None:
        k, k_scores = choose_k(sample, seed=seed)
    centroids = fit_centroids(sample, min(k, len(sample)), seed)
    k = len(centroids)
    count = ray.remote(_count)
    sizes = np.sum(ray.get([count.remote(str(f), centroids) for f in files]), axis=0)
    numbering = size_numbering(sizes)  # cluster 0 is the largest, as locally
    assign = ray.remote(_assign)
    with replacing(directory):
        ray.get([assign.remote(str(f), centroids, numbering, str(directory)) for f in files])
    labels: list[list[str]] = [[] for _ in range(k)]
    if label_texts and label_vectors is not None and len(label_vectors):
        terms = ctfidf_terms(label_texts, numbering[_nearest(label_vectors, centroids)[0]])
        labels = [terms.get(c, []) for c in range(k)]
    by_number = np.empty(k, np.int64)
    by_number[numbering] = sizes
    return ShardClusters(k, by_number.tolist(), labels, str(directory), k_scores)


@dataclass(frozen=True)
class ShardClustering:
    """`cluster_files_on_ray`'s result: the clusters, where the vectors and assignments are, and
    the records skipped while reading."""

    documents: int
    encoder: str
    clusters: ShardClusters
    vectors: str
    problems: list[Problem] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """As `cluster --shards DIR --json` prints it."""
        result = self.clusters
        return to_jsonable({"documents": self.documents, "k": result.k, "k_scores": result.k_scores,
                            "clusters": [{"id": c, "size": size, "label": ", ".join(terms[:5]), "terms": terms}
                                         for c, (size, terms) in enumerate(zip(result.sizes, result.labels))],
                            "vectors": self.vectors, "assignments": result.directory})


def cluster_files_on_ray(paths: Sequence[str | os.PathLike[str]], engine: RayEngine, model: Encoder | str,
                         directory: str | os.PathLike[str], *, k: int | None = None, seed: int = 0,
                         store: VectorStore | None = None, clean: bool = True, strict: bool = False,
                         text_field: str | None = None,
    id_field: str | None = None,
                         on_read: Callable[[list[Problem]], None] | None = None) -> ShardClustering:
    """The corpus in `paths` read, embedded and clustered on Ray past one machine's memory:
    vectors as Parquet shards in DIR/vectors, assignments (id, cluster, distance) in
    DIR/clusters; k-means fitted on a sample of the shards (`cluster_shards`). `store`: the
    vector cache (default: the default cache, opened and closed here). `on_read` is told the
    skipped records as soon as reading ends."""
    if store is None:
        with VectorStore() as default:
            return cluster_files_on_ray(paths, engine, model, directory, k=k, seed=seed, store=default, clean=clean,
                                        strict=strict, text_field=text_field, id_field=id_field, on_read=on_read)
    directory = Path(directory)
    encoder = resolve_encoder(model, cache=store.directory)
    identity = shard_identity(encoder)  # a corpus-fitted encoder (TF-IDF) has no vectors to shard
    read = engine.read_documents(paths, clean=clean, strict=strict, text_field=text_field, id_field=id_field)
    if on_read is not None:
        on_read(read.problems)
    engine.embed_to_shards(read, encoder, store, directory / "vectors")
    sample = read.dataset.take(LABEL_SAMPLE)
    contents = [content_of(row["title"], row["text"]) for row in sample]
    hashes = [text_hash(c) for c in contents]
    found = store.get_many(identity, hashes)
    vectors = np.vstack([found[h] for h in hashes])
    result = cluster_shards(engine.connect(), shard_files(directory / "vectors", identity), k,
                            directory / "clusters", seed=seed, label_texts=contents, label_vectors=vectors,
                            total=read.count)
    return ShardClustering(read.count, encoder.name, result, str(directory / "vectors"), read.problems)
