"""The existing colocation and CSP halls: high-density room shared by every recipient.

Where the government's 2025 batch went (Naver Cloud's, NHN Cloud's and Kakao's halls) and where
any recipient's GPUs can go while its own sites are not ready. An assumption: about 60 MW of
usable high-density space now (``sites.colo_mw``), growing about 10 MW a quarter
(``sites.colo_growth_mw_per_quarter``); high-density space is under 5 % of the capital
region's stock (Cushman & Wakefield via Yonhap, 2025-10-13). Other tenants compete for the
growth: the pledge's GPUs get ``sites.colo_available_share`` of it. New space is built by
third parties and needs the grid-impact assessment like any new load of 10 MW or more:
``sites.colo_capital_share`` of each quarter's growth is in the capital region, the rest
outside it; each part passes with its region's ``power.approval_p`` or comes
``power.reinforcement_months`` later, when the grid there is reinforced (KEPCO's pilot could
not supply 64 % of capital-region data-centre requests: Seoul Shinmun, 2026-01-26).

Left out: which operator's hall a lot lands in (the pool is one site), and growth beyond the
horizon.
"""

from __future__ import annotations

import numpy as np

from sim.calendar import DAYS_PER_WEEK
from sim.model.draws import Draws
from sim.model.power import Grid
from sim.model.sites import GROUP, SitesConfig
from sim.seeds.data import Phase
from sim.seeds.data import Site as SiteSpec

POOL = "colo_pool"
QUARTER_DAYS = 13 * DAYS_PER_WEEK
SPEC = SiteSpec(POOL, "Existing colocation and CSP halls (shared)", None, "capital", "existing",
                "energized", (Phase(0.0, None),))


def steps(cfg: SitesConfig, draws: Draws, grid: Grid, horizon_day: float
          ) -> list[tuple[float, float]]:
    """The pool's dated blocks of kW: what exists now, then each quarter's growth by region
    (quarter ``q``'s part in a region passes that region's assessment, or comes when the grid
    there is reinforced)."""
    sites = draws.of(GROUP, cfg)
    out = [(0.0, sites.one("colo_mw", POOL) * 1000.0)]
    growth = sites.one("colo_growth_mw_per_quarter", POOL) * cfg.colo_available_share * 1000.0
    quarters = int(horizon_day // QUARTER_DAYS) if growth > 0 else 0
    if quarters <= 0:
        return out
    days = np.arange(1, quarters + 1) * QUARTER_DAYS
    for region, share in (("capital", cfg.colo_capital_share),
                          ("non_capital", 1 - cfg.colo_capital_share)):
        if share <= 0:
            continue
        entity = f"{POOL}:{region}"
        passed = grid.passes_each(region, entity, quarters)
        late = grid.reinforcement_days(entity, quarters)
        out += [(float(day), growth * share) for day in np.where(passed, days, days + late)]
    return out
