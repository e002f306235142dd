"""The Encoder interface that every job works with, whatever model is behind it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol, TypeAlias, runtime_checkable

import numpy as np

# A dense float32 array, or a scipy CSR matrix (TF-IDF). scipy ships no type information, so to the
# type checker this is Any; `sp.issparse` tells the two apart at run time.
Vectors: TypeAlias = Any


@runtime_checkable
class Encoder(Protocol):
    """Texts in, one L2-normalised float32 row per text out.

    `identity` names everything that changes the output (model, revision, max length, pooling,
    precision) and keys the vector cache; an encoder whose vectors depend on a fitted corpus
    (TF-IDF) has `identity = None`; such an encoder may offer `fitted_identity(texts)`, a key
    that names the whole list it was fitted on, and is then cached for that exact list (LSA).
    TF-IDF returns a sparse CSR matrix; the others a dense array.
    """

    name: str

    @property
    def dim(self) -> int: ...

    @property
    def identity(self) -> str | None: ...

    def encode(self, texts: Sequence[str]) -> Vectors: ...


def l2_normalize(matrix: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length (zero rows stay zero), as float32."""
    matrix = np.asarray(matrix, dtype=np.float32)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return matrix / norms


def check_texts(texts: Sequence[str]) -> list[str]:
    """A list of strings, or a ValueError that names the classic mistake."""
    if isinstance(texts, str):
        raise ValueError("expected a list of texts, got a single string; wrap it in a list")
    texts = list(texts)
    for i, text in enumerate(texts):
        if not isinstance(text, str):
            raise ValueError(f"texts[{i}] is a {type(text).__name__}, not a string")
    return texts
