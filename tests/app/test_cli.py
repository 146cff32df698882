"""The command line as a user meets it: outputs of a run and directories.

Bad input is in test_bad_input.py."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor

import pandas as pd
import pytest
from conftest import run_cli

from sim.study.metrics import STAGES

OUTPUTS = ["events.parquet", "timeseries.parquet", "timeseries.csv", "milestones.csv",
           "summary.json", "manifest.json", "config.yaml", ".hydra/config.yaml",
           "replications.parquet", "drivers.csv", "site_power.parquet", "sites.csv",
           "sites_drawn.csv", "tranches.csv", "assumptions.csv", "delay.csv", "sensitivity.csv",
           "plots/operational.png", "plots/pipeline.png", "plots/power.png",
           "plots/timeline.png", "plots/fan.png", "plots/milestones.png", "plots/drivers.png",
           "plots/delay.png"]


@pytest.fixture(scope="module")
def slow_power_run(tmp_path_factory):
    cwd = tmp_path_factory.mktemp("user")
    proc = run_cli("+scenario=slow_power", cwd=cwd, quick=False)
    assert proc.returncode == 0, proc.stderr
    (run_dir,) = (cwd / "results" / "slow_power").iterdir()
    return proc, run_dir


def test_a_scenario_run_writes_every_output(slow_power_run):
    proc, run_dir = slow_power_run
    for name in OUTPUTS:
        assert (run_dir / name).is_file(), name
        assert (run_dir / name).stat().st_size > 0, name
    events = pd.read_parquet(run_dir / "events.parquet")
    assert list(events.columns[:7]) == ["date", "day", "event", "recipient", "site", "lot",
                                        "gpus"]
    ts = pd.read_csv(run_dir / "timeseries.csv")
    assert set(STAGES + ["mw_energized", "mw_drawn"]) <= set(ts.columns)
    milestones = pd.read_csv(run_dir / "milestones.csv")
    assert set(milestones["milestone"]) == {"first arrival", "first operational", "25%", "50%",
                                            "90%", "100%"}
    assert len(milestones) == 6 * 6  # five recipients and the total
    summary = json.loads((run_dir / "summary.json").read_text())
    assert summary["scenario"] == "slow_power" and summary["seed"] == 0
    assert set(summary["operational_at_year_end"]) == {"2026", "2027", "2028", "2029", "2030"}
    for key in ("all_operational_date", "government_50k_by_2030", "peak_waiting_gpus",
                "stranded_gpus", "idle_gpu_months", "idle_value_won", "mw_drawn_at_horizon"):
        assert key in summary
    manifest = json.loads((run_dir / "manifest.json").read_text())
    assert manifest["complete"] and "summary.json" in manifest["files"]
    seconds = manifest["seconds"]  # where the run's time went, stage by stage
    assert list(seconds) == ["checks", "study", "tables", "figures", "report"]
    assert min(seconds.values()) >= 0 and seconds["study"] > 0 and seconds["figures"] > 0
    assert sum(seconds.values()) == pytest.approx(manifest["wall_seconds"], abs=0.01)
    mc = summary["monte_carlo"]
    assert mc["replications"] == 500 == len(pd.read_parquet(run_dir / "replications.parquet"))
    assert {"p10", "p50", "p80", "p90"} <= set(mc["all_operational"])
    assert {"operational_p10", "operational_p50", "operational_p90",
            "operational_mean"} <= set(ts.columns)
    assert {"p10_date", "p50_date", "p80_date", "p90_date", "p_by_target"} <= \
        set(milestones.columns)
    drivers = pd.read_csv(run_dir / "drivers.csv")
    assert drivers.loc[0, "risk"].startswith("power.")  # slow power: a grid input leads


def test_the_terminal_says_where_results_went_and_the_key_milestones(slow_power_run):
    proc, run_dir = slow_power_run
    assert f"results: {run_dir.relative_to(run_dir.parents[2])}" in proc.stdout
    summary = json.loads((run_dir / "summary.json").read_text())
    p50 = summary["monte_carlo"]["all_operational"]["p50"]
    assert f"all 260,000 GPUs operational P50 {p50 or 'after the horizon'}" in proc.stdout
    assert "P(government 50k by 2030-12-31) = " in proc.stdout
    said = json.loads((run_dir / "summary.json").read_text())["monte_carlo"]["sensitivity"]
    assert f"  what drives the date: {said['text']}\n" in proc.stdout
    table = pd.read_csv(run_dir / "sensitivity.csv")
    assert set(table["output"]) == {"all_operational_day", "government_operational_2030_12_31"}
    # each input's label, not its key, and a rank only for those clear of noise
    assert table["input_label"].str.contains(" ").all()
    assert (table["rank"].notna() == table["clear_of_noise"]).all()


def test_plain_run_is_baseline_and_same_second_runs_never_collide(tmp_path):
    with ThreadPoolExecutor(2) as pool:
        procs = list(pool.map(lambda _: run_cli("horizon=2026-06-30", cwd=tmp_path),
                              range(2)))
    assert all(p.returncode == 0 for p in procs), [p.stderr for p in procs]
    runs = sorted((tmp_path / "results" / "baseline").iterdir())
    assert len(runs) == 2
    summaries = [json.loads((r / "summary.json").read_text()) for r in runs]
    assert summaries[0] == summaries[1]


def test_multirun_writes_one_folder_per_job(tmp_path):
    proc = run_cli("-m", "seed=0,1", "horizon=2026-06-30", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    (sweep,) = (tmp_path / "results" / "multirun").iterdir()
    assert sorted(p.name for p in sweep.iterdir() if p.is_dir()) == ["0", "1"]
    seeds = [json.loads((sweep / j / "summary.json").read_text())["seed"] for j in "01"]
    assert seeds == [0, 1]

