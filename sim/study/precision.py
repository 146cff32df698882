"""How many replications a study needs: with ``mc.replications=auto`` it adds them a round
at a time until the headline is as precise as ``mc.precision`` asks, or a cap is reached.

This is how schedule-risk tools stop ("stop at convergence") and the replications
algorithm of discrete-event simulation (Hoad, Robinson and Davies 2010): instead of the user
guessing a count, the run measures the precision it has after each round. Two targets:

- the standard error of the P50 all-operational date, in days (``p50_se_days``):
  distribution-free, the spread of the two order statistics that bound the median at 95 %
  over 2 x 1.96; a P50 after the horizon whose lower bound is after it too needs no more;
- the standard error of each headline share (all GPUs by 2030-12-31, each recipient's own
  target such as the government's 50k), in percentage points (``share_se_points``): the
  half-width of its 95 % Wilson interval over 1.96, so a share of 0 of n still has one.

Rounds are ``round`` replications, every replication keyed by its index as always, so the
same config and seed stop at the same count on every backend and worker count. The study
stops at ``max_replications`` even if a target is not met, and says so. Under
``mc.sampling=latin_hypercube`` the count is not known beforehand, so each round is a Latin
hypercube of its own (``N`` = ``round``, :mod:`sim.model.streams`); a last round cut short
by the cap is part of one.

Left out: the precision of the bands, the milestones and the sensitivity table (ask for a
count, ``mc.replications=N``, to fix those).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sim.calendar import to_day
from sim.study.scores import wilson
from sim.study.targets import DEADLINE

Z = 1.959964


@dataclass(frozen=True)
class Reached:
    """The precision a study reached (standard errors, replications), its targets, and
    whether it met them."""

    replications: int
    p50_se_days: float
    share_se_points: float
    met: bool
    target_p50_se_days: float
    target_share_se_points: float
    max_replications: int

    def as_dict(self) -> dict:
        return {"replications": self.replications, "met": self.met,
                "p50_se_days": _rounded(self.p50_se_days),
                "share_se_points": _rounded(self.share_se_points),
                "target_p50_se_days": self.target_p50_se_days,
                "target_share_se_points": self.target_share_se_points,
                "max_replications": self.max_replications}


def said(reached: dict) -> str:
    """What the terminal and the report say of a study's ``precision`` (summary.json)."""
    def se(x, unit: str) -> str:
        return "not yet bounded" if x is None else f"{x:.1f} {unit}"
    how = "met" if reached["met"] else \
        f"not met by the cap (mc.precision.max_replications={reached['max_replications']})"
    return (f"mc.replications=auto: {reached['replications']:,} replications, targets {how}: "
            f"standard error of the P50 date {se(reached['p50_se_days'], 'd')} (target "
            f"{reached['target_p50_se_days']:g} d), of each headline share at most "
            f"{se(reached['share_se_points'], 'points')} (target "
            f"{reached['target_share_se_points']:g})")


def _rounded(x: float) -> float | None:
    return round(float(x), 2) if math.isfinite(x) else None


def p50_se_days(days: np.ndarray, horizon_day: float) -> float:
    """The standard error of the median of ``days`` (censored after ``horizon_day``), from
    the ranks that bound it at 95 %; 0 where the median and its lower bound are both after
    the horizon (no more replications change "after the horizon")."""
    n = len(days)
    if n < 2:
        return math.inf
    ranked = np.sort(np.where(np.isfinite(days), days, horizon_day + 1))
    half = Z * math.sqrt(n) / 2
    low = ranked[max(0, math.floor(n / 2 - half) - 1)]
    high = ranked[min(n - 1, math.ceil(n / 2 + half) - 1)]
    if low > horizon_day:
        return 0.0
    return math.inf if high > horizon_day else float(high - low) / (2 * Z)


def share_se_points(met: np.ndarray) -> float:
    """The standard error, in percentage points, of the share of ``met`` that is true."""
    k, n = int(np.sum(met)), len(met)
    low, high = wilson(k, n)
    return 100 * (high - low) / (2 * Z)


def reached(table: pd.DataFrame, own_targets, horizon_day: float, target) -> Reached:
    """The precision of the replications in ``table`` against ``target`` (``mc.precision``)."""
    days = table["all_operational_day"].to_numpy(float)
    shares = [days <= to_day(DEADLINE)] + [table[t.count_key].to_numpy(float) >= t.gpus
                                            for t in own_targets if t.count_key in table]
    date_se = p50_se_days(days, horizon_day)
    share_se = max(share_se_points(m) for m in shares)
    met = date_se <= target.p50_se_days and share_se <= target.share_se_points
    return Reached(len(table), date_se, share_se, bool(met), float(target.p50_se_days),
                   float(target.share_se_points), int(target.max_replications))


def rounds(target) -> list[int]:
    """The replication counts at which a study checks its precision: every ``round``, up
    to ``max_replications``."""
    step, cap = int(target.round), int(target.max_replications)
    return [min(n, cap) for n in range(step, cap + step, step)]


def run_auto(cfg, seed_data, days: np.ndarray, pool=None, progress: bool = False):
    """The replications ``mc.replications=auto`` asks for: rounds of ``mc.precision.round``
    until :func:`reached` says the targets are met, or ``max_replications``. The result's
    ``precision`` says what was reached."""
    from sim.study.montecarlo import Replications
    from sim.study.targets import own_targets

    target, targets = cfg.mc.precision, own_targets(seed_data)
    horizon_day = to_day(cfg.horizon_date)
    reps, done = Replications(cfg, seed_data, days), 0
    for count in rounds(target):
        reps.add(range(done, count), pool, progress)
        done = count
        got = reached(reps.table(), targets, horizon_day, target)
        if got.met:
            break
    result = reps.result()
    result.precision = got
    return result
