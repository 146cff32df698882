"""Data-centre sites: phases of MW that come on when built and energized, and the room they give.

A site (``seeds/sites.yaml``, from FACTS §3: SK–AWS Ulsan, Naver GAK Sejong, Samsung SDS
Gumi, Hyundai Saemangeum, the National AI Computing Center, the Stargate sites and the
existing halls) has phases of MW with announced ready dates. A phase's MW comes on when two
things are done (:func:`delay_months`):

- construction: the announced date plus the site's slip, ``sites.slip_months`` scaled by
  ``sites.slip_factor`` for the site's kind (existing halls do not slip), unless
  ``sites.slip_months_by_site`` gives the site its own slip; an MOU-stage site may also
  relocate, with probability ``sites.relocation_p``, losing ``sites.relocation_months``;
- grid energization (:mod:`sim.model.power`).

All of a site's phases share its draws: one builder, one grid connection.

Left out: any correlation between sites (each site draws on its own).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from sim.model import power
from sim.model.calendar import DAYS_PER_MONTH, to_day
from sim.model.params import number, per_site, probability, uncertain
from sim.model.seeds import Site as SiteSpec


@dataclass
class KindFactors:
    existing: float = number(label="slip factor, existing halls")
    brownfield: float = number(label="slip factor, brownfield sites")
    greenfield: float = number(label="slip factor, greenfield sites")
    mou_stage: float = number(label="slip factor, MOU-stage sites")


@dataclass
class SitesConfig:
    slip_months: Any = uncertain(label="site construction slip (months)")
    slip_months_by_site: dict[str, Any] = per_site(label="one site's construction slip (months)")
    slip_factor: KindFactors = field(default_factory=KindFactors)
    relocation_p: float = probability(excluded=0.0, label="chance an MOU-stage site moves")
    relocation_months: Any = uncertain(matters=lambda cfg: cfg.sites.relocation_p > 0,
                                     label="delay of a moved site (months)")


class Site:
    """A site's powered room: kW energized, less kW drawn by the lots placed there.

    ``offer_room(recipient)`` is called whenever a block of MW comes on, so that lots
    waiting for power can take it (:meth:`sim.model.installation.Installation.offer_room`).
    """

    def __init__(self, run, spec: SiteSpec, index: int, steps: list[tuple[float, float]],
                 offer_room: Callable[[str | None], None]):
        self.run = run
        self.index = index
        """Its position in the run's site list (lots record where they went by it)."""
        self.spec = spec
        self.id = spec.id
        self.recipient = spec.recipient
        self.steps = sorted(steps)
        """When each block of kW comes on: ``(day, kW)``."""
        self.offer_room = offer_room
        self.energized_kw = 0.0
        self.drawn_kw = 0.0

    @property
    def room_kw(self) -> float:
        return self.energized_kw - self.drawn_kw

    def energize(self):
        """Process: bring each block of MW on at its day, then offer the room to waiting lots."""
        env = self.run.env
        for day, kw in self.steps:
            yield env.timeout(max(0.0, day - env.now))
            self.energized_kw += kw
            self.run.timeline.record(env.now, "site_ready", self.recipient, self.id,
                                     mw=kw / 1000)
            self.offer_room(self.recipient)


def construction_delay_months(draws, cfg: SitesConfig, spec: SiteSpec) -> float:
    """Months after its announced dates that the site is built: its slip, and a relocation."""
    own = cfg.slip_months_by_site.get(spec.id)
    build = draws.one("sites.slip_months", spec.id, own)
    if own is None:
        build *= getattr(cfg.slip_factor, spec.kind)
    if spec.kind == "mou_stage" and draws.occurs("sites.relocation_p", spec.id):
        build += draws.one("sites.relocation_months", spec.id)
    return build


def delay_months(draws, cfg: SitesConfig, spec: SiteSpec) -> float:
    """How many months after its announced dates the site's phases come on: when both its
    construction and its grid connection are done."""
    return max(construction_delay_months(draws, cfg, spec), power.grid_delay_months(draws, spec))


def energization_steps(draws, cfg: SitesConfig, spec: SiteSpec) -> list[tuple[float, float]]:
    """The dated blocks of kW in which the site's phases come on, after delays and derate."""
    delay = delay_months(draws, cfg, spec) * DAYS_PER_MONTH
    on_time, lag = power.derate(draws, spec)
    steps = []
    for phase in spec.phases:
        ready = max(0.0, to_day(phase.ready) + delay)
        steps.append((ready, phase.mw * 1000.0 * on_time))
        if on_time < 1.0:
            steps.append((ready + lag * DAYS_PER_MONTH, phase.mw * 1000.0 * (1 - on_time)))
    return [(day, kw) for day, kw in steps if kw > 0]
