"""The Ray engine on this machine: 1 against 2 workers, and what one document costs.

Part 1: embedding a seeded sample of BBC with `minilm` (cold cache each time) through the local
engine and through a local Ray instance with 1 and 2 actors (one CPU each); dedup of all of BBC
and of HuffPost (every step: signatures, LSH buckets, verification, connected components) the
same three ways, with the groups checked equal; the Ray Dataset path (read the BBC folder,
embed with `static` into Parquet shards, k-means on the shards) with 1 and 2 workers.
Part 2: per-document costs on BBC and HuffPost, measured locally: CPU seconds to embed (minilm,
static) and to shingle and sign, bytes of a vector and of its Parquet shard row, of a signature,
of the band keys shuffled, of the shingle hashes verification keeps, candidate pairs per
document and the bytes a candidate carries to its verification. These feed the README's plan.

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
from simtool.encoders import get_encoder
from simtool.engines import LocalEngine, get_engine
from simtool.io.prepare import prepare_corpus
from simtool.jobs.dedup import dedup_text, find_duplicates
from simtool.jobs.dedup.minhash import lsh_parameters, minhash_signatures
from simtool.jobs.dedup.rules import lowest_candidate_jaccard
from simtool.text.basics import SHINGLE_SIZE
from simtool.text.shingling import hash_shingles
from simtool.vectors.embed import embed
from simtool.vectors.store import VectorStore

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
    scaling = Table(title="1 against 2 workers on this 2-core machine", title_justify="left")
    for column in ("job", "engine", "seconds", "docs/s", "vs local", "same result"):
        scaling.add_column(column)
    local_embed = cold_embed(sample, "minilm", LocalEngine())
    scaling.add_row(f"embed {len(sample)} BBC, minilm", "local (torch, 2 threads)", f"{local_embed:.1f}",
                    f"{len(sample) / local_embed:.1f}", "1.00x", "")
    local_dedup = {}
    for name, corpus in (("BBC", bbc), ("HuffPost", huffpost)):
        seconds, _ = timed(lambda: local_dedup.setdefault(name, find_duplicates(corpus, all_pairs=True)))
        local_dedup[name + " s"] = seconds
        scaling.add_row(f"dedup {len(corpus):,} {name}", "local", f"{seconds:.2f}", f"{len(corpus) / seconds:,.0f}",
                        "1.00x", f"{len(local_dedup[name].groups)} groups")
    local_shards = shards_run(None)
    scaling.add_row(f"read + embed (static) + cluster {len(bbc):,} BBC, shards", "local (embed --shards, cluster)",
                    f"{local_shards:.1f}", f"{len(bbc) / local_shards:.0f}", "1.00x", "")
    for workers in (1, 2):
        ray.init(num_cpus=workers, include_dashboard=False, log_to_driver=False, configure_logging=False)
        engine = get_engine("ray", workers=workers)
        cold_embed(sample[:8], "static", engine)  # start Ray's workers
        seconds = cold_embed(sample, "minilm", engine)
        scaling.add_row(f"embed {len(sample)} BBC, minilm", f"ray, {workers} actor(s)", f"{seconds:.1f}",
                        f"{len(sample) / seconds:.1f}", f"{local_embed / seconds:.2f}x", "")
        for name, corpus in (("BBC", bbc), ("HuffPost", huffpost)):
            found = []
            dedup_s, _ = timed(lambda: found.append(find_duplicates(corpus, engine=engine)))
            same = found[0].groups == local_dedup[name].groups
            scaling.add_row(f"dedup {len(corpus):,} {name}", f"ray, {workers} CPU(s)", f"{dedup_s:.2f}",
                            f"{len(corpus) / dedup_s:,.0f}", f"{local_dedup[name + ' s'] / dedup_s:.2f}x",
                            f"{'equal' if same else 'DIFFERENT'} groups")
        seconds = shards_run(workers)
        scaling.add_row(f"read + embed (static) + cluster {len(bbc):,} BBC, shards", f"ray dataset, {workers} worker(s)",
                        f"{seconds:.1f}", f"{len(bbc) / seconds:.0f}", f"{local_shards / seconds:.2f}x", "")
        ray.shutdown()
    console.print(scaling)

    costs = Table(title="Per-document costs, measured locally", title_justify="left")
    for column in ("corpus", "docs", "minilm CPU s/doc", "static CPU s/doc", "shingle+sign CPU ms/doc",
                   "vector bytes (minilm)", "shard bytes/doc (minilm)", "signature bytes", "band-key bytes shuffled",
                   "shingle-hash bytes", "candidates/doc", "bytes a candidate carries"):
        costs.add_column(column)
    for name, corpus in (("BBC", bbc), ("HuffPost", huffpost)):
        texts = [d.content for d in corpus]
        probe = random.Random(1).sample(texts, min(len(texts), 200))
        minilm = get_encoder("minilm")
        minilm.encode(probe[:8])
        encoded: list = []
        _, minilm_cpu = timed(lambda: encoded.append(minilm.encode(probe)))
        static = get_encoder("static")
        static.encode(probe[:8])
        _, static_cpu = timed(lambda: static.encode(texts))
        dedup_texts = [dedup_text(d) for d in corpus]
        signed: list = []
        _, sign_cpu = timed(lambda: signed.append(sign(dedup_texts)))
        shingles, signatures = signed[0]
        bands, _ = lsh_parameters(lowest_candidate_jaccard(0.5, 0.8), NUM_PERM)
        ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, configure_logging=False)
        engine = get_engine("ray", partitions=4)
        find_duplicates(corpus, engine=engine)
        candidates = engine.last_dedup_counts["distinct_candidates"]
        shard_bytes = shard_row_bytes(probe, encoded[0])
        ray.shutdown()
        set_bytes = shingles.hashes.nbytes / len(texts)  # repeats included: an upper bound of the set
        costs.add_row(name, f"{len(texts):,}", f"{minilm_cpu / len(probe):.3f}", f"{static_cpu / len(texts):.5f}",
                      f"{1000 * sign_cpu / len(texts):.2f}", f"{minilm.dim * 4:,}", f"{shard_bytes:,.0f}",
                      f"{signatures.shape[1] * signatures.itemsize:,}", f"{bands * 24:,}", f"{set_bytes:,.0f}",
                      f"{candidates / len(texts):.3f}",
                      f"{signatures.shape[1] * signatures.itemsize + 8 + set_bytes:,.0f}")
    console.print(costs)


def sign(texts: list[str]):
    shingles = hash_shingles(texts, SHINGLE_SIZE)
    return shingles, minhash_signatures(shingles, NUM_PERM, 1)


def shards_run(workers: int | None) -> float:
    """Seconds to read BBC, embed it with `static` into Parquet shards and cluster the shards
    (k 5), from an empty cache: on Ray the Dataset path; locally `embed --shards` then `cluster`."""
    from typer.testing import CliRunner

    from simtool.cli import app

    folder = str(data_dir() / "bbc")
    with tempfile.TemporaryDirectory() as cache, tempfile.TemporaryDirectory() as out:
        common = ["--model", "static", "--cache", cache, "--json"]
        if workers is None:
            commands = [["embed", folder, "--shards", out, *common], ["cluster", folder, "--k", "5", *common]]
        else:
            commands = [["cluster", folder, "--k", "5", "--engine", "ray", "--workers", str(workers), "--shards", out,
                         *common]]
        start = time.perf_counter()
        for command in commands:
            result = CliRunner().invoke(app, command)
            if result.exit_code:
                raise SystemExit(result.output)
        return time.perf_counter() - start


def shard_row_bytes(texts: list[str], vectors) -> float:
    """Bytes per document of a Parquet vector shard (id, sha256, vector) of these vectors."""
    from simtool.text.basics import text_hash
    from simtool.vectors.shards import vector_table, write_shard

    with tempfile.TemporaryDirectory() as out:
        path = write_shard(out, vector_table([f"doc-{i:09d}" for i in range(len(texts))],
                                             [text_hash(t) for t in texts], vectors, "minilm"))
        return path.stat().st_size / len(texts)


if __name__ == "__main__":
    main()
