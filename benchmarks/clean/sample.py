"""Draw the AllSides pages whose lines are labelled by reading (body or furniture) for
`benchmarks/clean_pages.py`.

    .venv/bin/python benchmarks/clean/sample.py

Sources with at least 10 articles are split at random (seeded) into two halves: the cleaner is
tuned on pages of the first (dev) and reported on pages of the second (test), sites it was not
tuned on. Three articles are drawn per source. Every non-blank line of each drawn article is
written, in order, to `allsides_lines.jsonl`; the labels are in `allsides_labels.jsonl`.

A second tuning set, `dev2`, drawn after the first from the same generator (so dev and test are
as they were): three more articles from each dev source and one from each source with 2 to 9
articles (sites in neither half), in `allsides_dev2_lines.jsonl` and `allsides_dev2_labels.jsonl`.
Then `test2`, to report on: three more articles from each held-out source
(`allsides_test2_lines.jsonl`, `allsides_test2_labels.jsonl`). Then `test3`, drawn after the rules
tuned while test2 was scored (test and test2 had been scored too often to judge new rules): three
more from each held-out source, by a generator of its own. Then `test4`, drawn after rules were
written with test3's labeller's list of the kinds of junk it marked in view (so test3 no longer
judges those rules blind): three more from each held-out source that has three left.
"""

from __future__ import annotations

import json
import random
from collections import defaultdict
from pathlib import Path

from simtool.bench.datasets import data_dir
from simtool.text.basics import normalize_space

HERE = Path(__file__).parent
PER_SOURCE = 3
DEV2_PER_SOURCE = 3
TEST2_PER_SOURCE = 3
TEST3_PER_SOURCE = 3
SEED = 20261130
TEST3_SEED = 20261201
TEST4_SEED = 20261202


def main() -> None:
    rows = [json.loads(line) for line in open(data_dir() / "allsides" / "allsides_3topics.jsonl", encoding="utf-8")]
    by_source: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        if row.get("text", "").strip():
            by_source[row["source"]].append(row)
    rng = random.Random(SEED)
    sources = sorted(s for s, articles in by_source.items() if len(articles) >= 10)
    rng.shuffle(sources)
    half = {s: "dev" if i % 2 == 0 else "test" for i, s in enumerate(sources)}
    drawn: set[str] = set()
    first = []
    for source in sorted(sources):
        for article in rng.sample(by_source[source], PER_SOURCE):
            first.append((article, half[source]))
            drawn.add(article["id"])
    small = sorted(s for s, articles in by_source.items() if 2 <= len(articles) < 10)
    dev2 = []
    for source in sorted(s for s in sources if half[s] == "dev"):
        for article in rng.sample([a for a in by_source[source] if a["id"] not in drawn], DEV2_PER_SOURCE):
            dev2.append((article, "dev2"))
    for source in small:
        dev2.append((rng.choice(by_source[source]), "dev2"))
    drawn.update(article["id"] for article, _ in dev2)
    # A second held-out set, drawn after dev2 (which stays as it was): three more articles from each
    # held-out source, for a figure on more than 64 junk lines.
    test2 = [(article, "test2") for source in sorted(s for s in sources if half[s] == "test")
             for article in rng.sample([a for a in by_source[source] if a["id"] not in drawn], TEST2_PER_SOURCE)]
    drawn.update(article["id"] for article, _ in test2)
    test3_rng = random.Random(TEST3_SEED)
    test3 = [(article, "test3") for source in sorted(s for s in sources if half[s] == "test")
             for article in test3_rng.sample([a for a in by_source[source] if a["id"] not in drawn], TEST3_PER_SOURCE)]
    drawn.update(article["id"] for article, _ in test3)
    test4_rng = random.Random(TEST4_SEED)
    left = {source: [a for a in by_source[source] if a["id"] not in drawn]
            for source in sorted(s for s in sources if half[s] == "test")}
    test4 = [(article, "test4") for source, articles in left.items() if len(articles) >= PER_SOURCE
             for article in test4_rng.sample(articles, PER_SOURCE)]
    for name, articles in (("allsides", first), ("allsides_dev2", dev2), ("allsides_test2", test2),
                           ("allsides_test3", test3), ("allsides_test4", test4)):
        _write(HERE / f"{name}_lines.jsonl", articles)


def _write(path: Path, articles: list[tuple[dict, str]]) -> None:
    """Every non-blank line of each article, in order, as one JSON row each; never over a set already
    drawn (its labels belong to those exact rows)."""
    if path.exists():
        print(f"{path.name}: kept as drawn")
        return
    with open(path, "w", encoding="utf-8") as out:
        for article, half in articles:
            lines = [normalize_space(line) for line in article["text"].splitlines()]
            for n, line in enumerate(x for x in lines if x):
                out.write(json.dumps({"id": f"{article['id']}#{n}", "set": half, "source": article["source"],
                                      "title": article["title"], "line": line}, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
