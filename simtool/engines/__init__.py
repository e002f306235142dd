"""Where encoding runs: in this process (`local`), or on a Ray cluster (`ray`).

An engine takes the texts the cache lacks and yields their vectors batch by batch; `embed()`
writes each batch to the same cache whichever engine computed it, so nothing is embedded twice.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Protocol

import numpy as np

from simtool.encoders.base import Encoder
from simtool.errors import InputError
from simtool.minhash import minhash_signatures
from simtool.shingling import ShingleHashes, hash_shingles

ENGINES = ("local", "ray")


class Engine(Protocol):
    def encode_batches(self, encoder: Encoder, texts: Sequence[str],
                       batch_size: int) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """(row numbers into `texts`, their vectors) for every text, batch by batch, in any order."""
        ...

    def shingle_and_sign(self, texts: Sequence[str], size: int, num_perm: int,
                         seed: int) -> tuple[ShingleHashes, np.ndarray]:
        """Every text's shingle hashes and MinHash signature, in the order of `texts`."""
        ...


class LocalEngine:
    """This process: batches in order, longest texts first (the caller sorts them)."""

    def encode_batches(self, encoder: Encoder, texts: Sequence[str],
                       batch_size: int) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        for start in range(0, len(texts), batch_size):
            rows = np.arange(start, min(start + batch_size, len(texts)))
            yield rows, np.asarray(encoder.encode(list(texts[start:start + batch_size])), dtype=np.float32)

    def shingle_and_sign(self, texts: Sequence[str], size: int, num_perm: int,
                         seed: int) -> tuple[ShingleHashes, np.ndarray]:
        shingles = hash_shingles(texts, size)
        return shingles, minhash_signatures(shingles, num_perm, seed)


def get_engine(name: str = "local", *, address: str = "auto", workers: int | None = None) -> Engine:
    """`local`, or `ray` (connecting to `address`, else starting Ray on this machine)."""
    if name == "local":
        return LocalEngine()
    if name == "ray":
        from simtool.engines.ray_engine import RayEngine

        return RayEngine(address=address, workers=workers)
    raise InputError(f"--engine must be one of {', '.join(ENGINES)}; got {name!r}")
