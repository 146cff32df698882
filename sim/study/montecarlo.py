"""Monte Carlo: many replications of one scenario, folded into bands, P-dates and odds.

Replication ``i`` draws from ``(seed, i, entity key)`` (:mod:`sim.model.streams`), so its numbers do
not depend on which worker ran it or when, and replication ``i`` of two scenarios shares
every draw that the scenarios do not change (common random numbers).

Memory stays flat in the number of replications: each weekly series is folded into a
histogram per week as replications arrive (:class:`sim.study.bands.Bands`), in replication order, whatever
the worker count; only one row of inputs and headline outputs is kept per replication. The
full event log is kept for one representative replication only, re-run at the end: the one
whose all-operational date is nearest the median.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from datetime import date
from typing import Iterator

import numpy as np
import pandas as pd
from joblib import Parallel, delayed
from tqdm.auto import tqdm

from sim.model.seeds import SeedData
from sim.model.world import simulate
from sim.study import accounting, metrics
from sim.study.bands import Bands, band_maxima
from sim.study.targets import GOVERNMENT_TARGET, TOTAL, YEAR_ENDS

ALL = (TOTAL, 100)


@dataclass
class Replication:
    """What one replication hands back: compact enough to send between processes."""

    index: int
    cube: np.ndarray | None
    """Weekly series, shape (series, recipients + total, weeks); None for driver runs."""
    milestones: dict[tuple[str, int], float | None]
    headline: dict[str, float]
    sampled: dict[str, float]


def replicate(cfg, seed_data: SeedData, index: int, days: np.ndarray | None
              ) -> Replication:
    """Run replication ``index``; with ``days``, all its outputs and its weekly series on
    that grid; without, only its all-operational day (enough for a driver run)."""
    with np.errstate(over="ignore"):  # a delay of 1e308 months overflows to inf: never
        out = simulate(cfg, seed_data, replication=index)
    accounting.check(accounting.at_horizon(out), out.allocations, f" in replication {index}")
    if days is None:
        day = metrics.first_day_reaching(out, sum(out.allocations.values()))
        return Replication(index, None, {}, {"all_operational_day":
                                             _censored(day, out.horizon_day)}, {})
    found = metrics.milestone_days(out)
    idle_months, peak, _ = metrics.waiting(out)
    gov_gpus, gov_date = GOVERNMENT_TARGET
    headline = {
        "all_operational_day": _censored(found[ALL], out.horizon_day),
        "government_operational_2030_12_31": metrics.operational_by(out, gov_date,
                                                                    "government"),
        **{f"operational_{y}_12_31": metrics.operational_by(out, date(y, 12, 31))
           for y in YEAR_ENDS},
        "peak_waiting_gpus": peak,
        "idle_gpu_months": idle_months,
        "stranded_gpus": int(out.columns["gpus"][out.stranded].sum()),
        **finishes_last(out),
    }
    return Replication(index, metrics.cube(out, days), found, headline, out.sampled)


def finishes_last(out) -> dict[str, str]:
    """Who and where the last GPU to run was (the critical path's end), when all run by the
    horizon; ``""`` for both if some never do."""
    days = out.columns["operational"]
    if not len(days) or np.isnan(days).any():
        return {"last_recipient": "", "last_site": ""}
    last = int(np.argmax(days))
    return {"last_recipient": str(out.columns["recipient"][last]),
            "last_site": str(out.columns["site"][last])}


def _censored(day: float | None, horizon_day: float) -> float:
    """A date not reached by the horizon counts as the day after it (for ranking)."""
    return horizon_day + 1 if day is None else day


def _run_chunk(cfg, seed_data: SeedData, indices: range, days) -> list[Replication]:
    return [replicate(cfg, seed_data, i, days) for i in indices]


MAX_CHUNK = 20
"""Replications per task at most: bounds what is in flight, so memory does not grow with N."""


def chunks(n: int, n_jobs: int) -> list[range]:
    """Split ``range(n)`` into consecutive pieces: a few per worker, and none too big."""
    pieces = max(1, min(n, 4 * n_jobs), math.ceil(n / MAX_CHUNK))
    edges = np.linspace(0, n, pieces + 1).round().astype(int)
    return [range(a, b) for a, b in zip(edges[:-1], edges[1:]) if b > a]


def run_many(tasks: list[tuple[object, range, np.ndarray | None]], seed_data: SeedData,
             n_jobs: int, progress: bool, label: str
             ) -> Iterator[tuple[int, list[Replication]]]:
    """Run every ``(config, replications, days)`` task; yield ``(task number, results)`` in
    task order, whatever the number of workers."""
    total = sum(len(r) for _, r, _ in tasks)
    bar = tqdm(total=total, desc=label, unit="rep", disable=None if progress else True,
               leave=False)
    results = iter(())
    try:
        if n_jobs == 1 or len(tasks) == 1:
            results = (_run_chunk(cfg, seed_data, r, days) for cfg, r, days in tasks)
        else:
            results = Parallel(n_jobs=n_jobs, return_as="generator")(
                delayed(_run_chunk)(cfg, seed_data, r, days) for cfg, r, days in tasks)
        for number, chunk in enumerate(results):
            bar.update(len(chunk))
            yield number, chunk
    finally:
        bar.close()
        with warnings.catch_warnings():  # stopped early (Ctrl-C, an error): joblib would warn
            warnings.simplefilter("ignore")  # that the chunks it finished go unused
            getattr(results, "close", lambda: None)()


@dataclass
class MonteCarlo:
    """The folded results of N replications of one config."""

    bands: Bands
    replications: pd.DataFrame
    """One row per replication: its sampled inputs and headline outputs."""
    milestone_days: pd.DataFrame
    """One row per replication, one column per (recipient, milestone): day or NaN."""
    representative: int


def run(cfg, seed_data: SeedData, days: np.ndarray, n_jobs: int = 1,
        progress: bool = False) -> MonteCarlo:
    """Run ``cfg.mc.replications`` replications and fold them."""
    n = cfg.mc.replications
    bands = Bands(days, band_maxima(cfg, seed_data, quarters=len(days) // 13 + 1),
                  cfg.hardware.gpus_per_lot)
    rows, milestone_rows = [], []  # one small frame per chunk: compact, unlike dicts
    tasks = [(cfg, r, days) for r in chunks(n, n_jobs)]
    for _, chunk in run_many(tasks, seed_data, n_jobs, progress,
                             f"{cfg.scenario}: replications"):
        for rep in chunk:
            bands.add(rep.cube)
        rows.append(pd.DataFrame([{"replication": rep.index, **rep.headline, **rep.sampled}
                                  for rep in chunk]))
        milestone_rows.append(pd.DataFrame([{f"{r}:{pct}%": day for (r, pct), day in
                                             rep.milestones.items()} for rep in chunk]))
    table = pd.concat(rows, ignore_index=True)
    inputs = sorted(set(table.columns) - set(chunk[0].headline) - {"replication"})
    table = table[["replication", *chunk[0].headline, *inputs]]  # the same for any chunking
    median = np.percentile(table["all_operational_day"], 50, method="inverted_cdf")
    representative = int(table.loc[(table["all_operational_day"] - median).abs().idxmin(),
                                   "replication"])
    return MonteCarlo(bands, table, pd.concat(milestone_rows, ignore_index=True).astype(float),
                      representative)


def percentile_days(values: np.ndarray, q: float) -> float:
    """A percentile of days where NaN (not reached) ranks after every date; NaN if it lands
    there."""
    filled = np.where(np.isnan(values), np.inf, values)
    found = float(np.percentile(filled, 100 * q, method="inverted_cdf"))
    return found if math.isfinite(found) else float("nan")
