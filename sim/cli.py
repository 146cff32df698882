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
import uuid
import warnings
from pathlib import Path
from typing import NoReturn

import hydra
from hydra.core.hydra_config import HydraConfig
from hydra.types import RunMode
from omegaconf import DictConfig, OmegaConf
from omegaconf.errors import (ConfigAttributeError, ConfigKeyError,
                              InterpolationResolutionError, OmegaConfBaseException)

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
    hydra_cfg = HydraConfig.get()
    run_dir = Path(hydra_cfg.runtime.output_dir)
    if hydra_cfg.mode == RunMode.MULTIRUN:
        from sim.sweep import run_job

        return run_job(cfg, run_dir, label=_label(cfg), job=hydra_cfg.job.num,
                       sweep_dir=Path(hydra_cfg.sweep.dir))
    from sim.runner import objective, run_and_write

    try:
        summary = run_and_write(cfg, run_dir, label=_label(cfg))
    except (InputError, OmegaConfBaseException) as ex:  # an interpolation fails only here
        discard(run_dir)
        refuse(ex)
    except KeyboardInterrupt:
        interrupted(run_dir)
    log.info(report(summary, run_dir))
    return objective(cfg, summary)


def interrupted(run_dir: Path, sweep_dir: Path | None = None) -> NoReturn:
    """Ctrl-C during a run: one line, exit status 130; the run was not marked complete.
    In a sweep (``sweep_dir``), the line says how to resume it."""
    resume = f"; {resume_hint(sweep_dir)}" if sweep_dir else ""
    print(f"interrupted: {shown(run_dir)} is not marked complete{resume}", file=sys.stderr)
    sys.exit(130)


def resume_hint(sweep_dir: Path) -> str:
    """How to resume the sweep in ``sweep_dir`` (see :func:`sim.sweep.run_job`)."""
    return f"run the same command with hydra.sweep.dir={shown(sweep_dir)} to resume the sweep"


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


def discard(run_dir: Path, leftovers: tuple[str, ...] = (".hydra",)) -> None:
    """Remove what a refused run put in ``run_dir``, then the folders this left empty.

    Input is refused before any result is written, so only Hydra's ``leftovers`` go
    (``.hydra/`` of a run, ``multirun.yaml`` of a sweep), and a folder only if it is then
    empty and is not the working directory or above it: with ``hydra.run.dir=.`` a refused
    run must not take the user's folder with it.
    """
    for name in leftovers:
        path = Path(run_dir) / name
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
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
    return "\n".join(lines + warning_lines(summary))


# What the end of a run warns about, from its summary: (total, by recipient, what it means).
WARNINGS = (
    ("stranded_gpus", "stranded_by_recipient", "stranded without power at the horizon"),
    ("unshipped_gpus_at_horizon", "unshipped_by_recipient", "not shipped by the horizon"),
)


def warning_lines(summary: dict) -> list[str]:
    """A line for GPUs left stranded, and one for GPUs never shipped, naming the recipients."""
    return [f"  warning: {summary[total]:,} GPUs {what} {summary['horizon']}: " +
            ", ".join(f"{r} {n:,}" for r, n in summary[by_recipient].items())
            for total, by_recipient, what in WARNINGS if summary[total]]


# --- errors in one line ----------------------------------------------------------------------

GRAMMAR = "https://hydra.cc/docs/1.2/advanced/override_grammar/basic"


def one_line(ex: BaseException) -> str:
    """Say what is wrong with a config, an override or a seed file in one line."""
    from hydra.errors import MissingConfigException, OverrideParseException

    if isinstance(ex, InputError):
        return str(ex)
    if isinstance(ex, OverrideParseException):
        detail = [ln for ln in ex.message.splitlines()
                  if ln.strip() and not ln.startswith(("Error parsing override", "See http"))]
        return (f"override {ex.override!r}: {'; '.join(detail)}; write key=value, "
                f"+key=value or ~key ({GRAMMAR})")
    if isinstance(ex, MissingConfigException) and ex.options and ex.missing_cfg_file:
        group, _, name = ex.missing_cfg_file.rpartition("/")
        return f"{group}: {name!r} is not one of {', '.join(ex.options)}"
    cause = ex.__cause__ if isinstance(ex.__cause__, OmegaConfBaseException) else ex
    key = getattr(cause, "full_key", None)
    if isinstance(cause, OmegaConfBaseException) and key:
        return f"{key}: {_config_problem(cause, key)}"
    text = str(ex).split("Config search path:")[0]  # where Hydra looked: not the mistake
    return re.sub(r"\s+", " ", "; ".join(ln.strip().rstrip(".") for ln in text.splitlines()
                                       if ln.strip()))


