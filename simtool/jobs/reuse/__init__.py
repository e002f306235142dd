"""Reuse and lineage of coverage: who took which passages from whom.

    passages  word n-gram hashes, winnowed fingerprints, exact alignment of a pair
    wire      marks of wire copy (a dateline, a wire credit), by their shape
    lineage   the direction of a pair, families, their order and each member's parent
    find      `find_reuse`: the job, on either engine; its result types
    pairs     fingerprints of articles, candidate pairs, alignment: the steps both engines run
    ray       those steps as Ray tasks
"""

from simtool.jobs.reuse.find import (
                                     MIN_WORDS,
                                     LineageNode,
                                     OutletReuse,
                                     ReuseEdge,
                                     ReuseFamily,
                                     ReuseResult,
                                     ReuseSettings,
                                     SharedPassage,
                                     find_reuse,
)

__all__ = ["MIN_WORDS", "LineageNode", "OutletReuse", "ReuseEdge", "ReuseFamily", "ReuseResult", "ReuseSettings",
           "SharedPassage", "find_reuse"]
