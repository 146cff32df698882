"""The plots of one run, drawn from its tables (never from the model's objects)."""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import matplotlib.ticker as mticker
import numpy as np
import pandas as pd
from joblib import Parallel, delayed

from sim.model.calendar import DAY0, timestamps
from sim.outputs.style import COLORS, STAGE_COLORS, THOUSANDS, finish, save_panels, years
from sim.study.metrics import STAGES
from sim.study.targets import GOVERNMENT_TARGET, TOTAL

def operational(ts: pd.DataFrame, path: Path, label: str) -> None:
    """Operational GPUs stacked by recipient, with the government's 2030 target marked."""
    per = ts[ts["recipient"] != TOTAL].pivot(index="date", columns="recipient",
                                             values="operational")
    fig, ax = plt.subplots(figsize=(9, 5))
    ax.stackplot(per.index, per.T.to_numpy(), labels=per.columns,
                 colors=[COLORS.get(c, None) for c in per.columns], alpha=0.85)
    gpus, when = GOVERNMENT_TARGET
    ax.plot([pd.Timestamp(when)], [gpus], marker="*", markersize=14, color="black",
            linestyle="none", label=f"government target: {gpus:,} by {when:%Y-%m-%d}")
    ax.axvline(pd.Timestamp(when), color="black", linestyle=":", linewidth=1)
    ax.axhline(per.iloc[-1].sum() if len(per) else 0, color="grey", linewidth=0.5)
    ax.yaxis.set_major_formatter(THOUSANDS)
    ax.legend(loc="upper left", fontsize=8)
    finish(fig, ax, path, f"Operational GPUs by recipient ({label})", "GPUs operational")


def pipeline(ts: pd.DataFrame, path: Path, label: str) -> None:
    """All pledged GPUs by stage over time: where the 260k are each week."""
    total = ts[ts["recipient"] == TOTAL].set_index("date")
    fig, ax = plt.subplots(figsize=(9, 5))
    ax.stackplot(total.index, total[STAGES].T.to_numpy(),
                 labels=[s.replace("_", " ") for s in STAGES], colors=STAGE_COLORS)
    ax.yaxis.set_major_formatter(THOUSANDS)
    ax.legend(loc="center left", fontsize=8)
    ax.set_xlim(total.index.min(), total.index.max())
    finish(fig, ax, path, f"Pledged GPUs by stage ({label})", "GPUs")


def power(ts: pd.DataFrame, path: Path, label: str) -> None:
    """MW drawn by placed GPUs against MW energized at the recipient's sites."""
    recipients = [r for r in ts["recipient"].unique() if r != TOTAL] + [TOTAL]
    fig, axes = plt.subplots(2, 3, figsize=(12, 6.5), sharex=True)
    for ax, r in zip(axes.ravel(), recipients):
        rows = ts[ts["recipient"] == r]
        ax.fill_between(rows["date"], rows["mw_energized"], step="post", alpha=0.25,
                        color=COLORS.get(r), label="MW energized")
        ax.plot(rows["date"], rows["mw_drawn"], drawstyle="steps-post", color=COLORS.get(r),
                label="MW drawn")
        ax.set_title(r, fontsize=10)
        ax.grid(alpha=0.3)
        years(ax, 2)
    axes[0, 0].legend(fontsize=8)
    axes[0, 0].set_ylabel("MW (facility)")
    axes[1, 0].set_ylabel("MW (facility)")
    fig.suptitle(f"Power: MW drawn against MW energized ({label}); 'total' includes capacity "
                 "open to all", fontsize=11)
    save_panels(fig, path)
    plt.close(fig)


def timeline(events: pd.DataFrame, sites: pd.DataFrame, milestones: pd.DataFrame,
             path: Path, label: str) -> None:
    """The deals, each site's announced and modelled readiness, and the total milestones."""
    fig, ax = plt.subplots(figsize=(11, 0.42 * len(sites) + 2.8))
    rows = list(sites.itertuples())
    for y, s in enumerate(rows):
        announced = timestamps([s.first_announced_day, s.last_announced_day])
        ready = timestamps([s.first_ready_day, s.full_ready_day])
        color = COLORS.get(s.recipient, "black")
        ax.plot(announced, [y + 0.17] * 2, color="grey", linewidth=4, alpha=0.6, marker="o",
                markersize=5, label="announced: first to last phase" if y == 0 else None)
        ax.plot(ready, [y - 0.17] * 2, color=color, linewidth=4, marker="o", markersize=5,
                label="modelled: first MW to full power" if y == 0 else None)
    labels = [f"{s.site} ({s.recipient}, {s.mw:g} MW)" for s in rows]
    deals_y, milestones_y = len(rows) + 0.2, len(rows) + 1.2
    deals = events[events["event"] == "deal"]
    ax.plot(deals["date"], [deals_y] * len(deals), "D", color="black", markersize=6)
    ax.annotate("  " + " · ".join(f"{d.site.replace('_', ' ')} {d.date:%Y-%m-%d}"
                                  for d in deals.itertuples()),
                (deals["date"].max(), deals_y), va="center", fontsize=8)
    done = milestones[(milestones["recipient"] == TOTAL) & milestones["date"].notna()]
    for m in done.itertuples():
        when = pd.Timestamp(m.date)
        ax.plot([when], [milestones_y], marker="v", color="black", markersize=9)
        ax.annotate(f"{m.milestone}\n{when:%Y-%m}", (when, milestones_y), xytext=(0, 7),
                    textcoords="offset points", ha="center", fontsize=7)
    ax.set_yticks(range(len(rows) + 2), labels + ["deals", "all 260k: % operational"],
                  fontsize=8)
    ax.set_ylim(-0.8, milestones_y + 1.0)
    ax.legend(loc="lower right", fontsize=8)
    finish(fig, ax, path, f"Deals, site readiness and milestones ({label})", "")


