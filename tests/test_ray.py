"""--engine ray: the same vectors and the same near-duplicate groups as the local engine, on a
local Ray instance (`ray.init(num_cpus=2)`), in the same cache."""

from __future__ import annotations

import json

import numpy as np
import pytest
from conftest import SEEDS, needs_bbc
from typer.testing import CliRunner

from simtool.cli import app
from simtool.dedup import find_duplicates
from simtool.embed import embed
from simtool.encoders import get_encoder
from simtool.engines import get_engine
from simtool.prepare import prepare_corpus
from simtool.store import VectorStore

ray = pytest.importorskip("ray")
pytestmark = needs_bbc


@pytest.fixture(scope="module")
def engine():
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, configure_logging=False)
    yield get_engine("ray", workers=2)
    ray.shutdown()


@pytest.fixture(scope="module")
def bbc():
    from conftest import SHARED_DATA

    return prepare_corpus(SHARED_DATA / "bbc")


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


@pytest.mark.parametrize("seed", range(4))
def test_distributed_connected_components_equal_scipy(engine, seed):
    import scipy.sparse as sp
    from scipy.sparse.csgraph import connected_components as scipy_components

    from simtool.engines.ray_dedup import connected_components

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
