"""`simtool cluster`: stories and topics, labelled, with representatives."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from simtool.cli import options, session
from simtool.cli.output import print_json, report_problems, safe_cell, stage_progress, stderr, stdout
from simtool.errors import InputError
from simtool.jobs.cluster import ALGORITHMS, HYBRID, classes_of, cluster_corpus, evaluate, represent
from simtool.state import claim_outputs, write_output


def cluster_command(
    paths: options.Paths,
    model: Annotated[str, typer.Option("--model", "-m", help="hybrid (TF-IDF + minilm), tfidf, minilm, static, "
                                                             "a folder or a hub name.")] = HYBRID,
    algorithm: Annotated[str, typer.Option("--algorithm", help=f"One of {', '.join(ALGORITHMS)}.")] = "kmeans",
    k: Annotated[str, typer.Option("--k", help="Number of clusters, or auto (the most stable k in 2..15).")] = "auto",
    evaluate_field: Annotated[str | None, typer.Option(
        "--evaluate", help="Score against classes: a metadata field (e.g. category) or 'folder'.")] = None,
    out: Annotated[Path | None, typer.Option("--out", help="Write id,cluster,title as CSV.")] = None,
    seed: Annotated[int, typer.Option("--seed", help="Random seed (results are deterministic for it).")] = 0,
    json: options.Json = False,
    engine_name: options.EngineName = "local",
    ray_address: options.RayAddress = "auto",
    workers: options.Workers = None,
    force: options.Force = False,
    cache: options.Cache = None,
    no_clean: options.NoClean = False,
    strict: options.Strict = False,
    text_field: options.TextField = None,
    id_field: options.IdField = None,
    shards: options.ShardsOut = None,
    state: Annotated[Path | None, typer.Option(
        "--state", help="Keep cluster ids across runs in DIR: a later run over the corpus plus new articles "
                        "keeps every known article's cluster and assigns the new ones (or opens new clusters); once "
                        "the new articles pass 10% of those last fitted, it re-fits and keeps the ids, "
                        "recording every article that moved.",
        rich_help_panel="Incremental runs")] = None,
    rebuild: Annotated[bool, typer.Option(
        "--rebuild", help="With --state: re-fit from scratch and map the new clusters to the old ids "
                          "(merges and splits are recorded).", rich_help_panel="Incremental runs")] = False,
) -> None:
    """Clusters of the corpus, each with a label, size, representative headlines, dates and sources.

    With --engine ray and --shards DIR, the corpus is read, embedded and clustered on the cluster
    past one machine's memory: vectors in DIR/vectors, assignments (id, cluster, distance) in
    DIR/clusters, both as Parquet shards; k-means fitted on a sample of the shards.
    """
    if algorithm not in ALGORITHMS:
        raise typer.BadParameter(f"--algorithm must be one of {', '.join(ALGORITHMS)}; got {algorithm!r}")
    k_value = options.parse_k(k)
    if shards is not None:
        _cluster_shards(paths, model, algorithm, k_value, seed, json, shards, evaluate_field,
                        session.engine(engine_name, ray_address, workers), cache, no_clean, strict, text_field, id_field)
        return
    claim_outputs([out], force)
    corpus = session.load(paths, no_clean, strict, text_field, id_field)
    truth = classes_of(corpus, evaluate_field) if evaluate_field else None
    if isinstance(k_value, int) and k_value > len(corpus):
        stderr().print(f"note: --k {k_value} is more than the {len(corpus)} documents; using {len(corpus)}",
                       markup=False)
    if rebuild and state is None:
        raise typer.BadParameter("--rebuild re-fits the clusters kept in a --state DIR: give --state")
    changes = None
    with session.store(cache) as store, stage_progress() as step:
        engine = session.engine(engine_name, ray_address, workers)
        # Embedding, then clustering as a stage of its own: its bar and its time in the run's last
        # line (choosing k on a large corpus takes as long as embedding it)
        if state is not None:
            from simtool.jobs.cluster.updates import cluster_with_state

            def embedding(done: int, total: int) -> None:  # the state is checked before anything is embedded
                step("embedding", done, total)
                if done >= total:
                    step("clustering", 0, 1)

            result, changes = cluster_with_state(corpus, state.expanduser(), model=model, algorithm=algorithm,
                                                 k=k_value, store=store, seed=seed, rebuild=rebuild,
                                                 progress=embedding, engine=engine)
        else:
            views = represent(corpus, model, store, seed, lambda done, total: step("embedding", done, total), engine)
            step("clustering", 0, 1)
            result = cluster_corpus(corpus, model=model, algorithm=algorithm, k=k_value, store=store, seed=seed,
                                    engine=engine, views=views)
        step("clustering", 1, 1)
    scores = evaluate(truth, [result.assignments[doc.id] for doc in corpus]) if truth is not None else None
    if result.settings.k_note:
        stderr().print(f"note: {result.settings.k_note}", markup=False)
    if out is not None:
        _write_assignments(corpus, result, out)
    if json:
        print_json({**result.to_json(), "evaluation": scores, **({"changes": changes} if changes else {})})
        return
    _print(result, scores)
    if changes is not None:
        stdout().print(changes_line(changes), markup=False, soft_wrap=True)


def _cluster_shards(paths, model, algorithm, k, seed, json, directory: Path, evaluate_field, engine, cache,
                    no_clean, strict, text_field, id_field) -> None:
    from simtool.engines import ray_engine
    from simtool.jobs.cluster.ray import cluster_files_on_ray

    on_ray = ray_engine(engine)
    if on_ray is None:
        raise InputError("--shards clusters past one machine's memory on Ray: add --engine ray "
                         "(or use --out for a CSV of this machine's clustering)")
    if model in (HYBRID, "tfidf", "tfidf-svd") or algorithm != "kmeans" or evaluate_field:
        raise InputError("--shards runs k-means on a pretrained encoder's vectors (--model minilm, static, ...): "
                         "hybrid and TF-IDF views, other algorithms and --evaluate need the corpus in memory")
    encoder = session.encoder(model, cache=cache)
    with session.store(cache) as store:
        found = cluster_files_on_ray(paths, on_ray, encoder, directory, k=k if isinstance(k, int) else None,
                                     seed=seed, store=store, clean=not no_clean, strict=strict, text_field=text_field, id_field=id_field,
                                     on_read=report_problems)
    summary = found.to_json()
    if json:
        print_json(summary)
        return
    result = found.clusters
    table = Table(title=f"{result.k} clusters of {found.documents} documents ({encoder.name}; k-means fitted on a sample, assigned on Ray); "
                        f"assignments in {result.directory}", title_justify="left")
    for column in ("cluster", "size", "label"):
        table.add_column(column, overflow="fold")
    for cluster in summary["clusters"]:
        table.add_row(str(cluster["id"]), str(cluster["size"]), cluster["label"])
    stdout().print(table, markup=False)


def _write_assignments(corpus, result, path: Path) -> None:
    table = io.StringIO()
    writer = csv.writer(table)
    finer = result.finer.assignments if result.finer is not None else None
    writer.writerow(["id", "cluster", *(["topic"] if finer else []), "title"])
    for doc in corpus:
        writer.writerow([safe_cell(doc.id), result.assignments[doc.id], *([finer[doc.id]] if finer else []),
                         safe_cell(doc.title)])
    write_output(path, table.getvalue())
    stderr().print(f"wrote {len(corpus)} assignments to {path}", markup=False)


def _print(result, scores) -> None:
    console = stdout()
    if result.k_scores:
        chosen = result.settings.k
        console.print("k by stability (mean adjusted Rand index of 80% subsamples): "
                      + ", ".join(f"{k}: {s:.3f}" + (" <-" if k == chosen else "") for k, s in result.k_scores.items()),
                      markup=False)
    table = Table(title=f"{len(result.clusters)} clusters ({result.settings.model}, {result.settings.algorithm}); "
                        f"{len(result.noise)} documents as noise", title_justify="left")
    # a corpus without dates or sources (BBC's folders) gets no empty columns for them
    dated, sourced = any(c.first_date for c in result.clusters), any(c.sources for c in result.clusters)
    for column in ("cluster", "size", "label", "representative headlines") + ("dates",) * dated + ("sources",) * sourced:
        table.add_column(column, overflow="fold")
    for c in result.clusters:
        span = f"{c.first_date} .. {c.last_date}" if c.first_date else ""
        sources = ", ".join(c.sources[:3]) + (" ..." if len(c.sources) > 3 else "")
        table.add_row(str(c.id), str(c.size), c.label, "\n".join(r.title for r in c.representatives),
                      *((span,) if dated else ()), *((sources,) if sourced else ()))
    console.print(table, markup=False)
    if result.finer is not None:
        finer = Table(title=f"a finer level: {result.finer.k} topics within those clusters (the most stable split "
                            f"of 5 or more)", title_justify="left")
        for column in ("topic", "in cluster", "size", "label", "representative headline"):
            finer.add_column(column, overflow="fold")
        for c in sorted(result.finer.clusters, key=lambda c: (result.finer.parents[c.id], -c.size)):
            finer.add_row(str(c.id), str(result.finer.parents[c.id]), str(c.size), c.label,
                          c.representatives[0].title if c.representatives else "")
        console.print(finer, markup=False)
    if scores is not None:
        console.print(f"against the given classes: NMI {scores['nmi']:.4f}, ARI {scores['ari']:.4f}, "
                      f"V-measure {scores['v_measure']:.4f}", markup=False)


def changes_line(changes) -> str:
    """One line of what a run with a state did to the clusters (cluster and analyze print it)."""
    parts = [f"{changes.mode}: {changes.new_documents} new documents"]
    if changes.grown:
        parts.append("grown " + ", ".join(f"cluster {c} +{n}" for c, n in changes.grown.items()))
    if changes.new_clusters:
        parts.append("new clusters " + ", ".join(map(str, changes.new_clusters)))
    parts += [f"cluster {m['from']} merged into {m['into']}" for m in changes.merged]
    parts += [f"cluster {s['from']} split into {', '.join(map(str, s['into']))}" for s in changes.split]
    if changes.loose:
        parts.append(f"{changes.loose} close to no cluster, put in the nearest")
    if changes.moved:
        parts.append(f"{changes.moved} known documents moved between clusters by the refit (listed in --json)")
    if changes.reason:
        parts.append(changes.reason)
    return "; ".join(parts)
