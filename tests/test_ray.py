"""--engine ray: the same vectors and the same near-duplicate groups as the local engine, on a
local Ray instance (`ray.init(num_cpus=2)`), in the same cache."""

from __future__ import annotations

import json

import numpy as np
import pytest
from conftest import SEEDS, needs_bbc
from typer.testing import CliRunner

from simtool.cli import app
from simtool.encoders import get_encoder
from simtool.engines import get_engine
from simtool.io.prepare import prepare_corpus
from simtool.jobs.dedup import find_duplicates
from simtool.vectors.embed import embed
from simtool.vectors.store import VectorStore

ray = pytest.importorskip("ray")
pytestmark = [needs_bbc, pytest.mark.slow]  # a local Ray instance and BBC: about 3 minutes


@pytest.fixture(scope="module")
def engine():
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, configure_logging=False)
    yield get_engine("ray", workers=2)
    ray.shutdown()


def test_embed_gives_the_local_vectors_into_the_same_cache(engine, bbc, tmp_path):
    texts = [doc.content for doc in bbc]
    static = get_encoder("static")
    with VectorStore(tmp_path) as store:
        remote, stats = embed(texts, static, store, engine=engine)
        local, again = embed(texts, static, store)  # the local engine finds everything cached
    assert stats.encoded == 2127 and again.encoded == 0  # 98 duplicate texts encoded once
    np.testing.assert_array_equal(remote, static.encode(texts))
    np.testing.assert_array_equal(local, remote)


def test_a_transformer_travels_to_actors_without_its_weights(minilm):
    import pickle

    minilm.encode(["load the weights here"])
    sent = pickle.dumps(minilm)  # what Ray sends each actor
    assert len(sent) < 100_000
    remote = pickle.loads(sent)
    assert remote.identity == minilm.identity
    np.testing.assert_allclose(remote.encode(["a test sentence"]), minilm.encode(["a test sentence"]), atol=1e-6)


@pytest.mark.parametrize("threshold, containment, partitions", [(0.8, None, 1), (0.5, 0.8, 5)])
def test_dedup_groups_equal_the_local_engine(engine, bbc, threshold, containment, partitions):
    local = find_duplicates(bbc, threshold=threshold, containment_threshold=containment, all_pairs=True)
    distributed = get_engine("ray", partitions=partitions)  # 5: every shuffle crosses partitions
    remote = find_duplicates(bbc, threshold=threshold, containment_threshold=containment, engine=distributed)
    assert len(local.groups) > 50
    assert remote.groups == local.groups  # members, canonical, scores, diffs
    assert remote.pairs == local.pairs  # Ray verifies every candidate, as all_pairs does
    counts = distributed.last_dedup_counts
    assert counts["accepted"] == len(local.pairs) <= counts["distinct_candidates"] <= counts["candidates"]
    default = find_duplicates(bbc, threshold=threshold, containment_threshold=containment)
    assert [g.members for g in default.groups] == [g.members for g in local.groups]


def test_reuse_on_ray_equals_the_local_engine(engine, bbc):
    from simtool.jobs.reuse import find_reuse

    local = find_reuse(bbc)
    remote = find_reuse(bbc, engine=get_engine("ray", partitions=5))
    assert len(local.edges) > 100
    assert remote.to_json() == local.to_json()


@pytest.mark.parametrize("seed", range(4))
def test_distributed_connected_components_equal_scipy(engine, seed):
    import scipy.sparse as sp
    from scipy.sparse.csgraph import connected_components as scipy_components

    from simtool.jobs.dedup.ray import connected_components

    rng = np.random.default_rng(seed)
    n = 400
    edges = rng.integers(0, n, (int(rng.integers(20, 500)), 2))
    edges = np.vstack([edges[edges[:, 0] != edges[:, 1]], [[398, 399]], np.c_[np.arange(300, 340), np.arange(301, 341)]])
    rows, labels = connected_components(edges, parts=3)  # a path of 40 needs several rounds
    _, truth = scipy_components(sp.coo_matrix((np.ones(len(edges)), edges.T), shape=(n, n)), directed=False)
    assert rows.tolist() == np.unique(edges).tolist()
    for component in np.unique(truth[rows]):
        members = rows[truth[rows] == component]
        assert set(labels[truth[rows] == component].tolist()) == {members.min()}


