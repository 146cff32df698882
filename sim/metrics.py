"""From one run's timeline to the tables users read: stages, power, milestones, summary.

Every figure is computed from the event log, so the tables cannot disagree with it.
Stages of a GPU, in order: ``unshipped`` (pledged, not yet shipped), ``in_transit``,
``waiting_power`` (arrived, no powered room yet), ``installing`` (placed: racking and
burn-in), ``operational``.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from sim.calendar import DAY0, DAYS_PER_MONTH, DAYS_PER_WEEK, to_date, to_day
from sim.config import Config
from sim.model import RunOutput

STAGES = ["unshipped", "in_transit", "waiting_power", "installing", "operational"]
ENTERS = {"in_transit": "shipped", "waiting_power": "arrived", "installing": "placed",
          "operational": "operational"}
MILESTONES = (25, 50, 90, 100)
TOTAL = "total"
GOVERNMENT_TARGET = (50_000, date(2030, 12, 31))
YEAR_ENDS = range(2026, 2031)


def week_days(out: RunOutput) -> np.ndarray:
    """The weekly grid: from the pledge to the horizon."""
    pledge = out.events.loc[out.events["event"] == "allocated", "day"]
    start = pledge.min() if len(pledge) else 0.0
    return np.arange(start, out.horizon_day + 1e-9, DAYS_PER_WEEK)


def cumulative(events: pd.DataFrame, event: str, days: np.ndarray, value: str = "gpus",
               by: str = "recipient") -> pd.DataFrame:
    """Running total of ``value`` over ``event`` rows, at each of ``days``, per ``by``."""
    rows = events[events["event"] == event]
    out = {}
    for key, grp in rows.groupby(by, sort=True):
        order = np.argsort(grp["day"].to_numpy(), kind="stable")
        t = grp["day"].to_numpy()[order]
        c = np.cumsum(grp[value].to_numpy()[order])
        idx = np.searchsorted(t, days, side="right")
        out[key] = np.where(idx > 0, c[np.maximum(idx - 1, 0)], 0)
    return pd.DataFrame(out, index=days)


def timeseries(out: RunOutput) -> pd.DataFrame:
    """Weekly, per recipient and in total: GPUs per stage, MW energized and MW drawn."""
    days = week_days(out)
    ev = out.events
    recipients = list(out.allocations)
    entered = {stage: cumulative(ev, event, days).reindex(columns=recipients, fill_value=0)
               for stage, event in ENTERS.items()}
    energized = cumulative(ev, "site_ready", days, "mw").reindex(columns=recipients,
                                                                  fill_value=0.0)
    drawn = cumulative(ev, "placed", days, "mw").reindex(columns=recipients, fill_value=0.0)
    frames = []
    for r in recipients:
        alloc = out.allocations[r]
        shipped, arrived = entered["in_transit"][r], entered["waiting_power"][r]
        placed, operational = entered["installing"][r], entered["operational"][r]
        frames.append(pd.DataFrame({
            "day": days, "recipient": r,
            "unshipped": alloc - shipped, "in_transit": shipped - arrived,
            "waiting_power": arrived - placed, "installing": placed - operational,
            "operational": operational,
            "mw_energized": energized[r].to_numpy(), "mw_drawn": drawn[r].to_numpy(),
        }))
    per = pd.concat(frames, ignore_index=True)
    total = per.groupby("day", as_index=False)[STAGES + ["mw_drawn"]].sum()
    total["mw_energized"] = cumulative(ev, "site_ready", days, "mw").sum(axis=1).to_numpy()
    total["recipient"] = TOTAL
    ts = pd.concat([per, total[per.columns]], ignore_index=True)
    ts.insert(0, "date", pd.Timestamp(DAY0) + pd.to_timedelta(ts["day"].astype(int), "D"))
    ts[STAGES] = ts[STAGES].astype("int64")
    return ts


def site_power(out: RunOutput) -> pd.DataFrame:
    """Weekly, per site: MW energized and MW drawn by the lots placed there."""
    days = week_days(out)
    ev = out.events[out.events["site"].notna()]
    energized = cumulative(ev, "site_ready", days, "mw", by="site")
    drawn = cumulative(ev, "placed", days, "mw", by="site").reindex(
        columns=energized.columns, fill_value=0.0)
    long = pd.DataFrame({
        "day": np.repeat(days, len(energized.columns)),
        "site": np.tile(energized.columns, len(days)),
        "mw_energized": energized.to_numpy().ravel(),
        "mw_drawn": drawn.to_numpy().ravel(),
    })
    owner = dict(zip(out.sites["site"], out.sites["recipient"]))
    long.insert(2, "recipient", long["site"].map(owner))
    long.insert(0, "date", pd.Timestamp(DAY0) + pd.to_timedelta(long["day"].astype(int), "D"))
    return long


def operational_curve(out: RunOutput, recipient: str = TOTAL) -> tuple[np.ndarray, np.ndarray]:
    """Exact (day, cumulative operational GPUs) steps, for a recipient or in total."""
    ops = out.events[out.events["event"] == "operational"]
    if recipient != TOTAL:
        ops = ops[ops["recipient"] == recipient]
    ops = ops.sort_values("day", kind="stable")
    return ops["day"].to_numpy(), np.cumsum(ops["gpus"].to_numpy())


def first_day_reaching(out: RunOutput, gpus: float, recipient: str = TOTAL) -> float | None:
    days, cum = operational_curve(out, recipient)
    idx = np.searchsorted(cum, gpus - 1e-9, side="left")
    return float(days[idx]) if idx < len(days) else None


def milestones(out: RunOutput) -> pd.DataFrame:
    """For each recipient and in total, the date of 25/50/90/100 % operational (or empty)."""
    allocations = {**out.allocations, TOTAL: sum(out.allocations.values())}
    rows = []
    for recipient, alloc in allocations.items():
        for pct in MILESTONES:
            gpus = int(np.ceil(alloc * pct / 100))
            day = first_day_reaching(out, gpus, recipient)
            rows.append({"recipient": recipient, "milestone": f"{pct}%", "gpus": gpus,
                         "day": day, "date": None if day is None else to_date(day).isoformat()})
    return pd.DataFrame(rows)


def operational_by(out: RunOutput, when: date, recipient: str = TOTAL) -> int:
    days, cum = operational_curve(out, recipient)
    idx = np.searchsorted(days, to_day(when), side="right")
    return int(cum[idx - 1]) if idx else 0


def lot_days(out: RunOutput, event: str) -> pd.Series:
    rows = out.events[out.events["event"] == event]
    return pd.Series(rows["day"].to_numpy(), index=pd.MultiIndex.from_frame(
        rows[["recipient", "lot"]]), dtype=float)


def waiting(out: RunOutput) -> tuple[float, int, float]:
    """(idle GPU-months, peak GPUs waiting for power, the day of that peak)."""
    arrived = lot_days(out, "arrived")
    placed = lot_days(out, "placed").reindex(arrived.index).fillna(out.horizon_day)
    gpus = out.events[out.events["event"] == "arrived"]["gpus"].to_numpy()
    idle_months = float(np.sum((placed.to_numpy() - arrived.to_numpy()) * gpus)) / DAYS_PER_MONTH
    steps = pd.DataFrame({"day": np.concatenate([arrived.to_numpy(), placed.to_numpy()]),
                          "delta": np.concatenate([gpus, -gpus])})
    steps = steps.sort_values(["day", "delta"]).reset_index(drop=True)
    level = steps["delta"].cumsum()
    if level.empty or level.max() <= 0:
        return idle_months, 0, float("nan")
    peak = int(level.idxmax())
    return idle_months, int(level[peak]), float(steps["day"][peak])


def summary(out: RunOutput, cfg: Config) -> dict:
    """The headline figures of one run (written as ``summary.json``)."""
    pledge = sum(out.allocations.values())
    all_day = first_day_reaching(out, pledge)
    target_gpus, target_date = GOVERNMENT_TARGET
    idle_months, peak, peak_day = waiting(out)
    won_per_gpu_month = cfg.costs.pledge_value_won / pledge / (12 * cfg.costs.depreciation_years)
    ev = out.events
    stranded = int(ev.loc[ev["event"] == "stranded", "gpus"].sum())
    shipped = int(ev.loc[ev["event"] == "shipped", "gpus"].sum())
    stranded_by = ev[ev["event"] == "stranded"].groupby("recipient")["gpus"].sum()
    shipped_by = ev[ev["event"] == "shipped"].groupby("recipient")["gpus"].sum()
    unshipped_by = {r: int(g - shipped_by.get(r, 0)) for r, g in out.allocations.items()
                    if g > shipped_by.get(r, 0)}
    return {
        "scenario": out.scenario,
        "seed": out.seed,
        "horizon": to_date(out.horizon_day).isoformat(),
        "pledged_gpus": pledge,
        "operational_at_year_end": {str(y): operational_by(out, date(y, 12, 31))
                                    for y in YEAR_ENDS},
        "all_operational_date": None if all_day is None else to_date(all_day).isoformat(),
        "government_50k_by_2030": operational_by(out, target_date, "government") >= target_gpus,
        "government_operational_2030_12_31": operational_by(out, target_date, "government"),
        "peak_waiting_gpus": peak,
        "peak_waiting_date": None if peak == 0 else to_date(peak_day).isoformat(),
        "stranded_gpus": stranded,
        "stranded_by_recipient": {k: int(v) for k, v in stranded_by.items()},
        "unshipped_gpus_at_horizon": pledge - shipped,
        "unshipped_by_recipient": unshipped_by,
        "idle_gpu_months": round(idle_months, 1),
        "idle_value_won": round(idle_months * won_per_gpu_month),
        "mw_drawn_at_horizon": round(float(ev.loc[ev["event"] == "placed", "mw"].sum()), 1),
        "mw_for_full_pledge": round(pledge * cfg.hardware.facility_kw_per_gpu / 1000, 1),
        "milestones": {m["milestone"]: m["date"] if pd.notna(m["date"]) else None for m in
                       milestones(out).query("recipient == @TOTAL").to_dict("records")},
    }
