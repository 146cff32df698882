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


def _key_words(key: tuple) -> list[int]:
    digest = hashlib.blake2b(repr(key).encode(), digest_size=16).digest()
    return [int.from_bytes(digest[i:i + 4], "little") for i in range(0, 16, 4)]


class Streams:
    """The run's source of uniforms, one independent stream per entity key."""

    def __init__(self, seed: int, replication: int = 0):
        self.seed = seed
        self.replication = replication

    def generator(self, *key) -> np.random.Generator:
        entropy = [self.seed, self.replication, *_key_words(key)]
        return np.random.Generator(np.random.PCG64(np.random.SeedSequence(entropy)))

    def uniform(self, *key) -> float:
        """One uniform in (0, 1) for an entity that draws once (a site's slip)."""
        return float(self.generator(*key).random())

    def uniforms(self, n: int, *key) -> np.ndarray:
        """``n`` uniforms for numbered entities of one kind (a recipient's lots, by index)."""
        return self.generator(*key).random(n)
