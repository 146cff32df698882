"""The model's laws hold in generated worlds, not only in the six scenarios.

Hypothesis generates a world (government and up to two other recipients with small
allocations, zero to two sites each with random phases) and a config with every value drawn
within the schema's ranges, each uncertain input in one of the forms of
:mod:`sim.distributions` (a number, a string form, a mapping). Each example is checked by
:func:`sim.model.params.resolve` and run in-process by :func:`sim.model.world.simulate`; the
config starts from the frozen values of ``tests/fixtures/model.yaml``, the deals and the prior
from the fixture's seeds (no Hydra).

The `ci` profile (200 examples, the default) runs in CI; ``HYPOTHESIS_PROFILE=long`` runs
1,000 (see tests/conftest.py and the README).
"""

from __future__ import annotations

import copy
import json
import math
from datetime import date, timedelta
from functools import reduce

import invariants
import pandas as pd
from groups import VALUES, seeds
from hypothesis import given
from hypothesis import strategies as st

from sim.calendar import DAY0 as FIRST_DEAL
from sim.distributions import parse, text
from sim.gpu_generations import GENERATIONS
from sim.model.demand import TIMINGS
from sim.model.params import build, resolve, rules
from sim.model.supply import POLICIES
from sim.model.world import simulate
from sim.seeds.data import KINDS, REGIONS, Allocation, Phase, SeedData, Site, Tranche
from sim.study import metrics
from sim.study.config import StudyConfig
from sim.study.summary import summary as run_summary

DIST_RANGES = {key: (rule.low, rule.high) for key, rule in rules(StudyConfig)
               if rule.kind == "uncertain"}

PROJECT = seeds()  # the fixture's deals and prior; the rest is generated
BASELINE = build(StudyConfig, {**VALUES, "costs": {"pledge_value_won": 2e13,
                                                   "depreciation_years": 5},
                               "mc": {"replications": 1, "n_jobs": 1, "drivers": False,
                                      "driver_replications": 0, "driver_budget": 0,
                                      "backend": "local", "ray_address": "",
                                      "progress": False, "sampling": "monte_carlo",
                                      "precision": {"p50_se_days": 30, "share_se_points": 2,
                                                    "round": 100, "max_replications": 2000}}})
"""Every key set (the fixture's values), resolved; a world sets its own on a copy."""
OTHERS = ("samsung", "sk", "hyundai", "naver")
GRID = ("energized", "passed", "pending")
LONGEST = 12.0
"""The largest bound drawn for a delay (months or days): small, to keep runs short."""


def _number(low: float, high: float):
    return st.floats(low, high, allow_nan=False, allow_infinity=False, allow_subnormal=False)


def uncertain(low: float, high: float, bounded: bool = False):
    """An uncertain input in one of the four forms, within [low, high] (high may be inf), as
    a number, a mapping or (now and then) its string form.

    ``bounded`` leaves out the lognormal, whose tail has no upper bound.
    """
    return st.one_of(_mapping(low, high, bounded),
                     _mapping(low, high, bounded).map(lambda v: text(parse("k", v))))


def _mapping(low: float, high: float, bounded: bool):
    x = _number(low, min(high, LONGEST))
    forms = [x, x.map(lambda v: {"dist": "fixed", "value": v}),
             st.lists(x, min_size=2, max_size=2).map(sorted).map(
                 lambda v: {"dist": "uniform", "low": v[0], "high": v[1]}),
             st.lists(x, min_size=3, max_size=3).map(sorted).map(
                 lambda v: {"dist": "triangular", "low": v[0], "mode": v[1], "high": v[2]})]
    if high == math.inf and not bounded:
        forms.append(st.tuples(_number(0.01, LONGEST), _number(1, 5)).map(
            lambda t: {"dist": "lognormal", "median": t[0], "p90": t[0] * t[1]}))
    return st.one_of(forms)


def days_after(start: date, most: int):
    return st.integers(0, most).map(lambda n: start + timedelta(days=n))


