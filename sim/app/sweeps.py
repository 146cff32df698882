"""A sweep's folder: it holds this sweep alone, and each job a folder of its own.

Checked when a multirun starts, before any job (:meth:`sim.app.callbacks.SweepReport
.on_multirun_start`):

- :func:`check_job_folders`: no two jobs write into one folder, and none outside the sweep
  folder (``hydra.sweep.subdir=same`` or ``..`` would lose jobs);
- :func:`claim`: the sweep folder is new, empty, or holds this same sweep (so that running
  the same command again resumes it); a folder of another sweep, of a run or of other files
  is refused with a line saying how to resume that sweep or where to write instead. The
  folder is then locked until the sweep ends, so two sweeps never write into one folder.

A sweep is told by its overrides (:func:`identity`): those of the config, less Hydra's own
and those that change no number (:data:`sim.outputs.manifest.NO_EFFECT_ON_NUMBERS`).
"""

from __future__ import annotations

import os
from pathlib import Path

from hydra._internal.config_loader_impl import get_overrides_dirname
from hydra._internal.core_plugins.basic_sweeper import BasicSweeper
from hydra.core.override_parser.overrides_parser import OverridesParser
from omegaconf import DictConfig, OmegaConf

from sim.app import folders
from sim.errors import InputError
from sim.outputs.folders import shown
from sim.outputs.manifest import NO_EFFECT_ON_NUMBERS, is_complete

DEFAULT_SUBDIR = "${hydra.job.num}"
PER_JOB = ("hydra.job.num", "hydra.job.id")


def identity(overrides) -> list[str]:
    """What tells one sweep from another: its overrides less Hydra's and those that change
    no number, as written."""
    parsed = OverridesParser.create().parse_overrides([str(o) for o in overrides])
    return [o.input_line.strip() for o in parsed
            if not o.is_hydra_override()
            and not o.get_key_element().lstrip("+~").startswith("hydra/")
            and o.key_or_group not in NO_EFFECT_ON_NUMBERS]


def _recorded(sweep_dir: Path) -> list[str] | None:
    """The identity of the sweep recorded in ``sweep_dir/multirun.yaml``; None if unreadable."""
    try:
        return identity(OmegaConf.load(sweep_dir / "multirun.yaml").hydra.overrides.task)
    except Exception:  # noqa: BLE001 (a damaged or foreign file: not this sweep's)
        return None


def claim(config: DictConfig) -> Path:
    """Make the sweep folder this sweep's (see the module's docstring); return it."""
    sweep_dir = Path(str(config.hydra.sweep.dir))
    folders.note_existing(sweep_dir)
    this = identity(config.hydra.overrides.task)
    _check_contents(sweep_dir, this)  # before creating or locking anything
    sweep_dir.mkdir(parents=True, exist_ok=True)
    if not folders.lock(sweep_dir):
        raise InputError("hydra.sweep.dir", f"another sweep is running in {shown(sweep_dir)}; "
                                            "wait for it to end, or give another "
                                            "hydra.sweep.dir")
    try:
        _check_contents(sweep_dir, this)  # again: it may have started a moment ago
    except InputError:
        folders.discard(sweep_dir)
        raise
    return sweep_dir


def _check_contents(sweep_dir: Path, this: list[str]) -> None:
    if not sweep_dir.is_dir() or not any(sweep_dir.iterdir()):
        return
    where = "hydra.sweep.dir"
    elsewhere = "give a new or empty hydra.sweep.dir"
    if (sweep_dir / "multirun.yaml").is_file():
        recorded = _recorded(sweep_dir)
        if recorded == this:
            return
        if recorded is None and not folders.job_dirs(sweep_dir):
            return  # a sweep stopped while Hydra wrote multirun.yaml: no job to lose
        if recorded is None:
            raise InputError(where, f"{shown(sweep_dir)} holds a sweep whose multirun.yaml "
                                    f"cannot be read; {elsewhere}")
        command = " ".join(["python -m sim -m", *recorded, f"hydra.sweep.dir={shown(sweep_dir)}"])
        raise InputError(where, f"{shown(sweep_dir)} holds another sweep "
                                f"({' '.join(recorded) or 'no overrides'}); to resume it, run "
                                f"{command}; for this one, {elsewhere}")
    if is_complete(sweep_dir):
        raise InputError(where, f"{shown(sweep_dir)} is a finished run, not a sweep folder; "
                                f"{elsewhere}")
    raise InputError(where, f"{shown(sweep_dir)} holds other files and is not a sweep folder; "
                            f"{elsewhere}")


def check_job_folders(config: DictConfig) -> None:
    """Refuse a sweep whose jobs would share a folder or write outside the sweep folder."""
    subdir = OmegaConf.to_container(config.hydra.sweep, resolve=False)["subdir"]
    if subdir == DEFAULT_SUBDIR:
        return
    where = "hydra.sweep.subdir"
    if "BasicSweeper" not in str(config.hydra.sweeper.get("_target_", "")):
        if not any(key in str(subdir) for key in PER_JOB):
            raise InputError(where, f"{subdir!r} is not one folder per job: this sweeper makes "
                                    "its jobs as it goes, so the folder must name "
                                    f"{DEFAULT_SUBDIR} (the default)")
        return
    seen: dict[str, int] = {}
    for num, job in enumerate(_jobs(config)):
        path = _job_folder(config, job, num)
        if os.path.isabs(path) or path == "." or path.split(os.sep)[0] == "..":
            raise InputError(where, f"{subdir!r} puts job {num} in {path!r}, not in a folder "
                                    f"of its own inside the sweep folder; use {DEFAULT_SUBDIR} "
                                    "(the default)")
        if path in seen:
            raise InputError(where, f"{subdir!r} puts jobs {seen[path]} and {num} both in "
                                    f"{path!r}; each job needs a folder of its own, e.g. "
                                    f"{DEFAULT_SUBDIR} (the default)")
        seen[path] = num


def _jobs(config: DictConfig) -> list[list[str]]:
    """The overrides of each job the basic sweeper will run, in job order."""
    from hydra.core.global_hydra import GlobalHydra  # Hydra is set up while a sweep starts

    params = [f"{k}={v}" for k, v in (config.hydra.sweeper.get("params") or {}).items()]
    loader = GlobalHydra.instance().config_loader() if GlobalHydra.instance().is_initialized() \
        else None
    parsed = OverridesParser.create(config_loader=loader).parse_overrides(
        params + list(config.hydra.overrides.task))
    return [job for batch in BasicSweeper.split_arguments(parsed, None) for job in batch]


def _job_folder(config: DictConfig, job: list[str], num: int) -> str:
    """A job's folder within the sweep folder, as Hydra will resolve ``hydra.sweep.subdir``."""
    parsed = OverridesParser.create().parse_overrides(job)
    values = {"hydra": {"job": {
        "num": num, "id": str(num), "name": config.hydra.job.get("name", "app"),
        "override_dirname": get_overrides_dirname(
            [o for o in parsed if not o.is_hydra_override()],
            exclude_keys=list(config.hydra.job.config.override_dirname.exclude_keys),
            item_sep=config.hydra.job.config.override_dirname.item_sep,
            kv_sep=config.hydra.job.config.override_dirname.kv_sep)}}}
    cfg = OmegaConf.merge(OmegaConf.to_container(config, resolve=False), values)
    OmegaConf.set_struct(cfg, False)
    for o in parsed:
        if not o.is_hydra_override() and not o.is_delete():
            OmegaConf.update(cfg, o.key_or_group, o.value(), merge=False, force_add=True)
    return os.path.normpath(str(OmegaConf.select(cfg, "hydra.sweep.subdir")))
