"""Shared helpers: compose configs the way the command line does, run the model, run the CLI."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hydra import compose, initialize_config_dir

from sim import cli
from sim.config import CONF_DIR, SEEDS_DIR
from sim.runner import run

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = sorted(p.stem for p in (CONF_DIR / "scenario").glob("*.yaml"))


def make_cfg(*overrides: str):
    """The composed config for ``overrides``, exactly as ``python -m sim`` would build it."""
    cli.register()
    with initialize_config_dir(config_dir=str(CONF_DIR), version_base="1.3"):
        return compose(config_name="config", overrides=list(overrides))


def simulate(*overrides: str):
    """``(resolved config, RunOutput)`` for ``overrides``."""
    return run(make_cfg(*overrides))


QUICK = ("mc.replications=4", "mc.driver_replications=2")
"""A few replications: enough for tests of the command line that are not about the numbers."""


def run_cli(*args: str, cwd: Path, env: dict | None = None, module: str = "sim",
            quick: bool = True) -> subprocess.CompletedProcess:
    """``python -m sim ARGS`` (or another ``module``) as a user runs it, in ``cwd``; for
    ``sim``, with :data:`QUICK` Monte Carlo settings last unless ``quick=False``."""
    full_env = {**os.environ, "MPLBACKEND": "Agg", **(env or {})}
    full_env.pop("HYDRA_FULL_ERROR", None)
    first = QUICK if module == "sim" and quick else ()
    return subprocess.run([sys.executable, "-m", module, *map(str, args), *first], cwd=cwd,
                          env=full_env, capture_output=True, text=True, timeout=300)


@pytest.fixture
def seeds_copy(tmp_path) -> Path:
    """A private copy of the seed files, for tests that break or change them."""
    folder = tmp_path / "seeds"
    shutil.copytree(SEEDS_DIR, folder)
    return folder


@pytest.fixture(scope="session")
def baseline():
    return simulate()


@pytest.fixture(scope="session")
def slow_power():
    return simulate("+scenario=slow_power")
