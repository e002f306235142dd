"""Reuse: time, memory and recall at three corpus sizes, against aligning every pair, and the
passage length a shared run needs (`--min-words`).

    .venv/bin/python benchmarks/reuse.py [--sizes 2500,5000,10000]

1. Growth. Each size is a quarter BBC originals and three quarters articles that took text from
   them: half edited full copies (`simtool.bench.perturb.edited_copy`: furniture, a paragraph
   dropped, two swapped, wording changed), half articles of their own (another BBC article) with
   two or three consecutive paragraphs of an original inserted. (BBC has 2,225 articles: sizes
   above 8,900 reuse originals more often.) Each size runs in its own process; memory is
   that process's high-water mark above what it held after building the corpus. Recall: the
   share of planted (original, derived) pairs found as an edge. Time per 1,000 documents should
   stay flat as the corpus grows (no step compares every pair).
2. Baseline, side by side: every pair of 600 articles aligned (what the fingerprints spare),
   against `find_reuse` on the same articles: the edges must be the same.
3. Real corpora: BBC (2,225) and HuffPost (10,000 headlines with summaries), as loaded and cleaned.
4. The passage length. On AllSides (1,148 articles of 40 outlets on three topics), edges found at
   each --min-words, and the share flagged `quotation_only` (every passage 80%+ inside quotation
   marks): two outlets quoting one statement, not one taking from the other. On the grown corpus,
   the planted pairs found at each length.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import random
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

from simtool.bench.datasets import data_dir
from simtool.bench.perturb import edited_copy
from simtool.io.corpus import Corpus, load_corpus
from simtool.io.document import Document
from simtool.io.prepare import clean_corpus
from simtool.jobs.reuse import find_reuse
from simtool.jobs.reuse.find import compared_text
from simtool.jobs.reuse.pairs import align_pairs

GROWTH_PER_ORIGINAL = 3  # derived articles per original in the growth runs

def _rss_kib(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field):
            return int(line.split()[1])
    return 0


def grown(bbc: Corpus, size: int, seed: int = 0, per_original: int | None = None
          ) -> tuple[Corpus, set[tuple[str, str]]]:
    """BBC articles plus derived articles up to `size`, and the planted (original, derived)
    pairs: every BBC article, or with `per_original` one original to that many derived ones (so
    families keep their size as the corpus grows, as a news stream's do)."""
    rng = random.Random(seed)
    originals = list(bbc)[:size // (per_original + 1)] if per_original else list(bbc)
    docs, planted = list(originals), set()
    for n in range(max(0, size - len(originals))):
        source = rng.choice(originals)
        if n % 2 == 0:
            copy = edited_copy(source, seed=n, new_id=f"copy-{n}")
        else:
            own = rng.choice(originals)
            paragraphs = [p for p in source.text.split("\n") if p.strip()]
            taken_from = rng.randrange(0, max(1, len(paragraphs) - 3))
            taken = paragraphs[taken_from:taken_from + rng.choice((2, 3))]
            if len(" ".join(taken).split()) < 60 or own.id == source.id:
                continue  # too short a borrowing to plant
            body = [p for p in own.text.split("\n") if p.strip()]
            at = rng.randrange(1, len(body)) if len(body) > 1 else 1
            copy = Document(f"partial-{n}", "\n".join([*body[:at], *taken, *body[at:]]), own.title,
                            source=f"outlet{n % 11}.example")
            planted.add((own.id, copy.id))  # its own article is a source too, but not a planted one
        docs.append(copy)
        planted.add((source.id, copy.id))
    return Corpus(docs), planted


def _found(result, planted: set[tuple[str, str]]) -> float:
    pairs = {frozenset((e.source, e.target)) for e in result.edges}
    return sum(frozenset(p) in pairs for p in planted) / max(1, len(planted))


def _child(size: int, queue) -> None:
    bbc = clean_corpus(load_corpus([data_dir() / "bbc"]))
    corpus, planted = grown(bbc, size, per_original=GROWTH_PER_ORIGINAL)
    base = _rss_kib("VmRSS:")
    start = time.perf_counter()
    result = find_reuse(corpus, describe=False)
    seconds = time.perf_counter() - start
    queue.put((len(corpus), seconds, (_rss_kib("VmHWM:") - base) / 1024, len(result.edges), _found(result, planted)))


def in_process(size: int) -> tuple:
    context = mp.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=_child, args=(size, queue))
    process.start()
    found = queue.get()
    process.join()
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="2500,5000,10000")
    args = parser.parse_args()
    console = Console()

    growth = Table(title="1. growth: BBC grown by articles that took its text", title_justify="left")
    for column in ("documents", "seconds", "s per 1,000 docs", "peak MiB", "edges", "planted pairs found"):
        growth.add_column(column, justify="right")
    for size in (int(s) for s in args.sizes.split(",")):
        n, seconds, mib, edges, recall = in_process(size)
        growth.add_row(f"{n:,}", f"{seconds:.1f}", f"{seconds / n * 1000:.2f}", f"{mib:.0f}", f"{edges:,}",
                       f"{recall:.3f}")
    console.print(growth)

    bbc = clean_corpus(load_corpus([data_dir() / "bbc"]))
    sample, planted = grown(Corpus(list(bbc)[:400]), 600, seed=1)
    texts = [compared_text(d) for d in sample]
    start = time.perf_counter()
    every = align_pairs(texts, [(i, j) for i in range(len(texts)) for j in range(i + 1, len(texts))], 40)
    exhaustive = time.perf_counter() - start
    start = time.perf_counter()
    result = find_reuse(sample, describe=False)
    ours = time.perf_counter() - start
    ids = sample.ids
    same = {frozenset((ids[i], ids[j])) for i, j in every} == {frozenset((e.source, e.target)) for e in result.edges}
    baseline = Table(title="2. against aligning every pair (600 articles, 179,700 pairs)", title_justify="left")
    for column in ("method", "seconds", "pairs aligned", "edges", "same edges"):
        baseline.add_column(column, justify="right")
    baseline.add_row("every pair", f"{exhaustive:.1f}", f"{len(texts) * (len(texts) - 1) // 2:,}", f"{len(every):,}", "")
    baseline.add_row(f"find_reuse ({exhaustive / ours:.0f}x faster)", f"{ours:.2f}", f"{result.settings.candidates:,}",
                     f"{len(result.edges):,}", "yes" if same else "NO")
    console.print(baseline)

    real = Table(title="3. real corpora, as loaded and cleaned", title_justify="left")
    for column in ("corpus", "documents", "seconds", "edges", "families"):
        real.add_column(column, justify="right")
    for name, path in (("BBC", data_dir() / "bbc"), ("HuffPost", data_dir() / "huffpost" / "news_category_10k.jsonl")):
        corpus = clean_corpus(load_corpus([path]))
        start = time.perf_counter()
        result = find_reuse(corpus, describe=False)
        real.add_row(name, f"{len(corpus):,}", f"{time.perf_counter() - start:.1f}", f"{len(result.edges):,}",
                     f"{len(result.families):,}")
    console.print(real)

    allsides = clean_corpus(load_corpus([data_dir() / "allsides" / "allsides_3topics.jsonl"]))
    grown_corpus, grown_planted = grown(bbc, 4000, seed=2)
    length = Table(title="4. the passage length a shared run needs", title_justify="left")
    for column in ("--min-words", "AllSides edges", "of them quotations only", "grown BBC: planted pairs found"):
        length.add_column(column, justify="right")
    for min_words in (15, 25, 40, 60, 80):
        result = find_reuse(allsides, min_words=min_words, describe=False)
        quotes = sum(e.quotation_only for e in result.edges)
        recall = _found(find_reuse(grown_corpus, min_words=min_words, describe=False), grown_planted)
        length.add_row(str(min_words), f"{len(result.edges)}", f"{quotes} ({quotes / max(1, len(result.edges)):.0%})",
                       f"{recall:.3f}")
    console.print(length)


if __name__ == "__main__":
    main()
