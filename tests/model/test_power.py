"""Grid power on its own, built from a plain ``power`` group: the assessment, a new substation,
energization, derates, one national grid."""

from __future__ import annotations

import numpy as np
import pytest
from groups import config
from parts import run, site

from sim.calendar import DAYS_PER_MONTH, to_day
from sim.model.power import Grid, pass_odds

ANNOUNCED = to_day(site().phases[0].ready)


def grids(replications: int, **changes):
    """The grid of each of ``replications`` runs, with ``changes`` to the ``power`` group."""
    cfg = config("power", **changes)
    return [Grid(cfg, run(replication=i).draws) for i in range(replications)]


def connection_months(spec, replications=400, **changes):
    """Months after the announced date that the site's connection is ready, per replication."""
    return np.round(np.array([(g.connection_day(spec, ANNOUNCED) - ANNOUNCED) / DAYS_PER_MONTH
                              for g in grids(replications, **changes)]), 9)


def test_approval_odds_change_the_delay_distribution_of_a_pending_site():
    # disclosed 30 months before its announced date, decided 30 months later if it passes
    # (the connection then waits only for its 2-month grid delay) or 39 if it fails (9 months
    # after the announced date)
    spec = site(region="capital", grid="pending", public="2025-11-01",
                phases=((10.0, "2028-05-01"),))
    announced = to_day(spec.phases[0].ready)
    over = dict(grid_delay_months=2, reinforcement_months=9,
                assessment_months={"capital": 30}, grid_correlation=0)

    def delays(p):
        return np.array([(g.connection_day(spec, announced) - announced) / DAYS_PER_MONTH
                         for g in grids(400, **over, approval_p={"capital": p})])

    likely, unlikely = delays(0.9), delays(0.2)
    late = 30 + 9 - (announced - to_day(spec.public)) / DAYS_PER_MONTH
    assert (likely > 2 + 1e-6).mean() == pytest.approx(0.1, abs=0.05)
    assert (unlikely > 2 + 1e-6).mean() == pytest.approx(0.8, abs=0.06)
    assert set(np.round(likely, 6)) == set(np.round(unlikely, 6)) == {2.0, round(late, 6)}
    # the same uniforms: a lower pass rate fails every site the higher one failed
    assert ((likely > 2 + 1e-6) <= (unlikely > 2 + 1e-6)).all()


def test_the_odds_of_the_sites_own_region_apply_and_a_passed_assessment_needs_none():
    over = dict(grid_delay_months=2, reinforcement_months=9,
                approval_p={"capital": 0, "non_capital": 1},
                assessment_months={"capital": 0, "non_capital": 0})
    early = "2020-01-01"  # decided long before: only a refusal can bind
    rejected = site(region="capital", public=early)
    (grid,) = grids(1, **over)
    assert grid.decision_day(rejected) == pytest.approx(to_day(rejected.public)
                                                        + 9 * DAYS_PER_MONTH)
    assert set(connection_months(site(region="non_capital", public=early), 20, **over)) == {2.0}
    passed = site(region="capital", grid="passed", public=early)
    assert grid.decision_day(passed) == to_day(passed.public)
    assert set(connection_months(site(grid="energized"), 5, **over)) == {-np.inf}


def test_a_new_substation_waits_for_its_transformers():
    (grid,) = grids(1, grid_delay_months=1, approval_p={"non_capital": 1},
                    assessment_months={"non_capital": 5}, transformer_lead_months=30)
    spec = site(substation="new", public="2025-10-31", phases=((10.0, "2026-06-30"),))
    announced = to_day(spec.phases[0].ready)
    expected = to_day(spec.public) + (5 + 30) * DAYS_PER_MONTH
    assert grid.connection_day(spec, announced) == pytest.approx(expected)
    existing = site(substation="existing", public="2025-10-31", phases=((10.0, "2026-06-30"),))
    assert grid.connection_day(existing, announced) == pytest.approx(announced + DAYS_PER_MONTH)


