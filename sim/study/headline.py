"""The headline figures of a run as one flat row: for sweeps, comparisons and goal seek.

Kept apart from the tables so that checking an ``objective`` does not load pandas.
"""

from __future__ import annotations

from datetime import date, timedelta

from sim.errors import InputError
from sim.study.targets import DEADLINE

HEADLINE_UNITS = {
    "all_operational_date": "days",
    "all_operational_days_after_2030": "days",
    "operational_2030_12_31": "GPUs",
    "government_operational_2030_12_31": "GPUs",
    "peak_waiting_gpus": "GPUs",
    "stranded_gpus": "GPUs",
    "unshipped_gpus_at_horizon": "GPUs",
    "idle_gpu_months": "GPU-months",
    "idle_value_won": "won",
    "mw_drawn_at_horizon": "MW",
    "p_all_operational_by_2030_12_31": "probability",
    "p_government_50k_by_2030_12_31": "probability",
}
"""The headline figures of a run and the unit of a difference between two runs."""

HORIZON_STAGES = ("operational", "installing", "waiting_power", "in_transit", "unshipped")
"""The stages of a GPU at the horizon, from done to not begun (:mod:`sim.study.accounting`)."""
HORIZON_NAMES = {"operational": "operational", "installing": "installing (racked or burning in)",
                 "waiting_power": "waiting for power (stranded)", "in_transit": "in transit",
                 "unshipped": "not yet shipped"}
"""Each stage as the terminal says it."""

OBJECTIVES = tuple(k for k, unit in HEADLINE_UNITS.items() if not k.endswith("_date"))
"""The numeric headline figures: what ``objective=...`` may name."""


def check_objective(name: str, at_most: float | None = None, required: bool = False) -> None:
    """Refuse an ``objective`` that is not a numeric headline figure (or none if required),
    and a bound ``objective_at_most`` without an objective."""
    if at_most is not None and not name:
        raise InputError("objective_at_most", f"{at_most:g} bounds no figure; set "
                                              f"objective= one of {', '.join(OBJECTIVES)}")
    if name and name not in OBJECTIVES:
        raise InputError("objective", f"{name!r} is not a headline figure; "
                                      f"choose one of {', '.join(OBJECTIVES)}")
    if required and not name:
        raise InputError("objective", "this sweeper optimizes a headline figure; set "
                                      f"objective= one of {', '.join(OBJECTIVES)}")


def headline(summary: dict) -> dict:
    """The headline figures of a ``summary.json`` as one flat row (missing ones are None).

    With Monte Carlo, each figure is its P50 over the replications where the run has one
    (:func:`statistic` says which), and the odds of the targets join the row.

    The milestone dates of the total follow as ``operational_25%_date`` and so on.
    """
    flat = {**summary, "operational_2030_12_31":
            summary.get("operational_at_year_end", {}).get(str(DEADLINE.year))}
    mc = summary.get("monte_carlo")
    if mc:  # over all replications, not the representative one alone
        flat.update({key: mc[key] for key in ("p_all_operational_by_2030_12_31",
                                              "p_government_50k_by_2030_12_31")})
        flat["all_operational_date"] = mc["all_operational"]["p50"]
        flat["all_operational_days_after_2030"] = mc["all_operational_days_after_2030_p50"]
        flat.update({key: q["p50"] for key, q in mc.get("figures", {}).items()})
    row = {key: _plain(flat.get(key), key) for key in HEADLINE_UNITS}
    for name, when in summary.get("milestones", {}).items():
        row[f"operational_{name}_date"] = when
    return row


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
        return _plain(q["p10"], key), _plain(q["p90"], key)
    when = mc.get("all_operational", {})
    if key == "all_operational_date" and when:
        return when.get("p10"), when.get("p90")
    if key == "all_operational_days_after_2030" and when:
        after = date.fromisoformat(summary["horizon"]) + timedelta(days=1)
        return tuple(((date.fromisoformat(when[q]) if when.get(q) else after) - DEADLINE).days
                     for q in ("p10", "p90"))
    return None, None
