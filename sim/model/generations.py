"""The GPU generations NVIDIA ships: B200, B300 (Blackwell Ultra) and Vera Rubin.

Each generation ships to Korea from its ``first_ship`` date and has its own facility power per
GPU and all-in unit price (GPU, server share, network and operating environment, in million
won). A lot takes the newest generation shipping on the day it is ordered: buyers take what
NVIDIA sells then, as the 2026 government round did (budgeted as B200-class, bought as B300
and Vera Rubin: dailyalpha_2026_06_08), and as NVIDIA's promise of early GB300 and priority
Vera Rubin supply says (indusbusinessjournal_2026_01_13). A tranche a source names a
generation for takes that one. A tranche bought on a budget gets as many GPUs as the budget
pays for at the unit price of the generation it gets (:meth:`Generations.budget_gpus`).

Power per GPU: IT load with networking, times the PUE (introl_2025_07_31,
glennklockwood_2025_03_19: 132 kW per 72-GPU rack, +10 % network, PUE 1.15-1.3; Epoch's
overhead chain gives 2.4-2.9 kW for B200 and 3.4 for B300). What decides the figure (PUE,
cooling, the rack's power shelves) is common to the generations, so their draws share one
uniform: a high draw is high for every generation. Prices share another (memory and
packaging costs move them together).

B200 and B300 are Blackwell; Vera Rubin is not. The pledge names "260,000 Blackwell GPUs";
the model counts every GPU delivered under it toward the pledge, whatever its generation
(NVIDIA's priority Vera Rubin supply went to the same partners), and reports the Blackwell
ones apart (:data:`sim.gpu_generations.BLACKWELL`).

Left out: a mix of generations within one order; the end of a generation's sales; a price
that changes within a generation; the die count NVIDIA uses for Rubin (the model counts
packages, as the pledge does).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from sim.calendar import parse_date, to_day
from sim.gpu_generations import GENERATIONS, NAMES
from sim.model.draws import COMMON, Draws
from sim.model.params import day, uncertain

GROUP = "hardware.generations"
"""This component's config group: ``hardware.generations.<generation>.*``."""


@dataclass
class FirstGenerationConfig:
    """The generation shipping when the model starts (B200): its power and unit price."""

    facility_kw_per_gpu: Any = uncertain(0.5, 10.0, label="facility power per GPU (kW)")
    price_m_won: Any = uncertain(1.0, 10000.0,
                                 label="all-in price per GPU (million won)")


@dataclass
class GenerationConfig(FirstGenerationConfig):
    """A later generation: also when it first ships to Korea."""

    first_ship: Any = day(label="first shipments to Korea (date)", earliest="2020-01-01")


@dataclass
class GenerationsConfig:
    b200: FirstGenerationConfig = field(default_factory=FirstGenerationConfig,
                                        metadata={"label": NAMES["b200"]})
    b300: GenerationConfig = field(default_factory=GenerationConfig,
                                   metadata={"label": NAMES["b300"]})
    vera_rubin: GenerationConfig = field(default_factory=GenerationConfig,
                                         metadata={"label": NAMES["vera_rubin"]})



class Generations:
    """The generations of one run: their ship dates, and this run's draw of their power and
    price."""

    def __init__(self, cfg: GenerationsConfig, draws: Draws):
        gens = draws.of(GROUP, cfg)
        kw_u = gens.uniform("facility_kw_per_gpu", COMMON)
        price_u = gens.uniform("price_m_won", COMMON)
        self.first_ship = np.array([-np.inf] + [
            to_day(parse_date(f"{GROUP}.{g}.first_ship", str(getattr(cfg, g).first_ship)))
            for g in GENERATIONS[1:]])
        """The day each generation first ships (the first: always, -inf)."""
        self.facility_kw_per_gpu = np.array(
            [self._draw(gens, g, "facility_kw_per_gpu", kw_u) for g in GENERATIONS])
        self.price_m_won = np.array([self._draw(gens, g, "price_m_won", price_u)
                                     for g in GENERATIONS])
        self._ship_days = self.first_ship.tolist()
        self._kw = self.facility_kw_per_gpu.tolist()

    @staticmethod
    def _draw(gens: Draws, generation: str, name: str, u: float) -> float:
        key, dist = gens.dist(f"{generation}.{name}", COMMON)
        return gens.record(key, COMMON, dist.at(u))

    def on(self, day: float) -> int:
        """The code of the newest generation shipping on ``day``: the latest of those whose
        first shipments are on or before it (the first generation ships from the start)."""
        code = -1
        for i, first in enumerate(self._ship_days):  # a handful: faster than numpy
            if first <= day:
                code = i
        if code < 0:
            raise ValueError(f"no generation ships on day {day}")
        return code

    def kw_on(self, day: float) -> float:
        """The facility kW per GPU of what ships on ``day``."""
        return self._kw[self.on(day)]

    def budget_gpus(self, budget_won: float, codes: list[int]) -> int:
        """GPUs a budget buys of these generations (in equal shares): budget / mean price."""
        price = float(np.mean(self.price_m_won[codes])) * 1e6
        return max(1, int(budget_won // price))
