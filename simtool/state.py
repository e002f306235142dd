"""Files simtool keeps about this machine and writes for its users, each written whole or not at all."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from simtool.errors import InputError

LEDGER = "outputs.json"
DEFAULT_CACHE_DIR = "embeddings"


def default_state_dir() -> Path:
    """Where facts about this machine are kept: `$SIMTOOL_STATE`, else `~/.cache/simtool`."""
    configured = os.environ.get("SIMTOOL_STATE")
    if configured:
        return Path(configured)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "simtool"


def default_cache_dir() -> Path:
    """The vector cache: `$SIMTOOL_CACHE` if set, else `embeddings/` under the working directory."""
    return Path(os.environ.get("SIMTOOL_CACHE") or DEFAULT_CACHE_DIR)


def write_atomically(path: Path, data: bytes) -> None:
    """`data` to `path` through a temporary file beside it and a rename: a reader, or a run
    killed mid-write, sees the old file or the new one, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def read_json(path: Path) -> dict[str, Any]:
    """A JSON object from `path`; empty when the file is missing or damaged."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _ledger() -> Path:
    return default_state_dir() / LEDGER


def claim_outputs(paths: Iterable[Path | None], force: bool = False) -> None:
    """Refuse, before any work is done, to replace a file simtool did not write.

    A file may be replaced when `force` is set, or when simtool wrote it and it is unchanged
    since (the ledger in the state folder holds the hash of what was written where).
    """
    if force:
        return
    written = read_json(_ledger())
    for path in paths:
        if path is None or not Path(path).exists():
            continue
        path = Path(path)
        if path.is_dir():
            raise InputError(f"{path}: is a folder; give a file name")
        recorded = written.get(str(path.resolve()))
        if recorded is None or recorded != _digest(path.read_bytes()):
            raise InputError(f"{path}: exists and was not written by simtool (or was edited since); "
                             f"use --force to replace it")


def write_output(path: Path, data: bytes | str) -> Path:
    """Write one of the user's output files atomically and note it in the ledger."""
    path = Path(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    write_atomically(path, payload)
    ledger = _ledger()
    written = read_json(ledger)
    written[str(path.resolve())] = _digest(payload)
    write_atomically(ledger, json.dumps(written, indent=1, sort_keys=True).encode("utf-8"))
    return path
