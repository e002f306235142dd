"""The cleaner on pages it was not tuned on: share of junk lines removed and of body lines kept.

    .venv/bin/python benchmarks/clean_pages.py [--show-errors]

Two kinds of pages, each split into a half to tune on (dev) and a half to report on (test):

- BBC articles dressed as pages of eight made-up news sites: a header, a byline and a date,
  share buttons, inserts between paragraphs (advertisements, "Read more: ...", captions, teasers
  of other BBC stories), related links and a footer. Four sites are dev, four are test, and the
  test sites word their furniture differently ("Jump to navigation", "You may also like",
  "Filed under"). Every line of the BBC article after its headline is body, ranking tables and
  one-line subheadings included; every line added is junk. 50 pages a site.
- AllSides articles as scraped (`benchmarks/clean/`): 69 articles, three from each source with at
  least 10 articles, each line labelled body or furniture by a reader who never saw the
  cleaner's output; sources split at random into dev and test halves. A second tuning set
  (dev2, 67 articles: three more from each dev source and one from each source with 2 to 9
  articles, sites in neither half) was labelled by two more readers the same way. The cleaner
  learns from the whole AllSides corpus, as `clean_corpus` does when the file is loaded. A second
  held-out set (test2: three more articles from each held-out source) was drawn and labelled
  later, a third (test3, the same way) after the rules tested on test2 had been written, and a
  fourth (test4: three more from each held-out source with three left) after rules were written
  with test3's labeller's list of the kinds of junk it marked in view; "held" pools every
  held-out page.

Goal (issue 20): on held-out pages, >= 95% of junk lines removed and >= 98% of body lines kept.
"""

from __future__ import annotations

import argparse
import json
import random
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from simtool.bench.datasets import data_dir
from simtool.io.corpus import load_corpus
from simtool.io.document import Document
from simtool.text.basics import normalize_space
from simtool.text.clean import GOOD, Cleaner

HERE = Path(__file__).parent
PAGES_PER_SITE = 50
SEED = 7
GOAL = {"junk removed": 0.95, "body kept": 0.98}
NAMES = ["Maria Rossi", "James Okafor", "Linda Chen", "Tom Becker", "Aisha Rahman", "Pedro Alvarez", "Kate Moss",
         "Daniel Kim", "Sophie Laurent", "Ivan Petrov"]
SECTIONS = ["World", "Business", "Politics", "Tech", "Sport", "Culture"]


@dataclass(frozen=True)
class Site:
    """A made-up news site's furniture; {headline}, {name}, {date}, {n}, {section} are filled per page."""

    name: str
    header: tuple[str, ...]
    before: tuple[str, ...]
    inserts: tuple[str, ...]
    after: tuple[str, ...]
    footer: tuple[str, ...]
    title_case: bool = False  # the site writes teaser headlines In Title Case


