"""Groups of copies: the connected components of confirmed pairs, each described against its
canonical member (the earliest dated, else the longest, else the first by id)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from simtool.io.corpus import Corpus
from simtool.io.document import Document
from simtool.jobs.dedup.rules import DedupSettings, dedup_text
from simtool.jobs.reuse import lineage
from simtool.jobs.reuse.wire import wire_mark
from simtool.results import to_jsonable
from simtool.text.basics import SHINGLE_SIZE
from simtool.text.sentence_diff import SentenceDiff
from simtool.text.shingling import RowOverlap


@dataclass(frozen=True)
class DuplicatePair:
    """Two documents confirmed as copies, with the scores that confirmed them."""

    a: str
    b: str
    jaccard: float
    containment: float
    cosine: float | None
    method: str


@dataclass(frozen=True)
class GroupMember:
    """A member of a group, compared with the group's canonical document."""

    id: str
    title: str
    date: str | None
    source: str | None
    jaccard: float
    containment: float
    added: tuple[str, ...] = ()    # sentences this copy has and the canonical lacks
    dropped: tuple[str, ...] = ()  # sentences of the canonical this copy lacks
    parent: str | None = None      # the member it was most likely copied from (`simtool.jobs.reuse.lineage`)
    parent_by: str | None = None   # how that was decided: "date", "text" or "none" (the group's order)
    lag_days: int | None = None    # days after its parent


@dataclass(frozen=True)
class DuplicateGroup:
    """One story and its copies; `members` lists every id, the canonical first."""

    canonical: str
    members: list[str]
    details: list[GroupMember]
    first_date: str | None
    last_date: str | None
    sources: list[str]
    pairs: list[DuplicatePair] = field(default_factory=list)  # the confirmed pairs that joined it


@dataclass(frozen=True)
class DedupResult:
    """Groups (largest first), the confirmed pairs behind them, and the settings used."""

    groups: list[DuplicateGroup]
    pairs: list[DuplicatePair]
    n_documents: int
    settings: DedupSettings = field(default_factory=DedupSettings)

    def to_json(self) -> list[Any]:
        """The groups as `dedup --json` prints them (and `analyze --json` holds them)."""
        return to_jsonable(self.groups)


def _canonical_order(doc: Document) -> tuple:
    # Earliest date first (undated last), then longest text, then id.
    return (doc.date is None, doc.date or 0, -len(dedup_text(doc)), doc.id)


def describe_group(corpus: Corpus, rows: list[int], overlap: RowOverlap, pairs: list[DuplicatePair],
           describe: bool) -> DuplicateGroup:
    ordered = sorted(rows, key=lambda r: _canonical_order(corpus.documents[r]))
    canonical_row = ordered[0]
    canonical = corpus.documents[canonical_row]
    differ = SentenceDiff(canonical.text) if describe else None
    parent_of = group_lineage(corpus.documents, ordered, overlap)
    details = []
    for row, (jaccard, containment) in zip(ordered, overlap.against(canonical_row, ordered)):
        doc = corpus.documents[row]
        added, dropped = differ.diff(doc.text) if differ and row != canonical_row else ((), ())
        parent, by = parent_of.get(row, (None, None))
        parent_date = corpus.documents[parent].date if parent is not None else None
        lag = (doc.date - parent_date).days if doc.date and parent_date else None
        details.append(GroupMember(doc.id, doc.title, doc.date.isoformat() if doc.date else None,
                                   doc.source, round(jaccard, 4), round(containment, 4), added, dropped,
                                   corpus.documents[parent].id if parent is not None else None, by, lag))
    docs = [corpus.documents[r] for r in ordered]
    dates = sorted(d.date for d in docs if d.date)
    sources = sorted({d.source for d in docs if d.source})
    return DuplicateGroup(canonical.id, [d.id for d in docs], details,
                          dates[0].isoformat() if dates else None,
                          dates[-1].isoformat() if dates else None, sources, pairs)


