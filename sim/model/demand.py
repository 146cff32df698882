"""The five recipients of the pledge, their lots and their demand plans.

A recipient's allocation is split into lots (:mod:`sim.model.hardware`); each lot's history
(the day it is ordered, shipped, arrives, is placed, installed, fails burn-in, runs) is kept
in arrays indexed by lot number, so a whole order or placement updates a slice.

What a recipient wants, and when, is a list of :class:`Block`\\ s of lots, each wanted by a
day (:func:`plan_blocks`):

- tranches bought on a schedule (``seeds/tranches.yaml``): one already ordered (the
  government's Aug-2025 batch) is shipped as ordered (:mod:`sim.model.supply`); one with an
  order window is wanted evenly over it;
- the rest in step with the recipient's own sites: each phase's MW (at the recipient's kW
  per GPU) is wanted ``demand.order_ahead_months`` before the phase is ready; GPUs beyond its
  sites' MW with the last phase.

NVIDIA said allocation order depends on each partner submitting its demand plan (source
001); MSIT set up a GPU working group with the firms a month after the pledge (zdnet_2025_11_27). So
the site-gated blocks wait for the plan, ``demand.plan_delay_months`` after the pledge.

When the site-gated blocks are wanted is ``demand.timing``:

- ``expected_ready`` (default): re-planning. A recipient first plans on a phase's announced
  date; ``demand.slip_notice_months`` before that date it learns when the phase will really be
  ready, and moves the lots it has not yet ordered with it. Slips then cost idle GPUs only
  when they come too late to re-plan.
- ``announced_ready``: it takes delivery on the announced dates and holds the stock, waiting.
- ``asap``: everything at once.

Where an arrived lot may run is ``demand.reallocation``: ``within_recipient`` (default), at
any of its recipient's own sites or the capacity open to all (the colocation pool, a deal's
sites); ``national``, also in another recipient's energized room that its owner's lots do not
take (the GPU working group's national plan moving GPUs to where the power is). Room that
comes on goes to its owner's waiting lots first, then to everyone's.

Under ``national`` the working group's yearly plan also orders ahead for another
recipient's room (:mod:`sim.model.national_plan`).

Left out: trading allocations between recipients (a lot keeps its recipient wherever it
runs), and cancelling an order once placed.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Callable

import numpy as np

from sim.calendar import DAYS_PER_MONTH, to_day
from sim.model.params import choice, number, uncertain
from sim.model.run import Run
from sim.seeds.data import Tranche

GROUP = "demand"
"""This component's config group: its keys are ``demand.*`` (:class:`DemandConfig`)."""

LOT_STAGES = ("ordered", "shipped", "arrived", "placed", "installed", "burnin_failed",
              "operational")
TIMINGS = ("expected_ready", "announced_ready", "asap")
REALLOCATIONS = ("within_recipient", "national")
NEVER = math.inf


@dataclass
class DemandConfig:
    plan_delay_months: Any = uncertain(label="demand plan delay (months)")
    timing: str = choice(*TIMINGS, label="when recipients order")
    order_ahead_months: float = number(label="ordering ahead of a site's date (months)")
    slip_notice_months: Any = uncertain(matters=lambda cfg: cfg.demand.timing ==
                                        "expected_ready",
                                        label="notice of a site slip before its date (months)")
    reallocation: str = choice(*REALLOCATIONS, label="where waiting GPUs may run")


@dataclass
class Block:
    """Lots of one recipient wanted by ``wanted`` (a day): a month of a tranche's window, or a
    phase's share of its site-gated GPUs (``phase`` names it, for re-planning)."""

    wanted: float
    lots: int
    """Lots of the block not yet ordered."""
    phase: tuple[int, int] | None = None
    """``(site index, phase index)`` for a site-gated block."""
    planned: bool = False
    """A site-gated block waits for the recipient's demand plan."""


