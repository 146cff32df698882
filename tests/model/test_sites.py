"""Sites on their own: how late a site's phases come on, and in what blocks."""

from __future__ import annotations

import numpy as np
import pytest
from parts import run, site

from sim.calendar import DAYS_PER_MONTH, to_day
from sim.model.sites import construction_delay_months, plan

FAST_GRID = ("power.grid_delay_months=0", "power.approval_p.non_capital=1",
             "power.approval_p.capital=1", "power.assessment_months.capital=0",
             "power.assessment_months.non_capital=0")


def delays(spec, *overrides, replications=50):
    """Months after the first phase's announced date that it comes on, per replication."""
    out = []
    for i in range(replications):
        r = run(*overrides, replication=i)
        planned, _ = plan(r.draws, r.draws.cfg.sites, r.draws.cfg.power, spec, 0.0)
        out.append(round((planned[0][2] - planned[0][1]) / DAYS_PER_MONTH, 9))
    return out


def test_the_slip_is_scaled_by_the_kind_of_site():
    over = (*FAST_GRID, "sites.slip_months=6", "sites.relocation_p=0",
            "sites.slip_factor.brownfield=0.5", "sites.slip_factor.existing=0")
    assert delays(site(kind="greenfield"), *over, replications=1) == [6.0]
    assert delays(site(kind="brownfield"), *over, replications=1) == [3.0]
    assert delays(site(kind="existing", grid="energized"), *over, replications=1) == [0.0]


def test_a_sites_own_slip_replaces_the_shared_one_unscaled():
    r = run("sites.slip_months=6", "+sites.slip_months_by_site.sk_ulsan=20",
            "sites.slip_factor.brownfield=0.5")
    cfg = r.draws.cfg.sites
    assert construction_delay_months(r.draws, cfg, site("sk_ulsan", kind="brownfield")) == 20
    assert construction_delay_months(r.draws, cfg, site("other", kind="brownfield")) == 3


def test_the_later_of_construction_and_grid_decides():
    assert delays(site(), *FAST_GRID[1:], "power.grid_delay_months=9", "sites.slip_months=4",
                  "sites.relocation_p=0", replications=1) == [9.0]
    assert delays(site(), *FAST_GRID[1:], "power.grid_delay_months=2", "sites.slip_months=4",
                  "sites.relocation_p=0", replications=1) == [4.0]


def test_mou_stage_sites_relocate_with_their_probability():
    over = (*FAST_GRID, "sites.slip_months=0", "sites.relocation_months=30")
    moved = delays(site(kind="mou_stage"), *over, "sites.relocation_p=0.3", replications=400)
    share = sum(d == 30 for d in moved) / len(moved)
    assert share == pytest.approx(0.3, abs=0.07)
    assert set(moved) == {0.0, 30.0}
    never = delays(site(kind="greenfield"), *over, "sites.relocation_p=1", replications=5)
    assert set(never) == {0.0}  # only MOU-stage sites relocate


def test_derated_phases_come_on_in_two_blocks():
    r = run(*FAST_GRID, "sites.slip_months=0", "power.derate=0.6", "power.derate_lag_months=12")
    spec = site(grid="passed", phases=((10.0, "2027-01-01"), (5.0, "2028-01-01")))
    _, steps = plan(r.draws, r.draws.cfg.sites, r.draws.cfg.power, spec, 0.0)
    first, second = to_day(spec.phases[0].ready), to_day(spec.phases[1].ready)
    assert steps == [(first, 6000.0), (first + 12 * DAYS_PER_MONTH, 4000.0),
                     (second, 3000.0), (second + 12 * DAYS_PER_MONTH, 2000.0)]


def test_an_energized_hall_takes_its_full_mw_on_its_date():
    r = run("power.derate=0.5", "power.grid_delay_months=24")
    spec = site(kind="existing", grid="energized", phases=((20.0, "2026-01-01"),))
    _, steps = plan(r.draws, r.draws.cfg.sites, r.draws.cfg.power, spec, 0.0)
    assert steps == [(to_day(spec.phases[0].ready), 20000.0)]


def test_a_site_not_reported_ready_is_not_ready_before_the_as_of_date():
    r = run(*FAST_GRID, "sites.slip_months=0")
    spec = site(grid="passed", phases=((10.0, "2026-01-01"),))
    as_of = to_day(spec.phases[0].ready) + 100
    _, steps = plan(r.draws, r.draws.cfg.sites, r.draws.cfg.power, spec, as_of)
    assert steps == [(as_of, 10000.0)]
    hall = site(kind="existing", grid="energized", phases=((10.0, "2026-01-01"),))
    _, steps = plan(r.draws, r.draws.cfg.sites, r.draws.cfg.power, hall, as_of)
    assert steps == [(to_day(hall.phases[0].ready), 10000.0)]  # an existing hall is there


def test_the_shared_slip_factor_correlates_two_sites_slips():
    def log_slips(rho, sid):
        out = []
        for i in range(600):
            r = run(f"sites.slip_correlation={rho}", replication=i)
            out.append(np.log(construction_delay_months(r.draws, r.draws.cfg.sites,
                                                        site(sid))))
        return np.array(out)

    for rho in (0.0, 0.6):
        corr = np.corrcoef(log_slips(rho, "a"), log_slips(rho, "b"))[0, 1]
        assert corr == pytest.approx(rho, abs=0.1)
