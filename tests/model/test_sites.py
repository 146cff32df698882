"""Sites on their own, built from plain ``sites`` and ``power`` groups: how late a site's
phases come on, in what blocks, and the room they give."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import numpy as np
import pytest
from groups import config
from parts import run, site

from sim.calendar import DAYS_PER_MONTH, to_day
from sim.distributions import Triangular
from sim.model.power import Grid
from sim.model.sites import Site, construction_delay_months, phases_of, plan
from sim.seeds.data import Phase

FAST_GRID = dict(grid_delay_months=0, approval_p={"capital": 1, "non_capital": 1},
                 assessment_months={"capital": 0, "non_capital": 0})


def planned(spec, replication=0, power=None, **changes):
    """``(phases as planned, blocks of kW)`` of ``spec`` in one run."""
    r = run(replication=replication)
    grid = Grid(config("power", **(FAST_GRID if power is None else power)), r.draws)
    return plan(config("sites", **changes), r.draws, grid, spec)


def delays(spec, replications=50, power=None, **changes):
    """Months after the first phase's announced date that it comes on, per replication."""
    cfg = config("sites", **changes)
    grid_cfg = config("power", **(FAST_GRID if power is None else power))
    out = []
    for i in range(replications):
        r = run(replication=i)
        phases, _ = plan(cfg, r.draws, Grid(grid_cfg, r.draws), spec)
        out.append(round((phases[0][2] - phases[0][1]) / DAYS_PER_MONTH, 9))
    return out


def test_the_slip_is_scaled_by_the_kind_of_site():
    over = dict(slip_months=6, relocation_p=0, slip_factor={"brownfield": 0.5, "existing": 0})
    assert delays(site(kind="greenfield"), 1, **over) == [6.0]
    assert delays(site(kind="brownfield"), 1, **over) == [3.0]
    assert delays(site(kind="existing", grid="energized"), 1, **over) == [0.0]


def test_a_sites_own_slip_replaces_the_shared_one_unscaled():
    r = run()
    cfg = config("sites", slip_months=6, slip_months_by_site={"sk_ulsan": 20},
                 slip_factor={"brownfield": 0.5})
    assert construction_delay_months(cfg, r.draws, site("sk_ulsan", kind="brownfield")) == 20
    assert construction_delay_months(cfg, r.draws, site("other", kind="brownfield")) == 3


def test_a_sites_own_slip_uses_the_uniform_of_the_shared_one():
    """A what-if slip that is stochastically larger is larger draw for draw (CRN)."""
    spec = site("sk_ulsan")
    for i in range(20):
        shared = construction_delay_months(config("sites", slip_correlation=0),
                                           run(replication=i).draws, spec)
        own = construction_delay_months(
            config("sites", slip_correlation=0,
                   slip_months_by_site={"sk_ulsan": "lognormal(median=6, p90=24)"}),
            run(replication=i).draws, spec)
        assert own > shared


def test_the_later_of_construction_and_grid_decides():
    fast = {**FAST_GRID, "grid_delay_months": 9}
    assert delays(site(), 1, power=fast, slip_months=4, relocation_p=0) == [9.0]
    fast["grid_delay_months"] = 2
    assert delays(site(), 1, power=fast, slip_months=4, relocation_p=0) == [4.0]


def test_mou_stage_sites_relocate_with_their_probability():
    over = dict(slip_months=0, relocation_months=30)
    moved = delays(site(kind="mou_stage"), 400, relocation_p=0.3, **over)
    assert sum(d == 30 for d in moved) / len(moved) == pytest.approx(0.3, abs=0.07)
    assert set(moved) == {0.0, 30.0}
    never = delays(site(kind="greenfield"), 5, relocation_p=1, **over)
    assert set(never) == {0.0}  # only MOU-stage sites relocate


def test_derated_phases_come_on_in_two_blocks():
    spec = site(grid="passed", phases=((10.0, "2027-01-01"), (5.0, "2028-01-01")))
    _, steps = planned(spec, power={**FAST_GRID, "derate": 0.6, "derate_lag_months": 12},
                       slip_months=0)
    first, second = to_day(spec.phases[0].ready), to_day(spec.phases[1].ready)
    assert steps == [(first, 6000.0), (first + 12 * DAYS_PER_MONTH, 4000.0),
                     (second, 3000.0), (second + 12 * DAYS_PER_MONTH, 2000.0)]


