"""The hardware that flows: lots of GPUs (a GB200/GB300 NVL72 rack of 72), each of one
generation (:mod:`sim.model.generations`: its power per GPU at the facility and its price).

A recipient's allocation is split into lots of ``hardware.gpus_per_lot`` (the last may be
partial), so the model's cost grows with lots, not GPUs (the engine's events are per lot). A
lot's generation, and so the facility kW it draws once placed, is settled when it is ordered
(``hardware.generations``).

Left out: racks of other sizes (HGX 8-GPU servers are counted in NVL72-sized lots).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from sim.model.generations import GenerationsConfig
from sim.model.params import positive

GROUP = "hardware"
"""This component's config group: its keys are ``hardware.*`` (:class:`HardwareConfig`)."""


@dataclass
class HardwareConfig:
    gpus_per_lot: int = positive(label="GPUs per lot (one rack)")
    generations: GenerationsConfig = field(default_factory=GenerationsConfig)


def lot_sizes(gpus: int, gpus_per_lot: int) -> np.ndarray:
    """GPUs in each lot of an allocation of ``gpus``: full lots, then the rest."""
    full, rest = divmod(gpus, gpus_per_lot)
    sizes = np.full(full + (1 if rest else 0), gpus_per_lot, dtype=np.int64)
    if rest:
        sizes[-1] = rest
    return sizes
