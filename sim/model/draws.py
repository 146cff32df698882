"""The run's random inputs, each drawn by the config key that names it.

A component asks the draws bound to its config group (:meth:`Draws.of`) for an input by its
name in the group: the grid ``Draws.of("power", cfg.power).one("grid_delay_months",
"sk_ulsan")`` draws ``power.grid_delay_months`` for site ``sk_ulsan``. The distribution is the
group's value at that name, and the uniform behind the draw comes from the run's stream for
``(full key, entity)`` (:mod:`sim.model.streams`). So the key a draw is recorded under, the
config value it follows and the random numbers it uses can never disagree, a typo in a name
fails at once (no such field) instead of drawing other numbers, and a component needs no more
than its own group to be built (a test builds the group's dataclass directly).

Every draw is recorded in :attr:`Draws.sampled` under :func:`column` of its key and entity
(``"power.grid_delay_months[sk_ulsan]" -> 7.2``; for inputs drawn per lot, their mean over
the recipient's lots): Monte Carlo keeps that row per replication, and the drivers correlate
it with the outcome.
"""

from __future__ import annotations

from statistics import NormalDist
from typing import Any

import numpy as np

from sim.model.params import get
from sim.model.streams import Streams, clipped

_NORMAL = NormalDist()
COMMON = "korea"
"""The entity of a factor every entity shares: one national grid, one transformer market."""


def column(key: str, entity: str) -> str:
    """The name under which the draw of config key ``key`` for ``entity`` is recorded: the
    sampled column of the replications table, ``power.grid_delay_months[sk_ulsan]``."""
    return f"{key}[{entity}]"


def columns_of(key: str, names) -> list[str]:
    """Those of ``names`` (sampled columns) that hold draws of ``key``, for any entity."""
    head = column(key, "")[:-1]
    return [name for name in names if name.startswith(head)]


