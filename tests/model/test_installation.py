"""Installation on its own, from a plain ``install`` group: placement in powered room, crews
that scale with the site, burn-in, acceptance, a recipient's own acceptance time, and
observed events that pin lots."""

from __future__ import annotations

import numpy as np
import pytest
from groups import config
from parts import recipient, run, site

from sim.calendar import DAYS_PER_MONTH
from sim.model.installation import Installation
from sim.model.sites import Site

QUICK = dict(burnin_days=10, burnin_fail_p=0, acceptance_months=0, new_hall_months=0)
CREW_OF_7 = dict(racks_per_week_per_mw=0.7, min_racks_per_week=7)


def setup(mw=(1.0,), lots=10, kind="existing", pins=None, as_of_day=0.0, rid="naver",
          floors=None, **install):
    r = run(as_of_day=as_of_day)
    lots_of = recipient(rid, lots=lots)
    inst = Installation(r, config("install", **install), {rid: lots_of}, pins, floors)
    halls = [Site(r, site(f"hall{i}", kind=kind), i, [(0.0, m * 1000)], inst.offer_room)
             for i, m in enumerate(mw)]
    lots_of.sites = halls
    for h in halls:
        h.energized_kw = h.steps[0][1]
    return r, lots_of, inst, halls


def test_lots_take_room_in_arrival_order_at_the_first_site_with_room():
    # a lot of 72 GPUs at 2.5 kW needs 180 kW: 1 MW holds 5 lots, 0.5 MW 2 more
    r, gov, inst, (big, small) = setup(mw=(1.0, 0.5), lots=10)
    gov.waiting.append((0, 10))
    inst.place_waiting(gov)
    assert gov.site_of.tolist() == [0] * 5 + [1] * 2 + [-1] * 3
    assert list(gov.waiting) == [(7, 10)]  # the rest wait for power
    assert big.room_kw < 180 and small.room_kw < 180


def test_new_room_offered_to_a_recipient_places_its_waiting_lots():
    r, gov, inst, (hall,) = setup(mw=(0.18,), lots=3)
    gov.waiting.append((0, 3))
    inst.place_waiting(gov)
    assert list(gov.waiting) == [(1, 3)]
    hall.energized_kw += 360.0
    inst.offer_room(None)  # room open to every recipient: each one's waiting lots try it
    assert not gov.waiting and gov.site_of.tolist() == [0, 0, 0]
    inst.offer_room("someone_else")  # a recipient with no lots here: nothing happens


def test_a_sites_crews_rack_its_lots_one_after_another():
    r, gov, inst, (hall,) = setup(mw=(10.0,), lots=6, **QUICK, **CREW_OF_7)  # 7 racks a week
    gov.waiting.append((0, 3))
    inst.place_waiting(gov)
    np.testing.assert_allclose(gov.days["installed"][:3], [1, 2, 3])  # a rack a day
    np.testing.assert_allclose(gov.days["operational"][:3], [11, 12, 13])
    gov.waiting.append((3, 6))  # later arrivals queue behind the crews
    inst.place_waiting(gov)
    np.testing.assert_allclose(gov.days["installed"][3:6], [4, 5, 6])


def test_crew_throughput_scales_with_the_sites_mw():
    def last_installed(mw):
        _, gov, inst, _ = setup(mw=(mw,), lots=50, racks_per_week_per_mw=1,
                                min_racks_per_week=1, **QUICK)
        gov.waiting.append((0, 50))
        inst.place_waiting(gov)
        return gov.days["installed"].max()

    assert last_installed(50.0) == pytest.approx(7.0)  # 50 racks a week: a week for 50
    assert last_installed(100.0) == pytest.approx(last_installed(50.0) / 2)
    # a small hall never goes below the floor of one crew
    _, gov, inst, (hall,) = setup(mw=(1.0,), lots=3, racks_per_week_per_mw=1,
                                  min_racks_per_week=3, **QUICK)
    assert inst.racks_per_week(hall) == 3


