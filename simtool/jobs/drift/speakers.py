"""Who said it: the speaker a statement is attributed to, by reporting verb or quotation.

News attributes statements in a few fixed shapes: "Harf said", "Anatoly Antonov, the
ambassador, said", "said Marie Harf", "according to the Foreign Ministry", a quotation followed
by "X said". A named speaker is a run of capitalised words next to a reporting verb. Names are
normalised so that "Marie Harf", "Harf" and "Ms. Harf" are one actor: titles are dropped, a
person is their first name and surname, and a surname alone joins the one person of the corpus
with that surname (two Obamas stay apart: `actor_names`). Pronouns ("he said") are not resolved: such
statements stay unattributed rather than guessed. A statistical NER model would find more
speakers; this needs no model and says why it picked each one.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

REPORTING_VERBS = ("said", "says", "stated", "states", "noted", "notes", "added", "adds", "told", "tells",
                   "proposed", "proposes", "offered", "offers", "warned", "warns", "stressed", "stresses",
                   "explained", "announced", "argued", "insisted", "declared", "urged", "claimed", "wrote",
                   "asked", "replied", "emphasized", "emphasised", "suggested", "confirmed", "denied")
_VERB = r"(?:" + "|".join(REPORTING_VERBS) + r")"
_WORD = r"[A-Z][\w'’.-]{0,40}"  # bounded: a 20 kB capitalised token made the patterns backtrack for minutes
_NAME = rf"{_WORD}(?:\s+(?:of\s+|de\s+|van\s+)?{_WORD}){{0,7}}"
_BEFORE = re.compile(rf"(?P<name>{_NAME})\s*,?\s+{_VERB}\b")
_APPOSITION = re.compile(rf"(?P<name>{_NAME})\s*,[^,]{{1,60}},\s+{_VERB}\b")  # "Antonov, the envoy, said"
_AFTER = re.compile(rf"\b{_VERB}\s+(?:[a-z]+\s+){{0,4}}?(?P<name>{_NAME})")
_PREPOSITION_BEFORE = re.compile(r"\b(?:in|at|on|from|of|for|with|to|by|into|over|about|across|against|"
                                 r"under|than|between|among)\s+(?:the\s+)?$")
_ACCORDING = re.compile(rf"\baccording to\s+(?:the\s+)?(?:[a-z]+\s+){{0,3}}?(?P<name>{_NAME})")

_TITLES = {"mr", "mrs", "ms", "dr", "sir", "president", "vice", "prime", "minister", "ambassador", "secretary",
           "spokesperson", "spokesman", "spokeswoman", "deputy", "senator", "sen", "rep", "gov", "governor",
           "general", "gen", "foreign", "chancellor", "chairman", "chief", "mayor", "judge", "justice", "king",
           "queen", "prince", "pope", "the", "us", "u.s.", "uk", "russian", "american", "state"}
_NOT_SPEAKERS = {"he", "she", "it", "they", "we", "i", "you", "this", "that", "there", "but", "and", "in", "on",
                 "at", "as", "when", "while", "if", "after", "before", "tonight", "today", "yesterday", "on friday",
                 "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}
_MONTHS = {"january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"}
_NUMBERS = {"one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
            "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty", "thirty",
            "forty", "fifty", "hundred", "thousand", "million", "dozens", "hundreds", "thousands", "many", "some",
            "most", "few", "several", "both", "all", "none"}
# Words a capitalised run picks up at a sentence's start or from site furniture, never a speaker.
_JUNK = {"other", "others", "read", "more", "also", "here", "what", "why", "how", "who", "which", "where",
         "i've", "i'm", "i'd", "we've", "we're", "they've", "they're", "you're", "it's", "that's", "there's",
         "yes", "no", "not", "now", "then", "still", "so", "meanwhile", "however", "instead", "critics",
         "supporters", "officials", "experts", "analysts", "sources", "people", "americans", "residents",
         "advocates", "opponents", "democrats", "republicans", "lawmakers", "researchers", "studies", "reports",
         "polls", "aides", "observers", "photo", "video", "watch", "related", "advertisement", "subscribe",
         "pro-lifers", "pro-choicers", "activists", "voters", "clinics", "doctors", "liberals", "conservatives",
         "progressives", "state"}
# Laws known by a name of their own, whose text is quoted: no one speaks ("Obamacare would allow ...")
_NAMED_LAWS = {"obamacare", "trumpcare", "aca", "romneycare"}
_US_STATES = {"alabama", "alaska", "arizona", "arkansas", "california", "colorado", "connecticut", "delaware",
              "florida", "georgia", "hawaii", "idaho", "illinois", "indiana", "iowa", "kansas", "kentucky",
              "louisiana", "maine", "maryland", "massachusetts", "michigan", "minnesota", "mississippi", "missouri",
              "montana", "nebraska", "nevada", "hampshire", "jersey", "mexico", "york", "carolina", "dakota", "ohio",
              "oklahoma", "oregon", "pennsylvania", "rhode", "tennessee", "texas", "utah", "vermont", "virginia",
              "washington", "wisconsin", "wyoming"}
# Words of a role ("Deputy Spokesperson", "Democratic Sen."), kept apart from the name after them.
_ROLES = {"mr", "mrs", "ms", "dr", "sir", "president", "vice", "prime", "minister", "ambassador", "secretary",
          "spokesperson", "spokesman", "spokeswoman", "deputy", "senator", "sen", "sens", "senators", "rep", "reps",
          "representative", "gov",
          "governor", "general", "gen", "chancellor", "chairman", "chairwoman", "chair", "chief", "mayor", "judge",
          "justice", "king", "queen", "prince", "pope", "leader", "speaker", "director", "executive", "ceo",
          "founder", "professor", "prof", "attorney", "lt", "lieutenant", "commissioner", "candidate", "former",
          "acting", "senior", "assistant", "associate", "press", "majority", "minority", "whip", "head",
          "democratic", "republican", "sheriff", "officer", "economist", "analyst", "lawyer", "activist", "rev",
          "reverend", "archbishop", "rabbi", "imam", "counselor", "counsellor", "adviser", "advisor", "strategist",
          "solicitor", "surgeon", "consultant", "correspondent", "columnist", "pollster", "organizer", "organiser"}
# Roles that are also surnames and names' words ("Rep. Sanford Bishop", "Cardinal Health"): a role only
# before a name of two words or more ("Cardinal Timothy Dolan", "Father Frank Pavone")
_ROLES_BEFORE_NAMES = {"bishop", "cardinal", "pastor", "father", "counsel", "fellow", "editor", "aide"}
# Nationalities that stand before a role ("the Russian ambassador"): a list, as the endings alone
# (-an, -i, -ese) also make "Hyundai", "Michigan" and "Vatican", which are bodies and places
NATIONALITIES = frozenset("""American Russian Chinese British English French German Israeli Iranian Iraqi Syrian Saudi
Turkish Ukrainian Indian Pakistani Afghan Japanese Korean Mexican Canadian Italian Spanish Egyptian Palestinian Qatari
Emirati Polish Dutch Swedish Norwegian Danish Finnish Irish Scottish Welsh Australian Brazilian Venezuelan Cuban
Colombian Argentine Chilean Peruvian Nigerian Kenyan Ethiopian Somali Sudanese Libyan Tunisian Moroccan Algerian
Lebanese Jordanian Yemeni Kuwaiti Greek Belgian Swiss Austrian Hungarian Czech Slovak Romanian Bulgarian Serbian
Croatian Bosnian Albanian Georgian Armenian Azerbaijani Kazakh Belarusian Lithuanian Latvian Estonian Vietnamese
Thai Filipino Indonesian Malaysian Singaporean Taiwanese Mongolian Burmese Bangladeshi Nepali European Arab Kurdish
African Asian Portuguese""".split())
_PARTIES = {"republican", "democratic", "democrat"}
_HONORIFIC_ROLES = {"mr", "mrs", "ms", "miss", "dr", "sir"}
ABBREVIATED_ROLES = {"sen": "senator", "sens": "senator", "rep": "representative", "reps": "representative",
                      "gov": "governor", "gen": "general", "lt": "lieutenant", "prof": "professor", "rev": "reverend"}
BODY_WORDS = {"department", "ministry", "embassy", "council", "office", "house", "kremlin", "government",
               "agency", "commission", "committee", "court", "parliament", "congress", "senate", "party",
               "police", "army", "military", "administration", "bank", "union", "organization",
               "organisation", "nations", "reuters", "pentagon", "duma", "cabinet"}
_LEADING_JUNK = _MONTHS | _NUMBERS | _JUNK | _NOT_SPEAKERS
LAW_WORDS = {"act", "amendment", "statute", "ordinance"}  # not "law" or "bill": Steven Law, Bill Frist
BILL_NUMBER = re.compile(r"(?:[HS]\.?\s?[BR]\.?|H\.?R\.?|SB|HB)\s?\d{1,5}", re.IGNORECASE)


@dataclass(frozen=True)
class Speaker:
    """A speaker as the tool shows it: the name alone, the role and organisation apart."""

    name: str
    role: str | None
    organisation: str | None
    how: str = "named"  # named in the sentence; or pronoun, description, quotation, author (see attribution)


def describe_speaker(raw: str) -> Speaker:
    """"Deputy Spokesperson of US State Department Marie Harf" -> Marie Harf, deputy
    spokesperson, US State Department; "New York Democratic Sen Chuck Schumer" -> Chuck Schumer,
    democratic senator, New York; "Mr. Romney" -> Romney, no role."""
    owned = _POSSESSED.match(raw.strip())
    if owned and not any(w.lower().strip(".,") in _COMPANY_WORDS for w in owned["name"].split()):
        # "Planned Parenthood’s Laguens": the person, and the body that is theirs (not "McDonald's Corp.")
        person = describe_speaker(owned["name"])
        return Speaker(person.name, person.role, person.organisation or owned["owner"])
    words = [w.strip(".,’'\"“”") for w in raw.split()]
    words = [w for w in words if w]
    if any(w.lower() in BODY_WORDS for w in words) and not any(is_role(w) for w in words):
        return Speaker(" ".join(words), None, None)  # a body speaks: "Russian Foreign Ministry"
    roles = [i for i, w in enumerate(words) if is_role(w) or w.lower() == "of" or _role_before_name(words, i)]
    if not roles or roles[-1] == len(words) - 1:
        return Speaker(" ".join(words), None, None)
    last = roles[-1]
    first = last
    while first > 0 and (is_role(words[first - 1]) or words[first - 1].lower() in {"of"} | _ROLES_BEFORE_NAMES):
        first -= 1
    # a role as a reader says it: "Sen" is senator; "Mr", "Ms" and "Dr" are no role (nor a gender worth a column)
    role_words = [ABBREVIATED_ROLES.get(w.lower(), w.lower()) for w in words[first:last + 1]
                  if w.lower() != "of" and w.lower() not in _HONORIFIC_ROLES]
    tail = words[last + 1:]
    organisation = words[:first]
    if organisation[:1] and organisation[0].lower() == "the":  # "the Rev. James Martin": no body
        organisation = organisation[1:]
    # a party is part of the role wherever it stands: "Republican Tennessee Rep. Diane Black"
    party = [w.lower() for w in organisation if w.lower() in _PARTIES]
    organisation = [w for w in organisation if w.lower() not in _PARTIES]
    role_words = party + [w for w in role_words if w not in party]
    body_at = [i for i, w in enumerate(tail) if w.lower() in BODY_WORDS]
    if body_at and body_at[-1] < len(tail) - 1:  # "... of US State Department Marie Harf"
        organisation, tail = tail[:body_at[-1] + 1], tail[body_at[-1] + 1:]
    # an organisation is named ("US State Department"), not described ("the group's", "Democratic
    # presidential") nor a headline the span picked up
    named_body = " ".join(organisation) if organisation and len(organisation) <= 6 and all(
        w[:1].isupper() or w.lower() in ("of", "for", "and", "the", "&") for w in organisation) else ""
    role = " ".join(role_words) or None
    named_body = re.sub(r"['’]s$", "", named_body)  # "Planned Parenthood’s president": the body is Planned Parenthood
    named_body = re.sub(r"^[Tt]he\s+", "", named_body)  # "of the US State Department Marie Harf"
    if role and named_body in NATIONALITIES:
        # "The Russian ambassador": a nationality or a party describes the role, it is no organisation
        return Speaker(" ".join(tail), f"{named_body} {role}", None)
    return Speaker(" ".join(tail), role, named_body or None)


# "Planned Parenthood’s Laguens": a body's name, then a person's (a capitalised word after "'s")
_COMPANY_WORDS = BODY_WORDS | {"corp", "inc", "co", "ltd", "llc", "investors", "service", "services", "hospital",
                               "group", "foundation", "institute", "university", "college", "church", "news", "times",
                               "post", "journal", "company", "association", "center", "centre", "fund", "bank"}
_POSSESSED = re.compile(r"(?P<owner>[A-Z][\w.&-]{0,40}(?: [A-Z][\w.&-]{0,40}){0,5})['’]s (?P<name>[A-Z][\w.'’ -]{0,80})")


def titles_a_name(name: str) -> bool:
    """Whether a name opens with a role that is also a surname, before a name of two words or more:
    "Cardinal Timothy Dolan", "Father Frank Pavone" (not "Cardinal Health", "Dan Bishop")."""
    return _role_before_name(name.replace(".", "").split(), 0)


def _role_before_name(words: list[str], i: int) -> bool:
    """Whether words[i] is a role that is also a surname, with a name of two words or more after it."""
    return len(words) - i > 2 and words[i].lower() in _ROLES_BEFORE_NAMES


def is_role(word: str) -> bool:
    """Whether a word is a role's: "Sen", "spokesperson", "President-elect", "Vice-President"."""
    lower = word.lower()
    return lower in _ROLES or ("-" in lower and all(part in _ROLES or part == "elect" for part in lower.split("-")))


