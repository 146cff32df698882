"""Small pieces of one run for testing a model module on its own: a resolved config, a
:class:`~sim.model.world.Run` with its clock and draws, a recipient, a site spec."""

from __future__ import annotations

from datetime import date
from functools import lru_cache

import numpy as np
import simpy
from conftest import make_cfg
from omegaconf import OmegaConf

from sim.calendar import to_day
from sim.model.demand import Recipient
from sim.model.draws import Draws
from sim.model.output import Timeline
from sim.model.params import resolve
from sim.seeds.data import Phase, Site as SiteSpec
from sim.model.streams import Streams
from sim.model.world import Run


@lru_cache(maxsize=256)
def config(*overrides: str):
    """The resolved config for ``overrides``, as a run would see it (composed once: Hydra's
    composition costs a few tenths of a second; do not change the returned tree)."""
    return resolve(OmegaConf.to_object(make_cfg(*overrides)))


def run(*overrides: str, replication: int = 0, horizon: str = "2034-12-31",
        as_of_day: float = 0.0) -> Run:
    cfg = config(*overrides)
    return Run(simpy.Environment(), Draws(cfg, Streams(cfg.seed, replication)), Timeline(),
               to_day(date.fromisoformat(horizon)), as_of_day)


def recipient(rid: str = "government", lots: int = 10, gpus_per_lot: int = 72,
              kw_per_gpu: float = 2.5) -> Recipient:
    gpus = np.full(lots, gpus_per_lot, dtype=np.int64)
    return Recipient(rid, gpus, gpus * kw_per_gpu)


def site(sid: str = "hall", recipient: str | None = "government", kind: str = "greenfield",
         region: str = "non_capital", grid: str = "pending",
         phases: tuple[tuple[float, str], ...] = ((10.0, "2027-01-01"),),
         substation: str = "existing", public: str = "2025-10-31",
         group: str | None = None) -> SiteSpec:
    return SiteSpec(sid, sid, recipient, region, kind, grid,
                    tuple(Phase(mw, date.fromisoformat(d)) for mw, d in phases), substation,
                    group, date.fromisoformat(public))
