"""The figures of one replication: the representative one (nearest the median), which a run
re-runs in full for its event log.

Each says in its title that it is one replication, not a statistic over all of them (for
that, see :mod:`sim.outputs.plots`). Legends sit outside the data, in the order the stack
is drawn from the top down.
"""

from __future__ import annotations

import pandas as pd

from sim.calendar import DAY0
from sim.outputs.labels import Names
from sim.outputs.style import (
    STAGE_COLORS,
    TOO_SHORT,
    color,
    figure,
    finite_dates,
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
    (``own``: :class:`~sim.study.targets.RecipientTarget`, the government's 50k by 2030)."""
    fig, axes = figure(11, 5, left=0.08, right=0.72, bottom=0.12, top=0.84)
    ax = axes[0, 0]
    if too_short(ts):
        nothing_to_show(ax, TOO_SHORT)
        title(fig, "Operational GPUs by recipient (one replication)", who)
        return fig
    per = ts[ts["recipient"] != TOTAL].pivot(index="date", columns="recipient",
                                             values="operational")
    order = list(dict.fromkeys(ts["recipient"]))
    per = per[[r for r in order if r in per.columns]]
    ax.stackplot(per.index, per.T.to_numpy(), labels=[names.recipient(r) for r in per.columns],
                 colors=[color(r, names.order or order) for r in per.columns], alpha=0.85)
    stars = [f"{names.recipient(t.recipient)} target: {t.gpus:,} by {t.by:%Y-%m-%d}"
             for t in own]
    for t, text in zip(own, stars):
        ax.plot([pd.Timestamp(t.by)], [t.gpus], marker="*", markersize=13, color="black",
                linestyle="none", label=text)
    gpu_axis(ax)
    ax.set_ylabel("GPUs operational")
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


def timeline(events: pd.DataFrame, sites: pd.DataFrame, milestones: pd.DataFrame,
             horizon_day: float, names: Names, who: str):
    """The deals, each site's announced and modelled readiness, and the total's milestones.
    A site not ready by the horizon ends in an arrow at the horizon."""
    rows = list(sites.itertuples())
    height = 0.42 * len(rows) + 2.9
    fig, axes = figure(12, height, left=0.33, right=0.97, bottom=1.0 / height,
                       top=1 - 0.95 / height)
    ax = axes[0, 0]
    horizon = pd.Timestamp(DAY0) + pd.Timedelta(days=int(horizon_day))
    deals = events[events["event"] == "deal"]
    if not rows and deals.empty:
        nothing_to_show(ax, "no deal and no site by the horizon")
        title(fig, "Deals, site readiness and milestones (one replication)", who)
        return fig
    for y, s in enumerate(rows):
        c = color(s.recipient, names.order)
        announced = finite_dates([s.first_announced_day, s.last_announced_day])
        ready = finite_dates([s.first_ready_day, s.full_ready_day], horizon_day)
        ax.plot(announced, [y + 0.17] * 2, color="grey", linewidth=4, alpha=0.6, marker="o",
                markersize=5, label="announced: first to last phase" if y == 0 else None)
        if ready.notna().all():
            ax.plot(ready, [y - 0.17] * 2, color=c, linewidth=4, marker="o",
                    markersize=5, label="modelled: first MW to full power" if y == 0 else None)
        else:
            start = ready.iloc[0] if pd.notna(ready.iloc[0]) else horizon
            ax.plot([start, horizon], [y - 0.17] * 2, color=c, linewidth=2,
                    linestyle=":")
            ax.plot([horizon], [y - 0.17], marker=">", color=c, markersize=7,
                    label="not fully powered by the horizon" if y == 0 else None)
    labels = [f"{_short(names.site(s.site))}\n{names.recipient(s.recipient)}, {s.mw:,.0f} MW"
              for s in rows]
    deals_y, milestones_y = len(rows) + 0.2, len(rows) + 1.2
    shown = deals[deals["date"] <= horizon]
    ax.plot(shown["date"], [deals_y] * len(shown), "D", color="black", markersize=6,
            linestyle="none")
    if len(shown):
        ax.annotate("  " + " · ".join(f"{str(d.site).replace('_', ' ')} {d.date:%Y-%m-%d}"
                                      for d in shown.itertuples()),
                    (shown["date"].max(), deals_y), va="center", fontsize=7.5)
    done = milestones[(milestones["recipient"] == TOTAL)
                      & milestones["milestone"].str.endswith("%")
                      & milestones["representative_date"].notna()]
    for m in done.itertuples():
        when = pd.Timestamp(m.representative_date)
        ax.plot([when], [milestones_y], marker="v", color="black", markersize=8)
        ax.annotate(f"{m.milestone}\n{when:%Y-%m}", (when, milestones_y), xytext=(0, 7),
                    textcoords="offset points", ha="center", fontsize=7)
    ax.axvline(horizon, color="black", linewidth=0.8, linestyle="--")
    ax.set_yticks(range(len(rows) + 2), labels + ["deals", "all GPUs: share operational"],
                  fontsize=7.5)
    ax.set_ylim(-0.8, milestones_y + 1.3)
    ax.set_xlabel("year (dashed line: the horizon)")
    ax.grid(alpha=0.3)
    if len(rows):
        fig.legend(loc="lower left", fontsize=7.5, bbox_to_anchor=(0.0, 0.0), ncol=3,
                   frameon=False)
    years(ax)
    title(fig, "Deals, site readiness and milestones (one replication)", who)
    return fig


def _short(text: str, width: int = 52) -> str:
    return text if len(text) <= width else text[:width - 1].rstrip() + "…"

