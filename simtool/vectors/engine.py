"""Where batches of texts are encoded: the `Engine` protocol and the engine of this process.

`embed()` takes the texts its cache lacks and asks an engine for their vectors batch by batch;
it writes each batch to the same cache whichever engine computed it, so nothing is embedded
twice. Engines are plumbing only: a job's own distributed steps live with the job
(`simtool.jobs.dedup.ray`, `simtool.jobs.cluster.ray`), the Ray engine in `simtool.engines`.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Protocol

import numpy as np

from simtool.encoders.base import Encoder


class Engine(Protocol):
    """Encodes batches of texts somewhere: this process, or a cluster."""

    name: str

    def encode_batches(self, encoder: Encoder, texts: Sequence[str],
                       batch_size: int) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """(row numbers into `texts`, their vectors) for every text, batch by batch, in any order."""
        ...


class LocalEngine:
    """This process: batches in order, longest texts first (the caller sorts them)."""

    name = "local"

    def encode_batches(self, encoder: Encoder, texts: Sequence[str],
                       batch_size: int) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        for start in range(0, len(texts), batch_size):
            rows = np.arange(start, min(start + batch_size, len(texts)))
            yield rows, np.asarray(encoder.encode(list(texts[start:start + batch_size])), dtype=np.float32)
