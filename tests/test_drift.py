"""Shifts across periods: the seeds, the State of the Union, dates, actors and bad queries."""

from __future__ import annotations

import datetime
import json
import re
from collections import Counter

import numpy as np
import pytest
from typer.testing import CliRunner

from simtool.cli import app
from simtool.encoders import get_encoder
from simtool.errors import SimtoolError
from simtool.io.corpus import Corpus
from simtool.io.dates import resolve_date
from simtool.io.document import Document
from simtool.io.prepare import prepare_corpus
from simtool.jobs.drift.speakers import actor_names, speaker_of
from simtool.jobs.drift.terms import distinctive_terms, log_odds_z
from simtool.jobs.drift.timeline import find_drift
from simtool.text.basics import words
from simtool.vectors.store import VectorStore
from tests.conftest import SEEDS, SHARED_DATA, needs_bbc

runner = CliRunner()
AXIS = ("the US and Russia cooperate against terrorism", "the US and Russia confront each other")


@pytest.fixture(scope="module")
def minilm_store(tmp_path_factory):
    with VectorStore(tmp_path_factory.mktemp("cache")) as store:
        yield get_encoder("minilm"), store


def test_seeds_show_who_said_what_in_2015_and_2021(minilm_store):
    encoder, store = minilm_store
    corpus = prepare_corpus([SEEDS])
    result = find_drift(corpus, query="US Russia counterterrorism cooperation", encoder=encoder, store=store,
                        axis=AXIS)
    periods = {p.period: p for p in result.periods}
    assert list(periods) == ["2015", "2021"]
    assert any("Harf" in name for name in periods["2015"].actor_statements)
    assert any("Antonov" in name for name in periods["2021"].actor_statements)
    for p, doc in zip(result.periods, corpus.documents):  # the seeds are in date order
        own = set(words(doc.content))
        assert p.terms and all(term in own for term, _ in p.terms), (p.period, p.terms)
        assert p.stance is not None and p.stance.low <= p.stance.mean <= p.stance.high
        assert p.statements and all(s.stance is not None for s in p.statements)
    # Two articles, one a period, cannot show a trend: the step is tested on blocks of statements
    # within them where there are enough (else it says it cannot be tested) and is not significant,
    # so no "largest change" is announced.
    step = result.drift[0]
    assert (step.before, step.after, step.unit) == ("2015", "2021", "too few to test")
    assert not step.significant and step.p > 0.05 and result.largest_change is None


@needs_bbc
def test_state_of_the_union_names_2001_as_the_largest_change_on_terrorism(minilm_store):
    encoder, store = minilm_store
    result = find_drift(prepare_corpus([SHARED_DATA / "state_union"]), query="terrorism", encoder=encoder,
                        store=store)
    assert [p.period for p in result.periods] == ["1998", "1999", "2000", "2001", "2002"]
    assert all(p.n_statements > 0 and p.terms for p in result.periods)
    assert result.dates["1998-Clinton"].how == "file name (year only)"
    # After 9/11 the speeches talk about terrorism far more (0.4% of 2000's sentences, 10.8% of
    # 2001's): the only step significant after Holm's correction, and so the largest change.
    assert [s.after for s in result.drift if s.significant] == ["2001"]
    assert result.largest_change.after == "2001" and result.largest_change.share_effect > 0.4


@needs_bbc
def test_state_of_the_union_findings_name_the_president_who_spoke(minilm_store):
    encoder, store = minilm_store
    result = find_drift(prepare_corpus([SHARED_DATA / "state_union"]), query="terrorism", encoder=encoder, store=store,
                        speaker_field="file")
    said = result.findings()
    assert said[0].startswith("In 1998, Clinton (author) said: \u201c")
    assert said[1].startswith("In 2001, GW Bush (author) said: \u201c") and said[-1].startswith("The largest")
    assert result.settings.speaker_field == "file"