def _config_problem(cause: OmegaConfBaseException, key: str) -> str:
    """OmegaConf's complaint about ``key``, with what the schema allows there."""
    if isinstance(cause, (ConfigKeyError, ConfigAttributeError)):
        return schema.unknown_key(key)
    group = schema.schema_type(key)
    if dataclasses.is_dataclass(group):
        first = dataclasses.fields(group)[0].name
        return (f"{getattr(cause, 'value', None)!r} is not allowed: {key} is a group of keys "
                f"({schema.keys_of(group)}); set one, e.g. {key}.{first}=...")
    msg = str(getattr(cause, "msg", cause)).splitlines()[0]
    if "is not a valid bool" in msg:
        msg += "; use true or false"
    if isinstance(cause, InterpolationResolutionError):
        msg += "; give a plain value, or ${key} naming a key of the config"
    return msg


def refuse(ex: BaseException) -> NoReturn:
    """End the program on bad input: one line on stderr and exit status 2.

    With ``HYDRA_FULL_ERROR=1`` the error is raised instead, to show its traceback.
    """
    if os.environ.get("HYDRA_FULL_ERROR") == "1":
        raise ex
    print(f"error: {one_line(ex)}", file=sys.stderr)
    sys.exit(2)


def check_command_line(argv: list[str]) -> None:
    """Refuse what Hydra would report in many lines or with a traceback.

    That is an unknown option (argparse prints its usage), an override with no key
    (``=3``) and a config group given something other than a name (``+scenario=2``).
    Everything else Hydra checks as it composes the config; for a sweep (``-m``), a job of
    each swept value is composed and checked here, before any job starts
    (:func:`sim.sweep.check_jobs`).
    """
    from hydra._internal.utils import get_args_parser
    from hydra.core.override_parser.overrides_parser import OverridesParser

    parser = get_args_parser()

    def unknown_option(message: str) -> NoReturn:
        raise InputError("command line", f"{message}; see python -m sim --help")

    parser.error = unknown_option
    args = parser.parse_args(argv)
    for override in OverridesParser.create().parse_overrides(args.overrides):
        key = override.key_or_group
        if not key:
            raise InputError(f"override {override.input_line!r}",
                             "no key before '='; write key=value, e.g. seed=7")
        if override.is_delete() or override.is_sweep_override():
            continue
        value = override.value()
        if ("/" in key or (CONF_DIR / key).is_dir()) and not isinstance(value, str):
            names = sorted(p.stem for p in (CONF_DIR / key).glob("*.yaml"))
            allowed = f"one of {', '.join(names)}" if names else "the name of a config"
            raise InputError(key, f"{value!r} is not allowed; give {allowed}")
    if args.multirun and not (args.config_path or args.config_dir):
        from sim.sweep import check_jobs

        check_jobs(args.overrides, args.config_name or "config")


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
            from sim.sweep import discard_unstarted

            discard_unstarted()
            refuse(ex)
        except Exception as ex:  # not bad input: let Hydra report it as it does
            if isinstance(ex, OSError) and ex.filename is not None:  # e.g. hydra.run.dir
                refuse(InputError(str(ex.filename), f"{ex.strerror}; results need a folder "
                                                    "that can be created and written"))
            error = ex  # ``ex`` itself is unbound when the except clause ends

            def again():
                raise error

            return original(again)

    hydra_utils.run_and_report = run_and_report
    hydra_core.run_and_report = run_and_report


def main() -> None:
    # conf/hydra/launcher/ray.yaml stands in for the Ray plugin's config of the same name on
    # purpose (Hydra still checks it against the plugin's schema); say nothing about that.
    warnings.filterwarnings("ignore", message=r"\s*'hydra/launcher/ray' is validated against")
    from hydra.errors import CompactHydraException

    register()
    _install_error_reporter()
    try:
        check_command_line(sys.argv[1:])
    except (InputError, CompactHydraException, OmegaConfBaseException) as ex:
        refuse(ex)
    try:
        app()
    except KeyboardInterrupt:  # before the run started, while Hydra set it up, between jobs
        sweep = sys.modules.get("sim.sweep")
        if sweep and sweep.STARTED:
            print(f"interrupted: {resume_hint(sweep.STARTED[-1])}", file=sys.stderr)
        else:
            print("interrupted: no run was marked complete", file=sys.stderr)
        sys.exit(130)
