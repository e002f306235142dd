"""The vector cache: SQLite in WAL mode, keyed by (encoder identity, SHA-256 of the text).

WAL lets readers run beside one writer; each batch of vectors is written in one transaction,
so a run killed mid-way (even with SIGKILL) leaves every finished batch readable and nothing
half-written, and two runs sharing a cache wait for each other's commits (busy timeout)
rather than fail.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

DEFAULT_DIR = "embeddings"
FILENAME = "vectors.sqlite3"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS vectors (
    encoder TEXT NOT NULL,
    text_hash BLOB NOT NULL,
    dim INTEGER NOT NULL,
    vector BLOB NOT NULL,
    PRIMARY KEY (encoder, text_hash)
) WITHOUT ROWID
"""
_LOOKUP_CHUNK = 500  # SQLite's limit on bound parameters is 999 on old builds


def text_hash(text: str) -> bytes:
    """SHA-256 of the exact text an encoder sees."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()


def default_cache_dir() -> Path:
    """`$SIMTOOL_CACHE` if set, else `embeddings/` under the working directory."""
    return Path(os.environ.get("SIMTOOL_CACHE") or DEFAULT_DIR)


class VectorStore:
    """Vectors by encoder identity and text hash, in `<directory>/vectors.sqlite3`."""

    def __init__(self, directory: str | os.PathLike[str] | None = None, timeout: float = 60.0) -> None:
        self.directory = Path(directory) if directory is not None else default_cache_dir()
        self.directory.mkdir(parents=True, exist_ok=True)
        self.path = self.directory / FILENAME
        self._db = sqlite3.connect(self.path, timeout=timeout, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute(_SCHEMA)

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> VectorStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def get_many(self, encoder: str, hashes: Sequence[bytes]) -> dict[bytes, np.ndarray]:
        """The cached vectors among `hashes` (missing ones are absent from the result)."""
        found: dict[bytes, np.ndarray] = {}
        unique = list(dict.fromkeys(hashes))
        for start in range(0, len(unique), _LOOKUP_CHUNK):
            chunk = unique[start:start + _LOOKUP_CHUNK]
            marks = ",".join("?" * len(chunk))
            rows = self._db.execute(
                f"SELECT text_hash, dim, vector FROM vectors WHERE encoder = ? AND text_hash IN ({marks})",
                [encoder, *chunk],
            )
            for key, dim, blob in rows:
                vector = np.frombuffer(blob, dtype=np.float32)
                if vector.shape[0] == dim:  # a row of the wrong size is treated as missing
                    found[key] = vector
        return found

    def put_many(self, encoder: str, items: Iterable[tuple[bytes, np.ndarray]]) -> None:
        """Store vectors in one transaction: all of them or, if interrupted, none."""
        rows = [(encoder, key, int(v.shape[0]), np.ascontiguousarray(v, dtype=np.float32).tobytes())
                for key, v in items]
        with self._transaction():
            self._db.executemany("INSERT OR REPLACE INTO vectors VALUES (?, ?, ?, ?)", rows)

    def count(self, encoder: str | None = None) -> int:
        if encoder is None:
            return self._db.execute("SELECT COUNT(*) FROM vectors").fetchone()[0]
        return self._db.execute("SELECT COUNT(*) FROM vectors WHERE encoder = ?", [encoder]).fetchone()[0]

    def _transaction(self):
        db = self._db

        class _Tx:
            def __enter__(self) -> None:
                db.execute("BEGIN IMMEDIATE")

            def __exit__(self, exc_type, *rest) -> None:
                db.execute("ROLLBACK" if exc_type else "COMMIT")

        return _Tx()
