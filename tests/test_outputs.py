"""simtool never destroys what it did not write, and writes files as any tool does."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import numpy as np
import pytest

from simtool.errors import InputError
from simtool.state import claim_outputs, write_output
from simtool.vectors.shards import MANIFEST, replacing, write_vectors


def _shards(folder, n=3):
    ids = [f"d{i}" for i in range(n)]
    write_vectors(folder, ids, [bytes(32)] * n, np.ones((n, 4), np.float32), "test-encoder")


def test_shards_replace_only_what_simtool_wrote_and_refuse_a_folder_holding_others(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "part-00000-spark.parquet").write_bytes(b"somebody's data")
    with pytest.raises(InputError, match="did not write"):
        with replacing(corpus):
            _shards(corpus)
    assert sorted(p.name for p in corpus.iterdir()) == ["part-00000-spark.parquet"]

    mine = tmp_path / "mine"
    with replacing(mine):
        _shards(mine)
    first = {p.name for p in mine.glob("*.parquet")}
    with replacing(mine):
        _shards(mine)
    second = {p.name for p in mine.glob("*.parquet")}
    assert len(first) == len(second) == 1 and not first & second and (mine / MANIFEST).exists()
    import pyarrow.parquet as pq

    assert pq.read_table(mine).num_rows == 3  # the manifest is not in the way of a reader of the folder
    (mine / "exports.parquet").write_bytes(b"added by hand")
    with pytest.raises(InputError, match="exports.parquet"):
        with replacing(mine):
            _shards(mine)
    assert (mine / "exports.parquet").read_bytes() == b"added by hand" and {p.name for p in mine.glob("part-*")} == second


def test_only_regular_files_are_written_and_links_need_force(tmp_path):
    with pytest.raises(InputError, match="not a regular file"):
        claim_outputs([os.devnull], force=True)
    fifo = tmp_path / "out.json"
    os.mkfifo(fifo)
    with pytest.raises(InputError, match="not a regular file"):
        claim_outputs([fifo], force=True)
    target = tmp_path / "target.html"
    target.write_text("theirs")
    link = tmp_path / "link.html"
    link.symlink_to(target)
    with pytest.raises(InputError, match="is a link"):
        claim_outputs([link])
    claim_outputs([link], force=True)
    write_output(link, "ours")
    assert target.read_text() == "theirs" and not link.is_symlink() and link.read_text() == "ours"
    shared = tmp_path / "shared.html"
    shared.write_text("theirs")
    os.link(shared, tmp_path / "other-name.html")
    with pytest.raises(InputError, match="hard links"):
        claim_outputs([shared])


def test_a_file_that_appears_during_the_run_is_left_alone(tmp_path):
    out = tmp_path / "report.html"
    claim_outputs([out])
    out.write_text("written by someone else meanwhile")
    with pytest.raises(InputError, match="appeared or changed"):
        write_output(out, "the report")
    assert out.read_text() == "written by someone else meanwhile"
    assert [p.read_text() for p in tmp_path.glob("report.simtool-*.html")] == ["the report"]


@pytest.mark.parametrize("umask, mode", [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_outputs_get_the_mode_the_umask_gives_and_a_replaced_file_keeps_its_own(tmp_path, umask, mode, monkeypatch):
    from simtool import state

    monkeypatch.setattr(state, "UMASK", umask)  # read once at start, as the process's umask
    path = write_output(tmp_path / "report.html", "x")
    assert stat.S_IMODE(path.stat().st_mode) == mode
    private = tmp_path / "private.html"
    private.write_text("mine")
    private.chmod(0o600)
    claim_outputs([private], force=True)
    write_output(private, "replaced")
    assert stat.S_IMODE(private.stat().st_mode) == 0o600


def test_a_corpus_folder_reads_no_link_out_of_it_no_pipe_and_says_what_it_skipped(tmp_path, monkeypatch):
    from simtool.io.corpus import load_corpus

    outside = tmp_path / "secret.txt"
    outside.write_text("root:x:0:0:root:/root:/bin/bash\n")
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "a.txt").write_text("Title A\n\nA real article about the council budget.\n")
    (folder / "inside.txt").symlink_to(folder / "a.txt")
    (folder / "passwd.txt").symlink_to(outside)
    os.mkfifo(folder / "pipe.jsonl")
    (folder / "paper.pdf").write_bytes(b"%PDF-1.4")
    (folder / "loop.txt").symlink_to(folder / "loop.txt")
    (folder / "elsewhere").symlink_to(tmp_path)
    corpus = load_corpus([folder])
    assert sorted(doc.id for doc in corpus) == ["a", "inside"]
    said = {Path(p.path).name: p.message for p in corpus.problems}
    assert "link out of the corpus folder" in said["passwd.txt"] and "regular file" in said["pipe.jsonl"]
    assert "a link to a folder: not followed" in said["elsewhere"]
    assert "not read" in said["paper.pdf"] and "loop" in said["loop.txt"]
    monkeypatch.setenv("SIMTOOL_FOLLOW_LINKS", "1")
    assert "passwd" in {doc.id for doc in load_corpus([folder])}


def test_records_are_not_lost_to_a_huge_number_a_doubled_quote_or_an_unclosed_one(tmp_path):
    import csv
    import json

    from simtool.io.corpus import load_corpus

    jsonl = tmp_path / "a.jsonl"
    jsonl.write_text("\n".join([json.dumps({"id": "1", "text": "First article."}),
                                '{"id": "2", "text": "Second article.", "n": ' + "9" * 5000 + "}",
                                "[" * 100_000 + "]" * 100_000,
                                json.dumps({"id": "3", "text": "Third article."})]) + "\n")
    corpus = load_corpus([jsonl])
    assert corpus.ids == ["1", "2", "3"] and [p.line for p in corpus.problems] == [3]
    written = tmp_path / "b.csv"
    with open(written, "w", newline="") as out:  # as csv.writer, pandas and Excel write it
        rows = csv.writer(out)
        rows.writerow(["id", "text", "source"])
        for i in range(300):
            rows.writerow([f"s{i}", f'The mayor said "no way" to plan {i}, again.', "Daily"])
    corpus = load_corpus([written])
    assert len(corpus) == 300 and not corpus.problems
    assert corpus.get("s7").text == 'The mayor said "no way" to plan 7, again.' and corpus.get("s7").source == "Daily"
    broken = tmp_path / "c.csv"
    broken.write_text('id,text\n1,First article\n2,"An unclosed quote\n3,Third article\n4,Fourth article\n')
    corpus = load_corpus([broken])
    assert corpus.ids == ["1", "3", "4"] and [p.line for p in corpus.problems] == [3]


def test_epoch_times_are_dates_and_a_stray_date_is_not_a_period(tmp_path):
    import json

    from simtool.io.corpus import load_corpus

    path = tmp_path / "items.jsonl"
    rows = [{"id": f"a{i}", "text": f"Article {i} about the port.", "timestamp": "1.39E+12"} for i in range(25)]
    rows += [{"id": "s", "text": "Seconds since 1970.", "timestamp": 1420070400},
             {"id": "old", "text": "A placeholder date.", "date": "1900-01-01"},
             {"id": "far", "text": "A typo of a date.", "date": "9999-12-31"},
             {"id": "greg", "text": "Before any news.", "date": "1582-10-15"}]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    corpus = load_corpus([path])
    assert corpus.get("a0").date.isoformat() == "2014-01-17" and corpus.get("s").date.isoformat() == "2015-01-01"
    assert corpus.get("old").date is None and corpus.get("far").date is None and corpus.get("greg").date is None
    assert len(corpus.problems) == 3 and all("date" in p.message for p in corpus.problems)


def test_forty_thousand_records_of_one_id_load_in_linear_time(tmp_path):
    import json

    from simtool.io.corpus import load_corpus

    path = tmp_path / "same.jsonl"
    path.write_text("".join(json.dumps({"id": "x", "text": f"Text {i}."}) + "\n" for i in range(40_000)))
    corpus = load_corpus([path])  # probing "#2, #3, ..." from 2 each time took 459 s: quadratic
    assert len(corpus) == 40_000 and corpus.ids[-1] == "x#40000"


def test_a_huge_record_is_skipped_while_the_file_streams_past_it(tmp_path, monkeypatch):
    import json

    from simtool.io.corpus import load_corpus

    monkeypatch.setenv("SIMTOOL_MAX_FILE_MB", "1")
    path = tmp_path / "dump.jsonl"
    with open(path, "w") as out:
        out.write(json.dumps({"id": "a", "text": "Before the huge one."}) + "\n")
        out.write(json.dumps({"id": "huge", "text": "x" * (3 << 20)}) + "\n")
        out.write(json.dumps({"id": "b", "text": "After the huge one."}) + "\n")
    corpus = load_corpus([path])
    assert corpus.ids == ["a", "b"] and [p.line for p in corpus.problems] == [2]
    assert "longer than 1 MB" in corpus.problems[0].message
    array = tmp_path / "big.json"
    array.write_text(json.dumps([{"id": "c", "text": "y" * (2 << 20)}]))
    corpus = load_corpus([array, tmp_path / "dump.jsonl"])
    assert "JSON Lines" in corpus.problems[0].message and corpus.ids == ["a", "b"]


def test_a_parquet_timestamp_out_of_range_costs_its_record_only(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    from simtool.io.corpus import load_corpus

    stamps = pa.array([0, 300_000_000_000_000_000, 1_400_000_000_000_000], pa.timestamp("us"))  # year ~11,000
    pq.write_table(pa.table({"id": ["a", "far", "b"], "text": ["One article.", "A bad one.", "Another."],
                             "date": stamps}), tmp_path / "t.parquet")
    corpus = load_corpus([tmp_path / "t.parquet"])
    assert corpus.ids == ["a", "b"] and [p.line for p in corpus.problems] == [2]


def test_a_story_id_column_is_the_id():
    from simtool.io.document import document_from_record

    doc, _ = document_from_record({"story_id": "s0", "text": "An article."}, "row-1", "f.csv:2")
    assert doc.id == "s0" and "story_id" not in doc.meta


def test_dates_written_as_digits_and_an_archives_older_decade_are_kept(tmp_path):
    import json

    from simtool.io.corpus import load_corpus
    from simtool.io.document import parse_date

    assert [str(parse_date(v)) for v in ("2015", "20150312", "20150312153000", "201503121530", "820454400")] == \
        ["2015-01-01", "2015-03-12", "2015-03-12", "2015-03-12", "1996-01-01"]
    rows = [{"id": f"n{i}", "text": "Recent.", "date": f"201{i % 10}-05-01"} for i in range(96)]
    rows += [{"id": f"o{i}", "text": "From the archive.", "date": f"1985-0{i + 1}-02"} for i in range(4)]
    rows += [{"id": "sentinel", "text": "Placeholder.", "date": "1970-01-01"}]
    path = tmp_path / "archive.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    corpus = load_corpus([path])
    assert all(corpus.get(f"o{i}").date.year == 1985 for i in range(4)) and corpus.get("sentinel").date is None
    assert len(corpus.problems) == 1


def test_a_forged_manifest_or_a_file_copied_in_mid_run_is_never_deleted(tmp_path):
    import json

    folder = tmp_path / "shards"
    folder.mkdir()
    (folder / "thesis.docx").write_text("a year of work")
    (folder / MANIFEST).write_text(json.dumps(["thesis.docx", "../outside.txt"]))
    (tmp_path / "outside.txt").write_text("keep")
    with pytest.raises(InputError, match="thesis.docx"):  # listed, but not of a shard's shape: not ours
        with replacing(folder):
            pass
    assert (folder / "thesis.docx").exists() and (tmp_path / "outside.txt").read_text() == "keep"
    mine = tmp_path / "mine"
    with replacing(mine):
        _shards(mine)
        (mine / "corpus.parquet").write_bytes(b"copied in by the user during the run")
        (mine / "notes.parquet.partial").write_bytes(b"the user's")
    assert "corpus.parquet" not in json.loads((mine / MANIFEST).read_text())
    (mine / "corpus.parquet").unlink()
    (mine / "notes.parquet.partial").unlink()
    with replacing(mine):
        _shards(mine)
    assert len(list(mine.glob("part-*.parquet"))) == 1


def test_strict_mode_says_the_run_stops_not_that_reading_goes_on_and_a_json_error_names_its_column(tmp_path):
    from simtool.io.corpus import load_corpus

    bad = tmp_path / "a.csv"
    bad.write_text('title,text\nOne,"a fine row"\nTwo,"a "broken" row"\n')
    with pytest.raises(InputError) as raised:
        load_corpus([bad], strict=True)
    message = str(raised.value)
    assert message.startswith(f"{bad}:3: ") and "skipped" not in message and "resumes" not in message
    assert "--strict stops at the first problem" in message
    broken = tmp_path / "b.jsonl"
    broken.write_text('{"text": "fine"}\n{"text": "a tab\there"}\n')
    problems = load_corpus([broken]).problems
    assert "Invalid control character at column" in str(problems[0])