def speaker_of(statement: str) -> str | None:
    """The name a statement is attributed to, as written (None when there is no named speaker)."""
    found = attribution(statement)
    return found.name if found else None


def attribution(statement: str) -> Speaker | None:
    """The speaker a statement is attributed to, with the role and organisation written beside
    the name (None when there is no named speaker)."""
    for pattern in (_BEFORE, _APPOSITION, _AFTER, _ACCORDING):
        for found in pattern.finditer(statement):
            if pattern is not _ACCORDING and _PREPOSITION_BEFORE.search(statement[:found.start("name")]):
                continue  # "discoveries in Afghanistan confirmed": the object of a preposition, not a speaker
            name = clean_name(found["name"])
            if name:
                described = describe_speaker(" ".join(_without_leading_junk(found["name"].split())))
                return Speaker(name, described.role, described.organisation)
    return None


def _without_leading_junk(words: list[str]) -> list[str]:
    """A capitalised run without what it picked up before the name ("November President Obama",
    "Read ...", a pronoun), and without one leading "the"."""
    start = 0
    while start < len(words) and _bare(words[start]) in _LEADING_JUNK:
        start += 1
    if start < len(words) and _bare(words[start]) == "the":
        start += 1
    return words[start:]


def _bare(word: str) -> str:
    return word.strip(".,’'").lower()