def test_cli_json_and_the_bad_cases(tmp_path, cache_dir):
    undated = tmp_path / "undated.jsonl"
    undated.write_text(json.dumps({"id": "a", "text": "The minister spoke about the budget."}))
    result = runner.invoke(app, ["drift", str(undated), "--query", "budget", "--model", "static"])
    assert result.exit_code == 1 and "has a date" in result.stderr and "Traceback" not in result.stderr

    same_year = tmp_path / "same.jsonl"
    same_year.write_text("\n".join(json.dumps(r) for r in [
        {"id": "a", "date": "2020-03-01", "text": "The minister said the budget will cut taxes."},
        {"id": "b", "date": "2020-09-01", "text": "Critics said the budget fails the poor."},
        {"id": "c", "text": "An undated note about the weather."}]))
    plot = tmp_path / "drift.png"
    result = runner.invoke(app, ["drift", str(same_year), "--query", "budget", "--model", "static", "--json",
                                 "--plot", str(plot)])
    assert plot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert [p["period"] for p in data["periods"]] == ["2020"] and data["drift"] == []
    assert data["largest_change"] is None and data["undated"] == ["c"]
    assert "1 documents have no date" in result.stderr

    result = runner.invoke(app, ["drift", str(same_year), "--query", "volcanic eruptions on Mars",
                                 "--model", "static", "--relevance", "0.99"])
    assert result.exit_code == 1 and "no statement matches" in result.stderr


def test_a_date_only_in_the_text_is_inferred_and_shown(tmp_path, cache_dir):
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "a.txt").write_text("Talks resume\nWASHINGTON, Jan. 14, 2015 — Officials said talks on trade resume.")
    (folder / "b.txt").write_text("Talks end\nMOSCOW, 11 September 2021 — Officials said trade talks ended.")
    info = resolve_date(Document(id="a", text="WASHINGTON, Jan. 14, 2015 — Officials said talks resume.",
                                 origin=str(folder / "a.txt")))
    assert info.how == "text (inferred)" and info.evidence == "Jan. 14, 2015"
    result = runner.invoke(app, ["drift", str(folder), "--query", "trade talks", "--model", "static", "--json"])
    assert result.exit_code == 0, result.stderr
    assert [p["period"] for p in json.loads(result.stdout)["periods"]] == ["2015", "2021"]
    assert "inferred from its text" in result.stderr


def test_actor_names_are_normalised():
    said = [speaker_of(s) for s in ["US State Department Marie Harf stated that talks go on.",
                                    "“We work together,” Harf said.", "Ms. Harf added that it matters.",
                                    "The Russian Foreign Ministry said it has evidence.", "He said so."]]
    assert said[:3] == ["Marie Harf", "Harf", "Harf"] and said[3] == "Russian Foreign Ministry" and said[4] is None
    assert actor_names(said[:4]) == {"Marie Harf": "Marie Harf", "Harf": "Marie Harf",
                                     "Russian Foreign Ministry": "Russian Foreign Ministry"}


def test_people_who_share_a_surname_are_not_one_actor():
    names = actor_names(["Barack Obama", "Michelle Obama", "Obama", "Donald J. Trump", "Donald Trump", "Trump",
                         "Liz Cheney", "Cheney"])
    assert names["Barack Obama"] != names["Michelle Obama"] and names["Obama"] == "Obama"  # two Obamas: left alone
    assert names["Donald Trump"] == names["Trump"] == names["Donald J. Trump"] == "Donald J. Trump"
    assert names["Cheney"] == "Liz Cheney"
    # a shared surname joins the one of them written with the same role
    roles = {"Trump": {"president"}, "Donald J. Trump": {"president"}, "Ivanka Trump": {"adviser"}}
    names = actor_names(["Donald J. Trump", "Ivanka Trump", "Melania Trump", "Trump", "Mrs. Trump", "Obama",
                         "Barack Obama", "Michelle Obama"], {**roles, "Obama": {"president"}})
    assert names["Trump"] == "Donald J. Trump" and names["Mrs. Trump"] == "Mrs. Trump"
    assert names["Obama"] == "Obama"  # no Obama of the corpus was written as president with a first name


def test_fightin_words_rank_what_one_period_says_more():
    terms = distinctive_terms({"a": ["sanctions sanctions embargo talks"] * 5, "b": ["talks cooperation talks"] * 5},
                              background=["talks"] * 20)
    assert terms["a"][0][0] == "sanctions" and "cooperation" in {t for t, _ in terms["b"]}
    assert Counter(t for t, _ in terms["a"])["talks"] == 0