LINEAGE_MEMBERS = 30  # in a larger group, members are traced to the 30 earliest only (pairs grow with the square)


def group_lineage(docs: Sequence[Document], rows: list[int], overlap: RowOverlap) -> dict[int, tuple[int, str]]:
    """Each member's parent row and how the direction was decided, by the rules `reuse` applies
    to shared passages (`simtool.jobs.reuse.lineage`), here on the copies' shingle sets."""
    earliest = rows[:LINEAGE_MEMBERS]
    pairs = [(a, b) for k, b in enumerate(rows) for a in (rows[:k] if k < LINEAGE_MEMBERS else earliest)]
    marks = {row: wire_mark(docs[row].text) for row in rows}
    directions, common = [], []
    for a, b in pairs:
        count, size_a, size_b = overlap.shared(a, b)
        directions.append(lineage.direction(a, b, docs, {a: count, b: count}, {a: size_a, b: size_b}, marks))
        common.append(count)
    order = lineage.family_order(rows, directions, docs)
    position = {row: k for k, row in enumerate(order)}
    shared: dict[tuple[int, int], int] = {}
    how: dict[tuple[int, int], str] = {}
    for way, count in zip(directions, common):
        source, target = sorted((way.source, way.target), key=position.__getitem__) if way.by == "none" \
            else (way.source, way.target)  # an undecided pair goes the group's order
        if position[source] < position[target]:
            shared[(source, target)] = count
            how[(source, target)] = way.by
    return {row: (parent, how[(parent, row)]) for row, parent in lineage.parents(order, shared).items()
            if parent is not None}


def lexical_confirmed(ids: Sequence[str], lexical: dict[tuple[int, int], tuple[float, float]]
                      ) -> dict[tuple[int, int], DuplicatePair]:
    """Accepted lexical pairs (rows) as DuplicatePairs."""
    return {(i, j): DuplicatePair(ids[i], ids[j], round(jac, 4), round(con, 4), None, "minhash")
            for (i, j), (jac, con) in lexical.items()}


def lexical_result(corpus: Corpus, lexical: dict[tuple[int, int], tuple[float, float]], components,
                   describe: bool, settings: DedupSettings, n_documents: int) -> DedupResult:
    """The groups of accepted lexical pairs among `corpus`'s documents (which may be only the
    documents in some pair, out of `n_documents`)."""
    overlap = RowOverlap([dedup_text(doc) for doc in corpus], {row for pair in lexical for row in pair}, SHINGLE_SIZE)
    confirmed = lexical_confirmed(corpus.ids, lexical)
    return DedupResult(grouped(corpus, confirmed, overlap, describe, components), list(confirmed.values()),
                       n_documents, settings)


def grouped(corpus: Corpus, confirmed: dict[tuple[int, int], DuplicatePair], overlap: RowOverlap,
            describe: bool, components) -> list[DuplicateGroup]:
    """The groups (largest first) of the confirmed pairs; `components(edges, n)` finds them
    (`simtool.jobs.dedup.local.components` here, or the distributed steps on Ray)."""
    if not confirmed:
        return []
    rows, labels = components(np.array(list(confirmed), dtype=np.int64), len(corpus))
    label_of = dict(zip(rows.tolist(), labels.tolist()))
    members: dict[int, list[int]] = {}
    for row in sorted(label_of):
        members.setdefault(label_of[row], []).append(row)
    edges: dict[int, list[DuplicatePair]] = {}
    for (i, _), pair in confirmed.items():
        edges.setdefault(label_of[i], []).append(pair)
    groups = [describe_group(corpus, rows, overlap, edges[label], describe) for label, rows in members.items()]
    return sorted(groups, key=lambda g: (-len(g.members), g.canonical))


def deduplicated(corpus: Corpus, result: DedupResult) -> tuple[list[Document], dict[str, str]]:
    """The corpus without non-canonical copies, and each dropped id's canonical id."""
    mapping = {member: group.canonical for group in result.groups for member in group.members[1:]}
    return [doc for doc in corpus if doc.id not in mapping], mapping
