"""`simtool embed`: fill the vector cache for a corpus (and write the vectors as Parquet shards)."""

from __future__ import annotations

from simtool.cli import options, session
from simtool.cli.output import print_json, progress_bar, report_problems, stdout
from simtool.engines import ray_engine
from simtool.vectors.embed import embed
from simtool.vectors.shards import write_corpus_shards


def embed_command(
    paths: options.Paths,
    model: options.Model = "minilm",
    pooling: options.Pooling = "truncate",
    precision: options.Precision = "auto",
    device: options.Device = "cpu",
    batch_size: int = 64,
    engine_name: options.EngineName = "local",
    ray_address: options.RayAddress = "auto",
    workers: options.Workers = None,
    json: options.Json = False,
    cache: options.Cache = None,
    no_clean: options.NoClean = False,
    strict: options.Strict = False,
    text_field: options.TextField = None,
    id_field: options.IdField = None,
    shards: options.ShardsOut = None,
) -> None:
    """Embed every document into the cache; a second run over the same corpus embeds nothing.

    With --shards, every document's vector is also written as Parquet shards (id, sha256, vector),
    which the cache then reads too.
    """
    encoder = session.encoder(model, pooling, cache, precision, device)
    engine = session.engine(engine_name, ray_address, workers)
    on_ray = ray_engine(engine)
    if shards is not None and on_ray is not None:
        with session.store(cache) as store:
            read = on_ray.read_documents(paths, clean=not no_clean, strict=strict, text_field=text_field, id_field=id_field)
            report_problems(read.problems)
            sharded = on_ray.embed_to_shards(read, encoder, store, shards, batch_size=batch_size)
        summary = {"texts": sharded.documents, "cached": sharded.cached, "encoded": sharded.encoded,
                   "shards": sharded.shards}
    else:
        corpus = session.load(paths, no_clean, strict, text_field, id_field)
        with session.store(cache) as store, progress_bar(f"embedding with {encoder.name}") as update:
            vectors, stats = embed([doc.content for doc in corpus], encoder, store, batch_size=batch_size,
                                   progress=update, engine=engine)
            summary = dict(stats.__dict__)
            if shards is not None:
                summary["shards"] = write_corpus_shards(shards, corpus.ids, [doc.content for doc in corpus], vectors,
                                                        encoder, store)
    if json:
        print_json({"model": encoder.name, "identity": encoder.identity, **summary})
        return
    written = f"; {summary['shards']} shard(s) in {shards}" if shards is not None else ""
    stdout().print(f"{summary['texts']} documents: {summary['cached']} from the cache, {summary['encoded']} "
                   f"encoded ({encoder.identity or encoder.name}){written}", markup=False)
