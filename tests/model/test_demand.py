"""Demand on its own, from a plain ``demand`` group: tranches, site-gated blocks, the plan,
and re-planning on a slip."""

from __future__ import annotations

from datetime import date

from groups import config
from parts import recipient, run

from sim.calendar import DAYS_PER_MONTH, to_day
from sim.model.demand import Block, replan, site_blocks, submit_plan, tranche_lots, window_blocks
from sim.seeds.data import Tranche

LEAD = 6 * DAYS_PER_MONTH


def test_each_phase_wants_the_lots_its_mw_can_hold_ahead_of_its_date():
    # 0.72 MW at 2.5 kW/GPU holds 288 GPUs = 4 lots of 72; the other phase 2 lots more
    phases = [(0, 1, 0.36, 900.0), (0, 0, 0.72, 500.0)]
    blocks = site_blocks(8, phases, gpus_per_lot=72, kw_on=lambda day: 2.5, lead_days=LEAD)
    assert [(b.wanted, b.lots, b.phase) for b in blocks] == [
        (500 - LEAD, 4, (0, 0)), (900 - LEAD, 2, (0, 1)), (900 - LEAD, 2, (0, 1))]
    assert all(b.planned for b in blocks)  # they wait for the demand plan


def test_more_power_per_gpu_fits_fewer_lots_in_a_phase():
    phases = [(0, 0, 0.72, 500.0), (0, 1, 10.0, 900.0)]
    at_25 = site_blocks(10, phases, 72, lambda day: 2.5, 0.0)
    at_50 = site_blocks(10, phases, 72, lambda day: 5.0, 0.0)
    assert at_25[0].lots == 4 and at_50[0].lots == 2


def test_a_phase_holds_lots_at_the_power_of_what_ships_when_they_are_wanted():
    # a later generation (5 kW from day 400) fills the phase wanted on day 500 with fewer lots
    phases = [(0, 0, 0.72, 300.0), (0, 1, 0.72, 500.0), (0, 2, 10.0, 900.0)]
    blocks = site_blocks(10, phases, 72, lambda day: 5.0 if day >= 400 else 2.5, 0.0)
    assert [b.lots for b in blocks[:2]] == [4, 2]


def test_a_recipient_without_sites_wants_its_lots_once_its_plan_is_in():
    (block,) = site_blocks(5, [], 72, lambda day: 2.5, LEAD)
    assert (block.lots, block.planned) == (5, True)


def test_a_tranche_window_spreads_its_lots_a_block_a_month():
    tranche = Tranche("t", "government", 720, date(2025, 9, 1),
                      order_window=(date(2026, 1, 1), date(2026, 6, 30)))
    blocks = window_blocks(tranche, 10)
    assert sum(b.lots for b in blocks) == 10 and len(blocks) == 6
    assert blocks[0].wanted == to_day(date(2026, 1, 1))
    assert blocks[-1].wanted == to_day(date(2026, 6, 30))
    assert not any(b.planned for b in blocks)  # bought on its own schedule
    assert tranche_lots([720, 720], 72, 15) == [10, 5]  # never more than there are


def test_no_site_gated_lot_is_wanted_before_the_plan_is_in():
    r = run()
    gov = recipient("government", lots=3)
    gov.blocks = [Block(0.0, 2, planned=True), Block(50.0, 1)]
    assert gov.due_lots(60) == 1  # only the tranche's lot
    r.env.process(submit_plan(r, config("demand", plan_delay_months=3), gov))
    r.env.run(until=200)
    assert gov.plan_day == 3 * DAYS_PER_MONTH
    assert gov.blocks[0].wanted == 3 * DAYS_PER_MONTH
    assert gov.due_lots(100) == 3
    plan_block, tranche_block = gov.blocks
    gov.take(2)
    # the earliest wanted (day 50) go first; a block used up leaves the list
    assert (plan_block.lots, tranche_block.lots) == (1, 0) and gov.blocks == [plan_block]


def test_re_planning_moves_unordered_orders_with_a_slip():
    """A phase announced for day 600 slips to day 900; notice comes 6 months before day 600.
    Re-planning moves the lots not yet ordered by then; holding stock keeps them."""
    def wanted_after(timing):
        r = run()
        cfg = config("demand", timing=timing, slip_notice_months=6, order_ahead_months=6)
        gov = recipient("government", lots=4)
        gov.plan_day = 0.0
        block = Block(600 - LEAD, 4, (0, 0), True)
        gov.blocks = [block]
        if timing == "expected_ready":
            r.env.process(replan(r, cfg, gov, block, 600.0, 900.0))
        r.env.run(until=800)
        return block.wanted

    assert wanted_after("expected_ready") == 900 - LEAD
    assert wanted_after("announced_ready") == 600 - LEAD


def test_the_plan_is_in_after_its_delay():
    r = run()
    gov = recipient("government", lots=3)
    r.env.process(submit_plan(r, config("demand", plan_delay_months=3), gov))
    r.env.run(until=200)
    assert gov.plan_day == 3 * DAYS_PER_MONTH
    assert r.draws.sampled == {"demand.plan_delay_months[government]": 3.0}


def test_asap_wants_every_site_gated_lot_once_the_plan_is_in():
    r = run()
    gov = recipient("government", lots=4)
    gov.blocks = [Block(500.0, 3, (0, 0), planned=True), Block(50.0, 1)]
    changed = []
    r.env.process(submit_plan(r, config("demand", timing="asap", plan_delay_months=1), gov,
                              lambda: changed.append(r.env.now)))
    r.env.run(until=100)
    assert gov.blocks[0].wanted == DAYS_PER_MONTH  # not its phase's day: now
    assert gov.blocks[1].wanted == 50.0  # a tranche's block keeps its own day
    assert changed == [DAYS_PER_MONTH]  # supply is told
    assert r.timeline.rows[0][1:4] == ("plan_submitted", "government", None)
