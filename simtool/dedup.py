"""Near-duplicate groups: republished copies of one story, found lexically and semantically.

Lexical: each document's 5-word shingles are hashed (simtool.shingling), MinHash signatures
are computed from the hashes (rensa, a Rust MinHash) and banded for LSH (simtool.minhash) at a
candidate threshold below the one asked for, and candidate pairs are verified by their exact
shingle Jaccard, so no reported pair is below the threshold and edited copies near it are not
lost to LSH's probabilistic miss (Broder 1997; Leskovec, Rajaraman and Ullman, "Mining of
Massive Datasets" ch. 3). `containment` (the share of the smaller shingle set found in the
larger) can confirm a pair too: a copy with a paragraph dropped. Candidates are verified most
similar first, and one whose documents are already joined is skipped: twenty copies of a story
need nineteen verifications, not 190.

Semantic: cosine of cached vectors over blocked matrix products; a candidate is confirmed only
when the texts also share wording (3-word shingle containment), so two different articles on
one topic are not called duplicates.

Groups are the connected components of the confirmed pairs: every confirmed pair lands in one
group, even through a chain of copies (A edits B edits C), which is how syndication spreads.
Each group's canonical member is the earliest dated, else the longest, else the first by id.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import minimum_spanning_tree

from simtool.corpus import Corpus
from simtool.document import Document
from simtool.embed import embed
from simtool.encoders.base import Encoder
from simtool.similarity import cosine_matrix
from simtool.engines import Engine, LocalEngine
from simtool.minhash import estimated_jaccard, jaccard_upper_bound, lsh_candidate_pairs, minhash_signatures
from simtool.sentence_diff import SentenceDiff
from simtool.shingling import RowOverlap, ShingleOverlap
from simtool.store import VectorStore
from simtool.text import shingles, words

METHODS = ("minhash", "semantic", "both")
SHINGLE_SIZE = 5
CONFIRM_SHINGLE_SIZE = 3
CONFIRM_CONTAINMENT = 0.3


@dataclass(frozen=True)
class DuplicatePair:
    """Two documents confirmed as copies, with the scores that confirmed them."""

    a: str
    b: str
    jaccard: float
    containment: float
    cosine: float | None
    method: str


@dataclass(frozen=True)
class GroupMember:
    """A member of a group, compared with the group's canonical document."""

    id: str
    title: str
    date: str | None
    source: str | None
    jaccard: float
    containment: float
    added: tuple[str, ...] = ()    # sentences this copy has and the canonical lacks
    dropped: tuple[str, ...] = ()  # sentences of the canonical this copy lacks


@dataclass(frozen=True)
class DuplicateGroup:
    """One story and its copies; `members` lists every id, the canonical first."""

    canonical: str
    members: list[str]
    details: list[GroupMember]
    first_date: str | None
    last_date: str | None
    sources: list[str]
    pairs: list[DuplicatePair] = field(default_factory=list)  # the confirmed pairs that joined it


@dataclass(frozen=True)
class DedupResult:
    """Groups (largest first), the confirmed pairs behind them, and the settings used."""

    groups: list[DuplicateGroup]
    pairs: list[DuplicatePair]
    n_documents: int
    settings: dict[str, object] = field(default_factory=dict)


def dedup_text(doc: Document) -> str:
    """What dedup compares: the body (a reprint often changes the headline), else the title."""
    return body_or_title(doc.text, doc.title)


def body_or_title(text: str | None, title: str | None) -> str:
    """`dedup_text` from the two fields."""
    return text if text and text.strip() else (title or "")


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


def could_reach(estimates: np.ndarray, sizes_a: np.ndarray, sizes_b: np.ndarray, threshold: float,
                containment_threshold: float | None, num_perm: int) -> np.ndarray:
    """Which pairs could still reach a threshold, judged from their MinHash estimate and set sizes.

    Jaccard is at most the smaller set's size over the larger's; beyond that, a pair whose
    estimate, five standard errors up, reaches neither threshold is dropped (containment is
    bounded through |A & B| = J (|A| + |B|) / (1 + J)).
    """
    small = np.minimum(sizes_a, sizes_b).astype(np.float64)
    large = np.maximum(sizes_a, sizes_b).astype(np.float64)
    upper = jaccard_upper_bound(estimates, num_perm)
    keep = (upper >= threshold) & (small >= threshold * large)
    if containment_threshold is not None:
        shared = upper * (small + large) / (1.0 + upper)
        keep |= shared >= containment_threshold * small
    return keep


