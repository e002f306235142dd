"""Loading a corpus from paths: folders of text files, JSONL, CSV and Parquet.

Ids: a file found in a folder gets its path relative to that folder without the extension
(`business/001`); a file named directly gets its stem; a record in a data file keeps its own
`id` field, else gets `<file id>:<line or row>`. Hidden files and files named README,
LICENSE, COPYING, CHANGELOG or NOTICE (any extension) in a folder are not read as articles. Metadata for plain files comes from a sidecar
`metadata.jsonl` or `metadata.csv` in their folder, one record per file with a `file_name`
column relative to that folder (the Hugging Face "folder" convention) and any of title, date,
source, url and further fields.

A bad file or record becomes a `Problem` and is skipped; `strict=True` raises on the first.
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
import stat
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from simtool.errors import InputError, NoDocumentsError, Problem, UnknownDocumentError
from simtool.io.document import NOT_A_DATE, Document, MissingTextField, document_from_record
from simtool.io.readers import (
    DATA_SUFFIXES,
    NOT_ARTICLES,
    SIDECAR_NAMES,
    TEXT_SUFFIXES,
    max_document_bytes,
    read_document_file,
    read_parquet,
    read_records,
)


@dataclass
class Corpus:
    """Documents in load order, with the problems met while loading them."""

    documents: list[Document]
    problems: list[Problem] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._index = {doc.id: i for i, doc in enumerate(self.documents)}

    def __len__(self) -> int:
        return len(self.documents)

    def __iter__(self) -> Iterator[Document]:
        return iter(self.documents)

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._index

    @property
    def ids(self) -> list[str]:
        return [doc.id for doc in self.documents]

    def position(self, doc_id: str) -> int:
        """Row of `doc_id` in `documents` (and in any vector matrix built from them)."""
        try:
            return self._index[doc_id]
        except KeyError:
            near = difflib.get_close_matches(doc_id, self._index, n=3)
            hint = f"; did you mean {', '.join(near)}?" if near else ""
            raise UnknownDocumentError(
                f"no document with id {doc_id!r} in the corpus ({len(self)} documents){hint}"
            ) from None

    def get(self, doc_id: str) -> Document:
        """The document with this id; UnknownDocumentError (with close matches) if none."""
        return self.documents[self.position(doc_id)]

    def with_documents(self, documents: list[Document]) -> Corpus:
        """The same corpus (same problems) over other versions of its documents."""
        return Corpus(documents, list(self.problems))


class _Loader:
    def __init__(self, strict: bool, text_field: str | None, id_field: str | None = None) -> None:
        self.strict = strict
        self.text_field = text_field
        self.id_field = id_field
        self.documents: list[Document] = []
        self.problems: list[Problem] = []
        self.seen: dict[str, str] = {}
        self.next_copy: dict[str, int] = {}  # per repeated id, the next "#n" to try

    def problem(self, problem: Problem) -> None:
        if self.strict:
            raise problem.error()
        self.problems.append(problem)

    def note(self, problem: Problem) -> None:
        """A file skipped by design (a PDF in a folder of articles): said, never fatal."""
        self.problems.append(problem)

    def add(self, doc: Document) -> None:
        if doc.id in self.seen:
            n = self.next_copy.get(doc.id, 2)  # remembered: 40,000 records of one id stay linear
            while f"{doc.id}#{n}" in self.seen:
                n += 1
            self.next_copy[doc.id] = n + 1
            new_id = f"{doc.id}#{n}"
            self.problem(Problem(doc.origin, f"duplicate id {doc.id!r} (first in {self.seen[doc.id]}); "
                                             f"kept as {new_id!r}", kept=True))
            doc = replace(doc, id=new_id)
        self.seen[doc.id] = doc.origin
        self.documents.append(doc)

    def record(self, record: dict[str, Any], default_id: str, origin: str, line: int | None,
               path: Path, undated: list[Problem] | None = None) -> None:
        """One record; with `undated`, a date that cannot be read is held there, for the file to
        say once when none of its dates can be read (`data_file`)."""
        try:
            doc, warnings = document_from_record(record, default_id, origin, self.text_field, self.id_field)
        except MissingTextField:
            raise
        except ValueError as exc:
            self.problem(Problem.at(path, str(exc), line))
            return
        for warning in warnings:
            if undated is not None and not self.strict and warning.endswith(NOT_A_DATE):
                undated.append(Problem.at(path, warning, line, kept=True))
            else:
                self.problem(Problem.at(path, warning, line, kept=True))
        self.add(doc)

    def text_file(self, path: Path, doc_id: str, sidecar: dict[str, Any] | None) -> None:
        try:
            size = path.stat().st_size
            if size == 0:
                raise ValueError("empty file")
            limit = max_document_bytes()
            if size > limit:
                raise ValueError(f"{size / 2**20:.0f} MB, more than the {limit // 2**20} MB read as "
                                 f"one document (split it, or set SIMTOOL_MAX_FILE_MB)")
            record = read_document_file(path)
        except (OSError, ValueError) as exc:
            self.problem(Problem.at(path, _reason(exc)))
            return
        if not record.get("text", "").strip() and not record.get("title"):
            self.problem(Problem.at(path, "empty file (only whitespace)"))
            return
        if sidecar:
            title = sidecar.get("title")
            if title and record.get("title") != title and record["text"].startswith(title):
                record["text"] = record["text"][len(title):].lstrip("\n")
            record.update({k: v for k, v in sidecar.items() if k != "file_name" and v is not None})
        self.record(record, doc_id, str(path), None, path)

    def data_file(self, path: Path, id_prefix: str, row_groups: tuple[int, int] | None = None) -> None:
        first = True
        undated: list[Problem] = []
        first_document = len(self.documents)
        try:
            records = read_parquet(path, row_groups) if row_groups else read_records(path)
            for item in records:
                if isinstance(item, Problem):
                    self.problem(item)
                    continue
                line, record = item
                try:
                    self.record(record, f"{id_prefix}:{line}", f"{path}:{line}", line, path, undated)
                except MissingTextField as exc:
                    if first:  # the file has no text column at all: say so once, not per row
                        if not row_groups or row_groups[0] == 0:  # (once per file, not per part)
                            self.problem(Problem.at(path, str(exc)))
                        return
                    self.problem(Problem.at(path, str(exc), line))
                first = False
        except InputError:  # strict mode stopping: already one line that names the place
            raise
        except (OSError, ValueError) as exc:
            self.problem(Problem.at(path, _reason(exc)))
        finally:
            # once for the file where none of its records is dated (a field that is not a date at
            # all); each where others are (a typo); a part of a file (a Parquet row group on Ray)
            # cannot say that no record of the file is dated
            once = row_groups is None and not any(doc.date for doc in self.documents[first_document:])
            self._undated(path, undated, once)

    def _undated(self, path: Path, undated: list[Problem], once: bool) -> None:
        """Dates a file's records hold that cannot be read: said `once` for the file, or each
        where it is."""
        if len(undated) > 1 and once:
            example = undated[0].message.removesuffix(NOT_A_DATE)
            self.problems.append(Problem.at(path, f"no record's date can be read ({example}, and {len(undated) - 1} "
                                                  f"more): {len(undated)} records kept without a date", kept=True,
                                            records=len(undated)))
        else:
            self.problems.extend(undated)

    def sidecar(self, path: Path) -> dict[Path, dict[str, Any]]:
        entries: dict[Path, dict[str, Any]] = {}
        try:
            items = list(read_records(path))
        except (OSError, ValueError) as exc:
            self.problem(Problem.at(path, _reason(exc)))
            return entries
        for item in items:
            if isinstance(item, Problem):
                self.problem(item)
                continue
            line, record = item
            name = record.get("file_name")
            if not isinstance(name, str) or not name:
                self.problem(Problem.at(path, "sidecar record without a 'file_name'", line))
                continue
            entries[(path.parent / name).resolve()] = record
        return entries


def _reason(exc: BaseException) -> str:
    if isinstance(exc, PermissionError):
        return "permission denied"
    if isinstance(exc, FileNotFoundError):
        return "disappeared while reading"
    if isinstance(exc, IsADirectoryError):
        return "is a directory"
    if isinstance(exc, OSError):
        return exc.strerror or str(exc)
    return str(exc)


def follow_links_out() -> bool:
    """Whether links inside a corpus folder to files outside it are read: `$SIMTOOL_FOLLOW_LINKS=1`."""
    return os.environ.get("SIMTOOL_FOLLOW_LINKS", "").strip().lower() in ("1", "true", "yes")


def _walk(root: Path, on_problem, follow_links: bool = False, on_note=None) -> Iterator[Path]:
    """Regular files under `root` in sorted order; sidecars of a folder come first. Hidden files
    and a folder's own README or LICENSE are skipped.

    Symbolic links to folders are not followed (a link loop cannot trap the walk); a link to a
    file outside `root` is skipped and reported unless `follow_links` (a link to /etc/passwd is
    not an article); pipes, devices and sockets are skipped and reported (opening a pipe waits
    forever). A link to a folder is said (`on_note`), never silently passed over.
    """
    def onerror(exc: OSError) -> None:
        on_problem(Problem.at(exc.filename or root, _reason(exc)))

    inside = root.resolve()
    for folder, dirs, files in os.walk(root, onerror=onerror, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in dirs:
            if on_note is not None and (Path(folder) / name).is_symlink():
                on_note(Problem.at(Path(folder) / name, "a link to a folder: not followed, its files are not read"))
        names = sorted((f for f in files
                        if not f.startswith(".") and Path(f).stem.lower() not in NOT_ARTICLES),
                       key=lambda f: (f not in SIDECAR_NAMES, f))
        for name in names:
            found = Path(folder) / name
            try:
                if found.is_symlink() and not follow_links and not found.resolve().is_relative_to(inside):
                    on_problem(Problem.at(found, f"a link out of the corpus folder (to {found.resolve()}): not "
                                                 f"read (SIMTOOL_FOLLOW_LINKS=1 reads such links)"))
                    continue
                mode = os.stat(found).st_mode
            except (OSError, RuntimeError) as exc:  # a broken link, or a loop of links
                on_problem(Problem.at(found, "a broken link or a loop of links: skipped"
                                      if isinstance(exc, RuntimeError) or found.is_symlink() else _reason(exc)))
                continue
            if not stat.S_ISREG(mode):
                on_problem(Problem.at(found, "not a regular file (a pipe, a device or a socket): skipped"))
                continue
            yield found


def _files(paths: Iterable[str | os.PathLike[str]],
           loader: _Loader) -> Iterator[tuple[str, Path, str, dict[str, Any] | None]]:
    """("text" or "data", path, id, sidecar record) of every article file under `paths`, in walk
    order; sidecars are read as their folder is entered, problems go to `loader`."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            sidecars: dict[Path, dict[str, Any]] = {}
            for found in _walk(path, loader.problem, follow_links_out(), loader.note):
                if found.name in SIDECAR_NAMES:
                    sidecars.update(loader.sidecar(found))
                    continue
                rel_id = found.relative_to(path).with_suffix("").as_posix()
                suffix = found.suffix.lower()
                if suffix in TEXT_SUFFIXES:
                    yield "text", found, rel_id, sidecars.get(found.resolve())
                elif suffix in DATA_SUFFIXES:
                    yield "data", found, rel_id, None
                else:
                    loader.note(Problem.at(found, f"skipped: {suffix or 'a file without a suffix'} is not "
                                                     f"read (text: {', '.join(sorted(TEXT_SUFFIXES))}; data: "
                                                     f"{', '.join(sorted(DATA_SUFFIXES))})"))
        elif path.is_file():
            yield ("data" if path.suffix.lower() in DATA_SUFFIXES else "text"), path, path.stem, None
        elif path.exists() or path.is_symlink():
            loader.problem(Problem.at(path, "not a file or folder (a broken link?)"))
        else:
            loader.problem(Problem.at(path, "no such file or folder"))


