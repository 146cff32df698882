"""The folders a run writes into: what it may touch, and what it leaves when it stops early.

A run touches no folder until its input is accepted: a single run composes and checks its
config before it names its folder, and Hydra writes nothing of its own into a sweep's job
folders (``hydra.output_subdir`` null and no log file: :func:`sim.app.preflight
.check_hydra_settings`; each job writes ``.hydra/`` itself). Once the input is accepted,
:func:`claim` takes a folder only if it is this run's to take:

- absent or empty, or a run of this tool, proved by its content: its manifest (a finished
  run, replaced only with ``overwrite=true``) or the mark a run of this tool leaves when it
  claims a folder (a stopped run) (:mod:`sim.outputs.manifest`), never by a file name that
  any tool might write;
- not a link, and holding no link: nothing is written through one;
- not in the project's own ``conf/``, ``seeds/`` or the package (:func:`check_not_ours_to_keep`).

It then locks the folder, so that no other run writes there at the same time, and marks it.
A run stopped by Ctrl-C, SIGTERM or SIGHUP leaves its folder unmarked as finished (no
``manifest.json``), and says so in one line (:func:`interrupted`); in a sweep, the line says
how to resume it. A refused run removes only the empty folders made for it (:func:`discard`).
"""

from __future__ import annotations

import errno
import os
import sys
from pathlib import Path
from typing import NoReturn

from sim.app.paths import CONF_DIR, PACKAGE_DIR, SEEDS_DIR
from sim.errors import InputError, WriteError
from sim.outputs import received
from sim.outputs.folders import exit_code, shown
from sim.outputs.manifest import is_complete, is_started, job_dirs, mark_started, read

try:
    import fcntl
except ImportError:  # not on Windows: folders are not locked there
    fcntl = None

STARTED: list[Path] = []
"""The folder of the sweep this process started, once it holds it
(:meth:`sim.app.callbacks.SweepReport.on_multirun_start`)."""

_EXISTED: dict[Path, Path] = {}
"""For a folder this process is about to use: the deepest of it and its parents that
existed before (:func:`note_existing`); :func:`discard` removes nothing at or above it."""

_LOCKS: dict[Path, int] = {}
"""The folders this process has locked, and the open descriptor that holds each lock."""



def note_existing(folder: Path) -> None:
    """Remember which of ``folder`` and its parents exist now, before anything is created."""
    folder = Path(os.path.abspath(folder))
    existing = folder
    while not existing.is_dir() and existing != existing.parent:
        existing = existing.parent
    _EXISTED[folder] = existing


def discard(run_dir: Path, leftovers: tuple[str, ...] = ()) -> None:
    """Remove what a refused run put in ``run_dir``: the ``leftovers`` it wrote (e.g. the
    ``multirun.yaml`` of a sweep), then the folders this left empty, but only those created
    since :func:`note_existing` (without that note, none: an empty folder the user made stays),
    and never the working directory or above it."""
    folder = Path(os.path.abspath(run_dir))
    for name in leftovers:
        (folder / name).unlink(missing_ok=True)
    existed = _EXISTED.get(folder, folder)
    cwd = Path.cwd().resolve()
    while folder != existed and folder.is_relative_to(existed):
        if folder.resolve() == cwd or folder.resolve() in cwd.parents:
            break
        try:
            folder.rmdir()
        except OSError:
            break
        folder = folder.parent


def check_not_ours_to_keep(folder: Path, key: str) -> None:
    """Refuse a results folder in the project's own ``conf/`` or ``seeds/``, or in the
    package (its code and its installed data), or one that holds any of them."""
    where = Path(os.path.realpath(folder))
    for kept in (CONF_DIR, SEEDS_DIR, PACKAGE_DIR):
        kept = Path(os.path.realpath(kept))
        if where == kept or where.is_relative_to(kept) or kept.is_relative_to(where):
            raise InputError(key, f"{shown(Path(folder))} is in or holds {shown(kept)}, which "
                                  "belongs to sim itself; give a folder for results, e.g. "
                                  "one under results/")


def check_no_links(folder: Path, key: str, deep: bool = True) -> None:
    """Refuse a folder that is a link or holds one (at any depth, or only at its top unless
    ``deep``): a run never writes through a link, and never removes what one points to."""
    if os.path.islink(folder):
        raise InputError(key, f"{shown(folder)} is a symbolic link; give the folder itself")
    for root, dirs, files in os.walk(folder):
        if not deep and root != str(folder):
            break
        for name in (*dirs, *files):
            if os.path.islink(os.path.join(root, name)):
                rel = os.path.relpath(os.path.join(root, name), folder)
                raise InputError(key, f"{shown(folder)} holds {rel}, a symbolic link, which "
                                      "no run writes; remove it, or give another folder")


