"""How the coverage of a topic shifts across periods: statements, terms, actors, stance, drift.

1. Statements: every sentence (and headline) of every dated document is embedded; those about
   the query are kept: cosine to the query >= `RELEVANCE` (0.35 with MiniLM, where unrelated
   sentences score about 0.1), or a mention of every content word of the query.
2. Per period: documents and statements, distinctive terms against the other periods
   (`terms`), and the statements nearest the period's centre.
3. Actors: statements attributed to a named speaker (`speakers`), grouped by actor and period.
4. Stance on an axis: the projection on the line between the pole statements (`poles`), with
   means and bootstrap 95% intervals per period and per actor, and the axis's validity; or
   positions learned from reference groups, out of fold (`positions`).
5. Drift: between consecutive periods, an effect size and a permutation p-value with articles
   as the units (`change`: statements of one article are not independent), Holm-corrected over
   the steps; the share of all sentences that are about the query (how much is said); the
   largest change is the largest effect among the significant steps (none when no step is); the
   statements of a period with no counterpart in the one before (and the reverse), aligned as
   `compare` aligns two articles.
Periods are compared with each other only: nothing from one period is mixed into another.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import scipy.sparse as sp

from simtool.encoders import Encoder, resolve_encoder
from simtool.errors import InputError
from simtool.io.corpus import Corpus
from simtool.io.dates import DateInfo, period_of, resolve_date
from simtool.jobs.cluster.local import classes_of
from simtool.jobs.compare import THRESHOLDS, align
from simtool.jobs.drift.attribution import SpeakerCache, attribute_sentences, document_speakers
from simtool.jobs.drift.attribution import method as attribution_method
from simtool.jobs.drift.change import ALPHA, TOO_FEW, holm, permutations_for, share_test, shift_test
from simtool.jobs.drift.claims import Claim, find_claims, rising_and_falling
from simtool.jobs.drift.poles import PoleAxis, pole_axis, probes
from simtool.jobs.drift.positions import (
    MIN_AUC,
    MIN_SOURCES,
    Axis,
    GroupCell,
    Position,
    ReferenceFit,
    group_cells,
    group_position,
    parse_axis_from,
    reference_positions,
)
from simtool.jobs.drift.speakers import Speaker, actor_names, attribution
from simtool.jobs.drift.terms import content_words, distinctive_terms
from simtool.results import to_jsonable
from simtool.vectors.embed import embed
from simtool.vectors.engine import Engine
from simtool.vectors.store import VectorStore

RELEVANCE = 0.35
MAX_LISTED = 10  # new and dropped statements listed per step (the claims say what rose and fell)
BY = ("year", "quarter", "month")
ACTOR = "actor"  # `groups=ACTOR`: each period split by speaker instead of by a metadata field


@dataclass(frozen=True)
class Statement:
    """A sentence about the query, where it comes from, and who said it."""

    text: str
    document: str
    date: str
    period: str
    relevance: float
    actor: str | None = None
    stance: float | None = None
    attributed_by: str | None = None  # how the actor was found: named, pronoun, quotation, author (attribution)
    source: str | None = None          # the outlet of its document
    position: float | None = None      # on a reference axis: the statement's own, scored out of fold


Stance = Position  # a mean stance score with its bootstrap 95% interval over `n` statements


@dataclass(frozen=True)
class Period:
    """One period: its counts, distinctive terms (with z-scores), statements and actors."""

    period: str
    documents: int
    n_statements: int
    terms: list[tuple[str, float]]
    statements: list[Statement]          # the most representative, nearest the period's centre
    actor_statements: dict[str, list[Statement]]  # actor -> their statements in this period, most quoted first
    stance: Stance | None = None
    actor_stance: dict[str, Stance] = field(default_factory=dict)
    position: Position | None = None      # mean position of the period's documents on the axis
    groups: dict[str, GroupCell] = field(default_factory=dict)  # with `groups=FIELD`: each group's cell
    actors: list[ActorSummary] = field(default_factory=list)  # who was quoted, most first, with role and body


@dataclass(frozen=True)
class ActorSummary:
    """An actor of one period: the name alone, the role and organisation written beside it, and
    how many of the period's statements are theirs."""

    name: str
    role: str | None
    organisation: str | None
    statements: int


