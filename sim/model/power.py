"""Grid power for a site: the grid-impact assessment, a new substation's transformers, the
energization of the connection, and derates; one national grid ties the sites together.

What a site's connection needs comes from its seed record (``grid_assessment``,
``substation``, ``region``, ``grid_group``):

- an energized hall (existing colocation and CSP halls) needs nothing;
- a site whose grid-impact assessment is pending gets a decision
  ``power.assessment_months`` (by region) after it became public: it passes with its zone's
  odds (:func:`pass_odds`). A region's rate ``power.approval_p`` (MOTIE/KEPCO via Dong-A,
  2025-07-29: capital region 4/19 passed, non-capital 10/14) is the prior of each of its
  zones, worth ``power.zone_prior_weight`` assessments; a zone's published count
  ``power.zone_counts`` (KEPCO's pilot by area, Seoul Shinmun 2026-01-26: capital region 76
  of 210 not refused, Jeonbuk 1 of 6, Sejong 6 of 9) updates it, and the odds are the mean of
  that Beta posterior. A zone without a count, or a site with no zone, has its region's rate.
  A refusal is KEPCO's "cannot supply": the grid there must be reinforced (a substation or a
  line, and the transformer queue), so the site waits ``power.reinforcement_months`` for it;
  or, with probability ``power.refusal_relocation_p``, its owner moves it outside the capital
  region instead, losing ``power.resite_months`` to find and secure the new site, which then
  has its own assessment there (and waits for reinforcement if refused again);
- a site on a new substation (the Solaseado park's 154 kV one, due end-2028) cannot be
  energized before its transformers arrive, ``power.transformer_lead_months`` after the decision
  (Korean ultra-high-voltage units ~2 years, up to 4: bizchosun_2025_07_17, asiae_2025_11_19);
  sites of one ``grid_group`` share that substation and its draws;
- the connection works are done ``power.grid_delay_months`` after the announced ready date.

A phase's MW comes on when the connection is ready and the site is built
(:mod:`sim.model.sites`). Only ``power.derate`` of each phase's MW comes on then; the rest
follows ``power.derate_lag_months`` later (KEPCO may cap large new loads: Electric Utility
Act decree, 2023-03-21).

:class:`Grid` draws them for every site of a run. The grid delay, the transformer lead and
the assessment outcome of every site share a national factor
(:meth:`sim.model.draws.Draws.uniform`) with weight ``power.grid_correlation``:
one utility, one rulebook (the 2025-11-28 change hit every pending site at once), one
transformer market. A grid crunch (``slow_power``) then moves the sites together.

Left out: a new 345 kV line (9 years or more: it cannot help before 2030, ajunews_2025_02_11);
assessment times by zone (by region only); counts for Jeonnam, Gyeongbuk and Ulsan (none
public); a zone's count as a sampled uncertain input (its posterior's mean is used, not a draw).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from sim.calendar import DAYS_PER_MONTH, to_day
from sim.distributions import Fixed
from sim.model.draws import Draws
from sim.model.params import counts, number, probability, uncertain
from sim.seeds.data import ZONES
from sim.seeds.data import Site as SiteSpec

GROUP = "power"
"""This component's config group: its keys are ``power.*`` (:class:`PowerConfig`)."""


def _derated(cfg) -> bool:
    return not (isinstance(cfg.power.derate, Fixed) and cfg.power.derate.value == 1)


def _may_fail(cfg) -> bool:
    power = cfg.power
    zones = [pass_odds(power, z, "capital" if z == "capital" else "non_capital")
             for z in power.zone_counts]
    return min(power.approval_p.capital, power.approval_p.non_capital, *zones) < 1


def pass_odds(cfg, zone: str, region: str) -> float:
    """The chance that an assessment in ``zone`` (of ``region``) passes the first time: the
    mean of a Beta posterior whose prior is the region's rate ``approval_p`` counted as
    ``zone_prior_weight`` assessments, updated with the zone's count ``zone_counts`` (P passed
    of N decided): ``(P + w p) / (N + w)``. A zone without a count (or with N = 0) has the
    region's rate. A rate of 1 is the what-if of no refusal in the region (the tornado's
    exclusion of the risk), which no count brings back. ``cfg`` is the ``power`` group."""
    prior = getattr(cfg.approval_p, region)
    count = cfg.zone_counts.get(zone)
    if prior >= 1 or not count or count.decided == 0:
        return prior
    weight = cfg.zone_prior_weight
    return (count.passed + weight * prior) / (count.decided + weight)


@dataclass
class RegionOdds:
    capital: float = probability(excluded=1.0, label="grid assessment pass chance, capital region")
    non_capital: float = probability(excluded=1.0,
                                     label="grid assessment pass chance, outside the capital")


@dataclass
class RegionMonths:
    capital: Any = uncertain(label="grid assessment time, capital region (months)")
    non_capital: Any = uncertain(label="grid assessment time, outside the capital (months)")


