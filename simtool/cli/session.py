"""What several commands do first: load the corpus, open the cache, get the encoder."""

from __future__ import annotations

from pathlib import Path

from simtool.cli.output import progress_bar, report_problems
from simtool.corpus import Corpus
from simtool.embed import embed
from simtool.encoders import Encoder, get_encoder
from simtool.prepare import prepare_corpus
from simtool.store import VectorStore


def load(paths: list[Path], no_clean: bool, strict: bool, text_field: str | None) -> Corpus:
    corpus = prepare_corpus(paths, clean=not no_clean, strict=strict, text_field=text_field)
    report_problems(corpus.problems)
    return corpus


def encoder(name: str, pooling: str = "truncate") -> Encoder:
    return get_encoder(name, pooling=pooling)


def store(cache: Path | None) -> VectorStore:
    return VectorStore(cache)


def warm(corpus: Corpus, enc: Encoder, vector_store: VectorStore) -> None:
    """Embed the corpus with a progress bar, so later steps read the cache."""
    with progress_bar(f"embedding with {enc.name}") as update:
        embed([doc.content for doc in corpus], enc, vector_store, progress=update)
