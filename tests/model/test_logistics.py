"""Logistics on its own, from a plain ``logistics`` group: transit after shipping, observed
arrivals on their day, and an order the reports say had not arrived by a day travelling
again from that day."""

from __future__ import annotations

import numpy as np
from groups import config
from parts import recipient, run

from sim.model.logistics import Logistics


def carried(ship_days, as_of_day=0.0, lots=4, floor=None):
    r = run(as_of_day=as_of_day)
    gov, delivered = recipient("government", lots=lots), []
    floors = None if floor is None else {"government": {"arrived": np.asarray(floor, float)}}
    logistics = Logistics(r, config("logistics", ship_days=ship_days),
                          lambda rec: delivered.append((r.env.now, list(rec.waiting))), floors)
    return r, gov, logistics, delivered


def test_an_order_arrives_its_transit_after_it_ships_and_joins_the_queue_for_power():
    r, gov, logistics, delivered = carried(14)
    logistics.carry(gov, 0, 2, order=0, shipped=10.0)
    logistics.carry(gov, 2, 4, order=1, shipped=30.0)
    r.env.run(until=100)
    np.testing.assert_allclose(gov.days["arrived"], [24, 24, 44, 44])
    assert delivered == [(24.0, [(0, 2)]), (44.0, [(0, 2), (2, 4)])]


def test_each_order_draws_its_own_transit_keyed_by_its_number():
    r, gov, logistics, _ = carried("uniform(low=5, high=30)")
    for order in range(4):
        logistics.carry(gov, order, order + 1, order=order, shipped=0.0)
    r.env.run(until=100)
    days = gov.days["arrived"]
    assert len(set(days)) == 4 and ((5 <= days) & (days <= 30)).all()
    assert r.draws.sampled["logistics.ship_days[government]"] > 0  # recorded, per lot mean


def test_an_observed_arrival_pins_its_lots_to_the_day_it_was_reported():
    r, gov, logistics, _ = carried(14, as_of_day=200.0)
    logistics.carry(gov, 0, 2, order=0, shipped=10.0)
    logistics.arrive(gov, 2, 4, day=50.0)  # observed: arrives that day
    r.env.run(until=300)
    np.testing.assert_allclose(gov.days["arrived"], [24, 24, 50, 50])
    np.testing.assert_allclose(gov.days["shipped"][2:], [50, 50])


def test_an_order_reported_not_arrived_by_a_day_travels_again_from_it():
    """Lots 2 and 3 were reported not in by day 100 (a floor): their order, drawn to arrive
    on day 24, arrives 14 days after day 100. Lots 0 and 1, with no floor, arrive as drawn,
    before the as-of date: what is not reported is not taken as not having happened."""
    r, gov, logistics, _ = carried(14, as_of_day=200.0, floor=[0, 0, 0, 100])
    logistics.carry(gov, 0, 2, order=0, shipped=10.0)
    logistics.carry(gov, 2, 4, order=1, shipped=10.0)
    r.env.run(until=300)
    np.testing.assert_allclose(gov.days["arrived"], [24, 24, 114, 114])
