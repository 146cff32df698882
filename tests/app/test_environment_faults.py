"""Faults of the environment end in one line or a complete run, never a traceback or a
half-written folder: SIGTERM and SIGHUP as Ctrl-C (a run, a sweep, a comparison), a full
disk while a sweep's report or a comparison is written, a closed standard output, a deleted
working directory, a home folder that is missing or read-only."""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import TINY, cli_env, run_cli, tree
from faults import run_with_fault


def stop(args: list[str], cwd: Path, started: str, signum: int, module: str = "sim",
         after: float = 0.5) -> tuple[int, list[str]]:
    """Run ``python -m MODULE ARGS``, send ``signum`` ``after`` seconds after a path matching
    ``started`` appears; its exit status and the lines of its stderr."""
    proc = subprocess.Popen([sys.executable, "-m", module, *args], cwd=cwd, env=cli_env(),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while not list(cwd.glob(started)):
        assert proc.poll() is None and time.monotonic() < deadline, proc.communicate()
        time.sleep(0.02)
    time.sleep(after)
    assert proc.poll() is None, "it ended before the signal"
    proc.send_signal(signum)
    out, err = proc.communicate(timeout=120)
    assert "Traceback" not in out + err
    return proc.returncode, err.splitlines()


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_sigterm_and_sighup_stop_a_run_as_ctrl_c_does(tmp_path, signum):
    code, lines = stop(["hardware.gpus_per_lot=1"], tmp_path, "results/baseline/*", signum,
                       after=1.0)
    assert code == 128 + signum
    assert len(lines) == 1 and lines[0].startswith("interrupted: results/baseline/")
    assert lines[0].endswith("is not marked complete")
    assert not list(tmp_path.rglob("manifest.json")) and not list(tmp_path.rglob(".staging-*"))


def test_sigterm_mid_sweep_keeps_finished_jobs_and_says_how_to_resume(tmp_path):
    code, lines = stop(["-m", "seed=0,1,2", "mc.replications=30", "mc.driver_replications=2",
                        "hardware.gpus_per_lot=4", "hydra.sweep.dir=s"], tmp_path,
                       "s/1/.hydra/overrides.yaml", signal.SIGTERM, after=0.3)
    assert code == 128 + signal.SIGTERM
    assert lines == ["interrupted: s/1 is not marked complete; run the same command with "
                     "hydra.sweep.dir=s to resume the sweep"]
    assert [p.parent.name for p in tmp_path.rglob("manifest.json")] == ["0"]
    assert not list(tmp_path.rglob(".staging-*"))


def test_sigterm_during_a_comparison_leaves_nothing_behind(tmp_path, finished):
    shutil.copytree(finished["sweep"], tmp_path / "sweep")
    before = tree(tmp_path)
    code, lines = stop(["sweep"], tmp_path, "results/compare/.staging-*", signal.SIGTERM,
                       module="sim.compare", after=0.0)
    if code == 0:
        pytest.skip("the comparison was written before the signal came")
    assert code == 128 + signal.SIGTERM and lines == ["interrupted: nothing written"]
    assert tree(tmp_path) == before


def test_a_full_disk_while_the_sweep_report_is_written_leaves_no_part_of_it(tmp_path):
    log = tmp_path / "writes.log"
    sweep = ["-m", "seed=0,1", *TINY, "hydra.sweep.dir=s"]
    (tmp_path / "clean").mkdir()
    assert run_with_fault("disk_full_at", 0, *sweep, cwd=tmp_path / "clean",
                          env={"SIM_FAULT_LOG": str(log)}).returncode == 0
    writes = log.read_text().split()
    report = [p for p in (tmp_path / "clean" / "s").iterdir() if p.is_file()]
    assert {"sweep.csv", "report.html"} <= {p.name for p in report}
    for n in (len(writes), len(writes) - 1, len(writes) - len(report)):  # moves, a figure
        cwd = tmp_path / f"full-at-{n}"
        cwd.mkdir()
        proc = run_with_fault("disk_full_at", n, *sweep, cwd=cwd)
        assert proc.returncode == 1, (n, proc.stderr)
        assert "Traceback" not in proc.stdout + proc.stderr
        (line,) = proc.stderr.splitlines()
        assert line.startswith("error: cannot write the sweep report: No space left on device; "
                               "nothing of it was written; the jobs' folders in s are complete")
        assert sorted(p.name for p in (cwd / "s").iterdir()) == ["0", "1", "multirun.yaml"]
        assert all((cwd / "s" / job / "manifest.json").is_file() for job in "01")


def test_a_full_disk_while_a_comparison_is_written_leaves_nothing(tmp_path, finished):
    shutil.copytree(finished["sweep"], tmp_path / "sweep")
    before = tree(tmp_path)
    for n in (1, 2, 5):  # compare.csv, a figure, report.html
        proc = run_with_fault("disk_full_at", n, "sweep", cwd=tmp_path, module="sim.compare")
        assert proc.returncode == 1, (n, proc.stderr)
        assert proc.stderr.splitlines() == ["error: cannot write the comparison: No space left "
                                            "on device; nothing written"]
        assert tree(tmp_path) == before


@pytest.mark.parametrize("args", [TINY, ("-m", "seed=0,1", *TINY, "hydra.sweep.dir=s")],
                         ids=["run", "sweep"])
def test_a_closed_standard_output_still_gives_a_complete_run(tmp_path, args):
    proc = subprocess.Popen([sys.executable, "-m", "sim", *args], cwd=tmp_path, env=cli_env(),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.close()  # as `python -m sim | head -0`: nobody reads what it prints
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=300) == 0, err
    assert err == ""
    manifests = list(tmp_path.rglob("manifest.json"))
    assert len(manifests) == (2 if "-m" in args else 1)
    for manifest in manifests:
        assert json.loads(manifest.read_text())["complete"]


@pytest.mark.parametrize("module", ["sim", "sim.compare", "sim.validate"])
def test_a_deleted_working_directory_is_refused_in_one_line(tmp_path, module):
    gone = tmp_path / "gone"
    gone.mkdir()
    args = {"sim": " ".join(TINY), "sim.compare": "run", "sim.validate": "--replications 2"}
    proc = subprocess.run(["sh", "-c", f'cd "{gone}" && rmdir "{gone}" && exec '
                                       f'"{sys.executable}" -m {module} {args[module]}'],
                          env=cli_env(), capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.splitlines() == ["error: working directory: it no longer exists "
                                        "(deleted or moved); cd to a folder that exists and "
                                        "run again"]
    assert not gone.exists()


@pytest.mark.parametrize("home", ["missing", "a file", "read-only"])
def test_a_home_folder_that_cannot_be_written_still_gives_a_complete_run(tmp_path, home):
    where = {"missing": tmp_path / "nobody", "a file": tmp_path / "home.txt",
             "read-only": Path("/proc")}[home]
    if home == "a file":
        where.write_text("not a folder\n")
    cwd = tmp_path / "work"
    cwd.mkdir()
    env = {"HOME": str(where), "XDG_CONFIG_HOME": "", "XDG_CACHE_HOME": "", "MPLCONFIGDIR": ""}
    proc = run_cli(*TINY, cwd=cwd, env=env, quick=False)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    assert len(list(cwd.rglob("manifest.json"))) == 1 and list(cwd.rglob("plots/fan.png"))
