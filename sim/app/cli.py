"""``python -m sim``: compose the config with Hydra, run the study, write results, report.

Bad input (an unknown key, a wrong type, a value out of range, a broken seed file) ends the
program with one line on stderr naming the key or record, exit status 2, no traceback (set
``HYDRA_FULL_ERROR=1`` to see one) and no results directory left behind
(:mod:`sim.app.errors`). A multirun's jobs go through :func:`sim.app.callbacks.run_job`.
"""

from __future__ import annotations

import logging
import sys
import warnings
from pathlib import Path

import hydra
from hydra.core.hydra_config import HydraConfig
from hydra.errors import CompactHydraException
from hydra.types import RunMode
from omegaconf import DictConfig, OmegaConf
from omegaconf.errors import OmegaConfBaseException

from sim.app import schema
from sim.app.callbacks import run_job
from sim.app.errors import install_reporter, refuse
from sim.app.folders import STARTED, claim, discard, interrupted, resume_hint
from sim.app.paths import CONF_DIR, SEEDS_DIR
from sim.app.preflight import check_command_line
from sim.app.runner import objective, run_and_write
from sim.errors import ConservationError, InputError, WriteError
from sim.outputs.folders import run_uid
from sim.outputs.labels import label
from sim.outputs.terminal import report
from sim.seeds.files import read_all

log = logging.getLogger("sim")


def as_of_name(as_of: str, seeds_dir: str) -> str:
    """The as-of date a run's folder name carries: the one given, or the latest date in the
    seed files (``latest`` if they cannot be read: the run then refuses them in one line)."""
    if as_of:
        return str(as_of)
    try:
        return read_all(Path(seeds_dir or SEEDS_DIR)).latest.isoformat()
    except Exception:  # noqa: BLE001 (the run itself reports what is wrong with the seeds)
        return "latest"


def _register_resolver() -> None:
    """The ``sim_uid`` and ``sim_as_of`` resolvers, set up on import too: a worker that
    unpickles :func:`app` has them before it composes its job's config and resolves its
    folder.

    Their values are cached in the config, and Hydra copies that cache into every job's
    config: jobs that run in other processes (joblib, Ray) then resolve the sweep folder to
    the main process's, not to one of their own.
    """
    if not OmegaConf.has_resolver("sim_uid"):
        OmegaConf.register_new_resolver("sim_uid", run_uid, use_cache=True)
    if not OmegaConf.has_resolver("sim_as_of"):
        OmegaConf.register_new_resolver("sim_as_of", as_of_name, use_cache=True)


_register_resolver()


def register() -> None:
    """Store the schema and the resolver with Hydra; call before composing (tests do)."""
    schema.register()
    _register_resolver()


@hydra.main(version_base="1.3", config_path=str(CONF_DIR), config_name="config")
def app(cfg: DictConfig) -> float | None:
    """One run; returns the headline figure named by ``objective`` (None if unset)."""
    hydra_cfg = HydraConfig.get()
    run_dir = Path(hydra_cfg.runtime.output_dir)
    if hydra_cfg.mode == RunMode.MULTIRUN:
        return run_job(cfg, run_dir, label=_label(cfg), job=hydra_cfg.job.num,
                       sweep_dir=Path(hydra_cfg.sweep.dir), overrides=_overrides())
    try:
        summary = run_and_write(cfg, run_dir, label=_label(cfg), overrides=_overrides(),
                                claim=lambda folder, config: claim(folder, config.overwrite))
    except (InputError, OmegaConfBaseException) as ex:  # an interpolation fails only here
        discard(run_dir)
        refuse(ex)
    except (WriteError, ConservationError) as ex:  # a full disk, GPUs lost: nothing marked
        discard(run_dir)
        print(f"error: {ex}", file=sys.stderr)
        sys.exit(1)
    except KeyboardInterrupt:
        interrupted(run_dir)
    log.info(report(summary, run_dir))
    return objective(cfg, summary)


def _overrides() -> list[str]:
    """The command line's overrides of this run (Hydra's own left out)."""
    try:
        return list(HydraConfig.get().overrides.task)
    except ValueError:
        return []


def _label(cfg: DictConfig) -> str:
    return label(cfg.scenario, _overrides())


def main() -> None:
    # conf/hydra/launcher/ray.yaml stands in for the Ray plugin's config of the same name on
    # purpose (Hydra still checks it against the plugin's schema); say nothing about that.
    warnings.filterwarnings("ignore", message=r"\s*'hydra/launcher/ray' is validated against")
    register()
    install_reporter()
    try:
        check_command_line(sys.argv[1:])
    except (InputError, CompactHydraException, OmegaConfBaseException) as ex:
        refuse(ex)
    try:
        app()
    except KeyboardInterrupt:  # before the run started, while Hydra set it up, between jobs
        if STARTED:
            print(f"interrupted: {resume_hint(STARTED[-1])}", file=sys.stderr)
        else:
            print("interrupted: no run was marked complete", file=sys.stderr)
        sys.exit(130)
