"""Logistics on its own, from a plain ``logistics`` group: transit after shipping, observed
arrivals on their day, nothing arriving before the as-of date unless observed."""

from __future__ import annotations

import numpy as np
from groups import config
from parts import recipient, run

from sim.model.logistics import Logistics


def carried(ship_days, as_of_day=0.0, lots=4):
    r = run(as_of_day=as_of_day)
    gov, delivered = recipient("government", lots=lots), []
    logistics = Logistics(r, config("logistics", ship_days=ship_days),
                          lambda rec: delivered.append((r.env.now, list(rec.waiting))))
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


def test_nothing_arrives_before_the_as_of_date_unless_an_observed_arrival_pins_it():
    r, gov, logistics, _ = carried(14, as_of_day=200.0)
    logistics.carry(gov, 0, 2, order=0, shipped=10.0)
    logistics.arrive(gov, 2, 4, day=50.0)  # observed: arrives that day
    r.env.run(until=300)
    np.testing.assert_allclose(gov.days["arrived"], [200, 200, 50, 50])
    np.testing.assert_allclose(gov.days["shipped"][2:], [50, 50])
