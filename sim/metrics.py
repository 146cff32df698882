"""From one run's record to the tables users read: stages, power, milestones, summary.

Every figure is computed from the lots' histories and the site events, so the tables cannot
disagree with the timeline. Stages of a GPU, in order: ``unshipped`` (pledged, not yet
shipped), ``in_transit``, ``waiting_power`` (arrived, no powered room yet), ``installing``
(placed: racking and burn-in), ``operational``.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from sim.calendar import DAY0, DAYS_PER_MONTH, DAYS_PER_WEEK, to_date, to_day
from sim.config import Config, horizon_date
from sim.errors import InputError
from sim.model import RunOutput

STAGES = ["unshipped", "in_transit", "waiting_power", "installing", "operational"]
POWER = ["mw_energized", "mw_drawn"]
SERIES = STAGES + POWER
ENTERS = ["shipped", "arrived", "placed", "operational"]
"""The lot stage whose day ends each of STAGES but the last."""
MILESTONES = (25, 50, 90, 100)
TOTAL = "total"
DEADLINE = date(2030, 12, 31)  # "a plan to 2030": the minister (2025-12-12) and the government
GOVERNMENT_TARGET = (50_000, DEADLINE)
YEAR_ENDS = range(2026, 2031)


def weekly(pledge_day: float, horizon_day: float) -> np.ndarray:
    """The weekly grid of every table: from the pledge to the horizon."""
    return np.arange(pledge_day, horizon_day + 1e-9, DAYS_PER_WEEK)


def weeks(seed_data, cfg: Config) -> np.ndarray:
    """The grid for a config, before any run (Monte Carlo folds every run onto it)."""
    return weekly(to_day(seed_data.deals["nvidia_pledge"].date), to_day(horizon_date(cfg)))


def week_days(out: RunOutput) -> np.ndarray:
    """The grid of one run: the same as :func:`weeks` of its config."""
    return weekly(out.pledge_day, out.horizon_day)


def running_total(days: np.ndarray, amounts: np.ndarray, at: np.ndarray) -> np.ndarray:
    """Sum of ``amounts`` whose day is on or before each of ``at`` (NaN days never count)."""
    seen = ~np.isnan(days)
    days, amounts = days[seen], amounts[seen]
    order = np.argsort(days, kind="stable")
    totals = np.concatenate([[0], np.cumsum(amounts[order])])
    return totals[np.searchsorted(days[order], at, side="right")]


def cube(out: RunOutput, days: np.ndarray) -> np.ndarray:
    """Every weekly series at once: shape (len(SERIES), recipients + total, len(days)).

    Rows follow ``out.allocations`` order, then the total (which also counts capacity open
    to every recipient).
    """
    recipients = list(out.allocations)
    values = np.zeros((len(SERIES), len(recipients) + 1, len(days)))
    ready = out.site_ready
    all_gpus, kw = out.columns["gpus"].astype(float), out.columns["kw"]
    for i, r in enumerate(recipients):
        mine = out.masks[r]
        gpus = all_gpus[mine]
        entered = [running_total(out.stage_days(s)[mine], gpus, days) for s in ENTERS]
        shipped, arrived, placed, operational = entered
        values[:5, i] = [out.allocations[r] - shipped, shipped - arrived, arrived - placed,
                         placed - operational, operational]
        own = ready["recipient"] == r
        values[5, i] = running_total(ready["day"][own], ready["mw"][own], days)
        values[6, i] = running_total(out.stage_days("placed")[mine], kw[mine] / 1000, days)
    values[:, -1] = values[:, :-1].sum(axis=1)
    values[5, -1] = running_total(ready["day"], ready["mw"], days)
    return values


def timeseries(out: RunOutput) -> pd.DataFrame:
    """Weekly, per recipient and in total: GPUs per stage, MW energized and MW drawn."""
    days = week_days(out)
    values = cube(out, days)
    rows = [*out.allocations, TOTAL]
    ts = pd.DataFrame({
        "day": np.tile(days, len(rows)),
        "recipient": np.repeat(rows, len(days)),
        **{name: values[k].ravel() for k, name in enumerate(SERIES)},
    })
    ts[STAGES] = ts[STAGES].round().astype("int64")
    ts.insert(0, "date", pd.Timestamp(DAY0) + pd.to_timedelta(ts["day"].astype(int), "D"))
    return ts


def site_power(out: RunOutput) -> pd.DataFrame:
    """Weekly, per site: MW energized and MW drawn by the lots placed there."""
    days = week_days(out)
    ready = out.site_ready
    placed = out.stage_days("placed")
    frames = []
    for site in out.sites.itertuples():
        own = ready["site"] == site.site
        here = out.columns["site"] == site.site
        frames.append(pd.DataFrame({
            "day": days, "site": site.site, "recipient": site.recipient,
            "mw_energized": running_total(ready["day"][own], ready["mw"][own], days),
            "mw_drawn": running_total(placed[here], out.columns["kw"][here] / 1000, days)}))
    power = pd.concat(frames, ignore_index=True)
    power.insert(0, "date", pd.Timestamp(DAY0) + pd.to_timedelta(power["day"].astype(int), "D"))
    return power


def operational_curve(out: RunOutput, recipient: str = TOTAL) -> tuple[np.ndarray, np.ndarray]:
    """Exact (day, cumulative operational GPUs) steps, for a recipient or in total."""
    days, gpus = out.stage_days("operational"), out.columns["gpus"]
    if recipient != TOTAL:
        mine = out.masks[recipient]
        days, gpus = days[mine], gpus[mine]
    seen = ~np.isnan(days)
    order = np.argsort(days[seen], kind="stable")
    return days[seen][order], np.cumsum(gpus[seen][order])


def first_day_reaching(out: RunOutput, gpus: float, recipient: str = TOTAL) -> float | None:
    return _reaching(operational_curve(out, recipient), gpus)


def _reaching(curve: tuple[np.ndarray, np.ndarray], gpus: float) -> float | None:
    days, cum = curve
    idx = np.searchsorted(cum, gpus - 1e-9, side="left")
    return float(days[idx]) if idx < len(days) else None


def milestone_days(out: RunOutput) -> dict[tuple[str, int], float | None]:
    """The day each recipient (and the total) reaches each milestone; None if not reached."""
    allocations = {**out.allocations, TOTAL: sum(out.allocations.values())}
    found = {}
    for r, alloc in allocations.items():
        curve = operational_curve(out, r)
        for pct in MILESTONES:
            found[r, pct] = _reaching(curve, np.ceil(alloc * pct / 100))
    return found


def milestones(out: RunOutput) -> pd.DataFrame:
    """For each recipient and in total, the date of 25/50/90/100 % operational (or empty)."""
    allocations = {**out.allocations, TOTAL: sum(out.allocations.values())}
    return pd.DataFrame([{
        "recipient": r, "milestone": f"{pct}%", "gpus": int(np.ceil(allocations[r] * pct / 100)),
        "day": day, "date": None if day is None else to_date(day).isoformat()}
        for (r, pct), day in milestone_days(out).items()])


def operational_by(out: RunOutput, when: date, recipient: str = TOTAL) -> int:
    days, cum = operational_curve(out, recipient)
    idx = np.searchsorted(days, to_day(when), side="right")
    return int(cum[idx - 1]) if idx else 0


def waiting(out: RunOutput) -> tuple[float, int, float]:
    """(idle GPU-months, peak GPUs waiting for power, the day of that peak)."""
    arrived = out.stage_days("arrived")
    seen = ~np.isnan(arrived)
    arrived = arrived[seen]
    placed = np.nan_to_num(out.stage_days("placed")[seen], nan=out.horizon_day)
    gpus = out.columns["gpus"][seen]
    idle_months = float(np.sum((placed - arrived) * gpus)) / DAYS_PER_MONTH
    day = np.concatenate([arrived, placed])
    delta = np.concatenate([gpus, -gpus])
    order = np.lexsort((delta, day))  # by day, departures before arrivals on one day
    level = np.cumsum(delta[order])
    if not len(level) or level.max() <= 0:
        return idle_months, 0, float("nan")
    peak = int(np.argmax(level))
    return idle_months, int(level[peak]), float(day[order][peak])


def days_after(day: float | None, deadline: date, horizon_day: float) -> int:
    """Days from ``deadline`` to ``day`` (negative if earlier).

    A ``day`` never reached counts as the day after the horizon: a lower bound, later than
    any date that was reached, so a run that never gets there always scores worse.
    """
    when = to_date(horizon_day + 1) if day is None else to_date(day)
    return (when - deadline).days


def summary(out: RunOutput, cfg: Config) -> dict:
    """The headline figures of one run (written as ``summary.json``)."""
    pledge = sum(out.allocations.values())
    all_day = first_day_reaching(out, pledge)
    target_gpus, target_date = GOVERNMENT_TARGET
    idle_months, peak, peak_day = waiting(out)
    won_per_gpu_month = cfg.costs.pledge_value_won / pledge / (12 * cfg.costs.depreciation_years)
    lots = out.lots
    stranded = lots[lots["arrived"].notna() & lots["placed"].isna()]
    stranded_by = stranded.groupby("recipient")["gpus"].sum()
    gov = operational_by(out, target_date, "government")
    unshipped = lots[lots["shipped"].isna()].groupby("recipient")["gpus"].sum()
    return {
        "scenario": out.scenario,
        "seed": out.seed,
        "horizon": to_date(out.horizon_day).isoformat(),
        "pledged_gpus": pledge,
        "operational_at_year_end": {str(y): operational_by(out, date(y, 12, 31))
                                    for y in YEAR_ENDS},
        "all_operational_date": None if all_day is None else to_date(all_day).isoformat(),
        "all_operational_days_after_2030": days_after(all_day, DEADLINE, out.horizon_day),
        "government_50k_by_2030": gov >= target_gpus,
        "government_operational_2030_12_31": gov,
        "peak_waiting_gpus": peak,
        "peak_waiting_date": None if peak == 0 else to_date(peak_day).isoformat(),
        "stranded_gpus": int(stranded["gpus"].sum()),
        "stranded_by_recipient": {r: int(stranded_by[r]) for r in out.allocations
                                  if stranded_by.get(r, 0)},
        "unshipped_gpus_at_horizon": int(lots.loc[lots["shipped"].isna(), "gpus"].sum()),
        "unshipped_by_recipient": {r: int(unshipped[r]) for r in out.allocations
                                   if unshipped.get(r, 0)},
        "idle_gpu_months": round(idle_months, 1),
        "idle_value_won": round(idle_months * won_per_gpu_month),
        "mw_drawn_at_horizon": round(float(lots.loc[lots["placed"].notna(), "kw"].sum()) / 1000,
                                     1),
        "mw_for_full_pledge": round(pledge * cfg.hardware.facility_kw_per_gpu / 1000, 1),
        "milestones": {f"{pct}%": None if day is None else to_date(day).isoformat()
                       for (r, pct), day in milestone_days(out).items() if r == TOTAL},
    }


# --- headline figures: one flat row per run, for sweeps, comparisons and goal seek --------

HEADLINE_UNITS = {
    "all_operational_date": "days",
    "all_operational_days_after_2030": "days",
    "operational_2030_12_31": "GPUs",
    "government_operational_2030_12_31": "GPUs",
    "peak_waiting_gpus": "GPUs",
    "stranded_gpus": "GPUs",
    "unshipped_gpus_at_horizon": "GPUs",
    "idle_gpu_months": "GPU-months",
    "idle_value_won": "won",
    "mw_drawn_at_horizon": "MW",
    "p_all_operational_by_2030_12_31": "probability",
    "p_government_50k_by_2030_12_31": "probability",
}
"""The headline figures of a run and the unit of a difference between two runs."""

OBJECTIVES = tuple(k for k, unit in HEADLINE_UNITS.items() if not k.endswith("_date"))
"""The numeric headline figures: what ``objective=...`` may name."""


def check_objective(name: str, at_most: float | None = None, required: bool = False) -> None:
    """Refuse an ``objective`` that is not a numeric headline figure (or none if required),
    and a bound ``objective_at_most`` without an objective."""
    if at_most is not None and not name:
        raise InputError("objective_at_most", f"{at_most:g} bounds no figure; set "
                                              f"objective= one of {', '.join(OBJECTIVES)}")
    if name and name not in OBJECTIVES:
        raise InputError("objective", f"{name!r} is not a headline figure; "
                                      f"choose one of {', '.join(OBJECTIVES)}")
    if required and not name:
        raise InputError("objective", "this sweeper optimizes a headline figure; set "
                                      f"objective= one of {', '.join(OBJECTIVES)}")


def headline(summary: dict) -> dict:
    """The headline figures of a ``summary.json`` as one flat row (missing ones are None).

    With Monte Carlo, the all-operational date is the P50 over replications, and the odds
    of the targets join the row.

    The milestone dates of the total follow as ``operational_25%_date`` and so on.
    """
    flat = {**summary, "operational_2030_12_31":
            summary.get("operational_at_year_end", {}).get(str(DEADLINE.year))}
    mc = summary.get("monte_carlo")
    if mc:  # over all replications, not the representative one alone
        flat.update({key: mc[key] for key in ("p_all_operational_by_2030_12_31",
                                              "p_government_50k_by_2030_12_31")})
        flat["all_operational_date"] = mc["all_operational"]["p50"]
        flat["all_operational_days_after_2030"] = mc["all_operational_days_after_2030_p50"]
    row = {key: flat.get(key) for key in HEADLINE_UNITS}
    for name, when in summary.get("milestones", {}).items():
        row[f"operational_{name}_date"] = when
    return row
