"""The nearest-neighbour index: recall on real vectors, additions, interruptions, and `related` on it."""

from __future__ import annotations

import json
import sys

import numpy as np
import pytest
from typer.testing import CliRunner

from simtool.cli import app
from simtool.encoders import get_encoder
from simtool.errors import InputError
from simtool.io.prepare import prepare_corpus
from simtool.text.basics import text_hash
from simtool.vectors.ann import AnnIndex, build_index, index_key, index_path
from simtool.vectors.embed import embed
from simtool.vectors.store import VectorStore
from tests.conftest import SHARED_DATA, needs_bbc

pytest.importorskip("usearch")
runner = CliRunner()


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args])


@pytest.fixture(scope="module")
def static():
    return get_encoder("static")


def _exact(vectors: np.ndarray, queries: np.ndarray, k: int) -> np.ndarray:
    return np.argsort(-(queries @ vectors.T), axis=1, kind="stable")[:, :k]


@needs_bbc
@pytest.mark.parametrize("dtype, floor", [pytest.param("f32", 0.97, marks=pytest.mark.slow), ("f16", 0.97),
                                          pytest.param("i8", 0.9, marks=pytest.mark.slow)])
def test_recall_at_10_on_real_bbc_vectors(tmp_path, bbc, static, dtype, floor):
    with VectorStore(tmp_path) as store:
        stats = build_index(bbc, static, store, dtype)
    texts = list(dict.fromkeys(doc.content for doc in bbc))  # copies share one key: truth among distinct texts
    vectors = np.asarray(embed(texts, static, None)[0])
    assert stats.added == stats.total == len(texts)
    index = AnnIndex.for_encoder(tmp_path, static.identity, static.dim, dtype)
    row_of = {index_key(text_hash(text)): row for row, text in enumerate(texts)}
    queries = np.arange(0, len(texts), 11)  # about 200 documents as queries
    found, scores = index.search(vectors[queries], 10)
    truth = _exact(vectors, vectors[queries], 10)
    hits = [len({row_of[int(key)] for key in f} & set(t.tolist())) / 10 for f, t in zip(found, truth)]
    assert np.mean(hits) >= floor, np.mean(hits)
    assert np.mean(scores[:, 0] > 0.999) >= 0.98  # a document is (almost always) found as its own nearest


