"""Corpora as Ray Datasets, and their vectors encoded on actors into Parquet shards.

`read_documents`: the files are planned on the driver (`simtool.io.corpus.plan_units`: a JSONL or
CSV file alone, a Parquet file in parts of whole row groups, text files in runs of 500), then
read by Ray tasks with the local readers, so ids,
decoding and the handling of bad records are the local ones; a bad record becomes a problem row
that the caller reports (or stops on, in strict mode). Cleaning learns the site furniture from
the first CLEAN_SAMPLE documents (the local path learns it from all; below that size the two
are the same) and then runs per block.

`embed_to_shards`: the texts whose vectors the cache lacks are encoded on an actor pool (one
model per actor); each actor writes its Parquet shards itself (`simtool.vectors.shards`); the vectors
the cache already had are written to shards by the driver; the folder is then registered with
the cache, so the local path reads these vectors too.

The jobs that run on a Dataset corpus live with their jobs: `simtool.jobs.dedup.ray`
(`find_duplicates_in_dataset`) and `simtool.jobs.cluster.ray` (`cluster_corpus_in_shards`).
"""

from __future__ import annotations

import datetime as dt
import os
import warnings
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from simtool.encoders.base import Encoder
from simtool.engines.pool import actor_pool, cluster_cpus, limit_threads
from simtool.errors import NoDocumentsError, Problem
from simtool.io.corpus import StrayDates, plan_units, read_unit, stray_dates
from simtool.io.document import content_of
from simtool.text.basics import text_hash
from simtool.text.clean import Cleaner
from simtool.vectors.shards import replacing, shard_identity, vector_table, write_shard
from simtool.vectors.store import VectorStore

CLEAN_SAMPLE = 20_000
_FIELDS = ("id", "title", "text", "date", "source", "url", "origin")


def _read(unit: dict[str, Any], text_field: str | None, id_field: str | None) -> list[dict[str, Any]]:
    documents, problems = read_unit(unit, text_field, id_field)
    rows: list[dict[str, Any]] = [{"id": d.id, "title": d.title, "text": d.text, "date": d.date.isoformat() if d.date else None,
             "source": d.source, "url": d.url, "origin": d.origin, "problem": None} for d in documents]
    rows += [{**dict.fromkeys(_FIELDS), "problem": [p.path, p.message, p.line, p.kept, p.records]} for p in problems]
    return rows


def _unit_rows(row: dict[str, Any], text_field: str | None, id_field: str | None) -> list[dict[str, Any]]:
    return _read(row["unit"], text_field, id_field)


# Batches as Arrow tables: numpy batches would turn a column of missing dates into NaN.

def _clean_batch(table, cleaner: Cleaner):
    import pyarrow as pa

    cleaned = []
    for text, title, source in zip(table.column("text").to_pylist(), table.column("title").to_pylist(),
                                   table.column("source").to_pylist()):
        result = cleaner.clean(text, title, source).text
        cleaned.append(result if result.strip() else text)  # as clean_corpus: never empty a document
    return table.set_column(table.schema.get_field_index("text"), "text", pa.array(cleaned, pa.string()))


def _content(table):
    import pyarrow as pa

    contents = [content_of(title, text)
                for title, text in zip(table.column("title").to_pylist(), table.column("text").to_pylist())]
    table = table.append_column("content", pa.array(contents, pa.string()))
    return table.append_column("sha256", pa.array([text_hash(c) for c in contents], pa.binary(32)))


@dataclass
class DatasetCorpus:
    """Documents as a Ray Dataset (columns id, title, text, date, source, url, origin), the
    problems met reading them, and how many there are."""

    dataset: Any
    problems: list[Problem] = field(default_factory=list)
    count: int = 0


