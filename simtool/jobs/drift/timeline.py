"""How the coverage of a topic shifts across periods: statements, terms, actors, stance, drift.

1. Statements: every sentence (and headline) of every dated document is embedded; those about
   the query are kept: cosine to the query >= `RELEVANCE` (0.35 with MiniLM, where unrelated
   sentences score about 0.1), or a mention of every content word of the query.
2. Per period: documents and statements, distinctive terms against the other periods
   (`terms`), and the statements nearest the period's centre.
3. Actors: statements attributed to a named speaker (`speakers`), grouped by actor and period.
4. Stance on an axis: similarity to the positive pole minus to the negative, with means and
   bootstrap 95% intervals per period and per actor.
5. Drift: cosine distance between consecutive periods' centres, and its z-score against random
   splits of the same statements (a change in what is said); the change in the share of all
   sentences that are about the query (how much is said); the largest change, by both z-scores
   together, named; the
   statements of a period with no counterpart in the one before (and the reverse), aligned as
   `compare` aligns two articles.
Periods are compared with each other only: nothing from one period is mixed into another.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from simtool.encoders import Encoder, resolve_encoder
from simtool.errors import InputError
from simtool.io.corpus import Corpus
from simtool.io.dates import DateInfo, period_of, resolve_date
from simtool.jobs.compare import THRESHOLDS, align
from simtool.jobs.drift.speakers import actor_key, actor_names, speaker_of
from simtool.jobs.drift.terms import content_words, distinctive_terms
from simtool.results import to_jsonable
from simtool.vectors.embed import embed
from simtool.vectors.engine import Engine
from simtool.vectors.store import VectorStore

RELEVANCE = 0.35
BY = ("year", "quarter", "month")
BOOTSTRAP_SAMPLES = 2000
PERMUTATIONS = 200


@dataclass(frozen=True)
class Statement:
    """A sentence about the query, where it comes from, and who said it."""

    text: str
    document: str
    date: str
    period: str
    relevance: float
    actor: str | None = None
    stance: float | None = None


@dataclass(frozen=True)
class Stance:
    """Mean stance score with a bootstrap 95% interval over `n` statements."""

    mean: float
    low: float
    high: float
    n: int


@dataclass(frozen=True)
class Period:
    """One period: its counts, distinctive terms (with z-scores), statements and actors."""

    period: str
    documents: int
    n_statements: int
    terms: list[tuple[str, float]]
    statements: list[Statement]          # the most representative, nearest the period's centre
    actors: dict[str, list[Statement]]   # actor -> their statements in this period
    stance: Stance | None = None
    actor_stance: dict[str, Stance] = field(default_factory=dict)


@dataclass(frozen=True)
class DriftStep:
    """From one period to the next: how far the centre moved, what is new and what was dropped."""

    before: str
    after: str
    distance: float  # 1 - cosine of the two periods' centres
    z: float         # that distance against the distances of random splits of the same statements
    salience_z: float  # change in the share of all sentences that are about the query (two-proportion z)
    change: float    # the size of the change: sqrt(z^2 + salience_z^2)
    new: list[str]
    dropped: list[str]


@dataclass(frozen=True)
class DriftSettings:
    """What a drift run used; `documents` in the corpus, `dated` among those followed."""

    encoder: str
    relevance: float
    by: str
    axis: list[str] | None
    seed: int
    documents: int
    dated: int


@dataclass(frozen=True)
class DriftResult:
    """Periods in order, the steps between them, the largest change, and the undated documents."""

    query: str
    by: str
    periods: list[Period]
    drift: list[DriftStep]
    largest_change: DriftStep | None
    undated: list[str]
    dates: dict[str, DateInfo]
    settings: DriftSettings

    def to_json(self, dates: bool = True) -> dict[str, Any]:
        """The result as `drift --json` prints it; `dates` adds every document's resolved date."""
        return to_jsonable({"query": self.query, "by": self.by, "periods": self.periods, "drift": self.drift,
                            "largest_change": self.largest_change, "undated": self.undated,
                            **({"dates": self.dates} if dates else {}), "settings": self.settings})


