"""Runs that cannot finish the build-out, and runs that are interrupted.

Degenerate worlds (a site that never gets power, a recipient with no site, no supply) still
end at the horizon, count the GPUs left behind and name the recipient in a warning. Ctrl-C
mid-run ends in one line and leaves no run marked complete.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time

import invariants
import pytest
from conftest import cli_env, edit_seed, record, run_cli, simulate

from sim.app.paths import SEEDS_DIR
from sim.calendar import to_date
from sim.outputs.terminal import warning_lines
from sim.seeds.files import load
from sim.study.summary import summary as run_summary


def _without_site(site: str):
    return lambda data: data["sites"].remove(record(data["sites"], id=site))


# GPUs taken on the announced dates and held, with no shared colo room to fall back on
HOLD = ("demand.timing=announced_ready", "sites.colo_mw=0", "sites.colo_growth_mw_per_quarter=0")


@pytest.mark.parametrize("overrides, seeds_change, stranded", [
    # Hyundai's one site (Saemangeum) slips 50 years: its GPUs arrive and wait for power
    (["+sites.slip_months_by_site.hyundai_saemangeum=600"], None, "hyundai"),
    # Hyundai has no site at all, and no undisclosed one: its GPUs arrive with nowhere to go
    ([], _without_site("hyundai_saemangeum"), "hyundai"),
])
def test_gpus_without_power_are_stranded_at_the_horizon_and_named(seeds_copy, overrides,
                                                                  seeds_change, stranded):
    if seeds_change:
        edit_seed(seeds_copy, "sites", seeds_change)
        (seeds_copy / "priors.yaml").unlink()
        overrides = [*overrides, f"seeds_dir={seeds_copy}"]
    cfg, out = simulate(*HOLD, *overrides)
    invariants.every_lot_accounted_for(out)
    summary = run_summary(out, cfg)
    assert summary["stranded_by_recipient"][stranded] == out.allocations[stranded]
    assert summary["all_operational_date"] is None
    ev = out.events
    assert (ev.loc[ev["event"] == "stranded", "day"] == out.horizon_day).all()
    (line,) = warning_lines(summary)
    assert f"{summary['stranded_gpus']:,} GPUs stranded without power" in line
    assert f"{stranded} {out.allocations[stranded]:,}" in line


def test_no_supply_ships_only_what_was_ordered_already_and_names_each_recipient():
    cfg, out = simulate("supply.cap_gpus_per_quarter=0")
    summary = run_summary(out, cfg)
    windows = [t.ordered for t in load(SEEDS_DIR).tranches if t.ordered]
    lots = out.lots
    shipped = lots[lots["shipped"].notna()]
    # lots reported in (Naver's first GPUs) were ordered by the day they arrived, and came
    reported = shipped[shipped["ordered"] == shipped["arrived"]]
    assert set(reported["recipient"]) == {"naver"}
    assert len(shipped) > len(reported)
    assert all(any(first <= to_date(d) <= last for first, last in windows)
               for d in shipped.drop(reported.index)["ordered"])
    left = (lots[lots["shipped"].isna()].groupby("recipient")["gpus"].sum())
    assert summary["unshipped_by_recipient"] == left.to_dict()
    for recipient in ("samsung", "sk", "hyundai"):  # nothing ordered for them yet
        assert left[recipient] == out.allocations[recipient]
    assert left["naver"] == out.allocations["naver"] - reported["gpus"].sum()
    assert summary["stranded_gpus"] == 0
    (line,) = warning_lines(summary)
    assert f"{left.sum():,} GPUs not shipped by the horizon 2034-12-31" in line
    for recipient, gpus in left.items():
        assert f"{recipient} {gpus:,}" in line


def test_the_terminal_shows_the_warning(tmp_path):
    proc = run_cli("supply.cap_gpus_per_quarter=0", "horizon=2026-06-30", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    run_dir = next((tmp_path / "results" / "baseline").iterdir())
    summary = json.loads((run_dir / "summary.json").read_text())
    unshipped = summary["unshipped_by_recipient"]
    assert set(unshipped) == {"government", "samsung", "sk", "hyundai", "naver"}
    assert (f"warning: {summary['unshipped_gpus_at_horizon']:,} GPUs not shipped by the "
            "horizon 2026-06-30: " + ", ".join(f"{r} {g:,}" for r, g in unshipped.items())
            ) in proc.stdout


def interrupt(args: list[str], cwd, started: str, after: float = 1.0) -> tuple[str, str]:
    """Run ``python -m sim ARGS``, press Ctrl-C ``after`` seconds after a path matching
    ``started`` appears, and return the last line of stderr and all the output, after
    checking that it ended in that one line with exit status 130."""
    proc = subprocess.Popen([sys.executable, "-m", "sim", *args], cwd=cwd, env=cli_env(),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not list(cwd.glob(started)):
        assert proc.poll() is None and time.monotonic() < deadline, proc.communicate()
        time.sleep(0.05)
    time.sleep(after)  # into the run itself
    assert proc.poll() is None, "the run ended before it could be interrupted"
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("interrupted: "), err
    assert "Traceback" not in out + err
    assert not list(cwd.rglob(".staging-*"))
    return lines[0], out + err


def test_ctrl_c_mid_run_ends_in_one_line_and_marks_nothing_complete(tmp_path):
    # lots of one GPU: 260,000 of them keep the model busy for several seconds
    line, _ = interrupt(["hardware.gpus_per_lot=1"], tmp_path, "results/baseline/*")
    assert "is not marked complete" in line
    assert not list(tmp_path.rglob("manifest.json"))


def test_ctrl_c_mid_sweep_keeps_finished_jobs_and_says_how_to_resume(tmp_path):
    # job 1 has started (its .hydra/ is written first) and takes about two seconds: lots
    # of four GPUs keep its model busy
    line, _ = interrupt(["-m", "seed=0,1,2", "mc.replications=30", "mc.driver_replications=2",
                         "hardware.gpus_per_lot=4", "hydra.sweep.dir=results/multirun/s"],
                        tmp_path, "results/multirun/s/1/.hydra/overrides.yaml", after=0.3)
    assert line.startswith("interrupted: results/multirun/s/1 is not marked complete")
    assert line.endswith("run the same command with hydra.sweep.dir=results/multirun/s to "
                         "resume the sweep")
    assert [p.parent.name for p in tmp_path.rglob("manifest.json")] == ["0"]
