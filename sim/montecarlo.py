"""Monte Carlo: many replications of one scenario, folded into bands, P-dates and odds.

Replication ``i`` draws from ``(seed, i, entity key)`` (:mod:`sim.streams`), so its numbers do
not depend on which worker ran it or when, and replication ``i`` of two scenarios shares
every draw that the scenarios do not change (common random numbers).

Memory stays flat in the number of replications: each weekly series is folded into a
histogram per week as replications arrive (:class:`Bands`), in replication order, whatever
the worker count; only one row of inputs and headline outputs is kept per replication. The
full event log is kept for one representative replication only, re-run at the end: the one
whose all-operational date is nearest the median.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, replace
from datetime import date
from typing import Iterator

import numpy as np
import pandas as pd

from sim import metrics
from sim.config import Config, get as _get
from sim.distributions import Fixed
from sim.model import simulate
from sim.seeds import SeedData

QUANTILES = {"p10": 0.10, "p50": 0.50, "p90": 0.90}
MILESTONE_QUANTILES = {"p10": 0.10, "p50": 0.50, "p80": 0.80, "p90": 0.90}
ALL = (metrics.TOTAL, 100)


@dataclass
class Replication:
    """What one replication hands back: compact enough to send between processes."""

    index: int
    cube: np.ndarray | None
    """Weekly series, shape (series, recipients + total, weeks); None for driver runs."""
    milestones: dict[tuple[str, int], float | None]
    headline: dict[str, float]
    sampled: dict[str, float]


def replicate(cfg: Config, seed_data: SeedData, index: int, days: np.ndarray | None
              ) -> Replication:
    """Run replication ``index``; with ``days``, all its outputs and its weekly series on
    that grid; without, only its all-operational day (enough for a driver run)."""
    out = simulate(cfg, seed_data, replication=index)
    if days is None:
        day = metrics.first_day_reaching(out, sum(out.allocations.values()))
        return Replication(index, None, {}, {"all_operational_day":
                                             _censored(day, out.horizon_day)}, {})
    found = metrics.milestone_days(out)
    idle_months, peak, _ = metrics.waiting(out)
    gov_gpus, gov_date = metrics.GOVERNMENT_TARGET
    headline = {
        "all_operational_day": _censored(found[ALL], out.horizon_day),
        "government_operational_2030_12_31": metrics.operational_by(out, gov_date,
                                                                    "government"),
        **{f"operational_{y}_12_31": metrics.operational_by(out, date(y, 12, 31))
           for y in metrics.YEAR_ENDS},
        "peak_waiting_gpus": peak,
        "idle_gpu_months": idle_months,
        "stranded_gpus": int(out.columns["gpus"][~np.isnan(out.stage_days("arrived"))
                                                 & np.isnan(out.stage_days("placed"))].sum()),
    }
    return Replication(index, metrics.cube(out, days), found, headline, out.sampled)


def _censored(day: float | None, horizon_day: float) -> float:
    """A date not reached by the horizon counts as the day after it (for ranking)."""
    return horizon_day + 1 if day is None else day


def _run_chunk(cfg: Config, seed_data: SeedData, indices: range, days) -> list[Replication]:
    return [replicate(cfg, seed_data, i, days) for i in indices]


MAX_CHUNK = 20
"""Replications per task at most: bounds what is in flight, so memory does not grow with N."""


def chunks(n: int, n_jobs: int) -> list[range]:
    """Split ``range(n)`` into consecutive pieces: a few per worker, and none too big."""
    pieces = max(1, min(n, 4 * n_jobs), math.ceil(n / MAX_CHUNK))
    edges = np.linspace(0, n, pieces + 1).round().astype(int)
    return [range(a, b) for a, b in zip(edges[:-1], edges[1:]) if b > a]


def run_many(tasks: list[tuple[Config, range, np.ndarray | None]], seed_data: SeedData,
             n_jobs: int, progress: bool, label: str
             ) -> Iterator[tuple[int, list[Replication]]]:
    """Run every ``(config, replications, days)`` task; yield ``(task number, results)`` in
    task order, whatever the number of workers."""
    from tqdm.auto import tqdm

    total = sum(len(r) for _, r, _ in tasks)
    bar = tqdm(total=total, desc=label, unit="rep", disable=None if progress else True,
               leave=False)
    results = iter(())
    try:
        if n_jobs == 1 or len(tasks) == 1:
            results = (_run_chunk(cfg, seed_data, r, days) for cfg, r, days in tasks)
        else:
            from joblib import Parallel, delayed

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


class Bands:
    """Per-week percentiles of every series, folded in one replication at a time.

    Each (series, row) keeps a histogram per week, with bins one lot wide for GPU counts
    and ``MW_BIN`` wide for MW, plus the running sum, minimum and maximum. A percentile is
    read off the histogram, interpolated within its bin and clamped to the values seen, so
    it is within one bin of the exact one (exact for one replication), and P10 <= P50 <= P90.
    """

    MW_BIN = 0.5

    def __init__(self, days: np.ndarray, maxima: np.ndarray, gpus_per_lot: int):
        self.days = days
        n_series, n_rows = maxima.shape
        weeks = len(days)
        self.width = np.array([[gpus_per_lot] * n_rows] * len(metrics.STAGES)
                              + [[self.MW_BIN] * n_rows] * len(metrics.POWER), dtype=float)
        self.nbins = (np.ceil(maxima / self.width) + 2).astype(int)
        # one flat array of counts: (series, row) blocks, each weeks x nbins, one after another
        sizes = weeks * self.nbins
        self.offset = np.concatenate([[0], np.cumsum(sizes.ravel())[:-1]]).reshape(sizes.shape)
        self.counts = np.zeros(int(sizes.sum()), dtype=np.uint16)
        self._cell_base = (self.offset[:, :, None]
                           + np.arange(weeks)[None, None, :] * self.nbins[:, :, None])
        shape = (n_series, n_rows, weeks)
        self.total = np.zeros(shape)
        self.low = np.full(shape, np.inf)
        self.high = np.full(shape, -np.inf)
        self.n = 0
        self._weeks = np.arange(weeks)

    def hist(self, s: int, r: int) -> np.ndarray:
        """The (weeks x bins) counts of series ``s``, row ``r``: a view into the flat array."""
        start = self.offset[s, r]
        return self.counts[start:start + len(self.days) * self.nbins[s, r]].reshape(
            len(self.days), self.nbins[s, r])

    def add(self, cube: np.ndarray) -> None:
        if self.n == np.iinfo(np.uint16).max:
            raise OverflowError("a histogram bin would overflow: at most 65,535 replications")
        self.n += 1
        self.total += cube
        np.minimum(self.low, cube, out=self.low)
        np.maximum(self.high, cube, out=self.high)
        bins = np.clip(np.floor(cube / self.width[:, :, None]).astype(np.int64), 0,
                       self.nbins[:, :, None] - 1)
        self.counts[(self._cell_base + bins).ravel()] += 1  # one bin per cell: no repeats

    def mean(self) -> np.ndarray:
        return self.total / max(self.n, 1)

    def quantile(self, q: float) -> np.ndarray:
        out = np.empty_like(self.total)
        rank = q * (self.n - 1)
        for s, r in np.ndindex(*self.nbins.shape):
            hist = self.hist(s, r)
            cum = np.cumsum(hist, axis=1)
            k = np.argmax(cum > rank, axis=1)
            before = np.where(k > 0, cum[self._weeks, k - 1], 0)
            inside = hist[self._weeks, k]
            frac = (rank - before + 0.5) / np.maximum(inside, 1)
            out[s, r] = (k + np.clip(frac, 0, 1)) * self.width[s, r]
        return np.clip(out, self.low, self.high)


def band_maxima(cfg: Config, seed_data: SeedData) -> np.ndarray:
    """The largest value each (series, row) can take: sizes each histogram."""
    recipients = [a.recipient for a in seed_data.allocations]
    alloc = np.array([a.gpus for a in seed_data.allocations], dtype=float)
    kw = cfg.hardware.facility_kw_per_gpu
    own_mw = np.array([sum(p.mw for s in seed_data.sites if s.recipient == r for p in s.phases)
                       for r in recipients])
    shared = cfg.deals.blackrock_mou.mw if cfg.deals.blackrock_mou.enabled else 0.0
    gpus = np.append(alloc, alloc.sum())
    energized = np.append(own_mw, own_mw.sum() + shared)
    drawn = np.append(alloc * kw / 1000, alloc.sum() * kw / 1000)
    return np.vstack([np.tile(gpus, (len(metrics.STAGES), 1)), energized, drawn])


@dataclass
class MonteCarlo:
    """The folded results of N replications of one config."""

    bands: Bands
    replications: pd.DataFrame
    """One row per replication: its sampled inputs and headline outputs."""
    milestone_days: pd.DataFrame
    """One row per replication, one column per (recipient, milestone): day or NaN."""
    representative: int


def run(cfg: Config, seed_data: SeedData, days: np.ndarray, n_jobs: int = 1,
        progress: bool = False) -> MonteCarlo:
    """Run ``cfg.mc.replications`` replications and fold them."""
    n = cfg.mc.replications
    bands = Bands(days, band_maxima(cfg, seed_data), cfg.hardware.gpus_per_lot)
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


# --- drivers: which uncertain input moves the P50 all-operational date most ----------------

def risks(cfg: Config) -> dict[str, Config]:
    """Each uncertain input that matters in ``cfg``, mapped to ``cfg`` with it held central.

    A distribution is held at its median; a probability of something going wrong is
    excluded (approval certain, no relocation, no burn-in failure), as single-pass
    exclusion in schedule-risk tools does.
    """
    from sim import config as schema

    found: dict[str, Config] = {}
    for key in schema.DIST_RANGES:
        dist = _get(cfg, key)
        if not isinstance(dist, Fixed) and _matters(cfg, key):
            found[key] = _with(cfg, key, Fixed(float(dist.ppf(0.5))))
    by_site = cfg.sites.slip_months_by_site
    for site, dist in by_site.items():
        if not isinstance(dist, Fixed):
            found[f"sites.slip_months_by_site.{site}"] = _with(
                cfg, "sites.slip_months_by_site", {**by_site, site: Fixed(float(dist.ppf(0.5)))})
    for key, safe in EXCLUDED:
        if _get(cfg, key) != safe:
            found[key] = _with(cfg, key, safe)
    return found


EXCLUDED = (("power.approval_p.capital", 1.0), ("power.approval_p.non_capital", 1.0),
            ("sites.relocation_p", 0.0), ("install.burnin_fail_p", 0.0))
"""Probabilities of a risk event, with the value that excludes the event."""


def _matters(cfg: Config, key: str) -> bool:
    if key.startswith("deals.stargate_loi."):
        return cfg.deals.stargate_loi.enabled
    if key.startswith("deals.blackrock_mou."):
        return cfg.deals.blackrock_mou.enabled
    if key == "power.derate_lag_months":
        return not (isinstance(cfg.power.derate, Fixed) and cfg.power.derate.value == 1)
    if key == "power.rejection_delay_months":
        return min(cfg.power.approval_p.capital, cfg.power.approval_p.non_capital) < 1
    if key == "sites.relocation_months":
        return cfg.sites.relocation_p > 0
    if key == "install.replace_days":
        return cfg.install.burnin_fail_p > 0
    return True


def _with(cfg: Config, dotted: str, value) -> Config:
    """A copy of ``cfg`` with one value changed (the groups on the way copied, not shared)."""
    head, _, rest = dotted.partition(".")
    if not rest:
        return replace(cfg, **{head: value})
    return replace(cfg, **{head: _with(getattr(cfg, head), rest, value)})


def drivers(cfg: Config, seed_data: SeedData, base: MonteCarlo, n_jobs: int,
            progress: bool) -> pd.DataFrame:
    """Tornado: the shift in the P50 all-operational date when each risk is held central.

    Each variant reruns the first ``mc.driver_replications`` replications with the same
    random numbers. Also the rank correlation of each input (its mean over entities, per
    replication) with the all-operational date, over all replications.
    """
    n = min(cfg.mc.driver_replications, cfg.mc.replications)
    variants = risks(cfg)
    if not variants or n == 0:
        return pd.DataFrame(columns=["risk", "effect_days", "p50_all_operational_day",
                                     "p50_held_central_day", "rank_correlation"])
    base_days = base.replications["all_operational_day"].to_numpy()[:n]
    base_p50 = float(np.percentile(base_days, 50, method="inverted_cdf"))
    keys = [key for key in variants for _ in chunks(n, n_jobs)]
    tasks = [(variants[key], r, None) for key, r in zip(keys, chunks(n, n_jobs) * len(variants))]
    held_days: dict[str, list[float]] = {key: [] for key in variants}
    for number, chunk in run_many(tasks, seed_data, n_jobs, progress,
                                  f"{cfg.scenario}: drivers"):
        held_days[keys[number]] += [rep.headline["all_operational_day"] for rep in chunk]
    rows = []
    for key, days in held_days.items():
        p50 = float(np.percentile(days, 50, method="inverted_cdf"))
        rows.append({"risk": key, "effect_days": base_p50 - p50,
                     "p50_all_operational_day": base_p50, "p50_held_central_day": p50,
                     "rank_correlation": _rank_correlation(base.replications,
                                                           _input_columns(key, seed_data))})
    out = pd.DataFrame(rows)
    out = out.reindex(out["effect_days"].abs().sort_values(ascending=False, kind="stable").index)
    return out.reset_index(drop=True)


def _input_columns(key: str, seed_data: SeedData) -> list[str]:
    """The columns of the replications table that hold the draws of risk ``key``."""
    if key.startswith("sites.slip_months_by_site."):
        return [f"sites.slip_months[{key.rsplit('.', 1)[1]}]"]
    if key.startswith("power.approval_p."):
        region = key.rsplit(".", 1)[1]
        return [f"power.approval_p[{s.id}]" for s in seed_data.sites if s.region == region]
    return [key]


def _rank_correlation(table: pd.DataFrame, names: list[str]) -> float:
    """Spearman correlation of an input (its mean over entities) with the all-operational day."""
    columns = [c for c in table.columns if c in names or c.split("[", 1)[0] in names]
    if not columns or len(table) < 3:
        return float("nan")
    values = table[columns].mean(axis=1)
    if values.nunique() < 2 or table["all_operational_day"].nunique() < 2:
        return float("nan")
    return float(values.rank().corr(table["all_operational_day"].rank()))


# --- a study: the replications, the representative run, the drivers -----------------------

@dataclass
class Study:
    """Everything a run of ``python -m sim`` computes for one config."""

    representative: object
    """The :class:`~sim.model.RunOutput` of the representative replication."""
    mc: MonteCarlo
    drivers: pd.DataFrame
    targets: dict[str, tuple[str, date]]
    """Per recipient and total: the target its full allocation is measured against."""


def targets(seed_data: SeedData) -> dict[str, tuple[str, date]]:
    """The government's own 50k by 2030; all 260k by 2030; each firm by its announced sites."""
    gov_gpus, gov_date = metrics.GOVERNMENT_TARGET
    found = {metrics.TOTAL: ("all by 2030-12-31", date(2030, 12, 31))}
    for a in seed_data.allocations:
        dates = [p.ready for s in seed_data.sites if s.recipient == a.recipient for p in s.phases]
        if a.recipient == "government":
            found[a.recipient] = (f"{gov_gpus:,} by {gov_date}", gov_date)
        elif dates:
            found[a.recipient] = ("by its sites' announced dates", max(dates))
    return found


