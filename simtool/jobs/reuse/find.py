"""`find_reuse`: every pair of articles sharing a passage, which way the text went, the lineage of
each family of articles that share text, and how much of each outlet's coverage is borrowed.

Steps: each article's winnowed fingerprints (`passages`); candidate pairs from the articles each
fingerprint occurs in (`candidate_pairs`); exact alignment of each candidate pair; direction and
lineage (`lineage`). Fingerprinting and alignment run in this process or as Ray tasks, with the
same functions, so both engines give the same result.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from simtool.engines import Engine, ray_engine
from simtool.io.corpus import Corpus
from simtool.io.document import Document
from simtool.jobs.reuse import lineage
from simtool.jobs.reuse.pairs import MAX_POSTINGS, align_pairs, article_fingerprints, candidate_pairs
from simtool.jobs.reuse.passages import (
    SEED_WORDS,
    Passage,
    WordReader,
    Words,
    covered_words,
    quoted_share,
    span_text,
    window_for,
)
from simtool.jobs.reuse.wire import wire_mark
from simtool.results import to_jsonable
from simtool.text.sentence_diff import SentenceDiff

# Measured on AllSides (`benchmarks/reuse.py`): of the pairs sharing 15+ words, 42% share only a
# quotation; at 40 words 24%, at 60 14%. Every planted borrowing (two or three paragraphs, edited
# copies) is found up to 60 words. 40 keeps a borrowed paragraph of news length and leaves out
# stock phrases; the quotations left are flagged on each pair (`quotation_only`).
MIN_WORDS = 40
NO_SOURCE = "(no source)"
# A passage this much inside quotation marks is likely a statement two outlets both quote, not
# one outlet's text taken by another: on AllSides, 24% of the pairs at 40 words are only that
# (`benchmarks/reuse.py`). Such pairs are kept and flagged (`quotation_only`).
QUOTATION_ONLY = 0.8


@dataclass(frozen=True)
class SharedPassage:
    """A passage the target took from the source: character spans in each article's text as
    compared (the text itself for ASCII), its matching words, and the source's wording."""

    source_span: tuple[int, int]
    target_span: tuple[int, int]
    words: int
    text: str
    quoted: float               # share of it inside quotation marks in the target: a statement both quote


@dataclass(frozen=True)
class ReuseEdge:
    """Two articles that share passages, oriented source -> target, with the rule that decided."""

    source: str
    target: str
    shared_words: int           # words of the target matching the source
    share_of_target: float
    share_of_source: float
    lag_days: int | None
    direction_by: str           # "date", "text" or "none"
    rule: str                   # the rule, in words
    confidence: str             # "high", "medium", "low" or "none"
    passages: list[SharedPassage]
    quotation_only: bool = False  # every passage is 80%+ quotation: two outlets may quote one speaker


@dataclass(frozen=True)
class LineageNode:
    """A member of a family: its parent (None for a root), what it took and what it changed."""

    id: str
    title: str
    date: str | None
    source: str | None
    parent: str | None
    lag_days: int | None
    shared_words: int           # with its parent
    share_of_parent: float      # of its own words, the share found in its parent
    direction_by: str | None    # how its edge from the parent was oriented
    also_from: list[str] = field(default_factory=list)  # other earlier members it shares text with
    added: tuple[str, ...] = ()    # sentences it has and its parent lacks
    dropped: tuple[str, ...] = ()  # sentences of its parent it lacks


@dataclass(frozen=True)
class ReuseFamily:
    """Articles linked by shared text, in lineage order from the origin."""

    origin: str
    members: list[str]
    tree: list[LineageNode]
    wire: str | None            # the origin's dateline or wire credit, if it has one
    first_date: str | None
    last_date: str | None
    sources: list[str]


@dataclass(frozen=True)
class OutletReuse:
    """One outlet's borrowing: of its articles' words, how many it took, and from which outlets."""

    source: str
    articles: int
    words: int
    borrowed_words: int
    borrowed_share: float
    lenders: dict[str, int]     # outlet -> words taken from its articles (edges with a direction)


@dataclass(frozen=True)
class ReuseSettings:
    """What a reuse run used."""

    min_words: int = MIN_WORDS
    seed_words: int = SEED_WORDS
    window: int = window_for(MIN_WORDS)
    max_postings: int = MAX_POSTINGS
    candidates: int = 0         # pairs aligned (from shared fingerprints)


@dataclass(frozen=True)
class ReuseResult:
    """Edges (most shared first), families (largest first), outlets (most borrowed first)."""

    edges: list[ReuseEdge]
    families: list[ReuseFamily]
    outlets: list[OutletReuse]
    n_documents: int
    settings: ReuseSettings

    def to_json(self) -> dict[str, Any]:
        """What `reuse --json` prints."""
        return to_jsonable({"edges": self.edges, "families": self.families, "outlets": self.outlets,
                            "documents": self.n_documents, "settings": self.settings})

    def lineage_of(self, doc_id: str) -> LineageNode | None:
        """The family node of `doc_id`, if it shares text with another article."""
        for family in self.families:
            for node in family.tree:
                if node.id == doc_id:
                    return node
        return None


