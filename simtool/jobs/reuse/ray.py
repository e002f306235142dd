"""The two costly steps of `find_reuse` as Ray tasks: fingerprinting blocks of articles, and
aligning blocks of candidate pairs. The tasks call the functions the local path calls, so the
result is the same; the candidate pairs (a sort of the fingerprints) and the lineage are made
on the driver, from the fingerprints and passages the tasks return."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from simtool.engines.ray import RayEngine
from simtool.jobs.reuse.pairs import align_pairs, article_fingerprints
from simtool.jobs.reuse.passages import Passage


def _fingerprint_block(texts: Sequence[str], window: int, min_words: int) -> tuple[list[np.ndarray], list[int]]:
    return article_fingerprints(texts, window, min_words)


def _align_block(texts: dict[int, str], pairs: list[tuple[int, int]], min_words: int
                 ) -> dict[tuple[int, int], list[Passage]]:
    return align_pairs(texts, pairs, min_words)


def fingerprints_on(engine: RayEngine, texts: Sequence[str], window: int, min_words: int
                    ) -> tuple[list[np.ndarray], list[int]]:
    """`article_fingerprints` of `texts`, a block of articles per task."""
    if not texts:
        return [], []
    ray = engine.connect()
    parts = max(1, min(engine.partitions_for(len(texts)), len(texts)))
    bounds = np.linspace(0, len(texts), parts + 1).astype(int)
    task = ray.remote(_fingerprint_block)
    done = ray.get([task.remote(list(texts[a:b]), window, min_words) for a, b in zip(bounds[:-1], bounds[1:])])
    return [p for prints, _ in done for p in prints], [n for _, lengths in done for n in lengths]


def align_on(engine: RayEngine, texts: Sequence[str], pairs: Sequence[tuple[int, int]], min_words: int
             ) -> dict[tuple[int, int], list[Passage]]:
    """`align_pairs` of `pairs`, a block of pairs per task, each sent the texts of its pairs only."""
    if not pairs:
        return {}
    ray = engine.connect()
    parts = max(1, min(engine.partitions_for(len(pairs)), len(pairs)))
    bounds = np.linspace(0, len(pairs), parts + 1).astype(int)
    task = ray.remote(_align_block)
    refs = []
    for a, b in zip(bounds[:-1], bounds[1:]):
        block = list(pairs[a:b])
        needed = {row: texts[row] for pair in block for row in pair}
        refs.append(task.remote(needed, block, min_words))
    found: dict[tuple[int, int], list[Passage]] = {}
    for part in ray.get(refs):
        found.update(part)
    return dict(sorted(found.items()))
