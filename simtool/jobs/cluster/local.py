"""Clustering a corpus into stories and topics: representation -> algorithm -> labels.

Representations (`represent`): TF-IDF reduced by TruncatedSVD (latent semantic analysis), any
encoder's vectors, or `hybrid`, both side by side with equal weight.

Algorithms (`assign_clusters`): k-means, Ward agglomerative (on a k-nearest-neighbour graph past
5,000 documents, so memory stays linear), and HDBSCAN, whose noise stays noise (-1).

`hybrid` with k-means adds an agreement step: k-means runs on the hybrid vectors, on the
TF-IDF view and on the embedding view; the documents all three put in the same cluster are a
confident core, and a logistic regression trained on the core assigns every document. The
documents the views disagree on are the ones a single k-means gets wrong most often. Five
seeds' classifiers are averaged. Measured on BBC, NMI goes from 0.895 (hybrid k-means alone)
to 0.919 with one seed and 0.922 with five. When the views agree on under
half the documents (many small topics, short texts) the core no longer represents the
clusters and plain k-means on the hybrid is kept (on HuffPost the step cost 0.03 NMI).

The same documents give the same clusters in any order: the LSA view is fitted, and the rows
clustered, in the order of their texts' hashes (k-means' seeding and the samples that choose k
draw rows by position; a refit of a kept state then equals a batch run on the same documents).

Labels are the top terms of each cluster by class-based TF-IDF (Grootendorst 2022, BERTopic's
c-TF-IDF): a term's frequency in the cluster, times log(1 + average cluster size in words /
the term's frequency over all clusters).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from scipy.optimize import linear_sum_assignment
from sklearn.cluster import HDBSCAN, AgglomerativeClustering, KMeans
from sklearn.decomposition import PCA
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score, v_measure_score
from sklearn.neighbors import kneighbors_graph
from sklearn.preprocessing import normalize

from simtool.encoders import Encoder, resolve_encoder
from simtool.encoders.tfidf import LsaEncoder
from simtool.errors import InputError
from simtool.io.corpus import Corpus
from simtool.jobs.cluster.rules import AUTO_K_RANGE, NOISE, choose_k, ctfidf_terms, size_numbering
from simtool.results import to_jsonable
from simtool.text.basics import text_key
from simtool.vectors.embed import embed
from simtool.vectors.engine import Engine
from simtool.vectors.store import VectorStore

ALGORITHMS = ("kmeans", "agglomerative", "hdbscan")
HYBRID = "hybrid"
HYBRID_ENCODER = "minilm"
SVD_DIMENSIONS = 100
LARGE_FOR_WARD = 5_000  # past this, Ward runs on a k-nearest-neighbour graph
SHORT_TEXT_WORDS = 100  # median length under which a corpus counts as headlines and snippets
MIN_AGREEMENT = 0.5  # share of documents the views must agree on for the agreement step
AGREEMENT_RUNS = 5  # k-means seeds whose agreement classifiers are averaged


@dataclass(frozen=True)
class Representative:
    """A document near a cluster's centre."""

    id: str
    title: str
    score: float  # cosine to the centre


@dataclass(frozen=True)
class Cluster:
    """One cluster: its label (top c-TF-IDF terms), size, representatives, dates and sources."""

    id: int
    label: str
    terms: list[str]
    size: int
    representatives: list[Representative]
    first_date: str | None
    last_date: str | None
    sources: list[str]


@dataclass(frozen=True)
class ClusterSettings:
    """How a clustering was made (`k` is None for HDBSCAN, which finds its own number)."""

    model: str
    algorithm: str
    k: int | None
    seed: int
    n_documents: int
    k_requested: int | str | None = None  # what was asked: a number, "auto", or None (HDBSCAN)
    k_note: str | None = None             # why k differs from what was asked, or a finer k worth asking for
    finer_k: int | None = None            # with --k auto and a coarse split: the most stable k of FINER_K and up


