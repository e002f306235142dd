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


@pytest.mark.parametrize("threshold, containment", [(0.8, None), (0.5, 0.8)])
def test_dedup_groups_equal_the_local_engine(engine, bbc, threshold, containment):
    local = find_duplicates(bbc, threshold=threshold, containment_threshold=containment, describe=False)
    remote = find_duplicates(bbc, threshold=threshold, containment_threshold=containment, describe=False,
                             engine=engine)
    assert len(local.groups) > 50
    assert [sorted(g.members) for g in remote.groups] == [sorted(g.members) for g in local.groups]
    assert remote.pairs == local.pairs


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
