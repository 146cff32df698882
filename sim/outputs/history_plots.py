"""``history.png``: the forecast of all GPUs operational as of each month-end, with what
moved it.

The P50 (line and dots) and the P10-P90 band of the day all the pledge is operational, by
the date the forecast was made; each month is annotated with the record that moved the P50
most that month, and by how much.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import matplotlib.ticker as mticker
import pandas as pd

COLOR = "#4c72b0"


def history_figure(rows: list[dict], moves: list[dict], path: Path) -> None:
    table = pd.DataFrame(rows)
    fig, ax = plt.subplots(figsize=(10, 5.2))
    as_of = pd.to_datetime(table["as_of"])
    horizon = pd.to_datetime(table["horizon"])
    p10, p50, p90 = (pd.to_datetime(table[f"{q}_date"]).fillna(horizon)
                     for q in ("p10", "p50", "p90"))  # past the horizon: drawn at it
    ax.fill_between(as_of, p10, p90, color=COLOR, alpha=0.2,
                    label="P10-P90 (at the top line: after the horizon)")
    ax.plot(as_of, p50, "o-", color=COLOR, label="P50")
    ax.axhline(horizon.iloc[0], color="grey", linestyle=":", linewidth=1)
    for k, (x, y, row) in enumerate(zip(as_of, p50, rows)):
        mine = [m for m in moves if m["as_of"] == row["as_of"] and m["moved_days"]]
        if mine:
            top = max(mine, key=lambda m: abs(m["moved_days"]))
            what = top["record"].split("@")[0].replace("_", " ")
            text = textwrap.fill(f"{what}: {top['moved_days']:+.0f} d", 22)
            ax.annotate(text, (x, y), textcoords="offset points",
                        xytext=(0, 14 if k % 2 else -30), fontsize=7, ha="center",
                        arrowprops={"arrowstyle": "-", "color": "grey", "linewidth": 0.5})
    ax.xaxis.set_major_locator(mticker.FixedLocator(mdates.date2num(list(as_of))))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y-%m-%d"))
    ax.tick_params(axis="x", labelrotation=30, labelsize=8)
    ax.set_xlabel("forecast made as of")
    ax.set_ylabel("date all pledged GPUs are operational")
    ax.set_title("The forecast's history: when all GPUs run, as forecast on each date "
                 "(annotated: what moved the P50 most that month)", fontsize=10, loc="left")
    ax.legend(fontsize=8, loc="upper left")
    ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
