"""sim.api as a notebook uses it: settings and overrides, its errors (one line, never an
exit), the folder it writes (what the command line writes), and what it loads."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from conftest import TINY, run_cli
from hydra.core.override_parser.overrides_parser import OverridesParser

from sim import api
from sim.api.runs import overrides_of
from sim.calendar import to_date
from sim.outputs.machine import RUN_COLUMNS

QUICK = dict(replications=2, horizon="2026-03-30", drivers=False, n_jobs=1)


@pytest.fixture(scope="module")
def tiny():
    return api.study(**QUICK)


def test_settings_become_overrides_that_read_back_unchanged():
    odd = "/tmp/a folder/it's \\ here\\"
    lines = overrides_of(("seed=3",), {"seeds_dir": odd, "replications": 5, "drivers": False,
                                       "formats": ["png", "svg"], "as_of": "2026-01-31"})
    parsed = {o.key_or_group: o.value() for o in OverridesParser.create().parse_overrides(lines)}
    assert parsed == {"seed": 3, "seeds_dir": odd, "mc.replications": 5, "mc.drivers": False,
                      "outputs.formats": ["png", "svg"], "as_of": "2026-01-31",
                      "mc.progress": False}


@pytest.mark.parametrize("call, says", [
    (lambda: api.study(replicatons=3), "setting 'replicatons': unknown; allowed: scenario, "
                                       "replications"),
    (lambda: api.study("seed=-1", **QUICK), "seed: -1 is not allowed"),
    (lambda: api.study("+scenario=sunny"), "scenario: 'sunny' is not one of baseline"),
    (lambda: api.study("power.grid_dealy_months=3"), "power.grid_dealy_months: unknown key"),
    (lambda: api.study("seed=0,1"), "Ambiguous value for argument 'seed=0,1'"),
    (lambda: api.study(3), "override 3: is not a string"),
    (lambda: api.study(replications=0), "mc.replications: 0 is not allowed"),
    (lambda: api.load("nowhere"), "nowhere: no such folder"),
    (lambda: api.compare(), "compare: no folder given"),
    (lambda: api.validate(dates=["2020-01-01"], replications=2), "2020-01-01"),
])
def test_bad_input_raises_input_error_in_one_line_never_an_exit(call, says):
    with pytest.raises(api.InputError) as err:
        call()
    assert says in str(err.value) and "\n" not in str(err.value)


def test_results_hold_every_table_and_write_only_when_asked(tiny, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert tiny.summary["monte_carlo"]["replications"] == 2
    assert set(tiny.timeseries["recipient"]) >= {"total", "government"}
    assert len(tiny.replications) == 2 and "risk" in tiny.drivers.columns
    assert {"event", "day"} <= set(tiny.events.columns) and len(tiny.sites)
    assert tiny.config.mc.replications == 2 and tiny.config.seed == 0
    assert list(tmp_path.iterdir()) == []  # nothing written by the study


def test_write_gives_what_the_command_line_writes(tiny, tmp_path):
    folder = tiny.write(tmp_path / "api")
    proc = run_cli(*TINY, "mc.progress=false", "hydra.run.dir=cli", cwd=tmp_path, quick=False)
    assert proc.returncode == 0, proc.stderr
    ours = json.loads((folder / "manifest.json").read_text())
    theirs = json.loads((tmp_path / "cli" / "manifest.json").read_text())
    assert set(ours["files"]) == set(theirs["files"])
    for name in ("summary.json", "timeseries.csv", "milestones.csv", "drivers.csv",
                 "config.yaml", ".hydra/config.yaml"):
        assert ours["files"][name] == theirs["files"][name], name
    assert ours["config_sha256"] == theirs["config_sha256"]


def test_a_folder_is_written_once_and_replaced_only_when_asked(tiny, tmp_path):
    folder = tiny.write(tmp_path / "run")
    with pytest.raises(api.InputError, match="is a finished run"):
        tiny.write(folder)
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.md").write_text("the user's\n")
    with pytest.raises(api.InputError, match="holds other files"):
        tiny.write(tmp_path / "mine")
    before = json.loads((folder / "manifest.json").read_text())
    tiny.write(folder, overwrite=True)
    assert json.loads((folder / "manifest.json").read_text())["files"] == before["files"]


def test_load_verifies_and_a_loaded_run_writes_the_same_files(tiny, tmp_path):
    folder = tiny.write(tmp_path / "run")
    again = api.load(folder)
    assert again.summary == tiny.summary
    # the files' tables: the study's columns, then the run's identity in every row
    assert list(again.timeseries.columns) == [*tiny.timeseries.columns, *RUN_COLUMNS]
    assert (again.replications["run_seed"] == tiny.summary["seed"]).all()
    day = again.replications["all_operational_day"]
    dates = again.replications["all_operational_date"]  # a date, at midnight
    assert [None if pd.isna(t) else t.date() for t in dates] == [
        to_date(d) if np.isfinite(d) else None for d in day]
    copy = again.write(tmp_path / "copy")
    assert json.loads((copy / "manifest.json").read_text()) == \
        json.loads((folder / "manifest.json").read_text())
    (folder / "summary.json").write_text("{}")
    with pytest.raises(api.InputError, match="does not match its checksum"):
        api.load(folder)


def test_compare_and_validate_hold_their_tables_and_write_them(tiny, tmp_path):
    other = api.study(**{**QUICK, "seed": 1})
    c = api.compare(tiny.write(tmp_path / "a"), other.write(tmp_path / "b"))
    assert set(c.table["run"]) == {"baseline", "baseline seed=1"} and "[1]" in c.text
    out = c.write(tmp_path / "cmp")
    assert {p.name for p in out.iterdir()} >= {"compare.csv", "report.html"}
    v = api.validate(dates=["2025-11-30", "2026-03-31"], replications=2)
    assert v.calibration["scored"] == len(v.hindcasts) > 0
    assert (v.write(tmp_path / "val") / "hindcasts.csv").is_file()
