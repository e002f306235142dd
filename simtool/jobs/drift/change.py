"""Did what is said about a topic change between two periods? An effect size and a calibrated test.

Statements of one article are not independent draws: they share its angle, its wording and its
speakers. A test that shuffles statements treats a period of 300 statements from 20 articles as
300 independent observations, and finds a "significant" change between any two years (it gave
z 14 to 62 for every pair of consecutive years of a held-out corpus). Here the unit is the
article: each article's statements are averaged into one vector, and the test shuffles articles
between the two periods (a permutation test, exact under the null that the articles of both
periods come from one population). Random splits of one period's articles are then "no change"
as often as the level promises (`tests/test_drift.py` checks 100 seeded splits).

Two things can change: what is said (the statements' vectors: `shift_test`) and how much is
said (the share of all sentences that are about the query: `share_test`, effect Cohen's h). A
step is tested both ways, and the p-values of all the steps' tests are corrected together.

Articles are the units whenever the two periods' articles allow at least `MIN_SPLITS` distinct
splits (4 articles against 64 do). Only when they do not (two speeches, one a year) are the
units blocks of consecutive statements (`BLOCK`) or sentences (`SHARE_BLOCK`) within each
article, and the step says so (`unit: "block"`): it then measures how different those few
articles are, not a trend across many, and it rejects more often than its level (about twice,
measured on AllSides with 2-4 articles against the rest).

Effect size: the squared distance between the two periods' mean vectors, corrected for the
sampling noise that inflates it in small periods (minus tr(S_a)/n_a + tr(S_b)/n_b, an unbiased
estimate of the squared distance of the true means), over the pooled variance, square-rooted:
a multivariate standardised mean difference, comparable across periods of different sizes. 0
means no shift beyond noise. Several steps are corrected together by Holm's method.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from math import comb

import numpy as np

MIN_SPLITS = 200     # distinct splits of the articles needed for articles to be the units
BLOCK = 5            # consecutive statements per unit when a period has fewer articles
SHARE_BLOCK = 25     # consecutive sentences per unit of the share test, likewise
PERMUTATIONS = 999   # at least; more where many tests are corrected together (`permutations_for`)
MAX_PERMUTATIONS = 9999
ALPHA = 0.05


@dataclass(frozen=True)
class Shift:
    """One step's change: effect size, permutation p-value, and what the units were."""

    effect: float
    p: float
    unit: str      # "document", "block" where a period has too few documents, or TOO_FEW to test at all
    units: tuple[int, int]


TOO_FEW = "too few to test"  # so few ways to split the units that no p-value at the level can be had
FEWEST_SPLITS = 20  # with fewer distinct splits the smallest permutation p-value is above 0.05


def _too_few(n_a: int, n_b: int) -> bool:
    return not _enough_splits(n_a, n_b, FEWEST_SPLITS)


def units(vectors: np.ndarray, documents: Sequence[str], by_document: bool) -> np.ndarray:
    """One row per unit: each document's mean statement vector, or each block of `BLOCK`
    consecutive statements of a document."""
    groups: dict[str, list[int]] = {}
    for row, doc in enumerate(documents):
        groups.setdefault(doc, []).append(row)
    rows: list[np.ndarray] = []
    for members in groups.values():
        pieces = [members] if by_document else [members[i:i + BLOCK] for i in range(0, len(members), BLOCK)]
        rows.extend(vectors[piece].mean(axis=0) for piece in pieces)
    return np.vstack(rows) if rows else np.zeros((0, vectors.shape[1]), np.float32)


def _effect(a: np.ndarray, b: np.ndarray) -> float:
    """sqrt(max(0, |mean_a - mean_b|^2 - tr(S_a)/n_a - tr(S_b)/n_b) / pooled variance)."""
    va = a.var(axis=0, ddof=1).sum() if len(a) > 1 else 0.0
    vb = b.var(axis=0, ddof=1).sum() if len(b) > 1 else 0.0
    squared = float(((a.mean(axis=0) - b.mean(axis=0)) ** 2).sum()) - va / len(a) - vb / len(b)
    pooled = ((len(a) - 1) * va + (len(b) - 1) * vb) / max(len(a) + len(b) - 2, 1)
    scale = float((np.vstack([a, b]) ** 2).sum(axis=1).mean())  # float32 noise must not read as a shift
    return float(np.sqrt(max(squared, 0.0) / pooled)) if pooled > 1e-6 * max(scale, 1e-12) else 0.0


def shift_test(a_vectors: np.ndarray, a_documents: Sequence[str], b_vectors: np.ndarray,
               b_documents: Sequence[str], rng: np.random.Generator, permutations: int = PERMUTATIONS) -> Shift:
    """Effect size and permutation p-value of the change between two periods' statements."""
    by_document = _enough_splits(len(set(a_documents)), len(set(b_documents)))
    a = units(a_vectors, a_documents, by_document)
    b = units(b_vectors, b_documents, by_document)
    unit = "document" if by_document else "block"
    if _too_few(len(a), len(b)):  # one article against one: no effect is claimed, no p-value can be had
        return Shift(0.0, 1.0, TOO_FEW, (len(a), len(b)))
    observed = _distance(a.mean(axis=0), b.mean(axis=0))
    pooled, n_a = np.vstack([a, b]), len(a)
    total = pooled.sum(axis=0)
    # Each permutation: the first n_a rows of a shuffled order are one side (sums, not loops).
    exceed = 0
    for _ in range(permutations):
        chosen = rng.permutation(len(pooled))[:n_a]
        side_a = pooled[chosen].sum(axis=0)
        exceed += _distance(side_a / n_a, (total - side_a) / (len(pooled) - n_a)) >= observed - 1e-12
    return Shift(round(_effect(a, b), 4), round((exceed + 1) / (permutations + 1), 4), unit, (len(a), len(b)))