def find_drift(corpus: Corpus, *, query: str | None, encoder: Encoder | str, by: str = "year",
               axis: tuple[str, str] | None = None, store: VectorStore | None = None,
               relevance: float = RELEVANCE, seed: int = 0, top: int = 5, documents: Collection[str] | None = None,
               progress=None, engine: Engine | None = None) -> DriftResult:
    """The shift in what `corpus` says about `query`, period by period.

    documents: only these documents' statements (e.g. one cluster's, see `cluster_documents`);
        with no query, statements are then judged by their closeness to these documents' centre.
    engine: where the statements are embedded (this process, or Ray).
    """
    if by not in BY:
        raise ValueError(f"by must be one of {', '.join(BY)}; got {by!r}")
    if not (query or "").strip() and documents is None:
        raise ValueError("give a query or the documents of a cluster")
    dates = {doc.id: resolve_date(doc) for doc in corpus}
    undated = [doc_id for doc_id, info in dates.items() if info.date is None]
    dated = [doc for doc in corpus if dates[doc.id].date is not None and (documents is None or doc.id in documents)]
    if not dated:
        raise InputError(f"none of the {len(corpus) if documents is None else len(documents)} documents has a date "
                         f"(metadata, file name or text); drift needs dated documents")
    texts, owners = [], []
    for doc in dated:
        for sentence in ([doc.title] if doc.title else []) + list(doc.sentences):
            texts.append(sentence)
            owners.append(doc)
    encoder = resolve_encoder(encoder, cache=store.directory if store is not None else None)
    vectors, _ = embed([query or "", *texts, *(axis or ())], encoder, store, progress=progress, engine=engine)
    vectors = np.asarray(vectors, dtype=np.float32)
    query_vector, statement_vectors = vectors[0], vectors[1:1 + len(texts)]
    if not (query or "").strip():  # a cluster's statements: closeness to their own centre
        query_vector = statement_vectors.mean(axis=0)
        query_vector /= np.linalg.norm(query_vector) or 1.0
    scores = statement_vectors @ query_vector
    query_words = set(content_words(query or ""))
    mentions = np.array([bool(query_words) and query_words <= set(content_words(t)) for t in texts])
    keep = np.flatnonzero((scores >= relevance) | mentions)
    if not len(keep):
        raise InputError(f"no statement matches the query {query!r} (cosine >= {relevance} or a mention "
                         f"of every word); try a broader query or a lower --relevance")
    stance = None
    if axis:
        positive, negative = vectors[1 + len(texts)], vectors[2 + len(texts)]
        stance = statement_vectors @ positive - statement_vectors @ negative

    statements = []
    for i in keep.tolist():
        doc = owners[i]
        date = dates[doc.id].date
        assert date is not None  # `owners` are the dated documents
        statements.append(Statement(texts[i], doc.id, date.isoformat(), period_of(date, by), round(float(scores[i]), 4),
                                    speaker_of(texts[i]), round(float(stance[i]), 4) if stance is not None else None))
    sentences: dict[str, int] = defaultdict(int)  # all sentences per period, about the query or not
    for doc in owners:
        sentences[period_of(dates[doc.id].date, by)] += 1  # type: ignore[arg-type]  # owners are dated
    by_period: dict[str, list[Statement]] = defaultdict(list)
    period_rows: dict[str, list[int]] = defaultdict(list)  # each statement's row in statement_vectors
    for s, row in zip(statements, keep.tolist()):
        by_period[s.period].append(s)
        period_rows[s.period].append(row)
    order = sorted(by_period)
    terms = distinctive_terms({p: [s.text for s in by_period[p]] for p in order}, texts)
    names = actor_names(s.actor for s in statements if s.actor)
    rng = np.random.default_rng(seed)

    periods, centres = [], {}
    matrices = {p: statement_vectors[period_rows[p]] for p in order}
    for p in order:
        own, matrix = by_period[p], matrices[p]
        centre = centres[p] = _centre(matrix)
        nearest = np.argsort(-(matrix @ centre), kind="stable")[:top]
        actors: dict[str, list[Statement]] = defaultdict(list)
        for s in own:
            if s.actor:
                actors[names[actor_key(s.actor)]].append(s)
        periods.append(Period(
            p, len({s.document for s in own}), len(own), terms[p], [own[i] for i in nearest], dict(actors),
            _stance([s.stance for s in own if s.stance is not None], rng) if axis else None,
            {name: _stance([s.stance for s in said if s.stance is not None], rng) for name, said in actors.items()}
            if axis else {}))

    steps = []
    for before, after in zip(order, order[1:]):
        a, b = by_period[before], by_period[after]
        _, dropped, new = align([s.text for s in a], [s.text for s in b], matrices[before], matrices[after],
                                THRESHOLDS["sentence_match"])
        content_z = _shift_z(matrices[before], matrices[after], rng)
        salience_z = _proportion_z(len(a), sentences[before], len(b), sentences[after])
        steps.append(DriftStep(before, after, round(1.0 - float(centres[before] @ centres[after]), 4), content_z,
                               salience_z, round(float(np.hypot(content_z, salience_z)), 2), new, dropped))
    largest = max(steps, key=lambda s: s.change) if steps else None
    settings = DriftSettings(encoder.name, relevance, by, list(axis) if axis else None, seed, len(corpus), len(dated))
    return DriftResult(query or "", by, periods, steps, largest, undated, dates, settings)