@dataclass
class Recipient:
    """A recipient: its lots, its plan, and the lots waiting at it for power."""

    id: str
    gpus: np.ndarray
    """GPUs in each lot."""
    lot_kw: np.ndarray
    """Facility kW each lot needs: its GPUs times its generation's kW per GPU (as planned
    until it is ordered, then of the generation it gets: :meth:`order`)."""
    generations: Any = None
    """The run's :class:`sim.model.generations.Generations` (None: every lot keeps the kW it
    was planned with)."""
    sites: list = field(default_factory=list)
    """Where its lots may go (:class:`sim.model.sites.Site`), in order of preference: its
    own, then the capacity open to all."""
    plan_day: float | None = None
    blocks: list[Block] = field(default_factory=list)
    ordered: int = 0
    """How many lots have been ordered so far (always the first ones)."""
    waiting: deque = field(default_factory=deque)
    """Blocks ``(first, end)`` of lot numbers that have arrived and wait for powered room."""
    days: dict[str, np.ndarray] = field(default_factory=dict)
    """For each stage of :data:`LOT_STAGES`, the day each lot reached it (NaN: not yet)."""
    site_of: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int16))
    """The index (in the run's site list) of the site each lot was placed at; -1: none."""
    kw_before: list[float] = field(default_factory=list)
    """The kW of lots ``0..i-1`` for each ``i`` up to the number of lots: lots ``a..b-1``
    need ``kw_before[b] - kw_before[a]``."""
    gpus_before: tuple[int, ...] = ()
    """The GPUs of lots ``0..i-1``, likewise."""
    lot_numbers: np.ndarray = field(default_factory=lambda: np.zeros(0))
    """``0, 1, ..., n_lots`` (as floats): slices of it number a run of lots."""
    generation: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int8))
    """Each lot's generation (:data:`sim.model.generations.GENERATIONS` index) once ordered;
    before that, the one a tranche names for it, or -1."""

    def __post_init__(self):
        self.days = dict(zip(LOT_STAGES, np.full((len(LOT_STAGES), len(self.gpus)), np.nan)))
        self.generation = np.full(len(self.gpus), -1, dtype=np.int8)
        self.site_of = np.full(len(self.gpus), -1, dtype=np.int16)
        self.kw_before = [0.0, *np.cumsum(self.lot_kw).tolist()]
        self.gpus_before, self.lot_numbers = _numbered(np.asarray(self.gpus, dtype=np.int64)
                                                       .tobytes())

    @property
    def n_lots(self) -> int:
        return len(self.gpus)

    def order(self, first: int, end: int, day: float) -> None:
        """Lots ``first`` to ``end - 1`` are ordered on ``day``: each gets the generation its
        tranche names, or else the newest shipping that day, and that generation's kW."""
        self.days["ordered"][first:end] = day
        if self.generations is None or end <= first:
            return
        codes = self.generation[first:end]
        codes[codes < 0] = self.generations.on(day)
        kw = self.gpus[first:end] * self.generations.facility_kw_per_gpu[codes]
        if np.array_equal(kw, self.lot_kw[first:end]):
            return  # as planned: the room the later lots need is unchanged
        self.lot_kw[first:end] = kw
        base = self.kw_before[first]
        self.kw_before[first + 1:] = (base + np.cumsum(self.lot_kw[first:])).tolist()

    def due_lots(self, now: float) -> int:
        """Lots wanted by ``now`` and not yet ordered (a site-gated block only once the
        demand plan is in)."""
        planned = self.plan_day is not None
        due = 0
        for b in self.blocks:
            if b.wanted <= now and b.lots and (planned or not b.planned):
                due += b.lots
        return due

    def next_wanted(self) -> float:
        """The first day a lot not yet ordered is wanted (infinite if none is, or if every
        such block waits for the demand plan)."""
        planned = self.plan_day is not None
        return min((b.wanted for b in self.blocks if b.lots and (planned or not b.planned)),
                   default=NEVER)

    def take(self, n: int) -> None:
        """``n`` lots are ordered: they come off the blocks wanted earliest (blocks used up
        leave the list)."""
        for block in sorted(self.blocks, key=_wanted):
            used = min(n, block.lots)
            block.lots -= used
            n -= used
            if not n:
                break
        self.blocks = [b for b in self.blocks if b.lots]


def _wanted(block: Block) -> float:
    return block.wanted


