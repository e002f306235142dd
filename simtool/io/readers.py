"""Format readers: each turns one file into loose records (dicts) or reports what is wrong.

A reader yields `(line_or_row, record)` pairs and, for a record it cannot read, a `Problem`;
it raises `ValueError` only when the file as a whole is unreadable. Mapping records onto
Documents is `document.document_from_record`'s job.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import os
import re
from collections.abc import Callable, Generator, Iterator
from pathlib import Path
from typing import Any, AnyStr

from simtool.errors import Problem
from simtool.io.decode import decode_text, looks_binary
from simtool.io.document import TEXT_FIELDS

TEXT_SUFFIXES = {".txt", ".text", ".md", ".markdown", ".html", ".htm"}
DATA_SUFFIXES = {".jsonl", ".ndjson", ".json", ".csv", ".tsv", ".parquet"}
TEXT_COLUMNS = set(TEXT_FIELDS)  # a Parquet column of one of these names must hold strings
SIDECAR_NAMES = {"metadata.jsonl", "metadata.csv"}
# Files in a folder that document the folder rather than being articles.
NOT_ARTICLES = {"readme", "license", "licence", "copying", "changelog", "notice"}

Record = dict[str, Any]
Item = tuple[int | None, Record] | Problem


def read_bytes_as_text(path: Path) -> str:
    """The file's text, decoded (see `decode.decode_text`)."""
    text, _ = decode_text(path.read_bytes())
    return text.replace("\r\n", "\n").replace("\r", "\n")


# --- plain text, Markdown, HTML: one document per file -------------------------------------

def _split_title(text: str) -> tuple[str, str]:
    """A leading headline line (short, set off by a blank line, no final full stop) and the body."""
    lines = text.lstrip("\n\ufeff").split("\n")
    first = lines[0].strip()
    rest_starts_blank = len(lines) > 1 and not lines[1].strip()
    if first and rest_starts_blank and len(first.split()) <= 30 and not first.endswith("."):
        return first, "\n".join(lines[1:]).strip("\n")
    return "", text.strip("\n")


def read_plain(path: Path) -> Record:
    """A .txt file: the first line is the title when it looks like one (see `_split_title`)."""
    title, body = _split_title(read_bytes_as_text(path))
    return {"title": title, "text": body}


_FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.DOTALL)
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MD_MARKS = re.compile(r"(\*\*|__|`)")
_MD_PREFIX = re.compile(r"^\s{0,3}(#{1,6}\s+|>\s?|[-*+]\s+)", re.MULTILINE)


def _no_alias_loader():
    import yaml

    class NoAliasLoader(yaml.SafeLoader):
        """YAML without anchors and aliases: front matter never needs them, and nested aliases
        expand to billions of nodes from a few lines (a "billion laughs")."""

        def compose_node(self, parent, index):
            if self.check_event(yaml.events.AliasEvent):
                raise yaml.composer.ComposerError(None, None, "aliases (*name) are not read in front matter",
                                                  self.peek_event().start_mark)
            return super().compose_node(parent, index)

    return NoAliasLoader


def read_markdown(path: Path) -> Record:
    """A .md file: YAML front matter becomes fields, the first `# ` heading the title."""
    import yaml

    _NoAliasLoader = _no_alias_loader()
    text = read_bytes_as_text(path)
    record: Record = {}
    match = _FRONT_MATTER.match(text)
    if match:
        try:
            front = yaml.load(match.group(1), Loader=_NoAliasLoader)
        except yaml.YAMLError as exc:
            raise ValueError(f"front matter is not YAML: {str(exc).splitlines()[0]}") from exc
        except RecursionError as exc:  # PyYAML composes nested nodes recursively, as json parses them
            raise ValueError("front matter nested too deeply to read") from exc
        if isinstance(front, dict):
            record.update({str(k): v for k, v in front.items()})
        text = text[match.end():]
    heading = re.search(r"^#\s+(.+)$", text, re.MULTILINE)
    if heading and not text[: heading.start()].strip():
        record.setdefault("title", heading.group(1).strip())
        text = text[heading.end():]
    text = _MD_PREFIX.sub("", _MD_MARKS.sub("", _MD_LINK.sub(r"\1", text)))
    record["text"] = text.strip("\n")
    if "title" not in record:
        title, body = _split_title(record["text"])
        record.update(title=title, text=body)
    return record


