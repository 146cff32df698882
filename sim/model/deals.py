"""The three deals of Sept–Oct 2025 and what each sets off in the model.

- NVIDIA's pledge (2025-10-31, sources 000/001/003/004): creates the five allocations, whose
  recipients then prepare their demand plans (:mod:`sim.model.demand`).
- OpenAI's Stargate LOIs with Samsung and SK (2025-10-01, 004): up to 900k DRAM wafers a
  month, over twice world HBM output, can squeeze Blackwell supply. When
  ``deals.stargate_loi.enabled``, Korea-bound supply is cut by ``deals.stargate_loi.supply_cut``
  for ``deals.stargate_loi.cut_months``, from ``deals.stargate_loi.start_months`` after the LOI:
  2026 memory was sold out (livemint_2025_10_01) and nothing is known to have bound in 2025 (the
  government's batch arrived in full in Dec 2025). The cut acts on the supply cap, so it delays
  GPUs only when supply binds.
- BlackRock's MOU with the government (2025-09-22, 004) fixed no site or size. When
  ``deals.blackrock_mou.enabled``, it yields, with probability ``deals.blackrock_mou.site_p``,
  one site open to every recipient: disclosed ``deals.blackrock_mou.announce_months`` after the
  MOU, of ``deals.blackrock_mou.mw``, announced ready ``deals.blackrock_mou.build_months`` after
  that, outside the capital region, its grid assessment pending, and then slipping, waiting
  for approval and derated like any greenfield site (:mod:`sim.model.sites`).

Left out: money flows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from omegaconf import MISSING

from sim.calendar import DAYS_PER_MONTH, to_date, to_day
from sim.model.draws import Draws
from sim.model.params import probability, uncertain
from sim.model.run import Run, Squeeze
from sim.seeds.data import Deal, Phase
from sim.seeds.data import Site as SiteSpec

GROUP = "deals"
"""This component's config group: its keys are ``deals.*`` (:class:`DealsConfig`)."""

MOU_SITE = "blackrock_mou_capacity"


def _loi(cfg) -> bool:
    return cfg.deals.stargate_loi.enabled


def _mou(cfg) -> bool:
    return cfg.deals.blackrock_mou.enabled


@dataclass
class StargateLoiConfig:
    enabled: bool = MISSING
    supply_cut: Any = uncertain(0, 1, matters=_loi,
                                label="Stargate cut in Korea-bound supply (share)")
    start_months: Any = uncertain(matters=_loi,
                                  label="Stargate supply cut starts after the LOI (months)")
    cut_months: Any = uncertain(matters=_loi, label="Stargate supply cut duration (months)")


@dataclass
class BlackrockMouConfig:
    enabled: bool = MISSING
    site_p: float = probability(label="chance the BlackRock MOU names a site")
    announce_months: Any = uncertain(matters=_mou, label="BlackRock MOU to a named site (months)")
    mw: Any = uncertain(1e-6, 1e5, matters=_mou, label="BlackRock-financed capacity (MW)")
    build_months: Any = uncertain(matters=_mou, label="BlackRock site build time (months)")


@dataclass
class DealsConfig:
    stargate_loi: StargateLoiConfig = field(default_factory=StargateLoiConfig)
    blackrock_mou: BlackrockMouConfig = field(default_factory=BlackrockMouConfig)


class Deals:
    """Fires each deal on its date and sets off what follows from it.

    ``open_allocations`` is the pledge's effect (:meth:`sim.model.world.World.open_allocations`);
    ``supply`` is what the Stargate LOI may squeeze.
    """

    def __init__(self, run: Run, cfg: DealsConfig, deals: dict[str, Deal],
                 open_allocations: Callable[[], None], supply: Squeeze):
        self.run = run
        self.cfg = cfg
        self.draws = run.draws.of(GROUP, cfg)
        self.deals = deals
        self.open_allocations = open_allocations
        self.supply = supply

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

    def squeeze_supply(self) -> None:
        """Stargate's HBM demand cuts Korea-bound output for a while, once memory binds."""
        draws, now = self.draws, self.run.env.now
        cut = draws.one("stargate_loi.supply_cut", "stargate_loi")
        start = now + draws.one("stargate_loi.start_months", "stargate_loi") * DAYS_PER_MONTH
        months = draws.one("stargate_loi.cut_months", "stargate_loi")
        self.supply.squeeze(cut, start=start, until=start + months * DAYS_PER_MONTH)


def financed_site(cfg: DealsConfig, draws: Draws, deals: dict[str, Deal]) -> SiteSpec | None:
    """The site BlackRock's MOU finances in this run, if it yields one."""
    mou, draws = cfg.blackrock_mou, draws.of(GROUP, cfg)
    if not mou.enabled or "blackrock_mou" not in deals or \
            not draws.occurs("blackrock_mou.site_p", "blackrock_mou"):
        return None
    disclosed = to_day(deals["blackrock_mou"].date) + \
        draws.one("blackrock_mou.announce_months", "blackrock_mou") * DAYS_PER_MONTH
    ready = disclosed + draws.one("blackrock_mou.build_months", "blackrock_mou") * \
        DAYS_PER_MONTH
    mw = draws.one("blackrock_mou.mw", "blackrock_mou")
    return SiteSpec(MOU_SITE, "BlackRock/GIP-financed capacity (MOU)", None, "non_capital",
                    "greenfield", "pending", (Phase(mw, to_date(ready)),), "existing", None,
                    to_date(disclosed))
