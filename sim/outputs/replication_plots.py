"""The figures of one replication: the representative one (nearest the median), which a run
re-runs in full for its event log.

Each says in its title that it is one replication, not a statistic over all of them (for
that, see :mod:`sim.outputs.plots`; the timeline is in :mod:`sim.outputs.timeline_plot`).
Legends sit outside the data, in the order the stack is drawn from the top down.
"""

from __future__ import annotations

import pandas as pd

from sim.outputs.labels import Names
from sim.outputs.style import (
    STAGE_COLORS,
    TOO_SHORT,
    color,
    figure,
    gpu_axis,
    label_panels,
    nothing_to_show,
    span_weeks,
    title,
    too_short,
    years,
)
from sim.study.metrics import STAGES
from sim.study.targets import TOTAL

STAGE_NAMES = {"unshipped": "not yet shipped", "in_transit": "in transit",
               "waiting_power": "arrived, waiting for power",
               "installing": "installing and burn-in",
               "operational": "operational"}


def _outside_legend(ax, handles_labels=None) -> None:
    """A legend right of the axes, top entry first, as the stack reads from the top down."""
    handles, labels = handles_labels or ax.get_legend_handles_labels()
    ax.legend(handles[::-1], labels[::-1], fontsize=8, loc="upper left",
              bbox_to_anchor=(1.01, 1.0), frameon=False)


def operational(ts: pd.DataFrame, names: Names, who: str, own=()):
    """Operational GPUs stacked by recipient, with each recipient's own target marked
    (``own``: :class:`~sim.study.targets.RecipientTarget`, the government's 50k by 2030) on
    its own layer: a recipient with a target is stacked first, at the bottom, so that its
    layer's top edge is its own count and the star is read against it, not against a total
    (a second one's star sits its target above the layers under it)."""
    fig, axes = figure(11, 5, left=0.08, right=0.7, bottom=0.12, top=0.84)
    ax = axes[0, 0]
    if too_short(ts):
        nothing_to_show(ax, TOO_SHORT)
        title(fig, "Operational GPUs by recipient (one replication)", who)
        return fig
    per = ts[ts["recipient"] != TOTAL].pivot(index="date", columns="recipient",
                                             values="operational")
    order = list(dict.fromkeys(ts["recipient"]))
    first = [t.recipient for t in own if t.recipient in per.columns]
    per = per[list(dict.fromkeys(first + [r for r in order if r in per.columns]))]
    ax.stackplot(per.index, per.T.to_numpy(), labels=[names.recipient(r) for r in per.columns],
                 colors=[color(r, names.order or order) for r in per.columns], alpha=0.85)
    stars = [text for t in own if t.recipient in per.columns
             for text in _target(ax, per, t, names)]
    gpu_axis(ax)
    ax.set_ylabel("GPUs operational (stacked by recipient)")
    ax.set_xlabel("year")
    span_weeks(ax, per.index)
    ax.grid(alpha=0.3)
    years(ax)
    handles, labels = ax.get_legend_handles_labels()
    rest = [i for i in range(len(labels)) if labels[i] not in stars]
    last = [i for i in range(len(labels)) if labels[i] in stars]
    _outside_legend(ax, ([handles[i] for i in rest + last], [labels[i] for i in rest + last]))
    title(fig, "Operational GPUs by recipient (one replication)", who)
    return fig


def _target(ax, per: pd.DataFrame, target, names: Names) -> list[str]:
    """Mark ``target`` on its recipient's own layer of the stack: a star at its count (above
    the layers under it) and a ring at the layer's own count on that date; the legend texts
    drawn. A target after the horizon is said in the legend, not drawn past the axis."""
    when = pd.Timestamp(target.by)
    who = names.recipient(target.recipient)
    text = f"{who} target: {target.gpus:,} by {when:%Y-%m-%d}"
    if when > per.index.max():
        text += "\n(after the horizon: not drawn)"
        ax.plot([], [], marker="*", color="black", linestyle="none", label=text)
        return [text]
    below = list(per.columns[:list(per.columns).index(target.recipient)])
    at = per.loc[per.index <= when]
    base = float(at[below].iloc[-1].sum()) if below and len(at) else 0.0
    reached = int(at[target.recipient].iloc[-1]) if len(at) else 0
    star = text + ("\n(on its own layer, at the bottom)" if not below else
                   "\n(its count above the layers under it)")
    ring = (f"{who} on that date: {reached:,}\n"
            f"({'met' if reached >= target.gpus else 'not met'} in this replication)")
    ax.plot([when], [base + reached], marker="o", markersize=9, markerfacecolor="white",
            markeredgecolor="black", linestyle="none", label=ring)
    ax.plot([when], [base + target.gpus], marker="*", markersize=13, color="black",
            linestyle="none", label=star)  # over the ring where the two nearly meet
    return [ring, star]


def pipeline(ts: pd.DataFrame, who: str):
    """All pledged GPUs by stage over time: where the pledge is each week."""
    fig, axes = figure(11, 5, left=0.08, right=0.72, bottom=0.12, top=0.84)
    ax = axes[0, 0]
    if too_short(ts):
        nothing_to_show(ax, TOO_SHORT)
        title(fig, "Pledged GPUs by stage (one replication)", who)
        return fig
    total = ts[ts["recipient"] == TOTAL].set_index("date")
    ax.stackplot(total.index, total[STAGES].T.to_numpy(),
                 labels=[STAGE_NAMES[s] for s in STAGES], colors=STAGE_COLORS)
    gpu_axis(ax)
    ax.set_ylabel("GPUs")
    ax.set_xlabel("year")
    span_weeks(ax, total.index)
    ax.grid(alpha=0.3)
    years(ax)
    _outside_legend(ax)
    title(fig, "Pledged GPUs by stage (one replication)", who)
    return fig


def power(ts: pd.DataFrame, names: Names, who: str):
    """MW drawn by placed GPUs against MW energized at each recipient's sites."""
    recipients = [r for r in dict.fromkeys(ts["recipient"]) if r != TOTAL] + [TOTAL]
    if too_short(ts):
        fig, axes = figure(10, 4.5)
        nothing_to_show(axes[0, 0], TOO_SHORT)
        title(fig, "Power: MW drawn against MW energized (one replication)", who)
        return fig
    nrows = -(-len(recipients) // 3)
    height = 2.9 * nrows + 1.3
    fig, axes = figure(12, height, nrows=nrows, ncols=3, sharex=True, left=0.07, right=0.98,
                       bottom=0.1, top=1 - 1.0 / height)
    for ax, r in zip(axes.ravel(), recipients):
        rows = ts[ts["recipient"] == r]
        c = color(r, names.order or recipients)
        ax.fill_between(rows["date"], rows["mw_energized"], step="post", alpha=0.25, color=c,
                        linewidth=0, label="MW energized at its own sites")
        ax.plot(rows["date"], rows["mw_drawn"], drawstyle="steps-post", color=c,
                label="MW drawn by its placed GPUs,\nalso in capacity open to all")
        ax.set_title(names.recipient(r) + (" (incl. capacity open to all)" if r == TOTAL
                                           else ""), fontsize=10, loc="left")
        ax.set_ylim(0, max(float(rows[["mw_energized", "mw_drawn"]].max().max()) * 1.1, 1))
        ax.grid(alpha=0.3)
    label_panels(axes, len(recipients), "MW (facility)")
    axes[0, 0].legend(fontsize=7.5, loc="upper left")
    title(fig, "Power: MW drawn against MW energized (one replication)", who)
    return fig
