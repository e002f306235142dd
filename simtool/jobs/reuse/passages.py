"""Passages two articles share: word n-gram hashes, winnowed fingerprints, and exact alignment.

Each article is read as the words copy detection compares (`comparable`, lower-cased), every
run of SEED_WORDS words is hashed to 64 bits, and winnowing (Schleimer, Wilkerson and Aiken,
"Winnowing: local algorithms for document fingerprinting", SIGMOD 2003) keeps the smallest hash
of every window of `window_for(min_words)` n-grams: any run of half `min_words` identical words
two articles share gives both at least one common fingerprint (so a passage of `min_words`
words with one edit inside is still found), and an article keeps about one n-gram in
`window / 2`. Candidate pairs (`candidates`) come from the fingerprints; a pair is then
aligned exactly on all its n-grams, runs of matching n-grams on one diagonal are joined across
small edits (a word changed, a sentence inserted) into passages, and a passage counts when it
matches `min_words` words or more.

Written here because no maintained Python library finds borrowed passages with their offsets at
corpus scale (passim, the reference tool, is Scala on Spark; text-matcher compares two texts).
"""

from __future__ import annotations

import bisect
import hashlib
import re
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from simtool.text.basics import comparable
from simtool.text.shingling import mix, position_multipliers

SEED_WORDS = 8      # words per hashed n-gram: long enough that unrelated articles rarely share one
MAX_GAP = 20        # words of edits (in each article) a passage may jump: a changed word, a sentence
MAX_REPEATS = 20    # an n-gram found more often than this in one article is not aligned on (a refrain)
# A character of a script written without spaces (Chinese, Japanese) is a word of its own, so an
# edit breaks a passage there as it does elsewhere, not a whole clause (a Chinese word is about two
# characters: 40 "words" are about 20 there); other scripts' words as everywhere in simtool.
_UNSPACED = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_LETTER = f"(?:(?![{_UNSPACED}])\\w)"  # a word character of a spaced script
_WORD = re.compile(f"[{_UNSPACED}]|{_LETTER}+(?:['’]{_LETTER}+)*")
_MULTIPLIERS = position_multipliers(SEED_WORDS)


@dataclass(frozen=True)
class Words:
    """An article's words as compared: how many, their 64-bit n-gram hashes, and (worked out
    when asked, for the articles in a pair) each word's span in `text`, the article's text as
    `comparable` reads it (the same as the original for ASCII text)."""

    text: str
    count: int
    ngrams: np.ndarray   # uint64, the hash of the SEED_WORDS words from each position

    def __len__(self) -> int:
        return self.count

    @cached_property
    def quotations(self) -> tuple[list[int], list[int]]:
        """(starts, ends) of the text's quotations, in order (quotation marks pair up from the start)."""
        found = [m.span() for m in _QUOTATION.finditer(self.text)]
        return [a for a, _ in found], [b for _, b in found]

    @cached_property
    def spans(self) -> tuple[np.ndarray, np.ndarray]:
        """(starts, ends): each word's first character and one past its last (int64)."""
        found = [m.span() for m in _WORD.finditer(self.text)]
        return (np.fromiter((a for a, _ in found), np.int64, len(found)),
                np.fromiter((b for _, b in found), np.int64, len(found)))


@dataclass(frozen=True)
class Passage:
    """A shared passage: word ranges [start, end) in the source and in the target, how many of
    its words match exactly (edits inside it excluded), and the exact runs it is made of, as
    (source start, target start, words)."""

    source_start: int
    source_end: int
    target_start: int
    target_end: int
    words: int
    runs: tuple[tuple[int, int, int], ...]


class WordReader:
    """Turns texts into `Words`; token hashes are cached per reader (a corpus has far fewer
    distinct words than words) and stable across processes, so Ray workers hash alike."""

    def __init__(self) -> None:
        self._hashes: dict[str, int] = {}

    def read(self, text: str) -> Words:
        """`text`'s words and n-gram hashes (none for a text shorter than SEED_WORDS words)."""
        compared = comparable(text)
        tokens = list(map(str.lower, _WORD.findall(compared)))
        hashes = self._hashes
        for token in set(tokens).difference(hashes):
            hashes[token] = int.from_bytes(hashlib.blake2b(token.encode("utf-8", "replace"), digest_size=8).digest(),
                                           "little")
        values = np.fromiter(map(hashes.__getitem__, tokens), np.uint64, len(tokens))
        return Words(compared, len(tokens), ngram_hashes(values))


def ngram_hashes(tokens: np.ndarray, size: int = SEED_WORDS) -> np.ndarray:
    """The hash of every run of `size` token hashes, position by position (len - size + 1 of them)."""
    count = len(tokens) - size + 1
    if count <= 0:
        return np.zeros(0, np.uint64)
    multipliers = _MULTIPLIERS if size == SEED_WORDS else position_multipliers(size)
    with np.errstate(over="ignore"):
        combined = tokens[:count] * multipliers[0]
        for m in range(1, size):
            combined += tokens[m:m + count] * multipliers[m]
        mix(combined, np.empty_like(combined))
    return combined


