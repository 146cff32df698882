"""Swings: each uncertain input at its low and at its high, one at a time, the config
otherwise as it is, with common random numbers.

Which inputs are uncertain is the drivers' answer (:func:`sim.study.drivers.risks`: the
uncertain inputs that act in the config, each entity's own, the probabilities of risk
events) and every dated assumption in force that is not a fact (its revision states a
range, :mod:`sim.model.dated`). An input's two ends are the range its dated revision states,
where that range is written as a machine can read it (``24-54 months``, ``0.1-0.4``,
``2026-10-01 to 2027-06-30``, ``median 2-4, p90 12-15 months`` for a lognormal delay); else
the P10 and P90 of its distribution. A number with neither (a probability whose range is
only in a comment) is skipped, and so is an input that does not act in the config; the
table says why.

Each end is run over the same replications with the same seed: replication ``i`` of both
shares every draw but that input's (:mod:`sim.study.montecarlo`), so the pair's difference
is the input's own. For the P50 day all GPUs are operational, P(all by 2030-12-31) and each
recipient's own target (the government's 50k by 2030), the swing is high minus low, with a
90 % paired bootstrap interval: the replications are resampled, the same indices for both
ends. A P50 past the horizon counts as the day after it, so a swing that reaches past it is
at least what it says (``p50_swing_censored``); with both ends' P50 past it, the P50 swing is
not defined (NaN, sorted last).

Left out: interactions (one input at a time), and inputs whose range only a comment states.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sim import distributions
from sim.calendar import parse_date, to_day
from sim.distributions import Fixed, LogNormal
from sim.errors import InputError
from sim.model.params import Rule, get, label, rules, with_value
from sim.study.drivers import p50, resamples, risks
from sim.study.history import headline_rows
from sim.study.montecarlo import chunks
from sim.study.targets import DEADLINE, own_targets
from sim.study.workers import Pool

P_ALL = f"p_all_operational_by_{DEADLINE:%Y_%m_%d}"
STATED, PERCENTILES = "stated range", "P10 and P90"
_NUM = r"\d+(?:\.\d+)?"
_DATE = r"\d{4}-\d{2}-\d{2}"
_UNIT = r"([^\d;]*)"
"""What may follow a range's numbers: a unit in words (``months``, ``kW``), no other number."""
_PAIR = re.compile(rf"\s*({_NUM})\s*(?:-|to)\s*({_NUM})\s*{_UNIT}")
_DATES = re.compile(rf"\s*({_DATE})\s+to\s+({_DATE})\s*")
_MEDIAN_P90 = re.compile(rf"\s*median\s+({_NUM})\s*-\s*({_NUM})\s*,\s*p90\s+({_NUM})\s*-\s*"
                         rf"({_NUM})\s*{_UNIT}")


@dataclass(frozen=True)
class Ends:
    """An input's two ends as config values (a number, a distribution, a date)."""

    key: str
    low: object
    high: object
    source: str
    """:data:`STATED` (with the ``stated`` text) or :data:`PERCENTILES`."""
    stated: str = ""


@dataclass(frozen=True)
class Skipped:
    key: str
    why: str


def _rule_of(cfg, key: str) -> tuple[Rule, object]:
    """The rule of ``key`` (an entity's entry takes its table's) and its value."""
    found = dict(rules(cfg))
    if key in found:
        return found[key], get(cfg, key)
    table, _, entity = key.rpartition(".")
    return found[table], get(cfg, table)[entity]


def uncertain(cfg, used: dict) -> list[str]:
    """The uncertain inputs of ``cfg``: the drivers' risks, then the dated assumptions in
    force (``used``: key to revision) that are not facts, in config order."""
    keys = list(risks(cfg))
    idle = {s.key for s in not_acting(cfg)}
    dated = [key for key, revision in used.items() if revision.basis != "fact"]
    return keys + [k for k in dated if k not in keys and k not in idle]


