"""sentence-transformers models, with truncation or chunk-then-mean-pool for long articles."""

from __future__ import annotations

import functools
import json
import os
import warnings
from collections.abc import Sequence
from functools import cached_property
from pathlib import Path

import numpy as np

from simtool.encoders.base import check_texts, l2_normalize
from simtool.encoders.precision import (
    MIN_COSINE,
    PrecisionChecks,
    PrecisionFallback,
    choose_precision,
    encode_normalized,
    machine_key,
    min_cosine_to_float32,
    probe_texts,
    reduced_precision,
)
from simtool.errors import InputError
from simtool.state import default_state_dir

# The modules of a plain sentence-transformers model, whose shape its config files tell.
_PLAIN_MODULES = ("sentence_transformers.models.Transformer", "sentence_transformers.models.Pooling",
                  "sentence_transformers.models.Normalize")

POOLING = ("truncate", "chunk")


class TransformerEncoder:
    """A `SentenceTransformer`, on the CPU unless told otherwise.

    pooling:
      "truncate": the model sees the first `max_seq_length` word pieces of each text.
      "chunk": each text is cut into windows of `max_seq_length` word pieces (at token
      boundaries, by the model's own tokenizer), all windows of a batch are encoded together
      and each text's vector is the mean of its windows, weighted by their length.
    Truncation is the default: on BBC (benchmarks/embed_bbc.py) it retrieved an article from its
    headline better (MRR@10 0.770 vs 0.749) at half the cost; chunking clustered a little better
    (KMeans NMI 0.877 vs 0.872). News puts the story in its first paragraphs.
    """

    def __init__(self, model: str | Path, name: str | None = None, revision: str = "",
                 pooling: str = "truncate", batch_size: int = 32, device: str = "cpu",
                 local_files_only: bool | None = None, precision: str = "auto",
                 checks: PrecisionChecks | None = None, min_cosine: float = MIN_COSINE) -> None:
        if pooling not in POOLING:
            raise ValueError(f"pooling must be one of {', '.join(POOLING)}; got {pooling!r}")
        self.model_path = str(model)
        self.name = name or Path(self.model_path).name
        self.revision = revision
        self.pooling = pooling
        self.batch_size = batch_size
        self.device = _checked_device(device)
        if local_files_only is None:
            local_files_only = Path(self.model_path).is_dir() or os.environ.get("HF_HUB_OFFLINE") == "1"
        self.local_files_only = local_files_only
        self.requested_precision = precision
        self._candidate = choose_precision(precision, self.device)
        self._checks = checks if checks is not None else PrecisionChecks(default_state_dir())
        self.min_cosine = min_cosine
        # A folder's configuration names the cache key without loading torch and the weights, so
        # a run whose vectors are all cached never loads the model.
        described = _describe_folder(Path(self.model_path))
        if described is None:
            described = (int(self._float32.max_seq_length), _dimension(self._float32))
        self.max_seq_length, self.dim = described

    @cached_property
    def _float32(self):
        return _loaded(str(self.model_path), self.device, self.local_files_only)

    @cached_property
    def precision(self) -> str:
        """The precision vectors are computed in: the candidate if it passed the quality check
        on this machine (checked once, then remembered), else float32."""
        if self._candidate == "float32":
            return "float32"
        key = f"{self.name}@{self.revision}|max={self.max_seq_length}|{self._candidate}|{machine_key(self.device)}"
        verdict = self._checks.get(key)
        if verdict is None:
            reduced = self._reduced_model
            worst = min_cosine_to_float32(self._float32, reduced, probe_texts())
            verdict = {"passed": worst >= self.min_cosine, "min_cosine": round(worst, 5),
                       "model": self.name, "precision": self._candidate, "device": self.device}
            self._checks.put(key, verdict)
            if not verdict["passed"]:
                warnings.warn(f"{self.name} in {self._candidate} drifts from float32 on this machine (a probe "
                              f"text at cosine {worst:.4f} < {self.min_cosine}); using float32",
                              PrecisionFallback, stacklevel=2)
        return self._candidate if verdict["passed"] else "float32"

    @cached_property
    def _reduced_model(self):
        return reduced_precision(self._float32, self._candidate)

    @property
    def _model(self):
        return self._float32 if self.precision == "float32" else self._reduced_model

    def __getstate__(self) -> dict:
        # Sent to other processes (Ray actors) without the loaded weights: each loads its own,
        # in the precision already decided here.
        return {k: v for k, v in self.__dict__.items() if k not in ("_float32", "_reduced_model")}

    @property
    def identity(self) -> str:
        # Reduced precisions are made unit length in float32 ("unit32"): vectors cached before that
        # (normalised in bfloat16, off unit length by up to 0.4%) are not mixed with these.
        unit = "" if self.precision == "float32" else "+unit32"
        return f"st/{self.name}@{self.revision}/max={self.max_seq_length}/{self.pooling}/{self.precision}{unit}"

    def _encode_raw(self, texts: list[str]) -> np.ndarray:
        return encode_normalized(self._model, texts, self.batch_size)

    def chunks(self, text: str) -> list[tuple[str, int]]:
        """`text` cut into windows the model can see whole, with each window's token count."""
        window = self.max_seq_length - 2  # room for [CLS] and [SEP]
        encoding = self._float32.tokenizer(text, add_special_tokens=False, return_offsets_mapping=True,
                                         truncation=False, verbose=False)
        offsets = encoding["offset_mapping"]
        if len(offsets) <= window:
            return [(text, max(len(offsets), 1))]
        pieces = []
        for start in range(0, len(offsets), window):
            span = offsets[start:start + window]
            pieces.append((text[span[0][0]:span[-1][1]], len(span)))
        return pieces

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        texts = check_texts(texts)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        if self.pooling == "truncate":
            return self._encode_raw(texts).astype(np.float32)
        owners, pieces, weights = [], [], []
        for i, text in enumerate(texts):
            for piece, n_tokens in self.chunks(text):
                owners.append(i)
                pieces.append(piece)
                weights.append(n_tokens)
        piece_vectors = self._encode_raw(pieces)
        pooled = np.zeros((len(texts), self.dim), dtype=np.float32)
        np.add.at(pooled, np.asarray(owners), piece_vectors * np.asarray(weights, dtype=np.float32)[:, None])
        return l2_normalize(pooled)


