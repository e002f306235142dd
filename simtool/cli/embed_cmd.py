"""`simtool embed`: fill the vector cache for a corpus."""

from __future__ import annotations

from simtool.cli import options, session
from simtool.cli.output import print_json, progress_bar, stdout
from simtool.embed import embed


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
) -> None:
    """Embed every document into the cache; a second run over the same corpus embeds nothing."""
    corpus = session.load(paths, no_clean, strict, text_field)
    encoder = session.encoder(model, pooling, cache, precision, device)
    engine = session.engine(engine_name, ray_address, workers)
    with session.store(cache) as store, progress_bar(f"embedding with {encoder.name}") as update:
        _, stats = embed([doc.content for doc in corpus], encoder, store, batch_size=batch_size,
                         progress=update, engine=engine)
    if json:
        print_json({"model": encoder.name, "identity": encoder.identity, **stats.__dict__})
        return
    stdout().print(f"{stats.texts} documents: {stats.cached} from the cache, {stats.encoded} encoded "
                   f"({encoder.identity or encoder.name})", markup=False)
