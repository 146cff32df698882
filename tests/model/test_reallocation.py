"""Where an arrived GPU may run (``demand.reallocation``): under a national plan in another
recipient's free powered room, else only at its own recipient's sites and the shared ones;
every GPU accounted for either way."""

from __future__ import annotations

import dataclasses
from datetime import date

import invariants
import numpy as np
from groups import model, seeds

from sim.calendar import to_day
from sim.model.demand import Block, Recipient
from sim.model.national_plan import Year, plan_year
from sim.model.run import Run
from sim.model.sites import Site
from sim.model.world import simulate
from sim.seeds.data import Site as SiteSpec


def config(reallocation: str):
    """Everything ordered at once, and no shared colocation room: GPUs arrive before their
    own sites are powered, and only another recipient's hall could take them."""
    return model(demand={"timing": "asap", "reallocation": reallocation},
                 sites={"colo_mw": 0, "colo_growth_mw_per_quarter": 0})


def roomy():
    """The fixture's seeds with the government's existing hall at 60 MW from 2026-03-31:
    far more than its own GPUs fill, while Naver's sites come from 2027 (its hall running its
    own fleet left out)."""
    data = seeds()
    sites = tuple(dataclasses.replace(s, phases=(dataclasses.replace(s.phases[0], mw=60.0),))
                  if s.id == "gov_hall" else s for s in data.sites if s.id != "naver_fleet_hall")
    return dataclasses.replace(data, sites=sites)


def elsewhere(out):
    """Lots placed at a site another recipient owns (not the shared capacity)."""
    owner = out.lots["site"].map(out.sites.set_index("site")["recipient"])
    return out.lots["site"].notna() & (owner != "any") & (owner != out.lots["recipient"])


def test_a_national_plan_runs_waiting_gpus_in_another_recipients_room():
    # everything ordered at once: GPUs arrive before their own sites are powered
    moved = 0
    for replication in range(4):
        for how in ("within_recipient", "national"):
            out = simulate(config(how), roomy(),
                           replication)
            invariants.every_lot_accounted_for(out)
            if how == "national":
                moved += int(elsewhere(out).sum())
            else:
                assert not elsewhere(out).any()  # they wait for their own room
    assert moved > 0  # Naver's GPUs ran in the government's hall


def test_a_national_plan_leaves_no_more_gpus_waiting_than_its_own_sites_would():
    for replication in range(4):
        outs = [simulate(config(how), roomy(),
                         replication) for how in ("within_recipient", "national")]
        idle = [((o.lots["placed"] - o.lots["arrived"]) * o.lots["gpus"]).sum() for o in outs]
        assert idle[1] <= idle[0] + 1e-6


def planned(reallocation: str):
    """Recipients order with their sites (the default timing), with no shared colocation
    room: only the working group's yearly plan orders ahead for another recipient's hall."""
    return model(demand={"reallocation": reallocation},
                 sites={"colo_mw": 0, "colo_growth_mw_per_quarter": 0})


def naver(out):
    return out.lots[out.lots["recipient"] == "naver"]


def test_the_yearly_plan_orders_late_sites_gpus_for_another_recipients_room_earlier():
    # Naver's own sites come from 2027; the government's hall has 60 MW spare from 2026-03-31
    for replication in range(4):
        within, national = (simulate(planned(how), roomy(), replication)
                            for how in ("within_recipient", "national"))
        for out in (within, national):
            invariants.every_lot_accounted_for(out)
        assert not elsewhere(within).any()  # they wait for their own sites
        ran = elsewhere(national) & (national.lots["recipient"] == "naver")
        assert ran.any()  # ordered for, and run in, the government's hall
        # ordered in 2026 for that room, before Naver's first own site could take them
        early = [naver(o)["ordered"] < to_day(date(2027, 1, 1)) for o in (within, national)]
        assert early[1].sum() > early[0].sum()
        assert (ran & (national.lots["ordered"] < to_day(date(2027, 1, 1)))).any()
        first = [naver(o)["operational"].min() for o in (within, national)]
        assert first[1] < first[0]  # in service earlier than waiting for its own sites
        served = [(naver(o)["operational"] * naver(o)["gpus"]).sum() / naver(o)["gpus"].sum()
                  for o in (within, national)]
        assert served[1] < served[0]


def test_the_yearly_plan_orders_what_the_years_spare_room_holds_ahead_of_its_day():
    # another recipient's hall gives 900 kW on day 100 and its owner wants two lots this
    # year; lots need 180 kW each: three of the late recipient's fit, wanted the lead time
    # before the room comes on, and the other seven keep their day
    run = Run.start(seed=0)
    spec = SiteSpec("hall", "A hall", "government", "capital", "existing", "energized", ())
    hall = Site(run, spec, 0, [(100.0, 900.0)], lambda _: None)
    late = Recipient("naver", np.full(10, 72), lot_kw=np.full(10, 180.0))
    late.blocks = [Block(2000.0, 10, planned=True)]
    owner = Recipient("government", np.full(2, 72), lot_kw=np.full(2, 180.0))
    owner.blocks = [Block(50.0, 2, planned=True)]
    year = Year(0.0, 365.0, [hall])
    assert plan_year(year, [late, owner], lead_days=30.0) == {"naver": 3 * 72}
    assert sorted((b.wanted, b.lots) for b in late.blocks) == [(70.0, 3), (2000.0, 7)]
    assert owner.blocks[0].lots == 2
    # revised: the room is taken by what is planned for it, so nothing more moves
    assert plan_year(year, [late, owner], lead_days=30.0) == {}
