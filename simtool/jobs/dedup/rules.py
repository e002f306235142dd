"""What counts as a copy: the rules both dedup paths (local and Ray) and `compare` apply.

A pair of texts is a near-duplicate when the exact Jaccard of their 5-word shingles reaches
`JACCARD` (0.5), or their containment (the share of the smaller text's shingles found in the
larger) reaches `CONTAINMENT` (0.8): a copy with a paragraph dropped. `compare`'s verdict
"near-duplicate" uses the same rule, so a pair it calls a near-duplicate is one dedup groups.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simtool.io.document import Document
from simtool.jobs.dedup.minhash import jaccard_upper_bound, lsh_parameters
from simtool.text.basics import SHINGLE_SIZE

JACCARD = 0.5
CONTAINMENT = 0.8
METHODS = ("minhash", "semantic", "both")


@dataclass(frozen=True)
class DedupSettings:
    """The settings a dedup run used (recorded in its result and its JSON)."""

    method: str = "minhash"
    threshold: float = JACCARD
    containment_threshold: float | None = CONTAINMENT
    semantic_threshold: float | None = None
    shingle_size: int = SHINGLE_SIZE
    num_perm: int = 128
    seed: int = 1
    all_pairs: bool = False
    encoder: str | None = None

    def bands_rows(self) -> tuple[int, int]:
        """LSH (bands, rows) that find pairs down to `lowest_candidate_jaccard`."""
        return lsh_parameters(lowest_candidate_jaccard(self.threshold, self.containment_threshold), self.num_perm)


def dedup_text(doc: Document) -> str:
    """What dedup compares: the body (a reprint often changes the headline), else the title."""
    return body_or_title(doc.text, doc.title)


def body_or_title(text: str | None, title: str | None) -> str:
    """`dedup_text` from the two fields."""
    return text if text and text.strip() else (title or "")


def accepted(jaccard, containment, threshold: float = JACCARD, containment_threshold: float | None = CONTAINMENT):
    """Whether pairs with these exact scores are copies (works on floats and on arrays)."""
    if containment_threshold is None:
        return jaccard >= threshold
    return (jaccard >= threshold) | (containment >= containment_threshold)


def is_near_duplicate(jaccard: float, containment: float) -> bool:
    """The default rule, as `dedup` and `compare` both apply it."""
    return bool(accepted(jaccard, containment))


def could_reach(estimates: np.ndarray, sizes_a: np.ndarray, sizes_b: np.ndarray, threshold: float,
                containment_threshold: float | None, num_perm: int) -> np.ndarray:
    """Which pairs could still reach a threshold, judged from their MinHash estimate and set sizes.

    Jaccard is at most the smaller set's size over the larger's; beyond that, a pair whose
    estimate, five standard errors up, reaches neither threshold is dropped (containment is
    bounded through |A & B| = J (|A| + |B|) / (1 + J)).
    """
    small = np.minimum(sizes_a, sizes_b).astype(np.float64)
    large = np.maximum(sizes_a, sizes_b).astype(np.float64)
    upper = jaccard_upper_bound(estimates, num_perm)
    keep = (upper >= threshold) & (small >= threshold * large)
    if containment_threshold is not None:
        shared = upper * (small + large) / (1.0 + upper)
        keep |= shared >= containment_threshold * small
    return keep


def lowest_candidate_jaccard(threshold: float, containment_threshold: float | None) -> float:
    """The Jaccard LSH must find pairs down to: the threshold, or half the containment threshold
    (a copy that keeps 56% of a text has containment 0.8 and Jaccard 0.4), at least 0.05."""
    lowest = threshold if containment_threshold is None else min(threshold, containment_threshold / 2)
    return max(0.05, lowest)


def check_settings(method: str, threshold: float, containment_threshold: float | None) -> None:
    """ValueError naming the parameter, for a method or threshold out of range."""
    if method not in METHODS:
        raise ValueError(f"method must be one of {', '.join(METHODS)}; got {method!r}")
    if not 0.0 < threshold <= 1.0:
        raise ValueError(f"threshold must be in (0, 1]; got {threshold!r}")
    if containment_threshold is not None and not 0.0 < containment_threshold <= 1.0:
        raise ValueError(f"containment_threshold must be in (0, 1]; got {containment_threshold!r}")
