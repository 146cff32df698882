"""The headline figures of a run as one flat row: for sweeps, comparisons and goal seek.

Every run has the figures of :data:`HEADLINE_UNITS`; the recipients' own targets add theirs
(:class:`sim.study.targets.RecipientTarget`), named from the seed files' data:
``p_government_50k_by_2030_12_31`` and ``government_operational_2030_12_31`` with the
project's seeds. :func:`units` gives a summary's figures in table order. A figure that is
not defined for a run (:mod:`sim.study.undefined`) is None in the row, and
:func:`reasons` says why.

Kept apart from the tables so that checking an ``objective`` does not load pandas.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from sim.errors import InputError
from sim.study.targets import DEADLINE, P_OWN_TARGET, RecipientTarget
from sim.study.undefined import is_undefined, plain, reason

HEADLINE_UNITS = {
    "all_operational_date": "days",
    "all_operational_days_after_2030": "days",
    "operational_2030_12_31": "GPUs",
    "peak_waiting_gpus": "GPUs",
    "stranded_gpus": "GPUs",
    "unshipped_gpus_at_horizon": "GPUs",
    "idle_gpu_months": "GPU-months",
    "idle_value_won": "won",
    "mw_drawn_at_horizon": "MW",
    "p_all_operational_by_2030_12_31": "probability",
}
"""The headline figures of every run and the unit of a difference between two runs."""
OWN_P = re.compile(r"p_(?P<recipient>[A-Za-z][\w-]*)_(?P<gpus>\d+k?)_by_"
                   r"(?P<by>\d{4}_\d{2}_\d{2})")
OWN_COUNT = re.compile(r"(?P<recipient>[A-Za-z][\w-]*)_operational_(?P<by>\d{4}_\d{2}_\d{2})")
"""The names of an own target's figures (:class:`~sim.study.targets.RecipientTarget`)."""
DATED = {"operational_2030_12_31": DEADLINE, "p_all_operational_by_2030_12_31": DEADLINE}
"""The generic figures taken on a date: not defined if it is after the horizon."""


def own_unit(key: str) -> str | None:
    """The unit of an own target's figure named ``key``; None if it is not one."""
    if OWN_P.fullmatch(key) or key == P_OWN_TARGET:
        return "probability"
    return "GPUs" if OWN_COUNT.fullmatch(key) else None


def units(summary: dict) -> dict[str, str]:
    """Every headline figure of ``summary`` and its unit, in table order: each own target's
    count after the total's on 2030-12-31, its odds after the total's."""
    mc = summary.get("monte_carlo") or {}
    counts = [k for k in summary if isinstance(k, str) and OWN_COUNT.fullmatch(k)]
    odds = [k for k in mc if own_unit(k) == "probability"]
    out = {}
    for key, unit in HEADLINE_UNITS.items():
        out[key] = unit
        if key == "operational_2030_12_31":
            out.update(dict.fromkeys(counts, "GPUs"))
        if key == "p_all_operational_by_2030_12_31":
            out.update(dict.fromkeys(odds, "probability"))
    return out


def measured_on(key: str) -> date | None:
    """The date a headline figure is taken on (None: it has no one date)."""
    found = OWN_P.fullmatch(key) or OWN_COUNT.fullmatch(key)
    if found:
        return date(*map(int, found["by"].split("_")))
    return DATED.get(key)

HORIZON_STAGES = ("operational", "installing", "waiting_power", "in_transit", "unshipped")
"""The stages of a GPU at the horizon, from done to not begun (:mod:`sim.study.accounting`)."""
HORIZON_NAMES = {"operational": "operational", "installing": "installing (racked or burning in)",
                 "waiting_power": "waiting for power (stranded)", "in_transit": "in transit",
                 "unshipped": "not yet shipped"}
"""Each stage as the terminal says it."""

OBJECTIVES = tuple(k for k, unit in HEADLINE_UNITS.items() if not k.endswith("_date"))
"""The numeric headline figures of every run: what ``objective=...`` may name (and an own
target's, :func:`check_objective`)."""
OWN_OBJECTIVES = ("p_<recipient>_<gpus>_by_<yyyy_mm_dd>",
                  "<recipient>_operational_<yyyy_mm_dd> of a recipient's own target")