def share_test(a: Sequence[tuple[str, np.ndarray]], b: Sequence[tuple[str, np.ndarray]], rng: np.random.Generator,
               permutations: int = PERMUTATIONS) -> Shift:
    """Did the share of sentences about the query change? `a`, `b`: each article of the period as
    (id, one flag per sentence in order, True where the sentence is about the query). Effect:
    Cohen's h between the two shares; p: articles (or blocks of sentences) shuffled."""
    by_document = _enough_splits(len(a), len(b))

    def counts(side: Sequence[tuple[str, np.ndarray]]) -> np.ndarray:
        rows: list[tuple[float, float]] = []
        for _, flags in side:
            pieces = [flags] if by_document else [flags[i:i + SHARE_BLOCK] for i in range(0, len(flags), SHARE_BLOCK)]
            rows.extend((float(piece.sum()), float(len(piece))) for piece in pieces if len(piece))
        return np.array(rows, dtype=np.float64).reshape(-1, 2)

    units_a, units_b = counts(a), counts(b)
    unit = "document" if by_document else "block"
    if not len(units_a) or not len(units_b):
        return Shift(0.0, 1.0, TOO_FEW, (len(units_a), len(units_b)))
    share_a, share_b = units_a[:, 0].sum() / units_a[:, 1].sum(), units_b[:, 0].sum() / units_b[:, 1].sum()
    effect = abs(2 * np.arcsin(np.sqrt(share_b)) - 2 * np.arcsin(np.sqrt(share_a)))
    if _too_few(len(units_a), len(units_b)):  # the shares' difference is what it is; whether it is chance cannot be said
        return Shift(round(float(effect), 4), 1.0, TOO_FEW, (len(units_a), len(units_b)))
    observed = abs(share_a - share_b)
    pooled, n_a = np.vstack([units_a, units_b]), len(units_a)
    total = pooled.sum(axis=0)
    exceed = 0
    for _ in range(permutations):
        side = pooled[rng.permutation(len(pooled))[:n_a]].sum(axis=0)
        rest = total - side
        exceed += abs(side[0] / side[1] - rest[0] / rest[1]) >= observed - 1e-12
    return Shift(round(float(effect), 4), round((exceed + 1) / (permutations + 1), 4), unit,
                 (len(units_a), len(units_b)))


def _enough_splits(n_a: int, n_b: int, needed: int = MIN_SPLITS) -> bool:
    """Whether two groups of units can be split in `needed` distinct ways or more."""
    return min(n_a, n_b) >= 1 and comb(n_a + n_b, n_a) >= needed


def permutations_for(tests: int, alpha: float = ALPHA) -> int:
    """Enough permutations that the smallest p-value survives Holm's correction over `tests`."""
    return int(min(MAX_PERMUTATIONS, max(PERMUTATIONS, np.ceil(2 * tests / alpha))))


def _distance(mean_a: np.ndarray, mean_b: np.ndarray) -> float:
    return float(((mean_a - mean_b) ** 2).sum())


def holm(p_values: Sequence[float], alpha: float = ALPHA) -> tuple[list[float], list[bool]]:
    """Holm-adjusted p-values and which are significant at `alpha`, family-wise."""
    order = np.argsort(p_values, kind="stable")
    m = len(p_values)
    adjusted = np.zeros(m)
    running = 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (m - rank) * p_values[i]))
        adjusted[i] = running
    return [round(float(p), 4) for p in adjusted], [bool(p <= alpha) for p in adjusted]


def null_rejections(vectors: np.ndarray, documents: Sequence[str], flags: dict[str, np.ndarray], *,
                    splits: int = 100, seed: int = 0, permutations: int = 199) -> int:
    """How often the two tests of a step, Holm-corrected together, call a change between two
    random halves of one period's articles (the null is then true): out of `splits`. A calibrated
    test does so about ALPHA x splits times. `vectors`/`documents`: the period's statements and the
    article of each; `flags`: each article's sentences, True where a sentence is about the query."""
    rng = np.random.default_rng(seed)
    names = sorted(flags)
    owners = np.asarray(documents)
    rejected = 0
    for _ in range(splits):
        side_a = set(rng.choice(names, len(names) // 2, replace=False).tolist())
        in_a = np.array([d in side_a for d in owners], dtype=bool)
        content = shift_test(vectors[in_a], owners[in_a].tolist(), vectors[~in_a], owners[~in_a].tolist(),
                             rng, permutations)
        share = share_test([(d, flags[d]) for d in names if d in side_a],
                           [(d, flags[d]) for d in names if d not in side_a], rng, permutations)
        _, significant = holm([content.p, share.p])
        rejected += any(significant)
    return rejected
