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

Labels are the top terms of each cluster by class-based TF-IDF (Grootendorst 2022, BERTopic's
c-TF-IDF): a term's frequency in the cluster, times log(1 + average cluster size in words /
the term's frequency over all clusters).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from scipy.optimize import linear_sum_assignment
from sklearn.cluster import HDBSCAN, AgglomerativeClustering, KMeans
from sklearn.decomposition import PCA
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score, v_measure_score
from sklearn.neighbors import kneighbors_graph
from sklearn.preprocessing import normalize

from simtool.corpus import Corpus
from simtool.embed import embed
from simtool.errors import InputError
from simtool.encoders import get_encoder
from simtool.encoders.tfidf import LsaEncoder
from simtool.engines import Engine
from simtool.store import VectorStore

ALGORITHMS = ("kmeans", "agglomerative", "hdbscan")
HYBRID = "hybrid"
HYBRID_ENCODER = "minilm"
SVD_DIMENSIONS = 100
AUTO_K_RANGE = range(2, 16)
LARGE_FOR_WARD = 5_000  # past this, Ward runs on a k-nearest-neighbour graph
NOISE = -1
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
class ClusterResult:
    """Every document's cluster (-1: noise), the clusters largest first, and how they were made."""

    assignments: dict[str, int]
    clusters: list[Cluster]
    noise: list[str]
    settings: dict[str, object]
    k_scores: dict[int, float] = field(default_factory=dict)  # silhouette per k, when k was chosen

    def members(self, cluster: int) -> set[str]:
        """The ids of the documents in `cluster`."""
        return {doc_id for doc_id, label in self.assignments.items() if label == cluster}


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


