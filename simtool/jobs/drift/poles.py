"""An axis from pole statements (`--axis POS NEG`), and whether it holds.

Each pole may be several paraphrases ("A | A2 | A3"). A statement's stance is its projection on
the line from the mean of the negative pole's statements to the mean of the positive's, scaled
so that they sit near -1 and +1: for unit vectors that ranks statements exactly as the mean
cosine to one pole minus the other, so the scale is what changes, and paraphrases are what make
the axis better (measured on labelled statements in `benchmarks/drift_poles.py`).

The axis tests itself before its stances are shown as findings: (1) leave-pair-out AUC: for every
pair of one positive and one negative pole statement, the axis made without the two must order
them rightly; (2) each pole statement is negated ("should be welcomed" -> "should not be
welcomed") and the axis must put the negation on the side of its meaning. A model that reads
words rather than negation fails (2): the cosine to a pole tracks which pole's words a sentence
uses. With one statement a pole, (1) cannot be measured and the axis is never reliable.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from simtool.errors import InputError

MIN_STATEMENTS = 6      # pole statements (paraphrases, both poles together) a reliable axis needs
MIN_GAP = 1e-3          # half the distance between the poles' means, below which they are the same
MIN_AGREEMENT = 0.75    # share of negations the left-out axis must put on their meaning's side
MIN_POLE_AUC = 0.9      # left-out AUC between the two sides' statements
_AUXILIARY = re.compile(r"\b(is|are|was|were|should|must|will|would|can|could|may|might|do|does|did|has|have|had)\b",
                        re.IGNORECASE)
_NEGATED = re.compile(r"\b(not|no|never|n't)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Probe:
    """A statement that defines the axis: a pole's paraphrase or its negation, and its side."""

    text: str
    side: int            # +1: the positive pole's meaning, -1: the negative's
    negated: bool


def pole_statements(pole: str) -> list[str]:
    """A pole's paraphrases: "A | A2 | A3" -> [A, A2, A3]."""
    return [p.strip() for p in pole.split("|") if p.strip()]


def negate(statement: str) -> str:
    """The statement said the other way: "not" after its first auxiliary ("should be welcomed" ->
    "should not be welcomed"), else "It is not true that ..."; a negated statement loses its "not"."""
    text = statement.strip().rstrip(".")
    if _NEGATED.search(text):
        return re.sub(r"\s+", " ", _NEGATED.sub("", text, count=1)).strip() + "."
    found = _AUXILIARY.search(text)
    if found:
        return text[:found.end()] + " not" + text[found.end():] + "."
    return "It is not true that " + text[:1].lower() + text[1:] + "."


def probes(positive: str, negative: str) -> list[Probe]:
    """Every statement of both poles, and each one's negation on the other side."""
    found = []
    for side, pole in ((1, positive), (-1, negative)):
        for statement in pole_statements(pole):
            found.append(Probe(statement, side, False))
            found.append(Probe(negate(statement), -side, True))
    return found


@dataclass(frozen=True)
class PoleAxis:
    """The direction and scale of a pole axis, and its validity on the left-out pole statements."""

    direction: np.ndarray
    centre: float
    half_gap: float
    validity: dict[str, object]
    reliable: bool

    def score(self, vectors: np.ndarray) -> np.ndarray:
        """Positions: about +1 where the positive pole's statements sit, -1 for the negative's."""
        return (np.asarray(vectors, dtype=np.float64) @ self.direction - self.centre) / self.half_gap


def pole_axis(found: Sequence[Probe], vectors: np.ndarray) -> PoleAxis:
    """The axis through the pole statements' vectors (one row per probe; negations are probes of
    the axis, not part of it), with its validity: the leave-pair-out AUC between the poles'
    statements, and the share of negations the axis puts on the side of their meaning."""
    vectors = np.asarray(vectors, dtype=np.float64)
    sides = np.array([p.side for p in found])
    negated = np.array([p.negated for p in found])
    own = ~negated
    if not (sides[own] > 0).any() or not (sides[own] < 0).any():
        raise InputError("--axis needs at least one statement on each pole")
    direction, centre, half_gap = _fit(vectors[own], sides[own])
    if half_gap < MIN_GAP:
        raise InputError("--axis: the two poles say the same to this model (their statements' vectors "
                         "nearly coincide); give poles that differ")
    auc = _leave_pair_out_auc(vectors[own], sides[own])
    negation_scores = (vectors[negated] @ direction - centre) / half_gap
    agreement = float((np.sign(negation_scores) == sides[negated]).mean()) if negated.any() else None
    validity: dict[str, object] = {
        "auc": round(auc, 4) if auc is not None else None,
        "negations_on_their_side": round(agreement, 4) if agreement is not None else None,
        "statements": int(own.sum()), "min_statements": MIN_STATEMENTS, "min_auc": MIN_POLE_AUC,
        "min_negations": MIN_AGREEMENT,
        "method": "mean difference of the poles' paraphrases; leave-pair-out AUC; negations as probes"}
    reliable = (int(own.sum()) >= MIN_STATEMENTS and auc is not None and auc >= MIN_POLE_AUC
                and agreement is not None and agreement >= MIN_AGREEMENT)
    return PoleAxis(direction, centre, half_gap, validity, reliable)


def _fit(vectors: np.ndarray, sides: np.ndarray) -> tuple[np.ndarray, float, float]:
    positive, negative = vectors[sides > 0].mean(axis=0), vectors[sides < 0].mean(axis=0)
    direction = positive - negative
    direction /= np.linalg.norm(direction) or 1.0
    high, low = float(positive @ direction), float(negative @ direction)
    return direction, (high + low) / 2, (high - low) / 2


def _leave_pair_out_auc(vectors: np.ndarray, sides: np.ndarray) -> float | None:
    """For each pair of a positive and a negative statement, whether the axis fitted without both
    orders them rightly (ties count half). Leaving one statement out alone biases the AUC far
    below 0.5 (its side's mean moves away from it); leaving a pair out does not. None when a side
    has a single statement."""
    positive, negative = np.flatnonzero(sides > 0), np.flatnonzero(sides < 0)
    if len(positive) < 2 or len(negative) < 2:
        return None
    right = 0.0
    for i in positive:
        for j in negative:
            keep = np.ones(len(sides), dtype=bool)
            keep[[i, j]] = False
            direction, _, _ = _fit(vectors[keep], sides[keep])
            a, b = float(vectors[i] @ direction), float(vectors[j] @ direction)
            right += 1.0 if a > b else 0.5 if a == b else 0.0
    return right / (len(positive) * len(negative))
