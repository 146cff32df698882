"""How many of a replication's GPUs are of each generation, and the pledge counted both ways.

The pledge names "260,000 Blackwell GPUs"; the model counts every GPU delivered under it
toward the pledge, whatever its generation (:mod:`sim.model.generations`). These figures
count them apart: each generation's GPUs ordered by the horizon, and the Blackwell GPUs
(B200, B300) operational on 2030-12-31 beside all of them (``operational_2030_12_31``).
"""

from __future__ import annotations

import numpy as np

from sim.calendar import to_day
from sim.gpu_generations import BLACKWELL, GENERATIONS, NAMES
from sim.study.targets import DEADLINE
from sim.study.undefined import is_undefined

BLACKWELL_BY_DEADLINE = f"blackwell_operational_{DEADLINE:%Y_%m_%d}"
"""Blackwell GPUs operational on the government's deadline (2030-12-31)."""
GENERATION_KEYS = {g: f"gpus_{g}" for g in GENERATIONS}
"""Each generation's GPUs ordered by the horizon."""
LABELS = {BLACKWELL_BY_DEADLINE: f"Blackwell GPUs operational on {DEADLINE}",
          **{key: f"{NAMES[g]} GPUs ordered by the horizon" for g, key in
             GENERATION_KEYS.items()}}
"""Each figure as a reader names it."""


def generation_counts(out) -> dict[str, int]:
    """One replication's GPUs of each generation ordered by the horizon, and its Blackwell
    GPUs operational on the deadline."""
    generation, gpus = out.columns["generation"], out.columns["gpus"]
    counts = {key: int(gpus[generation == i].sum())
              for i, key in enumerate(GENERATION_KEYS.values())}
    blackwell = np.isin(generation, [GENERATIONS.index(g) for g in BLACKWELL])
    running = out.columns["operational"] <= to_day(DEADLINE)  # NaN: not running
    counts[BLACKWELL_BY_DEADLINE] = int(gpus[blackwell & running].sum())
    return counts


def sentence(figures: dict) -> str:
    """Which generations the GPUs are and the 2030 count both ways, from a summary's
    ``figures`` (P50s over the replications); empty where a run does not record them."""
    if BLACKWELL_BY_DEADLINE not in figures:
        return ""
    mix = ", ".join(f"{NAMES[g]} {figures[key]['p50'] / 1000:.0f}k"
                    for g, key in GENERATION_KEYS.items() if key in figures)
    every, blackwell = figures.get("operational_2030_12_31"), figures[BLACKWELL_BY_DEADLINE]
    counted = "" if is_undefined(blackwell) or is_undefined(every) else (
        f"; operational on {DEADLINE}: {every['p50']:,.0f} of every generation (what the "
        f"headline counts), {blackwell['p50']:,.0f} of them Blackwell")
    return f"P50 GPUs ordered by the horizon {mix}{counted}"
