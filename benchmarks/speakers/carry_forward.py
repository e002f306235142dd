"""Would a learned layer that carries the speaker before to a sentence the rules leave without one
help? Measured on the tuning sets only (dev, dev2, dev3), cross-validated by article.

    .venv/bin/python benchmarks/speakers/carry_forward.py

For each labelled sentence the rules give no speaker, the candidate is the nearest speaker the rules
found in the three sentences before. Its ceiling is the number of such sentences whose label is
that candidate; a classifier on the sentence's shape (distance, paragraph break, quotation marks,
first-person words, an opening "And"/"But", names of its own, length, digits, how the candidate
was found) then says which to carry. Run on 1 December 2026, after the day's rules: of 206 such
sentences, 14 would carry the right speaker; logistic regression carries at most one, wrong, and
boosting 8 at p >= 0.5, 2 of them right. The misses are not continuations of the speaker before:
a learned layer of this kind cannot close the recall gap, so none was built.
"""

from __future__ import annotations

import re

import numpy as np
from measure import load, relocate, same_actor
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold, cross_val_predict

from simtool.bench.datasets import data_dir
from simtool.io.prepare import prepare_corpus
from simtool.jobs.drift.attribution import attribute_sentences, pipeline

BEFORE = 3
FIRST_PERSON = re.compile(r"\b(I|we|my|our|me|us)\b")
OPENING = re.compile(r"\s*(And|But|So|Also|Still|Yet)\b")
QUOTE = re.compile(r"[“”\"]")


def main() -> None:
    documents = {doc.id: doc for doc in prepare_corpus([data_dir() / "allsides" / "allsides_3topics.jsonl"])}
    nlp = pipeline()
    features, right, articles = [], [], []
    for row in (r for name in ("dev", "dev2", "dev3") for r in load(name)):
        doc_id, index = row["id"].rsplit("#", 1)
        sentences = list(documents[doc_id].sentences)
        i = int(index)
        if i >= len(sentences) or sentences[i] != row["sentence"]:
            i = relocate(row["sentence"], sentences)
        if i is None:
            continue
        first = max(0, i - BEFORE)
        paragraphs = documents[doc_id].paragraph_starts
        found = attribute_sentences(sentences, list(range(first, i + 1)), paragraphs=paragraphs)
        candidate = next(((j, found[j]) for j in range(i - 1, first - 1, -1) if found[j] is not None), None)
        if found[i] is not None or candidate is None:
            continue
        j, speaker = candidate
        text = sentences[i]
        outside = re.sub(r"[“\"][^”\"]*[”\"]", "", text)
        names = [e for e in nlp(text).ents if e.label_ in ("PERSON", "ORG") and e.text in outside]
        features.append([i - j, any(k in paragraphs for k in range(j + 1, i + 1)), i in paragraphs,
                         bool(QUOTE.search(text)), text.lstrip()[:1] in "“\"", bool(FIRST_PERSON.search(outside)),
                         bool(OPENING.match(text)), " also " in text, len(names), min(len(text.split()), 60) / 60,
                         bool(re.search(r"\d", text)), speaker.how == "named", speaker.how == "quotation",
                         bool(QUOTE.search(sentences[j])), text.rstrip().endswith("?")])
        right.append(bool(row["speaker"]) and same_actor(speaker.name, row["speaker"], row["kind"]))
        articles.append(doc_id)
    x, y = np.array(features, float), np.array(right, int)
    print(f"sentences the rules leave without a speaker, with one in the {BEFORE} before: {len(y)}; "
          f"the speaker before is the labelled one in {y.sum()}")
    for name, model in (("logistic regression", LogisticRegression(max_iter=1000)),
                        ("gradient boosting", GradientBoostingClassifier(max_depth=2, random_state=0))):
        p = cross_val_predict(model, x, y, groups=articles, cv=GroupKFold(5), method="predict_proba")[:, 1]
        for threshold in (0.5, 0.7):
            carried = p >= threshold
            print(f"  {name}, carried at p >= {threshold}: {carried.sum()}, right {y[carried].sum()}")


if __name__ == "__main__":
    main()
