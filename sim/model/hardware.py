"""The hardware that flows: lots of GPUs (a GB200/GB300 NVL72 rack of 72) and the power
each GPU needs at the facility.

A recipient's allocation is split into lots of ``hardware.gpus_per_lot`` (the last may be
partial), so the model's cost grows with lots, not GPUs (the engine's events are per lot). A GPU
draws ``hardware.facility_kw_per_gpu`` of facility power once placed: IT load with networking,
times the PUE (introl_2025_07_31, glennklockwood_2025_03_19: 132 kW per 72-GPU rack, +10 %
network, PUE 1.15-1.3; Epoch's overhead chain gives 2.4-2.9 kW for B200 and 3.4 for B300). It is
uncertain, and a recipient whose hardware mix a source gives has its own distribution
(``hardware.facility_kw_per_gpu_by_recipient``). The draws of all recipients share one uniform:
what decides the figure (rack power, PUE, the generation that ships) is common to them, so a
high draw is high for everyone.

Left out: a change of generation within a recipient's allocation (one kW per recipient).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from sim.model.draws import COMMON, Draws
from sim.model.params import per_entity, positive, uncertain

GROUP = "hardware"
"""This component's config group: its keys are ``hardware.*`` (:class:`HardwareConfig`)."""


@dataclass
class HardwareConfig:
    gpus_per_lot: int = positive(label="GPUs per lot (one rack)")
    facility_kw_per_gpu: Any = uncertain(0.5, 10.0, label="facility power per GPU (kW)")
    facility_kw_per_gpu_by_recipient: dict[str, Any] = per_entity(
        "recipient", 0.5, 10.0, label="one recipient's facility power per GPU (kW)")


def kw_per_gpu(cfg: HardwareConfig, draws: Draws, recipient: str) -> float:
    """The facility kW one of the recipient's GPUs draws in this run: its own distribution
    or the shared one, at the uniform every recipient shares."""
    hardware = draws.of(GROUP, cfg)
    key, dist = hardware.dist("facility_kw_per_gpu", recipient,
                              own="facility_kw_per_gpu_by_recipient")
    return hardware.record(key, recipient, dist.at(hardware.uniform("facility_kw_per_gpu",
                                                                    COMMON)))


def lot_sizes(gpus: int, gpus_per_lot: int) -> np.ndarray:
    """GPUs in each lot of an allocation of ``gpus``: full lots, then the rest."""
    full, rest = divmod(gpus, gpus_per_lot)
    sizes = np.full(full + (1 if rest else 0), gpus_per_lot, dtype=np.int64)
    if rest:
        sizes[-1] = rest
    return sizes
