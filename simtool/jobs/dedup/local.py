"""Near-duplicate pairs in this process: MinHash LSH candidates verified exactly.

Each document's 5-word shingles are hashed (simtool.text.shingling), MinHash signatures are
computed from the hashes (rensa, a Rust MinHash) and banded for LSH (`minhash`) at a candidate
threshold below the one asked for, and candidate pairs are verified by their exact shingle
Jaccard, so no reported pair is below the threshold and edited copies near it are not lost to
LSH's probabilistic miss (Broder 1997; Leskovec, Rajaraman and Ullman, "Mining of Massive
Datasets" ch. 3). Candidates are verified most similar first, and one whose documents are
already joined is skipped: twenty copies of a story need nineteen verifications, not 190.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components, minimum_spanning_tree

from simtool.jobs.dedup.minhash import estimated_jaccard, lsh_candidate_pairs, minhash_signatures
from simtool.jobs.dedup.rules import DedupSettings, accepted, could_reach, lowest_candidate_jaccard
from simtool.text.basics import SHINGLE_SIZE, overlap_scores, text_shingles
from simtool.text.shingling import ShingleOverlap, hash_shingles
from simtool.vectors.similarity import cosine_matrix


def duplicate_pairs(texts: Sequence[str], settings: DedupSettings) -> dict[tuple[int, int], tuple[float, float]]:
    """Pairs (i < j) of `texts` accepted as copies, with their (Jaccard, containment)."""
    overlap = ShingleOverlap(hash_shingles(texts, settings.shingle_size))
    return lexical_pairs(overlap, settings.threshold, settings.containment_threshold, settings.num_perm,
                         settings.seed, settings.all_pairs)


def components(edges: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """(rows, labels): each row found in `edges` ((m, 2) pairs of rows below `n`) and a label
    its connected component shares."""
    rows = np.unique(edges)
    graph = sp.coo_matrix((np.ones(len(edges)), (edges[:, 0], edges[:, 1])), shape=(n, n))
    _, labels = connected_components(graph, directed=False)
    return rows, labels[rows]


def lexical_pairs(overlap: ShingleOverlap, threshold: float, containment_threshold: float | None,
                  num_perm: int = 128, seed: int = 1,
                  all_pairs: bool = False) -> dict[tuple[int, int], tuple[float, float]]:
    """Pairs (i < j) confirmed by exact Jaccard or containment, with their (Jaccard, containment).

    LSH proposes candidates down to the Jaccard threshold, or down to half the containment
    threshold (a copy that keeps 56% of a text has containment 0.8 and Jaccard 0.4). A candidate whose
    MinHash estimate, five standard errors up, still reaches neither threshold is dropped; the
    rest are verified exactly, most similar first. Unless `all_pairs`, a candidate whose two
    documents are already joined through confirmed pairs is not verified again: the groups are
    the same, and the pairs returned are a spanning forest of them rather than every pair.
    """
    shingled = overlap.shingles
    signatures = minhash_signatures(shingled, num_perm, seed)
    candidates = lsh_candidate_pairs(signatures, lowest_candidate_jaccard(threshold, containment_threshold),
                                     include=shingled.counts() > 0)
    estimates = estimated_jaccard(signatures, candidates)
    candidates, estimates = _plausible(candidates, estimates, overlap, threshold, containment_threshold, num_perm)
    by_estimate = np.argsort(-estimates, kind="stable")
    candidates, estimates = candidates[by_estimate], estimates[by_estimate]

    components = _UnionFind(len(shingled))
    confirmed: dict[tuple[int, int], tuple[float, float]] = {}

    def accept(scores: tuple[float, float]) -> bool:
        return bool(accepted(*scores, threshold, containment_threshold))

    if not all_pairs:
        # A maximum spanning forest of the candidates (by estimate) first: it joins most copies
        # with one verification each, and the candidates it makes redundant are dropped in bulk.
        forest = _spanning_forest(candidates, estimates, len(shingled))
        _verify(forest, overlap, accept, components, confirmed, skip_joined=True)
        labels = components.labels()
        candidates = candidates[labels[candidates[:, 0]] != labels[candidates[:, 1]]]
    _verify(candidates, overlap, accept, components, confirmed, skip_joined=not all_pairs)
    return dict(sorted(confirmed.items()))


def _plausible(candidates: np.ndarray, estimates: np.ndarray, overlap: ShingleOverlap, threshold: float,
               containment_threshold: float | None, num_perm: int) -> tuple[np.ndarray, np.ndarray]:
    """The candidates that could still reach a threshold (see `could_reach`)."""
    sizes = np.zeros(len(overlap.shingles), np.float64)
    involved = np.unique(candidates)
    sizes[involved] = [overlap.size(i) for i in involved.tolist()]
    keep = could_reach(estimates, sizes[candidates[:, 0]], sizes[candidates[:, 1]], threshold,
                       containment_threshold, num_perm)
    return candidates[keep], estimates[keep]


def _spanning_forest(pairs: np.ndarray, estimates: np.ndarray, n: int) -> np.ndarray:
    """The pairs of a maximum spanning forest of the candidate graph, most similar first."""
    graph = sp.csr_matrix((2.0 - estimates, (pairs[:, 0], pairs[:, 1])), shape=(n, n))  # weights > 0
    tree = minimum_spanning_tree(graph).tocoo()
    forest = np.stack([np.minimum(tree.row, tree.col), np.maximum(tree.row, tree.col)], axis=1)
    return forest[np.argsort(tree.data, kind="stable")].astype(np.int64)


def _verify(pairs: np.ndarray, overlap: ShingleOverlap, accept, components: _UnionFind,
            confirmed: dict[tuple[int, int], tuple[float, float]], skip_joined: bool) -> None:
    """Verify `pairs` in order, exactly; record and join those accepted."""
    find, parent = components.find, components.parent  # local names: this loop runs per pair
    for i, j in zip(pairs[:, 0].tolist(), pairs[:, 1].tolist()):
        root_i, root_j = find(i), find(j)
        if skip_joined and root_i == root_j:
            continue
        scores = overlap(i, j)
        if accept(scores):
            confirmed[(i, j)] = scores
            parent[root_i] = root_j


class _UnionFind:
    """Disjoint sets with path halving: which documents confirmed pairs have joined so far."""

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        parent = self.parent
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def labels(self) -> np.ndarray:
        """Each element's set, as the index of its representative."""
        return np.array([self.find(i) for i in range(len(self.parent))], dtype=np.int64)



