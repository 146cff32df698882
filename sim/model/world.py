"""The world of one run: its components, wired together, and :func:`simulate`.

:func:`simulate` is the whole model as a function: a resolved config and the seed data in,
a :class:`~sim.model.output.RunOutput` out. It writes no files (:mod:`sim.outputs.results`
does that).

The flow, one component per real-world thing, each talking to the next through a narrow
interface (a callback or a method) that :class:`World` wires up:

1. :class:`~sim.model.deals.Deals` fires the three deals on their dates;
2. :mod:`sim.model.demand`: each recipient submits its demand plan, which says when it
   wants lots;
3. :class:`~sim.model.supply.Supply`: Korea-bound output, capped per quarter, orders and
   ships lots;
4. :class:`~sim.model.logistics.Logistics`: transit and customs to the recipient;
5. :class:`~sim.model.sites.Site`: phases of MW come on when built and energized
   (:mod:`sim.model.power`);
6. :class:`~sim.model.installation.Installation`: a lot placed in powered room is installed
   and burnt in.

What every component shares is :class:`Run`: the clock, the run's own random draws
(:class:`~sim.model.draws.Draws`) and its record of events. A lot that never finds room is
*stranded* at the horizon; the run always ends there.
"""

from __future__ import annotations

from dataclasses import dataclass

import simpy

from sim.model.calendar import to_day
from sim.model.deals import Deals
from sim.model.demand import Recipient, submit_plan, wanted_days
from sim.model.draws import Draws
from sim.model.hardware import lot_sizes
from sim.model.installation import Installation
from sim.model.logistics import Logistics
from sim.model.output import RunOutput, Timeline, lot_columns, site_table
from sim.model.seeds import SeedData, Site as SiteSpec
from sim.model.sites import Site, energization_steps
from sim.model.streams import Streams
from sim.model.supply import Supply


@dataclass
class Run:
    """What every component of one run shares: the clock, the draws, the record."""

    env: simpy.Environment
    draws: Draws
    timeline: Timeline
    horizon_day: float


class World:
    """The components of one run of ``cfg`` (resolved) over ``seed_data``, wired together."""

    def __init__(self, cfg, seed_data: SeedData, replication: int = 0):
        self.cfg = cfg
        self.seeds = seed_data
        self.replication = replication
        self.run = run = Run(simpy.Environment(), Draws(cfg, Streams(cfg.seed, replication)),
                             Timeline(), to_day(cfg.horizon_date))
        self.recipients: dict[str, Recipient] = {}
        self.sites: list[Site] = []
        self.installation = Installation(run, cfg.install, self.recipients)
        for spec in seed_data.sites:
            self.sites.append(Site(run, spec, len(self.sites),
                                   energization_steps(run.draws, cfg.sites, spec),
                                   self.installation.offer_room))
        self.logistics = Logistics(run, cfg.logistics, self.installation.place_waiting)
        self.supply = Supply(run, cfg.supply, cfg.hardware.gpus_per_lot, self.recipients,
                             self.logistics.carry)
        for site in self.sites:
            run.env.process(site.energize())
        self.deals = Deals(run, cfg.deals, seed_data.deals, self.open_allocations,
                           self.supply, self.add_shared_site)
        run.env.process(self.deals.announce())

    def open_allocations(self) -> None:
        """The pledge: create each recipient's lots and start its demand planning."""
        hw, run = self.cfg.hardware, self.run
        for alloc in self.seeds.allocations:
            gpus = lot_sizes(alloc.gpus, hw.gpus_per_lot)
            recipient = Recipient(alloc.recipient, gpus, gpus * hw.facility_kw_per_gpu)
            recipient.sites = [s for s in self.sites if s.recipient == alloc.recipient] + \
                [s for s in self.sites if s.recipient is None]
            self.recipients[alloc.recipient] = recipient
            run.timeline.record(run.env.now, "allocated", alloc.recipient, gpus=alloc.gpus)
            phases = [p for s in self.seeds.sites if s.recipient == alloc.recipient
                      for p in s.phases]
            wanted = wanted_days(self.cfg.demand, phases, recipient.n_lots, hw.gpus_per_lot,
                                 hw.facility_kw_per_gpu)
            run.env.process(submit_plan(run, self.cfg.demand, recipient, wanted,
                                        self.supply.enlist))

    def add_shared_site(self, spec: SiteSpec, steps: list[tuple[float, float]]) -> Site:
        """Capacity open to every recipient (a deal's), coming on in ``steps``."""
        site = Site(self.run, spec, len(self.sites), steps, self.installation.offer_room)
        self.sites.append(site)
        for recipient in self.recipients.values():
            recipient.sites.append(site)
        self.run.env.process(site.energize())
        return site

    def output(self) -> RunOutput:
        run = self.run
        return RunOutput(
            columns=lot_columns(list(self.recipients.values()), [s.id for s in self.sites],
                                run.horizon_day),
            other_events=run.timeline.rows,
            allocations={a.recipient: a.gpus for a in self.seeds.allocations},
            sites=site_table(self.sites),
            horizon_day=run.horizon_day,
            seed=self.cfg.seed,
            scenario=self.cfg.scenario,
            replication=self.replication,
            sampled=run.draws.sampled,
            pledge_day=to_day(self.seeds.deals["nvidia_pledge"].date),
        )


def simulate(cfg, seed_data: SeedData, replication: int = 0) -> RunOutput:
    """Run one realization (replication ``replication``) of ``cfg`` (already
    :func:`sim.model.params.resolve`-d) up to its horizon."""
    world = World(cfg, seed_data, replication)
    world.run.env.run(until=world.run.horizon_day)
    return world.output()
