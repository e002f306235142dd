"""Related articles: the nearest documents to a query, each with why it matched."""

from __future__ import annotations

from dataclasses import dataclass

from simtool.corpus import Corpus
from simtool.document import Document
from simtool.embed import ProgressCallback, embed
from simtool.encoders.base import Encoder
from simtool.encoders.tfidf import TfidfEncoder
from simtool.engines import Engine
from simtool.similarity import best_pair, shared_terms, top_k
from simtool.store import VectorStore


@dataclass(frozen=True)
class Evidence:
    """Why two documents matched: their closest sentences and the distinctive terms they share."""

    query_sentence: str
    match_sentence: str
    sentence_score: float
    shared_terms: tuple[str, ...]


@dataclass(frozen=True)
class RelatedDocument:
    """One result of `related`, best first."""

    id: str
    title: str
    score: float
    date: str | None
    source: str | None
    why: Evidence


def related(
    corpus: Corpus,
    query: Document,
    encoder: Encoder,
    store: VectorStore | None = None,
    *,
    k: int = 10,
    progress: ProgressCallback | None = None,
    engine: Engine | None = None,
) -> list[RelatedDocument]:
    """The `k` documents of `corpus` closest to `query` under `encoder`, best first.

    A query that is a document of the corpus is not returned as its own match; `progress`
    is told how embedding the corpus goes; `engine` is where the corpus is embedded.
    """
    vectors, _ = embed([doc.content for doc in corpus], encoder, store, progress=progress, engine=engine)
    query_vector, _ = embed([query.content], encoder, store)
    exclude = {corpus.position(query.id)} if query.id in corpus else set()
    hits = top_k(query_vector, vectors, k, exclude)

    tfidf = TfidfEncoder().fit([doc.content for doc in corpus] + [query.content])
    results = []
    for row, score in hits:
        doc = corpus.documents[row]
        results.append(RelatedDocument(doc.id, doc.title, round(score, 4),
                                       doc.date.isoformat() if doc.date else None, doc.source,
                                       explain(query, doc, encoder, store, tfidf)))
    return results


def explain(query: Document, doc: Document, encoder: Encoder, store: VectorStore | None,
            tfidf: TfidfEncoder) -> Evidence:
    """Why `doc` matches `query`: their closest sentences under `encoder` and the distinctive
    terms they share under `tfidf` (fitted on the corpus)."""
    query_sentences = list(query.sentences) or [query.content]
    sentences = list(doc.sentences) or [doc.content]
    query_sentence_vectors, _ = embed(query_sentences, encoder, store)
    sentence_vectors, _ = embed(sentences, encoder, store)
    i, j, sentence_score = best_pair(query_sentence_vectors, sentence_vectors)
    terms = shared_terms(tfidf.encode([query.content]), tfidf.encode([doc.content]), tfidf.terms())
    return Evidence(query_sentences[i], sentences[j], round(sentence_score, 4), tuple(terms))
