"""A sweep killed (SIGKILL, launcher and workers) at random points, many times over, then run
again until it ends: after every resume, each job that had finished is untouched, no job is
done twice, nothing unfinished is marked complete, and the end is the same table as a sweep
never stopped.

The kills land anywhere: while Hydra starts, mid-replication, mid-write, between jobs.
``pytest`` tries a few kill schedules (profile ``ci``); the long profile tries many more:
``HYPOTHESIS_PROFILE=long pytest tests/app/test_sweep_kills.py``.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import pandas as pd
import pytest
from conftest import TINY, cli_env, run_cli
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim.outputs.manifest import FAILURE, MANIFEST, verify

SWEEP = ["-m", "seed=0,1,2", *TINY]
JOBS = ["0", "1", "2"]
EXAMPLES = {"long": 40}.get(os.environ.get("HYPOTHESIS_PROFILE", "ci"), 3)


@pytest.fixture(scope="module")
def never_stopped(tmp_path_factory) -> pd.DataFrame:
    cwd = tmp_path_factory.mktemp("never_stopped")
    proc = run_cli(*SWEEP, "hydra.sweep.dir=s", cwd=cwd, quick=False)
    assert proc.returncode == 0, proc.stderr
    return numbers(cwd / "s")


def numbers(folder: Path) -> pd.DataFrame:
    return pd.read_csv(folder / "sweep.csv").drop(columns=["job_dir"])


def state(job: Path) -> dict[str, tuple[int, int]]:
    """Every file of a job folder: its size and last change, to tell it was not touched."""
    return {str(p.relative_to(job)): (p.stat().st_size, p.stat().st_mtime_ns)
            for p in sorted(job.rglob("*")) if p.is_file()}


def check(folder: Path, finished: dict[str, dict]) -> None:
    """After a kill or a resume: jobs finished before are untouched; a job marked complete
    has every file it lists, intact; none is both complete and failed."""
    for job, before in finished.items():
        assert state(folder / job) == before, f"job {job} was touched after it finished"
    for job in JOBS:
        path = folder / job
        if (path / MANIFEST).exists():
            verify(path, ("summary.json", "timeseries.parquet"))  # raises if not whole
            assert not (path / FAILURE).exists(), job


@settings(max_examples=EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(kills=st.lists(st.floats(min_value=0.2, max_value=9.0), min_size=1, max_size=3))
def test_a_sweep_killed_at_random_points_resumes_each_job_exactly_once(never_stopped, kills):
    cwd = Path(tempfile.mkdtemp(prefix="kills-"))
    try:
        folder = cwd / "s"
        args = [sys.executable, "-m", "sim", *SWEEP, f"hydra.sweep.dir={folder}"]
        finished: dict[str, dict] = {}
        for delay in kills:
            proc = subprocess.Popen(args, cwd=cwd, env=cli_env(), stdout=subprocess.DEVNULL,
                                    stderr=subprocess.DEVNULL, start_new_session=True)
            try:
                proc.wait(timeout=delay)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
            if folder.is_dir():
                check(folder, finished)
                finished.update({job: state(folder / job) for job in JOBS
                                 if (folder / job / MANIFEST).exists()})
        again = run_cli(*SWEEP, f"hydra.sweep.dir={folder}", cwd=cwd, quick=False)
        assert again.returncode == 0, again.stderr
        check(folder, finished)
        skipped = {line.split(":")[0].split()[1] for line in again.stdout.splitlines()
                   if line.startswith("job ") and line.endswith("skipped")}
        assert skipped == set(finished)  # each finished job skipped: none done twice
        assert all((folder / job / MANIFEST).exists() for job in JOBS)
        pd.testing.assert_frame_equal(numbers(folder), never_stopped)
    finally:
        shutil.rmtree(cwd, ignore_errors=True)