@dataclass(frozen=True)
class ActorRecord:
    """Who said what, when: one actor across the periods, each statement with its period, outlet
    and position (`position` on a reference axis, `stance` on poles)."""

    name: str
    role: str | None
    organisation: str | None
    statements: int
    said: list[Statement]


@dataclass(frozen=True)
class DriftStep:
    """From one period to the next: how far the centre moved, whether that is more than chance
    (see `change`), how the share of sentences on the topic moved, what is new and what was dropped."""

    before: str
    after: str
    distance: float        # 1 - cosine of the two periods' centres (descriptive; grows with noise)
    content_effect: float  # what is said: standardised shift of the mean, corrected for sampling noise
    content_p: float       # its permutation p-value, articles (or blocks) as the units
    share_before: float    # how much is said: share of the period's sentences about the query
    share_after: float
    share_effect: float    # Cohen's h between the two shares
    share_p: float         # its permutation p-value
    effect: float          # the size of the change: the larger of the two effects
    p: float               # the smaller of the two p-values, Holm-adjusted over every test of the timeline
    significant: bool      # p <= 0.05
    unit: str              # "document"; "block" where too few articles to shuffle; "too few to test"; "mixed"
    new: list[str]         # statements of the later period with no counterpart in the earlier (first MAX_LISTED, each once)
    dropped: list[str]     # and the reverse
    rising: list[int] = field(default_factory=list)   # ids of the claims whose share grew most
    falling: list[int] = field(default_factory=list)  # and fell most
    content_significant: bool = False  # which test found the change (after the correction)
    share_significant: bool = False
    new_total: int = 0      # how many statements are new, of which `new` lists the first
    dropped_total: int = 0


@dataclass(frozen=True)
class DriftSettings:
    """What a drift run used; `documents` in the corpus, `dated` among those followed."""

    encoder: str
    relevance: float
    by: str
    axis: list[str] | None
    seed: int
    documents: int
    dated: int
    axis_from: list[str] | None = None  # [FIELD, A, B]
    groups: str | None = None
    speakers: str = "patterns"  # what attributed the statements: spaCy's pipeline (with its version) or patterns
    speaker_field: str | None = None


@dataclass(frozen=True)
class DriftResult:
    """Periods in order, the steps between them, the largest change, and the undated documents."""

    query: str
    by: str
    periods: list[Period]
    drift: list[DriftStep]
    largest_change: DriftStep | None
    undated: list[str]
    dates: dict[str, DateInfo]
    settings: DriftSettings
    axis: Axis | None = None
    claims: list[Claim] = field(default_factory=list)  # statements that say the same across articles

    @property
    def untestable(self) -> bool:
        """Whether there are steps and none of them has enough units to be tested (one article a year)."""
        return bool(self.drift) and all(step.unit == TOO_FEW for step in self.drift)

    def findings(self) -> list[str]:
        """Two or three sentences from the evidence: who said what, when, and what changed."""
        from simtool.jobs.drift.findings import findings

        return findings(self)

    def who_said_what(self, top: int = 10) -> list[ActorRecord]:
        """The actors quoted most, each with every statement of theirs: period, outlet, text, position."""
        said: dict[str, list[Statement]] = defaultdict(list)
        described: dict[str, ActorSummary] = {}
        for period in self.periods:
            for summary in period.actors:
                described.setdefault(summary.name, summary)
            for name, statements in period.actor_statements.items():
                said[name].extend(statements)
        ranked = sorted(said.items(), key=lambda item: (-len(item[1]), item[0]))[:top]
        return [ActorRecord(name, described[name].role if name in described else None,
                            described[name].organisation if name in described else None, len(statements),
                            sorted(statements, key=lambda s: (s.date, s.document)))
                for name, statements in ranked]

    def to_json(self, dates: bool = True) -> dict[str, Any]:
        """The result as `drift --json` prints it; `dates` adds every document's resolved date."""
        return to_jsonable({"query": self.query, "by": self.by, "findings": self.findings(), "axis": self.axis,
                            "periods": self.periods,
                            "drift": self.drift, "claims": self.claims, "who_said_what": self.who_said_what(),
                            "largest_change": self.largest_change, "undated": self.undated,
                            **({"dates": self.dates} if dates else {}), "settings": self.settings})