@dataclass(frozen=True)
class ClusterLevel:
    """A finer partition beside a coarse automatic one: its clusters, and for each the coarse
    cluster holding most of its members (`parents`)."""

    k: int
    assignments: dict[str, int]
    clusters: list[Cluster]
    parents: dict[int, int]


@dataclass(frozen=True)
class ClusterResult:
    """Every document's cluster (-1: noise), the clusters largest first, and how they were made."""

    assignments: dict[str, int]
    clusters: list[Cluster]
    noise: list[str]
    settings: ClusterSettings
    k_scores: dict[int, float] = field(default_factory=dict)  # stability per k, when k was chosen
    finer: ClusterLevel | None = None  # with --k auto and a coarse split: the topics within its clusters

    def members(self, cluster: int) -> set[str]:
        """The ids of the documents in `cluster`."""
        return {doc_id for doc_id, label in self.assignments.items() if label == cluster}

    def to_json(self) -> dict[str, Any]:
        """The clustering as `cluster --json` prints it (without an evaluation)."""
        return to_jsonable({"assignments": self.assignments, "clusters": self.clusters, "noise": self.noise,
                            "settings": self.settings, "k_scores": self.k_scores, "finer": self.finer})


@dataclass(frozen=True)
class Views:
    """The vectors clustered, and the views a hybrid is made of (for the agreement step)."""

    vectors: np.ndarray
    parts: tuple[np.ndarray, ...] = ()


def lsa_vectors(texts: Sequence[str], dimensions: int = SVD_DIMENSIONS, seed: int = 0,
                store: VectorStore | None = None) -> np.ndarray:
    """TF-IDF reduced by TruncatedSVD (the `tfidf-svd` encoder), rows L2-normalised; cached in
    `store` for exactly this list of texts."""
    vectors, _ = embed(list(texts), LsaEncoder(dimensions, seed), store)
    return vectors


