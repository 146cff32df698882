"""Deals on their own: each fires on its date and sets off its effect, if turned on."""

from __future__ import annotations

from datetime import date

import pytest
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


def fire(*overrides):
    r = run(*overrides)
    opened, supply = [], FakeSupply()
    deals = Deals(r, r.draws.cfg.deals, DEALS, lambda: opened.append(r.env.now), supply)
    r.env.process(deals.announce())
    r.env.run(until=100)
    return r, opened, supply


def test_the_pledge_opens_the_allocations_on_its_date_and_the_others_do_nothing_when_off():
    r, opened, supply = fire("deals.stargate_loi.enabled=false")
    assert opened == [to_day(date(2025, 10, 31))]
    assert supply.squeezes == []
    assert [row[3] for row in r.timeline.rows] == ["blackrock_mou", "stargate_loi",
                                                   "nvidia_pledge"]


def test_the_stargate_loi_squeezes_supply_from_its_start_for_its_months():
    _, _, supply = fire("deals.stargate_loi.enabled=true", "deals.stargate_loi.supply_cut=0.4",
                        "deals.stargate_loi.start_months=3", "deals.stargate_loi.cut_months=6")
    ((cut, start, until),) = supply.squeezes
    loi = to_day(date(2025, 10, 1))
    assert cut == 0.4 and start == loi + 3 * DAYS_PER_MONTH
    assert until == pytest.approx(start + 6 * DAYS_PER_MONTH)


def test_the_blackrock_mou_yields_a_site_like_any_other_when_it_does():
    over = ("deals.blackrock_mou.enabled=true", "deals.blackrock_mou.mw=150",
            "deals.blackrock_mou.announce_months=12", "deals.blackrock_mou.build_months=24")
    r = run(*over, "deals.blackrock_mou.site_p=1")
    spec = financed_site(r.draws, r.draws.cfg.deals, DEALS)
    assert spec.id == MOU_SITE and spec.recipient is None  # open to every recipient
    assert (spec.kind, spec.grid_assessment) == ("greenfield", "pending")  # it slips, waits
    assert spec.phases[0].mw == 150
    mou = to_day(date(2025, 9, 22))
    assert to_day(spec.public) == pytest.approx(mou + 12 * DAYS_PER_MONTH, abs=1)
    assert to_day(spec.phases[0].ready) == pytest.approx(mou + 36 * DAYS_PER_MONTH, abs=1)
    assert financed_site(run(*over, "deals.blackrock_mou.site_p=0").draws,
                         r.draws.cfg.deals, DEALS) is None
    off = run("deals.blackrock_mou.enabled=false", "deals.blackrock_mou.site_p=1")
    assert financed_site(off.draws, off.draws.cfg.deals, DEALS) is None
