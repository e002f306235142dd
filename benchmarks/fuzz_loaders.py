"""Fuzz the loaders with hypothesis for a fixed time: every input either loads or is refused
with a SimtoolError (a one-line message); any other exception is a crash.

Inputs: random bytes; real files (the seeds, BBC articles, and JSONL, CSV, TSV, Parquet built
from them) with bytes flipped, inserted, deleted and spliced; JSON values of every shape as
JSONL lines; each written under every suffix the loaders read. Prints inputs tried, crashes,
and each distinct crash with the input that caused it.

    HF_HUB_OFFLINE=1 .venv/bin/python benchmarks/fuzz_loaders.py [--minutes 10]
"""

from __future__ import annotations

import argparse
import io
import json
import tempfile
import time
import traceback
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simtool.errors import SimtoolError
from simtool.io.corpus import load_corpus
from simtool.io.prepare import clean_corpus

ROOT = Path(__file__).resolve().parents[1]
SUFFIXES = [".txt", ".md", ".html", ".jsonl", ".json", ".csv", ".tsv", ".parquet"]


def seed_files() -> list[bytes]:
    texts = [p.read_bytes() for p in sorted((ROOT / "seeds").glob("*.txt"))]
    bbc = ROOT.parent / "shared" / "data" / "bbc"
    texts += [p.read_bytes() for p in sorted(bbc.glob("*/00[1-3].txt"))]
    records = [{"id": str(i), "title": t[:40].decode("utf-8", "replace"), "text": t.decode("utf-8", "replace"),
                "date": "2015-09-30"} for i, t in enumerate(texts)]
    jsonl = "\n".join(json.dumps(r) for r in records).encode()
    table = io.StringIO()
    import csv

    writer = csv.DictWriter(table, fieldnames=list(records[0]))
    writer.writeheader()
    writer.writerows(records)
    import pyarrow as pa
    import pyarrow.parquet as pq

    parquet = io.BytesIO()
    pq.write_table(pa.Table.from_pylist(records), parquet)
    html = b"<html><head><title>T</title></head><body><article><p>" + texts[0][:2000] + b"</p></article></body></html>"
    return texts + [jsonl, table.getvalue().encode(), table.getvalue().replace(",", "\t").encode(),
                    parquet.getvalue(), html]


SEEDS = seed_files()


@st.composite
def mutated(draw) -> bytes:
    data = bytearray(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(1, 8))):
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        kind = draw(st.sampled_from(["flip", "insert", "delete", "splice", "truncate"]))
        if kind == "flip":
            data[at] = draw(st.integers(0, 255))
        elif kind == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=64))
        elif kind == "delete":
            del data[at:at + draw(st.integers(1, 256))]
        elif kind == "splice":
            other = draw(st.sampled_from(SEEDS))
            start = draw(st.integers(0, max(len(other) - 1, 0)))
            data[at:at] = other[start:start + draw(st.integers(1, 512))]
        else:
            del data[at:]
    return bytes(data)


json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
                           lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
                               st.sampled_from(["id", "text", "title", "date", "body", "source", "x"]) | st.text(max_size=5),
                               inner, max_size=5), max_leaves=12)
json_lines = st.lists(json_values, min_size=1, max_size=8).map(lambda values: "\n".join(
    json.dumps(v, allow_nan=True) for v in values).encode())
inputs = st.tuples(st.one_of(st.binary(max_size=2048), mutated(), json_lines), st.sampled_from(SUFFIXES))


class Tally:
    tried = 0
    crashes: dict[str, tuple[str, bytes, str]] = {}


def one(data: bytes, suffix: str, folder: Path) -> None:
    Tally.tried += 1
    path = folder / f"input{suffix}"
    path.write_bytes(data)
    try:
        clean_corpus(load_corpus(path))
    except SimtoolError:
        pass  # refused with a message: the intended outcome for unusable input
    except Exception as exc:  # a crash: record it and go on
        where = traceback.extract_tb(exc.__traceback__)[-1]
        key = f"{type(exc).__name__} at {Path(where.filename).name}:{where.lineno}"
        Tally.crashes.setdefault(key, (suffix, data[:300], f"{type(exc).__name__}: {exc}"[:300]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    args = parser.parse_args()
    deadline = time.monotonic() + 60 * args.minutes
    with tempfile.TemporaryDirectory() as folder:
        @settings(max_examples=500, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        @given(inputs)
        def run(case):
            if time.monotonic() < deadline:
                one(case[0], case[1], Path(folder))

        rounds = 0
        start = time.monotonic()
        while time.monotonic() < deadline:
            run()
            rounds += 1
    seconds = time.monotonic() - start
    print(f"fuzzed the loaders for {seconds / 60:.1f} minutes: {Tally.tried:,} inputs "
          f"({Tally.tried / seconds:.0f}/s, {rounds} hypothesis rounds), {len(Tally.crashes)} distinct crashes")
    for key, (suffix, data, message) in Tally.crashes.items():
        print(f"  {key}: {message}\n    input ({suffix}): {data!r}")
    raise SystemExit(1 if Tally.crashes else 0)


if __name__ == "__main__":
    main()