def test_cli_engine_ray(engine, tmp_path):
    runner = CliRunner()
    result = runner.invoke(app, ["embed", str(SEEDS), "--model", "fake", "--engine", "ray", "--json",
                                 "--cache", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["encoded"] == 2
    for command in (["related", str(SEEDS), "--doc", "000_d5a7cd97006a4cee"], ["cluster", str(SEEDS), "--k", "2"],
                    ["dedup", str(SEEDS)]):
        result = runner.invoke(app, [*command, "--model", "fake", "--engine", "ray", "--json", "--cache", str(tmp_path)])
        assert result.exit_code == 0, (command, result.output)
    result = runner.invoke(app, ["dedup", str(SEEDS), "--engine", "spark", "--cache", str(tmp_path)])
    assert result.exit_code == 1 and "--engine must be one of local, ray" in result.stderr


@pytest.fixture(scope="module")
def tech_with_a_bad_record(tmp_path_factory):
    """BBC tech as a folder of text files plus a JSONL file with one bad line."""
    import shutil

    from conftest import SHARED_DATA

    root = tmp_path_factory.mktemp("corpus")
    shutil.copytree(SHARED_DATA / "bbc" / "tech", root / "tech")
    (root / "wire.jsonl").write_text('{"id": "w1", "title": "Wire one", "text": "A wire story about chips."}\n'
                                     '{"id": "w2", "title": broken\n'
                                     '{"id": "w3", "title": "Wire three", "text": "Another wire story."}\n')
    return root


def test_dataset_reading_gives_the_local_documents_and_problems(engine, tech_with_a_bad_record):
    from simtool.errors import InputError

    local = prepare_corpus(tech_with_a_bad_record)
    read = engine.read_documents([tech_with_a_bad_record])
    rows = sorted(read.dataset.take_all(), key=lambda row: row["id"])
    assert read.count == len(local) == 403
    assert [(r["id"], r["title"], r["text"], r["date"]) for r in rows] == \
        sorted((d.id, d.title, d.text, d.date.isoformat() if d.date else None) for d in local)
    assert [str(p) for p in read.problems] == [str(p) for p in local.problems]
    assert "wire.jsonl:2" in str(read.problems[0])
    with pytest.raises(InputError, match="wire.jsonl:2"):
        engine.read_documents([tech_with_a_bad_record], strict=True)


def test_dataset_path_embeds_to_shards_the_local_path_reads_and_clusters_them(engine, tech_with_a_bad_record, tmp_path):
    """cluster --engine ray --shards: read as a Ray Dataset, embedded by the actors into Parquet
    shards, k-means fitted on the shards' sample, assignments written as shards."""
    import pyarrow.parquet as pq
    from sklearn.cluster import KMeans
    from sklearn.metrics import adjusted_rand_score

    from simtool.text.basics import text_hash
    from simtool.vectors.shards import read_shards, shard_files

    runner = CliRunner()
    cache, out = tmp_path / "cache", tmp_path / "out"
    command = ["cluster", str(tech_with_a_bad_record), "--model", "static", "--engine", "ray", "--shards", str(out),
               "--k", "4", "--json", "--cache", str(cache)]
    static = get_encoder("static")
    local = prepare_corpus(tech_with_a_bad_record)
    runs = []
    for run in range(2):  # cold, then from the cache (the vector shards laid out differently)
        result = runner.invoke(app, command)
        assert result.exit_code == 0, result.output
        summary = json.loads(result.stdout)
        runs.append(pq.read_table(out / "clusters").to_pandas().sort_values("id"))
        files = shard_files(out / "vectors", static.identity)
        ids = [i for batch in read_shards(files, ("id",)) for i in batch["id"]]
        assert sorted(ids) == sorted(local.ids)  # a rerun replaces the shards it wrote before
        if run == 0:
            vectors = np.vstack([batch["vector"] for batch in read_shards(files, ("vector",))])
            np.testing.assert_array_equal(vectors, static.encode([local.get(i).content for i in ids]))
            with VectorStore(cache) as store:  # the local path finds every vector, in the shards
                _, stats = embed([doc.content for doc in local], static, store)
                assert stats.encoded == 0 and store.count() == 0
    assert summary["documents"] == 403 and summary["k"] == 4
    sizes = [c["size"] for c in summary["clusters"]]
    assert sum(sizes) == 403 and sizes == sorted(sizes, reverse=True)
    assert all(len(c["terms"]) >= 3 for c in summary["clusters"])
    assert runs[0]["id"].tolist() == runs[1]["id"].tolist() and len(runs[0]) == 403
    assert runs[0]["cluster"].tolist() == runs[1]["cluster"].tolist()  # deterministic for the seed
    # A corpus within the sample is clustered whole: k-means on every vector, in text-hash order.
    contents = [local.get(i).content for i in runs[0]["id"]]
    vectors = static.encode(contents)
    order = sorted(range(len(contents)), key=lambda r: text_hash(contents[r]))
    fitted = KMeans(4, n_init=3, random_state=0).fit(vectors[order])
    assert adjusted_rand_score(fitted.predict(vectors), runs[0]["cluster"]) == 1.0
    result = runner.invoke(app, ["cluster", str(tech_with_a_bad_record), "--shards", str(tmp_path / "x")])
    assert result.exit_code != 0 and "--engine ray" in result.output


def test_embed_shards_cli_on_both_engines(engine, tmp_path):
    runner = CliRunner()
    for engine_name in ("local", "ray"):
        out = tmp_path / engine_name
        result = runner.invoke(app, ["embed", str(SEEDS), "--model", "static", "--engine", engine_name, "--shards",
                                     str(out), "--json", "--cache", str(tmp_path / "cache")])
        assert result.exit_code == 0, result.output
        summary = json.loads(result.stdout)
        assert summary["texts"] == 2 and summary["shards"] >= 1
        assert summary["encoded"] == (2 if engine_name == "local" else 0)  # the second run finds them cached
    result = runner.invoke(app, ["embed", str(SEEDS), "--model", "tfidf", "--shards", str(tmp_path / "t")])
    assert result.exit_code != 0 and "--shards" in result.output


def test_dedup_of_a_dataset_corpus_equals_the_local_groups(engine, bbc, tmp_path):
    import pyarrow.parquet as pq
    from conftest import SHARED_DATA

    local = find_duplicates(bbc, all_pairs=True)
    result = CliRunner().invoke(app, ["dedup", str(SHARED_DATA / "bbc"), "--engine", "ray", "--shards", str(tmp_path),
                                      "--json"])
    assert result.exit_code == 0, result.output
    groups = json.loads(result.stdout)["groups"]
    assert [(g["canonical"], g["members"]) for g in groups] == [(g.canonical, g.members) for g in local.groups]
    assert [[(m["id"], m["jaccard"], m["added"]) for m in g["details"]] for g in groups] == \
        [[(m.id, m.jaccard, list(m.added)) for m in g.details] for g in local.groups]
    members = pq.read_table(tmp_path).to_pandas()
    assert len(members) == sum(len(g.members) for g in local.groups)
    assert set(members["canonical"]) == {g.canonical for g in local.groups}


def test_a_parquet_file_is_read_in_parts_with_the_local_ids(engine, tmp_path, monkeypatch):
    import pyarrow as pa
    import pyarrow.parquet as pq

    import simtool.io.corpus
    from simtool.io.corpus import load_corpus, plan_units

    texts = [f"Story {i}: the council voted on plan {i % 7} after a long debate." for i in range(3000)]
    titles = [f"T{i}" for i in range(3000)]
    texts[1234] = titles[1234] = ""  # a bad record in the second part
    pq.write_table(pa.table({"text": texts, "title": titles}), tmp_path / "big.parquet", row_group_size=500)
    monkeypatch.setattr(simtool.io.corpus, "ROWS_PER_UNIT", 1000)
    assert [u["row_groups"] for u in plan_units([tmp_path])[0]] == [(0, 2), (2, 4), (4, 6)]
    local = load_corpus([tmp_path])
    read = engine.read_documents([tmp_path], clean=False)
    assert sorted((r["id"], r["text"]) for r in read.dataset.take_all()) == sorted((d.id, d.text) for d in local)
    assert [str(p) for p in read.problems] == [str(p) for p in local.problems] and "big.parquet:1235" in str(read.problems[0])


def test_stray_dates_are_dropped_on_the_dataset_path_as_locally(engine, tmp_path):
    import json

    path = tmp_path / "dated.jsonl"
    rows = [{"id": f"d{i}", "text": f"Story {i} about the council budget and the vote.", "date": f"201{i % 6}-03-0{1 + i % 9}"}
            for i in range(30)] + [{"id": "lone", "text": "A story with a typo in its year.", "date": "1850-06-01"},
                                   {"id": "epoch", "text": "A placeholder date.", "date": "1970-01-01"}]
    path.write_text("\n".join(json.dumps(r) for r in rows))
    local = prepare_corpus([path], clean=False)
    read = engine.read_documents([path], clean=False)
    dates = {row["id"]: row["date"] for row in read.dataset.take_all()}
    assert dates["lone"] is None and dates["epoch"] is None and dates["d3"] == "2013-03-04"
    assert {d.id: (d.date.isoformat() if d.date else None) for d in local} == dates
    assert sorted(str(p) for p in read.problems) == sorted(str(p) for p in local.problems)
    assert len(read.problems) == 2
