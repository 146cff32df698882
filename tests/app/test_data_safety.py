"""Nothing the user has is lost, and nothing unfinished passes for finished: a refused run
leaves a finished run byte for byte as it was, folders are locked while written, a full disk
ends in one line with nothing marked complete, a run that loses GPUs is never marked complete,
two sweeps never share a folder, and Ctrl-C during compare leaves nothing behind."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import TINY, cli_env, run_cli, tree
from faults import run_with_fault


@pytest.fixture
def done(tmp_path, finished) -> Path:
    """A finished run of the user's, in ``tmp_path/run``."""
    shutil.copytree(finished["run"], tmp_path / "run")
    return tmp_path / "run"


@pytest.mark.parametrize("args", [
    ("seed=-1",),  # bad input
    ("logistics.ship_days={dist:uniform,low:5}",),  # a partial distribution
    ("seeds_dir=nowhere",),  # no seed files
    TINY,  # good input, but the folder holds a finished run and overwrite is not set
])
def test_a_refused_run_leaves_a_finished_run_byte_identical(tmp_path, done, args):
    before = tree(tmp_path)
    proc = run_cli("hydra.run.dir=run", *args, cwd=tmp_path, quick=False)
    assert proc.returncode == 2 and len(proc.stderr.splitlines()) == 1, proc.stderr
    assert tree(tmp_path) == before


def test_overwrite_true_replaces_a_finished_run_with_a_complete_one(tmp_path, done):
    old = json.loads((done / "manifest.json").read_text())
    proc = run_cli("hydra.run.dir=run", *TINY, "seed=5", "overwrite=true", cwd=tmp_path,
                   quick=False)
    assert proc.returncode == 0, proc.stderr
    new = json.loads((done / "manifest.json").read_text())
    assert new["seed"] == 5 and old["seed"] == 0
    assert json.loads((done / "summary.json").read_text())["seed"] == 5
    assert set(new["files"]) >= {".hydra/overrides.yaml", "summary.json", "plots/fan.png"}


HOLD = """
import fcntl, os, sys, time
fd = os.open(sys.argv[1], os.O_RDONLY)
fcntl.flock(fd, fcntl.LOCK_EX)
print("locked", flush=True)
time.sleep(60)
"""


def holding_a_lock(folder: Path) -> subprocess.Popen:
    """Another process that holds ``folder``'s lock, as a run or sweep writing there does."""
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(folder)], stdout=subprocess.PIPE,
                              text=True)
    assert holder.stdout.readline().strip() == "locked"
    return holder


@pytest.mark.parametrize("args, says", [
    (("hydra.run.dir=busy",), "hydra.run.dir: another run is writing into busy"),
    (("-m", "seed=0,1", "hydra.sweep.dir=busy"), "hydra.sweep.dir: another sweep is running "
                                                 "in busy"),
])
def test_a_folder_another_process_writes_into_is_refused(tmp_path, args, says):
    (tmp_path / "busy").mkdir()
    holder = holding_a_lock(tmp_path / "busy")
    try:
        proc = run_cli(*args, *TINY, cwd=tmp_path, quick=False)
    finally:
        holder.kill()
        holder.wait()
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.splitlines() == [f"error: {says}; wait for it to end, or give another "
                                        f"{'hydra.sweep.dir' if 'sweep' in says else 'folder'}"]
    assert list((tmp_path / "busy").iterdir()) == []


