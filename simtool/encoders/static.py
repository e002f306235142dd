"""Static (model2vec) encoders: a token-vector table and a mean; thousands of texts a second."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from functools import cached_property
from pathlib import Path

import numpy as np

from simtool.encoders.base import check_texts, l2_normalize


@functools.lru_cache(maxsize=4)
def _loaded(path: str):
    """One StaticModel per folder in a process, shared by the encoders that ask (read-only)."""
    from model2vec import StaticModel

    return StaticModel.from_pretrained(path)


class StaticEncoder:
    """A model2vec `StaticModel` loaded from a local folder (or a hub name, with the network).

    Static models have no attention window, so the whole article is pooled (`max_length=None`).
    """

    def __init__(self, model: str | Path, name: str | None = None, revision: str = "") -> None:
        self.model_path = str(model)
        self.name = name or Path(self.model_path).name
        self.revision = revision
        # The width of the embedding table, read from the weights' header, is all a cached run
        # needs; the tokenizer (seconds to load for a large vocabulary) waits for a text to encode.
        self.dim = _table_width(Path(self.model_path)) or int(self._model.dim)

    @cached_property
    def _model(self):
        return _loaded(self.model_path)

    def __getstate__(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if k != "_model"}  # other processes load their own

    @property
    def identity(self) -> str:
        return f"static/{self.name}@{self.revision}/mean/full"

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        texts = check_texts(texts)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return l2_normalize(self._model.encode(texts, max_length=None, show_progress_bar=False))


def _table_width(path: Path) -> int | None:
    weights = path / "model.safetensors"
    if not weights.is_file():
        return None
    from safetensors import safe_open

    with safe_open(str(weights), "np") as tensors:
        if "embeddings" not in tensors.keys():
            return None
        shape = tensors.get_slice("embeddings").get_shape()
    return int(shape[1]) if len(shape) == 2 else None
