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
import warnings
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


def run_uid() -> str:
    """A short id unique to this process, so runs started in the same second never collide."""
    return RUN_ID[6:]


def _register_resolver() -> None:
    """The ``sim_uid`` resolver, registered on import too: a worker that unpickles :func:`app`
    has it before it resolves its job's folder.

    Its value is cached in the config, and Hydra copies that cache into every job's config:
    jobs that run in other processes (joblib, Ray) then resolve the sweep folder to the main
    process's, not to one of their own.
    """
    if not OmegaConf.has_resolver("sim_uid"):
        OmegaConf.register_new_resolver("sim_uid", run_uid, use_cache=True)


_register_resolver()


def register() -> None:
    schema.register()
    _register_resolver()


@hydra.main(version_base="1.3", config_path=str(CONF_DIR), config_name="config")
def app(cfg: DictConfig) -> float | None:
    """One run; returns the headline figure named by ``objective`` (None if unset)."""
    from sim.runner import objective, run_and_write

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
    return objective(cfg, summary)


def _label(cfg: DictConfig) -> str:
    try:
        overrides = list(HydraConfig.get().overrides.task)
    except ValueError:
        overrides = []
    return label(cfg.scenario, overrides)


def label_overrides(overrides: list[str]) -> list[str]:
    """The command-line overrides that say how a run differs: not its scenario, not Hydra's."""
    return [o for o in overrides if not o.startswith(("+scenario=", "scenario=", "hydra.",
                                                      "hydra/", "objective="))]


def label(scenario: str, overrides: list[str]) -> str:
    """A run's name in titles and tables: its scenario and its other overrides."""
    return " ".join([scenario, *label_overrides(overrides)])


def discard(run_dir: Path) -> None:
    """Remove a run directory that holds no results, and its parents left empty by that."""
    shutil.rmtree(run_dir, ignore_errors=True)
    parent = run_dir.parent
    for _ in range(2):
        try:
            parent.rmdir()
        except OSError:
            break
        parent = parent.parent


def shown(path: Path) -> Path:
    """``path`` as a user reads it: from the current folder if it lies below it."""
    path = Path(path)
    cwd = Path.cwd()
    return path.relative_to(cwd) if path.is_absolute() and path.is_relative_to(cwd) else path


def report(summary: dict, run_dir: Path) -> str:
    """The few lines the terminal shows at the end of a run."""
    mc = summary["monte_carlo"]
    when = mc["all_operational"]
    years = ", ".join(f"{y}: {n / 1000:.0f}k" for y, n in
                      summary["operational_at_year_end"].items())
    lines = [
        f"results: {shown(run_dir)}",
        f"scenario {summary['scenario']} (seed {summary['seed']}, {mc['replications']} "
        f"replications): all {summary['pledged_gpus']:,} GPUs operational "
        f"P50 {when['p50'] or 'after the horizon'} "
        f"(P10 {when['p10'] or 'after the horizon'}, P90 {when['p90'] or 'after the horizon'})",
        f"  P(all operational by 2030-12-31) = {mc['p_all_operational_by_2030_12_31']:.0%}; "
        f"P(government 50k by 2030-12-31) = {mc['p_government_50k_by_2030_12_31']:.0%}",
        "  P(full allocation by target): " + ", ".join(
            f"{r} {p:.0%}" for r, p in mc["p_full_by_target"].items() if r != "total"),
    ]
    if mc["top_drivers"]:
        lines.append("  top drivers of the P50 date: " + "; ".join(
            f"{d['risk']} {d['effect_days']:+.0f} days" for d in mc["top_drivers"]))
    lines += [
        f"  representative replication {mc['representative_replication']}: operational at "
        f"year end {years}",
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
        except (InputError, CompactHydraException, OmegaConfBaseException,
                ConnectionError) as ex:  # also: no Ray cluster where one was named
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
    # conf/hydra/launcher/ray.yaml stands in for the Ray plugin's config of the same name on
    # purpose (Hydra still checks it against the plugin's schema); say nothing about that.
    warnings.filterwarnings("ignore", message=r"\s*'hydra/launcher/ray' is validated against")
    register()
    _install_error_reporter()
    app()
