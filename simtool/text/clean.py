"""Web junk out of scraped article text, line by line, keeping every sentence of the body.

Why by hand: boilerplate removers (trafilatura, justext) work on HTML structure or on a
stop-word density cut that drops short body sentences and keeps title-case teasers; and none
uses what a corpus tells about its own furniture (the same line on many pages). Here each line
gets features and a verdict, in the spirit of jusText (Pomikalek 2011), in three steps:

1. Features: sentence punctuation at the end; word count; capitalised content words and
   capitalised small words ("Giggs Handed Wales A Leading Role" is a teaser headline, "Paddy
   O'Brien (New Zealand)" a row of a table); a trailing " - Site Name" that the corpus repeats;
   a credit mark (©), a byline, a photo credit or caption ("FILE PHOTO:", "REUTERS/Name");
   a label that introduces a link ("RELATED: ...", "JUST WATCHED"); letters from another
   script than the document's; interface vocabulary ("subscribe", "comments", "cookies"); a
   call to the reader ("Follow X on Twitter", "Write to X at address", "contact us"); a "Read
   More" link; a separator ("___"); a line repeated inside the document (captions shown twice)
   or opening a later paragraph (a pull quote); a line found in several documents of the
   corpus, or of the document's own source (site furniture). A line ends as a sentence also
   before a cited source ("[Fox News, 11/20/13]") or a tweet's signature, or with a lead-in colon.
2. Verdicts: `junk` for a line with a decisive feature, `good` for a sentence-like line,
   `short` for a short non-sentence (a subheading, a row of a table, a widget label) or a
   sentence its source repeats, `uncertain` for a long line without sentence punctuation.
3. Context: an `uncertain` line or a bulleted `list` item is kept next to body text; then a
   `short` line is kept only between kept lines (a subheading inside the body, not a label in
   a footer), or right after the body and right before furniture the corpus repeats (a table's
   last row before "Related Stories"). An advertisement or a caption between two paragraphs does not end the body:
   context looks past up to two junk lines, not past a block of furniture.

Every step is linear in the input (no backtracking regular expressions), so a 5 MB line or
adversarial input costs what ordinary text does.
"""

from __future__ import annotations

import itertools
import operator
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from simtool.text.basics import normalize_space, words

GOOD, JUNK, SHORT, UNCERTAIN, LIST, HEADLINE = "good", "junk", "short", "uncertain", "list", "headline"

_CLOSERS = "\"'”’»)]」』）"
# A line repeated whole anywhere before is a repeat; one contained in a longer line is looked for
# among the lines just before it only (all of them made the cleaner quadratic: 108 s for 40k lines).
RECENT_LINES = 200
# Junk lines between two paragraphs that do not end the body (an advertisement, a caption);
# more in a row are a block of furniture.
INSERTED_LINES = 2
STORY_SENTENCE_WORDS = 15  # a sentence this long, in the same documents as another, is a story's
STORY_WORDS = 40  # lines of this many words in all, in the very same documents of two outlets, are a passage they share
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
# Small words a teaser headline capitalises and running text does not ("Police Hunt For The
# Attacker"); the first word and one after a colon, a dash or a bracket start a phrase anyway.
_SMALL_WORDS = frozenset({"a", "an", "and", "as", "at", "by", "for", "from", "in", "into", "of", "on", "or",
                          "the", "to", "with", "over", "after", "is", "are", "be", "will", "its", "his", "her"})
_PHRASE_START = re.compile(r"(?:^|[:\-–—(|])\s*$")
# A photo's caption or credit, and a byline: furniture whatever its punctuation.
_CAPTION = re.compile(r"^(?:image copyright|image caption|media caption|media playback|file photo|photo:|cover:|"
                      r"enlarge this image|toggle caption|story highlights)|\(photo:|\b(?:getty images|ap photo)\b"
                      # a credit as captions write it ("Photograph by Angie Smith"; not "photos by a paparazzo")
                      r"|(?-i:\bPhoto(?:graph)?s? (?:[Ii]llustration )?by [A-Z])"
                      # a credit closing the caption: "[Bilal Kuchay/Al Jazeera]", "(Carlos Barria/Reuters)"; not
                      # a hat tip, "(H/T Daily Caller)"
                      r"|(?-i:[\[(]\s*(?![Hh]/[Tt])[A-Z][^\[\]()/]{0,60}/\s*[A-Z][^\[\]()]{0,60}[\])]\s*$)"
                      r"|(?-i:^CLOSE [A-Z])",  # a video player's caption (Gannett's sites)
                      re.IGNORECASE)