def window_for(min_words: int) -> int:
    """The winnowing window that guarantees a common fingerprint for any identical run of
    max(SEED_WORDS, min_words // 2) words: a passage edited once still has such a run."""
    return max(SEED_WORDS, min_words // 2) - SEED_WORDS + 1


_QUOTATION = re.compile(r"[\"“”][^\"“”]{1,2000}[\"“”]")  # bounded: linear on any text


def quoted_share(words: Words, start: int, end: int) -> float:
    """Share of the characters of words.text[start:end] that lie inside quotation marks."""
    starts, ends = words.quotations
    inside = 0
    for k in range(max(0, bisect.bisect_right(ends, start)), len(starts)):
        if starts[k] >= end:
            break
        inside += max(0, min(end, ends[k]) - max(start, starts[k]))
    return inside / max(1, end - start)


def fingerprints(ngrams: np.ndarray, window: int) -> np.ndarray:
    """Winnowing: the distinct smallest hashes of every `window` consecutive n-grams (all of
    them for an article with fewer). Two articles sharing `window + SEED_WORDS - 1` consecutive
    words share at least one."""
    if len(ngrams) == 0:
        return ngrams
    if len(ngrams) <= window:
        return np.unique(ngrams[[int(np.argmin(ngrams))]])
    views = np.lib.stride_tricks.sliding_window_view(ngrams, window)
    return np.unique(views.min(axis=1))


def _matching_runs(source: np.ndarray, target: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Maximal runs of equal n-grams on one diagonal: (source position, target position, n-grams)."""
    order = np.argsort(source, kind="stable")
    ordered = source[order]
    low = np.searchsorted(ordered, target, "left")
    high = np.searchsorted(ordered, target, "right")
    counts = high - low
    counts[counts > MAX_REPEATS] = 0
    total = int(counts.sum())
    if total == 0:
        empty = np.zeros(0, np.int64)
        return empty, empty, empty
    at_target = np.repeat(np.arange(len(target)), counts)
    first = np.repeat(low - np.cumsum(counts) + counts, counts) + np.arange(total)
    at_source = order[first]
    diagonal = at_source - at_target
    sort = np.lexsort((at_target, diagonal))
    diagonal, at_target, at_source = diagonal[sort], at_target[sort], at_source[sort]
    new = np.ones(total, bool)
    new[1:] = (diagonal[1:] != diagonal[:-1]) | (at_target[1:] != at_target[:-1] + 1)
    starts = np.flatnonzero(new)
    lengths = np.diff(np.append(starts, total))
    return at_source[starts], at_target[starts], lengths


def shared_passages(source: Words, target: Words, min_words: int) -> list[Passage]:
    """The passages of at least `min_words` matching words that `source` and `target` share, in
    the target's order. Runs are taken longest first and may not overlap one taken (a sentence
    an article repeats is matched once); runs in order in both articles with at most MAX_GAP
    words between them form one passage."""
    runs_source, runs_target, runs_length = _matching_runs(source.ngrams, target.ngrams)
    if not len(runs_length):
        return []
    words = runs_length + SEED_WORDS - 1
    taken_source = np.zeros(len(source), bool)
    taken_target = np.zeros(len(target), bool)
    runs: list[tuple[int, int, int]] = []  # (target start, source start, words)
    # Longest first; between runs of one length (a sentence both articles repeat), the one on the
    # diagonal holding most matched words, so repeats pair in order rather than across.
    diagonal = runs_source - runs_target
    weight = {int(d): 0 for d in np.unique(diagonal)}
    for d, n in zip(diagonal.tolist(), words.tolist()):
        weight[d] += n
    for k in np.lexsort((runs_target, -np.array([weight[int(d)] for d in diagonal]), -words)):
        s, t, n = int(runs_source[k]), int(runs_target[k]), int(words[k])
        if taken_source[s:s + n].any() or taken_target[t:t + n].any():
            continue
        taken_source[s:s + n] = True
        taken_target[t:t + n] = True
        runs.append((t, s, n))
    runs.sort()
    passages: list[Passage] = []
    chain: list[tuple[int, int, int]] = []

    def close() -> None:
        matched = sum(n for _, _, n in chain)
        if chain and matched >= min_words:
            (t0, s0, _), (t1, s1, n1) = chain[0], chain[-1]
            passages.append(Passage(s0, s1 + n1, t0, t1 + n1, matched, tuple((s, t, n) for t, s, n in chain)))

    for t, s, n in runs:
        if chain:
            t1, s1, n1 = chain[-1]
            if not (0 <= t - (t1 + n1) <= MAX_GAP and 0 <= s - (s1 + n1) <= MAX_GAP):
                close()
                chain = []
        chain.append((t, s, n))
    close()
    return passages


def covered_words(length: int, runs: list[tuple[int, int]]) -> int:
    """How many of an article's `length` words the (start, words) runs cover, overlaps once."""
    mask = np.zeros(length, bool)
    for start, n in runs:
        mask[start:start + n] = True
    return int(mask.sum())


def span_text(words: Words, start: int, end: int) -> str:
    """The text of words [start, end) of an article, as compared."""
    starts, ends = words.spans
    return words.text[int(starts[start]):int(ends[end - 1])] if end > start else ""
