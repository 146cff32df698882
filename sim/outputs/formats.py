"""How numbers read in the terminal, the tables and the report: one place, so that a figure
reads the same everywhere.

A probability is a percentage with its 95 % Wilson interval, ``21 % (14-30 %)``: the share
of ``n`` replications, and where the true share lies, given them. Unlike ``p ± s.e.``, the
interval is honest near 0 % and 100 %, where the headline odds sit: with none or all of the
replications it says so and still gives an interval (``0 % (0 of 100; 0-4 %)``). A date
not reached by the horizon reads ``after the horizon``; a figure that is
not defined reads ``not defined yet (why)`` (:mod:`sim.study.undefined`).
"""

from __future__ import annotations

import math

from sim.study.headline import OWN_COUNT, OWN_P
from sim.study.scores import wilson
from sim.study.targets import P_OWN_TARGET
from sim.study.undefined import NOT_DEFINED, is_undefined, said


def percent(p: float | None, n: int) -> str:
    """``21 % (14-30 %)``; ``0 % (0 of 100; 0-4 %)`` at the ends."""
    if is_undefined(p):
        return said(p)
    if p is None or (isinstance(p, float) and math.isnan(p)):
        return "-"
    low, high = wilson(round(p * n), n) or (math.nan, math.nan)
    span = f"{100 * low:.0f}-{100 * high:.0f} %"
    if p <= 0 or p >= 1:
        return f"{100 * p:.0f} % ({round(p * n)} of {n}; {span})"
    return f"{100 * p:.0f} % ({span})"


def signed_days(days: float) -> str:
    """A shift in days, signed: ``+214 d``, ``-49 d``, ``0 d``."""
    rounded = round(days)
    return "0 d" if rounded == 0 else f"{rounded:+,.0f} d"


def date_or(when, missing: str = "after the horizon") -> str:
    """An ISO date, or ``missing`` where there is none (None, NaN or empty)."""
    if when is None or (isinstance(when, float) and math.isnan(when)) or when == "":
        return missing
    return str(when)


def gpus(value: float | None) -> str:
    return "-" if value is None else f"{value:,.0f}"


def won(value: float | None) -> str:
    return "-" if value is None else f"{value / 1e12:,.2f} trillion won"


def number(value, unit: str) -> str:
    """A headline figure in its unit, as a reader wants it."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    if unit == "won":
        return f"{value / 1e12:,.2f} tn"
    if unit in ("GPUs", "GPU-months", "MW"):
        return f"{value:,.1f}" if unit == "MW" else f"{value:,.0f}"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.1f}"
    return f"{value:,.0f}"


HEADLINE_LABELS = {
    "all_operational_date": "all GPUs operational",
    "all_operational_days_after_2030": "all GPUs operational: days after 2030-12-31",
    "operational_2030_12_31": "GPUs operational on 2030-12-31",
    "peak_waiting_gpus": "peak GPUs waiting for power",
    "stranded_gpus": "GPUs stranded without power at the horizon",
    "unshipped_gpus_at_horizon": "GPUs not shipped by the horizon",
    "idle_gpu_months": "idle GPU-months (arrived, waiting for power)",
    "idle_value_won": "value of the idle GPU-months (won)",
    "mw_drawn_at_horizon": "MW drawn at the horizon",
    "p_all_operational_by_2030_12_31": "P(all GPUs operational by 2030-12-31)",
    P_OWN_TARGET: "P(a recipient's own target met)",
}
"""Each headline figure of every run as a reader names it (with its unit where it has one);
an own target's: :func:`headline_label`."""


def headline_label(key: str) -> str:
    """A headline figure as a reader names it: ``P(government 50k operational by
    2030-12-31)``, ``government GPUs operational on 2030-12-31`` for an own target's."""
    if key in HEADLINE_LABELS:
        return HEADLINE_LABELS[key]
    odds, count = OWN_P.fullmatch(key), OWN_COUNT.fullmatch(key)
    if odds:
        return (f"P({odds['recipient']} {odds['gpus']} operational by "
                f"{odds['by'].replace('_', '-')})")
    if count:
        return f"{count['recipient']} GPUs operational on {count['by'].replace('_', '-')}"
    return key


def short_statistic(text: str) -> str:
    """``P50 of 100 replications`` -> ``P50``; ``share of ...`` -> ``%``; a replication's ->
    ``one replication``; a figure not defined in the first run that has it -> ``-`` (its
    cells say why)."""
    if text.startswith(NOT_DEFINED):
        return "-"
    if text.startswith("P50"):
        return "P50"
    if text.startswith("share"):
        return "% (95 %)"
    return "one replication" if text.startswith("replication") else text


def pairs(drivers) -> str:
    """How many paired replications the risks of a drivers table were re-run with: ``20``,
    or ``3 to 20`` where the budget gave some more than others (those not re-run aside)."""
    counts = [int(n) for n in drivers["driver_replications"] if n > 0] if len(drivers) else []
    if not counts:
        return "0"
    low, high = min(counts), max(counts)
    return f"{low}" if low == high else f"{low} to {high}"


def cell(value, delta, unit: str, base: bool, n, statistic: str = "") -> str:
    """A comparison table's cell: a run's figure in its unit, and (unless it is the first
    run, ``base``) its difference from the first run's in brackets; a figure the run does
    not define says so, with why (its ``statistic``: ``not defined yet (why)``)."""
    if statistic.startswith(NOT_DEFINED):
        return statistic
    missing = _missing(value)
    if missing:
        text = "after the horizon" if unit == "days" else "-"
    elif unit == "probability":
        text = percent(value, int(n)) if n and not _missing(n) else f"{value:.0%}"
    elif isinstance(value, (int, float)):
        text = number(value, unit)
    else:
        text = str(value)
    if base or _missing(delta):
        return text
    if unit == "probability":
        return f"{text} ({100 * delta:+.0f} pp)"
    sign = "+" if delta > 0 else ""
    return f"{text} ({sign}{number(delta, unit)}{' d' if unit == 'days' else ''})"


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def described(t):
    """A row per figure with its label and statistic, from the first run that defines it
    (a figure no run defines keeps its ``not defined yet``). ``t``: the long table of
    :func:`sim.outputs.compare.table`, a frame."""
    import pandas as pd

    defined = ~t["statistic"].astype(str).str.startswith(NOT_DEFINED)
    ordered = pd.concat([t[defined], t[~defined]]).drop_duplicates("figure")
    return ordered.set_index("figure").loc[list(dict.fromkeys(t["figure"]))]