# A picture's credit closing a line that is not a sentence, right after a name: "Justice Sonia
# Sotomayor Associated Press" (not "The fight with the EPA", "Mayor Michael Bloomberg")
_CREDIT_END = re.compile(r"\b[A-Z][\w.'’-]{1,40} (?:Associated Press|Getty Images|Reuters|AFP)\s*$")
# A link to another page: "Read More Masks Sold by ...", "... | Jessica Valenti Read more"
_READ_MORE = re.compile(r"^(?:read|see|watch) more\b|\bread more\s*$", re.IGNORECASE)
_READ_MORE_LABEL = re.compile(r"^(?:Read|See|Watch) (?:More|MORE) [A-Z]|^(?:READ|SEE|WATCH) MORE\b")  # a label, whatever follows
# "REUTERS/Aaron P. Bernhard" closing a caption (not "HIV/Aids" inside a sentence)
_AGENCY_CREDIT = re.compile(r"\b[A-Z]{3,}/[A-Z][\w.'’-]{0,30}(?: [A-Z][\w.'’-]{0,30}){0,3}\s*$")
# A label of the page standing alone ("Story Continued Below", "Further reading", "More On This...",
# "Click for more from The Washington Post."), a time stamp of the page ("Updated at 5 p.m. ET",
# "Last updated: June 3, 2019"; not "[Updated at 10:06 a.m. ET] This is the case ..."), and the
# disclaimer a site closes opinion pieces with.
_PAGE_LABEL = re.compile(
    r"^(?:story continue[sd] below|continue reading(?: (?:below|the main story))?|further reading|recommended(?: reading)?|"
    r"related coverage|more on this(?: story)?|(?-i:More from(?: [A-Z][\w.'’-]*){1,5})|"
    r"click (?:here )?for more(?-i:(?: from(?: [A-Z][\w.'’-]*| the){1,6})?))"
    r"\s*(?:\.{3}|…|\.|:)?$"
    r"|^the (?:opinions|views) expressed (?:in this (?:article|column|piece)|(?:here )?by (?:the )?(?:columnists?|authors?|writers?))"
    r" are (?:their|the author['’]s|the writer['’]s|his|her|solely)",
    re.IGNORECASE)
_CLOCK = r"\d{1,2}(?::\d{2})?\s*(?:[ap]\.m\.|[AaPp][Mm])"
_DAY = (r"(?:(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.? \d{1,2},? \d{4}"
        r"|\d{1,2} (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]* \d{4}|\d{1,2}/\d{1,2}/\d{2,4})")
# A time stamp of the page standing alone: "Updated at 5 p.m. ET", "Last updated: June 3, 2019",
# "Updated 10/21/2013 at 3:54 p.m. ET" (a time or a date must follow: "Updated boosters became
# available in September 2023." is a sentence)
_TIME_STAMP = re.compile(
    rf"^\[?(?:[Ll]ast [Uu]pdated|[Uu]pdated|UPDATED|[Pp]osted|POSTED|[Pp]ublished|PUBLISHED|[Ff]irst [Pp]ublished)"
    rf"(?: (?:at|on))?:?\s+(?:{_DAY}(?:,? (?:at )?{_CLOCK})?|{_CLOCK}(?:,? (?:on )?{_DAY})?)"
    r"(?:\s+(?:ET|EST|EDT|CT|CST|CDT|MT|PT|PST|PDT|GMT|BST|UTC))?\.?\]?$")
_REPORTED = re.compile(r"\b(?:said|says|told|added)\b")
_BYLINE = re.compile(r"^by [A-Z][\w.'’-]+(?: [A-Z][\w.'’-]+){0,3}$", re.IGNORECASE)
# A label that introduces a link to another page: "RELATED: ...", "( Also on POLITICO: ...)",
# "JUST WATCHED ...": words of the interface before a colon, or in capitals at the start.
_LINK_LABEL = re.compile(r"^\(?\s*(?:[\w'’]+\s+){0,3}[\w'’]+\s*:|^[A-Z]{2,}(?:\s+[A-Z]{2,}){0,2}\b")
_LINK_WORDS = frozenset(_INTERFACE_WORDS) | {"also", "see", "watched", "must", "photos", "videos", "highlights",
                                           "coverage", "trending", "recommended", "popular", "playing", "now"}
