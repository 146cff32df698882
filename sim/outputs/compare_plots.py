"""Figures across runs, for ``python -m sim.compare`` and the sweep report.

Drawn from the files runs wrote (never from the model), in the style of
:mod:`sim.outputs.plots`: one colour per run, by its place ``[1]``, ``[2]``, ... in every
figure; the line is each run's P50 over its replications and the band its P10–P90 (a run
without Monte Carlo columns has its single line and no band). A sweep's own figures are in
:mod:`sim.outputs.sweep_plots`. Each function returns its :class:`~matplotlib.figure.Figure`.
"""

from __future__ import annotations

import pandas as pd

from sim.outputs.labels import Names
from sim.outputs.style import (
    figure,
    gpu_axis,
    label_panels,
    nothing_to_show,
    run_color,
    title,
    too_short,
    years,
)
from sim.study.metrics import MILESTONES
from sim.study.targets import DEADLINE, TOTAL


def series(rows: pd.DataFrame, name: str):
    """(P50 line, P10, P90) of ``name`` in a timeseries; the band is None if absent.

    A Monte Carlo run has ``<name>_p50`` (preferred: the line is then the statistic the
    legend names), ``<name>_p10`` and ``<name>_p90``; a single run has ``<name>`` itself.
    """
    for column in (f"{name}_p50", name):
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


def _names(runs) -> Names:
    return Names(runs[0].summary.get("names") if runs else None)


def _legend(fig, runs, extra=()) -> None:
    from matplotlib.lines import Line2D

    handles = [Line2D([], [], color=run_color(i), linewidth=2, label=f"[{i + 1}] {r.label}")
               for i, r in enumerate(runs)] + list(extra)
    fig.legend(handles=handles, loc="lower left", bbox_to_anchor=(0.01, 0.0), fontsize=8,
               ncol=min(len(handles), 3), frameon=False)


