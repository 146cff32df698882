"""Sweeps: the report that ends a multirun, the same numbers on every launcher, goal seek."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
import yaml
from conftest import run_cli

from omegaconf import OmegaConf

from sim import runner, sweep

GRID = ["seed=0,1", "power.grid_delay_months=0,12", "horizon=2028-06-30"]


def only_sweep(cwd: Path) -> Path:
    (folder,) = (cwd / "results" / "multirun").iterdir()
    return folder


def numbers(folder: Path) -> pd.DataFrame:
    """sweep.csv less what names a place: what every launcher must agree on."""
    return pd.read_csv(folder / "sweep.csv").drop(columns=["job_dir"])


@pytest.fixture(scope="module")
def basic(tmp_path_factory):
    cwd = tmp_path_factory.mktemp("basic")
    proc = run_cli("-m", *GRID, cwd=cwd)
    assert proc.returncode == 0, proc.stderr
    return proc, only_sweep(cwd), cwd


def test_a_2x2_sweep_writes_a_row_per_job_from_the_jobs_summaries(basic):
    proc, folder, cwd = basic
    table = pd.read_csv(folder / "sweep.csv")
    assert len(table) == 4 and table["finished"].all()
    assert sorted(zip(table["seed"], table["power.grid_delay_months"])) == \
        [(0, 0), (0, 12), (1, 0), (1, 12)]
    assert (table["horizon"] == "2028-06-30").all()
    for row in table.itertuples():
        job = cwd / row.job_dir  # as Hydra names it: from where the sweep was started
        assert job.parent.name == folder.name and job.name == str(row.job)
        s = json.loads((job / "summary.json").read_text())
        assert (row.seed, row.peak_waiting_gpus, row.idle_gpu_months) == \
            (s["seed"], s["peak_waiting_gpus"], s["idle_gpu_months"])
    # the sweep changes the outputs: a year of grid delay leaves GPUs idle longer
    idle = table.groupby("power.grid_delay_months")["idle_gpu_months"].mean()
    assert idle[12] > idle[0]
    # two numeric factors: a heatmap; four jobs: their curves overlaid too
    assert (folder / "heatmap.png").stat().st_size > 0
    assert (folder / "operational.png").stat().st_size > 0
    assert "sweep: 4 of 4 jobs finished" in proc.stdout


def test_joblib_gives_the_same_sweep_csv_as_the_basic_launcher(basic, tmp_path):
    proc = run_cli("-m", *GRID, "hydra/launcher=joblib", "hydra.launcher.n_jobs=2",
                   cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "Joblib.Parallel" in proc.stdout
    folder = only_sweep(tmp_path)  # every job wrote into the one sweep folder
    assert sorted(p.name for p in folder.iterdir() if p.is_dir()) == ["0", "1", "2", "3"]
    pd.testing.assert_frame_equal(numbers(folder), numbers(basic[1]))


def test_ray_runs_a_2_job_sweep_with_the_same_numbers(basic, tmp_path):
    pytest.importorskip("hydra_plugins.hydra_ray_launcher")
    proc = run_cli("-m", "seed=0,1", "power.grid_delay_months=0", "horizon=2028-06-30",
                   "hydra/launcher=ray", "+hydra.launcher.ray.init.num_cpus=2",
                   cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "Ray Launcher is launching 2 jobs" in proc.stdout
    ray = numbers(only_sweep(tmp_path))
    assert len(ray) == 2 and ray["finished"].all()
    same_jobs = numbers(basic[1]).query("`power.grid_delay_months` == 0")
    columns = [c for c in ray.columns if c != "job"]
    pd.testing.assert_frame_equal(ray[columns].reset_index(drop=True),
                                  same_jobs[columns].reset_index(drop=True))
    assert (only_sweep(tmp_path) / "outputs_vs_seed.png").stat().st_size > 0


def test_goal_seek_runs_trials_and_a_longer_delay_scores_worse(tmp_path):
    pytest.importorskip("hydra_plugins.hydra_optuna_sweeper")
    proc = run_cli("-m", "hydra/sweeper=goal_seek", "objective=all_operational_days_after_2030",
                   "hydra.sweeper.n_trials=4", "power.grid_delay_months=interval(0,6)",
                   "horizon=2031-12-31", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    folder = only_sweep(tmp_path)
    table = pd.read_csv(folder / "sweep.csv").sort_values("power.grid_delay_months")
    assert len(table) == 4 and table["finished"].all()
    delays = table["power.grid_delay_months"].to_numpy()
    scores = table["all_operational_days_after_2030"].to_numpy()
    assert delays[-1] - delays[0] > 1  # the trials tried different delays
    assert (scores[1:] >= scores[:-1]).all() and scores[-1] > scores[0], (delays, scores)
    best = yaml.safe_load((folder / "optimization_results.yaml").read_text())
    assert best["best_value"] == scores.min()
    assert best["best_params"]["power.grid_delay_months"] == pytest.approx(delays[0])
    assert "goal seek: all_operational_days_after_2030" in proc.stdout
    assert (folder / "outputs_vs_power.grid_delay_months.png").stat().st_size > 0


@pytest.mark.parametrize("args, fragment", [
    (["objective=nonsense", "seed=0,1"], "'nonsense' is not a headline figure; choose one of"),
    (["hydra/sweeper=goal_seek"], "set objective= one of all_operational_days_after_2030"),
    (["objective_at_most=0", "seed=0,1"], "objective_at_most: 0 bounds no figure; set"),
])
def test_a_bad_objective_stops_the_sweep_before_any_job(args, fragment, tmp_path):
    if "hydra/sweeper=goal_seek" in args:
        pytest.importorskip("hydra_plugins.hydra_optuna_sweeper")
    proc = run_cli("-m", *args, "horizon=2026-03-30", cwd=tmp_path)
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: objective"), proc.stderr
    assert fragment in lines[0]
    assert "Traceback" not in proc.stderr + proc.stdout
    assert not (tmp_path / "results").exists()


def test_a_bound_turns_the_objective_into_a_goal_met_just_or_missed():
    def score(days, **keys):
        cfg = OmegaConf.create({"objective": "all_operational_days_after_2030",
                                "objective_at_most": None, **keys})
        return runner.objective(cfg, {"all_operational_days_after_2030": days})

    assert score(-30) == -30.0 and score(12) == 12.0  # no bound: the figure itself
    # a bound of 0: days to spare if met (fewer is better), far worse if missed
    assert score(-3, objective_at_most=0) == 3.0
    assert score(-30, objective_at_most=0) == 30.0
    assert score(5, objective_at_most=0) == runner.MISSED + 5
    assert score(0, objective_at_most=0) < score(-3, objective_at_most=0) < \
        score(1, objective_at_most=0) < score(5, objective_at_most=0)
    assert runner.objective(OmegaConf.create({"objective": ""}), {}) is None


def test_the_crossing_brackets_where_the_objective_turns_positive():
    table = pd.DataFrame({"delay": [6, 0, 3, 9], "days": [40, -50, -3, 120]})
    assert sweep.crossing(table, "delay", "days") == \
        "days <= 0 up to delay=3; > 0 from delay=6 (of 4 jobs)"
    assert "is > 0 at every delay" in sweep.crossing(table[table["days"] > 0], "delay", "days")
    assert sweep.crossing(table, "delay", "days", bound=50) == \
        "days <= 50 up to delay=6; > 50 from delay=9 (of 4 jobs)"


def test_overridden_values_are_parsed_as_hydra_parses_them():
    values = sweep.overridden_values(["+scenario=slow_power", "power.grid_delay_months=6.5",
                                      "seed=3", "horizon=2027-06-30",
                                      "sites.slip_months={dist:uniform,low:0,high:12}"])
    assert values == {"scenario": "slow_power", "power.grid_delay_months": 6.5, "seed": 3,
                      "horizon": "2027-06-30",
                      "sites.slip_months": "{dist:uniform,low:0,high:12}"}
