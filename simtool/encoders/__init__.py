"""Encoders: one interface (`Encoder`) over TF-IDF, sentence-transformers and static models."""

from simtool.encoders.base import Encoder, l2_normalize
from simtool.encoders.registry import ModelInfo, get_encoder, list_models, resolve_encoder

__all__ = ["Encoder", "ModelInfo", "get_encoder", "l2_normalize", "list_models", "resolve_encoder"]
