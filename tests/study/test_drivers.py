"""The tornado's effects: paired differences of P50s with a bootstrap interval that says
when a shift is sampling noise."""

from __future__ import annotations

import numpy as np

from sim.study.drivers import BOOTSTRAP, paired_effect


def resamples(n: int, seed: int = 1) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, n, size=(BOOTSTRAP, n))


def test_a_shift_every_replication_shares_has_a_tight_interval():
    base = np.random.default_rng(0).uniform(1000, 2000, 40)
    effect, low, high = paired_effect(base, base - 90.0, resamples(40))
    assert effect == low == high == 90.0


def test_a_shuffle_of_the_same_days_is_noise_its_interval_spans_zero():
    rng = np.random.default_rng(0)
    base = rng.uniform(1000, 2000, 20)
    effect, low, high = paired_effect(base, rng.permutation(base), resamples(20))
    assert effect == 0.0  # the same days: the same median
    assert low < 0 < high


def test_the_interval_holds_the_effect_and_grows_with_the_spread():
    rng = np.random.default_rng(3)
    base = rng.uniform(1000, 2000, 30)
    narrow = paired_effect(base, base - 50 + rng.normal(0, 5, 30), resamples(30))
    wide = paired_effect(base, base - 50 + rng.normal(0, 200, 30), resamples(30))
    for effect, low, high in (narrow, wide):
        assert low <= effect <= high
    assert wide[2] - wide[1] > narrow[2] - narrow[1]