class Draws:
    """The run's source of random inputs: keyed streams, bound to a config group.

    ``Draws(streams)`` is the run's (bound to no group); :meth:`of` binds it to one group,
    sharing the streams and the record. Names are dotted within the group
    (``assessment_months.capital``); keys recorded are the full dotted keys.
    """

    def __init__(self, streams: Streams, cfg: Any = None, prefix: str = "",
                 sampled: dict[str, float] | None = None,
                 per_lot: dict[tuple[str, str], np.ndarray] | None = None):
        self.streams = streams
        self.cfg = cfg
        """The config group the names are looked up in."""
        self.prefix = prefix
        self.sampled: dict[str, float] = {} if sampled is None else sampled
        self._per_lot: dict[tuple[str, str], np.ndarray] = {} if per_lot is None else per_lot

    def of(self, group: str, cfg: Any) -> Draws:
        """These draws bound to the config group ``group`` (``power``; ``deals``), whose
        values are ``cfg`` (the group's dataclass, or any object with those attributes)."""
        return Draws(self.streams, cfg, f"{group}.", self.sampled, self._per_lot)

    def key(self, name: str) -> str:
        """The full dotted key of ``name`` in the bound group."""
        return self.prefix + name

    def dist(self, name: str, entity: str, own: str | None = None):
        """``(key recorded, distribution)`` of input ``name`` for ``entity``: the entity's own
        from the per-entity table ``own`` of the group if it has one there (recorded under
        that entry's key, ``sites.slip_months_by_site.sk_ulsan``, the risk the drivers hold
        central), else the group's."""
        table = get(self.cfg, own) if own else None
        if table and entity in table:
            return f"{self.key(own)}.{entity}", table[entity]
        return self.key(name), get(self.cfg, name)

    def record(self, key: str, entity: str, value: float) -> float:
        self.sampled[column(key, entity)] = value
        return value

    def one(self, name: str, entity: str, *, own: str | None = None, rho: float = 0.0,
            group: str = COMMON, record: bool = True) -> float:
        """The uncertain input ``name`` for one entity (a site, a recipient, a deal): its
        distribution (:meth:`dist`) at the entity's uniform (:meth:`uniform`). An entity's own
        distribution uses the uniform of the shared input, so a what-if slip for one site is
        larger, draw for draw, when it is stochastically larger."""
        key, dist = self.dist(name, entity, own)
        value = dist.at(self.uniform(name, entity, rho=rho, group=group))
        return self.record(key, entity, value) if record else value

    def uniform(self, name: str, entity: str, *, rho: float = 0.0,
                group: str = COMMON) -> float:
        """The entity's uniform for ``name``; with ``rho`` > 0, mixed with a factor that every
        entity of ``group`` shares (a Gaussian copula): two entities' draws then have
        normal scores correlated by ``rho``. With ``rho`` = 0 it is the entity's own uniform,
        so a scenario that adds no correlation keeps every draw (common random numbers).
        Under Latin hypercube sampling a tied uniform is stratified by its rank
        (:meth:`sim.model.streams.Streams.tied`)."""
        key = self.key(name)
        if rho > 0 and self.streams.strata > 1:  # Latin hypercube: by rank, tied
            return self.streams.tied((key, entity), (key, f"{group}:factor"), min(rho, 1.0))
        own = self.streams.uniform(key, entity)
        if rho <= 0:
            return own
        shared = self.streams.uniform(key, f"{group}:factor")
        z = (rho ** 0.5 * _NORMAL.inv_cdf(clipped(shared))
             + (1 - rho) ** 0.5 * _NORMAL.inv_cdf(clipped(own)))
        return _NORMAL.cdf(z)

    def occurs(self, name: str, entity: str, stream: str | None = None, *,
               rho: float = 0.0, record: bool = True, p: float | None = None) -> bool:
        """Whether the event whose probability is the group's ``name`` happens to the
        entity (its uniform recorded under ``name``'s key). ``stream`` names the draw where
        one stream serves a group of keys (a site has one region, so one draw against
        ``power.approval_p.<region>``); ``rho`` ties the entities' events together
        (:meth:`uniform`); ``p``, if given, is the probability instead of ``name``'s value
        (one derived from it: a zone's odds from its region's rate)."""
        u = self.uniform(stream or name, entity, rho=rho)
        if record:
            self.record(self.key(name), entity, u)
        return u < (get(self.cfg, name) if p is None else p)

    def occurs_each(self, name: str, entity: str, n: int, stream: str | None = None, *,
                    rho: float = 0.0, group: str = COMMON, p: float | None = None
                    ) -> np.ndarray:
        """For each of an entity's ``n`` numbered items (a pool's quarters), whether the
        event of probability ``name`` (or ``p`` if given, as :meth:`occurs`) happens; with
        ``rho`` > 0 each item is tied to the group's shared factor as :meth:`uniform` ties
        entities. Not recorded."""
        key = self.key(stream or name)
        p = float(get(self.cfg, name) if p is None else p)
        if rho > 0 and 0 < p < 1:
            p = self._given_factor(key, p, rho, group)
        return self.streams.uniforms(n, key, entity) < p

    def _given_factor(self, key: str, p: float, rho: float, group: str) -> float:
        """The chance of an event of probability ``p`` for an item tied by ``rho`` to the
        group's factor, given the factor's draw: ``u < p`` for the copula uniform ``u`` of
        :meth:`uniform` is ``own < `` this for the item's own uniform."""
        shared = _NORMAL.inv_cdf(clipped(self.streams.uniform(key, f"{group}:factor")))
        if rho >= 1:
            return 1.0 if shared < _NORMAL.inv_cdf(p) else 0.0
        return _NORMAL.cdf((_NORMAL.inv_cdf(p) - rho ** 0.5 * shared) / (1 - rho) ** 0.5)

    def each(self, name: str, entity: str, n: int) -> np.ndarray:
        """The uncertain input ``name`` for each of an entity's ``n`` numbered items. Not
        recorded (:meth:`per_lot` is the recorded kind, for a recipient's lots)."""
        key = self.key(name)
        return np.asarray(get(self.cfg, name).ppf(self.streams.uniforms(n, key, entity)),
                          dtype=float)

    def value(self, name: str, entity: str, dist) -> float:
        """A draw from a distribution no config key holds (a seed record's own prior, such as
        a site's MW), recorded like the others."""
        key = self.key(name)
        return self.record(key, entity, dist.at(self.streams.uniform(key, entity)))

    def pick(self, name: str, entity: str, shares: dict[str, float]) -> str:
        """One of ``shares``' keys, each with its probability (a categorical draw)."""
        u, cum = self.streams.uniform(self.key(name), entity), 0.0
        for choice, share in shares.items():
            cum += share
            if u < cum:
                return choice
        return choice

    def per_lot(self, name: str, recipient: str, n: int, *, own: str | None = None
                ) -> np.ndarray:
        """The uncertain input ``name`` for each of a recipient's ``n`` numbered lots (or
        orders), from the recipient's own distribution in the table ``own`` if it has one
        (:meth:`dist`). Item ``i`` is the same whatever the order of asking."""
        cached = self._per_lot.get((self.key(name), recipient))
        if cached is None:
            key, dist = self.dist(name, recipient, own)
            drawn = dist.ppf(self.streams.uniforms(n, self.key(name), recipient))
            cached = self._lots(self.key(name), key, recipient, drawn)
        return cached

    def occurs_per_lot(self, name: str, recipient: str, n: int) -> np.ndarray:
        """For each of a recipient's lots, whether the event of probability ``name`` happens."""
        key = self.key(name)
        cached = self._per_lot.get((key, recipient))
        if cached is None:
            cached = self._lots(key, key, recipient, self.streams.uniforms(n, key, recipient))
        return cached < get(self.cfg, name)

    def _lots(self, stream: str, key: str, recipient: str, values: np.ndarray) -> np.ndarray:
        self._per_lot[stream, recipient] = values
        self.record(key, recipient, float(values.mean()))
        return values