@dataclass
class PowerConfig:
    grid_delay_months: Any = uncertain(label="grid connection delay (months)")
    grid_correlation: float = probability(label="correlation of sites' grid delays")
    assessment_months: RegionMonths = field(default_factory=RegionMonths)
    approval_p: RegionOdds = field(default_factory=RegionOdds)
    zone_counts: dict[str, Any] = counts(
        ZONES, label="published grid assessments by zone (passed/decided)")
    zone_prior_weight: float = number(
        label="weight of the region's pass rate in a zone's odds (assessments)")
    reinforcement_months: Any = uncertain(
        matters=_may_fail, label="wait for grid reinforcement after a refusal (months)")
    refusal_relocation_p: float = probability(
        excluded=0.0, label="chance a refused site moves instead of waiting")
    resite_months: Any = uncertain(
        matters=lambda cfg: _may_fail(cfg) and cfg.power.refusal_relocation_p > 0,
        label="finding another site after a refusal (months)")
    transformer_lead_months: Any = uncertain(
        label="transformer lead time for a new substation (months)")
    derate: Any = uncertain(0, 1, label="share of MW energized on time")
    derate_lag_months: Any = uncertain(matters=_derated, label="lag of the remaining MW (months)")


class Grid:
    """The national grid as the sites meet it: each site's connection day and derate, and
    the assessments of new colocation space, drawn from ``power.*``."""

    def __init__(self, cfg: PowerConfig, draws: Draws):
        self.cfg = cfg
        self.draws = draws.of(GROUP, cfg)

    def connection_day(self, spec: SiteSpec, announced_day: float) -> float:
        """The day the site's grid connection can carry its load: the announced ready day
        plus the grid delay, and not before an assessment's decision and a new substation's
        transformers."""
        if spec.grid_assessment == "energized":
            return -float("inf")
        rho = self.cfg.grid_correlation
        feed = spec.grid_group or spec.id  # sites on one new substation share its draws
        ready = announced_day + self.draws.one("grid_delay_months", feed, rho=rho) * \
            DAYS_PER_MONTH
        decided = self.decision_day(spec)
        if spec.substation == "new":
            lead = self.draws.one("transformer_lead_months", feed, rho=rho)
            ready = max(ready, decided + lead * DAYS_PER_MONTH)
        return max(ready, decided)

    def decision_day(self, spec: SiteSpec) -> float:
        """When the site's grid-impact assessment is decided in its favour (for a site that
        has passed, the day it became public)."""
        start = to_day(spec.public) if spec.public else 0.0
        if spec.grid_assessment != "pending":
            return start
        months = self.draws.one(f"assessment_months.{spec.region}", spec.id)
        if not self.passes(spec.region, spec.id, zone=spec.grid_zone):
            months += self.after_refusal_months(spec.id)
        return start + months * DAYS_PER_MONTH

    def after_refusal_months(self, site: str) -> float:
        """What a "cannot supply" costs a site: the wait for its grid's reinforcement, or a
        move outside the capital region (a new site, its own assessment, and the wait for
        reinforcement if that one is refused too)."""
        if not self.draws.occurs("refusal_relocation_p", site):
            return self.draws.one("reinforcement_months", site)
        moved = f"{site}@moved"
        months = self.draws.one("resite_months", site) + \
            self.draws.one("assessment_months.non_capital", moved)
        if not self.passes("non_capital", moved):
            months += self.draws.one("reinforcement_months", moved)
        return months

    def passes(self, region: str, entity: str, zone: str | None = None) -> bool:
        """Whether an assessment in ``zone`` of ``region`` (default: the region's own name,
        so the capital zone for the capital region) passes the first time, at
        :func:`pass_odds`: one draw per entity, whatever its zone, recorded under the
        region's ``approval_p``."""
        return self.draws.occurs(f"approval_p.{region}", entity, stream="approval_p",
                                 rho=self.cfg.grid_correlation,
                                 p=pass_odds(self.cfg, zone or region, region))

    def passes_each(self, region: str, entity: str, n: int) -> np.ndarray:
        """For each of ``n`` numbered requests of one entity (a pool's quarters of new space)
        in ``region`` (its zone of that name), whether its assessment passes the first time.
        Not recorded."""
        return self.draws.occurs_each(f"approval_p.{region}", entity, n, stream="approval_p",
                                      rho=self.cfg.grid_correlation,
                                      p=pass_odds(self.cfg, region, region))

    def reinforcement_days(self, entity: str, n: int) -> np.ndarray:
        """The days each of ``n`` numbered refused requests waits for reinforcement. Not
        recorded."""
        return self.draws.each("reinforcement_months", entity, n) * DAYS_PER_MONTH

    def derate(self, spec: SiteSpec) -> tuple[float, float]:
        """``(share of each phase's MW on time, months until the rest follows)``."""
        if spec.grid_assessment == "energized":
            return 1.0, 0.0
        return self.draws.one("derate", spec.id), self.draws.one("derate_lag_months", spec.id)
