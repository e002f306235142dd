"""Republished copies made the way syndication edits a story, for tests and benchmarks.

Each copy gets some of: a new headline, other site furniture around the body, a paragraph
dropped, two paragraphs swapped, and wording changes ("said" -> "says"). Deterministic for a
seed.
"""

from __future__ import annotations

import random
import re
from dataclasses import replace

from simtool.io.document import Document

_REWORDINGS = [("said", "says"), ("will", "would"), ("told", "said to"), ("announced", "revealed"),
               ("however", "but"), ("also", "as well"), ("people", "persons"), ("about", "around"),
               ("because", "as"), ("year", "twelve months")]
_FURNITURE_TOP = ["Home | News | World", "Advertisement", "By Staff Reporter", "Updated 2 hours ago",
                  "Share this story"]
_FURNITURE_BOTTOM = ["Sign up for our newsletter", "Related Articles", "Most Read Stories", "Comments (0)",
                     "© Example Media Group. All rights reserved."]


def edited_copy(doc: Document, seed: int, *, new_id: str | None = None, edits: int = 3) -> Document:
    """A republished, lightly edited copy of `doc` (`edits` of the edit kinds, chosen by `seed`)."""
    rng = random.Random(seed)
    paragraphs = [p for p in doc.text.split("\n") if p.strip()]
    title = doc.title
    kinds = rng.sample(["headline", "furniture", "drop", "swap", "reword"], k=min(edits, 5))
    if "drop" in kinds and len(paragraphs) > 4:
        paragraphs.pop(rng.randrange(1, len(paragraphs)))
    if "swap" in kinds and len(paragraphs) > 3:
        i = rng.randrange(1, len(paragraphs) - 1)
        paragraphs[i], paragraphs[i + 1] = paragraphs[i + 1], paragraphs[i]
    if "reword" in kinds:
        for old, new in rng.sample(_REWORDINGS, k=4):
            paragraphs = [re.sub(rf"\b{old}\b", new, p) for p in paragraphs]
    if "headline" in kinds:
        title = f"{rng.choice(['UPDATE', 'Breaking', 'Report'])}: {title}"
    if "furniture" in kinds:
        paragraphs = rng.sample(_FURNITURE_TOP, k=2) + paragraphs + rng.sample(_FURNITURE_BOTTOM, k=2)
    return replace(doc, id=new_id or f"{doc.id}~copy{seed}", title=title, text="\n".join(paragraphs),
                   source=f"site{seed % 7}.example")