def load_corpus(
    paths: Sequence[str | os.PathLike[str]] | str | os.PathLike[str],
    *,
    strict: bool = False,
    text_field: str | None = None,
    id_field: str | None = None,
) -> Corpus:
    """Load documents from files and folders.

    Bad files and records are reported in `Corpus.problems` and skipped; with `strict=True`
    the first one raises InputError. Raises NoDocumentsError when nothing usable is left.
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    loader = _Loader(strict, text_field, id_field)
    for kind, path, doc_id, sidecar in _files(paths, loader):
        if kind == "text":
            loader.text_file(path, doc_id, sidecar)
        else:
            loader.data_file(path, doc_id)
    if not loader.documents:
        raise NoDocumentsError(_nothing_loaded(paths, loader.problems))
    return Corpus(_without_stray_dates(loader.documents, loader), loader.problems)


def _without_stray_dates(documents: list[Document], loader: _Loader) -> list[Document]:
    """A date far outside the corpus's own years that no other document comes near (a 9999 typo, a
    lone 1900) or that is a placeholder (1 January 1900 or 1970) is reported and dropped: it would
    otherwise be a period of its own. A group of documents from another decade is kept: an archive
    may reach back."""
    stray = stray_dates(Counter(doc.date.year for doc in documents if doc.date is not None))
    if stray is None:
        return documents
    kept = []
    for doc in documents:
        if doc.date is not None and stray.is_stray(doc.date):
            loader.problem(Problem(doc.origin, stray.message(doc.date), kept=True))
            doc = replace(doc, date=None)
        kept.append(doc)
    return kept


@dataclass(frozen=True)
class StrayDates:
    """Which dates of a corpus are stray, from its count of documents per year (see
    `_without_stray_dates`); the Ray path applies the same rule to its dataset."""

    low: float
    high: float
    years: tuple[int, ...]    # the years that have documents, ascending
    counts: tuple[int, ...]   # how many documents each has

    def is_stray(self, date: dt.date) -> bool:
        if self.low - STRAY_YEARS <= date.year <= self.high + STRAY_YEARS:
            return False
        near = sum(n for year, n in zip(self.years, self.counts) if abs(year - date.year) <= NEAR_YEARS)
        return near < 2 or ((date.month, date.day) == (1, 1) and date.year in (1900, 1970))

    def message(self, date: dt.date) -> str:
        return (f"date {date.isoformat()} lies far outside the corpus's dates ({int(self.low)}-{int(self.high)}) "
                f"with no other document near it; kept without a date")


def stray_dates(years: Counter[int]) -> StrayDates | None:
    """The stray-date rule for a corpus with these documents per year; None for a corpus with too
    few dated documents to judge."""
    if sum(years.values()) < STRAY_DATES_MIN:
        return None
    ordered = sorted(years)
    every = np.repeat(np.array(ordered, dtype=np.int32), [years[y] for y in ordered])  # 4 bytes a document
    low, high = np.percentile(every, [5, 95])
    return StrayDates(float(low), float(high), tuple(ordered), tuple(years[y] for y in ordered))


STRAY_DATES_MIN = 20  # dated documents a corpus needs before a date can be judged far from the others
STRAY_YEARS = 10      # years beyond the 5th..95th percentile of the corpus's years that a date may lie
NEAR_YEARS = 5        # a date out there with another document within this many years is an archive's

TEXT_FILES_PER_UNIT = 500
ROWS_PER_UNIT = 50_000  # a Parquet file is split at row groups into parts of about this many rows


def plan_units(paths: Sequence[str | os.PathLike[str]]) -> tuple[list[dict[str, Any]], list[Problem]]:
    """The corpus cut into units that can be read apart (by Ray workers), and the problems met
    planning: each JSONL or CSV file alone, a Parquet file in runs of row groups of about
    ROWS_PER_UNIT rows, text files in runs of TEXT_FILES_PER_UNIT with their sidecar metadata.
    Ids and records are those `load_corpus` gives."""
    loader = _Loader(strict=False, text_field=None)
    units: list[dict[str, Any]] = []
    texts: list[tuple[str, str, dict[str, Any] | None]] = []
    for kind, path, doc_id, sidecar in _files(paths, loader):
        if kind == "text":
            texts.append((str(path), doc_id, sidecar))
        else:
            units.extend(_data_units(path, doc_id))
    for start in range(0, len(texts), TEXT_FILES_PER_UNIT):
        units.append({"kind": "text", "files": texts[start:start + TEXT_FILES_PER_UNIT]})
    return units, loader.problems


def _data_units(path: Path, file_id: str) -> list[dict[str, Any]]:
    whole = [{"kind": "data", "path": str(path), "id": file_id, "row_groups": None}]
    if path.suffix.lower() != ".parquet":
        return whole
    import pyarrow.parquet as pq

    try:
        metadata = pq.ParquetFile(path).metadata
    except Exception:  # unreadable: the reading task reports it, as locally
        return whole
    units, start, rows = [], 0, 0
    for group in range(metadata.num_row_groups):
        rows += metadata.row_group(group).num_rows
        if rows >= ROWS_PER_UNIT or group == metadata.num_row_groups - 1:
            units.append({"kind": "data", "path": str(path), "id": file_id, "row_groups": (start, group + 1)})
            start, rows = group + 1, 0
    return units or whole


def read_unit(unit: dict[str, Any], text_field: str | None = None, id_field: str | None = None) -> tuple[list[Document], list[Problem]]:
    """The documents of one unit of `plan_units`, and the problems met (never raises on bad input)."""
    loader = _Loader(strict=False, text_field=text_field, id_field=id_field)
    if unit["kind"] == "data":
        loader.data_file(Path(unit["path"]), unit["id"], unit["row_groups"] and tuple(unit["row_groups"]))
    else:
        for path, doc_id, sidecar in unit["files"]:
            loader.text_file(Path(path), doc_id, sidecar)
    return loader.documents, loader.problems


def _nothing_loaded(paths: Iterable[Any], problems: list[Problem]) -> str:
    if len(problems) == 1:
        return str(problems[0])
    names = ", ".join(str(p) for p in paths)
    if not problems:
        return f"{names}: no documents found (looked for {', '.join(sorted(TEXT_SUFFIXES | DATA_SUFFIXES))})"
    return f"{names}: no usable documents ({len(problems)} problems; first: {problems[0]})"


def corpus_from_texts(texts: Iterable[str], ids: Iterable[str] | None = None) -> Corpus:
    """A corpus from strings (for the Python API and tests)."""
    texts = list(texts)
    ids = list(ids) if ids is not None else [str(i) for i in range(len(texts))]
    if len(ids) != len(texts):
        raise InputError(f"ids has {len(ids)} items but texts has {len(texts)}")
    return Corpus([Document(id=i, text=t) for i, t in zip(ids, texts)])
