"""Distinctive words of one group of texts against another: the weighted log-odds ratio with an
informative Dirichlet prior (Monroe, Colaresi and Quinn 2008, "Fightin' Words").

For word w, with counts y_a and y_b in the two groups (totals n_a, n_b) and prior counts alpha_w
(the word's count in a background corpus), shared out as a_w = alpha_w n_a / (n_a + n_b) and
b_w = alpha_w n_b / (n_a + n_b) (totals a_0, b_0):
    delta_w = log((y_a + a_w) / (n_a + a_0 - y_a - a_w))
            - log((y_b + b_w) / (n_b + b_0 - y_b - b_w))
    z_w = delta_w / sqrt(1 / (y_a + a_w) + 1 / (y_b + b_w))
The prior shrinks rare words toward no difference; and a word said once is not listed for a group
of a hundred words or more (MIN_COUNT), so a word said once does not top the list.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Iterable, Mapping

import numpy as np
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from simtool.text.basics import NOT_TOPICS, topic_text, words

MIN_COUNT, MIN_COUNT_FROM = 2, 100


_CONTRACTION = re.compile(r"(?:n['’]t|['’](?:re|ve|ll|d|m))$")  # "you’re", "don't": function words


def content_words(text: str) -> list[str]:
    """Lower-cased words of three letters or more, without stop words, contractions, numbers or
    reporting verbs, from the text without credit lines ("The Associated Press contributed to this
    report") and with "Ireland’s" read as "Ireland" (`topic_text`)."""
    return list(_content_words(text))


# Drift counts the same sentences again for every period, group and background (400,000 calls for
# 1,000 AllSides articles: 15 of a warm run's 20 s); a sentence's words are worked out once.
@functools.lru_cache(maxsize=1 << 16)  # about 55 MB when full
def _content_words(text: str) -> tuple[str, ...]:
    return tuple(w for w in words(topic_text(text)) if len(w) > 2 and not w.isdigit() and w not in ENGLISH_STOP_WORDS
                 and w not in NOT_TOPICS and not _CONTRACTION.search(w))


def log_odds_z(group: Mapping[str, int], others: Mapping[str, int], prior: Mapping[str, float]) -> dict[str, float]:
    """z-score of each word of `group` against `others`, with `prior` as the Dirichlet prior counts."""
    vocabulary = sorted(set(group) | set(others))
    if len(vocabulary) < 2:  # a word's odds are against the other words: with none, it sets no side apart
        return dict.fromkeys(vocabulary, 0.0)
    y_a = np.array([group.get(w, 0) for w in vocabulary], float)
    y_b = np.array([others.get(w, 0) for w in vocabulary], float)
    alpha = np.array([prior.get(w, 0) for w in vocabulary], float) + 0.01  # every word some prior
    n_a, n_b = y_a.sum(), y_b.sum()
    # The prior is shared out in proportion to each side's words: added whole to a small period and to
    # the rest of the corpus alike, it made every word the background holds often ("marriage" in a
    # corpus on abortion and gay rights) look over-represented in the smaller side, at z 5 to 8 on
    # counts of 0 or 1. Shared out, a word the data say nothing of has delta 0.
    if n_a and n_b:
        alpha_a, alpha_b = alpha * n_a / (n_a + n_b), alpha * n_b / (n_a + n_b)
    else:  # one side says nothing: each is compared with the prior whole
        alpha_a = alpha_b = alpha
    delta = (np.log((y_a + alpha_a) / (n_a + alpha_a.sum() - y_a - alpha_a))
             - np.log((y_b + alpha_b) / (n_b + alpha_b.sum() - y_b - alpha_b)))
    z = delta / np.sqrt(1.0 / (y_a + alpha_a) + 1.0 / (y_b + alpha_b))
    return dict(zip(vocabulary, z.tolist()))


def distinctive_terms(groups: Mapping[str, Iterable[str]], background: Iterable[str], top: int = 10,
                      min_z: float = 0.0) -> dict[str, list[tuple[str, float]]]:
    """For each group (e.g. a period) of texts, its words most over-represented against the others."""
    counts = {name: Counter(w for text in texts for w in _content_words(text)) for name, texts in groups.items()}
    background_counts = Counter(w for text in background for w in _content_words(text))
    # The prior weighs as much as the data compared: a background of a whole corpus would
    # otherwise swamp a few dozen statements and leave no word distinctive.
    scale = sum(sum(c.values()) for c in counts.values()) / max(sum(background_counts.values()), 1)
    prior = {w: n * scale for w, n in background_counts.items()}
    result = {}
    for name, own in counts.items():
        others: Counter[str] = Counter()
        for other, c in counts.items():
            if other != name:
                others.update(c)
        z = log_odds_z(own, others, prior)
        # a word said once is no term of a group that says a hundred words or more
        least = MIN_COUNT if sum(own.values()) >= MIN_COUNT_FROM else 1
        ranked = sorted(((w, s) for w, s in z.items() if own.get(w, 0) >= least and s >= min_z),
                        key=lambda ws: (-ws[1], ws[0]))
        result[name] = [(w, round(s, 2)) for w, s in ranked[:top]]
    return result
