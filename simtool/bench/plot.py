"""A PNG of quality against speed, one point per model, the Pareto front joined and labelled."""

from __future__ import annotations

import io
from pathlib import Path

from simtool.bench.results import pareto_front
from simtool.state import write_output


def plot_pareto(points: dict[str, tuple[float, float]], path: Path, title: str = "") -> Path:
    """`points`: model -> (mean quality x100, docs/s). Writes `path` and returns it."""
    import matplotlib

    matplotlib.use("Agg")  # files only: no display needed
    import matplotlib.pyplot as plt

    front = pareto_front(points)
    figure, axis = plt.subplots(figsize=(7, 4.5))
    for name, (quality, speed) in points.items():
        on_front = name in front
        axis.scatter(speed, quality, s=60, color="#c44e52" if on_front else "#8c8c8c", zorder=3)
        axis.annotate(name, (speed, quality), textcoords="offset points", xytext=(6, 4), fontsize=9)
    ordered = sorted(front, key=lambda name: points[name][1])
    axis.plot([points[n][1] for n in ordered], [points[n][0] for n in ordered], color="#c44e52",
              linewidth=1.2, linestyle="--", label="Pareto front")
    axis.set_xscale("log")
    axis.set_xlabel("documents per second (log scale)")
    axis.set_ylabel("mean main score (x100)")
    axis.set_title(title or "Quality against speed")
    axis.grid(True, which="both", alpha=0.3)
    axis.legend(loc="lower left")
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=120)
    plt.close(figure)
    return write_output(Path(path), buffer.getvalue())
