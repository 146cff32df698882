"""Sweeps: the report that ends a multirun, the same numbers on every launcher, goal seek,
resuming a killed sweep, and a failing job that the sweep survives."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
import yaml
from conftest import QUICK, TINY, cli_env, make_cfg, run_cli
from omegaconf import OmegaConf

from sim.app import callbacks, preflight, runner
from sim.outputs import manifest
from sim.outputs import sweep as sweep_report

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
        q = s["monte_carlo"]["figures"]  # the P50 over the job's replications
        assert (row.seed, row.peak_waiting_gpus, row.idle_gpu_months) == \
            (s["seed"], q["peak_waiting_gpus"]["p50"], q["idle_gpu_months"]["p50"])
        assert row.peak_waiting_gpus_p10 <= row.peak_waiting_gpus <= row.peak_waiting_gpus_p90
    # the sweep changes the outputs: a year of grid delay leaves GPUs idle longer
    idle = table.groupby("power.grid_delay_months")["idle_gpu_months"].mean()
    assert idle[12] > idle[0]
    # two numeric factors: a heatmap; four jobs: their curves overlaid too
    assert (folder / "heatmap.png").stat().st_size > 0
    assert (folder / "operational.png").stat().st_size > 0
    assert "sweep: 4 of 4 jobs finished" in proc.stdout
    # where to find it again, and how to resume it
    where = f"results/multirun/{folder.name}"
    assert proc.stdout.startswith(f"sweep folder: {where} (if it stops, run the same "
                                  f"command with hydra.sweep.dir={where} to resume the sweep)")



def test_a_whole_sweeps_replications_read_in_one_query_say_which_job_each_row_is(basic):
    """Every job's ``replications.parquet`` in one read: the identity columns tell the jobs
    apart, and a question of the whole sweep is one group-by."""
    _, folder, _ = basic
    files = sorted(folder.glob("*/replications.parquet"))
    assert len(files) == 4
    rows = pd.read_parquet(files)  # the whole sweep, one query
    jobs = rows.groupby(["run_seed", "run_config_sha256"])
    assert jobs.ngroups == 4 and rows["run_scenario"].notna().all()
    for job in (f.parent for f in files):
        manifest_ = json.loads((job / "manifest.json").read_text())
        part = jobs.get_group((manifest_["seed"], manifest_["config_sha256"]))
        assert len(part) == manifest_["replications"] and part["replication"].is_unique
        own = pd.read_parquet(job / "replications.parquet")
        assert part["all_operational_day"].tolist() == own["all_operational_day"].tolist()
    # the grid delay is in the config hash, not a column: join the sweep's table by job
    by_job = {json.loads((folder / str(j) / "manifest.json").read_text())["config_sha256"]: d
              for j, d in pd.read_csv(folder / "sweep.csv")[
                  ["job", "power.grid_delay_months"]].itertuples(index=False)}
    idle = rows.groupby(rows["run_config_sha256"].map(by_job))["idle_gpu_months"].mean()
    assert idle[12] > idle[0]

def test_joblib_gives_the_same_sweep_csv_as_the_basic_launcher(basic, tmp_path):
    proc = run_cli("-m", *GRID, "hydra/launcher=joblib", "hydra.launcher.n_jobs=2",
                   cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "Joblib.Parallel" in proc.stdout
    folder = only_sweep(tmp_path)  # every job wrote into the one sweep folder
    assert sorted(p.name for p in folder.iterdir() if p.is_dir()) == ["0", "1", "2", "3"]
    pd.testing.assert_frame_equal(numbers(folder), numbers(basic[1]))


def test_ray_runs_a_2_job_sweep_with_the_same_numbers(basic, tmp_path, one_ray_at_a_time):
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


def test_ray_cluster_without_a_cluster_is_refused_and_leaves_no_folder(tmp_path,
                                                                        one_ray_at_a_time):
    pytest.importorskip("hydra_plugins.hydra_ray_launcher")
    proc = run_cli("-m", "seed=0,1", "hydra/launcher=ray_cluster", "horizon=2026-03-30",
                   cwd=tmp_path, env={"RAY_ADDRESS": ""})
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.startswith("error: Could not find any running Ray instance")
    assert len(proc.stderr.strip().splitlines()) == 1 and "Traceback" not in proc.stderr
    assert not (tmp_path / "results").exists()


def test_goal_seek_runs_trials_and_a_longer_delay_scores_worse(tmp_path):
    pytest.importorskip("hydra_plugins.hydra_optuna_sweeper")
    proc = run_cli("-m", "hydra/sweeper=goal_seek", "objective=all_operational_days_after_2030",
                   "hydra.sweeper.n_trials=4", "power.grid_delay_months=interval(0,6)",
                   # no refusal: the connection works, not a reinforcement, set the date
                   "power.approval_p.capital=1", "power.approval_p.non_capital=1",
                   "horizon=2040-12-31", cwd=tmp_path)
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
    best_delay = best["best_params"]["power.grid_delay_months"]
    assert any(best_delay == pytest.approx(d) for d in delays[scores == scores.min()])
    assert "goal seek: all_operational_days_after_2030" in proc.stdout
    assert (folder / "outputs_vs_power.grid_delay_months.png").stat().st_size > 0


@pytest.mark.parametrize("args, fragment", [
    (["objective=nonsense", "seed=0,1"], "'nonsense' is not a headline figure of these seeds; "
                                           "choose one of"),
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
    assert sweep_report.crossing(table, "delay", "days") == \
        "days <= 0 up to delay=3; > 0 from delay=6 (of 4 jobs)"
    assert "is > 0 at every delay" in sweep_report.crossing(table[table["days"] > 0], "delay",
                                                            "days")
    assert sweep_report.crossing(table, "delay", "days", bound=50) == \
        "days <= 50 up to delay=6; > 50 from delay=9 (of 4 jobs)"


def test_overridden_values_are_parsed_as_hydra_parses_them():
    values = sweep_report.overridden_values(["+scenario=slow_power", "power.grid_delay_months=6.5",
                                      "seed=3", "horizon=2027-06-30",
                                      "sites.slip_months={dist:uniform,low:0,high:12}"])
    assert values == {"scenario": "slow_power", "power.grid_delay_months": 6.5, "seed": 3,
                      "horizon": "2027-06-30",
                      "sites.slip_months": "{dist:uniform,low:0,high:12}"}


# --- resume and failures ---------------------------------------------------------------------

def manifests(folder: Path) -> dict[str, str]:
    """job -> its manifest's text, for the jobs marked complete."""
    return {p.parent.name: p.read_text() for p in folder.glob("*/manifest.json")}


