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

A recipient's allocation is split into lots (:mod:`sim.model.hardware`), numbered in the
order they will be ordered. Each lot's history (the day it is ordered, shipped, arrives, is
placed, installed, fails burn-in, runs) is kept in arrays indexed by lot number, so a whole
order or placement updates a slice.

Left out: re-planning when sites slip, and trading allocations between recipients.
"""

from __future__ import annotations

import bisect
import math
from collections import deque
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np

from sim.model.calendar import DAYS_PER_MONTH, to_day
from sim.model.params import choice, number, uncertain
from sim.model.seeds import Phase

LOT_STAGES = ("ordered", "shipped", "arrived", "placed", "installed", "burnin_failed",
              "operational")
TIMINGS = ("site_schedule", "asap")


@dataclass
class DemandConfig:
    plan_delay_months: Any = uncertain(label="demand plan delay (months)")
    timing: str = choice(*TIMINGS, label="when recipients order")
    order_ahead_months: float = number(label="ordering ahead of a site's date (months)")


@dataclass
class Recipient:
    """A recipient: its lots, its plan, and the lots waiting at it for power."""

    id: str
    gpus: np.ndarray
    """GPUs in each lot."""
    kw: np.ndarray
    """Facility kW each lot needs."""
    sites: list = field(default_factory=list)
    """Where its lots may go (:class:`sim.model.sites.Site`), in order of preference: its
    own, then any open to all."""
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


def submit_plan(run, cfg: DemandConfig, recipient: Recipient, wanted: np.ndarray,
                enlist: Callable[[Recipient], None]):
    """Process: work out the demand plan, then become eligible for supply (``enlist``).
    ``wanted`` is the day each lot is wanted (:func:`wanted_days`)."""
    months = run.draws.one("demand.plan_delay_months", recipient.id)
    yield run.env.timeout(months * DAYS_PER_MONTH)
    recipient.due_days = np.maximum(run.env.now, wanted).tolist()
    recipient.plan_day = run.env.now
    run.timeline.record(run.env.now, "plan_submitted", recipient.id,
                        gpus=int(recipient.gpus.sum()))
    enlist(recipient)


def wanted_days(cfg: DemandConfig, phases: list[Phase], n_lots: int, gpus_per_lot: int,
                kw_per_gpu: float) -> np.ndarray:
    """The day each of a recipient's ``n_lots`` lots is wanted, by ``demand.timing``, given
    the announced ``phases`` of its own sites."""
    if cfg.timing == "asap":
        return np.zeros(n_lots)
    phases = sorted(phases, key=lambda p: p.ready)
    if not phases:
        return np.zeros(n_lots)
    lead = cfg.order_ahead_months * DAYS_PER_MONTH
    wanted = np.full(n_lots, to_day(phases[-1].ready) - lead)
    first = 0
    cum_gpus = 0.0
    for phase in phases:
        cum_gpus += phase.mw * 1000.0 / kw_per_gpu
        last = min(n_lots, math.floor(cum_gpus / gpus_per_lot))
        wanted[first:last] = to_day(phase.ready) - lead
        first = max(first, last)
    return wanted
