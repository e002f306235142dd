"""Embedding BBC: our cached `minilm` encoder against plain `SentenceTransformer.encode`.

Prints docs/s for plain encode and for ours cold (empty cache) and warm (second run), and
measures truncation against chunk-then-mean-pool for articles longer than MiniLM's 256 word
pieces: KMeans(k=5) NMI against the BBC folders, and headline -> body retrieval MRR@10.

    HF_HUB_OFFLINE=1 .venv/bin/python benchmarks/embed_bbc.py [--limit N]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np
from rich.console import Console
from rich.table import Table
from sklearn.cluster import KMeans
from sklearn.metrics import normalized_mutual_info_score

from simtool.encoders import get_encoder
from simtool.encoders.registry import minilm_dir
from simtool.io.prepare import prepare_corpus
from simtool.vectors.embed import embed
from simtool.vectors.store import VectorStore

BBC = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "bbc"


def mrr_at_10(queries: np.ndarray, docs: np.ndarray) -> float:
    scores = queries @ docs.T
    ranks = (scores > np.diag(scores)[:, None]).sum(axis=1)  # how many beat the right document
    return float(np.mean(np.where(ranks < 10, 1.0 / (ranks + 1), 0.0)))


def nmi(vectors: np.ndarray, labels: list[str]) -> float:
    predicted = KMeans(n_clusters=5, n_init=10, random_state=0).fit_predict(vectors)
    return float(normalized_mutual_info_score(labels, predicted))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=BBC)
    parser.add_argument("--limit", type=int, default=None, help="use the first N articles")
    args = parser.parse_args()

    corpus = prepare_corpus(args.data)
    docs = corpus.documents[: args.limit] if args.limit else corpus.documents
    contents = [d.content for d in docs]
    labels = [d.id.split("/")[0] for d in docs]
    console = Console(width=120)
    console.print(f"{len(docs)} BBC articles from {args.data}")

    from sentence_transformers import SentenceTransformer

    plain = SentenceTransformer(str(minilm_dir()), device="cpu")
    start = time.perf_counter()
    plain.encode(contents, batch_size=32, normalize_embeddings=True)
    plain_s = time.perf_counter() - start

    rows = [("plain SentenceTransformer.encode (truncate)", plain_s, None)]
    vectors = {}
    with tempfile.TemporaryDirectory() as cache:
        for pooling in ("truncate", "chunk"):
            encoder = get_encoder("minilm", pooling=pooling, batch_size=32)
            with VectorStore(cache) as store:
                start = time.perf_counter()
                vectors[pooling], stats = embed(contents, encoder, store)
                cold = time.perf_counter() - start
                start = time.perf_counter()
                again, warm_stats = embed(contents, encoder, store)
                warm = time.perf_counter() - start
            assert warm_stats.encoded == 0 and np.array_equal(again, vectors[pooling])
            rows.append((f"simtool minilm {pooling}, cold cache", cold, stats.encoded))
            rows.append((f"simtool minilm {pooling}, warm cache", warm, warm_stats.encoded))

    speed = Table(title="Embedding speed on BBC (2 CPU cores)", title_justify="left")
    for column in ("run", "seconds", "docs/s", "ratio to plain", "texts encoded"):
        speed.add_column(column, justify="right" if column != "run" else "left")
    for name, seconds, encoded in rows:
        speed.add_row(name, f"{seconds:.1f}", f"{len(docs) / seconds:.1f}", f"{plain_s / seconds:.2f}x",
                      "" if encoded is None else str(encoded))
    console.print(speed)

    bodies = [d.text for d in docs]
    titles = [d.title for d in docs]
    quality = Table(title="Long articles: truncation vs chunk-then-mean-pool (minilm)", title_justify="left")
    for column in ("pooling", "KMeans k=5 NMI", "headline->body MRR@10"):
        quality.add_column(column)
    query_vectors = get_encoder("minilm", pooling="truncate").encode(titles)
    for pooling in ("truncate", "chunk"):
        body_vectors = get_encoder("minilm", pooling=pooling).encode(bodies)
        quality.add_row(pooling, f"{nmi(vectors[pooling], labels):.4f}",
                        f"{mrr_at_10(query_vectors, body_vectors):.4f}")
    console.print(quality)
    long_share = np.mean([len(plain.tokenizer(c, verbose=False)["input_ids"]) > 256 for c in contents])
    console.print(f"{long_share:.0%} of the articles are longer than 256 word pieces")


if __name__ == "__main__":
    main()
