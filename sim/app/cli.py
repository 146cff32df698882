"""``python -m sim``: a thin shell over the steps :mod:`sim.api` takes.

A single run: the command line is read (:mod:`sim.app.command_line`, Hydra's flags), the
config composed once with Hydra's public compose API (:mod:`sim.app.compose`) and checked
with its seed files; only then is its folder (``hydra.run.dir``) claimed
(:func:`sim.app.folders.claim`) and the study run and written (:mod:`sim.app.runner`).
Hydra itself writes nothing into a run's folder: the run writes ``.hydra/`` with its
results. A multirun (``-m``, or ``hydra.mode=MULTIRUN`` set anywhere), and every flag whose
work Hydra does (``--help``, ``--cfg``, ``--info``, ...), go to Hydra's ``@hydra.main``
(:mod:`sim.app.multirun`), a sweep after its preflight (every swept value, Hydra's
settings).

Bad input (an unknown key, a wrong type, a value out of range, a broken seed file, a folder
that is not the run's) ends the program with one line on stderr naming the key or record,
exit status 2, no traceback (set ``HYDRA_FULL_ERROR=1`` to see one) and nothing written.
Ctrl-C, SIGTERM and SIGHUP end it in one line, exit status 128 + the signal's number.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import NoReturn

from hydra.errors import HydraException
from hydra.types import RunMode
from omegaconf.errors import OmegaConfBaseException

from sim.app import command_line, compose, environment
from sim.app.errors import FULL_ERROR, refuse
from sim.app.folders import STARTED, claim, discard_unstarted, resume_hint, unclaim
from sim.app.preflight import check_command_line, check_hydra_settings, check_jobs, parse
from sim.app.runner import check, study_tables, write
from sim.errors import ConservationError, InputError, WriteError
from sim.outputs.folders import exit_code, shown
from sim.outputs.labels import label
from sim.outputs.terminal import report

BAD_INPUT = (InputError, HydraException, OmegaConfBaseException)


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else list(argv)
    try:
        environment.prepare()
        args = command_line.parse(argv)
        if command_line.handed_to_hydra(args):
            return _hydra(argv, flags=True)
        check_command_line(args.overrides)
        source = command_line.source(args)
        sweeps = {o.input_line for o in parse(args.overrides) if o.is_sweep_override()}
        cfg = compose.compose([o for o in args.overrides if o not in sweeps], source,
                              with_hydra=True)
        multirun = args.multirun or cfg.hydra.mode == RunMode.MULTIRUN
        check_hydra_settings(cfg.hydra, multirun)
        if multirun:  # every swept value, the config's own sweep (hydra.sweeper.params) too
            params = [f"{k}={v}" for k, v in (cfg.hydra.sweeper.get("params") or {}).items()]
            check_jobs([*params, *args.overrides], source)
            return _hydra(argv)
        if sweeps:  # Hydra says why a sweep needs -m
            compose.compose(args.overrides, source)
        _single_run(cfg)
    except BAD_INPUT as ex:
        refuse(ex)
    except KeyboardInterrupt:  # before the run started, or between jobs
        print(f"interrupted: {resume_hint(STARTED[-1])}" if STARTED else
              "interrupted: no run was marked complete", file=sys.stderr)
        sys.exit(exit_code())


def _single_run(cfg) -> None:
    """Check, claim the folder, run the study, write it, say what it found."""
    task, hydra = compose.split(cfg)
    run = check(task, hydra)
    run_dir = Path(compose.resolve(cfg, "hydra.run.dir"))
    try:
        claim(run_dir, task.overwrite)
    except WriteError as ex:  # a full disk: nothing was made
        print(f"error: {ex}", file=sys.stderr)
        sys.exit(1)
    try:
        summary = write(run, study_tables(run), run_dir, label(task.scenario, run.overrides))
    except BAD_INPUT as ex:  # an interpolation fails only here
        unclaim(run_dir)
        refuse(ex)
    except (WriteError, ConservationError) as ex:  # a full disk, GPUs lost: nothing marked
        unclaim(run_dir)
        print(f"error: {ex}", file=sys.stderr)
        sys.exit(1)
    except KeyboardInterrupt:
        unclaim(run_dir)
        print(f"interrupted: {shown(run_dir)} is not marked complete", file=sys.stderr)
        sys.exit(exit_code())
    print(report(summary, run_dir), flush=True)
    if task.archive:
        _archive(run)


def _archive(run) -> None:
    """Keep the run's forecast in ``results/archive/`` (:mod:`sim.app.archive`)."""
    from sim.app.archive import save

    try:
        folder, new = save(run)
    except WriteError as ex:
        print(f"error: the run is complete, but its forecast was not archived: {ex}",
              file=sys.stderr)
        sys.exit(1)
    print(f"archived: {shown(folder)}" + ("" if new else " (this forecast was archived "
                                                        "today already; kept as it was)"))


def _hydra(argv: list[str], flags: bool = False) -> None:
    """Hand ``argv`` to Hydra (:mod:`sim.app.multirun`); its errors in one line. With
    ``flags`` (``--cfg``, ``--info``...), Hydra's ``ValueError`` is a combination of flags it
    refuses: bad input too."""
    from sim.app import multirun

    try:
        multirun.run(argv)
    except (*BAD_INPUT, ConnectionError) as ex:  # also: no Ray cluster where one was named
        discard_unstarted()
        refuse(ex)
    except OSError as ex:
        discard_unstarted()
        if ex.filename is not None:  # e.g. a hydra.sweep.dir that cannot be made
            refuse(InputError(str(ex.filename), f"{ex.strerror}; results need a folder that "
                                                "can be created and written"))
        _fault(ex)
    except Exception as ex:  # noqa: BLE001 (not bad input, a fault: one line, exit 1)
        if flags and isinstance(ex, ValueError):
            refuse(InputError("command line", f"{ex}; see python -m sim --hydra-help"))
        _fault(ex)


def _fault(ex: Exception) -> NoReturn:
    """Not bad input: one line, exit status 1 (the traceback with HYDRA_FULL_ERROR=1)."""
    if FULL_ERROR:
        raise ex
    print(f"error: {type(ex).__name__}: {ex}".splitlines()[0] + " (set HYDRA_FULL_ERROR=1 "
          "for the traceback)", file=sys.stderr)
    sys.exit(1)
