"""Encoding through the cache: only texts the cache lacks are encoded, once each."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from simtool.encoders.base import Encoder, Vectors, check_texts
from simtool.text.basics import text_hash
from simtool.vectors.engine import Engine, LocalEngine
from simtool.vectors.store import VectorStore

ProgressCallback = Callable[[int, int], None]  # (texts done, texts in all)


@dataclass(frozen=True)
class EmbedStats:
    """How many texts were asked for, found in the cache, and encoded."""

    texts: int
    cached: int
    encoded: int


def embed(
    texts: Sequence[str],
    encoder: Encoder,
    store: VectorStore | None = None,
    *,
    batch_size: int = 256,
    progress: ProgressCallback | None = None,
    engine: Engine | None = None,
) -> tuple[Vectors, EmbedStats]:
    """Vectors for `texts` (one row each, in order) and what it took.

    Equal texts are encoded once. With a store and an encoder that has an identity, cached
    vectors are reused and new ones are written after every batch, so an interrupted run keeps
    what it finished. `engine` decides where the missing texts are encoded (this process by
    default, or a Ray cluster); the cache is the same either way.
    """
    texts = check_texts(texts)
    identity = encoder.identity
    fitted_identity = getattr(encoder, "fitted_identity", None)
    if store is not None and identity is None and fitted_identity is not None and texts:
        return _embed_fitted(texts, encoder, store, fitted_identity(texts))
    if identity is None:  # fitted on exactly these texts: one call, here
        vectors = encoder.encode(texts)
        return vectors, EmbedStats(len(texts), 0, len(texts))

    hashes = [text_hash(t) for t in texts]
    found = store.get_many(identity, hashes) if store is not None else {}
    if found:  # a stored row of another size than the encoder's is damage: computed again, as other damage is
        expected = _dim(encoder)
        found = {key: vector for key, vector in found.items() if expected is None or vector.shape[0] == expected}
    missing: dict[bytes, str] = {}
    for key, text in zip(hashes, texts):
        if key not in found and key not in missing:
            missing[key] = text
    total = len(missing)
    done = 0
    if progress:
        progress(0, total)
    # Longest first across the whole run, so each batch holds texts of like length and pads little
    # (sentence-transformers sorts only inside the batch it is given).
    pending = sorted(missing.items(), key=lambda item: -len(item[1]))
    engine = engine or LocalEngine()
    for rows, vectors in engine.encode_batches(encoder, [text for _, text in pending], batch_size):
        batch = {pending[row][0]: vector for row, vector in zip(rows.tolist(), vectors)}
        if store is not None:
            store.put_many(identity, batch.items())
        found.update(batch)
        done += len(batch)
        if progress:
            progress(done, total)
    matrix = np.vstack([found[key] for key in hashes]) if hashes else np.zeros((0, encoder.dim), np.float32)
    return matrix.astype(np.float32, copy=False), EmbedStats(len(texts), len(texts) - total, total)


def _dim(encoder: Encoder) -> int | None:
    try:
        return int(encoder.dim)
    except Exception:  # an encoder that knows its size only once fitted
        return None


def _embed_fitted(texts: list[str], encoder: Encoder, store: VectorStore, identity: str) -> tuple[Vectors, EmbedStats]:
    """A corpus-fitted encoder's vectors (LSA), cached under an identity that names the whole
    text list: they are all reused, or all computed again, never mixed with another fit's."""
    hashes = [text_hash(t) for t in texts]
    found = store.get_many(identity, hashes)
    if all(key in found for key in hashes):
        return np.vstack([found[key] for key in hashes]), EmbedStats(len(texts), len(texts), 0)
    vectors = np.asarray(encoder.encode(texts), dtype=np.float32)
    store.put_many(identity, dict(zip(hashes, vectors)).items())
    return vectors, EmbedStats(len(texts), 0, len(texts))
