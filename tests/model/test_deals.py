"""Deals on their own: each fires on its date and sets off its effect, if turned on."""

from __future__ import annotations

from datetime import date

from parts import run

from sim.model.calendar import DAYS_PER_MONTH, to_day
from sim.model.deals import MOU_SITE, Deals
from sim.model.seeds import Deal


class FakeSupply:
    def __init__(self):
        self.squeezes = []

    def squeeze(self, cut, until):
        self.squeezes.append((cut, until))


DEALS = {d.id: d for d in (
    Deal("blackrock_mou", date(2025, 9, 22), "MOU", "mou", ("a",)),
    Deal("stargate_loi", date(2025, 10, 1), "LOI", "loi", ("a",)),
    Deal("nvidia_pledge", date(2025, 10, 31), "pledge", "pledge", ("a",)))}


def fire(*overrides):
    r = run(*overrides)
    opened, shared, supply = [], [], FakeSupply()
    deals = Deals(r, r.draws.cfg.deals, DEALS, lambda: opened.append(r.env.now), supply,
                  lambda spec, steps: shared.append((spec, steps)))
    r.env.process(deals.announce())
    r.env.run(until=100)
    return r, opened, shared, supply


def test_the_pledge_opens_the_allocations_on_its_date_and_the_others_do_nothing_when_off():
    r, opened, shared, supply = fire("deals.stargate_loi.enabled=false",
                                     "deals.blackrock_mou.enabled=false")
    assert opened == [to_day(date(2025, 10, 31))]
    assert shared == [] and supply.squeezes == []
    assert [row[3] for row in r.timeline.rows] == ["blackrock_mou", "stargate_loi",
                                                   "nvidia_pledge"]


def test_the_stargate_loi_squeezes_supply_from_its_date_for_its_months():
    _, _, _, supply = fire("deals.stargate_loi.enabled=true",
                           "deals.stargate_loi.supply_cut=0.4", "deals.stargate_loi.cut_months=6")
    ((cut, until),) = supply.squeezes
    assert cut == 0.4 and until == to_day(date(2025, 10, 1)) + 6 * DAYS_PER_MONTH


def test_the_blackrock_mou_adds_shared_capacity_ready_its_months_after_the_mou():
    _, _, shared, _ = fire("deals.blackrock_mou.enabled=true", "deals.blackrock_mou.mw=150",
                           "deals.blackrock_mou.ready_months=24")
    ((spec, steps),) = shared
    assert spec.id == MOU_SITE and spec.recipient is None
    assert steps == [(24 * DAYS_PER_MONTH, 150_000.0)]
