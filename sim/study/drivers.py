"""Drivers: which uncertain input moves the P50 all-operational date most.

A tornado by single-pass exclusion, as schedule-risk tools do it: each risk in turn is held
central (a distribution at its median) or excluded (the probability of a risk event at the
value that rules it out: approval certain, no relocation, no burn-in failure), and its first
replications are run again with the same random numbers. What counts as a risk, how to hold
it and whether it matters in a config is read from the config fields' rules
(:mod:`sim.model.params`), not from a list of its own.

Drivers cost what they are worth: the baseline of each pair is the study's own replication
(never re-run), and ``mc.driver_budget`` replications per study replication are spent
where the intervals are widest (:func:`allocate`), up to ``mc.driver_replications`` per
risk; a risk that moves nothing in its first few pairs gets no more. A quick look (few
replications) gets a rough tornado quickly, a long study a sharp one.

Each effect is the paired difference of P50s over those replications (with the risk, less
held central), and comes with a 90 % bootstrap interval over the same pairs: a bar whose
interval spans zero is sampling noise. The tornado is drawn around the headline P50 (over
all replications), the date the terminal prints.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from sim.distributions import Fixed
from sim.model.draws import columns_of
from sim.model.params import get, rules, with_value
from sim.seeds.data import SeedData
from sim.study.montecarlo import MonteCarlo, chunks, run_chunk
from sim.study.workers import Pool


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


def drivers(cfg, seed_data: SeedData, base: MonteCarlo, pool: Pool, progress: bool
            ) -> pd.DataFrame:
    """Tornado: the shift in the P50 all-operational date when each risk is held central.

    Each risk reruns its first replications with the same random numbers, as many as
    :func:`allocate` gives it out of the budget. Also the rank correlation of each input
    (its mean over entities, per replication) with the all-operational date, over all the
    study's replications.
    """
    variants = risks(cfg)
    n = min(cfg.mc.driver_replications, len(base.replications))
    if not variants or n == 0:
        return pd.DataFrame(columns=COLUMNS)
    all_days = base.replications["all_operational_day"].to_numpy()
    headline_p50 = float(np.percentile(all_days, 50, method="inverted_cdf"))
    budget = math.ceil(cfg.mc.driver_budget * len(base.replications))
    table = base.replications
    correlation = {key: _rank_correlation(table, columns_of(key, table.columns))
                   for key in variants}
    screened = sorted(variants, key=lambda k: -abs(np.nan_to_num(correlation[k])))
    held = allocate(screened, all_days, n, budget, cfg.seed,
                    lambda tasks: _rerun(tasks, variants, seed_data, pool, progress,
                                         cfg.scenario))
    rows = []
    for key in variants:
        days = held.get(key, np.zeros(0))
        effect, low, high = paired_effect(all_days[:len(days)], days,
                                          resamples(cfg.seed, len(days))) if len(days) \
            else (math.nan, math.nan, math.nan)
        rows.append({"risk": key, "effect_days": effect, "effect_low_days": low,
                     "effect_high_days": high, "p50_all_operational_day": headline_p50,
                     "p50_held_central_day": headline_p50 - effect,
                     "driver_replications": len(days),
                     "rank_correlation": correlation[key]})
    out = pd.DataFrame(rows, columns=COLUMNS)
    out = out.reindex(out["effect_days"].abs().sort_values(ascending=False, kind="stable").index)
    return out.reset_index(drop=True)


FIRST = 3
"""Replications every risk is re-run with first: enough to see whether it moves anything."""
STEP = 5
"""Replications a risk gets in each later round of :func:`allocate`."""
WIDEST = 4
"""Risks that get more replications in each round: those with the widest intervals."""
MIN_PAIRS = 2
"""The fewest paired replications a risk is re-run with: one pair has no spread, so its
bootstrap interval would be the shift itself, a certainty it does not have."""
MIN_RANKED_PAIRS = 10
"""The fewest pairs whose interval can tell a shift from noise: below it a bootstrap's
percentiles are a few of the pairs' own values, so a risk is drawn grey and never named as
a driver (the figure and the report say so)."""


def ranked(drivers: pd.DataFrame) -> pd.Series:
    """Which risks a reader may be told drive the date: re-run with enough pairs
    (:data:`MIN_RANKED_PAIRS`), with an interval clear of 0."""
    if not len(drivers):
        return pd.Series(dtype=bool)
    return (drivers["driver_replications"] >= MIN_RANKED_PAIRS) & (
        (drivers["effect_low_days"] > 0) | (drivers["effect_high_days"] < 0))


def allocate(screened: list[str], base_days: np.ndarray, most: int, budget: int, seed: int,
             rerun) -> dict[str, np.ndarray]:
    """Each risk's all-operational days with it held central, over its first replications.

    Risks come ``screened``: the most promising first (the study's own replications rank
    them, at no cost). Each gets :data:`FIRST` replications (or ``most``, if fewer) while
    the budget of replications allows (a risk the budget does not reach is not re-run);
    then, while the budget lasts, the :data:`WIDEST` risks whose 90 % interval of the shift
    is widest get :data:`STEP` more each, up to ``most``: the budget goes where the answer
    is least certain, and a risk that moves nothing costs no more. ``rerun(tasks)`` runs
    ``[(risk, replications)]`` and returns their days, in order. The rounds depend only on
    the results, never on the worker count. With ``most`` under :data:`MIN_PAIRS` (a study
    of one replication) no risk is re-run.
    """
    if most < MIN_PAIRS:
        return {}
    first = min(FIRST, most)
    reached = screened[:budget // first]
    held = dict(zip(reached, rerun([(key, range(first)) for key in reached])))
    spent = first * len(reached)
    while spent < budget:
        width = {key: _width(base_days, days, seed) for key, days in held.items()
                 if len(days) < most}
        widest = [k for k in sorted(width, key=lambda k: -width[k]) if width[k] > 0][:WIDEST]
        if not widest:
            break
        tasks = []
        for key in widest:
            extra = min(STEP, most - len(held[key]), budget - spent)
            if extra <= 0:
                break
            tasks.append((key, range(len(held[key]), len(held[key]) + extra)))
            spent += extra
        for (key, _), days in zip(tasks, rerun(tasks)):
            held[key] = np.concatenate([held[key], days])
    return held


def _width(base_days: np.ndarray, days: np.ndarray, seed: int) -> float:
    _, low, high = paired_effect(base_days[:len(days)], days, resamples(seed, len(days)))
    return high - low


def _rerun(tasks: list[tuple[str, range]], variants: dict, seed_data: SeedData, pool: Pool,
           progress: bool, scenario: str) -> list[np.ndarray]:
    """The all-operational days of each ``(risk, replications)``, run on ``pool``."""
    pieces = [(key, range(wanted.start + part.start, wanted.start + part.stop))
              for key, wanted in tasks for part in chunks(len(wanted))]
    work = [(variants[key], seed_data, indices, None) for key, indices in pieces]
    found: dict[str, list] = {key: [] for key, _ in tasks}
    for (key, indices), chunk in zip(pieces, pool.run(run_chunk, work, progress=progress,
                                                      units=[len(r) for _, r in pieces],
                                                      label=f"{scenario}: drivers")):
        found[key] += list(chunk.headline["all_operational_day"])
    return [np.asarray(found[key], dtype=float) for key, _ in tasks]


def resamples(seed: int, n: int) -> np.ndarray:
    """Rows of ``n`` replication indices drawn with replacement, for a bootstrap over ``n``
    pairs: the same for every risk with ``n`` pairs, and on every run with this seed."""
    return np.random.default_rng([seed, BOOTSTRAP_STREAM, n]).integers(0, n, size=(BOOTSTRAP, n))


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
    # a percentile interval need not hold the sample's own estimate; the tornado draws each
    # bar's error bar from it, so it is widened to hold it where it would not
    return effect, float(min(low, effect)), float(max(high, effect))


def _rank_correlation(table: pd.DataFrame, columns: list[str]) -> float:
    """Spearman correlation of an input (its mean over entities: ``columns``) with the
    all-operational day."""
    if not columns or len(table) < 3:
        return float("nan")
    values = table[columns].mean(axis=1)
    if values.nunique() < 2 or table["all_operational_day"].nunique() < 2:
        return float("nan")
    return float(values.rank().corr(table["all_operational_day"].rank()))
