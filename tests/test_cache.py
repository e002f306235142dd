"""The vector cache: a second run embeds nothing; an interrupted run loses only its last batch;
two runs at once on one cache neither fail nor corrupt it."""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from simtool.encoders.fake import FakeEncoder
from simtool.vectors.embed import embed
from simtool.vectors.store import VectorStore

TEXTS = [f"Article number {i} about topic {i % 7}." for i in range(50)]


def test_second_run_embeds_nothing(tmp_path: Path):
    encoder = FakeEncoder()
    with VectorStore(tmp_path) as store:
        first, stats = embed(TEXTS, encoder, store, batch_size=16)
        assert (stats.encoded, encoder.texts_seen) == (50, 50)
        second, stats = embed(TEXTS, encoder, store, batch_size=16)
    assert stats.encoded == 0 and stats.cached == 50
    assert encoder.texts_seen == 50  # the encoder was not called again
    np.testing.assert_array_equal(first, second)


def test_equal_texts_are_encoded_once(tmp_path: Path):
    encoder = FakeEncoder()
    with VectorStore(tmp_path) as store:
        vectors, stats = embed(["same", "same", "other"], encoder, store)
    assert stats.encoded == 2 and encoder.texts_seen == 2
    np.testing.assert_array_equal(vectors[0], vectors[1])


def test_cache_keys_include_the_encoder_identity(tmp_path: Path):
    with VectorStore(tmp_path) as store:
        embed(TEXTS, FakeEncoder(dim=16), store)
        _, stats = embed(TEXTS, FakeEncoder(dim=32), store)
    assert stats.encoded == 50


def test_rows_are_l2_normalised_float32(tmp_path: Path):
    with VectorStore(tmp_path) as store:
        vectors, _ = embed(TEXTS, FakeEncoder(), store)
    assert vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, rtol=1e-5)


SLOW_RUN = textwrap.dedent("""
    import sys, time
    from simtool.vectors.embed import embed
    from simtool.encoders.fake import FakeEncoder
    from simtool.vectors.store import VectorStore

    class Slow(FakeEncoder):
        def encode(self, texts):
            time.sleep(float(sys.argv[2]))
            return super().encode(texts)

    texts = [f"text {i}" for i in range(int(sys.argv[3]))]
    with VectorStore(sys.argv[1]) as store:
        _, stats = embed(texts, Slow(), store, batch_size=10,
                         progress=lambda done, total: print(done, flush=True))
    print("encoded", stats.encoded, flush=True)
""")


def _run(cache: Path, delay: float, n: int) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", SLOW_RUN, str(cache), str(delay), str(n)],
                            stdout=subprocess.PIPE, text=True, cwd=Path(__file__).resolve().parents[1])


def test_a_run_killed_halfway_leaves_a_cache_the_next_run_reuses(tmp_path: Path):
    proc = _run(tmp_path, 0.3, 100)
    for line in proc.stdout:  # wait until some batches are committed
        if line.strip() == "30":
            break
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    with VectorStore(tmp_path) as store:
        saved = store.count()
    assert 30 <= saved < 100
    encoder = FakeEncoder()
    with VectorStore(tmp_path) as store:
        vectors, stats = embed([f"text {i}" for i in range(100)], encoder, store)
    assert stats.cached == saved and stats.encoded == 100 - saved
    np.testing.assert_allclose(vectors, FakeEncoder().encode([f"text {i}" for i in range(100)]), rtol=1e-6)


def test_two_runs_at_once_on_one_cache(tmp_path: Path):
    procs = [_run(tmp_path, 0.02, 200), _run(tmp_path, 0.02, 200)]
    outputs = [p.communicate(timeout=120)[0] for p in procs]
    assert [p.returncode for p in procs] == [0, 0]
    assert all("encoded" in out for out in outputs)
    with VectorStore(tmp_path) as store:
        assert store.count() == 200
        check = store._db.execute("PRAGMA integrity_check").fetchone()[0]
    assert check == "ok"


def _schema_version(path: Path) -> int:
    import sqlite3

    db = sqlite3.connect(path / "vectors.sqlite3")
    try:
        return db.execute("PRAGMA user_version").fetchone()[0]
    finally:
        db.close()


def test_a_new_cache_carries_the_schema_version(tmp_path: Path):
    from simtool.vectors.store import SCHEMA_VERSION

    with VectorStore(tmp_path):
        pass
    assert _schema_version(tmp_path) == SCHEMA_VERSION == 1


