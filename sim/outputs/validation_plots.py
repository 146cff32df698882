"""The figures of a validation: the hindcasts' bands with what happened, and calibration.

``hindcasts.png``: a panel per observed quantity; for each as-of date the forecast's P50 (a
dot) and P10-P90 range (a bar), and what was observed (a line, or a shaded range where
sources disagree or only a window is known). A reader sees at a glance whether the bands held.
``calibration.png``: where the observations fell in their forecasts (the randomized
probability integral transform, PIT, of the counted scores): a calibrated model spreads them
evenly, 20 % in each fifth. ``reliability.png``: the share of observations each central
interval of the forecasts held, against its level, with Wilson intervals: on the diagonal
if calibrated.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import matplotlib.ticker as mticker
import numpy as np
import pandas as pd

from sim.calendar import timestamps
from sim.outputs.style import font_note

GPUS = mticker.FuncFormatter(lambda v, _: f"{v / 1000:,.1f}k")
COLOR = "#4c72b0"
OBSERVED = "#c44e52"


LATEST_DAY = 60_000
"""Days beyond which a date is drawn at the top (a date never reached is 1e6 days)."""


def _values(frame: pd.DataFrame, column: str, dates: bool):
    values = frame[column].to_numpy(float)
    return timestamps(np.minimum(values, LATEST_DAY)) if dates else values


def hindcasts(table: pd.DataFrame, path: Path) -> None:
    """A panel per target: forecast P50 and P10-P90 by as-of date, the observation beside."""
    font_note()
    groups = list(table.groupby("target", sort=False))
    ncols = 2 if len(groups) > 1 else 1
    nrows = max(1, -(-len(groups) // ncols))
    fig, axes = plt.subplots(nrows, ncols, figsize=(12, 3.1 * nrows + 0.9), squeeze=False)
    every = pd.to_datetime(table["as_of"])
    span = (every.min() - pd.Timedelta(days=15), every.max() + pd.Timedelta(days=15))
    for ax, (_, rows) in zip(axes.ravel(), groups):
        dates = rows["unit"].iloc[0] == "days"
        as_of = pd.to_datetime(rows["as_of"])
        p10, p50, p90 = (_values(rows, c, dates) for c in ("p10", "p50", "p90"))
        for x, low, high in zip(as_of, p10, p90):
            ax.plot([x, x], [low, high], color=COLOR, linewidth=3, alpha=0.5,
                    solid_capstyle="butt")
        ax.plot(as_of, p50, "o", color=COLOR, markersize=5, label="forecast P50 (bar: P10-P90)")
        low, high = (_values(rows.iloc[:1], c, dates)[0] for c in ("observed_low",
                                                                  "observed_high"))
        if low == high:
            ax.axhline(low, color=OBSERVED, linewidth=1.5, label="observed")
        else:
            ax.axhspan(low, high, color=OBSERVED, alpha=0.2, label="observed (range)")
        ax.set_title(textwrap.fill(rows["label"].iloc[0], 70), fontsize=9, loc="left")
        ax.set_xlabel("forecast made as of", fontsize=8)
        ax.set_xlim(*span)
        ax.xaxis.set_major_locator(mticker.FixedLocator(mdates.date2num(sorted(set(every)))))
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%m-%d\n%Y"))
        ax.tick_params(labelsize=7)
        if dates:
            # whole dates: a concise formatter's offset ("2025 Dec") ran into the title
            ax.yaxis.set_major_locator(mdates.AutoDateLocator(minticks=3, maxticks=6))
            ax.yaxis.set_major_formatter(mdates.DateFormatter("%Y-%m-%d"))
            ax.set_ylabel("date", fontsize=8)
        else:
            ax.yaxis.set_major_formatter(GPUS)
            ax.set_ylabel("GPUs", fontsize=8)
        ax.grid(alpha=0.3)
    for ax in axes.ravel()[len(groups):]:
        ax.set_visible(False)
    axes[0, 0].legend(fontsize=7, loc="best")
    fig.suptitle("Hindcasts: what the model said on each date (dot: P50, bar: P10-P90), and "
                 "what happened (red)", fontsize=11, x=0.01, ha="left")
    fig.tight_layout(rect=(0, 0, 1, 1 - 0.5 / fig.get_figheight()))
    fig.savefig(path, dpi=100)
    plt.close(fig)


def calibration(table: pd.DataFrame, path: Path) -> None:
    """The randomized PIT histogram of the counted scores, with counts on the bars, against
    the even 20 % of a calibrated forecast."""
    chosen = table[table["counted"]] if "counted" in table else table
    fig, ax = plt.subplots(figsize=(7, 4.2))
    n = len(chosen)
    counts = np.histogram(chosen["pit"], bins=5, range=(0, 1))[0] if n else np.zeros(5, int)
    bars = ax.bar(np.arange(5) * 0.2 + 0.1, counts / max(n, 1), width=0.18, color=COLOR,
                  label="share of counted scores")
    ax.bar_label(bars, labels=[str(c) for c in counts], fontsize=9, padding=2)
    ax.axhline(0.2, color="black", linestyle=":", linewidth=1, label="calibrated (20 % each)")
    ax.set_xticks(np.arange(5) * 0.2 + 0.1,
                  ["0-20 %", "20-40 %", "40-60 %", "60-80 %", "80-100 %"])
    ax.set_xlabel("where the observation fell in its forecast (randomized PIT, percentile)")
    ax.set_ylabel("share of counted scores")
    ax.yaxis.set_major_formatter(mticker.PercentFormatter(1.0))
    ax.set_ylim(0, max(0.3, (counts.max() / max(n, 1)) * 1.25))
    ax.set_title(f"Where {n} observations fell in their forecasts (number on each bar)",
                 fontsize=10, loc="left")
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(0, -0.18), ncols=2, frameon=False)
    ax.grid(alpha=0.3, axis="y")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def reliability(rows: list[dict], path: Path) -> None:
    """Each central interval's share of observations held, against its level."""
    from sim.study.scores import wilson

    fig, ax = plt.subplots(figsize=(5.5, 5))
    levels = [r["level"] for r in rows]
    shares = [r["share"] if r["share"] is not None else np.nan for r in rows]
    n = rows[0]["n"] if rows else 0
    if n:
        held = [round(s * n) for s in shares]
        ci = np.array([wilson(k, n) for k in held])
        ax.errorbar(levels, shares, yerr=[np.array(shares) - ci[:, 0], ci[:, 1] -
                                          np.array(shares)],
                    fmt="o", color=COLOR, capsize=3,
                    label="share held (bars: 95 % Wilson interval)")
    ax.plot([0, 1], [0, 1], color="black", linestyle=":", linewidth=1, label="calibrated")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.xaxis.set_major_formatter(mticker.PercentFormatter(1.0))
    ax.yaxis.set_major_formatter(mticker.PercentFormatter(1.0))
    ax.set_xlabel("central interval of the forecast (e.g. 80 % = P10-P90)")
    ax.set_ylabel(f"share of the {n} observations inside it")
    ax.set_title("Reliability of the forecasts' intervals", fontsize=10, loc="left")
    ax.legend(fontsize=8, loc="upper left")
    ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
