"""Lexical near-duplicate detection: simtool (rensa MinHash, LSH, exact verification) against
datasketch's MinHash + MinHashLSH at the same num_perm and threshold.

Data: BBC's 2,225 article bodies, and BBC grown to --size documents by republished copies
edited the way syndication edits them (simtool.bench.perturb: new headline, site furniture, a
paragraph dropped, two swapped, wording changes), each copy of a random original.
Truth: every pair with exact 5-word-shingle Jaccard >= threshold, from sparse matrix products.
Each method runs in its own process; peak memory is that process's high-water mark (VmHWM)
above what it held after reading the texts. datasketch reports the LSH candidates whose
MinHash estimate reaches the threshold (its usual use), shingling with simtool.text.basics in Python
(datasketch has no tokeniser); simtool verifies candidates exactly.

    .venv/bin/python benchmarks/dedup_minhash.py [--size 50000] [--threshold 0.8]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import random
import tempfile
import time
from functools import partial
from pathlib import Path

import datasketch  # noqa: F401  (imported before timing, like simtool's own dependencies)
import numpy as np
import polars  # noqa: F401
import rensa  # noqa: F401
import scipy.sparse as sp
from rich.console import Console
from rich.table import Table
from scipy.sparse.csgraph import connected_components

from simtool.bench.perturb import edited_copy
from simtool.io.corpus import Corpus, load_corpus
from simtool.io.document import Document
from simtool.jobs.dedup import dedup_text, find_duplicates
from simtool.jobs.dedup.local import exact_jaccard_pairs
from simtool.text.basics import shingles, words

BBC = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "bbc"
NUM_PERM = 128


def _rss_kib(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field):
            return int(line.split()[1])
    return 0


def run_simtool(texts: list[str], threshold: float, describe: bool = False) -> set[tuple[int, int]]:
    corpus = Corpus([Document(id=str(i), text=t) for i, t in enumerate(texts)])
    result = find_duplicates(corpus, threshold=threshold, containment_threshold=None, num_perm=NUM_PERM,
                             describe=describe)
    return {tuple(sorted((int(p.a), int(p.b)))) for g in result.groups for p in g.pairs}


def run_datasketch(texts: list[str], threshold: float) -> set[tuple[int, int]]:
    from datasketch import MinHash, MinHashLSH

    lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
    signatures = []
    for i, text in enumerate(texts):
        m = MinHash(num_perm=NUM_PERM, seed=1)
        m.update_batch([s.encode("utf-8") for s in shingles(words(text), 5)])
        signatures.append(m)
        lsh.insert(str(i), m)
    pairs = set()
    for i, m in enumerate(signatures):
        for key in lsh.query(m):
            j = int(key)
            if j != i and m.jaccard(signatures[j]) >= threshold:
                pairs.add((min(i, j), max(i, j)))
    return pairs


RUNNERS = {
    "datasketch": run_datasketch,
    "simtool": run_simtool,
    "simtool + member details": partial(run_simtool, describe=True),
}


def _child(name: str, path: str, threshold: float, queue) -> None:
    texts = json.loads(Path(path).read_text())
    base = _rss_kib("VmRSS:")
    start = time.perf_counter()
    pairs = RUNNERS[name](texts, threshold)
    seconds = time.perf_counter() - start
    queue.put((seconds, (_rss_kib("VmHWM:") - base) / 1024, sorted(pairs)))


def measure(name: str, texts_path: str, threshold: float) -> tuple[float, float, set]:
    queue = mp.get_context("spawn").Queue()
    proc = mp.get_context("spawn").Process(target=_child, args=(name, texts_path, threshold, queue))
    proc.start()
    seconds, peak, pairs = queue.get()
    proc.join()
    return seconds, peak, {tuple(p) for p in pairs}


def grouped_recall(pairs: set[tuple[int, int]], truth: set[tuple[int, int]], n: int) -> float:
    """Share of the true pairs whose two documents end up in one group (connected component)."""
    if not truth:
        return 1.0
    if not pairs:
        return 0.0
    rows, cols = zip(*pairs)
    _, labels = connected_components(sp.coo_matrix((np.ones(len(pairs)), (rows, cols)), shape=(n, n)),
                                     directed=False)
    return sum(labels[i] == labels[j] for i, j in truth) / len(truth)


def grown(documents: list[Document], size: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    texts = [dedup_text(d) for d in documents]
    for n in range(size - len(documents)):
        original = documents[rng.randrange(len(documents))]
        texts.append(edited_copy(original, seed + n, edits=rng.randint(1, 5)).text)
    return texts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=50_000)
    parser.add_argument("--threshold", type=float, default=0.8)
    args = parser.parse_args()
    console = Console(width=130)
    documents = load_corpus([BBC]).documents
    table = Table(title=f"Lexical dedup at Jaccard >= {args.threshold}, num_perm={NUM_PERM} (2 CPU cores)",
                  title_justify="left")
    for column in ("data", "docs", "true pairs", "method", "seconds", "docs/s", "peak MiB", "recall",
                   "pairs below threshold", "speed vs datasketch"):
        table.add_column(column, justify="left" if column in ("data", "method") else "right")
    for label, texts in (("BBC", [dedup_text(d) for d in documents]),
                         (f"BBC grown to {args.size:,}", grown(documents, args.size))):
        truth = set(exact_jaccard_pairs(texts, args.threshold))
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
            json.dump(texts, f)
        results = {name: measure(name, f.name, args.threshold) for name in RUNNERS}
        Path(f.name).unlink()
        base_seconds = results["datasketch"][0]
        for name, (seconds, peak, pairs) in results.items():
            table.add_row(label, f"{len(texts):,}", f"{len(truth):,}", name, f"{seconds:.2f}",
                          f"{len(texts) / seconds:,.0f}", f"{peak:.0f}",
                          f"{grouped_recall(pairs, truth, len(texts)):.4f}", f"{len(pairs - truth):,}",
                          f"{base_seconds / seconds:.1f}x")
    console.print(table)
    console.print(
        "recall: share of the pairs at or above the threshold (exact all-pairs Jaccard) whose two documents"
        " land in one group (connected components of the reported pairs). pairs below threshold: reported"
        " pairs whose exact Jaccard is under it. simtool reports the verified pairs that join each group;"
        " '+ member details' adds each member's scores against the canonical and its sentences added and"
        " dropped, which the CLI prints. Seconds include tokenising and shingling; imports are done before"
        " timing.")


if __name__ == "__main__":
    main()
