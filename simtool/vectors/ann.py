"""A persistent approximate nearest-neighbour index beside the vector cache (usearch HNSW).

One index per encoder and storage type, in `<cache>/index/`. A document is keyed by its text's
hash (the cache's content address), so the index serves any corpus those texts appear in, and
adding documents only inserts the keys it lacks. The file is replaced atomically at each
checkpoint: an interrupted build leaves the last complete index, and the next build adds the
rest. usearch rather than faiss-cpu (`benchmarks/ann_index.py`): faiss's HNSW in float32 builds
and answers a little faster here at the same recall, but usearch stores float16 or int8 with the
graph (1,023 bytes a vector at 1M in float16, against 1,690 for faiss's float32), looks keys up
(`contains`), which incremental additions by content hash need, and saves and reopens one file.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from simtool.encoders.base import Encoder
from simtool.errors import InputError
from simtool.io.corpus import Corpus
from simtool.state import write_atomically
from simtool.text.basics import text_hash
from simtool.vectors.embed import embed
from simtool.vectors.store import VectorStore

DTYPES = ("f32", "f16", "i8")
DEFAULT_DTYPE = "f16"
# Below this many documents `related` computes exact scores by brute force: at 50,000 vectors one
# query costs about 5 ms that way (benchmarks/ann_index.py), and exact beats approximate.
SWITCH_OVER = 50_000
CONNECTIVITY = 16
EXPANSION_ADD = 128
EXPANSION_SEARCH = 256  # at 1M vectors: recall@10 0.978 at 1.2 ms; 128 gives 0.953 (benchmarks/ann_index.py)
CHECKPOINT = 100_000  # vectors added between saves


def index_key(text_hash: bytes) -> int:
    """The 63-bit key of a text in the index: the first 8 bytes of its SHA-256."""
    return int.from_bytes(text_hash[:8], "little") & (2**63 - 1)


def index_path(cache: Path, encoder_identity: str, dtype: str) -> Path:
    """Where the index of `encoder_identity` in `dtype` lives under the cache folder."""
    digest = hashlib.sha256(encoder_identity.encode()).hexdigest()[:16]
    return Path(cache) / "index" / f"{digest}-{dtype}.usearch"


class AnnIndex:
    """An HNSW index of unit vectors under cosine, keyed by text hash; see the module docstring."""

    def __init__(self, path: Path, ndim: int, dtype: str = DEFAULT_DTYPE, encoder: str = "") -> None:
        if dtype not in DTYPES:
            raise ValueError(f"dtype must be one of {', '.join(DTYPES)}; got {dtype!r}")
        from usearch.index import Index  # optional until an index is used

        self.path, self.ndim, self.dtype, self.encoder = Path(path), int(ndim), dtype, encoder
        self._index = Index(ndim=self.ndim, metric="cos", dtype=dtype, connectivity=CONNECTIVITY,
                            expansion_add=EXPANSION_ADD, expansion_search=EXPANSION_SEARCH)
        if self.path.exists():
            recorded = _recorded_digest(self.path)
            if recorded is not None and recorded != _file_digest(self.path):
                # usearch trusts the file it maps: a damaged one can crash the process, so it is never loaded
                raise InputError(f"{self.path}: damaged index (its checksum differs from the one saved with it); "
                                 f"delete it to rebuild")
            try:
                self._index.load(str(self.path))
            except Exception as exc:  # usearch raises its own RuntimeError for a damaged file
                raise InputError(f"{self.path}: damaged index ({exc}); delete it to rebuild") from None
            if self._index.ndim != self.ndim:
                raise InputError(f"{self.path}: an index of {self._index.ndim}-d vectors, not {self.ndim}-d; "
                                 "delete it to rebuild")

    @classmethod
    def for_encoder(cls, cache: Path, encoder_identity: str, ndim: int, dtype: str = DEFAULT_DTYPE) -> AnnIndex:
        return cls(index_path(cache, encoder_identity, dtype), ndim, dtype, encoder_identity)

    @staticmethod
    def exists(cache: Path, encoder_identity: str, dtype: str = DEFAULT_DTYPE) -> bool:
        return index_path(cache, encoder_identity, dtype).exists()

    def __len__(self) -> int:
        return len(self._index)

    @property
    def memory_bytes(self) -> int:
        """Bytes the index holds in memory (vectors and graph)."""
        return int(self._index.memory_usage)

    def missing(self, keys: Sequence[int] | np.ndarray) -> np.ndarray:
        """The keys (as uint64) that the index does not hold yet."""
        unique = np.unique(np.asarray(keys, dtype=np.uint64))
        if not len(self) or not len(unique):
            return unique
        present = np.asarray(self._index.contains(unique), dtype=bool)
        return unique[~present]

    def add(self, keys: Sequence[int] | np.ndarray, vectors: np.ndarray, checkpoint: int | None = None,
            progress: Callable[[int, int], None] | None = None) -> int:
        """Insert the keys the index lacks (duplicates skipped), saving every `checkpoint`
        vectors and at the end; returns how many were added."""
        keys = np.asarray(keys, dtype=np.uint64)
        vectors = np.asarray(vectors, dtype=np.float32)
        if vectors.ndim != 2 or vectors.shape[1] != self.ndim or len(keys) != len(vectors):
            raise ValueError(f"expected {len(keys)} vectors of {self.ndim} dimensions; got {vectors.shape}")
        _, first = np.unique(keys, return_index=True)  # each key once, at its first row
        rows = np.sort(first)
        rows = rows[np.isin(keys[rows], self.missing(keys[rows]))]
        checkpoint = checkpoint or CHECKPOINT
        for start in range(0, len(rows), checkpoint):
            part = rows[start:start + checkpoint]
            self._index.add(keys[part], vectors[part], threads=_build_threads())
            self.save()
            if progress:
                progress(min(start + checkpoint, len(rows)), len(rows))
        return len(rows)

    def search(self, vectors: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """The k nearest keys per query row and their cosines (approximate), best first."""
        if not len(self):
            return np.zeros((len(vectors), 0), np.uint64), np.zeros((len(vectors), 0), np.float32)
        matches = self._index.search(np.asarray(vectors, dtype=np.float32), min(k, len(self)), threads=1)
        keys = np.atleast_2d(np.asarray(matches.keys))
        distances = np.atleast_2d(np.asarray(matches.distances, dtype=np.float32))
        return keys, 1.0 - distances

    def save(self) -> None:
        """Write the index to a temporary file and rename it into place, then its description."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_name(self.path.name + ".partial")
        self._index.save(str(temporary))
        os.replace(temporary, self.path)
        description = {"encoder": self.encoder, "ndim": self.ndim, "dtype": self.dtype, "count": len(self),
                       "connectivity": CONNECTIVITY, "sha256": _file_digest(self.path)}
        write_atomically(self.path.with_suffix(".json"), json.dumps(description, indent=2).encode())