def test_a_cache_from_before_versions_is_upgraded_with_a_message_and_keeps_its_vectors(tmp_path: Path):
    import sqlite3

    import pytest

    from simtool.errors import CacheUpgraded

    encoder = FakeEncoder()
    with VectorStore(tmp_path) as store:
        vectors, _ = embed(TEXTS[:5], encoder, store)
    db = sqlite3.connect(tmp_path / "vectors.sqlite3")
    db.execute("PRAGMA user_version = 0")  # as simtool wrote it before the schema had a version
    db.commit()
    db.close()
    with pytest.warns(CacheUpgraded, match="upgraded from schema 0 to 1"), VectorStore(tmp_path) as store:
        again, stats = embed(TEXTS[:5], FakeEncoder(), store)
    assert stats.cached == 5 and _schema_version(tmp_path) == 1
    np.testing.assert_array_equal(vectors, again)


def test_a_cache_from_a_newer_simtool_is_refused_never_misread(tmp_path: Path):
    import sqlite3

    import pytest
    from typer.testing import CliRunner

    from simtool.cli import app
    from simtool.errors import InputError

    with VectorStore(tmp_path):
        pass
    db = sqlite3.connect(tmp_path / "vectors.sqlite3")
    db.execute("PRAGMA user_version = 7")
    db.commit()
    db.close()
    with pytest.raises(InputError, match="written by a newer simtool"):
        VectorStore(tmp_path)
    assert _schema_version(tmp_path) == 7 and not list(tmp_path.glob("*.damaged-*"))  # left as it was
    seeds = Path(__file__).resolve().parents[1] / "seeds"
    result = CliRunner().invoke(app, ["embed", str(seeds), "--model", "fake", "--cache", str(tmp_path)])
    assert result.exit_code == 1 and "newer simtool" in result.stderr and "Traceback" not in result.output


def test_a_cache_another_process_is_writing_is_opened_or_waited_for_never_moved_aside(tmp_path: Path):
    import sqlite3

    import pytest

    with VectorStore(tmp_path):
        pass
    writer = sqlite3.connect(tmp_path / "vectors.sqlite3", isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # another run holds the write lock
    try:
        with VectorStore(tmp_path, timeout=0.2) as store:  # a current cache: opened without the lock
            assert store.count() == 0
        writer.execute("PRAGMA user_version = 0")  # an old cache needs the lock to be upgraded
        writer.execute("COMMIT")
        writer.execute("BEGIN IMMEDIATE")
        from simtool.errors import InputError

        with pytest.raises(InputError, match="locked"):  # one line for the user, not a traceback
            VectorStore(tmp_path, timeout=0.2)
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert not list(tmp_path.glob("*.damaged-*"))


def test_a_healthy_cache_that_cannot_be_written_is_read_not_moved_aside(tmp_path, monkeypatch):
    import sqlite3

    from simtool.errors import CacheReadOnly, InputError
    from simtool.vectors import store as store_module
    from simtool.vectors.store import VectorStore

    with VectorStore(tmp_path) as store:
        store.put_many("enc", [(b"k" * 32, np.ones(4, np.float32))])
    real_open = VectorStore._open

    def read_only_folder(self):
        raise sqlite3.OperationalError("attempt to write a readonly database")

    monkeypatch.setattr(VectorStore, "_open", read_only_folder)
    with pytest.warns(CacheReadOnly), VectorStore(tmp_path) as store:
        assert store.read_only and list(store.get_many("enc", [b"k" * 32])) == [b"k" * 32]
        store.put_many("enc", [(b"n" * 32, np.ones(4, np.float32))])  # computed, not kept
    assert not list(tmp_path.glob("*.damaged-*"))
    monkeypatch.setattr(VectorStore, "_open", real_open)

    def full(db):
        raise sqlite3.OperationalError("database or disk is full")

    with VectorStore(tmp_path) as store:
        with pytest.raises(InputError, match="disk is full.*stays usable"):
            store._guarded(full)
    assert not list(tmp_path.glob("*.damaged-*")) and store_module.FILENAME in {p.name for p in tmp_path.iterdir()}


def test_a_stored_vector_of_another_size_is_computed_again(tmp_path):
    from simtool.encoders import get_encoder
    from simtool.text.basics import text_hash
    from simtool.vectors.embed import embed
    from simtool.vectors.store import VectorStore

    encoder = get_encoder("fake")
    with VectorStore(tmp_path) as store:
        store.put_many(encoder.identity, [(text_hash("one"), np.ones(10, np.float32))])  # damage: 10, not 64
        vectors, stats = embed(["one", "two"], encoder, store)
    assert vectors.shape == (2, encoder.dim) and stats.encoded == 2


def test_the_default_cache_is_the_users_wherever_simtool_runs(tmp_path, monkeypatch):
    from simtool.state import default_cache_dir

    monkeypatch.delenv("SIMTOOL_CACHE", raising=False)
    monkeypatch.setenv("SIMTOOL_STATE", str(tmp_path / "state"))
    monkeypatch.chdir(tmp_path)
    assert default_cache_dir() == tmp_path / "state" / "embeddings"
    monkeypatch.setenv("SIMTOOL_CACHE", str(tmp_path / "mine"))
    assert default_cache_dir() == tmp_path / "mine"
