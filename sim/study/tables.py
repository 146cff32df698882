"""What the Monte Carlo study adds to a run's tables: P-dates and the odds of the targets
beside each milestone, and the ``monte_carlo`` block of ``summary.json``.

Odds with no target date (a recipient with no announced site yet) or with a date after the
horizon are not defined: an empty cell in ``milestones.csv`` (whose ``target`` says why) and
``null`` with the reason in ``summary.json`` (:mod:`sim.study.undefined`), never a NaN.
"""

from __future__ import annotations

import math
from datetime import date

import numpy as np
import pandas as pd

from sim.calendar import to_date, to_day
from sim.study.generation_counts import BLACKWELL_BY_DEADLINE, GENERATION_KEYS
from sim.study.metrics import days_after
from sim.study.montecarlo import percentile_days
from sim.study.study import Study
from sim.study.targets import DEADLINE, NO_OWN_TARGET, P_OWN_TARGET, TOTAL, YEAR_ENDS, Goal
from sim.study.undefined import NOT_DEFINED, after_horizon, undefined

MILESTONE_QUANTILES = {"p10": 0.10, "p50": 0.50, "p80": 0.80, "p90": 0.90}


def milestone_columns(study: Study, table: pd.DataFrame) -> pd.DataFrame:
    """P-dates and the odds of meeting each recipient's target, beside each milestone; the
    representative replication's own day and date last, named as such."""
    days = study.mc.milestone_days
    out = table[["recipient", "milestone", "gpus"]].copy()
    for name, q in MILESTONE_QUANTILES.items():
        found = [percentile_days(days[f"{r}:{m}"].to_numpy(float), q)
                 for r, m in zip(table["recipient"], table["milestone"])]
        out[f"{name}_date"] = [None if math.isnan(d) else to_date(d).isoformat() for d in found]
    horizon = to_date(study.representative.horizon_day)
    goals = [study.targets.get(r, Goal("", None, f"{r} has no target")) for r in
             table["recipient"]]
    out["target"] = [g.text or f"{NOT_DEFINED} ({why(g, horizon)})" for g in goals]
    out["target_date"] = [None if g.by is None else g.by.isoformat() for g in goals]
    out["p_by_target"] = [  # of a share of the GPUs: the first ones are not a target's
        None if why(g, horizon) or not m.endswith("%") else
        float(np.mean(np.nan_to_num(days[f"{r}:{m}"].to_numpy(float), nan=np.inf)
                      <= to_day(g.by)))
        for (r, m), g in zip(zip(table["recipient"], table["milestone"]), goals)]
    out["representative_day"] = table["day"].astype(float).round(1)
    out["representative_date"] = table["date"]
    return out


def why(goal: Goal, horizon) -> str:
    """Why the odds of ``goal`` are not defined: no date, or one after the horizon ("" if
    they are defined)."""
    if goal.by is None:
        return goal.reason
    late = after_horizon(goal.by, horizon)
    return late["reason"] if late else ""


def summary_block(study: Study, milestones: pd.DataFrame, won_per_gpu_month: float) -> dict:
    """The Monte Carlo part of ``summary.json``."""
    all_days = study.mc.milestone_days[f"{TOTAL}:100%"].to_numpy(float)
    full = milestones[milestones["milestone"] == "100%"].set_index("recipient")
    horizon = to_date(study.representative.horizon_day)

    def odds(r: str):
        """The share of replications that give ``r`` its full allocation by its target."""
        reason = why(study.targets[r], horizon)
        return undefined(reason) if reason else float(full.loc[r, "p_by_target"])

    def when(q):
        d = percentile_days(all_days, q)
        return None if math.isnan(d) else to_date(d).isoformat()

    reps = study.mc.replications
    return {
        "replications": len(reps),
        **({"precision": study.mc.precision.as_dict()} if study.mc.precision else {}),
        "representative_replication": study.mc.representative,
        "all_operational": {name: when(q) for name, q in MILESTONE_QUANTILES.items()},
        "all_operational_days_after_2030_p50": days_after(
            None if math.isnan(p50 := percentile_days(all_days, 0.5)) else p50,
            DEADLINE, study.representative.horizon_day),
        "p_all_operational_by_2030_12_31": odds(TOTAL),
        **own_target_odds(study, reps, horizon),
        "p_full_by_target": {r: odds(r) for r in full.index},
        "figures": figure_quantiles(reps, won_per_gpu_month, study, horizon),
        "finishes_last": finishes_last(reps),
        "top_drivers": study.drivers.dropna(subset=["effect_days"]).head(3)[
            ["risk", "effect_days", "effect_low_days", "effect_high_days",
             "driver_replications"]].to_dict("records") if len(study.drivers) else [],
    }


