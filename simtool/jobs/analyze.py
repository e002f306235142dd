"""The main job: every analysis of a corpus in one pass, for the summary and the HTML report.

`analyze` runs what the single commands run, with their defaults, on vectors embedded once:
clusters (`cluster_corpus`), near-duplicate groups (`find_duplicates`), each document's nearest
neighbours (the ranking `related` gives), a timeline per topic (`find_drift` on each cluster's
documents, and on the query when one is given), a 2-D map, and for a corpus of a few articles
the comparison of each pair (`compare`). The results are the same objects those functions
return, so the report, the summary and `--json` agree with the individual commands.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from simtool.encoders import Encoder, resolve_encoder
from simtool.encoders.tfidf import TfidfEncoder
from simtool.errors import InputError, NoDocumentsError, records_counted
from simtool.io.corpus import Corpus
from simtool.io.dates import period_of, resolve_date
from simtool.io.document import Document
from simtool.jobs.cluster.local import HYBRID, ClusterResult, cluster_corpus, represent
from simtool.jobs.cluster.updates import cluster_with_state
from simtool.jobs.compare import Comparison, compare, compared_encoders
from simtool.jobs.dedup import DedupResult, DedupSettings, find_duplicates
from simtool.jobs.dedup.updates import find_duplicates_with_state
from simtool.jobs.drift.timeline import DriftResult, DriftStep, find_drift
from simtool.jobs.related import Evidence, Neighbour, RelatedDocument, explain, nearest_documents, related
from simtool.jobs.reuse import ReuseResult, find_reuse
from simtool.results import to_jsonable
from simtool.vectors.embed import embed
from simtool.vectors.engine import Engine
from simtool.vectors.projection import Projection, project_2d
from simtool.vectors.store import VectorStore

NEIGHBOURS = 5           # nearest documents kept per document
RELATED_PAIRS = 25       # the closest pairs (copies aside) shown with why
MAX_TIMELINES = 6        # topics (largest clusters) followed across periods
SMALL_CORPUS = 5         # up to this many documents, every pair is compared
# The default stance axis: whether statements lean to cooperation or to conflict, the axis along
# which news about actors most often moves. `--axis` sets another.
DEFAULT_AXIS = ("cooperation, agreement and support", "conflict, criticism and opposition")

StageProgress = Callable[[str, int, int], None]  # (stage, done, total)


@dataclass(frozen=True)
class RelatedPair:
    """Two different stories' articles that are close, and why."""

    a: str
    b: str
    score: float
    why: Evidence


@dataclass(frozen=True)
class Timeline:
    """One topic followed across periods: a cluster (or the query, cluster None)."""

    cluster: int | None
    label: str
    drift: DriftResult


@dataclass(frozen=True)
class AnalysisSettings:
    """What an analysis ran with (the single jobs' own settings are in their results)."""

    model: str
    cluster_model: str
    k: int | None
    query: str | None
    axis: list[str] | None
    by: str
    seed: int
    neighbours: int
    dedup: DedupSettings


