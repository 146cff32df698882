"""The shared colo pool on its own, from plain ``sites`` and ``power`` groups: what exists now,
then each quarter's growth by region, each part on its quarter's day or the wait for reinforcement
later."""

from __future__ import annotations

import numpy as np
import pytest
from groups import config
from parts import run

from sim.calendar import DAYS_PER_MONTH
from sim.model import colo
from sim.model.power import Grid


def pool(replication=0, horizon_day=10 * colo.QUARTER_DAYS + 1, power=None, **sites):
    draws = run(replication=replication).draws
    grid = Grid(config("power", **(power or {})), draws)
    return colo.steps(config("sites", **sites), draws, grid, horizon_day)


def test_growth_comes_each_quarter_in_each_region_when_every_assessment_passes():
    steps = pool(colo_mw=60, colo_growth_mw_per_quarter=10, colo_available_share=0.5,
                 colo_capital_share=0.6, power={"approval_p": {"capital": 1, "non_capital": 1}})
    assert steps[0] == (0.0, 60_000.0)
    days = sorted(day for day, _ in steps[1:])
    assert days == sorted([q * colo.QUARTER_DAYS for q in range(1, 11)] * 2)
    assert sum(kw for _, kw in steps[1:]) == pytest.approx(10 * 10 * 0.5 * 1000)
    assert sorted({round(kw, 6) for _, kw in steps[1:]}) == [2000.0, 3000.0]  # 60 % capital


def test_a_rejected_part_comes_when_its_grid_is_reinforced():
    steps = pool(colo_growth_mw_per_quarter=10, colo_capital_share=1,
                 power={"approval_p": {"capital": 0}, "reinforcement_months": 6})
    late = [day - q * colo.QUARTER_DAYS for q, (day, _) in enumerate(steps[1:], start=1)]
    assert late == pytest.approx([6 * DAYS_PER_MONTH] * 10)


@pytest.mark.parametrize("rho", [0.0, 0.5, 1.0])
def test_the_share_of_parts_that_pass_is_the_approval_chance_whatever_the_correlation(rho):
    passed = []
    power = {"approval_p": {"capital": 0.3}, "reinforcement_months": 6,
             "grid_correlation": rho}
    for replication in range(300):
        steps = pool(replication, colo_growth_mw_per_quarter=10, colo_capital_share=1,
                     power=power)
        passed += [day % colo.QUARTER_DAYS == 0 for day, _ in steps[1:]]
    # 3,000 parts; with rho = 1 the 300 replications are the independent draws
    assert np.mean(passed) == pytest.approx(0.3, abs=0.06 if rho == 1 else 0.04)


def test_no_growth_no_steps_after_the_first():
    assert len(pool(colo_growth_mw_per_quarter=0)) == 1
