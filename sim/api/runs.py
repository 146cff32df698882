"""A study run from Python, its tables in memory, and the folder it is written to or read
from: :func:`study`, :func:`load` and :class:`Results`."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import yaml
from omegaconf import DictConfig, OmegaConf

from sim.app import compose
from sim.app.folders import claim, unclaim
from sim.app.runner import Checked, check, study_tables, write
from sim.errors import InputError, WriteError
from sim.outputs import commit, received
from sim.outputs.labels import label
from sim.outputs.manifest import verify

SETTINGS = {"scenario": "+scenario", "replications": "mc.replications", "seed": "seed",
            "as_of": "as_of", "horizon": "horizon", "n_jobs": "mc.n_jobs",
            "drivers": "mc.drivers", "driver_replications": "mc.driver_replications",
            "progress": "mc.progress", "seeds_dir": "seeds_dir", "backend": "mc.backend",
            "ray_address": "mc.ray_address", "formats": "outputs.formats",
            "figures": "outputs.figures"}
"""The friendly names :func:`study` takes, and the config key each sets."""

TABLES = {"timeseries": "timeseries.parquet", "milestones": "milestones.csv",
          "replications": "replications.parquet", "sites": "sites.csv",
          "sites_drawn": "sites_drawn.csv", "tranches": "tranches.csv",
          "delay": "delay.csv", "sensitivity": "sensitivity.csv",
          "drivers": "drivers.csv", "events": "events.parquet",
          "site_power": "site_power.parquet"}
"""Each table of :class:`Results` and the file of a run's folder that holds it."""


@dataclass
class Results:
    """One study: its summary and tables, the config it ran with, and how to write it.

    ``summary`` is ``summary.json`` as a dict; ``timeseries``, ``milestones``,
    ``replications``, ``sites`` (over the replications), ``sites_drawn`` (the representative
    replication's draw), ``tranches``, ``delay``, ``sensitivity``, ``drivers``, ``events`` and
    ``site_power`` are pandas DataFrames (the files of the same names, see docs/guide.md,
    "Outputs of one run");
    ``config`` is the composed config (an OmegaConf ``DictConfig``, as ``config.yaml``).
    Nothing is written until :meth:`write`.

    >>> from sim import api
    >>> r = api.study(replications=2, horizon="2026-06-30", drivers=False, n_jobs=1)
    >>> r.summary["monte_carlo"]["replications"], sorted(r.milestones["milestone"].unique())
    (2, ['100%', '25%', '50%', '90%', 'first arrival', 'first operational'])
    """

    summary: dict
    timeseries: object
    milestones: object
    replications: object
    sites: object
    sites_drawn: object
    tranches: object
    delay: object
    sensitivity: object
    drivers: object
    events: object
    site_power: object
    config: DictConfig
    _writer: Callable[[Path], None] = field(repr=False, default=None)

    def write(self, folder: str | Path, overwrite: bool = False) -> Path:
        """Write the run into ``folder``, exactly what ``python -m sim`` writes, and return
        it. The folder must be new, empty, or a run of this tool (a finished one only with
        ``overwrite=True``, replaced whole once the new one is complete); all files are
        written or none (:mod:`sim.outputs.commit`). Refused: :class:`~sim.errors.InputError`;
        a full disk: :class:`~sim.errors.WriteError`, nothing half-written.

        >>> import tempfile, pathlib
        >>> from sim import api
        >>> r = api.study(replications=2, horizon="2026-06-30", drivers=False, n_jobs=1)
        >>> folder = r.write(pathlib.Path(tempfile.mkdtemp()) / "run")
        >>> sorted(p.name for p in folder.iterdir())[:4]
        ['.hydra', 'assumptions.csv', 'config.yaml', 'delay.csv']
        """
        folder = Path(folder)
        claim(folder, overwrite, where="folder")
        try:
            self._writer(folder)
        except BaseException:
            unclaim(folder)
            raise
        return folder


def overrides_of(overrides: tuple, settings: dict) -> list[str]:
    """Hydra override strings of ``overrides`` and the friendly ``settings`` (see
    :data:`SETTINGS`; an unknown one is refused in one line); ``mc.progress`` is false
    unless set."""
    unknown = [name for name in settings if name not in SETTINGS]
    if unknown:
        raise InputError(f"setting {unknown[0]!r}", f"unknown; allowed: {', '.join(SETTINGS)}")
    if any(not isinstance(o, str) for o in overrides):
        bad = next(o for o in overrides if not isinstance(o, str))
        raise InputError(f"override {bad!r}", "is not a string; give Hydra override strings "
                                              "such as 'seed=7' or '+scenario=slow_power'")
    settings = {"progress": False, **settings}
    return [*overrides, *(f"{SETTINGS[k]}={_value(v)}" for k, v in settings.items())]


