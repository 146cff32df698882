"""The figures of one run, drawn from its tables (never from the model's objects).

The Monte Carlo figures come first: operational GPUs over time as the median and P10–P90
band (``fan``), the completion date's S-curve with P10, P50 and P90 marked (``milestones``),
the tornado of drivers around the headline P50 (``drivers``) and where the last GPU runs
(``criticality``). The representative replication's own figures are in
:mod:`sim.outputs.replication_plots`, and say so in their titles. Each function returns its
:class:`~matplotlib.figure.Figure`, so that tests can read what was drawn;
:mod:`sim.outputs.figures` says what each is drawn from and has them drawn and saved in the
formats ``outputs.formats`` asks for, on the study's workers.
"""

from __future__ import annotations

import textwrap

import matplotlib.ticker as mticker
import numpy as np
import pandas as pd

from sim.calendar import DAY0
from sim.outputs import delay_plots, replication_plots, timeline_plot
from sim.outputs.formats import pairs, percent, signed_days
from sim.outputs.labels import Names
from sim.outputs.style import (
    TOO_SHORT,
    color,
    figure,
    finite_dates,
    gpu_axis,
    label_panels,
    nothing_to_show,
    title,
    too_short,
    years,
)
from sim.study.drivers import MIN_RANKED_PAIRS
from sim.study.headline import replications
from sim.study.tables import NOT_BY_HORIZON
from sim.study.targets import DEADLINE, TOTAL

NOISE = "#9a9a9a"
NOTE_CHARS = 190
"""Characters per line of a note under the tornado (10.5 in wide at 7.5 pt)."""
LABEL_CHARS = 50
"""Characters per line of a risk's name beside its bar (the third of 10.5 in, at 8.5 pt)."""
DELAYS = "#c44e52"
SPEEDS = "#4c72b0"