def is_run_folder(folder: Path) -> bool:
    """Whether ``folder`` is empty or holds a run of this tool (finished, failed or stopped),
    told by its content (see the module's docstring)."""
    return not any(Path(folder).iterdir()) or read(folder) is not None or is_started(folder)


def lock(folder: Path) -> bool:
    """Lock ``folder`` for this process until it exits; False if another process holds it.

    A lock on the folder itself (``flock``), so nothing is written into it; where the
    filesystem has no such locks (some network filesystems), the folder goes unlocked.
    """
    folder = Path(os.path.abspath(folder))
    if fcntl is None or folder in _LOCKS:
        return True
    fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as err:
        os.close(fd)
        return err.errno not in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES)
    _LOCKS[folder] = fd
    return True


def claim(run_dir: Path, overwrite: bool, where: str = "hydra.run.dir") -> None:
    """Make ``run_dir`` this run's, once its input is accepted and before anything is
    written: refuse a finished run (unless ``overwrite``), a folder of other files, a link,
    a folder of ``sim`` itself, or one another run is writing into; then lock and mark it.
    Nothing of an earlier run there is touched until the new run is complete. ``where``
    names the setting that gave the folder, for the error."""
    run_dir = Path(run_dir)
    check_not_ours_to_keep(run_dir, where)
    if os.path.lexists(run_dir):
        if os.path.islink(run_dir):
            raise InputError(where, f"{shown(run_dir)} is a symbolic link; give the folder "
                                    "itself")
        if not run_dir.is_dir():
            raise InputError(where, f"{shown(run_dir)} is a file, not a folder; give a folder")
        if is_complete(run_dir) and not overwrite:
            raise InputError(where, f"{shown(run_dir)} is a finished run (it has "
                                    "manifest.json); give another folder, or add "
                                    "overwrite=true to replace it")
        if not is_run_folder(run_dir):
            raise InputError(where, f"{shown(run_dir)} holds other files and is not a run's "
                                    "folder; give a new or empty folder")
        check_no_links(run_dir, where)
    note_existing(run_dir)
    try:
        run_dir.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise InputError(where, f"{shown(run_dir)}: {err.strerror}; results need a folder "
                                "that can be created and written") from None
    if not lock(run_dir):
        raise InputError(where, f"another run is writing into {shown(run_dir)}; wait for it "
                                "to end, or give another folder")
    try:
        mark_started(run_dir)
    except OSError as err:  # e.g. a full disk
        discard(run_dir)
        raise WriteError(shown(Path(err.filename or run_dir)), err.strerror or str(err)) \
            from None


def unclaim(run_dir: Path) -> None:
    """Undo :func:`claim` for a run that stopped before writing anything: its mark goes,
    then the folders made for it."""
    from sim.outputs.manifest import STARTED

    (Path(run_dir) / STARTED).unlink(missing_ok=True)
    discard(run_dir)


def discard_unstarted() -> None:
    """Remove the folder of a sweep that was refused before its first job began (e.g. no Ray
    cluster where one was named): Hydra has written only its ``multirun.yaml`` there."""
    for sweep_dir in STARTED:
        if received.is_folder(sweep_dir) and not job_dirs(sweep_dir):
            discard(sweep_dir, leftovers=("multirun.yaml",))


def resume_hint(sweep_dir: Path) -> str:
    """How to resume the sweep in ``sweep_dir`` (see :func:`sim.app.callbacks.run_job`)."""
    return f"run the same command with hydra.sweep.dir={shown(sweep_dir)} to resume the sweep"


def interrupted(run_dir: Path, sweep_dir: Path | None = None) -> NoReturn:
    """Ctrl-C (or SIGTERM, SIGHUP) during a run: one line, exit status 128 + the signal's
    number (130 for Ctrl-C); the run was not marked complete.
    In a sweep (``sweep_dir``), the line says how to resume it."""
    resume = f"; {resume_hint(sweep_dir)}" if sweep_dir else ""
    print(f"interrupted: {shown(run_dir)} is not marked complete{resume}", file=sys.stderr)
    sys.exit(exit_code())
