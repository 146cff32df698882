"""The world of one run: its components, wired together, and :func:`simulate`.

:func:`simulate` is the whole model as a function: a resolved config and the seed data as of
a date in, a :class:`~sim.model.output.RunOutput` out. It writes no files
(:mod:`sim.outputs.results` does that).

The flow, one component per real-world thing, each talking to the next through a narrow
interface (a callback or a method) that :class:`World` wires up:

1. :class:`~sim.model.deals.Deals` fires the three deals on their dates;
2. :mod:`sim.model.demand`: each recipient's tranches and demand plan say when it wants lots;
3. :class:`~sim.model.supply.Supply`: Korea-bound output, capped per quarter, orders and
   ships lots;
4. :class:`~sim.model.logistics.Logistics`: transit and customs to the recipient;
5. :class:`~sim.model.sites.Site`: phases of MW come on when built and connected
   (:mod:`sim.model.power`): the recipients' disclosed sites, undisclosed ones
   (:mod:`sim.model.prior_sites`), the shared colo pool (:mod:`sim.model.colo`) and any a deal
   finances; under a national reallocation the working group's yearly plan
   (:mod:`sim.model.national_plan`) orders ahead for any recipient's room;
6. :class:`~sim.model.installation.Installation`: a lot placed in powered room is installed,
   burnt in and accepted into service.

What every component shares is :class:`~sim.model.run.Run`: the clock, the run's own random
draws (:class:`~sim.model.draws.Draws`), its record of events and the as-of date before which
nothing unreported happens (:mod:`sim.model.facts`). Each component is built from its own
config group (the dataclass beside its code) and the run. A lot that never finds room is
*stranded* at the horizon; the run always ends there.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from sim.calendar import DAYS_PER_MONTH, to_day
from sim.gpu_generations import named
from sim.model import colo, national_plan, prior_sites, sites
from sim.model.config import ModelConfig
from sim.model.deals import Deals, financed_site
from sim.model.demand import (
    Recipient,
    replan,
    site_blocks,
    submit_plan,
    tranche_lots,
    window_blocks,
)
from sim.model.facts import drawn, floor_days, pinned_days
from sim.model.generations import Generations
from sim.model.hardware import lot_sizes
from sim.model.installation import Installation
from sim.model.logistics import Logistics
from sim.model.output import RunOutput, lot_columns, site_rows
from sim.model.power import Grid
from sim.model.run import Run
from sim.model.streams import strata
from sim.model.supply import Supply
from sim.seeds.data import Allocation, SeedData
from sim.seeds.data import Site as SiteSpec


class World:
    """The components of one run of ``cfg`` (resolved) over ``seed_data``, wired together."""

    def __init__(self, cfg: ModelConfig, seed_data: SeedData, replication: int = 0):
        self.cfg = cfg
        self.seeds = seed_data
        self.replication = replication
        as_of = to_day(seed_data.as_of) if seed_data.as_of else 0.0
        self.run = run = Run.start(cfg.seed, replication, to_day(cfg.horizon_date), as_of,
                                   strata(cfg))
        self.recipients: dict[str, Recipient] = {}
        self.tranche_spans: list[dict] = []
        """Which lots each tranche took: ``{tranche, recipient, first, end}`` (lots
        ``first`` to ``end - 1``); the lots a recipient orders with its sites last."""
        self.generations = Generations(cfg.hardware.generations, run.draws)
        self.tranche_gpus = {t.id: self.gpus_of(t) for t in seed_data.tranches}
        """Each tranche's GPUs in this run: as a source counts them, or what its budget buys."""
        self.grid = Grid(cfg.power, run.draws)
        self.pins, floors = pins_of(seed_data, cfg.hardware.gpus_per_lot, run.draws.uniform)
        self.installation = Installation(run, cfg.install, self.recipients, self.pins, floors)
        self.sites: list[sites.Site] = []
        for spec in seed_data.sites:
            self.add_site(spec)
        for alloc in seed_data.allocations:
            for spec in self.undisclosed(alloc):
                self.add_site(spec)
        self.add_site(colo.SPEC, colo.steps(cfg.sites, run.draws, self.grid, run.horizon_day))
        financed = financed_site(cfg.deals, run.draws, seed_data.deals)
        if financed is not None:
            self.add_site(financed)
        self.logistics = Logistics(run, cfg.logistics, self.installation.place_waiting, floors)
        self.supply = Supply(run, cfg.supply, cfg.hardware.gpus_per_lot, self.recipients,
                             self.logistics.carry, self.logistics.arrive)
        for site in self.sites:
            site.energize()
        self.deals = Deals(run, cfg.deals, seed_data.deals, self.open_allocations, self.supply)
        run.env.process(self.deals.announce())

    def add_site(self, spec: SiteSpec, steps: list[tuple[float, float]] | None = None) -> None:
        """A site of the run: its phases planned (drawn, delayed) unless ``steps`` are given.
        A site with no dated report (undisclosed, a deal's capacity) is known as of the as-of
        date: the seeds hold every site made public by then."""
        planned = []
        if spec.reported is None and self.seeds.as_of is not None:
            spec = replace(spec, reported=self.seeds.as_of)
        if steps is None:
            planned, steps = sites.plan(self.cfg.sites, self.run.draws, self.grid, spec)
        self.sites.append(sites.Site(self.run, spec, len(self.sites), steps,
                                     self.offer_room, planned))

    def undisclosed(self, alloc: Allocation) -> list[SiteSpec]:
        """The recipient's undisclosed sites: enough MW for what its own sites must hold."""
        prior = self.seeds.prior
        if prior is None:
            return []
        tranches = sum(self.tranche_gpus[t.id] for t in self.seeds.tranches
                       if t.recipient == alloc.recipient)
        need_day = max(to_day(self.seeds.records.pledge_public) if self.seeds.records
                       else 0.0, self.run.as_of_day)
        need_mw = max(0, alloc.gpus - tranches) * self.generations.kw_on(need_day) / 1000
        own_mw = sum(mw for s in self.sites if s.recipient == alloc.recipient
                     for mw, _, _ in s.planned)
        if own_mw >= need_mw:
            return []
        return prior_sites.undisclosed(prior, self.run.draws, alloc.recipient, alloc.name,
                                       need_mw - own_mw, need_day)

    def open_allocations(self) -> None:
        """The pledge: create each recipient's lots, its demand blocks and plan."""
        cfg, run = self.cfg, self.run
        for alloc in self.seeds.allocations:
            gpus = lot_sizes(alloc.gpus, cfg.hardware.gpus_per_lot)
            recipient = Recipient(alloc.recipient, gpus,
                                  lot_kw=gpus * self.generations.kw_on(run.env.now),
                                  generations=self.generations)
            recipient.sites = [s for s in self.sites if s.recipient == alloc.recipient] + \
                [s for s in self.sites if s.recipient is None]
            if cfg.demand.reallocation == "national":  # then any other's free room
                recipient.sites += [s for s in self.sites
                                    if s.recipient not in (None, alloc.recipient)]
            self.recipients[alloc.recipient] = recipient
            run.timeline.record(run.env.now, "allocated", alloc.recipient, gpus=alloc.gpus)
            self.plan_demand(recipient)
            self.supply.enlist(recipient)
            run.env.process(submit_plan(run, cfg.demand, recipient, self.supply.wake))
        if cfg.demand.reallocation == "national":  # the working group's yearly plan
            run.env.process(national_plan.yearly(run, cfg.demand, list(self.recipients.values()),
                                                 self.sites, self.supply.wake))

    def plan_demand(self, recipient: Recipient) -> None:
        """The recipient's tranches (ordered ones shipped at once) and site-gated blocks."""
        cfg, run = self.cfg, self.run
        tranches = [t for t in self.seeds.tranches if t.recipient == recipient.id]
        # ordered tranches first: the lots ordered so far are always the first ones
        tranches.sort(key=lambda t: (t.ordered is None, to_day((t.ordered or
                                                                t.order_window)[0])))
        first = 0
        counts = [self.tranche_gpus[t.id] for t in tranches]
        for tranche, lots in zip(tranches, tranche_lots(counts, cfg.hardware.gpus_per_lot,
                                                        recipient.n_lots)):
            if not lots:
                continue
            codes = named(tranche.generation)
            if codes:  # the generations a source names, in equal shares
                edges = np.linspace(first, first + lots, len(codes) + 1).round().astype(int)
                for gen, a, b in zip(codes, edges[:-1], edges[1:]):
                    recipient.generation[a:b] = gen
            self.tranche_spans.append({"tranche": tranche.id, "recipient": recipient.id,
                                       "first": first, "end": first + lots})
            if tranche.ordered is not None:
                recipient.ordered = first + lots
                self.supply.ship_ordered(recipient, first, first + lots, tranche,
                                         self.pins[recipient.id]["arrived"])
            else:
                reported = self.arrive_reported(recipient, first, first + lots)
                recipient.blocks += window_blocks(tranche, lots - reported)
            first += lots
        if first < recipient.n_lots:
            self.tranche_spans.append({"tranche": with_sites(recipient.id),
                                       "recipient": recipient.id, "first": first,
                                       "end": recipient.n_lots})
        first += self.arrive_reported(recipient, first, recipient.n_lots)
        own = [(s.index, i, mw, announced, ready) for s in recipient.sites
               if s.recipient == recipient.id for i, (mw, announced, ready) in
               enumerate(s.planned)]
        lead = cfg.demand.order_ahead_months * DAYS_PER_MONTH
        now = run.env.now  # a lot is ordered no earlier than now: it gets what ships from now

        def kw_on(day: float) -> float:
            return self.generations.kw_on(max(day, now))

        blocks = site_blocks(recipient.n_lots - first, [o[:4] for o in own],
                             cfg.hardware.gpus_per_lot, kw_on, lead)
        recipient.blocks += blocks
        if cfg.demand.timing == "expected_ready":
            ready = {(o[0], o[1]): (o[3], o[4]) for o in own}
            for block in blocks:
                if block.phase is not None:
                    announced, modelled = ready[block.phase]
                    run.env.process(replan(run, cfg.demand, recipient, block, announced,
                                           modelled, self.supply.wake))

    def offer_room(self, recipient_id: str | None) -> None:
        """Room came on at a site of ``recipient_id`` (None: open to all): its owner's waiting
        lots take it first; under a national reallocation, then everyone's."""
        self.installation.offer_room(recipient_id)
        if recipient_id is not None and self.cfg.demand.reallocation == "national":
            self.installation.offer_room(None)

    def arrive_reported(self, recipient: Recipient, first: int, end: int) -> int:
        """Lots from ``first`` (before ``end``) that an observed arrival reports though no
        source says when they were ordered (Naver's first GPUs): they were ordered by the
        day they arrived, and arrive on it. How many there were."""
        pinned = self.pins[recipient.id]["arrived"][first:end]
        known = int(np.argmin(~np.isnan(pinned))) if np.isnan(pinned).any() else len(pinned)
        for day in np.unique(pinned[:known]):
            lots = np.flatnonzero(pinned == day) + first
            recipient.order(int(lots[0]), int(lots[-1]) + 1, float(day))
            self.logistics.arrive(recipient, int(lots[0]), int(lots[-1]) + 1, float(day))
        if known:
            recipient.ordered = first + known
        return known

    def gpus_of(self, tranche) -> int:
        """A tranche's GPUs: as a source counts them, or what its budget buys of the
        generations it names (else of the one shipping when its orders start)."""
        if tranche.gpus is not None:
            return tranche.gpus
        start = to_day((tranche.ordered or tranche.order_window)[0])
        codes = named(tranche.generation) or [self.generations.on(start)]
        return self.generations.budget_gpus(tranche.budget_won, codes)

    def output(self) -> RunOutput:
        run = self.run
        return RunOutput(
            columns=lot_columns(list(self.recipients.values()), [s.id for s in self.sites],
                                run.horizon_day),
            other_events=run.timeline.rows,
            allocations={a.recipient: a.gpus for a in self.seeds.allocations},
            site_rows=site_rows(self.sites),
            tranche_rows=self.tranche_spans,
            horizon_day=run.horizon_day,
            seed=self.cfg.seed,
            scenario=self.cfg.scenario,
            replication=self.replication,
            sampled=run.draws.sampled,
            pledge_day=to_day(self.seeds.deals["nvidia_pledge"].date),
            as_of=self.seeds.as_of,
        )


