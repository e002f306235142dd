"""The reliability battery: broken, huge and hostile input, damaged caches, protected outputs,
interrupted runs. Each case: the usable documents are processed, each problem is reported once
with its place, the exit is non-zero only when nothing usable is left (or under --strict)."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import SEEDS, SHARED_DATA
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from simtool import clean_text, compare, corpus_from_texts, find_drift, find_duplicates, find_reuse, related
from simtool.cli import app
from simtool.encoders import get_encoder
from simtool.errors import SimtoolError
from simtool.io.corpus import Corpus, load_corpus
from simtool.io.document import Document
from simtool.jobs.analyze import analyze
from simtool.jobs.cluster import cluster_corpus
from simtool.report import render_report
from simtool.vectors.store import VectorStore

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[1]


def embed_json(*args: str) -> tuple[int, dict | None, str]:
    result = runner.invoke(app, ["embed", *args, "--model", "fake", "--json"])
    data = json.loads(result.stdout) if result.exit_code == 0 else None
    return result.exit_code, data, result.stderr


# 1. Files ------------------------------------------------------------------------------------

def test_a_folder_of_broken_files_keeps_the_good_ones_and_names_each_bad_one_once(tmp_path, cache_dir, monkeypatch):
    folder = tmp_path / "mixed"
    (folder / "deep" / "er").mkdir(parents=True)
    (folder / "good.txt").write_text("Good headline\n\nA body with a few words about the economy.")
    (folder / "deep" / "er" / "latin1.txt").write_bytes("Caf\xe9 owners said prices rose by \xa35.".encode("latin-1"))
    (folder / "utf16.txt").write_bytes("Storm warning\n\nWinds of 100 km/h are expected.".encode("utf-16"))
    (folder / "empty.txt").write_bytes(b"")
    (folder / "blank.txt").write_text("  \n\t\n ")
    (folder / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20)
    (folder / "huge.txt").write_text("word " * (2 * 2**20 // 5 + 10))  # over the 1 MB limit set below
    (folder / "loop").symlink_to(folder, target_is_directory=True)
    (folder / "locked.txt").write_text("You cannot read me.")
    (folder / "gone.txt").write_text("I vanish while the folder is read.")
    monkeypatch.setenv("SIMTOOL_MAX_FILE_MB", "1")
    real_read = Path.read_bytes

    def read_bytes(self):
        if self.name == "locked.txt":  # tests run as root, where chmod 000 stops nobody
            raise PermissionError(13, "Permission denied", str(self))
        if self.name == "gone.txt":
            raise FileNotFoundError(2, "No such file or directory", str(self))
        return real_read(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    code, data, stderr = embed_json(str(folder))
    assert code == 0 and data["texts"] == 3
    for name, reason in [("empty.txt", "empty file"), ("blank.txt", "only whitespace"), ("binary.txt", "binary"),
                         ("huge.txt", "more than the 1 MB"), ("locked.txt", "Permission denied"),
                         ("gone.txt", "disappeared")]:
        lines = [line for line in stderr.splitlines() if f"{name}:" in line]
        assert len(lines) == 1 and reason.lower() in lines[0].lower(), (name, stderr)
    assert "skipped 7 file(s) or record(s); the rest were loaded" in stderr  # the link to a folder is said too
    assert "loop: a link to a folder: not followed" in stderr  # so it cannot trap the walk, and it says so

    code, _, stderr = embed_json(str(folder), "--strict")
    assert code == 1 and len(stderr.strip().splitlines()) == 1


def test_nothing_usable_left_is_the_only_non_zero_exit(tmp_path, cache_dir):
    (tmp_path / "a.txt").write_bytes(b"")
    (tmp_path / "b.txt").write_bytes(b"\x00\x01\x02" * 100)
    code, _, stderr = embed_json(str(tmp_path))
    assert code == 1 and "no usable documents" in stderr and "Traceback" not in stderr


def test_a_200_mb_file_is_refused_without_reading_it(tmp_path, cache_dir):
    big = tmp_path / "dump.txt"
    with big.open("wb") as out:
        out.truncate(200 * 2**20)  # sparse: 200 MB on paper, no time to write
    (tmp_path / "ok.txt").write_text("A normal article about the weather.")
    code, data, stderr = embed_json(str(tmp_path))
    assert code == 0 and data["texts"] == 1
    assert "dump.txt: 200 MB, more than the 64 MB read as one document" in stderr


@pytest.mark.slow  # writes and loads 100,000 files (15 s)
def test_100000_tiny_files_in_nested_folders(tmp_path):
    root = tmp_path / "many"
    for i in range(100_000):
        folder = root / f"d{i % 100}" / f"e{i % 7}"
        if i < 700:
            folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{i}.txt").write_text(f"Tiny article {i}.\nIt reports item {i % 97}.")
    corpus = load_corpus(root)
    assert len(corpus) == 100_000 and not corpus.problems
    assert len(set(corpus.ids)) == 100_000


# 2. Records ----------------------------------------------------------------------------------

def test_jsonl_records_of_every_wrong_shape(tmp_path, cache_dir):
    path = tmp_path / "feed.jsonl"
    path.write_text("\n".join([
        '{"id": "ok", "text": "A usable article."}', "{broken", '{"id": "missing"}', '{"id": "null", "text": null}',
        '{"id": "number", "text": 42}', '{"id": "list", "text": ["a", "b"]}', '"just a string"',
        '{"id": "ok2", "text": "Another usable one.", "date": "2021-02-30"}',
        '{"id": "ok3", "text": "From the future.", "date": "2099-01-01"}',
        '{"id": "ok4", "text": "Dated in words.", "date": "March 3, 2015"}',
    ]) + "\n")
    corpus = load_corpus(path)
    assert corpus.ids == ["ok", "ok2", "ok3", "ok4"]
    problems = {p.line: p.message for p in corpus.problems}
    assert "not valid JSON" in problems[2] and "no text field" in problems[3] and "no text field" in problems[4]
    assert "int, not a string" in problems[5] and "list, not a string" in problems[6]
    assert "not an object" in problems[7]
    assert "not a date; kept without a date" in problems[8] and "in the future" in problems[9]
    assert str(corpus.get("ok4").date) == "2015-03-03" and corpus.get("ok2").date is None


def test_a_jsonl_file_holding_one_array(tmp_path):
    path = tmp_path / "array.jsonl"
    path.write_text('[{"id": "x", "text": "first"}, {"id": "y", "text": "second"}]')
    assert load_corpus(path).ids == ["x", "y"]


def test_csv_with_bom_semicolons_quoted_newlines_and_ragged_rows(tmp_path):
    path = tmp_path / "export.csv"
    path.write_bytes("\ufeffid;title;text\n1;One;\"first line\nsecond line\"\n2;Two;body two;surplus\n3\n".encode())
    corpus = load_corpus(path)
    # A row with more cells than the header is not reshaped to fit: which cell is surplus is unknown.
    assert corpus.ids == ["1"] and corpus.get("1").text == "first line\nsecond line"
    messages = [str(p) for p in corpus.problems]
    assert any(":4:" in m and "more cells than the header" in m for m in messages) and any(":5:" in m for m in messages)


def test_parquet_with_a_numeric_text_column_is_reported(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.table({"id": [1, 2], "text": [5, 6]}), tmp_path / "bad.parquet")
    pq.write_table(pa.table({"id": [1], "text": ["fine"]}), tmp_path / "good.parquet")
    corpus = load_corpus(tmp_path)
    assert len(corpus) == 1
    assert any("column 'text' holds int64, not text" in str(p) for p in corpus.problems)


def test_duplicate_ids_are_kept_apart_and_reported(tmp_path):
    path = tmp_path / "dups.jsonl"
    path.write_text('{"id": "a", "text": "one"}\n{"id": "a", "text": "two"}\n')
    corpus = load_corpus(path)
    assert len(corpus) == 2 and len(set(corpus.ids)) == 2
    assert any("duplicate id" in str(p) for p in corpus.problems)


# 3. Pathological text ------------------------------------------------------------------------

PATHOLOGICAL = {
    "one 5 MB line": "word " * (5 * 2**20 // 5),
    "one repeated word": "buffalo " * 5000,
    "only punctuation": "!?.,;:-" * 2000,
    "right to left and combining": "مرحبا بالعالم " * 50 + "e\u0301\u0302\u0303 " * 200 + "\u202e reversed \u202c",
    "control characters": "A line\x00 with\x07 bell\x1b[31m and escapes\x0c\x0b\r\n" * 100,
}


@pytest.mark.parametrize("name", list(PATHOLOGICAL))
def test_pathological_texts_load_clean_and_embed(tmp_path, cache_dir, name):
    text = PATHOLOGICAL[name]
    path = tmp_path / "odd.txt"
    path.write_text(text, encoding="utf-8")
    (tmp_path / "normal.txt").write_text("A normal article beside it.")
    clean_text(text)
    code, data, stderr = embed_json(str(tmp_path))
    assert code == 0 and data["texts"] in (1, 2), stderr


def _seconds_to_clean(text: str) -> float:
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        clean_text(text)
        best = min(best, time.perf_counter() - start)
    return best


ADVERSARIAL = {  # inputs that make backtracking regular expressions go quadratic or worse
    "spaces without a word": " " * 2**20,
    "a long word": "a" * 2**20,
    "dots and spaces": ". " * 2**19,
    "half a URL": ("http://" + "a." * 64) * (2**20 // 135),
    "nested punctuation": "((((([[[[{{{{" * (2**20 // 13),
    "one long line of short words": "ab " * (2**20 // 3),
}


@pytest.mark.parametrize("name", list(ADVERSARIAL))
def test_the_cleaner_stays_linear_on_adversarial_input(name):
    big = ADVERSARIAL[name][: 2**20]
    small = big[: 2**18]
    # Not a wall-clock limit: the ratio of 1 MB to 256 KB is ~4 for a linear cleaner, 16 for a
    # quadratic one. 8 leaves room for noise.
    ratio = _seconds_to_clean(big) / max(_seconds_to_clean(small), 1e-4)
    assert ratio < 8, ratio


# 4. Hostile content in outputs ---------------------------------------------------------------

HOSTILE = "=HYPERLINK(\"http://evil\")"


def test_csv_outputs_neutralise_formulas(tmp_path, cache_dir):
    path = tmp_path / "hostile.jsonl"
    rows = [{"id": f"{prefix}id{i}", "title": f"{prefix}cmd|' /C calc'!A0", "text": f"Story number {i} " * 30}
            for i, prefix in enumerate(["=", "+", "-", "@", "\t"])]
    rows.append({"id": "=copy", "title": HOSTILE, "text": rows[0]["text"]})  # a duplicate of id0
    path.write_text("\n".join(json.dumps(r) for r in rows))
    out = tmp_path / "assign.csv"
    result = runner.invoke(app, ["cluster", str(path), "--model", "tfidf", "--k", "2", "--out", str(out)])
    assert result.exit_code == 0, result.output
    dedup = runner.invoke(app, ["dedup", str(path), "--csv", "--write-deduplicated", str(tmp_path / "d.jsonl")])
    assert dedup.exit_code == 0, dedup.output
    for text in (out.read_text(), dedup.stdout, (tmp_path / "d.jsonl.mapping.csv").read_text()):
        for row in csv.reader(io.StringIO(text)):
            for cell in row:
                assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), (cell, text[:200])


# 5. The cache and outputs --------------------------------------------------------------------

def test_a_damaged_cache_is_moved_aside_and_rebuilt(tmp_path):
    (tmp_path / "vectors.sqlite3").write_bytes(os.urandom(8192))
    process = _simtool("embed", str(SEEDS), "--model", "fake", "--json", cache=tmp_path)
    out, err = process.communicate(timeout=120)
    assert process.returncode == 0 and json.loads(out)["encoded"] == 2
    assert "simtool: warning:" in err and "vector cache is damaged (file is not a database)" in err
    assert len(err.strip().splitlines()) == 1
    assert any(p.name.startswith("vectors.sqlite3.damaged-") for p in tmp_path.iterdir())


def test_a_truncated_cache_is_never_read_as_vectors(tmp_path):
    texts = [f"text number {i} " * 20 for i in range(3000)]
    encoder = get_encoder("fake")
    with VectorStore(tmp_path) as store:
        from simtool.vectors.embed import embed

        exact, _ = embed(texts, encoder, store)
        store._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    path = tmp_path / "vectors.sqlite3"
    with path.open("r+b") as handle:
        handle.truncate(path.stat().st_size // 3)
    with pytest.warns(UserWarning, match="damaged"), VectorStore(tmp_path) as store:
        again, stats = embed(texts, encoder, store)
    assert (again == exact).all() and stats.encoded > 0


def test_a_cached_row_of_the_wrong_size_is_recomputed(tmp_path):
    encoder = get_encoder("fake")
    from simtool.text.basics import text_hash
    from simtool.vectors.embed import embed

    with VectorStore(tmp_path) as store:
        good, _ = embed(["hello there"], encoder, store)
        store._db.execute("UPDATE vectors SET vector = ? WHERE text_hash = ?", [b"\x00\x01\x02", text_hash("hello there")])
        again, stats = embed(["hello there"], encoder, store)
    assert stats.encoded == 1 and (again == good).all()


def test_outputs_never_replace_a_file_simtool_did_not_write(tmp_path, cache_dir):
    out = tmp_path / "assignments.csv"
    out.write_text("precious spreadsheet\n")
    args = ["cluster", str(SEEDS), "--model", "tfidf", "--k", "2", "--out", str(out)]
    refused = runner.invoke(app, args)
    assert refused.exit_code == 1 and "use --force" in refused.stderr
    assert out.read_text() == "precious spreadsheet\n"
    assert runner.invoke(app, [*args, "--force"]).exit_code == 0
    assert runner.invoke(app, args).exit_code == 0  # simtool wrote it: a rerun may replace it
    out.write_text(out.read_text() + "my note\n")
    assert runner.invoke(app, args).exit_code == 1  # edited since: protected again
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_nothing_is_read_back_with_pickle():
    sources = [p.read_text() for p in (ROOT / "simtool").rglob("*.py")]
    assert not any("import pickle" in s or "pickle.load" in s or "joblib.load" in s for s in sources)


# 6. Interruption and concurrency -------------------------------------------------------------

def _simtool(*args: str, cache: Path) -> subprocess.Popen:
    env = {**os.environ, "SIMTOOL_CACHE": str(cache), "HF_HUB_OFFLINE": "1"}
    return subprocess.Popen([sys.executable, "-c", "from simtool.cli import main; main()", *args], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@pytest.mark.skipif(not (SHARED_DATA / "bbc").is_dir(), reason="needs ../shared/data/bbc")
@pytest.mark.slow  # MiniLM over BBC tech in a child process: 20-30 s of the default run's 3 minutes
def test_ctrl_c_while_embedding_exits_cleanly_and_keeps_finished_batches(tmp_path):
    corpus = str(SHARED_DATA / "bbc" / "tech")
    process = _simtool("embed", corpus, "--model", "minilm", "--batch-size", "16", cache=tmp_path)
    store_path = tmp_path / "vectors.sqlite3"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:  # wait until some batches are committed
        time.sleep(0.5)
        if store_path.exists():
            with sqlite3.connect(store_path) as db:
                try:
                    if db.execute("SELECT COUNT(*) FROM vectors").fetchone()[0] >= 32:
                        break
                except sqlite3.OperationalError:
                    pass
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    assert "simtool: interrupted: stopped" in stderr and "Traceback" not in stderr
    with VectorStore(tmp_path) as store:  # what was finished is kept (test_cache reruns on such a cache)
        assert store.count() >= 32
        assert store._db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_two_processes_on_one_cache_give_identical_outputs(tmp_path):
    # the hashing encoder: the point is two processes on one cache, not a model's load time
    first = _simtool("related", str(SEEDS), "--doc", "000_d5a7cd97006a4cee", "--model", "fake", "--json", cache=tmp_path)
    second = _simtool("related", str(SEEDS), "--doc", "000_d5a7cd97006a4cee", "--model", "fake", "--json", cache=tmp_path)
    out_a, err_a = first.communicate(timeout=120)
    out_b, err_b = second.communicate(timeout=120)
    assert first.returncode == second.returncode == 0, (err_a, err_b)
    a, b = json.loads(out_a), json.loads(out_b)
    clock = ("started", "seconds")  # the run record's clock is each process's own
    assert {k: v for k, v in a.pop("run").items() if k not in clock} == \
        {k: v for k, v in b.pop("run").items() if k not in clock}
    assert a == b


# 7. Fuzzing ----------------------------------------------------------------------------------

words = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)
texts = st.lists(words, min_size=0, max_size=30).map(" ".join)
documents = st.builds(lambda i, title, text, year: Document(id=f"d{i}", title=title, text=text or "x",
                                                            date=None if year is None else __import__("datetime").date(year, 6, 1)),
                      st.integers(0, 10**6), words, texts, st.one_of(st.none(), st.integers(2015, 2022)))
corpora = st.lists(documents, min_size=1, max_size=12, unique_by=lambda d: d.id).map(lambda docs: Corpus(docs, []))
FUZZ = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(texts)
def test_fuzz_cleaner(text):
    cleaned = clean_text(text)
    assert isinstance(cleaned, str)


@FUZZ
@given(corpora)
def test_fuzz_every_job(corpus):
    # Each job returns a result or refuses with a SimtoolError (one line for the user); any
    # other exception is a crash.
    encoder = get_encoder("fake")
    first = corpus.documents[0]
    jobs = [lambda: related(corpus, first, encoder, None),
            lambda: compare(first, corpus.documents[-1], {"fake": encoder}, sentence_encoder="fake"),
            lambda: find_duplicates(corpus, method="minhash"),
            lambda: find_reuse(corpus, min_words=8),
            lambda: cluster_corpus(corpus, model="fake", k=min(2, len(corpus))),
            lambda: find_drift(corpus, query="economy", encoder=encoder),
            lambda: render_report(analyze(corpus, model="fake", cluster_model="fake", map_method="pca"), corpus)]
    for job in jobs:
        with contextlib.suppress(SimtoolError):
            job()


def test_fuzz_texts_through_corpus_from_texts():
    corpus = corpus_from_texts(["", "x", "\x00" * 10, "a " * 1000])
    assert len(corpus) >= 1


# The shapes the attacker's probes found, fuzzed together: records of any JSON value, nested deep,
# numbers of thousands of digits, lone surrogates, dates at and past the limits, CSV rows with
# stray quotes, and a folder holding links out, a link loop, a FIFO and a PDF. Loading either
# gives documents and problems or refuses with one SimtoolError; the CLI exits 0 or 1 with one
# line, never a traceback.
json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-10**40, 10**40) | st.floats() | st.text(max_size=30),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=6), children, max_size=3),
    max_leaves=12)
limit_dates = st.sampled_from(["0001-01-01", "9999-12-31", "1799-12-31", "1800-01-01", "1970-01-01", "1900-01-01",
                               "2015", "20150312", "20150312153000", "1.39E+12", "-1", "1e400", "2015-02-30", "",
                               "yesterday", "2999-01-01"]) | st.integers(-10**15, 10**15)
fuzz_records = st.fixed_dictionaries({"text": st.one_of(texts, json_values)},
                                     optional={"id": json_values, "title": json_values, "date": limit_dates,
                                               "source": json_values})
special_lines = st.sampled_from(['{"text": "\\ud800 lone surrogate", "id": "s"}', "[" * 3000 + "]" * 3000,
                                 '{"text": "' + "9" * 5000 + '"}', '{"id": ' + "9" * 5000 + ', "text": "digits"}',
                                 "not json at all", "", '{"text": "a", "text": "b"}'])
csv_cells = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=20)


def _strange_folder(root: Path, jsonl: list[str], rows: list[list[str]], raw_csv: list[str]) -> Path:
    corpus = root / "corpus"
    corpus.mkdir()
    (corpus / "records.jsonl").write_text("\n".join(jsonl), encoding="utf-8", errors="surrogatepass")
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["id", "title", "text", "date"])
    writer.writerows(rows)
    (corpus / "rows.csv").write_text(buffer.getvalue() + "\n".join(raw_csv), encoding="utf-8")
    (corpus / "story.txt").write_text("A headline\n\nThe council approved the budget on Monday after a debate.")
    (corpus / "paper.pdf").write_bytes(b"%PDF-1.4 not an article")
    (root / "secret.txt").write_text("outside the corpus")
    (corpus / "out.txt").symlink_to(root / "secret.txt")
    (corpus / "loop").symlink_to(corpus)
    if hasattr(os, "mkfifo"):
        os.mkfifo(corpus / "pipe.jsonl")
    return corpus


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(st.lists(fuzz_records.map(json.dumps) | special_lines, max_size=8),
       st.lists(st.lists(csv_cells, min_size=4, max_size=5), max_size=6),
       st.lists(st.sampled_from(['"', 'a,"b', '""', "x,y,z,w,v,u", "\x00", "=1+1,,,"]), max_size=3))
def test_fuzz_loading_strange_files_and_folders(tmp_path_factory, jsonl, rows, raw_csv):
    corpus = _strange_folder(tmp_path_factory.mktemp("fuzz"), jsonl, rows, raw_csv)
    with contextlib.suppress(SimtoolError):
        loaded = load_corpus([corpus])
        assert all(doc.id and isinstance(doc.text, str) for doc in loaded)
        assert not any(doc.text == "outside the corpus" for doc in loaded)  # no link out is followed
    result = CliRunner().invoke(app, ["dedup", str(corpus), "--json"])
    assert result.exit_code in (0, 1), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
