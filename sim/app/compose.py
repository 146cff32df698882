"""Composing a config with Hydra's public API, and leaving nothing of ``sim`` in Hydra after.

A composition needs two things of ``sim`` in Hydra and OmegaConf: the schema in Hydra's
``ConfigStore`` (``conf/config.yaml`` names it first in its defaults, so an unknown key or a
wrong type fails while composing, with the key's name), and the resolvers ``sim_uid`` and
``sim_as_of`` of the run folder's name. Distributions are one string each, which Hydra
replaces whole like any value (:mod:`sim.distributions`): nothing of Hydra is patched.

:func:`registered` sets them up for one block and takes them out after, putting back
whatever was there before: importing ``sim`` or calling :mod:`sim.api` leaves every other
Hydra app in the process as it would be without ``sim`` (no resolver, no ``ConfigStore``
entry, no ``GlobalHydra`` left initialized). Registering for the block,
rather than checking against the schema after composing, keeps Hydra's own checks of
scenario files and overrides (and their one-line errors) exactly as a multirun's jobs get
them. Only the multirun program (:mod:`sim.app.multirun`), which hands the composition to
Hydra's launchers and their workers, keeps them for its whole process (:func:`install`).
"""

from __future__ import annotations

import contextlib
import copy
import os
import threading
import warnings
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from hydra import compose as hydra_compose
from hydra import initialize_config_dir
from hydra.core.config_store import ConfigStore
from hydra.core.global_hydra import GlobalHydra
from omegaconf import DictConfig, OmegaConf, open_dict, read_write

from sim.app import schema
from sim.app.paths import CONF_DIR, SEEDS_DIR
from sim.distributions import KINDS
from sim.errors import InputError
from sim.model.params import holds_distribution
from sim.outputs.folders import run_uid
from sim.seeds.files import read_all


def as_of_name(as_of: str, seeds_dir: str, horizon: str = "") -> str:
    """The as-of date a run's folder name carries (the ``sim_as_of`` resolver): the one
    given, or the default (:meth:`~sim.seeds.data.Records.default_as_of`: the latest date in
    the seed files, or the horizon if earlier; ``latest`` if they cannot be read: the run then
    refuses them in one line)."""
    if as_of:
        return str(as_of)
    try:
        end = date.fromisoformat(str(horizon)) if horizon else None
        return read_all(Path(seeds_dir or SEEDS_DIR)).default_as_of(end).isoformat()
    except Exception:  # noqa: BLE001 (the run itself reports what is wrong with the seeds)
        return "latest"


RESOLVERS = {"sim_uid": run_uid, "sim_as_of": as_of_name}
HYDRAS_OWN = ("now", "hydra", "python_version")
"""Resolvers Hydra registers when it is set up: taken out again if they were not there."""
SCHEMA = "schema.yaml"
RAY_SCHEMA_WARNING = r"\s*'hydra/launcher/ray' is validated against"
"""conf/hydra/launcher/ray.yaml stands in for the Ray plugin's config of the same name on
purpose (Hydra still checks it against the plugin's schema): nothing to warn about."""
_LOCK = threading.RLock()
_WHOLE_PROCESS = False


@dataclass(frozen=True)
class Source:
    """Where a config comes from, as Hydra's ``-cp``, ``-cn`` and ``-cd`` say."""

    config_dir: Path = CONF_DIR
    config_name: str = "config"
    extra_dir: Path | None = None
    """``--config-dir``: one more folder of configs, searched after ``config_dir``."""


@contextlib.contextmanager
def registered():
    """Within the block, Hydra composes ``sim``'s configs (see the module's docstring)."""
    with _LOCK:
        if _WHOLE_PROCESS:
            yield
            return
        store = ConfigStore.instance().repo
        before = store.get(SCHEMA)
        had = {name: OmegaConf.has_resolver(name) for name in (*RESOLVERS, *HYDRAS_OWN)}
        try:
            _register()
            yield
        finally:
            if before is None:
                store.pop(SCHEMA, None)
            else:
                store[SCHEMA] = before
            for name, there in had.items():
                if not there:
                    OmegaConf.clear_resolver(name)


def _register() -> None:
    ConfigStore.instance().store(name="schema", node=schema.schema_node())
    for name, resolver in RESOLVERS.items():
        if not OmegaConf.has_resolver(name):
            # cached in the config, and Hydra copies that cache into every job's config:
            # jobs in other processes resolve the sweep folder to the main process's
            OmegaConf.register_new_resolver(name, resolver, use_cache=True)


def install() -> None:
    """Set up what :func:`registered` sets up, for the rest of the process (the multirun
    program and its workers only)."""
    global _WHOLE_PROCESS
    with _LOCK:
        if _WHOLE_PROCESS:
            return
        _register()
        _WHOLE_PROCESS = True


