"""The timeline of one replication (the representative one): the deals, each site's announced
and modelled readiness, what had been observed by the as-of date, and the total's milestones.

A deal the run switches off (``deals.<id>.enabled=false``) is drawn grey and open, and said
to be off: it is in the seeds' record of what was signed, but moves nothing in this run. The
as-of date is a line: left of it the run knows what was public, right of it the model
forecasts. The observed events (``seeds/observed.yaml``) the run takes as fact are points in
their recipient's colour, a shape per kind, at the date they happened (a line over a window
where only that is known). Long site names wrap rather than being cut. The axis starts
:data:`BEFORE` the first deal: a hall ready long before the pledge (an existing one) is
drawn at its left edge, pointing left.
"""

from __future__ import annotations

import textwrap

import matplotlib.dates as mdates
import pandas as pd

from sim.calendar import DAY0
from sim.outputs.labels import Names
from sim.outputs.style import color, figure, finite_dates, nothing_to_show, title, years
from sim.study.targets import TOTAL

OFF = "#a0a0a0"
AS_OF = "#2b8a3e"
SITE_CHARS = 38
"""Characters per line of a site's name beside its row (the third of 12 in, at 7.5 pt)."""
OBSERVED_CHARS = 100
"""Characters per line of the list of observed events (about half the axis, at 7 pt)."""
KINDS = {"first_arrival": ("^", "first arrival"), "arrived": ("o", "GPUs arrived"),
         "installed": ("s", "GPUs installed"), "first_service": ("*", "first in service"),
         "in_service": ("P", "GPUs in service")}
"""The marker and the name of each kind of observed event."""
BOX = {"facecolor": "white", "edgecolor": "none", "alpha": 0.85, "pad": 0.5}
"""Behind a text, so that it reads over the as-of line and the grid."""
TITLE = "Deals, site readiness, what was observed and milestones (one replication)"
BEFORE = pd.DateOffset(months=9)
"""How far before the first deal the axis starts."""


def timeline(events: pd.DataFrame, sites: pd.DataFrame, milestones: pd.DataFrame,
             horizon_day: float, names: Names, who: str, deals_off=(), as_of=None,
             observed: pd.DataFrame | None = None):
    """The timeline figure. A site not ready by the horizon ends in an arrow at the horizon;
    ``deals_off`` are the ids of deals switched off, ``observed`` the events taken as fact
    (:func:`sim.outputs.results.observed_table`)."""
    rows = list(sites.itertuples())
    labels = [textwrap.fill(names.site(s.site), SITE_CHARS)
              + f"\n{names.recipient(s.recipient)}, {s.mw:,.0f} MW" for s in rows]
    lines = max([label.count("\n") + 1 for label in labels] + [2])
    step = 0.13 * lines + 0.14  # inches per row: room for its label's lines
    height = step * len(rows) + 3.6
    fig, axes = figure(12, height, left=0.33, right=0.97, bottom=1.1 / height,
                       top=1 - 0.95 / height)
    ax = axes[0, 0]
    horizon = pd.Timestamp(DAY0) + pd.Timedelta(days=int(horizon_day))
    start = pd.Timestamp(DAY0) - BEFORE
    deals = events[events["event"] == "deal"]
    if not rows and deals.empty:
        nothing_to_show(ax, "no deal and no site by the horizon")
        title(fig, TITLE, who)
        return fig
    labelled: set = set()
    for y, s in enumerate(rows):
        _site(ax, y, s, horizon_day, horizon, names, start, labelled)
    seen = observed if observed is not None else pd.DataFrame()
    deals_y, observed_y = len(rows) + 0.2, len(rows) + 1.2
    milestones_y = observed_y + (1.2 if len(seen) else 0.0)
    _deals(ax, deals[deals["date"] <= horizon], deals_y, set(deals_off))
    if len(seen):
        _observed(ax, seen, observed_y, names)
    done = milestones[(milestones["recipient"] == TOTAL)
                      & milestones["milestone"].str.endswith("%")
                      & milestones["representative_date"].notna()]
    for m in done.itertuples():
        when = pd.Timestamp(m.representative_date)
        ax.plot([when], [milestones_y], marker="v", color="black", markersize=8)
        ax.annotate(f"{m.milestone}\n{when:%Y-%m}", (when, milestones_y), xytext=(0, 7),
                    textcoords="offset points", ha="center", fontsize=7)
    ax.axvline(horizon, color="black", linewidth=0.8, linestyle="--")
    if as_of is not None:
        ax.axvline(pd.Timestamp(as_of), color=AS_OF, linewidth=1.2, linestyle="-.",
                   label=f"as of {pd.Timestamp(as_of):%Y-%m-%d}: known before it, "
                         "forecast after it")
    ticks = labels + ["deals"] + (["observed, taken as fact"] if len(seen) else []) \
        + ["all GPUs: share operational"]
    ax.set_yticks([*range(len(rows)), deals_y, *([observed_y] if len(seen) else []),
                   milestones_y], ticks, fontsize=7.5)
    ax.set_ylim(-0.8, milestones_y + 1.3)
    ax.set_xlim(left=mdates.date2num(start))
    ax.set_xlabel("year (dashed line: the horizon)")
    ax.grid(alpha=0.3)
    fig.legend(loc="lower left", fontsize=7.5, bbox_to_anchor=(0.0, 0.0), ncol=4,
               frameon=False)
    years(ax)
    title(fig, TITLE, who)
    return fig


