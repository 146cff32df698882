"""The five recipients of the pledge, their lots and their demand plans.

NVIDIA said allocation order depends on each partner working out and submitting its demand
plan (source 001); MSIT set up a GPU working group with the firms a month after the pledge
(FACTS §4). So a recipient gets no supply until its plan is in, ``demand.plan_delay_months``
after the pledge (one draw per recipient).

The plan says when the recipient wants its lots (``demand.timing``):

- ``site_schedule`` (default): in step with its sites' *announced* phases: each phase's MW
  (at ``hardware.facility_kw_per_gpu``) is wanted ``demand.order_ahead_months`` before its
  announced date. Firms plan on announced dates, so slips leave GPUs waiting for power. GPUs
  beyond the announced MW are wanted with the last phase.
- ``asap``: the whole allocation at once.

A recipient's allocation is split into lots of ``hardware.gpus_per_lot`` (the last may be
partial), numbered in the order they will be ordered. Each lot's history (the day it is
ordered, shipped, arrives, is placed, installed, fails burn-in, runs) is kept in arrays indexed
by lot number, so a whole order or placement updates a slice.

Left out: re-planning when sites slip, and trading allocations between recipients.
"""

from __future__ import annotations

import bisect
import math
from collections import deque
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from sim.calendar import DAYS_PER_MONTH, to_day

if TYPE_CHECKING:
    from sim.model import World
    from sim.sites import Site

LOT_STAGES = ("ordered", "shipped", "arrived", "placed", "installed", "burnin_failed",
              "operational")


@dataclass
class Recipient:
    """A recipient: its lots, its plan, and the lots waiting at it for power."""

    id: str
    gpus: np.ndarray
    """GPUs in each lot."""
    kw: np.ndarray
    """Facility kW each lot needs."""
    sites: list[Site] = field(default_factory=list)
    """Where its lots may go, in order of preference (its own, then any open to all)."""
    plan_day: float | None = None
    due_days: list[float] = field(default_factory=list)
    """The day by which each lot is wanted, once the plan is in (never decreasing)."""
    ordered: int = 0
    """How many lots supply has ordered so far (always the first ones)."""
    waiting: deque = field(default_factory=deque)
    """Blocks ``(first, end)`` of lot numbers that have arrived and wait for powered room."""
    days: dict[str, np.ndarray] = field(default_factory=dict)
    """For each stage of :data:`LOT_STAGES`, the day each lot reached it (NaN: not yet)."""
    site_of: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int16))
    """The index (in the run's site list) of the site each lot was placed at; -1: none."""

    def __post_init__(self):
        self.days = {stage: np.full(len(self.gpus), np.nan) for stage in LOT_STAGES}
        self.site_of = np.full(len(self.gpus), -1, dtype=np.int16)

    @property
    def n_lots(self) -> int:
        return len(self.gpus)

    def due_lots(self, now: float) -> int:
        """Lots wanted by ``now`` and not yet ordered."""
        if self.plan_day is None:
            return 0
        return bisect.bisect_right(self.due_days, now) - self.ordered


def lot_sizes(gpus: int, gpus_per_lot: int) -> np.ndarray:
    full, rest = divmod(gpus, gpus_per_lot)
    return np.array([gpus_per_lot] * full + ([rest] if rest else []), dtype=np.int64)


def open_allocations(world: World) -> None:
    """The pledge: create each recipient's lots and start its demand planning."""
    hw = world.cfg.hardware
    for alloc in world.seeds.allocations:
        gpus = lot_sizes(alloc.gpus, hw.gpus_per_lot)
        recipient = Recipient(alloc.recipient, gpus, gpus * hw.facility_kw_per_gpu)
        recipient.sites = [s for s in world.sites if s.recipient == alloc.recipient] + \
            [s for s in world.sites if s.recipient is None]
        world.recipients[alloc.recipient] = recipient
        world.timeline.record(world.env.now, "allocated", alloc.recipient, gpus=alloc.gpus)
        world.env.process(submit_plan(world, recipient))


def submit_plan(world: World, recipient: Recipient):
    """Process: work out the demand plan, then become eligible for supply."""
    months = world.draw("demand.plan_delay_months", recipient.id,
                        world.cfg.demand.plan_delay_months)
    yield world.env.timeout(months * DAYS_PER_MONTH)
    recipient.due_days = np.maximum(world.env.now, wanted_days(world, recipient)).tolist()
    recipient.plan_day = world.env.now
    world.timeline.record(world.env.now, "plan_submitted", recipient.id,
                          gpus=int(recipient.gpus.sum()))
    world.supply.enlist(recipient)


def wanted_days(world: World, recipient: Recipient) -> np.ndarray:
    """The day each of the recipient's lots is wanted, by ``demand.timing``."""
    cfg = world.cfg
    n = recipient.n_lots
    if cfg.demand.timing == "asap":
        return np.zeros(n)
    phases = sorted((p for s in world.seeds.sites if s.recipient == recipient.id
                     for p in s.phases), key=lambda p: p.ready)
    if not phases:
        return np.zeros(n)
    lead = cfg.demand.order_ahead_months * DAYS_PER_MONTH
    wanted = np.full(n, to_day(phases[-1].ready) - lead)
    first = 0
    cum_gpus = 0.0
    for phase in phases:
        cum_gpus += phase.mw * 1000.0 / cfg.hardware.facility_kw_per_gpu
        last = min(n, math.floor(cum_gpus / cfg.hardware.gpus_per_lot))
        wanted[first:last] = to_day(phase.ready) - lead
        first = max(first, last)
    return wanted
