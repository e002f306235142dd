"""Near-duplicate groups kept up to date as a corpus grows (`dedup --state DIR`).

The state holds each document's id and text hash, its MinHash signature (DIR/dedup-signatures-*.npy,
rows in the order of DIR/dedup.json's documents) and the pairs confirmed so far. A later run over
the corpus plus new articles shingles and signs the new ones only, looks for LSH candidates
among all signatures, and verifies exactly only the candidates with a new article; the groups
are the connected components of the old and new confirmed pairs. The rules, bands and seeds are
the batch path's, so the groups are the groups `find_duplicates` gives on the whole corpus: LSH
buckets a pair by its two signatures alone, whichever run signed them. A document whose text
changed counts as new (and its old pairs are dropped). The state is written atomically
(`simtool.state.write_state_with_data`).
"""

from __future__ import annotations

import io
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from simtool.errors import InputError
from simtool.io.corpus import Corpus
from simtool.jobs.dedup import local
from simtool.jobs.dedup.groups import DedupResult, DuplicatePair, grouped
from simtool.jobs.dedup.minhash import estimated_jaccard, lsh_candidate_pairs, minhash_signatures
from simtool.jobs.dedup.rules import (
    CONTAINMENT,
    JACCARD,
    DedupSettings,
    accepted,
    check_settings,
    could_reach,
    dedup_text,
    lowest_candidate_jaccard,
)
from simtool.state import checked_state, state_lock, write_state_with_data
from simtool.text.basics import SHINGLE_SIZE, text_key
from simtool.text.shingling import RowOverlap, hash_shingles

STATE_FILE = "dedup.json"
STATE_VERSION = 1


@dataclass(frozen=True)
class DedupChanges:
    """What a run with a state found: new documents, those that are copies of earlier ones, and
    the groups they made or joined (by canonical id)."""

    mode: str                                   # "first run" or "update"
    new_documents: int = 0
    removed_documents: int = 0
    verified_pairs: int = 0                     # candidate pairs verified in this run
    copies_of_earlier: list[str] = field(default_factory=list)  # new documents in a group with a known one
    grown: dict[str, int] = field(default_factory=dict)         # canonical -> new members
    new_groups: int = 0
    known_documents: tuple[str, ...] = ()       # the ids the state held before this run (for naming originals)


def _is_state(state: Any) -> bool:
    return (isinstance(state, dict) and state.get("version") == STATE_VERSION and isinstance(state.get("settings"), dict)
            and isinstance(state.get("data"), str) and isinstance(state.get("documents"), list)
            and all(isinstance(d, list) and len(d) == 2 and all(isinstance(x, str) for x in d) for d in state["documents"])
            and isinstance(state.get("nonempty"), list) and len(state["nonempty"]) == len(state["documents"])
            and isinstance(state.get("pairs"), list)
            and all(isinstance(p, list) and len(p) == 2 and all(isinstance(x, str) for x in p) for p in state["pairs"]))


def _read_state(directory: Path, settings: dict[str, Any]) -> tuple[dict[str, Any], np.ndarray] | None:
    path = directory / STATE_FILE
    if not path.exists():
        return None
    state = checked_state(path, _is_state, "dedup")
    try:
        signatures = np.load(directory / Path(state["data"]).name, allow_pickle=False)
        if signatures.ndim != 2 or len(signatures) != len(state["documents"]):
            raise ValueError("its signatures do not match its documents")
    except (ValueError, OSError) as exc:
        raise InputError(f"{path}: cannot read the dedup state ({exc}); remove the folder to start again") from None
    if state["settings"] != settings:
        raise InputError(f"{directory}: the state was made with {state['settings']}; this run asks for {settings}: "
                         "use another --state folder for other settings")
    return state, signatures


def find_duplicates_with_state(corpus: Corpus, directory: Path, *, threshold: float = JACCARD,
                               containment_threshold: float | None = CONTAINMENT, num_perm: int = 128, seed: int = 1,
                               describe: bool = True) -> tuple[DedupResult, DedupChanges]:
    """Groups of near-duplicates of `corpus`, updated from the state in `directory` (see the module)."""
    with state_lock(directory):
        return _find_duplicates_with_state(corpus, directory, threshold, containment_threshold, num_perm, seed,
                                           describe)


