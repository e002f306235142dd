"""Embedding speed per precision, side by side with plain `SentenceTransformer.encode` in float32.

On a sample of BBC articles (seeded, all five folders): docs/s of plain encode in float32, then
of simtool's `minilm` through `embed()` (cold cache, so cache writes count) in each precision,
forced past the quality guard; for each the STS-B dev Spearman x100, the lowest cosine of any
article's vector to its float32 one, the guard's probe verdict, and the ratio to plain. Then
what `--precision auto` resolves to here, and how much of each batch is padding.

    HF_HUB_OFFLINE=1 .venv/bin/python benchmarks/embed_precision.py [--limit 400] [--device cpu|cuda]
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

import numpy as np
from rich.console import Console
from rich.table import Table

from simtool.bench.datasets import data_dir, load_stsb
from simtool.bench.metrics import paired_cosine, spearman
from simtool.encoders.precision import PrecisionChecks, choose_precision, cpu_flags, min_cosine_to_float32, probe_texts
from simtool.encoders.registry import minilm_dir
from simtool.encoders.transformer import TransformerEncoder
from simtool.io.prepare import prepare_corpus
from simtool.vectors.embed import embed
from simtool.vectors.store import VectorStore

BATCH = 32


def sample_articles(limit: int) -> list[str]:
    texts = [doc.content for doc in prepare_corpus(data_dir() / "bbc")]
    return random.Random(0).sample(texts, min(limit, len(texts)))


def sts_spearman(encode) -> float:
    pairs = load_stsb(data_dir())
    vectors = encode(pairs.first + pairs.second)
    n = len(pairs.first)
    return 100 * spearman(paired_cosine(vectors[:n], vectors[n:]), pairs.gold)


def padding_share(encoder: TransformerEncoder, texts: list[str]) -> tuple[float, float]:
    """Share of padded positions: in arrival order in batches of 32, and as embed() batches them."""
    tokenizer = encoder._float32.tokenizer
    lengths = [min(len(ids), encoder.max_seq_length)
               for ids in tokenizer(texts, add_special_tokens=True, truncation=False, verbose=False)["input_ids"]]

    def share(order: list[int]) -> float:
        used = padded = 0
        for start in range(0, len(order), BATCH):
            batch = [lengths[i] for i in order[start:start + BATCH]]
            used += sum(batch)
            padded += max(batch) * len(batch)
        return 1 - used / padded

    by_length = sorted(range(len(texts)), key=lambda i: -len(texts[i]))  # embed(): longest first
    return share(list(range(len(texts)))), share(by_length)


def matmul_ceiling(device: str) -> str:
    """What int8 can gain at most here: float32 vs int8 (VNNI) matrix products at MiniLM's shapes,
    a batch of 32 x 256 word pieces through the feed-forward layers (384 -> 1536 -> 384)."""
    import torch

    if device != "cpu":
        return ""
    rows = 32 * 256
    generator = torch.Generator().manual_seed(0)

    def rate(run) -> float:
        run()
        start = time.perf_counter()
        for _ in range(5):
            run()
        return 5 * 2 * rows * 384 * 1536 * 2 / (time.perf_counter() - start) / 1e9

    x32, w_in, w_out = (torch.randn(rows, 384, generator=generator), torch.randn(384, 1536, generator=generator),
                        torch.randn(1536, 384, generator=generator))
    h32 = torch.randn(rows, 1536, generator=generator)
    x8, h8 = x32.to(torch.int8), h32.to(torch.int8)
    w8_in, w8_out = w_in.to(torch.int8), w_out.to(torch.int8)
    float32 = rate(lambda: (x32 @ w_in, h32 @ w_out))
    int8 = rate(lambda: (torch._int_mm(x8, w8_in), torch._int_mm(h8, w8_out)))
    return (f"Matrix products alone (the ceiling for int8): float32 {float32:.0f} GFLOP/s, int8 {int8:.0f} GOP/s "
            f"({int8 / float32:.2f}x), before any quantising of activations.")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=400)
    parser.add_argument("--device", default="cpu")
    args = parser.parse_args()
    console = Console(width=140)
    texts = sample_articles(args.limit)
    flags = cpu_flags()
    console.print(f"{len(texts)} BBC articles, device {args.device}; CPU flags: "
                  f"{' '.join(sorted(f for f in flags if 'bf16' in f or 'vnni' in f or 'amx' in f)) or 'no bf16/vnni/amx'}")

    from sentence_transformers import SentenceTransformer

    plain = SentenceTransformer(str(minilm_dir()), device=args.device)
    plain.encode(texts[:BATCH], batch_size=BATCH)  # warm-up, as for every row below
    start = time.perf_counter()
    reference = plain.encode(texts, batch_size=BATCH, normalize_embeddings=True, convert_to_numpy=True)
    plain_rate = len(texts) / (time.perf_counter() - start)
    rows = [("plain SentenceTransformer.encode, float32", plain_rate,
             sts_spearman(lambda t: plain.encode(t, batch_size=BATCH, normalize_embeddings=True)), 1.0, "")]

    precisions = ["float32", "bfloat16"] + (["int8"] if args.device == "cpu" else [])
    with tempfile.TemporaryDirectory() as state:
        checks = PrecisionChecks(Path(state))
        for precision in precisions:
            # min_cosine -1: the guard always passes, so every precision is measured as it is.
            encoder = TransformerEncoder(minilm_dir(), name="minilm", precision=precision, device=args.device,
                                         batch_size=BATCH, checks=checks, min_cosine=-1.0)
            encoder.encode(texts[:BATCH])
            with tempfile.TemporaryDirectory() as cache, VectorStore(cache) as store:
                start = time.perf_counter()
                vectors, _ = embed(texts, encoder, store)
                rate = len(texts) / (time.perf_counter() - start)
            worst = float(np.min(np.einsum("ij,ij->i", reference, vectors)))
            probe = 1.0 if precision == "float32" else min_cosine_to_float32(encoder._float32, encoder._model,
                                                                              probe_texts())
            verdict = "" if precision == "float32" else f"{probe:.4f} ({'pass' if probe >= 0.99 else 'fall back'})"
            rows.append((f"simtool minilm, {precision}", rate, sts_spearman(encoder.encode), worst, verdict))

    table = Table(title=f"Embedding {len(texts)} BBC articles, all-MiniLM-L6-v2, batch {BATCH}, {args.device}",
                  title_justify="left")
    for column in ("run", "docs/s", "ratio to plain", "STS-B dev Spearman", "min cosine to float32",
                   "guard probe min cosine"):
        table.add_column(column)
    for name, rate, rho, worst, verdict in rows:
        table.add_row(name, f"{rate:.1f}", f"{rate / plain_rate:.2f}x", f"{rho:.3f}", f"{worst:.4f}", verdict)
    console.print(table)
    auto = choose_precision("auto", args.device)
    arrival, ours = padding_share(encoder, texts)
    console.print(f"--precision auto tries {auto} here, kept only if its probe cosine is >= 0.99 (else float32).")
    console.print(f"Padding: {100 * arrival:.1f}% of positions in batches of {BATCH} in arrival order, "
                  f"{100 * ours:.1f}% as embed() batches them (longest first).")
    console.print(matmul_ceiling(args.device))


if __name__ == "__main__":
    main()
