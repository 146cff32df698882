"""Demand on its own: when a plan wants each lot, and when the plan is in."""

from __future__ import annotations

from datetime import date

import numpy as np
from parts import config, recipient, run

from sim.model.calendar import DAYS_PER_MONTH, to_day
from sim.model.demand import submit_plan, wanted_days
from sim.model.hardware import lot_sizes
from sim.model.seeds import Phase


def phase(mw: float, ready: str) -> Phase:
    return Phase(mw, date.fromisoformat(ready))


def test_each_phase_wants_the_lots_its_mw_can_hold_ahead_of_its_date():
    cfg = config("demand.timing=site_schedule", "demand.order_ahead_months=6").demand
    # 0.72 MW at 2.5 kW/GPU holds 288 GPUs = 4 lots of 72; the second phase 2 lots more
    phases = [phase(0.36, "2028-01-01"), phase(0.72, "2027-01-01")]
    wanted = wanted_days(cfg, phases, n_lots=8, gpus_per_lot=72, kw_per_gpu=2.5)
    lead = 6 * DAYS_PER_MONTH
    first, second = to_day(date(2027, 1, 1)) - lead, to_day(date(2028, 1, 1)) - lead
    np.testing.assert_allclose(wanted, [first] * 4 + [second] * 4)  # the rest with the last


def test_asap_wants_everything_at_once_and_so_does_a_recipient_without_sites():
    asap = config("demand.timing=asap").demand
    assert (wanted_days(asap, [phase(1, "2028-01-01")], 5, 72, 2.5) == 0).all()
    schedule = config("demand.timing=site_schedule").demand
    assert (wanted_days(schedule, [], 5, 72, 2.5) == 0).all()


def test_more_power_per_gpu_fits_fewer_lots_in_a_phase():
    cfg = config("demand.timing=site_schedule", "demand.order_ahead_months=0").demand
    phases = [phase(0.72, "2027-01-01"), phase(10, "2029-01-01")]
    at_25 = wanted_days(cfg, phases, 10, 72, 2.5)
    at_50 = wanted_days(cfg, phases, 10, 72, 5.0)
    assert (at_25 == to_day(date(2027, 1, 1))).sum() == 4
    assert (at_50 == to_day(date(2027, 1, 1))).sum() == 2


def test_the_plan_is_in_after_its_delay_and_no_lot_is_wanted_before_then():
    r = run("demand.plan_delay_months=3")
    gov = recipient("government", lots=3)
    enlisted = []
    r.env.process(submit_plan(r, r.draws.cfg.demand, gov, np.array([0.0, 50.0, 400.0]),
                              enlisted.append))
    r.env.run(until=200)
    assert enlisted == [gov]
    assert gov.plan_day == 3 * DAYS_PER_MONTH
    assert gov.due_days == [3 * DAYS_PER_MONTH, 3 * DAYS_PER_MONTH, 400.0]
    assert gov.due_lots(100) == 2 and gov.due_lots(400) == 3
    assert r.draws.sampled == {"demand.plan_delay_months[government]": 3.0}


def test_lots_are_full_but_the_last():
    assert lot_sizes(200, 72).tolist() == [72, 72, 56]
    assert lot_sizes(144, 72).tolist() == [72, 72]
