"""Hydra's own flags keep working on ``python -m sim``: those whose work Hydra does go to
its ``@hydra.main``, and ``-cp``, ``-cn`` and ``-cd`` choose the config of a single run and
of a sweep alike (a sweep still gets its preflight)."""

from __future__ import annotations

import json
import shutil

import pytest
import yaml
from conftest import ROOT, TINY, run_cli, tree

from sim.app.paths import CONF_DIR


@pytest.mark.parametrize("flags, says", [
    (["--help"], "sim: when will the 260,000 GPUs NVIDIA pledged to Korea actually run"),
    (["-h"], "Choose a scenario:"),
    (["--hydra-help"], "== Flags =="),
    (["--version"], "Hydra 1.3"),
    (["--cfg", "job"], "horizon: '2034-12-31'"),
    (["--cfg", "hydra", "--package", "hydra.run"], "# @package hydra.run"),
    (["--cfg", "job", "--resolve", "as_of=${horizon}"], "as_of: '2034-12-31'"),
    (["-c", "job", "-p", "power"], "# @package power"),
    (["--info"], "Installed Hydra Plugins"),
    (["--info", "searchpath"], "Config search path"),
    (["--shell-completion", "install=bash"], "complete -o nospace -o default -F"),
])
def test_hydras_flags_print_what_hydra_prints_and_write_nothing(tmp_path, flags, says):
    proc = run_cli(*flags, cwd=tmp_path, quick=False)
    assert proc.returncode == 0, proc.stderr
    assert says in proc.stdout
    assert tree(tmp_path) == {}


def test_the_help_lists_the_scenarios():
    proc = run_cli("--help", cwd=ROOT, quick=False)
    assert "slow_power" in proc.stdout and "worst_case" in proc.stdout


@pytest.mark.parametrize("flags, says", [
    (["--resolve"], "error: command line: The --resolve flag can only be used in conjunction "
                    "with --cfg or --help"),
    (["--cfg", "job", "+scenario=sunny"], "error: scenario: 'sunny' is not one of baseline"),
    (["--info", "nonsense"], "error: command line: argument --info/-i: invalid choice"),
])
def test_a_bad_flag_is_refused_in_one_line(tmp_path, flags, says):
    proc = run_cli(*flags, cwd=tmp_path, quick=False)
    assert proc.returncode == 2, proc.stderr
    (line,) = proc.stderr.splitlines()
    assert line.startswith(says), line


@pytest.fixture
def extra(tmp_path):
    """A --config-dir of the user's: a scenario of their own, a config that sweeps, and one
    that would make Hydra write into the run's folder."""
    folder = tmp_path / "extra"
    (folder / "scenario").mkdir(parents=True)
    (folder / "scenario" / "mine.yaml").write_text("# @package _global_\nscenario: mine\n"
                                                   "seed: 5\n")
    (folder / "sweeps.yaml").write_text("defaults:\n  - config\n  - _self_\nhydra:\n  mode: "
                                        "MULTIRUN\n  sweeper:\n    params:\n      seed: 0,1\n")
    (folder / "writes.yaml").write_text("defaults:\n  - config\n  - _self_\nhydra:\n"
                                        "  output_subdir: .hydra\n")
    return folder


def test_config_dir_adds_a_scenario_to_a_single_run(tmp_path, extra):
    proc = run_cli("-cd", "extra", "+scenario=mine", *TINY, "hydra.run.dir=run",
                   cwd=tmp_path, quick=False)
    assert proc.returncode == 0, proc.stderr
    summary = json.loads((tmp_path / "run" / "summary.json").read_text())
    assert (summary["scenario"], summary["seed"]) == ("mine", 5)
    assert not (tmp_path / "run" / "cli.log").exists()


def test_config_name_from_the_config_dir_sweeps_through_its_preflight(tmp_path, extra):
    bad = run_cli("-cd", "extra", "-cn", "sweeps", *TINY, "power.approval_p.capital=3",
                  cwd=tmp_path, quick=False)
    assert bad.returncode == 2, bad.stderr
    assert bad.stderr.splitlines() == ["error: power.approval_p.capital: 3.0 is not allowed; "
                                       "need a probability in [0, 1]"]
    assert sorted(tree(tmp_path)) == sorted(tree(extra.parent))  # nothing written
    assert not (tmp_path / "results").exists()
    good = run_cli("-cd", "extra", "-cn", "sweeps", *TINY, "hydra.sweep.dir=s", cwd=tmp_path,
                   quick=False)
    assert good.returncode == 0, good.stderr
    assert sorted(p.name for p in (tmp_path / "s").iterdir() if p.is_dir()) == ["0", "1"]


def test_a_config_file_that_makes_hydra_write_into_the_run_is_refused(tmp_path, extra):
    proc = run_cli("-cd", "extra", "-cn", "writes", *TINY, cwd=tmp_path, quick=False)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.startswith("error: hydra.output_subdir: '.hydra' is not allowed")
    assert not (tmp_path / "results").exists()


def test_config_path_names_another_config_folder(tmp_path):
    mine = tmp_path / "myconf"
    shutil.copytree(CONF_DIR, mine)
    config = yaml.safe_load((mine / "config.yaml").read_text())
    assert config["seed"] == 0
    text = (mine / "config.yaml").read_text().replace("\nseed: 0 ", "\nseed: 11 ", 1)
    (mine / "config.yaml").write_text(text)
    proc = run_cli("-cp", str(mine), *TINY, "hydra.run.dir=run", cwd=tmp_path, quick=False)
    assert proc.returncode == 0, proc.stderr
    assert json.loads((tmp_path / "run" / "summary.json").read_text())["seed"] == 11
    missing = run_cli("-cp", str(tmp_path / "nowhere"), *TINY, cwd=tmp_path, quick=False)
    assert missing.returncode == 2
    assert missing.stderr.startswith("error: --config-path: ")
