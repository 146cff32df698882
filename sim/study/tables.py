"""What the Monte Carlo study adds to a run's tables: P-dates and the odds of the targets
beside each milestone, and the ``monte_carlo`` block of ``summary.json``."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from sim.calendar import to_date, to_day
from sim.study.metrics import days_after
from sim.study.montecarlo import percentile_days
from sim.study.study import Study
from sim.study.targets import DEADLINE, TOTAL

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
    target = [study.targets.get(r, ("", None)) for r in table["recipient"]]
    out["target"] = [t[0] for t in target]
    out["target_date"] = [None if t[1] is None else t[1].isoformat() for t in target]
    out["p_by_target"] = [
        None if t[1] is None else
        float(np.mean(np.nan_to_num(days[f"{r}:{m}"].to_numpy(float), nan=np.inf)
                      <= to_day(t[1])))
        for (r, m), t in zip(zip(table["recipient"], table["milestone"]), target)]
    out["representative_day"] = table["day"].astype(float).round(1)
    out["representative_date"] = table["date"]
    return out


def summary_block(study: Study, milestones: pd.DataFrame, won_per_gpu_month: float) -> dict:
    """The Monte Carlo part of ``summary.json``."""
    all_days = study.mc.milestone_days[f"{TOTAL}:100%"].to_numpy(float)
    full = milestones[milestones["milestone"] == "100%"].set_index("recipient")

    def when(q):
        d = percentile_days(all_days, q)
        return None if math.isnan(d) else to_date(d).isoformat()

    reps = study.mc.replications
    return {
        "replications": len(reps),
        "representative_replication": study.mc.representative,
        "all_operational": {name: when(q) for name, q in MILESTONE_QUANTILES.items()},
        "all_operational_days_after_2030_p50": days_after(
            None if math.isnan(p50 := percentile_days(all_days, 0.5)) else p50,
            DEADLINE, study.representative.horizon_day),
        "p_all_operational_by_2030_12_31": full.loc[TOTAL, "p_by_target"],
        "p_government_50k_by_2030_12_31": full.loc["government", "p_by_target"],
        "p_full_by_target": {r: full.loc[r, "p_by_target"] for r in full.index},
        "figures": figure_quantiles(reps, won_per_gpu_month),
        "finishes_last": finishes_last(reps),
        "top_drivers": study.drivers.dropna(subset=["effect_days"]).head(3)[
            ["risk", "effect_days", "effect_low_days", "effect_high_days",
             "driver_replications"]].to_dict("records") if len(study.drivers) else [],
    }


PER_REPLICATION = ("operational_2030_12_31", "government_operational_2030_12_31",
                   "peak_waiting_gpus", "stranded_gpus", "idle_gpu_months")
"""Headline figures each replication records, so that they have Monte Carlo statistics."""


def figure_quantiles(reps: pd.DataFrame, won_per_gpu_month: float) -> dict:
    """P10, P50, P90 and mean over replications of each figure in :data:`PER_REPLICATION`
    (and of the idle GPUs' value in won)."""
    columns = {name: reps[name].to_numpy(float) for name in PER_REPLICATION if name in reps}
    if "idle_gpu_months" in columns:
        columns["idle_value_won"] = columns["idle_gpu_months"] * won_per_gpu_month
    return {name: {"p10": _q(v, 10), "p50": _q(v, 50), "p90": _q(v, 90),
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
