"""Lexical near-duplicate detection: simtool (rensa MinHash, LSH, exact verification) against
datasketch's MinHash + MinHashLSH at the same num_perm and threshold.

Data: BBC's 2,225 article bodies, and BBC grown to --size documents by republished copies
edited the way syndication edits them (simtool.perturb: new headline, site furniture, a
paragraph dropped, two swapped, wording changes), each copy of a random original.
Truth: every pair with exact 5-word-shingle Jaccard >= threshold, from sparse matrix products.
Each method runs in its own process; peak memory is that process's high-water mark (VmHWM)
above what it held after reading the texts. datasketch reports the LSH candidates whose
MinHash estimate reaches the threshold (its usual use); simtool verifies candidates exactly.

    .venv/bin/python benchmarks/dedup_minhash.py [--size 50000] [--threshold 0.8]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import random
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

from simtool.corpus import Corpus, load_corpus
from simtool.dedup import dedup_text, exact_jaccard_pairs, find_duplicates
from simtool.document import Document
from simtool.perturb import edited_copy
from simtool.text import shingles, words

BBC = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "bbc"
NUM_PERM = 128


def _rss_kib(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field):
            return int(line.split()[1])
    return 0


def run_simtool(texts: list[str], threshold: float) -> set[tuple[int, int]]:
    corpus = Corpus([Document(id=str(i), text=t) for i, t in enumerate(texts)])
    result = find_duplicates(corpus, threshold=threshold, containment_threshold=None, num_perm=NUM_PERM)
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


def _child(name: str, path: str, threshold: float, queue) -> None:
    texts = json.loads(Path(path).read_text())
    base = _rss_kib("VmRSS:")
    start = time.perf_counter()
    pairs = (run_simtool if name == "simtool" else run_datasketch)(texts, threshold)
    seconds = time.perf_counter() - start
    queue.put((seconds, (_rss_kib("VmHWM:") - base) / 1024, sorted(pairs)))


def measure(name: str, texts_path: str, threshold: float) -> tuple[float, float, set]:
    queue = mp.get_context("fork").Queue()
    proc = mp.get_context("fork").Process(target=_child, args=(name, texts_path, threshold, queue))
    proc.start()
    seconds, peak, pairs = queue.get()
    proc.join()
    return seconds, peak, {tuple(p) for p in pairs}


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
                   "precision", "speed vs datasketch"):
        table.add_column(column, justify="left" if column in ("data", "method") else "right")
    for label, texts in (("BBC", [dedup_text(d) for d in documents]),
                         (f"BBC grown to {args.size:,}", grown(documents, args.size))):
        truth = set(exact_jaccard_pairs(texts, args.threshold))
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
            json.dump(texts, f)
        results = {name: measure(name, f.name, args.threshold) for name in ("datasketch", "simtool")}
        Path(f.name).unlink()
        base_seconds = results["datasketch"][0]
        for name, (seconds, peak, pairs) in results.items():
            recall = len(pairs & truth) / len(truth) if truth else 1.0
            precision = len(pairs & truth) / len(pairs) if pairs else 1.0
            table.add_row(label, f"{len(texts):,}", f"{len(truth):,}", name, f"{seconds:.1f}",
                          f"{len(texts) / seconds:,.0f}", f"{peak:.0f}", f"{recall:.4f}", f"{precision:.4f}",
                          f"{base_seconds / seconds:.1f}x")
        console.print(table) if label != "BBC" else None
    console.print("Recall and precision are against exact all-pairs Jaccard; seconds include shingling.")


if __name__ == "__main__":
    main()
