"""The run's random inputs, each drawn by the config key that names it.

A component asks for ``power.grid_delay_months`` of site ``sk_ulsan`` by that key alone:
the distribution comes from the resolved config at the same key, and the uniform behind
the draw from the run's stream for ``(key, entity)`` (:mod:`sim.model.streams`). So the key
a draw is recorded under, the config value it follows and the random numbers it uses can
never disagree, and a typo in a key fails at once (no such config key) instead of drawing
other numbers.

Every draw is recorded in :attr:`Draws.sampled` (``"power.grid_delay_months[sk_ulsan]" ->
7.2``; for inputs drawn per lot, their mean over the recipient's lots): Monte Carlo keeps
that row per replication, and the drivers correlate it with the outcome.
"""

from __future__ import annotations

import numpy as np

from sim.model.params import get
from sim.model.streams import Streams


class Draws:
    """The run's source of random inputs: the resolved config and the keyed streams."""

    def __init__(self, cfg, streams: Streams):
        self.cfg = cfg
        self.streams = streams
        self.sampled: dict[str, float] = {}
        self._per_lot: dict[tuple[str, str], np.ndarray] = {}

    def one(self, key: str, entity: str, dist=None) -> float:
        """The uncertain input ``key`` for one entity (a site, a recipient, a deal): its
        distribution (the config's at ``key``, unless ``dist`` stands in for it, as a
        site's own slip does) at the entity's own uniform."""
        dist = get(self.cfg, key) if dist is None else dist
        value = float(dist.ppf(self.streams.uniform(key, entity)))
        self.sampled[f"{key}[{entity}]"] = value
        return value

    def occurs(self, key: str, entity: str, stream: str | None = None) -> bool:
        """Whether the event whose probability is the config's ``key`` happens to the
        entity. ``stream`` names the draw where one stream serves a group of keys (a site
        has one region, so one draw against ``power.approval_p.<region>``)."""
        name = stream or key
        u = self.streams.uniform(name, entity)
        self.sampled[f"{name}[{entity}]"] = u
        return u < get(self.cfg, key)

    def per_lot(self, key: str, recipient: str, n: int) -> np.ndarray:
        """The uncertain input ``key`` for each of a recipient's ``n`` numbered lots (or
        orders). Item ``i`` is the same whatever the order of asking."""
        return self._lots(key, recipient, n, get(self.cfg, key).ppf)

    def occurs_per_lot(self, key: str, recipient: str, n: int) -> np.ndarray:
        """For each of a recipient's lots, whether the event of probability ``key`` happens."""
        return self._lots(key, recipient, n, lambda u: u) < get(self.cfg, key)

    def _lots(self, key: str, recipient: str, n: int, ppf) -> np.ndarray:
        cached = self._per_lot.get((key, recipient))
        if cached is None:
            cached = ppf(self.streams.uniforms(n, key, recipient))
            self._per_lot[key, recipient] = cached
            self.sampled[f"{key}[{recipient}]"] = float(cached.mean())
        return cached
