"""`simtool index`: build or extend the nearest-neighbour index that `related` uses on large corpora."""

from __future__ import annotations

from typing import Annotated

import typer

from simtool.cli import options, session
from simtool.cli.output import print_json, progress_bar, stdout
from simtool.vectors.ann import DEFAULT_DTYPE, DTYPES, SWITCH_OVER, build_index


def index_command(
    paths: options.Paths,
    dtype: Annotated[str, typer.Option("--dtype", help=f"How the index stores vectors: {', '.join(DTYPES)} "
                                                       "(recall and memory measured in benchmarks/ann_index.py).")]
    = DEFAULT_DTYPE,
    model: options.Model = "minilm",
    pooling: options.Pooling = "truncate",
    precision: options.Precision = "auto",
    device: options.Device = "cpu",
    engine_name: options.EngineName = "local",
    ray_address: options.RayAddress = "auto",
    workers: options.Workers = None,
    json: options.Json = False,
    cache: options.Cache = None,
    no_clean: options.NoClean = False,
    strict: options.Strict = False,
    text_field: options.TextField = None,
    id_field: options.IdField = None,
) -> None:
    """Add the corpus to the model's approximate nearest-neighbour index (only what it lacks)."""
    if dtype not in DTYPES:
        raise typer.BadParameter(f"--dtype must be one of {', '.join(DTYPES)}; got {dtype!r}")
    corpus = session.load(paths, no_clean, strict, text_field, id_field)
    encoder = session.encoder(model, pooling, cache, precision, device)
    with session.store(cache) as store, progress_bar(f"embedding with {encoder.name}") as update:
        stats = build_index(corpus, encoder, store, dtype, progress=update,
                            engine=session.engine(engine_name, ray_address, workers))
    if json:
        print_json(stats)
        return
    stdout().print(f"{stats.documents} documents: {stats.added} added, the index holds {stats.total} "
                   f"({stats.dtype}, {stats.memory_bytes / max(stats.total, 1):.0f} bytes a vector in memory, "
                   f"{stats.file_bytes / 2**20:.1f} MiB on disk) in {stats.seconds:.1f} s: {stats.path}",
                   markup=False, soft_wrap=True)
    if stats.documents < SWITCH_OVER:
        stdout().print(f"note: `related` uses the index from {SWITCH_OVER:,} documents on; below that "
                       "brute force is exact and fast enough", markup=False, soft_wrap=True)
