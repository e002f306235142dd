"""`simtool related`: the documents closest to one document, a text or a file."""

from __future__ import annotations

import csv
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from simtool.cli import options, session
from simtool.cli.output import print_json, progress_bar, safe_cell, stdout
from simtool.errors import InputError
from simtool.io.document import Document
from simtool.io.prepare import prepare_corpus
from simtool.jobs.related import nearest_documents, related
from simtool.vectors.embed import embed


def related_command(
    paths: options.Paths,
    doc: Annotated[str | None, typer.Option("--doc", help="Id of a document of the corpus.")] = None,
    text: Annotated[str | None, typer.Option("--text", help="A text to find related documents for.")] = None,
    file: Annotated[Path | None, typer.Option("--file", help="A file to find related documents for.")] = None,
    k: Annotated[int, typer.Option("-k", min=1, help="How many documents.")] = 10,
    all_documents: Annotated[bool, typer.Option(
        "--all", help="Every document's k nearest (CSV: id,rank,neighbour,score; or --json).")] = False,
    exact: Annotated[bool, typer.Option(
        "--exact", help="Brute force over every vector even where an index exists (see `simtool index`).")] = False,
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
    """The k documents most related to a query, with the sentences and terms that match."""
    if sum(x is not None for x in (doc, text, file)) + all_documents != 1:
        raise typer.BadParameter("give exactly one of --doc, --text, --file or --all")
    corpus = session.load(paths, no_clean, strict, text_field, id_field)
    if all_documents:
        _all_neighbours(corpus, k, session.encoder(model, pooling, cache, precision, device), cache, json,
                        session.engine(engine_name, ray_address, workers))
        return
    if doc is not None:
        query = corpus.get(doc)
    elif text is not None:
        if not text.strip():
            raise InputError("--text is empty")
        query = Document(id="<text>", text=text)
    else:
        assert file is not None  # one of --doc/--text/--file was checked above
        query = prepare_corpus([file], clean=not no_clean, strict=True).documents[0]
    encoder = session.encoder(model, pooling, cache, precision, device)
    with session.store(cache) as store, progress_bar(f"embedding with {encoder.name}") as update:
        results = related(corpus, query, encoder, store, k=k, exact=exact, progress=update,
                          engine=session.engine(engine_name, ray_address, workers))
    if json:
        print_json(results.to_json())
        return
    console = stdout()
    table = Table(title=f"Related to {query.label}", title_justify="left")
    for column in ("#", "score", "id", "date", "title"):
        table.add_column(column, overflow="fold")
    for rank, hit in enumerate(results, start=1):
        table.add_row(str(rank), f"{hit.score:.3f}", hit.id, hit.date or "", hit.title)
    console.print(table, markup=False)
    for rank, hit in enumerate(results, start=1):
        console.print(f"#{rank} {hit.id}: why", markup=False, style="bold")
        console.print(f"  closest sentences ({hit.why.sentence_score:.2f}):", markup=False)
        console.print(f"    query: {hit.why.query_sentence}", markup=False)
        console.print(f"    match: {hit.why.match_sentence}", markup=False)
        console.print(f"  shared terms: {', '.join(hit.why.shared_terms) or '(none)'}", markup=False)


def _all_neighbours(corpus, k: int, encoder, cache, json: bool, engine) -> None:
    with session.store(cache) as store, progress_bar(f"embedding with {encoder.name}") as update:
        vectors, _ = embed([doc.content for doc in corpus], encoder, store, progress=update, engine=engine)
    neighbours = nearest_documents(corpus, vectors, k)
    if json:
        print_json({"neighbours": neighbours})
        return
    writer = csv.writer(sys.stdout)
    writer.writerow(["id", "rank", "neighbour", "score"])
    for doc_id, near in neighbours.items():
        for rank, neighbour in enumerate(near, start=1):
            writer.writerow([safe_cell(doc_id), rank, safe_cell(neighbour.id), f"{neighbour.score:.4f}"])
