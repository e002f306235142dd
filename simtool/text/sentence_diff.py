"""What a copy added to and dropped from an original, sentence by sentence.

Republished copies mostly keep paragraphs whole (they drop, move or add some), so lines are
compared first and only the lines that differ are split into sentences: splitting is most of
the cost, and a group of twenty copies would otherwise split the same paragraphs twenty times.
"""

from __future__ import annotations

from simtool.text.basics import normalized_lines, sentences_by_line


class SentenceDiff:
    """Compares texts with one original; `diff(text)` gives (added, dropped) sentences."""

    def __init__(self, original: str) -> None:
        lines = list(dict.fromkeys(normalized_lines(original)))
        self._lines = dict(zip(lines, sentences_by_line(lines)))  # line -> its sentences
        self._sentences = {s.lower(): s for sentences in self._lines.values() for s in sentences}

    def diff(self, text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """(sentences of `text` the original lacks, sentences of the original `text` lacks), in text order."""
        lines = list(dict.fromkeys(normalized_lines(text)))
        new_lines = [line for line in lines if line not in self._lines]
        own = {s.lower(): s for line in lines if line in self._lines for s in self._lines[line]}
        own.update((s.lower(), s) for sentences in sentences_by_line(new_lines) for s in sentences)
        added = tuple(s for key, s in own.items() if key not in self._sentences)
        dropped = tuple(s for key, s in self._sentences.items() if key not in own)
        return added, dropped
