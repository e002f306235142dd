"""The Python API: every command is a public function, jobs take a model as an Encoder or a
name, results know their JSON shape, and compare and dedup share one near-duplicate rule."""

from __future__ import annotations

import inspect
import json

import numpy as np
import pytest
from typer.testing import CliRunner

import simtool
from simtool.cli import app
from tests.conftest import SEED_2015, SEED_2021, SEEDS

runner = CliRunner()

# Each command of the CLI and the public functions that do its work.
COMMAND_FUNCTIONS = {
    "analyze": ["analyze", "write_report"], "related": ["related", "nearest_documents"], "compare": ["compare"],
    "dedup": ["find_duplicates", "deduplicated", "find_duplicates_in_files", "find_duplicates_with_state"],
    "reuse": ["find_reuse"],
    "watch": ["update_state"],
    "cluster": ["cluster_corpus", "evaluate", "cluster_files_on_ray", "cluster_with_state"],
    "drift": ["find_drift", "cluster_documents", "plot_drift"], "clean": ["clean_text"],
    "embed": ["embed", "write_corpus_shards", "RayEngine"], "index": ["build_index"], "bench": ["run_benchmark"],
    "models": ["list_models", "distill_static"],
}


def test_every_public_name_resolves_and_all_lists_them():
    assert set(simtool.__all__) == set(simtool._EXPORTS) | {"__version__"}
    for name in simtool.__all__:
        assert getattr(simtool, name) is not None, name


def test_from_simtool_import_analyze_is_the_function():
    from simtool import analyze

    assert inspect.isfunction(analyze) and analyze.__module__ == "simtool.jobs.analyze"


def test_every_cli_command_has_public_functions():
    commands = {command.name for command in app.registered_commands} | {group.name for group in app.registered_groups}
    assert commands == set(COMMAND_FUNCTIONS)
    for names in COMMAND_FUNCTIONS.values():
        for name in names:
            assert callable(getattr(simtool, name)), name


@pytest.fixture(scope="module")
def seeds():
    return simtool.prepare_corpus([SEEDS])


def test_jobs_take_a_model_name_or_an_encoder_alike(seeds):
    from simtool.encoders.fake import FakeEncoder

    query = seeds.get(SEED_2015)
    by_name = simtool.related(seeds, query, "fake")
    by_encoder = simtool.related(seeds, query, FakeEncoder())
    assert by_name.to_json() == by_encoder.to_json() and by_name.model == "fake"
    assert [hit.id for hit in by_name] == [SEED_2021] and len(by_name) == 1 and by_name[0].id == SEED_2021
    clusters = simtool.cluster_corpus(seeds, model=FakeEncoder(), k=1)
    assert clusters.settings.model == "fake" and clusters.to_json() == simtool.cluster_corpus(
        seeds, model="fake", k=1).to_json()


def test_results_print_their_own_json_in_the_cli(seeds, tmp_path):
    dedup = runner.invoke(app, ["dedup", str(SEEDS), "--json", "--cache", str(tmp_path)])
    assert json.loads(dedup.stdout)["groups"] == simtool.find_duplicates(seeds).to_json()
    cluster = runner.invoke(app, ["cluster", str(SEEDS), "--model", "fake", "--k", "2", "--json",
                                  "--cache", str(tmp_path)])
    expected = simtool.cluster_corpus(seeds, model="fake", k=2).to_json()
    printed = json.loads(cluster.stdout)
    expected = json.loads(json.dumps({**expected, "evaluation": None}))
    assert printed["command"] == "cluster" and printed["settings"].items() >= expected["settings"].items()
    assert {k: v for k, v in printed.items() if k not in ("command", "simtool_version", "settings", "run")} == \
        {k: v for k, v in expected.items() if k != "settings"}


def test_compare_leaves_the_callers_tfidf_encoder_as_it_was(seeds):
    from simtool.encoders.fake import FakeEncoder
    from simtool.encoders.tfidf import TfidfEncoder

    tfidf = TfidfEncoder().fit(["an unrelated background text about football", "and cricket"])
    vocabulary = dict(tfidf.vectorizer_.vocabulary_)
    result = simtool.compare(seeds.get(SEED_2015), seeds.get(SEED_2021), {"tfidf": tfidf, "fake": FakeEncoder()},
                             sentence_encoder="fake")
    assert tfidf.vectorizer_.vocabulary_ == vocabulary
    assert result.to_json()["a"] == SEED_2015 and 0 < result.scores["tfidf"] < 1


