"""A deterministic hashing encoder for tests and dry runs: no model, no download, instant.

Like httpx's MockTransport it ships with the package; `calls` and `texts_seen` let a test
assert what was (not) encoded.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sklearn.feature_extraction.text import HashingVectorizer

from simtool.encoders.base import check_texts, l2_normalize


class FakeEncoder:
    """Hashed word and bigram counts, projected to `dim` dimensions."""

    def __init__(self, dim: int = 64) -> None:
        if dim < 2:
            raise ValueError(f"dim must be >= 2, got {dim!r}")
        self.name = "fake"
        self.dim = dim
        self.calls = 0
        self.texts_seen = 0
        self._vectorizer = HashingVectorizer(n_features=dim, ngram_range=(1, 2), alternate_sign=False,
                                             norm=None)

    @property
    def identity(self) -> str:
        return f"fake/hashing-1-2/dim={self.dim}"

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        texts = check_texts(texts)
        self.calls += 1
        self.texts_seen += len(texts)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return l2_normalize(self._vectorizer.transform(texts).toarray())
