"""One update of a growing corpus, as `simtool watch` runs it after each batch of new files:
near-duplicate groups, clusters and reuse kept in a state folder (`dedup --state`, `cluster
--state`, `reuse --state`), the reuse pairs compared with those known before, and what changed
as events."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from simtool.encoders import Encoder
from simtool.io.corpus import Corpus
from simtool.jobs.cluster.local import HYBRID
from simtool.jobs.cluster.updates import ClusterChanges, cluster_with_state
from simtool.jobs.dedup.updates import DedupChanges, find_duplicates_with_state
from simtool.jobs.reuse import ReuseEdge
from simtool.jobs.reuse.updates import find_reuse_with_state
from simtool.state import write_atomically
from simtool.vectors.store import VectorStore

REUSE_FILE = "reuse-pairs.json"


@dataclass(frozen=True)
class Update:
    """What one update found, and the events it makes, one line each."""

    clusters: ClusterChanges
    duplicates: DedupChanges
    new_reuse: list[ReuseEdge]
    events: list[str]


def update_state(corpus: Corpus, state: Path, *, cluster_model: Encoder | str = HYBRID, k: int | str = "auto",
           seed: int = 0, store: VectorStore | None = None) -> Update:
    """Bring the state in `state` up to `corpus` and say what changed: new stories, stories that
    grew, new copies of earlier articles, passages taken from earlier articles."""
    duplicates, copies = find_duplicates_with_state(corpus, state / "dedup")
    clusters, changes = cluster_with_state(corpus, state / "clusters", model=cluster_model, k=k, seed=seed,
                                           store=store)
    reuse, _ = find_reuse_with_state(corpus, state / "reuse", describe=False)
    known_path = state / REUSE_FILE
    known = {tuple(pair) for pair in json.loads(known_path.read_text())} if known_path.exists() else set()
    group_of = {m: n for n, g in enumerate(duplicates.groups) for m in g.members}
    new_reuse = [e for e in reuse.edges if (e.source, e.target) not in known and (e.target, e.source) not in known
                 and not e.quotation_only
                 and (group_of.get(e.source) is None or group_of.get(e.source) != group_of.get(e.target))]
    write_atomically(known_path, json.dumps(sorted([e.source, e.target] for e in reuse.edges)).encode("utf-8"))
    label = {c.id: c.label for c in clusters.clusters}
    size = {c.id: c.size for c in clusters.clusters}
    earlier = set(copies.known_documents)
    original_of = {m: next((k for k in g.members if k in earlier), g.canonical) for g in duplicates.groups
                   for m in g.members}  # the copy's earlier member, not itself
    if changes.mode == "first run":  # everything is new: the state is made, no event to tell
        return Update(changes, copies, new_reuse, [])
    events = [f"new story: cluster {c} ({label.get(c, '')}), {size.get(c, 0)} articles" for c in changes.new_clusters]
    events += [f"story {c} ({label.get(c, '')}) grew by {n}" for c, n in changes.grown.items()]
    events += [f"story {m['from']} merged into {m['into']} ({label.get(m['into'], '')})" for m in changes.merged]
    events += [f"story {s['from']} split into {', '.join(map(str, s['into']))}" for s in changes.split]
    if changes.moved:
        events.append(f"{changes.moved} known articles moved between stories: {changes.reason or 'a refit'}")
    events += [f"new copy of {original_of[doc_id]}: {doc_id}" for doc_id in copies.copies_of_earlier]
    events += [f"reuse of {e.source}'s passages: {e.target} took {e.shared_words} words ({e.direction_by})"
               if e.direction_by != "none" else
               f"shared passages: {e.source} and {e.target} share {e.shared_words} words (which came first is unknown)"
               for e in new_reuse]
    return Update(changes, copies, new_reuse, events)
