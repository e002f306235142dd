"""An axis from pole statements (`--axis POS NEG`), made to follow meaning rather than wording.

The cosine to one pole minus the cosine to the other tracks which pole's words a sentence uses:
"Anyone who entered illegally is subject to deportation" leans toward a "welcome immigrants"
pole that shares its words. Two changes, measured on labelled statements in
`benchmarks/drift_poles.py`:
- Each pole may be several paraphrases ("A | A2 | A3"), and each is also negated ("immigrants
  should not be welcomed"), the negation counted on the other side. The axis is the direction from
  the mean of one side to the mean of the other, so words both sides share cancel out.
- Scores are projections on that direction, scaled so that the positive pole's statements sit
  near +1 and the negative pole's near -1.

Validity is measured on the poles themselves, each statement scored by the axis made without it
(leave one out): the AUC between the two sides and the share of negations put on the side of their
meaning. The axis is reliable only with enough statements and both figures high; with two pole
statements it never is.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

MIN_STATEMENTS = 6      # pole statements (paraphrases, both poles together) a reliable axis needs
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
    the axis, not part of it), with its validity: the left-out AUC between the poles' statements,
    and the share of negations the axis puts on the side of their meaning."""
    from sklearn.metrics import roc_auc_score

    vectors = np.asarray(vectors, dtype=np.float64)
    sides = np.array([p.side for p in found])
    negated = np.array([p.negated for p in found])
    own = ~negated
    direction, centre, half_gap = _fit(vectors[own], sides[own])
    rows = np.flatnonzero(own)
    left_out = np.array([_left_out_score(vectors[own], sides[own], k) for k in range(len(rows))])
    auc = float(roc_auc_score(sides[own] > 0, left_out)) if len(set(sides[own])) == 2 and len(rows) > 2 else None
    negation_scores = (vectors[negated] @ direction - centre) / half_gap
    agreement = float((np.sign(negation_scores) == sides[negated]).mean()) if negated.any() else None
    validity: dict[str, object] = {
        "auc": round(auc, 4) if auc is not None else None,
        "negations_on_their_side": round(agreement, 4) if agreement is not None else None,
        "statements": int(own.sum()), "min_statements": MIN_STATEMENTS, "min_auc": MIN_POLE_AUC,
        "min_negations": MIN_AGREEMENT,
        "method": "mean difference of the poles' paraphrases, each scored left out; negations as probes"}
    reliable = (int(own.sum()) >= MIN_STATEMENTS and auc is not None and auc >= MIN_POLE_AUC
                and agreement is not None and agreement >= MIN_AGREEMENT)
    return PoleAxis(direction, centre, half_gap, validity, reliable)


def _fit(vectors: np.ndarray, sides: np.ndarray) -> tuple[np.ndarray, float, float]:
    positive, negative = vectors[sides > 0].mean(axis=0), vectors[sides < 0].mean(axis=0)
    direction = positive - negative
    direction /= np.linalg.norm(direction) or 1.0
    high, low = float(positive @ direction), float(negative @ direction)
    return direction, (high + low) / 2, max((high - low) / 2, 1e-9)


def _left_out_score(vectors: np.ndarray, sides: np.ndarray, k: int) -> float:
    keep = np.arange(len(sides)) != k
    if len(set(sides[keep])) < 2:
        return 0.0
    direction, centre, half_gap = _fit(vectors[keep], sides[keep])
    return float((vectors[k] @ direction - centre) / half_gap)
