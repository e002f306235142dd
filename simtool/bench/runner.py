"""Models x tasks: every score of a benchmark run, each with the seconds it took.

Vectors go through the cache, so a second run encodes nothing; corpus-fitted models (TF-IDF)
are fitted on each task's own texts. Only `speed` encodes on purpose, in a fresh process per
model, on a sample of the corpus. Where `tfidf` is benchmarked on pairs, the plain baseline
(scikit-learn's TfidfVectorizer with its defaults, fitted on the same texts) is scored beside it
as `tfidf-plain`.
"""

from __future__ import annotations

import os
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path

from simtool.bench import datasets, metrics
from simtool.bench.speed import measure_speed
from simtool.encoders import Encoder, get_encoder
from simtool.encoders.base import Vectors
from simtool.encoders.registry import distilled_models
from simtool.errors import InputError, Problem
from simtool.io.corpus import Corpus
from simtool.vectors.embed import embed
from simtool.vectors.store import VectorStore

TASKS = ("sts", "pairs", "clustering", "retrieval", "speed")
BUILTIN_MODELS = ("tfidf", "tfidf-svd", "static", "minilm")
PLAIN_BASELINE = "tfidf-plain"
SPEED_DOCUMENTS = 200
CLUSTERING_SEEDS = 5


def default_models(cache: Path | None = None) -> list[str]:
    """The built-in models, then every static model distilled into the cache."""
    return list(BUILTIN_MODELS) + [info.name for info in distilled_models(cache)]


@dataclass(frozen=True)
class Score:
    """One figure: `value` of `metric` for `model` on `dataset` in `task`.

    Quality values are in [0, 1] as MTEB stores them (tables print them x100); `spread` is the
    standard deviation over seeds where there are seeds; `seconds` is the time the task took
    this model on this dataset (encoding included, so it shrinks once vectors are cached).
    """

    model: str
    task: str
    dataset: str
    metric: str
    value: float
    seconds: float
    main: bool = False
    spread: float | None = None


