"""Logistics: air or sea freight and customs, from NVIDIA's integrators to the recipient.

Each order travels as one consignment for ``logistics.ship_days`` (one draw per order, keyed
by recipient and order number), then its lots join the recipient's queue for powered room.
Korea's 2025 batch went from order to arrival in 3–4 months (FACTS §2), most of it the
order-to-ship lead time of :mod:`sim.model.supply`; transit is the short remainder. Lots an
observed arrival pins arrive on that day (:meth:`Logistics.arrive`); no other lot arrives
before the as-of date (:mod:`sim.model.facts`).

Left out: port or airport capacity, and losses in transit.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from sim.model.demand import Recipient
from sim.model.params import uncertain


@dataclass
class LogisticsConfig:
    ship_days: Any = uncertain(label="shipping and customs (days)")


class Logistics:
    """Carries shipped orders to their recipients; ``deliver(recipient)`` offers the arrived
    lots powered room (:meth:`sim.model.installation.Installation.place_waiting`)."""

    def __init__(self, run, cfg: LogisticsConfig, deliver: Callable[[Recipient], None]):
        self.run = run
        self.cfg = cfg
        self.deliver = deliver

    def carry(self, recipient: Recipient, first: int, end: int, order: int):
        """Process step: carry an order's lots to the recipient, then seek room for them."""
        days = self.run.draws.per_lot("logistics.ship_days", recipient.id,
                                      recipient.n_lots)[order]
        env = self.run.env
        yield env.timeout(max(float(days), self.run.as_of_day - env.now))
        self._arrived(recipient, first, end)

    def arrive(self, recipient: Recipient, first: int, end: int, day: float):
        """Process: lots whose arrival an observed event pins arrive on that day."""
        env = self.run.env
        yield env.timeout(max(0.0, day - env.now))
        recipient.days["shipped"][first:end] = env.now
        self._arrived(recipient, first, end)

    def _arrived(self, recipient: Recipient, first: int, end: int) -> None:
        recipient.days["arrived"][first:end] = self.run.env.now
        recipient.waiting.append((first, end))
        self.deliver(recipient)