@st.composite
def worlds(draw, ample: bool = False) -> tuple[StudyConfig, SeedData]:
    """A valid config and seed data. ``ample``: bounded delays, supply that flows, and for
    every recipient an energized site with room for its whole allocation from the start."""
    cfg = copy.deepcopy(BASELINE)
    cfg.seed = draw(st.integers(0, 2**32 - 1))
    cfg.horizon = ("2045-12-31" if ample else
                   draw(days_after(date(2026, 3, 1), 4 * 365)).isoformat())
    for key, (low, high) in DIST_RANGES.items():  # every uncertain input of the schema
        *parents, last = key.split(".")
        setattr(reduce(getattr, parents, cfg), last, draw(uncertain(low, high, bounded=ample)))
    probability = _number(0, 1)
    cfg.power.approval_p.capital = draw(probability)
    cfg.power.approval_p.non_capital = draw(probability)
    cfg.sites.relocation_p = draw(probability)
    cfg.install.burnin_fail_p = draw(probability)
    for kind in KINDS:
        setattr(cfg.sites.slip_factor, kind, draw(_number(0, 2)))
    cfg.supply.policy = draw(st.sampled_from(POLICIES))
    cfg.demand.timing = draw(st.sampled_from(TIMINGS))
    cfg.demand.order_ahead_months = draw(_number(0, 12))
    cfg.hardware.gpus_per_lot = lot = draw(st.integers(1, 72))
    kw = draw(_number(0.5, 5))
    for generation in GENERATIONS:  # one kW for all: the ample halls hold every lot
        getattr(cfg.hardware.generations, generation).facility_kw_per_gpu = kw
    cfg.install.min_racks_per_week = draw(_number(0.5, 50))
    for group, key in (("power", "grid_correlation"), ("sites", "slip_correlation"),
                       ("sites", "colo_available_share"), ("sites", "colo_capital_share")):
        setattr(getattr(cfg, group), key, draw(probability))
    cfg.deals.stargate_loi.enabled = draw(st.booleans())
    cfg.deals.blackrock_mou.enabled = draw(st.booleans())
    cfg.deals.blackrock_mou.site_p = draw(probability)
    cfg.costs.pledge_value_won = draw(_number(0, 1e14))
    cfg.costs.depreciation_years = draw(_number(0.5, 10))

    recipients = ["government", *draw(st.lists(st.sampled_from(OTHERS), unique=True,
                                               max_size=2))]
    allocations = tuple(Allocation(r, r, draw(st.integers(lot, 30 * lot)), "")
                        for r in recipients)
    pledge = sum(a.gpus for a in allocations)
    cfg.supply.cap_gpus_per_quarter = draw(st.integers(pledge // 4 + lot if ample else lot,
                                                       4 * pledge))
    if not ample and draw(st.sampled_from(range(20))) == 19:  # now and then, nothing ships
        cfg.supply.cap_gpus_per_quarter = 0
    sites = []
    for alloc in allocations:
        if ample:
            sites.append(Site(f"{alloc.recipient}_hall", "ample hall", alloc.recipient,
                              "capital", "existing", "energized",
                              (Phase(alloc.gpus * kw / 1000 + 0.01, FIRST_DEAL),)))
            continue
        # seeds/sites.yaml may not be empty, but a recipient may have no site at all
        least = 1 if alloc.recipient == "government" else 0
        for i in range(draw(st.integers(least, 2))):
            phases = draw(st.lists(st.builds(Phase, _number(0.01, 2),
                                             days_after(date(2025, 6, 1), 6 * 365)),
                                   min_size=1, max_size=3))
            sites.append(Site(f"{alloc.recipient}_{i}", "generated site", alloc.recipient,
                              draw(st.sampled_from(REGIONS)), draw(st.sampled_from(KINDS)),
                              draw(st.sampled_from(GRID)),
                              tuple(sorted(phases, key=lambda p: p.ready))))
    for site in draw(st.lists(st.sampled_from(sites), unique=True)) if sites else []:
        cfg.sites.slip_months_by_site[site.id] = draw(uncertain(0, math.inf, bounded=ample))
    tranches = []
    if draw(st.booleans()):  # a tranche ordered already, shipped in one to three orders
        first = draw(days_after(date(2025, 6, 1), 500))
        tranches.append(Tranche("ordered", "government", draw(st.integers(1, 10 * lot)),
                                FIRST_DEAL, ordered=(first, draw(days_after(first, 60))),
                                orders=draw(st.integers(1, 3))))
    if draw(st.booleans()):  # a tranche bought over a window
        start = draw(days_after(date(2025, 10, 1), 900))
        tranches.append(Tranche("window", recipients[-1], draw(st.integers(1, 10 * lot)),
                                FIRST_DEAL, order_window=(start, draw(days_after(start, 400)))))
    prior = PROJECT.prior if not ample and draw(st.booleans()) else None
    seed_data = SeedData({}, PROJECT.deals, pledge, allocations, tuple(sites), (),
                         tuple(tranches), prior)
    return cfg, seed_data


@given(worlds())
def test_laws_hold_in_any_valid_world(world):
    cfg, seed_data = world
    resolved = resolve(cfg)  # a config within the schema's ranges is accepted
    out = simulate(resolved, seed_data)
    ts = metrics.timeseries(out)
    invariants.stages_sum_to_allocations(ts, out.allocations)
    invariants.cumulative_counts_never_fall(ts)
    invariants.no_site_draws_more_than_energized(out)
    invariants.every_lot_accounted_for(out)
    summary = run_summary(out, resolved)
    json.dumps(summary, allow_nan=False)  # summary.json stays valid JSON
    assert summary["stranded_gpus"] == sum(summary["stranded_by_recipient"].values())
    again = simulate(resolved, seed_data)
    pd.testing.assert_frame_equal(out.events, again.events)  # same seed, same run
    pd.testing.assert_frame_equal(out.sites, again.sites)


@given(worlds(ample=True))
def test_with_ample_power_and_time_every_lot_runs(world):
    cfg, seed_data = world
    resolved = resolve(cfg)
    out = simulate(resolved, seed_data)
    invariants.every_lot_accounted_for(out)
    ev = out.events
    operational = ev[ev["event"] == "operational"].groupby("recipient")["gpus"].sum()
    assert operational.to_dict() == out.allocations
    assert not (ev["event"] == "stranded").any()
