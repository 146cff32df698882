"""The recipient's own count (the ministry's): GPUs outside the pledge added on the day they
enter service, only what was public by the as-of date, and the odds of its targets."""

from __future__ import annotations

import dataclasses
from datetime import date

import numpy as np
import pandas as pd
from groups import model, seeds

from sim.model.world import simulate
from sim.seeds.own_count import CountedTarget, OutsideGpus
from sim.study import metrics
from sim.study.own_count import count_key, known, own_counts, summary

EARLY = OutsideGpus("hopper", 3000, (date(2026, 1, 1), date(2026, 3, 31)), date(2025, 9, 1))
LATE = OutsideGpus("supercomputer", 9000, (date(2027, 7, 1), date(2027, 12, 31)),
                   date(2025, 12, 1))
BY_2026 = CountedTarget(37000, date(2026, 12, 31), date(2025, 9, 1))
BY_2028 = CountedTarget(52000, date(2028, 12, 31), date(2026, 2, 1))


def with_own_count(data, as_of: date | None = None):
    allocations = tuple(dataclasses.replace(a, outside_pledge=(EARLY, LATE),
                                            counted_targets=(BY_2026, BY_2028))
                        if a.recipient == "government" else a for a in data.allocations)
    return dataclasses.replace(data, allocations=allocations, as_of=as_of or data.as_of)


def test_outside_gpus_count_from_the_day_they_enter_service():
    data = with_own_count(seeds())
    out = simulate(model(), data)
    found = own_counts(out, known(data), seed=0, index=0)
    pledge = {t: metrics.operational_by(out, t.by, "government") for t in (BY_2026, BY_2028)}
    # in service within its window: the early GPUs by the end of 2026, the late ones not yet
    assert found[count_key("government", BY_2026)] == pledge[BY_2026] + 3000
    assert found[count_key("government", BY_2028)] == pledge[BY_2028] + 3000 + 9000


def test_a_forecast_counts_only_what_was_public_by_its_date():
    (recipient, outside, targets), = known(with_own_count(seeds(), date(2025, 10, 31)))
    assert recipient == "government"
    assert outside == (EARLY,) and targets == (BY_2026,)  # the rest came out later
    assert known(seeds()) == []  # seeds that state no own count: nothing to add


def test_the_odds_are_the_share_of_replications_that_meet_the_target():
    counted = known(with_own_count(seeds()))
    reps = pd.DataFrame({count_key("government", BY_2026): [30000.0, 38000.0, 37000.0, 10.0],
                         count_key("government", BY_2028): np.full(4, 60000.0)})
    block = summary(reps, counted, date(2034, 12, 31))
    by = {t["by"]: t for t in block["targets"]}
    assert by["2026-12-31"]["p"] == 0.5 and by["2028-12-31"]["p"] == 1.0
    assert block["outside_gpus"] == {"government": 12000}
    late = summary(reps, counted, date(2027, 6, 30))  # a target after the horizon
    assert {t["by"]: t["p"] for t in late["targets"]}["2028-12-31"]["reason"]
