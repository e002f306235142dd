"""Clusters kept across runs (`cluster --state`): a corpus fed in slices agrees with one batch run,
no known document changes cluster in an update, a rebuild maps the new clusters to the old ids,
and a run that fails or is killed leaves the previous state usable."""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import signal
import subprocess
import sys
import time
from dataclasses import replace

import pytest
from sklearn.metrics import adjusted_rand_score
from typer.testing import CliRunner

from simtool.cli import app
from simtool.errors import InputError
from simtool.io.corpus import Corpus
from simtool.io.document import Document
from simtool.jobs.cluster import cluster_corpus
from simtool.jobs.cluster.updates import STATE_FILE, cluster_with_state
from tests.conftest import SHARED_DATA, needs_bbc


@pytest.fixture(scope="module")
def shuffled(bbc):
    docs = list(bbc)
    random.Random(0).shuffle(docs)
    return docs


def _id_changes_are_recorded(before: dict[str, int], after: dict[str, int], changes) -> None:
    """Every known document whose cluster id changed is in the run's record: a move, a merge or a split."""
    explained = {(m["from"], m["into"]) for m in changes.merged} | \
        {(s["from"], i) for s in changes.split for i in s["into"]}
    moves = {(m["id"], m["from"], m["to"]) for m in changes.moves}
    for doc_id, cluster in before.items():
        if doc_id in after and after[doc_id] != cluster:
            assert (cluster, after[doc_id]) in explained or (doc_id, cluster, after[doc_id]) in moves, doc_id
    assert changes.moved == len(changes.moves)