@pytest.mark.slow  # a minute: MiniLM on 10,000 items; `pytest -m slow`, and benchmarks/drift_huffpost.py
@needs_bbc
def test_huffpost_russia_moves_from_the_probe_to_the_war(minilm_store):
    encoder, store = minilm_store
    corpus = prepare_corpus([SHARED_DATA / "huffpost" / "news_category_10k.jsonl"])
    periods = {p.period: p for p in find_drift(corpus, query="Russia", encoder=encoder, store=store).periods}
    assert set(periods) == {"2018", "2019", "2020", "2021", "2022"}
    top_2022 = {term for term, _ in periods["2022"].terms[:5]}
    assert {"ukraine", "invasion", "war"} & top_2022, top_2022
    top_2018 = {term for term, _ in periods["2018"].terms[:5]}
    assert not top_2018 & {"ukraine", "invasion", "war"} and {"probe", "investigation", "trump"} & top_2018


def test_drift_of_one_cluster(tmp_path, cache_dir):
    rows = []
    for year in (2019, 2020):
        for n in range(6):
            rows.append({"id": f"f{year}{n}", "date": f"{year}-05-0{n + 1}",
                         "text": f"The floods in the valley rose again {n}. Rescuers said the river burst its banks."
                                 + (" Officials blamed climate change." if year == 2020 else "")})
            rows.append({"id": f"e{year}{n}", "date": f"{year}-06-0{n + 1}",
                         "text": f"The central bank raised interest rates {n}. Inflation stayed high, the bank said."})
    path = tmp_path / "two.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows))
    result = runner.invoke(app, ["drift", str(path), "--cluster", "0", "--k", "2", "--model", "static", "--json",
                                 "--relevance", "0.0"])
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    kept = {s["document"][0] for p in data["periods"] for s in p["statements"]}
    assert len(kept) == 1 and "cluster 0" in result.stderr  # one story's statements only
    assert runner.invoke(app, ["drift", str(path), "--model", "static"]).exit_code == 2
    missing = runner.invoke(app, ["drift", str(path), "--cluster", "7", "--k", "2", "--model", "static"])
    assert missing.exit_code == 1 and "no cluster 7" in missing.stderr


@pytest.fixture(scope="module")
def huffpost_2019_statements():
    """HuffPost's 2019 items: every sentence a statement (static vectors), flagged where it names Trump."""
    from simtool.encoders import get_encoder
    from simtool.text.basics import words

    corpus = prepare_corpus([SHARED_DATA / "huffpost" / "news_category_10k.jsonl"])
    docs = [doc for doc in corpus if doc.date is not None and doc.date.year == 2019]
    texts, documents, flags = [], [], {}
    for doc in docs:
        sentences = [doc.title, *doc.sentences] if doc.title else list(doc.sentences)
        texts += sentences
        documents += [doc.id] * len(sentences)
        flags[doc.id] = np.array(["trump" in words(s) for s in sentences], dtype=bool)
    return get_encoder("static").encode(texts), documents, flags


@pytest.mark.skipif(not (SHARED_DATA / "huffpost").is_dir(), reason="../shared/data/huffpost is absent")
def test_random_halves_of_one_period_are_no_change_at_the_promised_rate(huffpost_2019_statements):
    """The null is calibrated: 100 seeded random splits of 2019's articles into two pseudo-periods
    give a significant change in at most 10 (the level promises 5)."""
    from simtool.jobs.drift.change import null_rejections

    vectors, documents, flags = huffpost_2019_statements
    assert len(flags) > 500
    assert null_rejections(vectors, documents, flags, splits=100, seed=0) <= 10


needs_allsides = pytest.mark.skipif(not (SHARED_DATA / "allsides").is_dir(), reason="../shared/data/allsides is absent")


@pytest.fixture(scope="module")
def allsides_abortion(tmp_path_factory):
    from simtool.vectors.store import VectorStore

    corpus = prepare_corpus([SHARED_DATA / "allsides" / "allsides_3topics.jsonl"])
    with VectorStore(tmp_path_factory.mktemp("cache")) as store:
        return find_drift(corpus, query="abortion", encoder="static", store=store,
                          axis_from="bias_text=left,right", groups="bias_text")


@pytest.mark.slow  # 50 s on 2 cores (spaCy on 344 articles, terms, the axis); `pytest -m slow`
@needs_allsides
def test_outlets_rated_right_sit_right_of_those_rated_left_in_every_period_that_is_not_thin(allsides_abortion):
    result = allsides_abortion
    axis = result.axis
    assert (axis.kind, axis.group_field, axis.negative, axis.positive) == ("reference", "bias_text", "left", "right")
    assert axis.validity["folds_by"] == "source" and axis.validity["auc_low"] > 0.5 and axis.reliable
    compared = 0
    for period in result.periods:
        for cell in period.groups.values():
            assert cell.thin == (cell.documents < 10) and (cell.position is None) == cell.thin
        left, right = period.groups.get("left"), period.groups.get("right")
        if left and right and not left.thin and not right.thin:
            assert right.position.mean > left.position.mean, period.period
            compared += 1
    assert compared >= 4
    data = result.to_json(dates=False)
    assert {"kind", "validity", "reliable"} <= set(data["axis"]) and "auc" in data["axis"]["validity"]
    cell = next(iter(data["periods"][1]["groups"].values()))
    assert {"documents", "statements", "thin", "position", "terms"} <= set(cell)
    assert all({"before", "after", "effect", "p", "significant"} <= set(step) for step in data["drift"])


