"""`simtool watch`: follow a folder as articles arrive, one line per event."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Annotated

import typer

from simtool.cli import options, session
from simtool.cli.output import json_document, run_record, stderr, stdout
from simtool.errors import NoDocumentsError

RESCAN_MS = 2000  # with no event for this long, the folder is compared with what was last read


def watch_command(
    folder: Annotated[Path, typer.Argument(help="The folder new articles arrive in.", metavar="FOLDER")],
    state: Annotated[Path, typer.Option("--state", help="Where clusters, groups and known reuse are kept.")],
    cluster_model: Annotated[str, typer.Option("--cluster-model", help="What clusters are made from (as cluster "
                                                                       "--model).")] = "hybrid",
    k: Annotated[str, typer.Option("--k", help="Clusters at the first run: a number, or auto.")] = "auto",
    out: Annotated[Path | None, typer.Option("--out", help="Write the HTML report (analyze) after each batch.")] = None,
    debounce: Annotated[int, typer.Option("--debounce", min=50, help="Milliseconds of quiet that end a batch "
                                                                     "of new files.")] = 1600,
    force: options.Force = False,
    cache: options.Cache = None,
    no_clean: options.NoClean = False,
    strict: options.Strict = False,
    text_field: options.TextField = None,
    id_field: options.IdField = None,
) -> None:
    """Wait for new files in FOLDER and, after each batch, update the state and print what changed:
    new stories, stories that grew, new copies of earlier articles, passages taken from them.

    Ctrl-C stops it; the state is written whole or not at all, so it stays usable.
    """
    import watchfiles

    from simtool.jobs.watch import update_state
    from simtool.state import claim_outputs

    folder, state = folder.expanduser(), state.expanduser()
    k_value = options.parse_k(k)
    claim_outputs([out], force)

    def run() -> None:
        try:
            corpus = session.load([folder], no_clean, strict, text_field, id_field)
        except NoDocumentsError:
            stderr().print(f"{folder}: no articles yet; waiting", markup=False)
            return
        with session.store(cache) as store:
            found = update_state(corpus, state, cluster_model=cluster_model, k=k_value, store=store)
            if out is not None:
                from simtool.jobs.analyze import analyze
                from simtool.report import write_report

                analysis = analyze(corpus, cluster_model=cluster_model, k=k_value, store=store, state=state)
                write_report(analysis, corpus, out, title=f"simtool report: {folder}",
                             record={**run_record(), "options": json_document({})["settings"]})
        console = stdout()
        console.print(f"{found.clusters.mode}: {len(corpus)} articles, {found.duplicates.new_documents} new",
                      markup=False, soft_wrap=True)
        for event in found.events:
            console.print(event, markup=False, soft_wrap=True)
        console.file.flush()

    def snapshot() -> set[tuple[str, int, int]]:
        found = set()
        for path in folder.rglob("*"):
            with contextlib.suppress(OSError):
                info = path.stat()
                found.add((str(path), info.st_mtime_ns, info.st_size))
        return found

    seen = snapshot()
    run()
    stdout().print(f"watching {folder} (Ctrl-C stops)", markup=False)
    stdout().file.flush()
    # Events wake the loop; so does a quiet interval, to catch files written before the watcher
    # started (or events a network folder does not send): the folder is compared with what was read.
    for _ in watchfiles.watch(folder, debounce=debounce, raise_interrupt=True, yield_on_timeout=True,
                              rust_timeout=RESCAN_MS):
        now = snapshot()
        if now != seen:
            seen = now
            run()
