"""When each document was published: from its metadata, its file name, or its text.

Metadata wins. Else a leading date in the file name (`1998-Clinton.txt`, `2021-09-11-foo.txt`).
Else a dateline or publication line among the first lines of the text, marked as inferred with
the words it came from: a line that starts with a full date ("14 January 2015 - ..."), a place in
capitals before it ("WASHINGTON, Jan. 14, 2015 —"), a publication word before it ("Published:
14 Jan 2015", "Updated on ..."), or a short line that is mostly the date. A date inside a
sentence ("released on 12 May 1985", a photo caption's "on May 30, 2019") is not the article's
own and is not taken: on BBC News, whose articles carry no dates, the looser rule (any full date
in the first 600 characters) dated 17 articles, among them one to 1920, and the report then drew
a timeline from them. A document with none of these has no date: callers count and list it,
never drop it silently.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from simtool.io.document import Document

_MONTHS = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
           r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?")
_TEXT_DATES = [
    re.compile(rf"\b(?P<month>{_MONTHS})\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>(?:19|20)\d\d)\b"),
    re.compile(rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<month>{_MONTHS})\s*,?\s+(?P<year>(?:19|20)\d\d)\b"),
    re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<month>[01]\d)-(?P<day>[0-3]\d)\b"),
]
_FILE_DATE = re.compile(r"^(?P<year>(?:19|20)\d\d)(?:[-_.](?P<month>[01]?\d)(?:[-_.](?P<day>[0-3]?\d))?)?(?=[-_. ]|$)")
TEXT_WINDOW = 600  # characters of the opening searched for a dateline or date
DATELINE_LINES = 4  # non-empty lines of the opening a dateline may be on
_PLACE = re.compile(r"^[A-Z][A-Z.'\- ]{1,40}(?:\([^)]{1,30}\))?\s*[,:\-\u2013\u2014]?\s*$")  # "WASHINGTON, "
_PUBLISHED = re.compile(r"\b(?:published|updated|posted|dated?|modified)\b[^.]{0,20}$", re.IGNORECASE)


@dataclass(frozen=True)
class DateInfo:
    """A document's date and where it came from: metadata, file name, text (inferred) or none."""

    id: str
    date: dt.date | None
    how: str
    evidence: str | None = None


def resolve_date(doc: Document) -> DateInfo:
    """The document's date, from metadata, else its file name, else its text."""
    if doc.date is not None:
        return DateInfo(doc.id, doc.date, "metadata")
    record_of_a_file = re.search(r":\d+$", doc.origin or "")  # "corpus.jsonl:12": the name is not its own
    name = "" if record_of_a_file else Path(doc.origin or "").name
    found = _FILE_DATE.match(name)
    if found:
        date = _safe_date(int(found["year"]), int(found["month"] or 1), int(found["day"] or 1))
        if date is not None:
            precision = "" if found["day"] else " (month only)" if found["month"] else " (year only)"
            return DateInfo(doc.id, date, "file name" + precision, name)
    lines = [line.strip() for line in doc.text[:TEXT_WINDOW].splitlines() if line.strip()]
    for line in lines[:DATELINE_LINES]:
        for pattern in _TEXT_DATES:
            for found in pattern.finditer(line):
                date = _text_date(found)
                if date is not None and _is_dateline(line, found):
                    return DateInfo(doc.id, date, "text (inferred)", found.group(0))
    return DateInfo(doc.id, None, "none")


def _is_dateline(line: str, found: re.Match) -> bool:
    """Whether the date is the article's own: at the line's start, after a place in capitals or a
    publication word, or most of a short line; not a date inside a sentence."""
    before = line[:found.start()]
    if not before.strip(" -\u2013\u2014|:(["):
        return True
    if _PLACE.match(before) or _PUBLISHED.search(before):
        return True
    return len(line) <= 60 and len(found.group(0)) >= 0.4 * len(line)


def _text_date(found: re.Match) -> dt.date | None:
    month = found["month"]
    if not month.isdigit():
        month = _month_number(month)
    return _safe_date(int(found["year"]), int(month), int(found["day"]))


def _month_number(name: str) -> int:
    key = name.rstrip(".").lower()[:3]
    return ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"].index(key) + 1


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def period_of(date: dt.date, by: str) -> str:
    """The period a date falls in: "2015" (year), "2015-Q1" (quarter) or "2015-01" (month)."""
    if by == "year":
        return str(date.year)
    if by == "quarter":
        return f"{date.year}-Q{(date.month - 1) // 3 + 1}"
    if by == "month":
        return f"{date.year}-{date.month:02d}"
    raise ValueError(f"by must be one of year, quarter, month; got {by!r}")
