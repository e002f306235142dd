"""The benchmark's datasets: STS-B dev, MSRP test, BBC and HuffPost, retrieval pairs made from
any corpus (the user's included), and the user's own scored pairs and labelled texts.

Each loader reads the public file as published and names the file and line of anything it
cannot use. The standard sets are looked for in `data_dir()`: `$SIMTOOL_BENCH_DATA`, else the
`shared/data` folder beside a source checkout.
"""

from __future__ import annotations

import csv
import json
import math
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from simtool.errors import InputError, Problem
from simtool.io.corpus import Corpus
from simtool.io.prepare import prepare_corpus
from simtool.jobs.cluster.local import classes_of
from simtool.text.basics import split_sentences

STSB = "stsb/sts-dev.tsv"
MSRP = "msrp/msr_paraphrase_test.txt"
BBC = "bbc"
HUFFPOST = "huffpost/news_category_10k.jsonl"
STANDARD_CORPORA = {"bbc": BBC, "huffpost": HUFFPOST}
CLASS_FIELDS = {"bbc": "folder", "huffpost": "category"}
FEW_DOCUMENTS = 100  # under this, retrieval figures mostly measure the corpus's size


class MissingDataset(InputError):
    """A standard dataset that is not where the benchmark looks for it."""


def data_dir() -> Path:
    """Where the standard datasets are: `$SIMTOOL_BENCH_DATA`, else `../shared/data` of a checkout."""
    configured = os.environ.get("SIMTOOL_BENCH_DATA")
    if configured:
        return Path(configured)
    return Path(__file__).resolve().parents[2].parent / "shared" / "data"


@dataclass(frozen=True)
class ScoredPairs:
    """Sentence pairs with a gold score (STS: 0-5) or label (paraphrase: 0/1)."""

    name: str
    first: list[str]
    second: list[str]
    gold: list[float]


@dataclass(frozen=True)
class LabelledCorpus:
    """Texts with their gold class, for clustering."""

    name: str
    texts: list[str]
    labels: list[object]


@dataclass(frozen=True)
class RetrievalSet:
    """Queries and the one document each should find (`relevant[i]` indexes `documents`).

    Documents are deduplicated by text, so two copies of one body count as one answer.
    """

    name: str
    queries: list[str]
    documents: list[str]
    relevant: list[int]
    warning: str | None = None


def _tsv_rows(path: Path, columns: int) -> list[list[str]]:
    # Plain tab splitting, as GLUE's readers do: the sentences hold quotes that csv would take
    # for field quoting.
    rows = []
    with path.open(encoding="utf-8-sig") as handle:
        for number, line in enumerate(handle, start=1):
            if number == 1 or not line.strip():
                continue  # the header
            fields = line.rstrip("\n").split("\t")
            if len(fields) != columns:
                raise InputError(f"{path}:{number}: expected {columns} tab-separated fields, found {len(fields)}")
            rows.append(fields)
    return rows


def _number(path: Path, row: int, value: str) -> float:
    try:
        return float(value)
    except ValueError:
        raise InputError(f"{path}: row {row}: score {value!r} is not a number") from None


def load_stsb(root: Path) -> ScoredPairs:
    """STS Benchmark dev: 1,500 pairs scored 0-5 (columns: ..., sentence1, sentence2, score)."""
    path = root / STSB
    rows = _tsv_rows(path, 10)
    return ScoredPairs("stsb-dev", [r[7] for r in rows], [r[8] for r in rows],
                       [_number(path, i, r[9]) for i, r in enumerate(rows, start=1)])


def load_msrp(root: Path) -> ScoredPairs:
    """MSR Paraphrase test: 1,725 pairs labelled 1 (paraphrase) or 0 (Quality, ids, strings)."""
    path = root / MSRP
    rows = _tsv_rows(path, 5)
    return ScoredPairs("msrp-test", [r[3] for r in rows], [r[4] for r in rows],
                       [_number(path, i, r[0]) for i, r in enumerate(rows, start=1)])


# Column names a pairs file may use for its two texts and its gold value, in order of preference.
PAIR_TEXTS = (("sentence1", "sentence2"), ("text1", "text2"), ("text_a", "text_b"), ("a", "b"), ("first", "second"),
              ("query", "document"))
PAIR_GOLD = ("score", "similarity", "label", "gold", "is_paraphrase", "is_duplicate")
LABEL_FIELDS = ("label", "class", "category", "topic")


def _records(path: Path, problems: list[Problem]) -> Iterator[tuple[int, dict[str, object]]]:
    """(line, record) of a JSONL, CSV or TSV file with a header, as the ecosystem writes them; a
    line that is not a record is added to `problems` and skipped (a CSV stops there: the reader
    cannot tell where the broken row ends)."""
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson"):
        with path.open(encoding="utf-8-sig") as handle:
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                try:
                    record = json.loads(line)
                except (json.JSONDecodeError, RecursionError) as exc:
                    problems.append(Problem(str(path), f"skipped: not JSON ({getattr(exc, 'msg', 'nested too deeply')})",
                                            number))
                    continue
                if not isinstance(record, dict):
                    problems.append(Problem(str(path), "skipped: a record must be a JSON object", number))
                    continue
                yield number, record
        return
    if suffix not in (".csv", ".tsv", ".txt"):
        raise InputError(f"{path}: pairs and labels are read from .jsonl, .csv or .tsv files")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle, delimiter="\t" if suffix in (".tsv", ".txt") else ",", strict=True)
        try:
            for record in reader:
                yield reader.line_num, dict(record)
        except csv.Error as exc:
            problems.append(Problem(str(path), f"a row that cannot be read ({exc}): the rows after it are not read",
                                    reader.line_num))


