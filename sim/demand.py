"""The five recipients of the pledge and their demand plans.

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

Left out: re-planning when sites slip, and trading allocations between recipients.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from sim.calendar import DAYS_PER_MONTH, to_day

if TYPE_CHECKING:
    from sim.model import World


@dataclass(frozen=True)
class Lot:
    """The unit that flows: one NVL72 rack of 72 GPUs by default; a recipient's last may be
    partial."""

    recipient: str
    index: int
    gpus: int
    kw: float


@dataclass
class Recipient:
    """A recipient: its allocation as lots, its plan, and the lots waiting at it for power."""

    id: str
    lots: list[Lot]
    plan_day: float | None = None
    due_days: np.ndarray = field(default_factory=lambda: np.zeros(0))
    """The day by which each lot (by index) is wanted, once the plan is in."""
    ordered: int = 0
    """How many lots supply has ordered so far (always the first ones)."""
    waiting: deque = field(default_factory=deque)
    """Lots that have arrived and wait for powered room, first come first served."""

    @property
    def gpus(self) -> int:
        return sum(lot.gpus for lot in self.lots)

    def due_lots(self, now: float) -> int:
        """Lots wanted by ``now`` and not yet ordered."""
        if self.plan_day is None:
            return 0
        return int(np.searchsorted(self.due_days, now, side="right")) - self.ordered


def split_into_lots(recipient: str, gpus: int, gpus_per_lot: int, kw_per_gpu: float) -> list[Lot]:
    full, rest = divmod(gpus, gpus_per_lot)
    sizes = [gpus_per_lot] * full + ([rest] if rest else [])
    return [Lot(recipient, i, n, n * kw_per_gpu) for i, n in enumerate(sizes)]


def open_allocations(world: World) -> None:
    """The pledge: create each recipient's lots and start its demand planning."""
    hw = world.cfg.hardware
    for alloc in world.seeds.allocations:
        lots = split_into_lots(alloc.recipient, alloc.gpus, hw.gpus_per_lot,
                               hw.facility_kw_per_gpu)
        recipient = Recipient(alloc.recipient, lots)
        world.recipients[alloc.recipient] = recipient
        world.timeline.record(world.env.now, "allocated", alloc.recipient, gpus=alloc.gpus)
        world.env.process(submit_plan(world, recipient))


def submit_plan(world: World, recipient: Recipient):
    """Process: work out the demand plan, then become eligible for supply."""
    delay = world.cfg.demand.plan_delay_months.ppf(
        world.streams.uniform("demand.plan_delay_months", recipient.id))
    yield world.env.timeout(float(delay) * DAYS_PER_MONTH)
    recipient.due_days = np.maximum(world.env.now, wanted_days(world, recipient))
    recipient.plan_day = world.env.now
    world.timeline.record(world.env.now, "plan_submitted", recipient.id, gpus=recipient.gpus)
    world.supply.enlist(recipient)


def wanted_days(world: World, recipient: Recipient) -> np.ndarray:
    """The day each of the recipient's lots is wanted, by ``demand.timing``."""
    cfg = world.cfg
    n = len(recipient.lots)
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