def lowest_candidate_jaccard(threshold: float, containment_threshold: float | None) -> float:
    """The Jaccard LSH must find pairs down to: the threshold, or half the containment threshold
    (a copy that keeps 56% of a text has containment 0.8 and Jaccard 0.4), at least 0.05."""
    lowest = threshold if containment_threshold is None else min(threshold, containment_threshold / 2)
    return max(0.05, lowest)


def accepted(jaccard, containment, threshold: float, containment_threshold: float | None):
    """Whether pairs with these exact scores are copies (works on floats and on arrays)."""
    if containment_threshold is None:
        return jaccard >= threshold
    return (jaccard >= threshold) | (containment >= containment_threshold)


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
    indptr, indices = [0], []
    for text in texts:
        indices.extend(vocabulary.setdefault(s, len(vocabulary)) for s in shingles(words(text), size))
        indptr.append(len(indices))
    matrix = sp.csr_matrix((np.ones(len(indices), np.float32), indices, indptr),
                           shape=(len(texts), len(vocabulary)))
    sizes = np.diff(matrix.indptr)  # sets: each shingle once per row
    shared = sp.triu(matrix @ matrix.T, k=1).tocoo()
    scores = shared.data / (sizes[shared.row] + sizes[shared.col] - shared.data)
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


def _canonical_order(doc: Document) -> tuple:
    # Earliest date first (undated last), then longest text, then id.
    return (doc.date is None, doc.date or 0, -len(dedup_text(doc)), doc.id)


def _group(corpus: Corpus, rows: list[int], overlap: RowOverlap, pairs: list[DuplicatePair],
           describe: bool) -> DuplicateGroup:
    ordered = sorted(rows, key=lambda r: _canonical_order(corpus.documents[r]))
    canonical_row = ordered[0]
    canonical = corpus.documents[canonical_row]
    differ = SentenceDiff(canonical.text) if describe else None
    details = []
    for row, scores in zip(ordered, overlap.against(canonical_row, ordered)):
        doc = corpus.documents[row]
        added, dropped = differ.diff(doc.text) if differ and row != canonical_row else ((), ())
        details.append(GroupMember(doc.id, doc.title, doc.date.isoformat() if doc.date else None,
                                   doc.source, *(round(score, 4) for score in scores), added, dropped))
    docs = [corpus.documents[r] for r in ordered]
    dates = sorted(d.date for d in docs if d.date)
    sources = sorted({d.source for d in docs if d.source})
    return DuplicateGroup(canonical.id, [d.id for d in docs], details,
                          dates[0].isoformat() if dates else None,
                          dates[-1].isoformat() if dates else None, sources, pairs)


def find_duplicates(
    corpus: Corpus,
    *,
    method: str = "minhash",
    threshold: float = 0.5,
    containment_threshold: float | None = 0.8,
    semantic_threshold: float = 0.9,
    encoder: Encoder | None = None,
    store: VectorStore | None = None,
    num_perm: int = 128,
    seed: int = 1,
    all_pairs: bool = False,
    describe: bool = True,
    engine: Engine | None = None,
) -> DedupResult:
    """Groups of near-duplicate documents in `corpus`.

    threshold: exact 5-word-shingle Jaccard a lexical pair needs (0 < t <= 1).
    containment_threshold: a pair whose shingle containment reaches it is also a copy (a copy
        with a paragraph dropped); None to decide by Jaccard alone.
    semantic_threshold: cosine a semantic pair needs (with `method` "semantic" or "both"),
        confirmed by 3-word shingle containment >= 0.3.
    all_pairs: verify and report every lexical pair, not only those that join a group
        (the groups are the same; slower where copies of one story are many).
    describe: list each member's sentences added and dropped against the canonical.
    engine: where pairs are found and grouped (this process, or distributed on Ray, which
        verifies every candidate as `all_pairs` does); the groups are the same either way.
    """
    if method not in METHODS:
        raise ValueError(f"method must be one of {', '.join(METHODS)}; got {method!r}")
    if not 0.0 < threshold <= 1.0:
        raise ValueError(f"threshold must be in (0, 1]; got {threshold!r}")
    if containment_threshold is not None and not 0.0 < containment_threshold <= 1.0:
        raise ValueError(f"containment_threshold must be in (0, 1]; got {containment_threshold!r}")
    if method != "minhash" and encoder is None:
        raise ValueError(f"method {method!r} needs an encoder")

    texts = [dedup_text(doc) for doc in corpus]
    engine = engine or LocalEngine()
    lexical = (engine.duplicate_pairs(texts, SHINGLE_SIZE, threshold, containment_threshold, num_perm, seed,
                                      all_pairs) if method in ("minhash", "both") else {})
    semantic: dict[tuple[int, int], float] = {}
    if method in ("semantic", "both"):
        vectors, _ = embed([doc.content for doc in corpus], encoder, store, engine=engine)
        semantic = semantic_candidates(vectors, semantic_threshold)
    # Shingle sets again only for the documents in some pair: the groups' scores and diffs.
    overlap = RowOverlap(texts, {row for pair in [*lexical, *semantic] for row in pair}, SHINGLE_SIZE)
    confirmed = lexical_confirmed(corpus.ids, lexical)
    ids = corpus.ids
    if semantic:
        small = RowOverlap(texts, {row for pair in semantic for row in pair}, CONFIRM_SHINGLE_SIZE)
        for (i, j), cosine in sorted(semantic.items()):
            if small(i, j)[1] < CONFIRM_CONTAINMENT:
                continue
            kind = "both" if (i, j) in confirmed else "semantic"
            jac, con = overlap(i, j)
            confirmed[(i, j)] = DuplicatePair(ids[i], ids[j], round(jac, 4), round(con, 4),
                                              round(cosine, 4), kind)

    groups = _components(corpus, confirmed, overlap, describe, engine)
    settings = dedup_settings(method, threshold, containment_threshold, num_perm, seed, all_pairs,
                              semantic_threshold, encoder.name if encoder is not None else None)
    return DedupResult(groups, list(confirmed.values()), len(corpus), settings)