def test_sites_on_one_new_substation_share_its_draws():
    a = site("a", substation="new", group="solaseado")
    b = site("b", substation="new", group="solaseado")
    c = site("c", substation="new")
    r = run()
    grid = Grid(config("power", grid_correlation=0), r.draws)
    days = {s.id: grid.connection_day(s, ANNOUNCED) for s in (a, b, c)}
    assert r.draws.sampled["power.transformer_lead_months[solaseado]"] > 0
    assert "power.transformer_lead_months[a]" not in r.draws.sampled
    assert days["a"] != days["c"]


@pytest.mark.parametrize("rho", [0.0, 0.5, 0.8])
def test_the_shared_grid_factor_correlates_two_sites_delays_as_its_key_says(rho):
    """Grid delays are lognormal: the correlation of their logs is the key's value."""
    a, b = site("a", grid="passed"), site("b", grid="passed")
    logs = [[np.log(g.connection_day(s, ANNOUNCED) - ANNOUNCED) for s in (a, b)]
            for g in grids(800, grid_correlation=rho)]
    corr = np.corrcoef(np.array(logs).T)[0, 1]
    assert corr == pytest.approx(rho, abs=0.08)


def test_a_derate_brings_part_of_the_mw_on_time_and_an_energized_hall_all_of_it():
    (grid,) = grids(1, derate="uniform(low=0.5, high=0.7)", derate_lag_months=12)
    share, lag = grid.derate(site())
    assert 0.5 <= share <= 0.7 and lag == 12
    assert grid.derate(site(grid="energized")) == (1.0, 0.0)


def test_each_quarter_of_new_colocation_space_passes_its_regions_odds():
    (grid,) = grids(1, approval_p={"capital": 0.3, "non_capital": 1}, grid_correlation=0)
    capital = grid.passes_each("capital", "pool", 4000)
    assert capital.mean() == pytest.approx(0.3, abs=0.03)
    assert grid.passes_each("non_capital", "pool", 50).all()
    assert (grid.reinforcement_days("pool", 3) >= 6 * DAYS_PER_MONTH).all()


def test_a_refused_site_waits_for_its_grid_to_be_reinforced():
    """Closed form: decided ``assessment`` months after it became public, refused, then
    ``reinforcement`` months more; the connection waits for that, not for the grid delay."""
    spec = site(region="capital", public="2026-01-01", phases=((10.0, "2026-06-30"),))
    (grid,) = grids(1, grid_delay_months=1, approval_p={"capital": 0},
                    assessment_months={"capital": 6}, reinforcement_months=30,
                    refusal_relocation_p=0)
    expected = to_day(spec.public) + (6 + 30) * DAYS_PER_MONTH
    assert grid.decision_day(spec) == pytest.approx(expected)
    assert grid.connection_day(spec, to_day(spec.phases[0].ready)) == pytest.approx(expected)


def test_a_refused_site_that_moves_gets_its_own_assessment_outside_the_capital():
    spec = site(region="capital", public="2026-01-01")
    over = dict(approval_p={"capital": 0, "non_capital": 1}, reinforcement_months=30,
                assessment_months={"capital": 6, "non_capital": 4}, refusal_relocation_p=1,
                resite_months=12)
    (grid,) = grids(1, **over)
    assert grid.decision_day(spec) == pytest.approx(to_day(spec.public)
                                                    + (6 + 12 + 4) * DAYS_PER_MONTH)
    # refused again where it moved: it then waits for reinforcement there too
    (again,) = grids(1, **{**over, "approval_p": {"capital": 0, "non_capital": 0}})
    assert again.decision_day(spec) == pytest.approx(to_day(spec.public)
                                                     + (6 + 12 + 4 + 30) * DAYS_PER_MONTH)


