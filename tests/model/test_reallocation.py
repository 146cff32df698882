"""Where an arrived GPU may run (``demand.reallocation``): under a national plan in another
recipient's free powered room, else only at its own recipient's sites and the shared ones;
every GPU accounted for either way."""

from __future__ import annotations

import dataclasses

import invariants
from groups import model, seeds

from sim.model.world import simulate


def config(reallocation: str):
    """Everything ordered at once, and no shared colocation room: GPUs arrive before their
    own sites are powered, and only another recipient's hall could take them."""
    return model(demand={"timing": "asap", "reallocation": reallocation},
                 sites={"colo_mw": 0, "colo_growth_mw_per_quarter": 0})


def roomy():
    """The fixture's seeds with the government's existing hall at 60 MW from 2026-03-31:
    far more than its own GPUs fill, while Naver's sites come from 2027."""
    data = seeds()
    sites = tuple(dataclasses.replace(s, phases=(dataclasses.replace(s.phases[0], mw=60.0),))
                  if s.id == "gov_hall" else s for s in data.sites)
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
