"""`simtool analyze`: every job on one corpus, a short summary, and the HTML report."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from simtool.cli import options, session
from simtool.cli.output import json_document, print_json, run_record, stage_progress, stderr, stdout
from simtool.jobs.analyze import DEFAULT_AXIS, analyze
from simtool.jobs.cluster import HYBRID
from simtool.jobs.drift import BY
from simtool.state import claim_outputs
from simtool.vectors.projection import MAP_METHODS


def analyze_command(
    paths: options.Paths,
    out: Annotated[Path, typer.Option("--out", "-o", help="Where to write the HTML report.")] = Path("report.html"),
    query: Annotated[str | None, typer.Option(
        "--query", "-q", help="Also rank the documents against this text and follow it across periods.")] = None,
    cluster_model: Annotated[str, typer.Option(
        "--cluster-model", help="What clusters are made from: hybrid (TF-IDF + minilm), tfidf, or an encoder.")] = HYBRID,
    k: Annotated[str, typer.Option("--k", help="Number of clusters, or auto (the most stable k in 2..15).")] = "auto",
    axis: Annotated[tuple[str, str] | None, typer.Option(
        "--axis", help="Two poles, positive then negative (each a statement or paraphrases 'A | A2 | A3'), for the "
                       "timelines' stance, with the poles' own test of validity "
                       f"\\[default: {DEFAULT_AXIS[0]!r} vs {DEFAULT_AXIS[1]!r}].")] = None,
    by: Annotated[str, typer.Option("--by", help=f"Timeline period: {', '.join(BY)}.")] = "year",
    axis_from: options.AxisFrom = None,
    groups: options.Groups = None,
    speaker_field: options.SpeakerField = None,
    map_method: Annotated[str, typer.Option(
        "--map", help="How the map is drawn: auto (UMAP if umap-learn is installed, else PCA), umap or pca.")] = "auto",
    title: Annotated[str | None, typer.Option("--title", help="The report's title \\[default: the corpus paths].")] = None,
    seed: Annotated[int, typer.Option("--seed", help="Random seed (results are deterministic for it).")] = 0,
    model: options.Model = "minilm",
    precision: options.Precision = "auto",
    device: options.Device = "cpu",
    engine_name: options.EngineName = "local",
    ray_address: options.RayAddress = "auto",
    workers: options.Workers = None,
    json: Annotated[bool, typer.Option("--json", help="Print everything found as JSON (the report is still written).")] = False,
    force: options.Force = False,
    cache: options.Cache = None,
    no_clean: options.NoClean = False,
    strict: options.Strict = False,
    text_field: options.TextField = None,
    id_field: options.IdField = None,
    state: Annotated[Path | None, typer.Option(
        "--state", help="Keep clusters and near-duplicate groups in DIR across runs: known articles keep their "
                        "cluster ids, only new ones are compared (see cluster --state, dedup --state).",
        rich_help_panel="Incremental runs")] = None,
) -> None:
    """Clean, embed, relate, deduplicate, cluster and follow the corpus over time; write the HTML report."""
    if by not in BY:
        raise typer.BadParameter(f"--by must be one of {', '.join(BY)}; got {by!r}")
    if map_method not in MAP_METHODS:
        raise typer.BadParameter(f"--map must be one of {', '.join(MAP_METHODS)}; got {map_method!r}")
    k_value = options.parse_k(k)
    claim_outputs([out], force)
    corpus = session.load(paths, no_clean, strict, text_field, id_field)
    with session.store(cache) as store, stage_progress() as progress:
        result = analyze(corpus, model=model, cluster_model=cluster_model, k=k_value, query=query,
                         axis=axis or DEFAULT_AXIS, by=by, store=store, seed=seed, precision=precision,
                         axis_from=axis_from, groups=groups, speaker_field=speaker_field,
                         device=device, map_method=map_method, progress=progress,
                         state=state.expanduser() if state is not None else None,
                         engine=session.engine(engine_name, ray_address, workers))
    from simtool.report import write_report  # jinja2 only when a report is written

    record = {**run_record(), "options": json_document({})["settings"]}
    write_report(result, corpus, out, title=title or "simtool report: " + ", ".join(str(p) for p in paths),
                 record=record)
    stderr().print(f"wrote the report to {out}", markup=False, soft_wrap=True)
    if json:
        print_json(result.to_json())
        return
    _print_summary(result)


def _print_summary(result) -> None:
    console = stdout()
    s = result.summary()
    for sentence in s["findings"]:
        console.print(sentence, markup=False, soft_wrap=True)
    console.print(f"{s['documents']} documents ({s['skipped_records']} records skipped); "
                  f"{s['duplicate_groups']} near-duplicate groups ({s['duplicate_copies']} copies); "
                  f"{s['reuse_pairs']} pairs sharing passages in {s['reuse_families']} families; "
                  f"{len(s['clusters'])} clusters" + (f" and {s['noise']} noise" if s["noise"] else ""), markup=False, soft_wrap=True)
    for c in s["clusters"]:
        console.print(f"  cluster {c['id']} ({c['size']}): {c['label']}", markup=False, soft_wrap=True)
    if s["closest_pair"]:
        p = s["closest_pair"]
        console.print(f"closest pair (not copies): {p['a']} and {p['b']} ({p['score']:.3f})", markup=False, soft_wrap=True)
    if s["biggest_shift"]:
        b = s["biggest_shift"]
        console.print(f"biggest shift: {b['topic']!r}, {b['before']} -> {b['after']} "
                      f"(effect {b['effect']:.2f}, p {b['p']:.3f} after correction)", markup=False, soft_wrap=True)
    elif s["untestable"]:
        console.print("no shift between periods can be tested: too few articles or sentences in each",
                      markup=False, soft_wrap=True)
    elif result.timelines:
        console.print("no significant shift between periods (every step's p > 0.05 after correction)",
                      markup=False, soft_wrap=True)
    if "clusters" in result.changes:
        c, d = result.changes["clusters"], result.changes["duplicates"]
        from simtool.cli.cluster_cmd import changes_line

        console.print(f"{changes_line(c)}; {len(d.copies_of_earlier)} copies of earlier articles",
                      markup=False, soft_wrap=True)
    for note in ([result.clusters.settings.k_note] if result.clusters.settings.k_note else []) + result.notes:
        console.print(f"note: {note}", markup=False, soft_wrap=True)
