"""Actor pools on a Ray cluster: how many actors, how many threads each, and the threads torch gets."""

from __future__ import annotations


def cluster_cpus(ray) -> int:
    """The CPUs of the Ray cluster this process is connected to."""
    return int(ray.cluster_resources().get("CPU", 1))


def actor_pool(ray, workers: int | None) -> tuple[int, int]:
    """(actors, threads each) for `workers` actors (default: one per CPU) sharing the cluster's CPUs."""
    cpus = cluster_cpus(ray)
    actors = max(1, min(workers or cpus, cpus))
    return actors, max(1, cpus // actors)


def limit_threads(threads: int) -> None:
    """Torch gets `threads` threads in this (actor) process, where torch is installed."""
    try:
        import torch

        torch.set_num_threads(threads)
    except ImportError:
        pass
