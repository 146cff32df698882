"""Undisclosed sites on their own, from the prior of a seed folder: enough MW for what the
recipient is short of, one after another, each drawn by recipient and site number."""

from __future__ import annotations

from groups import seeds
from parts import run

from sim.calendar import DAYS_PER_MONTH, to_day
from sim.model.prior_sites import MAX_SITES, undisclosed

PRIOR = seeds().prior


def test_sites_come_until_their_mw_holds_what_is_short():
    for replication in range(20):
        found = undisclosed(PRIOR, run(replication=replication).draws, "hyundai", "Hyundai",
                            short_mw=300.0, need_day=40.0)
        mw = [sum(p.mw for p in s.phases) for s in found]
        assert sum(mw) >= 300 or len(found) == MAX_SITES
        assert sum(mw[:-1]) < 300  # none more than needed
        assert [s.id for s in found] == [f"hyundai_undisclosed_{k + 1}"
                                         for k in range(len(found))]
        assert all(s.prior and s.recipient == "hyundai" for s in found)
        disclosed = [to_day(s.public) for s in found]
        assert disclosed == sorted(disclosed) and disclosed[0] >= 40  # after the need


def test_a_recipient_short_of_nothing_gets_no_site_and_draws_are_keyed_by_recipient():
    assert undisclosed(PRIOR, run().draws, "naver", "Naver", 0.0, 0.0) == []
    first = undisclosed(PRIOR, run(replication=3).draws, "hyundai", "Hyundai", 1.0, 0.0)
    again = undisclosed(PRIOR, run(replication=3).draws, "hyundai", "Hyundai", 500.0, 0.0)
    assert again[0] == first[0]  # the first site is the same draw, whatever is short


def test_an_existing_hall_is_energized_and_ready_within_months():
    for replication in range(200):
        for spec in undisclosed(PRIOR, run(replication=replication).draws, "hyundai", "H",
                                500.0, 0.0):
            lead = to_day(spec.phases[0].ready) - to_day(spec.public)
            assert lead >= 3 * DAYS_PER_MONTH - 1  # never under three months (whole days)
            if spec.kind == "existing":
                assert (spec.grid_assessment, spec.substation) == ("energized", "existing")