def test_some_refused_sites_move_as_the_odds_say():
    spec = site(region="capital", public="2026-01-01")
    over = dict(approval_p={"capital": 0, "non_capital": 1}, reinforcement_months=30,
                assessment_months={"capital": 6, "non_capital": 4}, refusal_relocation_p=0.3,
                resite_months=12, grid_correlation=0)
    months = np.array([(g.decision_day(spec) - to_day(spec.public)) / DAYS_PER_MONTH
                       for g in grids(600, **over)])
    assert set(np.round(months, 6)) == {36.0, 22.0}
    assert (np.round(months) == 22).mean() == pytest.approx(0.3, abs=0.06)


ZONED = dict(approval_p={"capital": 0.9999, "non_capital": 0.9999}, zone_prior_weight=0,
             zone_counts={"jeonbuk": "0/6", "capital": "0/6"},
             assessment_months={"capital": 0, "non_capital": 0}, reinforcement_months=9,
             grid_delay_months=2, refusal_relocation_p=0)
"""Regions that pass but for one in 10,000 (a rate of 1 would rule refusals out in their
zones too), and two zones whose counts (weighted alone) always refuse."""


def test_a_site_meets_its_zones_odds_where_the_zone_has_a_count_else_its_regions():
    early = "2020-01-01"  # decided long before: only a refusal can bind
    (grid,) = grids(1, **ZONED)
    start = to_day(site(public=early).public)
    refused = start + 9 * DAYS_PER_MONTH
    assert grid.decision_day(site(zone="jeonbuk", public=early)) == pytest.approx(refused)
    # a capital-region site is in the capital zone, with or without saying so
    for capital in (site(region="capital", public=early),
                    site(region="capital", zone="capital", public=early)):
        assert grid.decision_day(capital) == pytest.approx(refused)
    # no count for Ulsan, no zone at all: the region's rate (all but certain to pass)
    for fallback in (site(zone="ulsan", public=early), site(public=early)):
        assert grid.decision_day(fallback) == start
    # the colocation pool's capital part meets the capital zone's count too
    assert not grid.passes_each("capital", "pool", 50).any()
    assert grid.passes_each("non_capital", "pool", 50).all()


def test_a_zones_odds_are_the_beta_posterior_mean_with_its_regions_rate_as_prior():
    counts = {"jeonbuk": "1/6", "capital": "76/210", "sejong": "0/0"}
    cfg = config("power", approval_p={"capital": 0.2, "non_capital": 0.75},
                 zone_prior_weight=15, zone_counts=counts)
    assert pass_odds(cfg, "jeonbuk", "non_capital") == pytest.approx((1 + 15 * 0.75) / 21)
    assert pass_odds(cfg, "capital", "capital") == pytest.approx((76 + 15 * 0.2) / 225)
    assert pass_odds(cfg, "sejong", "non_capital") == 0.75  # nothing decided: the prior
    assert pass_odds(cfg, "ulsan", "non_capital") == 0.75  # no count
    # the more the prior weighs, the nearer the region's rate
    heavy = config("power", approval_p={"non_capital": 0.75}, zone_prior_weight=1000,
                   zone_counts=counts)
    assert pass_odds(heavy, "jeonbuk", "non_capital") == pytest.approx(0.75, abs=0.01)
    # a rate of 1 rules refusals out in the region (the tornado's exclusion): no count
    none_refused = config("power", approval_p={"capital": 1.0, "non_capital": 1.0},
                          zone_prior_weight=15, zone_counts=counts)
    assert pass_odds(none_refused, "jeonbuk", "non_capital") == 1.0
    assert pass_odds(none_refused, "capital", "capital") == 1.0
    # and a Jeonbuk site is refused as often as its odds say
    spec = site(zone="jeonbuk", public="2020-01-01")
    over = dict(approval_p={"non_capital": 0.75}, zone_prior_weight=15, zone_counts=counts,
                assessment_months={"non_capital": 0}, grid_correlation=0)
    refused = np.array([g.decision_day(spec) > to_day(spec.public) for g in grids(800, **over)])
    assert refused.mean() == pytest.approx(1 - (1 + 15 * 0.75) / 21, abs=0.05)