def not_acting(cfg) -> list[Skipped]:
    """The uncertain inputs that do not act in ``cfg`` (their rule says so: a deal that is
    off), skipped."""
    return [Skipped(key, "does not act in this config")
            for key, rule in rules(cfg) if rule.kind == "uncertain" and rule.matters is not None
            and not isinstance(get(cfg, key), Fixed) and not rule.matters(cfg)]


def stated(key: str, text: str, rule: Rule, value) -> tuple[object, object] | None:
    """The two ends of the range ``text`` as config values of ``key``, or None if it is not
    written as a machine reads it; ends outside what the key takes are refused."""
    if rule.kind == "day":
        found = _DATES.fullmatch(text)
        if not found:
            return None
        low, high = (parse_date(key, d) for d in found.groups())
        return (low.isoformat(), high.isoformat()) if low <= high else None
    pair = _PAIR.fullmatch(text)
    lognormal = _MEDIAN_P90.fullmatch(text)
    if pair and rule.kind == "number":
        low, high = float(pair.group(1)), float(pair.group(2))
        if not rule.low <= low <= high <= rule.high:
            raise InputError(key, f"its range {text!r} is outside [{rule.low:g}, {rule.high:g}]")
        return low, high
    if rule.kind not in ("uncertain", "per_entity"):
        return None
    if pair:
        ends = [distributions.parse(key, float(pair.group(n)), low=rule.low, high=rule.high)
                for n in (1, 2)]
    elif lognormal and isinstance(value, LogNormal):
        m1, m2, q1, q2 = (float(g) for g in lognormal.groups()[:4])
        ends = [distributions.parse(key, f"lognormal(median={m}, p90={q})", low=rule.low,
                                    high=rule.high) for m, q in ((m1, q1), (m2, q2))]
    else:
        return None
    return tuple(ends) if float(ends[0].ppf(0.5)) <= float(ends[1].ppf(0.5)) else None


def ends_of(cfg, key: str, revision) -> Ends | Skipped:
    """``key``'s two ends (:func:`stated`, else P10 and P90), or why it has none."""
    rule, value = _rule_of(cfg, key)
    text = revision.range.strip() if revision is not None else ""
    try:
        found = stated(key, text, rule, value) if text else None
    except InputError as ex:
        return Skipped(key, str(ex))
    if found is not None:
        return Ends(key, *found, STATED, text)
    if rule.kind in ("uncertain", "per_entity") and not isinstance(value, Fixed):
        return Ends(key, Fixed(float(value.ppf(0.1))), Fixed(float(value.ppf(0.9))),
                    PERCENTILES)
    why = f"its stated range {text!r} is not two numbers" if text else \
        "one number, with no range stated in a dated revision (range:)"
    return Skipped(key, why)


def set_value(cfg, key: str, value):
    """``cfg`` with ``key`` (or one entity's entry of a table) at ``value``."""
    found = dict(rules(cfg))
    if key in found:
        return with_value(cfg, key, value)
    table, _, entity = key.rpartition(".")
    return with_value(cfg, table, {**get(cfg, table), entity: value})


def plan(cfg, used: dict, keys: list[str] | None = None) -> tuple[list[Ends], list[Skipped]]:
    """What to swing in ``cfg`` (its :func:`uncertain` inputs, or those of ``keys``) and
    what is skipped, with why. A key of ``keys`` that is no uncertain input is refused."""
    every = uncertain(cfg, used)
    idle = not_acting(cfg)
    if keys is not None:
        known = set(every) | {s.key for s in idle}
        wrong = [k for k in keys if k not in known]
        if wrong:
            raise InputError("--keys", f"{wrong[0]!r} is not an uncertain input of this "
                                       f"config; known: {', '.join(every)}")
        every = [k for k in every if k in keys]
        idle = [s for s in idle if s.key in keys]
    found = [ends_of(cfg, key, used.get(key)) for key in every]
    return [e for e in found if isinstance(e, Ends)], \
        [e for e in found if isinstance(e, Skipped)] + idle


