"""Is drift's "significant change" calibrated? Random halves of one period, 100 seeded splits.

    HF_HUB_OFFLINE=1 .venv/bin/python benchmarks/drift_calibration.py [--splits 100]

The articles of one year, every sentence a statement (static model vectors), "about the query"
where a sentence names the query word: HuffPost 2019 (short items: a headline and a sentence or
two; query "trump") and AllSides 2013 (full articles from outlets rated left, centre and right;
query "abortion"). Each split assigns the year's articles at random to two
pseudo-periods, so there is no change to find: a test at level 0.05 should call one about 5
times in 100. Side by side in one run:
- simtool's test (`simtool.jobs.drift.change`): articles as the units of both permutation tests
  (what is said, how much is said), Holm-corrected together;
- the baseline, the test drift used before: statements as the units (a permutation z of the
  centres' distance) and a two-proportion z over sentences, a change where either |z| >= 1.96.
"""

from __future__ import annotations

import argparse
import os
import time

os.environ.setdefault("HF_HUB_OFFLINE", "1")

import numpy as np

from simtool.bench.datasets import data_dir
from simtool.encoders import get_encoder
from simtool.io.prepare import prepare_corpus
from simtool.jobs.drift.change import null_rejections
from simtool.text.basics import words


def statement_level_rejections(vectors, documents, flags, splits: int, seed: int, permutations: int = 199) -> int:
    """The old test: statements shuffled as if independent; z of the centre distance and of the share."""
    rng = np.random.default_rng(seed)
    names = sorted(flags)
    documents = np.asarray(documents)

    def centre(m):
        c = m.mean(axis=0)
        return c / (np.linalg.norm(c) or 1.0)

    rejected = 0
    for _ in range(splits):
        side_a = set(rng.choice(names, len(names) // 2, replace=False).tolist())
        in_a = np.array([d in side_a for d in documents], dtype=bool)
        relevant = np.concatenate([flags[d] for d in names])  # the statements about the query
        owner = np.concatenate([[d in side_a] * len(flags[d]) for d in names])
        a, b = vectors[in_a], vectors[~in_a]
        observed = 1 - centre(a) @ centre(b)
        pooled = np.vstack([a, b])
        null = []
        for _ in range(permutations):
            order = rng.permutation(len(pooled))
            null.append(1 - centre(pooled[order[:len(a)]]) @ centre(pooled[order[len(a):]]))
        z = (observed - np.mean(null)) / (np.std(null) or 1e-9)
        k1, n1 = relevant[owner].sum(), owner.sum()
        k2, n2 = relevant[~owner].sum(), (~owner).sum()
        p = (k1 + k2) / (n1 + n2)
        z_share = (k2 / n2 - k1 / n1) / (np.sqrt(p * (1 - p) * (1 / n1 + 1 / n2)) or 1e-9)
        rejected += bool(abs(z) >= 1.96 or abs(z_share) >= 1.96)
    return rejected


CASES = (("huffpost", "huffpost/news_category_10k.jsonl", 2019, "trump"),
         ("allsides", "allsides/allsides_3topics.jsonl", 2013, "abortion"))


def statements(path, year: int, word: str):
    corpus = prepare_corpus([data_dir() / path])
    docs = [doc for doc in corpus if doc.date is not None and doc.date.year == year]
    texts, documents, flags = [], [], {}
    for doc in docs:
        sentences = [doc.title, *doc.sentences] if doc.title else list(doc.sentences)
        texts += sentences
        documents += [doc.id] * len(sentences)
        flags[doc.id] = np.array([word in words(s) for s in sentences], dtype=bool)
    return get_encoder("static").encode(texts), documents, flags


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--splits", type=int, default=100)
    args = parser.parse_args()
    for name, path, year, word in CASES:
        vectors, documents, flags = statements(path, year, word)
        print(f"{name} {year}: {len(flags)} articles, {len(documents)} sentences, "
              f"{sum(int(f.sum()) for f in flags.values())} naming {word!r}; {args.splits} random halves (no change)")
        for label, run in (("simtool (articles as units, Holm)", null_rejections),
                           ("baseline (statements as units, |z| >= 1.96)", statement_level_rejections)):
            start = time.perf_counter()
            rejected = run(vectors, documents, flags, splits=args.splits, seed=0)
            print(f"  {label:<46} called a change in {rejected:>3} of {args.splits} "
                  f"(level promises {0.05 * args.splits:.0f}; {time.perf_counter() - start:.1f} s)")


if __name__ == "__main__":
    main()
