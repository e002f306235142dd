"""Text primitives shared by several jobs: sentences, words and word shingles."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable

import blingfire

WORD_PATTERN = r"\w+(?:['’]\w+)*"  # a word, with inner apostrophes: "don't", "O’Neill"
_WORD = re.compile(WORD_PATTERN, re.UNICODE)
_PARAGRAPH = "\u2029"
SHINGLE_SIZE = 5  # words per shingle wherever simtool compares wording (compare, dedup)


def text_hash(text: str) -> bytes:
    """SHA-256 of the exact text: the content address of an encoder's input, in every cache."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()


def text_key(text: str) -> str:
    """A short content key (the first 16 hex digits of `text_hash`): whether a stored text changed."""
    return text_hash(text).hex()[:16]


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
        grouped = [[s for s in blingfire.text_to_sentences(line).split("\n") if s.strip()] for line in lines]
    return [_rejoin_reporting_clauses(line) for line in grouped]


# blingfire ends a sentence at a quotation closing on "?" or "!" even when the sentence goes on in
# lower case: '"What's left for the seriously ill?" asks Jaffe.' is one sentence, not two.
_QUESTION_CLOSED = re.compile(r"[?!][\"”’']$")
# ... and after a title that follows a sentence's end: "It is a mistake. Sen. Ted Cruz said no." gives
# "Sen." as a sentence of its own (69 times in the AllSides corpus): a title opens the next one.
_LONE_TITLE = re.compile(r"(?:Sens?|Reps?|Gov|Govs|Dr|Mr|Mrs|Ms|Messrs|Gen|Lt|Col|Sgt|Capt|Cmdr|Adm|Rev|Hon|Prof|"
                         r"Atty|Det|Supt|St|Jr|Sr)\.|(?:[A-Z]\.){1,3}")  # "No." or "Yes." is a sentence
# ... and after the "v." of a case's name: "Roe v." and "Wade ..." are one sentence.
_CASE_VERSUS = re.compile(r"\s(?:v|vs)\.$")


def _rejoin_reporting_clauses(sentences: list[str]) -> list[str]:
    joined: list[str] = []
    title = False
    for sentence in sentences:
        if joined and (title or (sentence[:1].islower() and _QUESTION_CLOSED.search(joined[-1]))):
            joined[-1] = f"{joined[-1]} {sentence}"
        else:
            joined.append(sentence)
        title = bool(_LONE_TITLE.fullmatch(sentence) or _CASE_VERSUS.search(sentence))
    return joined


def sentences_of_lines(text: str) -> list[list[str]]:
    """The sentences of each non-empty line of `text`, whitespace-normalised (a line: a paragraph)."""
    return sentences_by_line(normalized_lines(text))


def split_sentences(text: str) -> list[str]:
    """Sentences of `text`, whitespace-normalised, each line split on its own so lines never merge."""
    return [sentence for line in sentences_of_lines(text) for sentence in line]


def words(text: str) -> list[str]:
    """Lower-cased word tokens."""
    return _WORD.findall(text.lower())


def shingles(tokens: list[str], size: int = SHINGLE_SIZE) -> set[str]:
    """Word n-grams of `size` (the whole text as one shingle when it is shorter): the one
    definition of a shingle. `simtool.text.shingling` hashes these same shingles for speed."""
    if len(tokens) < size:
        return {" ".join(tokens)} if tokens else set()
    return {" ".join(tokens[i : i + size]) for i in range(len(tokens) - size + 1)}


def overlap_scores(common, size_a, size_b):
    """(Jaccard, containment) from the count of shared items and the two set sizes: scalars or
    numpy arrays. Jaccard is |A & B| / |A | B|; containment is the share of the smaller set
    found in the larger (a short copy inside a long text); both 0 where undefined. Every
    overlap in simtool (compare, dedup on either engine, the tests' ground truth) is this one."""
    import numpy as np

    if np.ndim(common) == 0 and np.ndim(size_a) == 0 and np.ndim(size_b) == 0:
        union = size_a + size_b - common
        smaller = min(size_a, size_b)
        return (common / union if union else 0.0), (common / smaller if smaller else 0.0)
    common, size_a, size_b = (np.asarray(x, dtype=np.float64) for x in (common, size_a, size_b))
    union = size_a + size_b - common
    smaller = np.minimum(size_a, size_b)
    jaccard = np.divide(common, union, out=np.zeros(union.shape), where=union > 0)
    containment = np.divide(common, smaller, out=np.zeros(smaller.shape), where=smaller > 0)
    return jaccard, containment


def overlap(a: Iterable[str], b: Iterable[str]) -> tuple[float, float]:
    """(Jaccard, containment) of two sets, from one intersection (see `overlap_scores`)."""
    a, b = set(a), set(b)
    return overlap_scores(len(a & b), len(a), len(b))


def jaccard(a: Iterable[str], b: Iterable[str]) -> float:
    """|A & B| / |A | B| (0 for two empty sets)."""
    return overlap(a, b)[0]


