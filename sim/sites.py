"""Data-centre sites: phases of MW that come on when built and energized, and the room they give.

A site (``seeds/sites.yaml``, from FACTS §3: SK–AWS Ulsan, Naver GAK Sejong, Samsung SDS
Gumi, Hyundai Saemangeum, the National AI Computing Center, the Stargate sites and the
existing halls) has phases of MW with announced ready dates. A phase's MW comes on when two
things are done:

- construction: the announced date plus the site's slip, ``sites.slip_months`` scaled by
  ``sites.slip_factor`` for the site's kind (existing halls do not slip), unless
  ``sites.slip_months_by_site`` gives the site its own slip; an MOU-stage site
  may also relocate, with probability ``sites.relocation_p``, losing ``sites.relocation_months``;
- grid energization: the announced date plus ``power.grid_delay_months``; a site whose grid
  impact assessment is still pending passes it with probability ``power.approval_p`` of its
  region, else loses ``power.rejection_delay_months``. Existing halls are already energized.

Only ``power.derate`` of each phase's MW comes on then; the rest comes
``power.derate_lag_months`` later (KEPCO may cap large new loads). All of a site's phases share
its draws: one builder, one grid connection.

Left out: transformer and switchgear queues as such (they are inside the grid delay), and any
correlation between sites (each site draws on its own).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from sim.calendar import DAYS_PER_MONTH, to_day
from sim.seeds import Site as SiteSpec

if TYPE_CHECKING:
    from sim.model import World


class Site:
    """A site's powered room (kW energized less kW drawn by placed lots) and its install crew."""

    def __init__(self, world: World, spec: SiteSpec, steps: list[tuple[float, float]]):
        self.world = world
        self.index = len(world.sites)
        """Its position in the run's site list (lots record where they went by it)."""
        self.spec = spec
        self.id = spec.id
        self.recipient = spec.recipient
        self.steps = sorted(steps)
        """When each block of kW comes on: ``(day, kW)``."""
        self.energized_kw = 0.0
        self.drawn_kw = 0.0
        self.crew_free_day = 0.0
        """When the install crew can start the next rack."""

    @classmethod
    def from_seed(cls, world: World, spec: SiteSpec) -> Site:
        return cls(world, spec, energization_steps(world, spec))

    @property
    def room_kw(self) -> float:
        return self.energized_kw - self.drawn_kw

    def energize(self):
        """Process: bring each block of MW on at its day, then offer the room to waiting lots."""
        env, world = self.world.env, self.world
        for day, kw in self.steps:
            yield env.timeout(max(0.0, day - env.now))
            self.energized_kw += kw
            world.timeline.record(env.now, "site_ready", self.recipient, self.id, mw=kw / 1000)
            world.place_waiting(self.recipient)


def delay_months(world: World, spec: SiteSpec) -> float:
    """How many months after its announced dates the site's phases come on."""
    cfg, draw, site = world.cfg, world.draw, spec.id
    slip = cfg.sites.slip_months_by_site.get(site, cfg.sites.slip_months)
    build = draw("sites.slip_months", site, slip)
    if site not in cfg.sites.slip_months_by_site:
        build *= getattr(cfg.sites.slip_factor, spec.kind)
    if spec.kind == "mou_stage" and draw("sites.relocation_p", site) < cfg.sites.relocation_p:
        build += draw("sites.relocation_months", site, cfg.sites.relocation_months)
    grid = 0.0
    if spec.grid_assessment != "energized":
        grid = draw("power.grid_delay_months", site, cfg.power.grid_delay_months)
    if spec.grid_assessment == "pending":
        if draw("power.approval_p", site) >= getattr(cfg.power.approval_p, spec.region):
            grid += draw("power.rejection_delay_months", site, cfg.power.rejection_delay_months)
    return max(build, grid)


def energization_steps(world: World, spec: SiteSpec) -> list[tuple[float, float]]:
    """The dated blocks of kW in which the site's phases come on, after delays and derate."""
    cfg = world.cfg.power
    delay = delay_months(world, spec) * DAYS_PER_MONTH
    on_time, lag = 1.0, 0.0
    if spec.grid_assessment != "energized":
        on_time = world.draw("power.derate", spec.id, cfg.derate)
        lag = world.draw("power.derate_lag_months", spec.id, cfg.derate_lag_months)
    steps = []
    for phase in spec.phases:
        ready = max(0.0, to_day(phase.ready) + delay)
        steps.append((ready, phase.mw * 1000.0 * on_time))
        if on_time < 1.0:
            steps.append((ready + lag * DAYS_PER_MONTH, phase.mw * 1000.0 * (1 - on_time)))
    return [(day, kw) for day, kw in steps if kw > 0]


def table(all_sites: list[Site]) -> pd.DataFrame:
    """One row per site: who it serves, its kind, its MW and when it is fully on."""
    return pd.DataFrame([{
        "site": s.id, "name": s.spec.name, "recipient": s.recipient or "any",
        "region": s.spec.region, "kind": s.spec.kind,
        "mw": sum(p.mw for p in s.spec.phases),
        "first_announced_day": to_day(s.spec.phases[0].ready),
        "last_announced_day": to_day(s.spec.phases[-1].ready),
        "first_ready_day": s.steps[0][0] if s.steps else None,
        "full_ready_day": s.steps[-1][0] if s.steps else None,
    } for s in all_sites])
