"""`simtool bench`: the scores against their reference implementations, the JSON layout, the
user's own corpus, distillation, and missing data."""

from __future__ import annotations

import json

import numpy as np
import pytest
import scipy.sparse as sp
from conftest import SEEDS, SHARED_DATA, needs_bbc
from typer.testing import CliRunner

from simtool.bench import metrics
from simtool.bench.datasets import load_msrp, load_stsb, retrieval_set
from simtool.bench.results import pareto_front, quality_and_speed
from simtool.bench.runner import run_benchmark
from simtool.bench.speed import measure_speed
from simtool.cli import app
from simtool.io.corpus import corpus_from_texts
from simtool.vectors.store import VectorStore

needs_sts = pytest.mark.skipif(not (SHARED_DATA / "stsb").is_dir(), reason="../shared/data/stsb is missing")
runner = CliRunner()


@pytest.mark.slow  # MiniLM over STS-B (over a minute)
@needs_sts
def test_stsb_minilm_equals_sentence_transformers_evaluator(tmp_path, minilm):
    from sentence_transformers.evaluation import EmbeddingSimilarityEvaluator

    with VectorStore(tmp_path) as store:
        result = run_benchmark(["minilm"], ["sts"], store=store)
    ours = 100 * next(s.value for s in result.scores if s.metric == "cosine_spearman")
    pairs = load_stsb(SHARED_DATA)
    evaluator = EmbeddingSimilarityEvaluator(pairs.first, pairs.second, [g / 5 for g in pairs.gold], name="sts-dev")
    scores = evaluator(minilm._model)
    theirs = 100 * scores[next(key for key in scores if key.endswith("spearman_cosine"))]
    assert len(pairs.first) == 1500
    assert abs(ours - theirs) < 0.1, (ours, theirs)
    assert abs(ours - 86.72) < 0.1, ours  # the figure measured with plain cosine


@needs_sts
def test_msrp_test_split_is_read_whole():
    pairs = load_msrp(SHARED_DATA)
    assert len(pairs.first) == 1725 and set(pairs.gold) == {0.0, 1.0}
    assert sum(pairs.gold) == 1147  # paraphrases in the published test split


def test_retrieval_ranks_count_ties_against_the_query():
    documents = sp.csr_matrix(np.eye(4, dtype=np.float32))
    queries = sp.csr_matrix(np.array([[1, 0, 0, 0], [0, 0, 0, 0], [0, 0.6, 0.8, 0]], dtype=np.float32))
    ranks = metrics.ranks_of_relevant(queries, documents, [0, 1, 1])
    assert list(ranks) == [0, 3, 1]  # exact; all-zero query finds nothing; beaten by one document
    scores = metrics.retrieval(ranks)
    assert scores["mrr_at_10"] == pytest.approx((1 + 1 / 4 + 1 / 2) / 3)
    assert scores["recall_at_10"] == 1.0


def test_pair_classification_and_clustering_on_known_answers():
    found = metrics.pair_classification(np.array([0.9, 0.8, 0.3, 0.2]), [1, 1, 0, 0])
    assert found["ap"] == 1.0 and found["f1"] == 1.0 and 0.3 < found["f1_threshold"] <= 0.8
    vectors = np.vstack([np.tile([1.0, 0.0], (10, 1)), np.tile([0.0, 1.0], (10, 1))])
    vectors += np.random.default_rng(0).normal(0, 0.01, vectors.shape)
    clusters = metrics.clustering(vectors, ["a"] * 10 + ["b"] * 10, seeds=3)
    assert clusters["v_measure"] == (pytest.approx(1.0), pytest.approx(0.0))


def test_retrieval_set_uses_headlines_else_first_sentences_and_merges_equal_bodies():
    corpus = corpus_from_texts(["Storm hits coast. Thousands lose power overnight. Crews are out.",
                                "Storm hits coast. Thousands lose power overnight. Crews are out.",
                                "One sentence only"])
    found = retrieval_set(corpus, "tiny")
    assert found.queries == ["Storm hits coast.", "Storm hits coast."]
    assert found.documents == ["Thousands lose power overnight. Crews are out."]
    assert found.relevant == [0, 0]
    assert "only 1 documents" in found.warning


def test_pareto_front_keeps_only_undominated_models():
    points = {"fast": (60.0, 1000.0), "slow-good": (80.0, 30.0), "dominated": (55.0, 500.0), "mid": (70.0, 600.0)}
    assert pareto_front(points) == ["fast", "mid", "slow-good"]


def test_speed_is_measured_in_a_fresh_process():
    from simtool.encoders.tfidf import TfidfEncoder

    texts = [f"storm number {i} cut power in town{i} on day{i}" for i in range(50)]
    speed = measure_speed("tfidf", texts)
    assert speed.documents == 50 and speed.docs_per_second > 0
    assert 0 < speed.peak_memory_mib < 2000  # this process's peak, not the test runner's
    assert speed.dim == TfidfEncoder().fit(texts).dim  # fitted on the whole sample, not the warm-up's
    assert speed.bytes_per_document > 0


