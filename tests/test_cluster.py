"""Clustering: quality and labels on BBC, choosing k, the CLI, and corpora too small or too alike."""

from __future__ import annotations

import csv
import json

import numpy as np
import pytest
from scipy.optimize import linear_sum_assignment
from typer.testing import CliRunner

from simtool.cli import app
from simtool.io.corpus import corpus_from_texts
from simtool.jobs.cluster import NOISE, Views, choose_k, classes_of, cluster_corpus, ctfidf_terms, evaluate, represent
from simtool.vectors.store import VectorStore
from tests.conftest import SEEDS, needs_bbc

runner = CliRunner()

TOPIC_WORDS = {
    "sport": {"game", "win", "england", "cup", "match", "club", "team", "players", "league", "champion", "season", "world"},
    "business": {"growth", "market", "economy", "company", "bank", "firm", "shares", "sales", "profits", "prices"},
    "politics": {"labour", "government", "election", "blair", "party", "minister", "tory", "tories", "brown"},
    "tech": {"technology", "mobile", "users", "software", "digital", "computer", "net", "internet", "phone", "games"},
    "entertainment": {"film", "music", "awards", "award", "band", "album", "star", "show", "actor", "best"},
}


@pytest.fixture(scope="module")
def bbc_views(bbc, tmp_path_factory):
    with VectorStore(tmp_path_factory.mktemp("cache")) as store:
        return represent(bbc, "hybrid", store)


def _matched(truth, labels):
    """For each true class, the cluster that best matches it (Hungarian matching)."""
    classes = sorted(set(truth))
    clusters = sorted(set(labels))
    overlap = np.array([[sum(t == c and label == k for t, label in zip(truth, labels)) for k in clusters] for c in classes])
    rows, cols = linear_sum_assignment(-overlap)
    return {classes[r]: clusters[c] for r, c in zip(rows, cols)}


@pytest.mark.slow  # MiniLM over all of BBC (about 2 minutes cold)
@needs_bbc
def test_hybrid_beats_each_view_on_bbc_and_labels_name_the_topics(bbc, bbc_views):
    truth = classes_of(bbc, "folder")
    result = cluster_corpus(bbc, model="hybrid", k=5, views=bbc_views)
    labels = [result.assignments[doc.id] for doc in bbc]
    hybrid = evaluate(truth, labels)["nmi"]
    lsa, minilm = (evaluate(truth, list(cluster_corpus(bbc, k=5, views=Views(part)).assignments.values()))["nmi"]
                   for part in bbc_views.parts)
    # 0.9197 since the cleaner keeps BBC's tables and lists (192 lines of its clean text removed, was
    # 285); the hybrid still beats each of its views (LSA 0.912, MiniLM 0.872)
    assert hybrid >= 0.915 and hybrid > max(lsa, minilm), (hybrid, lsa, minilm)
    clusters = {c.id: c for c in result.clusters}
    for topic, cluster in _matched(truth, labels).items():
        terms = set(clusters[cluster].terms[:5])
        assert terms & TOPIC_WORDS[topic], (topic, terms)
        assert len(clusters[cluster].representatives) == 3


@pytest.mark.slow  # MiniLM over all of BBC (about 2 minutes cold)
@needs_bbc
def test_k_auto_picks_between_4_and_8_on_bbc(bbc_views):
    k, scores = choose_k(bbc_views.vectors)
    assert 4 <= k <= 8 and scores[k] == max(scores.values())
    assert set(scores) == set(range(2, 16))


@pytest.mark.slow  # MiniLM over all of BBC (about 2 minutes cold)
@needs_bbc
def test_hdbscan_reports_noise_as_noise(bbc_views, bbc):
    result = cluster_corpus(bbc, algorithm="hdbscan", views=bbc_views)
    assert result.noise and all(result.assignments[i] == NOISE for i in result.noise)
    assert sum(c.size for c in result.clusters) + len(result.noise) == len(bbc)
    assert result.settings.k is None


