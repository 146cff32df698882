"""Observed events taken as fact: they pin a recipient's lots to the days they were reported,
and say up to when each stream of reports is complete.

A run as of date D knows what was public and had happened by D (``seeds/observed.yaml``):
the government's first GPUs arrived about 2025-12-01 and all 10,080 B200 by mid-December,
the first users were served in February 2026. Those lots reach those stages by those days:
counts pin the recipient's first lots (the ones ordered first), and a window pins to its
last day. An arrival is not simulated at all for a pinned lot (it arrives on the day); a lot
pinned as installed or in service gets its drawn day or the pinned one, whichever is
earlier.

What is not recorded is not taken as not having happened. A stream (one recipient, one
stage of :data:`FLOORED`) is complete only up to its last report: a count of ``[low, high]``
GPUs on day t says that lots beyond the first ``high`` GPUs had not reached the stage by t
(a count of 0 says so of every lot), and a first arrival or first service in the window
``[a, b]`` says no lot had reached it before a. Those days are the lots' *floors*
(:func:`floor_days`); after them the model forecasts, up to and beyond the as-of date. A
lot drawn to reach the stage before its floor had not, so it takes the stage's last step
(transit, acceptance) again from the floor: the forecast goes on from the report without a
jump on the report's day. A stream with no report has no floor. Lots between ``low`` and
``high`` are neither pinned nor floored: the model draws them.
"""

from __future__ import annotations

import numpy as np

from sim.calendar import to_day
from sim.seeds.data import Observed

STAGE_OF = {"first_arrival": "arrived", "arrived": "arrived", "installed": "installed",
            "first_service": "operational", "in_service": "operational"}
"""The lot stage each kind of observed event reports."""
FLOORED = ("arrived", "operational")
"""Stages whose streams of reports put floors under the lots they do not count."""


def pinned_days(facts: tuple[Observed, ...], recipient: str, lot_gpus: np.ndarray
                ) -> dict[str, np.ndarray]:
    """For each stage an observed fact may report, the day each of the recipient's lots
    reached it by (NaN: not pinned). A count of GPUs pins the lots that make it up, the first ones;
    a first arrival or first service pins the first lot."""
    cum = np.cumsum(lot_gpus)
    pins = {stage: np.full(len(lot_gpus), np.nan) for stage in set(STAGE_OF.values())}
    for fact in sorted(facts, key=lambda f: f.happened[1]):
        stage = STAGE_OF.get(fact.kind)
        if stage is None or fact.recipient != recipient:
            continue
        days = pins[stage]
        if fact.gpus is None:  # a first arrival or service: the first lot
            covered = np.arange(len(cum)) == 0
        else:  # a count pins the lots it covers whole (none for a count of 0)
            covered = cum <= fact.gpus[0]
        days[covered & np.isnan(days)] = to_day(fact.happened[1])
    return pins


def floor_days(facts: tuple[Observed, ...], recipient: str, lot_gpus: np.ndarray
               ) -> dict[str, np.ndarray]:
    """For each stage of :data:`FLOORED`, the day before which, as the recipient's reports
    say, each of its lots had not reached it (0: they say nothing)."""
    cum = np.cumsum(lot_gpus)
    floors = {stage: np.zeros(len(lot_gpus)) for stage in FLOORED}
    for fact in facts:
        stage = STAGE_OF.get(fact.kind)
        if stage not in floors or fact.recipient != recipient:
            continue
        if fact.kind.startswith("first_"):
            beyond, day = np.ones(len(cum), bool), to_day(fact.happened[0])
        elif fact.gpus is not None:
            beyond, day = cum > fact.gpus[1], to_day(fact.happened[1])
        else:
            continue
        floors[stage][beyond] = np.maximum(floors[stage][beyond], day)
    return floors


def after_floor(days: np.ndarray, floor: np.ndarray, step: np.ndarray) -> np.ndarray:
    """``days``, but a lot drawn to reach the stage before its floor takes the stage's last
    ``step`` again from the floor."""
    return np.where(days < floor, floor + step, days)
