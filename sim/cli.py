"""``python -m sim``: compose the config with Hydra, run the model, write results, report.

Bad input (an unknown key, a wrong type, a value out of range, a broken seed file) ends the
program with one line on stderr naming the key or record, exit status 2, no traceback (set
``HYDRA_FULL_ERROR=1`` to see one) and no results directory left behind.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import re
import shutil
import sys
import time
import typing
import uuid
from pathlib import Path

import hydra
from hydra.core.hydra_config import HydraConfig
from hydra.types import RunMode
from omegaconf import DictConfig, OmegaConf
from omegaconf.errors import ConfigAttributeError, ConfigKeyError, OmegaConfBaseException

from sim import config as schema
from sim.config import CONF_DIR
from sim.errors import InputError

log = logging.getLogger("sim")

RUN_ID = f"{time.strftime('%H%M%S')}{uuid.uuid4().hex[:4]}"  # stays fixed for this process


def _run_uid() -> str:
    """A short id unique to this process, so runs started in the same second never collide."""
    return RUN_ID[6:]


def register() -> None:
    schema.register()
    if not OmegaConf.has_resolver("sim_uid"):
        OmegaConf.register_new_resolver("sim_uid", _run_uid)


@hydra.main(version_base="1.3", config_path=str(CONF_DIR), config_name="config")
def app(cfg: DictConfig):
    from sim.runner import run_and_write

    run_dir = Path(HydraConfig.get().runtime.output_dir)
    try:
        summary = run_and_write(cfg, run_dir, label=_label(cfg))
    except InputError as ex:
        discard(run_dir)
        if HydraConfig.get().mode == RunMode.RUN:  # one line, not Hydra's job-failure banner
            print(f"error: {ex}", file=sys.stderr)
            sys.exit(2)
        raise
    except KeyboardInterrupt:
        print(f"interrupted: {run_dir} is not marked complete", file=sys.stderr)
        sys.exit(130)
    log.info(report(summary, run_dir))


def _label(cfg: DictConfig) -> str:
    try:
        overrides = [o for o in HydraConfig.get().overrides.task
                     if not o.startswith(("+scenario=", "scenario=", "hydra."))]
    except ValueError:
        overrides = []
    return " ".join([cfg.scenario, *overrides])


def discard(run_dir: Path) -> None:
    """Remove what a refused run put in ``run_dir``, then the folders this left empty.

    Input is refused before any result is written, so only Hydra's ``.hydra/`` goes, and a
    folder only if it is then empty and is not the working directory or above it: with
    ``hydra.run.dir=.`` a refused run must not take the user's folder with it.
    """
    shutil.rmtree(run_dir / ".hydra", ignore_errors=True)
    cwd = Path.cwd().resolve()
    folder = run_dir.resolve()
    for _ in range(3):  # the run folder, results/<scenario>, results
        if folder == cwd or folder in cwd.parents:
            break
        try:
            folder.rmdir()
        except OSError:
            break
        folder = folder.parent


def report(summary: dict, run_dir: Path) -> str:
    """The few lines the terminal shows at the end of a run."""
    m = summary["milestones"]
    years = ", ".join(f"{y}: {n / 1000:.0f}k" for y, n in
                      summary["operational_at_year_end"].items())
    gov = summary["government_operational_2030_12_31"]
    shown = run_dir.relative_to(Path.cwd()) if run_dir.is_relative_to(Path.cwd()) else run_dir
    lines = [
        f"results: {shown}",
        f"scenario {summary['scenario']} (seed {summary['seed']}): "
        f"all {summary['pledged_gpus']:,} GPUs operational "
        f"{summary['all_operational_date'] or 'not by ' + summary['horizon']}",
        "  25% / 50% / 90% operational: " + " / ".join(str(m[k] or "-") for k in
                                                      ("25%", "50%", "90%")),
        f"  operational at year end: {years}",
        f"  government 50k by 2030-12-31: {'yes' if summary['government_50k_by_2030'] else 'no'}"
        f" ({gov:,})",
        f"  peak waiting for power: {summary['peak_waiting_gpus']:,} GPUs"
        f" ({summary['peak_waiting_date'] or '-'}); idle {summary['idle_gpu_months']:,.0f} "
        f"GPU-months, worth {summary['idle_value_won'] / 1e12:.2f} trillion won",
        f"  MW drawn at horizon: {summary['mw_drawn_at_horizon']:,} "
        f"(full pledge needs {summary['mw_for_full_pledge']:,})",
    ]
    if summary["stranded_gpus"]:
        lines.append(f"  warning: {summary['stranded_gpus']:,} GPUs stranded without power at "
                     f"the horizon: " + ", ".join(f"{r} {n:,}" for r, n in
                                                  summary["stranded_by_recipient"].items()))
    return "\n".join(lines)


# --- errors in one line ----------------------------------------------------------------------

def one_line(ex: BaseException) -> str:
    """Say what is wrong with a config, an override or a seed file in one line."""
    if isinstance(ex, InputError):
        return str(ex)
    cause = ex.__cause__ if isinstance(ex.__cause__, OmegaConfBaseException) else ex
    key = getattr(cause, "full_key", None)
    if isinstance(cause, OmegaConfBaseException) and key:
        msg = str(getattr(cause, "msg", cause)).splitlines()[0]
        if isinstance(cause, (ConfigKeyError, ConfigAttributeError)):
            allowed = _allowed_keys(key)
            msg = f"unknown key; allowed here: {', '.join(allowed)}" if allowed else \
                f"no such key (to add one, write +{key}=...)"
        return f"{key}: {msg}"
    lines = [ln.rstrip() for ln in str(ex).splitlines() if ln.strip()]
    items = [ln.strip() for ln in lines if ln.startswith(("\t", "    "))]
    head = [ln for ln in lines if not ln.startswith(("\t", "    "))]
    text = "; ".join(head)
    if items:
        text += " " + ", ".join(items)
    return re.sub(r"\s+", " ", text)


def _allowed_keys(full_key: str) -> list[str]:
    """The keys the schema allows beside the unknown ``full_key``."""
    node = schema.Config
    for part in full_key.split(".")[:-1]:
        node = typing.get_type_hints(node).get(part)
        if not dataclasses.is_dataclass(node):
            return []
    return [f.name for f in dataclasses.fields(node)]


def _install_error_reporter() -> None:
    """Make Hydra report bad input in one line and exit 2; other errors as Hydra does."""
    import hydra._internal.hydra as hydra_core
    import hydra._internal.utils as hydra_utils
    from hydra.errors import CompactHydraException

    original = hydra_utils.run_and_report

    def run_and_report(func):
        try:
            return func()
        except (InputError, CompactHydraException, OmegaConfBaseException) as ex:
            if os.environ.get("HYDRA_FULL_ERROR") == "1":
                raise
            print(f"error: {one_line(ex)}", file=sys.stderr)
            sys.exit(2)
        except Exception as ex:  # not bad input: let Hydra report it as it does
            def again():
                raise ex

            return original(again)

    hydra_utils.run_and_report = run_and_report
    hydra_core.run_and_report = run_and_report


def main() -> None:
    register()
    _install_error_reporter()
    app()
