"""``python -m sim``'s flags: Hydra's own, read here the way Hydra reads them.

The single run is composed and run by this package (:mod:`sim.app.cli`); everything else a
flag asks for (``--help``, ``--hydra-help``, ``--cfg``, ``--info``, ``--shell-completion``,
``--version``, ``--experimental-rerun``) is handed to Hydra's ``@hydra.main``
(:mod:`sim.app.multirun`), as is a multirun. So the flags are Hydra 1.3's, with the same
names, short forms and choices, and the config they choose (``-cp``, ``-cn``, ``-cd``) is
the same either way (:func:`source`).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
from pathlib import Path
from typing import NoReturn

from sim.app.compose import Source
from sim.app.paths import CONF_DIR
from sim.errors import InputError

INFO = ("all", "config", "defaults", "defaults-tree", "plugins", "searchpath")
HANDED_TO_HYDRA = ("help", "hydra_help", "cfg", "info", "shell_completion", "version",
                   "experimental_rerun", "resolve")
"""Flags whose work Hydra does (``--resolve`` only means something with ``--cfg`` or
``--help``; alone, Hydra refuses it)."""
MAIN_FILE_DIR = Path(__file__).resolve().parent
"""The folder of the file that declares ``@hydra.main``: where a relative ``-cp`` starts."""


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m sim", add_help=False)
    p.add_argument("--help", "-h", action="store_true")
    p.add_argument("--hydra-help", action="store_true")
    p.add_argument("--version", action="store_true")
    p.add_argument("overrides", nargs="*")
    p.add_argument("--cfg", "-c", choices=["job", "hydra", "all"])
    p.add_argument("--resolve", action="store_true")
    p.add_argument("--package", "-p")
    p.add_argument("--run", "-r", action="store_true")
    p.add_argument("--multirun", "-m", action="store_true")
    p.add_argument("--shell-completion", "-sc", action="store_true")
    p.add_argument("--config-path", "-cp")
    p.add_argument("--config-name", "-cn")
    p.add_argument("--config-dir", "-cd")
    p.add_argument("--experimental-rerun")
    p.add_argument("--info", "-i", const="all", nargs="?", choices=INFO)
    return p


def parse(argv: list[str]) -> argparse.Namespace:
    """The command line's flags and overrides; an unknown option is refused in one line."""
    p = parser()

    def unknown_option(message: str) -> NoReturn:
        raise InputError("command line", f"{message}; see python -m sim --help")

    p.error = unknown_option
    return p.parse_args(argv)


def handed_to_hydra(args: argparse.Namespace) -> bool:
    """Whether Hydra's ``@hydra.main`` does what ``args`` ask (see the module's docstring)."""
    return any(getattr(args, name) not in (None, False) for name in HANDED_TO_HYDRA)


def source(args: argparse.Namespace) -> Source:
    """Where the config comes from: ``-cp`` (absolute, ``pkg://module``, or relative to the
    file that declares ``@hydra.main``, as Hydra reads it), ``-cn`` and ``-cd``."""
    config_dir = CONF_DIR
    if args.config_path is not None:
        config_dir = _config_path(args.config_path)
    return Source(config_dir=config_dir, config_name=args.config_name or "config",
                  extra_dir=Path(args.config_dir) if args.config_dir else None)


def _config_path(given: str) -> Path:
    if given.startswith("pkg://"):
        spec = importlib.util.find_spec(given[len("pkg://"):].replace("/", "."))
        if spec is None or not spec.submodule_search_locations:
            raise InputError("--config-path", f"{given}: no such Python package")
        return Path(list(spec.submodule_search_locations)[0])
    path = Path(given.removeprefix("file://"))
    path = path if path.is_absolute() else MAIN_FILE_DIR / path
    if not path.is_dir():
        raise InputError("--config-path", f"{given}: no such folder ({os.path.normpath(path)}); "
                                          "give a folder of config files")
    return path
