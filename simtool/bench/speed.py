"""Load time, throughput and memory of one model, each measured in a fresh process.

A fresh process is the only place where a model's load time includes its imports (torch for a
transformer) and where peak memory belongs to that model alone; the cache is not used, so the
figure is the cost of encoding, never of a lookup.
"""

from __future__ import annotations

import dataclasses
import json
import os
import resource
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from simtool.errors import SimtoolError

WARMUP_TEXTS = 8  # encoded before the clock starts: first-call set-up is load time, not throughput


@dataclass(frozen=True)
class Speed:
    """What one model costs on a sample of the corpus."""

    load_seconds: float
    encode_seconds: float
    documents: int
    docs_per_second: float
    peak_memory_mib: float  # peak resident memory of the process above what it held at its start
    dim: int
    bytes_per_document: float  # of the vectors as stored (float32; CSR data + indices for TF-IDF)


def _memory_mib(field: str) -> float | None:
    """A figure of /proc/self/status in MiB: VmRSS (now) or VmHWM (the peak of this process).

    Not getrusage's ru_maxrss: Linux carries that over from the parent across fork and exec,
    so a fresh process would report its parent's peak.
    """
    try:
        with open("/proc/self/status") as handle:
            for line in handle:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def _measure(model: str, texts: list[str], cache: str | None) -> Speed:
    start_mib = _memory_mib("VmRSS")
    start = time.perf_counter()
    from simtool.encoders import get_encoder

    encoder = get_encoder(model, cache=Path(cache) if cache else None)
    encoder.encode(texts[:WARMUP_TEXTS])  # loads the weights (or, for TF-IDF, scikit-learn)
    if encoder.identity is None:  # corpus-fitted: a fresh one, fitted on the whole sample below
        encoder = get_encoder(model, cache=Path(cache) if cache else None)
    loaded = time.perf_counter()
    vectors = encoder.encode(texts)
    encoded = time.perf_counter()
    if hasattr(vectors, "nnz"):
        stored = vectors.nnz * (vectors.data.itemsize + vectors.indices.itemsize) + vectors.indptr.nbytes
    else:
        stored = vectors.nbytes
    seconds = encoded - loaded
    return Speed(load_seconds=loaded - start, encode_seconds=seconds, documents=len(texts),
                 docs_per_second=len(texts) / seconds if seconds > 0 else float("inf"),
                 peak_memory_mib=_peak_above(start_mib), dim=int(vectors.shape[1]),
                 bytes_per_document=stored / max(len(texts), 1))


def _peak_above(start_mib: float | None) -> float:
    peak = _memory_mib("VmHWM")
    if peak is None or start_mib is None:  # no procfs (macOS): the process's own peak, imports included
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / (2**20 if sys.platform == "darwin" else 2**10)
    return max(peak - start_mib, 0.0)


def measure_speed(model: str, texts: list[str], cache: str | os.PathLike[str] | None = None) -> Speed:
    """Load `model` and encode `texts` without the vector cache, in a fresh interpreter.

    `cache` is the cache folder whose `models/` holds models distilled there. A fresh
    interpreter (not a multiprocessing child, which re-imports the parent's main module) means
    the load time counts every import the model needs.
    """
    request = json.dumps({"model": model, "texts": texts, "cache": str(cache) if cache else None})
    done = subprocess.run([sys.executable, "-m", "simtool.bench.speed"], input=request, capture_output=True,
                          text=True, env={**os.environ, "TQDM_DISABLE": "1"})
    if done.returncode != 0:
        lines = done.stderr.strip().splitlines() or [f"exit status {done.returncode}"]
        raise SimtoolError(f"timing {model} failed: {lines[-1]}")
    return Speed(**json.loads(done.stdout.strip().splitlines()[-1]))


if __name__ == "__main__":
    asked = json.loads(sys.stdin.read())
    measured = _measure(asked["model"], asked["texts"], asked["cache"])
    sys.stdout.write(json.dumps(dataclasses.asdict(measured)) + "\n")
