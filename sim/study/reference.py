"""The reference forecasts a hindcast's skill is measured against: what a reader could have
said on the as-of date without the model.

- A count of GPUs by a date (arrived, installed, in service): *persistence*, the recipient's
  latest count of that stage public by the as-of date (the range where sources disagreed),
  or none yet.
- A date (first arrival, first service): *the plan*, the date announced for it that was
  public by the as-of date (``planned:`` in ``seeds/observed.yaml``), spread evenly over its
  window. With no plan public yet, there is no reference, and the score is left out of the
  skill.

Each reference is given as samples, so the same scoring rules (:mod:`sim.study.scores`)
apply to both forecasts.
"""

from __future__ import annotations

import numpy as np

from sim.calendar import to_day
from sim.model.facts import STAGE_OF
from sim.seeds.data import Observed, SeedData

SPREAD = 201
"""Samples a window or a range is spread over."""


def reference(event: Observed, seed_data: SeedData) -> tuple[str, np.ndarray] | None:
    """``(what it is, samples)`` of the reference forecast of ``event`` as of
    ``seed_data.as_of``, or None where there is none."""
    as_of = seed_data.as_of
    if event.gpus is None:
        plans = [p for p in event.planned if p.public <= as_of]
        if not plans:
            return None
        first, last = (to_day(d) for d in plans[-1].window)
        return f"plan of {plans[-1].public}", np.linspace(first, last, SPREAD)
    stage = STAGE_OF[event.kind]
    known = [f for f in seed_data.facts if f.recipient == event.recipient and f.gpus is not None
             and STAGE_OF.get(f.kind) == stage]
    if not known:
        return "none yet (persistence)", np.zeros(1)
    latest = max(known, key=lambda f: f.happened[1])
    return (f"count of {latest.happened[1]} (persistence)",
            np.linspace(latest.gpus[0], latest.gpus[1], SPREAD))