def fan(ts: pd.DataFrame, names: Names, who: str, n: int, own=()):
    """Operational GPUs over all replications: the median (P50) and the P10–P90 band, in
    total and per recipient (of one replication: that replication, and no band); a star
    on a recipient's panel for its own target (``own``:
    :class:`~sim.study.targets.RecipientTarget`)."""
    rows = [TOTAL] + [r for r in ts["recipient"].unique() if r != TOTAL]
    if too_short(ts):
        fig, axes = figure(10, 4.5)
        nothing_to_show(axes[0, 0], TOO_SHORT)
        title(fig, "Operational GPUs over time", who)
        return fig
    ncols = 3
    nrows = -(-len(rows) // ncols)
    fig, axes = figure(12, 3.0 * nrows + 1.2, nrows=nrows, ncols=ncols, sharex=True,
                       left=0.07, right=0.98, bottom=0.1, top=1 - 0.95 / (3.0 * nrows + 1.2))
    stars = {t.recipient: (t.gpus, pd.Timestamp(t.by)) for t in own}
    for ax, r in zip(axes.ravel(), rows):
        part = ts[ts["recipient"] == r]
        c = color(r, names.order or rows)
        if n > 1:
            ax.fill_between(part["date"], part["operational_p10"], part["operational_p90"],
                            color=c, alpha=0.25, linewidth=0, label="P10–P90 of replications")
        ax.plot(part["date"], part["operational_p50"], color=c, linewidth=1.6,
                label=f"P50 (median) of {replications(n)}" if n > 1
                else "the one replication (no spread)")
        total = int(part["operational_p90"].max()) if len(part) else 0
        ax.set_title(f"{names.recipient(r)}", fontsize=10, loc="left")
        gpu_axis(ax)
        ax.set_ylim(0, max(total * 1.08, 1))
        ax.grid(alpha=0.3)
        gpus, when = stars.get(r, (0, None))
        if when is not None and len(part) and when <= part["date"].max():
            # a target after the horizon is not drawn: it would stretch the axis past it
            ax.plot([when], [gpus], "k*", markersize=10, linestyle="none",
                    label=f"target: {gpus // 1000}k by {when:%Y-%m-%d}")
            handles, texts = ax.get_legend_handles_labels()
            ax.legend(handles[-1:], texts[-1:], fontsize=7.5, loc="lower right")
    label_panels(axes, len(rows), "GPUs operational")
    handles, texts = axes[0, 0].get_legend_handles_labels()
    axes[0, 0].legend(handles[::-1], texts[::-1], fontsize=7.5, loc="upper left")
    title(fig, f"Operational GPUs over time: the median and P10–P90 of {replications(n)}"
          if n > 1 else "Operational GPUs over time in one replication (no spread: add "
          "replications for the median and P10–P90)", who)
    return fig


def completion(days: pd.Series, when: dict, horizon: str, names: Names, who: str, n: int):
    """The all-operational date over the replications as an S-curve (the share of
    replications done by each date), with the P10, P50 and P90 dates and 2030-12-31 marked.

    ``days`` are the replications' all-operational days (NaN: not by the horizon); ``when``
    the P-dates of ``summary.json`` (``None``: after the horizon).
    """
    values = np.sort(days.dropna().to_numpy(float))
    fig, axes = figure(10, 5.0, left=0.08, right=0.97, bottom=0.2, top=0.85)
    ax = axes[0, 0]
    if not len(values):
        nothing_to_show(ax, f"in none of the {replications(n)} were all GPUs operational "
                            f"by the horizon ({horizon})")
        title(fig, "When are all GPUs operational?", who)
        return fig
    dates = finite_dates(values)
    share = np.arange(1, len(values) + 1) / n
    ax.step(pd.concat([dates.iloc[:1], dates]), np.concatenate([[0], share]), where="post",
            color=color(TOTAL), linewidth=1.8,
            label=f"share of the {replications(n)} with all GPUs operational by that date")
    end = pd.Timestamp(horizon)
    deadline = pd.Timestamp(DEADLINE)
    missing = n - len(values)
    lo = min(dates.iloc[0], deadline) - pd.Timedelta(days=60)
    hi = max(dates.iloc[-1] if not missing else end, deadline) + pd.Timedelta(days=60)
    after = [name.upper() for name in ("p10", "p50", "p90") if not when.get(name)]
    marks = (("p10", ":"), ("p50", "-"), ("p90", ":")) if n > 1 else (("p50", "-"),)
    for name, style in marks:  # one replication: its date, once
        if when.get(name):
            at = pd.Timestamp(when[name])
            ax.axvline(at, color="#1f77b4", linestyle=style, linewidth=1.2)
            ax.annotate(f"{name.upper() if n > 1 else 'its date'}\n{at:%Y-%m-%d}", (at, 1.0),
                        xytext=(3, -2),
                        textcoords="offset points", fontsize=8, va="top", color="#1f77b4")
    if missing:
        # said in the legend: beside the line, the note ran into the P-dates' labels
        ax.axvline(end, color=NOISE, linestyle="--", linewidth=0.9,
                   label=f"the horizon, {horizon}: {missing} of {replications(n)} not done "
                   "by then" + (f" ({', '.join(after)} after it)" if after else ""))
        ax.axhline(len(values) / n, color=NOISE, linewidth=0.8,
                   label="the share done by the horizon")
    by = float(np.sum(values <= (deadline - pd.Timestamp(DAY0)).days)) / n
    ax.axvline(deadline, color="black", linestyle="--", linewidth=0.9)
    left_half = (deadline - lo) < (hi - lo) / 2
    ax.annotate(f"{percent(by, n)} by {DEADLINE}", (deadline, min(by, 0.85) + 0.03),
                xytext=(4 if left_half else -4, 0), textcoords="offset points",
                ha="left" if left_half else "right", fontsize=8.5)
    ax.set_xlim(lo, hi)
    ax.set_ylim(0, 1.05)
    ax.yaxis.set_major_formatter(mticker.PercentFormatter(1.0))
    ax.set_ylabel("share of replications done")
    ax.set_xlabel("date all GPUs are operational")
    ax.grid(alpha=0.3)
    years(ax)
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(0.0, -0.13), frameon=False, ncol=2)
    title(fig, "When are all GPUs operational? The completion date over the replications"
          if n > 1 else "When are all GPUs operational? The date of the one replication", who)
    return fig


