"""Grid power on its own: energization delay and the grid-impact assessment."""

from __future__ import annotations

import numpy as np
import pytest
from parts import run, site

from sim.model.power import grid_delay_months


def grid_delays(spec, *overrides, replications=400):
    out = []
    for i in range(replications):
        r = run(*overrides, replication=i)
        out.append(grid_delay_months(r.draws, spec))
    return np.array(out)


def test_approval_odds_change_the_delay_distribution_of_a_pending_site():
    over = ("power.grid_delay_months=2", "power.rejection_delay_months=9")
    pending = site(region="capital", grid="pending")
    likely = grid_delays(pending, *over, "power.approval_p.capital=0.9")
    unlikely = grid_delays(pending, *over, "power.approval_p.capital=0.2")
    assert set(likely) == set(unlikely) == {2.0, 11.0}
    assert (likely == 11).mean() == pytest.approx(0.1, abs=0.05)
    assert (unlikely == 11).mean() == pytest.approx(0.8, abs=0.06)
    # the same uniforms: a lower pass rate fails every site the higher one failed
    assert ((likely == 11) <= (unlikely == 11)).all()


def test_the_odds_of_the_sites_own_region_apply_and_a_passed_assessment_needs_none():
    over = ("power.grid_delay_months=2", "power.rejection_delay_months=9",
            "power.approval_p.capital=0", "power.approval_p.non_capital=1")
    assert set(grid_delays(site(region="capital"), *over, replications=20)) == {11.0}
    assert set(grid_delays(site(region="non_capital"), *over, replications=20)) == {2.0}
    assert set(grid_delays(site(region="capital", grid="passed"), *over,
                           replications=20)) == {2.0}
    assert set(grid_delays(site(grid="energized"), *over, replications=5)) == {0.0}