def _panels(runs, title_text: str, note: str, draw, ylabel: str, thousands: bool, extra=()):
    """A panel for the total and each recipient; ``draw(ax, rows, color)`` per run."""
    recipients = _recipients(runs)
    names = _names(runs)
    ncols = 3
    nrows = -(-len(recipients) // ncols)
    legend_rows = -(-(len(runs) + len(extra)) // 3)
    height = 3.0 * nrows + 1.3 + 0.22 * legend_rows
    fig, axes = figure(13, height, nrows=nrows, ncols=ncols, sharex=True, left=0.06,
                       right=0.98, bottom=(0.75 + 0.22 * legend_rows) / height,
                       top=1 - 0.95 / height)
    for ax, recipient in zip(axes.ravel(), recipients):
        for i, run in enumerate(runs):
            ts = run.timeseries
            rows = ts[ts["recipient"] == recipient]
            if len(rows):
                draw(ax, rows, run_color(i))
        ax.set_title(names.recipient(recipient), fontsize=10, loc="left")
        ax.axvline(pd.Timestamp(DEADLINE), color="black", linestyle=":", linewidth=0.8)
        ax.grid(alpha=0.3)
        if thousands:
            gpu_axis(ax)
    label_panels(axes, len(recipients), ylabel)
    _legend(fig, runs, extra)
    title(fig, title_text, note)
    return fig


def _band_note(runs) -> str:
    n = {r.summary.get("monte_carlo", {}).get("replications") for r in runs}
    n.discard(None)
    if n == {1}:
        return "line: each run's one replication (no band: add replications for P10–P90)"
    return (f"line: the P50 (median) of each run's {'/'.join(map(str, sorted(n)))} "
            "replications; band: P10–P90" if n else "one line per run")


def operational(runs, shared: str = ""):
    """Operational GPUs over time, in total and per recipient: each run's P50 and band."""
    def draw(ax, rows, color):
        center, low, high = series(rows, "operational")
        ax.plot(rows["date"], center, color=color, linewidth=1.5)
        if low is not None:
            ax.fill_between(rows["date"], low, high, color=color, alpha=0.15, linewidth=0)

    if all(too_short(r.timeseries) for r in runs):
        return _empty("Operational GPUs over time, by run", shared)
    return _panels(runs, "Operational GPUs over time, by run",
                   _band_note(runs) + f"; dotted: {DEADLINE}" + _with(shared), draw,
                   "GPUs operational", thousands=True)


def power(runs, shared: str = ""):
    """MW drawn (solid) against MW energized (dashed), each run's P50."""
    from matplotlib.lines import Line2D

    def draw(ax, rows, color):
        drawn, low, high = series(rows, "mw_drawn")
        energized, _, _ = series(rows, "mw_energized")
        ax.plot(rows["date"], drawn, color=color, linewidth=1.5)
        ax.plot(rows["date"], energized, color=color, linestyle="--", linewidth=1)
        if low is not None:
            ax.fill_between(rows["date"], low, high, color=color, alpha=0.15, linewidth=0)

    if all(too_short(r.timeseries) for r in runs):
        return _empty("Power: MW drawn and MW energized, by run", shared)
    extra = [Line2D([], [], color="black", linewidth=1.5, label="MW drawn (band: P10–P90)"),
             Line2D([], [], color="black", linestyle="--", linewidth=1, label="MW energized")]
    return _panels(runs, "Power: MW drawn and MW energized, by run",
                   _band_note(runs).replace("line:", "lines:") + _with(shared), draw,
                   "MW (facility)", thousands=False, extra=extra)


def _with(shared: str) -> str:
    return f"; all runs: {shared}" if shared else ""


def _empty(text: str, shared: str):
    fig, axes = figure(10, 4)
    nothing_to_show(axes[0, 0], "no run has two weeks between its pledge and its horizon: "
                                "no line or band to draw over time")
    title(fig, text, shared)
    return fig


def milestones(runs, shared: str = ""):
    """The 25/50/90/100 % dates side by side: each run's P50 (marker) and P10–P90 (whisker);
    an open arrow at the run's horizon where its P50 is after it."""
    recipients = [r for r in _recipients(runs) if r != TOTAL]
    names = _names(runs)
    rows = [(TOTAL, f"{p}%") for p in MILESTONES] + [(r, "100%") for r in recipients]
    legend_rows = -(-len(runs) // 3)
    height = 0.32 * len(rows) * max(1, len(runs) / 3) + 1.8 + 0.22 * legend_rows
    fig, axes = figure(11, height, left=0.27, right=0.97,
                       bottom=(0.75 + 0.22 * legend_rows) / height, top=1 - 0.85 / height)
    ax = axes[0, 0]
    step = 0.7 / max(len(runs), 1)
    for i, run in enumerate(runs):
        ms = run.milestones.set_index(["recipient", "milestone"])
        horizon = pd.Timestamp(run.summary.get("horizon", DEADLINE))
        offset = (i - (len(runs) - 1) / 2) * step
        for y, key in enumerate(rows):
            when = ms["date"].get(key) if key in ms.index else None
            low = ms["p10_date"].get(key) if "p10_date" in ms and key in ms.index else None
            high = ms["p90_date"].get(key) if "p90_date" in ms and key in ms.index else None
            at = y + offset
            if pd.notna(low) and low is not None:
                right = pd.Timestamp(high) if pd.notna(high) and high is not None else horizon
                ax.plot([pd.Timestamp(low), right], [at, at], color=run_color(i),
                        linewidth=1.2)
            if when is None or pd.isna(when):
                ax.plot([horizon], [at], marker=">", markerfacecolor="none",
                        color=run_color(i), markersize=7, linestyle="none")
            else:
                ax.plot([pd.Timestamp(when)], [at], marker="o", color=run_color(i),
                        markersize=5.5, linestyle="none")
    ax.set_yticks(range(len(rows)), [f"{names.recipient(who)}: {m} operational"
                                     for who, m in rows], fontsize=8)
    ax.invert_yaxis()
    ax.axvline(pd.Timestamp(DEADLINE), color="black", linestyle=":", linewidth=0.8)
    ax.grid(alpha=0.3)
    ax.set_xlabel("date")
    years(ax)
    _legend(fig, runs)
    title(fig, "Milestones by run: P50 (dot) and P10–P90 (line)",
          "open arrow: the P50 is after the run's horizon" + _with(shared))
    return fig