def dedup_settings(method: str, threshold: float, containment_threshold: float | None, num_perm: int, seed: int,
                   all_pairs: bool, semantic_threshold: float | None = None,
                   encoder: str | None = None) -> dict[str, object]:
    """The settings a DedupResult records."""
    return {"method": method, "threshold": threshold, "containment_threshold": containment_threshold,
            "semantic_threshold": semantic_threshold if method != "minhash" else None,
            "shingle_size": SHINGLE_SIZE, "num_perm": num_perm, "seed": seed, "all_pairs": all_pairs,
            "encoder": encoder if method != "minhash" else None}


def lexical_confirmed(ids: Sequence[str], lexical: dict[tuple[int, int], tuple[float, float]]
                      ) -> dict[tuple[int, int], DuplicatePair]:
    """Accepted lexical pairs (rows) as DuplicatePairs."""
    return {(i, j): DuplicatePair(ids[i], ids[j], round(jac, 4), round(con, 4), None, "minhash")
            for (i, j), (jac, con) in lexical.items()}


def lexical_result(corpus: Corpus, lexical: dict[tuple[int, int], tuple[float, float]], engine: Engine,
                   describe: bool, settings: dict[str, object], n_documents: int) -> DedupResult:
    """The groups of accepted lexical pairs among `corpus`'s documents (which may be only the
    documents in some pair, out of `n_documents`)."""
    overlap = RowOverlap([dedup_text(doc) for doc in corpus], {row for pair in lexical for row in pair}, SHINGLE_SIZE)
    confirmed = lexical_confirmed(corpus.ids, lexical)
    return DedupResult(_components(corpus, confirmed, overlap, describe, engine), list(confirmed.values()),
                       n_documents, settings)


def _components(corpus: Corpus, confirmed: dict[tuple[int, int], DuplicatePair], overlap: RowOverlap,
                describe: bool, engine: Engine) -> list[DuplicateGroup]:
    if not confirmed:
        return []
    rows, labels = engine.components(np.array(list(confirmed), dtype=np.int64), len(corpus))
    label_of = dict(zip(rows.tolist(), labels.tolist()))
    members: dict[int, list[int]] = {}
    for row in sorted(label_of):
        members.setdefault(label_of[row], []).append(row)
    edges: dict[int, list[DuplicatePair]] = {}
    for (i, _), pair in confirmed.items():
        edges.setdefault(label_of[i], []).append(pair)
    groups = [_group(corpus, rows, overlap, edges[label], describe) for label, rows in members.items()]
    return sorted(groups, key=lambda g: (-len(g.members), g.canonical))


def deduplicated(corpus: Corpus, result: DedupResult) -> tuple[list[Document], dict[str, str]]:
    """The corpus without non-canonical copies, and each dropped id's canonical id."""
    mapping = {member: group.canonical for group in result.groups for member in group.members[1:]}
    return [doc for doc in corpus if doc.id not in mapping], mapping
