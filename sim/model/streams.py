"""Random numbers owned by the run, keyed by the entity they belong to.

Every draw comes from a generator derived from ``(seed, replication, key)``, where the key
names a stable entity and the risk: ``("power.grid_delay_months", "sk_ulsan")`` or
``("install.burnin_days", "naver")``. Nothing depends on the order in which the model asks,
so a change to one factor changes only the draws it touches, and two scenarios run with one
seed share every other draw (common random numbers). Nothing calls the global ``random``.
"""

from __future__ import annotations

import hashlib

import numpy as np


class Streams:
    """The run's source of uniforms, one independent stream per entity key."""

    def __init__(self, seed: int, replication: int = 0):
        self.seed = seed
        self.replication = replication
        self._uniforms: dict[tuple, float] = {}

    def _digest(self, key: tuple) -> bytes:
        return hashlib.blake2b(repr((self.seed, self.replication, key)).encode(),
                               digest_size=16).digest()

    def uniform(self, *key) -> float:
        """One uniform in [0, 1) for an entity that draws once (a site's slip); asked again,
        the same one (kept, since a draw may be asked for by several phases)."""
        u = self._uniforms.get(key)
        if u is None:
            u = self._uniforms[key] = \
                (int.from_bytes(self._digest(key)[:8], "little") >> 11) * 2.0 ** -53
        return u

    def uniforms(self, n: int, *key) -> np.ndarray:
        """``n`` uniforms for numbered entities of one kind (a recipient's lots, by index).

        Item ``i`` does not depend on ``n``: the stream is a counter-based generator (Philox)
        keyed by the entity.
        """
        bits = np.random.Philox(key=np.frombuffer(self._digest(key), dtype=np.uint64))
        return np.random.Generator(bits).random(n)
