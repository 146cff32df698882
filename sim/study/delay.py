"""The anatomy of the delay: where each GPU's time goes, from the pledge (or its order, if
earlier) to operation, stage by stage.

A lot's time splits into six stages, one after another, that add up to its whole wait:

- ``before_order``: from the pledge until it is ordered. Orders follow the sites
  (:mod:`sim.model.demand`): this is the wait for a site (its construction and grid
  connection) to come close enough to order for, or for a tranche's planned window;
- ``supply``: order to shipment (NVIDIA's lead time and the allocation cap);
- ``shipping``: shipment to arrival in Korea;
- ``waiting_power``: arrived, waiting for powered room (a site or grid later than planned);
- ``installation``: racking by the site's crews;
- ``burnin_acceptance``: burn-in, replacements and acceptance, to the first day in service.

A lot not in service by the horizon is counted to the horizon, its time from then on in the
stage it is in, so the stages still add up (a censored wait: the table says how many GPUs
are not in service by then). Per replication, for each recipient and in total, three GPUs
are read: the ``mean`` GPU (each stage's GPU-weighted mean over the lots), the ``median``
GPU (the lot whose service day is the median by GPUs) and the ``last`` GPU (the lot in
service last: the end of the critical chain). Means over replications add up: the stages'
means sum to the total's mean, for each of the three.

Left out: which constraint bound a site (construction or grid) is not split here; both
show as ``before_order`` and ``waiting_power``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.calendar import DAYS_PER_MONTH
from sim.study.targets import TOTAL

ENDS = {"before_order": "ordered", "supply": "shipped", "shipping": "arrived",
        "waiting_power": "placed", "installation": "installed",
        "burnin_acceptance": "operational"}
"""Each stage and the lot stage whose day ends it (:data:`sim.model.demand.LOT_STAGES`)."""
STAGE_NAMES = {"before_order": "before its order (waiting for a site)",
               "supply": "supply (order to shipment)", "shipping": "shipping",
               "waiting_power": "arrived, waiting for power", "installation": "installation",
               "burnin_acceptance": "burn-in and acceptance", "total": "in all"}
GPUS = ("mean", "median", "last")
QUANTILES = {"p10": 10, "p50": 50, "p90": 90}


def stage_months(out) -> np.ndarray:
    """Each lot's months in each stage of :data:`ENDS`: shape (lots, stages). Its start is
    the pledge, or its order if earlier; a day not reached by the horizon is the horizon."""
    columns, horizon = out.columns, out.horizon_day
    ends = [np.where(np.isnan(columns[stage]), horizon, columns[stage])
            for stage in ENDS.values()]
    bound = np.minimum(out.pledge_day, ends[0])
    months = np.empty((len(columns["gpus"]), len(ENDS)))
    for k, end in enumerate(ends):  # the running latest day, a stage at a time
        later = np.maximum(bound, end)
        months[:, k] = (later - bound) / DAYS_PER_MONTH
        bound = later
    return months


def anatomy(out) -> dict[str, float]:
    """One replication's anatomy: months per ``<recipient>|<gpu>|<stage>`` (``total`` among
    the stages and the recipients), and ``<recipient>|gpus|waiting`` the GPUs not in service
    by the horizon."""
    months = stage_months(out)
    gpus = out.columns["gpus"].astype(float)
    done = ~np.isnan(out.columns["operational"])
    found = {}
    for recipient in [*out.allocations, TOTAL]:
        mine = np.ones(len(gpus), bool) if recipient == TOTAL else out.masks[recipient]
        if not mine.any():
            continue
        m, g = months[mine], gpus[mine]
        end = m.sum(axis=1)
        order = np.argsort(end, kind="stable")
        median = order[np.searchsorted(np.cumsum(g[order]), g.sum() / 2)]
        picks = {"mean": g @ m / g.sum(), "median": m[median], "last": m[order[-1]]}
        for gpu, values in picks.items():
            for stage, value in zip([*ENDS, "total"], [*values, values.sum()]):
                found[f"{recipient}|{gpu}|{stage}"] = float(value)
        found[f"{recipient}|gpus|waiting"] = float(g[~done[mine]].sum())
    return found


def delay_table(days: pd.DataFrame, names: dict[str, str]) -> pd.DataFrame:
    """``delay.csv``: per recipient and in total, per GPU read (mean, median, last) and per
    stage, the mean and P10/P50/P90 over the replications of its months (``days``: one row
    per replication, the columns of :func:`anatomy`)."""
    rows = []
    keys = [c.split("|") for c in days.columns if "|gpus|" not in c]
    for recipient, gpu, stage in keys:
        values = days[f"{recipient}|{gpu}|{stage}"].dropna().to_numpy(float)
        waiting = days[f"{recipient}|gpus|waiting"].to_numpy(float)
        rows.append({"recipient": recipient, "name": names.get(recipient, recipient),
                     "gpu": gpu, "stage": stage, "stage_name": STAGE_NAMES[stage],
                     "mean_months": round(float(values.mean()), 3),
                     **{f"{q}_months": round(float(np.percentile(values, p,
                                                                  method="inverted_cdf")), 2)
                        for q, p in QUANTILES.items()},
                     "replications": len(values),
                     "mean_gpus_not_in_service_at_horizon": round(float(waiting.mean()))})
    return pd.DataFrame(rows)


def headline(table: pd.DataFrame) -> str:
    """The answer's first line: where the median GPU's time goes, in all (means over the
    replications), largest stage first."""
    if not len(table):
        return ""
    median = table[(table["recipient"] == TOTAL) & (table["gpu"] == "median")]
    stages = median[median["stage"] != "total"].set_index("stage")["mean_months"]
    total = float(median.loc[median["stage"] == "total", "mean_months"].iloc[0])
    parts = [f"{months:.0f} {STAGE_NAMES[stage]}" for stage, months in
             stages.sort_values(ascending=False).items() if round(months) >= 1]
    return (f"the median GPU waits {total:.0f} months from the pledge to service: "
            + ", ".join(parts) + " (months, means over the replications)")


def summary(table: pd.DataFrame) -> dict:
    """``summary.json``'s ``monte_carlo.delay``: the median GPU's mean months per stage, in
    all, and the answer's line."""
    median = table[(table["recipient"] == TOTAL) & (table["gpu"] == "median")]
    return {"median_gpu_mean_months": dict(zip(median["stage"], median["mean_months"])),
            "text": headline(table)}
