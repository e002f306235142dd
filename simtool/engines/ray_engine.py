"""Encoding on a Ray cluster: a Ray Dataset of the missing texts, `map_batches` over a pool of
actors that each load the model once, vectors streamed back to the driver's cache."""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Iterator, Sequence

import numpy as np

from simtool.encoders.base import Encoder
from simtool.errors import InputError
from simtool.minhash import minhash_signatures
from simtool.shingling import ShingleHashes, hash_shingles


class _EncodeActor:
    """One model per actor. Torch gets one thread per CPU Ray gives the actor, so actors on one
    machine do not fight over cores."""

    def __init__(self, encoder: Encoder, threads: int) -> None:
        try:
            import torch

            torch.set_num_threads(threads)
        except ImportError:
            pass
        self.encoder = encoder

    def __call__(self, batch: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        vectors = np.asarray(self.encoder.encode([str(t) for t in batch["text"]]), dtype=np.float32)
        return {"row": batch["row"], "vector": vectors}


class RayEngine:
    """`address`: a cluster's address, or "auto" (the cluster this machine belongs to, else a
    local Ray instance started with `workers` CPUs). `workers`: actors, one model each."""

    def __init__(self, address: str = "auto", workers: int | None = None) -> None:
        if importlib.util.find_spec("ray") is None:
            raise InputError("--engine ray needs Ray: pip install 'simtool[ray]'")
        self.address = address
        self.workers = workers

    def _connect(self):
        import ray

        import logging

        from ray.data import DataContext

        DataContext.get_current().enable_progress_bars = False
        logging.getLogger("ray.data").setLevel(logging.WARNING)
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
        ray = self._connect()
        cpus = int(ray.cluster_resources().get("CPU", 1))
        workers = max(1, min(self.workers or cpus, cpus))
        dataset = ray.data.from_items([{"row": i, "text": t} for i, t in enumerate(texts)],
                                      override_num_blocks=max(workers, len(texts) // (4 * batch_size) or 1))
        encoded = dataset.map_batches(_EncodeActor, fn_constructor_args=(encoder, max(1, cpus // workers)),
                                      batch_size=batch_size, concurrency=workers, num_cpus=max(1, cpus // workers),
                                      batch_format="numpy")
        for batch in encoded.iter_batches(batch_size=None, batch_format="numpy"):
            yield np.asarray(batch["row"]), np.asarray(batch["vector"], dtype=np.float32)

    def shingle_and_sign(self, texts: Sequence[str], size: int, num_perm: int,
                         seed: int) -> tuple[ShingleHashes, np.ndarray]:
        """Shingles and signatures per partition, one Ray task each, joined in order on the driver.

        Hashing is deterministic, so the result equals the local engine's bit for bit.
        """
        ray = self._connect()
        parts = max(1, min(len(texts) // 1000 or 1, 4 * int(ray.cluster_resources().get("CPU", 1))))
        bounds = np.linspace(0, len(texts), parts + 1).astype(int)
        sign = ray.remote(_shingle_and_sign_part)
        futures = [sign.remote(list(texts[a:b]), size, num_perm, seed) for a, b in zip(bounds[:-1], bounds[1:])]
        results = ray.get(futures)
        counts = np.concatenate([np.diff(shingles.offsets) for shingles, _ in results])
        offsets = np.zeros(len(counts) + 1, np.int64)
        np.cumsum(counts, out=offsets[1:])
        hashes = np.concatenate([shingles.hashes for shingles, _ in results])
        signatures = np.concatenate([signed for _, signed in results])
        return ShingleHashes(hashes, offsets, size), signatures


def _shingle_and_sign_part(texts: list[str], size: int, num_perm: int, seed: int) -> tuple[ShingleHashes, np.ndarray]:
    shingles = hash_shingles(texts, size)
    return shingles, minhash_signatures(shingles, num_perm, seed)
