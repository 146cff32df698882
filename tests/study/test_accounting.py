"""Every GPU accounted for at the horizon, under any input the run accepts: by stage and
recipient in summary.json and on the terminal, with a warning for whatever is not
operational; the conservation check that fails a run which loses GPUs; bounded memory."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from conftest import TINY, make_cfg, run_cli

from sim.app.runner import prepare
from sim.calendar import to_day
from sim.errors import ConservationError
from sim.outputs import results
from sim.outputs.terminal import horizon_line, warning_lines
from sim.study import accounting, metrics
from sim.study.bands import Bands, Fold, Grid, band_maxima
from sim.study.study import run_study


def tables(*overrides):
    """Every table of a run of ``overrides`` (what is written, less the plots)."""
    config, seed_data = prepare(make_cfg(*overrides, "mc.replications=4", "mc.drivers=false",
                                         "mc.n_jobs=1"))
    return config, seed_data, results.tables(run_study(config, seed_data), config)


def accounted(summary: dict, allocations: dict) -> dict[str, int]:
    """The summary's stages at the horizon add up, per recipient and in total; the totals."""
    counts = summary["gpus_at_horizon"]
    for recipient, gpus in allocations.items():
        assert sum(counts[recipient].values()) == gpus, recipient
        assert min(counts[recipient].values()) >= 0
    assert sum(counts["total"].values()) == sum(allocations.values())
    return counts["total"]


@pytest.mark.parametrize("overrides, stage", [
    (["logistics.ship_days=1e308"], "in_transit"),  # was: 0 stranded, 0 unshipped, no warning
    (["logistics.ship_days={dist:lognormal,median:14,p90:1e9}"], "in_transit"),
    (["install.burnin_days=1e308"], "installing"),
    (["power.grid_delay_months=1e308"], None),  # where they wait is the model's to say
    (["sites.slip_months=1e308", "sites.slip_factor.existing=1"], None),
    (["supply.order_to_ship_months=1e308"], "unshipped"),
    (["horizon=2025-09-23"], "unshipped"),  # a day after the first deal
    (["horizon=2025-10-30"], "unshipped"),  # the pledge comes after the horizon
])
def test_extreme_and_degenerate_worlds_account_for_every_gpu(overrides, stage):
    config, seed_data, t = tables(*overrides)
    allocations = {a.recipient: a.gpus for a in seed_data.allocations}
    total = accounted(t["summary"], allocations)
    assert total["operational"] < 260_000 and (stage is None or total[stage] > 0), total
    json.dumps(t["summary"], allow_nan=False)  # valid JSON: no NaN, no infinity
    lines = warning_lines(t["summary"])
    assert lines and all(line.startswith("  warning: ") for line in lines)
    if stage is None:
        return
    named = {"waiting_power": "stranded without power", "in_transit": "in transit",
             "installing": "installing", "unshipped": "not shipped"}[stage]
    assert any(f"{total[stage]:,} GPUs" in line and named in line for line in lines), lines
    line = horizon_line(t["summary"])
    assert line.startswith(f"  GPUs at the horizon {config.horizon}")
    assert f": {total['operational']:,} operational" in line


def test_the_weekly_table_and_the_horizon_agree_in_a_normal_run():
    config, seed_data, t = tables("horizon=2029-06-30")
    allocations = {a.recipient: a.gpus for a in seed_data.allocations}
    total = accounted(t["summary"], allocations)
    ts = t["timeseries"]
    last = ts[ts["day"] == ts["day"].max()].set_index("recipient")
    if last["day"].iloc[0] == to_day(config.horizon_date):  # the grid lands on the horizon
        assert last.loc["total", "operational"] == total["operational"]
    assert t["summary"]["stranded_gpus"] == total["waiting_power"]
    assert t["summary"]["unshipped_gpus_at_horizon"] == total["unshipped"]
    assert t["summary"]["in_transit_gpus_at_horizon"] == total["in_transit"]


ALLOC = {"a": 100, "b": 50}


def test_the_check_fails_when_stages_do_not_add_up_and_names_the_recipient():
    good = {"a": {"operational": 60, "installing": 40, "waiting_power": 0, "in_transit": 0,
                  "unshipped": 0},
            "b": {"operational": 0, "installing": 0, "waiting_power": 0, "in_transit": 0,
                  "unshipped": 50}}
    good["total"] = {s: good["a"][s] + good["b"][s] for s in accounting.STAGES}
    accounting.check(good, ALLOC)
    lost = {**good, "b": {**good["b"], "unshipped": 42}}
    with pytest.raises(ConservationError, match=r"^GPUs not conserved: b has 0 operational "
                                                r".* = 42 GPUs at the horizon, but its "
                                                r"allocation is 50; this is a fault"):
        accounting.check(lost, ALLOC)
    negative = {**good, "a": {**good["a"], "installing": 80, "operational": -20}}
    with pytest.raises(ConservationError, match="a has -20 operational"):
        accounting.check(negative, ALLOC)


