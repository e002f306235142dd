"""Clusters that keep their ids as a corpus grows (`cluster --state DIR`).

The first run clusters the corpus as `cluster_corpus` does and writes the state: each
document's id, text hash and cluster id, and the settings. A later run over the corpus plus new
articles keeps every known document's cluster id and assigns each new one:

- to the cluster whose centroid (the mean of its members, in this run's vectors) is nearest, if
  it is at least as close as that cluster's own members mostly are: the ASSIGN_QUANTILE (5th
  percentile) of the members' cosines to their centroid;
- the new articles close to no cluster are clustered among themselves (average linkage, cut where
  a group is as cohesive as the loosest known cluster: its mean cosine between two members); a group of NEW_CLUSTER_MIN or more opens a new cluster, with the next unused id; the
  rest join their nearest cluster and are counted as `loose`.

Known documents never change cluster in an update. Once the documents added since the last fit
pass REFIT_SHARE of those fitted, the run re-fits instead (mode `refit`, with its reason): the
clusters become what a batch run on the same documents gives (clustering does not depend on the
order of the documents), mapped to the old ids. `rebuild` re-fits at once. Both map by Hungarian
matching on shared members; a fresh cluster left unmatched gets a new id, recorded as a split
when most of it came from one old cluster, and an old cluster most of whose members went to
another's match is recorded as merged into it. Known documents a refit moves otherwise (at the
edges of clusters) are each recorded in `moves` ({"id", "from", "to"}): no id changes unrecorded.
The state is written atomically: a run killed midway leaves the previous state as it was.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
from scipy.optimize import linear_sum_assignment
from sklearn.cluster import KMeans
from sklearn.preprocessing import normalize

from simtool.encoders import Encoder
from simtool.engines import Engine
from simtool.errors import InputError
from simtool.io.corpus import Corpus
from simtool.jobs.cluster.local import (
    ClusterResult,
    ClusterSettings,
    Views,
    cluster_corpus,
    describe_clusters,
    hash_order,
    represent,
)
from simtool.state import checked_state, state_lock, write_atomically
from simtool.text.basics import text_key
from simtool.vectors.store import VectorStore

STATE_FILE = "clusters.json"
STATE_VERSION = 1
ASSIGN_QUANTILE = 0.05  # a new article joins a cluster if as close as 95% of its members are
NEW_CLUSTER_MIN = 5     # new articles close to no cluster open one when this many belong together
# An update re-fits (and maps the fresh clusters to the old ids) once the documents added since the
# last fit exceed this share of those fitted: a cost bound, not a drift threshold. Measured
# (benchmarks/cluster_updates.py), assignment alone stays at ARI 0.979 or more with a fit on
# everything on BBC up to 50% new, and on HuffPost no run agrees with a batch run, not even the batch run under
# another seed (0.35); a refit makes the state what a batch run gives, once per 10% of growth.
REFIT_SHARE = 0.1


@dataclass(frozen=True)
class ClusterChanges:
    """What a run with a state did to the clusters, in their stable ids."""

    mode: str                                  # "first run", "update", "refit" or "rebuild"
    new_documents: int = 0
    removed_documents: int = 0
    new_clusters: list[int] = field(default_factory=list)
    grown: dict[int, int] = field(default_factory=dict)      # cluster -> new documents it took
    merged: list[dict[str, int]] = field(default_factory=list)  # {"into", "from"}
    split: list[dict[str, Any]] = field(default_factory=list)   # {"from", "into": [ids]}
    loose: int = 0                             # new documents close to no cluster, put in the nearest
    moved: int = 0                             # known documents that changed id outside a merge or split
    moves: list[dict[str, Any]] = field(default_factory=list)  # each of them: {"id", "from", "to"}
    reason: str | None = None                  # why a refit ran
    changed_text: list[dict[str, Any]] = field(default_factory=list)  # known ids with a new text that changed cluster


def _is_state(state: Any) -> bool:
    return (isinstance(state, dict) and state.get("version") == STATE_VERSION and isinstance(state.get("settings"), dict)
            and isinstance(state.get("next_id"), int) and isinstance(state.get("documents"), dict)
            and all(isinstance(state.get(key, 0), int) and not isinstance(state.get(key, 0), bool)
                    and state.get(key, 0) >= 0 for key in ("fitted_documents", "since_fit"))
            and all(isinstance(entry, list) and len(entry) == 2 and isinstance(entry[0], str)
                    and isinstance(entry[1], int) for entry in state["documents"].values()))


def _read_state(directory: Path, rebuild: bool = False) -> dict[str, Any] | None:
    path = directory / STATE_FILE
    if not path.exists():
        return None
    try:
        return checked_state(path, _is_state, "cluster")
    except InputError:
        if rebuild:
            return None  # a damaged state is started again: there are no ids to keep
        raise


def _write_state(directory: Path, keys: dict[str, str], labels: dict[str, int], settings: dict[str, Any],
                 next_id: int, history: list[dict], earlier: dict[str, list] | None = None,
                 fitted: int | None = None, since_fit: int = 0) -> None:
    """The state: this run's documents, and those of earlier runs absent from this corpus (a
    document that comes back keeps its cluster); how many documents the last fit saw, and how many
    were assigned since."""
    documents = dict(earlier or {})
    documents.update({doc_id: [key, labels[doc_id]] for doc_id, key in keys.items()})
    state = {"version": STATE_VERSION, "settings": settings, "next_id": next_id, "history": history[-100:],
             "fitted_documents": len(keys) if fitted is None else fitted, "since_fit": since_fit,
             "documents": documents}
    write_atomically(directory / STATE_FILE, json.dumps(state).encode("utf-8"))


def cluster_with_state(corpus: Corpus, directory: Path, *, model: Encoder | str, algorithm: str = "kmeans",
                       k: int | str | None = "auto", seed: int = 0, store: VectorStore | None = None,
                       rebuild: bool = False, progress=None, engine: Engine | None = None,
                       views: Views | None = None, refit_share: float = REFIT_SHARE,
                       ) -> tuple[ClusterResult, ClusterChanges]:
    """Clusters of `corpus` with ids kept from the state in `directory` (see the module);
    `views`: vectors `represent` already made of `corpus` with this model; `refit_share`: the share
    of new documents since the last fit past which an update re-fits (inf: never)."""
    with state_lock(directory):
        return _cluster_with_state(corpus, directory, model=model, algorithm=algorithm, k=k, seed=seed, store=store,
                                   rebuild=rebuild, progress=progress, engine=engine, views=views,
                                   refit_share=refit_share)


def _cluster_with_state(corpus: Corpus, directory: Path, *, model: Encoder | str, algorithm: str,
                        k: int | str | None, seed: int, store: VectorStore | None, rebuild: bool, progress,
                        engine: Engine | None, views: Views | None,
                        refit_share: float) -> tuple[ClusterResult, ClusterChanges]:
    state = _read_state(directory, rebuild)
    model_name = model if isinstance(model, str) else model.name
    settings = {"model": model_name, "algorithm": algorithm, "seed": seed, "k": k}
    if state is not None and not rebuild and {key: state["settings"].get(key) for key in ("model", "algorithm", "seed")} \
            != {key: settings[key] for key in ("model", "algorithm", "seed")}:
        raise InputError(f"{directory}: the state was made with {state['settings']}; this run asks for "
                         f"{settings}: --rebuild to re-fit with these settings")
    keys = {doc.id: text_key(doc.content) for doc in corpus}  # this run's texts, hashed once
    # the known documents whose text is as the state has it (the others are new, or changed)
    stored = state["documents"] if state is not None else {}
    unchanged = {doc_id for doc_id, key in keys.items() if doc_id in stored and stored[doc_id][0] == key}
    reason = None
    if state is not None and not rebuild:
        known = state["documents"]
        new = len(keys) - len(unchanged)
        fitted = int(state.get("fitted_documents", len(known)))
        pending = int(state.get("since_fit", 0)) + new
        if new and pending > refit_share * fitted:
            reason = (f"{pending} documents added since the last fit of {fitted}: over {refit_share:.0%}, "
                      f"re-fitted and mapped to the old ids")
    if state is None or rebuild or reason:
        # a refit keeps the state's settings, k included (--k counts at the first run and at --rebuild)
        fit_k = state["settings"].get("k", k) if reason and state is not None else k
        result = cluster_corpus(corpus, model=model, algorithm=algorithm, k=fit_k, store=store, seed=seed,
                                views=views, progress=progress, engine=engine)
        fresh = {doc_id: label for doc_id, label in result.assignments.items()}
        if state is None:
            changes = ClusterChanges("first run", new_documents=len(corpus),
                                     new_clusters=sorted({c for c in fresh.values() if c >= 0}))
            next_id = max(fresh.values(), default=-1) + 1
            labels = fresh
            result = _without_finer(result)
        else:
            labels, next_id, changes = _mapped(fresh, state, corpus, unchanged)
            changes = replace(changes, mode="refit" if reason else "rebuild", reason=reason)
            result = _relabelled(_without_finer(result), labels)
        # Documents absent from this run stay in the state (a refit keeps the state's settings too); an
        # absent document of a cluster recorded as merged follows it into the cluster it merged into.
        into = {m["from"]: m["into"] for m in changes.mode != "first run" and changes.merged or []}
        absent = {d: [e[0], into.get(e[1], e[1])] for d, e in state["documents"].items() if d not in corpus} \
            if state is not None else None
        _write_state(directory, keys, labels, {**state["settings"]} if reason and state is not None else settings,
                     next_id, (state or {}).get("history", []) + [_summary(changes)], absent)
        return result, changes
    views = views or represent(corpus, model, store, seed, progress, engine)
    vectors = views.vectors
    known = state["documents"]
    labels_arr = np.full(len(corpus), -2, np.int64)  # -2: not yet assigned
    changed: dict[str, int] = {}  # a known id whose text changed: its cluster before
    for row, doc in enumerate(corpus):
        if doc.id in unchanged:
            labels_arr[row] = known[doc.id][1]
        elif doc.id in known:
            changed[doc.id] = known[doc.id][1]
    new_rows = np.flatnonzero(labels_arr == -2)
    ids = sorted({int(c) for c in labels_arr[labels_arr >= 0]})
    next_id = int(state["next_id"])
    new_clusters: list[int] = []
    loose = 0
    if len(new_rows) and ids:
        centroids = normalize(np.stack([vectors[labels_arr == c].mean(axis=0) for c in ids]))
        thresholds = np.array([np.quantile(vectors[labels_arr == c] @ centroids[k_], ASSIGN_QUANTILE)
                               for k_, c in enumerate(ids)])
        similarity = vectors[new_rows] @ centroids.T
        best = similarity.argmax(axis=1)
        close = similarity[np.arange(len(new_rows)), best] >= thresholds[best]
        labels_arr[new_rows[close]] = np.asarray(ids)[best[close]]
        pool = new_rows[~close]
        # New clusters at the grain of the known ones: as many as the outliers fill clusters of
        # the known clusters' median size (none for a few outliers, which join their nearest).
        # A cut by cohesion instead split BBC sport, new beside tech's 3 clusters, into 30, and
        # opened a dozen clusters a slice in HuffPost's loose headline clusters.
        median_size = float(np.median([np.count_nonzero(labels_arr == c) for c in ids]))
        opened = int(len(pool) // max(median_size, NEW_CLUSTER_MIN))
        if opened:
            # in the order of the texts' hashes, ties broken by the group's first text: the same new
            # articles open the same clusters under the same ids whatever order the files list them in
            pool = hash_order(corpus, pool.tolist())
            groups = KMeans(opened, n_init=10, random_state=seed).fit_predict(vectors[pool]) if opened > 1 \
                else np.zeros(len(pool), np.int64)
            first = {group: position for position, group in reversed(list(enumerate(groups.tolist())))}
            for group, size in sorted(Counter(groups.tolist()).items(), key=lambda item: (-item[1], first[item[0]])):
                if size >= NEW_CLUSTER_MIN:
                    labels_arr[pool[groups == group]] = next_id
                    new_clusters.append(next_id)
                    next_id += 1
        rest = labels_arr[new_rows] == -2
        if rest.any():
            rows = new_rows[rest]
            labels_arr[rows] = np.asarray(ids)[similarity[rest].argmax(axis=1)]
            loose = int(rest.sum())
    elif len(new_rows):  # none of the known documents is here: the new ones are clustered afresh, under new ids
        refit = cluster_corpus(corpus, model=model, algorithm=algorithm, k=k, store=store, seed=seed, views=views)
        offset = next_id
        for new_row in new_rows.tolist():  # known documents (all noise here) keep what they had
            label = refit.assignments[corpus.documents[new_row].id]
            labels_arr[new_row] = label + offset if label >= 0 else -1
        new_clusters = sorted({int(c) for c in labels_arr if c >= 0})
        next_id = max(new_clusters, default=next_id - 1) + 1
    labels = {doc.id: int(label) for doc, label in zip(corpus, labels_arr)}
    grown = Counter(labels[corpus.documents[row].id] for row in new_rows)
    moves = [{"id": doc_id, "from": before, "to": labels[doc_id]} for doc_id, before in sorted(changed.items())
             if labels[doc_id] != before]  # known ids whose text changed, and with it their cluster
    changes = ClusterChanges("update", len(new_rows), sum(1 for doc_id in known if doc_id not in corpus),
                             new_clusters, {c: n for c, n in sorted(grown.items()) if c not in new_clusters},
                             loose=loose, moved=len(moves), moves=moves, changed_text=moves)
    n_clusters = len({c for c in labels.values() if c >= 0})
    result = ClusterResult(labels, describe_clusters(corpus, labels_arr, vectors),
                           [doc_id for doc_id, label in labels.items() if label < 0],
                           ClusterSettings(model_name, algorithm, n_clusters, seed, len(corpus), k,
                                           f"kept {len(ids)} clusters' ids from {directory}"))
    _write_state(directory, keys, labels, {**state["settings"]}, next_id, state.get("history", []) + [_summary(changes)],
                 known, fitted=int(state.get("fitted_documents", len(known))),
                 since_fit=int(state.get("since_fit", 0)) + len(new_rows))
    return result, changes


def _summary(changes: ClusterChanges) -> dict[str, Any]:
    return {"mode": changes.mode, "new_documents": changes.new_documents, "new_clusters": changes.new_clusters,
            "merged": changes.merged, "split": changes.split, "moved": changes.moved}  # the list is the run's


def _mapped(fresh: dict[str, int], state: dict[str, Any], corpus: Corpus,
            unchanged: set[str]) -> tuple[dict[str, int], int, ClusterChanges]:
    """Fresh cluster numbers mapped to the state's ids by Hungarian matching on shared members
    (`unchanged`: the known documents whose text is as the state has it)."""
    old = {doc_id: entry[1] for doc_id, entry in state["documents"].items()}
    fresh_ids = sorted(set(fresh.values()) - {-1})  # noise (HDBSCAN's -1) stays noise
    old_ids = sorted(set(old.values()) - {-1})
    overlap = np.zeros((len(fresh_ids), len(old_ids)))
    f_index, o_index = {c: i for i, c in enumerate(fresh_ids)}, {c: i for i, c in enumerate(old_ids)}
    for doc_id, label in fresh.items():
        if doc_id in old and label in f_index and old[doc_id] in o_index:
            overlap[f_index[label], o_index[old[doc_id]]] += 1
    rows, cols = linear_sum_assignment(-overlap)
    mapping = {fresh_ids[r]: old_ids[c] for r, c in zip(rows, cols) if overlap[r, c] > 0}
    next_id = int(state["next_id"])
    split, merged = [], []
    matched_fresh = {old_id: fresh_id for fresh_id, old_id in mapping.items()}
    for fresh_id in fresh_ids:
        if fresh_id in mapping:
            continue
        mapping[fresh_id] = next_id
        row = overlap[f_index[fresh_id]]
        if row.sum() and row.max() >= 0.5 * row.sum():
            source = old_ids[int(row.argmax())]
            split.append({"from": source, "into": sorted({source, next_id})})
        next_id += 1
    for old_id in old_ids:
        column = overlap[:, o_index[old_id]]
        if not column.sum():
            continue
        winner = fresh_ids[int(column.argmax())]
        # merged: an old cluster that no fresh one carries on, most of whose members went to one that does
        if old_id not in matched_fresh and column.max() >= 0.5 * column.sum() and mapping[winner] != old_id:
            merged.append({"into": mapping[winner], "from": old_id})
    mapping[-1] = -1
    labels = {doc_id: mapping[label] for doc_id, label in fresh.items()}
    explained = {(m["from"], m["into"]) for m in merged} | {(s["from"], i) for s in split for i in s["into"]}
    moves = [{"id": doc_id, "from": old[doc_id], "to": label} for doc_id, label in sorted(labels.items())
             if doc_id in old and old[doc_id] != label and (old[doc_id], label) not in explained]
    changed_text = {doc.id for doc in corpus if doc.id in old and doc.id not in unchanged}
    new = [doc.id for doc in corpus if doc.id not in unchanged]
    new_clusters = sorted(set(mapping.values()) - set(old_ids) - {-1})
    grown = Counter(labels[doc_id] for doc_id in new)
    changed = [m for m in moves if m["id"] in changed_text]
    return labels, next_id, ClusterChanges(
        "rebuild", len(new), sum(1 for d in old if d not in corpus), new_clusters,
        {c: n for c, n in sorted(grown.items()) if c not in new_clusters and c != -1}, merged, split,
        moved=len(moves), moves=moves, changed_text=changed)


def _without_finer(result: ClusterResult) -> ClusterResult:
    """A finer level's ids would not be kept across runs: a state keeps its clusters only, and
    the note points to --k instead of a level that is not there."""
    if result.finer is None:
        return result
    note = (f"k={result.settings.k} is the most stable split, a coarse one; the most stable finer one is "
            f"k={result.finer.k}: --rebuild --k {result.finer.k} for topics to browse")
    return replace(result, finer=None, settings=replace(result.settings, k_note=note))


def _relabelled(result: ClusterResult, labels: dict[str, int]) -> ClusterResult:
    """`result` with its clusters under the mapped ids (members, labels and terms unchanged)."""
    renumber = {c.id: labels[next(iter(result.members(c.id)))] for c in result.clusters}
    clusters = [replace(c, id=renumber[c.id]) for c in result.clusters]
    return ClusterResult(labels, sorted(clusters, key=lambda c: c.id), result.noise, result.settings, result.k_scores)
