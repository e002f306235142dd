"""The Document record and the mapping from loose records (JSONL, CSV, Parquet rows,
sidecar metadata) onto its fields."""

from __future__ import annotations

import datetime as dt
import html
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from dateutil import parser as date_parser

from simtool.text.basics import sentences_of_lines

# Field names people use for each Document field, in order of preference.
ID_FIELDS = ("id", "doc_id", "document_id", "article_id", "story_id", "item_id", "news_id", "post_id", "_id",
             "uuid", "guid")
TEXT_FIELDS = ("text", "body", "content", "article", "full_text", "story", "maintext",
               "description", "short_description", "summary")
TITLE_FIELDS = ("title", "headline")
MIN_YEAR = 1800  # an earlier date in news metadata is a placeholder or an error (1582, 1-1-1)
_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
NOT_A_DATE = "; kept without a date"  # the end of the warning for a date that cannot be read
DATE_FIELDS = ("date", "published", "published_at", "publish_date", "pubdate", "date_publish",
               "datetime", "timestamp", "time", "created_at")
SOURCE_FIELDS = ("source", "source_name", "site", "sitename", "publisher", "outlet", "domain")
URL_FIELDS = ("url", "link", "href", "source_url")


@dataclass(frozen=True)
class Document:
    """One article. `text` is the body (without the title); `meta` holds every other field."""

    id: str
    text: str
    title: str = ""
    date: dt.date | None = None
    source: str | None = None
    url: str | None = None
    meta: Mapping[str, Any] = field(default_factory=dict, compare=False)
    origin: str = field(default="", compare=False)  # "path" or "path:line" it came from

    @property
    def content(self) -> str:
        """What encoders see: the title, then the body."""
        return content_of(self.title, self.text)

    @cached_property
    def _sentence_lines(self) -> list[list[str]]:
        return sentences_of_lines(self.text)

    @cached_property
    def sentences(self) -> tuple[str, ...]:
        """The body split into sentences, once (each line split on its own: lines never merge)."""
        return tuple(sentence for line in self._sentence_lines for sentence in line)

    @cached_property
    def paragraph_starts(self) -> frozenset[int]:
        """The indices in `sentences` of the sentences that begin a line (a paragraph)."""
        starts, at = set(), 0
        for line in self._sentence_lines:
            if line:
                starts.add(at)
            at += len(line)
        return frozenset(starts)

    @property
    def label(self) -> str:
        """A short human name: the title, else the id."""
        return self.title or self.id


def content_of(title: str | None, text: str | None) -> str:
    """What encoders see of a document: the title, then the body (once, if the body repeats it)."""
    title, text = title or "", text or ""
    if title and not text.startswith(title):
        return f"{title}\n\n{text}" if text else title
    return text


class MissingTextField(ValueError):
    """A record with no field that could hold its text."""


def parse_date(value: Any) -> dt.date | None:
    """A date from the forms found in the wild; None for an empty value.

    Raises ValueError for a value that is no date (the caller reports it and keeps the record).
    """
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return _plausible(value.date(), value)
    if isinstance(value, dt.date):
        return _plausible(value, value)
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = repr(value) if isinstance(value, float) else str(value)
    if not isinstance(value, str):
        raise ValueError(f"date {value!r} is not a date string")
    text = value.strip()
    # A number is a date written as digits (2015, 20150312, 201503121530, 20150312153000: the
    # lengths of a year, a day, a minute, a second) or a time since 1970 ("1.39E+12").
    digits = _digits_date(text) if text.isdigit() else None
    if digits is None and _NUMBER.fullmatch(text):
        return _plausible(_epoch(float(text)), value)
    try:
        date = digits or date_parser.parse(text, default=dt.datetime(1900, 1, 1)).date()
    except (ValueError, OverflowError, date_parser.ParserError) as exc:
        raise ValueError(f"date {value!r} is not a date") from exc
    return _plausible(date, value)


def _digits_date(text: str) -> dt.date | None:
    """A date written as 4, 8, 12 or 14 digits (YYYY, YYYYMMDD, ...HHMM, ...HHMMSS), if it is one."""
    try:
        return dt.date(int(text[:4]), int(text[4:6] or 1), int(text[6:8] or 1)) if len(text) in (4, 8, 12, 14) else None
    except ValueError:
        return None


def _plausible(date: dt.date, value: Any) -> dt.date:
    if date.year < MIN_YEAR:
        raise ValueError(f"date {value!r} is before {MIN_YEAR}: not the date of a news article")
    return date


def _epoch(value: float) -> dt.date:
    """Seconds (1e8..1e11: 1973..5138) or milliseconds (1e11..1e14) since 1970, as exports write times."""
    if 1e8 <= value < 1e11:
        return dt.datetime.fromtimestamp(value, dt.UTC).date()
    if 1e11 <= value < 1e14:
        return dt.datetime.fromtimestamp(value / 1000, dt.UTC).date()
    raise ValueError(f"date {value!r} is a number but not a time in seconds or milliseconds since 1970")


