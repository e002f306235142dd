"""`simtool dedup`: groups of republished copies of one story."""

from __future__ import annotations

import csv
import io
import json as jsonlib
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from simtool.cli import options, session
from simtool.cli.output import print_json, report_problems, safe_cell, stderr, stdout
from simtool.errors import InputError
from simtool.jobs.dedup import METHODS, deduplicated, find_duplicates
from simtool.jobs.dedup.rules import CONTAINMENT, JACCARD
from simtool.results import to_jsonable
from simtool.state import claim_outputs, write_output


def dedup_command(
    paths: options.Paths,
    method: Annotated[str, typer.Option("--method", help=f"One of {', '.join(METHODS)}.")] = "minhash",
    threshold: Annotated[float | None, typer.Option(
        "--threshold", min=0.01, max=1.0,
        help="5-word-shingle Jaccard a copy needs \\[default: 0.5, with --containment 0.8]. Given alone, "
             "pairs are decided by Jaccard only.")] = None,
    containment: Annotated[float | None, typer.Option(
        "--containment", min=0.01, max=1.0,
        help="Also a copy when this share of the shorter text's shingles is in the longer.")] = None,
    semantic_threshold: Annotated[float, typer.Option("--semantic-threshold", min=0.0, max=1.0,
                                                      help="Cosine for --method semantic/both.")] = 0.9,
    write_deduplicated: Annotated[Path | None, typer.Option(
        "--write-deduplicated", help="Write the corpus without non-canonical copies (JSONL) and "
                                     "PATH.mapping.csv (dropped id -> canonical id).")] = None,
    csv_out: Annotated[bool, typer.Option("--csv", help="Print one CSV row per group member.")] = False,
    details: Annotated[bool, typer.Option("--details", help="List every group's members with their scores and "
                                                            "edits (the default is a summary).")] = False,
    all_pairs: Annotated[bool, typer.Option(
        "--all-pairs", help="Verify and list every pair of copies in each group, not only the pairs that "
                            "joined it (same groups; slower when a story has many copies).")] = False,
    model: options.Model = "minilm",
    precision: options.Precision = "auto",
    device: options.Device = "cpu",
    engine_name: options.EngineName = "local",
    ray_address: options.RayAddress = "auto",
    workers: options.Workers = None,
    json: options.Json = False,
    force: options.Force = False,
    cache: options.Cache = None,
    no_clean: options.NoClean = False,
    strict: options.Strict = False,
    text_field: options.TextField = None,
    id_field: options.IdField = None,
    shards: options.ShardsOut = None,
    state: Annotated[Path | None, typer.Option(
        "--state", help="Keep the work in DIR: a later run over the corpus plus new articles shingles and "
                        "compares only the new ones (the groups are the same as a run on everything).",
        rich_help_panel="Incremental runs")] = None,
) -> None:
    """Groups of near-duplicate articles, each with its canonical member and what differs.

    With --engine ray and --shards DIR the corpus is read and compared on the cluster, and every
    group member is written to DIR as Parquet (id, group, canonical, jaccard, containment).
    """
    if method not in METHODS:
        raise typer.BadParameter(f"--method must be one of {', '.join(METHODS)}; got {method!r}")
    if threshold is None:
        threshold, containment = JACCARD, containment if containment is not None else CONTAINMENT
    if shards is not None:
        from simtool.engines import ray_engine

        on_ray = ray_engine(session.engine(engine_name, ray_address, workers))
        if on_ray is None or method != "minhash" or write_deduplicated is not None:
            raise InputError("--shards finds copies past one machine's memory: it needs --engine ray and "
                             "--method minhash, and writes no --write-deduplicated corpus")
        from simtool.jobs.dedup.ray import find_duplicates_in_files

        found = find_duplicates_in_files(paths, on_ray, shards, threshold=threshold, containment_threshold=containment,
                                         clean=not no_clean, strict=strict, text_field=text_field, id_field=id_field,
                                         on_read=report_problems)
        stderr().print(f"wrote {found.members} group members to {found.directory}", markup=False)
        _show(found.result, json, csv_out, details)
        return
    claim_outputs([write_deduplicated, write_deduplicated and _mapping_path(write_deduplicated)], force)
    corpus = session.load(paths, no_clean, strict, text_field, id_field)
    if len(corpus) < 2:
        stderr().print(f"note: the corpus has {len(corpus)} document; nothing to compare", markup=False)
    if state is not None:
        if method != "minhash" or all_pairs:
            raise InputError("--state keeps lexical (--method minhash) groups; it lists the pairs that joined "
                             "each group, without --all-pairs")
        from simtool.jobs.dedup.updates import find_duplicates_with_state

        result, changes = find_duplicates_with_state(corpus, state.expanduser(), threshold=threshold,
                                                     containment_threshold=containment)
        if write_deduplicated is not None:
            _write(corpus, result, write_deduplicated)
        if json:
            print_json({"groups": result.to_json(), "documents": result.n_documents, "settings": result.settings,
                        "changes": changes})
            return
        _show(result, json, csv_out, details)
        stdout().print(f"{changes.mode}: {changes.new_documents} new documents, {len(changes.copies_of_earlier)} of "
                       f"them copies of earlier ones, {changes.new_groups} new groups; {changes.verified_pairs} "
                       f"candidate pairs verified", markup=False, soft_wrap=True)
        return
    encoder = session.encoder(model, cache=cache, precision=precision, device=device) if method != "minhash" else None
    engine = session.engine(engine_name, ray_address, workers)
    with session.store(cache) as store:
        result = find_duplicates(corpus, method=method, threshold=threshold, containment_threshold=containment,
                                 semantic_threshold=semantic_threshold, encoder=encoder, store=store,
                                 all_pairs=all_pairs, engine=engine)
    if write_deduplicated is not None:
        _write(corpus, result, write_deduplicated)
    _show(result, json, csv_out, details)


