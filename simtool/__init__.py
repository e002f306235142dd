"""simtool: related articles, near-duplicates, stories and shifts in a corpus of news articles.

The Python API behind the `simtool` command line; every command is one of these functions:

    from simtool import prepare_corpus, related, compare, find_duplicates, cluster_corpus, find_drift, analyze
    corpus = prepare_corpus(["seeds/"])
    hits = related(corpus, corpus.get("000_d5a7cd97006a4cee"), "minilm")
    report = analyze(corpus)            # every job at once; report.to_json() is `analyze --json`

Jobs take a model as an `Encoder` or a name (resolved by `resolve_encoder`), and return a result
whose `to_json()` is what their command prints with `--json`.
"""

import importlib
from typing import TYPE_CHECKING

from simtool._version import __version__

# Where each public name lives. Imported on first use (PEP 562), so `import simtool` and a worker
# process that needs one module do not pay for scikit-learn, polars, torch and the rest.
_EXPORTS = {
    # loading and cleaning
    "Cleaner": "simtool.text.clean",
    "clean_text": "simtool.text.clean",
    "Corpus": "simtool.io.corpus",
    "corpus_from_texts": "simtool.io.corpus",
    "load_corpus": "simtool.io.corpus",
    "Document": "simtool.io.document",
    "clean_corpus": "simtool.io.prepare",
    "prepare_corpus": "simtool.io.prepare",
    # encoders, vectors, engines
    "Encoder": "simtool.encoders",
    "get_encoder": "simtool.encoders",
    "list_models": "simtool.encoders",
    "resolve_encoder": "simtool.encoders",
    "distill_static": "simtool.encoders.distill",
    "embed": "simtool.vectors.embed",
    "EmbedStats": "simtool.vectors.embed",
    "VectorStore": "simtool.vectors.store",
    "build_index": "simtool.vectors.ann",
    "IndexStats": "simtool.vectors.ann",
    "write_corpus_shards": "simtool.vectors.shards",
    "Engine": "simtool.engines",
    "get_engine": "simtool.engines",
    "RayEngine": "simtool.engines.ray",
    # jobs
    "related": "simtool.jobs.related",
    "RelatedDocument": "simtool.jobs.related",
    "RelatedResult": "simtool.jobs.related",
    "nearest_documents": "simtool.jobs.related",
    "compare": "simtool.jobs.compare",
    "Comparison": "simtool.jobs.compare",
    "find_duplicates": "simtool.jobs.dedup",
    "deduplicated": "simtool.jobs.dedup",
    "DedupResult": "simtool.jobs.dedup",
    "DuplicateGroup": "simtool.jobs.dedup",
    "find_duplicates_in_files": "simtool.jobs.dedup.ray",
    "find_reuse": "simtool.jobs.reuse",
    "update_state": "simtool.jobs.watch",
    "cluster_with_state": "simtool.jobs.cluster.updates",
    "find_duplicates_with_state": "simtool.jobs.dedup.updates",
    "ReuseResult": "simtool.jobs.reuse",
    "cluster_corpus": "simtool.jobs.cluster",
    "ClusterResult": "simtool.jobs.cluster",
    "evaluate": "simtool.jobs.cluster",
    "cluster_files_on_ray": "simtool.jobs.cluster.ray",
    "find_drift": "simtool.jobs.drift",
    "cluster_documents": "simtool.jobs.drift",
    "DriftResult": "simtool.jobs.drift",
    "analyze": "simtool.jobs.analyze",
    "Analysis": "simtool.jobs.analyze",
    "run_benchmark": "simtool.bench.runner",
    "write_report": "simtool.report",
    "plot_drift": "simtool.report.drift_plot",
    # errors
    "InputError": "simtool.errors",
    "NoDocumentsError": "simtool.errors",
    "Problem": "simtool.errors",
    "SimtoolError": "simtool.errors",
    "UnknownDocumentError": "simtool.errors",
    "UnknownModelError": "simtool.errors",
}

if TYPE_CHECKING:  # for type checkers and IDEs: the same names, imported eagerly
    from simtool.bench.runner import run_benchmark
    from simtool.encoders import Encoder, get_encoder, list_models, resolve_encoder
    from simtool.encoders.distill import distill_static
    from simtool.engines import Engine, get_engine
    from simtool.engines.ray import RayEngine
    from simtool.errors import (
        InputError,
        NoDocumentsError,
        Problem,
        SimtoolError,
        UnknownDocumentError,
        UnknownModelError,
    )
    from simtool.io.corpus import Corpus, corpus_from_texts, load_corpus
    from simtool.io.document import Document
    from simtool.io.prepare import clean_corpus, prepare_corpus
    from simtool.jobs.analyze import Analysis, analyze
    from simtool.jobs.cluster import ClusterResult, cluster_corpus, evaluate
    from simtool.jobs.cluster.ray import cluster_files_on_ray
    from simtool.jobs.cluster.updates import cluster_with_state
    from simtool.jobs.compare import Comparison, compare
    from simtool.jobs.dedup import DedupResult, DuplicateGroup, deduplicated, find_duplicates
    from simtool.jobs.dedup.ray import find_duplicates_in_files
    from simtool.jobs.dedup.updates import find_duplicates_with_state
    from simtool.jobs.drift import DriftResult, cluster_documents, find_drift
    from simtool.jobs.related import RelatedDocument, RelatedResult, nearest_documents, related
    from simtool.jobs.reuse import ReuseResult, find_reuse
    from simtool.jobs.watch import update_state
    from simtool.report import write_report
    from simtool.report.drift_plot import plot_drift
    from simtool.text.clean import Cleaner, clean_text
    from simtool.vectors.ann import IndexStats, build_index
    from simtool.vectors.embed import EmbedStats, embed
    from simtool.vectors.shards import write_corpus_shards
    from simtool.vectors.store import VectorStore


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'simtool' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


__all__ = [  # the names of _EXPORTS (a test checks they agree), defined lazily by __getattr__
    "__version__", "Cleaner", "clean_text", "Corpus", "corpus_from_texts", "load_corpus", "Document",
    "clean_corpus", "prepare_corpus", "Encoder", "get_encoder", "list_models", "resolve_encoder",
    "distill_static", "embed", "EmbedStats", "VectorStore", "build_index", "IndexStats", "write_corpus_shards",
    "Engine", "get_engine", "RayEngine", "related", "RelatedDocument", "RelatedResult", "nearest_documents",
    "compare", "Comparison", "find_duplicates", "deduplicated", "DedupResult", "DuplicateGroup",
    "find_duplicates_in_files", "find_reuse", "ReuseResult", "update_state", "cluster_with_state",
    "find_duplicates_with_state", "cluster_corpus", "ClusterResult", "evaluate", "cluster_files_on_ray",
    "find_drift", "cluster_documents", "DriftResult", "analyze", "Analysis", "run_benchmark", "write_report",
    "plot_drift", "InputError", "NoDocumentsError", "Problem", "SimtoolError", "UnknownDocumentError",
    "UnknownModelError",
]
