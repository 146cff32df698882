"""The folders a run writes into: what it may touch, and what it leaves when it stops early.

A run touches no folder it did not create until its input is accepted: Hydra is told to
write nothing of its own into the run folder (``hydra.output_subdir: null``; the run writes
``.hydra/`` with its results), and a refused run removes only the empty folders Hydra made
for it (:func:`discard`, from what :func:`note_existing` saw before). Once the input is
accepted, :func:`claim` refuses a folder that holds a finished run (unless
``overwrite=true``) or files that are not a run's, and locks it so that no other run writes
there at the same time. Ctrl-C leaves a run unmarked (no ``manifest.json``), and says so in
one line (:func:`interrupted`); in a sweep, the line says how to resume it.
"""

from __future__ import annotations

import errno
import os
import sys
from pathlib import Path
from typing import NoReturn

from sim.errors import InputError
from sim.outputs.folders import shown
from sim.outputs.manifest import FAILURE, MANIFEST, is_complete, job_dirs

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

RUN_MARKS = (MANIFEST, FAILURE, ".hydra", "summary.json", "config.yaml")
"""Names that make a folder a run's (finished, failed or stopped)."""


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


def is_run_folder(folder: Path) -> bool:
    """Whether ``folder`` is empty or holds a run's files (finished, failed or stopped)."""
    names = {p.name for p in Path(folder).iterdir()}
    return not names or bool(names & set(RUN_MARKS)) or any(
        n.startswith(".staging-") for n in names)


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


def claim(run_dir: Path, overwrite: bool) -> None:
    """Make ``run_dir`` this run's, once its input is accepted and before anything is
    written: refuse a finished run (unless ``overwrite``), a folder of other files, or one
    another run is writing into."""
    where = "hydra.run.dir"
    run_dir = Path(run_dir)
    run_dir.mkdir(parents=True, exist_ok=True)
    if is_complete(run_dir) and not overwrite:
        raise InputError(where, f"{shown(run_dir)} is a finished run (it has manifest.json); "
                                "give another folder, or add overwrite=true to replace it")
    if not is_run_folder(run_dir):
        raise InputError(where, f"{shown(run_dir)} holds other files and is not a run's "
                                "folder; give a new or empty folder")
    if not lock(run_dir):
        raise InputError(where, f"another run is writing into {shown(run_dir)}; wait for it "
                                "to end, or give another folder")


def discard_unstarted() -> None:
    """Remove the folder of a sweep that was refused before its first job began (e.g. no Ray
    cluster where one was named): Hydra has written only its ``multirun.yaml`` there."""
    for sweep_dir in STARTED:
        if sweep_dir.is_dir() and not job_dirs(sweep_dir):
            discard(sweep_dir, leftovers=("multirun.yaml",))


def resume_hint(sweep_dir: Path) -> str:
    """How to resume the sweep in ``sweep_dir`` (see :func:`sim.app.callbacks.run_job`)."""
    return f"run the same command with hydra.sweep.dir={shown(sweep_dir)} to resume the sweep"


def interrupted(run_dir: Path, sweep_dir: Path | None = None) -> NoReturn:
    """Ctrl-C during a run: one line, exit status 130; the run was not marked complete.
    In a sweep (``sweep_dir``), the line says how to resume it."""
    resume = f"; {resume_hint(sweep_dir)}" if sweep_dir else ""
    print(f"interrupted: {shown(run_dir)} is not marked complete{resume}", file=sys.stderr)
    sys.exit(130)
