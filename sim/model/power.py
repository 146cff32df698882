"""Grid power for a site: the connection's energization, the grid-impact assessment, derates.

A site's grid connection is energized ``power.grid_delay_months`` after its phases'
announced dates (one draw per site). A site whose grid-impact assessment is still pending
(``seeds/sites.yaml`` ``grid_assessment``; absent means not reported, so still to be
assessed) passes it with probability ``power.approval_p`` of its region, else loses
``power.rejection_delay_months`` re-applying (MOTIE/KEPCO via Dong-A, 2025-07-29: capital
region 4/19 passed, non-capital 10/14). Existing halls are already energized.

Only ``power.derate`` of each phase's MW comes on then; the rest follows
``power.derate_lag_months`` later (KEPCO may cap large new loads: Electric Utility Act
decree, 2023-03-21). Existing halls take their full MW.

Left out: transformer and switchgear queues as such (they are inside the grid delay), and
any correlation between sites (each site draws on its own).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sim.model.distributions import Fixed
from sim.model.params import probability, uncertain
from sim.model.seeds import Site as SiteSpec


def _derated(cfg) -> bool:
    return not (isinstance(cfg.power.derate, Fixed) and cfg.power.derate.value == 1)


def _may_fail(cfg) -> bool:
    return min(cfg.power.approval_p.capital, cfg.power.approval_p.non_capital) < 1


@dataclass
class RegionOdds:
    capital: float = probability(excluded=1.0, label="grid assessment pass chance, capital region")
    non_capital: float = probability(excluded=1.0,
                                    label="grid assessment pass chance, outside the capital")


@dataclass
class PowerConfig:
    grid_delay_months: Any = uncertain(label="grid connection delay (months)")
    derate: Any = uncertain(0, 1, label="share of MW energized on time")
    derate_lag_months: Any = uncertain(matters=_derated, label="lag of the remaining MW (months)")
    approval_p: RegionOdds = field(default_factory=RegionOdds)
    rejection_delay_months: Any = uncertain(matters=_may_fail,
                                       label="delay after a failed grid assessment (months)")


def grid_delay_months(draws, spec: SiteSpec) -> float:
    """Months after its announced dates that the site's grid connection is energized: the
    grid delay, plus a failed assessment's re-application; 0 for an energized hall."""
    if spec.grid_assessment == "energized":
        return 0.0
    grid = draws.one("power.grid_delay_months", spec.id)
    if spec.grid_assessment == "pending" and not draws.occurs(
            f"power.approval_p.{spec.region}", spec.id, stream="power.approval_p"):
        grid += draws.one("power.rejection_delay_months", spec.id)
    return grid


def derate(draws, spec: SiteSpec) -> tuple[float, float]:
    """``(share of each phase's MW on time, months until the rest follows)``."""
    if spec.grid_assessment == "energized":
        return 1.0, 0.0
    return draws.one("power.derate", spec.id), draws.one("power.derate_lag_months", spec.id)
