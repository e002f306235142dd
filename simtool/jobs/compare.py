"""Comparing two articles: scores under several encoders, shingle overlap, a verdict, and
the sentences they share and do not.

Verdicts, checked in this order (scores are cosines of L2-normalised vectors; overlap is on
5-word shingles of the cleaned text):
  near-duplicate  Jaccard >= 0.5 or containment >= 0.8: the rule `dedup` groups copies by
                  (`simtool.jobs.dedup.rules`), so a pair called a near-duplicate here is one
                  dedup groups; or semantic >= 0.95 with >= 80% of the shorter text's
                  sentences matched (a paraphrased copy, which dedup finds with --method semantic)
  same story      semantic >= 0.85, or >= 50% of the shorter text's sentences matched
  related         semantic >= 0.45
  unrelated       otherwise
"semantic" is the score of the sentence encoder (minilm by default); a sentence is matched
when its best counterpart scores >= 0.75 under that encoder.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from simtool.encoders import Encoder, get_encoder, resolve_encoder
from simtool.encoders.tfidf import TfidfEncoder
from simtool.io.document import Document
from simtool.jobs.dedup import rules as dedup_rules
from simtool.results import to_jsonable
from simtool.text.basics import SHINGLE_SIZE
from simtool.text.shingling import ShingleOverlap, hash_shingles
from simtool.vectors.embed import embed
from simtool.vectors.similarity import cosine_matrix
from simtool.vectors.store import VectorStore

NEAR_DUPLICATE, SAME_STORY, RELATED, UNRELATED = "near-duplicate", "same story", "related", "unrelated"
THRESHOLDS = {
    "near_duplicate_jaccard": dedup_rules.JACCARD,
    "near_duplicate_containment": dedup_rules.CONTAINMENT,
    "near_duplicate_semantic": 0.95,
    "near_duplicate_matched": 0.8,
    "same_story_semantic": 0.85,
    "same_story_matched": 0.5,
    "related_semantic": 0.45,
    "sentence_match": 0.75,
}


@dataclass(frozen=True)
class AlignedSentence:
    """A sentence of A with its best match in B."""

    a: str
    b: str
    score: float
    matched: bool


@dataclass(frozen=True)
class Comparison:
    """The result of `compare`."""

    a: str
    b: str
    verdict: str
    scores: dict[str, float]
    aligned: list[AlignedSentence]
    only_a: list[str]
    only_b: list[str]
    thresholds: dict[str, float]

    def to_json(self) -> dict[str, Any]:
        """The comparison as `compare --json` prints it."""
        return to_jsonable(self)


def compared_encoders(sentence_encoder: Encoder | str, cache: Path | None = None, **options) -> dict[str, Encoder]:
    """The encoders `compare` scores a pair under: TF-IDF, static, MiniLM, and the chosen one.
    `options` (precision, device, pooling) go to MiniLM and the chosen one; TF-IDF and the static
    model run on the CPU as they are."""
    chosen = resolve_encoder(sentence_encoder, cache=cache, **options)
    return {name: chosen if name == chosen.name else get_encoder(name, cache=cache, **(options if name == "minilm" else {}))
            for name in dict.fromkeys(["tfidf", "static", "minilm", chosen.name])}


def verdict(semantic: float, jaccard_score: float, containment_score: float, matched_share: float) -> str:
    """The verdict for these scores (see the module docstring for the rules)."""
    t = THRESHOLDS
    if dedup_rules.is_near_duplicate(jaccard_score, containment_score) or (
            semantic >= t["near_duplicate_semantic"] and matched_share >= t["near_duplicate_matched"]):
        return NEAR_DUPLICATE
    if semantic >= t["same_story_semantic"] or matched_share >= t["same_story_matched"]:
        return SAME_STORY
    if semantic >= t["related_semantic"]:
        return RELATED
    return UNRELATED


def align(sentences_a: list[str], sentences_b: list[str], vectors_a, vectors_b,
          threshold: float) -> tuple[list[AlignedSentence], list[str], list[str]]:
    """Each sentence of A with its best match in B; the sentences of each side left unmatched."""
    if not sentences_a or not sentences_b:
        return [], list(sentences_a), list(sentences_b)
    scores = cosine_matrix(vectors_a, vectors_b)
    best_b = scores.argmax(axis=1)
    aligned = [AlignedSentence(s, sentences_b[j], round(float(scores[i, j]), 4), bool(scores[i, j] >= threshold))
               for i, (s, j) in enumerate(zip(sentences_a, best_b))]
    only_a = [a.a for a in aligned if not a.matched]
    only_b = [s for j, s in enumerate(sentences_b) if scores[:, j].max() < threshold]
    return aligned, only_a, only_b


def compare(
    a: Document,
    b: Document,
    encoders: Mapping[str, Encoder | str] | Sequence[Encoder | str] | None = None,
    store: VectorStore | None = None,
    *,
    sentence_encoder: str = "minilm",
    background: list[str] | None = None,
) -> Comparison:
    """Compare two documents under each encoder in `encoders` (encoders or model names, by name;
    default: `compared_encoders(sentence_encoder)`), with shingle overlap, sentence alignment and
    a verdict. A TF-IDF encoder is fitted afresh on `background` plus the pair (the caller's
    own is left as it was)."""
    cache = store.directory if store is not None else None
    if encoders is None:
        encoders = compared_encoders(sentence_encoder, cache)
    elif not isinstance(encoders, Mapping):
        encoders = {e.name: e for e in (resolve_encoder(e, cache=cache) for e in encoders)}
    resolved: dict[str, Encoder] = {name: resolve_encoder(e, cache=cache) for name, e in encoders.items()}
    if sentence_encoder not in resolved:
        raise ValueError(f"sentence_encoder {sentence_encoder!r} is not among the encoders "
                         f"({', '.join(resolved)})")
    scores: dict[str, float] = {}
    for name, encoder in resolved.items():
        if isinstance(encoder, TfidfEncoder):  # fitted afresh here: the caller's stays as it was
            encoder = resolved[name] = TfidfEncoder(
                encoder.max_features, encoder.min_df, encoder.max_df, encoder.ngram_range, encoder.stop_words,
            ).fit((background or []) + [a.content, b.content])
        vectors, _ = embed([a.content, b.content], encoder, store)
        scores[name] = round(float(cosine_matrix(vectors[0:1], vectors[1:2])[0, 0]), 4)
    jaccard_score, containment_score = ShingleOverlap(hash_shingles([a.content, b.content], SHINGLE_SIZE))(0, 1)
    scores["jaccard"] = round(jaccard_score, 4)
    scores["containment"] = round(containment_score, 4)

    encoder = resolved[sentence_encoder]
    sentences_a, sentences_b = list(a.sentences), list(b.sentences)
    vectors_a, _ = embed(sentences_a, encoder, store)
    vectors_b, _ = embed(sentences_b, encoder, store)
    threshold = THRESHOLDS["sentence_match"]
    aligned, only_a, only_b = align(sentences_a, sentences_b, vectors_a, vectors_b, threshold)
    matched_a = 1 - len(only_a) / len(sentences_a) if sentences_a else 0.0
    matched_b = 1 - len(only_b) / len(sentences_b) if sentences_b else 0.0
    shorter_matched = matched_a if len(sentences_a) <= len(sentences_b) else matched_b
    scores["matched_sentences"] = round(shorter_matched, 4)
    result = verdict(scores[sentence_encoder], scores["jaccard"], scores["containment"], shorter_matched)
    return Comparison(a.id, b.id, result, scores, aligned, only_a, only_b, dict(THRESHOLDS))
