"""Random numbers owned by the run, keyed by the entity they belong to.

Every draw comes from a generator derived from ``(seed, replication, key)``, where the key
names a stable entity and the risk: ``("power.grid_delay_months", "sk_ulsan")`` or
``("install.burnin_days", "naver")``. Nothing depends on the order in which the model asks,
so a change to one factor changes only the draws it touches, and two scenarios run with one
seed share every other draw (common random numbers). Nothing calls the global ``random``.

Sampling (``mc.sampling``, :func:`strata`): plain Monte Carlo takes each uniform as it
comes; Latin hypercube sampling (McKay, Beckman and Conover 1979) stratifies each input
across the study's ``N`` replications. For every key, replications ``0..N-1`` take the
strata ``[k/N, (k+1)/N)`` in the order of a permutation of ``range(N)`` seeded by
``(seed, N, block, key)`` alone, and the point inside the stratum is the key's plain uniform:
``u = (perm[i % N] + u_plain) / N``. So each of an input's draws (and each entity's: one
slip per site is stratified per site) falls in each of the ``N`` strata exactly once, its
marginal is still uniform, and a replication's draws depend on ``(seed, i, key, N)`` only:
the same on any worker or Ray node, and common to two scenarios (a scenario that changes
one input leaves every other key's permutation and point as they were). Each key is
permuted on its own, as in ``scipy.stats.qmc.LatinHypercube`` with scrambled strata; the
joint design is no orthogonal array. Replications past ``N`` (a study of rounds,
``mc.replications=auto``, where ``N`` is the round) start a new block, ``i // N``, with its
own permutations: each round is a Latin hypercube of its own.

An input tied to a shared factor by a Gaussian copula (:meth:`sim.model.draws.Draws.uniform`
with ``rho`` > 0: sites' grid delays, approvals, slips) is stratified by rank (Stein 1987;
Iman and Conover 1982): over the block, each entity's scores ``sqrt(rho) z_factor +
sqrt(1 - rho) z_own`` are ranked, and replication i takes the stratum of its rank
(:meth:`Streams.tied`). The factor is itself stratified, and is the one the vectors of that
key are tied to, so the dependence holds; its rank correlation is the copula's as N grows.

Left out of the strata: the vectors of :meth:`Streams.uniforms` (a recipient's lots' ship
and burn-in days, a pool's quarters): thousands per replication, averaged over the lots, so
their share of the headline's spread is small, and a permutation per lot would cost more
than it saves; and the in-service days of :mod:`sim.study.own_count`, drawn apart. With
``N`` changed (another ``mc.replications``) every stratified draw changes: compare scenarios
at one count.

Measured (``python -m benchmarks.precision``, 2026-12-04, the baseline at 100 replications,
seeds 1000-1039): it cuts the variance of P(government 50k by 2030-12-31) to about a third
(ratio 0.32, 95 % F interval 0.17-0.61) and leaves the P50 all-operational day's as it was
(1.15, 0.61-2.18: the day all GPUs run is the last of many sites' dates, little of whose
spread is additive in any one input), at 4 % more CPU; so it is not the default. At 500
replications (seeds 1000-1019) the same: 0.30 (0.12-0.76) and 0.75 (0.30-1.91).

References: McKay, Beckman and Conover (1979), Technometrics 21(2) 239-245;
Stein (1987), Technometrics 29(2) 143-151; Iman and Conover (1982), Communications in
Statistics B 11(3) 311-334; ``scipy.stats.qmc.LatinHypercube`` (the same design per input).
"""

from __future__ import annotations

import hashlib
from statistics import NormalDist

import numpy as np

MONTE_CARLO, LATIN_HYPERCUBE = SAMPLINGS = ("monte_carlo", "latin_hypercube")
_BELOW_ONE = 1.0 - 2.0 ** -53
_NORMAL = NormalDist()


def clipped(u: float) -> float:
    """``u`` kept off 0 and 1, where a normal score is infinite."""
    return min(max(u, 1e-12), 1 - 1e-12)


def strata(cfg) -> int:
    """How many replications a config's draws are stratified over: a study's ``N``
    (``mc.replications``, or with ``auto`` the round, ``mc.precision.round``) under
    ``mc.sampling=latin_hypercube``; 0 (plain Monte Carlo) otherwise, and for a model
    config without the study's ``mc`` group."""
    mc = getattr(cfg, "mc", None)
    if mc is None or getattr(mc, "sampling", MONTE_CARLO) != LATIN_HYPERCUBE:
        return 0
    n = mc.replications
    return int(mc.precision.round) if n == "auto" else int(n)


_PERMUTATIONS: dict[tuple, dict[tuple, np.ndarray]] = {}
"""This process's permutations of the block in use, by key: ``{(seed, N, block): {key:
perm}}``, one block kept (a block's replications run in order on a worker)."""


def _kept(seed: int, n: int, block: int) -> dict:
    design = (seed, n, block)
    kept = _PERMUTATIONS.get(design)
    if kept is None:
        _PERMUTATIONS.clear()
        kept = _PERMUTATIONS[design] = {}
    return kept


def _generator(*key) -> np.random.Generator:
    digest = hashlib.blake2b(repr(key).encode(), digest_size=16).digest()
    return np.random.Generator(np.random.Philox(key=np.frombuffer(digest, dtype=np.uint64)))


