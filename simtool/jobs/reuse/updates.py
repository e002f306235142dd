"""Reuse kept up to date as a corpus grows (`reuse --state DIR`).

The state holds each article's id, text hash, word count and winnowed fingerprints, and the
pairs that shared passages. A later run over the corpus plus new articles fingerprints only the
new ones, takes the candidate pairs from all fingerprints and aligns them (a fingerprint in many
articles pairs each with the earliest only, which depends on the whole corpus), so the pairs are
those `find_reuse` finds on everything; directions, families and outlets are worked out afresh. Files are written
under content names before the state that names them (`simtool.state.write_state_with_data`), so
a killed run leaves the previous state.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import numpy as np

from simtool.errors import InputError
from simtool.io.corpus import Corpus
from simtool.jobs.reuse.find import MIN_WORDS, ReuseResult, ReuseSettings, check_min_words, compared_text, reuse_result
from simtool.jobs.reuse.pairs import MAX_POSTINGS, align_pairs, article_fingerprints, candidate_pairs
from simtool.jobs.reuse.passages import SEED_WORDS, Words, window_for
from simtool.state import checked_state, state_lock, write_state_with_data
from simtool.text.basics import text_key

STATE_FILE = "reuse.json"
STATE_VERSION = 1


def _is_state(state: Any) -> bool:
    return (isinstance(state, dict) and state.get("version") == STATE_VERSION and isinstance(state.get("settings"), dict)
            and isinstance(state.get("data"), str) and isinstance(state.get("documents"), list)
            and all(isinstance(d, list) and len(d) == 3 and isinstance(d[0], str) and isinstance(d[1], str)
                    and isinstance(d[2], int) for d in state["documents"])
            and isinstance(state.get("pairs"), list)
            and all(isinstance(p, list) and len(p) == 2 and all(isinstance(x, str) for x in p) for p in state["pairs"]))


def _read(directory: Path, settings: dict) -> tuple[dict, list[np.ndarray]] | None:
    path = directory / STATE_FILE
    if not path.exists():
        return None
    state = checked_state(path, _is_state, "reuse")
    try:
        with np.load(directory / Path(state["data"]).name, allow_pickle=False) as stored:
            values, offsets = stored["values"], stored["offsets"]
        if len(offsets) != len(state["documents"]) + 1:
            raise ValueError("fingerprints and documents disagree")
    except (ValueError, OSError, KeyError) as exc:
        raise InputError(f"{path}: cannot read the reuse state ({exc}); remove the folder to start again") from None
    if state["settings"] != settings:
        raise InputError(f"{directory}: the state was made with {state['settings']}; this run asks for {settings}: "
                         "use another --state folder for other settings")
    return state, [values[offsets[k]:offsets[k + 1]] for k in range(len(offsets) - 1)]


def find_reuse_with_state(corpus: Corpus, directory: Path, *, min_words: int = MIN_WORDS,
                          describe: bool = True) -> tuple[ReuseResult, int]:
    """`find_reuse` of `corpus`, fingerprinting only the articles the state in `directory` does
    not hold; also the number of new articles."""
    with state_lock(directory):
        return _find_reuse_with_state(corpus, directory, min_words, describe)


def _find_reuse_with_state(corpus: Corpus, directory: Path, min_words: int, describe: bool) -> tuple[ReuseResult, int]:
    check_min_words(min_words)
    settings = {"min_words": min_words, "seed_words": SEED_WORDS, "max_postings": MAX_POSTINGS}
    docs = corpus.documents
    texts = [compared_text(doc) for doc in docs]
    keys = [text_key(text) for text in texts]
    found = _read(directory, settings)
    prints: list[np.ndarray] = [np.zeros(0, np.uint64)] * len(docs)
    lengths = [0] * len(docs)
    known = np.zeros(len(docs), bool)
    if found is not None:
        state, old_prints = found
        at = {doc_id: (k, key, length) for k, (doc_id, key, length) in enumerate(state["documents"])}
        for row, (doc, key) in enumerate(zip(docs, keys)):
            old = at.get(doc.id)
            if old is not None and old[1] == key:
                prints[row], lengths[row], known[row] = old_prints[old[0]], old[2], True
    new_rows = np.flatnonzero(~known).tolist()
    window = window_for(min_words)
    fresh, fresh_lengths = article_fingerprints([texts[r] for r in new_rows], window, min_words)
    for row, value, length in zip(new_rows, fresh, fresh_lengths):
        prints[row], lengths[row] = value, length
    order = sorted(range(len(docs)), key=lambda row: (docs[row].date is None, docs[row].date or 0, row))
    # Every candidate pair, as a run on everything makes them: a fingerprint in many articles pairs
    # each with the earliest only, and which are earliest depends on the whole corpus.
    pairs = candidate_pairs(prints, order)
    words: dict[int, Words] = {}
    aligned = dict(sorted(align_pairs(texts, pairs, min_words, words).items()))
    result = reuse_result(docs, texts, lengths, aligned, ReuseSettings(min_words, SEED_WORDS, window, MAX_POSTINGS,
                                                                       len(pairs)), describe, words)
    _write(directory, docs, keys, lengths, prints, aligned, settings)
    return result, len(new_rows)


def _write(directory: Path, docs, keys, lengths, prints, aligned, settings) -> None:
    buffer = io.BytesIO()
    offsets = np.zeros(len(prints) + 1, np.int64)
    np.cumsum([len(p) for p in prints], out=offsets[1:])
    np.savez(buffer, values=np.concatenate(prints) if prints else np.zeros(0, np.uint64), offsets=offsets)
    state = {"version": STATE_VERSION, "settings": settings,
             "documents": [[doc.id, key, length] for doc, key, length in zip(docs, keys, lengths)],
             "pairs": [[docs[a].id, docs[b].id] for a, b in aligned]}
    write_state_with_data(directory, STATE_FILE, state, buffer.getvalue(), "reuse-fingerprints", ".npz")
