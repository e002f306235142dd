"""Text primitives shared by several jobs: sentences, words and word shingles."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

import blingfire

_WORD = re.compile(r"\w+(?:[''’]\w+)*", re.UNICODE)
_SPACES = re.compile(r"\s+")


def normalize_space(text: str) -> str:
    """NFKC, with every run of whitespace (non-breaking spaces too) made one space."""
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", text)).strip()


def split_sentences(text: str) -> list[str]:
    """Sentences of `text`, each paragraph (line) split on its own so lines never merge.

    blingfire's finite-state splitter ships its model in the wheel and handles abbreviations
    ("Jan.", "U.S.") at millions of characters a second.
    """
    sentences: list[str] = []
    for line in text.splitlines():
        line = normalize_space(line)
        if not line:
            continue
        sentences.extend(s.strip() for s in blingfire.text_to_sentences(line).split("\n") if s.strip())
    return sentences


def words(text: str) -> list[str]:
    """Lower-cased word tokens."""
    return _WORD.findall(text.lower())


def shingles(tokens: list[str], size: int = 5) -> set[str]:
    """Word n-grams of `size` (the whole text as one shingle when it is shorter)."""
    if len(tokens) < size:
        return {" ".join(tokens)} if tokens else set()
    return {" ".join(tokens[i : i + size]) for i in range(len(tokens) - size + 1)}


def jaccard(a: Iterable[str], b: Iterable[str]) -> float:
    """|A & B| / |A | B| (0 for two empty sets)."""
    a, b = set(a), set(b)
    union = len(a | b)
    return len(a & b) / union if union else 0.0


def containment(a: Iterable[str], b: Iterable[str]) -> float:
    """Share of the smaller set found in the larger: catches a short copy inside a long text."""
    a, b = set(a), set(b)
    smaller = min(len(a), len(b))
    return len(a & b) / smaller if smaller else 0.0


def overlap(a: set[str], b: set[str]) -> tuple[float, float]:
    """(Jaccard, containment) of two sets, from one intersection."""
    shared = len(a & b)
    union = len(a) + len(b) - shared
    smaller = min(len(a), len(b))
    return (shared / union if union else 0.0), (shared / smaller if smaller else 0.0)
