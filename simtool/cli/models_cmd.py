"""`simtool models`: the encoders simtool knows; `simtool models distill`: make a static one."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from simtool.cli import options
from simtool.cli.output import print_json, stderr, stdout
from simtool.encoders import list_models


def models_command(ctx: typer.Context, json: options.Json = False, cache: options.Cache = None) -> None:
    """List the models: built in, distilled here (plus: any folder, or a hub name with network)."""
    if ctx.invoked_subcommand is not None:
        return
    models = list_models(cache)
    if json:
        print_json(models)
        return
    table = Table(title="Models (also: a sentence-transformers/model2vec folder, or a hub name with network)",
                  title_justify="left")
    for column in ("name", "kind", "dim", "offline", "description"):
        table.add_column(column)
    for m in models:
        table.add_row(m.name, m.kind, str(m.dim or "corpus vocabulary"), "yes" if m.offline else "no",
                      m.description)
    stdout().print(table, markup=False)
    stdout().print("for clusters also: hybrid (TF-IDF + minilm; the default of `cluster --model` and "
                   "`analyze --cluster-model`)", markup=False)


def distill_command(
    teacher: Annotated[str, typer.Argument(help="The transformer to distil: minilm, a folder, or a hub name.")],
    name: Annotated[str, typer.Argument(help="Name of the new static model (then usable as --model NAME).")],
    pca_dims: Annotated[int, typer.Option("--pca-dims", help="Dimensions kept by PCA.")] = 256,
    force: Annotated[bool, typer.Option("--force", help="Replace a model of the same name.")] = False,
    cache: options.Cache = None,
) -> None:
    """Distil a static (model2vec) model from a sentence-transformers model, offline for minilm."""
    from simtool.encoders.distill import distill_static

    with stderr().status(f"distilling {teacher} into {name} (every vocabulary token through the model)"):
        path = distill_static(teacher, name, pca_dims=pca_dims, cache=cache, force=force)
    stdout().print(f"saved {path} (use: --model {name})", markup=False)
