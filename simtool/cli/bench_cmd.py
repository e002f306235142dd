"""`simtool bench`: models x tasks, as a table, a JSON file and a quality-versus-speed plot."""

from __future__ import annotations

import json as json_module
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from simtool.bench.plot import plot_pareto
from simtool.bench.results import quality_and_speed, table_rows, to_json
from simtool.bench.runner import TASKS, run_benchmark
from simtool.cli import options, session
from simtool.cli.output import json_document, report_problems, stderr, stdout
from simtool.state import claim_outputs, write_output


def _names(value: str | None) -> list[str] | None:
    return [part.strip() for part in value.split(",") if part.strip()] if value else None


def bench_command(
    models: Annotated[str | None, typer.Option("--models", help="Comma-separated models \\[default: "
                                                "tfidf,tfidf-svd,static,minilm and every model distilled here].")] = None,
    tasks: Annotated[str | None, typer.Option("--tasks", help=f"Comma-separated tasks \\[default: {','.join(TASKS)}; "
                                                "with --pairs, --labels or --corpus only theirs].", show_default=False)] = None,
    corpus: Annotated[list[Path] | None, typer.Option("--corpus", help="Your corpus (files or folders; "
                                                      "repeat for more): retrieval and speed run on it.")] = None,
    pairs: Annotated[list[Path] | None, typer.Option(
        "--pairs", help="Your pairs (CSV/TSV/JSONL: two texts and a score, or a 0/1 label; repeat for more): "
                        "scored by Spearman (sts) or average precision (pairs) in place of STS-B and MSRP.")] = None,
    labels: Annotated[list[Path] | None, typer.Option(
        "--labels", help="Your texts with a class (CSV/JSONL/Parquet with a label, class, category or topic "
                         "field; repeat for more): clustering (NMI, ARI) and retrieval in place of BBC and "
                         "HuffPost.")] = None,
    json: Annotated[Path | None, typer.Option("--json", help="Write every score as JSON to FILE ('-': stdout).")] = None,
    plot: Annotated[Path | None, typer.Option("--plot", help="Write a quality-versus-speed PNG, Pareto front marked.")] = None,
    data: Annotated[Path | None, typer.Option("--data", envvar="SIMTOOL_BENCH_DATA",
                                              help="Folder of the standard datasets \\[default: ../shared/data].")] = None,
    speed_docs: Annotated[int, typer.Option("--speed-docs", min=1, help="Documents encoded to time each model.")] = 200,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the speed sample.")] = 0,
    force: options.Force = False,
    cache: options.Cache = None,
) -> None:
    """Benchmark embedding models: STS-B, MSRP pairs, BBC/HuffPost clustering, retrieval, speed; or your own
    pairs and labelled texts."""
    # your own pairs or labels ask for their tasks: the standard datasets are not run unless named
    own = list(dict.fromkeys(["sts", "pairs"] * bool(pairs) + ["clustering", "retrieval"] * bool(labels)
                             + ["retrieval", "speed"] * bool(corpus)))
    task_list = _names(tasks) or own or list(TASKS)
    claim_outputs([json if json is not None and str(json) != "-" else None, plot], force)
    with session.store(cache) as store, stderr().status("benchmarking") as status:
        result = run_benchmark(_names(models), task_list, corpus=corpus, store=store, data_root=data,
                               speed_documents=speed_docs, seed=seed, pairs=pairs or (), labels=labels or (),
                               progress=lambda step: status.update(f"benchmarking: {step}"))
    report_problems(result.problems)
    for warning in result.warnings:
        stderr().print(f"warning: {warning}", markup=False)
    document = json_document(to_json(result))
    if json is not None:
        text = json_module.dumps(document, indent=2, ensure_ascii=False) + "\n"
        if str(json) == "-":
            stdout().file.write(text)
            return
        write_output(json, text)
        stderr().print(f"wrote {json}", markup=False)
    if plot is not None:
        points = quality_and_speed(result)
        if points:
            stderr().print(f"wrote {plot_pareto(points, plot)}", markup=False)
        else:
            stderr().print("warning: no plot: it needs the speed task and a quality task for each model",
                           markup=False)
    header, rows = table_rows(result)
    spread = any(score.spread for score in result.scores if score.task != "speed")
    table = Table(title=f"Benchmark ({result.seconds:.0f} s; quality x100{', mean ±sd over seeds' if spread else ''})",
                  title_justify="left")
    for i, column in enumerate(header):
        table.add_column(column, justify="right" if i >= 3 else "left")
    for row in rows:
        table.add_row(*row)
    console = stdout()
    if not console.is_terminal:
        console.width = max(console.width, 160)  # a file or pipe: one line per row
    console.print(table, markup=False)
