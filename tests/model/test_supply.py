"""Supply on its own, from a plain ``supply`` group: the allocation policies, the weekly
release, the lead time, a tranche ordered already."""

from __future__ import annotations

import numpy as np
import pytest
from groups import config
from parts import recipient, run

from sim.calendar import DAYS_PER_MONTH, to_date
from sim.model.demand import Block
from sim.model.supply import Supply, allocate
from sim.seeds.data import Tranche


def wants(*pairs):
    return [(recipient(rid), n) for rid, n in pairs]


def given(result):
    return {r.id: n for r, n in result}


def test_plan_order_serves_the_queue_in_order_until_the_budget_runs_out():
    w = wants(("naver", 5), ("government", 4), ("sk", 3))
    assert given(allocate("plan_order", w, 7)) == {"naver": 5, "government": 2}
    assert given(allocate("plan_order", w, 100)) == {"naver": 5, "government": 4, "sk": 3}
    assert allocate("plan_order", w, 0) == []


def test_government_first_is_plan_order_over_a_queue_with_the_government_first():
    # the policy's order is set by Supply.ordered_queue; allocate then serves in that order
    w = wants(("government", 4), ("naver", 5))
    assert given(allocate("government_first", w, 6)) == {"government": 4, "naver": 2}


def test_pro_rata_splits_by_what_each_wants_and_gives_every_lot_out():
    w = wants(("naver", 6), ("government", 3), ("sk", 1))
    out = given(allocate("pro_rata", w, 5))
    assert sum(out.values()) == 5
    assert out == {"naver": 3, "government": 2}  # 3, 1.5, 0.5: a tied remainder goes first in queue
    assert given(allocate("pro_rata", w, 10)) == {"naver": 6, "government": 3, "sk": 1}


def test_recipients_that_want_nothing_get_nothing():
    w = wants(("naver", 0), ("government", 2))
    for policy in ("plan_order", "pro_rata", "government_first"):
        assert given(allocate(policy, w, 5)) == {"government": 2}


def test_government_first_puts_the_government_at_the_head_of_the_queue():
    r = run()
    supply = Supply(r, config("supply", policy="government_first"), 72, {}, ship=None,
                    arrive=None)
    supply.queue = [recipient("naver"), recipient("sk"), recipient("government")]
    for day, rec in enumerate(supply.queue):
        rec.plan_day = 10.0 - day  # plan order: government, sk, naver
    assert [x.id for x in supply.ordered_queue()] == ["government", "sk", "naver"]
    supply.cfg.policy = "plan_order"
    supply.queue[2].plan_day = 20.0
    supply.wake()  # as a plan coming in does
    assert [x.id for x in supply.ordered_queue()] == ["sk", "naver", "government"]


@pytest.mark.parametrize("cap", [13 * 72, 13 * 72 * 4])
def test_the_weekly_release_orders_a_thirteenth_of_the_quarterly_cap(cap):
    r = run()
    gov = recipient("government", lots=40)
    gov.plan_day, gov.blocks = 0.0, [Block(0.0, gov.n_lots)]
    shipped = []

    def ship(rec, first, end, order, day):
        shipped.append((day, first, end))

    supply = Supply(r, config("supply", cap_gpus_per_quarter=cap, order_to_ship_months=2), 72,
                    {"government": gov}, ship, arrive=None)
    supply.enlist(gov)
    r.env.run(until=7 * 3 + 1)  # three weekly releases
    weekly_lots = cap // 13 // 72
    assert gov.ordered == 4 * weekly_lots  # at day 0, 7, 14 and 21
    # each order ships order_to_ship_months after it was placed
    assert all(abs(day - 2 * DAYS_PER_MONTH - 7 * (first // weekly_lots)) < 1e-9
               for day, first, _ in shipped)


def test_a_squeeze_cuts_the_release_until_its_end():
    r = run()
    supply = Supply(r, config("supply", cap_gpus_per_quarter=13000), 72, {}, ship=None,
                    arrive=None)
    supply.squeeze(0.5, start=5.0, until=10.0)
    assert supply.weekly_release_gpus() == pytest.approx(1000)
    r.env.run(until=5.0)
    assert supply.weekly_release_gpus() == pytest.approx(500)
    r.env.run(until=10.0)
    assert supply.weekly_release_gpus() == pytest.approx(1000)


def test_weeks_when_nothing_is_wanted_are_slept_through_and_demand_wakes_the_release():
    """Lots wanted only from day 70 are ordered on the first weekly release after it; a
    re-plan that brings them forward to day 20 is served on the week after day 20."""
    def first_order(replanned_to=None):
        r = run()
        gov = recipient("government", lots=5)
        gov.plan_day, gov.blocks = 0.0, [Block(70.0, 5)]

        def ship(rec, first, end, order, day):
            pass

        supply = Supply(r, config("supply", cap_gpus_per_quarter=13000), 72,
                        {"government": gov}, ship, arrive=None)
        supply.enlist(gov)
        if replanned_to is not None:
            def replan():
                yield r.env.timeout(15.0)
                gov.blocks[0].wanted = replanned_to
                supply.wake()
            r.env.process(replan())
        r.env.run(until=200)
        return np.nanmin(gov.days["ordered"])

    assert first_order() == 70.0
    assert first_order(replanned_to=20.0) == 21.0


def test_a_tranche_ordered_already_ships_from_its_order_date_or_arrives_when_pinned():
    r = run()
    gov = recipient("government", lots=6)
    carried, arrived = [], []

    def ship(rec, first, end, order, day):
        carried.append((day, first, end))

    def arrive(rec, first, end, day):
        arrived.append((day, first, end))

    supply = Supply(r, config("supply", order_to_ship_months=3), 72, {"government": gov}, ship,
                    arrive)
    pinned = np.array([50.0, 50.0, np.nan, np.nan, np.nan, np.nan])
    day = to_date(-20.0)
    batch = Tranche("batch", "government", 432, day, ordered=(day, day), orders=2)
    supply.ship_ordered(gov, 0, 6, batch, pinned=pinned)
    r.env.run(until=300)
    assert arrived == [(50.0, 0, 2)]  # the observed arrivals
    # the rest of the first order and the second order ship 3 months after the order date
    assert carried == [(-20 + 3 * DAYS_PER_MONTH, 2, 3), (-20 + 3 * DAYS_PER_MONTH, 3, 6)]
    assert (gov.days["ordered"] == -20.0).all()


def test_a_stated_shipping_window_slips_by_the_ship_slip():
    """Orders of a tranche that a source said would ship within a window ship on a day drawn
    in it, late by ``supply.ship_slip_days``; the lead time does not apply."""
    def ship_days(slip):
        r, carried = run(), []
        gov = recipient("government", lots=4)
        supply = Supply(r, config("supply", ship_slip_days=slip), 72, {"government": gov},
                        lambda rec, first, end, order, day: carried.append(day), arrive=None)
        day = to_date(-30.0)
        batch = Tranche("batch", "government", 288, day, ordered=(day, day), orders=2,
                        ships=(to_date(10.0), to_date(40.0)))
        supply.ship_ordered(gov, 0, 4, batch, pinned=np.full(4, np.nan))
        return np.array(carried)

    on_time, late = ship_days(0), ship_days(20)
    assert len(on_time) == 2 and ((10 <= on_time) & (on_time <= 40)).all()
    np.testing.assert_allclose(late, on_time + 20)  # the same days drawn in the window
