"""Korea-bound Blackwell supply: a quarterly cap, an allocation policy, an order-to-ship lead.

NVIDIA ships of the order of a million Blackwell packages a quarter (asianfin_2025_10_28,
jpmorgan_2025_11_18), so 260k over five years is a few per cent of output, and no source gives
Korea's allocation. The model gives Korea ``supply.cap_gpus_per_quarter``, released weekly: in
the baseline NVIDIA's whole output, which does not bind; an allocation under sold-out CoWoS and
HBM (kollo_2024_10_11, livemint_2025_10_01) is a scenario's (``hbm_crunch``: 60k a quarter,
cut further by the Stargate LOI). Each week the release goes to recipients whose plans are in
and who want lots now, in the order ``supply.policy`` sets (:func:`allocate`):

- ``plan_order``: first come (by plan submission) first served;
- ``pro_rata``: in proportion to the lots each wants now;
- ``government_first``: the government, then plan order.

Each weekly order of a recipient ships ``supply.order_to_ship_months`` later (one draw per
order, keyed by recipient and order number; Korea's 2025 batch took 3–4 months from order to
arrival), then goes to :mod:`sim.model.logistics`. Unused release is not banked beyond one
lot. A tranche already ordered before the run (the government's Aug-2025 batch) is not
released again: its orders ship their lead time after their order date
(:meth:`Supply.ship_ordered`), or within the window a source said they would ship, late by
``supply.ship_slip_days`` (a stated schedule slips like any other), or on the day an observed
arrival pins them.

Left out: prices, and NVIDIA's other customers as such (they are inside the cap).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import Any, Callable

import numpy as np
import simpy

from sim.calendar import DAYS_PER_MONTH, DAYS_PER_WEEK, to_day
from sim.model.demand import Recipient
from sim.model.draws import Draws
from sim.model.params import choice, number, uncertain
from sim.model.run import Run
from sim.seeds.data import Tranche

GROUP = "supply"
"""This component's config group: its keys are ``supply.*`` (:class:`SupplyConfig`)."""

WEEKS_PER_QUARTER = 13
POLICIES = ("plan_order", "pro_rata", "government_first")


@dataclass
class SupplyConfig:
    cap_gpus_per_quarter: int = number(label="Korea-bound supply cap (GPUs per quarter)")
    order_to_ship_months: Any = uncertain(label="order to shipment (months)")
    ship_slip_days: Any = uncertain(label="delay of a stated shipping window (days)")
    policy: str = choice(*POLICIES, label="how supply is shared")


