"""Who took from whom: the direction of each shared-text pair and the lineage of each family.

Direction, first rule that decides:

1. date: both articles dated, on different days: the earlier is the source (certain as the dates).
2. text, containment: one article is whole inside the other but for edits (at most
   max(ADDED_WORDS, EDIT_SHARE of its words) of its own) and the other has at least ADDED_WORDS
   more words of its own: the other is the later one, the source plus additions ("high" when
   the inner one has at most half that many words of its own, else "medium"). Two copies that
   each add to a source hold neither the other, and are not oriented by this rule. A copy that
   only trims its source reads the other way round; dates are needed for that.
3. text, wire mark: only one of the two opens with a dateline or closes with a wire credit
   (`wire.wire_mark`): it is the source ("low": a copy may strip the dateline).
4. none: nothing decides (equal texts without dates, partial reuse without dates or marks): the
   pair is listed in the family's order with `direction_by` "none".

A family is a connected set of articles that share passages. Its members are ordered by the
decided directions (a topological order; on a tie, dated before undated and earlier first,
then corpus order), and the first is the origin. Each other member's parent is the article
before it that holds most of what it shares (within TIE_WORDS words, the earliest of those):
a copy of a copy shares the first copy's additions too, so it hangs under that copy; a copy
of the origin alone stays under the origin.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from simtool.io.document import Document

ADDED_WORDS = 10  # words the containing article must have of its own beyond the other's (a sentence)
EDIT_SHARE = 0.03  # words of its own an article inside another may have: changed words, not additions
TIE_WORDS = 10    # parents sharing within this many words of the best are a tie, won by the earliest


@dataclass(frozen=True)
class Direction:
    """How a pair was oriented: `source` and `target` are rows; `by` is date, text or none."""

    source: int
    target: int
    by: str
    rule: str
    confidence: str


def direction(x: int, y: int, docs: Sequence[Document], matched: dict[int, int], lengths: dict[int, int],
              marks: dict[int, str | None]) -> Direction:
    """Which of rows `x` and `y` is the source; `matched[row]` of the `lengths[row]` words of
    an article are shared by the pair."""
    dx, dy = docs[x].date, docs[y].date
    if dx is not None and dy is not None and dx != dy:
        source, target = (x, y) if dx < dy else (y, x)
        return Direction(source, target, "date", "published earlier", "high")
    own = {row: lengths[row] - matched[row] for row in (x, y)}  # words not in the other
    inner, outer = (x, y) if own[x] <= own[y] else (y, x)
    slack = max(ADDED_WORDS, EDIT_SHARE * lengths[inner])
    if own[inner] <= slack and own[outer] - own[inner] >= ADDED_WORDS:
        return Direction(inner, outer, "text", f"the later article holds the earlier's text plus "
                                               f"{own[outer] - own[inner]} words", "high" if own[inner] <= slack / 2 else "medium")
    if (marks[x] is None) != (marks[y] is None):
        source = x if marks[x] is not None else y
        return Direction(source, y if source == x else x, "text", f"wire copy ({marks[source]})", "low")
    first, second = sorted((x, y), key=lambda row: _order_key(docs[row], row))
    why = "same date" if dx is not None and dx == dy else "no dates"
    return Direction(first, second, "none", f"nothing decides ({why}, neither text holds the other): listed in "
                                            "the family's order", "none")


def _order_key(doc: Document, row: int, sources: int = 0) -> tuple:
    # dated first and earliest first; then an article shown to be the source of others; then corpus order
    return (doc.date is None, doc.date or 0, -sources, row)


def families(n: int, pairs: Sequence[tuple[int, int]]) -> list[list[int]]:
    """Rows of each connected family of `pairs` (rows below `n`), largest first."""
    if not pairs:
        return []
    edges = np.array(pairs, dtype=np.int64)
    graph = sp.coo_matrix((np.ones(len(edges)), (edges[:, 0], edges[:, 1])), shape=(n, n))
    _, labels = connected_components(graph, directed=False)
    rows = np.unique(edges)
    members: dict[int, list[int]] = {}
    for row in rows.tolist():
        members.setdefault(int(labels[row]), []).append(row)
    return sorted(members.values(), key=lambda rows: (-len(rows), rows[0]))


def family_order(rows: list[int], directions: Sequence[Direction], docs: Sequence[Document]) -> list[int]:
    """`rows` in lineage order: every decided source before its target where the decisions
    allow (a cycle of text decisions is broken at its earliest member), ties by date, then by
    how many members an article is the decided source of, then corpus order."""
    decided = [d for d in directions if d.by != "none"]
    waiting = {row: 0 for row in rows}
    after: dict[int, list[int]] = {row: [] for row in rows}
    for d in decided:
        waiting[d.target] += 1
        after[d.source].append(d.target)

    def key(row: int) -> tuple:
        return _order_key(docs[row], row, len(after[row]))

    ready = [(key(r), r) for r in rows if waiting[r] == 0]
    heapq.heapify(ready)
    order: list[int] = []
    placed: set[int] = set()
    while len(order) < len(rows):
        if not ready:  # a cycle: take the earliest member still waiting
            row = min((r for r in rows if r not in placed), key=key)
            waiting[row] = 0
            heapq.heappush(ready, (key(row), row))
        _, row = heapq.heappop(ready)
        if row in placed:
            continue
        placed.add(row)
        order.append(row)
        for target in after[row]:
            waiting[target] -= 1
            if waiting[target] == 0 and target not in placed:
                heapq.heappush(ready, (key(target), target))
    return order


def parents(order: list[int], shared: dict[tuple[int, int], int]) -> dict[int, int | None]:
    """Each row's parent: of the rows before it in `order` it shares text with, the one sharing
    the most of its words (`shared[(source, target)]`), the earliest within TIE_WORDS of it."""
    position = {row: k for k, row in enumerate(order)}
    incoming: dict[int, list[tuple[int, int]]] = {}
    for (source, target), words in shared.items():
        if position[source] < position[target]:
            incoming.setdefault(target, []).append((source, words))
    found: dict[int, int | None] = {}
    for row in order:
        earlier = incoming.get(row)
        if not earlier:
            found[row] = None
            continue
        best = max(words for _, words in earlier)
        found[row] = min((source for source, words in earlier if words >= best - TIE_WORDS), key=position.__getitem__)
    return found
