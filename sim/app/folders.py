"""What a refused or interrupted run leaves in its folder, and the folder of a sweep.

Input is refused before any result is written, so a refused run removes only what Hydra
put there (:func:`discard`). Ctrl-C leaves a run unmarked (no ``manifest.json``), and says
so in one line (:func:`interrupted`); in a sweep, the line says how to resume it.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from typing import NoReturn

from sim.outputs.folders import shown
from sim.outputs.manifest import job_dirs

STARTED: list[Path] = []
"""The folder of the sweep this process started, once it has started
(:meth:`sim.app.callbacks.SweepReport.on_multirun_start`)."""


def discard(run_dir: Path, leftovers: tuple[str, ...] = (".hydra",)) -> None:
    """Remove what a refused run put in ``run_dir``, then the folders this left empty.

    Input is refused before any result is written, so only Hydra's ``leftovers`` go
    (``.hydra/`` of a run, ``multirun.yaml`` of a sweep), and a folder only if it is then
    empty and is not the working directory or above it: with ``hydra.run.dir=.`` a refused
    run must not take the user's folder with it.
    """
    for name in leftovers:
        path = Path(run_dir) / name
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
    cwd = Path.cwd().resolve()
    folder = run_dir.resolve()
    for _ in range(3):  # the run folder, results/<scenario>, results
        if folder == cwd or folder in cwd.parents:
            break
        try:
            folder.rmdir()
        except OSError:
            break
        folder = folder.parent


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