def read_html(path: Path) -> Record:
    """An .html file through trafilatura's main-text extractor (menus, ads and comments dropped)."""
    import trafilatura

    html = read_bytes_as_text(path)
    extracted: Any = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False,
                                                 include_tables=False)  # a Document, in trafilatura >= 1.9
    if extracted is None or not (extracted.text or "").strip():
        raise ValueError("no article text found in the HTML")
    record: Record = {"title": extracted.title or "", "text": extracted.text}
    for key, value in (("date", extracted.date), ("source", extracted.sitename),
                       ("url", extracted.url), ("author", extracted.author)):
        if value:
            record[key] = value
    return record


# --- data files: many records per file ------------------------------------------------------

DEFAULT_MAX_FILE_MB = 64


def max_document_bytes() -> int:
    """The largest text file read as one document: `$SIMTOOL_MAX_FILE_MB` MB, 64 by default.

    A text file that large is a dump, not an article: reading it would hold the whole of it,
    cleaned and split, in memory for a single document. JSONL and CSV are streamed line by line
    and a line (one record) has this limit too; a JSON array file, read whole, as well.
    """
    try:
        return int(float(os.environ.get("SIMTOOL_MAX_FILE_MB", DEFAULT_MAX_FILE_MB)) * 2**20)
    except ValueError:
        return DEFAULT_MAX_FILE_MB * 2**20



def read_jsonl_lines(path: Path) -> Iterator[Item]:
    """JSON Lines streamed: one line in memory at a time, a line longer than the document limit
    skipped (read through in chunks, never held) and reported. JSON Lines is UTF-8; a line that is
    not is decoded as a text file would be."""
    limit = max_document_bytes()
    with open(path, "rb") as stream:
        number = 0
        while True:
            raw = stream.readline(limit + 1)
            if not raw:
                return
            number += 1
            if len(raw) > limit and not raw.endswith(b"\n"):
                _read_through(stream.readline, raw, b"\n", b'"')
                yield Problem.at(path, f"a record longer than {limit >> 20} MB (SIMTOOL_MAX_FILE_MB): skipped", number)
                continue
            if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError:
                line, _ = decode_text(raw)
            yield from _json_line(path, line, number)


def _json_line(path: Path, line: str, number: int) -> Iterator[Item]:
    if not line.strip():
        return
    try:
        item = json.loads(line, parse_int=_int_or_digits)
    except json.JSONDecodeError as exc:
        yield Problem.at(path, f"not valid JSON ({exc.msg.removesuffix(' at')} at column {exc.colno})", number)
        return
    except RecursionError:
        yield Problem.at(path, "JSON nested too deeply to read", number)
        return
    except ValueError as exc:  # any other value JSON allows but Python refuses
        yield Problem.at(path, f"not readable JSON ({exc})", number)
        return
    if isinstance(item, dict):
        yield number, item
    else:
        yield Problem.at(path, f"a JSON {type(item).__name__}, not an object", number)