def test_a_reference_axis_never_scores_a_source_with_a_model_that_saw_it():
    """Each source writes one word no other source uses, and its side is the source's: a model that
    saw a source's articles would score them perfectly. Folds by source leave it nothing to go on."""
    from simtool.jobs.drift.positions import reference_positions

    rng = np.random.default_rng(0)
    common = [f"word{i}" for i in range(300)]
    texts, labels, sources = [], [], []
    for source in range(12):
        for _ in range(15):
            texts.append(" ".join([f"house{source}"] * 5 + list(rng.choice(common, 60))))
            labels.append("right" if source % 2 else "left")
            sources.append(f"outlet {source}")
    positions, validity = reference_positions(texts, labels, "left", "right", sources)
    assert validity["folds_by"] == "source" and not np.isnan(positions).any()
    assert validity["auc"] < 0.7 and validity["auc_low"] < 0.5  # not a finding: the axis is not reliable


def test_pole_statements_are_reported_as_an_unvalidated_axis(minilm_store):
    encoder, store = minilm_store
    result = find_drift(prepare_corpus([SEEDS]), query="counter-terrorism cooperation", encoder=encoder, store=store,
                        axis=("cooperation", "conflict"))
    assert result.axis.kind == "poles" and not result.axis.reliable and result.axis.validity["auc"] is None


@pytest.mark.parametrize("opening, expected", [
    ("WASHINGTON, Jan. 14, 2015 — Officials said talks resume.", "2015-01-14"),
    ("Trade talks resume\nPublished: 14 January 2015\nOfficials said talks resume.", "2015-01-14"),
    ("14 January 2015\nOfficials said talks resume.", "2015-01-14"),
    ("Talks resume\nUpdated on May 3, 2019 10:00 GMT\nOfficials said.", "2019-05-03"),
    ("The album, released on 12 May 1985, sold a million copies.", None),
    ("Guatemalan men walk from a flight after being sent back from the United States on May 30, 2019, in "
     "Guatemala City.", None),
    ("Talks resume\nOfficials met.\nThey spoke.\nThey ate.\nThey left.\nPublished: 14 January 2015", None),
])
def test_a_date_in_the_text_is_taken_only_from_a_dateline(opening, expected):
    info = resolve_date(Document(id="a", text=opening, origin="corpus.jsonl:1"))
    assert (info.date.isoformat() if info.date else None) == expected


@needs_bbc
def test_bbc_has_no_dates_so_no_document_is_dated_from_a_year_it_mentions(bbc):
    assert not [doc.id for doc in bbc if resolve_date(doc).date is not None]


def test_paraphrases_across_articles_are_one_claim_that_rises(minilm_store, tmp_path):
    """Three articles in 2020 each report the ban being signed, in their own words; 2019's articles
    talk about the bill in committee. The signing is one claim, made in 2020 only: it rises."""
    encoder, store = minilm_store
    rows = [
        ("a1", "2019-03-01", "The abortion bill was debated in a state senate committee on Tuesday. Lawmakers heard testimony."),
        ("a2", "2019-04-02", "A committee of the state senate held hearings on the abortion bill. Doctors testified."),
        ("a3", "2019-05-03", "The abortion bill stayed in committee as senators argued about amendments."),
        ("b1", "2020-03-01", "The governor signed the abortion ban into law on Friday. Clinics said they would sue."),
        ("b2", "2020-04-02", "On Friday the governor signed the ban on abortion into law. Protesters gathered outside."),
        ("b3", "2020-05-03", "The abortion ban was signed into law by the governor. The clinics plan to go to court."),
    ]
    path = tmp_path / "news.jsonl"
    path.write_text("\n".join(json.dumps({"id": i, "date": d, "text": t}) for i, d, t in rows))
    result = find_drift(prepare_corpus([path]), query="abortion law", encoder=encoder, store=store, relevance=0.2)
    signed = [c for c in result.claims if "signed" in c.label]
    assert len(signed) == 1 and signed[0].counts == {"2020": 3} and signed[0].documents == 3
    assert signed[0].id in result.drift[0].rising
    assert all(c.documents >= 2 for c in result.claims)


