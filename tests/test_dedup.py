"""Near-duplicate groups: exact Jaccard on BBC, edited republished copies, the seeds, bad input."""

from __future__ import annotations

import csv
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from simtool.bench.perturb import edited_copy
from simtool.cli import app
from simtool.io.corpus import load_corpus
from simtool.io.prepare import clean_corpus
from simtool.jobs.dedup import dedup_text, find_duplicates
from simtool.jobs.dedup.local import exact_jaccard_pairs
from simtool.text.basics import containment, jaccard, overlap, text_shingles
from tests.conftest import SEEDS, SHARED_DATA, needs_bbc

runner = CliRunner()


@pytest.fixture(scope="module")
def bbc_cleaned(bbc):
    return bbc


@needs_bbc
def test_bbc_every_pair_at_jaccard_08_is_grouped_and_none_below_is_reported(bbc_cleaned, tmp_path, monkeypatch):
    monkeypatch.setenv("SIMTOOL_CACHE", str(tmp_path))
    texts = [dedup_text(doc) for doc in bbc_cleaned]
    truth = exact_jaccard_pairs(texts, 0.8)
    assert len(truth) >= 156 and sum(score == 1.0 for score in truth.values()) >= 98

    result = runner.invoke(app, ["dedup", str(SHARED_DATA / "bbc"), "--threshold", "0.8", "--json", "--all-pairs"])
    assert result.exit_code == 0, result.stderr
    groups = json.loads(result.stdout)["groups"]
    group_of = {member: n for n, group in enumerate(groups) for member in group["members"]}
    ids = bbc_cleaned.ids
    for i, j in truth:
        assert ids[i] in group_of and group_of[ids[i]] == group_of[ids[j]], (ids[i], ids[j])
    reported = [(pair["a"], pair["b"]) for group in groups for pair in group["pairs"]]
    for a, b in reported:
        score = jaccard(text_shingles(texts[bbc_cleaned.position(a)], 5),
                        text_shingles(texts[bbc_cleaned.position(b)], 5))
        assert score >= 0.8, (a, b)
    assert {tuple(sorted((bbc_cleaned.position(a), bbc_cleaned.position(b)))) for a, b in reported} == set(truth)


@needs_bbc
def test_edited_republished_copies_are_found(bbc_cleaned, bbc_raw):
    raw = bbc_raw
    originals = raw.documents[::20]
    copies = [edited_copy(doc, seed, edits=3 + seed % 3) for seed, doc in enumerate(originals)]
    corpus = clean_corpus(raw.with_documents(list(raw.documents) + copies))
    result = find_duplicates(corpus)
    group_of = {member: n for n, group in enumerate(result.groups) for member in group.members}
    before = {member: n for n, group in enumerate(find_duplicates(bbc_cleaned).groups) for member in group.members}
    for copy in copies:
        original = copy.id.split("~")[0]
        assert group_of.get(copy.id) is not None and group_of[copy.id] == group_of.get(original), copy.id
    for group in result.groups:  # no group joins two stories that were not already copies
        roots = {m.split("~")[0] for m in group.members}
        assert len({before.get(r, r) for r in roots}) == 1, group.members


def test_the_seeds_are_not_duplicates(cache_dir):
    result = runner.invoke(app, ["dedup", str(SEEDS), "--method", "both", "--model", "static", "--json"])
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["groups"] == []


def test_a_seed_copy_is_found_semantically_and_lexically(tmp_path, cache_dir):
    seeds = load_corpus([SEEDS])
    copy = edited_copy(seeds.documents[1], seed=3, edits=5)
    path = tmp_path / "copies.jsonl"
    path.write_text("\n".join(json.dumps({"id": d.id, "title": d.title, "text": d.text,
                                          "date": d.date.isoformat() if d.date else None})
                              for d in [*seeds.documents, copy]))
    result = runner.invoke(app, ["dedup", str(path), "--method", "both", "--model", "static", "--json"])
    groups = json.loads(result.stdout)["groups"]
    assert len(groups) == 1 and set(groups[0]["members"]) == {seeds.documents[1].id, copy.id}
    assert groups[0]["canonical"] == seeds.documents[1].id  # dated, so earlier than the undated copy
    assert groups[0]["pairs"][0]["method"] == "both"


def test_write_deduplicated_keeps_a_mapping(tmp_path, cache_dir):
    rows = [{"id": "a", "text": "The minister resigned on Monday after the report was published in full today.",
             "date": "2020-01-02"},
            {"id": "b", "text": "The minister resigned on Monday after the report was published in full today.",
             "date": "2020-01-01"},
            {"id": "c", "text": "A different story about football and the cup final at the stadium."}]
    path = tmp_path / "c.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows))
    out = tmp_path / "out" / "dedup.jsonl"
    result = runner.invoke(app, ["dedup", str(path), "--write-deduplicated", str(out), "--json"])
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["groups"][0]["canonical"] == "b"  # the earliest
    assert [json.loads(line)["id"] for line in out.read_text().splitlines()] == ["b", "c"]
    with (tmp_path / "out" / "dedup.jsonl.mapping.csv").open() as f:
        assert list(csv.reader(f)) == [["dropped_id", "canonical_id"], ["a", "b"]]


def test_csv_output_neutralises_formulas(tmp_path, cache_dir):
    text = "Identical body text of a syndicated wire story about the election results tonight."
    path = tmp_path / "f.jsonl"
    path.write_text(json.dumps({"id": "x", "title": "=HYPERLINK(\"http://evil\")", "text": text}) + "\n"
                    + json.dumps({"id": "y", "title": "@SUM(1)", "text": text}))
    result = runner.invoke(app, ["dedup", str(path), "--csv"])
    rows = list(csv.reader(result.stdout.splitlines()))
    assert rows[1][3].startswith("'=") and rows[2][3].startswith("'@")


