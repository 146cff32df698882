"""The hardware that flows: lots of GPUs (a GB200/GB300 NVL72 rack of 72) and the power
each GPU needs at the facility.

A recipient's allocation is split into lots of ``hardware.gpus_per_lot`` (the last may be
partial), so the model's cost grows with lots, not GPUs (``../shared/design/STACK.md``). A
GPU draws ``hardware.facility_kw_per_gpu`` of facility power once placed: IT load with
networking, times the PUE (FACTS §1: 132 kW per 72-GPU rack, +10 % network, PUE 1.15-1.3;
Epoch's overhead chain gives 2.4-2.9 kW for B200 and 3.4 for B300). It is uncertain, and a
recipient whose hardware mix a source gives has its own distribution
(``hardware.facility_kw_per_gpu_by_recipient``). The draws of all recipients share one
uniform: what decides the figure (rack power, PUE, the generation that ships) is common to
them, so a high draw is high for everyone.

Left out: a change of generation within a recipient's allocation (one kW per recipient).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from sim.model.params import per_entity, positive, uncertain

SHARED = "korea"


@dataclass
class HardwareConfig:
    gpus_per_lot: int = positive(label="GPUs per lot (one rack)")
    facility_kw_per_gpu: Any = uncertain(0.5, 10.0, label="facility power per GPU (kW)")
    facility_kw_per_gpu_by_recipient: dict[str, Any] = per_entity(
        "recipient", 0.5, 10.0, label="one recipient's facility power per GPU (kW)")


def kw_per_gpu(draws, cfg: HardwareConfig, recipient: str) -> float:
    """The facility kW one of the recipient's GPUs draws in this run."""
    own = cfg.facility_kw_per_gpu_by_recipient.get(recipient)
    dist = cfg.facility_kw_per_gpu if own is None else own
    u = draws.streams.uniform("hardware.facility_kw_per_gpu", SHARED)
    value = dist.at(u)
    draws.sampled[f"hardware.facility_kw_per_gpu[{recipient}]"] = value
    return value


def lot_sizes(gpus: int, gpus_per_lot: int) -> np.ndarray:
    """GPUs in each lot of an allocation of ``gpus``: full lots, then the rest."""
    full, rest = divmod(gpus, gpus_per_lot)
    return np.array([gpus_per_lot] * full + ([rest] if rest else []), dtype=np.int64)