def find_drift(corpus: Corpus, *, query: str | None, encoder: Encoder | str, by: str = "year",
               axis: tuple[str, str] | None = None, store: VectorStore | None = None,
               relevance: float = RELEVANCE, seed: int = 0, top: int = 5, documents: Collection[str] | None = None,
               progress=None, engine: Engine | None = None, axis_from: str | tuple[str, str, str] | None = None,
               groups: str | None = None, speaker_field: str | None = None) -> DriftResult:
    """The shift in what `corpus` says about `query`, period by period.

    documents: only these documents' statements (e.g. one cluster's, see `cluster_documents`);
        with no query, statements are then judged by their closeness to these documents' centre.
    axis: two poles (positive, negative), each a statement or paraphrases "A | A2 | A3": each
        statement's stance is its projection on the line between the poles (+1 positive, -1
        negative), with the poles' own test of validity (`poles`).
    axis_from: "FIELD=A,B" (or (FIELD, A, B)): positions learned from reference groups and scored
        out of fold, with their validity (`positions`).
    groups: a metadata field (`source`, a leaning, an author): every period split by its values;
        `actor`: by speaker, each speaker's position from their own statements (out of fold).
    speaker_field: who speaks in each document itself (speeches, interviews): a metadata field, or
        `file` for the file name; a sentence naming no other speaker and quoting nobody is theirs.
    engine: where the statements are embedded (this process, or Ray).
    """
    if by not in BY:
        raise ValueError(f"by must be one of {', '.join(BY)}; got {by!r}")
    if not (query or "").strip() and documents is None:
        raise ValueError("give a query or the documents of a cluster")
    dates = {doc.id: resolve_date(doc) for doc in corpus}
    undated = [doc_id for doc_id, info in dates.items() if info.date is None]
    dated = [doc for doc in corpus if dates[doc.id].date is not None and (documents is None or doc.id in documents)]
    if not dated:
        raise InputError(f"none of the {len(corpus) if documents is None else len(documents)} documents has a date "
                         f"(metadata, file name or text); drift needs dated documents")
    texts, owners, places = [], [], []  # each sentence, its document, and its place there (-1: the title)
    for doc in dated:
        for place, sentence in enumerate(([doc.title] if doc.title else []) + list(doc.sentences),
                                         start=-1 if doc.title else 0):
            texts.append(sentence)
            owners.append(doc)
            places.append(place)
    encoder = resolve_encoder(encoder, cache=store.directory if store is not None else None)
    axis_probes = probes(*axis) if axis else []
    to_embed = [query or "", *texts, *(p.text for p in axis_probes)]
    vectors, _ = embed(to_embed, encoder, store, progress=progress, engine=engine)
    if sp.issparse(vectors):
        # statements, claims and positions are compared in a dense space: TF-IDF's sparse rows are
        # reduced by SVD (LSA), the encoder the settings then name
        encoder = resolve_encoder("tfidf-svd")
        vectors, _ = embed(to_embed, encoder, store, progress=progress, engine=engine)
    vectors = np.asarray(vectors, dtype=np.float32)
    query_vector, statement_vectors = vectors[0], vectors[1:1 + len(texts)]
    if not (query or "").strip():  # a cluster's statements: closeness to their own centre
        query_vector = statement_vectors.mean(axis=0)
        query_vector /= np.linalg.norm(query_vector) or 1.0
    scores = statement_vectors @ query_vector
    query_words = set(content_words(query or ""))
    mentions = np.array([bool(query_words) and query_words <= set(content_words(t)) for t in texts], dtype=bool)
    keep = np.flatnonzero((scores >= relevance) | mentions)
    if not len(keep):
        raise InputError(f"no statement matches the query {query!r} (cosine >= {relevance} or a mention "
                         f"of every word); try a broader query or a lower --relevance")
    stance, poles = None, None
    if axis:
        poles = pole_axis(axis_probes, vectors[1 + len(texts):])
        stance = poles.score(statement_vectors)

    authors = document_speakers(corpus, speaker_field) if speaker_field else {}
    cache = SpeakerCache(store.directory if store is not None else None)
    try:
        attributed = _speakers(keep.tolist(), owners, places, texts, authors, cache)
    finally:
        cache.close()
    statements = []
    described: list[tuple[str, str | None, str | None]] = []  # each speaker's role and organisation, as found
    written_as: dict[str, set[str]] = defaultdict(set)  # the roles each name was written with
    for i in keep.tolist():
        doc = owners[i]
        date = dates[doc.id].date
        assert date is not None  # `owners` are the dated documents
        said = attributed[i]
        if said is not None and (said.role or said.organisation):
            described.append((said.name, said.role, said.organisation))
        if said is not None and said.role:
            written_as[said.name].add(said.role)
        statements.append(Statement(texts[i], doc.id, date.isoformat(), period_of(date, by), round(float(scores[i]), 4),
                                    said.name if said else None,
                                    round(float(stance[i]), 4) if stance is not None else None,
                                    said.how if said else None, doc.source))
    sentences: dict[str, int] = defaultdict(int)  # all sentences per period, about the query or not
    for doc in owners:
        sentences[period_of(dates[doc.id].date, by)] += 1  # type: ignore[arg-type]  # owners are dated
    by_period: dict[str, list[Statement]] = defaultdict(list)
    period_rows: dict[str, list[int]] = defaultdict(list)  # each statement's row in statement_vectors
    period_index: dict[str, list[int]] = defaultdict(list)  # each statement's index in `statements`
    for k, (s, row) in enumerate(zip(statements, keep.tolist())):
        by_period[s.period].append(s)
        period_rows[s.period].append(row)
        period_index[s.period].append(k)
    # Every period with dated articles, also one where none says anything about the query: the
    # silence is part of the story, and the step across it is not skipped.
    order = sorted(set(by_period) | set(sentences))
    terms = distinctive_terms({p: [s.text for s in by_period[p]] for p in order}, texts)
    names = actor_names((s.actor for s in statements if s.actor), written_as)
    roles: dict[str, tuple[str | None, str | None]] = {}  # an actor's first role and organisation seen
    # under the actor's own full name first: a lone "Mrs. Trump" joined to Donald Trump lends him no "mrs"
    for name, role, organisation in sorted(described, key=lambda found: found[0] != names[found[0]]):
        roles.setdefault(names[name], (role, organisation))
    rng = np.random.default_rng(seed)

    axis_info, positions, fit = _axis(corpus, axis, poles, axis_from, statements, seed)
    group_of = _groups(corpus, groups, statements, names)
    if fit is not None:  # each statement's own words, scored by the model that did not see its article
        row_of = {doc.id: n for n, doc in enumerate(corpus)}
        scored = fit.score([s.text for s in statements], [row_of[s.document] for s in statements])
        statements = [replace(s, position=None if np.isnan(v) else round(float(v), 4))
                      for s, v in zip(statements, scored)]
        if axis_info is not None:  # the axis is validated on documents; its statements are scored too
            axis_info = replace(axis_info, validity={**axis_info.validity,
                                                     "statement_auc": statement_auc(corpus, axis_info, statements)})
    statement_positions: list[float | None] | None = None
    if groups == ACTOR and fit is not None:  # a speaker placed by their own words, not by who quotes them
        statement_positions = [s.position for s in statements]
    elif groups == ACTOR and axis:
        statement_positions = [s.stance for s in statements]
    claims = find_claims(statement_vectors[keep], [s.text for s in statements], [s.document for s in statements],
                         [s.period for s in statements], [s.actor and names[s.actor] for s in statements],
                         group_of)

    periods, centres = [], {}
    matrices = {p: statement_vectors[period_rows[p]] for p in order}
    for p in order:
        own, matrix = by_period[p], matrices[p]
        centre = centres[p] = _centre(matrix)
        nearest = np.argsort(-(matrix @ centre), kind="stable")[:top]
        quoted: dict[str, list[Statement]] = defaultdict(list)
        for s in own:
            if s.actor:
                quoted[names[s.actor]].append(s)
        actors = dict(sorted(quoted.items(), key=lambda item: (-len(item[1]), item[0])))
        speakers = [ActorSummary(name, *roles.get(name, (None, None)), len(said))
                    for name, said in actors.items()]
        periods.append(Period(
            p, len({s.document for s in own}), len(own), terms[p], [own[i] for i in nearest], dict(actors),
            group_position([s.stance for s in own if s.stance is not None], rng) if axis else None,
            {name: mean for name, said in actors.items()
             if (mean := group_position([s.stance for s in said if s.stance is not None], rng)) is not None}
            if axis else {},
            group_position([positions[d] for d in sorted({s.document for s in own}) if d in positions], rng)
            if positions else None,
            group_cells([(s.document, s.text, group_of[k] if group_of[k] is not None or groups == ACTOR else "(none)")
                         for s, k in zip(own, period_index[p])], positions, rng, texts,
                        [statement_positions[k] for k in period_index[p]] if statement_positions is not None else None)
            if group_of is not None else {},
            speakers))

    flags = np.zeros(len(texts), dtype=bool)
    flags[keep] = True
    sentence_rows: dict[str, dict[str, list[int]]] = defaultdict(dict)  # period -> document -> its sentences' rows
    for row, doc in enumerate(owners):
        sentence_rows[period_of(dates[doc.id].date, by)].setdefault(doc.id, []).append(row)  # type: ignore[arg-type]
    tests, aligned = [], []
    permutations = permutations_for(2 * max(len(order) - 1, 1))  # enough to survive Holm over every test
    test_rng = np.random.default_rng([seed, 1])  # its own stream: p-values do not move with --axis or --groups
    for before, after in zip(order, order[1:]):
        a, b = by_period[before], by_period[after]
        aligned.append(align([s.text for s in a], [s.text for s in b], matrices[before], matrices[after],
                             THRESHOLDS["sentence_match"]))
        content = shift_test(matrices[before], [s.document for s in a], matrices[after], [s.document for s in b],
                             test_rng, permutations)
        share = share_test([(d, flags[rows]) for d, rows in sentence_rows[before].items()],
                           [(d, flags[rows]) for d, rows in sentence_rows[after].items()], test_rng, permutations)
        tests.append((content, share))
    adjusted, rejected = holm([t.p for pair in tests for t in pair])  # every test of the timeline, together
    steps = []
    for k, ((before, after), (content, share), (_, dropped, new)) in enumerate(zip(zip(order, order[1:]), tests, aligned)):
        p_step = min(adjusted[2 * k], adjusted[2 * k + 1])
        # The size of the change is the effect of the test that found it (the larger, if both or neither did).
        found = [t.effect for t, hit in ((content, rejected[2 * k]), (share, rejected[2 * k + 1])) if hit]
        effect = max(found) if found else max(content.effect, share.effect)
        rising, falling = rising_and_falling(claims, before, after, len(by_period[before]), len(by_period[after]))
        steps.append(DriftStep(before, after, round(1.0 - float(centres[before] @ centres[after]), 4),
                               content.effect, content.p, round(len(by_period[before]) / sentences[before], 4),
                               round(len(by_period[after]) / sentences[after], 4), share.effect, share.p,
                               effect, p_step, p_step <= ALPHA, content.unit if content.unit == share.unit else "mixed",
                               list(dict.fromkeys(new))[:MAX_LISTED], list(dict.fromkeys(dropped))[:MAX_LISTED],
                               rising, falling, rejected[2 * k], rejected[2 * k + 1], len(new), len(dropped)))
    # The largest change is the largest effect among the steps that are more than chance.
    largest = max((s for s in steps if s.significant), key=lambda s: s.effect, default=None)
    settings = DriftSettings(encoder.name, relevance, by, list(axis) if axis else None, seed, len(corpus), len(dated),
                             [axis_info.group_field or "", axis_info.negative, axis_info.positive]
                             if axis_info is not None and axis_info.kind == "reference" else None, groups,
                             attribution_method(), speaker_field)
    return DriftResult(query or "", by, periods, steps, largest, undated, dates, settings, axis_info, claims)


