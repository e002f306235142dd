"""Reuse and lineage on corpora built from BBC articles with known edges: a wire story, edited full
copies, a copy of a copy, two or three paragraphs taken into another article, an exact copy of
another story, and unrelated articles; with dates present, missing and all equal."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from markupsafe import escape

from simtool.io.corpus import Corpus, load_corpus
from simtool.io.document import Document
from simtool.jobs.reuse import find_reuse
from simtool.jobs.reuse.passages import WordReader, fingerprints, shared_passages
from simtool.jobs.reuse.wire import wire_mark
from tests.conftest import SEEDS, SHARED_DATA, needs_bbc

DAY = dt.date(2005, 3, 1)


def _paragraphs(path) -> tuple[str, list[str]]:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[0], lines[1:]


def _pick(category: str, min_paragraphs: int, skip: int = 0) -> tuple[str, list[str]]:
    found = [_paragraphs(p) for p in sorted((SHARED_DATA / "bbc" / category).glob("*.txt"))]
    return [f for f in found if len(f[1]) >= min_paragraphs and len(" ".join(f[1]).split()) >= 300][skip]


def _edit(paragraph: str, word: str) -> str:
    """The paragraph with its sixth word replaced: a copy editor's change."""
    words = paragraph.split()
    words[5] = word
    return " ".join(words)


def _words(paragraphs: list[str]) -> int:
    return len(WordReader().read("\n".join(paragraphs)))


def build(dates: str) -> tuple[Corpus, dict]:
    """The corpus and the truth: edges (source, target) with the share of the target taken,
    each member's parent, and the families."""
    title, wire = _pick("politics", 8)
    wire = ["LONDON (Reuters) - " + wire[0], *wire[1:]]
    own_title, own = _pick("sport", 4)
    _, extra_a = _pick("entertainment", 4)
    _, extra_b = _pick("entertainment", 4, skip=1)
    copy_1 = [_edit(wire[0], "reportedly"), *wire[1:6], _edit(wire[6], "apparently"), *wire[7:], extra_a[0]]
    copy_2 = [*copy_1[:-2], _edit(copy_1[-2], "eventually"), copy_1[-1], extra_b[1]]
    partial = [*own[:2], *wire[2:5], *own[2:]]
    other_title, other = _pick("tech", 5)
    unrelated = [_pick(category, 3, skip=5) for category in ("business", "tech", "entertainment", "sport")]

    def day(offset: int) -> dt.date | None:
        return {"present": DAY + dt.timedelta(days=offset), "missing": None, "equal": DAY}[dates]

    docs = [
        Document("copy-2", "\n".join(copy_2), title, day(2), "Outlet B"),
        Document("wire", "\n".join(wire), title, day(0), "Wire"),
        Document("partial", "\n".join(partial), own_title, day(1), "Outlet C"),
        Document("copy-1", "\n".join(copy_1), title, day(1), "Outlet A"),
        Document("other", "\n".join(other), other_title, day(0), "Outlet A"),
        Document("other-copy", "\n".join(other), other_title, day(3), "Outlet C"),
        *[Document(f"unrelated-{n}", "\n".join(body), t, day(n), "Outlet D") for n, (t, body) in enumerate(unrelated)],
    ]
    # words taken, over the target's words (edited words are not taken)
    truth = {
        ("wire", "copy-1"): (_words(copy_1) - _words(extra_a[:1]) - 2) / _words(copy_1),
        ("copy-1", "copy-2"): (_words(copy_2) - _words(extra_b[1:2]) - 1) / _words(copy_2),
        ("wire", "partial"): _words(wire[2:5]) / _words(partial),
        ("other", "other-copy"): 1.0,
    }
    parents = {"wire": None, "copy-1": "wire", "copy-2": "copy-1", "partial": "wire", "other": None,
               "other-copy": "other"}
    lenders = {"Outlet A": _words(other), "Wire": _words(wire[2:5])}  # of Outlet C: the exact copy, the paragraphs
    return Corpus(docs), {"edges": truth, "parents": parents, "lenders_of_c": lenders,
                          "families": [{"wire", "copy-1", "copy-2", "partial"}, {"other", "other-copy"}]}


@needs_bbc
@pytest.mark.parametrize("dates", ["present", "missing", "equal"])
def test_every_planted_edge_is_found_in_its_direction_with_its_share(dates):
    corpus, truth = build(dates)
    result = find_reuse(corpus)
    edges = {(e.source, e.target): e for e in result.edges}
    for (source, target), share in truth["edges"].items():
        assert (source, target) in edges, f"{source} -> {target} not found ({dates} dates); found {sorted(edges)}"
        assert edges[(source, target)].share_of_target == pytest.approx(share, abs=0.03)
    assert {frozenset(f.members) for f in result.families} == {frozenset(f) for f in truth["families"]}
    nodes = {node.id: node for f in result.families for node in f.tree}
    assert {i: nodes[i].parent for i in truth["parents"]} == truth["parents"]
    wire_family = next(f for f in result.families if "wire" in f.members)
    assert wire_family.origin == "wire" and wire_family.wire == "LONDON (Reuters) -"
    if dates == "present":
        assert all(e.direction_by == "date" for e in edges.values() if e.lag_days)
        assert nodes["copy-2"].lag_days == 1 and nodes["partial"].lag_days == 1
    else:
        assert edges[("wire", "copy-1")].direction_by == "text"
        assert edges[("wire", "partial")].rule.startswith("wire copy")


