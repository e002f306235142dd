"""A PNG of a drift result: stance per period (with its 95% interval) and the change between periods."""

from __future__ import annotations

import io
from pathlib import Path

from simtool.jobs.drift.timeline import DriftResult
from simtool.state import write_output


def plot_drift(result: DriftResult, path: Path) -> Path:
    """Write the plot to `path` (PNG): statements per period, stance when an axis was given, drift."""
    import matplotlib

    matplotlib.use("Agg")  # files only: no display needed
    import matplotlib.pyplot as plt

    periods = [p.period for p in result.periods]
    has_stance = any(p.stance for p in result.periods)
    panels = 3 if has_stance else 2
    figure, axes = plt.subplots(panels, 1, figsize=(8, 2.6 * panels), sharex=False)
    axes[0].bar(periods, [p.n_statements for p in result.periods], color="#4c72b0")
    axes[0].set_ylabel("statements")
    axes[0].set_title(f"{result.query!r} by {result.by}")
    if has_stance:
        means = [p.stance.mean if p.stance else float("nan") for p in result.periods]
        errors = [[p.stance.mean - p.stance.low if p.stance else 0 for p in result.periods],
                  [p.stance.high - p.stance.mean if p.stance else 0 for p in result.periods]]
        axes[1].errorbar(periods, means, yerr=errors, fmt="o-", capsize=4, color="#dd8452")
        axes[1].axhline(0, color="grey", linewidth=0.8)
        axes[1].set_ylabel("stance (+ first pole)")
    steps = [f"{s.before}->{s.after}" for s in result.drift]
    axes[-1].bar(steps, [s.effect for s in result.drift],
                 color=["#55a868" if s.significant else "#bbbbbb" for s in result.drift])
    axes[-1].set_ylabel("change (effect; grey: not significant)")
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=120)
    plt.close(figure)
    return write_output(Path(path), buffer.getvalue())