def run_study(cfg: Config, seed_data: SeedData) -> Study:
    """Replications, their representative re-run in full, and (if asked) the drivers."""
    from joblib import effective_n_jobs

    n_jobs = effective_n_jobs(cfg.mc.n_jobs)
    days = metrics.weeks(seed_data, cfg)
    mc = run(cfg, seed_data, days, n_jobs=n_jobs, progress=cfg.mc.progress)
    table = drivers(cfg, seed_data, mc, n_jobs, cfg.mc.progress) if cfg.mc.drivers else \
        pd.DataFrame()
    return Study(simulate(cfg, seed_data, replication=mc.representative), mc, table,
                 targets(seed_data))


def band_columns(study: Study) -> pd.DataFrame:
    """``<series>_p10/_p50/_p90/_mean`` columns, rows in :func:`metrics.timeseries` order."""
    bands = study.mc.bands
    stats = {name: bands.quantile(q) for name, q in QUANTILES.items()}
    stats["mean"] = bands.mean()
    return pd.DataFrame({f"{series}_{name}": values[k].ravel()
                         for k, series in enumerate(metrics.SERIES)
                         for name, values in stats.items()})


def milestone_columns(study: Study, table: pd.DataFrame) -> pd.DataFrame:
    """P-dates and the odds of meeting each recipient's target, beside each milestone."""
    from sim.calendar import to_date, to_day

    days = study.mc.milestone_days
    out = table.copy()
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
    return out


