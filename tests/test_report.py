"""`simtool analyze` and its HTML report, opened in headless Chromium.

The browser is the system's `chromium` (or the one Playwright downloaded), driven by Playwright.
`scripts/setup.sh` installs one where it is missing (the distribution's package as root or through
password-less sudo, else Playwright's download); a test never installs anything: without a browser,
these tests are skipped with the reason.
"""

from __future__ import annotations

import json
import shutil
from html import unescape
from pathlib import Path

import pytest
from typer.testing import CliRunner

from simtool.cli import app
from tests.conftest import SEED_2015, SEED_2021, SEEDS, SHARED_DATA, needs_bbc

ENVELOPE = ("command", "simtool_version", "settings", "run")  # what every --json document carries besides its results

runner = CliRunner()
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-sync",
                 "--disable-background-networking", "--disable-component-update"]
FAST = ("--model", "static", "--cluster-model", "tfidf", "--map", "pca")  # the big corpora: quick models


def invoke(*args) -> object:
    return runner.invoke(app, [str(a) for a in args])


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is in the dev extra")
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    with sync_api.sync_playwright() as playwright:
        try:  # the system's Chromium, else the one Playwright downloaded (scripts/setup.sh tries both)
            chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        except Exception as exc:  # noqa: BLE001 (any launch failure means no browser to test with)
            pytest.skip(f"no Chromium to test the report in ({type(exc).__name__}): bash scripts/setup.sh installs "
                        f"one where it can")
        yield chromium
        chromium.close()


class Page:
    """A report opened in the browser, with every console message, page error and request kept."""

    def __init__(self, browser, path: Path) -> None:
        self.page = browser.new_page(viewport={"width": 1366, "height": 860})
        self.messages: list[tuple[str, str]] = []
        self.requests: list[str] = []
        self.page.on("console", lambda m: self.messages.append((m.type, m.text)))
        self.page.on("pageerror", lambda e: self.messages.append(("pageerror", str(e))))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.goto(path.resolve().as_uri())
        self.page.wait_for_load_state("load")

    def errors(self) -> list[tuple[str, str]]:
        return [m for m in self.messages if m[0] in ("error", "pageerror", "warning")]

    def count(self, selector: str) -> int:
        return self.page.locator(selector).count()


