"""Checks of the command line before Hydra starts: what Hydra would report in many lines
or with a traceback, and every swept value of a sweep, before any job starts."""

from __future__ import annotations

from typing import NoReturn

from hydra import compose, initialize_config_dir
from hydra._internal.utils import get_args_parser
from hydra.core.override_parser.overrides_parser import OverridesParser

from sim.app.paths import CONF_DIR
from sim.app.runner import prepare
from sim.errors import InputError


def check_command_line(argv: list[str]) -> None:
    """Refuse what Hydra would report in many lines or with a traceback.

    That is an unknown option (argparse prints its usage), an override with no key
    (``=3``) and a config group given something other than a name (``+scenario=2``).
    Everything else Hydra checks as it composes the config; for a sweep (``-m``), a job of
    each swept value is composed and checked here, before any job starts
    (:func:`check_jobs`).
    """
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
        check_jobs(args.overrides, args.config_name or "config")


def sample_jobs(overrides: list[str]) -> list[list[str]]:
    """A few of the jobs ``overrides`` sweep over, enough to try every swept value.

    The first job (every sweep at its first value), then each value of each sweep with the
    other sweeps at their first: each is a job the sweep will run. A range gives its first
    and last values, an interval (a sweeper's search space) its two ends; a glob is left to
    Hydra. Hydra's own overrides (``hydra.*``, ``hydra/...``) are left out.
    """
    parsed = [o for o in OverridesParser.create().parse_overrides(overrides)
              if not o.is_hydra_override() and not o.get_key_element().lstrip("+")
              .startswith("hydra/")]
    choices = []  # (override, the values to try; None: not a sweep, as given)
    for o in parsed:
        if not o.is_sweep_override():
            values = [None]
        elif o.is_interval_sweep():
            space = o.value()
            values = [str(int(v) if "int" in space.tags else v) for v in (space.start, space.end)]
        elif o.is_range_sweep():
            every = list(o.sweep_string_iterator())
            values = list(dict.fromkeys([every[0], every[-1]]))
        elif o.is_choice_sweep():
            values = list(o.sweep_string_iterator())
        else:
            continue  # a glob: Hydra expands it
        choices.append((o, values))

    def job(pick: dict[int, str]) -> list[str]:
        return [o.input_line if values[0] is None else
                f"{o.get_key_element()}={pick.get(i, values[0])}"
                for i, (o, values) in enumerate(choices)]

    jobs = [job({})]
    for i, (_, values) in enumerate(choices):
        jobs += [job({i: v}) for v in values[1:]]
    return jobs


def check_jobs(overrides: list[str], config_name: str = "config") -> None:
    """Refuse a sweep before any job starts if one of :func:`sample_jobs` is bad input.

    Raises the error the job itself would raise (:class:`sim.errors.InputError` or Hydra's),
    so that a sweep with a bad value ends in one line with exit status 2 and no folder, as
    a single run does; a job that fails only in a combination not tried here fails alone
    and is recorded (:func:`sim.app.callbacks.run_job`).
    """
    with initialize_config_dir(config_dir=str(CONF_DIR), version_base="1.3"):
        for job in sample_jobs(overrides):
            prepare(compose(config_name=config_name, overrides=job))
