"""tranches.csv, the cumulative ordered and arrived series and the first-GPU milestones: each
on its own, then from a run, where they must agree with the lots and add up to the pledge."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from sim.calendar import to_date
from sim.seeds.data import Tranche
from sim.study.tranche_table import NOT_STATED, WITH_SITES, tranche_table

BATCH = Tranche("batch", "government", 1000, date(2025, 7, 1),
                ordered=(date(2025, 8, 1), date(2025, 8, 31)), generation="B200")


def test_each_tranche_gets_bands_over_the_replications_that_have_it():
    days = pd.DataFrame({
        "gpus:batch": np.full(10, 1000.0), "ordered:batch": np.arange(300.0, 310.0),
        "arrived:batch": np.arange(400.0, 410.0),
        "gpus:sk: with its sites": [500.0] * 5 + [600.0] * 5,
        "ordered:sk: with its sites": [900.0] * 8 + [np.inf] * 2,
        "arrived:sk: with its sites": [1000.0] * 7 + [np.inf] * 3,
        "gpus_b200:batch": np.full(10, 1000.0), "gpus_b300:batch": np.zeros(10),
        "gpus_b300:sk: with its sites": [125.0] * 5 + [150.0] * 5,
        "gpus_vera_rubin:sk: with its sites": [375.0] * 5 + [450.0] * 5})
    table = tranche_table(days, (BATCH,)).set_index("tranche")
    batch = table.loc["batch"]
    assert (batch.generation, batch.generation_in_source, batch.timing) == (
        "B200 100 %", "B200", "ordered 2025-08-01 to 2025-08-31")
    assert (batch.gpus_p10, batch.gpus_p90) == (1000, 1000)
    assert (batch.ordered_p10, batch.ordered_p90) == (to_date(300.0).isoformat(),
                                                      to_date(308.0).isoformat())
    rest = table.loc["sk: with its sites"]
    assert (rest.recipient, rest.generation_in_source, rest.timing) == ("sk", NOT_STATED,
                                                                         WITH_SITES)
    assert rest.generation == "B300 25 %, Vera Rubin 75 %"  # shares of its GPUs ordered
    assert (rest.gpus_p10, rest.gpus_p90) == (500, 600)
    # not all arrived by the horizon in 3 of 10: the P90 ranks after every date, empty
    assert rest.arrived_p50 == to_date(1000.0).isoformat() and pd.isna(rest.arrived_p90)
    assert rest.ordered_p50 == to_date(900.0).isoformat() and pd.isna(rest.ordered_p90)


@pytest.fixture(scope="module")
def results():
    from sim import api

    return api.study(replications=10, drivers=False, n_jobs=1)


def test_a_runs_tranches_add_up_to_each_allocation(results):
    allocations = {r: v["operational"] + sum(n for k, n in v.items() if k != "operational")
                   for r, v in results.summary["gpus_at_horizon"].items() if r != "total"}
    t = results.tranches
    assert t.groupby("recipient")["gpus_p50"].sum().to_dict() == allocations
    both = t.dropna(subset=["ordered_p50", "arrived_p50"])
    assert len(both) and (both["ordered_p50"] <= both["arrived_p50"]).all()
    gov = t.set_index("tranche").loc["gov_batch_2025"]
    assert (gov.generation, gov.generation_in_source) == ("B200 100 %", "B200")
    assert gov.arrived_p50 < "2026-01-01"


def test_ordered_and_arrived_are_cumulative_and_agree_with_the_stages(results):
    ts = results.timeseries
    assert (ts["arrived"] == ts["waiting_power"] + ts["installing"] + ts["operational"]).all()
    assert (ts["ordered"] >= ts["arrived"]).all()
    for _, one in ts.groupby("recipient"):
        assert (np.diff(one["ordered"]) >= 0).all() and (np.diff(one["arrived"]) >= 0).all()
        assert (np.diff(one["arrived_p50"]) >= -1e-9).all()
    total = ts[ts["recipient"] == "total"]
    assert (total["ordered_p10"] <= total["ordered_p90"]).all()
    assert total["ordered_p90"].iloc[-1] <= 260_000


def test_the_first_gpus_come_before_the_shares(results):
    ms = results.milestones.set_index(["recipient", "milestone"])
    for recipient in ms.index.get_level_values(0).unique():
        first, runs, quarter = (ms.loc[(recipient, m), "p50_date"] for m in
                                ("first arrival", "first operational", "25%"))
        assert first <= runs <= quarter, recipient
        assert pd.isna(ms.loc[(recipient, "first arrival"), "p_by_target"])
