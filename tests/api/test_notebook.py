"""The example notebook runs as a user runs it, and the API's docstring examples hold."""

from __future__ import annotations

import doctest
import json
import subprocess
import sys

import pytest
from conftest import ROOT, cli_env

import sim.api.others
import sim.api.runs


def test_the_example_notebook_runs_and_writes_only_into_its_folder(tmp_path):
    out = tmp_path / "out"
    proc = subprocess.run([sys.executable, str(ROOT / "docs" / "examples" / "notebook.py"),
                           str(out)], cwd=tmp_path, env=cli_env(), capture_output=True,
                          text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
    assert sorted(p.name for p in out.iterdir()) == ["baseline", "comparison", "slow_power"]
    summary = json.loads((out / "slow_power" / "summary.json").read_text())
    assert summary["scenario"] == "slow_power"
    assert summary["monte_carlo"]["replications"] == 20
    assert "written and read back" in proc.stdout
    assert (out / "comparison" / "compare.csv").is_file()


@pytest.mark.parametrize("module", [sim.api.runs, sim.api.others], ids=lambda m: m.__name__)
def test_the_docstring_examples_hold(module, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0