_EMAIL = re.compile(r"[\w.+-]{1,64}@[\w-]{1,63}\.[\w.-]{2,24}")  # bounded: linear on any line
_BULLETS = ("- ", "* ", "• ", "– ", "— ", "· ")
# A call to the reader, not the article: to follow, write to or sign up with the site. Only on a
# line without quotation marks (a quoted "contact us" is someone's words). Either an imperative
# opening the line or one of its sentences ("Follow Kyle on Twitter", "... newsroom. Sign up to
# receive our stories"; not "60 million people follow him on Twitter"), or words that address the
# reader as the site ("contact us", "to your inbox"; "us" in lower case: not "contact US officials").
_READER_CALL = re.compile(
    r"(?:^|[.!?:]\s+)(?:[-•*]\s*)?(?:Follow (?:us|me|him|her|them|[A-Z][\w'’-]*(?: [A-Z][\w'’-]*){0,3}) on "
    r"(?:Twitter|Facebook|Instagram|TikTok|YouTube|LinkedIn)|Like us on|Send (?:us )?(?:your )?(?:news )?tips|"
    r"(?:Write to|Reach|Contact) (?:the author|him|her|them|[A-Z][\w'’-]*(?: [A-Z][\w'’-]*){0,3}) at [\w.+-]{1,64}@|"
    r"Sign up|Subscribe (?:to|for|now|today)|Click here|Thank you for (?:signing up|subscribing)|(?:Tell|Help) [Uu]s (?i:more|about|your|report)|"
    r"Become a (?:member|supporter|subscriber)|Make a contribution|Support (?:our|independent) journalism)"
    r"|(?i:\b(?:contact|e-?mail|write to|follow|like) (?-i:us)\b|\bif you are willing to speak to\b"
    r"|\bto your inbox\b|\badd [\w' ]{1,40} to your (?:facebook|twitter|news feed|feed|inbox)\b"
    r"|\bsupport our journalism\b|\bnewsletters? sign up\b)")
_SHORT_REASON, _NO_WORDS_REASON = "short line outside the body", "no words, outside the body"
_QUOTE_MARKS = "\"“”"
_SECOND_PERSON = re.compile(r"\byou(?:r|rs)?\b", re.IGNORECASE)
LEAD_IN_WORDS = 10  # "... here's Nancy Pelosi trotting out a tired talking point:" introduces a quotation
CITATION_CHARS = 200  # how far from a line's end a cited source or a tweet's signature is looked for
PULL_QUOTE_WORDS = 8
CAPTION_CHARS = 1000  # no caption or credit is longer; the bound keeps the caption patterns linear
# What follows a sentence of the body on the same line: a source cited in brackets, or the
# signature of an embedded tweet. Bounded: linear on any line.
_TRAILING_CITATION = re.compile(r"\s*(?:\[[^\[\]]{1,120}\]|[—–-]{1,2}\s*[^—–()]{1,60}\(@\w{1,30}\)[\w ,]{0,30})\s*$")


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
    """Whether a line ends as running text does: with sentence punctuation (before a source
    cited in brackets, "... [Fox News, 11/20/13]", or an embedded tweet's signature, "... — Name
    (@handle) January 4, 2017"), or with the colon of a long lead-in to a quotation."""
    line = line[:-CITATION_CHARS] + _TRAILING_CITATION.sub("", line[-CITATION_CHARS:])
    end = line.rstrip(_CLOSERS + " ")
    if end.endswith(":") and len(end.split()) >= LEAD_IN_WORDS:
        return True
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


