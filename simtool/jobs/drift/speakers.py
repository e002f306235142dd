"""Who said it: the speaker a statement is attributed to, by reporting verb or quotation.

News attributes statements in a few fixed shapes: "Harf said", "Anatoly Antonov, the
ambassador, said", "said Marie Harf", "according to the Foreign Ministry", a quotation followed
by "X said". A named speaker is a run of capitalised words next to a reporting verb. Names are
normalised so that "Marie Harf", "Harf" and "Ms. Harf" are one actor: titles are dropped and a
person is keyed by the last word of the name. Pronouns ("he said") are not resolved: such
statements stay unattributed rather than guessed. A statistical NER model would find more
speakers; this needs no model and says why it picked each one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

REPORTING_VERBS = ("said", "says", "stated", "states", "noted", "notes", "added", "adds", "told", "tells",
                   "proposed", "proposes", "offered", "offers", "warned", "warns", "stressed", "stresses",
                   "explained", "announced", "argued", "insisted", "declared", "urged", "claimed", "wrote",
                   "asked", "replied", "emphasized", "emphasised", "suggested", "confirmed", "denied")
_VERB = r"(?:" + "|".join(REPORTING_VERBS) + r")"
_WORD = r"[A-Z][\w'’.-]*"
_NAME = rf"{_WORD}(?:\s+(?:of\s+|de\s+|van\s+)?{_WORD}){{0,4}}"
_BEFORE = re.compile(rf"(?P<name>{_NAME})\s*,?\s+{_VERB}\b")
_APPOSITION = re.compile(rf"(?P<name>{_NAME})\s*,[^,]{{1,60}},\s+{_VERB}\b")  # "Antonov, the envoy, said"
_AFTER = re.compile(rf"\b{_VERB}\s+(?:[a-z]+\s+){{0,4}}?(?P<name>{_NAME})")
_ACCORDING = re.compile(rf"\baccording to\s+(?:the\s+)?(?:[a-z]+\s+){{0,3}}?(?P<name>{_NAME})")

_TITLES = {"mr", "mrs", "ms", "dr", "sir", "president", "vice", "prime", "minister", "ambassador", "secretary",
           "spokesperson", "spokesman", "spokeswoman", "deputy", "senator", "sen", "rep", "gov", "governor",
           "general", "gen", "foreign", "chancellor", "chairman", "chief", "mayor", "judge", "justice", "king",
           "queen", "prince", "pope", "the", "us", "u.s.", "uk", "russian", "american", "state"}
_NOT_SPEAKERS = {"he", "she", "it", "they", "we", "i", "you", "this", "that", "there", "but", "and", "in", "on",
                 "at", "as", "when", "while", "if", "after", "before", "tonight", "today", "yesterday", "on friday",
                 "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}
_BODY_WORDS = {"department", "ministry", "embassy", "council", "office", "house", "kremlin", "government",
               "agency", "commission", "committee", "court", "parliament", "congress", "senate", "party",
               "police", "army", "military", "administration", "bank", "union", "organization",
               "organisation", "nations", "reuters", "pentagon", "duma", "cabinet"}


def speaker_of(statement: str) -> str | None:
    """The name a statement is attributed to, as written (None when there is no named speaker)."""
    for pattern in (_BEFORE, _APPOSITION, _AFTER, _ACCORDING):
        for found in pattern.finditer(statement):
            name = _clean(found["name"])
            if name:
                return name
    return None


def _clean(name: str) -> str | None:
    words = [w.strip(".,’'") for w in name.split()]
    words = [w for w in words if w]
    if words and words[0].lower() == "the":
        words.pop(0)
    body_at = [i for i, w in enumerate(words) if w.lower() in _BODY_WORDS]
    if body_at and body_at[-1] < len(words) - 1:  # "State Department Marie Harf": the person after the body
        words = words[body_at[-1] + 1:]
    elif body_at:
        return " ".join(words) or None  # a body speaks: "Russian Foreign Ministry"
    while words and (words[0].lower() in _TITLES or words[0].lower() in _NOT_SPEAKERS or words[0] == "of"):
        words.pop(0)
    if not words or " ".join(words).lower() in _NOT_SPEAKERS:
        return None
    return " ".join(words)


def actor_key(name: str) -> str:
    """One key per actor: a body by its full name, a person by the last word of the name."""
    words = name.lower().split()
    if any(word in _BODY_WORDS for word in words):
        return " ".join(words)
    return words[-1]


def actor_names(names: Iterable[str]) -> dict[str, str]:
    """Each key's display name: the longest form the actor appeared under ("Marie Harf" over "Harf")."""
    display: dict[str, str] = {}
    for name in names:
        key = actor_key(name)
        if len(name) > len(display.get(key, "")):
            display[key] = name
    return display