@pytest.fixture(scope="module")
def shared_cache(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("cache")


def _analyze(tmp_path: Path, cache: Path, corpus: Path, *extra) -> tuple[Path, dict]:
    out = tmp_path / "report.html"
    result = invoke("analyze", corpus, "--out", out, "--json", "--cache", cache, *extra)
    assert result.exit_code == 0, result.stderr
    return out, json.loads(result.stdout)


def _check_report(browser, out: Path, data: dict, screenshot: Path) -> Page:
    page = Page(browser, out)
    page.page.screenshot(path=str(screenshot))
    assert screenshot.stat().st_size > 10_000 and screenshot.read_bytes()[:4] == b"\x89PNG"
    assert page.errors() == []
    assert page.page.get_attribute("body", "data-report-ready") == "1"  # our script ran under the CSP
    assert all(url.startswith("file://") for url in page.requests), page.requests
    # the map: a dot per document, the legend, and a tooltip with the headline on hover
    assert page.count("#map-svg circle") == data["summary"]["documents"]
    assert page.count("#legend button") == len(data["clusters"]["clusters"]) + bool(data["clusters"]["noise"])
    top = page.page.locator("#map-svg circle").last  # drawn last, so no other dot covers it
    top.hover(force=True)
    assert page.page.is_visible("#tooltip")
    headline = top.locator("title").text_content().strip()
    assert page.page.inner_text("#tooltip").startswith(headline[:30])
    # the cluster table, the duplicate groups, the timeline
    assert page.count("#cluster-table tbody tr") == len(data["clusters"]["clusters"])
    finer = data["clusters"].get("finer")  # a coarse automatic split comes with its finer level
    assert page.count("#topic-table tbody tr") == (len(finer["clusters"]) if finer else 0)
    assert page.count("#duplicates details.group") == len(data["duplicates"])  # every group reachable
    assert page.count("#duplicates .diff") <= 30 * 3
    assert page.count("#timeline .topic") == len(data["timelines"])
    assert page.count("#timeline") == 1 and page.count("#related") == 1
    # each timeline chart says what its two scales are
    assert page.count("#timeline .chart .axis-title") >= len(data["timelines"])
    # the articles: one row each, filtered by what is typed; an article's copies point to their group
    assert page.count("#article-table tbody tr") == data["summary"]["documents"]
    first = page.page.locator("#article-table tbody tr").first.locator("td").first.inner_text().split()[0]
    page.page.fill("#article-search", first)
    visible = page.page.locator("#article-table tbody tr:not([hidden])").count()
    assert 1 <= visible < data["summary"]["documents"] or data["summary"]["documents"] <= 2
    assert page.page.inner_text("#article-count") == f"{visible} of {data['summary']['documents']} articles"
    page.page.fill("#article-search", "")
    return page


def test_report_on_the_seeds(browser, tmp_path, shared_cache):
    out, data = _analyze(tmp_path, shared_cache, SEEDS)
    page = _check_report(browser, out, data, tmp_path / "seeds.png")
    assert data["summary"]["documents"] == 2
    assert data["timelines"] and [p["period"] for p in data["timelines"][0]["drift"]["periods"]] == ["2015", "2021"]
    assert page.count("#timeline .chart rect.bar") == 2 and page.count("#timeline .chart circle.stance") == 2
    # the report leads with who said what, when (from the evidence), and says no shift is significant
    assert page.count("#findings p") == 3 == len(data["summary"]["findings"])
    assert "Marie Harf (deputy spokesperson, US State Department) said" in page.page.inner_text("#findings")
    assert page.count("#compare article.comparison") == 1  # a small corpus: the articles compared
    text = page.page.text_content("#compare")
    assert "Verdict" in text and "only in A" in text
    page.page.close()


@pytest.mark.slow  # 2,225 articles through analyze and the browser (30 s); the seeds' report runs by default
@needs_bbc
def test_report_on_bbc(browser, tmp_path, shared_cache):
    out, data = _analyze(tmp_path, shared_cache, SHARED_DATA / "bbc", *FAST)
    page = _check_report(browser, out, data, tmp_path / "bbc.png")
    assert data["summary"]["documents"] == 2225 and data["summary"]["duplicate_groups"] > 100
    # a group opens to a side-by-side view of the canonical and a copy
    group = page.page.locator("#duplicates details.group").first
    group.locator("summary").click()
    assert group.locator(".diff").first.is_visible()
    # an article in a group links to it; its closest stories list each story once
    copied = page.page.locator("#article-table tbody tr a[href^='#group-']").first
    target = copied.get_attribute("href")
    copied.click()
    assert page.page.evaluate("location.hash") == target and page.page.locator(target).is_visible()
    # a legend click leaves only that cluster's dots bright
    page.page.locator("#legend button").first.click()
    assert page.count("#map-svg circle:not(.dim)") == data["summary"]["clusters"][0]["size"]
    assert page.errors() == []
    page.page.close()


@pytest.mark.slow  # 10,000 articles through analyze and the browser (20 s)
@pytest.mark.skipif(not (SHARED_DATA / "huffpost").is_dir(), reason="../shared/data/huffpost is not beside the project")
def test_report_on_huffpost(browser, tmp_path, shared_cache):
    out, data = _analyze(tmp_path, shared_cache, SHARED_DATA / "huffpost", *FAST)
    page = _check_report(browser, out, data, tmp_path / "huffpost.png")
    assert data["summary"]["documents"] == 10_000
    assert data["timelines"], data["notes"]  # 2018-2022: every topic has a timeline
    periods = [p["period"] for p in data["timelines"][0]["drift"]["periods"]]
    assert periods == sorted(periods) and len(periods) >= 4
    assert data["summary"]["biggest_shift"] is not None
    page.page.close()


HOSTILE = [
    "<script>document.body.setAttribute('data-pwned', 'script')</script>",
    "</script><script>document.body.setAttribute('data-pwned', 'close')</script>",
    "<img src=x onerror=\"document.body.setAttribute('data-pwned', 'img')\">",
    "\" onmouseover=\"document.body.setAttribute('data-pwned', 'attr')\" x=\"",
    "<svg onload=\"document.body.setAttribute('data-pwned', 'svg')\"></svg>",
    "<a href=\"javascript:document.body.setAttribute('data-pwned', 'link')\">click</a>",
    "<iframe src=\"https://example.com/\"></iframe><link rel=stylesheet href=\"https://example.com/x.css\">",
    "<style>body { display: none }</style>",
    "=HYPERLINK(\"http://evil.example\", \"x\") +1 -1 @SUM(A1)",
    "{{ 7 * 7 }} {% raw %}",
]


def _hostile_corpus(path: Path) -> Path:
    lines = []
    for n, payload in enumerate(HOSTILE):
        for copy in range(2):  # each twice, so the payload also reaches the duplicate groups' diffs
            body = (f"Officials met on Tuesday to discuss the agreement {n}. {payload} The talks were described "
                    f"as constructive by both sides. A second round is planned for next month in Geneva.")
            lines.append(json.dumps({"id": f"doc{n}-{copy}", "title": f"Story {n} {payload}", "text": body,
                                     "url": "javascript:document.body.setAttribute('data-pwned','url')",
                                     "source": payload, "date": f"{2019 + copy}-0{1 + n % 9}-10"}))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_hostile_articles_stay_inert_in_the_report(browser, tmp_path, shared_cache):
    """Issue 9, point 4: article text is escaped, and the CSP blocks what escaping might miss."""
    corpus = _hostile_corpus(tmp_path / "hostile.jsonl")
    out, data = _analyze(tmp_path, shared_cache, corpus, *FAST, "--no-clean", "--query", HOSTILE[0])
    html = out.read_text(encoding="utf-8")
    assert html.count("<script") == 1 and html.count("</script>") == 1  # ours only
    assert 'href="javascript' not in html.lower()
    assert "Content-Security-Policy" in html and "'unsafe-inline'" not in html
    page = Page(browser, out)
    for dot in page.page.locator("#map-svg circle").all():
        dot.hover(force=True)
    for summary in page.page.locator("details summary").all():
        summary.click()
    for button in page.page.locator("#legend button").all():
        button.click()
    body = page.page.locator("body")
    assert body.get_attribute("data-pwned") is None
    assert body.get_attribute("data-report-ready") == "1"
    assert page.count("iframe") == 0 and page.count("a[href^='javascript']") == 0
    assert page.count("img") == 0 and page.count("link[rel=stylesheet]") == 0
    assert page.page.is_visible("#map")  # the injected <style> did not hide the page
    text = page.page.inner_text("body")
    assert "<script>document.body.setAttribute('data-pwned', 'script')</script>" in text  # shown, as text
    assert "{{ 7 * 7 }}" in text
    assert all(url.startswith("file://") for url in page.requests), page.requests
    assert [m for m in page.messages if m[0] == "pageerror"] == []
    page.page.close()


def test_analyze_agrees_with_the_single_commands_on_the_seeds(tmp_path, shared_cache):
    _, data = _analyze(tmp_path, shared_cache, SEEDS)
    related = json.loads(invoke("related", SEEDS, "--doc", SEED_2015, "--json", "--cache", shared_cache).stdout)["results"]
    assert [(n["id"], n["score"]) for n in data["related"]["neighbours"][SEED_2015]] == \
        [(hit["id"], hit["score"]) for hit in related]
    compared = json.loads(invoke("compare", SEEDS, "--a", SEED_2015, "--b", SEED_2021, "--json",
                                 "--cache", shared_cache).stdout)
    assert data["comparisons"] == [{k: v for k, v in compared.items() if k not in ENVELOPE}]
    drift = json.loads(invoke("drift", SEEDS, "--cluster", "0", "--axis", *data["settings"]["axis"], "--json",
                              "--cache", shared_cache).stdout)
    timeline = data["timelines"][0]["drift"]
    for key in ("periods", "drift", "largest_change"):
        assert timeline[key] == drift[key]
    clusters = json.loads(invoke("cluster", SEEDS, "--json", "--cache", shared_cache).stdout)
    assert data["clusters"]["assignments"] == clusters["assignments"]
    # the printed summary says what --json says; piped, no progress bar is drawn
    run = invoke("analyze", SEEDS, "--out", tmp_path / "report.html", "--cache", shared_cache)
    printed = run.stdout
    assert "━" not in run.stderr and "━" not in printed
    s = data["summary"]
    assert f"{s['documents']} documents ({s['skipped_records']} records skipped); {s['duplicate_groups']} " \
           f"near-duplicate groups ({s['duplicate_copies']} copies); {s['reuse_pairs']} pairs sharing passages in " \
           f"{s['reuse_families']} families; {len(s['clusters'])} clusters" in printed
    assert data["reuse"]["edges"] == [] == json.loads(invoke("reuse", SEEDS, "--json").stdout)["edges"]
    for c in s["clusters"]:
        assert f"cluster {c['id']} ({c['size']}): {c['label']}" in printed
    # two articles a year apart: a timeline, but no step can be tested, so no "biggest shift" claimed,
    # nor "no significant shift" (which would claim the test said no)
    assert s["biggest_shift"] is None and data["timelines"] and "biggest shift" not in printed
    assert s["untestable"] and "no shift between periods can be tested" in printed


@needs_bbc
def test_analyze_agrees_with_the_single_commands_on_bbc_tech(tmp_path, shared_cache):
    corpus = SHARED_DATA / "bbc" / "tech"
    _, data = _analyze(tmp_path, shared_cache, corpus, *FAST)
    clusters = json.loads(invoke("cluster", corpus, "--model", "tfidf", "--json", "--cache", shared_cache).stdout)
    assert data["clusters"]["assignments"] == clusters["assignments"]
    assert data["clusters"]["clusters"] == clusters["clusters"]
    groups = json.loads(invoke("dedup", corpus, "--json", "--cache", shared_cache).stdout)["groups"]
    assert data["duplicates"] == groups and groups
    some = sorted(data["related"]["neighbours"])[:2]
    for doc_id in some:
        related = json.loads(invoke("related", corpus, "--doc", doc_id, "-k", "5", "--model", "static", "--json",
                                    "--cache", shared_cache).stdout)["results"]
        ours = data["related"]["neighbours"][doc_id]
        assert [n["id"] for n in ours] == [hit["id"] for hit in related]
        assert [n["score"] for n in ours] == pytest.approx([hit["score"] for hit in related], abs=2e-4)


def test_analyze_refuses_to_overwrite_a_file_it_did_not_write(tmp_path, shared_cache):
    out = tmp_path / "report.html"
    out.write_text("my notes")
    result = invoke("analyze", SEEDS, "--out", out, "--cache", shared_cache)
    assert result.exit_code != 0 and "--force" in result.stderr
    assert out.read_text() == "my notes"


def test_analyze_of_an_empty_folder_is_one_line(tmp_path, shared_cache):
    (tmp_path / "empty").mkdir()
    result = invoke("analyze", tmp_path / "empty", "--out", tmp_path / "r.html", "--cache", shared_cache)
    assert result.exit_code == 1
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    assert not (tmp_path / "r.html").exists()


def test_nearest_neighbours_rank_as_top_k_does():
    import numpy as np

    from simtool.vectors.similarity import nearest_neighbours, top_k

    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(300, 16)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    vectors[7] = vectors[3]  # a tie: broken by row order
    rows, scores = nearest_neighbours(vectors, 5, block=64)
    for i in (0, 3, 7, 150, 299):
        expected = top_k(vectors[i:i + 1], vectors, 5, {i})
        assert rows[i].tolist() == [r for r, _ in expected]
        assert scores[i] == pytest.approx([s for _, s in expected], abs=1e-5)
    assert i not in rows[i]


@pytest.mark.parametrize("method", ["pca", pytest.param("umap", marks=pytest.mark.slow)])  # UMAP: 30 s
def test_the_map_is_deterministic_and_scaled(method):
    import numpy as np

    from simtool.vectors.projection import project_2d

    if method == "umap":
        pytest.importorskip("umap")
    vectors = np.random.default_rng(1).normal(size=(60, 8)).astype(np.float32)
    vectors[0] *= 1000  # a far outlier stays on the edge instead of squeezing the rest
    first, again = project_2d(vectors, 3, method), project_2d(vectors, 3, method)
    assert first.method == method and np.array_equal(first.xy, again.xy)
    assert first.xy.shape == (60, 2) and first.xy.min() >= 0 and first.xy.max() <= 1
    assert np.ptp(first.xy[1:], axis=0).min() > 0.5
    assert project_2d(vectors[:2]).method == "none"
    with pytest.raises(ValueError):
        project_2d(vectors, 0, "tsne")


@pytest.mark.parametrize("url, kept", [("https://example.com/a?b=1", True), ("http://x.org", True),
                                       ("javascript:alert(1)", False), (" JavaScript:alert(1)", False),
                                       ("data:text/html,<script>", False), ("vbscript:x", False),
                                       ("//evil.example/x", False), ("", False), (None, False)])
def test_report_links_keep_only_web_addresses(url, kept):
    from simtool.report import safe_url

    assert (safe_url(url) is not None) == kept


def test_stage_progress_draws_a_bar_per_stage_on_a_terminal_and_only_times_them_when_piped(monkeypatch):
    import io

    from rich.console import Console

    from simtool.cli import output

    buffer = io.StringIO()
    monkeypatch.setattr(output, "stderr", lambda: Console(file=buffer, force_terminal=True, width=100))
    with output.stage_progress() as update:
        assert update is not None
        update("embedding documents", 5, 10)
        update("clustering", 0, 1)
    assert "embedding documents" in buffer.getvalue() and "clustering" in buffer.getvalue()
    piped = io.StringIO()
    monkeypatch.setattr(output, "stderr", lambda: Console(file=piped, force_terminal=False))
    with output.stage_progress() as update:
        update("map", 0, 1)
    assert piped.getvalue() == "" and "map" in output.STAGES.spans  # piped: no bar, the stage only timed


@pytest.mark.slow  # 1,148 AllSides articles through analyze (about 90 s)
def test_the_report_shows_the_axis_validity_and_each_periods_groups(tmp_path, shared_cache):
    corpus = SHARED_DATA / "allsides" / "allsides_3topics.jsonl"
    out = tmp_path / "report.html"
    run = invoke("analyze", corpus, *FAST, "--query", "abortion", "--axis-from", "bias_text=left,right",
                 "--groups", "bias_text", "--out", out, "--cache", shared_cache)
    assert run.exit_code == 0, run.output
    html = out.read_text(encoding="utf-8")
    assert "Axis: bias_text left (0) to right (1)" in html and "out-of-fold AUC" in html
    assert 'class="groups"' in html and "thin (fewer than 10 documents)" in html


def test_an_articles_closest_stories_count_the_copies_of_one_story_once(tmp_path):
    from simtool.io.corpus import corpus_from_texts
    from simtool.jobs.analyze import analyze
    from simtool.report import render_report

    story = ("The council approved the city budget on Monday after a long debate about schools, roads and the "
             "new library, and the mayor said the vote was a relief for every district.")
    corpus = corpus_from_texts([story, story + " Reporting by a wire service.", story.replace("Monday", "Tuesday"),
                                "The football club signed a new striker from Spain for a record fee this summer."])
    analysis = analyze(corpus, model="fake", cluster_model="fake", map_method="pca")
    assert analysis.duplicates.groups and len(analysis.duplicates.groups[0].members) == 3
    html = render_report(analysis, corpus)
    table = html[html.index('id="article-table"'):html.index("</table>", html.index('id="article-table"'))]
    football = corpus.documents[3].id  # untitled: its row is labelled by its id
    row = next(r for r in table.split("<tr") if f"><td>{football} " in r)
    assert row.count("<li>") == 1 and "+2 copies" in row  # the three copies are one story, listed once


def test_the_same_record_gives_the_same_analysis_and_the_report_carries_it(tmp_path, shared_cache):
    """Two runs over one corpus with one set of options: equal JSON but for the run's clock, the
    same corpus fingerprint and models; the report shows the record."""
    runs = []
    for n in range(2):
        out = tmp_path / f"report{n}.html"
        run = invoke("analyze", SEEDS, "--model", "static", "--cluster-model", "tfidf", "--map", "pca", "--json",
                     "--out", out, "--cache", shared_cache)
        assert run.exit_code == 0, run.output
        runs.append((json.loads(run.stdout), out.read_text(encoding="utf-8")))
    (first, html), (second, _) = runs
    clock = ("started", "seconds")
    assert {k: v for k, v in first["run"].items() if k not in clock} == \
        {k: v for k, v in second["run"].items() if k not in clock}
    for document in (first, second):
        document["settings"].pop("out")  # the one option the two runs differ in
    assert {k: v for k, v in first.items() if k != "run"} == {k: v for k, v in second.items() if k != "run"}
    assert first["run"]["corpus"]["documents"] == 2 and "static" in first["run"]["models"]
    footer = unescape(html[html.index('id="run-record"'):])
    assert first["run"]["corpus"]["fingerprint"] in footer and '"cluster_model": "tfidf"' in footer
