"""The three deals of Sept–Oct 2025 and what each sets off in the model.

- BlackRock's MOU with the government (2025-09-22, source 004). When
  ``deals.blackrock_mou.enabled``, it finances ``deals.blackrock_mou.mw`` of powered
  capacity, ready ``deals.blackrock_mou.ready_months`` after the MOU, open to every recipient.
  The MOU fixed no site or size: both are assumptions a scenario states.
- OpenAI's Stargate LOIs with Samsung and SK (2025-10-01, 004). Stargate's HBM demand (up to
  900k DRAM wafers a month, over twice world HBM output) can squeeze Blackwell supply. When
  ``deals.stargate_loi.enabled``, Korea-bound supply is cut by ``deals.stargate_loi.supply_cut``
  for ``deals.stargate_loi.cut_months`` from the LOI date.
- NVIDIA's pledge (2025-10-31, 000/001/003/004): creates the five allocations, whose
  recipients then prepare their demand plans (:mod:`sim.demand`).

Left out: money flows, and any deal's chance of being withdrawn.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sim import demand, sites
from sim.calendar import DAYS_PER_MONTH, to_day
from sim.seeds import Phase, Site

if TYPE_CHECKING:
    from sim.model import World

MOU_SITE = "blackrock_mou_capacity"


def announce(world: World):
    """Process: fire each deal on its date, in date order."""
    env = world.env
    for deal in sorted(world.seeds.deals.values(), key=lambda d: d.date):
        yield env.timeout(max(0.0, to_day(deal.date) - env.now))
        world.timeline.record(env.now, "deal", site=deal.id)
        if deal.id == "nvidia_pledge":
            demand.open_allocations(world)
        elif deal.id == "stargate_loi" and world.cfg.deals.stargate_loi.enabled:
            squeeze_supply(world)
        elif deal.id == "blackrock_mou" and world.cfg.deals.blackrock_mou.enabled:
            finance_capacity(world)


def squeeze_supply(world: World) -> None:
    """Stargate's HBM demand cuts Korea-bound output for a while."""
    loi = world.cfg.deals.stargate_loi
    cut = world.draw("deals.stargate_loi.supply_cut", "stargate_loi", loi.supply_cut)
    months = world.draw("deals.stargate_loi.cut_months", "stargate_loi", loi.cut_months)
    world.supply.squeeze(cut, until=world.env.now + months * DAYS_PER_MONTH)


def finance_capacity(world: World) -> None:
    """BlackRock/GIP-financed powered capacity, shared by every recipient."""
    mou = world.cfg.deals.blackrock_mou
    if mou.mw <= 0:
        return
    months = world.draw("deals.blackrock_mou.ready_months", "blackrock_mou", mou.ready_months)
    ready = world.seeds.deals["blackrock_mou"].date
    spec = Site(MOU_SITE, "BlackRock/GIP-financed capacity (MOU)", None, "non_capital",
                "mou_stage", "energized", (Phase(mou.mw, ready),))
    site = sites.Site(world, spec, steps=[(world.env.now + months * DAYS_PER_MONTH,
                                           mou.mw * 1000.0)])
    world.sites.append(site)
    for recipient in world.recipients.values():
        recipient.sites.append(site)
    world.env.process(site.energize())