def _columns(path: Path, record: dict[str, object], choices: Sequence[Sequence[str]] | Sequence[str],
             what: str) -> tuple[str, ...]:
    lowered = {str(k).lower(): k for k in record}
    for choice in choices:
        names = (choice,) if isinstance(choice, str) else tuple(choice)
        if all(name in lowered for name in names):
            return tuple(str(lowered[name]) for name in names)
    wanted = ", ".join("/".join(c) if not isinstance(c, str) else c for c in choices)
    raise InputError(f"{path}: no column for {what} (looked for {wanted}; found {', '.join(map(str, record))})")


def load_pairs(path: Path) -> tuple[ScoredPairs, list[Problem]]:
    """A user's pairs: two texts and a score (scored by Spearman, as STS) or a 0/1 label (scored
    by average precision, as paraphrase pairs), named by the file. A row without two texts or
    with a gold value that is not a number is reported and skipped."""
    path = Path(path).expanduser()
    first: list[str] = []
    second: list[str] = []
    gold: list[float] = []
    problems: list[Problem] = []
    columns: tuple[str, ...] | None = None
    for number, record in _records(path, problems):
        if columns is None:
            columns = _columns(path, record, PAIR_TEXTS, "the two texts") + _columns(path, record, PAIR_GOLD,
                                                                                        "the score or label")
        a, b, value = (record.get(c) for c in columns)
        try:
            score = float(value)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            score = math.nan
        if not (isinstance(a, str) and a.strip() and isinstance(b, str) and b.strip()) or not math.isfinite(score):
            problems.append(Problem(str(path), f"skipped: a pair needs two texts and a numeric {columns[2]} "
                                               f"(got {value!r})", number))
            continue
        first.append(a)
        second.append(b)
        gold.append(score)
    if len(gold) < 3 or len(set(gold)) < 2:
        raise InputError(f"{path}: {len(gold)} usable pair(s) with {len(set(gold))} distinct gold value(s); "
                         f"a benchmark needs at least 3 pairs and 2 values")
    return ScoredPairs(path.stem, first, second, gold), problems


def is_binary(pairs: ScoredPairs) -> bool:
    """Whether the gold values are 0/1 labels (a pair classification) rather than scores."""
    return set(pairs.gold) <= {0.0, 1.0}


def load_labelled(path: Path, label_field: str | None = None) -> tuple[Corpus, LabelledCorpus]:
    """A user's texts with a class (a metadata field: label, class, category or topic), loaded and
    cleaned as every job loads a corpus; named by the file."""
    path = Path(path).expanduser()
    corpus = prepare_corpus([path])
    fields = [label_field] if label_field else [f for f in LABEL_FIELDS if any(f in doc.meta for doc in corpus)][:1]
    if not fields:
        raise InputError(f"{path}: no field holds a class (looked for {', '.join(LABEL_FIELDS)})")
    labels = classes_of(corpus, fields[0])
    odd = next((label for label in labels if label is not None and not isinstance(label, (str, int, float, bool))), None)
    if odd is not None:
        raise InputError(f"{path}: {fields[0]!r} holds a {type(odd).__name__} ({odd!r:.60}); a class is one value")
    kept = [(doc.content, label) for doc, label in zip(corpus, labels) if label is not None and str(label).strip()]
    if len({label for _, label in kept}) < 2:
        raise InputError(f"{path}: {fields[0]!r} holds fewer than 2 classes")
    return corpus, LabelledCorpus(path.stem, [t for t, _ in kept], [label for _, label in kept])


def labelled(corpus: Corpus, name: str) -> LabelledCorpus:
    """BBC (class = folder) or HuffPost (class = category) with its gold classes."""
    return LabelledCorpus(name, [doc.content for doc in corpus], classes_of(corpus, CLASS_FIELDS[name]))


def retrieval_set(corpus: Corpus, name: str) -> RetrievalSet:
    """Each document's headline (or, without one, its first sentence) as the query for its body.

    Documents with nothing left for a body are left out. Bodies that are equal are one
    document, which every query of theirs should find.
    """
    queries: list[str] = []
    documents: list[str] = []
    relevant: list[int] = []
    position: dict[str, int] = {}
    for doc in corpus:
        query, body = doc.title.strip(), doc.text.strip()
        if not query:
            sentences = split_sentences(body)
            if len(sentences) < 2:
                continue
            query, body = sentences[0], " ".join(sentences[1:])
        if not query or not body:
            continue
        if body not in position:
            position[body] = len(documents)
            documents.append(body)
        queries.append(query)
        relevant.append(position[body])
    return RetrievalSet(name, queries, documents, relevant, _size_warning(name, len(documents)))


def _size_warning(name: str, n: int) -> str | None:
    if n >= FEW_DOCUMENTS:
        return None
    if n <= 10:
        return (f"retrieval on {name}: only {n} documents, so Recall@10 is 1 by construction and "
                f"MRR@10 says little; use a corpus of {FEW_DOCUMENTS}+ documents")
    return (f"retrieval on {name}: only {n} documents; with so few candidates MRR@10 and Recall@10 "
            f"mean little (chance MRR@10 is about {_chance_mrr(n):.2f}); use {FEW_DOCUMENTS}+ documents")


def _chance_mrr(n: int) -> float:
    return sum(1 / rank for rank in range(1, min(n, 10) + 1)) / n


def corpus_name(paths: Sequence[str | os.PathLike[str]]) -> str:
    """A short name for a user's corpus in tables and JSON."""
    names = [Path(p).name or str(p) for p in paths]
    return "+".join(names) if len(names) <= 3 else f"{names[0]}+{len(names) - 1} more"


def load_user_corpus(paths: Sequence[str | os.PathLike[str]]) -> Corpus:
    """The user's corpus, loaded and cleaned as every job loads it."""
    return prepare_corpus(list(paths))

