"""The world of one run: the SimPy environment, its components, and the timeline they log.

:func:`simulate` is the whole model as a function: a resolved config and the seed data in,
a :class:`RunOutput` out. It writes no files; :mod:`sim.results` does that.

The flow, one module per real-world thing:

1. :mod:`sim.deals` fires the three deals on their dates;
2. :mod:`sim.demand`: each recipient submits its demand plan, which says when it wants lots;
3. :mod:`sim.supply`: Korea-bound output, capped per quarter, orders and ships lots;
4. :mod:`sim.logistics`: transit and customs to the recipient;
5. :mod:`sim.sites`: phases of MW come on when built and energized;
6. :mod:`sim.installation`: a lot placed in powered room is installed and burnt in.

A lot that never finds room is *stranded* at the horizon; the run always ends there.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import simpy

from sim import deals, demand, installation, sites, supply
from sim.calendar import DAY0, to_day
from sim.config import Config, horizon_date
from sim.seeds import SeedData
from sim.streams import Streams

EVENT_COLUMNS = ["day", "event", "recipient", "site", "lot", "gpus", "mw"]


@dataclass
class Timeline:
    """The run's event log: one row per event, in the order they were scheduled."""

    rows: list[tuple] = field(default_factory=list)

    def record(self, day: float, event: str, recipient=None, site=None, lot=None,
               gpus: int = 0, mw: float = 0.0) -> None:
        self.rows.append((day, event, recipient, site, lot, gpus, mw))

    def frame(self, horizon_day: float) -> pd.DataFrame:
        df = pd.DataFrame(self.rows, columns=EVENT_COLUMNS)
        df = df[df["day"] <= horizon_day].sort_values("day", kind="stable")
        df.insert(0, "date", pd.Timestamp(DAY0) + pd.to_timedelta(df["day"].astype(int), "D"))
        return df.reset_index(drop=True)


@dataclass
class World:
    """What every component of one run shares: clock, config, seed data, draws and log."""

    env: simpy.Environment
    cfg: Config
    seeds: SeedData
    streams: Streams
    timeline: Timeline
    horizon_day: float
    recipients: dict[str, demand.Recipient] = field(default_factory=dict)
    sites: list[sites.Site] = field(default_factory=list)
    supply: supply.Supply | None = None
    _draws: dict = field(default_factory=dict)

    def draws(self, name: str, recipient: demand.Recipient, dist) -> np.ndarray:
        """Draws of the input ``name`` for each numbered thing (order, lot) of a recipient.

        Item ``i`` is the same whatever the order of asking, so it belongs to order or lot
        ``i`` of that recipient alone.
        """
        key = (name, recipient.id)
        if key not in self._draws:
            u = self.streams.uniforms(len(recipient.lots), name, recipient.id)
            self._draws[key] = dist.ppf(u)
        return self._draws[key]

    def place_waiting(self, recipient: demand.Recipient | None = None) -> None:
        """Give powered room to waiting lots: one recipient's, or everyone's."""
        for r in [recipient] if recipient else self.recipients.values():
            installation.place_waiting(self, r)


@dataclass
class RunOutput:
    """Everything one run produced, as tables; enough to write every output file."""

    events: pd.DataFrame
    allocations: dict[str, int]
    sites: pd.DataFrame
    horizon_day: float
    seed: int
    scenario: str


def simulate(cfg: Config, seed_data: SeedData, replication: int = 0) -> RunOutput:
    """Run one realization of ``cfg`` (already :func:`sim.config.resolve`-d)."""
    horizon_day = to_day(horizon_date(cfg))
    world = World(simpy.Environment(), cfg, seed_data, Streams(cfg.seed, replication),
                  Timeline(), horizon_day)
    world.sites = [sites.Site.from_seed(world, s) for s in seed_data.sites]
    world.supply = supply.Supply(world)
    for site in world.sites:
        world.env.process(site.energize())
    world.env.process(deals.announce(world))
    world.env.run(until=horizon_day)
    installation.strand_waiting(world)
    return RunOutput(
        events=world.timeline.frame(horizon_day),
        allocations={a.recipient: a.gpus for a in seed_data.allocations},
        sites=sites.table(world.sites),
        horizon_day=horizon_day,
        seed=cfg.seed,
        scenario=cfg.scenario,
    )
