"""What several commands do first: load the corpus, open the cache, get the encoder."""

from __future__ import annotations

from pathlib import Path

from simtool.cli import output
from simtool.cli.output import report_problems
from simtool.encoders import Encoder, get_encoder
from simtool.engines import Engine, get_engine
from simtool.io.corpus import Corpus
from simtool.io.prepare import prepare_corpus
from simtool.vectors.store import VectorStore


def load(paths: list[Path], no_clean: bool, strict: bool, text_field: str | None,
         id_field: str | None = None) -> Corpus:
    # "~/dir" quoted on the command line (so the shell left it) is the user's home all the same
    with output.STAGES.timed("loading and cleaning" if not no_clean else "loading"):
        corpus = prepare_corpus([Path(p).expanduser() for p in paths], clean=not no_clean, strict=strict,
                                text_field=text_field, id_field=id_field)
    report_problems(corpus.problems)
    output.note_corpus(corpus)
    return corpus


def encoder(name: str, pooling: str = "truncate", cache: Path | None = None, precision: str = "auto",
            device: str = "cpu") -> Encoder:
    return get_encoder(name, cache=cache, pooling=pooling, precision=precision, device=device)


def store(cache: Path | None) -> VectorStore:
    return VectorStore(cache)


def engine(name: str, address: str, workers: int | None) -> Engine | None:
    return None if name == "local" else get_engine(name, address=address, workers=workers)