def test_cli_json_csv_and_evaluation(tmp_path, cache_dir):
    rows = []
    for n in range(12):
        rows.append({"id": f"s{n}", "title": f"Match report {n}", "category": "sport",
                     "text": f"The team won the match {n} after the striker scored twice in the cup game."})
        rows.append({"id": f"e{n}", "title": f"Budget {n}", "category": "economy",
                     "text": f"The bank raised interest rates {n} as inflation and the budget deficit grew."})
    path = tmp_path / "news.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows))
    out = tmp_path / "a.csv"
    result = runner.invoke(app, ["cluster", str(path), "--model", "tfidf", "--k", "2", "--json",
                                 "--evaluate", "category", "--out", str(out)])
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert len(data["assignments"]) == 24 and {"id", "label", "size"} <= set(data["clusters"][0])
    assert data["evaluation"]["nmi"] == 1.0
    with out.open() as f:
        assert len(list(csv.reader(f))) == 25
    table = runner.invoke(app, ["cluster", str(path), "--model", "tfidf", "--k", "auto"])
    assert table.exit_code == 0 and "k by stability" in table.stdout


def test_small_and_degenerate_corpora(tmp_path, cache_dir):
    result = runner.invoke(app, ["cluster", str(SEEDS), "--model", "tfidf", "--k", "5", "--json"])
    assert result.exit_code == 0, result.stderr
    assert "more than the 2 documents" in result.stderr
    assert len(json.loads(result.stdout)["assignments"]) == 2
    one = tmp_path / "one.txt"
    one.write_text("Only one article about the election.")
    result = runner.invoke(app, ["cluster", str(one), "--model", "tfidf", "--json"])
    assert result.exit_code == 0 and json.loads(result.stdout)["assignments"] == {"one": 0}
    same = corpus_from_texts(["The same wire story about the storm."] * 20)
    for algorithm in ("kmeans", "agglomerative", "hdbscan"):
        clustered = cluster_corpus(same, model="tfidf", algorithm=algorithm, k=3)
        assert len(clustered.assignments) == 20


def test_bad_options_are_named(tmp_path):
    result = runner.invoke(app, ["cluster", str(SEEDS), "--algorithm", "dbscan"])
    assert result.exit_code == 2 and "--algorithm must be one of" in result.stderr
    result = runner.invoke(app, ["cluster", str(SEEDS), "--k", "many"])
    assert result.exit_code == 2 and "--k must be a number" in result.stderr
    result = runner.invoke(app, ["cluster", str(SEEDS), "--model", "tfidf", "--evaluate", "category"])
    assert result.exit_code == 1 and "no document has a field 'category'" in result.stderr
    assert "Traceback" not in result.stderr


def test_ctfidf_prefers_what_is_distinctive():
    texts = ["goal striker match team said"] * 5 + ["bank rates inflation budget said"] * 5 + ["said"] * 2
    terms = ctfidf_terms(texts, np.array([0] * 5 + [1] * 5 + [NOISE] * 2))
    assert set(terms) == {0, 1}
    assert "goal" in terms[0] and "bank" in terms[1]
    assert "said" not in terms[0][:2]


def test_k_clusters_are_returned_or_the_reason_is_given():
    from simtool.io.corpus import Corpus
    from simtool.io.document import Document

    topics = ["election vote ballot", "football match goal", "bank interest rate", "film actor award",
              "storm flood rain", "school teacher exam"]
    docs = [Document(f"d{i}", f"{topics[i % 6]} story {i} about {topics[(i * 7) % 6].split()[0]} and more words")
            for i in range(60)]
    result = cluster_corpus(Corpus(docs), model="tfidf", k=9)
    assert len(result.clusters) == result.settings.k == 9 and result.settings.k_requested == 9
    same = Corpus([Document(f"s{i}", "the same text every time, word for word") for i in range(3)]
                  + [Document("t", "a different article about the harbour and its ships")])
    few = cluster_corpus(same, model="tfidf", k=3)
    assert few.settings.k == len(few.clusters) == 2 and "only 2 distinct documents" in few.settings.k_note
    assert few.to_json()["settings"]["k_requested"] == 3


