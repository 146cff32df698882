"""Logistics: air or sea freight and customs, from NVIDIA's integrators to the recipient.

Each order travels as one consignment for ``logistics.ship_days`` (one draw per order, keyed by
recipient and order number), then its lots join the recipient's queue for powered room. Korea's
2025 batch went from order to arrival in 3–4 months (krnews21_2025_07_28,
koreajoongangdaily_2025_12_02), most of it the order-to-ship lead time of
:mod:`sim.model.supply`; transit is the short remainder. Lots an observed arrival pins arrive on
that day (:meth:`Logistics.arrive`); an order the recipient's reports say had not arrived by a
day (the floor of any of its lots) travels again from that day (:mod:`sim.model.facts`).

Left out: port or airport capacity, and losses in transit.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import numpy as np

from sim.model.demand import Recipient
from sim.model.params import uncertain
from sim.model.run import Run

GROUP = "logistics"
"""This component's config group: its keys are ``logistics.*`` (:class:`LogisticsConfig`)."""


@dataclass
class LogisticsConfig:
    ship_days: Any = uncertain(label="shipping and customs (days)")


class Logistics:
    """Carries shipped orders to their recipients; ``deliver(recipient)`` offers the arrived
    lots powered room (:meth:`sim.model.installation.Installation.place_waiting`)."""

    def __init__(self, run: Run, cfg: LogisticsConfig, deliver: Callable[[Recipient], None],
                 floors: dict[str, dict[str, np.ndarray]] | None = None):
        self.run = run
        self.cfg = cfg
        self.draws = run.draws.of(GROUP, cfg)
        self.deliver = deliver
        self.floors = {rid: stages["arrived"] for rid, stages in (floors or {}).items()
                       if stages["arrived"].any()}
        """Per recipient, the day before which each lot had not arrived (none: no entry)."""

    def carry(self, recipient: Recipient, first: int, end: int, order: int,
              shipped: float) -> None:
        """An order's lots, shipped on day ``shipped``, reach the recipient after transit
        (:meth:`arrived`)."""
        days = float(self.draws.per_lot("ship_days", recipient.id, recipient.n_lots)[order])
        floor = self.floors.get(recipient.id)
        arrival = shipped + days
        if floor is not None and arrival < (since := float(floor[first:end].max())):
            arrival = since + days
        self.run.at(arrival, self.arrived, recipient, first, end)

    def arrive(self, recipient: Recipient, first: int, end: int, day: float) -> None:
        """Lots whose arrival an observed event pins arrive on that day (shipped, as far as
        the model knows, the same day)."""
        day = max(day, self.run.env.now)
        recipient.days["shipped"][first:end] = day
        self.run.at(day, self.arrived, recipient, first, end)

    def arrived(self, recipient: Recipient, first: int, end: int) -> None:
        """Lots arrive now and seek powered room."""
        recipient.days["arrived"][first:end] = self.run.env.now
        recipient.waiting.append((first, end))
        self.deliver(recipient)