@dataclass
class BenchmarkResult:
    """Every score, what each model is, and what a reader should be warned of."""

    scores: list[Score] = field(default_factory=list)
    models: dict[str, dict[str, object]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # records of the user's corpus skipped
    seconds: float = 0.0


class _Model:
    """A model under test: loaded once, its vectors through the cache where it has an identity."""

    def __init__(self, name: str, store: VectorStore | None) -> None:
        self.name = name
        self.store = store
        self._encoder: Encoder | None = None

    def encoder(self) -> Encoder:
        if self._encoder is None or self._encoder.identity is None:  # fitted models start afresh
            self._encoder = get_encoder(self.name, cache=self.store.directory if self.store else None)
        return self._encoder

    def vectors(self, texts: list[str]) -> Vectors:
        vectors, _ = embed(texts, self.encoder(), self.store)
        return vectors


class _Data:
    """The datasets of one run, each read once, on first use."""

    def __init__(self, root: Path, corpus: Sequence[str | os.PathLike[str]] | None, speed_documents: int,
                 seed: int, pairs: Sequence[str | os.PathLike[str]] = (),
                 labels: Sequence[str | os.PathLike[str]] = ()) -> None:
        self.root = root
        self.corpus_paths = list(corpus or [])
        self.pair_paths = [Path(p) for p in pairs]
        self.label_paths = [Path(p) for p in labels]
        self.speed_documents = speed_documents
        self.seed = seed
        self.problems: list[Problem] = []

    @cached_property
    def user_pairs(self) -> list[datasets.ScoredPairs]:
        loaded = []
        for path in self.pair_paths:
            pairs, problems = datasets.load_pairs(path)
            loaded.append(pairs)
            self.problems += problems
        return loaded

    @cached_property
    def user_labelled(self) -> list[tuple[Corpus, datasets.LabelledCorpus]]:
        loaded = [datasets.load_labelled(path) for path in self.label_paths]
        for corpus, _ in loaded:
            self.problems += corpus.problems
        return loaded

    def _need(self, relative: str) -> Path:
        path = self.root / relative
        if not path.exists():
            raise datasets.MissingDataset(f"{path}: not found (the standard datasets are looked for in {self.root}; "
                             f"set SIMTOOL_BENCH_DATA to their folder)")
        return path

    @cached_property
    def stsb(self) -> datasets.ScoredPairs:
        self._need(datasets.STSB)
        return datasets.load_stsb(self.root)

    @cached_property
    def msrp(self) -> datasets.ScoredPairs:
        self._need(datasets.MSRP)
        return datasets.load_msrp(self.root)

    @cache  # noqa: B019 (one runner per bench run: the corpora are meant to live as long as it)
    def standard_corpus(self, name: str) -> Corpus:
        """BBC or HuffPost, loaded and cleaned once for every task that reads it."""
        return datasets.load_user_corpus([self._need(datasets.STANDARD_CORPORA[name])])

    @cached_property
    def labelled(self) -> list[datasets.LabelledCorpus]:
        if self.label_paths:
            return [labelled for _, labelled in self.user_labelled]
        return [datasets.labelled(self.standard_corpus(name), name) for name in datasets.STANDARD_CORPORA]

    @cached_property
    def user_corpus(self) -> Corpus | None:
        return datasets.load_user_corpus(self.corpus_paths) if self.corpus_paths else None

    @cached_property
    def retrieval(self) -> list[datasets.RetrievalSet]:
        if self.user_corpus is not None:
            return [datasets.retrieval_set(self.user_corpus, datasets.corpus_name(self.corpus_paths))]
        if self.label_paths:
            return [datasets.retrieval_set(corpus, labelled.name) for corpus, labelled in self.user_labelled]
        return [datasets.retrieval_set(self.standard_corpus(name), name) for name in datasets.STANDARD_CORPORA]

    @cached_property
    def speed(self) -> tuple[str, list[str]]:
        """A seeded sample of the corpus's documents, at their real lengths."""
        if self.user_corpus is not None:
            name, corpus = datasets.corpus_name(self.corpus_paths), self.user_corpus
        else:
            name, corpus = "bbc", self.standard_corpus("bbc")
        texts = [doc.content for doc in corpus]
        if len(texts) > self.speed_documents:
            texts = random.Random(self.seed).sample(texts, self.speed_documents)
        return name, texts


def _spearman(cos, gold) -> dict[str, float]:
    return {"cosine_spearman": metrics.spearman(cos, gold)}


def _classified(cos, gold) -> dict[str, float]:
    found = metrics.pair_classification(cos, gold)
    return {"cosine_ap": found["ap"], "cosine_f1": found["f1"]}


def _sts(model: _Model, data: _Data) -> list[Score]:
    """Scored pairs: STS-B, or the user's pairs files whose gold values are scores."""
    sets = [p for p in data.user_pairs if not datasets.is_binary(p)] if data.pair_paths else [data.stsb]
    return [score for pairs in sets for score in _scored_pairs(model, pairs, "sts", _spearman)]


def _pairs(model: _Model, data: _Data) -> list[Score]:
    """Pairs labelled 0/1: MSRP, or the user's pairs files whose gold values are labels."""
    sets = [p for p in data.user_pairs if datasets.is_binary(p)] if data.pair_paths else [data.msrp]
    return [score for pairs in sets for score in _scored_pairs(model, pairs, "pairs", _classified)]


def _scored_pairs(model: _Model, pairs: datasets.ScoredPairs, task: str,
                  score: Callable[..., dict[str, float]]) -> list[Score]:
    start = time.perf_counter()
    n = len(pairs.first)
    vectors = model.vectors(pairs.first + pairs.second)  # one call: TF-IDF is fitted on both sides
    values = score(metrics.paired_cosine(vectors[:n], vectors[n:]), pairs.gold)
    seconds = time.perf_counter() - start
    scores = [Score(model.name, task, pairs.name, metric, value, seconds, main=i == 0)
              for i, (metric, value) in enumerate(values.items())]
    if model.name == "tfidf":  # the plain baseline, side by side
        from sklearn.feature_extraction.text import TfidfVectorizer

        start = time.perf_counter()
        plain = TfidfVectorizer().fit_transform(pairs.first + pairs.second)
        values = score(metrics.paired_cosine(plain[:n], plain[n:]), pairs.gold)
        seconds = time.perf_counter() - start
        scores += [Score(PLAIN_BASELINE, task, pairs.name, metric, value, seconds, main=i == 0)
                   for i, (metric, value) in enumerate(values.items())]
    return scores


def _clustering(model: _Model, data: _Data) -> list[Score]:
    scores = []
    for labelled in data.labelled:
        start = time.perf_counter()
        found = metrics.clustering(model.vectors(labelled.texts), labelled.labels, CLUSTERING_SEEDS)
        seconds = time.perf_counter() - start
        scores += [Score(model.name, "clustering", labelled.name, metric, mean, seconds, main=i == 0, spread=sd)
                   for i, (metric, (mean, sd)) in enumerate(found.items())]
    return scores


def _retrieval(model: _Model, data: _Data) -> list[Score]:
    scores = []
    for task_set in data.retrieval:
        start = time.perf_counter()
        vectors = model.vectors(task_set.queries + task_set.documents)
        n = len(task_set.queries)
        found = metrics.retrieval(metrics.ranks_of_relevant(vectors[:n], vectors[n:], task_set.relevant))
        seconds = time.perf_counter() - start
        scores += [Score(model.name, "retrieval", task_set.name, metric, value, seconds, main=i == 0)
                   for i, (metric, value) in enumerate(found.items())]
    return scores


def _speed(model: _Model, data: _Data) -> list[Score]:
    name, texts = data.speed
    cache = model.store.directory if model.store is not None else None
    speed = measure_speed(model.name, texts, cache)
    seconds = speed.load_seconds + speed.encode_seconds
    figures = {"docs_per_second": speed.docs_per_second, "load_seconds": speed.load_seconds,
               "peak_memory_mib": speed.peak_memory_mib, "dim": float(speed.dim),
               "bytes_per_document": speed.bytes_per_document, "documents": float(speed.documents)}
    return [Score(model.name, "speed", name, metric, value, seconds, main=metric == "docs_per_second")
            for metric, value in figures.items()]


RUNNERS: dict[str, Callable[[_Model, _Data], list[Score]]] = {
    "sts": _sts, "pairs": _pairs, "clustering": _clustering, "retrieval": _retrieval, "speed": _speed,
}


def run_benchmark(
    models: Sequence[str] | None = None,
    tasks: Sequence[str] = TASKS,
    *,
    corpus: Sequence[str | os.PathLike[str]] | None = None,
    store: VectorStore | None = None,
    data_root: Path | None = None,
    speed_documents: int = SPEED_DOCUMENTS,
    seed: int = 0,
    progress: Callable[[str], None] | None = None,
    pairs: Sequence[str | os.PathLike[str]] = (),
    labels: Sequence[str | os.PathLike[str]] = (),
) -> BenchmarkResult:
    """Score each model on each task.

    `corpus` (the user's files) replaces BBC and HuffPost in `retrieval` and BBC in `speed`.
    `pairs` (the user's pairs files: two texts and a score or a 0/1 label) replace STS-B in `sts`
    (scores) and MSRP in `pairs` (labels); `labels` (the user's texts with a class) replace BBC and
    HuffPost in `clustering` and, without `corpus`, in `retrieval`. Each is named by its file.
    The rest stay on the standard sets under `data_root` (`datasets.data_dir()` by default). A
    task whose data is missing is skipped with a warning.
    """
    unknown = [task for task in tasks if task not in RUNNERS]
    if unknown:
        raise InputError(f"unknown task {unknown[0]!r}; tasks are {', '.join(TASKS)}")
    models = list(models) if models else default_models(store.directory if store else None)
    data = _Data(data_root or datasets.data_dir(), corpus, speed_documents, seed, pairs, labels)
    result = BenchmarkResult()
    started = time.perf_counter()
    skipped: set[str] = set()
    loaded = [_Model(name, store) for name in models]
    for model in loaded:  # every model loads before any work, so a bad name costs nothing
        encoder = model.encoder()
        result.models[model.name] = {"identity": encoder.identity, "dim": encoder.dim or None}
        if model.name == "tfidf" and {"sts", "pairs"} & set(tasks):
            result.models[PLAIN_BASELINE] = {"identity": None, "dim": None, "baseline": "scikit-learn TfidfVectorizer() "
                                             "with its defaults, fitted on each pair set's texts"}
    for model in loaded:
        name = model.name
        for task in tasks:
            if task in skipped:
                continue
            if progress:
                progress(f"{name}: {task}")
            try:
                result.scores += RUNNERS[task](model, data)
            except datasets.MissingDataset as exc:
                skipped.add(task)
                result.warnings.append(f"skipped {task}: {exc}")
    if "retrieval" in tasks and "retrieval" not in skipped:
        result.warnings += [s.warning for s in data.retrieval if s.warning]
    if data.corpus_paths and "user_corpus" in vars(data) and data.user_corpus is not None:
        result.problems = list(data.user_corpus.problems)
    result.problems += data.problems
    if not result.scores:
        raise InputError("nothing was benchmarked: " + "; ".join(result.warnings or ["no models"]))
    result.seconds = time.perf_counter() - started
    return result