def clean_name(name: str) -> str | None:
    """A name found beside a reporting verb without its leading junk and titles ("November
    President Obama" -> Obama), or a body's whole name; None when nothing is left."""
    words = _without_leading_junk([w for w in (w.strip(".,’'") for w in name.split()) if w])
    body_at = [i for i, w in enumerate(words) if w.lower() in BODY_WORDS]
    if body_at and body_at[-1] < len(words) - 1:  # "State Department Marie Harf": the person after the body
        words = words[body_at[-1] + 1:]
    elif body_at:
        return " ".join(words) or None  # a body speaks: "Russian Foreign Ministry"
    name = describe_speaker(" ".join(words)).name
    words = name.split()
    while words and (words[0].lower() in _TITLES or words[0].lower() in _NOT_SPEAKERS or words[0] == "of"):
        words.pop(0)
    if not words or _not_a_name(words):
        return None
    return " ".join(words)


def _not_a_name(words: list[str]) -> bool:
    """A single word that is a month, a number, a pronoun, furniture or a US state is not a speaker;
    nor is a law ("the Women's Sports Act explains", "HB 509 states"): its text is quoted, no one speaks."""
    if words[-1].lower() in LAW_WORDS or BILL_NUMBER.fullmatch(" ".join(words)):
        return True
    if len(words) > 1:
        return False
    word = words[0].lower()
    return (word in _NOT_SPEAKERS or word in _MONTHS or word in _NUMBERS or word in _JUNK or word in _US_STATES
            or word in _ROLES or word in _NAMED_LAWS or len(word) < 2)