@needs_bbc
def test_a_member_says_what_it_added_and_dropped_against_its_parent():
    corpus, _ = build("present")
    nodes = {node.id: node for f in find_reuse(corpus).families for node in f.tree}
    assert any("eventually" in sentence for sentence in nodes["copy-2"].added)
    assert nodes["copy-1"].dropped and nodes["copy-1"].added


@needs_bbc
def test_outlets_say_how_much_they_borrowed_and_from_whom():
    corpus, truth = build("present")
    outlets = {o.source: o for o in find_reuse(corpus).outlets}
    assert outlets["Wire"].borrowed_words == 0
    assert outlets["Outlet D"].borrowed_words == 0
    assert set(outlets["Outlet B"].lenders) >= {"Outlet A"}
    assert outlets["Outlet C"].lenders == truth["lenders_of_c"]  # each word taken counted once, for its parent
    assert 0 < outlets["Outlet C"].borrowed_share < 1


def test_the_seeds_share_no_passage():
    assert find_reuse(load_corpus([SEEDS])).edges == []


@needs_bbc
def test_bbc_exact_duplicates_come_out_as_families(bbc):
    result = find_reuse(bbc, describe=False)
    family_of = {member: k for k, f in enumerate(result.families) for member in f.members}
    by_text: dict[str, list[str]] = {}
    for doc in bbc:
        if len(doc.text.split()) >= 40:
            by_text.setdefault(doc.text, []).append(doc.id)
    copies = [ids for ids in by_text.values() if len(ids) > 1]
    assert len(copies) > 50
    for ids in copies:
        assert len({family_of.get(i) for i in ids}) == 1 and ids[0] in family_of, ids


def test_passages_survive_edits_and_short_shared_runs_do_not_count():
    reader = WordReader()
    base = " ".join(f"w{i}" for i in range(120))
    edited = base.replace("w30 ", "x ").replace("w70 ", "y z ")
    (passage,) = shared_passages(reader.read(base), reader.read("my own opening words " + edited), 40)
    assert passage.words == 118 and (passage.target_start, passage.source_start) == (4, 0)
    short = reader.read(" ".join(f"v{i}" for i in range(50)) + " " + " ".join(f"w{i}" for i in range(30)))
    assert shared_passages(reader.read(base), short, 40) == []


def test_winnowing_guarantees_a_shared_fingerprint_for_a_passage_of_min_words():
    reader = WordReader()
    passage = " ".join(f"p{i}" for i in range(40))
    for k in range(20):
        a = reader.read(" ".join(f"a{k}_{i}" for i in range(k * 7)) + " " + passage + " tail of a")
        b = reader.read(passage + " " + " ".join(f"b{k}_{i}" for i in range(k * 3)))
        window = 40 - 8 + 1
        assert set(fingerprints(a.ngrams, window).tolist()) & set(fingerprints(b.ngrams, window).tolist())


def _words_of(prefix: str, n: int) -> str:
    return " ".join(f"{prefix}{i}" for i in range(n))


def test_two_copies_that_each_add_to_a_source_are_not_oriented_by_their_text():
    """Neither holds the other (each has additions of its own): without dates nothing decides,
    so no pair says one took from the other, and the outlets borrowed nothing from each other."""
    source = _words_of("w", 300)
    b, c = source + " " + _words_of("b", 21), source + " " + _words_of("c", 98)
    dropped_and_added = _words_of("w", 250) + " " + _words_of("d", 40)  # a paragraph dropped, one added
    result = find_reuse(Corpus([Document("b", b, source="B"), Document("c", c, source="C"),
                                Document("d", dropped_and_added, source="D")]))
    assert {e.direction_by for e in result.edges} == {"none"}
    assert all(o.borrowed_words == 0 for o in result.outlets)
    plus = find_reuse(Corpus([Document("b", b), Document("source", source)]))
    (edge,) = plus.edges
    assert (edge.source, edge.target, edge.direction_by, edge.confidence) == ("source", "b", "text", "high")


def test_a_sentence_both_articles_repeat_is_aligned_in_order():
    sentence, filler = _words_of("s", 30), iter(range(10_000))
    a = " ".join(f"{sentence} {_words_of(f'a{next(filler)}x', 5)}" for _ in range(3)) + " " + _words_of("a", 60)
    b = " ".join(f"{sentence} {_words_of(f'b{next(filler)}x', 5)}" for _ in range(3)) + " " + _words_of("b", 60)
    (edge,) = find_reuse(Corpus([Document("a", a), Document("b", b)])).edges
    assert edge.shared_words == 90 and len(edge.passages) == 1


