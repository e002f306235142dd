"""The vector cache: SQLite in WAL mode, keyed by (encoder identity, SHA-256 of the text), and
the Parquet shard folders registered with it (`add_shards`), read when SQLite lacks a vector.

WAL lets readers run beside one writer; each batch of vectors is written in one transaction,
so a run killed mid-way (even with SIGKILL) leaves every finished batch readable and nothing
half-written, and two runs sharing a cache wait for each other's commits (busy timeout)
rather than fail.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
import warnings
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

from simtool.errors import CacheReadOnly, CacheRebuilt, CacheUpgraded, InputError
from simtool.state import default_cache_dir, read_json, write_atomically
from simtool.vectors.shards import ShardIndex, shard_files

FILENAME = "vectors.sqlite3"
SHARDS_MANIFEST = "shards.json"  # {encoder identity: [shard folders]}
_SCHEMA = """
CREATE TABLE IF NOT EXISTS vectors (
    encoder TEXT NOT NULL,
    text_hash BLOB NOT NULL,
    dim INTEGER NOT NULL,
    vector BLOB NOT NULL,
    PRIMARY KEY (encoder, text_hash)
) WITHOUT ROWID
"""
# The schema's version, kept in SQLite's `PRAGMA user_version`. A cache from an older simtool is
# migrated step by step (MIGRATIONS[v] takes version v to v + 1, in one transaction), one from a
# newer simtool is refused: a vector is never read under rules it was not written by.
SCHEMA_VERSION = 1
MIGRATIONS: dict[int, str] = {
    # 0 -> 1: caches from before versions existed hold exactly version 1's table: the number is set.
    0: "SELECT 1",
}
_LOOKUP_CHUNK = 500  # SQLite's limit on bound parameters is 999 on old builds


def _damage(exc: sqlite3.DatabaseError) -> bool:
    """Whether SQLite's error means the file is damaged (and may be moved aside), rather than that
    it cannot be written now (read-only, full disk, locked, an I/O error of the moment)."""
    text = str(exc).lower()
    if any(word in text for word in ("malformed", "not a database", "encrypted", "corrupt")):
        return True
    return not isinstance(exc, sqlite3.OperationalError) and "no such table" not in text


class VectorStore:
    """Vectors by encoder identity and text hash, in `<directory>/vectors.sqlite3`."""

    def __init__(self, directory: str | os.PathLike[str] | None = None, timeout: float = 60.0) -> None:
        self.directory = Path(directory).expanduser() if directory is not None else default_cache_dir()
        self.directory.mkdir(parents=True, exist_ok=True)
        self.path = self.directory / FILENAME
        self.timeout = timeout
        self._shard_indexes: dict[str, ShardIndex | None] = {}
        self.read_only = False
        try:
            self._db = self._open()
        except sqlite3.DatabaseError as exc:
            if not _damage(exc):  # locked, read-only, full: the file is fine and is never moved aside
                self._db = self._open_read_only(exc)
            else:
                self._db = self._rebuild(exc)

    def _open_read_only(self, exc: sqlite3.DatabaseError) -> sqlite3.Connection:
        """A cache that cannot be written (a read-only folder, a full disk) is read, not rebuilt:
        its vectors are used, new ones are computed and not kept."""
        if "locked" in str(exc) or not self.path.exists():
            raise InputError(f"{self.path}: the vector cache cannot be opened ({exc}); use --cache DIR") from exc
        try:
            db = sqlite3.connect(f"file:{self.path}?mode=ro&immutable=1", uri=True, timeout=self.timeout,
                                 isolation_level=None)
            self._version(db)
            db.execute("SELECT encoder FROM vectors LIMIT 1").fetchall()
        except sqlite3.DatabaseError as again:
            raise InputError(f"{self.path}: the vector cache cannot be read ({again}); use --cache DIR") from again
        self.read_only = True
        warnings.warn(f"{self.path}: the vector cache cannot be written ({exc}); its vectors are read, new ones "
                      f"are not kept", CacheReadOnly, stacklevel=3)
        return db

    def _open(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=self.timeout, isolation_level=None)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            self._migrate(db)
            db.execute("SELECT encoder FROM vectors LIMIT 1").fetchall()  # reads a page: a damaged file fails here
        except (sqlite3.DatabaseError, InputError):
            db.close()
            raise
        return db

    def _version(self, db: sqlite3.Connection) -> int:
        """The file's schema version; one from a newer simtool is refused, never misread."""
        version = int(db.execute("PRAGMA user_version").fetchone()[0])
        if version > SCHEMA_VERSION:
            raise InputError(f"{self.path}: the vector cache was written by a newer simtool (schema "
                             f"{version}, this one reads {SCHEMA_VERSION}); upgrade simtool or use another --cache")
        return version

    def _migrate(self, db: sqlite3.Connection) -> None:
        """Bring the file to SCHEMA_VERSION: create it, migrate an older one, refuse a newer one.
        A current cache is only read here; the write lock is taken when there is work to do."""
        if self._version(db) == SCHEMA_VERSION:
            return
        db.execute("BEGIN IMMEDIATE")  # two processes opening one old cache migrate it once
        try:
            version = self._version(db)
            existed = db.execute("SELECT 1 FROM sqlite_master WHERE name = 'vectors'").fetchone() is not None
            if not existed:
                db.execute(_SCHEMA)
            elif version < SCHEMA_VERSION:
                for step in range(version, SCHEMA_VERSION):
                    db.execute(MIGRATIONS[step])
                warnings.warn(f"{self.path}: the vector cache was upgraded from schema {version} to "
                              f"{SCHEMA_VERSION}; every vector in it is kept", CacheUpgraded, stacklevel=4)
            db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            db.execute("COMMIT")
        except BaseException:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise

    def _rebuild(self, exc: sqlite3.DatabaseError) -> sqlite3.Connection:
        """Move a damaged cache aside (never read it as vectors) and start an empty one."""
        aside = self.path.with_name(f"{FILENAME}.damaged-{int(time.time())}")
        for suffix in ("", "-wal", "-shm"):
            damaged = Path(f"{self.path}{suffix}")
            if damaged.exists():
                os.replace(damaged, Path(f"{aside}{suffix}"))
        warnings.warn(f"{self.path}: the vector cache is damaged ({exc}); moved to {aside.name} and "
                      f"started afresh: vectors will be computed again", CacheRebuilt, stacklevel=3)
        return self._open()

    def _guarded(self, operation):
        """Run `operation(db)`; a cache found damaged mid-run is rebuilt and the operation retried."""
        try:
            return operation(self._db)
        except sqlite3.DatabaseError as exc:
            if isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc):
                raise  # another process holds it: not damage
            if not _damage(exc):
                raise InputError(f"{self.path}: the vector cache cannot be written ({exc}); what was stored "
                                 f"before stays usable; free space or use --cache DIR") from exc
            self._db.close()
            self._db = self._rebuild(exc)
            return operation(self._db)

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> VectorStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def get_many(self, encoder: str, hashes: Sequence[bytes]) -> dict[bytes, np.ndarray]:
        """The cached vectors among `hashes` (missing ones are absent from the result)."""
        found = self._guarded(lambda db: self._get_many(db, encoder, hashes))
        if len(found) < len(hashes) and (index := self._shards(encoder)) is not None:
            found.update(index.get_many(key for key in dict.fromkeys(hashes) if key not in found))
        return found

    def cached_hashes(self, encoder: str) -> set[bytes]:
        """Every text hash the cache has a vector of for `encoder` (SQLite and shards)."""
        rows = self._guarded(lambda db: db.execute("SELECT text_hash FROM vectors WHERE encoder = ?",
                                                   [encoder]).fetchall())
        index = self._shards(encoder)
        return {key for (key,) in rows} | (index.keys() if index is not None else set())

    def add_shards(self, encoder: str, directory: str | os.PathLike[str]) -> None:
        """Register a folder of Parquet vector shards (`simtool.vectors.shards`) as a source for `encoder`."""
        manifest = read_json(self.directory / SHARDS_MANIFEST)
        folders = [f for f in manifest.get(encoder, []) if isinstance(f, str)]
        folder = str(Path(directory).resolve())
        manifest[encoder] = sorted(set(folders) | {folder})
        write_atomically(self.directory / SHARDS_MANIFEST, json.dumps(manifest, indent=1).encode())
        self._shard_indexes.pop(encoder, None)

    def _shards(self, encoder: str) -> ShardIndex | None:
        """The shards registered for `encoder` (folders since removed are skipped), indexed once."""
        if encoder not in self._shard_indexes:
            folders = read_json(self.directory / SHARDS_MANIFEST).get(encoder) or []
            files = [f for folder in folders if isinstance(folder, str) and Path(folder).is_dir()
                     for f in shard_files(folder, encoder)]
            self._shard_indexes[encoder] = ShardIndex(files) if files else None
        return self._shard_indexes[encoder]

    @staticmethod
    def _get_many(db: sqlite3.Connection, encoder: str, hashes: Sequence[bytes]) -> dict[bytes, np.ndarray]:
        found: dict[bytes, np.ndarray] = {}
        unique = list(dict.fromkeys(hashes))
        for start in range(0, len(unique), _LOOKUP_CHUNK):
            chunk = unique[start:start + _LOOKUP_CHUNK]
            marks = ",".join("?" * len(chunk))
            rows = db.execute(
                f"SELECT text_hash, dim, vector FROM vectors WHERE encoder = ? AND text_hash IN ({marks})",
                [encoder, *chunk],
            )
            for key, dim, blob in rows:
                # A row of the wrong size or with non-finite values is treated as missing.
                if isinstance(blob, bytes) and isinstance(dim, int) and len(blob) == 4 * dim:
                    vector = np.frombuffer(blob, dtype=np.float32)
                    if np.isfinite(vector).all():
                        found[key] = vector
        return found

    def put_many(self, encoder: str, items: Iterable[tuple[bytes, np.ndarray]]) -> None:
        """Store vectors in one transaction: all of them or, if interrupted, none."""
        rows = [(encoder, key, int(v.shape[0]), np.ascontiguousarray(v, dtype=np.float32).tobytes())
                for key, v in items]

        def write(db: sqlite3.Connection) -> None:
            with _Transaction(db):
                db.executemany("INSERT OR REPLACE INTO vectors VALUES (?, ?, ?, ?)", rows)

        if not self.read_only:
            self._guarded(write)

    def count(self, encoder: str | None = None) -> int:
        if encoder is None:
            return self._db.execute("SELECT COUNT(*) FROM vectors").fetchone()[0]
        return self._db.execute("SELECT COUNT(*) FROM vectors WHERE encoder = ?", [encoder]).fetchone()[0]



class _Transaction:
    """BEGIN IMMEDIATE ... COMMIT, or ROLLBACK when the block raised."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def __enter__(self) -> None:
        self.db.execute("BEGIN IMMEDIATE")

    def __exit__(self, exc_type, *rest) -> None:
        self.db.execute("ROLLBACK" if exc_type else "COMMIT")
