"""The four forms of an uncertain input, and the checks at the door."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sim.distributions import Fixed, LogNormal, Triangular, Uniform, parse
from sim.errors import InputError


def test_plain_number_is_fixed():
    assert parse("k", 12) == Fixed(12.0)
    assert parse("k", 12).ppf(np.array([0.1, 0.9])).tolist() == [12.0, 12.0]


def test_lognormal_is_given_by_median_and_p90():
    d = parse("k", {"dist": "lognormal", "median": 12, "p90": 30})
    assert isinstance(d, LogNormal)
    assert d.ppf(0.5) == pytest.approx(12)
    assert d.ppf(0.9) == pytest.approx(30)


def test_triangular_and_uniform_quantiles():
    t = parse("k", {"dist": "triangular", "low": 3, "mode": 9, "high": 24})
    assert isinstance(t, Triangular)
    assert t.ppf(0.0) == pytest.approx(3) and t.ppf(1.0) == pytest.approx(24)
    assert t.ppf((9 - 3) / (24 - 3)) == pytest.approx(9)
    u = parse("k", {"dist": "uniform", "low": 0, "high": 12})
    assert isinstance(u, Uniform) and u.ppf(0.25) == pytest.approx(3)


def test_triangular_samples_have_the_right_mean():
    t = Triangular(3, 9, 24)
    draws = t.ppf(np.random.default_rng(0).random(200_000))
    assert draws.mean() == pytest.approx((3 + 9 + 24) / 3, rel=0.01)


@given(st.floats(0, 1), st.floats(0, 1))
def test_ppf_is_monotone_so_common_random_numbers_keep_order(u1, u2):
    lo, hi = sorted((u1, u2))
    for d in (Triangular(1, 2, 8), Uniform(0, 5), LogNormal(3, 9)):
        assert d.ppf(lo) <= d.ppf(hi)


finite = st.floats(0, 1e6, allow_nan=False)


@given(st.lists(finite, min_size=3, max_size=3).map(sorted), st.floats(0, 1))
def test_quantiles_stay_within_low_and_high(points, u):
    # found by hypothesis: triangular(0, 0, 2.8e-158) gave ppf(0) = -4.1e-167, and a
    # duration of 0..2.8e-158 months was refused as "outside [0, inf]"
    low, mode, high = points
    for d in (Triangular(low, mode, high), Uniform(low, high)):
        assert low <= d.ppf(u) <= high and low <= d.ppf(0.0) and d.ppf(1.0) <= high
    parse("k", {"dist": "triangular", "low": low, "mode": mode, "high": high}, low=0)


@pytest.mark.parametrize("spec, fragment", [
    ({"dist": "uniform", "low": 5, "high": 3}, "low=5 > high=3"),
    ({"dist": "triangular", "low": 1, "mode": 9, "high": 3}, "need low <= mode <= high"),
    ({"dist": "lognormal", "median": 9, "p90": 3}, "need 0 < median <= p90"),
    ({"dist": "gamma", "low": 1}, "allowed: fixed, uniform, triangular, lognormal"),
    ({"dist": "uniform", "low": 1}, "missing high"),
    ({"dist": "uniform", "low": 1, "hgih": 3}, "unknown field 'hgih'"),
    (-3, "outside the allowed range [0, inf]"),
    (math.nan, "not a finite number"),
    ("six", "is not a number"),
    ({"dist": "uniform", "low": -2, "high": 3}, "outside the allowed range"),
])
def test_bad_distributions_are_refused_with_the_key_and_value(spec, fragment):
    with pytest.raises(InputError) as err:
        parse("power.grid_delay_months", spec)
    assert str(err.value).startswith("power.grid_delay_months: ")
    assert fragment in str(err.value)
    assert "\n" not in str(err.value)


def test_fractions_are_bounded():
    with pytest.raises(InputError, match="outside the allowed range"):
        parse("power.derate", 1.5, low=0, high=1)
