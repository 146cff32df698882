"""Bad input told in one line: what the user sees when a config, an override or a seed
file is wrong.

Every refusal goes through :func:`refuse`: one line on stderr naming the key (or file and
record), the bad value and what is allowed, exit status 2, no traceback (set
``HYDRA_FULL_ERROR=1`` to see one). :func:`one_line` turns Hydra's and OmegaConf's errors
into that line.
"""

from __future__ import annotations

import dataclasses
import os
import re
import sys
from typing import Callable, NoReturn

from hydra.errors import MissingConfigException, OverrideParseException
from omegaconf.errors import (
    ConfigAttributeError,
    ConfigKeyError,
    InterpolationResolutionError,
    OmegaConfBaseException,
)

from sim.app import schema
from sim.distributions import unquoted, write_whole
from sim.errors import InputError, WriteError
from sim.text import inert

FULL_ERROR = os.environ.get("HYDRA_FULL_ERROR") == "1"
"""Whether the user asked for tracebacks (read once: a multirun sets the variable for Hydra,
so that Hydra's errors reach :mod:`sim.app.cli` to be told in one line)."""

GRAMMAR = "https://hydra.cc/docs/1.2/advanced/override_grammar/basic"


def one_line(ex: BaseException) -> str:
    """Say what is wrong with a config, an override or a seed file in one line, inert
    (:func:`sim.text.inert`: a typed value's control characters are escaped)."""
    return inert(_one_line(ex))


def _one_line(ex: BaseException) -> str:
    if isinstance(ex, InputError):
        return str(ex)
    if isinstance(ex, OverrideParseException) and unquoted(ex.override or ""):
        return unquoted(ex.override)
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
    if "Cannot merge DictConfig with ListConfig" in msg:
        return (f"this mapping is not a whole distribution; {key} holds a dated history in "
                f"conf/ (a list of revisions), which only a whole value replaces: "
                f"{write_whole(key)}")
    if "is not a valid bool" in msg:
        msg += "; use true or false"
    if isinstance(cause, InterpolationResolutionError):
        msg += "; give a plain value, or ${key} naming a key of the config"
    return msg


def refuse(ex: BaseException) -> NoReturn:
    """End the program on bad input: one line on stderr and exit status 2.

    With ``HYDRA_FULL_ERROR=1`` the error is raised instead, to show its traceback.
    """
    if FULL_ERROR:
        raise ex
    print(f"error: {one_line(ex)}", file=sys.stderr)
    sys.exit(2)


def run_command(work: Callable[[], tuple[str, str]], done: str) -> int:
    """What a ``python -m sim.<tool>`` command ends with: ``work()`` gives the text to print
    and the folder it wrote (shown as ``<done>: <folder>``); bad input is one line and exit 2,
    a file that cannot be written exit 1 with nothing left behind, Ctrl-C exit 130."""
    from hydra.errors import HydraException

    try:
        text, out = work()
    except (InputError, HydraException, OmegaConfBaseException) as ex:
        print(f"error: {one_line(ex)}", file=sys.stderr)
        return 2
    except WriteError as ex:  # e.g. a full disk: nothing was left behind
        print(inert(f"error: cannot write {ex.path}: {ex.reason}; nothing was written"),
              file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted: nothing written", file=sys.stderr)
        return 130
    print(inert(text, newlines=True))
    print(inert(f"{done}: {out}"))
    return 0