def test_a_sweep_killed_halfway_resumes_skipping_finished_jobs(basic, tmp_path):
    folder = tmp_path / "results" / "multirun" / "grid"
    args = [sys.executable, "-m", "sim", "-m", *GRID, f"hydra.sweep.dir={folder}", *QUICK]
    proc = subprocess.Popen(args, cwd=tmp_path, env=cli_env(), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 120
    while not (folder / "1" / "manifest.json").exists() or not (folder / "2").is_dir():
        assert proc.poll() is None and time.monotonic() < deadline, "the sweep ended first"
        time.sleep(0.02)
    os.killpg(proc.pid, signal.SIGKILL)  # the launcher and its Monte Carlo workers
    proc.wait()
    killed = manifests(folder)
    assert {"0", "1"} <= set(killed) and len(killed) < 4, sorted(killed)
    assert not (folder / "sweep.csv").exists()
    mtimes = {job: (folder / job / "summary.json").stat().st_mtime_ns for job in killed}

    again = run_cli("-m", *GRID, f"hydra.sweep.dir={folder}", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    skipped = {line.split(":")[0].split()[1] for line in again.stdout.splitlines()
               if line.startswith("job ") and line.endswith("skipped")}
    assert skipped == set(killed)  # the finished jobs are skipped, the rest run
    resumed = manifests(folder)
    assert sorted(resumed) == ["0", "1", "2", "3"]
    assert {job: resumed[job] for job in killed} == killed  # left as they were
    assert all((folder / job / "summary.json").stat().st_mtime_ns == mtimes[job]
               for job in killed)
    assert not list(folder.glob("*/.staging-*"))  # the killed job's leftovers are gone
    table = pd.read_csv(folder / "sweep.csv")
    assert sorted(table["job"]) == [0, 1, 2, 3] and table["finished"].all()
    # no job lost or duplicated: the same numbers as the sweep that was never stopped
    pd.testing.assert_frame_equal(numbers(folder), numbers(basic[1]))
    assert "sweep: 4 of 4 jobs finished" in again.stdout


def test_a_job_reruns_when_its_files_or_its_inputs_changed(tmp_path, seeds_copy):
    folder = tmp_path / "sweep"
    grid = ["seed=0,1", "horizon=2026-06-30", f"seeds_dir={seeds_copy}",
            f"hydra.sweep.dir={folder}"]
    assert run_cli("-m", *grid, cwd=tmp_path).returncode == 0
    (folder / "0" / "timeseries.csv").write_text("damaged\n")
    again = run_cli("-m", *grid, cwd=tmp_path)
    assert "job 0:" not in again.stdout and "job 1:" in again.stdout  # 0 ran, 1 skipped
    assert pd.read_csv(folder / "0" / "timeseries.csv").shape[0] > 1  # written again
    # another number of Monte Carlo workers changes no number: both jobs are skipped
    workers = run_cli("-m", *grid, "mc.n_jobs=1", "mc.progress=false", cwd=tmp_path)
    assert "job 0:" in workers.stdout and "job 1:" in workers.stdout, workers.stderr
    # a changed seed file changes the inputs of every job
    path = seeds_copy / "sources.yaml"
    path.write_text(path.read_text() + "# a note\n")
    third = run_cli("-m", *grid, cwd=tmp_path)
    assert third.returncode == 0, third.stderr
    assert "skipped" not in third.stdout


def test_a_failing_job_is_recorded_and_the_sweep_goes_on(tmp_path):
    # a bound with no objective is bad, but only in job 3: each value passes with the others'
    # first (a distribution is one value, so it cannot be bad in a combination only)
    grid = ["objective=all_operational_days_after_2030,''", "objective_at_most=null,5",
            "horizon=2026-06-30", f"hydra.sweep.dir={tmp_path / 'sweep'}"]
    proc = run_cli("-m", *grid, cwd=tmp_path)
    assert proc.returncode == 2, proc.stderr  # every failure was bad input
    assert "Traceback" not in proc.stdout + proc.stderr
    assert "Error executing job" not in proc.stdout + proc.stderr
    first, last = proc.stderr.strip().splitlines()
    assert first.startswith("error: job 3 failed: objective_at_most: 5 bounds no figure")
    assert last.startswith("error: 1 of 4 jobs failed (job 3)")
    folder = tmp_path / "sweep"
    assert sorted(manifests(folder)) == ["0", "1", "2"]  # the jobs after it ran
    failure = json.loads((folder / "3" / "error.json").read_text())
    assert failure["bad_input"] and "bounds no figure; set objective=" in failure["error"]
    table = pd.read_csv(folder / "sweep.csv").set_index("job")
    assert list(table["finished"]) == [True, True, True, False]
    assert table.loc[3, "error"] == failure["error"]
    assert table.loc[[0, 1, 2], "error"].isna().all()
    assert "job 3 failed: objective_at_most" in proc.stdout  # the report says so


def test_a_crash_in_a_job_is_recorded_with_its_traceback(tmp_path, monkeypatch):
    def crash(*args, **kwargs):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(callbacks, "study_tables", crash)
    cfg = make_cfg("horizon=2026-06-30")
    assert callbacks.run_job(cfg, tmp_path / "7", label="x", job=7, sweep_dir=tmp_path) is None
    failure = manifest.failure(tmp_path / "7")
    assert failure["error"] == "ZeroDivisionError: division by zero"
    assert not failure["bad_input"] and "Traceback" in failure["details"]
    assert not manifest.is_complete(tmp_path / "7")
    table, _ = sweep_report.table(tmp_path)
    assert table.loc[0, "error"] == failure["error"] and not table.loc[0, "finished"]


def test_sample_jobs_tries_every_swept_value_in_a_job_the_sweep_runs():
    jobs = preflight.sample_jobs(["seed=0,1,2", "+scenario=baseline,slow_power",
                                  "horizon=2030-01-01", "install.burnin_days=range(1,10)",
                                  "hydra/launcher=joblib", "hydra.sweep.dir=x",
                                  "power.derate=interval(0.5,1)"])
    assert jobs[0] == ["seed=0", "+scenario=baseline", "horizon=2030-01-01",
                       "install.burnin_days=1", "power.derate=0.5"]
    tried = {o for job in jobs for o in job}
    assert {"seed=1", "seed=2", "+scenario=slow_power", "install.burnin_days=9",
            "power.derate=1.0"} <= tried
    assert "install.burnin_days=5" not in tried  # a range: its two ends
    assert len(jobs) == 1 + 2 + 1 + 1 + 1
    for job in jobs[1:]:  # one value differs from the first job's
        assert sum(a != b for a, b in zip(job, jobs[0])) == 1


def test_a_glob_of_scenarios_sweeps_those_it_matches(tmp_path):
    proc = run_cli("-m", "+scenario=glob([*_power,fast*])", *TINY, cwd=tmp_path, quick=False)
    assert proc.returncode == 0, proc.stderr
    table = pd.read_csv(only_sweep(tmp_path) / "sweep.csv")
    assert sorted(table["scenario"]) == ["fast_track", "slow_power"] and table["finished"].all()


def test_a_sweep_of_the_same_command_resumes_with_other_workers_but_not_other_values(tmp_path):
    folder = tmp_path / "s"
    first = run_cli("-m", "seed=0,1", *TINY, f"hydra.sweep.dir={folder}", cwd=tmp_path,
                    quick=False)
    assert first.returncode == 0, first.stderr
    # the same sweep, with a launcher and worker count that change no number: resumed
    same = run_cli("-m", "seed=0,1", *TINY, "mc.n_jobs=2", "hydra/launcher=joblib",
                   f"hydra.sweep.dir={folder}", cwd=tmp_path, quick=False)
    assert same.returncode == 0, same.stderr
    assert same.stdout.count("skipped") == 2
    other = run_cli("-m", "seed=0,5", *TINY, f"hydra.sweep.dir={folder}", cwd=tmp_path,
                    quick=False)
    assert other.returncode == 2 and "holds another sweep (seed=0,1" in other.stderr
    assert pd.read_csv(folder / "sweep.csv")["seed"].tolist() == [0, 1]
