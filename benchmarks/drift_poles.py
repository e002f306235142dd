"""Pole axes against statements labelled by reading: what paraphrases change, and the axis's own test.

    HF_HUB_OFFLINE=1 .venv/bin/python benchmarks/drift_poles.py [--model minilm]

For two topics (`poles/immigration.jsonl`, `poles/abortion.jsonl`: 24 statements each, 12 per side,
labelled by reading; several use the other side's words, as "Anyone who has entered the United
States illegally is subject to deportation" uses a welcoming pole's), an axis is given as a user
gives it, once with one statement per pole and once with three paraphrases per pole, and each
labelled statement is scored by drift's stance (`jobs/drift/poles.py`: the projection between the
poles' means, which ranks exactly as the mean cosine to one pole minus the other). Printed: the
AUC between the labelled sides (1.0: every statement on its side; 0.5: chance), and the axis's own
test as drift reports it (leave-pair-out AUC among the pole statements, share of negated pole
statements put on the side of their meaning) with its verdict. The paraphrases were written
before scoring; one design was chosen on these labels: negations are probes of the axis, not part
of it (counted on the other side of the axis they lowered the AUC to 0.35 and 0.53).
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

import numpy as np
from sklearn.metrics import roc_auc_score

from simtool.encoders import get_encoder
from simtool.jobs.drift.poles import pole_axis, probes

HERE = Path(__file__).parent / "poles"
AXES = {
    "immigration": {
        "one": ("Immigrants should be welcomed and given a path to citizenship.",
                "Illegal immigrants should be deported and the border closed."),
        "three": ("Immigrants should be welcomed and given a path to citizenship. | Undocumented people who live "
                  "here should be allowed to stay. | We should admit more refugees and asylum seekers.",
                  "Illegal immigrants should be deported and the border closed. | Those who came illegally must "
                  "be sent home. | We need a wall and far fewer immigrants."),
    },
    "abortion": {
        "one": ("Abortion should be legal and a woman's choice.",
                "Abortion should be illegal because it takes an unborn life."),
        "three": ("Abortion should be legal and a woman's choice. | Women must be free to decide whether to end a "
                  "pregnancy. | Access to abortion clinics must be protected.",
                  "Abortion should be illegal because it takes an unborn life. | The unborn child has a right to "
                  "life. | Abortion clinics should be shut down and abortion banned."),
    },
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="minilm")
    args = parser.parse_args()
    encoder = get_encoder(args.model)
    print(f"{'topic':<12}{'poles':<7}{'AUC on labels':>14}   axis's own test (leave-pair-out AUC, negations on their side)")
    for topic, axes in AXES.items():
        rows = [json.loads(line) for line in open(HERE / f"{topic}.jsonl", encoding="utf-8")]
        labels = np.array([row["side"] > 0 for row in rows])
        statements = np.asarray(encoder.encode([row["text"] for row in rows]), dtype=np.float64)
        for name, (positive, negative) in axes.items():
            found = probes(positive, negative)
            axis = pole_axis(found, np.asarray(encoder.encode([p.text for p in found]), dtype=np.float64))
            v = axis.validity
            print(f"{topic:<12}{name:<7}{roc_auc_score(labels, axis.score(statements)):>14.3f}   "
                  f"{v['auc']!s:>6}, {v['negations_on_their_side']:.0%}: {'reliable' if axis.reliable else 'NOT reliable'}")


if __name__ == "__main__":
    main()