def exact_jaccard_pairs(texts: Sequence[str], threshold: float,
                        size: int = SHINGLE_SIZE) -> dict[tuple[int, int], float]:
    """Every pair (i < j) with shingle Jaccard >= threshold, exactly, by sparse matrix products.

    The ground truth for tests and benchmarks: no sampling, quadratic only in the pairs that
    share a shingle.
    """
    vocabulary: dict[str, int] = {}
    indptr, indices = [0], []  # type: list[int], list[int]
    for text in texts:
        indices.extend(vocabulary.setdefault(s, len(vocabulary)) for s in text_shingles(text, size))
        indptr.append(len(indices))
    matrix = sp.csr_matrix((np.ones(len(indices), np.float32), indices, indptr),
                           shape=(len(texts), len(vocabulary)))
    sizes = np.diff(matrix.indptr)  # sets: each shingle once per row
    shared = sp.triu(matrix @ matrix.T, k=1).tocoo()
    scores, _ = overlap_scores(shared.data, sizes[shared.row], sizes[shared.col])
    keep = scores >= threshold
    return {(int(i), int(j)): float(v)
            for i, j, v in zip(shared.row[keep], shared.col[keep], scores[keep])}


def semantic_candidates(vectors, threshold: float, block: int = 2048) -> dict[tuple[int, int], float]:
    """Pairs (i < j) with cosine >= threshold, computed block by block (memory: block x n)."""
    found: dict[tuple[int, int], float] = {}
    n = vectors.shape[0]
    for start in range(0, n, block):
        scores = cosine_matrix(vectors[start:start + block], vectors)
        rows, cols = np.nonzero(scores >= threshold)
        for r, c in zip(rows.tolist(), cols.tolist()):
            i = start + r
            if i < c:
                found[(i, c)] = float(scores[r, c])
    return found


