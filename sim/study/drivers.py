"""Drivers: which uncertain input moves the P50 all-operational date most.

A tornado by single-pass exclusion, as schedule-risk tools do it: each risk in turn is held
central (a distribution at its median) or excluded (the probability of a risk event at the
value that rules it out: approval certain, no relocation, no burn-in failure), and the first
``mc.driver_replications`` replications are run again with the same random numbers. What
counts as a risk, how to hold it and whether it matters in a config is read from the config
fields' rules (:mod:`sim.model.params`), not from a list of its own.

Each effect is the paired difference of P50s over those replications (with the risk, less
held central), and comes with a 90 % bootstrap interval over the same pairs: a bar whose
interval spans zero is sampling noise. The tornado is drawn around the headline P50 (over
all replications), the date the terminal prints.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.model.distributions import Fixed
from sim.model.params import get, rules, with_value
from sim.model.seeds import SeedData
from sim.study.montecarlo import MonteCarlo, chunks, run_many


def risks(cfg) -> dict[str, object]:
    """Each uncertain input that matters in ``cfg``, mapped to ``cfg`` with it held central
    (uncertain inputs, then one site's own slips, then risk events excluded)."""
    found: dict[str, object] = {}
    every = list(rules(cfg))
    for key, rule in every:
        dist = get(cfg, key)
        if rule.kind == "uncertain" and not isinstance(dist, Fixed) and \
                (rule.matters is None or rule.matters(cfg)):
            found[key] = with_value(cfg, key, Fixed(float(dist.ppf(0.5))))
    for key, rule in every:
        if rule.kind == "per_entity":
            table = get(cfg, key)
            for site, dist in table.items():
                if not isinstance(dist, Fixed):
                    found[f"{key}.{site}"] = with_value(
                        cfg, key, {**table, site: Fixed(float(dist.ppf(0.5)))})
    for key, rule in every:
        if rule.excluded is not None and get(cfg, key) != rule.excluded:
            found[key] = with_value(cfg, key, rule.excluded)
    return found


def drivers(cfg, seed_data: SeedData, base: MonteCarlo, n_jobs: int,
            progress: bool) -> pd.DataFrame:
    """Tornado: the shift in the P50 all-operational date when each risk is held central.

    Each variant reruns the first ``mc.driver_replications`` replications with the same
    random numbers. Also the rank correlation of each input (its mean over entities, per
    replication) with the all-operational date, over all replications.
    """
    n = min(cfg.mc.driver_replications, cfg.mc.replications)
    variants = risks(cfg)
    if not variants or n == 0:
        return pd.DataFrame(columns=COLUMNS)
    all_days = base.replications["all_operational_day"].to_numpy()
    headline_p50 = float(np.percentile(all_days, 50, method="inverted_cdf"))
    base_days = all_days[:n]
    resamples = np.random.default_rng([cfg.seed, BOOTSTRAP_STREAM]).integers(
        0, n, size=(BOOTSTRAP, n))
    keys = [key for key in variants for _ in chunks(n, n_jobs)]
    tasks = [(variants[key], r, None) for key, r in zip(keys, chunks(n, n_jobs) * len(variants))]
    held_days: dict[str, list[float]] = {key: [] for key in variants}
    for number, chunk in run_many(tasks, seed_data, n_jobs, progress,
                                  f"{cfg.scenario}: drivers"):
        held_days[keys[number]] += [rep.headline["all_operational_day"] for rep in chunk]
    rows = []
    for key, days in held_days.items():
        effect, low, high = paired_effect(base_days, np.asarray(days, float), resamples)
        rows.append({"risk": key, "effect_days": effect, "effect_low_days": low,
                     "effect_high_days": high, "p50_all_operational_day": headline_p50,
                     "p50_held_central_day": headline_p50 - effect,
                     "driver_replications": n,
                     "rank_correlation": _rank_correlation(base.replications,
                                                           _input_columns(key, seed_data))})
    out = pd.DataFrame(rows, columns=COLUMNS)
    out = out.reindex(out["effect_days"].abs().sort_values(ascending=False, kind="stable").index)
    return out.reset_index(drop=True)


COLUMNS = ["risk", "effect_days", "effect_low_days", "effect_high_days",
           "p50_all_operational_day", "p50_held_central_day", "driver_replications",
           "rank_correlation"]
BOOTSTRAP = 2000
"""Bootstrap resamples of the paired replications, for each effect's interval."""
BOOTSTRAP_STREAM = 7_919
"""Keys the bootstrap's random numbers apart from the model's (with the seed)."""


def p50(days: np.ndarray, axis=None):
    return np.percentile(days, 50, axis=axis, method="inverted_cdf")


def paired_effect(base: np.ndarray, held: np.ndarray, resamples: np.ndarray
                  ) -> tuple[float, float, float]:
    """``P50(base) - P50(held)`` over paired replications, and its 90 % bootstrap interval
    (``resamples``: rows of replication indices drawn with replacement, shared by both)."""
    effect = float(p50(base) - p50(held))
    boot = p50(base[resamples], axis=1) - p50(held[resamples], axis=1)
    low, high = np.percentile(boot, [5, 95])
    return effect, float(low), float(high)


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
