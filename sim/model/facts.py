"""Observed events taken as fact: they pin a recipient's lots to the days they were reported.

A run as of date D knows what was public and had happened by D (``seeds/observed.yaml``):
the government's first GPUs arrived about 2025-12-01 and all 10,080 B200 by mid-December,
the first users were served in February 2026. Those lots reach those stages by those days:
counts pin the recipient's first lots (the ones ordered first), and a window pins to its
last day. An arrival is not simulated at all for a pinned lot (it arrives on the day); a lot
pinned as installed or in service gets its drawn day or the pinned one, whichever is
earlier. Every other lot is simulated, but nothing a recipient has not reported by D happens
before D (:data:`FLOORED`): the forecast starts from D's state.
"""

from __future__ import annotations

import numpy as np

from sim.calendar import to_day
from sim.seeds.data import Observed

STAGE_OF = {"first_arrival": "arrived", "arrived": "arrived", "installed": "installed",
            "first_service": "operational", "in_service": "operational"}
"""The lot stage each kind of observed event reports."""
FLOORED = ("arrived", "operational")
"""Stages that a lot reaches no earlier than the as-of date unless an event pins it."""


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
        count = fact.gpus[0] if fact.gpus else int(lot_gpus[0]) if len(lot_gpus) else 0
        covered = (cum <= count) | (np.arange(len(cum)) == 0)
        days[covered & np.isnan(days)] = to_day(fact.happened[1])
    return pins