def test_two_sweeps_started_into_one_folder_at_once_never_mix(tmp_path):
    args = [sys.executable, "-m", "sim", "-m", "seed=0,1,2", *TINY, "hydra.sweep.dir=s"]
    procs = [subprocess.Popen(args, cwd=tmp_path, env=cli_env(), stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for _ in range(2)]
    results = [(p.wait(timeout=300), p.stderr.read()) for p in procs]
    assert any(code == 0 for code, _ in results), results
    for code, err in results:  # the other either was refused or resumed the finished sweep
        assert code == 0 or (code == 2 and err.strip() == (
            "error: hydra.sweep.dir: another sweep is running in s; wait for it to end, or "
            "give another hydra.sweep.dir")), err
    for job in "012":
        assert (tmp_path / "s" / job / "manifest.json").is_file()
        assert not (tmp_path / "s" / job / "error.json").exists()
    assert not list(tmp_path.rglob(".staging-*"))


def write_log(tmp_path: Path) -> list[str]:
    """The writes of a tiny run, in order, as the fault module sees them."""
    log = tmp_path / "writes.log"
    (tmp_path / "clean").mkdir()
    proc = run_with_fault("disk_full_at", 0, *TINY, cwd=tmp_path / "clean",
                          env={"SIM_FAULT_LOG": str(log)})
    assert proc.returncode == 0, proc.stderr
    return log.read_text().split()


def test_a_full_disk_at_any_write_ends_in_one_line_with_nothing_left(tmp_path):
    writes = write_log(tmp_path)
    # the first write, the summary, a plot, the first and a later move, the manifest
    points = sorted({1, writes.index("write_text") + 1, writes.index("savefig") + 1,
                     writes.index("os.replace") + 1, writes.index("os.replace") + 8,
                     len(writes) - 1, len(writes)})
    assert writes[-2:] == ["write_text", "os.replace"]  # the manifest, last
    for n in points:
        cwd = tmp_path / f"full-at-{n}"
        cwd.mkdir()
        (cwd / "notes.txt").write_text("the user's own file\n")
        proc = run_with_fault("disk_full_at", n, *TINY, cwd=cwd)
        assert proc.returncode == 1, (n, proc.stderr)
        (line,) = proc.stderr.splitlines()
        assert line.startswith("error: cannot write "), line
        assert line.endswith(": No space left on device; nothing was marked complete"), line
        assert "Traceback" not in proc.stdout
        assert tree(cwd) == {"notes.txt": tree(cwd)["notes.txt"]}, (n, tree(cwd))


def test_a_full_disk_in_a_sweep_marks_no_job_complete(tmp_path):
    proc = run_with_fault("disk_full_at", 3, "-m", "seed=0,1", *TINY, "hydra.sweep.dir=s",
                          cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr
    assert not list(tmp_path.rglob("manifest.json"))
    assert not list(tmp_path.rglob(".*.tmp")) and not list(tmp_path.rglob(".staging-*"))
    for line in proc.stderr.splitlines():
        assert line.startswith("error: "), line


def test_a_run_that_loses_gpus_fails_loudly_and_is_never_marked_complete(tmp_path):
    proc = run_with_fault("lose_lots", 10, *TINY, cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    (line,) = proc.stderr.splitlines()
    assert line.startswith("error: GPUs not conserved in replication 0: government has ")
    assert "but its allocation is 50,000; this is a fault in the model" in line
    assert not (tmp_path / "results").exists()
    # in a sweep, the job fails, is recorded as a fault (not bad input), and is not complete
    sweep = run_with_fault("lose_lots", 10, "-m", "seed=0", *TINY, "hydra.sweep.dir=s",
                           cwd=tmp_path)
    assert sweep.returncode == 1, sweep.stderr
    failure = json.loads((tmp_path / "s" / "0" / "error.json").read_text())
    assert failure["error"].startswith("ConservationError: GPUs not conserved")
    assert failure["bad_input"] is False
    assert not (tmp_path / "s" / "0" / "manifest.json").exists()


def test_ctrl_c_during_compare_leaves_nothing_behind(tmp_path, finished):
    shutil.copytree(finished["sweep"], tmp_path / "sweep")
    before = tree(tmp_path)
    interrupted = 0
    for attempt in range(3):
        proc = subprocess.Popen([sys.executable, "-m", "sim.compare", "sweep"], cwd=tmp_path,
                                env=cli_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True)
        deadline = time.monotonic() + 60
        while not list(tmp_path.glob("results/compare/.staging-*")):
            assert proc.poll() is None and time.monotonic() < deadline, proc.communicate()
            time.sleep(0.01)
        proc.send_signal(signal.SIGINT)  # while it writes the comparison
        out, err = proc.communicate(timeout=60)
        assert "Traceback" not in out + err
        if proc.returncode == 130:
            interrupted += 1
            assert err.splitlines() == ["interrupted: nothing written"]
            assert tree(tmp_path) == before  # no staging folder, no results/compare/
        else:  # it had finished: the comparison is whole
            assert proc.returncode == 0, err
            (out_dir,) = (tmp_path / "results" / "compare").iterdir()
            assert {p.name for p in out_dir.iterdir()} == {
                "compare.csv", "operational.png", "power.png", "milestones.png"}
            shutil.rmtree(tmp_path / "results")
    assert interrupted >= 1


@pytest.mark.skipif(os.name != "posix", reason="folder locks are POSIX")
def test_a_folder_lock_is_held_until_the_process_ends(tmp_path):
    from sim.app import folders

    holder = holding_a_lock(tmp_path)
    try:
        assert not folders.lock(tmp_path)
    finally:
        holder.kill()
        holder.wait()
    assert folders.lock(tmp_path)  # free once the holder is gone
