"""Near-duplicate groups: republished copies of one story, found lexically and semantically.

Lexical: MinHash signatures of each document's 5-word shingles (rensa, a Rust MinHash about
50x faster than datasketch here) go into an LSH index tuned to a candidate threshold below the
one asked for, and every candidate pair is then verified by its exact shingle Jaccard, so no
reported pair is below the threshold and edited copies near it are not lost to LSH's
probabilistic miss (Broder 1997; Leskovec, Rajaraman and Ullman, "Mining of Massive Datasets"
ch. 3). `containment` (the share of the smaller shingle set found in the larger) can confirm a
pair too: a copy with a paragraph dropped.

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
from scipy.sparse.csgraph import connected_components

from simtool.corpus import Corpus
from simtool.document import Document
from simtool.embed import embed
from simtool.encoders.base import Encoder
from simtool.similarity import cosine_matrix
from simtool.store import VectorStore
from simtool.text import containment, normalize_space, overlap, shingles, words

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
    return doc.text if doc.text.strip() else doc.title


def shingle_sets(texts: Sequence[str], size: int = SHINGLE_SIZE) -> list[set[str]]:
    """Word shingles of each text (a text shorter than `size` words is one shingle)."""
    return [shingles(words(text), size) for text in texts]


def minhash_candidates(sets: Sequence[set[str]], threshold: float, num_perm: int = 128,
                       seed: int = 1) -> set[tuple[int, int]]:
    """Pairs (i < j) whose MinHash signatures collide in an LSH index for `threshold`."""
    from rensa import RMinHash, RMinHashLSH

    bands = _bands_for(threshold, num_perm)
    index = RMinHashLSH(threshold=threshold, num_perm=num_perm, num_bands=bands)
    signatures = []
    for i, items in enumerate(sets):
        signature = RMinHash(num_perm=num_perm, seed=seed)
        signature.update(list(items))  # MinHash is order-free: the same set gives the same signature
        signatures.append(signature)
        if items:
            index.insert(i, signature)
    pairs: set[tuple[int, int]] = set()
    for i, signature in enumerate(signatures):
        if not sets[i]:
            continue
        for j in index.query(signature):
            if j != i:
                pairs.add((min(i, j), max(i, j)))
    return pairs


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


def _bands_for(threshold: float, num_perm: int) -> int:
    """The band count whose S-curve midpoint (1/b)^(1/r) is nearest `threshold`."""
    best, best_gap = 1, float("inf")
    for bands in range(1, num_perm + 1):
        if num_perm % bands:
            continue
        rows = num_perm // bands
        gap = abs((1 / bands) ** (1 / rows) - threshold)
        if gap < best_gap:
            best, best_gap = bands, gap
    return best


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


def _sentence_keys(doc: Document) -> dict[str, str]:
    return {normalize_space(s).lower(): s for s in doc.sentences}


def _group(corpus: Corpus, rows: list[int], sets: list[set[str]], pairs: list[DuplicatePair]) -> DuplicateGroup:
    docs = sorted((corpus.documents[r] for r in rows), key=_canonical_order)
    row_of = {corpus.documents[r].id: r for r in rows}
    canonical = docs[0]
    canonical_sentences = _sentence_keys(canonical)
    details = []
    for doc in docs:
        own = _sentence_keys(doc)
        a, b = sets[row_of[canonical.id]], sets[row_of[doc.id]]
        details.append(GroupMember(
            doc.id, doc.title, doc.date.isoformat() if doc.date else None, doc.source,
            *(round(score, 4) for score in overlap(a, b)),
            tuple(s for k, s in own.items() if k not in canonical_sentences),
            tuple(s for k, s in canonical_sentences.items() if k not in own),
        ))
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
) -> DedupResult:
    """Groups of near-duplicate documents in `corpus`.

    threshold: exact 5-word-shingle Jaccard a lexical pair needs (0 < t <= 1).
    containment_threshold: a pair whose shingle containment reaches it is also a copy (a copy
        with a paragraph dropped); None to decide by Jaccard alone.
    semantic_threshold: cosine a semantic pair needs (with `method` "semantic" or "both"),
        confirmed by 3-word shingle containment >= 0.3.
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
    sets = shingle_sets(texts)
    confirmed: dict[tuple[int, int], DuplicatePair] = {}
    ids = corpus.ids

    if method in ("minhash", "both"):
        lowest = min(threshold, containment_threshold or threshold)
        candidate_threshold = max(0.05, 0.7 * lowest)  # LSH misses few pairs well above its midpoint
        for i, j in sorted(minhash_candidates(sets, candidate_threshold, num_perm, seed)):
            jac, con = overlap(sets[i], sets[j])
            if jac >= threshold or (containment_threshold is not None and con >= containment_threshold):
                confirmed[(i, j)] = DuplicatePair(ids[i], ids[j], round(jac, 4), round(con, 4), None, "minhash")

    if method in ("semantic", "both"):
        vectors, _ = embed([doc.content for doc in corpus], encoder, store)
        small = shingle_sets(texts, CONFIRM_SHINGLE_SIZE)
        for (i, j), cosine in sorted(semantic_candidates(vectors, semantic_threshold).items()):
            if containment(small[i], small[j]) < CONFIRM_CONTAINMENT:
                continue
            previous = confirmed.get((i, j))
            jac, con = overlap(sets[i], sets[j])
            kind = "both" if previous else "semantic"
            confirmed[(i, j)] = DuplicatePair(ids[i], ids[j], round(jac, 4), round(con, 4),
                                              round(cosine, 4), kind)

    groups = _components(corpus, confirmed, sets)
    settings = {"method": method, "threshold": threshold, "containment_threshold": containment_threshold,
                "semantic_threshold": semantic_threshold if method != "minhash" else None,
                "shingle_size": SHINGLE_SIZE, "num_perm": num_perm, "seed": seed,
                "encoder": encoder.name if encoder is not None and method != "minhash" else None}
    return DedupResult(groups, list(confirmed.values()), len(corpus), settings)


def _components(corpus: Corpus, confirmed: dict[tuple[int, int], DuplicatePair],
                sets: list[set[str]]) -> list[DuplicateGroup]:
    n = len(corpus)
    if not confirmed:
        return []
    rows, cols = zip(*confirmed)
    graph = sp.coo_matrix((np.ones(len(confirmed)), (rows, cols)), shape=(n, n))
    _, labels = connected_components(graph, directed=False)
    members: dict[int, list[int]] = {}
    for row in sorted({r for pair in confirmed for r in pair}):
        members.setdefault(int(labels[row]), []).append(row)
    edges: dict[int, list[DuplicatePair]] = {}
    for (i, _), pair in confirmed.items():
        edges.setdefault(int(labels[i]), []).append(pair)
    groups = [_group(corpus, rows, sets, edges[label]) for label, rows in members.items()]
    return sorted(groups, key=lambda g: (-len(g.members), g.canonical))


def deduplicated(corpus: Corpus, result: DedupResult) -> tuple[list[Document], dict[str, str]]:
    """The corpus without non-canonical copies, and each dropped id's canonical id."""
    mapping = {member: group.canonical for group in result.groups for member in group.members[1:]}
    return [doc for doc in corpus if doc.id not in mapping], mapping