def whole(overrides: list[str]) -> list[str]:
    """``overrides`` with each distribution given as a mapping (``key={dist:uniform,low:1,
    high:2}``) written in its string form, which Hydra replaces whole: merged, a mapping
    would meet a dated value's list of revisions (or another distribution's fields)."""
    out = []
    for override in overrides:
        key, eq, value = override.partition("=")
        if eq and value.lstrip().startswith("{") and \
                holds_distribution(schema.Config, key.lstrip("+~")):
            from hydra.core.override_parser.overrides_parser import OverridesParser

            try:
                given = OverridesParser.create().parse_override(override).value()
            except Exception:  # Hydra's own error says it better, at compose
                given = None
            if isinstance(given, dict) and \
                    set(given) - {"dist"} == set(KINDS.get(given.get("dist"), ("?",))):
                # well formed: anything else keeps its mapping, and parse's own message
                fields = ", ".join(f"{k}={v}" for k, v in given.items() if k != "dist")
                override = f'{key}="{given["dist"]}({fields})"'
        out.append(override)
    return out


def search_overrides(overrides: list[str], source: Source) -> tuple[list[str], Path]:
    """``(overrides, the primary config folder)`` with ``--config-dir`` added to the search
    path as Hydra adds it: after the main config folder (as ``hydra.searchpath``, joined
    with one given on the command line). Hydra finds no primary config through
    ``hydra.searchpath``, so a primary config that only ``--config-dir`` holds makes that
    folder the primary one, the main config folder searched after it."""
    if source.extra_dir is None:
        return list(overrides), Path(source.config_dir)
    extra = Path(os.path.abspath(source.extra_dir))
    if not extra.is_dir():
        raise InputError("--config-dir", f"{source.extra_dir}: no such folder; give a folder "
                                         "of config files")
    primary, searched = Path(source.config_dir), extra
    name = f"{source.config_name}.yaml"
    if not (primary / name).is_file() and (extra / name).is_file():
        primary, searched = extra, Path(source.config_dir).resolve()
    given = [o for o in overrides if o.split("=", 1)[0].lstrip("+") == "hydra.searchpath"]
    paths = [f"file://{searched}"]
    if given:
        from hydra.core.override_parser.overrides_parser import OverridesParser

        value = OverridesParser.create().parse_override(given[-1]).value()
        paths += [str(p) for p in (value if isinstance(value, list) else [value])]
    rest = [o for o in overrides if o not in given]
    return [*rest, "hydra.searchpath=[" + ",".join(f"'{p}'" for p in paths) + "]"], primary


def compose(overrides: list[str] = (), source: Source = Source(), *,
            with_hydra: bool = False, job_name: str = "sim") -> DictConfig:
    """The config ``overrides`` compose to, as ``python -m sim`` composes it (with Hydra's
    own node under ``hydra`` if ``with_hydra``). Raises Hydra's and OmegaConf's errors, which
    :func:`sim.app.errors.one_line` tells in one line."""
    overrides, primary = search_overrides(whole(list(overrides)), source)
    with registered(), _hydra_at(primary, job_name), warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=RAY_SCHEMA_WARNING)
        return hydra_compose(config_name=source.config_name, overrides=overrides,
                             return_hydra_config=with_hydra)


@contextlib.contextmanager
def _hydra_at(config_dir: Path, job_name: str):
    """Hydra set up on ``config_dir`` for the block; a ``GlobalHydra`` the caller had
    set up (a notebook's own) is put back after."""
    gh = GlobalHydra.instance()
    mine = gh.hydra if gh.is_initialized() else None
    if mine is not None:
        gh.clear()
    try:
        with initialize_config_dir(config_dir=str(Path(config_dir).resolve()),
                                   version_base="1.3", job_name=job_name):
            yield
    finally:
        if mine is not None:
            GlobalHydra.instance().initialize(mine)


def resolve(cfg: DictConfig, key: str) -> str:
    """The value of ``key`` of a composed ``cfg`` resolved as Hydra resolves it (its
    resolvers and ``sim``'s, set up for this and taken out after), e.g. ``hydra.run.dir``."""
    from hydra.core.utils import setup_globals

    with registered():
        setup_globals()  # Hydra's own resolvers: now, hydra, python_version
        return str(OmegaConf.select(cfg, key, throw_on_missing=True))


@contextlib.contextmanager
def loader(source: Source = Source()):
    """Hydra's config loader for ``source`` within the block (to expand a sweep's globs)."""
    _, primary = search_overrides([], source)
    with registered(), _hydra_at(primary, "sim"):
        yield GlobalHydra.instance().config_loader()


def split(cfg: DictConfig) -> tuple[DictConfig, DictConfig]:
    """``(the config a run reads, Hydra's node as {hydra: ...})`` of a config composed
    ``with_hydra``, as Hydra splits them for a job."""
    task = copy.deepcopy(cfg)
    with read_write(task), open_dict(task):
        hydra_node = task.pop("hydra")
    return task, OmegaConf.create({"hydra": hydra_node})