def statement_auc(corpus: Corpus, axis: Axis, statements: list[Statement]) -> float | None:
    """Out-of-fold AUC of the statements' own positions between the two reference groups (the
    validity of positions given to speakers, whose statements are sentences, not documents)."""
    from sklearn.metrics import roc_auc_score

    labels = dict(zip(corpus.ids, (str(v) for v in classes_of(corpus, axis.group_field or ""))))
    pairs = [(labels.get(s.document) == axis.positive, s.position) for s in statements
             if s.position is not None and labels.get(s.document) in (axis.positive, axis.negative)]
    if len({side for side, _ in pairs}) < 2:
        return None
    return round(float(roc_auc_score([side for side, _ in pairs], [value for _, value in pairs])), 4)


def _speakers(kept: list[int], owners: list, places: list[int], texts: list[str],
              authors: dict[str, str], cache: SpeakerCache) -> dict[int, Speaker | None]:
    """The speaker of each kept sentence (by its row in `texts`), each document attributed once,
    with its sentences in order; a title by the patterns alone."""
    wanted: dict[str, list[int]] = defaultdict(list)
    rows: dict[str, dict[int, int]] = defaultdict(dict)
    result: dict[int, Speaker | None] = {}
    for i in kept:
        if places[i] < 0:
            result[i] = attribution(texts[i])
        else:
            wanted[owners[i].id].append(places[i])
            rows[owners[i].id][places[i]] = i
    documents = {owners[i].id: owners[i] for i in kept}
    for doc_id, places_wanted in wanted.items():
        found = attribute_sentences(list(documents[doc_id].sentences), places_wanted, authors.get(doc_id),
                                    cache=cache, paragraphs=documents[doc_id].paragraph_starts)
        for place, speaker in found.items():
            result[rows[doc_id][place]] = speaker
    return result


