"""From paths to a cleaned corpus: load, then remove web junk with corpus-wide statistics."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import replace

from simtool.io.corpus import Corpus, load_corpus
from simtool.text.clean import Cleaner


def clean_corpus(corpus: Corpus, cleaner: Cleaner | None = None) -> Corpus:
    """Every document's text cleaned; the cleaner learns site furniture from this corpus and from
    each source's documents.

    A document whose text would be emptied keeps its original text: better a noisy document
    than a silently lost one.
    """
    cleaner = cleaner or Cleaner().fit([doc.text for doc in corpus], [doc.source for doc in corpus])
    documents = []
    for doc in corpus:
        cleaned = cleaner.clean(doc.text, doc.title, doc.source).text
        documents.append(replace(doc, text=cleaned) if cleaned.strip() else doc)
    return corpus.with_documents(documents)


def prepare_corpus(
    paths: Sequence[str | os.PathLike[str]] | str | os.PathLike[str],
    *,
    clean: bool = True,
    strict: bool = False,
    text_field: str | None = None,
    id_field: str | None = None,
) -> Corpus:
    """`load_corpus`, then `clean_corpus` unless `clean=False`."""
    corpus = load_corpus(paths, strict=strict, text_field=text_field, id_field=id_field)
    return clean_corpus(corpus) if clean else corpus
