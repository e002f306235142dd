"""Findings in words: two or three sentences assembled from a drift result's evidence.

Nothing is generated that the evidence does not carry: each sentence names a period, the speaker
quoted most in it (with the role and organisation written beside the name), and that speaker's own
words: a sentence of theirs that one of their statements quotes (one near the period's centre
first), else their statement nearest the centre; then whether any change between periods is
significant, and the largest one with the shares it rests on.
"""

from __future__ import annotations

import re
from typing import Any

from simtool.jobs.drift.attribution import CURLY_QUOTATION, QUOTED_WORDS, STRAIGHT_QUOTATION


def findings(result: Any) -> list[str]:
    """Sentences for the summary of `result` (a `DriftResult`)."""
    periods = result.periods
    if not periods:
        return []
    chosen = [periods[0], periods[-1]]
    after = next((p for p in periods if result.largest_change and p.period == result.largest_change.after), None)
    if after is not None:
        chosen.insert(1, after)
    sentences, seen = [], set()
    for period in chosen:  # the first, the one after the largest change, the last
        if period.period not in seen:
            seen.add(period.period)
            sentences.append(_period_sentence(period))
    if result.largest_change is not None:
        step = result.largest_change
        what = []
        if step.share_significant:
            what.append(f"the share of sentences on the topic went from {step.share_before:.1%} to {step.share_after:.1%}")
        if step.content_significant:
            what.append(f"what is said about it moved (effect {step.content_effect:.2f})")
        sentences.append(f"The largest significant change is from {step.before} to {step.after} (effect {step.effect:.2f}, "
                         f"p {step.p:.3f} after correction): " + " and ".join(what) + ".")
    elif result.untestable:
        sentences.append("Whether anything changed between periods cannot be tested: they have too few articles "
                         "or sentences on the topic.")
    elif result.drift:
        sentences.append("No change between periods is significant: the periods are not shown to differ more "
                         "than random splits of their articles do.")
    return sentences


def _period_sentence(period: Any) -> str:
    speakers = [s for s in period.actors if s.name in period.actor_statements]
    if not period.statements:
        return f"In {period.period}, no statement of the articles is about the topic."
    if not speakers:
        statement = period.statements[0].text if period.statements else ""
        return f"In {period.period}, {period.documents} article(s) said, most centrally: {_quoted(statement)}"
    top = speakers[0]
    described = ", ".join(x for x in (top.role, top.organisation) if x)
    who = f"{top.name} ({described})" if described else top.name
    central = {s.text for s in period.statements}
    said = period.actor_statements[top.name]
    # a sentence of their own that a central statement quotes, else one any statement of theirs
    # quotes, else the central statement that reports them (a quoted phrase alone needs its sentence)
    known = set(re.findall(r"[\w’'.-]+", " ".join(x for x in (top.name, top.role, top.organisation) if x)))
    for statements in ([s for s in said if s.text in central], said):
        own = [words for s in statements if (words := own_words(s.text, known))]
        if own:
            return f"In {period.period}, {who} said: {_quoted(max(own, key=lambda w: len(w.split())))}"
    quote = next((s.text for s in said if s.text in central), said[0].text)
    return f"In {period.period}, {who} said: {_quoted(quote)}"


_QUOTATION = re.compile(f"{CURLY_QUOTATION}|{STRAIGHT_QUOTATION}")
_WHEN = re.compile(r"\b(?:1[89]\d\d|20\d\d|at the time|ago|earlier|previously|once|in the past|last (?:year|month|"
                   r"week)|then)\b", re.IGNORECASE)
_CITING = re.compile(r"\b(?:cit(?:e|es|ed|ing)|quot(?:e|es|ed|ing)|point(?:s|ed|ing)? to|refer(?:s|red|ring)? to|"
                     r"according to|read(?:s|ing)? (?:from|out|aloud))\b", re.IGNORECASE)
_FUNCTION = {"The", "A", "An", "He", "She", "They", "We", "I", "It", "His", "Her", "Their", "In", "On", "At", "As",
             "But", "And", "Or", "So", "Yet", "That", "This", "Mr.", "Ms.", "Mrs.", "Dr.", "Sen.", "Rep.", "Gov."}


def own_words(statement: str, speaker: set[str]) -> str | None:
    """The speaker's own words in a statement, to quote without the sentence around them: the
    quotations of it that make a sentence of theirs (a quotation continued after "she said," joined
    with an ellipsis; one that opens the statement and runs on past it), or None where the words around the quotation and its attribution name
    someone else or cite ("pointed to the statement:": another's words) or name a time ("promised
    in 2009", "said at the time": their words of another day), or where no quotation is a sentence
    of theirs."""
    found = list(_QUOTATION.finditer(statement))
    if not found:
        # a quotation that opens the statement and runs on past it (the next sentence closes it)
        opened = statement.strip()
        if opened[:1] in "“\"" and not re.search(r"[“”\"]", opened[1:]) and _their_sentence(opened[1:]):
            return opened[1:].rstrip(",;:").strip()
        return None
    ends = [q.start() for q in found[1:]] + [len(statement)]
    around = statement[:found[0].start()] + " " + " ".join(  # before the first, and each one's attribution
        re.split(r"[,.;:]", statement[q.end():end], maxsplit=1)[0] for q, end in zip(found, ends))
    names = [w for w in re.findall(r"\b[A-Z][\w’'.-]*", around) if w not in speaker and w not in _FUNCTION]
    if names or _WHEN.search(around) or _CITING.search(around):
        return None
    spans = [q.group()[1:-1].strip() for q in found]
    joined: list[str] = []
    for span in spans:
        if joined and joined[-1].endswith(",") and span[:1].islower():
            joined[-1] = joined[-1].rstrip(",") + " … " + span
        else:
            joined.append(span)
    sentences = [span for span in joined if len(span.split()) >= QUOTED_WORDS and _their_sentence(span)]
    return max(sentences, key=lambda span: len(span.split())).rstrip(",;:").strip() if sentences else None


def _their_sentence(span: str) -> bool:
    """A quotation that is a sentence of the speaker's: it opens with a capital, and is not a quoted
    title ("The Protect Life Act of 2019", "Forgetting to be Afraid": most of its words other than
    short ones capitalised)."""
    words = [w for w in span.split() if w[:1].isalpha() and (len(w) > 3 or w[:1].isupper())]
    return span.strip()[:1].isupper() and bool(words) and sum(w[:1].isupper() for w in words) < 0.6 * len(words)


def _quoted(text: str) -> str:
    """The statement in quotation marks; quotation marks inside it become single ones, as nested
    quotations are written (a statement that is itself a quotation is not quoted twice)."""
    text = _short(text)
    if text[:1] in "\"“" and text[-1:] in "\"”" and not re.search(r"[\"“”]", text[1:-1]):
        text = text[1:-1]
    text = text.replace("\u201c", "\u2018").replace("\u201d", "\u2019")
    # a straight mark opens after a space, a bracket or a dash, or at the start ('"$5 billion'), else it closes
    text = re.sub(r'(?:^|(?<=[\s(\[—-]))"', "\u2018", text).replace('"', "\u2019")
    closing = len(re.findall(r"\u2019(?!\w)", text))  # "Russia’s" has an apostrophe, not a closing mark
    if text.count("\u2018") > closing:  # a nested quotation cut short closes all the same
        text += "\u2019"
    return f"\u201c{text}\u201d"


def _short(text: str, limit: int = 220) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1].rsplit(" ", 1)[0] + "\u2026"