def tfidf_weight(texts: Sequence[str]) -> float:
    """The TF-IDF view's share of a hybrid: half for articles, a fifth for headline-length texts.

    Two 20-word texts rarely share a term, so TF-IDF says little about them; measured with
    k-means, the best share on BBC articles (median ~330 words) was 0.5 (NMI 0.919; 0.2 gave
    less) and on HuffPost headlines with their summary (median ~30 words) 0.2 (0.299; 0.5 gave 0.264).
    """
    lengths = sorted(len(text.split()) for text in texts)
    return 0.5 if lengths and lengths[len(lengths) // 2] >= SHORT_TEXT_WORDS else 0.2


FINER_K = 5            # a split into fewer clusters is coarse for a news corpus (a few hundred documents or more)
FINER_K_DOCUMENTS = 200


def finer_k(k_scores: dict[int, float], chosen: int | None, n_documents: int) -> int | None:
    """The level below a coarse automatic split: stability prefers few clusters (HuffPost's 10,000
    items split in 2), so where the chosen k is under FINER_K in a corpus of FINER_K_DOCUMENTS or
    more, the most stable k of FINER_K and up (ties to the smaller) is offered beside it."""
    finer = {k: score for k, score in k_scores.items() if k >= FINER_K}
    if chosen is None or chosen >= FINER_K or n_documents < FINER_K_DOCUMENTS or not finer:
        return None
    return max(finer, key=lambda k: (finer[k], -k))


def represent(corpus: Corpus, model: Encoder | str = HYBRID, store: VectorStore | None = None, seed: int = 0,
              progress=None, engine: Engine | None = None) -> Views:
    """The vectors to cluster `corpus` by: `tfidf`, `hybrid`, or any encoder (or its name or path)."""
    texts = [doc.content for doc in corpus]
    if model == "tfidf":
        return Views(lsa_vectors(texts, seed=seed, store=store))
    if model == HYBRID:
        lsa = lsa_vectors(texts, seed=seed, store=store)
        vectors, _ = embed(texts, resolve_encoder(HYBRID_ENCODER), store, progress=progress, engine=engine)
        dense = normalize(np.asarray(vectors, dtype=np.float32))
        weight = tfidf_weight(texts)
        return Views(normalize(np.hstack([np.sqrt(weight) * lsa, np.sqrt(1 - weight) * dense])), (lsa, dense))
    vectors, _ = embed(texts, resolve_encoder(model, cache=store.directory if store else None), store,
                       progress=progress, engine=engine)
    if hasattr(vectors, "toarray"):
        vectors = vectors.toarray()
    return Views(normalize(np.asarray(vectors, dtype=np.float32)))


def assign_clusters(vectors: np.ndarray, algorithm: str = "kmeans", k: int | None = 5, seed: int = 0,
                    min_cluster_size: int | None = None) -> np.ndarray:
    """A cluster number per row (HDBSCAN: -1 for noise; k is then not used)."""
    n = len(vectors)
    if algorithm == "kmeans":
        return KMeans(k, n_init=10, random_state=seed).fit_predict(vectors)
    if algorithm == "agglomerative":
        connectivity = kneighbors_graph(vectors, 15, include_self=False) if n > LARGE_FOR_WARD else None
        return AgglomerativeClustering(k, linkage="ward", connectivity=connectivity).fit_predict(vectors)
    if algorithm == "hdbscan":
        # Density estimates fail in hundreds of dimensions; HDBSCAN runs on the top principal
        # components, as BERTopic runs it on a 5-dimensional UMAP.
        reduced = PCA(min(10, vectors.shape[1], n), random_state=seed).fit_transform(vectors) if n > 10 else vectors
        size = min_cluster_size or max(5, n // 200)
        return HDBSCAN(min_cluster_size=min(size, max(2, n // 2)), copy=True).fit_predict(reduced)
    raise ValueError(f"algorithm must be one of {', '.join(ALGORITHMS)}; got {algorithm!r}")


def agreement_labels(views: Views, k: int, seed: int = 0, runs: int = AGREEMENT_RUNS) -> np.ndarray:
    """k-means on the hybrid and on each view; a classifier trained where all agree labels the rest.

    Repeated for `runs` seeds, with each run's clusters matched to the first run's, and the
    classifiers' probabilities averaged: one k-means start decides less. If the views agree on
    under MIN_AGREEMENT of the documents in the first run, its plain hybrid k-means is returned.
    """
    reference, total = None, np.zeros((len(views.vectors), k))
    for run in range(runs):
        first = KMeans(k, n_init=10, random_state=seed + run).fit_predict(views.vectors)
        if reference is None:
            reference = first
        else:
            first = _aligned(reference, first, k)
        core = np.ones(len(first), bool)
        for part in views.parts:
            core &= _aligned(first, KMeans(k, n_init=10, random_state=seed + run).fit_predict(part), k) == first
        if core.mean() < MIN_AGREEMENT or len(np.unique(first[core])) < 2:
            if run == 0:
                return first  # the views agree on too few documents for them to speak for the clusters
            continue
        classifier = LogisticRegression(C=10.0, max_iter=3000).fit(views.vectors[core], first[core])
        total[:, classifier.classes_] += classifier.predict_proba(views.vectors)
    return total.argmax(axis=1)


def _aligned(reference: np.ndarray, labels: np.ndarray, k: int) -> np.ndarray:
    """`labels` renumbered to best match `reference` (Hungarian matching on the overlaps)."""
    overlap = np.zeros((k, k))
    np.add.at(overlap, (reference, labels), 1)
    rows, cols = linear_sum_assignment(-overlap)
    mapping = np.empty(k, np.int64)
    mapping[cols] = rows
    return mapping[labels]


def evaluate(truth: Sequence[object], labels: Sequence[int]) -> dict[str, float]:
    """NMI, ARI and V-measure of `labels` against the classes in `truth` (noise counts as a cluster)."""
    return {"nmi": round(float(normalized_mutual_info_score(truth, labels)), 4),
            "ari": round(float(adjusted_rand_score(truth, labels)), 4),
            "v_measure": round(float(v_measure_score(truth, labels)), 4)}


def cluster_corpus(corpus: Corpus, *, model: Encoder | str = HYBRID, algorithm: str = "kmeans", k: int | str | None = "auto",
                   store: VectorStore | None = None, seed: int = 0, views: Views | None = None,
                   progress=None, engine: Engine | None = None) -> ClusterResult:
    """Clusters of `corpus`, labelled, with representatives, dates and sources.

    k: a number of clusters, or "auto" to choose it by silhouette (see `choose_k`); ignored by
        HDBSCAN, which finds its own number and leaves noise out.
    views: vectors already computed by `represent` (to cluster one corpus several ways).
    engine: where the documents are embedded (this process, or Ray).
    """
    if algorithm not in ALGORITHMS:
        raise ValueError(f"algorithm must be one of {', '.join(ALGORITHMS)}; got {algorithm!r}")
    n = len(corpus)
    views = views or represent(corpus, model, store, seed, progress, engine)
    # The same documents give the same clusters in any file order (k-means' seeding and k's samples
    # draw rows by position): the rows are clustered in the order of their texts' hashes.
    order = hash_order(corpus, range(n))
    placed = Views(views.vectors[order], tuple(part[order] for part in views.parts)) if n else views
    model_name = model if isinstance(model, str) else model.name
    k_scores: dict[int, float] = {}
    chosen: int | None = None  # HDBSCAN finds its own number
    if algorithm != "hdbscan":
        distinct = len(np.unique(views.vectors.round(5), axis=0)) if n else 0  # identical texts: one point
        if k in (None, "auto"):
            chosen, k_scores = choose_k(placed.vectors, range(2, min(max(AUTO_K_RANGE), distinct - 1) + 1), seed) \
                if distinct > 2 else (1, {})
        elif not isinstance(k, int) or k < 1:
            raise ValueError(f"k must be a positive number or 'auto'; got {k!r}")
        else:
            chosen = k
        chosen = min(int(chosen), distinct)
    asked = k if isinstance(k, int) else ("auto" if algorithm != "hdbscan" else None)
    note = None
    finer = finer_k(k_scores, chosen, n) if asked == "auto" else None
    if finer is not None and chosen is not None:
        note = (f"k={chosen} is the most stable split (stability {k_scores[chosen]:.2f}), a coarse one; the most "
                f"stable finer split, k={finer} ({k_scores[finer]:.2f}), is given beside it as a second level "
                f"(--k {finer} to make it the clusters)")
    if isinstance(k, int) and chosen is not None and chosen < k:
        note = f"k={k} asked; {chosen} clusters: the corpus has only {chosen} distinct documents (identical texts are one)"
    labels, emptied = _partition(placed, algorithm, chosen, seed, n)
    if emptied is not None:
        note = emptied
    labels = _numbered_by_size(np.asarray(labels)[np.argsort(order)])  # back in the corpus's order
    level = None
    if finer is not None:
        finer_labels = _numbered_by_size(np.asarray(_partition(placed, algorithm, finer, seed, n)[0])[np.argsort(order)])
        parents = {int(c): int(np.bincount(labels[finer_labels == c]).argmax()) for c in np.unique(finer_labels)}
        level = ClusterLevel(len(parents), {doc.id: int(c) for doc, c in zip(corpus, finer_labels)},
                             describe_clusters(corpus, finer_labels, views.vectors), parents)
    if chosen is not None and algorithm != "hdbscan":
        chosen = len({int(label) for label in labels if label != NOISE}) or 1
    settings = ClusterSettings(model_name, algorithm, chosen, seed, n, asked, note, finer)
    return ClusterResult(
        assignments={doc.id: int(label) for doc, label in zip(corpus, labels)},
        clusters=describe_clusters(corpus, labels, views.vectors),
        noise=[doc.id for doc, label in zip(corpus, labels) if label == NOISE],
        settings=settings, k_scores=k_scores, finer=level)


def hash_order(corpus: Corpus, rows: Sequence[int]) -> np.ndarray:
    """`rows` in the order of their documents' text hashes (ids break ties): an order that does not
    depend on the order the files list the documents in."""
    return np.array(sorted(rows, key=lambda row: (text_key(corpus.documents[row].content), corpus.documents[row].id)),
                    dtype=np.int64)


def _partition(views: Views, algorithm: str, k: int | None, seed: int, n: int) -> tuple[np.ndarray, str | None]:
    """A cluster number per row of `views`, and a note when the agreement step had to give way."""
    if n < 2 or (k is not None and k <= 1):
        return np.zeros(n, np.int64), None
    if algorithm == "kmeans" and views.parts and k is not None:
        labels = agreement_labels(views, k, seed)
        if len(set(labels.tolist())) < k:  # reconciling the views emptied a cluster: k-means gives k
            found = len(set(labels.tolist()))
            return assign_clusters(views.vectors, algorithm, k, seed), (
                f"the agreement of the views left {found} clusters; k-means on their joined vectors gives the {k} asked")
        return labels, None
    return assign_clusters(views.vectors, algorithm, k, seed), None


def _numbered_by_size(labels: np.ndarray) -> np.ndarray:
    """Clusters renumbered 0, 1, ... from the largest (noise stays -1)."""
    labels = np.asarray(labels, dtype=np.int64)
    numbering = np.append(size_numbering(np.bincount(labels[labels != NOISE])), NOISE)
    return numbering[labels]  # noise (-1) indexes the NOISE appended last


def describe_clusters(corpus: Corpus, labels: np.ndarray, vectors: np.ndarray) -> list[Cluster]:
    """Each cluster of `labels` (any ids; -1 is noise) with its label, terms, representatives, dates and sources."""
    texts = [doc.content for doc in corpus]
    terms = ctfidf_terms(texts, labels)
    clusters = []
    for c in sorted(set(labels.tolist()) - {NOISE}):
        rows = np.flatnonzero(labels == c)
        centre = normalize(vectors[rows].mean(axis=0, keepdims=True))[0]
        scores = vectors[rows] @ centre
        nearest = rows[np.argsort(-scores, kind="stable")[:3]]
        docs = [corpus.documents[r] for r in rows]
        dates = sorted(d.date for d in docs if d.date)
        representatives = [Representative(corpus.documents[r].id, corpus.documents[r].title or corpus.documents[r].text[:80],
                                          round(float(vectors[r] @ centre), 4)) for r in nearest]
        clusters.append(Cluster(int(c), ", ".join(terms.get(c, [])[:5]) or f"cluster {c}", terms.get(c, []), len(rows),
                                representatives, dates[0].isoformat() if dates else None,
                                dates[-1].isoformat() if dates else None,
                                sorted({d.source for d in docs if d.source})))
    return clusters


def classes_of(corpus: Corpus, field_name: str) -> list[object]:
    """Each document's class for `--evaluate`: a metadata field, or `folder` (its file's folder)."""
    if field_name == "folder":  # an origin is a path, or "file.jsonl:LINE" for a record
        return [Path(re.sub(r":\d+$", "", doc.origin or "")).parent.name or None for doc in corpus]
    values = []
    for doc in corpus:
        value = doc.meta.get(field_name, getattr(doc, field_name, None) if field_name in ("source", "title") else None)
        values.append(value)
    if all(v is None for v in values):
        raise InputError(f"no document has a field {field_name!r} (use a metadata field of the records, "
                         f"source, title, or 'folder')")
    return values
