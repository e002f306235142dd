"""`simtool compare`: two articles side by side."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from simtool.cli import options, session
from simtool.cli.output import print_json, stdout
from simtool.jobs.compare import THRESHOLDS, compare, compared_encoders


def compare_command(
    paths: options.Paths,
    a: Annotated[str | None, typer.Option("--a", help="Id of the first document.")] = None,
    b: Annotated[str | None, typer.Option("--b", help="Id of the second document.")] = None,
    model: options.Model = "minilm",
    pooling: options.Pooling = "truncate",
    precision: options.Precision = "auto",
    device: options.Device = "cpu",
    json: options.Json = False,
    cache: options.Cache = None,
    no_clean: options.NoClean = False,
    strict: options.Strict = False,
    text_field: options.TextField = None,
    id_field: options.IdField = None,
) -> None:
    """Compare two documents (by --a/--b ids, or two file paths): scores, verdict, aligned sentences."""
    corpus = session.load(paths, no_clean, strict, text_field, id_field)
    if a is None and b is None:
        if len(corpus) != 2:
            raise typer.BadParameter(f"give --a and --b (the corpus has {len(corpus)} documents), "
                                     "or exactly two files")
        doc_a, doc_b = corpus.documents
    elif a is None or b is None:
        raise typer.BadParameter("give both --a and --b")
    else:
        doc_a, doc_b = corpus.get(a), corpus.get(b)
    chosen = session.encoder(model, pooling, cache, precision, device)
    encoders = compared_encoders(chosen, cache, pooling=pooling, precision=precision, device=device)
    with session.store(cache) as store:
        result = compare(doc_a, doc_b, encoders, store, sentence_encoder=chosen.name,
                         background=[d.content for d in corpus])
    if json:
        print_json(result.to_json())
        return
    console = stdout()
    console.print(f"A: {doc_a.id}  {doc_a.label}", markup=False)
    console.print(f"B: {doc_b.id}  {doc_b.label}", markup=False)
    console.print(f"verdict: {result.verdict}", markup=False, style="bold")
    console.print("scores: " + ", ".join(f"{k} {v:.3f}" for k, v in result.scores.items()), markup=False)
    table = Table(title=f"Sentences of A and their best match in B (matched at >= {THRESHOLDS['sentence_match']})",
                  title_justify="left")
    for column in ("score", "A", "best match in B"):
        table.add_column(column, overflow="fold")
    for row in result.aligned:
        table.add_row(f"{row.score:.2f}{' *' if row.matched else ''}", row.a, row.b)
    console.print(table, markup=False)
    console.print(f"only in A: {len(result.only_a)} sentences; only in B: {len(result.only_b)} sentences",
                  markup=False)
