"""Near-duplicate pairs and their groups on a Ray cluster, with no step that needs the corpus in
one place.

The documents come as blocks (object references). Then, one Ray task per block or partition:

1. sign (per block): shingle hashes, MinHash signatures and each document's LSH band keys; the
   keys are shuffled by hash to P bucket partitions, the block's signatures and distinct
   shingle sets stay in the object store.
2. bucket (per partition): documents sharing a band key become candidate pairs, by the local
   rules (`simtool.jobs.dedup.minhash.colliding_pairs`); each pair goes to the block of its first document.
3. attach (per block): each pair takes its first document's signature and shingle set along to
   the block of its second document (a join, so no task reads another block whole).
4. verify (per block): MinHash estimate and size bounds (`rules.could_reach`), then exact Jaccard
   and containment of the shingle sets, accepted by `rules.accepted`: the rules the local path
   applies, pair by pair, so the accepted pairs are the pairs `local.lexical_pairs` accepts with
   `all_pairs`.
5. connected components of the accepted pairs by alternating large-star and small-star steps
   (Kiveris et al., "Connected Components in MapReduce and Beyond", SoCC 2014): each step one
   shuffle of the edges by node, O(log n) rounds, ending in one star per group around its
   smallest row. The groups therefore equal the local path's exactly.

The shuffles are numpy arrays split by a hash of their key, one object per (task, partition),
rather than Ray Data's groupby, whose map_groups calls Python once per group: there are
millions of band buckets, nearly all of one document.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from simtool.engines.ray import RayEngine
from simtool.errors import Problem
from simtool.io.corpus import Corpus
from simtool.io.document import Document, parse_date
from simtool.jobs.dedup.groups import DedupResult, lexical_result
from simtool.jobs.dedup.minhash import band_keys, colliding_pairs, minhash_signatures, sorted_unique
from simtool.jobs.dedup.rules import CONTAINMENT, JACCARD, DedupSettings, accepted, body_or_title, could_reach
from simtool.text.basics import overlap_scores
from simtool.text.shingling import hash_shingles

_MIX = np.uint64(0x9E3779B97F4A7C15)


@dataclass(frozen=True)
class SignedBlock:
    """A block's signatures and distinct shingle sets (document k's set: sets[offsets[k]:offsets[k + 1]])."""

    start: int
    signatures: np.ndarray
    sets: np.ndarray
    offsets: np.ndarray

    def set_sizes(self, rows: np.ndarray) -> np.ndarray:
        local = rows - self.start
        return self.offsets[local + 1] - self.offsets[local]


def partition_of(keys: np.ndarray, parts: int) -> np.ndarray:
    """Which of `parts` partitions each (non-negative or uint64) key belongs to, by a mixing hash."""
    with np.errstate(over="ignore"):
        mixed = keys.astype(np.uint64) * _MIX
    return ((mixed >> np.uint64(33)) % np.uint64(parts)).astype(np.int64)


def scatter(parts: np.ndarray, count: int, *arrays: np.ndarray) -> list[tuple[np.ndarray, ...]]:
    """`arrays` (rows aligned) split into `count` pieces by each row's part."""
    order = np.argsort(parts, kind="stable")
    bounds = np.searchsorted(parts[order], np.arange(count + 1))
    return [tuple(a[order[bounds[p]:bounds[p + 1]]] for a in arrays) for p in range(count)]


def _gather(pieces: Sequence[tuple[np.ndarray, ...]]) -> tuple[np.ndarray, ...]:
    return tuple(np.concatenate(column) for column in zip(*pieces))


