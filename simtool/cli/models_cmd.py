"""`simtool models`: the encoders simtool knows."""

from __future__ import annotations

from rich.table import Table

from simtool.cli import options
from simtool.cli.output import print_json, stdout
from simtool.encoders import list_models


def models_command(json: options.Json = False) -> None:
    """List the built-in models with dimension and offline availability (plus: any folder or hub name)."""
    models = list_models()
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
