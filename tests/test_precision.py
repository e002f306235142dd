"""Precision: what `auto` picks per hardware, the float32 quality guard, and the cache key."""

from __future__ import annotations

import json
import warnings

import numpy as np
import pytest

from simtool.encoders.precision import (
    PrecisionChecks,
    PrecisionFallback,
    choose_precision,
    probe_texts,
    reduced_precision,
)
from simtool.encoders.registry import minilm_dir
from simtool.encoders.transformer import TransformerEncoder
from simtool.errors import InputError
from simtool.vectors.embed import embed
from simtool.vectors.store import VectorStore


@pytest.mark.parametrize("flags, expected", [
    ({"avx512f", "avx512_bf16", "avx512_vnni"}, "bfloat16"),  # Cooper Lake, Sapphire Rapids
    ({"avx512f", "avx512_vnni"}, "int8"),  # Cascade Lake, Ice Lake: VNNI but no BF16
    ({"avx2", "fma"}, "float32"),
    ({"fp", "asimd", "asimddp"}, "int8"),  # Arm with dot product
    (set(), "float32"),
])
def test_auto_picks_what_the_cpu_runs_natively(flags, expected):
    assert choose_precision("auto", "cpu", flags) == expected
    assert choose_precision("float32", "cpu", flags) == "float32"  # an explicit choice is kept


def test_auto_on_a_gpu_asks_torch_for_bfloat16(monkeypatch):
    import torch

    monkeypatch.setattr(torch.cuda, "is_bf16_supported", lambda *a, **k: True)
    assert choose_precision("auto", "cuda") == "bfloat16"
    monkeypatch.setattr(torch.cuda, "is_bf16_supported", lambda *a, **k: False)
    assert choose_precision("auto", "cuda:1") == "float32"


def test_bad_precision_and_missing_cuda_are_one_line_errors():
    with pytest.raises(InputError, match="--precision must be one of"):
        choose_precision("fp8", "cpu")
    import torch

    if not torch.cuda.is_available():
        with pytest.raises(InputError, match="no CUDA device"):
            TransformerEncoder(minilm_dir(), name="minilm", device="cuda")


def test_int8_is_refused_on_a_gpu():
    class OnGpu:
        class device:
            type = "cuda"

    with pytest.raises(InputError, match="CPU only"):
        reduced_precision(OnGpu(), "int8")


def test_a_precision_that_drifts_falls_back_to_float32_once_per_machine(tmp_path):
    checks = PrecisionChecks(tmp_path)
    # No real precision drifts this far, so a guard of cosine 1.0 stands in for a bad kernel.
    encoder = TransformerEncoder(minilm_dir(), name="minilm", precision="int8", checks=checks, min_cosine=1.0)
    with pytest.warns(PrecisionFallback, match="using float32"):
        assert encoder.identity.endswith("/float32")
    (verdict,) = json.loads(checks.path.read_text()).values()
    assert verdict["passed"] is False and verdict["precision"] == "int8" and verdict["min_cosine"] < 1.0
    again = TransformerEncoder(minilm_dir(), name="minilm", precision="int8", checks=checks, min_cosine=1.0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the verdict is remembered: no second check, no warning
        assert again.identity.endswith("/float32")
    assert "_float32" not in vars(again)  # and deciding it loaded no model


def test_a_precision_that_passes_is_used_and_keys_its_own_vectors(tmp_path):
    checks = PrecisionChecks(tmp_path / "state")
    float32 = TransformerEncoder(minilm_dir(), name="minilm", precision="float32", checks=checks)
    reduced = TransformerEncoder(minilm_dir(), name="minilm", precision="bfloat16", checks=checks)
    assert reduced.identity.endswith("/bfloat16+unit32") and float32.identity.endswith("/float32")
    texts = probe_texts()
    with VectorStore(tmp_path / "cache") as store:
        exact, first = embed(texts, float32, store)
        approx, second = embed(texts, reduced, store)
    assert first.encoded == second.encoded == len(texts)  # one cache entry per precision
    cosines = np.einsum("ij,ij->i", exact, approx)
    assert cosines.min() >= 0.99 and approx.dtype == np.float32


def test_a_damaged_verdict_file_means_checking_again(tmp_path):
    checks = PrecisionChecks(tmp_path)
    checks.path.write_text("{not json")
    assert checks.get("anything") is None
    checks.put("key", {"passed": True, "min_cosine": 0.999})
    assert checks.get("key")["passed"] is True
