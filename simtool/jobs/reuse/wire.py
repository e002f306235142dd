"""Marks of a wire story, by the shape newswire copy has, not by a list of agencies: a dateline
opening the text ("WASHINGTON (AP) —", "LONDON, March 3 (Reuters) -", "PARIS —") or a wire
credit closing it ("(Reporting by ...; Editing by ...)")."""

from __future__ import annotations

import re

# A place in capitals, an optional date, an optional source in brackets, then a dash (or, after
# a source in brackets, a colon).
_DATELINE = re.compile(
    r"^\s*(?P<mark>(?P<place>[A-Z][A-Z.'’-]+(?: [A-Z][A-Z.'’-]+){0,3})"   # WASHINGTON, NEW YORK, ST. LOUIS
    r"(?:,\s*[A-Z][\w.'’-]{1,20}(?: [\w.'’-]{1,20}){0,2})?"                # , Calif. / , March 3
    r"(?P<agency>\s*\((?:[A-Z][\w&.'’-]{0,20}(?: [A-Z][\w&.'’-]{0,20}){0,3})\))?"  # (AP), (Reuters)
    r"\s*(?P<end>—|–|-{1,2}|:))\s+\S")
# Labels that open a story in capitals like a place does, but are no dateline ("EXCLUSIVE: ...").
_KICKERS = frozenset({"ANALYSIS", "BREAKING", "COMMENT", "COMMENTARY", "EDITORIAL", "EXCLUSIVE", "FACT CHECK",
                      "INTERVIEW", "LIVE", "OPINION", "PHOTOS", "PODCAST", "REVIEW", "UPDATE", "UPDATED",
                      "VIDEO", "WATCH", "LISTEN", "CORRECTION", "BREAKING NEWS", "NEWS", "SPONSORED"})
_CREDIT = re.compile(r"\((?i:additional )?(?i:reporting|writing|editing|compiled) (?i:by) [A-Z][^()]{1,200}\)")
_CREDIT_REACH = 600  # a wire credit sits in the last characters of the text


def wire_mark(text: str) -> str | None:
    """The dateline or wire credit that marks `text` as wire copy, as written; None if neither."""
    opening = _DATELINE.match(text[:200])
    if opening and any(ch.islower() for ch in text[opening.end():opening.end() + 40]) \
            and opening.group("place") not in _KICKERS and (opening.group("end") != ":" or opening.group("agency")):
        return opening.group("mark").strip()
    credit = _CREDIT.search(text[-_CREDIT_REACH:])
    return credit.group() if credit else None
