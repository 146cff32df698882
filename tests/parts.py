"""Small pieces of one run for testing a model component on its own, with no Hydra: a
:class:`~sim.model.run.Run` with its clock and draws, a recipient, a site spec. Config groups
come from :mod:`groups`."""

from __future__ import annotations

from datetime import date

import numpy as np

from sim.calendar import to_day
from sim.model.demand import Recipient
from sim.model.run import Run
from sim.seeds.data import Phase
from sim.seeds.data import Site as SiteSpec


def run(seed: int = 0, replication: int = 0, horizon: str = "2034-12-31",
        as_of_day: float = 0.0) -> Run:
    """A fresh run of ``(seed, replication)`` up to ``horizon``."""
    return Run.start(seed, replication, to_day(date.fromisoformat(horizon)), as_of_day)


def recipient(rid: str = "government", lots: int = 10, gpus_per_lot: int = 72,
              kw_per_gpu: float = 2.5) -> Recipient:
    gpus = np.full(lots, gpus_per_lot, dtype=np.int64)
    return Recipient(rid, gpus, lot_kw=gpus * kw_per_gpu)


def site(sid: str = "hall", recipient: str | None = "government", kind: str = "greenfield",
         region: str = "non_capital", grid: str = "pending",
         phases: tuple[tuple[float, str], ...] = ((10.0, "2027-01-01"),),
         substation: str = "existing", public: str = "2025-10-31",
         group: str | None = None, zone: str | None = None) -> SiteSpec:
    return SiteSpec(sid, sid, recipient, region, kind, grid,
                    tuple(Phase(mw, date.fromisoformat(d)) for mw, d in phases), substation,
                    group, date.fromisoformat(public), zone=zone)