def check_objective(name: str, at_most: float | None = None, required: bool = False,
                    own: tuple[RecipientTarget, ...] | None = None,
                    horizon: date | None = None) -> None:
    """Refuse an ``objective`` that is not a numeric headline figure (or none if required),
    and a bound ``objective_at_most`` without an objective.

    An own target's figure is one with ``own`` (the seeds' targets) among them, and without
    (before the seeds are read) any that has the form of one. With ``horizon``, a figure
    taken on a later date is refused: it is not defined there."""
    allowed = [*OBJECTIVES, *(k for t in own or () for k in (t.count_key, t.p_key))]
    choices = ", ".join(allowed if own is not None else [*allowed, *OWN_OBJECTIVES])
    if at_most is not None and not name:
        raise InputError("objective_at_most", f"{at_most:g} bounds no figure; set "
                                              f"objective= one of {choices}")
    known = name in allowed or (own is None and own_unit(name) and name != P_OWN_TARGET)
    if name and not known:
        raise InputError("objective", f"{name!r} is not a headline figure"
                                      f"{' of these seeds' if own is not None else ''}; "
                                      f"choose one of {choices}")
    if required and not name:
        raise InputError("objective", "this sweeper optimizes a headline figure; set "
                                      f"objective= one of {choices}")
    when = measured_on(name) if name else None
    if horizon is not None and when is not None and when > horizon:
        raise InputError("objective", f"{name} is taken on {when}, after horizon={horizon}, "
                                      f"where it is not defined; set a horizon on or after "
                                      f"{when}, or another objective")


def headline(summary: dict) -> dict:
    """The headline figures of a ``summary.json`` as one flat row (missing ones are None).

    With Monte Carlo, each figure is its P50 over the replications where the run has one
    (:func:`statistic` says which), and the odds of the targets join the row.

    The milestone dates of the total follow as ``operational_25%_date`` and so on. A
    figure that is not defined is None (:func:`reasons` says why).
    """
    row = {key: _plain(plain(value), key) for key, value in _flat(summary).items()}
    for name, when in summary.get("milestones", {}).items():
        row[f"operational_{name}_date"] = when
    return row


def reasons(summary: dict) -> dict[str, str]:
    """Why each headline figure of ``summary`` that is not defined is not."""
    return {key: reason(value) for key, value in _flat(summary).items()
            if is_undefined(value)}


def _flat(summary: dict) -> dict:
    """Each headline figure (:func:`units`) as ``summary.json`` holds it: its P50 or share
    over the replications where it has one, else the representative replication's."""
    flat = {**summary, "operational_2030_12_31":
            summary.get("operational_at_year_end", {}).get(str(DEADLINE.year))}
    mc = summary.get("monte_carlo")
    if mc:  # over all replications, not the representative one alone
        flat.update({key: value for key, value in mc.items()
                     if key == "p_all_operational_by_2030_12_31" or
                     own_unit(key) == "probability"})
        flat["all_operational_date"] = mc["all_operational"]["p50"]
        flat["all_operational_days_after_2030"] = mc["all_operational_days_after_2030_p50"]
        flat.update({key: q if is_undefined(q) else q["p50"]
                     for key, q in mc.get("figures", {}).items()})
    return {key: flat.get(key) for key in units(summary)}


def _plain(value, key: str):
    """A P50 of GPU counts as an int: it is a count (other figures stay as they are)."""
    whole = HEADLINE_UNITS.get(key) == "GPUs" and isinstance(value, float) and \
        value.is_integer()
    return int(value) if whole else value


def replications(n: int) -> str:
    """``1 replication``, ``1,000 replications``: a count of replications as a reader says it."""
    return "1 replication" if n == 1 else f"{n:,} replications"


ONE = "with one replication there is no spread: add replications (mc.replications) for P10-P90"
"""What a run of one replication says where a run of more gives a median and its band."""


def statistic(summary: dict, key: str) -> str:
    """Which statistic :func:`headline` gives for ``key``: ``P50 of N replications``, ``share
    of N replications``, or ``replication k (representative)`` where the run has only that
    (``replication k, the only one`` for a run of one)."""
    mc = summary.get("monte_carlo")
    if not mc:
        return "one run"
    n = mc["replications"]
    if key.startswith("p_"):
        return f"share of {replications(n)}"
    if n == 1:  # its P50 is that replication's value
        return f"replication {mc['representative_replication']}, the only one"
    if key.startswith("all_operational") or key in mc.get("figures", {}):
        return f"P50 of {replications(n)}"
    return f"replication {mc['representative_replication']} (representative)"


def spread(summary: dict, key: str) -> tuple:
    """``(P10, P90)`` of a headline figure over the replications; ``(None, None)`` if the run
    has none. For the all-operational date and its days after 2030, a P-date after the
    horizon is None (date) or the day after the horizon (days)."""
    mc = summary.get("monte_carlo") or {}
    if key in mc.get("figures", {}):
        q = mc["figures"][key]
        return (None, None) if is_undefined(q) else (_plain(q["p10"], key),
                                                       _plain(q["p90"], key))
    when = mc.get("all_operational", {})
    if key == "all_operational_date" and when:
        return when.get("p10"), when.get("p90")
    if key == "all_operational_days_after_2030" and when:
        after = date.fromisoformat(summary["horizon"]) + timedelta(days=1)
        return tuple(((date.fromisoformat(when[q]) if when.get(q) else after) - DEADLINE).days
                     for q in ("p10", "p90"))
    return None, None
