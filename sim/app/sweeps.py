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

import itertools
import os
import re
from pathlib import Path

import yaml
from hydra.core.override_parser.overrides_parser import OverridesParser
from omegaconf import DictConfig, OmegaConf

from sim.app import folders
from sim.errors import InputError
from sim.outputs import received
from sim.outputs.folders import shown
from sim.outputs.manifest import LEGACY_MARK, NO_EFFECT_ON_NUMBERS, is_complete

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
    """The identity of the sweep of this tool recorded in ``sweep_dir/multirun.yaml`` (a
    regular file, bounded, whose config names this tool's sweep callback); None if it is
    unreadable or another tool's."""
    try:
        text = received.read_text(sweep_dir, "multirun.yaml", 2**24)
        recorded = yaml.safe_load(text)["hydra"]
        if LEGACY_MARK not in str(recorded.get("callbacks")):
            return None
        return identity(recorded["overrides"]["task"])
    except Exception:  # noqa: BLE001 (a damaged or foreign file: not this sweep's)
        return None


def _parses(sweep_dir: Path) -> bool:
    """Whether ``multirun.yaml`` is a whole YAML mapping (another tool's, if not this one's)."""
    try:
        return isinstance(yaml.safe_load(received.read_text(sweep_dir, "multirun.yaml", 2**24)),
                          dict)
    except Exception:  # noqa: BLE001 (half-written, or not a file)
        return False


def claim(config: DictConfig) -> Path:
    """Make the sweep folder this sweep's (see the module's docstring); return it."""
    sweep_dir = Path(str(config.hydra.sweep.dir))
    folders.check_not_ours_to_keep(sweep_dir, "hydra.sweep.dir")
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
    if not os.path.lexists(sweep_dir) or (received.is_folder(sweep_dir)
                                          and not any(sweep_dir.iterdir())):
        return
    where = "hydra.sweep.dir"
    elsewhere = "give a new or empty hydra.sweep.dir"
    if os.path.islink(sweep_dir):
        raise InputError(where, f"{shown(sweep_dir)} is a symbolic link; give the folder "
                                "itself")
    if os.path.lexists(sweep_dir / "multirun.yaml"):
        recorded = _recorded(sweep_dir)
        if recorded == this:  # a link in a job's folder: that job runs again, unfollowed
            folders.check_no_links(sweep_dir, where, deep=False)
            return
        if recorded is None and set(os.listdir(sweep_dir)) == {"multirun.yaml"} \
                and not _parses(sweep_dir):
            return  # a sweep stopped while Hydra wrote multirun.yaml: no job to lose
        if recorded is None:
            raise InputError(where, f"{shown(sweep_dir)} holds a multirun.yaml that cannot be "
                                    f"read or is not this tool's; {elsewhere}")
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
    """The overrides of each job the basic sweeper will run, in job order: the product of
    the swept values, as Hydra's basic sweeper makes it."""
    from hydra.core.global_hydra import GlobalHydra  # Hydra is set up while a sweep starts

    params = [f"{k}={v}" for k, v in (config.hydra.sweeper.get("params") or {}).items()]
    loader = GlobalHydra.instance().config_loader() if GlobalHydra.instance().is_initialized() \
        else None
    parsed = OverridesParser.create(config_loader=loader).parse_overrides(
        params + list(config.hydra.overrides.task))
    for o in parsed:
        if o.is_sweep_override() and not o.is_discrete_sweep():
            raise InputError(o.key_or_group, f"{o.input_line.partition('=')[2]} is a search "
                                             "space, which the basic sweeper cannot sweep; "
                                             "list the values (e.g. 0,6,12), or use "
                                             "hydra/sweeper=goal_seek")
    values = [[f"{o.get_key_element()}={v}" for v in o.sweep_string_iterator()]
              if o.is_sweep_override() else
              [f"{o.get_key_element()}={o.get_value_element_as_str()}"] for o in parsed]
    return [list(job) for job in itertools.product(*values)]


def overrides_dirname(overrides, exclude_keys, item_sep: str, kv_sep: str) -> str:
    """``hydra.job.override_dirname`` of a job's parsed ``overrides``, as Hydra makes it:
    the overrides but the excluded keys, sorted, joined by ``item_sep``, ``=`` as ``kv_sep``."""
    lines = sorted(o.input_line for o in overrides if o.key_or_group not in exclude_keys)
    return re.sub("=", kv_sep, item_sep.join(lines))


def _job_folder(config: DictConfig, job: list[str], num: int) -> str:
    """A job's folder within the sweep folder, as Hydra will resolve ``hydra.sweep.subdir``."""
    parsed = OverridesParser.create().parse_overrides(job)
    values = {"hydra": {"job": {
        "num": num, "id": str(num), "name": config.hydra.job.get("name", "app"),
        "override_dirname": overrides_dirname(
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
