"""Hashed shingles, MinHash LSH and the verification order behind `find_duplicates`."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from simtool.io.corpus import corpus_from_texts
from simtool.jobs.dedup import find_duplicates
from simtool.jobs.dedup.local import exact_jaccard_pairs
from simtool.jobs.dedup.minhash import LSH_RECALL, lsh_candidate_pairs, lsh_parameters, minhash_signatures
from simtool.text.basics import normalized_lines, overlap, sentences_by_line, text_shingles
from simtool.text.sentence_diff import SentenceDiff
from simtool.text.shingling import ShingleOverlap, hash_shingles
from tests.conftest import needs_bbc

EDGE_TEXTS = ["", "   ", "one", "two words", "The cat sat on the mat", "the CAT sat on the mat today",
              "don't stop O’Neill now, it's 5 o'clock", "Café crème brûlée à la carte ce soir", "a a a a a a a a",
              "Σήμερα το πρωί ο υπουργός είπε ότι", "مرحبا بكم في الأخبار اليوم هنا", "tab\tand\nnew\u00a0lines here"]


def _string_overlaps(texts, size=5):
    sets = [text_shingles(t, size) for t in texts]
    return sets, {(i, j): overlap(sets[i], sets[j]) for i in range(len(texts)) for j in range(len(texts))}


def test_hashed_shingles_give_the_same_sets_and_overlaps_as_strings():
    for size in (1, 3, 5):
        sets, expected = _string_overlaps(EDGE_TEXTS, size)
        hashed = ShingleOverlap(hash_shingles(EDGE_TEXTS, size, chunk_size=4))
        assert [hashed.size(i) for i in range(len(EDGE_TEXTS))] == [len(s) for s in sets]
        for (i, j), scores in expected.items():
            assert hashed(i, j) == scores, (size, EDGE_TEXTS[i], EDGE_TEXTS[j])
        assert hashed.against(4, range(len(EDGE_TEXTS))) == [expected[(4, j)] for j in range(len(EDGE_TEXTS))]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.sampled_from(["the", "minister", "said", "says", "on", "Monday", "report"]),
                         max_size=12), min_size=2, max_size=6),
       st.integers(min_value=1, max_value=10))
def test_overlaps_agree_with_strings_for_any_chunking(token_lists, chunk_size):
    texts = [" ".join(tokens) for tokens in token_lists]
    _, expected = _string_overlaps(texts)
    hashed = ShingleOverlap(hash_shingles(texts, chunk_size=chunk_size))
    assert {pair: hashed(*pair) for pair in expected} == expected


@needs_bbc
def test_hashed_shingle_sets_match_strings_on_bbc(bbc_raw):
    texts = [doc.text for doc in bbc_raw.documents]
    hashed = ShingleOverlap(hash_shingles(texts, chunk_size=500))
    assert [hashed.size(i) for i in range(len(texts))] == [len(text_shingles(t, 5)) for t in texts]


@settings(max_examples=40, deadline=None)
@given(st.floats(min_value=0.05, max_value=1.0), st.sampled_from([16, 64, 128, 256]))
def test_lsh_parameters_reach_the_recall_at_the_jaccard_asked(jaccard, num_perm):
    bands, rows = lsh_parameters(jaccard, num_perm)
    assert bands * rows <= num_perm
    if (bands, rows) != (num_perm, 1):  # the loosest setting is the floor
        assert 1 - (1 - jaccard ** rows) ** bands >= LSH_RECALL
        longer = rows + 1  # and no longer band would do
        assert longer > num_perm or 1 - (1 - jaccard ** longer) ** (num_perm // longer) < LSH_RECALL


def test_lsh_finds_every_pair_above_its_jaccard_in_a_dense_family_of_copies():
    rng = np.random.default_rng(4)
    vocabulary = [f"w{n}" for n in range(3000)]
    texts = []
    for _ in range(8):  # eight stories, each with twelve copies that replace a few words
        words_ = list(rng.choice(vocabulary, 300))
        for _ in range(12):
            copy = list(words_)
            for at in rng.choice(300, rng.integers(0, 12), replace=False):
                copy[at] = rng.choice(vocabulary)
            texts.append(" ".join(copy))
    shingled = hash_shingles(texts)
    candidates = {tuple(p) for p in lsh_candidate_pairs(minhash_signatures(shingled), 0.6).tolist()}
    truth = exact_jaccard_pairs(texts, 0.6)
    assert truth and set(truth) <= candidates


def test_spanning_pairs_give_the_same_groups_as_all_pairs():
    base = ["The minister resigned on Monday after the report into the contracts was published in full",
            "Floods closed the main road north of the city for a third day as the river kept rising",
            "The club signed a new striker from the league champions for a fee said to be a record"]
    texts = []
    for n in range(10):
        for story in base:
            texts.append(story + f" edition {n} " + ("and more" if n % 2 else ""))
    corpus = corpus_from_texts(texts)
    spanning = find_duplicates(corpus, threshold=0.6, containment_threshold=None)
    every = find_duplicates(corpus, threshold=0.6, containment_threshold=None, all_pairs=True)
    assert [g.members for g in spanning.groups] == [g.members for g in every.groups]
    assert len(spanning.groups) == 3
    assert all(len(g.pairs) == len(g.members) - 1 for g in spanning.groups)  # a spanning tree each
    truth = exact_jaccard_pairs([d.text for d in corpus], 0.6)
    assert {tuple(sorted((corpus.position(p.a), corpus.position(p.b)))) for p in every.pairs} == set(truth)


def test_a_huge_bucket_of_identical_pages_stays_linear_and_in_one_group():
    texts = ["Access denied. You do not have permission to view this page on this server."] * 1500
    texts += ["A real article about the budget and what the chancellor said in parliament today."]
    shingled = hash_shingles(texts)
    candidates = lsh_candidate_pairs(minhash_signatures(shingled), 0.8)
    assert len(candidates) < 10 * 1500  # all pairs would be 1.1 million
    result = find_duplicates(corpus_from_texts(texts), threshold=0.8, containment_threshold=None)
    assert [len(g.members) for g in result.groups] == [1500]


def test_sentences_by_line_never_merges_lines():
    text = "First line here. Second sentence.\nA heading without a stop\n\n  Mr. Smith said so. \"End.\"\n..."
    lines = normalized_lines(text)
    assert sentences_by_line(lines) == [["First line here.", "Second sentence."], ["A heading without a stop"],
                                        ["Mr. Smith said so.", "\"End.\""], ["..."]]
    assert sentences_by_line([]) == []


def test_sentence_diff_names_what_a_copy_added_and_dropped():
    original = "Para one. It has two sentences.\nPara two is here.\nPara three ends it."
    copy = "Home | News\nPara one. It has two sentences.\nPara three ends it.\nPara four is new."
    added, dropped = SentenceDiff(original).diff(copy)
    assert added == ("Home | News", "Para four is new.")
    assert dropped == ("Para two is here.",)
    assert SentenceDiff(original).diff(original) == ((), ())