def test_json_is_mteb_shaped_and_complete(tmp_path):
    result = runner.invoke(app, ["bench", "--models", "tfidf,tfidf-svd", "--tasks", "sts,pairs,speed",
                                 "--corpus", str(SEEDS), "--json", "-", "--cache", str(tmp_path)])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["schema_version"] == 1 and set(document["models"]) == {"tfidf", "tfidf-svd", "tfidf-plain"}
    assert document["models"]["tfidf-plain"]["baseline"].startswith("scikit-learn TfidfVectorizer()")
    for row in document["results"]:
        assert {"model", "task", "dataset", "metric", "value", "seconds", "main", "spread"} <= set(row)
    sts = next(r for r in document["results"] if r["model"] == "tfidf" and r["task"] == "sts")
    entry = next(e for e in document["mteb"]["tfidf"] if e["task_name"] == "STSBenchmark")
    assert entry["task_type"] == "STS"
    assert entry["scores"]["validation"][0]["main_score"] == sts["value"] == entry["scores"]["validation"][0]["cosine_spearman"]
    speed = {r["metric"]: r["value"] for r in document["results"] if r["task"] == "speed" and r["model"] == "tfidf"}
    assert speed["documents"] == 2 and speed["docs_per_second"] > 0
    assert not any(e["task_type"] == "speed" for entries in document["mteb"].values() for e in entries)


