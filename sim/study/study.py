"""A study: everything ``python -m sim`` computes for one config.

The Monte Carlo replications (:mod:`sim.study.montecarlo`), the representative replication
re-run in full for its event log (the one whose all-operational date is nearest the
median), and, if asked, the tornado of drivers (:mod:`sim.study.drivers`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from sim.model.output import RunOutput
from sim.model.world import simulate
from sim.seeds.data import SeedData
from sim.study import metrics, own_count
from sim.study.config import AUTO
from sim.study.drivers import COLUMNS, drivers
from sim.study.montecarlo import MonteCarlo, run
from sim.study.precision import run_auto
from sim.study.targets import Goal, RecipientTarget, own_targets, targets
from sim.study.workers import Pool


@dataclass
class Study:
    """Everything a run of ``python -m sim`` computes for one config."""

    representative: RunOutput
    """The representative replication, re-run in full."""
    mc: MonteCarlo
    drivers: pd.DataFrame
    targets: dict[str, Goal]
    """Per recipient and total: the target its full allocation is measured against."""
    names: dict[str, dict[str, str]]
    """Readers' names from the seed files: ``recipients`` and ``sites``, by id."""
    own_targets: tuple[RecipientTarget, ...] = ()
    """The targets the recipients state themselves (the government's 50k by 2030)."""
    tranches: tuple = ()
    """The seed tranches in force on the as-of date (:class:`sim.seeds.data.Tranche`)."""
    counted: tuple = ()
    """Each recipient's targets on its own count, as known on the as-of date
    (:func:`sim.study.own_count.known`)."""
    observed: tuple = ()
    """The observed events the run takes as fact, public and happened by the as-of date
    (:class:`sim.seeds.data.Observed`; not the context ones, which pin nothing)."""


def run_study(cfg, seed_data: SeedData) -> Study:
    """Replications, their representative re-run in full, and (if asked) the drivers."""
    pool = Pool.of(cfg)
    days = metrics.weeks(seed_data, cfg)
    mc = run_auto(cfg, seed_data, days, pool, cfg.mc.progress) \
        if cfg.mc.replications == AUTO else run(cfg, seed_data, days, pool, cfg.mc.progress)
    table = drivers(cfg, seed_data, mc, pool, cfg.mc.progress) if cfg.mc.drivers else \
        pd.DataFrame(columns=COLUMNS)
    with np.errstate(over="ignore"):  # as in the replications: an endless delay is inf
        representative = simulate(cfg, seed_data, replication=mc.representative)
    return Study(representative, mc, table, targets(seed_data), names(seed_data),
                 own_targets(seed_data), tuple(seed_data.tranches),
                 tuple(own_count.known(seed_data)),
                 tuple(o for o in seed_data.facts if o.kind != "context"))


def names(seed_data: SeedData) -> dict[str, dict[str, str]]:
    """The names the seed files give recipients and sites, by id (for figures and tables)."""
    return {"recipients": {a.recipient: a.name for a in seed_data.allocations},
            "sites": {s.id: s.name for s in seed_data.sites}}