DEV_SITES = (
    Site("World News Daily",
         ("Skip to main content", "Home | World | Business | Politics | Sport", "Search", "Sign in"),
         ("By {name}", "Published {date}", "Share this article"),
         ("Advertisement", "Story continues below advertisement", "Read more: {headline}",
          "Image caption: {name} at the launch (Getty Images)"),
         ("Related Stories", "{headline}", "{headline}", "{headline} - World News Daily"),
         ("Sign up for our morning newsletter and get the news in your inbox.",
          "© 2024 World News Daily. All rights reserved.", "Cookie settings"), title_case=True),
    Site("The Courier",
         ("Menu", "News Sport Business Opinion Culture Lifestyle", "Subscribe"),
         ("{name}, {section} correspondent", "{date}", "Facebook Twitter Email"),
         ("ADVERTISEMENT", "RELATED: {headline}", "Photo: Reuters"),
         ("More from {section}", "{headline}", "{headline}", "Comments ({n})"),
         ("Follow The Courier on Twitter and Facebook", "Terms of use | Privacy policy | Contact us",
          "Copyright The Courier {n}")),
    Site("Metro Wire",
         ("Metro Wire", "Latest | Local | National | Weather", "Log in | Register"),
         ("{date} | {name}", "Print this page"),
         ("Sponsored", "( Also on Metro Wire: {headline} )", "WATCH: {headline}"),
         ("Most popular", "{headline}", "{headline}", "{headline}"),
         ("Download the Metro Wire app", "All rights reserved."), title_case=True),
    Site("Capital Report",
         ("Skip navigation", "Sections", "Capital Report"),
         ("Written by {name}", "Last updated {date}", "Share on Facebook Share on Twitter"),
         ("Continue reading below", "Read more", "{headline} | Capital Report"),
         ("Related articles", "{headline}", "{headline}", "View comments"),
         ("Get our daily briefing: sign up now", "Privacy | Cookies | Accessibility",
          "Capital Report is not responsible for the content of external sites.")),
)
TEST_SITES = (
    Site("Daily Observer",
         ("Jump to navigation", "Trending: Election | Economy | Climate", "My account"),
         ("{name} | Daily Observer", "Updated: {date}", "{n} min read"),
         ("Story continues", "You may also like: {headline}", "Listen to this article"),
         ("You may also like", "{headline}", "{headline}", "Recommended for you"),
         ("Filed under: {section}, News", "Like this story? Share it with a friend.",
          "Daily Observer © {n}", "Loading..."), title_case=True),
    Site("Northern Ledger",
         ("Top Stories", "Northern Ledger", "Newsletters | Podcasts | Events"),
         ("Posted by {name} on {date}", "Tweet Share Pin"),
         ("Click here to subscribe to the Ledger for just $1", "MORE: {headline}",
          "(AP Photo/{name})"),
         ("Topics", "{section}", "Leave a comment"),
         ("This article originally appeared on Northern Ledger.",
          "Contact the author at newsroom@northernledger.example", "Back to top")),
    Site("Globe Bulletin",
         ("Globe Bulletin - Independent News", "Edition: International", "Subscribe now"),
         ("{date}", "By {name} for the Globe Bulletin"),
         ("ADVERTISING", "Related coverage: {headline}", "Getty Images"),
         ("Editor's picks", "{headline}", "{headline}", "{headline} — Globe Bulletin"),
         ("Tags: {section}, world, politics", "Globe Bulletin Ltd. All rights reserved",
          "Manage cookies")),
    Site("Valley Times",
         ("Valley Times", "Local News Sports Obituaries e-Edition", "Sign up | Log in"),
         ("By {name} | Valley Times staff", "{date} at 9:{n} am", "Comments"),
         ("Article continues after this ad", "SEE ALSO: {headline}", "Valley Times file photo"),
         ("Sponsored content", "{headline}", "{headline}"),
         ("Report an error", "Valley Times, 2024. Terms of service."), title_case=True),
)


def _title_case(headline: str) -> str:
    return " ".join(w[:1].upper() + w[1:] for w in headline.split())


def bbc_pages() -> list[tuple[Document, list[str], str]]:
    """(document, a label per non-blank line, set) for every made-up page."""
    articles = sorted((data_dir() / "bbc").glob("*/*.txt"))
    rng = random.Random(SEED)
    rng.shuffle(articles)
    texts = []
    for path in articles:
        raw = path.read_bytes().decode("utf-8", errors="replace")
        lines = [normalize_space(line) for line in raw.splitlines()]
        lines = [line for line in lines if line]
        if len(lines) >= 3:
            texts.append((lines[0], lines[1:]))
    sites = [(site, "dev") for site in DEV_SITES] + [(site, "test") for site in TEST_SITES]
    pages = []
    headlines = [title for title, _ in texts]
    for s, (site, half) in enumerate(sites):
        for k in range(PAGES_PER_SITE):
            title, body = texts[s * PAGES_PER_SITE + k]

            def fill(line: str) -> str:
                headline = rng.choice(headlines)
                return line.format(headline=_title_case(headline) if site.title_case else headline,
                                   name=rng.choice(NAMES), section=rng.choice(SECTIONS), n=rng.randint(2, 59),
                                   date=f"{rng.randint(1, 28)} {rng.choice(['March', 'May', 'June'])} 2024")
            labelled: list[tuple[str, str]] = [(fill(x), "junk") for x in site.header]
            labelled.append((title, "junk"))  # the headline again: the document's title, not its body
            labelled += [(fill(x), "junk") for x in site.before]
            gaps = sorted(rng.sample(range(1, len(body)), min(len(body) - 1, rng.randint(1, 3)))) if len(body) > 1 else []
            for n, line in enumerate(body):
                if n in gaps:
                    labelled.append((fill(rng.choice(site.inserts)), "junk"))
                labelled.append((line, "body"))
            labelled += [(fill(x), "junk") for x in site.after + site.footer]
            doc = Document(id=f"{site.name}/{k}", text="\n".join(t for t, _ in labelled), title=title,
                           source=site.name)
            pages.append((doc, [label for _, label in labelled], half))
    return pages