def _digest(seed: int, replication: int, key: tuple) -> bytes:
    return hashlib.blake2b(repr((seed, replication, key)).encode(), digest_size=16).digest()


def _plain(seed: int, replication: int, key: tuple) -> float:
    """Replication ``replication``'s plain Monte Carlo uniform of ``key``."""
    return (int.from_bytes(_digest(seed, replication, key)[:8], "little") >> 11) * 2.0 ** -53


def permutation(seed: int, n: int, block: int, key: tuple) -> np.ndarray:
    """The order in which replications ``block * n .. block * n + n - 1`` take the ``n``
    strata of ``key``'s uniform: a permutation of ``range(n)`` keyed by its arguments."""
    kept = _kept(seed, n, block)
    perm = kept.get(("strata", key))
    if perm is None:
        perm = kept["strata", key] = _generator("strata", seed, n, block, key).permutation(n) \
            .astype(np.int32)
    return perm


def stratified(seed: int, n: int, replication: int, key: tuple) -> float:
    """Replication ``replication``'s uniform of ``key``, stratified over blocks of ``n``."""
    block, i = divmod(replication, n)
    return min((int(permutation(seed, n, block, key)[i]) + _plain(seed, replication, key)) / n,
               _BELOW_ONE)


def tied_ranks(seed: int, n: int, block: int, key: tuple, factor: tuple, rho: float
               ) -> np.ndarray:
    """The strata that replications of a block take for ``key``, an input tied to the shared
    ``factor`` by a Gaussian copula of weight ``rho``: the ranks of the scores
    ``sqrt(rho) z_factor + sqrt(1 - rho) z_own`` over the block, where ``z_factor`` is the
    normal score of each replication's (stratified) factor and ``z_own`` an independent
    normal sample of the block (Stein 1987's Latin hypercube with dependence)."""
    kept = _kept(seed, n, block)
    ranks = kept.get(("tied", key, factor, rho))
    if ranks is None:
        first = block * n
        shared = kept.get(("factor", factor))
        if shared is None:
            shared = kept["factor", factor] = np.array(
                [_NORMAL.inv_cdf(clipped(stratified(seed, n, first + j, factor)))
                 for j in range(n)])
        own = _generator("tied", seed, n, block, key).standard_normal(n)
        score = rho ** 0.5 * shared + (1 - rho) ** 0.5 * own if rho < 1 else shared
        ranks = kept["tied", key, factor, rho] = \
            np.argsort(np.argsort(score, kind="stable"), kind="stable").astype(np.int32)
    return ranks


class Streams:
    """The run's source of uniforms, one independent stream per entity key; with
    ``strata`` = N > 1, each key's scalar uniforms stratified over N replications."""

    def __init__(self, seed: int, replication: int = 0, strata: int = 0):
        self.seed = seed
        self.replication = replication
        self.strata = strata
        self._uniforms: dict[tuple, float] = {}
        self._bits = np.random.Philox(key=np.zeros(2, dtype=np.uint64))
        self._generator = np.random.Generator(self._bits)

    @property
    def drawn(self) -> dict[tuple, float]:
        """The uniforms :meth:`uniform` has handed out so far, by key."""
        return dict(self._uniforms)

    def uniform(self, *key) -> float:
        """One uniform in [0, 1) for an entity that draws once (a site's slip); asked again,
        the same one (kept, since a draw may be asked for by several phases). Stratified
        over the replications if the run's sampling says so."""
        u = self._uniforms.get(key)
        if u is None:
            u = self._uniforms[key] = \
                stratified(self.seed, self.strata, self.replication, key) if self.strata > 1 \
                else _plain(self.seed, self.replication, key)
        return u

    def tied(self, key: tuple, factor: tuple, rho: float) -> float:
        """With strata, the uniform of ``key`` tied to the shared ``factor``'s uniform by a
        Gaussian copula of weight ``rho`` (:func:`tied_ranks`), stratified: its stratum is its
        score's rank in the block, the point inside it ``key``'s own uniform."""
        found = self._uniforms.get((*key, factor, rho))
        if found is None:
            n = self.strata
            block, i = divmod(self.replication, n)
            rank = int(tied_ranks(self.seed, n, block, key, factor, rho)[i])
            found = self._uniforms[(*key, factor, rho)] = \
                min((rank + self.uniform(*key)) / n, _BELOW_ONE)
        return found

    def uniforms(self, n: int, *key) -> np.ndarray:
        """``n`` uniforms for numbered entities of one kind (a recipient's lots, by index);
        never stratified.

        Item ``i`` does not depend on ``n``: the stream is a counter-based generator (Philox)
        keyed by the entity.
        """
        self._bits.state = {  # a fresh Philox keyed by the entity (cheaper than a new one)
            "bit_generator": "Philox",
            "state": {"counter": np.zeros(4, dtype=np.uint64),
                      "key": np.frombuffer(_digest(self.seed, self.replication, key),
                                           dtype=np.uint64)},
            "buffer": np.zeros(4, dtype=np.uint64), "buffer_pos": 4, "has_uint32": 0,
            "uinteger": 0}
        return self._generator.random(n)
