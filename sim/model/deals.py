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
  recipients then prepare their demand plans (:mod:`sim.model.demand`).

Left out: money flows, and any deal's chance of being withdrawn.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from omegaconf import MISSING

from sim.model.calendar import DAYS_PER_MONTH, to_day
from sim.model.params import megawatts, uncertain
from sim.model.seeds import Deal, Phase, Site as SiteSpec
from sim.model.supply import Supply

MOU_SITE = "blackrock_mou_capacity"


@dataclass
class StargateLoiConfig:
    enabled: bool = MISSING
    supply_cut: Any = uncertain(0, 1, matters=lambda cfg: cfg.deals.stargate_loi.enabled)
    cut_months: Any = uncertain(matters=lambda cfg: cfg.deals.stargate_loi.enabled)


@dataclass
class BlackrockMouConfig:
    enabled: bool = MISSING
    mw: float = megawatts()
    ready_months: Any = uncertain(matters=lambda cfg: cfg.deals.blackrock_mou.enabled)


@dataclass
class DealsConfig:
    stargate_loi: StargateLoiConfig = field(default_factory=StargateLoiConfig)
    blackrock_mou: BlackrockMouConfig = field(default_factory=BlackrockMouConfig)


class Deals:
    """Fires each deal on its date and sets off what follows from it.

    ``open_allocations`` is the pledge's effect (:func:`sim.model.world.World.open_allocations`);
    ``supply`` is what the Stargate LOI may squeeze; ``add_shared_site(spec, steps)`` adds
    capacity open to every recipient (the BlackRock MOU's).
    """

    def __init__(self, run, cfg: DealsConfig, deals: dict[str, Deal],
                 open_allocations: Callable[[], None], supply: Supply,
                 add_shared_site: Callable[[SiteSpec, list[tuple[float, float]]], Any]):
        self.run = run
        self.cfg = cfg
        self.deals = deals
        self.open_allocations = open_allocations
        self.supply = supply
        self.add_shared_site = add_shared_site

    def announce(self):
        """Process: fire each deal on its date, in date order."""
        env = self.run.env
        for deal in sorted(self.deals.values(), key=lambda d: d.date):
            yield env.timeout(max(0.0, to_day(deal.date) - env.now))
            self.run.timeline.record(env.now, "deal", site=deal.id)
            if deal.id == "nvidia_pledge":
                self.open_allocations()
            elif deal.id == "stargate_loi" and self.cfg.stargate_loi.enabled:
                self.squeeze_supply()
            elif deal.id == "blackrock_mou" and self.cfg.blackrock_mou.enabled:
                self.finance_capacity()

    def squeeze_supply(self) -> None:
        """Stargate's HBM demand cuts Korea-bound output for a while."""
        cut = self.run.draws.one("deals.stargate_loi.supply_cut", "stargate_loi")
        months = self.run.draws.one("deals.stargate_loi.cut_months", "stargate_loi")
        self.supply.squeeze(cut, until=self.run.env.now + months * DAYS_PER_MONTH)

    def finance_capacity(self) -> None:
        """BlackRock/GIP-financed powered capacity, shared by every recipient."""
        mou = self.cfg.blackrock_mou
        if mou.mw <= 0:
            return
        months = self.run.draws.one("deals.blackrock_mou.ready_months", "blackrock_mou")
        spec = SiteSpec(MOU_SITE, "BlackRock/GIP-financed capacity (MOU)", None, "non_capital",
                        "mou_stage", "energized", (Phase(mou.mw, self.deals["blackrock_mou"].date),))
        self.add_shared_site(spec, [(self.run.env.now + months * DAYS_PER_MONTH, mou.mw * 1000.0)])
