"""Deals on their own, from a plain ``deals`` group: each fires on its date and sets off its
effect, if turned on."""

from __future__ import annotations

from datetime import date

import pytest
from groups import config
from parts import run

from sim.calendar import DAYS_PER_MONTH, to_day
from sim.model.deals import MOU_SITE, Deals, financed_site
from sim.seeds.data import Deal


class FakeSupply:
    def __init__(self):
        self.squeezes = []

    def squeeze(self, cut, start, until):
        self.squeezes.append((cut, start, until))


DEALS = {d.id: d for d in (
    Deal("blackrock_mou", date(2025, 9, 22), "MOU", "mou", ("a",)),
    Deal("stargate_loi", date(2025, 10, 1), "LOI", "loi", ("a",)),
    Deal("nvidia_pledge", date(2025, 10, 31), "pledge", "pledge", ("a",)))}


def fire(**changes):
    r = run()
    opened, supply = [], FakeSupply()
    deals = Deals(r, config("deals", **changes), DEALS, lambda: opened.append(r.env.now),
                  supply)
    r.env.process(deals.announce())
    r.env.run(until=100)
    return r, opened, supply


def test_the_pledge_opens_the_allocations_on_its_date_and_the_others_do_nothing_when_off():
    r, opened, supply = fire(stargate_loi={"enabled": False})
    assert opened == [to_day(date(2025, 10, 31))]
    assert supply.squeezes == []
    assert [row[3] for row in r.timeline.rows] == ["blackrock_mou", "stargate_loi",
                                                   "nvidia_pledge"]


def test_the_stargate_loi_squeezes_supply_from_its_start_for_its_months():
    _, _, supply = fire(stargate_loi={"enabled": True, "supply_cut": 0.4, "start_months": 3,
                                      "cut_months": 6})
    ((cut, start, until),) = supply.squeezes
    loi = to_day(date(2025, 10, 1))
    assert cut == 0.4 and start == loi + 3 * DAYS_PER_MONTH
    assert until == pytest.approx(start + 6 * DAYS_PER_MONTH)


def test_the_blackrock_mou_yields_a_site_like_any_other_when_it_does():
    mou = {"enabled": True, "mw": 150, "announce_months": 12, "build_months": 24}
    spec = financed_site(config("deals", blackrock_mou={**mou, "site_p": 1}), run().draws,
                         DEALS)
    assert spec.id == MOU_SITE and spec.recipient is None  # open to every recipient
    assert (spec.kind, spec.grid_assessment) == ("greenfield", "pending")  # it slips, waits
    assert spec.phases[0].mw == 150
    day = to_day(date(2025, 9, 22))
    assert to_day(spec.public) == pytest.approx(day + 12 * DAYS_PER_MONTH, abs=1)
    assert to_day(spec.phases[0].ready) == pytest.approx(day + 36 * DAYS_PER_MONTH, abs=1)
    assert financed_site(config("deals", blackrock_mou={**mou, "site_p": 0}), run().draws,
                         DEALS) is None
    off = config("deals", blackrock_mou={**mou, "enabled": False, "site_p": 1})
    assert financed_site(off, run().draws, DEALS) is None
