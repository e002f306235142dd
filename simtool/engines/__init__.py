"""Where the heavy steps run: this process (`local`) or a Ray cluster (`ray`).

This layer is plumbing only: connecting to Ray, sizing actor pools, reading corpora as Ray
Datasets and encoding on actors. The rules of each job, and the job's own distributed steps,
live with the job (`simtool.jobs.dedup.ray`, `simtool.jobs.cluster.ray`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from simtool.errors import InputError
from simtool.vectors.engine import Engine, LocalEngine

if TYPE_CHECKING:
    from simtool.engines.ray import RayEngine

ENGINES = ("local", "ray")


def get_engine(name: str = "local", *, address: str = "auto", workers: int | None = None,
               partitions: int | None = None) -> Engine:
    """`local`, or `ray` (connecting to `address`, else starting Ray on this machine)."""
    if name == "local":
        return LocalEngine()
    if name == "ray":
        from simtool.engines.ray import RayEngine

        return RayEngine(address=address, workers=workers, partitions=partitions)
    raise InputError(f"--engine must be one of {', '.join(ENGINES)}; got {name!r}")


def ray_engine(engine: Engine | None) -> RayEngine | None:
    """`engine` if it runs on Ray (its jobs then take their distributed paths), else None."""
    from simtool.engines.ray import RayEngine

    return engine if isinstance(engine, RayEngine) else None


__all__ = ["ENGINES", "Engine", "LocalEngine", "get_engine", "ray_engine"]