def test_period_terms_leave_out_credit_lines_contractions_and_possessives():
    from simtool.jobs.drift.terms import content_words

    assert content_words("The Associated Press contributed to this report.") == []
    # a credit is a sentence of names: prose is kept, and the sentence after a credit too
    assert content_words("Years of neglect contributed to this story of decline.") == ["years", "neglect", "story",
                                                                                        "decline"]
    assert content_words("Jane Doe contributed to this report. The Senate passed the budget.") == [
        "senate", "passed", "budget"]
    assert content_words("You’re right that Ireland’s vote didn't settle it.") == ["right", "ireland", "vote", "settle"]


def test_a_statement_with_a_zero_vector_is_no_claim_and_the_others_still_match():
    # TF-IDF gives a zero vector to a statement none of whose words it kept; cosine is undefined there
    from simtool.jobs.drift.claims import claim_labels

    vectors = np.array([[1.0, 0.0], [0.99, 0.1], [0.0, 0.0], [0.0, 1.0]], dtype=np.float32)
    labels = claim_labels(vectors, ["a", "b", "c", "d"])
    assert labels[2] == -1 and labels[3] == -1 and labels[0] == labels[1] >= 0


def test_claims_past_the_exact_limit_do_not_chain(monkeypatch):
    # a chain of statements, each a near-paraphrase of the next (cosine 0.8) and not of the one after
    # (0.6): near neighbours' connected groups made all 40 one claim; average linkage does not
    from simtool.jobs.drift import claims

    vectors = np.zeros((40, 44), dtype=np.float32)
    for i in range(40):
        vectors[i, i:i + 5] = 1 / np.sqrt(5)  # five words in a sliding window
    documents = [f"d{i}" for i in range(40)]
    exact = claims.claim_labels(vectors, documents)
    monkeypatch.setattr(claims, "EXACT_LIMIT", 10)  # past it: neighbour groups, then parts of at most 10
    labels = claims.claim_labels(vectors, documents)
    assert max(np.bincount(labels[labels >= 0])) <= 3 and max(np.bincount(exact[exact >= 0])) <= 3
    assert (labels >= 0).sum() >= 30  # the neighbours still pair up
    # a part of one statement, and a group of one sentence copied past the limit, are cut without error
    lone = np.vstack([vectors, np.eye(44, dtype=np.float32)[:1] * -1])
    assert claims.claim_labels(lone, [*documents, "lone"])[-1] == -1
    copies = np.tile(vectors[:1], (30, 1))
    assert (claims.claim_labels(copies, [f"c{i}" for i in range(30)]) >= 0).all()  # in parts of at most 10


@pytest.mark.parametrize("statement, name", [
    ("November President Obama said the deal holds.", "Obama"),
    ("New York Democratic Sen Chuck Schumer said the bill fails.", "Chuck Schumer"),
    ("Fifteen said no.", None), ("Other said yes.", None), ("Read more said", None), ("I've said it before.", None),
    ("Texas said the law stands.", None), ("December said nothing.", None),
    ("Anatoly Antonov, the ambassador, said Russia is ready.", "Anatoly Antonov"),
])
def test_a_speaker_is_a_name_not_a_month_a_number_a_pronoun_or_a_title(statement, name):
    assert speaker_of(statement) == name


def test_roles_and_organisations_are_kept_apart_from_names():
    from simtool.jobs.drift.speakers import attribution, describe_speaker

    said = attribution("The two countries might cooperate, Deputy Spokesperson of US State Department Marie Harf said.")
    assert (said.name, said.role, said.organisation) == ("Marie Harf", "deputy spokesperson", "US State Department")
    schumer = describe_speaker("New York Democratic Sen Chuck Schumer")
    assert (schumer.name, schumer.role, schumer.organisation) == ("Chuck Schumer", "democratic senator", "New York")
    # an honorific is no role; an abbreviated title is said in full
    assert describe_speaker("Mr. Mitt Romney").role is None and describe_speaker("Dr. Leana Wen").role is None
    assert describe_speaker("Gov. Greg Abbott").role == "governor"
    # a nationality describes the role; a company or a state is the organisation
    assert describe_speaker("Russian ambassador Anatoly Antonov").role == "Russian ambassador"
    hyundai = describe_speaker("Hyundai spokesman Jim Trainor")
    assert (hyundai.role, hyundai.organisation) == ("spokesman", "Hyundai")


