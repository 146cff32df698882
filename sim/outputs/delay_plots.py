"""The figure of the delay's anatomy (``plots/delay.png``): where the GPUs' time goes, stage
by stage, for each recipient and in all (:mod:`sim.study.delay`)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.outputs.labels import Names
from sim.outputs.style import figure, nothing_to_show, title
from sim.study.delay import ENDS, STAGE_NAMES
from sim.study.headline import replications
from sim.study.targets import TOTAL

COLOURS = {"before_order": "#8c8c8c", "supply": "#4c72b0", "shipping": "#64b5cd",
           "waiting_power": "#dd8452", "installation": "#55a868",
           "burnin_acceptance": "#8172b3"}
PANELS = (("median", "the median GPU"), ("last", "the last GPU (the critical chain)"))


def delay(table: pd.DataFrame, names: Names, who: str, n: int):
    """Months per stage (means over the replications) for the median GPU and the last GPU
    of each recipient, and in all: bars that add up to the mean wait."""
    fig, axes = figure(11, 4.9, ncols=2, left=0.15, right=0.98, bottom=0.25, top=0.83,
                       wspace=0.08)
    if not len(table):
        nothing_to_show(axes[0, 0], "no GPU of this run has a recorded wait")
        title(fig, "Where the time goes", who)
        return fig
    recipients = [r for r in dict.fromkeys(table["recipient"]) if r != TOTAL] + [TOTAL]
    for ax, (gpu, what) in zip(axes[0], PANELS):
        mine = table[(table["gpu"] == gpu) & (table["stage"] != "total")]
        months = mine.pivot(index="recipient", columns="stage", values="mean_months")
        left = np.zeros(len(recipients))
        for stage in ENDS:
            values = months.reindex(recipients)[stage].to_numpy(float)
            ax.barh(range(len(recipients)), values, left=left, color=COLOURS[stage],
                    label=STAGE_NAMES[stage] if gpu == "median" else None)
            left += values
        for i, total in enumerate(left):
            ax.annotate(f"{total:.0f}", (total, i), xytext=(3, 0), textcoords="offset points",
                        va="center", fontsize=8)
        ax.set_yticks(range(len(recipients)),
                      [names.recipient(r) if r != TOTAL else "all GPUs" for r in recipients]
                      if gpu == "median" else [""] * len(recipients), fontsize=8)
        ax.invert_yaxis()
        ax.set_xlim(0, max(left.max(), 1) * 1.12)
        ax.set_xlabel("months from the pledge (or an earlier order) to service")
        ax.set_title(what, fontsize=10, loc="left")
        ax.grid(alpha=0.3, axis="x")
    fig.legend(loc="lower center", ncol=3, fontsize=8, frameon=False,
               bbox_to_anchor=(0.55, 0.035))
    late = table[table["recipient"] == TOTAL]["mean_gpus_not_in_service_at_horizon"]
    if len(late) and float(late.iloc[0]) > 0:  # a bar that stops at the horizon is short
        ax.annotate(f"{float(late.iloc[0]):,.0f} GPUs, on average, are not in service by the "
                    "horizon: their waits count only up to it, so these bars are lower bounds",
                    (0, 0), xycoords="figure fraction", xytext=(8, 2),
                    textcoords="offset points", fontsize=7.5, color="#555555", va="bottom")
    title(fig, f"Where the time goes: months in each stage, means over {replications(n)}",
          who)
    return fig