@dataclass(frozen=True)
class Analysis:
    """Everything `simtool analyze` found, in the types the single jobs return."""

    n_documents: int
    n_problems: int
    clusters: ClusterResult
    duplicates: DedupResult
    reuse: ReuseResult
    neighbours: dict[str, list[Neighbour]]
    related_pairs: list[RelatedPair]
    query_related: list[RelatedDocument]
    timelines: list[Timeline]
    comparisons: list[Comparison]
    projection: Projection
    settings: AnalysisSettings
    notes: list[str] = field(default_factory=list)
    changes: dict[str, Any] = field(default_factory=dict)  # with a state: what this run changed, per job

    @property
    def biggest_shift(self) -> tuple[Timeline, DriftStep] | None:
        """The largest change between consecutive periods over all timelines."""
        steps = [(t, t.drift.largest_change) for t in self.timelines if t.drift.largest_change]
        return max(steps, key=lambda item: item[1].effect) if steps else None

    def to_json(self) -> dict[str, Any]:
        """The analysis as `analyze --json` prints it, in the shapes the single commands print."""
        c = self.clusters
        return to_jsonable({
            "summary": self.summary(),
            "settings": self.settings,
            "clusters": c.to_json(),
            "duplicates": self.duplicates.to_json(),
            "reuse": self.reuse.to_json(),
            "related": {"neighbours": self.neighbours, "pairs": self.related_pairs, "query": self.query_related},
            "timelines": [{"cluster": t.cluster, "label": t.label, "drift": t.drift.to_json(dates=False)}
                          for t in self.timelines],
            "comparisons": self.comparisons,
            "map": {"method": self.projection.method,
                    "points": {doc_id: [round(float(x), 4), round(float(y), 4)]
                               for doc_id, (x, y) in zip(c.assignments, self.projection.xy)}},
            "notes": self.notes,
            **({"changes": self.changes} if self.changes else {}),
        })

    def summary(self) -> dict[str, object]:
        """The figures the CLI prints: counts, clusters with labels, the biggest shift."""
        shift = self.biggest_shift
        lead = next((t for t in self.timelines if t.cluster is None), None) or (shift[0] if shift else None) \
            or (self.timelines[0] if self.timelines else None)
        return {
            "findings": lead.drift.findings() if lead is not None else [],
            "documents": self.n_documents,
            "skipped_records": self.n_problems,
            "duplicate_groups": len(self.duplicates.groups),
            "duplicate_copies": sum(len(g.members) - 1 for g in self.duplicates.groups),
            "reuse_pairs": len(self.reuse.edges),
            "reuse_families": len(self.reuse.families),
            "clusters": [{"id": c.id, "label": c.label, "size": c.size} for c in self.clusters.clusters],
            "noise": len(self.clusters.noise),
            "closest_pair": ({"a": self.related_pairs[0].a, "b": self.related_pairs[0].b,
                              "score": self.related_pairs[0].score} if self.related_pairs else None),
            "biggest_shift": ({"topic": shift[0].label, "cluster": shift[0].cluster, "before": shift[1].before,
                               "after": shift[1].after, "effect": shift[1].effect, "p": shift[1].p}
                              if shift else None),
            # every step of every timeline has too few units to test: "no change" would claim too much
            "untestable": bool(self.timelines) and all(t.drift.untestable or not t.drift.drift for t in self.timelines),
        }


def analyze(corpus: Corpus, *, model: Encoder | str = "minilm", cluster_model: Encoder | str = HYBRID, k: int | str = "auto",
            query: str | None = None, axis: tuple[str, str] | None = DEFAULT_AXIS, by: str = "year",
            store: VectorStore | None = None, seed: int = 0, precision: str = "auto", device: str = "cpu",
            map_method: str = "auto", progress: StageProgress | None = None, engine: Engine | None = None,
            axis_from: str | None = None, groups: str | None = None, speaker_field: str | None = None,
            state: Path | None = None) -> Analysis:
    """Clusters, near-duplicates, related documents, timelines and a map of `corpus`.

    model: the encoder of related documents, timelines and comparisons (as `related`, `drift`
        and `compare` use it); cluster_model: what clusters are made from (as `cluster --model`).
    query: also rank the documents against this text and follow it across periods.
    axis: the two poles of the stance score in the timelines (None: no stance).
    map_method: how the map is drawn: "umap", "pca", or "auto" (UMAP if installed).
    progress: told (stage, done, total) as each stage goes; embedding reports per batch.
    axis_from, groups, speaker_field: the timelines' reference-group axis ("FIELD=A,B"), groups
        (a field, or `actor`) and the field naming each document's own speaker, as `find_drift` takes them.
    state: a folder where clusters and near-duplicate groups are kept across runs (`cluster
        --state`, `dedup --state`): known articles keep their cluster ids and only new ones are compared.
    """
    if not len(corpus):
        raise NoDocumentsError("no documents to analyze")
    step = progress or (lambda stage, done, total: None)
    cache = store.directory if store is not None else None
    encoder = resolve_encoder(model, cache=cache, precision=precision, device=device)
    documents = [doc.content for doc in corpus]

    step("embedding documents", 0, len(corpus))
    vectors, _ = embed(documents, encoder, store, engine=engine,
                       progress=lambda done, total: step("embedding documents", done, total))
    views = represent(corpus, cluster_model, store, seed, engine=engine,
                      progress=lambda done, total: step("embedding for clusters", done, total))
    step("clustering", 0, 1)
    changes: dict[str, Any] = {}
    if state is not None:
        clusters, changes["clusters"] = cluster_with_state(corpus, state / "clusters", model=cluster_model, k=k,
                                                           store=store, seed=seed, engine=engine, views=views)
    else:
        clusters = cluster_corpus(corpus, model=cluster_model, k=k, store=store, seed=seed, views=views)
    step("clustering", 1, 1)

    step("near-duplicates", 0, 1)
    if state is not None:
        duplicates, changes["duplicates"] = find_duplicates_with_state(corpus, state / "dedup")
    else:
        duplicates = find_duplicates(corpus, engine=engine)
    step("near-duplicates", 1, 1)
    step("reuse", 0, 1)
    reuse = find_reuse(corpus, engine=engine)
    step("reuse", 1, 1)

    step("related documents", 0, 1)
    tfidf = TfidfEncoder().fit(documents)
    neighbours, pairs = _related(corpus, vectors, duplicates, encoder, store, tfidf)
    query_related: list[RelatedDocument] = []
    if query:
        query_related = related(corpus, Document(id="<query>", text=query), encoder, store, k=10).hits
    step("related documents", 1, 1)

    timelines, notes = _timelines(corpus, clusters, query, encoder, axis, by, store, seed, engine, step,
                                  axis_from, groups, speaker_field)
    comparisons = _comparisons(corpus, encoder, store, cache, precision, device) \
        if len(corpus) <= SMALL_CORPUS else []
    step("map", 0, 1)
    projection = project_2d(views.vectors, seed, map_method)
    step("map", 1, 1)
    settings = AnalysisSettings(encoder.name, clusters.settings.model, clusters.settings.k, query,
                                list(axis) if axis else None, by, seed, NEIGHBOURS, duplicates.settings)
    return Analysis(len(corpus), records_counted(corpus.problems, kept=False), clusters, duplicates, reuse, neighbours, pairs, query_related,
                    timelines, comparisons, projection, settings, notes, changes)