def own_target_odds(study: Study, reps: pd.DataFrame, horizon) -> dict:
    """The share of replications that meet each recipient's own target (its GPUs
    operational on its date, :mod:`sim.study.montecarlo`), as ``p_<recipient>_<gpus>_by_
    <date>``; not defined after the horizon, nor in seeds where no recipient states one."""
    if not study.own_targets:
        return {P_OWN_TARGET: undefined(NO_OWN_TARGET)}
    return {t.p_key: after_horizon(t.by, horizon) or
            float(np.mean(reps[t.count_key].to_numpy(float) >= t.gpus))
            for t in study.own_targets}


YEAR_END_KEYS = {f"operational_{y}_12_31": date(y, 12, 31) for y in YEAR_ENDS}
"""Each year end's GPUs operational, by its date."""
PER_REPLICATION = ("operational_2030_12_31", "peak_waiting_gpus", "stranded_gpus",
                   "idle_gpu_months", BLACKWELL_BY_DEADLINE, *GENERATION_KEYS.values(),
                   *(k for k in YEAR_END_KEYS if k != "operational_2030_12_31"),
                   "mw_drawn_at_horizon", "mw_for_full_pledge")
"""Headline figures each replication records, so that they have Monte Carlo statistics
(and each own target's count, after the first: :func:`figure_quantiles`)."""


def figure_quantiles(reps: pd.DataFrame, won_per_gpu_month: float, study: Study | None = None,
                     horizon=None) -> dict:
    """P10, P50, P90 and mean over replications of each figure in :data:`PER_REPLICATION`,
    of each own target's count, and of the idle GPUs' value in won; a count taken after the
    horizon is not defined."""
    own = study.own_targets if study is not None else ()
    names = [PER_REPLICATION[0], *(t.count_key for t in own), *PER_REPLICATION[1:]]
    dated = {**YEAR_END_KEYS, BLACKWELL_BY_DEADLINE: DEADLINE,
             **{t.count_key: t.by for t in own}}
    columns = {name: reps[name].to_numpy(float) for name in names if name in reps}
    if "idle_gpu_months" in columns:
        columns["idle_value_won"] = columns["idle_gpu_months"] * won_per_gpu_month
    return {name: (horizon and name in dated and after_horizon(dated[name], horizon)) or
            {"p10": _q(v, 10), "p50": _q(v, 50), "p90": _q(v, 90),
             "mean": round(float(v.mean()), 1)} for name, v in columns.items()}


def _q(values: np.ndarray, pct: float) -> float:
    return round(float(np.percentile(values, pct, method="inverted_cdf")), 1)


def finishes_last(reps: pd.DataFrame) -> dict:
    """How often each recipient, and each site, runs the last GPU (over the replications in
    which all run by the horizon; ``not by the horizon`` counts the others)."""
    out = {}
    for what, column in (("recipients", "last_recipient"), ("sites", "last_site")):
        if column not in reps:
            continue
        counts = reps[column].replace("", NOT_BY_HORIZON).value_counts(sort=False)
        out[what] = {str(k): int(v) for k, v in sorted(counts.items(),
                                                       key=lambda kv: (-kv[1], kv[0]))}
    return out


NOT_BY_HORIZON = "not by the horizon"
