"""The benchmark's scores, from vectors and gold labels; each as MTEB computes it.

All vectors arrive L2-normalised (dense arrays or sparse CSR rows), so a dot product is a cosine.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from scipy.stats import spearmanr
from sklearn.cluster import KMeans
from sklearn.metrics import (
    adjusted_rand_score,
    average_precision_score,
    normalized_mutual_info_score,
    precision_recall_curve,
    v_measure_score,
)

from simtool.encoders.base import Vectors

RANK_CUTOFF = 10
_QUERY_BLOCK = 1024  # queries scored at once: a 1024 x n block of scores in memory


def paired_cosine(first: Vectors, second: Vectors) -> np.ndarray:
    """Cosine of row i of `first` with row i of `second`."""
    if sp.issparse(first):
        return np.asarray(first.multiply(second).sum(axis=1)).ravel()
    return np.einsum("ij,ij->i", np.asarray(first), np.asarray(second))


def spearman(scores: np.ndarray, gold: list[float]) -> float:
    """Spearman's rank correlation of cosines with the gold scores (STS)."""
    return float(spearmanr(gold, scores).statistic)


def pair_classification(scores: np.ndarray, labels: list[float]) -> dict[str, float]:
    """Average precision of the cosines for the positive label, and the best F1 over all
    thresholds with that threshold (chosen on the same pairs, as MTEB does)."""
    truth = np.asarray(labels) > 0
    precision, recall, thresholds = precision_recall_curve(truth, scores)
    f1 = np.divide(2 * precision * recall, precision + recall,
                   out=np.zeros_like(precision), where=(precision + recall) > 0)
    best = int(np.argmax(f1[:-1])) if len(thresholds) else 0
    return {"ap": float(average_precision_score(truth, scores)), "f1": float(f1[best]),
            "f1_threshold": float(thresholds[best]) if len(thresholds) else 0.0}


def clustering(vectors: Vectors, labels: list[object], seeds: int = 5) -> dict[str, tuple[float, float]]:
    """KMeans with k = the number of classes, once per seed (one k-means++ start each, like
    MTEB's MiniBatchKMeans): V-measure, NMI and the adjusted Rand index, each as (mean, standard
    deviation)."""
    k = len(set(labels))
    found: dict[str, list[float]] = {"v_measure": [], "nmi": [], "ari": []}
    for seed in range(seeds):
        predicted = KMeans(k, n_init=1, random_state=seed).fit_predict(vectors)
        found["v_measure"].append(v_measure_score(labels, predicted))
        found["nmi"].append(normalized_mutual_info_score(labels, predicted))
        found["ari"].append(adjusted_rand_score(labels, predicted))
    return {name: (float(np.mean(values)), float(np.std(values))) for name, values in found.items()}


def ranks_of_relevant(queries: Vectors, documents: Vectors, relevant: list[int]) -> np.ndarray:
    """For each query, how many documents score at least as high as its relevant one (0 = first).

    Ties count against the query: a query that scores every document 0 (no shared term under
    TF-IDF) finds nothing, rather than its document by luck of the order.
    """
    relevant_rows = np.asarray(relevant)
    ranks = np.empty(len(relevant_rows), dtype=np.int64)
    for start in range(0, len(relevant_rows), _QUERY_BLOCK):
        block = queries[start:start + _QUERY_BLOCK] @ documents.T
        block = block.toarray() if sp.issparse(block) else np.asarray(block)
        rows = np.arange(len(block))
        own = block[rows, relevant_rows[start:start + _QUERY_BLOCK]]
        ranks[start:start + len(block)] = (block >= own[:, None]).sum(axis=1) - 1
    return ranks


def retrieval(ranks: np.ndarray) -> dict[str, float]:
    """MRR@10, Recall@10 and nDCG@10 with one relevant document per query."""
    found = ranks < RANK_CUTOFF
    return {"mrr_at_10": float(np.mean(np.where(found, 1.0 / (ranks + 1), 0.0))),
            "recall_at_10": float(np.mean(found)),
            "ndcg_at_10": float(np.mean(np.where(found, 1.0 / np.log2(ranks + 2), 0.0)))}