@needs_bbc
def test_five_slices_agree_with_one_batch_run_and_every_id_change_is_recorded(shuffled, tmp_path):
    shuffled = shuffled[:600]  # not all of BBC: the slow tier's HuffPost test has 10,000
    seen: dict[str, int] = {}
    for part in range(1, 6):
        corpus = Corpus(shuffled[:len(shuffled) * part // 5])
        result, changes = cluster_with_state(corpus, tmp_path, model="tfidf", k=5)
        # each slice is a quarter or more of what was fitted: past REFIT_SHARE, so a refit mapped to the old ids
        assert changes.mode == ("first run" if part == 1 else "refit") and (part == 1 or changes.reason)
        assert changes.new_documents == len(corpus) - len(seen)
        _id_changes_are_recorded(seen, result.assignments, changes)
        seen = dict(result.assignments)
    ids = [doc.id for doc in shuffled]
    batch = cluster_corpus(Corpus(shuffled), model="tfidf", k=5)
    assert adjusted_rand_score([batch.assignments[i] for i in ids], [result.assignments[i] for i in ids]) >= 0.9
    rebuilt, changes = cluster_with_state(Corpus(shuffled), tmp_path, model="tfidf", k=5, rebuild=True)
    assert changes.mode == "rebuild" and changes.new_documents == 0
    _id_changes_are_recorded(seen, rebuilt.assignments, changes)
    assert rebuilt.assignments == seen  # the same documents fitted again: the same clusters, under the same ids


@needs_bbc
def test_small_updates_assign_without_moving_known_documents_until_they_add_up(shuffled, tmp_path):
    shuffled = shuffled[:600]
    base = len(shuffled) * 8 // 10
    first, _ = cluster_with_state(Corpus(shuffled[:base]), tmp_path, model="tfidf", k=5)
    step = base // 20  # 5% a run: the second one brings the total past REFIT_SHARE (10%)
    result, changes = cluster_with_state(Corpus(shuffled[:base + step]), tmp_path, model="tfidf", k=5)
    assert changes.mode == "update" and changes.new_documents == step
    assert all(result.assignments[d] == c for d, c in first.assignments.items())
    # a refit keeps the state's k (--k counts at the first run and at --rebuild only)
    grown, changes = cluster_with_state(Corpus(shuffled[:base + 3 * step]), tmp_path, model="tfidf", k=3)
    assert changes.mode == "refit" and str(3 * step) in changes.reason
    assert len(set(grown.assignments.values())) == 5
    _id_changes_are_recorded(result.assignments, grown.assignments, changes)
    after, changes = cluster_with_state(Corpus(shuffled[:base + 4 * step]), tmp_path, model="tfidf", k=5)
    assert changes.mode == "update"  # the count since the last fit starts again at the refit
    assert all(after.assignments[d] == c for d, c in grown.assignments.items())
    never, changes = cluster_with_state(Corpus(shuffled[:base + 7 * step]), tmp_path, model="tfidf", k=5,
                                        refit_share=float("inf"))
    assert changes.mode == "update"


@needs_bbc
def test_articles_absent_from_a_refit_follow_their_cluster_when_it_merges_and_keep_it_when_they_return(
        bbc, tmp_path, monkeypatch):
    import numpy as np

    from simtool.jobs.cluster import updates
    from simtool.jobs.cluster.local import describe_clusters, represent

    def fitted_as(story):  # a fit that finds the stories `story` names (the bookkeeping is under test)
        def fit(corpus, **options):
            result = cluster_corpus(corpus, **options)
            labels = np.array([story(d.id) for d in corpus])
            return replace(result, assignments={d.id: int(c) for d, c in zip(corpus, labels)},
                           clusters=describe_clusters(corpus, labels, represent(corpus, "tfidf").vectors))
        return fit

    topics = {name: [d for d in bbc if d.id.startswith(f"{name}/")][:60] for name in ("tech", "sport", "business")}
    monkeypatch.setattr(updates, "cluster_corpus", fitted_as(lambda i: ("tech/", "sport/", "business/").index(
        i[:i.index("/") + 1])))
    cluster_with_state(Corpus([d for docs in topics.values() for d in docs]), tmp_path, model="tfidf", k=3)
    present = Corpus([*topics["tech"], *topics["sport"][:20], *topics["business"],
                      *[d for d in bbc if d.id.startswith("politics/")][:30]])
    # the refit finds tech and sport one story: sport (20 present) merges into tech (60)
    monkeypatch.setattr(updates, "cluster_corpus", fitted_as(lambda i: 0 if i.startswith(("tech/", "sport/")) else 1))
    result, changes = cluster_with_state(present, tmp_path, model="tfidf", k=3)
    monkeypatch.undo()
    assert changes.mode == "refit" and changes.merged == [{"into": 0, "from": 1}]
    state = json.loads((tmp_path / STATE_FILE).read_text())
    assert all(state["documents"][d.id][1] == 0 for d in topics["sport"][20:])  # absent: moved with their story
    back, changes = cluster_with_state(Corpus([*present, *topics["sport"][20:]]), tmp_path, model="tfidf", k=3)
    assert changes.mode == "update" and changes.new_documents == 0
    assert 1 not in set(back.assignments.values())  # the merged id does not come back


@needs_bbc
def test_a_new_topic_opens_a_new_cluster_and_the_old_ones_keep_their_ids(bbc, tmp_path):
    tech = Corpus([d for d in bbc if d.id.startswith("tech/")])
    first, _ = cluster_with_state(tech, tmp_path, model="tfidf", k=3)
    grown = Corpus([*tech, *[d for d in bbc if d.id.startswith("sport/")]])
    # assignment alone (a run this large re-fits by default: see the test of the slices)
    result, changes = cluster_with_state(grown, tmp_path, model="tfidf", k=3, refit_share=float("inf"))
    assert changes.new_clusters and min(changes.new_clusters) == 3  # the next ids, at the grain of tech's
    sport = [result.assignments[d.id] for d in grown if d.id.startswith("sport/")]
    assert sum(c in changes.new_clusters for c in sport) / len(sport) >= 0.9
    assert all(result.assignments[d.id] == first.assignments[d.id] for d in tech)


@needs_bbc
def test_a_failed_run_leaves_the_state_as_it_was_and_a_changed_setting_is_refused(bbc, tmp_path, monkeypatch):
    from simtool.jobs.cluster import updates

    tech = Corpus([d for d in bbc if d.id.startswith("tech/")][:150])
    cluster_with_state(tech, tmp_path, model="tfidf", k=3)
    before = (tmp_path / STATE_FILE).read_bytes()

    def broken(*args, **kwargs):
        raise RuntimeError("the machine went away")

    monkeypatch.setattr(updates, "represent", broken)
    monkeypatch.setattr(updates, "cluster_corpus", broken)
    for share in (float("inf"), 0.1):  # an update that assigns, and one that re-fits
        with pytest.raises(RuntimeError):
            cluster_with_state(Corpus([d for d in bbc if d.id.startswith("tech/")]), tmp_path, model="tfidf", k=3,
                               refit_share=share)
        assert (tmp_path / STATE_FILE).read_bytes() == before
    with pytest.raises(InputError, match="--rebuild"):
        cluster_with_state(tech, tmp_path, model="static", k=3)
    state = json.loads((tmp_path / STATE_FILE).read_text())
    (tmp_path / STATE_FILE).write_text(json.dumps({**state, "since_fit": None}))
    with pytest.raises(InputError, match="cannot read the cluster state"):
        cluster_with_state(tech, tmp_path, model="tfidf", k=3)
    (tmp_path / STATE_FILE).write_text("{not json")
    with pytest.raises(InputError, match="cannot read the cluster state"):
        cluster_with_state(tech, tmp_path, model="tfidf", k=3)


@needs_bbc
@pytest.mark.slow  # two processes and a kill: about 15 s
def test_kill_9_during_an_update_leaves_a_usable_state_and_the_rerun_completes_it(tmp_path):
    state = tmp_path / "state"
    tech, business = SHARED_DATA / "bbc" / "tech", SHARED_DATA / "bbc" / "business"
    command = [sys.executable, "-c", "from simtool.cli import main; main()", "cluster", "--model", "tfidf", "--k", "3",
               "--state", str(state)]
    env = {**os.environ, "SIMTOOL_CACHE": str(tmp_path / "cache"), "HF_HUB_OFFLINE": "1"}
    subprocess.run([*command, str(tech)], check=True, capture_output=True, env=env)
    running = subprocess.Popen([*command, str(tech), str(business)], stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, env=env)
    time.sleep(1.5)
    running.send_signal(signal.SIGKILL)
    running.wait()
    json.loads((state / STATE_FILE).read_text())  # the old state or the new one, whole
    done = subprocess.run([*command, str(tech), str(business), "--json"], capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    assert len(json.loads(done.stdout)["assignments"]) == 911


def test_the_command_prints_the_changes(tmp_path):
    from tests.conftest import SEEDS

    runner = CliRunner()
    first = runner.invoke(app, ["cluster", str(SEEDS), "--model", "tfidf", "--k", "1", "--state", str(tmp_path),
                                "--json"])
    assert first.exit_code == 0, first.output
    assert json.loads(first.stdout)["changes"]["mode"] == "first run"
    again = runner.invoke(app, ["cluster", str(SEEDS), "--model", "tfidf", "--k", "1", "--state", str(tmp_path)])
    assert again.exit_code == 0 and "update: 0 new documents" in again.stdout
    refused = runner.invoke(app, ["cluster", str(SEEDS), "--rebuild"])
    assert refused.exit_code == 2 and "--state" in refused.output


@needs_bbc
def test_dedup_in_five_slices_gives_the_batch_groups_and_copies_join_their_originals(shuffled, tmp_path):
    from simtool.bench.perturb import edited_copy
    from simtool.jobs.dedup import find_duplicates
    from simtool.jobs.dedup.updates import find_duplicates_with_state

    before = 0
    for part in range(1, 6):
        size = len(shuffled) * part // 5
        result, changes = find_duplicates_with_state(Corpus(shuffled[:size]), tmp_path)
        assert changes.new_documents == size - before
        before = size
    batch = find_duplicates(Corpus(shuffled))
    assert {frozenset(g.members) for g in result.groups} == {frozenset(g.members) for g in batch.groups}
    assert [g.canonical for g in result.groups] == [g.canonical for g in batch.groups]
    copies = [edited_copy(doc, seed=n, new_id=f"copy-{n}") for n, doc in enumerate(shuffled[:20])]
    result, changes = find_duplicates_with_state(Corpus([*shuffled, *copies]), tmp_path)
    group_of = {member: g.canonical for g in result.groups for member in g.members}
    assert all(group_of.get(copy.id) == group_of.get(doc.id) is not None for copy, doc in zip(copies, shuffled))
    assert changes.new_documents == 20 and sorted(changes.copies_of_earlier) == sorted(c.id for c in copies)
    assert changes.verified_pairs < 100  # only pairs with a new article are verified


def test_a_dedup_state_refuses_other_settings_and_says_when_damaged(tmp_path):
    from tests.conftest import SEEDS

    runner = CliRunner()
    first = runner.invoke(app, ["dedup", str(SEEDS), "--state", str(tmp_path), "--json"])
    assert first.exit_code == 0 and json.loads(first.stdout)["changes"]["mode"] == "first run"
    other = runner.invoke(app, ["dedup", str(SEEDS), "--state", str(tmp_path), "--threshold", "0.9"])
    assert other.exit_code == 1 and "another --state folder" in other.stderr
    (tmp_path / "dedup.json").write_text("[]")
    damaged = runner.invoke(app, ["dedup", str(SEEDS), "--state", str(tmp_path)])
    assert damaged.exit_code == 1 and "cannot read the dedup state" in damaged.stderr


def test_analyze_with_a_state_keeps_cluster_ids_and_says_what_changed(tmp_path):
    from simtool.io.corpus import corpus_from_texts
    from simtool.jobs.analyze import analyze

    texts = [f"The council approved the {topic} budget on Monday after a debate about {topic} number {n}."
             for topic in ("school", "road", "library") for n in range(4)]
    first = analyze(corpus_from_texts(texts), model="fake", cluster_model="fake", map_method="pca", k=3,
                    state=tmp_path)
    assert first.changes["clusters"].mode == "first run" and first.to_json()["changes"]["duplicates"]["mode"]
    grown = corpus_from_texts([*texts, texts[0] + " Updated."])
    second = analyze(grown, model="fake", cluster_model="fake", map_method="pca", k=3, state=tmp_path)
    assert second.changes["clusters"].new_documents == 1
    assert all(second.clusters.assignments[i] == c for i, c in first.clusters.assignments.items())
    assert second.changes["duplicates"].copies_of_earlier == [grown.documents[-1].id]


@needs_bbc
def test_an_update_says_what_changed_in_events(bbc, tmp_path):
    from simtool.bench.perturb import edited_copy
    from simtool.jobs.watch import update_state

    tech = [d for d in bbc if d.id.startswith("tech/")][:120]
    first = update_state(Corpus(tech), tmp_path, cluster_model="tfidf", k=3)
    assert first.clusters.mode == "first run" and not first.events
    copy = edited_copy(tech[0], seed=1, new_id="copy-of-first")
    sport = [d for d in bbc if d.id.startswith("sport/")][:80]
    longest = max(tech[1].text.splitlines(), key=len)  # one paragraph of an earlier article, in one of its own
    taken = Document("took-paragraphs", "\n".join([*sport[0].text.splitlines(), longest]), date=dt.date(2005, 3, 2))
    grown = Corpus([*tech, copy, *sport[1:], taken])
    second = update_state(grown, tmp_path, cluster_model="tfidf", k=3)
    assert f"new copy of {tech[0].id}: copy-of-first" in second.events  # named after the earlier article
    assert any(e.startswith("new story: cluster 3") for e in second.events)
    assert any("took-paragraphs" in e for e in second.events if e.startswith(("reuse of", "shared passages")))
    assert not any("copy-of-first" in e for e in second.events if e.startswith(("reuse of", "shared passages")))
    assert not update_state(grown, tmp_path, cluster_model="tfidf", k=3).events


@pytest.mark.slow  # a watching process and files arriving: about 20 s
@needs_bbc
def test_watch_prints_an_event_when_a_copy_arrives_and_stops_on_ctrl_c(tmp_path):
    folder, state = tmp_path / "incoming", tmp_path / "state"
    folder.mkdir()
    articles = sorted((SHARED_DATA / "bbc" / "tech").glob("*.txt"))[:30]
    for path in articles:
        (folder / path.name).write_bytes(path.read_bytes())
    env = {**os.environ, "SIMTOOL_CACHE": str(tmp_path / "cache"), "HF_HUB_OFFLINE": "1"}
    watching = subprocess.Popen([sys.executable, "-c", "from simtool.cli import main; main()", "watch", str(folder),
                                 "--state", str(state), "--cluster-model", "tfidf", "--k", "2", "--debounce", "300"],
                                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                env=env)
    lines: list[str] = []

    def read_until(text: str) -> None:
        while not any(text in line for line in lines):
            line = watching.stdout.readline()
            if not line:  # the process ended
                raise AssertionError(f"no {text!r} in {lines}: {watching.stderr.read()}")
            lines.append(line)

    read_until("watching")
    (folder / "copy.txt").write_bytes(articles[0].read_bytes() + b"\nA line the copy added at its end.\n")
    read_until("new copy of")
    watching.send_signal(signal.SIGINT)
    _, err = watching.communicate(timeout=60)
    assert watching.returncode == 130 and "Traceback" not in err
    json.loads((state / "clusters" / STATE_FILE).read_text())


@needs_bbc
def test_reuse_with_a_state_gives_what_a_run_on_everything_gives(bbc, tmp_path):
    from simtool.jobs.reuse import find_reuse
    from simtool.jobs.reuse.updates import find_reuse_with_state
    from tests.test_reuse import build

    planted, _ = build("present")
    docs = [*list(bbc)[:300], *planted]
    first, new = find_reuse_with_state(Corpus(docs[:200] + [d for d in planted if d.id == "wire"]), tmp_path)
    assert new == 201
    result, new = find_reuse_with_state(Corpus(docs), tmp_path)
    assert new == len(docs) - 201
    assert result.to_json()["edges"] == find_reuse(Corpus(docs)).to_json()["edges"]
    assert result.to_json()["families"] == find_reuse(Corpus(docs)).to_json()["families"]
    again, new = find_reuse_with_state(Corpus(docs), tmp_path)
    assert new == 0 and again.to_json()["edges"] == result.to_json()["edges"]


def test_states_refuse_damage_a_file_and_a_second_run_in_one_line(tmp_path):
    """Valid JSON of another shape is damage; --rebuild starts a damaged cluster state again; a
    file given as DIR and a run while another holds the state are refused."""
    from tests.conftest import SEEDS

    runner = CliRunner()
    for command, name in (("cluster", "clusters.json"), ("dedup", "dedup.json"), ("reuse", "reuse.json")):
        state = tmp_path / command
        extra = ["--model", "tfidf", "--k", "1"] if command == "cluster" else []
        assert runner.invoke(app, [command, str(SEEDS), *extra, "--state", str(state)]).exit_code == 0
        document = json.loads((state / name).read_text())
        document["documents"] = 5 if command != "cluster" else {"x": 5}
        (state / name).write_text(json.dumps(document))
        damaged = runner.invoke(app, [command, str(SEEDS), *extra, "--state", str(state)])
        assert damaged.exit_code == 1 and "cannot read the" in damaged.stderr, (command, damaged.output)
        assert "Traceback" not in damaged.output
    again = runner.invoke(app, ["cluster", str(SEEDS), "--model", "tfidf", "--k", "1", "--state", str(tmp_path / "cluster"),
                                "--rebuild"])
    assert again.exit_code == 0, again.output
    (tmp_path / "afile").write_text("x")
    file_given = runner.invoke(app, ["dedup", str(SEEDS), "--state", str(tmp_path / "afile")])
    assert file_given.exit_code == 1 and "needs a folder" in file_given.stderr
    import fcntl

    with open(tmp_path / "cluster" / ".lock", "a") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        busy = runner.invoke(app, ["cluster", str(SEEDS), "--model", "tfidf", "--k", "1", "--state",
                                   str(tmp_path / "cluster")])
    assert busy.exit_code == 1 and "another simtool run" in busy.stderr


@needs_bbc
def test_a_corpus_without_the_known_documents_gets_new_ids_and_they_keep_theirs_when_back(bbc, tmp_path):
    tech = Corpus([d for d in bbc if d.id.startswith("tech/")][:150])
    sport = Corpus([d for d in bbc if d.id.startswith("sport/")][:150])
    first, _ = cluster_with_state(tech, tmp_path, model="tfidf", k=3)
    other, changes = cluster_with_state(sport, tmp_path, model="tfidf", k=3)
    assert min(changes.new_clusters) == 3 and min(other.assignments.values()) >= 3
    back, changes = cluster_with_state(tech, tmp_path, model="tfidf", k=3)
    assert back.assignments == first.assignments and changes.new_documents == 0


@pytest.mark.slow  # HuffPost's 10,000 items, five fits
@pytest.mark.skipif(not (SHARED_DATA / "huffpost").exists(), reason="../shared/data/huffpost is not beside the project")
def test_huffpost_fed_in_five_dated_slices_agrees_with_one_batch_run(tmp_path):
    from simtool.io.prepare import prepare_corpus

    docs = sorted(prepare_corpus([SHARED_DATA / "huffpost" / "news_category_10k.jsonl"]),
                  key=lambda d: (d.date is None, str(d.date or ""), d.id))
    seen: dict[str, int] = {}
    for part in range(1, 6):
        result, changes = cluster_with_state(Corpus(docs[:len(docs) * part // 5]), tmp_path, model="tfidf", k=5)
        _id_changes_are_recorded(seen, result.assignments, changes)
        seen = dict(result.assignments)
    batch = cluster_corpus(Corpus(docs), model="tfidf", k=5)
    ids = [doc.id for doc in docs]
    assert adjusted_rand_score([batch.assignments[i] for i in ids], [result.assignments[i] for i in ids]) >= 0.9
