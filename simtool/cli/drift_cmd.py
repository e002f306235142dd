"""`simtool drift`: how the coverage of a topic shifts across periods."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from simtool.cli import options, session
from simtool.cli.output import print_json, progress_bar, stderr, stdout
from simtool.jobs.drift.change import TOO_FEW
from simtool.jobs.drift.positions import THIN
from simtool.jobs.drift.timeline import BY, RELEVANCE, cluster_documents, find_drift
from simtool.report.drift_plot import plot_drift
from simtool.state import claim_outputs


def drift_command(
    paths: options.Paths,
    query: Annotated[str | None, typer.Option("--query", "-q", help="What the statements are about.")] = None,
    cluster: Annotated[int | None, typer.Option(
        "--cluster", help="Instead of a query: the statements of one cluster (as `simtool cluster` numbers them).")] = None,
    k: Annotated[str, typer.Option("--k", help="With --cluster: clusters to make, or auto.")] = "auto",
    by: Annotated[str, typer.Option("--by", help=f"Period: {', '.join(BY)}.")] = "year",
    axis: Annotated[tuple[str, str] | None, typer.Option(
        "--axis", help="Two poles, positive then negative, each a statement or paraphrases 'A | A2 | A3': a stance "
                       "from -1 to +1, with the poles' own test of validity (prefer --axis-from).")] = None,
    axis_from: options.AxisFrom = None,
    groups: options.Groups = None,
    speaker_field: options.SpeakerField = None,
    relevance: Annotated[float, typer.Option("--relevance", min=-1.0, max=1.0,
                                             help="Cosine to the query a statement needs.")] = RELEVANCE,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the bootstrap and permutations.")] = 0,
    plot: Annotated[Path | None, typer.Option("--plot", help="Write a PNG of statements, stance and change.")] = None,
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
) -> None:
    """Per period: statements about the query, distinctive terms, actors, stance; and the drift between periods."""
    if by not in BY:
        raise typer.BadParameter(f"--by must be one of {', '.join(BY)}; got {by!r}")
    if (query is None) == (cluster is None):
        raise typer.BadParameter("give one of --query TEXT or --cluster ID")
    claim_outputs([plot], force)
    corpus = session.load(paths, no_clean, strict, text_field, id_field)
    encoder = session.encoder(model, cache=cache, precision=precision, device=device)
    with session.store(cache) as store, progress_bar(f"embedding statements with {encoder.name}") as update:
        members = None
        if cluster is not None:
            members, label = cluster_documents(corpus, cluster, k=options.parse_k(k), store=store, seed=seed)
            stderr().print(f"cluster {cluster} ({label}): {len(members)} documents", markup=False)
        result = find_drift(corpus, query=query, encoder=encoder, by=by, axis=axis, store=store,
                            relevance=relevance, seed=seed, documents=members, progress=update,
                            axis_from=axis_from, groups=groups, speaker_field=speaker_field,
                            engine=session.engine(engine_name, ray_address, workers))
    if result.undated:
        stderr().print(f"note: {len(result.undated)} documents have no date and are left out: "
                       + ", ".join(result.undated[:10]) + (" ..." if len(result.undated) > 10 else ""), markup=False)
    inferred = [info for info in result.dates.values() if info.how == "text (inferred)"]
    for info in inferred:
        stderr().print(f"note: {info.id}: date {info.date} inferred from its text ({info.evidence!r})", markup=False)
    if plot is not None:
        stderr().print(f"wrote {plot_drift(result, plot)}", markup=False)
    if json:
        print_json(result.to_json())
        return
    _print(result)


def _print(result) -> None:
    console = stdout()
    for sentence in result.findings():
        console.print(sentence, markup=False)
    console.print("", markup=False)
    table = Table(title=f"{result.query or 'the cluster'!r} by {result.by}", title_justify="left")
    stances = any(p.stance for p in result.periods)  # poles (--axis) give one; reference groups place each group
    for column in ("period", "docs", "statements", "distinctive terms (z)", "actors") + (
            ("stance (95% CI)",) if stances else ()):
        table.add_column(column, overflow="fold")
    for p in result.periods:
        stance = f"{p.stance.mean:+.3f} ({p.stance.low:+.3f} .. {p.stance.high:+.3f})" if p.stance else ""
        table.add_row(p.period, str(p.documents), str(p.n_statements),
                      ", ".join(f"{t} {z:.1f}" for t, z in p.terms[:8]),
                      ", ".join(f"{name} ({len(said)})" for name, said in list(p.actor_statements.items())[:5]),
                      *((stance,) if stances else ()))
    console.print(table, markup=False)
    _print_axis(result)
    _print_who_said_what(result)
    for p in result.periods:
        console.print(f"\n{p.period}: representative statements", markup=False)
        for s in p.statements[:3]:
            who = f" [{s.actor}]" if s.actor else ""
            console.print(f"  - {s.text}{who}", markup=False)
    for step in result.drift:
        verdict = "significant" if step.significant else "not significant"
        units = "too few articles or sentences to test" if step.unit == TOO_FEW else f"units: {step.unit}s"
        console.print(f"\n{step.before} -> {step.after}: effect {step.effect:.2f}, p {step.p:.3f} after "
                      f"Holm correction ({verdict}; {units}); share of sentences on the topic "
                      f"{step.share_before:.1%} -> {step.share_after:.1%}; {step.new_total} new, "
                      f"{step.dropped_total} dropped statements", markup=False)
        for text in step.new[:2]:
            console.print(f"  + {text}", markup=False)
        for text in step.dropped[:2]:
            console.print(f"  - {text}", markup=False)
    if result.largest_change:
        c = result.largest_change
        console.print(f"\nlargest change: {c.before} -> {c.after} (effect {c.effect:.2f}, p {c.p:.3f})",
                      markup=False)
    elif result.drift:
        console.print("\nno significant change between periods (Holm-corrected p > 0.05 for every step)",
                      markup=False)


def _print_axis(result) -> None:
    """The axis with its validity, then each period's groups and positions (or why there are none)."""
    console, axis = stdout(), result.axis
    if axis is not None:
        if axis.kind == "reference":
            auc = axis.validity["auc"]
            verdict = ("reliable" if axis.reliable else
                       f"NOT reliable (below {axis.validity['min_auc']}): the positions below are not findings")
            console.print(f"\naxis: {axis.group_field} {axis.negative} (0) to {axis.positive} (1), learned from those "
                          f"groups; out-of-fold AUC {auc:.3f} (95% CI {axis.validity['auc_low']:.3f} .. "
                          f"{axis.validity['auc_high']:.3f}; {axis.validity['folds']} folds by "
                          f"{axis.validity['folds_by']}): {verdict}", markup=False)
        else:
            v = axis.validity
            auc = "n/a (one statement a pole)" if v["auc"] is None else f"{v['auc']:.3f}"
            verdict = ("reliable" if axis.reliable else "NOT reliable: the stance is descriptive, not a finding (give "
                       "paraphrases, 'A | A2 | A3', or use --axis-from FIELD=A,B)")
            console.print(f"\naxis: poles {axis.positive!r} (+1) vs {axis.negative!r} (-1); the poles' own test: "
                          f"left-out AUC {auc}, negations on their side {v['negations_on_their_side']:.0%}: {verdict}",
                          markup=False)
    if not any(p.groups for p in result.periods):
        return
    table = Table(title=f"groups by {result.settings.groups}" + (f"; position 0 = {axis.negative}, 1 = {axis.positive}"
                  if axis is not None and axis.kind == "reference" else ""), title_justify="left")
    for column in ("period", "group", "docs", "statements", "position (95% CI)", "terms that set it apart"):
        table.add_column(column, overflow="fold")
    for p in result.periods:
        for name, cell in p.groups.items():
            if cell.thin:
                position = f"thin (< {THIN} docs)"
            elif cell.position is None:
                position = ""
            else:
                position = f"{cell.position.mean:.3f} ({cell.position.low:.3f} .. {cell.position.high:.3f})"
            table.add_row(p.period, name, str(cell.documents), str(cell.statements), position,
                          ", ".join(term for term, _ in cell.terms[:5]))
    console.print(table, markup=False)


def _print_who_said_what(result, actors: int = 5, each: int = 4) -> None:
    """The actors quoted most: for each, their statements by period, with outlet and position."""
    records = result.who_said_what(actors)
    if not records:
        return
    table = Table(title="who said what, when (the actors quoted most)", title_justify="left")
    for column in ("actor", "period", "outlet", "statement", "position"):
        table.add_column(column, overflow="fold")
    for record in records:
        described = ", ".join(x for x in (record.role, record.organisation) if x)
        label = f"{record.name} ({described})" if described else record.name
        for n, s in enumerate(record.said[:each]):
            value = s.position if s.position is not None else s.stance
            count = f"{record.statements} statement" + ("s" if record.statements != 1 else "")
            table.add_row(f"{label}, {count}" if n == 0 else "", s.period, s.source or "",
                          s.text if len(s.text) <= 160 else s.text[:159] + "\u2026",
                          "" if value is None else f"{value:+.3f}" if s.position is None else f"{value:.3f}")
    console = stdout()
    console.print(table, markup=False)