def compared_text(doc: Document) -> str:
    """What reuse compares: the body, else the title (as dedup does)."""
    return doc.text if doc.text.strip() else doc.title


def check_min_words(min_words: int) -> None:
    """ValueError naming the parameter when a passage would be shorter than one hashed n-gram."""
    if not isinstance(min_words, int) or min_words < SEED_WORDS:
        raise ValueError(f"min_words must be a whole number of at least {SEED_WORDS}; got {min_words!r}")


def find_reuse(corpus: Corpus, *, min_words: int = MIN_WORDS, describe: bool = True,
               engine: Engine | None = None, max_postings: int = MAX_POSTINGS) -> ReuseResult:
    """Passages shared by articles of `corpus`, their direction, families and outlets.

    min_words: the matching words a shared passage needs (edits inside it not counted).
    describe: list each member's sentences added and dropped against its parent.
    engine: where fingerprints and alignments are computed (this process, or Ray tasks).
    """
    check_min_words(min_words)
    docs = corpus.documents
    texts = [compared_text(doc) for doc in docs]
    window = window_for(min_words)
    order = sorted(range(len(docs)), key=lambda row: (docs[row].date is None, docs[row].date or 0, row))
    on_ray = ray_engine(engine)
    words: dict[int, Words] = {}  # each aligned article's words, read once
    if on_ray is not None:
        from simtool.jobs.reuse import ray as distributed

        prints, lengths = distributed.fingerprints_on(on_ray, texts, window, min_words)
        pairs = candidate_pairs(prints, order, max_postings)
        aligned = distributed.align_on(on_ray, texts, pairs, min_words)
    else:
        prints, lengths = article_fingerprints(texts, window, min_words)
        pairs = candidate_pairs(prints, order, max_postings)
        aligned = align_pairs(texts, pairs, min_words, words)
    settings = ReuseSettings(min_words, SEED_WORDS, window, max_postings, len(pairs))
    return reuse_result(docs, texts, lengths, aligned, settings, describe, words)


def reuse_result(docs: Sequence[Document], texts: Sequence[str], lengths: Sequence[int],
            aligned: dict[tuple[int, int], list[Passage]], settings: ReuseSettings, describe: bool,
            words: dict[int, Words]) -> ReuseResult:
    """The result from the passages of each aligned pair (rows of `docs`): directions, families,
    outlets. `lengths` are the articles' word counts; `words`, the aligned articles' words read so far."""
    reader = WordReader()
    for row in {row for pair in aligned for row in pair} - words.keys():  # on Ray, read where the pairs were
        words[row] = reader.read(texts[row])
    marks = {row: wire_mark(texts[row]) for row in words}
    edges: dict[tuple[int, int], tuple[lineage.Direction, list[Passage], dict[int, int]]] = {}
    for (a, b), passages in aligned.items():
        matched = {a: covered_words(len(words[a]), [(s, n) for p in passages for s, _, n in p.runs]),
                   b: covered_words(len(words[b]), [(t, n) for p in passages for _, t, n in p.runs])}
        way = lineage.direction(a, b, docs, matched, {a: len(words[a]), b: len(words[b])}, marks)
        if way.source != a:
            passages = [_swapped(p) for p in passages]
        edges[(a, b)] = (way, passages, matched)

    groups = lineage.families(len(docs), list(edges))
    family_of = {row: k for k, rows in enumerate(groups) for row in rows}
    directions: dict[int, list[lineage.Direction]] = defaultdict(list)
    for way, _, _ in edges.values():
        directions[family_of[way.source]].append(way)
    orders = [lineage.family_order(rows, directions[k], docs) for k, rows in enumerate(groups)]
    position = {row: k for order in orders for k, row in enumerate(order)}

    oriented: dict[tuple[int, int], ReuseEdge] = {}
    shared: dict[tuple[int, int], int] = {}
    for way, passages, matched in edges.values():
        if way.by == "none" and position[way.source] > position[way.target]:  # the family's order decides
            way = lineage.Direction(way.target, way.source, way.by, way.rule, way.confidence)
            passages = [_swapped(p) for p in passages]
        source, target = way.source, way.target
        shared[(source, target)] = matched[target]
        shown = [_shared_passage(p, words[source], words[target]) for p in passages]
        oriented[(source, target)] = ReuseEdge(
            docs[source].id, docs[target].id, matched[target], round(matched[target] / max(1, len(words[target])), 4),
            round(matched[source] / max(1, len(words[source])), 4), _lag(docs[source], docs[target]), way.by,
            way.rule, way.confidence, shown, all(p.quoted >= QUOTATION_ONLY for p in shown))

    shared_in: dict[int, dict[tuple[int, int], int]] = defaultdict(dict)  # family -> its pairs' shared words
    sources_of: dict[int, list[int]] = defaultdict(list)
    for (source, target), n in shared.items():
        shared_in[family_of[source]][(source, target)] = n
        sources_of[target].append(source)
    parent_of: dict[int, int | None] = {}
    for k, order in enumerate(orders):
        parent_of.update(lineage.parents(order, shared_in[k]))
    family_list = [_family(order, parent_of, sources_of, oriented, docs, marks, describe) for order in orders]
    outlets = _outlets(docs, lengths, oriented, edges, parent_of)
    ranked = sorted(oriented.values(), key=lambda e: (-e.shared_words, e.source, e.target))
    return ReuseResult(ranked, family_list, outlets, len(docs), settings)


