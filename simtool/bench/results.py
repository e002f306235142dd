"""A benchmark run as JSON (stable, documented in the README) and as a models-by-metrics table.

The JSON holds the flat `results` (model, task, dataset, metric, value, seconds, ...), one per
score, and the same scores regrouped per model in MTEB's per-task result layout
(`task_name`, `evaluation_time`, `scores: {split: [{"main_score", metric: value, ...}]}`), so a
file can be set beside MTEB's own results.
"""

from __future__ import annotations

import datetime as dt
import importlib.metadata
import os
import platform
from collections import defaultdict
from typing import Any

from simtool.bench.runner import BenchmarkResult, Score

SCHEMA_VERSION = 1
# MTEB's task type for each of our tasks, and its name for a dataset where MTEB has the same one.
TASK_TYPES = {"sts": "STS", "pairs": "PairClassification", "clustering": "Clustering", "retrieval": "Retrieval"}
MTEB_NAMES = {"stsb-dev": "STSBenchmark"}
SPLITS = {"stsb-dev": "validation"}
METRIC_NAMES = {
    "cosine_spearman": "Spearman", "cosine_ap": "AP", "cosine_f1": "best F1", "v_measure": "V-measure",
    "nmi": "NMI", "ari": "ARI", "mrr_at_10": "MRR@10", "recall_at_10": "Recall@10", "ndcg_at_10": "nDCG@10",
    "docs_per_second": "docs/s", "load_seconds": "load s", "peak_memory_mib": "peak MiB", "dim": "dimension",
    "bytes_per_document": "bytes/doc", "documents": "documents timed",
}


def _version() -> str:
    try:
        return importlib.metadata.version("simtool")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def machine() -> dict[str, Any]:
    """What the figures were measured on."""
    return {"platform": platform.platform(), "processor": platform.machine(), "cpus": os.cpu_count(),
            "python": platform.python_version()}


def to_json(result: BenchmarkResult) -> dict[str, Any]:
    """The run as the documented JSON object."""
    return {
        "schema_version": SCHEMA_VERSION,
        "simtool_version": _version(),
        "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "seconds": round(result.seconds, 3),
        "models": result.models,
        "warnings": result.warnings,
        "results": [_flat(score) for score in result.scores],
        "mteb": _mteb_layout(result.scores),
    }


def _flat(score: Score) -> dict[str, Any]:
    return {"model": score.model, "task": score.task, "dataset": score.dataset, "metric": score.metric,
            "value": score.value, "spread": score.spread, "seconds": round(score.seconds, 3), "main": score.main}


def _mteb_layout(scores: list[Score]) -> dict[str, list[dict[str, Any]]]:
    grouped: dict[tuple[str, str, str], list[Score]] = defaultdict(list)
    for score in scores:
        if score.task in TASK_TYPES:
            grouped[(score.model, score.task, score.dataset)].append(score)
    layout: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for (model, task, dataset), group in grouped.items():
        entry: dict[str, Any] = {"hf_subset": "default", "languages": ["eng-Latn"]}
        for score in group:
            entry[score.metric] = score.value
            if score.spread is not None:
                entry[f"{score.metric}_std"] = score.spread
            if score.main:
                entry["main_score"] = score.value
        layout[model].append({
            "task_name": MTEB_NAMES.get(dataset, dataset), "task_type": TASK_TYPES[task], "dataset": dataset,
            "evaluation_time": round(max(s.seconds for s in group), 3),
            "scores": {SPLITS.get(dataset, "test"): [entry]},
        })
    return dict(layout)


def table_rows(result: BenchmarkResult) -> tuple[list[str], list[list[str]]]:
    """Models across, one row per (task, dataset, metric); quality x100, mean +- spread."""
    models = list(result.models)
    cells: dict[tuple[str, str, str], dict[str, str]] = defaultdict(dict)
    for score in result.scores:
        cells[(score.task, score.dataset, score.metric)][score.model] = _cell(score)
    header = ["task", "dataset", "metric", *models]
    rows = [[task, dataset, METRIC_NAMES.get(metric, metric), *(by_model.get(m, "") for m in models)]
            for (task, dataset, metric), by_model in cells.items()]
    return header, rows


def _cell(score: Score) -> str:
    if score.task != "speed":
        text = f"{100 * score.value:.2f}"
        return text + (f" ±{100 * score.spread:.2f}" if score.spread else "")
    if score.metric in ("dim", "bytes_per_document", "documents"):
        return f"{score.value:,.0f}"
    return f"{score.value:,.1f}" if score.value >= 10 else f"{score.value:.2f}"


def quality_and_speed(result: BenchmarkResult) -> dict[str, tuple[float, float]]:
    """Per model: the mean of its main quality scores (x100) and its docs/s, for the Pareto plot.

    Only models with a speed and a quality score, averaged over the (task, dataset) pairs that
    every such model has, so no model is averaged over easier tasks than another.
    """
    quality: dict[str, dict[tuple[str, str], float]] = defaultdict(dict)
    speed: dict[str, float] = {}
    for score in result.scores:
        if score.task == "speed" and score.metric == "docs_per_second":
            speed[score.model] = score.value
        elif score.task != "speed" and score.main:
            quality[score.model][(score.task, score.dataset)] = score.value
    models = [m for m in result.models if m in speed and quality.get(m)]
    if not models:
        return {}
    shared = set.intersection(*(set(quality[m]) for m in models))
    if not shared:
        return {}
    return {m: (100 * sum(quality[m][key] for key in shared) / len(shared), speed[m]) for m in models}


def pareto_front(points: dict[str, tuple[float, float]]) -> list[str]:
    """The models no other model beats on both quality and speed, fastest first."""
    front, best_quality = [], float("-inf")
    for name, (quality, _) in sorted(points.items(), key=lambda item: (-item[1][1], -item[1][0])):
        if quality > best_quality:
            front.append(name)
            best_quality = quality
    return front