def test_the_seeds_name_each_periods_speakers_most_quoted_first_with_their_roles(minilm_store):
    encoder, store = minilm_store
    result = find_drift(prepare_corpus([SEEDS]), query="counter-terrorism cooperation", encoder=encoder, store=store)
    first = result.periods[0].actors[0]
    assert (first.name, first.role, first.organisation) == ("Marie Harf", "deputy spokesperson", "US State Department")
    assert [s.statements for s in result.periods[0].actors] == sorted(
        (s.statements for s in result.periods[0].actors), reverse=True)
    assert result.periods[1].actors[0].name == "Anatoly Antonov"
    # the JSON contract: periods[i].actors sorted by statements, each {name, role, organisation, statements}
    period = result.to_json()["periods"][0]
    assert period["actors"][0] == {"name": "Marie Harf", "role": "deputy spokesperson",
                                   "organisation": "US State Department", "statements": first.statements}
    assert {a["name"]: a["statements"] for a in period["actors"]} == {
        name: len(said) for name, said in period["actor_statements"].items()}


def test_the_findings_say_who_said_what_and_when_from_the_evidence(minilm_store):
    encoder, store = minilm_store
    result = find_drift(prepare_corpus([SEEDS]), query="counter-terrorism cooperation", encoder=encoder, store=store)
    said = result.findings()
    assert said[0].startswith("In 2015, Marie Harf (deputy spokesperson, US State Department) said: “")
    assert said[1] == "In 2021, Anatoly Antonov (Russian ambassador) said: “Russia is ready to resume the bilateral " \
                      "dialogue on the fight against terrorism”"  # a sentence of his own, before a phrase
    assert said[-1].startswith("Whether anything changed between periods cannot be tested")  # one article a year
    assert result.to_json()["findings"] == said
    def folded(text: str) -> str:  # quotation marks inside a quote are written as single ones
        return re.sub(r"[\"“”‘’']", "'", " ".join(text.split()))

    for sentence, period in zip(said[:2], result.periods):  # each quote is words of a statement of its period
        quote = folded(sentence.split("“", 1)[1].removesuffix("”").removesuffix("’").removesuffix("…"))
        assert any(quote in folded(s.text) for s in period.statements)
    # her own words, where a central statement quotes them, not the sentence that reports them
    assert said[0].endswith("said: “Counterterrorism is one of those areas, you know, we always say there are areas we "
                            "can work with the Russians on, despite our disagreements on other things”")


@needs_bbc
def test_the_findings_name_the_largest_significant_change_with_its_evidence(minilm_store):
    encoder, store = minilm_store
    result = find_drift(prepare_corpus([SHARED_DATA / "state_union"]), query="terrorism", encoder=encoder, store=store)
    assert result.findings()[-1].startswith("The largest significant change is from 2000 to 2001")
    # the share of sentences about terrorism: under 1% in 2000, over 10% in 2001 (the exact figure moves by a
    # sentence between CPUs: 2000 was 0.4% on the machines it was first run on, 0.6% on an AVX2-only one)
    before, after = map(float, re.search(r"went from ([\d.]+)% to ([\d.]+)%", result.findings()[-1]).groups())
    assert before < 1.0 < 10.0 < after


def test_a_period_where_no_article_speaks_of_the_query_is_kept_and_the_step_across_it_too(tmp_path, cache_dir):
    rows = [("a", "2019-03-01", "The abortion bill was debated in committee."),
            ("b", "2020-03-01", "The football club won the cup final after extra time."),
            ("c", "2021-03-01", "The governor signed the abortion ban into law.")]
    path = tmp_path / "news.jsonl"
    path.write_text("\n".join(json.dumps({"id": i, "date": d, "text": t}) for i, d, t in rows))
    result = find_drift(prepare_corpus([path]), query="abortion", encoder="static", relevance=0.99)
    assert [p.period for p in result.periods] == ["2019", "2020", "2021"]
    assert result.periods[1].n_statements == 0 and [(s.before, s.after) for s in result.drift] == [
        ("2019", "2020"), ("2020", "2021")]
    assert result.drift[0].share_after == 0.0


