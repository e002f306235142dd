"""Positions on an axis learned from reference groups, validated before they are shown.

`--axis-from FIELD=A,B` (e.g. `bias_text=left,right`): the documents whose FIELD is A or B teach
a model to tell B from A by their words, in the manner of Wordscores (Laver, Benoit and Garry
2003), which scores texts by their likeness to reference texts of known position: TF-IDF of
words and word pairs, then a logistic regression. Every document is scored **out of fold**: the
reference documents by a model (vocabulary included) fitted without them and without any
document of their source (folds grouped by `source`, so an outlet's house style cannot stand in
for its position), the others by a model fitted on all the reference documents. A document's
position is the probability that it reads like B: 0 like A, 1 like B.

Words, not sentence vectors: on AllSides (left vs right outlets, folds by outlet) the word model
reaches an out-of-fold AUC of 0.62-0.65, MiniLM's document vectors 0.566: partisan vocabulary
("pro-life", "unborn", "anti-abortion") carries the side, an embedding of the topic barely does.

Validity: the out-of-fold AUC between the reference groups (0.5: no better than chance), with a
95% interval from resampling the sources. The axis is reliable when the AUC is at least `MIN_AUC`
and the interval's lower end is above 0.5, and each side has at least `MIN_SOURCES` sources (with
one outlet a side, folds cannot keep an outlet out of its own training data, and its house style
passes for a position); otherwise positions are marked as not findings (the table, `--json`'s
`axis.reliable`).

A group's position in a period is the mean of its documents' positions with a bootstrap 95%
interval (documents as the units); a cell with fewer than `THIN` documents is thin, and no
position is given for it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from simtool.errors import InputError

MIN_AUC = 0.6     # out-of-fold AUC an axis needs to be reported as reliable (and its interval above 0.5)
MIN_SOURCES = 3   # sources each side needs: with fewer, a side's house style can pass for its position
THIN = 10         # documents a group needs in a period for a position (at 10 the 95% interval spans ~0.07 on AllSides)
FOLDS = 5
BOOTSTRAP_SAMPLES = 2000


@dataclass(frozen=True)
class Axis:
    """What positions are measured along, and whether the measure holds up."""

    kind: str                    # "reference" (learned from groups) or "poles" (two statements)
    negative: str                # the 0 end: reference group A, or the negative pole
    positive: str                # the 1 end: reference group B, or the positive pole
    group_field: str | None      # the metadata field of the reference groups
    validity: dict[str, object] = field(default_factory=dict)
    reliable: bool = False


@dataclass(frozen=True)
class Position:
    """Mean position of some documents with a bootstrap 95% interval."""

    mean: float
    low: float
    high: float
    n: int


def parse_axis_from(spec: str) -> tuple[str, str, str]:
    """`FIELD=A,B` as (field, A, B)."""
    name, _, values = spec.partition("=")
    sides = [v.strip() for v in values.split(",")]
    if not name.strip() or len(sides) != 2 or not all(sides) or sides[0] == sides[1]:
        raise InputError(f"--axis-from takes FIELD=A,B (two different values of one field, e.g. "
                         f"bias_text=left,right); got {spec!r}")
    return name.strip(), sides[0], sides[1]


@dataclass(frozen=True)
class ReferenceFit:
    """Positions learned from reference groups: every document's, out of fold, the axis's
    validity, and the models to score other text of a document (a statement) out of fold too."""

    positions: np.ndarray
    validity: dict[str, object]
    models: list[Any]            # one per fold, then the model fitted on every reference document
    model_of: np.ndarray         # per document: the model that did not see it

    def __iter__(self):  # positions, validity = reference_positions(...)
        return iter((self.positions, self.validity))

    def score(self, texts: Sequence[str], documents: Sequence[int]) -> np.ndarray:
        """Each text's position, by the model that did not see its document (row in the corpus);
        NaN where that document was left unscored."""
        result = np.full(len(texts), np.nan)
        rows = np.asarray(documents, dtype=int)
        for k, model in enumerate(self.models):
            picked = np.flatnonzero(self.model_of[rows] == k) if len(rows) else np.array([], dtype=int)
            if len(picked):
                result[picked] = model.predict_proba([texts[i] for i in picked])[:, 1]
        return result


def reference_positions(texts: Sequence[str], labels: Sequence[object], negative: str, positive: str,
                        sources: Sequence[object], seed: int = 0) -> ReferenceFit:
    """Every document's out-of-fold position (probability of reading like `positive`) and the
    axis's validity: out-of-fold AUC between the two reference groups, its interval, the counts."""
    from sklearn.model_selection import GroupKFold, StratifiedKFold

    target = np.array([1 if str(v) == positive else 0 if str(v) == negative else -1 for v in labels])
    reference = np.flatnonzero(target >= 0)
    counts = {negative: int((target == 0).sum()), positive: int((target == 1).sum())}
    if min(counts.values()) < FOLDS:
        raise InputError(f"--axis-from needs at least {FOLDS} documents on each side; found {counts}")
    texts = list(texts)
    y = target[reference]
    groups = np.array([str(s) if s is not None else f"<none {i}>" for i, s in enumerate(sources)])[reference]
    real = np.array([s is not None for s in sources])[reference]
    sources_per_side = [len(set(groups[(y == side) & real])) for side in (0, 1)]
    by_source = min(sources_per_side) >= 2
    folds = min(FOLDS, len(set(groups))) if by_source else FOLDS
    splitter = GroupKFold(folds).split(reference, y, groups) if by_source else \
        StratifiedKFold(folds, shuffle=True, random_state=seed).split(reference, y)
    positions = np.full(len(texts), np.nan)
    models: list[Any] = []
    terms = _Terms()
    model_of = np.full(len(texts), -1)
    for train, test in splitter:
        if len(set(y[train])) < 2:  # a fold with one side only cannot be fitted: those stay unscored
            continue
        model = _word_model(terms).fit([texts[i] for i in reference[train]], y[train])
        positions[reference[test]] = model.predict_proba([texts[i] for i in reference[test]])[:, 1]
        model_of[reference[test]] = len(models)
        models.append(model)
    others = np.flatnonzero(target < 0)
    final = _word_model(terms).fit([texts[i] for i in reference], y) if len(others) else None
    terms.forget()  # the fitting is over; the documents outside the reference groups are read once
    if final is not None:
        positions[others] = final.predict_proba([texts[i] for i in others])[:, 1]
        model_of[others] = len(models)
        models.append(final)
    scored = ~np.isnan(positions[reference])
    truth, predicted, owners = y[scored], positions[reference][scored], groups[scored]
    auc = _auc(truth, predicted) if len(set(truth)) == 2 else 0.5
    low, high = _auc_interval(truth, predicted, owners, seed)
    validity: dict[str, object] = {"auc": round(auc, 4), "auc_low": round(low, 4), "auc_high": round(high, 4),
                                   "folds": folds, "folds_by": "source" if by_source else "document",
                                   "sources": dict(zip((negative, positive), sources_per_side)),
                                   "unscored": int((~scored).sum()),
                                   "documents": counts, "min_auc": MIN_AUC, "model": "tf-idf words and pairs, logistic"}
    return ReferenceFit(positions, validity, models, model_of)