def test_an_energized_hall_takes_its_full_mw_on_its_date():
    spec = site(kind="existing", grid="energized", phases=((20.0, "2026-01-01"),))
    _, steps = planned(spec, power={"derate": 0.5, "grid_delay_months": 24})
    assert steps == [(to_day(spec.phases[0].ready), 20000.0)]


def test_a_site_is_not_ready_before_its_last_report_and_may_be_after_it():
    spec = site(grid="passed", phases=((10.0, "2026-01-01"),))
    ready = to_day(spec.phases[0].ready)
    reported = replace(spec, reported=date(2026, 4, 1))
    assert planned(reported, slip_months=0)[1] == [(to_day(date(2026, 4, 1)), 10000.0)]
    # reported before its date: ready on its date, even if the as-of date is later
    earlier = replace(spec, reported=date(2025, 11, 1))
    assert planned(earlier, slip_months=0)[1] == [(ready, 10000.0)]
    hall = site(kind="existing", grid="energized", phases=((10.0, "2026-01-01"),))
    # an existing hall is there
    assert planned(replace(hall, reported=date(2026, 4, 1)))[1] == \
        [(to_day(hall.phases[0].ready), 10000.0)]


def test_the_shared_slip_factor_correlates_two_sites_slips():
    def log_slips(rho, sid):
        cfg = config("sites", slip_correlation=rho)
        return np.log([construction_delay_months(cfg, run(replication=i).draws, site(sid))
                       for i in range(600)])

    for rho in (0.0, 0.6):
        corr = np.corrcoef(log_slips(rho, "a"), log_slips(rho, "b"))[0, 1]
        assert corr == pytest.approx(rho, abs=0.1)


def test_a_phase_without_a_sourced_mw_or_date_draws_them_from_its_prior():
    r = run()
    spec = site()
    prior = spec.__class__(**{**spec.__dict__, "phases": (
        Phase(Triangular(30, 40, 80), Triangular(900, 1000, 1200)),)})
    ((mw, ready),) = phases_of(r.draws.of("sites", config("sites")), prior)
    assert 30 <= mw <= 80 and 900 <= ready <= 1200
    assert r.draws.sampled == {"sites.phase_mw[hall#0]": mw,
                               "sites.announced_ready_day[hall#0]": ready}


def test_a_site_offers_its_room_when_each_block_of_mw_comes_on():
    r, offered = run(), []
    hall = Site(r, site(), 0, [(10.0, 500.0), (30.0, 1500.0), (10.0, 250.0)],
                offered.append)
    assert hall.steps == [(10.0, 750.0), (30.0, 1500.0)]  # one block a day
    assert hall.mw == 2.25
    hall.energize()
    r.env.run(until=20)
    assert (hall.energized_kw, offered) == (750.0, ["government"])
    hall.drawn_kw = 700.0
    r.env.run(until=40)
    assert hall.room_kw == 1550.0 and offered == ["government", "government"]
    assert [row[1] for row in r.timeline.rows] == ["site_ready", "site_ready"]


def test_a_brownfield_site_with_no_slip_drawn_finishes_on_its_announced_date():
    spec = site(kind="brownfield", grid="energized", public="2025-10-31",
                phases=((10.0, "2027-06-30"),))
    assert set(delays(spec, 20, on_time_p=1, slip_months="lognormal(median=8, p90=24)")) == {0}
    # at the odds of the reference class, some are on time and the rest late
    found = np.array(delays(spec, 400, on_time_p=0.25,
                            slip_months="lognormal(median=8, p90=24)"))
    assert (found == 0).mean() == pytest.approx(0.25, abs=0.05)
    assert (found[found > 0] > 0).all()


def test_an_owners_existing_hall_gives_only_its_free_share_to_pledged_gpus():
    hall = replace(site(kind="existing", grid="energized", public="2023-11-06",
                        phases=((60.0, "2023-11-06"),)), fleet=True)
    for share in (0.1, 0.4):
        phases, steps = planned(hall, slip_months=6, fleet_free_share=share)
        assert phases[0][0] == pytest.approx(60.0 * share)
        assert sum(kw for _, kw in steps) == pytest.approx(60_000.0 * share)
        assert steps[0][0] == 0.0  # energized already: room from the start
    # a hall named for the pledge's GPUs (not running its owner's fleet) gives all of it
    phases, _ = planned(replace(hall, fleet=False), fleet_free_share=0.1)
    assert phases[0][0] == pytest.approx(60.0)
