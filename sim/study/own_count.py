"""A recipient's targets on its own count: the ministry's 37,000 GPUs by the end of 2026 and
52,000 by 2028, counted as the ministry counts them.

The model runs the pledge's GPUs; a recipient's own count adds the GPUs outside the pledge it
counts (:mod:`sim.seeds.own_count`: the 2025 batch's Hopper GPUs, Supercomputer No.6), each
entering service on a day drawn uniformly within its stated window, once per replication
from the study's seed (so the same replication of two scenarios draws the same days). Only
what was public by the as-of date counts: items and targets made public later are left out
of a forecast as of an earlier date.

Per replication: each target's count (``<recipient>_own_count_<date>``) and whether it is
met; over the replications, the share that meet it, with the count's P10, P50 and P90.
"""

from __future__ import annotations

import numpy as np

from sim.calendar import to_day
from sim.study import metrics
from sim.text import count_tag

STREAM = 99_991
"""Keys the in-service draws apart from the model's random numbers (with seed and index)."""


def known(seed_data) -> list[tuple[str, tuple, tuple]]:
    """``(recipient, outside GPUs, targets)`` of each recipient with a target on its own
    count, as known on the as-of date."""
    as_of = seed_data.as_of

    def public(item) -> bool:
        return as_of is None or item.public <= as_of

    found = []
    for a in seed_data.allocations:
        targets = tuple(t for t in a.counted_targets if public(t))
        if targets:
            found.append((a.recipient, tuple(o for o in a.outside_pledge if public(o)),
                          targets))
    return found


def count_key(recipient: str, target) -> str:
    return f"{recipient}_own_count_{target.by:%Y_%m_%d}"


def p_key(recipient: str, target) -> str:
    return f"p_{recipient}_own_count_{target.tag}_by_{target.by:%Y_%m_%d}"


def own_counts(out, counted, seed: int, index: int) -> dict[str, float]:
    """One replication's count on each recipient's own terms at each of its targets
    (``counted``: :func:`known`)."""
    found = {}
    for recipient, outside, targets in counted:
        u = np.random.default_rng([seed, index, STREAM]).random(len(outside))
        days = [to_day(o.in_service[0]) + x * (to_day(o.in_service[1]) -
                                                to_day(o.in_service[0]))
                for o, x in zip(outside, u)]
        for target in targets:
            extra = sum(o.gpus for o, day in zip(outside, days) if day <= to_day(target.by))
            found[count_key(recipient, target)] = float(
                metrics.operational_by(out, target.by, recipient) + extra)
    return found


def summary(replications, counted, horizon) -> dict:
    """Each target on a recipient's own count: the share of replications that meet it and
    its count's P10, P50 and P90; a target after the horizon is not defined. A line for the
    terminal and the report under ``text``."""
    from sim.study.undefined import after_horizon

    targets, said = [], []
    for recipient, outside, wanted in counted:
        for target in wanted:
            counts = replications[count_key(recipient, target)].to_numpy(float)
            late = after_horizon(target.by, horizon)
            row = {"recipient": recipient, "gpus": target.gpus, "by": str(target.by),
                   "p_key": p_key(recipient, target),
                   "p": late or float(np.mean(counts >= target.gpus)),
                   "count": late or {q: float(np.percentile(counts, v, method="inverted_cdf"))
                                     for q, v in (("p10", 10), ("p50", 50), ("p90", 90))}}
            targets.append(row)
        said.append((recipient, sum(o.gpus for o in outside)))
    return {"targets": targets, "outside_gpus": dict(said)}


def sentence(block: dict, n: int, percent) -> str:
    """``government's own count (with 12,056 GPUs outside the pledge): P(37k by 2026-12-31)
    = 0 % (...)``, one clause per recipient; ``percent`` says a share of ``n``."""
    parts = []
    for recipient, outside in block["outside_gpus"].items():
        odds = ", ".join(f"P({count_tag(t['gpus'])} by {t['by']}) = {percent(t['p'], n)}"
                         for t in block["targets"] if t["recipient"] == recipient)
        parts.append(f"{recipient}'s own count (with {outside:,} GPUs outside the pledge): "
                     f"{odds}")
    return "; ".join(parts)