def _find_duplicates_with_state(corpus: Corpus, directory: Path, threshold: float, containment_threshold: float | None,
                                num_perm: int, seed: int, describe: bool) -> tuple[DedupResult, DedupChanges]:
    check_settings("minhash", threshold, containment_threshold)
    settings = {"threshold": threshold, "containment_threshold": containment_threshold, "num_perm": num_perm,
                "seed": seed, "shingle_size": SHINGLE_SIZE}
    found = _read_state(directory, settings)
    texts = [dedup_text(doc) for doc in corpus]
    keys = [text_key(text) for text in texts]
    n = len(corpus)
    signatures = np.zeros((n, num_perm), np.uint32)
    nonempty = np.zeros(n, bool)
    known_rows = np.zeros(n, bool)
    old_pairs: list[tuple[str, str]] = []
    known_ids: set[str] = set()
    if found is not None:
        state, old_signatures = found
        row_of = {doc_id: k for k, (doc_id, _) in enumerate(state["documents"])}
        key_of = dict(state["documents"])
        for row, (doc, key) in enumerate(zip(corpus, keys)):
            old = row_of.get(doc.id)
            if old is not None and key_of[doc.id] == key:
                signatures[row] = old_signatures[old]
                nonempty[row] = state["nonempty"][old]
                known_rows[row] = True
        known_ids = {doc.id for doc, known in zip(corpus, known_rows) if known}
        old_pairs = [(a, b) for a, b in state["pairs"] if a in known_ids and b in known_ids]
    new_rows = np.flatnonzero(~known_rows)
    if len(new_rows):
        shingled = hash_shingles([texts[r] for r in new_rows.tolist()])
        signatures[new_rows] = minhash_signatures(shingled, num_perm, seed)
        nonempty[new_rows] = shingled.counts() > 0
    candidates = lsh_candidate_pairs(signatures, lowest_candidate_jaccard(threshold, containment_threshold),
                                     include=nonempty)
    candidates = candidates[~known_rows[candidates[:, 0]] | ~known_rows[candidates[:, 1]]]
    row_of_id = {doc.id: row for row, doc in enumerate(corpus)}
    old_rows = [(row_of_id[a], row_of_id[b]) for a, b in old_pairs]
    overlap = RowOverlap(texts, {r for pair in candidates.tolist() for r in pair} | {r for p in old_rows for r in p},
                         SHINGLE_SIZE)
    confirmed: dict[tuple[int, int], DuplicatePair] = {}
    if len(candidates):
        estimates = estimated_jaccard(signatures, candidates)
        sizes = {r: overlap.shared(r, r)[1] for r in np.unique(candidates).tolist()}
        keep = could_reach(estimates, np.array([sizes[a] for a in candidates[:, 0].tolist()], np.float64),
                           np.array([sizes[b] for b in candidates[:, 1].tolist()], np.float64), threshold,
                           containment_threshold, num_perm)
        for i, j in candidates[keep].tolist():
            jaccard, containment = overlap(i, j)
            if accepted(jaccard, containment, threshold, containment_threshold):
                confirmed[(i, j)] = DuplicatePair(corpus.ids[i], corpus.ids[j], round(jaccard, 4),
                                                  round(containment, 4), None, "minhash")
    verified = int(len(candidates))
    for i, j in old_rows:
        a, b = min(i, j), max(i, j)
        jaccard, containment = overlap(a, b)
        confirmed[(a, b)] = DuplicatePair(corpus.ids[a], corpus.ids[b], round(jaccard, 4), round(containment, 4),
                                          None, "minhash")
    confirmed = dict(sorted(confirmed.items()))
    groups = grouped(corpus, confirmed, overlap, describe, local.components)
    dedup_settings = DedupSettings("minhash", threshold, containment_threshold, None, SHINGLE_SIZE, num_perm, seed,
                                   True, None)
    result = DedupResult(groups, list(confirmed.values()), n, dedup_settings)
    changes = _changes(found is None, corpus, known_ids, groups, verified,
                       0 if found is None else sum(1 for doc_id, _ in found[0]["documents"] if doc_id not in row_of_id))
    _write_state(directory, corpus, keys, signatures, nonempty, confirmed, settings)
    return result, changes


def _changes(first: bool, corpus: Corpus, known: set[str], groups, verified: int, removed: int) -> DedupChanges:
    new = [doc.id for doc in corpus if doc.id not in known]
    copies: list[str] = []
    grown: Counter[str] = Counter()
    fresh = 0
    for group in groups:
        members_new = [m for m in group.members if m not in known]
        if len(members_new) == len(group.members):
            fresh += 1
        elif members_new:
            copies += members_new
            grown[group.canonical] += len(members_new)
    return DedupChanges("first run" if first else "update", len(new), removed, verified, sorted(copies),
                        dict(sorted(grown.items())), fresh, tuple(sorted(known)))


def _write_state(directory: Path, corpus: Corpus, keys: list[str], signatures: np.ndarray, nonempty: np.ndarray,
                 confirmed: dict[tuple[int, int], DuplicatePair], settings: dict[str, Any]) -> None:
    buffer = io.BytesIO()
    np.save(buffer, signatures, allow_pickle=False)
    state = {"version": STATE_VERSION, "settings": settings,
             "documents": [[doc.id, key] for doc, key in zip(corpus, keys)],
             "nonempty": nonempty.tolist(), "pairs": [[pair.a, pair.b] for pair in confirmed.values()]}
    write_state_with_data(directory, STATE_FILE, state, buffer.getvalue(), "dedup-signatures", ".npy")