class Supply:
    """The weekly release of Korea-bound GPUs and the orders it fills.

    ``recipients`` are every recipient of the pledge (the release runs until all their lots
    are ordered); ``ship`` carries an order's lots on once shipped
    (:meth:`sim.model.logistics.Logistics.carry`).
    """

    def __init__(self, run: Run, cfg: SupplyConfig, gpus_per_lot: int,
                 recipients: dict[str, Recipient], ship: Callable, arrive: Callable):
        self.run = run
        self.cfg = cfg
        self.draws = run.draws.of(GROUP, cfg)
        self.gpus_per_lot = gpus_per_lot
        self.recipients = recipients
        self.ship = ship
        """Carries an order's lots to the recipient
        (:meth:`sim.model.logistics.Logistics.carry`)."""
        self.arrive = arrive
        """Lots that arrive on a day an observed event pins
        (:meth:`sim.model.logistics.Logistics.arrive`)."""
        self.queue: list[Recipient] = []
        """Recipients whose plans are in, in the order they came in."""
        self.cut = 0.0
        self.cut_from = self.cut_until = -1.0
        self.orders: dict[str, int] = {}
        """How many orders each recipient has placed."""
        self.process = None
        self._wake = None
        self._order = None

    def enlist(self, recipient: Recipient) -> None:
        """A recipient joins the queue (and the weekly release starts)."""
        self.queue.append(recipient)
        self._order = None
        self.orders.setdefault(recipient.id, 0)
        if self.process is None:
            self.process = self.run.env.process(self.release_weekly())

    def squeeze(self, cut: float, start: float, until: float) -> None:
        """Cut Korea-bound output by the fraction ``cut`` from day ``start`` to ``until``."""
        self.cut, self.cut_from, self.cut_until = cut, start, until

    def weekly_release_gpus(self, day: float | None = None) -> float:
        """The GPUs released in the week of ``day`` (default: now)."""
        day = self.run.env.now if day is None else day
        cut = self.cut if self.cut_from <= day < self.cut_until else 0.0
        return self.cfg.cap_gpus_per_quarter * (1 - cut) / WEEKS_PER_QUARTER

    def release_weekly(self):
        """Process: each week, release output to the queue until every lot is ordered.

        A week in which nobody wants a lot changes nothing but the credit, which never
        exceeds a lot: so the release sleeps through such weeks until the first week some
        lot is wanted, or until a plan or a re-plan changes what is wanted (:meth:`wake`),
        and takes up the weekly grid again as if it had stepped through them.
        """
        env = self.run.env
        credit = 0.0
        while any(r.ordered < r.n_lots for r in self.recipients.values()):
            credit += self.weekly_release_gpus()
            wants = [(r, r.due_lots(env.now)) for r in self.ordered_queue()]
            for recipient, n in allocate(self.cfg.policy, wants,
                                         int(credit // self.gpus_per_lot)):
                first = recipient.ordered
                recipient.ordered += n
                recipient.take(n)
                credit -= recipient.gpus_before[first + n] - recipient.gpus_before[first]
                self.fulfil(recipient, first, first + n)
            credit = min(credit, self.gpus_per_lot)
            if any(n for _, n in wants):
                yield env.timeout(DAYS_PER_WEEK)
                continue
            credit = yield from self.sleep_until_wanted(credit)

    def sleep_until_wanted(self, credit: float):
        """Process step: wait until the next week a lot is wanted or demand changes; return
        the credit as the skipped weekly releases would have left it."""
        env = self.run.env
        start = env.now
        due = min((r.next_wanted() for r in self.recipients.values()), default=math.inf)
        self._wake = env.event()
        waits = [self._wake]
        if math.isfinite(due):
            waits.append(env.timeout(max(1, math.ceil((due - start) / DAYS_PER_WEEK -
                                                      1e-9)) * DAYS_PER_WEEK))
        yield _first_of(env, waits)
        self._wake = None
        weeks = max(1, math.ceil((env.now - start) / DAYS_PER_WEEK - 1e-9))
        for k in range(1, weeks):  # the releases of the weeks slept through
            credit = min(credit + self.weekly_release_gpus(start + k * DAYS_PER_WEEK),
                         self.gpus_per_lot)
        yield env.timeout(start + weeks * DAYS_PER_WEEK - env.now)
        return credit

    def wake(self) -> None:
        """What recipients want has changed (a plan is in, a block was re-planned)."""
        self._order = None
        if self._wake is not None and not self._wake.triggered:
            self._wake.succeed()

    def ordered_queue(self) -> list[Recipient]:
        """The queue in the policy's order: by demand plan (first in, first served), the
        government first if the policy says so. Kept until a plan comes in (:meth:`wake`)."""
        if self._order is None:
            by_plan = sorted(self.queue, key=lambda r: math.inf if r.plan_day is None
                             else r.plan_day)
            if self.cfg.policy == "government_first":
                by_plan.sort(key=lambda r: r.id != "government")
            self._order = by_plan
        return self._order

    def fulfil(self, recipient: Recipient, first: int, end: int, ordered: float | None = None,
               ships: float | None = None) -> None:
        """One order (lots ``first`` to ``end - 1``), from factory to the door: it ships
        after the lead time, or on ``ships`` if a source said when (never before now), and
        logistics carries it on. ``ordered`` is its day if it was placed before now (a
        tranche ordered already). Both days are settled when the order is placed."""
        now = self.run.env.now
        number = self.orders.setdefault(recipient.id, 0)
        self.orders[recipient.id] += 1
        placed = now if ordered is None else ordered
        recipient.order(first, end, placed)
        if ships is None:
            months = self.draws.per_lot("order_to_ship_months", recipient.id,
                                        recipient.n_lots)[number]
            ships = placed + float(months) * DAYS_PER_MONTH
        ships = max(ships, now)
        recipient.days["shipped"][first:end] = ships
        self.ship(recipient, first, end, number, ships)

    def ship_ordered(self, recipient: Recipient, first: int, end: int, tranche: Tranche,
                     pinned: np.ndarray) -> None:
        """A tranche ordered before now (lots ``first`` to ``end - 1``, in
        ``tranche.orders`` orders, each placed on a day within the window a source gives):
        lots an observed arrival pins arrive on that day; the rest ship when the source said
        they would (``tranche.ships``), or the usual lead time after their order."""
        edges = np.linspace(first, end, tranche.orders + 1).round().astype(int)
        for k, (a, b) in enumerate(zip(edges[:-1], edges[1:])):
            ordered = _within(self.draws, tranche.ordered, "order_day", f"{recipient.id}#{k}")
            days = pinned[a:b]
            known = int(np.sum(~np.isnan(days)))  # pinned lots are the first ones
            if known:
                for day in np.unique(days[:known]):
                    lots = np.flatnonzero(days == day) + a
                    # ordered by the day they arrived, whatever the order's stated day
                    recipient.order(int(lots[0]), int(lots[-1]) + 1, min(ordered, float(day)))
                    self.arrive(recipient, int(lots[0]), int(lots[-1]) + 1, float(day))
            if a + known < b:
                ships = None if tranche.ships is None else _within(
                    self.draws, tranche.ships, "ship_day", f"{recipient.id}#{k}") + \
                    self.draws.one("ship_slip_days", f"{recipient.id}#{k}")
                self.fulfil(recipient, a + known, b, ordered, ships)


def _first_of(env: simpy.Environment, events: list[simpy.Event]) -> simpy.Event:
    """An event that succeeds when the first of ``events`` is processed: what
    ``env.any_of(events)`` does (the same events, scheduled in the same order), without
    building its condition value, which nobody reads."""
    first = env.event()

    def fired(_) -> None:
        if not first.triggered:
            first.succeed()

    for event in events:
        event.callbacks.append(fired)
    return first


def _within(draws: Draws, window: tuple[date, date], name: str, entity: str) -> float:
    """A day drawn evenly within a window of dates."""
    first, last = (to_day(d) for d in window)
    return first + draws.uniform(name, entity) * (last - first)


def allocate(policy: str, wants: list[tuple[Recipient, int]], budget: int
             ) -> list[tuple[Recipient, int]]:
    """Split ``budget`` lots among ``(recipient, lots wanted)`` in queue order."""
    wants = [(r, n) for r, n in wants if n > 0]
    if policy == "pro_rata":
        total = sum(n for _, n in wants)
        if total <= budget:
            return wants
        shares = [(r, n, budget * n / total) for r, n in wants]
        given = {r.id: int(share) for r, _, share in shares}
        leftover = budget - sum(given.values())
        by_remainder = sorted(shares, key=lambda t: t[2] - int(t[2]), reverse=True)
        for r, _, _ in by_remainder[:leftover]:
            given[r.id] += 1
        return [(r, given[r.id]) for r, _, _ in shares if given[r.id] > 0]
    out = []
    for recipient, n in wants:
        if budget <= 0:
            break
        take = min(n, budget)
        out.append((recipient, take))
        budget -= take
    return out