def drivers(table: pd.DataFrame, baseline: str | None, horizon: str, labels: dict,
            who: str):
    """Tornado around the headline P50 date: for each risk, the P50 with that risk held
    central (the bar's end) and the 90 % interval of that shift (the whisker). Risks that
    moved nothing in the paired replications are listed under the bars, not drawn."""
    run = table[table["driver_replications"] > 0] if len(table) else table
    moved = run[run[["effect_days", "effect_low_days", "effect_high_days"]].abs()
                .max(axis=1).round() > 0] if len(run) else run
    still = [labels.get(k, k) for k in run["risk"] if k not in set(moved["risk"])] \
        if len(run) else []
    unrun = [labels.get(k, k) for k in table["risk"] if k not in set(run["risk"])] \
        if len(table) else []
    notes = ([f"No shift in their paired replications: {', '.join(still)}."] if still else []) \
        + ([f"Not re-run within the budget (mc.driver_budget): {', '.join(unrun)}."]
           if unrun else [])
    # wrapped here: matplotlib's own wrap=True costs a tenth of a second per save
    note = textwrap.fill(" ".join(notes), NOTE_CHARS)
    note_inches = 0.14 * (note.count("\n") + 1) if note else 0.0
    height = 0.42 * max(len(moved), 2) + 2.6 + note_inches
    fig, axes = figure(10.5, height, left=0.34, right=0.97,
                       bottom=(1.45 + note_inches) / height, top=1 - 0.75 / height)
    ax = axes[0, 0]
    if not len(moved) or baseline is None:
        why = ("no risk was studied (mc.drivers=false, or nothing uncertain)" if not len(table)
               else "the P50 is after the horizon, so no shift can be measured"
               if baseline is None else "no risk was re-run within the budget "
               "(mc.driver_budget), or with the 2 paired replications a risk needs at least "
               "(mc.replications, mc.driver_replications)" if not len(run)
               else "no risk moved the P50 in the paired replications")
        nothing_to_show(ax, why)
        title(fig, "What drives the date", who)
        return fig
    base = pd.Timestamp(baseline)
    shown = moved.iloc[::-1]
    effect = shown["effect_days"].to_numpy(float)
    low, high = shown["effect_low_days"].to_numpy(float), shown["effect_high_days"].to_numpy(float)
    noise = (low <= 0) & (high >= 0) | (shown["driver_replications"].to_numpy()
                                        < MIN_RANKED_PAIRS)
    colours = [NOISE if z else (DELAYS if e > 0 else SPEEDS) for z, e in zip(noise, effect)]
    y = np.arange(len(shown))
    ax.barh(y, -effect, left=0, color=colours, height=0.6)
    ax.errorbar(-effect, y, xerr=[high - effect, effect - low], fmt="none", ecolor="black",
                elinewidth=1, capsize=3)
    for i, (e, lo_, hi_) in enumerate(zip(effect, low, high)):
        text = f"{signed_days(e)}  (90 %: {signed_days(lo_)} to {signed_days(hi_)})"
        ax.annotate(text, (min(-hi_, 0), i), xytext=(-4, 0), textcoords="offset points",
                    ha="right", va="center", fontsize=7.5)
    ax.set_yticks(y, [textwrap.fill(labels.get(k, k), LABEL_CHARS) for k in shown["risk"]],
                  fontsize=8.5)
    ax.axvline(0, color="black", linewidth=1)
    span = max(np.abs(np.concatenate([low, high, effect])).max(), 30)
    # left: room for the labels; right: every whisker's end (-low) in full
    ax.set_xlim(-span * 2.2, max(span * 0.6, float(np.max(-low)) * 1.08))
    ax.xaxis.set_major_formatter(mticker.FuncFormatter(
        lambda v, _: (base + pd.Timedelta(days=v)).strftime("%Y-%m")))
    ax.set_xlabel(f"P50 date all GPUs are operational with the risk held central (bar end)"
                  f"\nvertical line: the headline P50 with every risk, {base:%Y-%m-%d}")
    ax.grid(alpha=0.3, axis="x")
    from matplotlib.patches import Patch

    n = pairs(table)
    ax.legend(handles=[Patch(color=DELAYS, label="the risk delays the date"),
                       Patch(color=SPEEDS, label="holding it central delays the date"),
                       Patch(color=NOISE, label="within sampling noise (interval spans 0), "
                                               f"or under {MIN_RANKED_PAIRS} pairs")],
              fontsize=7.5, loc="lower left",
              bbox_to_anchor=(0.0, (0.3 + note_inches) / height),
              bbox_transform=fig.transFigure, ncol=3, frameon=False)
    if note:
        fig.text(0.01, 0.1 / height, note, fontsize=7.5, color="#555555", va="bottom")
    title(fig, f"What drives the date: each risk held central in turn ({n} paired "
               f"replication{'s' if n != '1' else ''})", who)
    return fig


