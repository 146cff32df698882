"""Data-centre sites: phases of MW that come on when built and energized, and the room they give.

A site (``seeds/sites.yaml``: SK–AWS Ulsan, Naver GAK Sejong, Samsung SDS Gumi, Hyundai
Saemangeum, the National AI Computing Center, the Stargate sites; the shared colo pool of
:mod:`sim.model.colo`; undisclosed sites of :mod:`sim.model.prior_sites`) has phases of MW
with announced ready dates, each a sourced figure or a labelled prior drawn per run. A
phase's MW comes on when two things are done:

- construction: the announced date plus the site's slip, ``sites.slip_months`` scaled by
  ``sites.slip_factor`` for the site's kind (existing halls do not slip), unless
  ``sites.slip_months_by_site`` gives the site its own slip. With probability
  ``sites.on_time_p`` a site is built on its announced date (2 of the 8 Korean builds known
  before the pledge were); an MOU-stage site may also
  relocate, with probability ``sites.relocation_p``, losing ``sites.relocation_months``.
  The slips of all sites share a national factor with weight ``sites.slip_correlation``
  (one permitting regime, one construction market);
- the grid connection (:mod:`sim.model.power`).

A recipient's existing hall that runs its current fleet (``fleet: true`` in the seeds: Naver's
GAK Chuncheon and GAK Sejong's first hall, Samsung SDS's Dongtan GPU wing) is energized now,
but only ``sites.fleet_free_share`` of its MW (drawn per hall) is room for pledged GPUs: the
rest is full of what it runs already (an assumption with a range). Left out: the owner
retiring old servers to free more of it.

All of a site's phases share its draws: one builder, one grid connection. What the seeds
say of a site is complete up to its last report (``reported``: its record or latest revision
known on the as-of date), so a phase that is not an existing hall is not ready before that
day; after it the model forecasts, even before the as-of date. A site not disclosed by the
as-of date (a prior site, a deal's capacity) is reported, in that sense, on the as-of date:
the seeds hold every site made public by then.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Callable

from sim.calendar import DAYS_PER_MONTH, to_day
from sim.model.draws import Draws
from sim.model.params import number, per_entity, probability, uncertain
from sim.model.power import Grid
from sim.model.run import Run
from sim.seeds.data import Site as SiteSpec

GROUP = "sites"
"""This component's config group: its keys are ``sites.*`` (:class:`SitesConfig`)."""


@dataclass
class KindFactors:
    existing: float = number(label="slip factor, existing halls")
    brownfield: float = number(label="slip factor, brownfield sites")
    greenfield: float = number(label="slip factor, greenfield sites")
    mou_stage: float = number(label="slip factor, MOU-stage sites")


@dataclass
class SitesConfig:
    slip_months: Any = uncertain(label="site construction slip (months)")
    slip_months_by_site: dict[str, Any] = per_entity("site",
                                                     label="one site's construction slip (months)")
    slip_factor: KindFactors = field(default_factory=KindFactors)
    on_time_p: Any = probability(excluded=1.0, label="chance a site is built on its date")
    """(``Any``: the value may be dated, a list of revisions; checked as a probability.)"""
    slip_correlation: float = probability(label="correlation of sites' construction slips")
    relocation_p: float = probability(excluded=0.0, label="chance an MOU-stage site moves")
    relocation_months: Any = uncertain(matters=lambda cfg: cfg.sites.relocation_p > 0,
                                       label="delay of a moved site (months)")
    colo_mw: Any = uncertain(label="colocation capacity usable now (MW)")
    colo_growth_mw_per_quarter: Any = uncertain(label="colocation growth (MW per quarter)")
    colo_available_share: float = probability(label="share of new colocation open to the pledge")
    colo_capital_share: float = probability(label="share of colocation in the capital region")
    fleet_free_share: Any = uncertain(0.0, 1.0, label="share of an owner's existing hall "
                                                      "free for pledged GPUs")