def test_the_weekly_check_fails_on_a_week_that_does_not_add_up():
    stages = metrics.STAGES
    rows = pd.DataFrame({"date": pd.to_datetime(["2026-01-01", "2026-01-08"]),
                         "recipient": ["a", "a"],
                         **{s: [0, 0] for s in stages}})
    rows.loc[:, "unshipped"] = [100, 90]
    rows.loc[:, "in_transit"] = [0, 10]
    accounting.check_weekly(rows, {"a": 100})
    rows.loc[1, "in_transit"] = 5
    with pytest.raises(ConservationError, match="in the weekly table: a on 2026-01-08 has "
                                                "90 unshipped \\+ 5 in_transit"):
        accounting.check_weekly(rows, {"a": 100})


def test_the_bands_stay_within_their_memory_bound_and_the_baseline_keeps_one_lot_bins():
    def bands(*overrides):
        config, seed_data = prepare(make_cfg(*overrides))
        days = metrics.weeks(seed_data, config)
        return Bands(Grid(days, band_maxima(config, seed_data, quarters=len(days) // 13 + 1),
                          config.hardware.gpus_per_lot))

    assert (bands().width[:5] == 72).all()  # the baseline keeps one-lot bins
    for overrides in (["horizon=2100-12-31"], ["hardware.gpus_per_lot=1",
                                               "horizon=2100-12-31"]):
        b = bands(*overrides)
        assert b.counts.size <= Bands.MAX_CELLS, overrides
        rng = np.random.default_rng(0)
        shape = b.total.shape
        fold = Fold(b.grid)
        for _ in range(3):  # percentiles still within what was seen, in order
            fold.add(rng.uniform(0, 1, shape) * band_maxima_like(b, shape))
        b.merge(fold)
        p10, p50, p90 = b.quantiles([0.1, 0.5, 0.9])
        assert (p10 <= p50).all() and (p50 <= p90).all()
        assert (p10 >= b.low).all() and (p90 <= b.high).all()


def band_maxima_like(b: Bands, shape) -> np.ndarray:
    return ((b.nbins - 2) * b.width)[:, :, None] * np.ones(shape)


def test_the_terminal_accounts_for_every_gpu_and_warns_of_those_in_transit(tmp_path):
    proc = run_cli("logistics.ship_days=1e308", *TINY[1:], "horizon=2028-06-30", cwd=tmp_path,
                   quick=False)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""  # no overflow warnings from an endless transit
    (run,) = (tmp_path / "results" / "baseline").iterdir()
    summary = json.loads((run / "summary.json").read_text())
    in_transit = summary["gpus_at_horizon"]["total"]["in_transit"]
    assert in_transit > 0 and summary["in_transit_gpus_at_horizon"] == in_transit
    (line,) = [ln for ln in proc.stdout.splitlines() if "GPUs at the horizon" in ln]
    assert line.startswith("  GPUs at the horizon 2028-06-30 in the representative "
                           "replication ") and f", {in_transit:,} in transit" in line
    n = summary["monte_carlo"]["replications"]
    assert line.endswith(f"; in {n} of {n} replications some GPUs are not operational by then")
    assert sum(summary["gpus_at_horizon"]["total"].values()) == 260_000
    assert f"  warning: {in_transit:,} GPUs still in transit at the horizon 2028-06-30: " \
           "government " in proc.stdout
    assert (run / "manifest.json").is_file()


@pytest.mark.parametrize("overrides", [
    ["horizon=2025-09-23"],  # a day after the first deal
    ["horizon=2025-10-30"],  # the pledge is dated after the horizon
    ["power.grid_delay_months=1e308"],
    ["sites.slip_months=1e308"],
])
def test_degenerate_and_extreme_worlds_give_a_complete_run_from_the_command_line(tmp_path,
                                                                                 overrides):
    proc = run_cli(*overrides, *[a for a in TINY if not a.startswith("horizon")], cwd=tmp_path,
                   quick=False)
    assert proc.returncode == 0, proc.stderr
    (run,) = (tmp_path / "results" / "baseline").iterdir()
    assert (run / "manifest.json").is_file()
    summary = json.loads((run / "summary.json").read_text())
    assert sum(summary["gpus_at_horizon"]["total"].values()) == 260_000
    assert "warning: " in proc.stdout
