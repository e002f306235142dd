"""`simtool clean`: a file's text with web junk removed, or what was removed and why."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from simtool.cli import options
from simtool.cli.output import CONTROLS, print_json, stdout
from simtool.io.corpus import load_corpus
from simtool.text.clean import Cleaner


def clean_command(
    file: Annotated[Path, typer.Argument(help="A text, Markdown or HTML file.", show_default=False)],
    diff: Annotated[bool, typer.Option("--diff", help="Show each removed line and why.")] = False,
    json: options.Json = False,
) -> None:
    """Print the cleaned text of FILE (or, with --diff, what the cleaner removed)."""
    doc = load_corpus([file], strict=True).documents[0]
    result = Cleaner().clean(doc.text, doc.title)
    if json:
        print_json({"id": doc.id, "title": doc.title, "text": result.text, "removed": result.removed})
        return
    console = stdout()
    if diff:
        for line in result.removed:
            console.print(f"- {line.line:>4}: {line.text}", markup=False, style="red")
            console.print(f"        why: {line.reason}", markup=False, style="dim")
        console.print(f"{len(result.removed)} line(s) removed", markup=False)
        return
    # The text as simtool keeps it, byte for byte: no wrapping, whatever stdout is.
    text = (doc.title + "\n\n" if doc.title else "") + result.text + "\n"
    if sys.stdout.isatty():  # on a screen, an escape sequence in the text must not act on the terminal
        text = CONTROLS.sub("?", text)
    sys.stdout.write(text)