def shown(value) -> str:
    """An end as a reader reads it: ``24``, ``2.61``, ``lognormal(median=2, p90=12)``."""
    if isinstance(value, Fixed):
        return f"{value.value:.3g}"
    if isinstance(value, (int, float)):
        return f"{value:g}"
    return value if isinstance(value, str) else distributions.text(value)


def run(cfg, seed_data, ends: list[Ends], replications: int, pool: Pool | None = None,
        progress: bool = False) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Each input's per-replication results (:func:`sim.study.history.headline_rows`) at its
    low and at its high, on the same replications; all runs in one batch of tasks."""
    configs = [set_value(cfg, e.key, v) for e in ends for v in (e.low, e.high)]
    parts = chunks(replications)
    work = [(c, seed_data, r) for c in configs for r in parts]
    done = list((pool or Pool()).run(headline_rows, work, progress=progress,
                                     units=[len(r) for _, _, r in work], label="swings"))
    per = [np.vstack(done[k * len(parts):(k + 1) * len(parts)]) for k in range(len(configs))]
    return {e.key: (per[2 * n], per[2 * n + 1]) for n, e in enumerate(ends)}


def paired(low: np.ndarray, high: np.ndarray, stat, picks: np.ndarray
           ) -> tuple[float, float, float]:
    """``stat(high) - stat(low)`` and its 90 % bootstrap interval: ``picks`` are rows of
    replication indices, the same for both ends (they are pairs)."""
    swing = float(stat(high) - stat(low))
    boot = stat(high[picks], axis=1) - stat(low[picks], axis=1)
    lo, hi = np.percentile(boot, [5, 95])
    return swing, float(lo), float(hi)


def _share(values: np.ndarray, axis=None):
    return np.mean(values, axis=axis)


def row(cfg, seed_data, e: Ends, low: np.ndarray, high: np.ndarray, seed: int) -> dict:
    """One input's row of the swings table (``low``, ``high``: rows per replication of the
    all-operational day, inf if never, and 1/0 per own target met)."""
    after = to_day(cfg.horizon_date) + 1
    days = [np.where(np.isfinite(x[:, 0]), x[:, 0], after) for x in (low, high)]
    picks = resamples(seed, len(low))
    ends = [float(p50(d)) for d in days]
    swing, s_lo, s_hi = paired(*days, p50, picks) if min(ends) < after else (math.nan,) * 3
    out = {"input": e.key, "input_label": label(type(cfg), e.key), "low": shown(e.low),
           "high": shown(e.high), "ends": e.source, "stated_range": e.stated,
           "p50_low_day": ends[0] if ends[0] < after else math.nan,
           "p50_high_day": ends[1] if ends[1] < after else math.nan,
           "p50_swing_days": swing, "p50_swing_low_days": s_lo, "p50_swing_high_days": s_hi,
           "p50_swing_censored": bool(max(ends) >= after)}
    met = [(P_ALL, [(d <= to_day(DEADLINE)).astype(float) for d in days])]
    met += [(t.p_key, [x[:, 1 + k] for x in (low, high)])
            for k, t in enumerate(own_targets(seed_data))]
    for name, (a, b) in met:
        s, s_lo, s_hi = paired(a, b, _share, picks)
        out.update({f"{name}_low": float(a.mean()), f"{name}_high": float(b.mean()),
                    f"{name}_swing": s, f"{name}_swing_low": s_lo, f"{name}_swing_high": s_hi})
    out["replications"] = len(low)
    return out


def swings(cfg, seed_data, used: dict, replications: int, keys: list[str] | None = None,
           pool: Pool | None = None, progress: bool = False
           ) -> tuple[pd.DataFrame, list[Skipped]]:
    """The swings table, largest |P50 swing| first (not defined: last), and the inputs
    skipped."""
    ends, skipped = plan(cfg, used, keys)
    results = run(cfg, seed_data, ends, replications, pool, progress)
    table = pd.DataFrame([row(cfg, seed_data, e, *results[e.key], cfg.seed) for e in ends])
    if len(table):
        table = table.reindex(table["p50_swing_days"].abs()
                              .sort_values(ascending=False, kind="stable").index)
    return table.reset_index(drop=True), skipped