class Site:
    """A site's powered room: kW energized, less kW drawn by the lots placed there.

    ``offer_room(recipient)`` is called whenever a block of MW comes on, so that lots
    waiting for power can take it (:meth:`sim.model.installation.Installation.offer_room`).
    """

    def __init__(self, run: Run, spec: SiteSpec, index: int, steps: list[tuple[float, float]],
                 offer_room: Callable[[str | None], None], planned: list | None = None):
        self.run = run
        self.index = index
        """Its position in the run's site list (lots record where they went by it)."""
        self.spec = spec
        self.id = spec.id
        self.recipient = spec.recipient
        merged: dict[float, float] = {}
        for day, kw in steps:
            merged[day] = merged.get(day, 0.0) + kw
        self.steps = sorted(merged.items())
        """When each block of kW comes on: ``(day, kW)`` (one block a day)."""
        self.planned = planned or []
        """Each phase as planned: ``(MW, announced ready day, modelled ready day)``."""
        self.offer_room = offer_room
        self.energized_kw = 0.0
        self.drawn_kw = 0.0

    @property
    def room_kw(self) -> float:
        return self.energized_kw - self.drawn_kw

    @property
    def mw(self) -> float:
        """The MW of all its phases."""
        return sum(kw for _, kw in self.steps) / 1000

    def energize(self) -> None:
        """Bring each block of MW on at its day (:meth:`power_on`)."""
        for day, kw in self.steps:
            self.run.at(day, self.power_on, kw)

    def power_on(self, kw: float) -> None:
        """A block of ``kw`` comes on now: offer the room to waiting lots."""
        self.energized_kw += kw
        self.run.timeline.record(self.run.env.now, "site_ready", self.recipient, self.id,
                                 mw=kw / 1000)
        self.offer_room(self.recipient)


def phases_of(draws: Draws, spec: SiteSpec) -> list[tuple[float, float]]:
    """Each phase's ``(MW, announced ready day)``: sourced figures, or draws from the
    phase's own prior (``draws`` bound to ``sites``)."""
    out = []
    for i, phase in enumerate(spec.phases):
        mw = phase.mw if isinstance(phase.mw, float) else draws.value(
            "phase_mw", f"{spec.id}#{i}", phase.mw)
        ready = to_day(phase.ready) if isinstance(phase.ready, date) else draws.value(
            "announced_ready_day", f"{spec.id}#{i}", phase.ready)
        out.append((mw, ready))
    return out


def construction_delay_months(cfg: SitesConfig, draws: Draws, spec: SiteSpec) -> float:
    """Months after its announced dates that the site is built: its slip, and a relocation."""
    sites = draws.of(GROUP, cfg)
    build = sites.one("slip_months", spec.id, own="slip_months_by_site",
                      rho=cfg.slip_correlation)
    if spec.id not in cfg.slip_months_by_site:
        build *= getattr(cfg.slip_factor, spec.kind)
        if sites.occurs("on_time_p", spec.id):
            build = 0.0
    if spec.kind == "mou_stage" and sites.occurs("relocation_p", spec.id):
        build += sites.one("relocation_months", spec.id)
    return build


def plan(cfg: SitesConfig, draws: Draws, grid: Grid, spec: SiteSpec
         ) -> tuple[list, list[tuple[float, float]]]:
    """``(phases as planned, dated blocks of kW)`` of a site: each phase ready when built and
    connected (not before the site's last report unless it is an existing hall), less the
    derated share, which follows later; of a hall that runs its owner's fleet, the share
    free for pledged GPUs."""
    build = construction_delay_months(cfg, draws, spec) * DAYS_PER_MONTH
    on_time, lag = grid.derate(spec)
    planned, steps = [], []
    free = draws.of(GROUP, cfg).one("fleet_free_share", spec.id) if spec.fleet else 1.0
    for mw, announced in phases_of(draws.of(GROUP, cfg), spec):
        mw *= free
        ready = max(announced + build, grid.connection_day(spec, announced))
        if spec.kind != "existing" and spec.reported is not None:
            ready = max(ready, to_day(spec.reported))
        ready = max(0.0, ready)
        planned.append((mw, announced, ready))
        steps.append((ready, mw * 1000.0 * on_time))
        if on_time < 1.0:
            steps.append((ready + lag * DAYS_PER_MONTH, mw * 1000.0 * (1 - on_time)))
    return planned, [(day, kw) for day, kw in steps if kw > 0]