def _distinct_sets(hashes: np.ndarray, offsets: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each document's distinct shingle hashes, sorted, in one flat array with offsets."""
    counts = np.diff(offsets)
    owner = np.repeat(np.arange(len(counts)), counts)
    order = np.lexsort((hashes, owner))
    values, owner = hashes[order], owner[order]
    keep = np.r_[True, (values[1:] != values[:-1]) | (owner[1:] != owner[:-1])][:len(values)]
    values, owner = values[keep], owner[keep]
    distinct = np.zeros(len(counts) + 1, np.int64)
    np.cumsum(np.bincount(owner, minlength=len(counts)), out=distinct[1:])
    return values, distinct


def _sign(texts: list[str], start: int, settings: DedupSettings, parts: int):
    """Block -> (P pieces of (band, key, row), the SignedBlock)."""
    shingles = hash_shingles(texts, settings.shingle_size)
    signatures = minhash_signatures(shingles, settings.num_perm, settings.seed)
    sets, offsets = _distinct_sets(shingles.hashes, shingles.offsets)
    indexed = np.flatnonzero(shingles.counts() > 0)  # a text with no words is nobody's copy
    bands, rows = settings.bands_rows()
    keys = band_keys(signatures[indexed], bands, rows)
    band = np.repeat(np.arange(bands, dtype=np.int64)[None, :], len(indexed), axis=0).ravel()
    keys = keys.ravel()
    row = np.repeat(indexed + start, bands)
    with np.errstate(over="ignore"):
        bucket = partition_of(keys + band.astype(np.uint64) * _MIX, parts)
    return (*scatter(bucket, parts, band, keys, row), SignedBlock(start, signatures, sets, offsets))


def _bucket(n: int, starts: np.ndarray, *pieces):
    """Candidate pairs from the band keys of one partition -> (one piece of pairs per block, count)."""
    band, keys, rows = _gather(pieces)
    found = []
    for b in np.unique(band):
        here = band == b
        order = np.argsort(rows[here], kind="stable")  # members in row order, as the local path has them
        found.append(colliding_pairs(keys[here][order], rows[here][order], n))
    codes = sorted_unique(np.concatenate(found)) if found else np.zeros(0, np.int64)
    first, second = codes // n, codes % n
    block = np.searchsorted(starts, first, side="right") - 1
    return (*scatter(block, len(starts), first, second), len(codes))


def _attach(block: SignedBlock, n: int, starts: np.ndarray, *pieces):
    """Pairs whose first document is in `block`, with its signature and shingle set, sent on to
    the block of the second document -> (one piece per block, distinct pairs)."""
    first, second = _gather(pieces)
    codes = sorted_unique(first * n + second)  # a pair can come from several bucket partitions
    first, second = codes // n, codes % n
    local = first - block.start
    lo = block.offsets[local]
    sizes = block.offsets[local + 1] - lo
    flat = block.sets[np.repeat(lo, sizes) + _ranges(sizes)]  # the pairs' sets, pair after pair
    at = np.cumsum(sizes) - sizes
    target = np.searchsorted(starts, second, side="right") - 1
    out = []
    for chosen in (np.flatnonzero(target == b) for b in range(len(starts))):
        out.append((first[chosen], second[chosen], block.signatures[local[chosen]], sizes[chosen],
                    flat[np.repeat(at[chosen], sizes[chosen]) + _ranges(sizes[chosen])]))
    return (*out, len(codes))


def _ranges(sizes: np.ndarray) -> np.ndarray:
    """0..size-1 for each size, concatenated."""
    total = int(sizes.sum())
    if not total:
        return np.zeros(0, np.int64)
    return np.arange(total) - np.repeat(np.cumsum(sizes) - sizes, sizes)


def _verify(block: SignedBlock, settings: DedupSettings, *pieces):
    """Accepted pairs among those whose second document is in `block` -> (first, second, jaccard,
    containment)."""
    if not pieces:
        return (np.zeros(0, np.int64),) * 2 + (np.zeros(0),) * 2
    first, second, first_signatures, first_sizes, first_sets = _gather(pieces)
    local = second - block.start
    estimates = np.asarray((first_signatures == block.signatures[local]).mean(axis=1), dtype=np.float32)
    second_sizes = block.set_sizes(second)
    keep = could_reach(estimates, first_sizes, second_sizes, settings.threshold, settings.containment_threshold,
                       settings.num_perm)
    first_owner = np.repeat(np.arange(len(first)), first_sizes)
    first_sets = first_sets[keep[first_owner]]
    first, second, first_sizes, second_sizes, local = (first[keep], second[keep], first_sizes[keep],
                                                      second_sizes[keep], local[keep])
    # Shared shingles of every pair at once: both sets, tagged by pair, sorted; a value seen
    # twice within one pair is shared (each set holds a value once).
    lo = block.offsets[local]
    second_sets = block.sets[np.repeat(lo, second_sizes) + _ranges(second_sizes)]
    values = np.concatenate([first_sets, second_sets])
    owner = np.concatenate([np.repeat(np.arange(len(first)), first_sizes),
                            np.repeat(np.arange(len(first)), second_sizes)])
    order = np.lexsort((values, owner))
    values, owner = values[order], owner[order]
    twice = (values[1:] == values[:-1]) & (owner[1:] == owner[:-1])
    common = np.bincount(owner[1:][twice], minlength=len(first))
    jaccard, containment = overlap_scores(common, first_sizes, second_sizes)
    ok = accepted(jaccard, containment, settings.threshold, settings.containment_threshold)
    return first[ok], second[ok], jaccard[ok], containment[ok]


def duplicate_pairs(blocks: Sequence[tuple[Any, int]], n: int, settings: DedupSettings,
                    parts: int) -> tuple[dict[tuple[int, int], tuple[float, float]], dict[str, int]]:
    """Accepted pairs (i < j) of the documents in `blocks` ((reference to a list of texts, first
    row)), with (Jaccard, containment), and counts of what each stage handled."""
    import ray  # the `ray` extra: imported where a job runs on it

    starts = np.array([start for _, start in blocks], np.int64)
    sign = ray.remote(_sign).options(num_returns=parts + 1)
    signed: list[Any] = [sign.remote(texts, start, settings, parts) for texts, start in blocks]  # num_returns: lists
    block_refs = [refs[-1] for refs in signed]
    bucket = ray.remote(_bucket).options(num_returns=len(blocks) + 1)
    bucketed: list[Any] = [bucket.remote(n, starts, *[refs[p] for refs in signed]) for p in range(parts)]
    attach = ray.remote(_attach).options(num_returns=len(blocks) + 1)
    attached = [attach.remote(block_refs[b], n, starts, *[refs[b] for refs in bucketed]) for b in range(len(blocks))]
    verify = ray.remote(_verify)
    verified = ray.get([verify.remote(block_refs[b], settings, *[refs[b] for refs in attached])
                        for b in range(len(blocks))])
    first, second, jaccard, containment = _gather(verified)
    order = np.lexsort((second, first))
    found = {(int(i), int(j)): (float(a), float(c))
             for i, j, a, c in zip(first[order], second[order], jaccard[order], containment[order])}
    counts = {"candidates": int(sum(ray.get([refs[-1] for refs in bucketed]))),
              "distinct_candidates": int(sum(ray.get([refs[-1] for refs in attached]))),
              "accepted": len(found)}
    return found, counts


def _large_star(parts: int, *pieces):
    """Each node links its larger neighbours to the smallest of itself and its neighbours."""
    node, neighbour = _gather(pieces) if pieces else (np.zeros(0, np.int64),) * 2
    if not len(node):
        return (*[(node, node)] * parts, 0)
    order = np.lexsort((neighbour, node))
    node, neighbour = node[order], neighbour[order]
    starts = np.flatnonzero(np.r_[True, node[1:] != node[:-1]])
    smallest = np.minimum(np.minimum.reduceat(neighbour, starts), node[starts])
    smallest = np.repeat(smallest, np.diff(np.r_[starts, len(node)]))
    larger = neighbour > node
    changed = len(np.unique(node[larger & (smallest < node)]))
    # small-star reads each edge at its larger end
    return (*scatter(partition_of(neighbour[larger], parts), parts, neighbour[larger], smallest[larger]), changed)


def _small_star(parts: int, *pieces):
    """Each node and its smaller neighbours are linked to the smallest of them."""
    node, smaller = _gather(pieces) if pieces else (np.zeros(0, np.int64),) * 2
    if not len(node):
        return (*[(node, node)] * parts, 0)
    pairs = np.unique(np.stack([node, smaller], axis=1), axis=0)
    node, smaller = pairs[:, 0], pairs[:, 1]
    starts = np.flatnonzero(np.r_[True, node[1:] != node[:-1]])
    sizes = np.diff(np.r_[starts, len(node)])
    smallest = np.repeat(np.minimum.reduceat(smaller, starts), sizes)
    changed = int(np.count_nonzero(sizes > 1))
    others = smaller != smallest
    a = np.concatenate([smaller[others], node[starts]])
    b = np.concatenate([smallest[others], smallest[starts]])
    # large-star reads each edge at both ends
    ends, other = np.concatenate([a, b]), np.concatenate([b, a])
    return (*scatter(partition_of(ends, parts), parts, ends, other), changed)


def connected_components(edges: np.ndarray, parts: int) -> tuple[np.ndarray, np.ndarray]:
    """(rows, label) for every row in `edges` ((m, 2) int64): label = the smallest row of its
    component, computed by large-star / small-star rounds on Ray."""
    import ray

    if not len(edges):
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    a, b = edges[:, 0].astype(np.int64), edges[:, 1].astype(np.int64)
    ends, other = np.concatenate([a, b]), np.concatenate([b, a])
    inputs = [[ray.put(piece)] for piece in scatter(partition_of(ends, parts), parts, ends, other)]
    large = ray.remote(_large_star).options(num_returns=parts + 1)
    small = ray.remote(_small_star).options(num_returns=parts + 1)
    while True:  # each task p reads the p-th piece of every task of the step before
        stepped = [large.remote(parts, *inputs[p]) for p in range(parts)]
        inputs = [[refs[p] for refs in stepped] for p in range(parts)]
        starred = [small.remote(parts, *inputs[p]) for p in range(parts)]
        inputs = [[refs[p] for refs in starred] for p in range(parts)]
        changed = ray.get([refs[-1] for refs in stepped] + [refs[-1] for refs in starred])
        if not any(changed):
            break
    final = ray.get([ref for refs in inputs for ref in refs])
    ends, other = _gather(final)
    leaf, root = np.maximum(ends, other), np.minimum(ends, other)
    rows = np.concatenate([leaf, root])
    labels = np.concatenate([root, root])
    rows, first = np.unique(rows, return_index=True)
    return rows, labels[first]


def duplicate_pairs_on(engine: RayEngine, texts: Sequence[str], settings: DedupSettings
                       ) -> dict[tuple[int, int], tuple[float, float]]:
    """Every accepted pair of `texts`, found by the distributed steps above on `engine`'s cluster.

    All plausible candidates are verified (as the local path's `all_pairs` does): skipping
    pairs already joined needs one view of the groups, which no task has.
    """
    connected = engine.connect()
    parts = engine.partitions_for(len(texts))
    bounds = np.linspace(0, len(texts), parts + 1).astype(int)
    blocks = [(connected.put(list(texts[a:b])), int(a)) for a, b in zip(bounds[:-1], bounds[1:])]
    found, engine.last_dedup_counts = duplicate_pairs(blocks, len(texts), settings, parts)
    return found


def components_on(engine: RayEngine, edges: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """`connected_components` of `edges` on `engine`'s cluster."""
    engine.connect()
    return connected_components(np.asarray(edges, np.int64).reshape(-1, 2), engine.partitions_for(n))


def _dedup_texts(table) -> list[str]:
    return [body_or_title(text, title)
            for text, title in zip(table.column("text").to_pylist(), table.column("title").to_pylist())]


def _num_rows(table) -> int:
    return table.num_rows


def _rows_of(table, rows: list[int]) -> list[dict]:
    return table.take(rows).to_pylist()


def find_duplicates_in_dataset(engine: RayEngine, corpus, *, threshold: float = JACCARD,
                               containment_threshold: float | None = CONTAINMENT, num_perm: int = 128, seed: int = 1,
                               describe: bool = True) -> DedupResult:
    """`find_duplicates` (minhash) on a corpus read as a Ray Dataset
    (`simtool.engines.datasets.read_documents`): the pairs and groups found by the distributed
    steps above on the dataset's own blocks; only the documents in some group come to the
    driver, to describe the groups."""
    connected = engine.connect()
    tables = corpus.dataset.materialize().to_arrow_refs()
    counts = connected.get([connected.remote(_num_rows).remote(t) for t in tables])
    n = int(sum(counts))
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(int)
    texts = connected.remote(_dedup_texts)
    blocks = [(texts.remote(table), int(start)) for table, start in zip(tables, starts)]
    settings = DedupSettings("minhash", threshold, containment_threshold, None, num_perm=num_perm, seed=seed,
                             all_pairs=True)
    found, engine.last_dedup_counts = duplicate_pairs(blocks, n, settings, engine.partitions_for(corpus.count))
    rows = sorted({row for pair in found for row in pair})
    block_of = np.searchsorted(starts, rows, side="right") - 1
    take = connected.remote(_rows_of)
    fetched = connected.get([take.remote(tables[b], [r - int(starts[b]) for r, o in zip(rows, block_of) if o == b])
                             for b in sorted(set(block_of.tolist()))])
    members = [Document(id=r["id"], text=r["text"], title=r["title"] or "", date=parse_date(r["date"]),
                        source=r["source"], url=r["url"], origin=r["origin"] or "")
               for block in fetched for r in block]
    position = {row: k for k, row in enumerate(rows)}
    lexical = {(position[i], position[j]): scores for (i, j), scores in found.items()}
    return lexical_result(Corpus(members), lexical, lambda edges, size: components_on(engine, edges, size),
                          describe, settings, n)


def write_member_shards(result: DedupResult, directory: str | os.PathLike[str]) -> int:
    """Every group member as Parquet (id, group, canonical, jaccard, containment) in `directory`,
    replacing the member shards written there before; how many members."""
    import pyarrow as pa

    from simtool.vectors.shards import replacing, write_shard

    members = [(number, group.canonical, member) for number, group in enumerate(result.groups)
               for member in group.details]
    with replacing(directory):
        write_shard(directory, pa.table({
            "id": pa.array([m.id for _, _, m in members], pa.string()),
            "group": pa.array([n for n, _, _ in members], pa.int32()),
            "canonical": pa.array([c for _, c, _ in members], pa.string()),
            "jaccard": pa.array([m.jaccard for _, _, m in members], pa.float32()),
            "containment": pa.array([m.containment for _, _, m in members], pa.float32())}), prefix="duplicates")
    return len(members)


@dataclass(frozen=True)
class FileDuplicates:
    """`find_duplicates_in_files`' result: the groups, how many members were written where, and
    the records skipped while reading."""

    result: DedupResult
    members: int
    directory: str
    problems: list[Problem] = field(default_factory=list)

    def to_json(self) -> list[Any]:
        """As `dedup --engine ray --shards DIR --json` prints it: the groups, as `dedup --json`."""
        return self.result.to_json()


def find_duplicates_in_files(paths: Sequence[str | os.PathLike[str]], engine: RayEngine,
                             directory: str | os.PathLike[str], *, threshold: float = JACCARD,
                             containment_threshold: float | None = CONTAINMENT, clean: bool = True,
                             strict: bool = False, text_field: str | None = None, id_field: str | None = None,
                             on_read: Callable[[list[Problem]], None] | None = None) -> FileDuplicates:
    """`dedup --engine ray --shards DIR`: the corpus in `paths` read and compared on the cluster
    (`find_duplicates_in_dataset`), every group member written to `directory`
    (`write_member_shards`). `on_read` is told the skipped records as soon as reading ends."""
    read = engine.read_documents(paths, clean=clean, strict=strict, text_field=text_field, id_field=id_field)
    if on_read is not None:
        on_read(read.problems)
    result = find_duplicates_in_dataset(engine, read, threshold=threshold, containment_threshold=containment_threshold)
    members = write_member_shards(result, directory)
    return FileDuplicates(result, members, str(directory), read.problems)
