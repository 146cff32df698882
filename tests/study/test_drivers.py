"""The tornado's effects: paired differences of P50s with a bootstrap interval that says
when a shift is sampling noise."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.study.drivers import BOOTSTRAP, FIRST, MIN_PAIRS, allocate, paired_effect


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


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 3000), st.integers(0, 3000)), min_size=1,
                max_size=12), st.integers(0, 2 ** 32 - 1))
def test_the_interval_holds_the_effect_even_with_a_few_pairs(pairs, seed):
    """With a few pairs the resampled P50s can all fall on one side of the sample's own;
    the tornado draws the bar between its bounds, so they must hold it."""
    base, held = (np.array(column, dtype=float) for column in zip(*pairs))
    effect, low, high = paired_effect(base, held, resamples(len(pairs), seed))
    assert low <= effect <= high


def test_the_budget_goes_to_the_widest_intervals_and_is_never_overspent():
    """Risk ``flat`` moves nothing; ``noisy`` moves each replication by a random amount;
    ``steady`` by exactly 30 days. After the first pairs, only ``noisy`` has a wide interval:
    it gets the rest of the budget, up to its cap; the others no more."""
    rng = np.random.default_rng(5)
    base = rng.uniform(1000, 2000, 200)
    shift = {"flat": np.zeros(200), "steady": np.full(200, 30.0),
             "noisy": rng.normal(0, 100, 200)}
    asked = []

    def rerun(tasks):
        asked.append(tasks)
        return [base[r.start:r.stop] - shift[key][r.start:r.stop] for key, r in tasks]

    held = allocate(["flat", "steady", "noisy"], base, most=25, budget=40, seed=0,
                    rerun=rerun)
    assert {k: len(v) for k, v in held.items()} == {"flat": FIRST, "steady": FIRST,
                                                    "noisy": 25}
    assert sum(len(r) for tasks in asked for _, r in tasks) <= 40
    for key, days in held.items():  # always the first replications, in order
        np.testing.assert_array_equal(days, base[:len(days)] - shift[key][:len(days)])


def test_a_budget_too_small_for_every_risk_reaches_the_most_promising_first():
    base = np.arange(100.0)
    held = allocate(["a", "b", "c", "d"], base, most=20, budget=2 * FIRST, seed=0,
                    rerun=lambda tasks: [base[r.start:r.stop] for _, r in tasks])
    assert list(held) == ["a", "b"]
    assert allocate(["a"], base, most=20, budget=0, seed=0, rerun=lambda t: []) == {}


def test_one_pair_is_never_a_driver_with_an_interval():
    """A study of one replication (or mc.driver_replications=1) re-runs no risk: a single
    pair's bootstrap interval would be its own shift, claiming a certainty it lacks; two
    pairs are the least that show a spread."""
    base = np.arange(100.0)
    asked = []

    def rerun(tasks):
        asked.append(tasks)
        return [base[r.start:r.stop] + 50 for _, r in tasks]

    assert allocate(["a", "b"], base, most=1, budget=10, seed=0, rerun=rerun) == {}
    assert asked == []
    held = allocate(["a", "b"], base, most=MIN_PAIRS, budget=10, seed=0, rerun=rerun)
    assert {k: len(v) for k, v in held.items()} == {"a": MIN_PAIRS, "b": MIN_PAIRS}
