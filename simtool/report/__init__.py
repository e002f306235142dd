"""The HTML report of `simtool analyze`: one self-contained file, safe to open whatever the corpus holds.

Everything is inline (style, a small script, SVG charts); nothing is fetched, so the report
opens offline. Article text is hostile input: Jinja2 escapes every value, links keep only
http(s) addresses, and a Content-Security-Policy allows exactly the report's own script and
style (by hash) and nothing remote, so neither an injected `<script>` nor an inline event
handler can run.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from urllib.parse import urlsplit

from jinja2 import Environment, PackageLoader, select_autoescape

from simtool.io.corpus import Corpus
from simtool.jobs.analyze import Analysis
from simtool.jobs.reuse.find import compared_text
from simtool.report.charts import colour, group_chart, lineage_chart, map_points, timeline_chart
from simtool.state import write_output
from simtool.text.basics import comparable

MAX_GROUPS = 30          # duplicate groups shown with their copies side by side (every group is listed)
MAX_FAMILIES = 30        # reuse families drawn with their passages marked (every family is listed)
MAX_FAMILY_PAIRS = 8     # members of a family shown beside their parent
MAX_MARKED_CHARS = 6000  # characters of an article shown with its borrowed passages marked
ARTICLE_NEIGHBOURS = 3   # neighbours per article in the articles table
MAX_DIFFS_PER_GROUP = 3  # members shown side by side with their canonical
MAX_DIFF_SENTENCES = 60  # sentences per side of a diff


@dataclass(frozen=True)
class DiffLine:
    text: str
    changed: bool  # dropped from the canonical (left side) or added by the copy (right side)


def safe_url(url: str | None) -> str | None:
    """The address if it is http(s); None for javascript:, data: and the like."""
    if not url:
        return None
    try:
        scheme = urlsplit(url.strip()).scheme.lower()
    except ValueError:
        return None
    return url.strip() if scheme in ("http", "https") else None


def _asset(name: str) -> str:
    return resources.files("simtool.report").joinpath(name).read_text(encoding="utf-8")


def _sha256(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")


def content_security_policy(script: str, style: str) -> str:
    """Only this script and this style run; no remote loads, no inline handlers, no forms."""
    return (f"default-src 'none'; script-src '{_sha256(script)}'; style-src '{_sha256(style)}'; "
            "img-src data:; base-uri 'none'; form-action 'none'; object-src 'none'")


def _diffs(corpus: Corpus, group) -> list[dict]:
    canonical = corpus.get(group.canonical)
    shown = []
    for member in group.details[1:1 + MAX_DIFFS_PER_GROUP]:
        copy = corpus.get(member.id)
        dropped, added = set(member.dropped), set(member.added)
        shown.append({
            "member": member,
            "left": [DiffLine(s, s in dropped) for s in canonical.sentences[:MAX_DIFF_SENTENCES]],
            "right": [DiffLine(s, s in added) for s in copy.sentences[:MAX_DIFF_SENTENCES]],
            "identical": not dropped and not added,
        })
    return shown


def _marked(text: str, spans: list[tuple[int, int]], limit: int = MAX_MARKED_CHARS) -> list[tuple[str, bool]]:
    """`text` (its first `limit` characters) as pieces, each marked when inside one of `spans`."""
    pieces, at = [], 0
    for start, end in sorted(spans):
        start, end = max(start, at), min(end, limit)
        if start >= end:
            continue
        pieces += [(text[at:start], False), (text[start:end], True)]
        at = end
    pieces.append((text[at:limit] + ("…" if len(text) > limit else ""), False))
    return [(piece, marked) for piece, marked in pieces if piece]


def _reuse_view(analysis: Analysis, corpus: Corpus) -> dict:
    """The reuse section: every family listed; the first MAX_FAMILIES drawn, each member's
    passages marked in its text and its parent's (as compared: `comparable` text)."""
    reuse = analysis.reuse
    edges = {(e.source, e.target): e for e in reuse.edges}
    families = []
    for n, family in enumerate(reuse.families):
        pairs: list[dict] = []
        view = {"family": family, "chart": lineage_chart(family) if n < MAX_FAMILIES else None, "pairs": pairs}
        if n < MAX_FAMILIES:
            for node in family.tree[:MAX_FAMILY_PAIRS + 1]:
                edge = edges.get((node.parent, node.id)) if node.parent else None
                if edge is None:
                    continue
                source, target = (comparable(compared_text(corpus.get(i))) for i in (edge.source, edge.target))
                pairs.append({"node": node, "edge": edge,
                                      "left": _marked(source, [p.source_span for p in edge.passages]),
                                      "right": _marked(target, [p.target_span for p in edge.passages])})
        families.append(view)
    return {"families": families, "outlets": [o for o in reuse.outlets if o.borrowed_words],
            "settings": reuse.settings, "pairs": len(reuse.edges)}