def summary_block(study: Study, milestones: pd.DataFrame) -> dict:
    """The Monte Carlo part of ``summary.json``."""
    from sim.calendar import to_date

    all_days = study.mc.milestone_days[f"{metrics.TOTAL}:100%"].to_numpy(float)
    full = milestones[milestones["milestone"] == "100%"].set_index("recipient")

    def when(q):
        d = percentile_days(all_days, q)
        return None if math.isnan(d) else to_date(d).isoformat()

    return {
        "replications": len(study.mc.replications),
        "representative_replication": study.mc.representative,
        "all_operational": {name: when(q) for name, q in MILESTONE_QUANTILES.items()},
        "all_operational_days_after_2030_p50": metrics.days_after(
            None if math.isnan(p50 := percentile_days(all_days, 0.5)) else p50,
            metrics.DEADLINE, study.representative.horizon_day),
        "p_all_operational_by_2030_12_31": full.loc[metrics.TOTAL, "p_by_target"],
        "p_government_50k_by_2030_12_31": full.loc["government", "p_by_target"],
        "p_full_by_target": {r: full.loc[r, "p_by_target"] for r in full.index},
        "top_drivers": study.drivers.head(3)[["risk", "effect_days"]].to_dict("records")
        if len(study.drivers) else [],
    }
