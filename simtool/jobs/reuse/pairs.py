"""The two costly steps of finding reuse, the same on either engine: each article's winnowed
fingerprints, the candidate pairs they give, and the exact alignment of those pairs."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from simtool.jobs.reuse.passages import Passage, WordReader, Words, fingerprints, shared_passages

# A fingerprint found in more articles than this links each article to the MAX_POSTINGS earliest
# of them only: a story carried by hundreds of outlets is compared with its earliest copies, not
# every copy with every other (which would grow with the square of the outlets).
MAX_POSTINGS = 50


def article_fingerprints(texts: Sequence[str], window: int, min_words: int) -> tuple[list[np.ndarray], list[int]]:
    """Each text's winnowed fingerprints (none for a text shorter than `min_words` words), and
    its number of words."""
    reader = WordReader()
    found, lengths = [], []
    for text in texts:
        words = reader.read(text)
        found.append(fingerprints(words.ngrams, window) if len(words) >= min_words else np.zeros(0, np.uint64))
        lengths.append(len(words))
    return found, lengths


def candidate_pairs(prints: Sequence[np.ndarray], order: Sequence[int], max_postings: int = MAX_POSTINGS
                    ) -> list[tuple[int, int]]:
    """Pairs of rows (earlier in `order` first) sharing a fingerprint. Where a fingerprint is in
    more than `max_postings` articles, each is paired with the `max_postings` earliest only."""
    rank = np.empty(len(order), np.int64)
    rank[np.asarray(order, dtype=np.int64)] = np.arange(len(order))
    sizes = np.fromiter((len(p) for p in prints), np.int64, len(prints))
    if sizes.sum() == 0:
        return []
    values = np.concatenate(prints)
    owners = np.repeat(np.arange(len(prints)), sizes)
    sort = np.lexsort((rank[owners], values))
    values, owners = values[sort], owners[sort]
    bounds = np.flatnonzero(np.diff(values)) + 1
    starts, ends = np.append(0, bounds), np.append(bounds, len(values))
    pairs: set[tuple[int, int]] = set()
    for start, end in zip(starts[ends - starts >= 2].tolist(), ends[ends - starts >= 2].tolist()):
        members = owners[start:end].tolist()  # earliest first
        for k in range(1, len(members)):
            for earlier in members[:min(k, max_postings)]:
                pairs.add((earlier, members[k]))
    return sorted(pairs)


def align_pairs(texts: Sequence[str] | Mapping[int, str], pairs: Sequence[tuple[int, int]], min_words: int,
                words: dict[int, Words] | None = None) -> dict[tuple[int, int], list[Passage]]:
    """The passages of each pair (first row as the source side) that has any. `words`, if
    given, keeps each article's words as read (for the caller to reuse)."""
    reader = WordReader()
    words = {} if words is None else words
    found = {}
    for a, b in pairs:
        for row in (a, b):
            if row not in words:
                words[row] = reader.read(texts[row])
        passages = shared_passages(words[a], words[b], min_words)
        if passages:
            found[(a, b)] = passages
    return found