def represent(corpus: Corpus, model: str = HYBRID, store: VectorStore | None = None, seed: int = 0,
              progress=None, engine: Engine | None = None) -> Views:
    """The vectors to cluster `corpus` by: `tfidf`, `hybrid`, or any encoder name or path."""
    texts = [doc.content for doc in corpus]
    if model == "tfidf":
        return Views(lsa_vectors(texts, seed=seed, store=store))
    if model == HYBRID:
        lsa = lsa_vectors(texts, seed=seed, store=store)
        vectors, _ = embed(texts, get_encoder(HYBRID_ENCODER), store, progress=progress, engine=engine)
        dense = normalize(np.asarray(vectors, dtype=np.float32))
        weight = tfidf_weight(texts)
        return Views(normalize(np.hstack([np.sqrt(weight) * lsa, np.sqrt(1 - weight) * dense])), (lsa, dense))
    vectors, _ = embed(texts, get_encoder(model, cache=store.directory if store else None), store,
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


def choose_k(vectors: np.ndarray, candidates: Sequence[int] = AUTO_K_RANGE, seed: int = 0,
             sample: int = 3000, repeats: int = 3) -> tuple[int, dict[int, float]]:
    """The k in `candidates` whose k-means partition is most stable under resampling.

    For each k, k-means is fitted on two random 80% subsamples and the two partitions of the
    documents they share are compared by adjusted Rand index, `repeats` times (Ben-Hur, Elisseeff
    and Guyon 2002; Lange et al. 2004): a k that matches the data's structure gives the same
    clusters whichever documents are drawn. Ties go to the smaller k. On BBC (5 topics) the
    stability is 0.985 at k=5 and at most 0.90 elsewhere, where silhouette kept rising with k.
    """
    rng = np.random.default_rng(seed)
    if len(vectors) > sample:
        vectors = vectors[rng.choice(len(vectors), sample, replace=False)]
    n = len(vectors)
    scores = {}
    for k in candidates:
        if not 2 <= k < 0.8 * n:
            continue
        agreement = []
        for repeat in range(repeats):
            a, b = (np.sort(rng.choice(n, int(0.8 * n), replace=False)) for _ in range(2))
            shared = np.intersect1d(a, b)
            fit_a = KMeans(k, n_init=2, random_state=seed + repeat).fit(vectors[a])
            fit_b = KMeans(k, n_init=2, random_state=seed + repeat + 1000).fit(vectors[b])
            agreement.append(adjusted_rand_score(fit_a.predict(vectors[shared]), fit_b.predict(vectors[shared])))
        scores[k] = round(float(np.mean(agreement)), 4)
    if not scores:
        return 1, {}
    return max(scores, key=lambda k: (scores[k], -k)), scores


def ctfidf_terms(texts: Sequence[str], labels: np.ndarray, top: int = 8) -> dict[int, list[str]]:
    """The top terms of each cluster (noise excluded) by class-based TF-IDF.

    Words in more than 30% of all documents ("said", "year") are left out first: with a handful
    of clusters, c-TF-IDF's idf barely lowers a word every cluster uses.
    """
    clusters = [int(c) for c in np.unique(labels) if c != NOISE]
    if not clusters:
        return {}
    many = len(texts) >= 50
    try:
        vectorizer = CountVectorizer(stop_words="english", ngram_range=(1, 2), min_df=2 if many else 1,
                                     max_df=0.3 if many else 1.0, token_pattern=r"(?u)\b[^\W\d_][\w'’-]+\b")
        counts = vectorizer.fit_transform(texts).astype(np.float64)
    except ValueError:  # no terms at all (only stop words or digits)
        return {c: [] for c in clusters}
    member = sp.csr_matrix((np.ones(len(labels)), (labels.clip(min=0), np.arange(len(labels)))),
                           shape=(max(clusters) + 1, len(labels)))
    member = member.multiply((labels != NOISE)[None, :]).tocsr()
    per_cluster = (member @ counts).tocsr()[clusters]
    words_per_cluster = np.asarray(per_cluster.sum(axis=1)).ravel()
    frequency = np.maximum(np.asarray(per_cluster.sum(axis=0)).ravel(), 1)
    tf = per_cluster.multiply(1.0 / np.maximum(words_per_cluster, 1)[:, None]).tocsr()
    scores = tf.multiply(np.log1p(words_per_cluster.mean() / frequency)).tocsr()
    vocabulary = vectorizer.get_feature_names_out()
    terms = {}
    for row, c in enumerate(clusters):
        line = scores.getrow(row).toarray().ravel()
        best = [i for i in np.argsort(-line, kind="stable")[: top * 3] if line[i] > 0]
        terms[c] = _without_overlaps([vocabulary[i] for i in best])[:top]
    return terms


def _without_overlaps(terms: list[str]) -> list[str]:
    # "prime minister" and "minister" say the same: keep the first of terms sharing a word.
    kept: list[str] = []
    for term in terms:
        if not any(set(term.split()) & set(other.split()) for other in kept):
            kept.append(term)
    return kept


def evaluate(truth: Sequence[object], labels: Sequence[int]) -> dict[str, float]:
    """NMI, ARI and V-measure of `labels` against the classes in `truth` (noise counts as a cluster)."""
    return {"nmi": round(float(normalized_mutual_info_score(truth, labels)), 4),
            "ari": round(float(adjusted_rand_score(truth, labels)), 4),
            "v_measure": round(float(v_measure_score(truth, labels)), 4)}


def cluster_corpus(corpus: Corpus, *, model: str = HYBRID, algorithm: str = "kmeans", k: int | str | None = "auto",
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
    k_scores: dict[int, float] = {}
    if algorithm != "hdbscan":
        distinct = len(np.unique(views.vectors.round(5), axis=0)) if n else 0  # identical texts: one point
        if k in (None, "auto"):
            k, k_scores = choose_k(views.vectors, range(2, min(max(AUTO_K_RANGE), distinct - 1) + 1), seed) \
                if distinct > 2 else (1, {})
        elif not isinstance(k, int) or k < 1:
            raise ValueError(f"k must be a positive number or 'auto'; got {k!r}")
        k = min(int(k), distinct)
    if n < 2 or (algorithm != "hdbscan" and k <= 1):
        labels = np.zeros(n, np.int64)
    elif algorithm == "kmeans" and views.parts:
        labels = agreement_labels(views, k, seed)
    else:
        labels = assign_clusters(views.vectors, algorithm, k, seed)
    labels = _numbered_by_size(labels)
    settings = {"model": model, "algorithm": algorithm, "k": None if algorithm == "hdbscan" else k,
                "seed": seed, "n_documents": n}
    return ClusterResult(
        assignments={doc.id: int(label) for doc, label in zip(corpus, labels)},
        clusters=_describe(corpus, labels, views.vectors),
        noise=[doc.id for doc, label in zip(corpus, labels) if label == NOISE],
        settings=settings, k_scores=k_scores)


def _numbered_by_size(labels: np.ndarray) -> np.ndarray:
    """Clusters renumbered 0, 1, ... from the largest (noise stays -1)."""
    labels = np.asarray(labels, dtype=np.int64)
    numbering = np.append(size_numbering(np.bincount(labels[labels != NOISE])), NOISE)
    return numbering[labels]  # noise (-1) indexes the NOISE appended last


def size_numbering(sizes: np.ndarray) -> np.ndarray:
    """The number of each cluster (by its label, an index into `sizes`) when they are numbered
    0, 1, ... from the largest; equal sizes keep label order."""
    numbering = np.empty(len(sizes), np.int64)
    numbering[np.argsort(-np.asarray(sizes), kind="stable")] = np.arange(len(sizes))
    return numbering


def _describe(corpus: Corpus, labels: np.ndarray, vectors: np.ndarray) -> list[Cluster]:
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
        raise InputError(f"no document has a field {field_name!r} to evaluate against "
                         f"(use a metadata field, or 'folder')")
    return values
