"""Word shingles of many documents as 64-bit hashes: tokenised in Rust, combined in numpy.

Near-duplicate detection looks at every shingle of every document: 18 million of them in 50,000
news articles. As Python strings they cost about 0.7 µs and 80 bytes each, which made shingling
most of dedup's time. Here polars tokenises with the same word pattern as `simtool.text.basics.words`
(Rust's regex, on both cores) and hashes each token; numpy combines each run of `size` token
hashes into one shingle hash, 8 bytes a shingle. Two different shingles share a hash with
probability 2^-64, so overlaps computed on hashes are exact for any corpus that fits a disk.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import polars as pl

from simtool.text.basics import SHINGLE_SIZE, WORD_PATTERN, comparable, overlap_scores

_TOKEN_SEED = 0x5EED
_FINAL_MULTIPLIER = np.uint64(0x94D049BB133111EB)  # splitmix64's finaliser


def position_multipliers(size: int) -> np.ndarray:
    """One odd 64-bit multiplier per position in a shingle (splitmix64's stream), so "a b" and
    "b a" hash apart."""
    mask, state, multipliers = (1 << 64) - 1, 0, []
    for _ in range(size):
        state = (state + 0x9E3779B97F4A7C15) & mask
        z = ((state ^ (state >> 30)) * 0xBF58476D1CE4E5B9) & mask
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & mask
        multipliers.append((z ^ (z >> 31)) | 1)
    return np.array(multipliers, dtype=np.uint64)


@dataclass(frozen=True)
class ShingleHashes:
    """Every document's shingle hashes, document after document.

    Document i's hashes are hashes[offsets[i]:offsets[i + 1]], in text order (a shingle that
    recurs in a document recurs here). A document shorter than `size` words is one shingle;
    a document with no words has none.
    """

    hashes: np.ndarray   # uint64
    offsets: np.ndarray  # int64, one more than there are documents
    size: int

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def counts(self) -> np.ndarray:
        """Shingles per document (repeats included)."""
        return np.diff(self.offsets)

    def row(self, i: int) -> np.ndarray:
        """Document i's shingle hashes."""
        return self.hashes[self.offsets[i]:self.offsets[i + 1]]


def hash_shingles(texts: Sequence[str], size: int = SHINGLE_SIZE, *, chunk_size: int = 10_000) -> ShingleHashes:
    """Shingle hashes of `texts` (lower-cased word `size`-grams), `chunk_size` texts at a time."""
    if size < 1:
        raise ValueError(f"shingle size must be at least 1; got {size!r}")
    multipliers = position_multipliers(size)
    parts, counts = [], []
    for start in range(0, len(texts), chunk_size):
        hashes, per_text = _hash_chunk(texts[start:start + chunk_size], size, multipliers)
        parts.append(hashes)
        counts.append(per_text)
    count = np.concatenate(counts) if counts else np.zeros(0, np.int64)
    offsets = np.zeros(len(count) + 1, np.int64)
    np.cumsum(count, out=offsets[1:])
    return ShingleHashes(np.concatenate(parts) if parts else np.zeros(0, np.uint64), offsets, size)


