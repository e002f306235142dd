"""MinHash signatures and LSH banding over whole corpora at once.

Signatures come from rensa (a maintained Rust MinHash) straight from the flat shingle-hash
buffer, with no Python object per shingle. Banding is done here, in numpy, rather than in
rensa's or datasketch's LSH index: those answer one query per document through Python objects,
while near-duplicate detection wants every colliding pair at once, which one sort per band
gives (Leskovec, Rajaraman and Ullman, "Mining of Massive Datasets", ch. 3.4).
"""

from __future__ import annotations

import numpy as np

from simtool.text.shingling import ShingleHashes

# A bucket with more documents than this (thousands of near-identical pages) contributes a
# chain and a star instead of all its pairs: still connected, no longer quadratic.
MAX_BUCKET_PAIRS_SIZE = 500
# The chance that LSH proposes a pair at the lowest Jaccard asked for.
LSH_RECALL = 0.9999


def minhash_signatures(shingles: ShingleHashes, num_perm: int = 128, seed: int = 1,
                       chunk_size: int = 10_000) -> np.ndarray:
    """One row of `num_perm` 32-bit minima per document (all 2^32 - 1 for a document with no shingles)."""
    from rensa import RMinHash

    rows = []
    for start in range(0, len(shingles), chunk_size):
        stop = min(start + chunk_size, len(shingles))
        lo, hi = shingles.offsets[start], shingles.offsets[stop]
        matrix = RMinHash.digest_matrix_from_flat_token_hashes(
            shingles.hashes[lo:hi], shingles.offsets[start:stop + 1] - lo, num_perm, seed)
        rows.append(np.array(matrix.to_rows(), dtype=np.uint32).reshape(stop - start, num_perm))
    return np.concatenate(rows) if rows else np.zeros((0, num_perm), np.uint32)


def lsh_parameters(jaccard: float, num_perm: int, recall: float = LSH_RECALL) -> tuple[int, int]:
    """(bands, rows per band) that make a pair at `jaccard` a candidate with probability >= `recall`.

    A pair at Jaccard J collides in at least one of b bands of r rows with probability
    1 - (1 - J^r)^b. The longest bands that still reach `recall` at `jaccard` let through the
    fewest dissimilar pairs; rows left over (num_perm not a multiple of r) go unused.
    """
    for rows in range(num_perm, 0, -1):
        bands = num_perm // rows
        if 1.0 - (1.0 - jaccard ** rows) ** bands >= recall:
            return bands, rows
    return num_perm, 1


def lsh_candidate_pairs(signatures: np.ndarray, jaccard: float,
                        include: np.ndarray | None = None) -> np.ndarray:
    """Pairs (i < j), as an (m, 2) array, whose signatures agree on all rows of some band.

    jaccard: the lowest Jaccard to be found; a pair there is missed with probability at most
        1 - LSH_RECALL, a pair above it less often still (see `lsh_parameters`).
    include: a boolean mask of the documents to index (e.g. those with any shingle).
    """
    n, num_perm = signatures.shape
    indexed = np.arange(n) if include is None else np.flatnonzero(include)
    if len(indexed) < 2:
        return np.zeros((0, 2), np.int64)
    bands, rows = lsh_parameters(jaccard, num_perm)
    keys = band_keys(signatures[indexed], bands, rows)
    found = [colliding_pairs(keys[:, band], indexed, n) for band in range(bands)]
    pairs = sorted_unique(np.concatenate(found))
    return np.stack([pairs // n, pairs % n], axis=1)


def sorted_unique(values: np.ndarray) -> np.ndarray:
    """`values` sorted, each once (for millions of pair codes ~10x faster than np.unique's hashing)."""
    values = np.sort(values)
    return values[np.r_[True, values[1:] != values[:-1]][:len(values)]]


def band_keys(signatures: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """(documents, bands) uint64: each band's `rows` signature rows folded into one 64-bit key.

    The multipliers are odd; a key wrongly shared by two bands' contents only adds a candidate,
    which verification then rejects.
    """
    weights = (np.arange(1, rows + 1, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15)) | np.uint64(1)
    keys = np.empty((len(signatures), bands), np.uint64)
    for band in range(bands):
        block = signatures[:, band * rows:(band + 1) * rows].astype(np.uint64)
        with np.errstate(over="ignore"):
            keys[:, band] = (block * weights).sum(axis=1, dtype=np.uint64)
    return keys


def colliding_pairs(keys: np.ndarray, documents: np.ndarray, n: int) -> np.ndarray:
    """Every pair of documents sharing a key, encoded as i * n + j with i < j.

    `documents` in ascending order: a bucket's star and chain (past MAX_BUCKET_PAIRS_SIZE) then
    run through its members in that order, wherever the bucket is formed.
    """
    order = np.argsort(keys, kind="stable")
    sorted_keys = keys[order]
    starts = np.flatnonzero(np.r_[True, sorted_keys[1:] != sorted_keys[:-1]])
    sizes = np.diff(np.r_[starts, len(keys)])
    members = documents[order]
    encoded = []
    for size in np.unique(sizes[sizes > 1]):
        first = starts[sizes == size]
        if size <= MAX_BUCKET_PAIRS_SIZE:
            left, right = np.triu_indices(size, 1)
        else:  # star from the first member plus a chain through the rest
            left = np.r_[np.zeros(size - 1, np.int64), np.arange(1, size - 1)]
            right = np.r_[np.arange(1, size), np.arange(2, size)]
        a = members[(first[:, None] + left).ravel()]
        b = members[(first[:, None] + right).ravel()]
        encoded.append(np.minimum(a, b) * n + np.maximum(a, b))
    return np.concatenate(encoded) if encoded else np.zeros(0, np.int64)


def estimated_jaccard(signatures: np.ndarray, pairs: np.ndarray, chunk_size: int = 100_000) -> np.ndarray:
    """MinHash's Jaccard estimate for each pair: the share of signature rows that agree."""
    estimates = np.empty(len(pairs), np.float32)
    for start in range(0, len(pairs), chunk_size):
        a, b = pairs[start:start + chunk_size].T
        estimates[start:start + chunk_size] = (signatures[a] == signatures[b]).mean(axis=1)
    return estimates


def jaccard_upper_bound(estimates: np.ndarray, num_perm: int, sigmas: float = 5.0) -> np.ndarray:
    """A Jaccard each pair's true value exceeds only with probability ~3e-7 (at 5 sigmas).

    The estimate's standard error is sqrt(J(1 - J) / num_perm). Taking it at the estimate when
    that is above 0.5, and at its largest (J = 0.5) otherwise, bounds it for every true J above
    the estimate, so a pair cut by this bound is one LSH would rarely have let through anyway.
    """
    variance = np.where(estimates < 0.5, 0.25, estimates * (1.0 - estimates))
    return np.minimum(1.0, estimates + sigmas * np.sqrt(variance / num_perm))