@needs_bbc
def test_additions_insert_only_what_is_new(tmp_path, bbc, static):
    half = bbc.with_documents(bbc.documents[: len(bbc) // 2])
    with VectorStore(tmp_path) as store:
        first = build_index(half, static, store)
        second = build_index(bbc, static, store)
        again = build_index(bbc, static, store)
    distinct = len({doc.content for doc in bbc})
    assert first.total + second.added == second.total == distinct
    assert again.added == 0 and again.total == distinct
    index = AnnIndex.for_encoder(tmp_path, static.identity, static.dim)
    keys = [index_key(text_hash(doc.content)) for doc in bbc]
    assert len(index.missing(keys)) == 0


@needs_bbc
def test_an_interrupted_build_keeps_the_last_checkpoint_and_the_rerun_completes(tmp_path, bbc, static, monkeypatch):
    from usearch.index import Index

    calls = {"n": 0}
    add = Index.add

    def failing_add(self, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt
        return add(self, *args, **kwargs)

    monkeypatch.setattr("simtool.vectors.ann.CHECKPOINT", 500)
    monkeypatch.setattr(Index, "add", failing_add)
    with VectorStore(tmp_path) as store, pytest.raises(KeyboardInterrupt):
        build_index(bbc, static, store)
    monkeypatch.setattr(Index, "add", add)
    saved = AnnIndex.for_encoder(tmp_path, static.identity, static.dim)
    assert len(saved) == 1000  # two checkpoints, complete; nothing half-written
    assert not list((tmp_path / "index").glob("*.partial"))
    with VectorStore(tmp_path) as store:
        rerun = build_index(bbc, static, store)
    assert rerun.added == rerun.total - 1000 and rerun.total == len({doc.content for doc in bbc})
    vectors, _ = embed([bbc.documents[0].content], static, None)
    keys, scores = AnnIndex.for_encoder(tmp_path, static.identity, static.dim).search(np.asarray(vectors), 1)
    assert int(keys[0, 0]) == index_key(text_hash(bbc.documents[0].content))


def test_a_damaged_index_is_a_one_line_error(tmp_path):
    path = index_path(tmp_path, "static/x", "f16")
    path.parent.mkdir(parents=True)
    path.write_bytes(b"not an index" * 10)
    with pytest.raises(InputError, match="damaged index"):
        AnnIndex(path, 64, "f16")


@pytest.mark.slow  # indexes and searches thousands of documents (20 s)
@needs_bbc
def test_related_uses_the_index_past_the_switch_over_and_agrees_with_exact(tmp_path, monkeypatch):
    corpus = SHARED_DATA / "bbc" / "tech"
    monkeypatch.setattr(sys.modules["simtool.jobs.related"], "SWITCH_OVER", 100)  # the module, not the function
    half = tmp_path / "half.jsonl"  # index half the corpus; `related` adds the rest itself
    docs = prepare_corpus([corpus]).documents
    half.write_text("".join(json.dumps({"id": d.id, "title": d.title, "text": d.text}) + "\n"
                            for d in docs[:200]))
    built = invoke("index", half, "--model", "static", "--no-clean", "--json", "--cache", tmp_path)
    assert built.exit_code == 0, built.stderr
    assert json.loads(built.stdout)["total"] == len({d.content for d in docs[:200]})
    overlaps = []
    for doc_id in [d.id for d in docs[::67]]:
        indexed = invoke("related", corpus, "--doc", doc_id, "--model", "static", "--json", "--cache", tmp_path)
        exact = invoke("related", corpus, "--doc", doc_id, "--model", "static", "--json", "--exact",
                       "--cache", tmp_path)
        assert indexed.exit_code == exact.exit_code == 0, indexed.stderr
        approximate, truth = json.loads(indexed.stdout)["results"], json.loads(exact.stdout)["results"]
        assert len(approximate) == 10
        scores = [hit["score"] for hit in approximate]
        assert scores == sorted(scores, reverse=True)  # candidates rescored exactly, best first
        assert approximate[0] == truth[0]
        true_scores = {hit["id"]: hit["score"] for hit in truth}
        overlaps.append(len(true_scores.keys() & {hit["id"] for hit in approximate}) / 10)
        assert all(true_scores.get(hit["id"], hit["score"]) == hit["score"] for hit in approximate)
    assert np.mean(overlaps) >= 0.9, overlaps
    encoder = get_encoder("static")
    index = AnnIndex.for_encoder(tmp_path, encoder.identity, encoder.dim)
    assert len(index) == len({d.content for d in docs})  # the other half was added by `related`


def test_related_all_lists_each_documents_nearest(tmp_path):
    from tests.conftest import SEED_2015, SEED_2021, SEEDS

    result = invoke("related", SEEDS, "--all", "-k", "3", "--model", "static", "--json", "--cache", tmp_path)
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)["neighbours"]
    assert [n["id"] for n in data[SEED_2015]] == [SEED_2021] and [n["id"] for n in data[SEED_2021]] == [SEED_2015]
    single = json.loads(invoke("related", SEEDS, "--doc", SEED_2015, "--model", "static", "--json",
                               "--cache", tmp_path).stdout)["results"]
    assert data[SEED_2015][0]["score"] == single[0]["score"]
    csv_out = invoke("related", SEEDS, "--all", "--model", "static", "--cache", tmp_path).stdout.splitlines()
    assert csv_out[0] == "id,rank,neighbour,score" and len(csv_out) == 3
    both = invoke("related", SEEDS, "--all", "--doc", SEED_2015, "--cache", tmp_path)
    assert both.exit_code == 2


def test_a_damaged_index_file_is_refused_never_loaded(tmp_path):
    from simtool.errors import InputError
    from simtool.vectors.ann import AnnIndex

    index = AnnIndex(tmp_path / "i.usearch", 8, "f32")
    index.add(np.arange(20), np.random.default_rng(0).normal(size=(20, 8)).astype(np.float32))
    index.save()
    data = bytearray((tmp_path / "i.usearch").read_bytes())
    data[len(data) // 2] ^= 0xFF
    (tmp_path / "i.usearch").write_bytes(bytes(data))
    with pytest.raises(InputError, match="checksum"):
        AnnIndex(tmp_path / "i.usearch", 8, "f32")


def test_the_graph_is_built_with_the_threads_omp_num_threads_allows(monkeypatch):
    from simtool.vectors.ann import _build_threads

    monkeypatch.setenv("OMP_NUM_THREADS", "4,2")
    assert _build_threads() == 4  # OpenMP's nested form: the outer level
    monkeypatch.setenv("OMP_NUM_THREADS", "1")
    assert _build_threads() == 1
    monkeypatch.setenv("OMP_NUM_THREADS", "0")
    assert _build_threads() >= 1  # 0 sets no limit: every core this process may use