def _show(result, json: bool, csv_out: bool, details: bool = False) -> None:
    if json:
        print_json({"groups": result.to_json(), "documents": result.n_documents, "settings": result.settings})
    elif csv_out:
        _print_csv(result)
    else:
        _print_table(result, details)


def _write(corpus, result, path: Path) -> None:
    kept, mapping = deduplicated(corpus, result)
    lines = []
    for doc in kept:
        record = {"id": doc.id, "title": doc.title, "text": doc.text,
                  "date": doc.date.isoformat() if doc.date else None, "source": doc.source, "url": doc.url,
                  **{k: v for k, v in to_jsonable(dict(doc.meta)).items()}}
        lines.append(jsonlib.dumps(record, ensure_ascii=False, default=str) + "\n")
    write_output(path, "".join(lines))
    mapping_csv = io.StringIO()
    writer = csv.writer(mapping_csv)
    writer.writerow(["dropped_id", "canonical_id"])
    writer.writerows([safe_cell(a), safe_cell(b)] for a, b in sorted(mapping.items()))
    mapping_path = write_output(_mapping_path(path), mapping_csv.getvalue())
    stderr().print(f"wrote {len(kept)} documents to {path} and {len(mapping)} dropped ids to {mapping_path}",
                   markup=False)


def _mapping_path(path: Path) -> Path:
    return path.with_name(path.name + ".mapping.csv")


def _print_csv(result) -> None:
    writer = csv.writer(sys.stdout)
    writer.writerow(["group", "canonical", "id", "title", "date", "source", "jaccard", "containment", "parent",
                     "parent_by"])
    for number, group in enumerate(result.groups, start=1):
        for m in group.details:
            writer.writerow([number, *(safe_cell(v) for v in (group.canonical, m.id, m.title, m.date, m.source,
                                                              m.jaccard, m.containment, m.parent, m.parent_by))])


SUMMARY_GROUPS = 20  # groups in the summary table; --details lists every group and member


def _print_table(result, details: bool = False) -> None:
    """A summary first (one row a group, the largest first); every member with --details."""
    console = stdout()
    copies = sum(len(g.members) - 1 for g in result.groups)
    console.print(f"{len(result.groups)} groups of near-duplicates; {copies} of {result.n_documents} documents "
                  f"are copies", markup=False)
    if not result.groups:
        return
    if not details:
        table = Table(title="groups (largest first)", title_justify="left")
        for column in ("group", "copies", "canonical", "title", "dates", "sources"):
            table.add_column(column, overflow="fold")
        ranked = sorted(enumerate(result.groups, start=1), key=lambda item: (-len(item[1].members), item[0]))
        for number, group in ranked[:SUMMARY_GROUPS]:
            first = next((m for m in group.details if m.id == group.canonical), group.details[0])
            span = f"{group.first_date} .. {group.last_date}" if group.first_date else "undated"
            table.add_row(str(number), str(len(group.members) - 1), group.canonical, first.title, span,
                          ", ".join(group.sources[:3]) + (" ..." if len(group.sources) > 3 else ""))
        console.print(table, markup=False)
        more = len(result.groups) - SUMMARY_GROUPS
        console.print((f"... and {more} more groups. " if more > 0 else "")
                      + "--details lists every member with its scores and edits; --json or --csv give everything.",
                      markup=False)
        return
    for number, group in enumerate(result.groups, start=1):
        span = f"{group.first_date} .. {group.last_date}" if group.first_date else "undated"
        table = Table(title=f"group {number}: canonical {group.canonical} ({span}; "
                            f"{', '.join(group.sources) or 'no sources'})", title_justify="left")
        for column in ("id", "title", "date", "copied from (by)", "jaccard", "contain.", "sentences +/-"):
            table.add_column(column, overflow="fold")
        for m in group.details:
            table.add_row(m.id, m.title, m.date or "", f"{m.parent} ({m.parent_by})" if m.parent else "",
                          f"{m.jaccard:.2f}", f"{m.containment:.2f}", f"+{len(m.added)} / -{len(m.dropped)}")
        console.print(table, markup=False)
