"""The geometry of the report's charts, computed here so the page needs no plotting library.

The report draws inline SVG: a scatter of the corpus and a chart per timeline. Computing the
coordinates in Python keeps the page's script small (hover and filtering only) and lets the
page be read with scripts off.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# Tableau's 20 categorical colours: distinguishable on screen and in print.
PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf",
           "#bcbd22", "#7f7f7f", "#aec7e8", "#ffbb78", "#98df8a", "#ff9896", "#c5b0d5", "#c49c94",
           "#f7b6d2", "#9edae5", "#dbdb8d", "#393b79")
NOISE_COLOUR = "#c8c8c8"
MAP_WIDTH, MAP_HEIGHT, MAP_MARGIN = 960, 560, 16
CHART_WIDTH, CHART_HEIGHT, CHART_MARGIN = 640, 180, 36


def colour(cluster: int) -> str:
    """The colour of a cluster on the map and in the tables (noise, -1, is grey)."""
    return NOISE_COLOUR if cluster < 0 else PALETTE[cluster % len(PALETTE)]


@dataclass(frozen=True)
class MapPoint:
    x: float
    y: float
    cluster: int
    colour: str
    title: str
    id: str
    date: str


def map_points(xy: np.ndarray, clusters: list[int], titles: list[str], ids: list[str],
               dates: list[str]) -> list[MapPoint]:
    """Points in SVG coordinates (y down), from coordinates scaled to [0, 1]."""
    width, height = MAP_WIDTH - 2 * MAP_MARGIN, MAP_HEIGHT - 2 * MAP_MARGIN
    return [MapPoint(round(MAP_MARGIN + float(x) * width, 1), round(MAP_MARGIN + (1 - float(y)) * height, 1),
                     cluster, colour(cluster), title, doc_id, date)
            for (x, y), cluster, title, doc_id, date in zip(xy, clusters, titles, ids, dates)]


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    value: int


@dataclass(frozen=True)
class Whisker:
    x: float
    y: float
    low: float
    high: float
    label: str


@dataclass(frozen=True)
class TimelineChart:
    """Statements per period as bars; stance (mean and 95% interval) as points on a second scale."""

    bars: list[Bar]
    stance: list[Whisker]
    zero: float | None   # y of stance 0
    stance_range: tuple[float, float] | None
    count_ticks: list[tuple[float, str]]  # y and statement count, on the left axis
    stance_ticks: list[tuple[float, str]]  # y and stance, on the right axis
    width: int = CHART_WIDTH
    height: int = CHART_HEIGHT
    margin: int = CHART_MARGIN


def timeline_chart(periods: list[str], counts: list[int],
                   stances: list[tuple[float, float, float] | None]) -> TimelineChart:
    """The chart of one timeline: `stances` holds (mean, low, high) per period, or None."""
    top, bottom = 12, CHART_HEIGHT - 24
    slot = (CHART_WIDTH - 2 * CHART_MARGIN) / max(len(periods), 1)
    most = max(counts) if counts else 1
    bars = []
    for i, (period, count) in enumerate(zip(periods, counts)):
        height = (bottom - top) * count / most if most else 0
        bars.append(Bar(round(CHART_MARGIN + i * slot + slot * 0.2, 1), round(bottom - height, 1),
                        round(slot * 0.6, 1), round(height, 1), period, count))
    count_ticks = [(float(bottom), "0"), (float(top), str(most))] if most else []
    known = [s for s in stances if s is not None]
    if not known:
        return TimelineChart(bars, [], None, None, count_ticks, [])
    low = min(min(s[1] for s in known), 0.0)
    high = max(max(s[2] for s in known), 0.0)
    span = (high - low) or 1.0

    def y(value: float) -> float:
        return round(bottom - (value - low) / span * (bottom - top), 1)

    whiskers = [Whisker(round(CHART_MARGIN + i * slot + slot / 2, 1), y(s[0]), y(s[1]), y(s[2]),
                        f"{s[0]:+.3f} ({s[1]:+.3f} .. {s[2]:+.3f})")
                for i, s in enumerate(stances) if s is not None]
    stance_ticks = [(y(v), f"{v:+.2f}") for v in (low, high)]
    return TimelineChart(bars, whiskers, y(0.0), (round(low, 3), round(high, 3)), count_ticks, stance_ticks)


@dataclass(frozen=True)
class GroupSeries:
    """One group's positions across the periods: points with 95% intervals, joined by a line."""

    name: str
    colour: str
    points: list[Whisker]
    line: str  # SVG polyline points, "x,y x,y ..."