def test_who_said_what_when_lists_each_actors_statements_with_period_and_outlet(minilm_store):
    encoder, store = minilm_store
    result = find_drift(prepare_corpus([SEEDS]), query="counter-terrorism cooperation", encoder=encoder, store=store)
    records = result.to_json(dates=False)["who_said_what"]
    assert [r["name"] for r in records[:2]] == ["Marie Harf", "Anatoly Antonov"]
    assert records[0]["statements"] == len(records[0]["said"]) >= 2 and records[0]["role"] == "deputy spokesperson"
    first = records[0]["said"][0]
    assert first["period"] == "2015" and first["source"] and first["attributed_by"] == "named"


def test_actor_keys_strip_titles_and_suffixes_and_keep_particles_in_the_surname():
    names = actor_names(["Rev Al Sharpton", "Al Sharpton", "Sharpton", "Chris Van Hollen", "Van Hollen",
                         "Robert F. Kennedy Jr.", "Robert Downey Jr.", ".", "..."])
    assert names["Sharpton"] == names["Al Sharpton"] == names["Rev Al Sharpton"]
    assert names["Van Hollen"] == "Chris Van Hollen"
    assert names["Robert F. Kennedy Jr."] != names["Robert Downey Jr."]
    assert names["."] == "." and names["..."] == "..."  # no word to key by: itself, no crash


def test_tfidf_sparse_rows_are_reduced_to_lsa_for_drift_not_a_crash():
    result = find_drift(prepare_corpus([SEEDS]), query="terrorism", encoder="tfidf")
    assert result.settings.encoder == "tfidf-svd" and [p.period for p in result.periods] == ["2015", "2021"]


def test_a_word_the_background_holds_often_is_not_distinctive_of_a_small_period_at_the_same_rate():
    """A small period and a large one say "marriage" equally often; the background corpus says it a
    lot. Before the prior was shared out by size, it came out the small period's top word."""
    small = ["Lawmakers debated the abortion bill in the capitol."] * 9 + ["The marriage ruling came up in the debate."]
    large = ["Governors signed new abortion rules into law."] * 90 + ["The marriage ruling came up in the debate."] * 10
    background = small + large + ["Same-sex marriage was legalised by the court."] * 500
    terms = distinctive_terms({"small": small, "large": large}, background)
    assert "marriage" not in [term for term, _ in terms["small"][:3]]
    assert terms["small"][0][0] in ("lawmakers", "debated", "capitol")


def test_a_bodys_initials_join_the_one_body_the_corpus_spells_out_and_a_persons_do_not():
    names = actor_names(["GAO", "Government Accountability Office", "ACLU", "American Civil Liberties Union",
                         "AP", "Alan Peters", "NRA"])
    assert names["GAO"] == "Government Accountability Office" and names["ACLU"] == "American Civil Liberties Union"
    assert names["AP"] == "AP" and names["NRA"] == "NRA"
    assert actor_names(["DHS", "David H. Smith"])["DHS"] == "DHS"  # a person's initials are no body's


def test_a_quote_inside_a_quoted_statement_is_nested_not_doubled():
    from simtool.jobs.drift.findings import _quoted

    assert _quoted("Antonov noted that “Russia is ready to resume the dialogue”") == \
        "“Antonov noted that ‘Russia is ready to resume the dialogue’”"
    assert _quoted("“Illegal aliens must go,” he said") == "“‘Illegal aliens must go,’ he said”"
    assert _quoted("“The whole statement is a quotation.”") == "“The whole statement is a quotation.”"
    assert _quoted('He said "$5 billion is too much," citing costs.') == "“He said ‘$5 billion is too much,’ citing costs.”"
    assert _quoted("Antonov noted that “Russia’s readiness to resume") == "“Antonov noted that ‘Russia’s readiness to resume’”"


