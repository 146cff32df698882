"""Checks of the command line before Hydra starts: what Hydra would report in many lines
or with a traceback, and every swept value of a sweep, before any job starts."""

from __future__ import annotations

import dataclasses
import re
from typing import NoReturn

from hydra import compose, initialize_config_dir
from hydra._internal.utils import get_args_parser
from hydra.core.global_hydra import GlobalHydra
from hydra.core.override_parser.overrides_parser import OverridesParser
from hydra.core.override_parser.types import Override, ValueType

from sim.app import schema
from sim.app.paths import CONF_DIR
from sim.app.runner import prepare
from sim.errors import InputError
from sim.model.params import rules
from sim.study.workers import Pool


def check_command_line(argv: list[str]) -> None:
    """Refuse what Hydra would report in many lines or with a traceback.

    That is an unknown option (argparse prints its usage), an override with no key
    (``=3``), a number too long to read, the deletion of a key every run needs (``~seed``)
    and a config group given something other than a name (``+scenario=2``). Everything else
    Hydra checks as it composes the config; for a sweep (``-m``), a job of each swept value
    is composed and checked here, before any job starts (:func:`check_jobs`).
    """
    parser = get_args_parser()

    def unknown_option(message: str) -> NoReturn:
        raise InputError("command line", f"{message}; see python -m sim --help")

    parser.error = unknown_option
    args = parser.parse_args(argv)
    for override in parse(args.overrides):
        key = override.key_or_group
        if not key:
            raise InputError(f"override {override.input_line!r}",
                             "no key before '='; write key=value, e.g. seed=7")
        if override.is_delete():
            check_delete(override)
            continue
        if override.is_hydra_override():
            if key == "hydra.output_subdir":
                raise InputError(key, "is not allowed: a run writes .hydra/ itself, with its "
                                      "results, once they are complete")
            continue
        if override.is_sweep_override():
            continue
        value = override.value()
        if ("/" in key or (CONF_DIR / key).is_dir()) and not isinstance(value, str):
            names = sorted(p.stem for p in (CONF_DIR / key).glob("*.yaml"))
            allowed = f"one of {', '.join(names)}" if names else "the name of a config"
            raise InputError(key, f"{value!r} is not allowed; give {allowed}")
    if args.multirun and not (args.config_path or args.config_dir):
        check_jobs(args.overrides, args.config_name or "config")


def parse(overrides: list[str], config_loader=None) -> list[Override]:
    """``overrides`` parsed as Hydra parses them; a number too long for Python to read (it
    refuses more than 4,300 digits) is refused in one line naming its key."""
    parser = OverridesParser.create(config_loader=config_loader)
    try:
        return parser.parse_overrides(overrides)
    except ValueError:
        for line in overrides:
            try:
                parser.parse_overrides([line])
            except ValueError:
                key, _, value = line.partition("=")
                digits = max((len(d) for d in re.findall(r"\d+", value)), default=0)
                known = dict(rules(schema.Config)).get(key.lstrip("+~"))
                need = f"; need {known.what}" if known and known.what else ""
                raise InputError(key.lstrip("+~"), f"a number of {digits:,} digits is not "
                                                   f"allowed{need}") from None
        raise


def check_delete(override: Override) -> None:
    """Refuse ``~key`` for a key of the schema: every run needs it (``~`` may remove a key
    that was added, such as one site's own slip, or one field of a distribution)."""
    key = override.key_or_group
    if override.is_hydra_override() or "/" in key:
        return
    kind = schema.schema_type(key)
    if kind is not None:
        change = (f"{key}.{dataclasses.fields(kind)[0].name}=VALUE"
                  if dataclasses.is_dataclass(kind) else f"{key}=VALUE")
        raise InputError(f"~{key}", f"{key} is a key every run needs and cannot be deleted; "
                                    f"to change it, write {change}")


def sample_jobs(overrides: list[str], config_loader=None) -> list[list[str]]:
    """A few of the jobs ``overrides`` sweep over, enough to try every swept value.

    The first job (every sweep at its first value), then each value of each sweep with the
    other sweeps at their first: each is a job the sweep will run. A range gives its first
    and last values, an interval (a sweeper's search space) its two ends, a glob (of config
    names; needs Hydra's ``config_loader``) each name it matches. A sweep of no value is
    refused. Hydra's own overrides (``hydra.*``, ``hydra/...``) are left out.
    """
    parsed = [o for o in parse(overrides, config_loader)
              if not o.is_hydra_override() and not o.get_key_element().lstrip("+")
              .startswith("hydra/")]
    choices = []  # (override, the values to try; None: not a sweep, as given)
    for o in parsed:
        if not o.is_sweep_override():
            values = [None]
        elif o.is_interval_sweep():
            space = o.value()
            values = [str(int(v) if "int" in space.tags else v) for v in (space.start, space.end)]
        elif o.is_discrete_sweep() and (config_loader or not _is_glob(o)):
            every = list(o.sweep_string_iterator())
            if not every:
                raise InputError(o.key_or_group, _no_values(o, config_loader))
            values = list(dict.fromkeys([every[0], every[-1]])) if o.is_range_sweep() \
                else every
        else:
            continue  # a glob without a config loader to expand it
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
        loader = GlobalHydra.instance().config_loader()
        for job in sample_jobs(overrides, loader):
            config, _ = prepare(compose(config_name=config_name, overrides=job))
            Pool.of(config).connect()  # where its replications run: as a run checks it


def _is_glob(o: Override) -> bool:
    return o.value_type == ValueType.GLOB_CHOICE_SWEEP


def _no_values(o: Override, config_loader) -> str:
    """What to say about a sweep ``o`` of no value."""
    given = o.input_line.partition("=")[2]
    if _is_glob(o):
        names = config_loader.get_group_options(o.key_or_group) if config_loader else []
        return f"{given} matches none of {', '.join(names)}"
    return f"{given} sweeps no value; give at least one, e.g. range(0,3) for 0, 1, 2"
