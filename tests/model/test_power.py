"""Grid power on its own: the assessment, a new substation, energization, one national grid."""

from __future__ import annotations

import numpy as np
import pytest
from parts import run, site

from sim.calendar import DAYS_PER_MONTH, to_day
from sim.model.power import connection_day, decision_day

ANNOUNCED = to_day(site().phases[0].ready)


def connection_months(spec, *overrides, replications=400):
    """Months after the announced date that the site's connection is ready, per replication."""
    out = []
    for i in range(replications):
        r = run(*overrides, replication=i)
        out.append((connection_day(r.draws, r.draws.cfg.power, spec, ANNOUNCED) - ANNOUNCED)
                   / DAYS_PER_MONTH)
    return np.round(np.array(out), 9)


def test_approval_odds_change_the_delay_distribution_of_a_pending_site():
    # disclosed 30 months before its announced date, decided 30 months later if it passes
    # (the connection then waits only for its 2-month grid delay) or 39 if it fails (9 months
    # after the announced date)
    spec = site(region="capital", grid="pending", public="2025-11-01",
                phases=((10.0, "2028-05-01"),))
    announced = to_day(spec.phases[0].ready)
    over = ("power.grid_delay_months=2", "power.rejection_delay_months=9",
            "power.assessment_months.capital=30", "power.grid_correlation=0")

    def delays(p):
        out = []
        for i in range(400):
            r = run(*over, f"power.approval_p.capital={p}", replication=i)
            out.append((connection_day(r.draws, r.draws.cfg.power, spec, announced) -
                        announced) / DAYS_PER_MONTH)
        return np.array(out)

    likely, unlikely = delays(0.9), delays(0.2)
    late = 30 + 9 - (announced - to_day(spec.public)) / DAYS_PER_MONTH
    assert (likely > 2 + 1e-6).mean() == pytest.approx(0.1, abs=0.05)
    assert (unlikely > 2 + 1e-6).mean() == pytest.approx(0.8, abs=0.06)
    assert set(np.round(likely, 6)) == set(np.round(unlikely, 6)) == {2.0, round(late, 6)}
    # the same uniforms: a lower pass rate fails every site the higher one failed
    assert ((likely > 2 + 1e-6) <= (unlikely > 2 + 1e-6)).all()


def test_the_odds_of_the_sites_own_region_apply_and_a_passed_assessment_needs_none():
    over = ("power.grid_delay_months=2", "power.rejection_delay_months=9",
            "power.approval_p.capital=0", "power.approval_p.non_capital=1",
            "power.assessment_months.capital=0", "power.assessment_months.non_capital=0")
    early = "2020-01-01"  # decided long before: only a rejection can bind
    rejected = site(region="capital", public=early)
    r = run(*over)
    assert decision_day(r.draws, r.draws.cfg.power, rejected) == \
        pytest.approx(to_day(rejected.public) + 9 * DAYS_PER_MONTH)
    assert set(connection_months(site(region="non_capital", public=early), *over,
                                 replications=20)) == {2.0}
    passed = site(region="capital", grid="passed", public=early)
    assert decision_day(r.draws, r.draws.cfg.power, passed) == to_day(passed.public)
    assert set(connection_months(site(grid="energized"), *over, replications=5)) == {-np.inf}


def test_a_new_substation_waits_for_its_transformers():
    over = ("power.grid_delay_months=1", "power.approval_p.non_capital=1",
            "power.assessment_months.non_capital=5", "power.transformer_lead_months=30")
    spec = site(substation="new", public="2025-10-31", phases=((10.0, "2026-06-30"),))
    r = run(*over)
    announced = to_day(spec.phases[0].ready)
    expected = to_day(spec.public) + (5 + 30) * DAYS_PER_MONTH
    assert connection_day(r.draws, r.draws.cfg.power, spec, announced) == \
        pytest.approx(expected)
    existing = site(substation="existing", public="2025-10-31", phases=((10.0, "2026-06-30"),))
    assert connection_day(r.draws, r.draws.cfg.power, existing, announced) == \
        pytest.approx(announced + DAYS_PER_MONTH)


def test_sites_on_one_new_substation_share_its_draws():
    a = site("a", substation="new", group="solaseado")
    b = site("b", substation="new", group="solaseado")
    c = site("c", substation="new")
    r = run("power.grid_correlation=0")
    days = {s.id: connection_day(r.draws, r.draws.cfg.power, s, ANNOUNCED) for s in (a, b, c)}
    assert r.draws.sampled["power.transformer_lead_months[solaseado]"] > 0
    assert "power.transformer_lead_months[a]" not in r.draws.sampled
    assert days["a"] != days["c"]


@pytest.mark.parametrize("rho", [0.0, 0.5, 0.8])
def test_the_shared_grid_factor_correlates_two_sites_delays_as_its_key_says(rho):
    """Grid delays are lognormal: the correlation of their logs is the key's value."""
    over = (f"power.grid_correlation={rho}", "power.approval_p.non_capital=1",
            "power.assessment_months.non_capital=0")
    a, b = site("a", grid="passed"), site("b", grid="passed")
    logs = []
    for i in range(800):
        r = run(*over, replication=i)
        logs.append([np.log(connection_day(r.draws, r.draws.cfg.power, s, ANNOUNCED) -
                            ANNOUNCED) for s in (a, b)])
    corr = np.corrcoef(np.array(logs).T)[0, 1]
    assert corr == pytest.approx(rho, abs=0.08)