def _hash_chunk(texts: Sequence[str], size: int, multipliers: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    tokens = (pl.LazyFrame({"text": pl.Series([comparable(t) for t in texts], dtype=pl.String)})
              .select(pl.col("text").str.to_lowercase().str.extract_all(WORD_PATTERN))
              .collect().to_series())
    lengths = tokens.list.len().fill_null(0).to_numpy().astype(np.int64)
    token_hashes = tokens.explode().drop_nulls().hash(seed=_TOKEN_SEED).to_numpy()
    n = len(token_hashes)
    ends = np.cumsum(lengths)
    starts = ends - lengths

    # shingle starting at token p: sum over m of hash[p + m] * multiplier[m], then mixed.
    combined = token_hashes * multipliers[0]
    scratch = np.empty_like(combined)
    with np.errstate(over="ignore"):
        for m in range(1, min(size, n)):
            np.multiply(token_hashes[m:], multipliers[m], out=scratch[:n - m])
            combined[:n - m] += scratch[:n - m]
        # A text shorter than `size` words is one shingle of the words it has: take back what
        # the sum above added from the texts after it.
        short = (lengths > 0) & (lengths < size)
        for m in range(1, size):
            first = starts[short & (lengths <= m)]
            first = first[first + m < n]
            combined[first] -= token_hashes[first + m] * multipliers[m]
        mix(combined, scratch)

    # Keep shingles that start early enough to end inside their own text.
    keep = np.ones(n, bool)
    shingle_count = np.where(lengths >= size, lengths - size + 1, np.minimum(lengths, 1))
    for m in range(1, size):
        tail = lengths >= m + 1
        keep[ends[tail] - m] = False
    return combined[keep], shingle_count


def mix(values: np.ndarray, scratch: np.ndarray) -> None:
    """splitmix64's finaliser in place, so combined hashes are uniform again."""
    np.right_shift(values, np.uint64(31), out=scratch)
    values ^= scratch
    values *= _FINAL_MULTIPLIER
    np.right_shift(values, np.uint64(29), out=scratch)
    values ^= scratch


@dataclass
class ShingleOverlap:
    """Exact Jaccard and containment between documents' shingle sets, from their hashes.

    Each document's distinct hashes are sorted once, when first asked for, so a pair costs
    one binary search of the smaller set in the larger.
    """

    shingles: ShingleHashes
    _sorted: dict[int, np.ndarray] = field(default_factory=dict, repr=False)

    def distinct(self, i: int) -> np.ndarray:
        """Document i's distinct shingle hashes, sorted."""
        found = self._sorted.get(i)
        if found is None:
            # sort and drop repeats: for a few hundred values this is several times faster than np.unique
            ordered = np.sort(self.shingles.row(i))
            first = np.ones(len(ordered), bool)
            np.not_equal(ordered[1:], ordered[:-1], out=first[1:])
            found = self._sorted[i] = ordered[first]
        return found

    def size(self, i: int) -> int:
        """How many distinct shingles document i has."""
        return len(self.distinct(i))

    def shared(self, i: int, j: int) -> tuple[int, int, int]:
        """(shingles in common, distinct shingles of i, distinct shingles of j)."""
        a, b = self.distinct(i), self.distinct(j)
        small, large = (a, b) if len(a) <= len(b) else (b, a)
        if not len(small):
            return 0, len(a), len(b)
        at = large.searchsorted(small)
        np.minimum(at, len(large) - 1, out=at)
        return int(np.count_nonzero(large[at] == small)), len(a), len(b)

    def __call__(self, i: int, j: int) -> tuple[float, float]:
        """(Jaccard, containment) of documents i and j; containment is the share of the smaller set."""
        return overlap_scores(*self.shared(i, j))

    def against(self, i: int, others: Sequence[int]) -> list[tuple[float, float]]:
        """(Jaccard, containment) of document i with each of `others`, in one search."""
        base = self.distinct(i)
        rows = [self.distinct(j) for j in others]
        sizes = np.array([len(row) for row in rows], dtype=np.int64)
        common: np.ndarray = np.zeros(len(rows))
        if len(base) and sizes.sum():
            values = np.concatenate(rows)
            at = base.searchsorted(values)
            np.minimum(at, len(base) - 1, out=at)
            owner = np.repeat(np.arange(len(rows)), sizes)
            common = np.bincount(owner, weights=base[at] == values, minlength=len(rows))
        jaccard, containment = overlap_scores(common, np.full(len(rows), len(base)), sizes)
        return list(zip(jaccard.tolist(), containment.tolist()))


class RowOverlap:
    """`ShingleOverlap` over some rows of a corpus, addressed by corpus row: the shingles of the
    documents a job reports on, without shingling the rest again."""

    def __init__(self, texts: Sequence[str], rows: Iterable[int], size: int) -> None:
        ordered = sorted(rows)
        self._position = {row: k for k, row in enumerate(ordered)}
        self._overlap = ShingleOverlap(hash_shingles([texts[row] for row in ordered], size))

    def __call__(self, i: int, j: int) -> tuple[float, float]:
        return self._overlap(self._position[i], self._position[j])

    def shared(self, i: int, j: int) -> tuple[int, int, int]:
        """(shingles in common, distinct shingles of i, distinct shingles of j)."""
        return self._overlap.shared(self._position[i], self._position[j])

    def against(self, i: int, others: Sequence[int]) -> list[tuple[float, float]]:
        return self._overlap.against(self._position[i], [self._position[j] for j in others])
