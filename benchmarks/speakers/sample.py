"""Draw the sentences of the speaker-attribution sample from the AllSides articles.

    .venv/bin/python benchmarks/speakers/sample.py

Writes `dev_unlabelled.jsonl` and `test_unlabelled.jsonl` beside this file: 300 sentences each,
from disjoint articles (dev to tune the rules on, test to report on). Two of every three are
drawn from sentences that may report speech (a quotation mark, or one of 47 speech verbs; the
parser's own list has since grown to include nearly all of them, so speech reported with other
verbs is under-represented); the third is any sentence. Each row carries the three sentences
before it, which a reader needs for "he said". The labels (`dev_labels.jsonl`,
`test_labels.jsonl`) were added by reading each row; `measure.py` scores the rules against them.
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

from simtool.bench.datasets import data_dir
from simtool.io.prepare import prepare_corpus

HERE = Path(__file__).parent
PER_SET = 300
SPEECH = re.compile(
    r"[\"“”]|\b(?:said|says|say|told|tells|stated|added|noted|wrote|writes|tweeted|testified|argued|argues|"
    r"claimed|claims|warned|warns|insisted|explained|announced|acknowledged|admitted|contended|countered|"
    r"responded|replied|asked|urged|recalled|predicted|cautioned|maintained|observed|remarked|declared|"
    r"pointed out|according to|believes|thinks|called|described|vowed|promised|suggested|emphasized|stressed)\b",
    re.IGNORECASE)


def main() -> None:
    corpus = prepare_corpus([data_dir() / "allsides" / "allsides_3topics.jsonl"])
    documents = list(corpus.documents)
    rng = random.Random(19)
    rng.shuffle(documents)
    half = len(documents) // 2
    used: dict[str, int] = {}
    for name, pool in (("dev", documents[:half]), ("test", documents[half:])):
        rows = []
        for used[name], doc in enumerate(pool, start=1):
            sentences = list(doc.sentences)
            speech = [i for i, s in enumerate(sentences) if SPEECH.search(s)]
            other = [i for i in range(len(sentences)) if i not in speech]
            picked = rng.sample(speech, min(2, len(speech))) + rng.sample(other, min(1, len(other)))
            for i in sorted(picked):
                rows.append({"id": f"{doc.id}#{i}", "source": doc.source, "context": sentences[max(0, i - 3):i],
                             "sentence": sentences[i]})
            if len(rows) >= PER_SET:
                break
        with open(HERE / f"{name}_unlabelled.jsonl", "w", encoding="utf-8") as out:
            for row in rows[:PER_SET]:
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
        print(f"{name}: {len(rows[:PER_SET])} sentences from {len({r['id'].split('#')[0] for r in rows})} articles")
    # A second tuning set, drawn later from the dev half's articles not yet used (dev and test stay as
    # they were): each row with eight sentences before it and three after, so fewer need reading again.
    rows = []
    for doc in documents[:half][used["dev"]:]:
        sentences = list(doc.sentences)
        speech = [i for i, s in enumerate(sentences) if SPEECH.search(s)]
        other = [i for i in range(len(sentences)) if i not in speech]
        picked = rng.sample(speech, min(2, len(speech))) + rng.sample(other, min(1, len(other)))
        for i in sorted(picked):
            rows.append({"id": f"{doc.id}#{i}", "source": doc.source, "context": sentences[max(0, i - 8):i],
                         "sentence": sentences[i], "after": sentences[i + 1:i + 4]})
        if len(rows) >= PER_SET:
            break
    with open(HERE / "dev2_unlabelled.jsonl", "w", encoding="utf-8") as out:
        for row in rows[:PER_SET]:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"dev2: {len(rows[:PER_SET])} sentences")


if __name__ == "__main__":
    main()
