"""The Ray engine: the connection, actor pools, and encoding on a Ray cluster (a Ray Dataset of
the missing texts, `map_batches` over a pool of actors that each load the model once, vectors
streamed back to the driver's cache). Jobs run their own distributed steps over `connect()`."""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Iterator, Sequence

import numpy as np

from simtool.encoders.base import Encoder
from simtool.engines.pool import actor_pool, cluster_cpus, limit_threads
from simtool.errors import InputError


class _EncodeActor:
    """One model per actor. Torch gets one thread per CPU Ray gives the actor, so actors on one
    machine do not fight over cores."""

    def __init__(self, encoder: Encoder, threads: int) -> None:
        limit_threads(threads)
        self.encoder = encoder

    def __call__(self, batch: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        vectors = np.asarray(self.encoder.encode([str(t) for t in batch["text"]]), dtype=np.float32)
        return {"row": batch["row"], "vector": vectors}


class RayEngine:
    """`address`: a cluster's address, or "auto" (the cluster this machine belongs to, else a
    local Ray instance started with `workers` CPUs). `workers`: actors, one model each.
    `partitions`: how many blocks and shuffle partitions dedup uses (default: from the corpus
    size and the cluster's CPUs)."""

    name = "ray"

    def __init__(self, address: str = "auto", workers: int | None = None, partitions: int | None = None) -> None:
        if importlib.util.find_spec("ray") is None:
            raise InputError("--engine ray needs Ray: pip install 'simtool[ray]'")
        self.address = address
        self.workers = workers
        self.partitions = partitions  # blocks and shuffle partitions of dedup (default: from size and CPUs)
        self.last_dedup_counts: dict[str, int] = {}  # what the last distributed dedup handled, per stage

    def connect(self):
        """The `ray` module, connected to the cluster (started here if `address` is auto and none answers)."""
        import logging

        import ray
        from ray.data import DataContext

        logging.getLogger("ray.data").setLevel(logging.ERROR)  # not even the notice that bars are off
        DataContext.get_current().enable_progress_bars = False
        if not ray.is_initialized():
            quiet = {"include_dashboard": False, "log_to_driver": False, "configure_logging": False}
            try:
                ray.init(address=self.address, **quiet)
            except ConnectionError:
                if self.address != "auto":
                    raise InputError(f"--ray-address {self.address}: no Ray cluster answers there") from None
                ray.init(num_cpus=self.workers or os.cpu_count(), **quiet)
        return ray

    def encode_batches(self, encoder: Encoder, texts: Sequence[str],
                       batch_size: int) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        if not texts:
            return
        ray = self.connect()
        workers, threads = actor_pool(ray, self.workers)
        dataset = ray.data.from_items([{"row": i, "text": t} for i, t in enumerate(texts)],
                                      override_num_blocks=max(workers, len(texts) // (4 * batch_size) or 1))
        encoded = dataset.map_batches(_EncodeActor, fn_constructor_args=(encoder, threads),
                                      batch_size=batch_size, concurrency=workers, num_cpus=threads,
                                      batch_format="numpy")
        for batch in encoded.iter_batches(batch_size=None, batch_format="numpy"):
            yield np.asarray(batch["row"]), np.asarray(batch["vector"], dtype=np.float32)

    def read_documents(self, paths, *, clean: bool = True, strict: bool = False, text_field: str | None = None, id_field: str | None = None):
        """`paths` as a Ray Dataset of documents, read by the cluster (`simtool.engines.datasets`)."""
        from simtool.engines.datasets import read_documents

        return read_documents(self.connect(), list(paths), clean=clean, strict=strict, text_field=text_field, id_field=id_field)

    def embed_to_shards(self, corpus, encoder: Encoder, store, directory, batch_size: int = 64):
        """Vectors of a dataset corpus written as Parquet shards by the actors (`simtool.engines.datasets`)."""
        from simtool.engines.datasets import embed_to_shards

        return embed_to_shards(self.connect(), corpus, encoder, store, directory, workers=self.workers,
                               batch_size=batch_size)

    def partitions_for(self, n: int) -> int:
        """Blocks and shuffle partitions for `n` documents: `partitions` if given, else a few
        tasks per CPU, each with at least ~2,000 documents' worth of work."""
        if self.partitions:
            return self.partitions
        return max(1, min(4 * cluster_cpus(self.connect()), n // 2000 or 1))