@pytest.mark.parametrize("folder, documents", [(SEEDS, 2), (SHARED_DATA / "state_union", 6)])
def test_retrieval_on_a_users_folder_warns_that_tiny_corpora_say_little(tmp_path, folder, documents):
    if not folder.is_dir():
        pytest.skip(f"{folder} is missing")
    result = runner.invoke(app, ["bench", "--models", "tfidf", "--tasks", "retrieval", "--corpus", str(folder),
                                 "--json", "-", "--cache", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert f"only {documents} documents" in result.stderr
    rows = json.loads(result.stdout)["results"]
    assert {r["dataset"] for r in rows} == {folder.name}
    assert next(r for r in rows if r["metric"] == "recall_at_10")["value"] == 1.0


def test_missing_standard_data_is_one_line_naming_the_file(tmp_path):
    result = runner.invoke(app, ["bench", "--models", "tfidf", "--tasks", "sts", "--data", str(tmp_path),
                                 "--cache", str(tmp_path)])
    assert result.exit_code == 1
    assert "sts-dev.tsv: not found" in result.stderr and "Traceback" not in result.output


def test_unknown_task_and_model_fail_before_any_work(tmp_path):
    result = runner.invoke(app, ["bench", "--tasks", "sts,translation", "--cache", str(tmp_path)])
    assert result.exit_code == 1 and "unknown task 'translation'" in result.stderr
    result = runner.invoke(app, ["bench", "--models", "tfidf,no-such-model/", "--cache", str(tmp_path)])
    assert result.exit_code == 1 and "no-such-model" in result.stderr


@pytest.mark.slow  # distils a model from MiniLM (about a minute)
@needs_bbc
def test_distilled_static_model_is_listed_benchmarked_and_plotted(tmp_path):
    result = runner.invoke(app, ["models", "distill", "minilm", "mini-static", "--pca-dims", "32",
                                 "--cache", str(tmp_path)])
    assert result.exit_code == 0, result.output
    listed = json.loads(runner.invoke(app, ["models", "--json", "--cache", str(tmp_path)]).stdout)["results"]
    distilled = next(m for m in listed if m["name"] == "mini-static")
    assert distilled["dim"] == 32 and distilled["description"].startswith("static model distilled from minilm")
    again = runner.invoke(app, ["models", "distill", "minilm", "mini-static", "--cache", str(tmp_path)])
    assert again.exit_code == 1 and "--force" in again.stderr
    plot = tmp_path / "pareto.png"
    result = runner.invoke(app, ["bench", "--models", "tfidf,mini-static", "--tasks", "pairs,speed",
                                 "--speed-docs", "20", "--plot", str(plot), "--json", str(tmp_path / "b.json"),
                                 "--cache", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert plot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    document = json.loads((tmp_path / "b.json").read_text())
    assert document["models"]["mini-static"]["dim"] == 32
    with VectorStore(tmp_path) as store:
        points = quality_and_speed(run_benchmark(["mini-static"], ["pairs", "speed"], store=store, speed_documents=10))
    assert set(points) == {"mini-static"}


def test_the_users_pairs_are_scored_and_named_by_their_file_a_bad_row_reported(tmp_path):
    import csv

    scored = tmp_path / "my_pairs.csv"
    with scored.open("w", newline="") as handle:  # as Python's csv, pandas and Excel write it
        writer = csv.writer(handle)
        writer.writerow(["sentence1", "sentence2", "score"])
        writer.writerows([['He said "no" to the offer.', "He refused the offer.", 4.0],
                          ["A man plays a guitar.", "A man is playing the guitar.", 4.8],
                          ["The sky is blue.", "Prices rose in May.", 0.0],
                          ["Stocks fell on Monday.", "Shares dropped on Monday.", 4.5],
                          ["A broken row", "", "n/a"]])
    labelled = tmp_path / "paraphrase.jsonl"
    labelled.write_text("\n".join(json.dumps({"text1": a, "text2": b, "label": y}) for a, b, y in [
        ("The cat sat on the mat.", "A cat was sitting on the mat.", 1), ("It rained all day.", "It poured all day.", 1),
        ("The cat sat on the mat.", "Markets closed higher.", 0), ("He won the race.", "She lost her keys.", 0)])
        + "\nnot a record")
    result = run_benchmark(["tfidf"], ["sts", "pairs"], pairs=[scored, labelled])
    found = {(s.model, s.task, s.dataset, s.metric) for s in result.scores}
    assert ("tfidf", "sts", "my_pairs", "cosine_spearman") in found
    assert ("tfidf", "pairs", "paraphrase", "cosine_ap") in found
    assert ("tfidf-plain", "sts", "my_pairs", "cosine_spearman") in found  # the plain baseline beside it
    assert [str(p) for p in result.problems] == [f"{scored}:6: skipped: a pair needs two texts and a numeric score "
                                                 f"(got 'n/a')", f"{labelled}:5: skipped: not JSON (Expecting value)"]
    assert not any(s.dataset in ("stsb-dev", "msrp-test") for s in result.scores)


def test_the_users_labelled_texts_are_clustered_and_searched(tmp_path):
    labels = tmp_path / "desk.jsonl"
    topics = {"sport": "The team won the match after a late goal from the striker",
              "tech": "The company released a new phone with a faster chip and a bigger screen"}
    labels.write_text("\n".join(json.dumps({"title": f"{topic} story {i}", "text": f"{text} on day {i}.",
                                            "topic": topic}) for i in range(6) for topic, text in topics.items()))
    result = run_benchmark(["tfidf"], ["clustering", "retrieval"], labels=[labels])
    metrics_found = {(s.task, s.dataset, s.metric) for s in result.scores}
    assert {("clustering", "desk", "nmi"), ("clustering", "desk", "ari"), ("retrieval", "desk", "mrr_at_10")} \
        <= metrics_found
    assert next(s.value for s in result.scores if s.metric == "nmi") == pytest.approx(1.0)


@needs_sts
def test_tfidf_is_at_least_the_plain_scikit_learn_baseline_on_stsb_and_msrp():
    result = run_benchmark(["tfidf"], ["sts", "pairs"])
    main = {(s.model, s.dataset): s.value for s in result.scores if s.main}
    assert main[("tfidf", "stsb-dev")] >= main[("tfidf-plain", "stsb-dev")]
    assert main[("tfidf", "msrp-test")] >= main[("tfidf-plain", "msrp-test")]


def test_a_class_that_is_not_one_value_is_one_line_not_a_traceback(tmp_path):
    labels = tmp_path / "odd.jsonl"
    labels.write_text("\n".join(json.dumps({"text": f"story {i} about things", "topic": ["sport"] if i else "x"})
                                 for i in range(4)))
    result = runner.invoke(app, ["bench", "--models", "tfidf", "--tasks", "clustering", "--labels", str(labels)])
    assert result.exit_code == 1 and "'topic' holds a list" in result.stderr and "Traceback" not in result.output


def test_your_own_pairs_alone_run_their_task_only(tmp_path):
    pairs = tmp_path / "pairs.csv"
    pairs.write_text("text1,text2,score\nA man is playing a guitar.,A man plays the guitar.,4.8\n"
                     "A dog runs in the park.,A cat sleeps on the sofa.,0.4\n"
                     "The senate passed the bill.,The bill was passed by the senate.,4.9\n"
                     "She is cooking dinner.,The stock market fell today.,0.0\n")
    result = runner.invoke(app, ["bench", "--models", "tfidf", "--pairs", str(pairs), "--json", "-"])
    assert result.exit_code == 0, result.output
    scores = json.loads(result.stdout)["results"]
    assert {s["task"] for s in scores} == {"sts"} and {s["dataset"] for s in scores} == {"pairs"}
    with_corpus = runner.invoke(app, ["bench", "--models", "tfidf", "--pairs", str(pairs), "--corpus", str(SEEDS),
                                      "--json", "-"])
    assert {s["task"] for s in json.loads(with_corpus.stdout)["results"]} == {"sts", "retrieval", "speed"}
