"""Loading every supported format, ids, metadata, encodings; no input crashes a loader."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simtool.errors import InputError, NoDocumentsError, Problem, UnknownDocumentError
from simtool.io.corpus import load_corpus
from tests.conftest import SEED_2015, SEED_2021, SEEDS, SHARED_DATA, needs_bbc


def test_seeds_load_with_their_metadata():
    corpus = load_corpus([SEEDS])
    assert corpus.ids == [SEED_2015, SEED_2021]
    old, new = corpus.documents
    assert old.title == "US Might Work With Russia on Counter-Terrorism Measures: State Department"
    assert old.date == dt.date(2015, 1, 14) and old.source == "Sputnik International"
    assert new.date == dt.date(2021, 9, 11) and new.source is None
    assert new.title.startswith("Russia: We Are Ready To Revive Cooperation")
    assert not old.text.startswith("US Might Work")  # the title line is not repeated in the body
    assert corpus.problems == []


@needs_bbc
def test_all_bbc_files_load_including_the_latin1_one():
    corpus = load_corpus([SHARED_DATA / "bbc"])
    assert len(corpus) == 2225
    assert corpus.problems == []
    assert "business/001" in corpus
    mutu = corpus.get("sport/199")
    assert mutu.title == "Chelsea sack Mutu"
    assert "£15.8m" in mutu.text


def test_folder_ids_are_relative_paths_without_extension(tmp_path: Path):
    (tmp_path / "business").mkdir()
    (tmp_path / "business" / "001.txt").write_text("Markets rally\n\nShares rose sharply on Monday.")
    (tmp_path / "note.md").write_text("---\ndate: 2020-03-01\nsource: Blog\n---\n# A heading\n\nBody **text** "
                                      "with a [link](http://x).")
    (tmp_path / "README.md").write_text("# About this folder\n\nNot an article.")
    (tmp_path / ".hidden.txt").write_text("hidden")
    corpus = load_corpus([tmp_path])
    assert corpus.ids == ["note", "business/001"]  # a folder's files, then its subfolders
    md = corpus.get("note")
    assert md.title == "A heading" and md.text == "Body text with a link." and md.source == "Blog"
    assert md.date == dt.date(2020, 3, 1)
    assert corpus.get("business/001").title == "Markets rally"


def test_html_goes_through_the_extractor(tmp_path: Path):
    paragraph = "The council approved the new budget after a long debate on Tuesday evening. " * 3
    html = (f"<html><head><title>Budget passes</title></head><body><nav>Home | News | Sport</nav>"
            f"<article><h1>Budget passes</h1><p>{paragraph}</p><p>{paragraph}</p></article>"
            f"<footer>Copyright 2024 Example News</footer></body></html>")
    (tmp_path / "page.html").write_text(html)
    doc = load_corpus([tmp_path / "page.html"]).documents[0]
    assert doc.title == "Budget passes"
    assert "approved the new budget" in doc.text
    assert "Home | News" not in doc.text


def test_jsonl_csv_parquet_records(tmp_path: Path):
    rows = [{"id": "a", "title": "T1", "text": "First text.", "date": "2021-02-03", "source": "S",
             "url": "http://a", "section": "world"},
            {"headline": "T2", "short_description": "Second text.", "date": "March 4, 2022"}]
    (tmp_path / "x.jsonl").write_text("\n".join(json.dumps(r) for r in rows))
    (tmp_path / "x.csv").write_text('id;title;body\n1;Hello;"multi\nline body"\n')
    pq.write_table(pa.table({"id": ["p1"], "text": ["Parquet text."], "date": [dt.date(2019, 1, 1)]}),
                   tmp_path / "x.parquet")
    corpus = load_corpus([tmp_path / "x.jsonl", tmp_path / "x.csv", tmp_path / "x.parquet"])
    assert corpus.ids == ["a", "x:2", "1", "p1"]
    a = corpus.get("a")
    assert (a.title, a.text, a.source, a.url, a.meta) == ("T1", "First text.", "S", "http://a", {"section": "world"})
    assert corpus.get("x:2").date == dt.date(2022, 3, 4) and corpus.get("x:2").title == "T2"
    assert corpus.get("1").text == "multi\nline body"
    assert corpus.get("p1").date == dt.date(2019, 1, 1)


def test_a_json_array_is_read_as_records(tmp_path: Path):
    (tmp_path / "arr.jsonl").write_text(json.dumps([{"text": "one"}, {"text": "two"}]))
    assert [d.text for d in load_corpus([tmp_path / "arr.jsonl"])] == ["one", "two"]


def test_duplicate_ids_are_kept_apart_and_reported(tmp_path: Path):
    (tmp_path / "d.jsonl").write_text('{"id": "x", "text": "one"}\n{"id": "x", "text": "two"}\n')
    corpus = load_corpus([tmp_path / "d.jsonl"])
    assert corpus.ids == ["x", "x#2"]
    assert "duplicate id 'x'" in str(corpus.problems[0])


def test_encodings_utf16_and_cp1252(tmp_path: Path):
    (tmp_path / "u16.txt").write_bytes("Grüße aus Köln.".encode("utf-16"))
    (tmp_path / "w.txt").write_bytes("Café prices rose to £3 in Zürich.".encode("cp1252"))
    corpus = load_corpus([tmp_path])
    assert corpus.get("u16").text == "Grüße aus Köln."
    assert corpus.get("w").text == "Café prices rose to £3 in Zürich."


def test_unknown_id_suggests_close_matches():
    corpus = load_corpus([SEEDS])
    with pytest.raises(UnknownDocumentError, match="did you mean 000_d5a7cd97006a4cee"):
        corpus.get("000_d5a7cd97006a4ce")


def test_strict_mode_stops_at_the_first_bad_record(tmp_path: Path):
    (tmp_path / "b.jsonl").write_text('{"text": "fine"}\n{broken\n')
    assert len(load_corpus([tmp_path / "b.jsonl"])) == 1
    with pytest.raises(InputError, match=r"b.jsonl:2: not valid JSON"):
        load_corpus([tmp_path / "b.jsonl"], strict=True)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=2000), suffix=st.sampled_from([".txt", ".md", ".html", ".jsonl", ".csv", ".parquet"]))
def test_no_bytes_crash_the_loaders(tmp_path: Path, data: bytes, suffix: str):
    path = tmp_path / f"f{suffix}"
    path.write_bytes(data)
    try:
        corpus = load_corpus([path])
    except NoDocumentsError:
        return
    assert all(isinstance(doc.text, str) for doc in corpus)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(records=st.lists(st.dictionaries(st.sampled_from(["id", "text", "title", "date", "body", "x"]),
                                        st.none() | st.integers() | st.text() | st.lists(st.integers())),
                        max_size=5))
def test_no_json_record_crashes_the_loader(tmp_path: Path, records):
    path = tmp_path / "r.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in records))
    try:
        corpus = load_corpus([path])
    except NoDocumentsError:
        return
    assert len(corpus) + len(corpus.problems) >= 1


def test_id_field_names_the_column_that_holds_each_records_id(tmp_path):
    import csv

    from typer.testing import CliRunner

    from simtool.cli import app

    path = tmp_path / "stories.csv"
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["slug", "title", "text"])
        writer.writerow(["s0", "Council budget", "The council approved its budget for next year after a long debate."])
        writer.writerow(["s1", "Council vote", "The council voted on the budget for next year after a debate."])
        writer.writerow(["", "No slug", "A record without the id column asked for is reported and skipped."])
        writer.writerow(["  ", "Blank slug", "An id of spaces is no id either."])
    corpus = load_corpus([path], id_field="slug")
    assert [doc.id for doc in corpus] == ["s0", "s1"]
    assert [str(p) for p in corpus.problems] == [f"{path}:{n}: no 'slug' field (the id asked for with --id-field)"
                                                 for n in (4, 5)]
    run = CliRunner().invoke(app, ["related", str(path), "--id-field", "slug", "--doc", "s0", "--model", "tfidf",
                                   "--json"])
    assert run.exit_code == 0, run.output
    assert json.loads(run.stdout)["results"][0]["id"] == "s1"


def test_a_csv_is_streamed_in_the_memory_of_one_row(tmp_path: Path):
    import tracemalloc

    from simtool.io.readers import read_csv

    path = tmp_path / "export.csv"
    body = "The council approved its budget after a long debate, and said so. " * 8
    with path.open("w", encoding="utf-8") as handle:
        handle.write("id,text\n")
        for i in range(20_000):  # 11 MB
            handle.write(f'{i},"{body}\n""a quoted line""."\n')
    tracemalloc.start()
    try:
        rows = sum(1 for _ in read_csv(path))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert rows == 20_000
    assert peak < 1 << 20, peak  # read whole, the file took three times its size


def test_a_csv_line_over_the_limit_skips_its_row_and_the_rows_after_it_load(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("SIMTOOL_MAX_FILE_MB", "0.01")  # 10 kB
    path = tmp_path / "wide.csv"
    path.write_text('id,text\na,"A first article on the budget."\n'
                    'b,"A row whose one line is ' + "very " * 4000 + 'long, with ""quotes"" inside."\n'
                    'c,"A second cell that spans\ntwo lines."\nd,The last article.\n', encoding="utf-8")
    corpus = load_corpus([path])
    assert [doc.id for doc in corpus] == ["a", "c", "d"]
    assert [str(p) for p in corpus.problems] == [
        f"{path}:3: a row with a line of more than 10,485 bytes or characters (SIMTOOL_MAX_FILE_MB): skipped"]


def test_a_csvs_legacy_encoding_is_told_from_its_first_line_that_is_not_utf8_and_the_lines_after(tmp_path: Path):
    from simtool.io.readers import read_csv

    russian = "id,text\n" + "".join(f"{i},Новости дня {i}: правительство объявило о новом бюджете\n" for i in range(2, 40))
    (tmp_path / "cp1251.csv").write_bytes("id,text\n1,Report No№5\n".encode("cp1251") + russian.encode("cp1251")[8:])
    texts = [record["text"] for _, record in read_csv(tmp_path / "cp1251.csv")]
    assert texts[0] == "Report No№5" and texts[1].startswith("Новости дня 2")
    # the first such line past a megabyte of text: told from it, never left to UTF-8's replacement marks
    (tmp_path / "late.csv").write_bytes(b"id,text\n1,caf\xe9 " + b"word " * 250_000 + b"\n2,cr\xe8me br\xfbl\xe9e\n")
    assert [record["text"][:4] for _, record in read_csv(tmp_path / "late.csv")] == ["café", "crèm"]


def test_an_abandoned_csv_reader_closes_its_file_and_utf16_is_streamed(tmp_path: Path, monkeypatch):
    from simtool.io.readers import read_csv

    if not Path("/proc/self/fd").is_dir():
        pytest.skip("needs /proc")
    path = tmp_path / "a.csv"
    path.write_text("id,text\n1,One article.\n2,Another.\n", encoding="utf-8")
    before = len(list(Path("/proc/self/fd").iterdir()))
    readers = [read_csv(path) for _ in range(20)]
    for reader in readers:
        next(reader)  # started, then left: a strict run stopping, a file without a text column
    del readers, reader
    assert len(list(Path("/proc/self/fd").iterdir())) <= before
    monkeypatch.setenv("SIMTOOL_MAX_FILE_MB", "0.01")  # UTF-16 larger than the limit: read as a stream
    (tmp_path / "wide.csv").write_text("id,text\r\n" + "".join(f"{i},Article {i} on the budget vote.\r\n"
                                                                for i in range(1000)), encoding="utf-16")
    assert len([item for item in read_csv(tmp_path / "wide.csv") if not isinstance(item, Problem)]) == 1000