def test_passages_inside_quotation_marks_are_flagged_as_a_quotation_both_print():
    quote = '"' + _words_of("q", 50) + '"'
    a = _words_of("a", 80) + f" {quote} he said. " + _words_of("x", 20)
    b = _words_of("b", 80) + f" {quote} she said. " + _words_of("y", 20)
    (edge,) = find_reuse(Corpus([Document("a", a), Document("b", b)])).edges
    assert edge.quotation_only and edge.passages[0].quoted >= 0.95
    told = _words_of("t", 50)
    (edge,) = find_reuse(Corpus([Document("a", a + " " + told), Document("b", b + " " + told)])).edges
    assert not edge.quotation_only


def test_chinese_passages_are_measured_in_characters_and_survive_an_edit():
    text = "".join(chr(0x4E00 + (i * 37) % 5000) for i in range(300))
    edited = text[:150] + "改" + text[151:]
    (edge,) = find_reuse(Corpus([Document("a", text, date=DAY), Document("b", "新闻" + edited,
                                                                           date=DAY + dt.timedelta(days=1))])).edges
    assert edge.shared_words == 299 and len(edge.passages) == 1 and edge.share_of_source == pytest.approx(299 / 300, abs=1e-4)


@pytest.mark.parametrize("text, mark", [
    ("WASHINGTON (AP) — The Senate voted on Tuesday", "WASHINGTON (AP) —"),
    ("LONDON, March 3 (Reuters) - Britain said on Friday", "LONDON, March 3 (Reuters) -"),
    ("NEW YORK -- The city council", "NEW YORK --"),
    ("The minister spoke. (Reporting by A. Writer; Editing by B. Editor)", "(Reporting by A. Writer; Editing by B. Editor)"),
    ("US President Barack Obama said on Tuesday that", None),
    ("I - am not a dateline", None),
    ("EXCLUSIVE: The minister resigned", None),  # a kicker, not a place
    ("OPINION: Why we must act", None),
    ("UPDATE - the court ruled", None),
    ("The panel met (editing by committee) and agreed.", None),
    ("NEW DELHI (PTI): The government said", "NEW DELHI (PTI):"),
])
def test_wire_marks_are_read_by_their_shape(text, mark):
    assert wire_mark(text) == mark


@needs_bbc
def test_reuse_json_has_the_documented_shape(tmp_path):
    corpus, _ = build("present")
    document = find_reuse(corpus).to_json()
    json.dumps(document)
    edge = document["edges"][0]
    assert set(edge) >= {"source", "target", "shared_words", "share_of_target", "share_of_source", "lag_days",
                         "direction_by", "passages"}
    assert set(document["families"][0]) >= {"origin", "members", "tree"}
    assert {"source", "borrowed_share", "lenders"} <= set(document["outlets"][0])


@needs_bbc
@pytest.mark.parametrize("dates", ["present", "missing"])
def test_the_command_finds_the_same_edges_from_a_file_it_loads_and_cleans(tmp_path, dates):
    """Loading cleans the corpus: paragraphs two outlets share are not furniture of either."""
    from typer.testing import CliRunner

    from simtool.cli import app

    corpus, truth = build(dates)
    path = tmp_path / "corpus.jsonl"
    path.write_text("".join(json.dumps({"id": d.id, "title": d.title, "text": d.text, "source": d.source,
                                        "date": d.date.isoformat() if d.date else None}) + "\n" for d in corpus))
    result = CliRunner().invoke(app, ["reuse", str(path), "--json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["command"] == "reuse" and document["settings"]["min_words"] == 40
    edges = {(e["source"], e["target"]): e for e in document["edges"]}
    for (source, target), share in truth["edges"].items():
        assert edges[(source, target)]["share_of_target"] == pytest.approx(share, abs=0.03)
    plain = CliRunner().invoke(app, ["reuse", str(path), "--details"])
    assert plain.exit_code == 0 and "family 1: origin wire (wire: LONDON (Reuters) -)" in plain.stdout


@needs_bbc
def test_analyze_and_its_report_show_the_families_the_outlets_and_the_borrowed_passages():
    from simtool.jobs.analyze import analyze
    from simtool.report import render_report

    corpus, truth = build("present")
    analysis = analyze(corpus, model="fake", cluster_model="fake", map_method="pca")
    assert analysis.reuse.to_json() == find_reuse(corpus).to_json()
    assert analysis.summary()["reuse_families"] == 2 and analysis.to_json()["reuse"]["edges"]
    html = render_report(analysis, corpus)
    section = html[html.index('<section id="reuse">'):html.index('<section id="timeline">')]
    assert section.count('<details class="family"') == 2 and 'id="outlet-table"' in section
    assert "wire copy (LONDON (Reuters) -)" in section and "Placed by date" in section
    taken = next(d for d in corpus if d.id == "partial").text.splitlines()[2]  # the wire's third paragraph
    marked = re.findall(r"<mark>(.*?)</mark>", section, re.S)
    assert any(str(escape(taken[:60])) in piece for piece in marked)
    assert section.count("<mark>") >= 2 * len(truth["edges"])  # each pair's passages, in both texts
