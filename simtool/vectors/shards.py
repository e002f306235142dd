"""Vectors as Parquet shards: what `embed --shards DIR` writes, on either engine, and the cache reads.

A shard holds one row per document: `id`, `sha256` (the hash of the text the encoder saw, the
cache's key) and `vector` (a fixed-size list of float32); its schema metadata names the encoder
identity. Ray workers write their shards where they run, with no driver in between; the folder
is then registered with the vector cache (`VectorStore.add_shards`), which reads a vector from
the shards when SQLite lacks it, so nothing is embedded twice whichever engine ran first.
"""

from __future__ import annotations

import json
import os
import re
import stat
import uuid
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

from simtool.errors import InputError
from simtool.state import write_atomically
from simtool.text.basics import text_hash

ENCODER_KEY = b"simtool.encoder"


def vector_table(ids: Sequence[str], hashes: Sequence[bytes], vectors: np.ndarray, encoder: str):
    """A pyarrow Table of one shard."""
    import pyarrow as pa

    vectors = np.ascontiguousarray(vectors, dtype=np.float32)
    column = pa.FixedSizeListArray.from_arrays(pa.array(vectors.reshape(-1)), vectors.shape[1])
    table = pa.table({"id": pa.array(list(ids), pa.string()), "sha256": pa.array(list(hashes), pa.binary(32)),
                      "vector": column})
    return table.replace_schema_metadata({ENCODER_KEY: encoder.encode()})


def write_shard(directory: str | os.PathLike[str], table, prefix: str = "part") -> Path:
    """`table` written to a new file in `directory`, under a temporary name then renamed, so a
    reader never sees half a shard."""
    import pyarrow.parquet as pq

    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{prefix}-{uuid.uuid4().hex[:12]}.parquet"
    partial = path.with_suffix(".parquet.partial")
    pq.write_table(table, partial, use_dictionary=False)  # values that never repeat: dictionary pages only add bytes
    os.replace(partial, path)
    return path


def write_vectors(directory: str | os.PathLike[str], ids: Sequence[str], hashes: Sequence[bytes],
                  vectors: np.ndarray, encoder: str, rows_per_shard: int = 100_000) -> int:
    """Vectors written as shards of up to `rows_per_shard` rows; how many shards."""
    shards = 0
    for start in range(0, len(ids), rows_per_shard):
        stop = start + rows_per_shard
        write_shard(directory, vector_table(ids[start:stop], hashes[start:stop], vectors[start:stop], encoder))
        shards += 1
    return shards


PREFIXES = ("part", "cached", "clusters", "duplicates")
MANIFEST = "_simtool-shards.json"  # the shards simtool wrote here; "_" so Parquet readers (Arrow, Spark) skip it


SHARD_NAME = re.compile(r"(?:part|cached|clusters|duplicates)-[0-9a-f]{12}\.parquet")  # as write_shard names them


@contextmanager
def replacing(directory: str | os.PathLike[str]) -> Iterator[None]:
    """Shards written within replace those simtool wrote in `directory` before (listed in its
    manifest), which are removed only once the new ones are all written: a failed run loses
    nothing. A folder holding anything else (a Parquet corpus, someone's exports) is refused
    before anything is written: simtool never deletes what it did not write. Only names of
    simtool's own shape count as shards, in the manifest and among the files a run adds, so a
    forged manifest or a file copied in during the run is never deleted."""
    directory = Path(directory).expanduser()
    ours = _manifest(directory)
    before = {p.name for p in directory.iterdir()} if directory.is_dir() else set()
    others = sorted(name for name in before - ours - {MANIFEST} if not _partial_shard(name))
    if others:
        shown = ", ".join(others[:5]) + (f" and {len(others) - 5} more" if len(others) > 5 else "")
        raise InputError(f"--shards {directory}: the folder holds files simtool did not write ({shown}); "
                         f"give a new or empty folder")
    yield
    written = {name for name in (p.name for p in directory.iterdir()) if SHARD_NAME.fullmatch(name)} - before
    write_atomically(directory / MANIFEST, json.dumps(sorted(written), indent=0).encode("utf-8"))
    for name in ours - written:
        _remove_shard(directory / name)
    for name in before:
        if _partial_shard(name):  # left by a run that died: ours by its name
            _remove_shard(directory / name)