def _value(value) -> str:
    """``value`` as Hydra's override grammar reads it back unchanged."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(_value(v) for v in value) + "]"
    text = str(value)  # quoted; a backslash is escaped only before a quote or at the end
    return "'" + re.sub(r"(\\*)('|$)", lambda m: m.group(1) * 2 + ("\\'" if m.group(2)
                                                                    else ""), text) + "'"


def study(*overrides: str, **settings) -> Results:
    """Run a study: the config ``overrides`` (Hydra override strings, exactly as on the
    command line) and ``settings`` (friendly names of common keys, :data:`SETTINGS`) compose
    to, checked as ``python -m sim`` checks it. Bad input raises
    :class:`~sim.errors.InputError` in one line; nothing is written.

    >>> from sim import api
    >>> r = api.study("+scenario=slow_power", replications=2, horizon="2026-06-30",
    ...               drivers=False, n_jobs=1)
    >>> r.summary["scenario"], len(r.replications)
    ('slow_power', 2)
    >>> api.study(replicatons=2)
    Traceback (most recent call last):
    sim.errors.InputError: setting 'replicatons': unknown; allowed: scenario, replications, ...
    """
    cfg = _composed(overrides_of(overrides, settings))
    task, hydra = compose.split(cfg)
    run = _checked(task, hydra)
    t = study_tables(run)
    return _results(t, task, lambda folder: write(run, t, folder,
                                                  label(task.scenario, run.overrides)))


def _composed(overrides: list[str]) -> DictConfig:
    from hydra.errors import HydraException
    from omegaconf.errors import OmegaConfBaseException

    from sim.app.preflight import check_command_line, check_hydra_settings

    try:
        check_command_line(overrides)
        cfg = compose.compose(overrides, with_hydra=True)
        check_hydra_settings(cfg.hydra, multirun=False)
        return cfg
    except (HydraException, OmegaConfBaseException) as ex:
        raise _one_line(ex) from None


def _checked(task: DictConfig, hydra: DictConfig) -> Checked:
    from omegaconf.errors import OmegaConfBaseException

    try:
        return check(task, hydra)
    except OmegaConfBaseException as ex:
        raise _one_line(ex) from None


def _one_line(ex: BaseException) -> InputError:
    """Hydra's or OmegaConf's error as the one line the command line prints."""
    from sim.app.errors import one_line

    where, _, problem = one_line(ex).partition(": ")
    return InputError(where, problem) if problem else InputError("config", where)


def _results(t: dict, config: DictConfig, writer: Callable[[Path], None]) -> Results:
    return Results(summary=t["summary"], **{name: t[name] for name in TABLES},
                   config=config, _writer=writer)


def load(folder: str | Path) -> Results:
    """The finished run in ``folder``, verified first: its manifest, and every file it lists
    with its checksum (regular files only, no links, each of a bounded size:
    :mod:`sim.outputs.received`). Refused in one line (:class:`~sim.errors.InputError`).
    :meth:`Results.write` of a loaded run copies its files, verified again. Its tables are
    the files': the study's columns, then a date beside each column of model days and the
    run's identity (:mod:`sim.outputs.machine`).

    >>> import tempfile, pathlib
    >>> from sim import api
    >>> r = api.study(replications=2, horizon="2026-06-30", drivers=False, n_jobs=1)
    >>> again = api.load(r.write(pathlib.Path(tempfile.mkdtemp()) / "run"))
    >>> again.summary == r.summary, len(again.milestones) == len(r.milestones)
    (True, True)
    >>> list(again.milestones.columns[-5:])
    ['run_scenario', 'run_as_of', 'run_seed', 'run_config_sha256', 'run_seeds_sha256']
    """
    import pandas as pd

    from sim.outputs.run_files import read

    folder = Path(folder)
    if not received.is_folder(folder):
        raise InputError(str(folder), "no such folder, or a link; give a run's folder")
    manifest = verify(folder, ("summary.json", "config.yaml", *TABLES.values()))

    def table(name: str):
        reader = pd.read_parquet if name.endswith(".parquet") else pd.read_csv
        return read(folder, name, reader)

    summary = read(folder, "summary.json", lambda f: json.loads(f.read_text()))
    config = read(folder, "config.yaml", lambda f: OmegaConf.create(yaml.safe_load(f.read_text())))
    t = {"summary": summary, **{key: table(name) for key, name in TABLES.items()}}
    return _results(t, config, lambda out: _copy(folder, manifest, out))


def _copy(source: Path, manifest: dict, folder: Path) -> None:
    """Write the run in ``source`` (its ``manifest``) into ``folder``: each file read again
    and checked against its checksum, staged, then committed."""
    import hashlib

    staging = None
    try:
        staging = commit.staging(folder)
        for rel, digest in manifest["files"].items():
            data = received.read_bytes(source, rel, received.HASH_LIMIT)
            if hashlib.sha256(data).hexdigest() != digest:
                raise InputError(str(source), f"{rel} changed since the run was loaded")
            (staging / rel).parent.mkdir(parents=True, exist_ok=True)
            (staging / rel).write_bytes(data)
        commit.commit(folder, staging, json.dumps(manifest, indent=2) + "\n")
    except OSError as err:
        raise WriteError(err.filename or folder, err.strerror or str(err)) from err
    finally:
        if staging is not None:
            import shutil

            shutil.rmtree(staging, ignore_errors=True)