@functools.lru_cache(maxsize=4)
def _loaded(path: str, device: str, local_files_only: bool):
    """One SentenceTransformer per model and device in a process, shared by the encoders that ask
    (a job such as `analyze` makes several); used read-only, reduced copies are made apart."""
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(path, device=device, local_files_only=local_files_only)


def _dimension(model) -> int:
    get = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
    return int(get())


def _describe_folder(path: Path) -> tuple[int, int] | None:
    """(max_seq_length, dimension) of a plain model folder from its config files; None when the
    folder is not plain (extra modules, several pooling modes) or says too little."""
    try:
        modules = json.loads((path / "modules.json").read_text())
        settings = json.loads((path / "sentence_bert_config.json").read_text())
        pooling_path = next(m["path"] for m in modules if m["type"].endswith(".Pooling"))
        pooling = json.loads((path / pooling_path / "config.json").read_text())
    except (OSError, ValueError, KeyError, TypeError, StopIteration):
        return None
    modes = [key for key, on in pooling.items() if key.startswith("pooling_mode_") and on is True]
    if any(m.get("type") not in _PLAIN_MODULES for m in modules) or len(modes) != 1:
        return None
    if not isinstance(settings.get("max_seq_length"), int) or not isinstance(pooling.get("word_embedding_dimension"), int):
        return None
    return settings["max_seq_length"], pooling["word_embedding_dimension"]


def _checked_device(device: str) -> str:
    if device.startswith("cuda"):
        import torch

        if not torch.cuda.is_available():
            raise InputError(f"--device {device}: no CUDA device is available here (this torch build "
                             f"is {torch.__version__}); use --device cpu")
    elif device not in ("cpu", "mps"):
        raise InputError(f"--device must be cpu, cuda, cuda:N or mps; got {device!r}")
    return device