def tranche_lots(gpus: list[int], gpus_per_lot: int, n_lots: int) -> list[int]:
    """How many of the recipient's lots each tranche of ``gpus`` GPUs takes (in order; never
    more than it has)."""
    out, left = [], n_lots
    for count in gpus:
        lots = min(left, max(1, round(count / gpus_per_lot)))  # a tranche: >= 1 lot
        out.append(lots)
        left -= lots
    return out


def window_blocks(tranche: Tranche, lots: int) -> list[Block]:
    """A tranche's lots wanted evenly over its order window, a block a month."""
    first, last = (to_day(d) for d in tranche.order_window)
    months = max(1, round((last - first) / DAYS_PER_MONTH))
    edges = np.linspace(0, lots, months + 1).round().astype(int)
    days = np.linspace(first, last, months)
    return [Block(float(day), int(b - a)) for day, a, b in zip(days, edges[:-1], edges[1:])
            if b > a]


def site_blocks(lots: int, phases: list[tuple[int, int, float, float]], gpus_per_lot: int,
                kw_on: Callable[[float], float], lead_days: float) -> list[Block]:
    """``lots`` wanted in step with the recipient's own site phases ``(site index, phase
    index, MW, ready day)``: each phase's MW worth of lots ``lead_days`` before it is ready
    (at ``kw_on(day)``, the kW per GPU of what ships on the day they are wanted), the rest
    with the last phase (or, without a site, as soon as the plan is in)."""
    if not phases:
        return [Block(0.0, lots, planned=True)] if lots else []
    blocks, first, cum_gpus = [], 0, 0.0
    for site, phase, mw, ready in sorted(phases, key=lambda p: p[3]):
        cum_gpus += mw * 1000.0 / kw_on(ready - lead_days)
        last = min(lots, math.floor(cum_gpus / gpus_per_lot))
        if last > first:
            blocks.append(Block(ready - lead_days, last - first, (site, phase), True))
            first = last
    if first < lots:
        site, phase, _, ready = max(phases, key=lambda p: p[3])
        blocks.append(Block(ready - lead_days, lots - first, (site, phase), True))
    return blocks


def submit_plan(run: Run, cfg: DemandConfig, recipient: Recipient,
                on_change: Callable[[], None] | None = None):
    """Process: work out the demand plan; until it is in, no site-gated block is wanted.
    ``on_change`` tells supply that what is wanted has changed."""
    months = run.draws.of(GROUP, cfg).one("plan_delay_months", recipient.id)
    yield run.env.timeout(months * DAYS_PER_MONTH)
    recipient.plan_day = run.env.now
    for block in recipient.blocks:
        if block.planned and cfg.timing == "asap":
            block.wanted = run.env.now
        elif block.planned:
            block.wanted = max(block.wanted, run.env.now)
    run.timeline.record(run.env.now, "plan_submitted", recipient.id,
                        gpus=int(recipient.gpus.sum()))
    if on_change:
        on_change()


def replan(run: Run, cfg: DemandConfig, recipient: Recipient, block: Block, announced: float,
           ready: float, on_change: Callable[[], None] | None = None):
    """Process: ``demand.slip_notice_months`` before the announced day, the recipient learns
    the day the phase will really be ready and moves the block's unordered lots with it."""
    months = run.draws.of(GROUP, cfg).one("slip_notice_months", recipient.id)
    yield run.env.timeout(max(0.0, announced - months * DAYS_PER_MONTH - run.env.now))
    lead = cfg.order_ahead_months * DAYS_PER_MONTH
    moved = max(ready - lead, recipient.plan_day if recipient.plan_day is not None else 0.0)
    if block.lots and moved != block.wanted:
        block.wanted = moved
        run.timeline.record(run.env.now, "replanned", recipient.id, gpus=int(block.lots))
        if on_change:
            on_change()


@lru_cache(maxsize=64)
def _numbered(gpus: bytes) -> tuple[tuple[int, ...], np.ndarray]:
    """``gpus_before`` and ``lot_numbers`` of lots of these sizes (int64 bytes): the same in
    every replication, so worked out once (read-only)."""
    sizes = np.frombuffer(gpus, dtype=np.int64)
    numbers = np.arange(len(sizes) + 1, dtype=float)
    numbers.setflags(write=False)
    return (0, *np.cumsum(sizes).tolist()), numbers