def test_the_words_quoted_in_a_finding_are_a_sentence_of_the_speakers_not_a_phrase_or_a_title():
    from simtool.jobs.drift.findings import own_words

    antonov = {"Anatoly", "Antonov", "Russian", "ambassador"}
    assert own_words("Antonov proposed to “revive cooperation between the two countries in the fight against "
                     "terrorism” and noted that “Russia is ready to resume the dialogue”, which was held in 2018.",
                     antonov) == "Russia is ready to resume the dialogue"  # a sentence of his, not a phrase
    assert own_words("Antonov cited the bill “The Protect Life Act of 2019” and “a deal”.", antonov) is None
    assert own_words("Davis wrote in “Forgetting to be Afraid” that she had one.", {"Wendy", "Davis"}) is None
    # another's words cited, and words of another day, are quoted only in their sentence
    assert own_words("NARAL pointed to the statement: “AAPLOG unashamedly supports the right of unborn children.”",
                     {"NARAL"}) is None
    assert own_words("“Under our plan, no federal dollars will be used to fund abortions,” Obama promised in 2009.",
                     {"Barack", "Obama"}) is None
    assert own_words("“There are no plans to change the law,” Romney said at the time.", {"Mitt", "Romney"}) is None
    # a quotation that runs on into the next sentence is theirs whole; one continued after "he said," is one
    assert own_words("“It’s about going to voters and saying, We may disagree on abortion.", {"Jane", "Kleeb"}) == \
        "It’s about going to voters and saying, We may disagree on abortion."
    assert own_words("“I support the position of my party,” Buttigieg said, “that this kind of care should be "
                     "available.”", {"Pete", "Buttigieg"}) == \
        "I support the position of my party … that this kind of care should be available."


def test_a_step_counts_every_new_and_dropped_statement_and_lists_each_once():
    result = find_drift(prepare_corpus([SEEDS]), query="counter-terrorism cooperation", encoder="static")
    step = result.drift[0]
    assert step.new_total >= len(step.new) and step.dropped_total >= len(step.dropped)
    assert len(set(step.new)) == len(step.new) and len(set(step.dropped)) == len(step.dropped)


def test_a_step_with_too_few_units_says_it_cannot_be_tested_and_keeps_the_shares_difference():
    from simtool.jobs.drift.change import TOO_FEW, share_test

    one = [("a", np.array([True, True, False, False]))]
    other = [("b", np.array([True, False, False, False, False, False, False, False]))]
    shift = share_test(one, other, np.random.default_rng(0))
    assert shift.unit == TOO_FEW and shift.p == 1.0 and shift.effect > 0.3  # 50% against 12.5% is a difference
    # one article against thirty can be tested: 31 ways to split them
    many = [(f"b{i}", np.array([False] * 10)) for i in range(30)]
    tested = share_test([("a", np.array([True] * 20 + [False] * 5))], many, np.random.default_rng(0))
    assert tested.unit != TOO_FEW and tested.p < 0.05


def test_terms_of_a_period_against_an_empty_one_are_numbers_and_a_word_said_once_is_no_term_of_a_long_period():
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # numpy's "invalid value" on a group without words
        z = log_odds_z({"russia": 1, "measures": 1}, {}, {"russia": 1.0, "other": 1.0})
        one_word = log_odds_z({"russia": 3}, {"russia": 1}, {"russia": 1.0})  # no other word to weigh it by
    assert z and all(value == value for value in z.values())  # no NaN
    assert one_word == {"russia": 0.0}
    long = [f"The council debated the budget plan on day {i}." for i in range(30)] + ["Zanzibar was mentioned."]
    terms = distinctive_terms({"long": long, "other": ["Ministers met in the capital."] * 30}, long)
    assert "zanzibar" not in [t for t, _ in terms["long"]]


def test_a_corpus_whose_dated_documents_say_nothing_is_refused_in_one_line():
    # found by the fuzzer: no sentence at all left an empty array of mentions that was no boolean one
    corpus = Corpus([Document(id="a", text="x"), Document(id="b", text=" ", date=datetime.date(2015, 6, 1))], [])
    with pytest.raises(SimtoolError):
        find_drift(corpus, query="economy", encoder=get_encoder("fake"))


@pytest.mark.parametrize("seed", range(5))
def test_the_axis_auc_is_roc_auc_with_ties_and_its_shared_terms_are_sklearns(seed):
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics import roc_auc_score

    from simtool.jobs.drift.positions import _auc, _Terms

    rng = np.random.default_rng(seed)
    truth = np.array([0, 1] + rng.integers(0, 2, 60).tolist())
    predicted = rng.integers(0, 6, 62) / 5  # many ties
    assert _auc(truth, predicted) == pytest.approx(roc_auc_score(truth, predicted), abs=1e-12)
    texts = ["The senate passed the budget bill.", "Senate Democrats passed the bill on Tuesday.", "Budget cuts"]
    terms = _Terms()
    own = TfidfVectorizer(ngram_range=(1, 2), stop_words="english").build_analyzer()
    assert [terms(t) for t in texts] == [own(t) for t in texts] == [terms(t) for t in texts]  # memo or not