def read_jsonl(path: Path) -> Iterator[Item]:
    """JSON Lines (one object a line, streamed); a `.json` file, or one that opens with "[", is
    read whole as one JSON value (an array's items are the records), up to the document limit."""
    with open(path, "rb") as stream:
        start = stream.read(65536)
    head = start.lstrip(b"\xef\xbb\xbf \t\r\n")
    # JSON Lines is UTF-8 with "\n" line ends; UTF-16/32 and "\r"-only files are decoded whole, as before
    if not head.startswith(b"[") and path.suffix != ".json" and _lines_end_in_newline(start):
        yield from read_jsonl_lines(path)
        return
    if not head.startswith(b"[") and path.suffix != ".json":
        if path.stat().st_size > max_document_bytes():
            raise ValueError(f"a UTF-16/32 or \\r-only JSON Lines file larger than {max_document_bytes() >> 20} MB "
                             f"is not read whole; save it as UTF-8 with \\n line ends")
        for number, line in enumerate(read_bytes_as_text(path).split("\n"), start=1):
            yield from _json_line(path, line, number)
        return
    if path.stat().st_size > max_document_bytes():
        raise ValueError(f"a JSON file larger than {max_document_bytes() >> 20} MB is not read whole; write it as "
                         f"JSON Lines (one record a line), which is streamed")
    text = read_bytes_as_text(path)
    try:
        data = json.loads(text, parse_int=_int_or_digits)
    except RecursionError as exc:
        raise ValueError("JSON nested too deeply to read") from exc
    except json.JSONDecodeError as exc:
        if path.suffix == ".json":
            raise ValueError(f"not valid JSON (line {exc.lineno}: {exc.msg})") from exc
        yield from read_jsonl_lines(path)  # a JSON Lines file whose first record opens with "["
        return
    items = data if isinstance(data, list) else [data]
    for index, item in enumerate(items, start=1):
        if isinstance(item, dict):
            yield index, item
        else:
            yield Problem.at(path, f"item {index} is a {type(item).__name__}, not an object")


_WIDE_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)


def _lines_end_in_newline(start: bytes) -> bool:
    """Whether a file that opens with `start` can be read by its bytes up to each "\n": right for
    UTF-8 (and one-byte encodings), wrong for UTF-16 or -32 (PowerShell's ">") and for "\r"-only
    line ends, which are decoded instead."""
    return not start.startswith(_WIDE_BOMS) and not (b"\r" in start and b"\n" not in start)


def _read_through(readline: Callable[[int], AnyStr], line: AnyStr, newline: AnyStr, quote: AnyStr) -> int:
    """Reads the rest of a line longer than the limit, a megabyte at a time, never holding it; how
    many quotation marks the whole line had."""
    quotes = line.count(quote)
    while line and not line.endswith(newline):
        line = readline(1 << 20)
        quotes += line.count(quote)
    return quotes


def _int_or_digits(digits: str) -> int | str:
    """A JSON integer; one too long for Python to convert (> 4,300 digits) is kept as its digits."""
    return int(digits) if len(digits) <= 4000 else digits


def read_csv(path: Path) -> Iterator[Item]:
    """CSV (or TSV) with a header row, read as Excel, pandas and Python's csv module write it:
    quotes doubled inside quoted cells, quoted newlines. Only the delimiter is guessed, from the
    header line (sniffing the whole dialect misreads the doubled quote). A row whose quote is
    never closed is reported and skipped, and reading resumes on the next line, instead of the
    rest of the file vanishing into one cell.

    Streamed: the lines of one row are in memory at a time (a cell is bounded by the document
    limit), so a CSV export of millions of articles reads in the memory of its largest row."""
    lines = _CsvLines(path)
    try:
        yield from _csv_rows(path, lines)
    finally:
        lines.close()  # an abandoned reader (strict mode, a file without a text column) closes its file now


def _csv_rows(path: Path, lines: _CsvLines) -> Iterator[Item]:
    header = next(lines, "").lstrip("\ufeff")
    counts = {d: header.count(d) for d in (",", "\t", ";", "|")}
    delimiter = "\t" if path.suffix == ".tsv" else max(counts, key=lambda d: (counts[d], d == ","))
    # A cell as large as a whole document may be (JSON Lines has the same limit a record); a larger
    # one is a row that cannot be read, reported and skipped.
    csv.field_size_limit(max_document_bytes())
    try:
        fieldnames = next(csv.reader([header], delimiter=delimiter, strict=True), None)
    except csv.Error as exc:
        raise ValueError(f"the header row cannot be read ({exc})") from exc
    if not fieldnames:
        raise ValueError("no header row")
    lines.row_read()
    while True:
        rows = csv.reader(lines, delimiter=delimiter, strict=True)
        try:
            for cells in rows:
                line, overlong = lines.row_read()
                if overlong:
                    yield Problem.at(path, f"a row with a line of more than {max_document_bytes():,} bytes or "
                                           f"characters (SIMTOOL_MAX_FILE_MB): skipped", line)
                    continue
                if not cells:
                    continue
                if len(cells) > len(fieldnames):
                    yield Problem.at(path, f"{len(cells) - len(fieldnames)} more cells than the header has; "
                                           f"row skipped (a delimiter or quote inside an unquoted cell?)", line)
                    continue
                yield line, dict(zip(fieldnames, cells))
            return
        except csv.Error as exc:
            if "field larger than field limit" in str(exc):
                # the whole row goes, its quoted cell's later lines too: they are not rows
                line = lines.skip_quoted()
                yield Problem.at(path, f"a cell of more than {max_document_bytes():,} characters (SIMTOOL_MAX_FILE_MB): "
                                       f"row skipped", line)
                continue
            line = lines.reread_after_first()
            yield Problem.at(path, f"a row that cannot be read ({exc}): skipped, reading resumes on the next line", line)


