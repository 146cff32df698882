"""The study's part of the config, on top of the model's
(:class:`sim.model.config.ModelConfig`): Monte Carlo settings (``mc.*``, read by
:mod:`sim.study.study`, :mod:`sim.study.montecarlo` and :mod:`sim.study.drivers`;
``mc.sampling`` by :func:`sim.model.streams.strata`) and the
value put on idle GPUs (``costs.*``, read by :mod:`sim.study.summary`).

They sit here rather than beside that code so that checking a config at start-up loads
neither pandas nor SimPy.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from omegaconf import MISSING

from sim.model.config import ModelConfig
from sim.model.params import choice, number, positive, whole, won, years
from sim.model.streams import SAMPLINGS
from sim.study.workers import BACKENDS

AUTO = "auto"
"""``mc.replications=auto``: as many as :mod:`sim.study.precision` needs."""

MAX_WORKERS = 256
"""More worker processes than any one machine has cores (joblib would start them all)."""


def _no_zero_workers(n: float) -> str | None:
    return "0 is not allowed; need a number of workers >= 1, or -1 for every core" \
        if n == 0 else None


def _whole(n) -> str | None:
    return None if isinstance(n, int) else \
        f"{n!r} is not allowed; need a whole number 1..65535, or auto"


@dataclass
class PrecisionConfig:
    """What ``mc.replications=auto`` adds replications for (:mod:`sim.study.precision`)."""

    p50_se_days: float = positive(label="target standard error of the P50 date (days)")
    share_se_points: float = positive(label="target standard error of a headline share "
                                            "(percentage points)")
    round: int = whole(10, 65_535, "a whole number 10..65535",
                       label="replications added per round")
    max_replications: int = whole(10, 65_535, "a whole number 10..65535",
                                  label="most replications auto runs")


@dataclass
class McConfig:
    replications: Any = whole(1, 65_535, "a whole number 1..65535, or auto", refuse=_whole,
                              label="replications", allowed=(AUTO,))
    sampling: str = choice(*SAMPLINGS, label="how the uncertain inputs are sampled")
    """``monte_carlo``: each draw as it comes; ``latin_hypercube``: each input stratified
    across the replications (with ``auto``, within each round): :mod:`sim.model.streams`."""
    precision: PrecisionConfig = field(default_factory=PrecisionConfig)
    n_jobs: int = whole(-MAX_WORKERS, MAX_WORKERS, f"a number of workers 1..{MAX_WORKERS}, or "
                        "-1 for every core", refuse=_no_zero_workers, label="worker processes")
    drivers: bool = MISSING
    driver_replications: int = whole(0, 65_535, "a whole number 0..65535",
                                     label="most replications per risk held central")
    driver_budget: float = number(0, 100, "a number of driver replications per replication, "
                                  "0..100", label="driver replications per replication")
    backend: str = choice(*BACKENDS, label="where replications run")
    ray_address: str = MISSING
    """A Ray cluster's address (``ray://host:10001``, ``auto``); empty: a local Ray."""
    progress: bool = MISSING


@dataclass
class CostsConfig:
    pledge_value_won: float = won(label="value of the pledge (won)")
    depreciation_years: float = years(label="depreciation period (years)")


@dataclass
class StudyConfig(ModelConfig):
    costs: CostsConfig = field(default_factory=CostsConfig)
    mc: McConfig = field(default_factory=McConfig)