@dataclass(frozen=True)
class GroupChart:
    """Each group's position per period on the axis (thin cells have none and are left out)."""

    series: list[GroupSeries]
    labels: list[tuple[float, str]]   # x and period under the axis
    ticks: list[tuple[float, str]]    # y and position on the left
    width: int = CHART_WIDTH
    height: int = CHART_HEIGHT
    margin: int = CHART_MARGIN


def group_chart(periods: list[str], positions: dict[str, list[tuple[float, float, float] | None]],
                scale: tuple[float, float] = (0.0, 1.0)) -> GroupChart | None:
    """The chart of sides over time: `positions` holds, per group, (mean, low, high) per period or
    None; `scale` is the axis's range. None when no group has a position."""
    known = [p for values in positions.values() for p in values if p is not None]
    if not known:
        return None
    top, bottom = 12, CHART_HEIGHT - 24
    low = min(scale[0], min(p[1] for p in known))
    high = max(scale[1], max(p[2] for p in known))
    span = (high - low) or 1.0
    slot = (CHART_WIDTH - 2 * CHART_MARGIN) / max(len(periods), 1)

    def x(i: int) -> float:
        return round(CHART_MARGIN + i * slot + slot / 2, 1)

    def y(value: float) -> float:
        return round(bottom - (value - low) / span * (bottom - top), 1)

    series = []
    for n, (name, values) in enumerate(positions.items()):
        points = [Whisker(x(i), y(p[0]), y(p[1]), y(p[2]), f"{name}, {periods[i]}: {p[0]:.3f} ({p[1]:.3f} .. {p[2]:.3f})")
                  for i, p in enumerate(values) if p is not None]
        if points:
            series.append(GroupSeries(name, PALETTE[n % len(PALETTE)], points,
                                      " ".join(f"{w.x},{w.y}" for w in points)))
    ticks = [(y(v), f"{v:g}") for v in (low, (low + high) / 2, high)]
    return GroupChart(series, [(x(i), p) for i, p in enumerate(periods)], ticks)


@dataclass(frozen=True)
class LineageNode:
    x: float
    y: float
    id: str
    label: str


@dataclass(frozen=True)
class LineageChart:
    """A family of articles sharing text: one row per member in lineage order, placed along the
    time axis by date (or by generation from the origin where dates are missing or all equal),
    with an arrow from each parent to its child."""

    width: int
    height: int
    nodes: list[LineageNode]
    arrows: list[tuple[float, float, float, float]]
    axis: str                     # "date" or "generation"
    ticks: list[tuple[float, str]]


LINEAGE_ROW, LINEAGE_LEFT, LINEAGE_RIGHT = 26, 44, 260  # the right margin holds each member's label


def lineage_chart(family) -> LineageChart:
    """The chart of a `ReuseFamily` (its `tree` in lineage order)."""
    import datetime as dt

    nodes = family.tree
    dates = [dt.date.fromisoformat(n.date) if n.date else None for n in nodes]
    by_date = all(dates) and len(set(dates)) > 1
    generation: dict[str, int] = {}
    for node in nodes:
        generation[node.id] = generation.get(node.parent, -1) + 1 if node.parent else 0
    if by_date:
        first = min(d for d in dates if d)
        positions = [float((d - first).days) for d in dates if d]
        ticks_at = sorted(set(positions))
    else:
        positions = [float(generation[n.id]) for n in nodes]
        ticks_at = sorted(set(positions))
    span = max(positions) or 1.0
    width = CHART_WIDTH
    inner = width - LINEAGE_LEFT - LINEAGE_RIGHT
    xs = [round(LINEAGE_LEFT + p / span * inner, 1) for p in positions]
    ys = [float(LINEAGE_ROW * (k + 1)) for k in range(len(nodes))]
    at = {n.id: (x, y) for n, x, y in zip(nodes, xs, ys)}
    arrows = [(*at[n.parent], x, y) for n, x, y in zip(nodes, xs, ys) if n.parent in at]
    shown = [tick for k, tick in enumerate(ticks_at) if k == 0 or k == len(ticks_at) - 1 or len(ticks_at) <= 6]
    if by_date:
        ticks = [(round(LINEAGE_LEFT + t / span * inner, 1), (first + dt.timedelta(days=int(t))).isoformat())
                 for t in shown]
    else:
        ticks = [(round(LINEAGE_LEFT + t / span * inner, 1), f"gen {int(t)}") for t in shown]
    labelled = [LineageNode(x, y, n.id, f"{n.source or 'no source'} · {n.id}") for n, x, y in zip(nodes, xs, ys)]
    return LineageChart(width, LINEAGE_ROW * (len(nodes) + 2), labelled, arrows, "date" if by_date else "generation",
                        ticks)
