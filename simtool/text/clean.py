"""Web junk out of scraped article text, line by line, keeping every sentence of the body.

Why by hand: boilerplate removers (trafilatura, justext) work on HTML structure or on a
stop-word density cut that drops short body sentences and keeps title-case teasers; and none
uses what a corpus tells about its own furniture (the same line on many pages). Here each line
gets features and a verdict, in the spirit of jusText (Pomikalek 2011), in three steps:

1. Features: sentence punctuation at the end; word count; share of capitalised content words
   (teaser headlines are Title Case); a trailing " - Site Name"; a credit mark (©);
   letters from another script than the document's; interface vocabulary ("subscribe",
   "comments", "cookies"); a line repeated inside the document (captions shown twice); a line
   found in several documents of the corpus (site furniture).
2. Verdicts: `junk` for a line with a decisive feature, `good` for a sentence-like line,
   `short` for a short non-sentence (a subheading or a widget label), `uncertain` for a long
   line without sentence punctuation.
3. Context: an `uncertain` line or a bulleted `list` item is kept next to body text; then a
   `short` line is kept only between kept lines (a subheading inside the body, not a label in
   a footer).

Every step is linear in the input (no backtracking regular expressions), so a 5 MB line or
adversarial input costs what ordinary text does.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from simtool.text.basics import normalize_space, words

GOOD, JUNK, SHORT, UNCERTAIN, LIST = "good", "junk", "short", "uncertain", "list"

_CLOSERS = "\"'”’»)]」』）"
# A line repeated whole anywhere before is a repeat; one contained in a longer line is looked for
# among the lines just before it only (all of them made the cleaner quadratic: 108 s for 40k lines).
RECENT_LINES = 200
_SENTENCE_END = ".!?…。！？"  # with the full stops of Chinese and Japanese
# Scripts written without spaces between words: a line's words are counted from its characters
# (about two a word in Chinese) so that a Chinese paragraph is not "a single word".
_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_SITE_SEPARATORS = (" - ", " – ", " — ", " | ", " :: ")
_CREDIT_MARKS = ("©", "(c) ", "(C) ", "Ⓒ")
# Interface words of web pages: a weight per word; strong ones alone mark a short line.
_INTERFACE_WORDS = {
    **dict.fromkeys(("subscribe", "unsubscribe", "subscription", "newsletter", "newsletters",
                     "advertisement", "sponsored", "cookie", "cookies", "login",
                     "signup", "comments", "comment", "javascript", "browser", "loading",
                     "paywall", "copyright", "privacy"), 2),
    **dict.fromkeys(("share", "click", "tap", "sign", "log", "register", "follow", "read",
                     "more", "related", "email", "print", "tweet", "facebook", "twitter",
                     "whatsapp", "linkedin", "telegram", "menu", "search", "home", "view", "inbox",
                     "reply", "discussion", "download", "app", "rights",
                     "reserved", "terms", "article", "story", "stories", "video", "photo",
                     "image", "gallery", "watch", "listen", "podcast", "skip", "next",
                     "previous", "back", "top", "continue", "consent", "accept"), 1),
}
_REPEAT_NORMALIZE = re.compile(r"\d")
_BULLETS = ("- ", "* ", "• ", "– ", "— ", "· ")


@dataclass(frozen=True)
class RemovedLine:
    """A line the cleaner dropped, with its number in the input (1-based) and why."""

    line: int
    text: str
    reason: str


@dataclass(frozen=True)
class CleanResult:
    """The cleaned text and what was removed from the input."""

    text: str
    removed: tuple[RemovedLine, ...] = field(default=())


def _line_key(line: str) -> str:
    """A key under which repeats of one line meet (case, digits and spacing ignored)."""
    return _REPEAT_NORMALIZE.sub("0", line.lower())


def _script(ch: str) -> str:
    try:
        return unicodedata.name(ch).split(" ", 1)[0]
    except ValueError:
        return "UNKNOWN"


def _dominant_script(lines: list[str]) -> str:
    counts: Counter[str] = Counter()
    for line in lines:
        for ch in line[:400]:
            if ch.isalpha():
                counts[_script(ch)] += 1
    return counts.most_common(1)[0][0] if counts else "LATIN"


def _foreign_share(line: str, script: str) -> float:
    letters = [ch for ch in line[:400] if ch.isalpha()]
    if not letters:
        return 0.0
    return sum(1 for ch in letters if _script(ch) != script) / len(letters)


def _ends_sentence(line: str) -> bool:
    end = line.rstrip(_CLOSERS + " ")
    return bool(end) and end[-1] in _SENTENCE_END


def _site_suffix(line: str) -> str | None:
    """The " - Site Name" at the end of a teaser or caption, if the tail looks like a name."""
    for sep in _SITE_SEPARATORS:
        cut = line.rfind(sep)
        if cut <= 0:
            continue
        tail = line[cut + len(sep):].strip()
        names = tail.split()
        if 1 <= len(names) <= 5 and all(n[0].isupper() or n[0].isdigit() for n in names) \
                and len(tail) <= 60:
            return tail
    return None


def _capitalised_share(tokens: list[str]) -> float:
    content = [t for t in tokens if t[:1].isalpha() and t.lower() not in ENGLISH_STOP_WORDS]
    if not content:
        return 0.0
    return sum(1 for t in content if t[0].isupper()) / len(content)


def _interface_weight(tokens: list[str]) -> int:
    return sum(_INTERFACE_WORDS.get(t, 0) for t in tokens)


@dataclass(frozen=True)
class _Line:
    number: int
    text: str
    verdict: str
    reason: str = ""


class Cleaner:
    """Removes web junk from article text.

    `fit(texts)` learns the lines repeated across a corpus (site furniture); `clean(text)`
    works without it too, on features of the text alone.

    Parameters
    ----------
    min_repeat_docs : a non-sentence line found in at least this many documents is furniture.
    min_repeat_share : a sentence-like short line is furniture when found in at least this share
        of the documents (and in at least 3): "All rights reserved." on every page.
    """

    def __init__(self, min_repeat_docs: int = 2, min_repeat_share: float = 0.05) -> None:
        if min_repeat_docs < 2:
            raise ValueError(f"min_repeat_docs must be >= 2, got {min_repeat_docs!r}")
        if not 0.0 < min_repeat_share <= 1.0:
            raise ValueError(f"min_repeat_share must be in (0, 1], got {min_repeat_share!r}")
        self.min_repeat_docs = min_repeat_docs
        self.min_repeat_share = min_repeat_share

    def fit(self, texts: Iterable[str]) -> Cleaner:
        """Count in how many documents each line occurs."""
        counts: Counter[str] = Counter()
        n_docs = 0
        for text in texts:
            n_docs += 1
            counts.update({_line_key(normalize_space(line)) for line in text.splitlines() if line.strip()})
        self.line_doc_counts_ = Counter({k: v for k, v in counts.items() if v >= self.min_repeat_docs})
        self.n_docs_ = n_docs
        return self

    def _repeated_in_corpus(self, line: str, sentence_like: bool, n_words: int) -> bool:
        counts = getattr(self, "line_doc_counts_", None)
        if not counts:
            return False
        seen = counts.get(_line_key(line), 0)
        if not sentence_like:
            return seen >= self.min_repeat_docs
        return n_words <= 25 and seen >= max(3, self.min_repeat_share * self.n_docs_)

    def _classify(self, number: int, line: str, script: str, seen: list[str], title: str,
                  seen_keys: set[str]) -> _Line:
        tokens = line.split()
        lowered = words(line)
        n_words = max(len(lowered), len(_UNSPACED.findall(line)) // 2)
        sentence_like = _ends_sentence(line)

        def junk(reason: str) -> _Line:
            return _Line(number, line, JUNK, reason)

        if not any(ch.isalpha() for ch in line):
            return junk("no words")
        if line.startswith(_CREDIT_MARKS):
            return junk("credit line (©)")
        key = _line_key(line)
        if title and key == _line_key(title):
            return junk("repeats the title")
        suffix = None if sentence_like else _site_suffix(line)
        if suffix:
            return junk(f"ends with a site name (- {suffix})")
        core = key if suffix is None else _line_key(line[: -len(suffix)].rstrip(" -–—|:"))
        if n_words >= 5 and (core in seen_keys or any(core in other for other in seen[-RECENT_LINES:])):
            return junk("repeats an earlier line (a caption or teaser shown twice)")
        if self._repeated_in_corpus(line, sentence_like, n_words):
            return junk(f"found in {self.line_doc_counts_[key]} documents (site furniture)")
        if not sentence_like and _foreign_share(line, script) > 0.5:
            return junk("in another script than the article")
        weight = _interface_weight(lowered)
        strong = any(_INTERFACE_WORDS.get(t, 0) >= 2 for t in lowered)
        if (not sentence_like and n_words <= 8 and weight >= 2) or (n_words <= 15 and weight >= 3 and strong):
            return junk("page interface words")
        if line.startswith(_BULLETS) and n_words >= 2:
            return _Line(number, line, LIST, "list item away from the body")
        if not sentence_like and n_words >= 4 and _capitalised_share(tokens) >= 0.75:
            return junk("a headline (Title Case, no sentence punctuation): a teaser or caption")
        if sentence_like and n_words >= 3:
            return _Line(number, line, GOOD)
        if n_words >= 10:
            return _Line(number, line, UNCERTAIN, "long line without sentence punctuation, away from the body")
        if n_words <= 1:
            return junk("a single word")
        return _Line(number, line, SHORT, "short line outside the body")

    def classify(self, text: str, title: str = "") -> list[_Line]:
        """Every non-blank line of `text` with its verdict, context applied."""
        raw = [(i, normalize_space(line)) for i, line in enumerate(text.splitlines(), start=1)]
        raw = [(i, line) for i, line in raw if line]
        script = _dominant_script([line for _, line in raw])
        seen: list[str] = []
        seen_keys: set[str] = set()
        lines: list[_Line] = []
        for number, line in raw:
            classified = self._classify(number, line, script, seen, title, seen_keys)
            lines.append(classified)
            seen.append(_line_key(line))
            seen_keys.add(seen[-1])
        return _apply_context(lines)

    def clean(self, text: str, title: str = "") -> CleanResult:
        """The text without its junk lines; `title` (if given) is dropped where repeated in it."""
        lines = self.classify(text, title)
        kept = [line.text for line in lines if line.verdict == GOOD]
        removed = tuple(RemovedLine(line.number, line.text, line.reason)
                        for line in lines if line.verdict != GOOD)
        return CleanResult("\n".join(kept), removed)


def _resolve(lines: list[_Line], verdicts: set[str], both_sides: bool) -> list[_Line]:
    """Decide the lines whose verdict is in `verdicts` by the nearest decided lines around them."""
    decided = [line.verdict if line.verdict in (GOOD, JUNK) else None for line in lines]

    def nearest(index: int, step: int) -> str | None:
        j = index + step
        while 0 <= j < len(lines):
            if decided[j] is not None:
                return decided[j]
            j += step
        return JUNK  # the edge of the document counts as junk: labels sit in headers and footers

    result = []
    for i, line in enumerate(lines):
        if line.verdict not in verdicts:
            result.append(line)
            continue
        before, after = nearest(i, -1) == GOOD, nearest(i, 1) == GOOD
        keep = (before and after) if both_sides else (before or after)
        result.append(_Line(line.number, line.text, GOOD if keep else JUNK, "" if keep else line.reason))
    return result


def _apply_context(lines: list[_Line]) -> list[_Line]:
    """Long lines and list items join the body they touch; then short lines need it on both sides."""
    return _resolve(_resolve(lines, {UNCERTAIN, LIST}, both_sides=False), {SHORT}, both_sides=True)


def clean_text(text: str, title: str = "") -> str:
    """`text` without web junk, judged on its own (no corpus statistics)."""
    return Cleaner().clean(text, title).text