def _headline_case(tokens: list[str]) -> str | None:
    """How a line is written as a headline: "teaser" when it capitalises a small word away from a
    phrase's start ("Police Hunt For The Attacker", as running text and a table never do), "title"
    when only its content words are capitalised and it is long (an award list's entry may be); None
    for a short run of names ("Paddy O'Brien (New Zealand)", a table's row) or running text."""
    if _capitalised_share(tokens) < 0.75:
        return None
    if any((t in ("A", "An") or (t[:1].isupper() and t.lower() in _SMALL_WORDS))
           and not _PHRASE_START.search(" ".join(tokens[:i])) for i, t in enumerate(tokens) if i > 0):
        return "teaser"
    letters = [t for t in tokens if any(ch.isalpha() for ch in t)]
    return "title" if len(letters) >= 8 else None


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

    def fit(self, texts: Iterable[str], sources: Iterable[str | None] | None = None) -> Cleaner:
        """Count in how many documents each line occurs, in the corpus and in each source (when
        `sources` gives each text's), and in how many documents lines end with the same " - Site
        Name". Lines repeated together with two long sentences in the very same documents, or
        with lines of STORY_WORDS words in all in the very same documents of two or more sources,
        are a story carried more than once (updated copies, a wire story, paragraphs another
        outlet took), never furniture: the copies keep their text, and dedup and reuse find them."""
        docs_of: dict[str, list[int]] = {}  # line key -> the documents holding it
        long_lines: set[str] = set()
        set_words: dict[str, int] = {}
        suffixes: Counter[str] = Counter()
        source_of: list[str | None] = []
        for number, (text, source) in enumerate(zip(texts, sources if sources is not None else itertools.repeat(None))):
            source_of.append(source or None)
            keys, tails = set(), set()
            for raw in text.splitlines():
                line = normalize_space(raw)
                if line:
                    key = _line_key(line)
                    keys.add(key)
                    if len(line.split()) >= STORY_SENTENCE_WORDS:
                        long_lines.add(key)
                    set_words[key] = len(line.split())
                    suffix = _site_suffix(line)
                    if suffix:
                        tails.add(suffix.lower())
            for key in keys:
                docs_of.setdefault(key, []).append(number)
            suffixes.update(tails)
        repeated = {key: tuple(docs) for key, docs in docs_of.items() if len(docs) >= self.min_repeat_docs}
        long_per_set = Counter(docs for key, docs in repeated.items() if key in long_lines)
        words_per_set: Counter[tuple[int, ...]] = Counter()
        for key, docs in repeated.items():
            words_per_set[docs] += set_words.get(key, 0)
        # Furniture is one site's; a passage of STORY_WORDS in articles of two outlets is reuse.
        furniture = {key: docs for key, docs in repeated.items()
                     if long_per_set[docs] < 2 and not (words_per_set[docs] >= STORY_WORDS and
                                                        len({source_of[d] for d in docs} - {None}) >= 2)}
        self.line_doc_counts_ = Counter({key: len(docs) for key, docs in furniture.items()})
        by_source: dict[str, Counter[str]] = {}
        for key, docs in furniture.items():
            for source, n in Counter(source_of[d] for d in docs).items():
                if source is not None and n >= 3:
                    by_source.setdefault(source, Counter())[key] = n
        self.source_line_doc_counts_ = by_source
        self.suffix_doc_counts_ = Counter({k: v for k, v in suffixes.items() if v >= self.min_repeat_docs})
        self.n_docs_ = len(source_of)
        self.source_docs_ = dict(Counter(s for s in source_of if s is not None))
        return self

    def _repeated_in_source(self, key: str, n_words: int, source: str | None) -> int:
        """In how many documents of its source a sentence occurs when that is a share of
        them a story could not reach ("The Associated Press contributed to this report."); 0 if not."""
        counts = getattr(self, "source_line_doc_counts_", {}).get(source or "")
        if not counts or n_words > 60:
            return 0
        seen = counts.get(key, 0)
        return seen if seen >= max(3, self.min_repeat_share * self.source_docs_[source or ""]) else 0

    def _repeated_suffix(self, suffix: str, source: str | None) -> bool:
        """Whether a " - Site Name" ends lines of several documents, or names the document's source."""
        if source and suffix.lower() in source.lower():
            return True
        counts = getattr(self, "suffix_doc_counts_", None)
        return counts is None or counts.get(suffix.lower(), 0) >= self.min_repeat_docs

    def _repeated_in_corpus(self, key: str, sentence_like: bool, n_words: int) -> bool:
        counts = getattr(self, "line_doc_counts_", None)
        if not counts:
            return False
        seen = counts.get(key, 0)
        if not sentence_like:
            return seen >= self.min_repeat_docs
        return n_words <= 25 and seen >= max(3, self.min_repeat_share * self.n_docs_)

    def _classify(self, number: int, line: str, key: str, script: str, seen: list[str], title_key: str,
                  seen_keys: set[str], source: str | None = None) -> _Line:
        tokens = line.split()
        lowered = words(line)
        n_words = max(len(lowered), len(_UNSPACED.findall(line)) // 2)
        sentence_like = _ends_sentence(line)

        def junk(reason: str) -> _Line:
            return _Line(number, line, JUNK, reason)

        if all(ch.isspace() or unicodedata.category(ch)[0] == "P" or unicodedata.category(ch) == "Sm" for ch in line):
            return junk("a separator (no words)")  # "___", "* * *": nothing of the body is lost
        if not any(ch.isalpha() for ch in line):
            return _Line(number, line, SHORT, _NO_WORDS_REASON)  # "78,000" in a table stays
        if line.startswith(_CREDIT_MARKS):
            return junk("credit line (©)")
        if title_key and key == title_key:
            return junk("repeats the title")
        suffix = None if sentence_like else _site_suffix(line)
        if suffix and self._repeated_suffix(suffix, source):
            return junk(f"ends with a site name (- {suffix})")
        if n_words >= 5 and (key in seen_keys or any(key in other for other in seen[-RECENT_LINES:])):
            return junk("repeats an earlier line (a caption or teaser shown twice)")
        if self._repeated_in_corpus(key, sentence_like, n_words):
            return junk(f"found in {self.line_doc_counts_[key]} documents (site furniture)")
        if not sentence_like and _foreign_share(line, script) > 0.5:
            return junk("in another script than the article")
        if n_words <= 60 and len(line) <= CAPTION_CHARS and (
                _CAPTION.search(line) or (not sentence_like and not line.startswith(_BULLETS) and (
                    _AGENCY_CREDIT.search(line) or _CREDIT_END.search(line)))):
            return junk("a photo caption or credit")
        if (not sentence_like and _READ_MORE.search(line)) or _READ_MORE_LABEL.match(line):
            return junk("a link to another page (read more)")
        if n_words <= 40 and (_PAGE_LABEL.search(line) or _TIME_STAMP.match(line)):
            return junk("a label, time stamp or disclaimer of the page")
        if _BYLINE.match(line) and not sentence_like:
            return junk("a byline")
        unquoted = not any(mark in line for mark in _QUOTE_MARKS)  # a quoted "contact us" is someone's words
        if unquoted and _READER_CALL.search(line[:2000]):
            return junk("a call to the reader (follow, sign up, write to the site)")
        emails = len(_EMAIL.findall(line)) if "@" in line else 0
        if emails and _SECOND_PERSON.search(line) and unquoted:
            return junk("a call to the reader (an address to write to)")  # "Are you affected? Email ..."
        weight = _interface_weight(lowered) + 2 * emails
        strong = weight >= 2 and any(_INTERFACE_WORDS.get(t, 0) >= 2 for t in lowered) or emails > 0
        if n_words == 1 and weight >= 1 and not sentence_like:
            return junk("a button or a label of the page")  # "Share", "Print", "Menu" between paragraphs
        # a sentence that reports what someone said is news: "The Home Office said it could not comment
        # on individual cases."
        reported = sentence_like and _REPORTED.search(line) is not None
        if (not sentence_like and n_words <= 8 and weight >= 2) or (
                strong and weight >= max(3, n_words / 5) and not reported):
            return junk("page interface words")
        label = _LINK_LABEL.match(line)
        if label and _LINK_WORDS.intersection(words(label.group())) and (not sentence_like or line.endswith("?")):
            return junk("a link to another page (a label, then a headline)")
        if line.startswith(_BULLETS) and n_words >= 2:
            return _Line(number, line, LIST, "list item away from the body")
        if n_words >= 5 and line.isupper() and not line.endswith(":"):
            return junk("a headline in capitals: a teaser")  # a speaker's label in a transcript ends with ":"
        headline = _headline_case(tokens) if n_words >= 4 and not sentence_like else None
        if headline == "teaser":
            return junk("a headline (Title Case, small words too): a teaser or caption")
        if headline == "title":
            return _Line(number, line, HEADLINE, "a headline (Title Case, no sentence punctuation): a teaser or caption")
        repeats = self._repeated_in_source(key, n_words, source)
        if repeats:
            return _Line(number, line, SHORT, f"found in {repeats} documents of {source} (its furniture)")
        if emails:
            # Contact details ("Tell us your story: news@site.com") close an article; a sentence
            # holding an address stays only between paragraphs of the body.
            return _Line(number, line, SHORT, "an e-mail address outside the body: contact details")
        if sentence_like and n_words >= 3:
            return _Line(number, line, GOOD)
        if n_words >= 10:
            return _Line(number, line, UNCERTAIN, "long line without sentence punctuation, away from the body")
        return _Line(number, line, SHORT, _SHORT_REASON)

    def classify(self, text: str, title: str = "", source: str | None = None) -> list[_Line]:
        """Every non-blank line of `text` with its verdict, context applied; `source` (the
        document's site) brings in the furniture `fit` learnt for it."""
        raw = [(i, normalize_space(line)) for i, line in enumerate(text.splitlines(), start=1)]
        raw = [(i, line) for i, line in raw if line]
        script = _dominant_script([line for _, line in raw])
        title_key = _line_key(title) if title else ""
        keys = [_line_key(line) for _, line in raw]
        seen: list[str] = []
        seen_keys: set[str] = set()
        lines: list[_Line] = []
        highlights = False
        for index, ((number, line), key) in enumerate(zip(raw, keys)):
            verdict = self._classify(number, line, key, script, seen, title_key, seen_keys, source)
            if highlights and verdict.verdict in (SHORT, UNCERTAIN, HEADLINE):
                verdict = _Line(number, line, JUNK, "a story highlight (a summary above the article)")
            elif verdict.verdict == GOOD and _pulled_quote(line, [other for _, other in raw[index + 1:index + 1 + RECENT_LINES]]):
                verdict = _Line(number, line, JUNK, "a pull quote (the start of a later paragraph, shown before it)")
            # "Story Highlights" opens a block of unpunctuated summary lines; a sentence ends it
            highlights = "story highlights" in key and verdict.verdict == JUNK or (highlights and verdict.verdict == JUNK)
            lines.append(verdict)
            seen.append(key)
            seen_keys.add(key)
        summary = _summary_above(lines)
        lines = [_Line(line.number, line.text, JUNK, "a summary above the article (its lines repeat paragraphs below)")
                 if i in summary else line for i, line in enumerate(lines)]
        return _apply_context(lines)

    def clean(self, text: str, title: str = "", source: str | None = None) -> CleanResult:
        """The text without its junk lines; `title` (if given) is dropped where repeated in it."""
        lines = self.classify(text, title, source)
        kept = [_without_name_cards(line.text) for line in lines if line.verdict == GOOD]
        removed = tuple(RemovedLine(line.number, line.text, line.reason)
                        for line in lines if line.verdict != GOOD)
        return CleanResult("\n".join(kept), removed)


# A name card pasted into the sentence: "Sen. John McCain John Sidney McCainCindy McCain: I can see
# Arizona 'going Democrat' in 2020 ... MORE said" (a politician's full name glued to the site's
# headlines about them, closed by "MORE", left by a hover widget in the scraped text). The name as
# written stays; the card goes. Looked for only before a " MORE", in a bounded window: linear.
_CARD_END = re.compile(r" MORE\b")
_CARD_START = re.compile(r"\b(?P<last>[A-Z][\w'’-]+) (?:[\w.()'’-]+ ){0,4}(?P=last)(?=[A-Z])"  # glued
                         r"|\b(?P<name>[A-Z][\w'’-]+(?: [A-Z][\w'’-]+){1,2}) (?P=name) (?=[A-Z])")  # "Joe Biden Joe Biden Parnas:"
CARD_CHARS = 600


def _without_name_cards(line: str) -> str:
    if " MORE" not in line:
        return line
    pieces, done = [], 0
    for end in _CARD_END.finditer(line):
        window_start = max(done, end.start() - CARD_CHARS)
        start = _CARD_START.search(line, window_start, end.start())
        if start is None:
            continue
        pieces.append(line[done:start.end("last" if start["last"] else "name")])
        done = end.end()
    return "".join(pieces) + line[done:] if pieces else line


SUMMARY_TOP_LINES, SUMMARY_LINES, SUMMARY_WORDS, SUMMARY_SHARE, SUMMARY_RUN = 10, 2, 12, 0.8, 6


def _summary_above(lines: list[_Line]) -> set[int]:
    """The lines of a summary set above an article: SUMMARY_LINES or more in a row among its first
    SUMMARY_TOP_LINES, each a shortened repeat of one longer paragraph further down (SUMMARY_SHARE of
    its content words there, and SUMMARY_RUN words in a row as written there). One such line is no
    summary: a lead paragraph can share most of its words with a later one; nor are paragraphs that
    only say in other words what a quotation below says."""
    tokens = [words(line.text) for line in lines]
    content = [{w for w in t if w[:1].isalpha() and w not in ENGLISH_STOP_WORDS} for t in tokens]
    runs = [{tuple(t[k:k + SUMMARY_RUN]) for k in range(len(t) - SUMMARY_RUN + 1)} for t in tokens]
    marked = []
    for i, line in enumerate(lines[:SUMMARY_TOP_LINES]):
        own = content[i]
        marked.append(line.verdict != JUNK and len(tokens[i]) >= SUMMARY_WORDS and not line.text.startswith(_BULLETS)
                      and any(len(tokens[j]) > len(tokens[i]) and len(own & content[j]) >= SUMMARY_SHARE * len(own)
                              and runs[i] & runs[j] for j in range(i + 2, len(lines))))
    found: set[int] = set()
    run: list[int] = []
    for i, flag in enumerate(marked + [False]):
        if flag:
            run.append(i)
            continue
        if len(run) >= SUMMARY_LINES:
            found.update(run)
        run = []
    return found


def _pulled_quote(line: str, later: list[str]) -> bool:
    """Whether a line of some length opens a longer paragraph below it, word for word: a pull quote."""
    return len(line.split()) >= PULL_QUOTE_WORDS and any(other.startswith(line + " ") for other in later)


def _resolve(lines: list[_Line], verdicts: set[str], both_sides: bool) -> list[_Line]:
    """Decide the lines whose verdict is in `verdicts` by the nearest decided lines around them.
    A headline is body only inside the body and touching no furniture: a list of titles in an
    article ("Drama - Featherboy") is, a teaser beside a caption is not."""
    decided = [line.verdict if line.verdict in (GOOD, JUNK) else None for line in lines]
    # Body on each side: a good line with at most INSERTED_LINES junk lines between it and this
    # one (more is a block of furniture: a header, a footer, related links); the document's edge
    # counts as junk, as labels sit in headers and footers. One pass each way: linear in lines.
    body_before, body_after = _body_within_reach(decided), _body_within_reach(decided[::-1])[::-1]

    seen_body = list(itertools.accumulate((d == GOOD for d in decided), operator.or_, initial=False))
    seen_junk = list(itertools.accumulate((d == JUNK for d in decided), operator.or_, initial=False))

    def touches_junk(index: int) -> bool:
        return any(0 <= j < len(lines) and decided[j] == JUNK for j in (index - 1, index + 1))

    listed = _listed(lines, decided) if both_sides else set()

    result = []
    for i, line in enumerate(lines):
        if line.verdict not in verdicts:
            result.append(line)
            continue
        before, after = body_before[i], body_after[i]
        keep = (before and after) if both_sides else (before or after)
        if line.verdict == SHORT and not keep and _closes_body(lines, i):
            keep = True
        if line.verdict == UNCERTAIN and seen_junk[i] and not seen_body[i]:
            keep = False  # unpunctuated lines after the page's header, before any sentence: highlights
        if line.verdict == HEADLINE:
            keep = before and after and not touches_junk(i)
        keep = keep or i in listed
        result.append(_Line(line.number, line.text, GOOD if keep else JUNK, "" if keep else line.reason))
    return result


# A list's items share a shape: two parts set apart by a spaced dash ("Drama - Featherboy"), a
# fixture ("Newcastle v Tottenham"), a name and its detail in brackets ("Little Britain (BBC
# Three)"), a rank ("1 Roger Federer").
_LIST_SHAPES = (("dash", re.compile(r"\w\)? [-–—] \(?\w")), ("fixture", re.compile(r"\w v\.? [A-Z]")),
                ("bracketed", re.compile(r"\w \([^()]{1,80}\)$")), ("rank", re.compile(r"^\d{1,3}[.)]? +[A-Z]")))
LIST_ITEMS = 3


def _list_shape(text: str) -> str | None:
    return next((name for name, shape in _LIST_SHAPES if shape.search(text)), None)


def _listed(lines: list[_Line], decided: list[str | None]) -> set[int]:
    """Short lines and headlines that make a list the article prints after a paragraph: LIST_ITEMS
    or more of one shape, at most INSERTED_LINES other lines (not of the body) between two of
    them, the first right after a paragraph. A list at the article's end has no body after it, so
    it is not kept by both sides; teasers of other stories come under a label."""
    found: set[int] = set()
    run: list[int] = []
    kind = None
    for i, line in enumerate(lines):
        shape = _list_shape(line.text) if line.verdict in (SHORT, HEADLINE) else None
        if shape is None:
            continue
        if run and (shape != kind or i - run[-1] - 1 > INSERTED_LINES
                    or any(decided[j] == GOOD for j in range(run[-1] + 1, i))):
            found.update(run if _a_list(run, decided) else ())
            run = []
        run.append(i)
        kind = shape
    found.update(run if _a_list(run, decided) else ())
    return found


def _a_list(run: list[int], decided: list[str | None]) -> bool:
    """Enough items, the first right after a paragraph (a list under a "Most Read" label is links)."""
    return len(run) >= LIST_ITEMS and run[0] > 0 and decided[run[0] - 1] == GOOD


def _closes_body(lines: list[_Line], i: int) -> bool:
    """Whether a short line is the body's last: right after a sentence of the body and right
    before furniture the corpus repeats ("Related Stories"), the start of the page's footer."""
    return (0 < i < len(lines) - 1 and lines[i].reason in (_SHORT_REASON, _NO_WORDS_REASON)
            and lines[i - 1].verdict == GOOD and lines[i + 1].verdict == JUNK and lines[i + 1].reason.startswith("found in"))


def _body_within_reach(decided: list[str | None]) -> list[bool]:
    """For each line, whether a good line comes before it with at most INSERTED_LINES junk lines
    in between (undecided lines do not count)."""
    found, seen_good, junk_since = [], False, 0
    for verdict in decided:
        found.append(seen_good and junk_since <= INSERTED_LINES)
        if verdict == GOOD:
            seen_good, junk_since = True, 0
        elif verdict == JUNK:
            junk_since += 1
    return found


def _apply_context(lines: list[_Line]) -> list[_Line]:
    """Long lines and list items join the body they touch; then short lines and headlines need it
    on both sides."""
    resolved = _resolve(_resolve(lines, {UNCERTAIN, LIST}, both_sides=False), {SHORT, HEADLINE}, both_sides=True)
    return [_Line(line.number, line.text, JUNK, "a question headline among furniture: a teaser")
            if _teased(resolved, i) else line for i, line in enumerate(resolved)]


TEASER_WORDS = 10


def _teased(lines: list[_Line], i: int) -> bool:
    """Whether a short question stands inside a block of furniture (more than INSERTED_LINES lines
    of it around): another story's headline ("What now for British tennis?" under "More from
    Tech"), not a question of the body's between two advertisements."""
    line = lines[i]
    if not (line.verdict == GOOD and line.text.endswith("?") and len(line.text.split()) <= TEASER_WORDS
            and 0 < i < len(lines) - 1 and lines[i - 1].verdict == JUNK and lines[i + 1].verdict == JUNK):
        return False
    # a block of furniture (related links, a footer), not an advertisement on each side of a question of the body's
    around = 0
    for step in (-1, 1):
        j = i + step
        while 0 <= j < len(lines) and lines[j].verdict == JUNK:
            around, j = around + 1, j + step
    return around > INSERTED_LINES


def clean_text(text: str, title: str = "") -> str:
    """`text` without web junk, judged on its own (no corpus statistics)."""
    return Cleaner().clean(text, title).text