class _CsvLines:
    """A CSV file's lines for `csv.reader`, streamed (`_file_lines`), holding the lines of the row
    being read so that reading can resume inside them after a bad row."""

    def __init__(self, path: Path) -> None:
        self.source = _file_lines(path, max_document_bytes())
        self.number = 0                                       # lines read from the file so far
        self.held: list[tuple[int, str, bool]] = []           # (number, line, over the limit) of the row
        self.again: list[tuple[int, str, bool]] = []          # lines to hand out again, last first

    def close(self) -> None:
        self.source.close()

    def __iter__(self) -> _CsvLines:
        return self

    def __next__(self) -> str:
        if self.again:
            entry = self.again.pop()
        else:
            line, overlong = next(self.source)  # StopIteration ends the file
            self.number += 1
            entry = (self.number, line, overlong)
        self.held.append(entry)
        return entry[1]

    @property
    def first(self) -> int:
        """The number of the first line of the row being read."""
        return self.held[0][0] if self.held else self.number

    def row_read(self) -> tuple[int, bool]:
        """A row ended: its first line's number and whether a line of it was over the limit."""
        first = self.first
        overlong = any(entry[2] for entry in self.held)
        self.held.clear()
        return first, overlong

    def reread_after_first(self) -> int:
        """A row could not be read: its lines after the first are read again; its first line's number."""
        first = self.first
        self.again.extend(reversed(self.held[1:]))
        self.held.clear()
        return first

    def skip_quoted(self) -> int:
        """A row's cell is over the limit: the row's lines, and the lines after them up to where
        its quotation marks pair up again (a doubled "" inside a cell counts twice, so it keeps
        the parity), are dropped; its first line's number."""
        first = self.first
        marks = sum(line.count('"') for _, line, _ in self.held)
        self.held.clear()
        while marks % 2:
            try:
                marks += next(self).count('"')
            except StopIteration:
                break
            self.held.clear()
        return first


def _file_lines(path: Path, limit: int) -> Generator[tuple[str, bool], None, None]:
    """A text file's lines, each with whether it was over `limit` (then read through in chunks,
    never held, and given as a stand-in with the same parity of quotation marks).

    Only "\n", "\r\n" and "\r" end a line (not "\u2028" inside a cell). UTF-8 is read line by
    line, and the first line that is not UTF-8 decides the encoding of every such line (`_Fallback`).
    UTF-16/32 files (by their byte-order mark) and files whose lines end in "\r" alone are read
    through a decoder of the encoding told from their start, with universal line ends."""
    with open(path, "rb") as stream:
        start = stream.read(65536)
        stream.seek(0)
        if not _lines_end_in_newline(start):
            wide = start.startswith(_WIDE_BOMS)
            sample = start if len(start) < 65536 or wide else start[:start.rfind(b"\r") + 1]
            text = io.TextIOWrapper(stream, encoding=decode_text(sample)[1], errors="replace", newline=None)
            while line := text.readline(limit + 1):
                if len(line) > limit and not line.endswith("\n"):
                    yield ('"' if _read_through(text.readline, line, "\n", '"') % 2 else "") + "\n", True
                    continue
                yield line, False
            return
        if looks_binary(start):
            raise ValueError("binary data, not text")
        fallback = _Fallback(path)
        first = True
        while raw := stream.readline(limit + 1):
            if first and raw.startswith(codecs.BOM_UTF8):
                raw = raw[len(codecs.BOM_UTF8):]
            first = False
            if len(raw) > limit and not raw.endswith(b"\n"):
                quotes = _read_through(stream.readline, raw, b"\n", b'"')
                yield ('"' if quotes % 2 else "") + "\n", True  # the row's quotes still pair up
                continue
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError:
                line = fallback.decode(raw, stream.tell())
            line = line.replace("\r\n", "\n").replace("\r", "\n")
            yield from ((piece, False) for piece in re.split(r"(?<=\n)", line) if piece)