def test_a_failed_burn_in_waits_for_parts_and_burns_in_again():
    _, gov, inst, _ = setup(mw=(10.0,), lots=2, burnin_days=10, burnin_fail_p=1,
                            replace_days=5, acceptance_months=0, **CREW_OF_7)
    gov.waiting.append((0, 2))
    inst.place_waiting(gov)
    np.testing.assert_allclose(gov.days["burnin_failed"][:2], [11, 12])
    np.testing.assert_allclose(gov.days["operational"][:2], [26, 27])  # +5 parts, +10 again


def test_acceptance_takes_longer_in_a_new_hall():
    over = dict(burnin_days=10, burnin_fail_p=0, acceptance_months=1, new_hall_months=2,
                **CREW_OF_7)
    _, existing, inst, _ = setup(mw=(10.0,), lots=1, **over)
    existing.waiting.append((0, 1))
    inst.place_waiting(existing)
    _, new, inst, _ = setup(mw=(10.0,), lots=1, kind="greenfield", **over)
    new.waiting.append((0, 1))
    inst.place_waiting(new)
    assert existing.days["operational"][0] == 1 + 10 + DAYS_PER_MONTH
    assert new.days["operational"][0] == 1 + 10 + 3 * DAYS_PER_MONTH


def test_a_recipients_own_acceptance_time_stands_in_for_the_shared_one():
    over = dict(burnin_days=10, burnin_fail_p=0, acceptance_months=1,
                acceptance_months_by_recipient={"government": 4}, **CREW_OF_7)
    days = {}
    for rid in ("government", "naver"):
        _, lots, inst, _ = setup(mw=(10.0,), lots=1, rid=rid, **over)
        lots.waiting.append((0, 1))
        inst.place_waiting(lots)
        days[rid] = lots.days["operational"][0]
    assert days == {"government": 1 + 10 + 4 * DAYS_PER_MONTH,
                    "naver": 1 + 10 + DAYS_PER_MONTH}


def test_observed_service_pins_lots_by_a_day_and_a_floor_holds_the_rest():
    """Lot 0 was reported in service by day 5 (earlier than drawn), lot 1 by day 40 (later
    than drawn: it keeps its day 12); lot 2 was reported not yet in service on day 100."""
    pinned = np.array([5.0, 40.0, np.nan])
    floor = np.array([0.0, 0.0, 100.0])
    _, gov, inst, _ = setup(mw=(10.0,), lots=3, pins={"naver": {"operational": pinned}},
                            floors={"naver": {"operational": floor, "arrived": 0 * floor}},
                            **QUICK, **CREW_OF_7)
    gov.waiting.append((0, 3))
    inst.place_waiting(gov)
    np.testing.assert_allclose(gov.days["operational"], [5, 12, 100])


def test_a_lot_drawn_in_service_before_its_floor_is_accepted_again_from_it():
    """Acceptance takes a month. Lot 0 has no floor (it runs on its drawn day), lot 1's floor
    of day 50 is after its drawn day (so it takes its month again from day 50), lot 2's floor
    of day 5 is before it (it keeps its drawn day): no lot waits for the as-of date."""
    floor = np.array([0.0, 50.0, 5.0])
    over = dict(QUICK, acceptance_months=1)
    _, gov, inst, _ = setup(mw=(10.0,), lots=3, as_of_day=500.0,
                            floors={"naver": {"operational": floor, "arrived": 0 * floor}},
                            **over, **CREW_OF_7)
    gov.waiting.append((0, 3))
    inst.place_waiting(gov)
    drawn = np.array([11.0, 12.0, 13.0]) + DAYS_PER_MONTH
    np.testing.assert_allclose(gov.days["operational"],
                               [drawn[0], 50 + DAYS_PER_MONTH, drawn[2]])


def test_crews_are_sized_by_the_mw_energized_not_the_mw_planned():
    _, gov, inst, (hall,) = setup(mw=(50.0,), lots=20, racks_per_week_per_mw=1,
                                  min_racks_per_week=1, **QUICK)
    hall.energized_kw = 10_000.0  # 10 of its 50 MW on so far: 10 racks a week
    assert inst.racks_per_week(hall) == pytest.approx(10)
    hall.energized_kw = 50_000.0
    assert inst.racks_per_week(hall) == pytest.approx(50)