def test_empty_and_tiny_corpora(tmp_path, cache_dir):
    empty = tmp_path / "empty"
    empty.mkdir()
    result = runner.invoke(app, ["dedup", str(empty)])
    assert result.exit_code == 1 and "no documents found" in result.stderr
    one = tmp_path / "one.txt"
    one.write_text("Only one article here.")
    result = runner.invoke(app, ["dedup", str(one), "--json"])
    assert result.exit_code == 0 and json.loads(result.stdout)["groups"] == []
    assert "nothing to compare" in result.stderr
    short = tmp_path / "short.jsonl"
    short.write_text('{"id": "1", "text": "Too short"}\n{"id": "2", "text": "Too short"}\n{"id": "3", "text": "Other"}')
    groups = json.loads(runner.invoke(app, ["dedup", str(short), "--json"]).stdout)["groups"]
    assert [g["members"] for g in groups] == [["1", "2"]]


def test_bad_parameters_are_named():
    corpus = load_corpus([SEEDS])
    with pytest.raises(ValueError, match="threshold must be in"):
        find_duplicates(corpus, threshold=1.5)
    with pytest.raises(ValueError, match="method must be one of"):
        find_duplicates(corpus, method="fuzzy")
    with pytest.raises(ValueError, match="needs an encoder"):
        find_duplicates(corpus, method="semantic")


@given(st.sets(st.text(max_size=3), max_size=20), st.sets(st.text(max_size=3), max_size=20))
def test_overlap_agrees_with_jaccard_and_containment(a, b):
    assert overlap(a, b) == (jaccard(a, b), containment(a, b))


def test_invisible_characters_accents_and_look_alike_letters_do_not_hide_a_copy():
    from simtool.io.corpus import Corpus
    from simtool.io.document import Document
    from simtool.jobs.dedup import find_duplicates

    original = ("The city council approved the new harbour budget on Tuesday after a long debate about "
                "ferry fares, dredging works and the cost of repairing the old sea wall near the market.")
    disguised = (original.replace("council", "coun\u200bcil").replace("budget", "bud\u00adget")
                 .replace("harbour", "hárbour").replace("ferry", "fеrry").replace("market", "mаrket"))
    assert disguised != original
    russian = "Городской совет утвердил новый бюджет гавани во вторник после долгих дебатов о тарифах."
    result = find_duplicates(Corpus([Document("a", original), Document("b", disguised), Document("r", russian)]))
    assert [sorted(g.members) for g in result.groups] == [["a", "b"]]
    from simtool.text.basics import comparable

    assert comparable(russian) == russian
    # an accent on every "e" (one letter in eight of English) hides nothing either
    accented = original.replace("e", "e\u0301")
    assert [sorted(g.members) for g in find_duplicates(Corpus([Document("a", original), Document("e", accented)])).groups] \
        == [["a", "e"]]


def test_a_story_one_source_carried_three_times_is_found_not_cleaned_away(tmp_path):
    # A sentence a source repeats is its furniture, unless it comes with the rest of a story in the
    # very same documents: three updates of one wire story, a sentence a line, stay whole.
    from simtool.text.basics import split_sentences
    from tests.conftest import SHARED_DATA

    articles = sorted((SHARED_DATA / "bbc" / "politics").glob("*.txt"))
    if not articles:
        pytest.skip("../shared/data/bbc is missing")

    def sentences(path):
        lines = [x.strip() for x in path.read_text(encoding="utf-8", errors="replace").splitlines() if x.strip()]
        return lines[0], [s for line in lines[1:] for s in split_sentences(line)]

    title, story = sentences(articles[0])
    updates = ["Officials will meet again in May to review the figures.", "A spokesman declined to comment.",
               "Protesters gathered outside the town hall during the vote."]
    rows = [{"id": f"copy{n}", "source": "Wire", "title": title, "text": "\n".join(story + [update])}
            for n, update in enumerate(updates)]
    rows += [{"id": f"other{n}", "source": "Wire", "title": t, "text": "\n".join(s)}
             for n, (t, s) in enumerate(map(sentences, articles[1:31]))]
    path = tmp_path / "wire.jsonl"
    path.write_text("\n".join(json.dumps(row) for row in rows))
    corpus = clean_corpus(load_corpus([path]))
    assert corpus.get("copy0").text.count("\n") >= len(story) - 1  # the story's sentences are kept
    assert [sorted(g.members) for g in find_duplicates(corpus).groups] == [["copy0", "copy1", "copy2"]]


@pytest.mark.parametrize("dated", [True, False])
def test_each_copy_names_the_member_it_was_copied_from(dated):
    """A copy of a copy hangs under the copy whose additions it carries; with dates the earlier
    is the source, without them the text that holds the other plus additions is the later one."""
    import datetime as dt

    from simtool.io.corpus import Corpus
    from simtool.io.document import Document

    original = " ".join(f"word{i}" for i in range(300))
    first = original + " " + " ".join(f"first{i}" for i in range(30))
    second = first + " " + " ".join(f"second{i}" for i in range(30))

    def day(n: int):
        return dt.date(2020, 1, 1 + n) if dated else None

    corpus = Corpus([Document("second", second, date=day(2)), Document("original", original, date=day(0)),
                     Document("first", first, date=day(1))])
    (group,) = find_duplicates(corpus, threshold=0.5, containment_threshold=0.8).groups
    members = {m.id: m for m in group.details}
    assert (members["original"].parent, members["first"].parent, members["second"].parent) == \
        (None, "original", "first")
    assert members["second"].parent_by == ("date" if dated else "text")
    assert members["second"].lag_days == (1 if dated else None)