def read_documents(ray, paths: list[str | os.PathLike[str]], *, clean: bool = True, strict: bool = False,
                   text_field: str | None = None, id_field: str | None = None) -> DatasetCorpus:
    """`paths` read as a Ray Dataset by Ray tasks (see the module's docstring)."""
    units, planning = plan_units(paths)
    if strict and planning:
        raise planning[0].error()
    if not units:
        raise NoDocumentsError(str(planning[0]) if planning else "no documents found")
    rows = ray.data.from_items([{"unit": unit} for unit in units], override_num_blocks=len(units))
    read = rows.flat_map(_unit_rows, fn_args=(text_field, id_field)).materialize()
    with warnings.catch_warnings():  # Ray's advice to filter by expression: a row test is what this is
        warnings.simplefilter("ignore", UserWarning)
        problem_rows = read.filter(lambda r: r["problem"] is not None)
        documents = read.filter(lambda r: r["problem"] is None).drop_columns(["problem"])
    problems = [Problem(*row["problem"]) for row in problem_rows.iter_rows()]
    if strict and (planning or problems):
        raise (planning + problems)[0].error()
    documents = documents.materialize()
    count = documents.count()
    if not count:
        raise NoDocumentsError(str((planning + problems)[0]) if planning + problems else "no documents found")
    documents, stray = _without_stray_dates(documents)
    if strict and stray:
        raise stray[0].error()
    problems += stray
    # Blocks follow the files; even them out so that every worker gets some (a folder of 400
    # articles is one unit), at least a few thousand documents a block where there are many.
    cpus = cluster_cpus(ray)
    blocks = max(cpus, min(4 * cpus, count // 2000))
    if documents.num_blocks() < blocks <= count:
        documents = documents.repartition(blocks).materialize()
    if clean:
        # Held cleaned (in place of the raw texts): embedding, the vectors the cache had, dedup
        # and the label sample each read the corpus again, and would clean it again.
        sample = documents.take(CLEAN_SAMPLE)
        cleaner = Cleaner().fit([row["text"] for row in sample], [row["source"] for row in sample])
        documents = documents.map_batches(_clean_batch, fn_args=(cleaner,),
                                          batch_format="pyarrow").materialize()
    return DatasetCorpus(documents, planning + problems, count)


def _without_stray_dates(documents) -> tuple[Any, list[Problem]]:
    """The dates `load_corpus` drops as stray (see `simtool.io.corpus.stray_dates`), dropped from
    the dataset, and the problems naming them. Only the years come back to the driver."""
    years: Counter[int] = Counter()
    for batch in documents.select_columns(["date"]).iter_batches(batch_format="pyarrow"):
        years.update(int(date[:4]) for date in batch.column("date").drop_null().to_pylist())
    rule = stray_dates(years)
    if rule is None:
        return documents, []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        stray = documents.filter(lambda r: r["date"] is not None and rule.is_stray(dt.date.fromisoformat(r["date"])))
        found = [Problem(row["origin"], rule.message(dt.date.fromisoformat(row["date"])), kept=True)
                 for row in stray.iter_rows()]
    if not found:
        return documents, []
    return documents.map_batches(_undated_if_stray, fn_args=(rule,), batch_format="pyarrow").materialize(), found


def _undated_if_stray(table, rule: StrayDates):
    import pyarrow as pa

    dates = [None if d is not None and rule.is_stray(dt.date.fromisoformat(d)) else d
             for d in table.column("date").to_pylist()]
    return table.set_column(table.schema.get_field_index("date"), "date", pa.array(dates, pa.string()))


class _ShardWriter:
    """An actor: one model; encodes a batch and writes it as one shard where it runs."""

    def __init__(self, encoder: Encoder, threads: int, directory: str) -> None:
        limit_threads(threads)
        self.encoder = encoder
        self.directory = directory

    def __call__(self, batch: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        contents = [str(c) for c in batch["content"]]
        unique = list(dict.fromkeys(contents))  # equal texts in a batch: encoded once
        vectors = np.asarray(self.encoder.encode(unique), dtype=np.float32)
        rows = {text: k for k, text in enumerate(unique)}
        matrix = vectors[[rows[c] for c in contents]]
        write_shard(self.directory, vector_table([str(i) for i in batch["id"]], list(batch["sha256"]), matrix,
                                                 shard_identity(self.encoder)))
        return {"written": np.array([len(contents)]), "encoded": np.array([len(unique)])}


@dataclass(frozen=True)
class ShardStats:
    documents: int
    cached: int
    encoded: int
    shards: int


def embed_to_shards(ray, corpus: DatasetCorpus, encoder: Encoder, store: VectorStore, directory: str | Path,
                    *, workers: int | None, batch_size: int = 64) -> ShardStats:
    """Every document's vector in Parquet shards under `directory`, registered with `store`."""
    identity = shard_identity(encoder)
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    known = ray.put(store.cached_hashes(identity))
    with_content = corpus.dataset.map_batches(_content, batch_format="pyarrow")
    missing = with_content.map_batches(_unknown, fn_args=(known,), batch_format="numpy")
    workers, threads = actor_pool(ray, workers)
    written = missing.map_batches(_ShardWriter, fn_constructor_args=(encoder, threads, str(directory)),
                                  batch_size=batch_size, concurrency=workers, num_cpus=threads,
                                  batch_format="numpy")
    shards = encoded = done = 0
    with replacing(directory):
        for batch in written.iter_batches(batch_size=None, batch_format="numpy"):
            shards += len(batch["written"])
            done += int(batch["written"].sum())
            encoded += int(batch["encoded"].sum())
        cached, cached_shards = _write_cached(with_content.map_batches(_unknown, fn_args=(known, True),
                                                                       batch_format="numpy"), store, identity, directory)
    store.add_shards(identity, directory)
    return ShardStats(done + cached, cached, encoded, shards + cached_shards)


def _unknown(batch, known, keep_known: bool = False):
    """The rows whose text hash the cache lacks (or, with keep_known, has); `known` is an object
    reference to the set of cached hashes, fetched once per worker process."""
    known = _resolved(known)
    chosen = np.array([(bytes(h) in known) == keep_known for h in batch["sha256"]], dtype=bool)
    return {name: column[chosen] for name, column in batch.items()}


_RESOLVED: dict[str, Any] = {}


def _resolved(reference):
    key = reference.hex()
    if key not in _RESOLVED:
        import ray

        _RESOLVED.clear()  # one set at a time: a worker serves one run
        _RESOLVED[key] = ray.get(reference)
    return _RESOLVED[key]


def _write_cached(rows, store: VectorStore, identity: str, directory: Path,
                  chunk: int = 50_000) -> tuple[int, int]:
    """Shards of the vectors the cache already had, written here (they live in this cache):
    (documents, shards)."""
    ids: list[str] = []
    hashes: list[bytes] = []
    count = shards = 0

    def flush() -> None:
        nonlocal shards
        if ids:
            shards += 1
            found = store.get_many(identity, hashes)
            write_shard(directory, vector_table(ids, hashes, np.vstack([found[h] for h in hashes]), identity),
                        prefix="cached")
            ids.clear()
            hashes.clear()

    for batch in rows.iter_batches(batch_size=chunk, batch_format="numpy"):
        ids.extend(str(i) for i in batch["id"])
        hashes.extend(bytes(h) for h in batch["sha256"])
        count += len(batch["id"])
        if len(ids) >= chunk:
            flush()
    flush()
    return count, shards