def fan(ts: pd.DataFrame, path: Path, label: str, n: int) -> None:
    """Operational GPUs over all replications: the median and the P10–P90 band."""
    rows = [TOTAL] + [r for r in ts["recipient"].unique() if r != TOTAL]
    fig, axes = plt.subplots(2, 3, figsize=(12, 6.5), sharex=True)
    for ax, r in zip(axes.ravel(), rows):
        part = ts[ts["recipient"] == r]
        color = COLORS.get(r)
        ax.fill_between(part["date"], part["operational_p10"], part["operational_p90"],
                        color=color, alpha=0.25, label="P10–P90")
        ax.plot(part["date"], part["operational_p50"], color=color, label="median")
        ax.set_title(r, fontsize=10)
        ax.grid(alpha=0.3)
        ax.yaxis.set_major_formatter(THOUSANDS)
        years(ax, 2)
    gpus, when = GOVERNMENT_TARGET
    gov = list(rows).index("government") if "government" in rows else None
    if gov is not None:
        axes.ravel()[gov].plot([pd.Timestamp(when)], [gpus], "k*", markersize=11,
                               label=f"target {gpus // 1000}k by {when.year}")
        axes.ravel()[gov].legend(fontsize=7, loc="upper left")
    axes[0, 0].legend(fontsize=8, loc="upper left")
    fig.suptitle(f"Operational GPUs, {n} replications ({label})", fontsize=11)
    save_panels(fig, path)
    plt.close(fig)


def milestone_cdf(days: pd.Series, horizon_day: float, path: Path, label: str) -> None:
    """The chance that all 260k are operational by each date, with 2030-12-31 marked."""
    reached = np.sort(days.dropna().to_numpy())
    n = len(days)
    fig, ax = plt.subplots(figsize=(9, 4.5))
    if len(reached):
        ax.step(timestamps(np.concatenate([[reached[0]], reached])),
                np.concatenate([[0], np.arange(1, len(reached) + 1) / n]), where="post",
                color=COLORS[TOTAL])
    target = pd.Timestamp(GOVERNMENT_TARGET[1])
    ax.axvline(target, color="black", linestyle=":", linewidth=1)
    share = float(np.sum(reached <= (target - pd.Timestamp(DAY0)).days)) / n if n else 0.0
    ax.annotate(f" {share:.0%} by {target:%Y-%m-%d}", (target, share), fontsize=9,
                va="bottom")
    ax.set_ylim(0, 1.02)
    ax.yaxis.set_major_formatter(mticker.PercentFormatter(1.0))
    missing = n - len(reached)
    note = f"; {missing} of {n} not by the horizon" if missing else ""
    finish(fig, ax, path, f"When are all GPUs operational? ({label}, {n} replications{note})",
            "share of replications")


def drivers(table: pd.DataFrame, path: Path, label: str) -> None:
    """Tornado: days that holding each risk at its central value moves the P50 date."""
    fig, ax = plt.subplots(figsize=(9, 0.38 * max(len(table), 3) + 1.6))
    if len(table):
        shown = table.iloc[::-1]
        colors = ["#c44e52" if v > 0 else "#4c72b0" for v in shown["effect_days"]]
        ax.barh(shown["risk"], shown["effect_days"], color=colors)
        for y, v in enumerate(shown["effect_days"]):
            ax.annotate(f"{v:+.0f} d", (v, y), xytext=(3 if v >= 0 else -3, 0),
                        textcoords="offset points", va="center",
                        ha="left" if v >= 0 else "right", fontsize=8)
    ax.axvline(0, color="black", linewidth=0.8)
    ax.margins(x=0.12)  # room for the day labels at both ends of the bars
    ax.tick_params(axis="y", labelsize=8)
    ax.set_xlabel("days the P50 all-operational date moves when the risk is removed "
                  "(red: the risk delays)")
    ax.set_title(f"What drives the delay ({label})", loc="left", fontsize=11)
    ax.grid(alpha=0.3, axis="x")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def draw_all(tables: dict[str, pd.DataFrame], events: pd.DataFrame, folder: Path,
             label: str, n_jobs: int = 1) -> None:
    """Every plot of a run into ``folder``, drawn by ``n_jobs`` workers at once."""
    folder.mkdir(parents=True, exist_ok=True)
    ts = tables["timeseries"]
    reps = tables["replications"]
    one = f"{label}; replication {tables['summary']['monte_carlo']['representative_replication']}"
    jobs = [
        (operational, ts, folder / "operational.png", one),
        (pipeline, ts, folder / "pipeline.png", one),
        (power, ts, folder / "power.png", one),
        (timeline, events, tables["sites"], tables["milestones"], folder / "timeline.png", one),
        (fan, ts, folder / "fan.png", label, len(reps)),
        (milestone_cdf, reps[f"day_reached:{TOTAL}:100%"], float(ts["day"].max()),
         folder / "milestones.png", label),
        (drivers, tables["drivers"], folder / "drivers.png", label),
    ]
    if n_jobs == 1:
        for draw, *args in jobs:
            draw(*args)
        return
    Parallel(n_jobs=n_jobs)(delayed(draw)(*args) for draw, *args in jobs)