def _pick(record: Mapping[str, Any], names: tuple[str, ...]) -> tuple[str | None, Any]:
    lowered = {str(k).lower(): k for k in record if k is not None}
    for name in names:
        key = lowered.get(name)
        if key is not None and record[key] not in (None, ""):
            return key, record[key]
    return None, None


def _as_str(value: Any, what: str) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if isinstance(value, float) and math.isnan(value):
            return ""
        return str(value)
    raise ValueError(f"{what} is a {type(value).__name__}, not a string")


_ENTITY = re.compile(r"&(?:[a-zA-Z]{2,8}|#\d{2,6}|#[xX][0-9a-fA-F]{2,5});")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _has_lone_surrogates(value: Any, depth: int = 0) -> bool:
    """Whether a string in the record holds a lone surrogate (JSON allows "\\ud800"; UTF-8, the
    cache's hashing and Arrow do not)."""
    if isinstance(value, str):
        return bool(_LONE_SURROGATE.search(value))
    if depth > 20:
        return False
    if isinstance(value, Mapping):
        return any(_has_lone_surrogates(k, depth + 1) or _has_lone_surrogates(v, depth + 1) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_lone_surrogates(v, depth + 1) for v in value)
    return False


def _without_lone_surrogates(value: Any, depth: int = 0) -> Any:
    if isinstance(value, str):
        return value.encode("utf-16", "surrogatepass").decode("utf-16", "replace")  # a pair stays one character
    if depth > 20:
        return value
    if isinstance(value, Mapping):
        return {_without_lone_surrogates(k, depth + 1): _without_lone_surrogates(v, depth + 1) for k, v in value.items()}
    if isinstance(value, list):
        return [_without_lone_surrogates(v, depth + 1) for v in value]
    return value


def document_from_record(
    record: Mapping[str, Any],
    default_id: str,
    origin: str,
    text_field: str | None = None,
    id_field: str | None = None,
) -> tuple[Document, list[str]]:
    """Map a loose record onto a Document.

    Returns the document and a list of warnings about fields that were dropped (a bad date).
    Raises ValueError when the record has no usable text, or no `id_field` when one is named.
    """
    if not isinstance(record, Mapping):
        raise ValueError(f"record is a {type(record).__name__}, not an object")
    surrogates = _has_lone_surrogates(record)
    if surrogates:
        record = _without_lone_surrogates(record)
    if text_field is not None:
        text_key, text = (text_field, record.get(text_field)) if text_field in record else (None, None)
        if text_key is None:
            raise MissingTextField(f"no {text_field!r} field")
    else:
        text_key, text = _pick(record, TEXT_FIELDS)
    title_key, title = _pick(record, TITLE_FIELDS)
    if text_key is None and title_key is None:
        fields = ", ".join(str(k) for k in list(record)[:8]) or "none"
        raise MissingTextField(f"no text field (looked for {', '.join(TEXT_FIELDS[:5])}, ...; found {fields})")
    if text is None and text_key is not None:
        raise ValueError(f"field {text_key!r} is null")
    if text_key is not None and not isinstance(text, str):  # a number is an id or a count, not an article
        raise ValueError(f"field {text_key!r} is a {type(text).__name__}, not a string")
    text = text if text_key and isinstance(text, str) else ""
    title = _as_str(title, f"field {title_key!r}").strip() if title_key else ""
    if not text.strip() and not title:
        raise ValueError("empty text")

    if _ENTITY.search(text) or _ENTITY.search(title):  # "&quot;" in plain text: the page's escaping, left in
        text, title = html.unescape(text), html.unescape(title)
    warnings: list[str] = ["lone surrogate escapes (\\ud800 ...) replaced by \ufffd"] if surrogates else []
    id_key: str | None
    if id_field is not None:  # the user's id column: a record without one is reported, not renamed
        if record.get(id_field) is None or not str(record[id_field]).strip():
            raise ValueError(f"no {id_field!r} field (the id asked for with --id-field)")
        id_key, doc_id = id_field, record[id_field]
    else:
        id_key, doc_id = _pick(record, ID_FIELDS)
    doc_id = _as_str(doc_id, "id").strip() if id_key else ""
    date_key, raw_date = _pick(record, DATE_FIELDS)
    try:
        date = parse_date(raw_date)
    except ValueError as exc:
        warnings.append(f"{exc}{NOT_A_DATE}")
        date = None
    if date is not None and date > dt.date.today() + dt.timedelta(days=1):
        warnings.append(f"date {date.isoformat()} is in the future, so kept without a date")
        date = None
    source_key, source = _pick(record, SOURCE_FIELDS)
    url_key, url = _pick(record, URL_FIELDS)
    used = {text_key, title_key, id_key, date_key, source_key, url_key}
    meta = {str(k): v for k, v in record.items() if k not in used and k is not None}
    doc = Document(
        id=doc_id or default_id,
        text=text,
        title=title,
        date=date,
        source=str(source).strip() if source is not None else None,
        url=str(url).strip() if url is not None else None,
        meta=meta,
        origin=origin,
    )
    return doc, warnings