def _timeline_view(timeline) -> dict:
    drift = timeline.drift
    periods = [p.period for p in drift.periods]
    chart = timeline_chart(periods, [p.n_statements for p in drift.periods],
                           [(p.stance.mean, p.stance.low, p.stance.high) if p.stance else None
                            for p in drift.periods])
    names = sorted({name for p in drift.periods for name in p.groups})
    sides = group_chart(periods, {name: [(c.position.mean, c.position.low, c.position.high)
                                         if (c := p.groups.get(name)) is not None and c.position is not None else None
                                         for p in drift.periods] for name in names},
                        (0.0, 1.0) if drift.axis is not None and drift.axis.kind == "reference" else (-1.0, 1.0))
    return {"timeline": timeline, "chart": chart, "sides": sides, "steps": {s.after: s for s in drift.drift},
            "largest": drift.largest_change}


def _articles(analysis: Analysis, corpus: Corpus) -> list[dict]:
    """Each article with its cluster, its near-duplicate group and its nearest other stories: the
    copies of one story are one neighbour (its canonical, "+n copies"), not n."""
    groups = analysis.duplicates.groups
    group_of = {member: n for n, g in enumerate(groups) for member in g.members}
    rows = []
    for doc in corpus:
        own = group_of.get(doc.id)
        shown, seen = [], {own} if own is not None else set()
        for neighbour in analysis.neighbours.get(doc.id, []):
            group = group_of.get(neighbour.id)
            if group is not None and group in seen:
                continue  # a copy of one already listed, or of this article itself
            if group is not None:
                seen.add(group)
            shown.append({"id": groups[group].canonical if group is not None else neighbour.id,
                          "score": neighbour.score, "copies": len(groups[group].members) - 1 if group is not None else 0})
            if len(shown) == ARTICLE_NEIGHBOURS:
                break
        rows.append({"doc": doc, "cluster": analysis.clusters.assignments.get(doc.id), "group": own,
                     "neighbours": shown})
    return rows


def render_report(analysis: Analysis, corpus: Corpus, *, title: str = "simtool report",
                  record: dict | None = None) -> str:
    """The report as one HTML string; `record` (what produced it: command, corpus fingerprint,
    models, versions, options) is shown at its foot."""
    script, style = _asset("report.js"), _asset("report.css")
    environment = Environment(loader=PackageLoader("simtool", "report"),
                              autoescape=select_autoescape(default=True, default_for_string=True),
                              trim_blocks=True, lstrip_blocks=True)
    environment.filters["url"] = safe_url
    docs = {doc.id: doc for doc in corpus}
    assignments = analysis.clusters.assignments
    points = map_points(analysis.projection.xy, [assignments[doc.id] for doc in corpus],
                        [doc.label for doc in corpus], corpus.ids,
                        [doc.date.isoformat() if doc.date else "" for doc in corpus])
    from simtool._version import __version__

    return environment.get_template("template.html.j2").render(
        title=title, csp=content_security_policy(script, style), script=script, style=style,
        a=analysis, summary=analysis.summary(), docs=docs, points=points, colour=colour,
        groups=[{"group": g, "diffs": _diffs(corpus, g) if n < MAX_GROUPS else []}
                for n, g in enumerate(analysis.duplicates.groups)], max_groups=MAX_GROUPS,
        articles=_articles(analysis, corpus), article_neighbours=ARTICLE_NEIGHBOURS,
        reuse=_reuse_view(analysis, corpus), max_families=MAX_FAMILIES, record=record,
        record_json=json.dumps(record, indent=2, ensure_ascii=False, default=str) if record else "",
        timelines=[_timeline_view(t) for t in analysis.timelines], version=__version__)


def write_report(analysis: Analysis, corpus: Corpus, path: Path, *, title: str = "simtool report",
                 record: dict | None = None) -> Path:
    """Write the report to `path` atomically (see `simtool.state.write_output`)."""
    return write_output(path, render_report(analysis, corpus, title=title, record=record))