def test_labels_say_what_the_stories_are_about_not_how_they_were_written():
    from simtool.io.corpus import Corpus
    from simtool.io.document import document_from_record
    from simtool.jobs.cluster.rules import ctfidf_terms

    texts = []
    topics = ["harbour ships cargo", "orchestra concert violin", "wheat harvest drought", "glacier climbers rescue"]
    for i in range(60):
        topic = topics[i % 4]
        texts.append(f"LONDON (Reuters) - Mr. Smith said the {topic} story {i} was told, AP reported. Smith's "
                     f"{topic} again, she says.\nReporting by Jane Doe; Editing by John Roe")
    labels = ctfidf_terms(texts, np.array([i % 4 for i in range(60)]))
    words = {w for terms in labels.values() for term in terms for w in term.split()}
    assert {"harbour", "orchestra"} <= words
    assert not words & {"said", "says", "told", "mr", "reuters", "reported", "editing", "reporting", "smith's"}
    doc, _ = document_from_record({"text": "He said &quot;no&quot; &amp; left &lt;quietly&gt;"}, "x", "o")
    assert doc.text == 'He said "no" & left <quietly>'
    assert Corpus([doc]).ids == ["x"]


def test_a_coarse_automatic_split_offers_the_most_stable_finer_one():
    from simtool.jobs.cluster.local import finer_k

    scores = {2: 0.95, 3: 0.6, 4: 0.5, 5: 0.7, 6: 0.8, 7: 0.8, 8: 0.4}
    assert finer_k(scores, 2, 10_000) == 6            # the most stable of 5 and up, ties to the smaller
    assert finer_k(scores, 6, 10_000) is None         # already fine enough
    assert finer_k(scores, 2, 50) is None             # a small corpus: two clusters may be all there is
    assert finer_k({2: 0.9, 3: 0.5}, 2, 10_000) is None  # no finer k was scored


@needs_bbc
def test_the_same_documents_give_the_same_clusters_in_any_order(bbc):
    import random

    from simtool.io.corpus import Corpus

    docs = list(bbc)[:300]
    shuffled = docs[:]
    random.Random(3).shuffle(shuffled)
    first = cluster_corpus(Corpus(docs), model="tfidf", k="auto")
    again = cluster_corpus(Corpus(shuffled), model="tfidf", k="auto")
    assert first.settings.k == again.settings.k
    assert first.assignments == again.assignments  # the same partition, numbered the same (largest first)
    a = represent(Corpus(docs), "tfidf").vectors
    b = represent(Corpus(shuffled), "tfidf").vectors
    position = {doc.id: row for row, doc in enumerate(shuffled)}
    assert np.allclose(a, b[[position[doc.id] for doc in docs]], atol=1e-5)


@needs_bbc
def test_a_coarse_automatic_split_comes_with_a_finer_level_inside_it(bbc, tmp_path):
    from simtool.io.corpus import Corpus

    docs = [d for d in bbc if d.id.startswith(("sport/", "tech/"))][::2]  # two topics, each with its own stories
    result = cluster_corpus(Corpus(docs), model="tfidf", k="auto")
    assert result.settings.k < 5 and result.finer is not None and result.finer.k == result.settings.finer_k >= 5
    assert set(result.finer.assignments) == {d.id for d in docs}
    for topic in result.finer.clusters:
        members = [d for d, c in result.finer.assignments.items() if c == topic.id]
        inside = [result.assignments[d] for d in members]
        assert result.finer.parents[topic.id] == max(set(inside), key=inside.count)
    assert "finer" in result.to_json() and cluster_corpus(Corpus(docs), model="tfidf", k=3).finer is None
    from simtool.jobs.cluster.updates import cluster_with_state

    kept, _ = cluster_with_state(Corpus(docs), tmp_path / "state", model="tfidf", k="auto")
    assert kept.finer is None and f"--rebuild --k {result.finer.k}" in kept.settings.k_note  # no level a state cannot keep
