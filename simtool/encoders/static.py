"""Static (model2vec) encoders: a token-vector table and a mean; thousands of texts a second."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from simtool.encoders.base import check_texts, l2_normalize


class StaticEncoder:
    """A model2vec `StaticModel` loaded from a local folder (or a hub name, with the network).

    Static models have no attention window, so the whole article is pooled (`max_length=None`).
    """

    def __init__(self, model: str | Path, name: str | None = None, revision: str = "") -> None:
        from model2vec import StaticModel

        self.model_path = str(model)
        self.name = name or Path(self.model_path).name
        self.revision = revision
        self._model = StaticModel.from_pretrained(self.model_path)
        self.dim = int(self._model.dim)

    @property
    def identity(self) -> str:
        return f"static/{self.name}@{self.revision}/mean/full"

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        texts = check_texts(texts)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return l2_normalize(self._model.encode(texts, max_length=None, show_progress_bar=False))
