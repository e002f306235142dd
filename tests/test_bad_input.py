"""Bad input: one line naming the file (and line) and the problem, no traceback, the right exit."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from simtool.cli import app
from tests.conftest import SEED_2015, SEEDS

runner = CliRunner()


def run(*args):
    result = runner.invoke(app, [str(a) for a in args])
    assert "Traceback" not in result.stdout + result.stderr
    return result


def error_lines(result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith("simtool: error")]


@pytest.mark.parametrize("content, message", [
    (b"", "empty file"),
    (b"   \n\t\n", "empty file (only whitespace)"),
    (b"\x00\x01\x02binary\x00\xff" * 20, "binary data, not text"),
])
def test_unusable_single_file(tmp_path: Path, cache_dir, content, message):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    result = run("related", path, "--text", "anything", "--model", "fake")
    assert result.exit_code == 1
    assert error_lines(result) == [f"simtool: error: {path}: {message}"]


def test_missing_path(cache_dir):
    result = run("related", "no/such/folder", "--doc", "x")
    assert result.exit_code == 1
    assert error_lines(result) == ["simtool: error: no/such/folder: no such file or folder"]


def test_a_bad_file_beside_good_ones_is_a_warning(tmp_path: Path, cache_dir):
    (tmp_path / "good.txt").write_text("A good article about the budget vote.")
    (tmp_path / "bad.txt").write_bytes(b"\x00\x00binary")
    result = run("related", tmp_path, "--doc", "good", "--model", "fake", "--json")
    assert result.exit_code == 0
    assert f"warning: {tmp_path / 'bad.txt'}: binary data, not text" in result.stderr
    assert "skipped 1 file(s) or record(s); the rest were loaded" in result.stderr


def test_a_csv_cell_over_the_record_limit_is_skipped_and_the_rows_after_it_load(tmp_path: Path, cache_dir,
                                                                                monkeypatch):
    monkeypatch.setenv("SIMTOOL_MAX_FILE_MB", "1")
    paragraph = "The council met on Tuesday, and members spoke. " * 60 + 'A ""quoted"" aside.\n'
    (tmp_path / "big.csv").write_text('id,text\nbig,"' + paragraph * 400 + '"\n'  # 400 lines in one cell
                                      "a,A good article about the budget vote.\nb,A school board closes two schools.\n")
    result = run("related", tmp_path / "big.csv", "--doc", "a", "--model", "fake", "--json")
    assert result.exit_code == 0, result.stderr
    assert f"warning: {tmp_path / 'big.csv'}:2: a cell of more than 1,048,576 characters" in result.stderr
    assert "skipped 1 file(s) or record(s); the rest" in result.stderr  # the cell's other lines are no rows
    assert [r["id"] for r in json.loads(result.stdout)["results"]] == ["b"]


def test_a_field_of_no_dates_is_said_once_and_a_stray_bad_date_where_it_is(tmp_path: Path, cache_dir):
    (tmp_path / "none.jsonl").write_text("".join(json.dumps({"id": f"n{i}", "text": f"Article {i} on the budget vote.",
                                                             "timestamp": "yesterday-ish"}) + "\n" for i in range(40)))
    (tmp_path / "some.jsonl").write_text("".join(json.dumps({"id": f"s{i}", "text": f"Story {i} on the school board.",
                                                             "date": "2014-01-05" if i else "soon"}) + "\n"
                                                 for i in range(3)))
    result = run("related", tmp_path, "--doc", "n0", "--model", "fake", "--json")
    assert result.exit_code == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if "date" in line]
    assert warnings == [
        f"warning: {tmp_path / 'none.jsonl'}: no record's date can be read (date 'yesterday-ish' is not a date, "
        "and 39 more): 40 records kept without a date",
        f"warning: {tmp_path / 'some.jsonl'}:1: date 'soon' is not a date; kept without a date"]
    assert "loaded 41 with a repair" in result.stderr
    # the run record counts records as the summary line does, beside the two lines reported
    assert json.loads(result.stdout)["run"]["corpus"] | {"fingerprint": None} == {
        "documents": 43, "fingerprint": None, "problems": 2, "records_skipped": 0, "records_repaired": 41}
    # what analyze's summary calls records skipped counts the same way: none of these 41 was skipped
    from simtool.errors import records_counted
    from simtool.io.corpus import load_corpus

    problems = load_corpus([tmp_path / "none.jsonl", tmp_path / "some.jsonl"]).problems
    assert records_counted(problems, kept=False) == 0 and records_counted(problems, kept=True) == 41
    # the Ray engine's reading tasks send the same problems, with what they count
    from simtool.engines.datasets import _read
    from simtool.errors import Problem

    sent = [Problem(*row["problem"]) for row in _read({"kind": "data", "path": str(tmp_path / "none.jsonl"),
                                                        "id": "none", "row_groups": None}, None, None) if row["problem"]]
    assert [(p.kept, p.records) for p in sent] == [(True, 40)]


def test_front_matter_nested_too_deeply_is_one_line_and_the_rest_loads(tmp_path: Path, cache_dir):
    (tmp_path / "good.md").write_text("# Good\n\nA good article about the budget vote.")
    (tmp_path / "deep.md").write_text("---\nx: " + "[" * 3000 + "]" * 3000 + "\n---\n# Deep\n\ntext\n")
    result = run("related", tmp_path, "--doc", "good", "--model", "fake", "--json")
    assert result.exit_code == 0 and "Traceback" not in result.stderr
    assert f"warning: {tmp_path / 'deep.md'}: front matter nested too deeply to read" in result.stderr


@pytest.mark.parametrize("first, third, count", [
    ('"id": "a"', '"id": "c"', "skipped 1 file(s) or record(s); the rest were loaded"),
    # a bad date and a repeated id are repairs, counted apart from the skipped line
    ('"id": "a", "date": "not a date"', '"id": "a"', "skipped 1 file(s) or record(s) and loaded 2 with a repair"),
])
def test_jsonl_with_one_broken_line(tmp_path: Path, cache_dir, first, third, count):
    path = tmp_path / "c.jsonl"
    path.write_text('{' + first + ', "text": "Alpha story about trade."}\n{"id": "b", "text": \n'
                    '{' + third + ', "text": "Gamma story about trade."}\n')
    result = run("related", path, "--doc", "a", "--model", "fake", "--json")
    assert result.exit_code == 0
    assert f"warning: {path}:2: not valid JSON" in result.stderr
    assert count in result.stderr


def test_csv_without_a_text_column(tmp_path: Path, cache_dir):
    path = tmp_path / "t.csv"
    path.write_text("name,count\nx,1\ny,2\n")
    result = run("related", path, "--doc", "x", "--model", "fake")
    assert result.exit_code == 1
    assert error_lines(result)[0].startswith(f"simtool: error: {path}")
    assert "no text field" in result.stderr


def test_unknown_doc_id(cache_dir):
    result = run("related", SEEDS, "--doc", "nope", "--model", "fake")
    assert result.exit_code == 1
    assert error_lines(result) == ["simtool: error: no document with id 'nope' in the corpus (2 documents)"]


def test_unknown_model(cache_dir):
    result = run("related", SEEDS, "--doc", SEED_2015, "--model", "./no-such-model")
    assert result.exit_code == 1
    assert "unknown model './no-such-model'" in error_lines(result)[0]


def test_strict_turns_a_warning_into_an_error(tmp_path: Path, cache_dir):
    path = tmp_path / "c.jsonl"
    path.write_text('{"id": "a", "text": "Alpha."}\nnot json\n')
    result = run("related", path, "--doc", "a", "--model", "fake", "--strict")
    assert result.exit_code == 1
    assert error_lines(result) == [f"simtool: error: {path}:2: not valid JSON (Expecting value at column 1) "
                                   f"(--strict stops at the first problem)"]


def test_usage_errors_exit_2(cache_dir):
    result = run("related", SEEDS)
    assert result.exit_code == 2