def containment(a: Iterable[str], b: Iterable[str]) -> float:
    """Share of the smaller set found in the larger: catches a short copy inside a long text."""
    return overlap(a, b)[1]


# Words that say how news is written, not what it is about: reporting verbs, honorifics, the
# furniture of credits. Kept out of cluster labels and a period's distinctive terms (measured on
# the labels of BBC, HuffPost and AllSides: "said", "mr", "ap" topped them).
NOT_TOPICS = frozenset({
    "said", "says", "say", "saying", "told", "tells", "added", "adds", "noted", "notes", "stated", "states",
    "according", "reported", "reports", "reporting", "asked", "explained", "announced", "claimed", "wrote",
    "mr", "mrs", "ms", "dr", "sir", "madam", "editing", "writing", "contributed", "contributing", "correspondent",
    "via", "photo", "photos", "image", "images", "getty", "file", "caption", "copyright", "reserved", "rights",
})
# A dateline with an agency credit ("LONDON (Reuters) -", "WASHINGTON, Jan. 5 (AP) —") and a credit
# line ("Reporting by ...; Editing by ..."): found by their shape, not by a list of agencies.
DATELINE_CREDIT = re.compile(r"^\s*[A-Z][A-Z .,'’-]{1,40}(?:,[^()\n]{0,30})?\s*\([A-Za-z][\w .&-]{0,30}\)\s*[-—–:]\s*",
                             re.MULTILINE)
CREDIT_LINE = re.compile(r"^\s*\(?\s*(?:Reporting|Additional reporting|Writing|Editing|Compiled) by\b.*$",
                         re.MULTILINE | re.IGNORECASE)
# "The Associated Press contributed to this report.", "Jane Doe and John Roe contributed to this
# story": a sentence of names and nothing else (not "Years of neglect contributed to this story of
# decline"); bounded, so linear on any text.
_NAME_WORD = r"(?:[A-Z][\w.'’&-]{0,40},?|and|of|the)"
CREDIT_SENTENCE = re.compile(r"(?:^|(?<=[.!?]\s))\(?" + _NAME_WORD + r"(?:\s+" + _NAME_WORD + r"){0,12}\s+"
                             r"contributed to this (?:report|story|article)[.)]*(?=\s|$)", re.MULTILINE)


def topic_text(text: str) -> str:
    """`text` without its dateline credit, credit lines and sentences and possessive 's ("Trump's" is Trump):
    what labels are made from."""
    return re.sub(r"(?<=\w)['’]s\b", "", CREDIT_SENTENCE.sub("", CREDIT_LINE.sub("", DATELINE_CREDIT.sub("", text))))


_INVISIBLE = re.compile("[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")
_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
# Cyrillic and Greek letters drawn like Latin ones: swapped into a Latin text to dodge a copy check.
_HOMOGLYPHS = str.maketrans({
    "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x", "і": "i", "ј": "j", "ѕ": "s", "ԁ": "d",
    "ɡ": "g", "һ": "h", "ԛ": "q", "ԝ": "w", "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O",
    "Р": "P", "С": "C", "Т": "T", "Х": "X", "І": "I", "Ј": "J", "Ѕ": "S", "ο": "o", "α": "a", "ν": "v", "ρ": "p",
    "τ": "t", "ι": "i", "κ": "k", "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M",
    "Ν": "N", "Ο": "O", "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X",
})
_LATIN = re.compile(r"[A-Za-z]")
_CYRILLIC_GREEK = re.compile("[\u0370-\u03ff\u0400-\u04ff\u0500-\u052f\u0261]")
_LOOKALIKE = re.compile("[" + "".join(k for k in map(chr, _HOMOGLYPHS)) + "]")


def comparable(text: str) -> str:
    """`text` as copy detection compares it: invisible characters (zero-width, soft hyphen) gone,
    compatibility forms folded (NFKC), and in a text mostly in Latin letters, every accent dropped
    and Cyrillic and Greek look-alikes read as the Latin letters they imitate. An edit that
    changes only these does not hide a copy; a Russian or Greek text keeps its own letters."""
    if text.isascii():
        return text
    text = _INVISIBLE.sub("", text)
    latin, lookalike = len(_LATIN.findall(text)), len(_LOOKALIKE.findall(text))
    native = len(_CYRILLIC_GREEK.findall(text)) - lookalike  # letters no Latin text could be disguised with
    if native * 10 < latin + lookalike:  # a Latin text, however many look-alikes were swapped into it
        # Accents go whatever their number: a share to keep them above (for Vietnamese, written
        # with many) is one an edit can pass by accenting every "e". Two different articles of a
        # language written with marks do not share most of their five-word runs without them.
        text = _COMBINING.sub("", unicodedata.normalize("NFKD", text)).translate(_HOMOGLYPHS)
    return unicodedata.normalize("NFKC", text)


def text_shingles(text: str, size: int = SHINGLE_SIZE) -> set[str]:
    """The shingles copy detection compares: `shingles` of the words of `comparable(text)`.
    `simtool.text.shingling` hashes exactly these."""
    return shingles(words(comparable(text)), size)
