"""The CLI end to end (typer's CliRunner), with the real packaged MiniLM where semantics matter."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from simtool.cli import app
from tests.conftest import SEED_2015, SEED_2021, SEEDS

runner = CliRunner()


def invoke(*args: str):
    return runner.invoke(app, [str(a) for a in args])


def test_related_ranks_the_other_seed_first(cache_dir):
    result = invoke("related", SEEDS, "--doc", SEED_2015, "--json")
    assert result.exit_code == 0, result.stderr
    hits = json.loads(result.stdout)["results"]
    assert hits[0]["id"] == SEED_2021
    assert 0 < hits[0]["score"] <= 1
    why = hits[0]["why"]
    assert why["query_sentence"] and why["match_sentence"] and "russia" in why["shared_terms"]


def test_related_by_text(cache_dir):
    result = invoke("related", SEEDS, "--text", "Russian ambassador Antonov offers to revive dialogue", "--json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["results"][0]["id"] == SEED_2021


def test_second_related_run_embeds_nothing(cache_dir):
    invoke("embed", SEEDS)
    result = invoke("embed", SEEDS, "--json")
    assert json.loads(result.stdout)["encoded"] == 0


def test_compare_the_seeds_says_related_not_duplicate(cache_dir):
    result = invoke("compare", SEEDS, "--a", SEED_2015, "--b", SEED_2021, "--json")
    assert result.exit_code == 0, result.stderr
    comparison = json.loads(result.stdout)
    assert comparison["verdict"] in ("related", "same story")
    assert set(comparison["scores"]) >= {"minilm", "static", "tfidf", "jaccard", "containment"}
    assert comparison["aligned"] and comparison["only_a"] and comparison["only_b"]


def _edited_copy(tmp_path: Path) -> Path:
    """A republished copy of the 2021 seed: other site furniture, one sentence reworded."""
    text = (SEEDS / f"{SEED_2021}.txt").read_text(encoding="utf-8")
    text = text.replace("0 0 votes\nArticle Rating\nNotify of\nInline Feedbacks\nView all comments",
                        "Share on Facebook\nShare on Twitter\nMost read stories\nSign up for alerts")
    text = text.replace("Russia is grateful to the United States for sharing information that helped prevent "
                        "attacks in Saint Petersburg in 2017 and 2019",
                        "Moscow thanked Washington for intelligence that helped stop planned attacks in "
                        "Saint Petersburg in 2017 and 2019")
    copy = tmp_path / "copy.txt"
    copy.write_text(text, encoding="utf-8")
    return copy


def test_compare_an_edited_copy_says_near_duplicate(cache_dir, tmp_path):
    copy = _edited_copy(tmp_path)
    result = invoke("compare", SEEDS / f"{SEED_2021}.txt", copy, "--json")
    assert result.exit_code == 0, result.stderr
    comparison = json.loads(result.stdout)
    assert comparison["verdict"] == "near-duplicate"
    assert any("Moscow thanked Washington" in s for s in comparison["only_b"]) or \
        any("Moscow thanked" in a["b"] for a in comparison["aligned"])


def test_clean_prints_text_and_diff():
    result = invoke("clean", SEEDS / f"{SEED_2015}.txt")
    assert result.exit_code == 0
    assert "Harf added that Russia" in result.stdout and "Subscribe" not in result.stdout
    diff = invoke("clean", SEEDS / f"{SEED_2015}.txt", "--diff")
    assert "Subscribe" in diff.stdout and "why:" in diff.stdout


def test_clean_of_a_folder_cleans_every_article_and_doc_picks_one():
    result = invoke("clean", SEEDS)
    assert result.exit_code == 0
    assert result.stdout.count("==> ") == 2 and f"==> {SEED_2021} <==" in result.stdout
    assert "Harf added that Russia" in result.stdout and "Calling the US ambassador" in result.stdout
    one = invoke("clean", SEEDS, "--doc", SEED_2021, "--json")
    assert json.loads(one.stdout)["id"] == SEED_2021
    every = json.loads(invoke("clean", SEEDS, "--json").stdout)["results"]
    assert [d["id"] for d in every] == [SEED_2015, SEED_2021]
    missing = invoke("clean", SEEDS, "--doc", "nope")
    assert missing.exit_code != 0 and "no article has the id 'nope'" in missing.stderr


def test_models_lists_the_packaged_models():
    result = invoke("models", "--json")
    models = {m["name"]: m for m in json.loads(result.stdout)["results"]}
    assert models["minilm"]["dim"] == 384 and models["minilm"]["offline"]
    assert models["static"]["dim"] == 64 and models["static"]["offline"]


def test_the_console_script_runs(tmp_path):
    exe = shutil.which("simtool") or str(Path(sys.executable).parent / "simtool")
    result = subprocess.run([exe, "related", str(SEEDS), "--doc", SEED_2015, "--model", "static", "--json",
                             "--cache", str(tmp_path)], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["results"][0]["id"] == SEED_2021


def test_related_by_file(cache_dir, tmp_path):
    query = tmp_path / "query.txt"
    query.write_text("Antonov said Russia is ready to resume the bilateral dialogue on fighting terrorism.")
    result = invoke("related", SEEDS, "--file", query, "--json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["results"][0]["id"] == SEED_2021


def test_clean_json_lists_removed_lines_with_reasons():
    result = invoke("clean", SEEDS / f"{SEED_2021}.txt", "--json")
    cleaned = json.loads(result.stdout)
    removed = {r["text"]: r["reason"] for r in cleaned["removed"]}
    assert "View all comments" in removed and all(removed.values())
    assert "Calling the US ambassador" in cleaned["text"]


def test_no_clean_keeps_the_junk(cache_dir):
    result = invoke("compare", SEEDS, "--a", SEED_2015, "--b", SEED_2021, "--no-clean", "--model", "static", "--json")
    only_b = json.loads(result.stdout)["only_b"]
    assert any("View all comments" in s for s in only_b)


def test_the_command_reference_is_generated_from_the_cli():
    """docs/commands.md is what scripts/gen_commands.py makes from --help: it cannot drift."""
    import importlib.util

    from tests.conftest import ROOT

    spec = importlib.util.spec_from_file_location("gen_commands", ROOT / "scripts" / "gen_commands.py")
    generator = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generator)
    assert (ROOT / "docs" / "commands.md").read_text(encoding="utf-8") == generator.reference(), \
        "docs/commands.md is out of date: run .venv/bin/python scripts/gen_commands.py"


def test_a_model_typo_is_answered_at_once_with_the_close_name():
    from simtool.encoders import get_encoder
    from simtool.errors import UnknownModelError

    with pytest.raises(UnknownModelError, match="did you mean minilm"):
        get_encoder("minlm")
    assert "fake" not in {m.name for m in __import__("simtool.encoders", fromlist=["x"]).list_models()}


def test_a_quoted_home_path_is_the_home_folder(tmp_path, monkeypatch, cache_dir):
    monkeypatch.setenv("HOME", str(tmp_path))
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in ("a", "b"):
        (corpus / f"{name}.txt").write_text(f"Title {name}\n\nA story about the harbour budget, number {name}.\n")
    monkeypatch.chdir(tmp_path / "corpus")
    run = CliRunner().invoke(app, ["cluster", "~/corpus", "--model", "tfidf", "--k", "2", "--out", "~/clusters.csv"])
    assert run.exit_code == 0, run.output
    assert (tmp_path / "clusters.csv").exists() and not (tmp_path / "corpus" / "~").exists()


def test_version_short_help_and_a_closed_pipe(tmp_path):
    import subprocess
    import sys

    simtool = [sys.executable, "-c", "from simtool.cli import main; main()"]
    assert subprocess.run([*simtool, "--version"], capture_output=True, text=True).stdout.startswith("simtool ")
    assert "Usage" in subprocess.run([*simtool, "dedup", "-h"], capture_output=True, text=True).stdout
    big = tmp_path / "big.txt"
    big.write_text("Title\n\n" + "A long enough sentence about the council and its budget plans. " * 10000)  # 640 kB: ten pipe buffers
    run = subprocess.run(" ".join([*(f"'{a}'" for a in simtool), "clean", str(big), "| head -c 100 > /dev/null"]),
                         shell=True, capture_output=True, text=True, executable="/bin/bash",
                         env={**os.environ, "SHELLOPTS": "pipefail"})
    assert run.returncode == 0 and run.stderr == ""


def test_dedup_prints_a_summary_and_the_members_on_request(tmp_path, cache_dir):
    text = ("The city council approved the new harbour budget on Tuesday after a long debate about ferry fares "
            "and the cost of repairing the old sea wall.")
    for name, body in (("a", text), ("b", text + " It takes effect in May."), ("c", "A different story on rain.")):
        (tmp_path / f"{name}.txt").write_text(f"Title {name}\n\n{body}\n")
    summary = CliRunner().invoke(app, ["dedup", str(tmp_path)])
    assert summary.exit_code == 0 and "groups (largest first)" in summary.output and "--details" in summary.output
    assert "sentences +/-" not in summary.output
    details = CliRunner().invoke(app, ["dedup", str(tmp_path), "--details"])
    assert details.exit_code == 0 and "group 1: canonical" in details.output and "sentences +/-" in details.output


def test_a_closed_pipe_after_csv_or_rich_output_is_quiet_and_names_cannot_drive_the_terminal(tmp_path):
    import json as jsonlib

    corpus = tmp_path / "copies.jsonl"
    with open(corpus, "w") as out:
        for i in range(500):
            text = f"Story {i}: the council met about the harbour budget and the ferry fares for district {i}."
            for copy in range(2):
                out.write(jsonlib.dumps({"id": f"s{i}-{copy}", "title": f"Headline {i} " + "x" * 60,
                                         "text": text}) + "\n")
    simtool = " ".join(f"'{a}'" for a in (sys.executable, "-c", "from simtool.cli import main; main()"))
    for args in ("--csv", "--details"):
        run = subprocess.run(f"set -o pipefail; {simtool} dedup '{corpus}' {args} | head -c 100 > /dev/null",
                             shell=True, capture_output=True, text=True, executable="/bin/bash")
        assert run.returncode == 0 and run.stderr == "", (args, run.stderr)
    evil = tmp_path / "\x1b]0;owned\x07\x1b[2J.jsonl"
    evil.write_text("not json\n")
    run = subprocess.run([sys.executable, "-c", "from simtool.cli import main; main()", "dedup", str(evil), "--strict"],
                         capture_output=True, text=True)
    assert run.returncode == 1 and "\x1b" not in run.stderr and "\x07" not in run.stderr


def test_help_shows_the_defaults_written_in_it_groups_options_and_gives_an_example():
    result = runner.invoke(app, ["dedup", "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    text = " ".join(result.stdout.split())
    assert "[default: 0.5, with --containment 0.8]" in text  # rich markup swallowed it
    assert "PATHS" in text and "{paths}" not in text
    assert "Engine (Ray, shards)" in text and "Model and cache" in text and "Input" in text
    assert "Example: simtool dedup" in text
    for command in ("analyze", "related", "compare", "cluster", "drift", "bench", "clean", "embed", "index"):
        assert "Example: simtool " + command in " ".join(runner.invoke(app, [command, "-h"]).stdout.split())


def test_every_command_prints_one_json_shape_with_its_settings(tmp_path):
    seed = str(SEEDS / f"{SEED_2015}.txt")
    runs = {"related": ["related", SEEDS, "--doc", SEED_2015, "-m", "static"],
            "compare": ["compare", SEEDS, "--a", SEED_2015, "--b", SEED_2021, "-m", "static"],
            "dedup": ["dedup", SEEDS], "cluster": ["cluster", SEEDS, "-m", "static", "--k", "2"],
            "drift": ["drift", SEEDS, "--query", "terrorism", "-m", "static"], "embed": ["embed", SEEDS, "-m", "static"],
            "index": ["index", SEEDS, "-m", "static"], "clean": ["clean", seed], "models": ["models"],
            "reuse": ["reuse", SEEDS]}
    fingerprints = set()
    for command, args in runs.items():
        no_cache = command in ("clean", "models", "reuse")
        result = invoke(*args, "--json", *([] if no_cache else ["--cache", tmp_path]))
        assert result.exit_code == 0, (command, result.output)
        document = json.loads(result.stdout)
        assert isinstance(document, dict) and document["command"] == command, command
        assert document["simtool_version"] and isinstance(document["settings"], dict), command
        record = document["run"]  # what produced the result
        assert record["packages"]["numpy"] and record["python"] and record["started"] and record["seconds"] >= 0
        if command not in ("clean", "models"):
            assert record["corpus"]["documents"] == 2, command
            fingerprints.add(record["corpus"]["fingerprint"])
        if "-m" in args:
            assert record["models"]["static"]["identity"].startswith("static/static@")
            assert len(record["models"]["static"]["weights_hash"]) == 12
    assert len(fingerprints) == 1  # one corpus, one fingerprint
    assert json.loads(invoke(*runs["dedup"], "--json").stdout)["settings"]["threshold"] == 0.5
    assert json.loads(invoke(*runs["related"], "--json", "--cache", tmp_path).stdout)["settings"]["model"] == "static"


def test_a_run_ends_with_the_time_of_each_stage(tmp_path, monkeypatch):
    from simtool.cli import output

    monkeypatch.setattr(output.StageTimes, "SHOWN_AFTER", 0.0)  # the seeds run in under the usual 5 s
    monkeypatch.setattr(output.StageTimes, "SHORTEST", 0.0)  # and each stage in a moment
    result = invoke("cluster", SEEDS, "-m", "static", "--k", "2", "--cache", tmp_path)
    assert result.exit_code == 0, result.output
    line = next(x for x in result.stderr.splitlines() if x.startswith("time: "))
    assert "loading and cleaning" in line and "embedding" in line and line.endswith(" s)") and "(total " in line
    assert "clustering" in line  # choosing k and fitting are a stage of their own, not time left unaccounted


def test_clean_of_a_data_file_says_a_bad_record_and_cleans_the_rest_and_json_is_a_list_whatever_its_length(tmp_path):
    data = tmp_path / "a.jsonl"
    data.write_text('{"id": "a", "text": "The council met on Monday to debate the budget plan.", "date": "2099-01-01"}\n'
                    "not json\n")
    result = invoke("clean", data, "--json")
    assert result.exit_code == 0 and "not valid JSON" in result.stderr
    assert [d["id"] for d in json.loads(result.stdout)["results"]] == ["a"]
