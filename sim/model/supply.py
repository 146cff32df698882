"""Korea-bound Blackwell supply: a quarterly cap, an allocation policy, an order-to-ship lead.

NVIDIA ships of the order of a million Blackwell packages a quarter, so 260k over five years
is a few per cent of output; what binds is allocation under sold-out CoWoS and HBM (FACTS §2).
The model gives Korea ``supply.cap_gpus_per_quarter``, released weekly. Each week the
release goes to recipients whose plans are in and who want lots now, in the order
``supply.policy`` sets (:func:`allocate`):

- ``plan_order``: first come (by plan submission) first served;
- ``pro_rata``: in proportion to the lots each wants now;
- ``government_first``: the government, then plan order.

Each weekly order of a recipient ships ``supply.order_to_ship_months`` later (one draw per
order, keyed by recipient and order number; Korea's 2025 batch took 3–4 months), then goes to
:mod:`sim.model.logistics`. Unused release is not banked beyond one lot.

Left out: prices, and NVIDIA's other customers as such (they are inside the cap).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from sim.model.calendar import DAYS_PER_MONTH, DAYS_PER_WEEK
from sim.model.demand import Recipient
from sim.model.params import choice, number, uncertain

WEEKS_PER_QUARTER = 13
POLICIES = ("plan_order", "pro_rata", "government_first")


@dataclass
class SupplyConfig:
    cap_gpus_per_quarter: int = number(label="Korea-bound supply cap (GPUs per quarter)")
    order_to_ship_months: Any = uncertain(label="order to shipment (months)")
    policy: str = choice(*POLICIES, label="how supply is shared")


class Supply:
    """The weekly release of Korea-bound GPUs and the orders it fills.

    ``recipients`` are every recipient of the pledge (the release runs until all their lots
    are ordered); ``ship`` carries an order's lots on once shipped
    (:meth:`sim.model.logistics.Logistics.carry`).
    """

    def __init__(self, run, cfg: SupplyConfig, gpus_per_lot: int,
                 recipients: dict[str, Recipient], ship: Callable):
        self.run = run
        self.cfg = cfg
        self.gpus_per_lot = gpus_per_lot
        self.recipients = recipients
        self.ship = ship
        self.queue: list[Recipient] = []
        """Recipients whose plans are in, in the order they came in."""
        self.cut = 0.0
        self.cut_until = -1.0
        self.orders: dict[str, int] = {}
        """How many orders each recipient has placed."""
        self.process = None

    def enlist(self, recipient: Recipient) -> None:
        """A recipient's plan is in: it joins the queue (and the weekly release starts)."""
        self.queue.append(recipient)
        self.orders[recipient.id] = 0
        if self.process is None:
            self.process = self.run.env.process(self.release_weekly())

    def squeeze(self, cut: float, until: float) -> None:
        """Cut Korea-bound output by the fraction ``cut`` until day ``until``."""
        self.cut, self.cut_until = cut, until

    def weekly_release_gpus(self) -> float:
        cut = self.cut if self.run.env.now < self.cut_until else 0.0
        return self.cfg.cap_gpus_per_quarter * (1 - cut) / WEEKS_PER_QUARTER

    def release_weekly(self):
        """Process: each week, release output to the queue until every lot is ordered."""
        env = self.run.env
        credit = 0.0
        while any(r.ordered < r.n_lots for r in self.recipients.values()):
            credit += self.weekly_release_gpus()
            wants = [(r, r.due_lots(env.now)) for r in self.ordered_queue()]
            for recipient, n in allocate(self.cfg.policy, wants,
                                         int(credit // self.gpus_per_lot)):
                first = recipient.ordered
                recipient.ordered += n
                credit -= float(recipient.gpus[first:first + n].sum())
                env.process(self.fulfil(recipient, first, first + n))
            credit = min(credit, self.gpus_per_lot)
            yield env.timeout(DAYS_PER_WEEK)

    def ordered_queue(self) -> list[Recipient]:
        if self.cfg.policy == "government_first":
            return sorted(self.queue, key=lambda r: r.id != "government")
        return self.queue

    def fulfil(self, recipient: Recipient, first: int, end: int):
        """Process: one order (lots ``first`` to ``end - 1``), from factory to the door."""
        env = self.run.env
        number = self.orders[recipient.id]
        self.orders[recipient.id] += 1
        recipient.days["ordered"][first:end] = env.now
        months = self.run.draws.per_lot("supply.order_to_ship_months", recipient.id,
                                        recipient.n_lots)[number]
        yield env.timeout(float(months) * DAYS_PER_MONTH)
        recipient.days["shipped"][first:end] = env.now
        yield from self.ship(recipient, first, end, number)


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
