"""simtool: related articles, near-duplicates, stories and shifts in a corpus of news articles.

The Python API behind the `simtool` command line:

    from simtool import prepare_corpus, get_encoder, related, compare, find_duplicates,
                         cluster_corpus, VectorStore
    corpus = prepare_corpus(["seeds/"])
    hits = related(corpus, corpus.get("000_d5a7cd97006a4cee"), get_encoder("minilm"), VectorStore())
"""

from simtool.clean import Cleaner, clean_text
from simtool.cluster import ClusterResult, cluster_corpus, evaluate
from simtool.compare import Comparison, compare
from simtool.corpus import Corpus, corpus_from_texts, load_corpus
from simtool.dedup import DedupResult, DuplicateGroup, find_duplicates
from simtool.document import Document
from simtool.drift import DriftResult, find_drift
from simtool.embed import EmbedStats, embed
from simtool.encoders import Encoder, get_encoder, list_models
from simtool.errors import InputError, NoDocumentsError, Problem, SimtoolError, UnknownDocumentError, UnknownModelError
from simtool.prepare import clean_corpus, prepare_corpus
from simtool.related import RelatedDocument, related
from simtool.store import VectorStore

__version__ = "0.1.0"
__all__ = [
    "Cleaner", "ClusterResult", "Comparison", "Corpus", "DedupResult", "Document", "DriftResult", "DuplicateGroup", "EmbedStats", "Encoder", "InputError", "NoDocumentsError",
    "Problem", "RelatedDocument", "SimtoolError", "UnknownDocumentError", "UnknownModelError", "VectorStore",
    "clean_corpus", "clean_text", "cluster_corpus", "compare", "corpus_from_texts", "embed", "evaluate", "find_drift", "find_duplicates", "get_encoder", "list_models",
    "load_corpus", "prepare_corpus", "related",
]
