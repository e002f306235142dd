"""Related articles: the nearest documents to a query, each with why it matched."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np

from simtool.encoders import Encoder, resolve_encoder
from simtool.encoders.tfidf import TfidfEncoder
from simtool.io.corpus import Corpus
from simtool.io.document import Document
from simtool.results import to_jsonable
from simtool.vectors.ann import SWITCH_OVER, AnnIndex, add_missing
from simtool.vectors.embed import ProgressCallback, embed
from simtool.vectors.engine import Engine
from simtool.vectors.similarity import best_pair, cosine_matrix, nearest_neighbours, shared_terms, top_k
from simtool.vectors.store import VectorStore

CANDIDATES = 4     # index candidates fetched per result wanted, before exact rescoring
TERM_SAMPLE = 20_000  # documents TF-IDF is fitted on for the shared terms of a large corpus


@dataclass(frozen=True)
class Evidence:
    """Why two documents matched: their closest sentences and the distinctive terms they share."""

    query_sentence: str
    match_sentence: str
    sentence_score: float
    shared_terms: tuple[str, ...]


@dataclass(frozen=True)
class Neighbour:
    """A document close to another one, and their cosine."""

    id: str
    score: float


@dataclass(frozen=True)
class RelatedDocument:
    """One result of `related`, best first."""

    id: str
    title: str
    score: float
    date: str | None
    source: str | None
    why: Evidence


@dataclass(frozen=True)
class RelatedResult:
    """The documents closest to one query, best first (iterates, indexes and counts as its hits)."""

    query: str
    model: str
    hits: list[RelatedDocument]

    def __iter__(self) -> Iterator[RelatedDocument]:
        return iter(self.hits)

    def __len__(self) -> int:
        return len(self.hits)

    def __getitem__(self, index: int) -> RelatedDocument:
        return self.hits[index]

    def to_json(self) -> list[Any]:
        """The hits as `related --json` prints them."""
        return to_jsonable(self.hits)


def related(
    corpus: Corpus,
    query: Document,
    encoder: Encoder | str,
    store: VectorStore | None = None,
    *,
    k: int = 10,
    exact: bool = False,
    progress: ProgressCallback | None = None,
    engine: Engine | None = None,
) -> RelatedResult:
    """The `k` documents of `corpus` closest to `query` under `encoder` (or a model name), best first.

    A query that is a document of the corpus is not returned as its own match; `progress`
    is told how embedding the corpus goes; `engine` is where the corpus is embedded.
    From `SWITCH_OVER` documents on, where `simtool index` built an index for the encoder, the
    candidates come from it (documents it lacks are added first) and are scored exactly;
    `exact` forces the brute-force search over every vector.
    """
    encoder = resolve_encoder(encoder, cache=store.directory if store is not None else None)
    exclude = {corpus.position(query.id)} if query.id in corpus else set()
    hits = None
    if not exact and store is not None and _indexed(corpus, encoder, store):
        hits = _index_hits(corpus, query, encoder, store, k, exclude, progress)
    if hits is None:
        vectors, _ = embed([doc.content for doc in corpus], encoder, store, progress=progress, engine=engine)
        query_vector, _ = embed([query.content], encoder, store)
        hits = top_k(query_vector, vectors, k, exclude)

    tfidf = TfidfEncoder().fit(_term_sample(corpus) + [query.content])
    query_side = _side(query, encoder, store, tfidf)  # once, not once per hit
    results = []
    for row, score in hits:
        doc = corpus.documents[row]
        results.append(RelatedDocument(doc.id, doc.title, round(score, 4),
                                       doc.date.isoformat() if doc.date else None, doc.source,
                                       _evidence(query_side, _side(doc, encoder, store, tfidf), tfidf)))
    return RelatedResult(query.id, encoder.name, results)


def nearest_documents(corpus: Corpus, vectors, k: int) -> dict[str, list[Neighbour]]:
    """Every document's k nearest other documents of `corpus` (exact), best first, ranked as
    `related` ranks them; `vectors` are the documents' rows in corpus order."""
    ids = corpus.ids
    rows, scores = nearest_neighbours(vectors, k)
    return {ids[i]: [Neighbour(ids[j], round(float(s), 4)) for j, s in zip(rows[i], scores[i])]
            for i in range(len(ids))}


def _indexed(corpus: Corpus, encoder: Encoder, store: VectorStore | None) -> bool:
    return (store is not None and len(corpus) >= SWITCH_OVER and encoder.identity is not None
            and AnnIndex.exists(store.directory, encoder.identity))


def _index_hits(corpus: Corpus, query: Document, encoder: Encoder, store: VectorStore, k: int,
                exclude: set[int], progress: ProgressCallback | None) -> list[tuple[int, float]] | None:
    """Candidates from the index, rescored exactly; None when the index cannot give k of them
    (most of it holds other corpora's documents), so the caller searches by brute force."""
    identity = encoder.identity
    if identity is None:  # a corpus-fitted encoder has no index
        return None
    contents = [doc.content for doc in corpus]
    index = AnnIndex.for_encoder(store.directory, identity, encoder.dim)
    keys, _ = add_missing(index, contents, encoder, store, progress)  # documents new since it was built
    rows_of: dict[int, list[int]] = {}
    for row, key in enumerate(keys.tolist()):
        rows_of.setdefault(key, []).append(row)
    query_vector, _ = embed([query.content], encoder, store)
    found, _ = index.search(np.asarray(query_vector, dtype=np.float32), CANDIDATES * (k + len(exclude)))
    candidates = [row for key in found[0].tolist() for row in rows_of.get(int(key), []) if row not in exclude]
    if len(candidates) < min(k, len(corpus) - len(exclude)):
        return None
    vectors, _ = embed([contents[row] for row in candidates], encoder, store)
    scores = cosine_matrix(query_vector, vectors)[0]
    order = np.lexsort((np.array(candidates), -scores))[:k]
    return [(candidates[i], float(scores[i])) for i in order]


def _term_sample(corpus: Corpus, size: int = TERM_SAMPLE) -> list[str]:
    """The texts TF-IDF weights terms by: the corpus, or a fixed sample of a large one."""
    if len(corpus) <= size:
        return [doc.content for doc in corpus]
    rows = np.random.default_rng(0).choice(len(corpus), size, replace=False)
    return [corpus.documents[i].content for i in sorted(rows.tolist())]


@dataclass(frozen=True)
class _Side:
    """One document as `explain` compares it: its sentences, their vectors, its TF-IDF row."""

    sentences: list[str]
    vectors: object
    terms: object


def _side(doc: Document, encoder: Encoder, store: VectorStore | None, tfidf: TfidfEncoder) -> _Side:
    sentences = list(doc.sentences) or [doc.content]
    vectors, _ = embed(sentences, encoder, store)
    return _Side(sentences, vectors, tfidf.encode([doc.content]))


def _evidence(query: _Side, doc: _Side, tfidf: TfidfEncoder) -> Evidence:
    i, j, sentence_score = best_pair(query.vectors, doc.vectors)
    terms = shared_terms(query.terms, doc.terms, tfidf.terms())
    return Evidence(query.sentences[i], doc.sentences[j], round(sentence_score, 4), tuple(terms))


def explain(query: Document, doc: Document, encoder: Encoder, store: VectorStore | None,
            tfidf: TfidfEncoder) -> Evidence:
    """Why `doc` matches `query`: their closest sentences under `encoder` and the distinctive
    terms they share under `tfidf` (fitted on the corpus)."""
    return _evidence(_side(query, encoder, store, tfidf), _side(doc, encoder, store, tfidf), tfidf)
