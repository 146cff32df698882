"""``python -m sim -m ...``, and the flags whose work Hydra does: Hydra's ``@hydra.main``.

A multirun needs Hydra itself: its sweepers (basic, Optuna), its launchers (basic, joblib,
Ray) and the callbacks that start and end a sweep (:mod:`sim.app.callbacks`). This module
is that Hydra app. It is the program of a multirun, and the workers of a launcher import it
to unpickle its task function, so it sets up what a composition of ``sim``'s configs needs
for its whole process (:func:`sim.app.compose.install`); nothing else imports it, and
:mod:`sim.api` never does.

:mod:`sim.app.cli` checks everything first (the sweep's preflight, Hydra's settings) and
then hands the command line to :func:`run`. While Hydra runs, ``HYDRA_FULL_ERROR=1``, so
that an error reaches :mod:`sim.app.cli` raised and is told there in one line (set it
yourself to see the traceback).
"""

from __future__ import annotations

import os
import sys
import warnings
from pathlib import Path

import hydra
from hydra.core.hydra_config import HydraConfig
from hydra.types import RunMode
from omegaconf import DictConfig

from sim.app import compose
from sim.app.callbacks import run_job
from sim.app.paths import CONF_DIR
from sim.errors import InputError
from sim.outputs.labels import label

compose.install()


@hydra.main(version_base="1.3", config_path=str(CONF_DIR), config_name="config")
def app(cfg: DictConfig) -> float | None:
    """One job of a sweep; returns the headline figure named by ``objective`` (None if
    unset), for a sweeper that minimizes it."""
    hydra_cfg = HydraConfig.get()
    if hydra_cfg.mode != RunMode.MULTIRUN:  # only --experimental-rerun gets here
        raise InputError("--experimental-rerun", "is not supported: a run writes no config "
                                                 "pickle; run the command in the run's "
                                                 "report.html again instead")
    overrides = list(hydra_cfg.overrides.task)
    return run_job(cfg, Path(hydra_cfg.runtime.output_dir), label=label(cfg.scenario, overrides),
                   job=hydra_cfg.job.num, sweep_dir=Path(hydra_cfg.sweep.dir),
                   hydra=HydraConfig.instance().cfg)


def run(argv: list[str]) -> None:
    """Run Hydra's app on the command line ``argv``; Hydra's errors are raised."""
    warnings.filterwarnings("ignore", message=compose.RAY_SCHEMA_WARNING)
    saved_argv, saved = sys.argv, os.environ.get("HYDRA_FULL_ERROR")
    sys.argv = [saved_argv[0] if saved_argv else "sim", *argv]
    os.environ["HYDRA_FULL_ERROR"] = "1"
    try:
        app()
    finally:
        sys.argv = saved_argv
        if saved is None:
            os.environ.pop("HYDRA_FULL_ERROR", None)
        else:
            os.environ["HYDRA_FULL_ERROR"] = saved