class _Fallback:
    """The encoding of a file's lines that are not UTF-8, told once from the first such line and
    the lines after it (1 MB; one line alone is too little text for a detector: "\xe9" alone is
    not read as "é"), as a file decoded whole would have been."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.encoding: str | None = None

    def decode(self, raw: bytes, end: int) -> str:
        """`raw`, a line that is not UTF-8 and ends at byte `end` of the file."""
        if self.encoding is None:
            with open(self.path, "rb") as stream:
                stream.seek(end)
                following = stream.read(max(0, SAMPLE_BYTES - len(raw)))
            sample = raw + following[:following.rfind(b"\n") + 1]
            try:
                self.encoding = decode_text(sample)[1]
            except ValueError:
                self.encoding = "cp1252"
            if self.encoding.replace("_", "-").lower().startswith("utf-8"):  # cannot be: the line is not UTF-8
                self.encoding = "cp1252"
        return raw.decode(self.encoding, errors="replace")


SAMPLE_BYTES = 1 << 20  # what the encoding of a CSV's lines that are not UTF-8 is told from


def read_parquet(path: Path, row_groups: tuple[int, int] | None = None) -> Iterator[Item]:
    """Parquet, streamed a row group at a time; `row_groups` (start, stop): only those, rows
    numbered as in the whole file."""
    import pyarrow.parquet as pq

    try:
        parquet = pq.ParquetFile(path)
    except Exception as exc:  # pyarrow raises several types for a damaged file
        raise ValueError(f"not a readable Parquet file ({exc})") from exc
    for column in parquet.schema_arrow:
        if column.name.lower() in TEXT_COLUMNS and not _texty(column.type):
            raise ValueError(f"column {column.name!r} holds {column.type}, not text")
    start, stop = row_groups or (0, parquet.num_row_groups)
    row = sum(parquet.metadata.row_group(g).num_rows for g in range(start))
    for batch in parquet.iter_batches(batch_size=4096, row_groups=range(start, stop)):
        try:
            records = batch.to_pylist()
        except (OverflowError, ValueError):  # a value Python cannot hold (a timestamp past year 9999)
            records = list(_rows_one_by_one(batch))
        for record in records:
            row += 1
            yield (Problem.at(path, f"a value that cannot be read ({record}): record skipped", row)
                   if isinstance(record, str) else (row, record))


def _rows_one_by_one(batch) -> Iterator[dict[str, Any] | str]:
    """Each row of `batch` as a record, or the reason it cannot be read."""
    for i in range(batch.num_rows):
        try:
            yield batch.slice(i, 1).to_pylist()[0]
        except (OverflowError, ValueError) as exc:
            yield str(exc).splitlines()[0][:120] or type(exc).__name__


def _texty(arrow_type) -> bool:
    import pyarrow as pa

    return pa.types.is_string(arrow_type) or pa.types.is_large_string(arrow_type) or pa.types.is_null(arrow_type)


def read_records(path: Path) -> Iterator[Item]:
    """Records of a data file, by suffix."""
    suffix = path.suffix.lower()
    if suffix in {".jsonl", ".ndjson", ".json"}:
        return read_jsonl(path)
    if suffix in {".csv", ".tsv"}:
        return read_csv(path)
    if suffix == ".parquet":
        return read_parquet(path)
    raise ValueError(f"unsupported file type {suffix!r}")


def read_document_file(path: Path) -> Record:
    """The one record of a text-like file, by suffix."""
    suffix = path.suffix.lower()
    if suffix in {".html", ".htm"}:
        return read_html(path)
    if suffix in {".md", ".markdown"}:
        return read_markdown(path)
    return read_plain(path)
