"""Stories and topics: clusters of a corpus, labelled, with representatives.

    rules  how k is chosen, clusters numbered and labelled (both paths)
    local  representations, algorithms and the agreement step, in memory
    ray    k-means fitted on a sample of vector shards, assigned on Ray past one machine's memory
"""

from simtool.jobs.cluster.local import (
    ALGORITHMS,
    HYBRID,
    Cluster,
    ClusterLevel,
    ClusterResult,
    ClusterSettings,
    Representative,
    Views,
    classes_of,
    cluster_corpus,
    evaluate,
    represent,
)
from simtool.jobs.cluster.rules import NOISE, choose_k, ctfidf_terms

__all__ = ["ALGORITHMS", "HYBRID", "NOISE", "Cluster", "ClusterLevel", "ClusterResult", "ClusterSettings",
           "Representative", "Views",
           "choose_k", "classes_of", "cluster_corpus", "ctfidf_terms", "evaluate", "represent"]
