"""The Ray engine on this machine: 1 against 2 workers, and what one document costs.

Part 1: embedding a seeded sample of BBC with `minilm` (cold cache each time) through the local
engine and through a local Ray instance with 1 and 2 actors; dedup's shingling and signatures
on all of BBC the same three ways. Part 2: per-document costs on BBC and HuffPost, measured
locally: CPU seconds to embed (minilm, static) and to shingle and sign, bytes of a vector, of a
signature and of the shingle hashes exact verification keeps. These feed the README's plan.

    HF_HUB_OFFLINE=1 .venv/bin/python benchmarks/ray_engine.py [--sample 240]
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

from simtool.bench.datasets import data_dir
from simtool.dedup import SHINGLE_SIZE, dedup_text
from simtool.embed import embed
from simtool.encoders import get_encoder
from simtool.engines import LocalEngine, get_engine
from simtool.prepare import prepare_corpus
from simtool.store import VectorStore

NUM_PERM = 128


def timed(work) -> tuple[float, float]:
    """(wall seconds, CPU seconds of this process) of `work()`."""
    wall, cpu = time.perf_counter(), time.process_time()
    work()
    return time.perf_counter() - wall, time.process_time() - cpu


def cold_embed(texts: list[str], model: str, engine) -> float:
    encoder = get_encoder(model)
    with tempfile.TemporaryDirectory() as cache, VectorStore(Path(cache)) as store:
        return timed(lambda: embed(texts, encoder, store, batch_size=16, engine=engine))[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", type=int, default=240)
    args = parser.parse_args()
    console = Console(width=140)
    import ray

    bbc = prepare_corpus(data_dir() / "bbc")
    huffpost = prepare_corpus(data_dir() / "huffpost" / "news_category_10k.jsonl")
    sample = random.Random(0).sample([d.content for d in bbc], args.sample)
    bbc_dedup = [dedup_text(d) for d in bbc]

    scaling = Table(title="1 against 2 workers on this 2-core machine", title_justify="left")
    for column in ("job", "engine", "seconds", "docs/s", "vs local"):
        scaling.add_column(column)
    local_embed = cold_embed(sample, "minilm", LocalEngine())
    local_sign = timed(lambda: LocalEngine().shingle_and_sign(bbc_dedup, SHINGLE_SIZE, NUM_PERM, 1))[0]
    scaling.add_row(f"embed {len(sample)} BBC, minilm", "local (torch, 2 threads)", f"{local_embed:.1f}",
                    f"{len(sample) / local_embed:.1f}", "1.00x")
    scaling.add_row(f"shingle + sign {len(bbc)} BBC", "local", f"{local_sign:.2f}",
                    f"{len(bbc) / local_sign:,.0f}", "1.00x")
    for workers in (1, 2):
        ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, configure_logging=False)
        engine = get_engine("ray", workers=workers)
        get_engine("ray", workers=workers).shingle_and_sign(bbc_dedup[:10], SHINGLE_SIZE, NUM_PERM, 1)  # warm
        seconds = cold_embed(sample, "minilm", engine)
        sign = timed(lambda: engine.shingle_and_sign(bbc_dedup, SHINGLE_SIZE, NUM_PERM, 1))[0]
        scaling.add_row(f"embed {len(sample)} BBC, minilm", f"ray, {workers} actor(s)", f"{seconds:.1f}",
                        f"{len(sample) / seconds:.1f}", f"{local_embed / seconds:.2f}x")
        scaling.add_row(f"shingle + sign {len(bbc)} BBC", f"ray, {workers} worker(s)", f"{sign:.2f}",
                        f"{len(bbc) / sign:,.0f}", f"{local_sign / sign:.2f}x")
        ray.shutdown()
    console.print(scaling)

    costs = Table(title="Per-document costs, measured locally", title_justify="left")
    for column in ("corpus", "docs", "minilm CPU s/doc", "static CPU s/doc", "shingle+sign CPU ms/doc",
                   "vector bytes (minilm)", "signature bytes", "shingle-hash bytes"):
        costs.add_column(column)
    for name, corpus in (("BBC", bbc), ("HuffPost", huffpost)):
        texts = [d.content for d in corpus]
        probe = random.Random(1).sample(texts, min(len(texts), 200))
        minilm = get_encoder("minilm")
        minilm.encode(probe[:8])
        _, minilm_cpu = timed(lambda: minilm.encode(probe))
        static = get_encoder("static")
        static.encode(probe[:8])
        _, static_cpu = timed(lambda: static.encode(texts))
        dedup_texts = [dedup_text(d) for d in corpus]
        shingles_signed: list = []
        _, sign_cpu = timed(lambda: shingles_signed.append(LocalEngine().shingle_and_sign(dedup_texts, SHINGLE_SIZE,
                                                                                          NUM_PERM, 1)))
        shingles, signatures = shingles_signed[0]
        costs.add_row(name, f"{len(texts):,}", f"{minilm_cpu / len(probe):.3f}", f"{static_cpu / len(texts):.5f}",
                      f"{1000 * sign_cpu / len(texts):.2f}", f"{minilm.dim * 4:,}",
                      f"{signatures.shape[1] * signatures.itemsize:,}",
                      f"{shingles.hashes.nbytes / len(texts):,.0f}")
    console.print(costs)


if __name__ == "__main__":
    main()
