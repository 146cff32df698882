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

from statistics import NormalDist

import numpy as np

from sim.model.params import get
from sim.model.streams import Streams

_NORMAL = NormalDist()
COMMON = "korea"
"""The entity of a factor every entity shares: one national grid, one transformer market."""


class Draws:
    """The run's source of random inputs: the resolved config and the keyed streams."""

    def __init__(self, cfg, streams: Streams):
        self.cfg = cfg
        self.streams = streams
        self.sampled: dict[str, float] = {}
        self._per_lot: dict[tuple[str, str], np.ndarray] = {}

    def one(self, key: str, entity: str, dist=None, *, rho: float = 0.0,
            group: str = COMMON, record: bool = True) -> float:
        """The uncertain input ``key`` for one entity (a site, a recipient, a deal): its
        distribution (the config's at ``key``, unless ``dist`` stands in for it, as a
        site's own slip does) at the entity's uniform (:meth:`uniform`)."""
        dist = get(self.cfg, key) if dist is None else dist
        value = dist.at(self.uniform(key, entity, rho=rho, group=group))
        if record:
            self.sampled[f"{key}[{entity}]"] = value
        return value

    def uniform(self, key: str, entity: str, *, rho: float = 0.0,
                group: str = COMMON) -> float:
        """The entity's uniform for ``key``; with ``rho`` > 0, mixed with a factor that every
        entity of ``group`` shares (a Gaussian copula): two entities' draws then have
        normal scores correlated by ``rho``. With ``rho`` = 0 it is the entity's own uniform,
        so a scenario that adds no correlation keeps every draw (common random numbers)."""
        own = self.streams.uniform(key, entity)
        if rho <= 0:
            return own
        shared = self.streams.uniform(key, f"{group}:factor")
        z = (rho ** 0.5 * _NORMAL.inv_cdf(min(max(shared, 1e-12), 1 - 1e-12))
             + (1 - rho) ** 0.5 * _NORMAL.inv_cdf(min(max(own, 1e-12), 1 - 1e-12)))
        return _NORMAL.cdf(z)

    def occurs(self, key: str, entity: str, stream: str | None = None, *,
               rho: float = 0.0, record: bool = True) -> bool:
        """Whether the event whose probability is the config's ``key`` happens to the
        entity. ``stream`` names the draw where one stream serves a group of keys (a site
        has one region, so one draw against ``power.approval_p.<region>``); ``rho`` ties the
        entities' events together (:meth:`uniform`)."""
        name = stream or key
        u = self.uniform(name, entity, rho=rho)
        if record:
            self.sampled[f"{name}[{entity}]"] = u
        return u < get(self.cfg, key)

    def value(self, key: str, entity: str, dist) -> float:
        """A draw from a distribution no config key holds (a seed record's own prior, such as
        a site's MW), recorded like the others."""
        value = dist.at(self.streams.uniform(key, entity))
        self.sampled[f"{key}[{entity}]"] = value
        return value

    def pick(self, key: str, entity: str, shares: dict[str, float]) -> str:
        """One of ``shares``' keys, each with its probability (a categorical draw)."""
        u, cum = self.streams.uniform(key, entity), 0.0
        for choice, share in shares.items():
            cum += share
            if u < cum:
                return choice
        return choice

    def per_lot(self, key: str, recipient: str, n: int, dist=None) -> np.ndarray:
        """The uncertain input ``key`` for each of a recipient's ``n`` numbered lots (or
        orders), from the config's distribution unless ``dist`` stands in for it (the
        recipient's own). Item ``i`` is the same whatever the order of asking."""
        cached = self._per_lot.get((key, recipient))
        if cached is None:
            dist = get(self.cfg, key) if dist is None else dist
            cached = self._lots(key, recipient, dist.ppf(self.streams.uniforms(n, key,
                                                                               recipient)))
        return cached

    def occurs_per_lot(self, key: str, recipient: str, n: int) -> np.ndarray:
        """For each of a recipient's lots, whether the event of probability ``key`` happens."""
        cached = self._per_lot.get((key, recipient))
        if cached is None:
            cached = self._lots(key, recipient, self.streams.uniforms(n, key, recipient))
        return cached < get(self.cfg, key)

    def _lots(self, key: str, recipient: str, values: np.ndarray) -> np.ndarray:
        self._per_lot[key, recipient] = values
        self.sampled[f"{key}[{recipient}]"] = float(values.mean())
        return values
