"""The sweep's side of a multirun: each job, and the report that ends it.

Each job runs through :func:`run_job`, which makes a sweep resumable and lets it survive a
failing job. Run again with the same ``hydra.sweep.dir``, a sweep skips the jobs whose
folders are complete with the same config, seed files, package versions and code
(:func:`sim.outputs.manifest.finished_with`) and runs the rest. A job that fails records
its error in ``error.json`` in its folder instead of raising (if it raised, Hydra would skip
the report: Hydra's multirun stops at a job's exception); ``sweep.csv`` lists it with its error, and
the sweep ends with exit status 1 (2 if every failure was bad input).

:class:`SweepReport` is a Hydra callback (registered in ``conf/config.yaml`` under
``hydra.callbacks``): Hydra calls ``on_multirun_end`` in the main process once every job
has finished, whatever the launcher or sweeper, and it writes the sweep's report
(:mod:`sim.outputs.sweep`). Hydra makes the callback for every run, so this module loads
nothing heavy at import.
"""

from __future__ import annotations

import logging
import os
import shlex
import sys
import traceback
from pathlib import Path
from typing import Any

from hydra.experimental.callback import Callback
from omegaconf import DictConfig
from omegaconf.errors import OmegaConfBaseException

from sim.app import sweeps
from sim.app.errors import FULL_ERROR, one_line
from sim.app.folders import STARTED, interrupted, resume_hint
from sim.app.runner import check, hydra_files, inputs, objective, study_tables, write
from sim.errors import InputError, WriteError
from sim.outputs import manifest
from sim.outputs.folders import shown
from sim.outputs.terminal import report as run_report
from sim.study.headline import check_objective

log = logging.getLogger("sim")


class SweepReport(Callback):
    """Hydra callback: at the end of a multirun, write ``sweep.csv`` and the sweep's plots."""

    # Hydra turns an exception in a callback into a warning and carries on, so these exit.

    def on_multirun_start(self, config: DictConfig, **kwargs: Any) -> None:
        """Before any job starts: refuse a bad ``objective`` (once, not once per job), jobs
        that would share a folder, and a sweep folder that is not this sweep's; lock it; say
        where the sweep writes and how to resume it."""
        optimizer = "optuna" in str(config.hydra.sweeper.get("_target_", ""))
        try:
            check_objective(config.get("objective") or "", config.get("objective_at_most"),
                            required=optimizer)
            sweeps.check_job_folders(config)
            sweep_dir = sweeps.claim(config)
        except InputError as ex:
            print(f"error: {ex}", file=sys.stderr)
            sys.exit(2)
        STARTED.append(sweep_dir)
        print(f"sweep folder: {shown(sweep_dir)} (if it stops, {resume_hint(sweep_dir)})",
              flush=True)

    def on_multirun_end(self, config: DictConfig, **kwargs: Any) -> None:
        sweep_dir = Path(str(config.hydra.sweep.dir))
        from sim.outputs.sweep import report  # pandas: only once the sweep has ended

        try:
            overrides = list(config.hydra.overrides.task)
            t = report(sweep_dir, objective=config.get("objective") or "",
                       bound=config.get("objective_at_most"),
                       formats=list(config.get("outputs", {}).get("formats") or ["png"]),
                       command=" ".join(["python -m sim -m", *map(shlex.quote, overrides)]))
        except OSError as ex:  # e.g. a full disk: the report was staged, nothing is left of it
            print(f"error: cannot write the sweep report: {ex.strerror or ex}; nothing of it "
                  f"was written; the jobs' folders in {shown(sweep_dir)} are complete "
                  f"({resume_hint(sweep_dir)} to write it)", file=sys.stderr)
            sys.exit(1)
        except Exception as ex:  # a bug here must not pass as a warning with exit status 0
            if FULL_ERROR:
                traceback.print_exc()
            print(f"error: the sweep report failed ({type(ex).__name__}: {ex}); the jobs' "
                  f"folders in {sweep_dir} are complete", file=sys.stderr)
            sys.exit(1)
        failed = t[~t["finished"]] if not t.empty else t
        if not failed.empty:
            jobs = "job" + "s" * (len(failed) > 1)
            print(f"error: {len(failed)} of {len(t)} jobs failed ({jobs} "
                  f"{', '.join(map(str, failed['job']))}); their errors are in sweep.csv and "
                  f"in each job's error.json; to retry only them, {resume_hint(sweep_dir)}",
                  file=sys.stderr)
            sys.exit(2 if failed["bad_input"].eq(True).all() else 1)


def run_job(cfg: DictConfig, run_dir: Path, label: str, job: int, sweep_dir: Path,
            hydra: DictConfig | None = None) -> float | None:
    """Job number ``job`` of the sweep in ``sweep_dir``; returns its objective (None if unset
    or if the job failed). ``hydra`` is Hydra's node of the job's config (``{hydra: ...}``).

    Skipped if ``run_dir`` is already complete with the same inputs, so that a sweep run
    again resumes. A failure is recorded in ``run_dir/error.json`` and told in one line, not
    raised, so that the sweep goes on and ends with its report.
    """
    if os.path.islink(run_dir):  # never written through (the sweep's start refuses links)
        print(f"error: job {job} failed: {shown(run_dir)} is a symbolic link; not followed",
              file=sys.stderr)
        return None
    try:
        run_inputs = inputs(cfg)
        done = manifest.finished_with(run_dir, run_inputs)
        if done is not None:
            log.info(f"job {job}: {shown(run_dir)} is complete with this config, these "
                     "seed files and this code; skipped")
            return objective(cfg, done)
        manifest.start_afresh(run_dir)
        manifest.mark_started(run_dir)
        for name, text in hydra_files(cfg, hydra).items():  # which job this is, if it fails
            manifest.write_atomically(run_dir / name, text)
        run = check(cfg, hydra, run_inputs)
        summary = write(run, study_tables(run), run_dir, label, sweep_job=True)
        if cfg.archive:
            from sim.app.archive import save

            save(run)
    except KeyboardInterrupt:
        interrupted(run_dir, sweep_dir)
    except Exception as ex:
        bad_input = isinstance(ex, (InputError, OmegaConfBaseException))
        line = str(ex) if isinstance(ex, WriteError) else one_line(ex) if bad_input \
            else f"{type(ex).__name__}: {ex}"
        try:
            manifest.record_failure(run_dir, line, bad_input=bad_input,
                                    details=traceback.format_exc())
            recorded = f" (recorded in {shown(run_dir / manifest.FAILURE)})"
        except OSError as err:  # e.g. the disk is full
            recorded = f" (not recorded: {err.strerror})"
        print(f"error: job {job} failed: {line}{recorded}", file=sys.stderr)
        return None
    log.info(run_report(summary, run_dir))
    return objective(cfg, summary)
