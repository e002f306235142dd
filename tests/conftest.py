"""Shared fixtures. No test reaches a model hub: HF_HUB_OFFLINE is set before any import."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile

os.environ["HF_HUB_OFFLINE"] = "1"
# Precision verdicts (a machine-level fact) go to a folder of this test session, not to ~/.cache; it is
# removed when the process ends (each xdist worker makes its own).
os.environ["SIMTOOL_STATE"] = tempfile.mkdtemp(prefix="simtool-state-")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
if os.environ.get("PYTEST_XDIST_WORKER"):
    # One thread a worker: the workers already fill the cores, and k-means' and BLAS's own threads on
    # top of them made the clustering tests several times slower than alone.
    for variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(variable, "1")

from pathlib import Path

import pytest

atexit.register(shutil.rmtree, os.environ["SIMTOOL_STATE"], ignore_errors=True)
ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
SHARED_DATA = ROOT.parent / "shared" / "data"
SEED_2015 = "000_d5a7cd97006a4cee"
SEED_2021 = "002_022b7fbaa8d3c034"


@pytest.fixture(scope="session")
def minilm():
    """The real packaged all-MiniLM-L6-v2, loaded once for the session."""
    from simtool.encoders import get_encoder

    return get_encoder("minilm")


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh vector cache, also the CLI's default through SIMTOOL_CACHE."""
    path = tmp_path / "cache"
    monkeypatch.setenv("SIMTOOL_CACHE", str(path))
    return path


def bbc_available() -> bool:
    return (SHARED_DATA / "bbc").is_dir()


needs_bbc = pytest.mark.skipif(not bbc_available(), reason="../shared/data/bbc is not beside the project")


@pytest.fixture(scope="session")
def bbc_raw():
    """BBC News as loaded (2,225 articles), once per test process."""
    if not bbc_available():
        pytest.skip("../shared/data/bbc is not beside the project")
    from simtool.io.corpus import load_corpus

    return load_corpus([SHARED_DATA / "bbc"])


@pytest.fixture(scope="session")
def bbc(bbc_raw):
    """BBC News loaded and cleaned (what `prepare_corpus` gives), once per test process."""
    from simtool.io.prepare import clean_corpus

    return clean_corpus(bbc_raw)