def test_a_cpu_only_encoder_refuses_a_device_rather_than_ignore_it():
    from simtool.errors import InputError

    with pytest.raises(InputError, match="runs on the CPU only"):
        simtool.get_encoder("static", device="cuda")
    with pytest.raises(InputError, match="has one precision"):
        simtool.get_encoder("tfidf", precision="int8")
    assert simtool.get_encoder("static", device="cpu").name == "static"


def _article(words: int, seed: int) -> str:
    rng = np.random.default_rng(seed)
    vocabulary = [f"w{i}" for i in range(5000)]
    sentences = [" ".join(rng.choice(vocabulary, 12)) + "." for _ in range(words // 12)]
    return " ".join(sentences)


@pytest.mark.parametrize("kept", [0.9, 0.55])
def test_compare_and_dedup_apply_one_near_duplicate_rule(kept):
    """A text inside a longer one: containment 1, Jaccard = the share kept. At 0.9 both say copy; at
    0.55 (Jaccard < 0.5, containment 1 >= 0.8) dedup's rule says copy too: containment decides."""
    from simtool.jobs.dedup.rules import is_near_duplicate

    original = _article(600, 1)
    words = original.split()
    part = " ".join(words[: int(len(words) * kept)])
    corpus = simtool.corpus_from_texts([original, part], ids=["a", "b"])
    comparison = simtool.compare(corpus.get("a"), corpus.get("b"), ["fake"], sentence_encoder="fake")
    groups = simtool.find_duplicates(corpus).groups
    said_copy = comparison.verdict == "near-duplicate"
    assert said_copy == bool(groups) == is_near_duplicate(comparison.scores["jaccard"], comparison.scores["containment"])
    assert said_copy  # containment 1.0 >= 0.8 either way


def test_compare_and_dedup_agree_on_a_partial_overlap_below_both_thresholds():
    """Two articles sharing 60% of the shorter one's shingles: containment 0.6 was a near-duplicate
    for compare's old rule (>= 0.5) and not for dedup; now neither calls it one."""
    shared = _article(360, 2)
    a = shared + " " + _article(240, 3)
    b = shared + " " + _article(240, 4)
    corpus = simtool.corpus_from_texts([a, b], ids=["a", "b"])
    comparison = simtool.compare(corpus.get("a"), corpus.get("b"), ["fake"], sentence_encoder="fake")
    from simtool.jobs.compare import verdict

    jaccard, containment = comparison.scores["jaccard"], comparison.scores["containment"]
    assert 0.5 <= containment < 0.8 and jaccard < 0.5
    # by wording alone (no paraphrase evidence), compare's verdict is not a copy, and dedup groups nothing
    assert verdict(0.0, jaccard, containment, 0.0) != "near-duplicate"
    assert simtool.find_duplicates(corpus).groups == []


def test_compare_takes_a_model_alias_on_the_command_line(tmp_path):
    result = runner.invoke(app, ["compare", str(SEEDS), "--a", SEED_2015, "--b", SEED_2021, "--model", "FAKE",
                                 "--json", "--cache", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert list(json.loads(result.stdout)["scores"])[:4] == ["tfidf", "static", "minilm", "fake"]


def test_compare_aligns_sentences_with_the_tfidf_it_fitted_on_the_background(seeds):
    from simtool.encoders.tfidf import TfidfEncoder
    from simtool.jobs.compare import align

    a, b = seeds.get(SEED_2015), seeds.get(SEED_2021)
    background = ["Football results from the weekend.", "Markets fell on Monday."]
    result = simtool.compare(a, b, ["tfidf"], sentence_encoder="tfidf", background=background)
    fitted = TfidfEncoder().fit(background + [a.content, b.content])
    expected, _, _ = align(list(a.sentences), list(b.sentences), fitted.encode(list(a.sentences)),
                           fitted.encode(list(b.sentences)), 0.75)
    assert [s.score for s in result.aligned] == [s.score for s in expected]


def test_the_api_imports_without_the_ray_extra():
    import subprocess
    import sys

    code = ("import sys; sys.modules['ray'] = None\n"  # as if Ray were not installed
            "import simtool\n"
            "for name in simtool.__all__: getattr(simtool, name)\n"
            "print('ok')")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr[-2000:]
