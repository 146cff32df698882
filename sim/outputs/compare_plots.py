"""Plots across runs, for ``python -m sim.compare`` and the sweep report.

Drawn from the files runs wrote (never from the model), in the style of :mod:`sim.outputs.plots`:
one line or marker per run, a P10–P90 band where a run's timeseries has ``<series>_p10``
and ``<series>_p90`` columns (Monte Carlo runs), and for sweeps the headline figures against
the swept factors. Imported only when a plot is drawn, since it brings in pyplot.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import matplotlib.ticker as mticker
import numpy as np
import pandas as pd

from sim.outputs.style import THOUSANDS, finish, years
from sim.study.metrics import MILESTONES
from sim.study.targets import DEADLINE, TOTAL


def run_colors(n: int) -> list:
    cmap = plt.get_cmap("tab10" if n <= 10 else "viridis")
    return [cmap(i if n <= 10 else i / max(n - 1, 1)) for i in range(n)]


def series(rows: pd.DataFrame, name: str):
    """(central line, P10, P90) of ``name`` in a timeseries; the band is None if absent.

    A single run has the column itself; a Monte Carlo run may carry ``<name>_p50`` or
    ``<name>_mean`` instead, and ``<name>_p10`` / ``<name>_p90`` for its band.
    """
    for column in (name, f"{name}_p50", f"{name}_mean"):
        if column in rows:
            center = rows[column]
            break
    else:
        raise KeyError(f"timeseries has no column {name!r}")
    if f"{name}_p10" in rows and f"{name}_p90" in rows:
        return center, rows[f"{name}_p10"], rows[f"{name}_p90"]
    return center, None, None


def _recipients(runs) -> list[str]:
    found = dict.fromkeys(r for run in runs for r in run.timeseries["recipient"].unique())
    return [TOTAL] + [r for r in found if r != TOTAL]


def _panels(runs, path: Path, title: str, draw, ylabel: str, thousands: bool) -> None:
    """A panel for the total and each recipient; ``draw(ax, rows, color, label)`` per run."""
    recipients = _recipients(runs)
    ncols = 3
    nrows = -(-len(recipients) // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(13, 3.4 * nrows + 0.6), sharex=True,
                             squeeze=False)
    for ax, recipient in zip(axes.ravel(), recipients):
        for run, color in zip(runs, run_colors(len(runs))):
            ts = run.timeseries
            rows = ts[ts["recipient"] == recipient]
            if len(rows):
                draw(ax, rows, color, run.label)
        ax.set_title(recipient, fontsize=10, loc="left")
        ax.axvline(pd.Timestamp(DEADLINE), color="black", linestyle=":", linewidth=0.8)
        ax.grid(alpha=0.3)
        years(ax, 2)
        if thousands:
            ax.yaxis.set_major_formatter(THOUSANDS)
    for ax in axes.ravel()[len(recipients):]:
        ax.set_visible(False)
    for ax in axes[:, 0]:
        ax.set_ylabel(ylabel)
    axes[0, 0].legend(fontsize=7, loc="upper left")
    fig.suptitle(title, fontsize=11, x=0.01, ha="left")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def _with(shared: str) -> str:
    return f" (all runs: {shared})" if shared else ""


def operational(runs, path: Path, shared: str = "") -> None:
    """Operational GPUs over time, in total and per recipient: one line per run."""
    def draw(ax, rows, color, label):
        center, low, high = series(rows, "operational")
        ax.plot(rows["date"], center, color=color, label=label, linewidth=1.4)
        if low is not None:
            ax.fill_between(rows["date"], low, high, color=color, alpha=0.18, linewidth=0)

    _panels(runs, path, "Operational GPUs, one line per run; band P10–P90 where present; "
            f"dotted: {DEADLINE}" + _with(shared), draw, "GPUs operational", thousands=True)


def power(runs, path: Path, shared: str = "") -> None:
    """MW drawn (solid) against MW energized (dashed), in total and per recipient, per run."""
    def draw(ax, rows, color, label):
        drawn, low, high = series(rows, "mw_drawn")
        energized, _, _ = series(rows, "mw_energized")
        ax.plot(rows["date"], drawn, color=color, label=label, linewidth=1.4)
        ax.plot(rows["date"], energized, color=color, linestyle="--", linewidth=1)
        if low is not None:
            ax.fill_between(rows["date"], low, high, color=color, alpha=0.18, linewidth=0)

    _panels(runs, path, "Power: MW drawn (solid) and MW energized (dashed), one colour per "
            "run" + _with(shared), draw, "MW (facility)", thousands=False)


def milestones(runs, path: Path, shared: str = "") -> None:
    """The dates of the 25/50/90/100 % milestones side by side, a marker per run.

    A milestone not reached by a run's horizon is an open arrow at that horizon.
    """
    recipients = [r for r in _recipients(runs) if r != TOTAL]
    rows = [(TOTAL, f"{p}%") for p in MILESTONES] + [(r, "100%") for r in recipients]
    fig, ax = plt.subplots(figsize=(11, 0.45 * len(rows) * max(1, len(runs) / 3) + 2))
    step = 0.7 / max(len(runs), 1)
    for i, (run, color) in enumerate(zip(runs, run_colors(len(runs)))):
        ms = run.milestones.set_index(["recipient", "milestone"])["date"]
        horizon = pd.Timestamp(run.summary.get("horizon", DEADLINE))
        offset = (i - (len(runs) - 1) / 2) * step
        for y, key in enumerate(rows):
            when = ms.get(key)
            if when is None or pd.isna(when):
                ax.plot([horizon], [y + offset], marker=">", markerfacecolor="none",
                        color=color, markersize=7, linestyle="none")
            else:
                ax.plot([pd.Timestamp(when)], [y + offset], marker="o", color=color,
                        markersize=6, linestyle="none", label=run.label if y == 0 else None)
    ax.set_yticks(range(len(rows)), [f"{who}: {m} operational" for who, m in rows], fontsize=8)
    ax.invert_yaxis()
    ax.axvline(pd.Timestamp(DEADLINE), color="black", linestyle=":", linewidth=0.8)
    ax.legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.06),
              ncol=min(len(runs), 4), frameon=False)
    finish(fig, ax, path, "Milestones, a marker per run (open arrow: not reached by the "
            "horizon)" + _with(shared), "")


# --- sweeps ----------------------------------------------------------------------------------

def _value(output: str, v: float) -> str:
    """A headline figure as a reader wants it: won in trillions, counts with separators."""
    return f"{v / 1e12:,.2f} tn" if output.endswith("_won") else f"{v:,.0f}"


def _axes_grid(n: int, width: float = 11):
    ncols = 2 if n > 1 else 1
    nrows = -(-n // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(width, 3.6 * nrows + 0.6), squeeze=False)
    for ax in axes.ravel()[n:]:
        ax.set_visible(False)
    return fig, axes.ravel()[:n]


def _save(fig, path: Path, title: str) -> None:
    fig.suptitle(title, fontsize=11, x=0.01, ha="left")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def factor_lines(table: pd.DataFrame, factor: str, by: str | None, outputs: list[str],
                 path: Path) -> None:
    """Each output against a numeric ``factor``: a line per value of ``by`` (if any)."""
    fig, axes = _axes_grid(len(outputs))
    groups = list(table.groupby(by, sort=False)) if by else [("", table)]
    colors = run_colors(len(groups))
    for ax, output in zip(axes, outputs):
        for (value, rows), color in zip(groups, colors):
            rows = rows.sort_values(factor)
            ax.plot(rows[factor], rows[output], marker="o", color=color,
                    label=f"{by}={value}" if by else None)
        ax.set_title(output, fontsize=10, loc="left")
        ax.set_xlabel(factor)
        ax.yaxis.set_major_formatter(mticker.FuncFormatter(lambda v, _, o=output: _value(o, v)))
        ax.grid(alpha=0.3)
        if output.endswith("days_after_2030"):
            ax.axhline(0, color="black", linestyle=":", linewidth=0.8)
    if by:
        axes[0].legend(fontsize=7)
    _save(fig, path, f"Sweep: headline figures against {factor}"
          + (f", a line per {by}" if by else ""))


def heatmap(table: pd.DataFrame, x: str, y: str, outputs: list[str], path: Path) -> None:
    """Each output over two numeric factors, one cell per job, the value written in it."""
    fig, axes = _axes_grid(len(outputs), width=12)
    for ax, output in zip(axes, outputs):
        grid = table.pivot_table(index=y, columns=x, values=output, aggfunc="mean")
        values = grid.to_numpy(dtype=float)
        image = ax.imshow(values, origin="lower", aspect="auto", cmap="viridis")
        ax.set_xticks(range(grid.shape[1]), [f"{v:g}" for v in grid.columns], fontsize=8)
        ax.set_yticks(range(grid.shape[0]), [f"{v:g}" for v in grid.index], fontsize=8)
        ax.set_xlabel(x)
        ax.set_ylabel(y)
        ax.set_title(output, fontsize=10, loc="left")
        finite = values[np.isfinite(values)]
        middle = (finite.min() + finite.max()) / 2 if finite.size else 0
        for (i, j), v in np.ndenumerate(values):
            if np.isfinite(v):
                ax.text(j, i, _value(output, v), ha="center", va="center", fontsize=7,
                        color="white" if v < middle else "black")
        fig.colorbar(image, ax=ax)
    _save(fig, path, f"Sweep: headline figures over {x} and {y}")
