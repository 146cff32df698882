"""``tranches.csv``: each tranche over all the replications.

A tranche is demand bought on a schedule (``seeds/tranches.yaml``, as known on the as-of
date); a recipient's GPUs that no tranche takes are ordered in step with its own sites, and
make one more row (``<recipient>: with its sites``), so the rows add up to the pledge. Per
row: the recipient, the generations its GPUs got in the model (shares of its GPUs ordered by
the horizon, over the replications) and the one a source names, how its orders are timed,
and the P10, P50 and P90 over the replications of its GPU count, of the day its last GPU
was ordered and of the day its last GPU arrived (a tranche not all ordered or arrived by
the horizon ranks after every date: a percentile that lands there is empty).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from sim.calendar import to_date
from sim.gpu_generations import GENERATIONS, NAMES
from sim.study.montecarlo import TRANCHE_STAGES

QUANTILES = {"p10": 10, "p50": 50, "p90": 90}
NOT_STATED = "not stated"
NONE_ORDERED = "none ordered by the horizon"
WITH_SITES = "in step with its sites"


def _date(day: float) -> str | None:
    return None if not math.isfinite(day) else to_date(day).isoformat()


def _percentile(values: np.ndarray, q: float) -> float:
    return float(np.percentile(values, q, method="inverted_cdf")) if len(values) else math.nan


def timing(tranche) -> str:
    """How a tranche's orders are timed: a fact (ordered on a date or within a month) or
    a plan (wanted evenly over a window)."""
    if tranche.ordered is not None:
        first, last = tranche.ordered
        return f"ordered {first}" if first == last else f"ordered {first} to {last}"
    first, last = tranche.order_window
    return f"planned {first} to {last}"


def mix(tranche_days: pd.DataFrame, name: str, have: np.ndarray) -> str:
    """The generations of a tranche's GPUs ordered by the horizon, as shares of them over
    all the replications (``B300 62 %, Vera Rubin 38 %``); ``none ordered`` if none were."""
    counts = {NAMES[g]: float(np.nansum(tranche_days[f"gpus_{g}:{name}"].to_numpy(float)[have]))
              for g in GENERATIONS if f"gpus_{g}:{name}" in tranche_days}
    total = sum(counts.values())
    if not total:
        return NONE_ORDERED
    return ", ".join(f"{g} {100 * n / total:.0f} %" for g, n in counts.items() if n)


def tranche_table(tranche_days: pd.DataFrame, tranches: tuple) -> pd.DataFrame:
    """The statistics of each tranche over the replications (``tranche_days``: one row per
    replication, columns ``gpus:``, ``ordered:`` and ``arrived:`` per tranche,
    :func:`sim.study.montecarlo.tranche_days`), beside what the seeds say of it
    (``tranches``: the seed tranches in force on the as-of date)."""
    known = {t.id: t for t in tranches}
    rows = []
    for column in (c for c in tranche_days.columns if c.startswith("gpus:")):
        name = column.removeprefix("gpus:")
        gpus = tranche_days[column].to_numpy(float)
        have = ~np.isnan(gpus)  # the replications in which it took lots
        seed = known.get(name)
        row = {"tranche": name,
               "recipient": seed.recipient if seed else name.split(":")[0],
               "generation": mix(tranche_days, name, have),
               "generation_in_source": (seed.generation if seed else "") or NOT_STATED,
               "timing": timing(seed) if seed else WITH_SITES,
               "replications_with_tranche": int(have.sum())}
        for q_name, q in QUANTILES.items():
            row[f"gpus_{q_name}"] = int(round(_percentile(gpus[have], q))) if have.any() \
                else None
        for stage in TRANCHE_STAGES:
            days = tranche_days[f"{stage}:{name}"].to_numpy(float)[have]
            for q_name, q in QUANTILES.items():
                row[f"{stage}_{q_name}"] = _date(_percentile(days, q))
        rows.append(row)
    return pd.DataFrame(rows)