def _file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for block in iter(lambda: stream.read(1 << 22), b""):
            digest.update(block)
    return digest.hexdigest()


def _recorded_digest(path: Path) -> str | None:
    """The checksum saved beside the index (None for an index saved before checksums were)."""
    try:
        value = json.loads(path.with_suffix(".json").read_text(encoding="utf-8")).get("sha256")
    except (OSError, ValueError, AttributeError):
        return None
    return value if isinstance(value, str) else None


@dataclass(frozen=True)
class IndexStats:
    """What `build_index` did: documents seen, vectors added, the index's size and file."""

    path: str
    documents: int
    added: int
    total: int
    dtype: str
    memory_bytes: int
    file_bytes: int
    seconds: float


def build_index(corpus: Corpus, encoder: Encoder, store: VectorStore, dtype: str = DEFAULT_DTYPE,
                progress: Callable[[int, int], None] | None = None, engine=None) -> IndexStats:
    """Embed `corpus` (through the cache) and add the documents its index lacks."""
    if encoder.identity is None or not getattr(encoder, "dim", None):
        raise InputError(f"{encoder.name} has no fixed vectors to index (a corpus-fitted encoder); "
                         "use minilm, static or another embedding model")
    start = time.perf_counter()
    index = AnnIndex.for_encoder(store.directory, encoder.identity, encoder.dim, dtype)
    _, added = add_missing(index, [doc.content for doc in corpus], encoder, store, progress, engine)
    if not index.path.exists():
        index.save()
    return IndexStats(str(index.path), len(corpus), added, len(index), dtype, index.memory_bytes,
                      index.path.stat().st_size, round(time.perf_counter() - start, 2))


def add_missing(index: AnnIndex, texts: Sequence[str], encoder: Encoder, store: VectorStore | None,
                progress: Callable[[int, int], None] | None = None, engine=None) -> tuple[np.ndarray, int]:
    """Every text's key, after embedding (through the cache) and adding the texts the index lacks;
    and how many were added."""
    keys = np.array([index_key(text_hash(text)) for text in texts], dtype=np.uint64)
    missing = set(index.missing(keys).tolist())
    rows = [i for i, key in enumerate(keys.tolist()) if key in missing]
    if not rows:
        return keys, 0
    vectors, _ = embed([texts[i] for i in rows], encoder, store, progress=progress, engine=engine)
    return keys, index.add(keys[rows], np.asarray(vectors, dtype=np.float32))


def _build_threads() -> int:
    """Threads to build the graph with: the limit OMP_NUM_THREADS sets, as BLAS and k-means
    respect it, else every core. One thread builds the same graph every time (threads insert in
    an order the scheduler picks: the tests' recall moved run to run under load)."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    try:
        limit = int(os.environ.get("OMP_NUM_THREADS", "").split(",")[0])  # "4,2": 4 at the outer level
    except ValueError:
        return cores
    return limit if limit > 0 else cores