def _centre(matrix: np.ndarray) -> np.ndarray:
    """The unit-length mean of a period's statement vectors."""
    centre = matrix.mean(axis=0)
    return centre / (np.linalg.norm(centre) or 1.0)


def _shift_z(a: np.ndarray, b: np.ndarray, rng: np.random.Generator, permutations: int = PERMUTATIONS) -> float:
    """How unusual the distance between the centres of `a` and `b` is: its z-score against the
    same distance for random relabellings of the pooled statements (a permutation test). A few
    statements have a noisy centre; this does not mistake that noise for a shift."""
    pooled = np.vstack([a, b])

    def distance(first: np.ndarray, second: np.ndarray) -> float:
        return 1.0 - float(_centre(first) @ _centre(second))

    observed = distance(a, b)
    null = []
    for _ in range(permutations):
        order = rng.permutation(len(pooled))
        null.append(distance(pooled[order[:len(a)]], pooled[order[len(a):]]))
    spread = float(np.std(null)) or 1e-9
    return round((observed - float(np.mean(null))) / spread, 2)


def _proportion_z(k1: int, n1: int, k2: int, n2: int) -> float:
    """Two-proportion z-test: did the share of sentences about the query change?"""
    pooled = (k1 + k2) / (n1 + n2)
    spread = np.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2)) or 1e-9
    return round(float((k2 / n2 - k1 / n1) / spread), 2)


def _stance(values: list[float], rng: np.random.Generator) -> Stance:
    data = np.array(values, dtype=float)
    if len(data) == 1:
        return Stance(round(float(data[0]), 4), round(float(data[0]), 4), round(float(data[0]), 4), 1)
    means = data[rng.integers(0, len(data), (BOOTSTRAP_SAMPLES, len(data)))].mean(axis=1)
    low, high = np.percentile(means, [2.5, 97.5])
    return Stance(round(float(data.mean()), 4), round(float(low), 4), round(float(high), 4), len(data))


def cluster_documents(corpus: Corpus, cluster: int, *, model: str = "hybrid", k: int | str = "auto",
                      store: VectorStore | None = None, seed: int = 0) -> tuple[set[str], str]:
    """The ids and label of one cluster of `corpus` (clustered as `simtool cluster` does)."""
    from simtool.jobs.cluster.local import cluster_corpus

    result = cluster_corpus(corpus, model=model, k=k, store=store, seed=seed)
    found = {c.id: c for c in result.clusters}
    if cluster not in found:
        raise InputError(f"no cluster {cluster}: this corpus has clusters 0..{len(result.clusters) - 1} "
                         f"(model {model}, k {result.settings.k})")
    return result.members(cluster), found[cluster].label