NAME_SUFFIXES = {"jr", "sr", "ii", "iii", "iv"}  # "Robert F. Kennedy Jr.": no surname
_PARTICLES = {"van", "von", "de", "del", "della", "da", "di", "du", "le", "la", "bin", "der", "den"}  # not "al": Al Sharpton


INITIALS = re.compile(r"[A-Z]{2,6}|(?:[A-Z]\.){2,6}")  # a body's initials, as a whole name: "GAO", "F.D.A."
_INITIAL_SKIPS = {"of", "the", "for", "and", "on", "in", "to"}


def actor_names(names: Iterable[str], roles: Mapping[str, Iterable[str]] | None = None) -> dict[str, str]:
    """Each name's actor, under one display name (the longest form it appeared under): "Harf" and
    "Ms. Harf" are "Marie Harf". A person is their first name and surname ("Donald J. Trump" is
    "Donald Trump"); a surname alone joins the one person of the corpus with that surname, and
    stays apart when there are two ("Obama" where both Barack and Michelle Obama speak: keying
    people by surname made them one, and lent Mrs. Trump's title to Donald Trump). A body is its
    full name, and its initials join it where the corpus names one body so ("GAO").

    roles: the roles each name was written with ("Trump": {"president"}): a surname two people of the
    corpus share joins the one of them written with the same role ("President Trump" is Donald
    Trump where Melania and Ivanka Trump also speak)."""
    roles = roles or {}
    names = list(dict.fromkeys(name for name in names if name))
    firsts: dict[str, set[str]] = defaultdict(set)  # surname -> the first names it is written with
    parts: dict[str, tuple[str, str | None, str]] = {}
    for name in names:
        words = name.lower().replace(".", "").split()
        if any(word in BODY_WORDS for word in words):
            parts[name] = ("body", None, " ".join(words))
            continue
        while len(words) > 1 and is_role(words[0]):
            words = words[1:]  # "Rev Al Sharpton" is Al Sharpton
        while len(words) > 1 and words[-1] in NAME_SUFFIXES:
            words = words[:-1]  # "Robert F. Kennedy Jr." is keyed as Robert Kennedy, not as "jr"
        if not words:
            parts[name] = ("person", None, name)  # no word to key by (".")
            continue
        particle = next((i for i, w in enumerate(words[1:-1], start=1) if w in _PARTICLES), len(words) - 1)
        surname = " ".join(words[particle:]) if words[0] not in _PARTICLES else " ".join(words)
        given = [w for w in words[:particle] if len(w) > 1 and w not in _PARTICLES]  # not a middle initial
        parts[name] = ("person", given[0] if given else None, surname)  # "Chris Van Hollen": chris, van hollen
        if given:
            firsts[surname].add(given[0])
    titled: dict[tuple[str, str], set[str]] = defaultdict(set)  # (first name, surname) -> roles written with
    for name, (kind, first, last) in parts.items():
        if kind == "person" and first is not None:
            titled[(first, last)] |= set(roles.get(name, ()))
    keys = {}
    for name, (kind, first, last) in parts.items():
        if kind == "person" and first is None and len(firsts[last]) == 1:
            first = next(iter(firsts[last]))
        elif kind == "person" and first is None and roles.get(name):
            same_role = [f for f in firsts[last] if set(roles[name]) & titled[(f, last)]]
            first = same_role[0] if len(same_role) == 1 else None
        keys[name] = (kind, first, last)
    # a body's initials are the body: "GAO" is the one "Government Accountability Office" the corpus names
    spelled: dict[str, set[str]] = defaultdict(set)
    for name in names:
        capitals = [w for w in re.findall(r"[A-Za-z]+", name) if w.lower() not in _INITIAL_SKIPS]
        # three words or more, or a body's word: "Alan Peters" is not "AP"
        if (len(capitals) >= 3 or (len(capitals) == 2 and parts[name][0] == "body")) and all(
                w[:1].isupper() for w in capitals) and not INITIALS.fullmatch(name) and (
                parts[name][0] == "body" or all(len(w) > 1 for w in capitals)):  # "David H. Smith" is no "DHS"
            spelled["".join(w[0] for w in capitals).upper()].add(name)
    for name in names:
        full = spelled.get(name.replace(".", "")) if INITIALS.fullmatch(name) else None
        if full and len(full) == 1:
            keys[name] = keys[next(iter(full))]
    display: dict[tuple[str, str | None, str], str] = {}
    for name, key in keys.items():
        if len(name) > len(display.get(key, "")):
            display[key] = name
    return {name: display[key] for name, key in keys.items()}


def not_a_speaker(name: str) -> bool:
    """Whether a name found beside a reporting verb is no speaker: empty once its leading junk
    (months, numbers, pronouns, furniture) is dropped, or one word that is a month, a number, a
    pronoun, furniture, a US state or a bare title."""
    words = _without_leading_junk([w for w in (w.strip(".,’'") for w in name.split()) if w])
    return not words or _not_a_name(words)
