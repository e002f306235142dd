"""simtool: related articles, near-duplicates, stories and shifts in a corpus of news articles.

The Python API behind the `simtool` command line:

    from simtool import prepare_corpus, get_encoder, related, compare, find_duplicates,
                         cluster_corpus, VectorStore
    corpus = prepare_corpus(["seeds/"])
    hits = related(corpus, corpus.get("000_d5a7cd97006a4cee"), get_encoder("minilm"), VectorStore())
"""

import importlib
from typing import TYPE_CHECKING

# Where each public name lives. Imported on first use (PEP 562), so `import simtool.x` and a
# worker process that needs one module do not pay for scikit-learn, polars and the rest.
_EXPORTS = {
    "Cleaner": "simtool.clean",
    "clean_text": "simtool.clean",
    "ClusterResult": "simtool.cluster",
    "cluster_corpus": "simtool.cluster",
    "evaluate": "simtool.cluster",
    "Comparison": "simtool.compare",
    "Corpus": "simtool.corpus",
    "corpus_from_texts": "simtool.corpus",
    "load_corpus": "simtool.corpus",
    "DedupResult": "simtool.dedup",
    "DuplicateGroup": "simtool.dedup",
    "find_duplicates": "simtool.dedup",
    "Document": "simtool.document",
    "DriftResult": "simtool.drift",
    "find_drift": "simtool.drift",
    "EmbedStats": "simtool.embed",
    "Encoder": "simtool.encoders",
    "get_encoder": "simtool.encoders",
    "list_models": "simtool.encoders",
    "InputError": "simtool.errors",
    "NoDocumentsError": "simtool.errors",
    "Problem": "simtool.errors",
    "SimtoolError": "simtool.errors",
    "UnknownDocumentError": "simtool.errors",
    "UnknownModelError": "simtool.errors",
    "clean_corpus": "simtool.prepare",
    "prepare_corpus": "simtool.prepare",
    "RelatedDocument": "simtool.related",
    "VectorStore": "simtool.store",
}

if TYPE_CHECKING:  # for type checkers and IDEs: the same names, imported eagerly
    from simtool.clean import Cleaner, clean_text
    from simtool.cluster import ClusterResult, cluster_corpus, evaluate
    from simtool.compare import Comparison
    from simtool.corpus import Corpus, corpus_from_texts, load_corpus
    from simtool.dedup import DedupResult, DuplicateGroup, find_duplicates
    from simtool.document import Document
    from simtool.drift import DriftResult, find_drift
    from simtool.embed import EmbedStats
    from simtool.encoders import Encoder, get_encoder, list_models
    from simtool.errors import InputError, NoDocumentsError, Problem, SimtoolError, UnknownDocumentError, UnknownModelError
    from simtool.prepare import clean_corpus, prepare_corpus
    from simtool.related import RelatedDocument
    from simtool.store import VectorStore

# These three share their name with their module: once `simtool.compare` (the module) is imported
# anywhere, Python sets it as this package's attribute and __getattr__ is never asked. Imported
# here, the functions win.
from simtool.compare import compare  # noqa: E402
from simtool.embed import embed  # noqa: E402
from simtool.related import related  # noqa: E402


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'simtool' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


__version__ = "0.1.0"
__all__ = [  # noqa: F822 (defined lazily by __getattr__)
    "Cleaner", "ClusterResult", "Comparison", "Corpus", "DedupResult", "Document", "DriftResult", "DuplicateGroup", "EmbedStats", "Encoder", "InputError", "NoDocumentsError",
    "Problem", "RelatedDocument", "SimtoolError", "UnknownDocumentError", "UnknownModelError", "VectorStore",
    "clean_corpus", "clean_text", "cluster_corpus", "compare", "corpus_from_texts", "embed", "evaluate", "find_drift", "find_duplicates", "get_encoder", "list_models",
    "load_corpus", "prepare_corpus", "related",
]
