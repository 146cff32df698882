"""Logistics: air or sea freight and customs, from NVIDIA's integrators to the recipient.

Each order travels as one consignment for ``logistics.ship_days`` (one draw per order, keyed
by recipient and order number), then its lots join the recipient's queue for powered room.
Korea's 2025 batch went from order to arrival in 3–4 months (FACTS §2), most of it the
order-to-ship lead time of :mod:`sim.supply`; transit is the short remainder.

Left out: port or airport capacity, and losses in transit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sim.demand import Recipient
    from sim.model import World


def transit(world: World, recipient: Recipient, first: int, end: int, order: int):
    """Process step: carry an order's lots to the recipient, then seek room for them."""
    env = world.env
    days = world.draws("logistics.ship_days", recipient, world.cfg.logistics.ship_days)[order]
    yield env.timeout(float(days))
    recipient.days["arrived"][first:end] = env.now
    recipient.waiting.append((first, end))
    world.place_waiting(recipient.id)