def _groups(corpus: Corpus, groups: str | None, statements: list[Statement],
            names: dict[str, str]) -> list[str | None] | None:
    """Each statement's group: its document's value of the field, or with `actor`, its speaker."""
    if not groups:
        return None
    if groups == ACTOR:
        return [names[s.actor] if s.actor else None for s in statements]
    of = {doc.id: str(v) for doc, v in zip(corpus, classes_of(corpus, groups)) if v is not None}
    return [of.get(s.document) for s in statements]


def _axis(corpus: Corpus, axis: tuple[str, str] | None, poles: PoleAxis | None,
          axis_from: str | tuple[str, str, str] | None, statements: list[Statement],
          seed: int) -> tuple[Axis | None, dict[str, float], ReferenceFit | None]:
    """The axis and each document's position on it: out of fold from reference groups, or the
    mean stance of the document's statements on the pole axis; and the fitted models of reference
    groups, which score a statement out of fold."""
    if axis_from is not None:
        name, negative, positive = parse_axis_from(axis_from) if isinstance(axis_from, str) else axis_from
        labels = classes_of(corpus, name)
        fit = reference_positions([doc.content for doc in corpus], labels, negative, positive,
                                  [doc.source for doc in corpus], seed)
        validity = fit.validity
        positions = {doc.id: float(v) for doc, v in zip(corpus, fit.positions) if not np.isnan(v)}
        auc, low, sides = validity["auc"], validity["auc_low"], validity["sources"]
        reliable = (isinstance(auc, float) and isinstance(low, float) and auc >= MIN_AUC and low > 0.5
                    and validity["folds_by"] == "source" and isinstance(sides, dict) and min(sides.values()) >= MIN_SOURCES)
        return Axis("reference", negative, positive, name, validity, reliable), positions, fit
    if axis is not None and poles is not None:
        said: dict[str, list[float]] = defaultdict(list)
        for s in statements:
            if s.stance is not None:
                said[s.document].append(s.stance)
        validity = dict(poles.validity)
        if not poles.reliable:
            validity["note"] = ("the poles do not pass their own test (too few paraphrases, or the model puts a "
                                "statement's negation on its side): stance follows which pole's words a sentence "
                                "uses as much as its position")
        return Axis("poles", axis[1], axis[0], None, validity, poles.reliable), \
            {d: float(np.mean(v)) for d, v in said.items()}, None
    return None, {}, None


def _centre(matrix: np.ndarray) -> np.ndarray:
    """The unit-length mean of a period's statement vectors (zeros for a period without any)."""
    if not len(matrix):
        return np.zeros(matrix.shape[1], np.float32)
    centre = matrix.mean(axis=0)
    return centre / (np.linalg.norm(centre) or 1.0)


def cluster_documents(corpus: Corpus, cluster: int, *, model: str = "hybrid", k: int | str = "auto",
                      store: VectorStore | None = None, seed: int = 0) -> tuple[set[str], str]:
    """The ids and label of one cluster of `corpus` (clustered as `simtool cluster` does)."""
    from simtool.jobs.cluster.local import cluster_corpus

    result = cluster_corpus(corpus, model=model, k=k, store=store, seed=seed)
    found = {c.id: c for c in result.clusters}
    if cluster not in found:
        raise InputError(f"no cluster {cluster}: this corpus has clusters 0..{len(result.clusters) - 1} "
                         f"(model {model}, k {result.settings.k})")
    return result.members(cluster), found[cluster].label