def pins_of(seed_data: SeedData, gpus_per_lot: int, uniform
            ) -> tuple[dict[str, dict], dict[str, dict]]:
    """Each recipient's lots pinned by observed facts, and their floors, with the facts'
    ranges drawn by the run's ``uniform`` (:func:`sim.model.facts.drawn`,
    :func:`~sim.model.facts.pinned_days`, :func:`~sim.model.facts.floor_days`)."""
    reports = drawn(seed_data.facts, uniform)
    lots = {a.recipient: lot_sizes(a.gpus, gpus_per_lot) for a in seed_data.allocations}
    return ({rid: pinned_days(reports, rid, gpus) for rid, gpus in lots.items()},
            {rid: floor_days(reports, rid, gpus) for rid, gpus in lots.items()})


def with_sites(recipient: str) -> str:
    """The name of a recipient's lots that no tranche takes: ordered in step with its sites."""
    return f"{recipient}: with its sites"


def simulate(cfg: ModelConfig, seed_data: SeedData, replication: int = 0) -> RunOutput:
    """Run one realization (replication ``replication``) of ``cfg`` (already
    :func:`sim.model.params.resolve`-d) up to its horizon."""
    world = World(cfg, seed_data, replication)
    world.run.env.run(until=world.run.horizon_day)
    return world.output()