def criticality(finishes: dict, names: Names, who: str, n: int, top: int = 8):
    """Where the last GPU runs: how often each recipient, and each site, finishes last."""
    panels = [(what, counts) for what, counts in (("recipients", finishes.get("recipients")),
                                                  ("sites", finishes.get("sites"))) if counts]
    fig, axes = figure(11, 4.6, ncols=max(len(panels), 1), left=0.16, right=0.97,
                       bottom=0.14, top=0.82, wspace=0.95)
    if not panels:
        nothing_to_show(axes[0, 0], "no replication recorded where its last GPU ran")
        title(fig, "What finishes last?", who)
        return fig
    for ax, (what, counts) in zip(axes.ravel(), panels):
        items = list(counts.items())
        if len(items) > top:
            rest = sum(v for _, v in items[top - 1:])
            items = items[:top - 1] + [("other", rest)]
        keys = [k for k, _ in items][::-1]
        shares = np.array([v for _, v in items][::-1]) / n
        namer = names.recipient if what == "recipients" else names.site
        labels = [k if k == "other" else "not all by the horizon" if k == NOT_BY_HORIZON
                  else namer(k) for k in keys]
        colours = [NOISE if k in ("other", NOT_BY_HORIZON) else
                   (color(k, names.order) if what == "recipients" else "#5d7fa3")
                   for k in keys]
        ax.barh(range(len(keys)), shares, color=colours)
        for i, s in enumerate(shares):
            ax.annotate(f"{s:.0%}", (s, i), xytext=(3, 0), textcoords="offset points",
                        va="center", fontsize=8)
        ax.set_yticks(range(len(keys)), [_wrap(t) for t in labels], fontsize=8)
        ax.set_xlim(0, 1.15)
        ax.xaxis.set_major_formatter(mticker.PercentFormatter(1.0))
        ax.set_xlabel("share of replications")
        ax.set_title("recipient of the last GPU" if what == "recipients" else
                     "site of the last GPU", fontsize=10, loc="left")
        ax.grid(alpha=0.3, axis="x")
    title(fig, f"What finishes last? Where the last GPU runs, over {replications(n)}", who)
    return fig


def _wrap(text: str, width: int = 34) -> str:
    if len(text) <= width:
        return text
    cut = text.rfind(" ", 0, width)
    cut = cut if cut > 0 else width
    return text[:cut] + "\n" + _wrap(text[cut:].strip(), width)


DRAWERS = {"fan": fan, "milestones": completion, "delay": delay_plots.delay,
           "drivers": drivers, "criticality": criticality,
           "operational": replication_plots.operational,
           "pipeline": replication_plots.pipeline, "power": replication_plots.power,
           "timeline": timeline_plot.timeline}
"""The function that draws each figure of :data:`~sim.outputs.figures.FIGURES`."""

