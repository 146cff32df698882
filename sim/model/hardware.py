"""The hardware that flows: lots of GPUs (a GB200/GB300 NVL72 rack of 72) and the power
each GPU needs at the facility.

A recipient's allocation is split into lots of ``hardware.gpus_per_lot`` (the last may be
partial), so the model's cost grows with lots, not GPUs (``../shared/design/STACK.md``). A
GPU draws ``hardware.facility_kw_per_gpu`` of facility power once placed: IT load with
networking, times the PUE (FACTS §1: 132 kW per 72-GPU rack, +10 % network, PUE 1.15-1.3).

Left out: the mix of rack and server form factors, and GPU generations (one kW for all).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.model.params import kw_per_gpu, positive


@dataclass
class HardwareConfig:
    gpus_per_lot: int = positive()
    facility_kw_per_gpu: float = kw_per_gpu()


def lot_sizes(gpus: int, gpus_per_lot: int) -> np.ndarray:
    """GPUs in each lot of an allocation of ``gpus``: full lots, then the rest."""
    full, rest = divmod(gpus, gpus_per_lot)
    return np.array([gpus_per_lot] * full + ([rest] if rest else []), dtype=np.int64)
