"""The model's part of the config: the realization, the horizon, and one group per component.

Each group's dataclass sits beside the code that reads it, so a key in ``conf/config.yaml``
leads to one file: ``supply.*`` to :mod:`sim.model.supply`, ``demand.*`` to
:mod:`sim.model.demand`, ``logistics.*`` to :mod:`sim.model.logistics`, ``power.*`` to
:mod:`sim.model.power`, ``sites.*`` to :mod:`sim.model.sites`, ``hardware.*`` to
:mod:`sim.model.hardware`, ``install.*`` to :mod:`sim.model.installation` and ``deals.*`` to
:mod:`sim.model.deals`. Each field's rule (its range, form or choices) is its metadata
(:mod:`sim.model.params`). The study and the app add their own groups on top
(:class:`sim.study.config.StudyConfig`, :class:`sim.app.schema.Config`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from omegaconf import MISSING

from sim.calendar import parse_date
from sim.model import params
from sim.model.deals import DealsConfig
from sim.model.demand import DemandConfig
from sim.model.hardware import HardwareConfig
from sim.model.installation import InstallConfig
from sim.model.logistics import LogisticsConfig
from sim.model.params import day
from sim.model.power import PowerConfig
from sim.model.sites import SitesConfig
from sim.model.supply import SupplyConfig


@dataclass
class ModelConfig:
    seed: int = params.seed(label="random seed")
    horizon: str = day(label="last simulated day", why="weekly tables grow with the horizon; "
                       "75 years past the deals is far beyond any build-out")
    as_of: str = day(optional=True, label="forecast as of (what was public by this date)")
    scenario: str = MISSING
    supply: SupplyConfig = field(default_factory=SupplyConfig)
    demand: DemandConfig = field(default_factory=DemandConfig)
    logistics: LogisticsConfig = field(default_factory=LogisticsConfig)
    power: PowerConfig = field(default_factory=PowerConfig)
    sites: SitesConfig = field(default_factory=SitesConfig)
    hardware: HardwareConfig = field(default_factory=HardwareConfig)
    install: InstallConfig = field(default_factory=InstallConfig)
    deals: DealsConfig = field(default_factory=DealsConfig)

    @property
    def horizon_date(self) -> date:
        """The last simulated day."""
        return parse_date("horizon", self.horizon)

    @property
    def as_of_date(self) -> date | None:
        """The date the forecast's knowledge stops at; None: the latest date in the seeds."""
        return parse_date("as_of", self.as_of) if self.as_of else None
