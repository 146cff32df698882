"""``mc.replications=auto``: the standard errors it stops on, and a study that stops where
its targets are met, or at its cap, the same on every worker count."""

from __future__ import annotations

import math

import numpy as np
import pytest

from sim import api
from sim.study.precision import p50_se_days, rounds, said, share_se_points

QUICK = ("horizon=2027-06-30", "mc.drivers=false", "mc.replications=auto", "mc.n_jobs=1",
         "mc.precision.round=10", "mc.precision.max_replications=30")


def test_the_p50s_standard_error_of_evenly_spread_days_is_root_n_over_two():
    n = 400  # ranks n/2 -/+ 1.96 sqrt(n)/2 are 1.96 sqrt(n) days apart
    assert p50_se_days(np.arange(n, dtype=float), horizon_day=10_000) == \
        pytest.approx(math.sqrt(n) / 2, abs=0.6)
    assert p50_se_days(np.arange(4 * n, dtype=float), 10_000) == \
        pytest.approx(math.sqrt(4 * n) / 2, abs=0.6)  # four times the replications: half


def test_a_p50_after_the_horizon_is_settled_and_one_at_it_is_not():
    late = np.full(100, np.inf)
    assert p50_se_days(late, horizon_day=500) == 0.0
    straddling = np.r_[np.arange(50.0), np.full(50, np.inf)]
    assert p50_se_days(straddling, horizon_day=500) == math.inf


def test_a_share_of_none_still_has_a_standard_error_and_more_replications_shrink_it():
    none_of_100 = share_se_points(np.zeros(100, bool))
    assert 0.5 < none_of_100 < 1.5
    assert share_se_points(np.zeros(400, bool)) < none_of_100
    assert share_se_points(np.r_[np.ones(50, bool), np.zeros(50, bool)]) == \
        pytest.approx(100 * math.sqrt(0.25 / 100), rel=0.05)


def test_rounds_step_up_to_the_cap():
    class Target:
        round, max_replications = 100, 250
    assert rounds(Target) == [100, 200, 250]


def test_loose_targets_stop_at_the_first_round_and_strict_ones_at_the_cap():
    loose = api.study(*QUICK, "mc.precision.p50_se_days=10000",
                      "mc.precision.share_se_points=50").summary["monte_carlo"]
    assert loose["replications"] == 10 and loose["precision"]["met"]
    strict = api.study(*QUICK, "mc.precision.share_se_points=0.01").summary["monte_carlo"]
    assert strict["replications"] == 30 and not strict["precision"]["met"]
    assert strict["precision"]["share_se_points"] > 0.01
    assert "not met by the cap (mc.precision.max_replications=30)" in said(strict["precision"])


def test_auto_stops_at_the_same_count_with_the_same_numbers_on_any_worker_count():
    runs = [api.study(*QUICK, "mc.precision.p50_se_days=1", f"mc.n_jobs={n}")  # the last wins
            for n in (1, 2)]
    assert runs[0].summary == runs[1].summary
    assert runs[0].replications.equals(runs[1].replications)


@pytest.mark.parametrize("value", ["2.5", "many", "0"])
def test_a_replication_count_that_is_neither_whole_nor_auto_is_one_line(value):
    with pytest.raises(api.InputError, match=r"mc\.replications.*1\.\.65535, or auto"):
        api.study(f"mc.replications={value}")


def test_the_terminal_and_the_report_say_what_auto_reached(tmp_path):
    r = api.study(*QUICK, "mc.precision.p50_se_days=10000", "mc.precision.share_se_points=50")
    line = said(r.summary["monte_carlo"]["precision"])
    assert line.startswith("mc.replications=auto: 10 replications, targets met")
    folder = r.write(tmp_path / "run")
    assert line in (folder / "summary.txt").read_text()
    assert line in " ".join((folder / "report.html").read_text().split())
    assert r.summary["monte_carlo"]["replications"] == 10 == len(r.replications)