def _word_model(analyzer: _Terms | None = None):
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    return make_pipeline(TfidfVectorizer(analyzer=analyzer or _Terms(), sublinear_tf=True, min_df=3, max_df=0.5,
                                         dtype=np.float32),
                         LogisticRegression(C=1.0, max_iter=3000, class_weight="balanced"))


class _Terms:
    """A text's words and word pairs without English stop words (scikit-learn's own analyzer),
    each text's worked out once: the folds and the final model read the same documents again
    (tokenising was half of a warm drift run's axis on 1,000 AllSides articles)."""

    def __init__(self) -> None:
        from sklearn.feature_extraction.text import TfidfVectorizer

        self.analyze = TfidfVectorizer(ngram_range=(1, 2), stop_words="english").build_analyzer()
        self.seen: dict[str, list[str]] = {}
        self.remembering = True
        self.size = 0

    def __call__(self, text: str) -> list[str]:
        terms = self.seen.get(text)
        if terms is None:
            terms = self.analyze(text)
            # a memo takes about 12 times its texts' size: past REMEMBERED characters, each text is
            # tokenised for every fold again, as without one
            if self.remembering and self.size < REMEMBERED:
                self.seen[text] = terms
                self.size += len(text)
        return terms

    def forget(self) -> None:
        """The fitting is over: what the models score later is worked out as it comes, not kept."""
        self.remembering = False
        self.seen.clear()


