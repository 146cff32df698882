"""What every component of one run shares: the clock, the draws, the record of events.

A component (:mod:`sim.model.supply`, :mod:`sim.model.installation`, ...) is built from its
own config group and a :class:`Run`; the run's :class:`~sim.model.draws.Draws` hands it its
random inputs by their config keys. This module imports no component, so a component, a test
of one, or a new one, can be built from it alone:

    run = Run.start(seed=0, horizon_day=3_000)
    Logistics(run, LogisticsConfig(ship_days=Fixed(14.0)), deliver=print)

:class:`Squeeze` is the narrow interface a deal sees of supply; the other components talk
through callbacks that :class:`sim.model.world.World` wires up.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Protocol

import simpy

from sim.model.draws import Draws
from sim.model.streams import Streams


@dataclass
class Timeline:
    """The run's events other than lots' own (deals, plans, sites coming on): rows of
    ``(day, event, recipient, site, lot, gpus, mw)``, lot -1 for none."""

    rows: list[tuple] = field(default_factory=list)

    def record(self, day: float, event: str, recipient=None, site=None, gpus: int = 0,
               mw: float = 0.0) -> None:
        self.rows.append((day, event, recipient, site, -1, gpus, mw))


@dataclass
class Run:
    """What every component of one run shares: the clock, the draws, the record."""

    env: simpy.Environment
    draws: Draws
    timeline: Timeline
    horizon_day: float
    as_of_day: float = 0.0
    """Before this day nothing happens that was not reported by then (:mod:`sim.model.facts`)."""

    @classmethod
    def start(cls, seed: int, replication: int = 0, horizon_day: float = float("inf"),
              as_of_day: float = 0.0, strata: int = 0) -> Run:
        """A fresh run: a clock at day 0, the draws of ``(seed, replication)`` (stratified
        over ``strata`` replications if > 1: :mod:`sim.model.streams`), no events."""
        return cls(simpy.Environment(), Draws(Streams(seed, replication, strata)), Timeline(),
                   horizon_day, as_of_day)

    def at(self, day: float, then: Callable, *args) -> None:
        """Call ``then(*args)`` on ``day`` (now, if it has passed). For a step whose day is
        settled when it is scheduled (a shipment's arrival, a site's next MW), an event is
        enough: no process has to wait for it."""
        self.env.timeout(max(0.0, day - self.env.now)).callbacks.append(
            lambda _: then(*args))


class Squeeze(Protocol):
    """What a deal may do to supply (:meth:`sim.model.supply.Supply.squeeze`)."""

    def squeeze(self, cut: float, start: float, until: float) -> None: ...
