"""How the coverage of a topic shifts across periods.

    timeline  statements per period, stance, drift between periods (`find_drift`)
    speakers  who said a statement (attribution by rules)
    terms     distinctive terms of a period (log-odds with an informative prior)
"""

from simtool.jobs.drift.timeline import (
    BY,
    DriftResult,
    DriftSettings,
    DriftStep,
    Period,
    Statement,
    cluster_documents,
    find_drift,
)

__all__ = ["BY", "DriftResult", "DriftSettings", "DriftStep", "Period", "Statement", "cluster_documents",
           "find_drift"]
