"""Near-duplicates: republished copies of one story, grouped, with what each copy changed.

    rules    what counts as a copy (shared with `compare`) and the settings a run records
    minhash  MinHash signatures and LSH banding over shingle hashes
    local    pairs and components in this process
    ray      the same rules distributed on a Ray cluster, and the Ray Dataset path
    groups   groups from confirmed pairs, described against their canonical member
    find     `find_duplicates`: the job, on either engine
"""

from simtool.jobs.dedup.find import find_duplicates
from simtool.jobs.dedup.groups import DedupResult, DuplicateGroup, DuplicatePair, GroupMember, deduplicated
from simtool.jobs.dedup.rules import METHODS, DedupSettings, dedup_text, is_near_duplicate

__all__ = ["METHODS", "DedupResult", "DedupSettings", "DuplicateGroup", "DuplicatePair", "GroupMember", "dedup_text",
           "deduplicated", "find_duplicates", "is_near_duplicate"]