REMEMBERED = 20_000_000  # characters of documents whose terms an axis's folds share (about 240 MB)


def _auc_interval(truth: np.ndarray, predicted: np.ndarray, owners: np.ndarray, seed: int,
                  samples: int = 500) -> tuple[float, float]:
    """95% interval of the AUC, resampling whole sources (their articles are not independent)."""
    rng = np.random.default_rng(seed)
    names = np.unique(owners)
    rows = {name: np.flatnonzero(owners == name) for name in names}
    values = []
    for _ in range(samples):
        picked = np.concatenate([rows[n] for n in rng.choice(names, len(names), replace=True)])
        if len(set(truth[picked])) == 2:
            values.append(_auc(truth[picked], predicted[picked]))
    if not values:
        return 0.5, 0.5
    low, high = np.percentile(values, [2.5, 97.5])
    return float(low), float(high)


def _auc(truth: np.ndarray, predicted: np.ndarray) -> float:
    """The area under the ROC curve as the Mann-Whitney statistic over mid-ranks (ties counted half):
    `roc_auc_score`'s value, without its checks, which were most of 500 resamples' time."""
    from scipy.stats import rankdata

    positive = truth == 1
    n_positive, n_negative = int(positive.sum()), int((~positive).sum())
    ranks = rankdata(predicted)
    return float((ranks[positive].sum() - n_positive * (n_positive + 1) / 2) / (n_positive * n_negative))


def group_position(values: Sequence[float], rng: np.random.Generator) -> Position | None:
    """Mean with a bootstrap 95% interval, the documents as the units (None without values)."""
    data = np.asarray([v for v in values if not np.isnan(v)], dtype=float)
    if not len(data):
        return None
    if len(data) == 1:
        value = round(float(data[0]), 4)
        return Position(value, value, value, 1)
    means = data[rng.integers(0, len(data), (BOOTSTRAP_SAMPLES, len(data)))].mean(axis=1)
    low, high = np.percentile(means, [2.5, 97.5])
    return Position(round(float(data.mean()), 4), round(float(low), 4), round(float(high), 4), len(data))


@dataclass(frozen=True)
class GroupCell:
    """One group (an outlet, a leaning, a speaker) in one period."""

    documents: int
    statements: int
    thin: bool                    # fewer than THIN documents: no position is given
    position: Position | None
    terms: list[tuple[str, float]]  # what sets the group apart from the others in this period


def group_cells(statements: Sequence[tuple[str, str, str | None]], positions: dict[str, float] | None,
                rng: np.random.Generator, background: Sequence[str],
                statement_positions: Sequence[float | None] | None = None) -> dict[str, GroupCell]:
    """Each group's cell in one period, from its statements ((document id, text, group); a
    statement without a group is left out). A group's position is the mean of its documents'
    positions, or, with `statement_positions` (groups of speakers, whose documents are other
    people's), the mean over its documents of the mean position of its own statements there."""
    from simtool.jobs.drift.terms import distinctive_terms

    by_group: dict[str, list[int]] = {}
    for k, (_, _, group) in enumerate(statements):
        if group is not None:
            by_group.setdefault(group, []).append(k)
    terms = distinctive_terms({g: [statements[k][1] for k in said] for g, said in by_group.items()}, background,
                              top=8) if len(by_group) > 1 else {g: [] for g in by_group}
    cells = {}
    for group in sorted(by_group):
        said = by_group[group]
        documents = sorted({statements[k][0] for k in said})
        thin = len(documents) < THIN
        if statement_positions is not None:
            per_document: dict[str, list[float]] = {}
            for k in said:
                value = statement_positions[k]
                if value is not None and not np.isnan(value):
                    per_document.setdefault(statements[k][0], []).append(value)
            values = [float(np.mean(v)) for v in per_document.values()]
        else:
            values = [positions[d] for d in documents if positions is not None and d in positions]
        position = group_position(values, rng) if values and not thin else None
        cells[group] = GroupCell(len(documents), len(said), thin, position, terms.get(group, []))
    return cells
