"""Where the heavy steps run: in this process (`local`), or on a Ray cluster (`ray`).

An engine takes the texts the cache lacks and yields their vectors batch by batch; `embed()`
writes each batch to the same cache whichever engine computed it, so nothing is embedded twice.
For near-duplicates it finds the accepted pairs and their connected components; both engines
apply the same rules, so the groups are the same.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Protocol

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from simtool.encoders.base import Encoder
from simtool.errors import InputError
from simtool.shingling import ShingleOverlap, hash_shingles

ENGINES = ("local", "ray")


class Engine(Protocol):
    def encode_batches(self, encoder: Encoder, texts: Sequence[str],
                       batch_size: int) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """(row numbers into `texts`, their vectors) for every text, batch by batch, in any order."""
        ...

    def duplicate_pairs(self, texts: Sequence[str], size: int, threshold: float,
                        containment_threshold: float | None, num_perm: int, seed: int,
                        all_pairs: bool) -> dict[tuple[int, int], tuple[float, float]]:
        """Pairs (i < j) of `texts` accepted as copies, with their (Jaccard, containment) of
        `size`-word shingles (see `simtool.dedup.lexical_pairs`)."""
        ...

    def components(self, edges: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
        """(rows, labels): each row found in `edges` ((m, 2) pairs of rows below `n`) and a label
        its connected component shares."""
        ...


class LocalEngine:
    """This process: batches in order, longest texts first (the caller sorts them)."""

    def encode_batches(self, encoder: Encoder, texts: Sequence[str],
                       batch_size: int) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        for start in range(0, len(texts), batch_size):
            rows = np.arange(start, min(start + batch_size, len(texts)))
            yield rows, np.asarray(encoder.encode(list(texts[start:start + batch_size])), dtype=np.float32)

    def duplicate_pairs(self, texts: Sequence[str], size: int, threshold: float,
                        containment_threshold: float | None, num_perm: int, seed: int,
                        all_pairs: bool) -> dict[tuple[int, int], tuple[float, float]]:
        from simtool.dedup import lexical_pairs

        overlap = ShingleOverlap(hash_shingles(texts, size))
        return lexical_pairs(overlap, threshold, containment_threshold, num_perm, seed, all_pairs)

    def components(self, edges: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
        rows = np.unique(edges)
        graph = sp.coo_matrix((np.ones(len(edges)), (edges[:, 0], edges[:, 1])), shape=(n, n))
        _, labels = connected_components(graph, directed=False)
        return rows, labels[rows]


def get_engine(name: str = "local", *, address: str = "auto", workers: int | None = None,
               partitions: int | None = None) -> Engine:
    """`local`, or `ray` (connecting to `address`, else starting Ray on this machine)."""
    if name == "local":
        return LocalEngine()
    if name == "ray":
        from simtool.engines.ray_engine import RayEngine

        return RayEngine(address=address, workers=workers, partitions=partitions)
    raise InputError(f"--engine must be one of {', '.join(ENGINES)}; got {name!r}")
