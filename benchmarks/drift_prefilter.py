"""Cheap first passes before drift's encoder: how many of its statements would each one keep?

    HF_HUB_OFFLINE=1 .venv/bin/python benchmarks/drift_prefilter.py

Drift embeds every sentence with the real encoder (MiniLM) and keeps those about the query. A
cheap pass first would embed only its candidates. For three corpora and 11 queries, the
statements MiniLM keeps (cosine >= 0.35 or a mention of every word) are the truth, and each pass
keeps a share of the sentences:
- static: the 64-d model2vec model's cosine to the query, the top 15% / 30% of sentences;
- lsa: TF-IDF + 200-d SVD fitted on the corpus's sentences, cosine to the query, top 15% / 30%;
- documents: whole documents by MiniLM (cheaper: one vector a document), a document's sentences
  kept when its cosine is >= 0.15 or it mentions a word of the query; its cost counts the
  documents' own vectors, in words embedded relative to embedding every sentence.
Printed: the recall of the truth. A pass is worth having only if it keeps nearly every
statement (>= 0.98) while embedding far fewer words. Vectors come from the user's cache.
"""

from __future__ import annotations

import os

os.environ.setdefault("HF_HUB_OFFLINE", "1")

import numpy as np
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import TfidfVectorizer

from simtool.bench.datasets import data_dir
from simtool.encoders import get_encoder
from simtool.io.prepare import prepare_corpus
from simtool.jobs.drift.terms import content_words
from simtool.jobs.drift.timeline import RELEVANCE
from simtool.vectors.embed import embed
from simtool.vectors.store import VectorStore

CASES = [("allsides/allsides_3topics.jsonl", ["abortion", "health insurance", "same-sex marriage", "Supreme Court ruling"]),
         ("state_union", ["terrorism", "Iraq", "the budget surplus", "Russia"]),
         ("huffpost/news_category_10k.jsonl", ["climate change", "immigration", "gun violence"])]


def main() -> None:
    minilm, static = get_encoder("minilm"), get_encoder("static")
    print(f"{'corpus':<12}{'query':<22}{'truth':>7}{'static 15%':>11}{'static 30%':>11}{'lsa 15%':>9}{'lsa 30%':>9}"
          f"{'documents (cost)':>20}")
    with VectorStore() as store:
        for path, queries in CASES:
            corpus = list(prepare_corpus([data_dir() / path]))
            texts, owner = [], []
            for j, doc in enumerate(corpus):
                for sentence in ([doc.title] if doc.title else []) + list(doc.sentences):
                    texts.append(sentence)
                    owner.append(j)
            owners = np.array(owner)
            real = np.asarray(embed(texts, minilm, store)[0], dtype=np.float32)
            cheap = np.asarray(embed(texts, static, store)[0], dtype=np.float32)
            whole = np.asarray(embed([doc.content for doc in corpus], minilm, store)[0], dtype=np.float32)
            tfidf = TfidfVectorizer(sublinear_tf=True, stop_words="english", min_df=2).fit(texts)
            svd = TruncatedSVD(200, random_state=0).fit(tfidf.transform(texts))
            lsa = svd.transform(tfidf.transform(texts))
            lsa /= np.linalg.norm(lsa, axis=1, keepdims=True) + 1e-9
            words = [set(content_words(t)) for t in texts]
            document_words = [set(content_words(doc.content)) for doc in corpus]
            sentence_cost = np.array([len(t.split()) for t in texts])
            document_cost = sum(min(len(doc.content.split()), 200) for doc in corpus)  # MiniLM reads 256 tokens
            for query in queries:
                query_words = set(content_words(query))
                truth = (real @ np.asarray(embed([query], minilm, store)[0][0]) >= RELEVANCE) | \
                    np.array([bool(query_words) and query_words <= w for w in words])
                row = f"{path.split('/')[0]:<12}{query:<22}{int(truth.sum()):>7}"
                for scores, width in ((cheap @ np.asarray(embed([query], static, store)[0][0]), 11),
                                      (lsa @ _unit(svd.transform(tfidf.transform([query]))[0]), 9)):
                    order = np.argsort(-scores)
                    for share in (0.15, 0.3):
                        kept = order[:int(share * len(texts))]
                        row += f"{truth[kept].sum() / truth.sum():>{width}.3f}"
                near = (whole @ np.asarray(embed([query], minilm, store)[0][0]) >= 0.15) | \
                    np.array([bool(query_words & w) for w in document_words])
                kept_rows = near[owners]
                cost = (sentence_cost[kept_rows].sum() + document_cost) / sentence_cost.sum()
                row += f"{truth[kept_rows].sum() / truth.sum():>12.3f} ({cost:.2f})"
                print(row, flush=True)


def _unit(vector: np.ndarray) -> np.ndarray:
    return vector / (np.linalg.norm(vector) or 1.0)


if __name__ == "__main__":
    main()