def allsides_pages() -> tuple[list[Document], list[tuple[Document, list[str], str]]]:
    """The whole AllSides corpus as loaded, and its labelled articles with a label per line."""
    corpus = list(load_corpus([data_dir() / "allsides" / "allsides_3topics.jsonl"]))
    if not (HERE / "clean" / "allsides_labels.jsonl").exists():
        print("benchmarks/clean/allsides_labels.jsonl is missing: the AllSides pages are not scored")
        return corpus, []
    rows, labels = [], {}
    for sample in ("allsides", "allsides_dev2", "allsides_test2", "allsides_test3", "allsides_test4"):
        if not (HERE / "clean" / f"{sample}_labels.jsonl").exists():
            continue
        rows += [json.loads(line) for line in open(HERE / "clean" / f"{sample}_lines.jsonl", encoding="utf-8")]
        labels.update((row["id"], row["label"]) for row in map(json.loads, open(
            HERE / "clean" / f"{sample}_labels.jsonl", encoding="utf-8")))
    by_article: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        by_article[row["id"].rsplit("#", 1)[0]].append(row)
    documents = {doc.id: doc for doc in corpus}
    pages = []
    for article, lines in by_article.items():
        doc = documents[article]
        text_lines = [x for x in (normalize_space(line) for line in doc.text.splitlines()) if x]
        if text_lines != [row["line"] for row in lines]:
            raise SystemExit(f"{article}: the loader's lines differ from the sample's; draw it again (clean/sample.py)")
        pages.append((doc, [labels[row["id"]] for row in lines], lines[0]["set"]))
    return corpus, pages


def fitted(documents: list[Document]) -> Cleaner:
    """A cleaner that learnt the furniture of these documents' sources, as `clean_corpus` fits one."""
    return Cleaner().fit([doc.text for doc in documents], [doc.source for doc in documents])


def score(cleaner: Cleaner, pages: list[tuple[Document, list[str], str]], halves: set[str],
          errors: list[str] | None = None) -> dict[str, float]:
    counts = {"junk": [0, 0], "body": [0, 0]}  # label -> [lines, kept]
    for doc, labels, page_half in pages:
        if page_half not in halves:
            continue
        verdicts = cleaner.classify(doc.text, doc.title, source=doc.source)
        assert len(verdicts) == len(labels), doc.id
        for line, label in zip(verdicts, labels):
            if label not in counts:
                continue  # "unsure"
            kept = line.verdict == GOOD
            counts[label][0] += 1
            counts[label][1] += kept
            if errors is not None and kept != (label == "body"):
                errors.append(f"  {doc.source[:18]:18} {label:4} {'kept' if kept else 'cut '} "
                              f"{line.reason[:40]:40} | {line.text[:110]}")
    return {"junk lines": counts["junk"][0], "junk removed": 1 - counts["junk"][1] / max(counts["junk"][0], 1),
            "body lines": counts["body"][0], "body kept": counts["body"][1] / max(counts["body"][0], 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show-errors", action="store_true", help="List the tuning sets' errors (dev, dev2).")
    args = parser.parse_args()
    bbc = bbc_pages()
    allsides_corpus, allsides = allsides_pages()
    cases = [("BBC in made-up sites' pages", fitted([doc for doc, _, _ in bbc]), bbc),
             ("AllSides as scraped", fitted(allsides_corpus), allsides)]
    print(f"{'pages':<30}{'set':<6}{'junk lines':>11}{'junk removed':>14}{'body lines':>12}{'body kept':>11}")
    for name, cleaner, pages in cases:
        present = {page_half for _, _, page_half in pages}
        rows = [(half, {half}) for half in ("dev", "dev2", "test", "test2", "test3", "test4") if half in present]
        held = {half for half in present if half.startswith("test")}
        if len(held) > 1:
            rows.append(("held", held))  # every held-out page: the figure of record
        for half, halves in rows:
            errors: list[str] | None = [] if args.show_errors and half in ("dev", "dev2") else None
            s = score(cleaner, pages, halves, errors)
            met = s["junk removed"] >= GOAL["junk removed"] and s["body kept"] >= GOAL["body kept"]
            print(f"{name:<30}{half:<6}{s['junk lines']:>11}{s['junk removed']:>14.4f}{s['body lines']:>12}"
                  f"{s['body kept']:>11.4f}{'  goal met' if met and half.startswith(('test', 'held')) else ''}")
            for line in errors or []:
                print(line)
    print(f"goal on held-out pages (test; for AllSides, held = test to test4): junk removed >= "
          f"{GOAL['junk removed']}, body kept >= {GOAL['body kept']}")


if __name__ == "__main__":
    main()
