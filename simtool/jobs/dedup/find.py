"""Near-duplicate groups: republished copies of one story, found lexically and semantically.

Lexical: 5-word shingles, MinHash LSH candidates, exact verification (`local`, or the same
rules distributed on Ray in `ray`); a pair is a copy by `rules.accepted`. Semantic: cosine of
cached vectors over blocked matrix products; a candidate is confirmed only when the texts also
share wording (3-word shingle containment), so two different articles on one topic are not
called duplicates. Groups are the connected components of the confirmed pairs (`groups`):
every confirmed pair lands in one group, even through a chain of copies (A edits B edits C),
which is how syndication spreads.
"""

from __future__ import annotations

from functools import partial

from simtool.encoders import Encoder, resolve_encoder
from simtool.engines import Engine, ray_engine
from simtool.io.corpus import Corpus
from simtool.jobs.dedup import local
from simtool.jobs.dedup.groups import DedupResult, DuplicatePair, grouped, lexical_confirmed
from simtool.jobs.dedup.rules import CONTAINMENT, JACCARD, DedupSettings, check_settings, dedup_text
from simtool.text.basics import SHINGLE_SIZE
from simtool.text.shingling import RowOverlap
from simtool.vectors.embed import embed
from simtool.vectors.store import VectorStore

# A semantic pair must also share wording: containment of 3-word shingles (shorter than the
# 5-word shingles copies are judged by, so a paraphrase that keeps phrases still counts) >= 0.3.
CONFIRM_SHINGLE_SIZE = 3
CONFIRM_CONTAINMENT = 0.3


def find_duplicates(
    corpus: Corpus,
    *,
    method: str = "minhash",
    threshold: float = JACCARD,
    containment_threshold: float | None = CONTAINMENT,
    semantic_threshold: float = 0.9,
    encoder: Encoder | str | None = None,
    store: VectorStore | None = None,
    num_perm: int = 128,
    seed: int = 1,
    all_pairs: bool = False,
    describe: bool = True,
    engine: Engine | None = None,
) -> DedupResult:
    """Groups of near-duplicate documents in `corpus`.

    threshold: exact 5-word-shingle Jaccard a lexical pair needs (0 < t <= 1).
    containment_threshold: a pair whose shingle containment reaches it is also a copy (a copy
        with a paragraph dropped); None to decide by Jaccard alone.
    semantic_threshold: cosine a semantic pair needs (with `method` "semantic" or "both"),
        confirmed by 3-word shingle containment >= 0.3.
    all_pairs: verify and report every lexical pair, not only those that join a group
        (the groups are the same; slower where copies of one story are many).
    describe: list each member's sentences added and dropped against the canonical.
    engine: where pairs are found and grouped (this process, or distributed on Ray, which
        verifies every candidate as `all_pairs` does); the groups are the same either way.
    """
    check_settings(method, threshold, containment_threshold)
    if method != "minhash" and encoder is None:
        raise ValueError(f"method {method!r} needs an encoder")
    encoder = resolve_encoder(encoder, cache=store.directory if store is not None else None) \
        if encoder is not None else None
    settings = DedupSettings(method, threshold, containment_threshold,
                             semantic_threshold if method != "minhash" else None, SHINGLE_SIZE, num_perm, seed,
                             all_pairs, encoder.name if encoder is not None and method != "minhash" else None)
    on_ray = ray_engine(engine)
    if on_ray is not None:
        from simtool.jobs.dedup import ray as distributed

        def pairs_of(texts: list[str]):
            return distributed.duplicate_pairs_on(on_ray, texts, settings)

        def components_of(edges, n: int):
            return distributed.components_on(on_ray, edges, n)
    else:
        pairs_of = partial(local.duplicate_pairs, settings=settings)
        components_of = local.components

    texts = [dedup_text(doc) for doc in corpus]
    lexical = pairs_of(texts) if method in ("minhash", "both") else {}
    semantic: dict[tuple[int, int], float] = {}
    if encoder is not None and method in ("semantic", "both"):
        vectors, _ = embed([doc.content for doc in corpus], encoder, store, engine=engine)
        semantic = local.semantic_candidates(vectors, semantic_threshold)
    # Shingle sets again only for the documents in some pair: the groups' scores and diffs.
    overlap = RowOverlap(texts, {row for pair in [*lexical, *semantic] for row in pair}, SHINGLE_SIZE)
    confirmed = lexical_confirmed(corpus.ids, lexical)
    ids = corpus.ids
    if semantic:
        small = RowOverlap(texts, {row for pair in semantic for row in pair}, CONFIRM_SHINGLE_SIZE)
        for (i, j), cosine in sorted(semantic.items()):
            if small(i, j)[1] < CONFIRM_CONTAINMENT:
                continue
            kind = "both" if (i, j) in confirmed else "semantic"
            jac, con = overlap(i, j)
            confirmed[(i, j)] = DuplicatePair(ids[i], ids[j], round(jac, 4), round(con, 4),
                                              round(cosine, 4), kind)

    groups = grouped(corpus, confirmed, overlap, describe, components_of)
    return DedupResult(groups, list(confirmed.values()), len(corpus), settings)