def _partial_shard(name: str) -> bool:
    return name.endswith(".partial") and bool(SHARD_NAME.fullmatch(name[:-len(".partial")]))


def _remove_shard(path: Path) -> None:
    """Delete one of simtool's shards: a regular file of a shard's name, nothing else."""
    try:
        if stat.S_ISREG(os.lstat(path).st_mode):
            path.unlink()
    except FileNotFoundError:
        pass


def _manifest(directory: Path) -> set[str]:
    try:
        names = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return set()
    return {n for n in names if isinstance(n, str) and SHARD_NAME.fullmatch(n)} if isinstance(names, list) else set()


def shard_identity(encoder) -> str:
    """The identity `encoder`'s shards are filed under; an encoder fitted to each corpus has none."""
    if encoder.identity is None:
        raise InputError(f"--shards: {encoder.name} is fitted to each corpus, so its vectors are not sharded; "
                         f"use a pretrained model")
    return encoder.identity


def shard_files(directory: str | os.PathLike[str], encoder: str | None = None) -> list[Path]:
    """The finished shards in `directory` (of `encoder`, if given), in name order."""
    import pyarrow.parquet as pq

    found = []
    for path in sorted(Path(directory).glob("*.parquet")):
        try:
            metadata = pq.read_schema(path).metadata or {}
        except Exception:  # a damaged or foreign file is not a shard
            continue
        if encoder is None or metadata.get(ENCODER_KEY) == encoder.encode():
            found.append(path)
    return found


def vector_column(table) -> np.ndarray:
    """A shard table's `vector` column as an (n, dim) float32 array."""
    column = table.column("vector")
    if hasattr(column, "combine_chunks"):  # a Table's column is chunked, a RecordBatch's is not
        column = column.combine_chunks()
    return column.values.to_numpy(zero_copy_only=False).reshape(len(column), -1).astype(np.float32, copy=False)


def read_shards(files: Iterable[Path], columns: Sequence[str] = ("id", "vector"),
                batch_size: int = 65_536) -> Iterator[dict[str, Any]]:
    """Batches of rows from shard files, a file's row groups at a time (memory: one batch)."""
    import pyarrow.parquet as pq

    for path in files:
        for batch in pq.ParquetFile(path).iter_batches(batch_size=batch_size, columns=list(columns)):
            out: dict[str, Any] = {}  # vector: a float32 matrix; other columns: lists
            for name in columns:
                out[name] = vector_column(batch) if name == "vector" else batch.column(name).to_pylist()
            yield out


class ShardIndex:
    """Which shard file and row holds each text hash, for the shards of one encoder."""

    def __init__(self, files: Sequence[Path]) -> None:
        import pyarrow.parquet as pq

        self.files = list(files)
        self._where: dict[bytes, tuple[int, int]] = {}
        for number, path in enumerate(self.files):
            for row, key in enumerate(pq.read_table(path, columns=["sha256"]).column("sha256").to_pylist()):
                self._where.setdefault(key, (number, row))

    def keys(self) -> set[bytes]:
        return set(self._where)

    def get_many(self, hashes: Iterable[bytes]) -> dict[bytes, np.ndarray]:
        """The vectors of `hashes` that some shard holds."""
        import pyarrow.parquet as pq

        wanted: dict[int, list[tuple[bytes, int]]] = {}
        for key in hashes:
            if key in self._where:
                number, row = self._where[key]
                wanted.setdefault(number, []).append((key, row))
        found = {}
        for number, items in wanted.items():
            vectors = vector_column(pq.read_table(self.files[number], columns=["vector"]))
            for key, row in items:
                if np.isfinite(vectors[row]).all():
                    found[key] = vectors[row]
        return found


def write_corpus_shards(directory: str | os.PathLike[str], ids: Sequence[str], contents: Sequence[str],
                        vectors: np.ndarray, encoder, store) -> int:
    """The vectors of a corpus embedded here as shards in `directory` (replacing the shards
    written there before), registered with `store` so that its lookups read them; how many shards."""
    identity = shard_identity(encoder)
    with replacing(directory):
        shards = write_vectors(directory, ids, [text_hash(c) for c in contents], vectors, identity)
    store.add_shards(identity, directory)
    return shards
