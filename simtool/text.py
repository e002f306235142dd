"""Text primitives shared by several jobs: sentences, words and word shingles."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

import blingfire

WORD_PATTERN = r"\w+(?:['’]\w+)*"  # a word, with inner apostrophes: "don't", "O’Neill"
_WORD = re.compile(WORD_PATTERN, re.UNICODE)
_PARAGRAPH = "\u2029"


def normalize_space(text: str) -> str:
    """NFKC, with every run of whitespace (non-breaking spaces too) made one space."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


def normalized_lines(text: str) -> list[str]:
    """The non-empty lines of `text`, NFKC and whitespace-normalised."""
    lines = (" ".join(line.split()) for line in unicodedata.normalize("NFKC", text).splitlines())
    return [line for line in lines if line]


def sentences_by_line(lines: list[str]) -> list[list[str]]:
    """The sentences of each normalised line: lines never merge, and all go to blingfire at once.

    blingfire's finite-state splitter ships its model in the wheel and handles abbreviations
    ("Jan.", "U.S.") at millions of characters a second. It joins lines that lack a full stop
    but always breaks after U+2029 (paragraph separator), which it leaves at the end of each
    line's last sentence: joined by it (and a space, or "Mr." after it reads as a sentence),
    the lines are split in one call and regrouped.
    """
    if not lines:
        return []
    grouped: list[list[str]] = [[]]
    for piece in blingfire.text_to_sentences((_PARAGRAPH + " ").join(lines)).split("\n"):
        sentence = piece.strip(_PARAGRAPH + " ")
        if sentence:
            grouped[-1].append(sentence)
        if piece.rstrip(" ").endswith(_PARAGRAPH):
            grouped.append([])
    if len(grouped) != len(lines):  # not the layout expected: split line by line instead
        return [[s for s in blingfire.text_to_sentences(line).split("\n") if s.strip()] for line in lines]
    return grouped


def split_sentences(text: str) -> list[str]:
    """Sentences of `text`, whitespace-normalised, each line split on its own so lines never merge."""
    return [sentence for line in sentences_by_line(normalized_lines(text)) for sentence in line]


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