def _related(corpus: Corpus, vectors, duplicates: DedupResult, encoder, store,
             tfidf: TfidfEncoder) -> tuple[dict[str, list[Neighbour]], list[RelatedPair]]:
    """Each document's nearest neighbours, and the closest pairs that are not copies, with why."""
    neighbours = nearest_documents(corpus, vectors, NEIGHBOURS)
    group_of = {member: n for n, g in enumerate(duplicates.groups) for member in g.members}
    candidates = {}
    for doc_id, near in neighbours.items():
        for neighbour in near:
            a, b = sorted((corpus.position(doc_id), corpus.position(neighbour.id)))
            a_group = group_of.get(corpus.documents[a].id)
            if a_group is None or a_group != group_of.get(corpus.documents[b].id):
                candidates[(a, b)] = neighbour.score
    best = sorted(candidates.items(), key=lambda item: (-item[1], item[0]))[:RELATED_PAIRS]
    pairs = [RelatedPair(corpus.documents[a].id, corpus.documents[b].id, s,
                         explain(corpus.documents[a], corpus.documents[b], encoder, store, tfidf))
             for (a, b), s in best]
    return neighbours, pairs


def _timelines(corpus: Corpus, clusters: ClusterResult, query, encoder, axis, by, store, seed, engine,
               step: StageProgress, axis_from: str | None = None, groups: str | None = None,
               speaker_field: str | None = None) -> tuple[list[Timeline], list[str]]:
    """A timeline for the query and for each of the largest clusters with dates in two periods."""
    periods = {doc.id: period_of(info.date, by) for doc in corpus if (info := resolve_date(doc)).date}
    notes = []
    if len(set(periods.values())) < 2:
        notes.append("no timeline: the documents' dates fall in fewer than two periods" if periods
                     else "no timeline: no document has a date (metadata, file name or text)")
        return [], notes
    topics: list[tuple[int | None, str, set[str] | None]] = []
    if query:
        topics.append((None, query, None))
    for c in clusters.clusters[:MAX_TIMELINES]:
        cluster_members = clusters.members(c.id)
        if len({periods[d] for d in cluster_members if d in periods}) >= 2:
            topics.append((c.id, c.label, cluster_members))
    timelines = []
    for n, (cluster, label, members) in enumerate(topics):
        step("timelines", n, len(topics))
        try:
            result = find_drift(corpus, query=query if cluster is None else None, encoder=encoder, by=by,
                                axis=None if axis_from else axis, store=store, seed=seed, documents=members,
                                engine=engine, axis_from=axis_from, groups=groups, speaker_field=speaker_field,
                                progress=lambda done, total: step("timelines: statements", done, total))
        except InputError as exc:  # e.g. no statement about the query
            notes.append(f"no timeline for {label!r}: {exc}")
            continue
        timelines.append(Timeline(cluster, label, result))
    step("timelines", len(topics), len(topics))
    return timelines, notes


def _comparisons(corpus: Corpus, encoder: Encoder, store, cache, precision: str, device: str) -> list[Comparison]:
    """Every pair of a small corpus compared as `simtool compare` compares it."""
    encoders = compared_encoders(encoder, cache, precision=precision, device=device)
    background = [d.content for d in corpus]
    return [compare(a, b, encoders, store, sentence_encoder=encoder.name, background=background)
            for a, b in itertools.combinations(corpus.documents, 2)]
