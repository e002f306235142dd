"""`simtool clean`: the text of each article with web junk removed, or what was removed and why."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from simtool.cli import options
from simtool.cli.output import CONTROLS, print_json, report_problems, stdout
from simtool.errors import InputError
from simtool.io.corpus import load_corpus
from simtool.io.document import Document
from simtool.io.readers import TEXT_SUFFIXES
from simtool.text.clean import Cleaner, CleanResult


def clean_command(
    path: Annotated[Path, typer.Argument(
        help="An article (.txt, .md, .html), or a folder or .jsonl/.csv/.parquet of them: every article is "
             "cleaned, with the furniture learnt from all of them and from each source's.", show_default=False)],
    doc: Annotated[str | None, typer.Option("--doc", help="Only the article with this id.", show_default=False)] = None,
    diff: Annotated[bool, typer.Option("--diff", help="Show each removed line and why.")] = False,
    json: options.Json = False,
) -> None:
    """Print the cleaned text of each article in PATH (or, with --diff, what the cleaner removed)."""
    corpus = load_corpus([path])
    report_problems(corpus.problems)  # a bad record elsewhere in the file is said, not fatal
    documents = list(corpus.documents)
    if not documents:
        raise InputError(f"{path}: no article to clean")
    one = doc is not None or (path.is_file() and path.suffix.lower() in TEXT_SUFFIXES)
    # As the other commands clean a corpus: the furniture its documents and each source's repeat (one
    # article alone is judged on its own, as `clean_text` judges it)
    cleaner = Cleaner().fit([d.text for d in documents], [d.source for d in documents]) if len(documents) > 1 \
        else Cleaner()
    if doc is not None:
        documents = [d for d in documents if d.id == doc]
        if not documents:
            raise InputError(f"{path}: no article has the id {doc!r}")
    results = [(d, cleaner.clean(d.text, d.title, d.source)) for d in documents]
    if json:
        cleaned = [{"id": d.id, "title": d.title, "text": r.text, "removed": r.removed} for d, r in results]
        print_json(cleaned[0] if one else cleaned)  # a folder or data file: a list, whatever its length
        return
    several = len(results) > 1
    for number, (document, result) in enumerate(results):
        if several:  # as head and tail name each file: one line that says which article follows
            sys.stdout.write(("\n" if number else "") + f"==> {document.id} <==\n")
            sys.stdout.flush()
        if diff:
            _print_removed(result)
        else:
            _write_text(document, result)


def _print_removed(result: CleanResult) -> None:
    console = stdout()
    for line in result.removed:
        console.print(f"- {line.line:>4}: {line.text}", markup=False, style="red")
        console.print(f"        why: {line.reason}", markup=False, style="dim")
    console.print(f"{len(result.removed)} line(s) removed", markup=False)


def _write_text(document: Document, result: CleanResult) -> None:
    # The text as simtool keeps it, byte for byte: no wrapping, whatever stdout is.
    text = (document.title + "\n\n" if document.title else "") + result.text + "\n"
    if sys.stdout.isatty():  # on a screen, an escape sequence in the text must not act on the terminal
        text = CONTROLS.sub("?", text)
    sys.stdout.write(text)
    sys.stdout.flush()
