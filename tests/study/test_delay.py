"""The anatomy of the delay: stages that add up, per lot, per GPU read and over the
replications; censored waits counted to the horizon; and a run's delay.csv and answer."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from sim.calendar import DAYS_PER_MONTH
from sim.study.delay import ENDS, anatomy, delay_table, headline, stage_months


def lots(**days):
    """Three lots of one recipient: 10, 20 and 30 GPUs."""
    columns = {"gpus": np.array([10, 20, 30]), **{s: np.asarray(v, float)
                                                  for s, v in days.items()}}
    out = SimpleNamespace(columns=columns, pledge_day=100.0, horizon_day=1000.0,
                          allocations={"sk": 60}, masks={"sk": np.ones(3, bool)})
    return out


DAYS = dict(ordered=[50, 200, 300], shipped=[150, 330, 420], arrived=[165, 345, 435],
            placed=[165, 400, 600], installed=[170, 410, 610],
            operational=[230, 470, np.nan])


def test_each_lots_stages_add_up_to_its_wait_from_the_pledge_or_its_order():
    out = lots(**DAYS)
    months = stage_months(out) * DAYS_PER_MONTH
    # the first lot was ordered before the pledge: its wait starts at its order
    np.testing.assert_allclose(months.sum(axis=1), [230 - 50, 470 - 100, 1000 - 100])
    np.testing.assert_allclose(months[1], [100, 130, 15, 55, 10, 60])
    # not in service by the horizon: its time from installation on counts to the horizon
    assert months[2, list(ENDS).index("burnin_acceptance")] == 1000 - 610


def test_the_median_and_the_last_gpu_and_the_mean_all_add_up():
    found = anatomy(lots(**DAYS))
    for gpu in ("mean", "median", "last"):
        parts = sum(found[f"sk|{gpu}|{s}"] for s in ENDS)
        assert parts == pytest.approx(found[f"sk|{gpu}|total"])
    assert found["sk|median|total"] == pytest.approx(370 / DAYS_PER_MONTH)  # 30 of 60: lot 2
    assert found["sk|last|total"] == pytest.approx(900 / DAYS_PER_MONTH)
    assert found["sk|gpus|waiting"] == 30
    weights = np.array([10, 20, 30]) / 60
    assert found["sk|mean|total"] == pytest.approx(weights @ [180, 370, 900] / DAYS_PER_MONTH)


def test_means_over_replications_add_up_and_the_answer_names_the_largest_stage():
    rows = []
    for shift in (0.0, 30.0, 90.0):
        days = {k: np.asarray(v, float) + (shift if k != "ordered" else 0)
                for k, v in DAYS.items()}
        found = anatomy(lots(**days))
        rows.append({k.replace("sk|", "total|", 1): v for k, v in found.items()})
    table = delay_table(pd.DataFrame(rows), {})
    for gpu, part in table.groupby("gpu"):
        stages = part[part["stage"] != "total"]["mean_months"].sum()
        assert stages == pytest.approx(part[part["stage"] == "total"]["mean_months"].iloc[0],
                                       abs=0.01)
    assert headline(table).startswith("the median GPU waits 13 months")


@pytest.fixture(scope="module")
def results():
    from sim import api

    return api.study(replications=10, drivers=False, n_jobs=1)


def test_a_runs_delay_csv_adds_up_for_every_recipient(results):
    table = results.delay
    assert set(table["recipient"]) == {*results.summary["names"]["recipients"], "total"}
    for _, part in table.groupby(["recipient", "gpu"]):
        stages = part[part["stage"] != "total"]["mean_months"].sum()
        total = part[part["stage"] == "total"]["mean_months"].iloc[0]
        assert stages == pytest.approx(total, abs=0.01)
        assert (part["p10_months"] <= part["p90_months"]).all()
    said = results.summary["monte_carlo"]["delay"]
    assert said["text"].startswith("the median GPU waits")
    assert said["median_gpu_mean_months"]["total"] > said["median_gpu_mean_months"]["supply"]


def test_the_terminal_and_the_report_answer_what_delays_them_right_after_when(results,
                                                                                tmp_path):
    folder = results.write(tmp_path / "run")
    said = (folder / "summary.txt").read_text().splitlines()
    assert said[1].startswith("scenario ") and said[2].startswith("  where the time goes: ")
    page = (folder / "report.html").read_text()
    answer = page[page.index("In the median"):]  # the answer's first paragraph, then
    assert answer.index("Where the time goes:") < answer.index("The chance that")
