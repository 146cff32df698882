"""Latin hypercube sampling (``mc.sampling``, :mod:`sim.model.streams`): every input's draws
over a study's N replications take each of N strata once, replication i of two scenarios
still shares its draws, and each draw's marginal is its distribution's."""

from __future__ import annotations

import math

import pytest
from conftest import resolved
from scipy import stats

from sim.app.paths import SEEDS_DIR
from sim.distributions import LogNormal
from sim.model.draws import Draws
from sim.model.streams import Streams, strata
from sim.model.world import World
from sim.seeds.files import load

N = 30
LHS = ("mc.sampling=latin_hypercube", f"mc.replications={N}", "horizon=2031-12-31")


@pytest.fixture(scope="module")
def seed_data():
    return load(SEEDS_DIR)


def uniforms(cfg, seed_data, indices) -> list[dict[tuple, float]]:
    """The uniforms each replication's run drew, by key (input and entity)."""
    found = []
    for i in indices:
        world = World(cfg, seed_data.at(cfg.as_of_date) if cfg.as_of_date else seed_data, i)
        world.run.env.run(until=world.run.horizon_day)
        found.append(world.run.draws.streams.drawn)
    return found


def test_the_config_says_how_many_replications_are_stratified_together():
    assert strata(resolved("mc.replications=40")) == 0  # plain Monte Carlo
    assert strata(resolved("mc.sampling=latin_hypercube", "mc.replications=40")) == 40
    assert strata(resolved("mc.sampling=latin_hypercube", "mc.replications=auto",
                           "mc.precision.round=50")) == 50


@pytest.mark.data
def test_each_inputs_draws_over_n_replications_take_each_stratum_once(seed_data):
    runs = uniforms(resolved(*LHS), seed_data, range(N))
    every = set.intersection(*(set(r) for r in runs))
    assert len(every) > 100  # the sites' slips, grid delays, approvals, ...
    for key in every:
        assert sorted(math.floor(r[key] * N) for r in runs) == list(range(N)), key
    for key in set.union(*(set(r) for r in runs)) - every:  # drawn in some replications only
        hit = [math.floor(r[key] * N) for r in runs if key in r]
        assert len(set(hit)) == len(hit), key
    plain = uniforms(resolved(*LHS[1:]), seed_data, range(N))
    # keys every plain run drew too (a copula-tied key exists only under the hypercube),
    # in a fixed order: a set's order changes with the process's hash seed
    shared = sorted(every & set.intersection(*(set(r) for r in plain)), key=repr)
    assert len(shared) > 100
    assert any(len({math.floor(r[key] * N) for r in plain}) < N for key in shared)


def test_each_round_of_auto_is_a_latin_hypercube_of_its_own():
    for key in [("power.grid_delay_months", "sk_ulsan"), ("sites.slip_months", "naver")]:
        first, second = ([math.floor(Streams(7, i, N).uniform(*key) * N) for i in block]
                         for block in (range(N), range(N, 2 * N)))
        assert sorted(first) == sorted(second) == list(range(N))
        assert first != second


@pytest.mark.data
def test_a_scenario_that_changes_one_input_leaves_every_other_draw(seed_data):
    base = uniforms(resolved(*LHS), seed_data, range(4))
    slow = uniforms(resolved(*LHS, 'power.grid_delay_months="lognormal(median=6, p90=18)"'),
                    seed_data, range(4))
    for a, b in zip(base, slow):
        both = set(a) & set(b)
        assert len(both) > 100
        assert {k: a[k] for k in both} == {k: b[k] for k in both}


def test_a_draw_follows_its_distribution_across_replications_and_across_seeds():
    dist, key = LogNormal(median=6.0, p90=20.0), ("sites.slip_months", "sk_ulsan")
    exact = stats.lognorm(s=dist.sigma, scale=dist.median).cdf
    down = [dist.at(Streams(3, i, 1000).uniform(*key)) for i in range(1000)]
    assert stats.kstest(down, exact).statistic <= 1 / 1000  # one in each stratum
    across = [dist.at(Streams(seed, 17, 1000).uniform(*key)) for seed in range(1000)]
    assert stats.kstest(across, exact).pvalue > 0.01  # replication 17's stratum is random


def test_inputs_tied_by_a_copula_are_stratified_and_keep_its_rank_correlation():
    n, rho = 1000, 0.5
    runs = [Draws(Streams(5, i, n)).of("power", None) for i in range(n)]
    a, b = ([d.uniform("grid_delay_months", site, rho=rho) for d in runs] for site in "ab")
    factor = [d.streams.uniform("power.grid_delay_months", "korea:factor") for d in runs]
    for u in (a, b, factor):
        assert sorted(math.floor(x * n) for x in u) == list(range(n))
    expected = 6 / math.pi * math.asin(rho / 2)  # a Gaussian copula's Spearman correlation
    assert abs(stats.spearmanr(a, b).statistic - expected) < 0.1
    assert stats.spearmanr(a, factor).statistic > 0.5  # tied to the factor the vectors use