def _site(ax, y: int, s, horizon_day: float, horizon: pd.Timestamp, names: Names,
          start: pd.Timestamp, labelled: set) -> None:
    """A site's row: announced (grey, above) and modelled (its recipient's colour, below);
    a date before ``start`` at the axis' left edge, with a marker pointing left (in the
    legend once: ``labelled`` holds what is)."""
    c = color(s.recipient, names.order)
    announced = finite_dates([s.first_announced_day, s.last_announced_day])
    ready = finite_dates([s.first_ready_day, s.full_ready_day], horizon_day)
    if (announced < start).any():
        ax.plot([start], [y + 0.17], marker="<", color="grey", markersize=7, clip_on=False,
                label=None if "before" in labelled else
                f"announced before {start:%Y-%m} (an existing hall)")
        labelled.add("before")
        announced = announced.clip(lower=start)
    ready = ready.clip(lower=start)
    ax.plot(announced, [y + 0.17] * 2, color="grey", linewidth=4, alpha=0.6, marker="o",
            markersize=5, label="announced: first to last phase" if y == 0 else None)
    if ready.notna().all():
        ax.plot(ready, [y - 0.17] * 2, color=c, linewidth=4, marker="o",
                markersize=5, label="modelled: first MW to full power" if y == 0 else None)
    else:
        start = ready.iloc[0] if pd.notna(ready.iloc[0]) else horizon
        ax.plot([start, horizon], [y - 0.17] * 2, color=c, linewidth=2, linestyle=":")
        ax.plot([horizon], [y - 0.17], marker=">", color=c, markersize=7,
                label="not fully powered by the horizon" if y == 0 else None)


def _deals(ax, shown: pd.DataFrame, y: float, off: set) -> None:
    """The deals' row: a black diamond each, grey and open if the run switches it off; their
    names right of the last, one a line, in date order."""
    for i, d in enumerate(shown.sort_values("date").itertuples()):
        is_off = d.site in off
        ax.plot([d.date], [y], "D", markersize=6, linestyle="none",
                color=OFF if is_off else "black",
                markerfacecolor="white" if is_off else "black",
                label=("deal switched off in this run (deals.<id>.enabled=false)"
                       if is_off and not any(o in off for o in shown["site"][:i]) else None))
        name = str(d.site).replace("_", " ")
        ax.annotate(f"{name} {d.date:%Y-%m-%d}" + (" (off in this run)" if is_off else ""),
                    (shown["date"].max(), y), xytext=(8, 9 * (len(shown) - 1) / 2 - 9 * i),
                    textcoords="offset points", va="center", fontsize=7,
                    color=OFF if is_off else "black", bbox=BOX)


def _observed(ax, seen: pd.DataFrame, y: float, names: Names) -> None:
    """The observed events' row: a marker per event in its recipient's colour, a shape per
    kind (once each in the legend), a line over its window; right of the last, what each
    was, in date order (they crowd a few months: beside each marker they would overlap)."""
    labelled, said = set(), {}
    seen = seen.sort_values("happened_last")
    for o in seen.itertuples():
        marker, what = KINDS.get(o.kind, ("x", o.kind))
        c = color(o.recipient, names.order) if isinstance(o.recipient, str) else "black"
        first, last = pd.Timestamp(o.happened_first), pd.Timestamp(o.happened_last)
        if first < last:
            ax.plot([first, last], [y, y], color=c, linewidth=2, alpha=0.7)
        ax.plot([last], [y], marker=marker, color=c, markersize=8, linestyle="none",
                markeredgecolor="black", markeredgewidth=0.5,
                label=f"observed: {what}" if what not in labelled else None)
        labelled.add(what)
        count = "" if pd.isna(o.gpus_high) else f"{int(o.gpus_high):,} " \
            if o.gpus_low == o.gpus_high else f"{int(o.gpus_low):,}–{int(o.gpus_high):,} "
        who = names.recipient(o.recipient) if isinstance(o.recipient, str) else "all"
        said.setdefault(who, []).append(f"{count}{what} {last:%Y-%m-%d}")
    text = textwrap.fill(" · ".join(f"{who}: {', '.join(these)}" for who, these in said.items()),
                         OBSERVED_CHARS)
    ax.annotate(text, (seen["happened_last"].max(), y), xytext=(8, 0),
                textcoords="offset points", va="center", fontsize=7, bbox=BOX,
                annotation_clip=False)