def _swapped(p: Passage) -> Passage:
    return Passage(p.target_start, p.target_end, p.source_start, p.source_end, p.words,
                   tuple((t, s, n) for s, t, n in p.runs))


def _shared_passage(p: Passage, source: Words, target: Words) -> SharedPassage:
    (source_starts, source_ends), (target_starts, target_ends) = source.spans, target.spans
    start, end = int(target_starts[p.target_start]), int(target_ends[p.target_end - 1])
    return SharedPassage((int(source_starts[p.source_start]), int(source_ends[p.source_end - 1])), (start, end),
                         p.words, span_text(source, p.source_start, p.source_end),
                         round(quoted_share(target, start, end), 3))


def _lag(source: Document, target: Document) -> int | None:
    return (target.date - source.date).days if source.date and target.date else None


def _iso(date: dt.date | None) -> str | None:
    return date.isoformat() if date else None


def _family(order: list[int], parent_of: dict[int, int | None], sources_of: dict[int, list[int]],
            oriented: dict[tuple[int, int], ReuseEdge], docs: Sequence[Document], marks: dict[int, str | None],
            describe: bool) -> ReuseFamily:
    nodes = []
    for row in order:
        doc, parent = docs[row], parent_of[row]
        also = [docs[s].id for s in sources_of[row] if s != parent]
        if parent is None:
            nodes.append(LineageNode(doc.id, doc.title, _iso(doc.date), doc.source, None, None, 0, 0.0, None, also))
            continue
        edge = oriented[(parent, row)]
        added, dropped = SentenceDiff(docs[parent].text).diff(doc.text) if describe else ((), ())
        nodes.append(LineageNode(doc.id, doc.title, _iso(doc.date), doc.source, docs[parent].id, edge.lag_days,
                                 edge.shared_words, edge.share_of_target, edge.direction_by, also, added, dropped))
    dates = sorted(date for row in order if (date := docs[row].date) is not None)
    return ReuseFamily(docs[order[0]].id, [docs[row].id for row in order], nodes, marks.get(order[0]),
                       _iso(dates[0]) if dates else None, _iso(dates[-1]) if dates else None,
                       sorted({outlet for row in order if (outlet := docs[row].source)}))


def _outlets(docs: Sequence[Document], lengths: Sequence[int], oriented: dict[tuple[int, int], ReuseEdge],
             edges: dict, parent_of: dict[int, int | None]) -> list[OutletReuse]:
    """Per outlet: its articles' words, the words they took through edges with a direction, and
    the words taken per lending outlet. Each word taken counts once, for the parent's outlet if
    the parent holds it, else for the next source that does (most shared first)."""
    into: dict[int, list[tuple[int, ReuseEdge]]] = defaultdict(list)
    for (source, target), edge in oriented.items():
        if edge.direction_by != "none":
            into[target].append((source, edge))
    lenders: dict[str, Counter[str]] = defaultdict(Counter)
    borrowed = [0] * len(docs)
    for target, sources in into.items():
        taken = np.zeros(lengths[target], bool)
        outlet = lenders[docs[target].source or NO_SOURCE]
        for source, _edge in sorted(sources, key=lambda item: (item[0] != parent_of.get(target), -item[1].shared_words)):
            _, passages, _ = edges.get((source, target)) or edges[(target, source)]  # oriented source first
            mask = np.zeros(lengths[target], bool)
            for p in passages:
                for _, start, n in p.runs:
                    mask[start:start + n] = True
            new = int((mask & ~taken).sum())
            if new:
                outlet[docs[source].source or NO_SOURCE] += new
            taken |= mask
        borrowed[target] = int(taken.sum())
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])  # articles, words, borrowed
    for row, doc in enumerate(docs):
        counts = totals[doc.source or NO_SOURCE]
        counts[0] += 1
        counts[1] += lengths[row]
        counts[2] += borrowed[row]
    rows = [OutletReuse(outlet, articles, n, taken, round(taken / max(1, n), 4), dict(lenders[outlet].most_common()))
            for outlet, (articles, n, taken) in totals.items()]
    return sorted(rows, key=lambda o: (-o.borrowed_share, -o.borrowed_words, o.source))
