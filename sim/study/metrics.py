"""From one run's record to the weekly series and milestones users read.

Every figure is computed from the lots' histories and the site events, so the tables cannot
disagree with the timeline. Stages of a GPU, in order: ``unshipped`` (pledged, not yet
shipped), ``in_transit``, ``waiting_power`` (arrived, no powered room yet), ``installing``
(placed: racking and burn-in), ``operational``.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from sim.calendar import DAYS_PER_MONTH, DAYS_PER_WEEK, timestamps, to_date, to_day
from sim.model.output import RunOutput
from sim.study.targets import TOTAL

STAGES = ["unshipped", "in_transit", "waiting_power", "installing", "operational"]
CUMULATIVE = ["ordered", "arrived"]
"""GPUs ordered, and arrived, so far (cumulative: a lot counts from the day it reached that
stage, whatever came after)."""
GPU_SERIES = STAGES + CUMULATIVE
POWER = ["mw_energized", "mw_drawn"]
SERIES = GPU_SERIES + POWER
ENTERS = ["shipped", "arrived", "placed", "operational"]
"""The lot stage whose day ends each of STAGES but the last."""
MILESTONES = (25, 50, 90, 100)


def weekly(pledge_day: float, horizon_day: float) -> np.ndarray:
    """The weekly grid of every table: from the pledge to the horizon."""
    return np.arange(pledge_day, horizon_day + 1e-9, DAYS_PER_WEEK)


def weeks(seed_data, cfg) -> np.ndarray:
    """The grid for a config, before any run (Monte Carlo folds every run onto it)."""
    return weekly(to_day(seed_data.deals["nvidia_pledge"].date), to_day(cfg.horizon_date))


def week_days(out: RunOutput) -> np.ndarray:
    """The grid of one run: the same as :func:`weeks` of its config."""
    return weekly(out.pledge_day, out.horizon_day)


def running_total(days: np.ndarray, amounts: np.ndarray, at: np.ndarray) -> np.ndarray:
    """Sum of ``amounts`` whose day is on or before each of ``at`` (NaN days never count)."""
    return running_totals(days, amounts, np.zeros(len(days), dtype=np.intp), 1, at)[0]


def running_totals(days: np.ndarray, amounts: np.ndarray, rows: np.ndarray, n_rows: int,
                   at: np.ndarray) -> np.ndarray:
    """Per row (``rows``: each item's row number), the sum of ``amounts`` whose day is on or
    before each of ``at``: shape (n_rows, len(at)). One pass over the items, whatever the
    number of rows; NaN days (and days after the last of ``at``) never count."""
    week = np.searchsorted(at, days, side="left")  # the first day of ``at`` that counts it
    width = len(at) + 1
    sums = np.bincount(rows * width + week, weights=amounts, minlength=n_rows * width)
    return np.cumsum(sums.reshape(n_rows, width)[:, :-1], axis=1)


def cube(out: RunOutput, days: np.ndarray) -> np.ndarray:
    """Every weekly series at once: shape (len(SERIES), recipients + total, len(days)).

    Rows follow ``out.allocations`` order, then the total (which also counts capacity open
    to every recipient).
    """
    n = len(out.allocations)
    values = np.zeros((len(SERIES), n + 1, len(days)))
    rows, gpus = out.rows, out.columns["gpus"].astype(float)
    shipped, arrived, placed, operational = (
        running_totals(out.stage_days(s), gpus, rows, n, days) for s in ENTERS)
    allocations = np.array(list(out.allocations.values()), dtype=float)[:, None]
    values[:5, :n] = [allocations - shipped, shipped - arrived, arrived - placed,
                      placed - operational, operational]
    values[5, :n] = running_totals(out.stage_days("ordered"), gpus, rows, n, days)
    values[6, :n] = arrived
    ready = out.site_ready
    owner = {r: i for i, r in enumerate(out.allocations)}
    ready_rows = np.array([owner.get(r, n) for r in ready["recipient"]], dtype=np.intp)
    energized = running_totals(ready["day"], ready["mw"], ready_rows, n + 1, days)
    mw = len(GPU_SERIES)
    values[mw, :n] = energized[:n]
    values[mw + 1, :n] = running_totals(out.stage_days("placed"), out.columns["lot_kw"] / 1000,
                                        rows, n, days)
    values[:, -1] = values[:, :-1].sum(axis=1)
    values[mw, -1] = energized.sum(axis=0)
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
    ts[GPU_SERIES] = ts[GPU_SERIES].round().astype("int64")
    ts.insert(0, "date", timestamps(ts["day"]))
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
            "mw_drawn": running_total(placed[here], out.columns["lot_kw"][here] / 1000, days)}))
    power = pd.concat(frames, ignore_index=True)
    power.insert(0, "date", timestamps(power["day"]))
    return power


def operational_curve(out: RunOutput, recipient: str = TOTAL) -> tuple[np.ndarray, np.ndarray]:
    """Exact (day, cumulative operational GPUs) steps, for a recipient or in total."""
    order = out.operational_order
    if recipient != TOTAL:
        order = order[out.masks[recipient][order]]
    return out.stage_days("operational")[order], np.cumsum(out.columns["gpus"][order])


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


FIRSTS = {"first arrival": "arrived", "first operational": "operational"}
"""The milestones that come before the shares: the day a recipient's first GPU arrives, and
the day its first GPU runs (the lot stage whose earliest day it is)."""


def first_days(out: RunOutput) -> dict[tuple[str, str], float | None]:
    """The day each recipient (and the total) reaches each of :data:`FIRSTS`; None if not
    by the horizon."""
    found = {}
    for r in [*out.allocations, TOTAL]:
        mine = slice(None) if r == TOTAL else out.masks[r]
        for name, stage in FIRSTS.items():
            days = out.stage_days(stage)[mine]
            found[r, name] = float(np.nanmin(days)) if (~np.isnan(days)).any() else None
    return found


def milestone_label(milestone: int | str) -> str:
    """How a milestone is named in the tables: ``25%``, or ``first arrival``."""
    return f"{milestone}%" if isinstance(milestone, int) else milestone


def all_milestone_days(out: RunOutput) -> dict[tuple[str, int | str], float | None]:
    """Per recipient, then the total: the days of :data:`FIRSTS`, then of the shares."""
    shares, firsts = milestone_days(out), first_days(out)
    return {(r, m): day for r in [*out.allocations, TOTAL]
            for m, day in [*((m, firsts[r, m]) for m in FIRSTS),
                           *((pct, shares[r, pct]) for pct in MILESTONES)]}


def milestones(out: RunOutput) -> pd.DataFrame:
    """For each recipient and in total: the date of its first arrival and first GPU
    operational, and of 25/50/90/100 % operational (or empty)."""
    allocations = {**out.allocations, TOTAL: sum(out.allocations.values())}
    return pd.DataFrame([{
        "recipient": r, "milestone": milestone_label(m),
        "gpus": int(np.ceil(allocations[r] * m / 100)) if isinstance(m, int) else 1,
        "day": day, "date": None if day is None else to_date(day).isoformat()}
        for (r, m), day in all_milestone_days(out).items()])


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
