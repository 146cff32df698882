"""The four forms of an uncertain input, and the checks at the door."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sim.distributions import Fixed, LogNormal, Triangular, Uniform, parse, text, unquoted
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


@pytest.mark.parametrize("spec, dist", [
    ("lognormal(median=1, p90=4)", LogNormal(1.0, 4.0)),
    ("triangular(low=2.5, mode=3.5, high=9)", Triangular(2.5, 3.5, 9.0)),
    ("uniform(low=0.3, high=0.6)", Uniform(0.3, 0.6)),
    ("  uniform( high=0.6 ,low=0.3 ) ", Uniform(0.3, 0.6)),  # any order, any spacing
    ("fixed(1.0)", Fixed(1.0)), ("fixed(value=2)", Fixed(2.0)), ("2.5", Fixed(2.5)),
    (3, Fixed(3.0)), ({"dist": "uniform", "low": 1, "high": 2}, Uniform(1.0, 2.0)),
    (Triangular(1, 2, 3), Triangular(1, 2, 3)),  # a distribution already: checked, kept
])
def test_every_form_of_a_value_gives_its_distribution(spec, dist):
    assert parse("k", spec) == dist


@pytest.mark.parametrize("spec, fragment", [
    ("uniform(low=1)", "uniform needs low, high; missing high"),
    ("uniform(1, 2)", "'1' is not name=value; write uniform(low=L, high=H)"),
    ("uniform(low=1, low=2, high=3)", "low is given twice"),
    ("uniform(low=1, high=x)", "high='x' is not a number"),
    ("uniform(low=1, high=2, mode=3)", "mode=3 is not a field of uniform"),
    ("gamma(k=2)", "no distribution 'gamma'; write a number, fixed(V), uniform(low=L, high=H), "
                   "triangular(low=L, mode=M, high=H) or lognormal(median=M, p90=P)"),
    ("lognormal(median=1, p90=4", "is not a number or a distribution"),
    ("fixed(inf)", "value=inf is not a finite number"),
    ("triangular(low=-1, mode=0, high=1)", "outside the allowed range [0, inf]"),
    ({"high": 45}, "high alone is not allowed; a distribution is one value: write it whole, "
                   "as uniform(low=L, high=H) or triangular(low=L, mode=M, high=H)"),
])
def test_bad_string_forms_are_refused_in_one_line_naming_the_forms(spec, fragment):
    with pytest.raises(InputError) as err:
        parse("logistics.ship_days", spec)
    assert str(err.value).startswith("logistics.ship_days: ")
    assert fragment in str(err.value) and "\n" not in str(err.value)


finite_positive = st.floats(1e-6, 1e6, allow_nan=False)


@given(st.one_of(
    finite_positive.map(Fixed),
    st.lists(finite_positive, min_size=2, max_size=2).map(sorted).map(lambda v: Uniform(*v)),
    st.lists(finite_positive, min_size=3, max_size=3).map(sorted).map(
        lambda v: Triangular(*v)),
    st.lists(finite_positive, min_size=2, max_size=2).map(sorted).map(
        lambda v: LogNormal(*v))))
def test_a_distribution_written_as_text_reads_back_the_same(dist):
    assert parse("k", text(dist)) == dist


def test_an_unquoted_string_form_on_the_command_line_is_told_to_quote_it():
    assert unquoted("+sites.slip_months_by_site.sk_ulsan=lognormal(median=2,p90=4)") == (
        "sites.slip_months_by_site.sk_ulsan: quote a distribution on the command line (Hydra "
        "reads lognormal(...) as a function): "
        "'+sites.slip_months_by_site.sk_ulsan=\"lognormal(median=2,p90=4)\"'")
    assert unquoted("mc.n_jobs=range(1,3)") is None  # a sweep, not a distribution
    assert unquoted("seed=3") is None
