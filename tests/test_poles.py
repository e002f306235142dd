"""Pole axes: paraphrases, negations as probes, the axis's own left-out test."""

from __future__ import annotations

import numpy as np
import pytest

from simtool.jobs.drift.poles import negate, pole_axis, pole_statements, probes


@pytest.mark.parametrize("statement, negated", [
    ("Immigrants should be welcomed.", "Immigrants should not be welcomed."),
    ("Abortion is murder", "Abortion is not murder."),
    ("The wall will not work.", "The wall will work."),
    ("Women decide for themselves.", "It is not true that women decide for themselves."),
])
def test_a_statement_is_negated_at_its_first_auxiliary(statement, negated):
    assert negate(statement) == negated


def test_each_pole_statement_and_its_negation_is_a_probe_of_the_other_side():
    found = probes("A is good | B is good", "C is bad")
    assert pole_statements("A is good | B is good") == ["A is good", "B is good"]
    assert [(p.text, p.side, p.negated) for p in found] == [
        ("A is good", 1, False), ("A is not good.", -1, True), ("B is good", 1, False), ("B is not good.", -1, True),
        ("C is bad", -1, False), ("C is not bad.", 1, True)]


def _vectors(sides: list[int], negated: list[bool], negation_flips: bool, seed: int = 0) -> np.ndarray:
    """Statements near their side's centre; a negation near the other side's (if the model reads
    negation) or next to the statement it negates (if it only reads words)."""
    rng = np.random.default_rng(seed)
    centre = {1: np.eye(16)[0], -1: np.eye(16)[1]}
    rows, last = [], {}
    for side, is_negation in zip(sides, negated):
        if is_negation and not negation_flips:
            rows.append(last[-side] + rng.normal(0, 0.01, 16))
        else:
            rows.append(centre[side] + rng.normal(0, 0.1, 16))
            last[side] = rows[-1]
    return np.array(rows)


def test_an_axis_passes_its_own_test_only_when_the_model_reads_negation_and_the_poles_cohere():
    found = probes("a | b | c", "d | e | f")
    sides, negated = [p.side for p in found], [p.negated for p in found]
    reads = pole_axis(found, _vectors(sides, negated, negation_flips=True))
    assert reads.reliable and reads.validity["auc"] == 1.0 and reads.validity["negations_on_their_side"] == 1.0
    words_only = pole_axis(found, _vectors(sides, negated, negation_flips=False))
    assert not words_only.reliable and words_only.validity["negations_on_their_side"] == 0.0
    two = probes("a", "d")
    assert not pole_axis(two, _vectors([p.side for p in two], [p.negated for p in two], True)).reliable
    scores = reads.score(_vectors(sides, negated, True, seed=1))
    own = ~np.array(negated)
    assert np.all(np.sign(scores[own]) == np.array(sides)[own])  # +1 near the positive pole, -1 near the negative


def test_without_signal_the_poles_own_auc_is_chance_not_an_artefact():
    from simtool.jobs.drift.poles import Probe

    rng = np.random.default_rng(3)
    found = [Probe(f"p{i}", 1, False) for i in range(12)] + [Probe(f"n{i}", -1, False) for i in range(12)]
    aucs = [pole_axis(found, rng.normal(size=(24, 32))).validity["auc"] for _ in range(20)]
    assert 0.35 < float(np.mean(aucs)) < 0.65  # leaving one statement out alone gave about 0.01


def test_a_pole_without_statements_or_poles_that_coincide_are_refused():
    from simtool.errors import InputError

    with pytest.raises(InputError, match="each pole"):
        pole_axis(probes("a", " | "), np.eye(4)[:2])
    with pytest.raises(InputError, match="say the same"):
        pole_axis(probes("a", "b"), np.array([[1.0, 0, 0], [1.0, 0, 0], [1.0, 0, 0], [1.0, 0, 0]]))
