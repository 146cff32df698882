"""The report that ends every multirun: ``sweep.csv`` and the plots that fit the sweep.

``python -m sim -m +scenario=baseline,slow_power power.grid_delay_months=0,6,12`` runs six
jobs; a user then wants one table and one picture, not six folders. :class:`SweepReport` is a
Hydra callback (registered in ``conf/config.yaml`` under ``hydra.callbacks``): Hydra calls
``on_multirun_end`` in the main process once every job has finished, whatever the launcher
or sweeper. Jobs may have run in other processes (joblib) or on other machines (Ray), so the
report reads only what the jobs wrote into the sweep folder: each job's
``.hydra/overrides.yaml``, ``summary.json`` and, for curves, its timeseries.

Into the sweep folder it writes

- ``sweep.csv``: a row per job: its overridden values, its headline figures
  (:func:`sim.metrics.headline`), whether it finished, and its folder;
- the plots that fit the swept factors (those overrides whose value differs between jobs):
  one numeric factor: ``outputs_vs_<factor>.png``, the headline figures against it, a line
  per value of the other factor if there is one; two numeric factors: ``heatmap.png``; a
  list of scenarios (no numeric factor), or any sweep of at most 12 jobs:
  ``operational.png``, their operational curves overlaid (:mod:`sim.comparison_plots`);
- for a list of scenarios, also ``compare.csv`` and the table of differences from the first
  job that ``python -m sim.compare`` prints, so one command compares scenarios.

With ``objective=<figure>`` (goal seek, ``hydra/sweeper=goal_seek``) and one numeric factor
it also prints between which values of the factor the figure rises above
``objective_at_most`` (0 if unset), e.g. the largest grid delay at which all 260k GPUs are
still operational by 2030-12-31.

Each job runs through :func:`run_job`, which makes a sweep resumable and lets it survive a
failing job. Run again with the same ``hydra.sweep.dir``, a sweep skips the jobs whose
folders are complete with the same config, seed files and package versions
(:func:`sim.manifest.finished_with`) and runs the rest. A job that fails records its error
in ``error.json`` in its folder instead of raising (if it raised, Hydra would skip this
report: see ``../shared/design/STACK.md``); ``sweep.csv`` lists it with its error, and the
sweep ends with exit status 1 (2 if every failure was bad input).
"""

from __future__ import annotations

import logging
import os
import sys
import traceback
from pathlib import Path
from typing import Any

from hydra.experimental.callback import Callback
from omegaconf import DictConfig

log = logging.getLogger("sim")

SWEEP_CSV = "sweep.csv"
OUTPUTS = ["all_operational_days_after_2030", "operational_2030_12_31", "peak_waiting_gpus",
           "idle_value_won"]
"""The headline figures the sweep plots show (the objective is added if it is another)."""
SHOWN = ["all_operational_date", "all_operational_days_after_2030", "operational_2030_12_31",
         "peak_waiting_gpus"]
"""The headline figures the printed table shows; sweep.csv has them all."""
OVERLAY_MAX_JOBS = 12


STARTED: list[Path] = []
"""The folder of the sweep this process started, once it has started."""


def discard_unstarted() -> None:
    """Remove the folder of a sweep that was refused before its first job began (e.g. no Ray
    cluster where one was named): Hydra has written only its ``multirun.yaml`` there."""
    from sim import compare
    from sim.cli import discard

    for sweep_dir in STARTED:
        if sweep_dir.is_dir() and not compare.job_dirs(sweep_dir):
            discard(sweep_dir, leftovers=("multirun.yaml",))


class SweepReport(Callback):
    """Hydra callback: at the end of a multirun, write ``sweep.csv`` and the sweep's plots."""

    # Hydra turns an exception in a callback into a warning and carries on, so these exit.

    def on_multirun_start(self, config: DictConfig, **kwargs: Any) -> None:
        """Refuse a bad ``objective`` once, before any job starts (not once per job); say
        where the sweep writes and how to resume it."""
        from sim.cli import resume_hint, shown
        from sim.errors import InputError
        from sim.metrics import check_objective

        sweep_dir = Path(str(config.hydra.sweep.dir))
        STARTED.append(sweep_dir)
        optimizer = "optuna" in str(config.hydra.sweeper.get("_target_", ""))
        try:
            check_objective(config.get("objective") or "", config.get("objective_at_most"),
                            required=optimizer)
        except InputError as ex:
            print(f"error: {ex}", file=sys.stderr)
            sys.exit(2)
        print(f"sweep folder: {shown(sweep_dir)} (if it stops, {resume_hint(sweep_dir)})",
              flush=True)

    def on_multirun_end(self, config: DictConfig, **kwargs: Any) -> None:
        sweep_dir = Path(str(config.hydra.sweep.dir))
        try:
            t = report(sweep_dir, objective=config.get("objective") or "",
                       bound=config.get("objective_at_most"))
        except Exception as ex:  # a bug here must not pass as a warning with exit status 0
            if os.environ.get("HYDRA_FULL_ERROR") == "1":
                traceback.print_exc()
            print(f"error: the sweep report failed ({type(ex).__name__}: {ex}); the jobs' "
                  f"folders in {sweep_dir} are complete", file=sys.stderr)
            sys.exit(1)
        failed = t[~t["finished"]] if not t.empty else t
        if not failed.empty:
            from sim.cli import resume_hint

            jobs = "job" + "s" * (len(failed) > 1)
            print(f"error: {len(failed)} of {len(t)} jobs failed ({jobs} "
                  f"{', '.join(map(str, failed['job']))}); their errors are in sweep.csv and "
                  f"in each job's error.json; to retry only them, {resume_hint(sweep_dir)}",
                  file=sys.stderr)
            sys.exit(2 if failed["bad_input"].eq(True).all() else 1)


def sample_jobs(overrides: list[str]) -> list[list[str]]:
    """A few of the jobs ``overrides`` sweep over, enough to try every swept value.

    The first job (every sweep at its first value), then each value of each sweep with the
    other sweeps at their first: each is a job the sweep will run. A range gives its first
    and last values, an interval (a sweeper's search space) its two ends; a glob is left to
    Hydra. Hydra's own overrides (``hydra.*``, ``hydra/...``) are left out.
    """
    from hydra.core.override_parser.overrides_parser import OverridesParser

    parsed = [o for o in OverridesParser.create().parse_overrides(overrides)
              if not o.is_hydra_override() and not o.get_key_element().lstrip("+")
              .startswith("hydra/")]
    choices = []  # (override, the values to try; None: not a sweep, as given)
    for o in parsed:
        if not o.is_sweep_override():
            values = [None]
        elif o.is_interval_sweep():
            space = o.value()
            values = [str(int(v) if "int" in space.tags else v) for v in (space.start, space.end)]
        elif o.is_range_sweep():
            every = list(o.sweep_string_iterator())
            values = list(dict.fromkeys([every[0], every[-1]]))
        elif o.is_choice_sweep():
            values = list(o.sweep_string_iterator())
        else:
            continue  # a glob: Hydra expands it
        choices.append((o, values))

    def job(pick: dict[int, str]) -> list[str]:
        return [o.input_line if values[0] is None else
                f"{o.get_key_element()}={pick.get(i, values[0])}"
                for i, (o, values) in enumerate(choices)]

    jobs = [job({})]
    for i, (_, values) in enumerate(choices):
        jobs += [job({i: v}) for v in values[1:]]
    return jobs


def check_jobs(overrides: list[str], config_name: str = "config") -> None:
    """Refuse a sweep before any job starts if one of :func:`sample_jobs` is bad input.

    Raises the error the job itself would raise (:class:`sim.errors.InputError` or Hydra's),
    so that a sweep with a bad value ends in one line with exit status 2 and no folder, as
    a single run does; a job that fails only in a combination not tried here fails alone
    and is recorded (:func:`run_job`).
    """
    from hydra import compose, initialize_config_dir

    from sim.config import CONF_DIR
    from sim.runner import prepare

    with initialize_config_dir(config_dir=str(CONF_DIR), version_base="1.3"):
        for job in sample_jobs(overrides):
            prepare(compose(config_name=config_name, overrides=job))


def run_job(cfg: DictConfig, run_dir: Path, label: str, job: int, sweep_dir: Path
            ) -> float | None:
    """Job number ``job`` of the sweep in ``sweep_dir``; returns its objective (None if unset
    or if the job failed).

    Skipped if ``run_dir`` is already complete with the same inputs, so that a sweep run
    again resumes. A failure is recorded in ``run_dir/error.json`` and told in one line, not
    raised, so that the sweep goes on and ends with its report.
    """
    from omegaconf.errors import OmegaConfBaseException

    from sim import manifest
    from sim.cli import interrupted, one_line, report as run_report, shown
    from sim.errors import InputError
    from sim.runner import inputs, objective, run_and_write

    try:
        run_inputs = inputs(cfg)
        done = manifest.finished_with(run_dir, run_inputs)
        if done is not None:
            log.info(f"job {job}: {shown(run_dir)} is complete with this config and these "
                     "seed files; skipped")
            return objective(cfg, done)
        summary = run_and_write(cfg, run_dir, label, run_inputs)
    except KeyboardInterrupt:
        interrupted(run_dir, sweep_dir)
    except Exception as ex:
        bad_input = isinstance(ex, (InputError, OmegaConfBaseException))
        line = one_line(ex) if bad_input else f"{type(ex).__name__}: {ex}"
        manifest.record_failure(run_dir, line, bad_input=bad_input,
                                details=traceback.format_exc())
        print(f"error: job {job} failed: {line} (recorded in "
              f"{shown(run_dir / manifest.FAILURE)})", file=sys.stderr)
        return None
    log.info(run_report(summary, run_dir))
    return objective(cfg, summary)


def overridden_values(overrides: list[str]) -> dict[str, Any]:
    """``{key: value}`` of a job's command-line overrides, parsed as Hydra parses them.

    ``+scenario=slow_power`` gives ``scenario: slow_power``; a distribution given as a dict
    stays its text, so that it fits in one cell.
    """
    from hydra.core.override_parser.overrides_parser import OverridesParser

    values = {}
    for o in OverridesParser.create().parse_overrides(overrides):
        if o.is_hydra_override():
            continue
        value = o.value()
        values[o.key_or_group] = value if isinstance(value, (int, float, str, bool)) \
            or value is None else o.get_value_element_as_str()
    return values


def table(sweep_dir: Path):
    """``(sweep table, swept factors)``: a row per job folder, finished or not; a job that
    failed has its error (and whether it was bad input) in the last columns."""
    import pandas as pd

    from sim import compare, manifest
    from sim.metrics import headline

    rows, keys = [], {}
    for job in compare.job_dirs(sweep_dir):
        values = overridden_values(compare.overrides_of(job))
        keys.update(dict.fromkeys(values))
        row = {"job": job.name, **values}
        finished = manifest.is_complete(job)
        if finished:
            summary = compare.load(job).summary
            if "scenario" in values:
                row["scenario"] = summary.get("scenario", values["scenario"])
            row.update(headline(summary))
        failure = {} if finished else manifest.failure(job) or {
            "error": "did not finish (no manifest.json, no error.json): stopped or killed?",
            "bad_input": False}
        row.update(finished=finished, error=failure.get("error", ""),
                   bad_input=failure.get("bad_input", False), job_dir=str(job))
        rows.append(row)
    t = pd.DataFrame(rows)
    if t.empty:
        return t, []
    ends = ["finished", "error", "bad_input", "job_dir"]
    t = t[[c for c in t.columns if c not in ends] + ends]
    factors = [k for k in keys if t[k].astype(str).nunique() > 1]
    return t, factors


def is_numeric(column) -> bool:
    values = column.dropna()
    return len(values) > 0 and all(isinstance(v, (int, float)) and not isinstance(v, bool)
                                   for v in values)


def crossing(t, factor: str, objective: str, bound: float = 0.0) -> str:
    """Between which values of ``factor`` the objective rises above ``bound``, as a line."""
    rows = t[[factor, objective]].dropna().sort_values(factor)
    met = rows[rows[objective] <= bound]
    missed = rows[rows[objective] > bound]
    if met.empty or missed.empty:
        side = f"<= {bound:g}" if missed.empty else f"> {bound:g}"
        return f"{objective} is {side} at every {factor} tried"
    return (f"{objective} <= {bound:g} up to {factor}={met[factor].max():g}; "
            f"> {bound:g} from {factor}={missed[factor].min():g} (of {len(rows)} jobs)")


def report(sweep_dir: Path, objective: str = "", bound: float | None = None):
    """Write ``sweep.csv``, the fitting plots and, for a list of scenarios, ``compare.csv``
    into ``sweep_dir``; print the tables. Returns the sweep table (:func:`table`)."""
    from sim import compare
    from sim.cli import shown

    t, factors = table(sweep_dir)
    if t.empty:
        print(f"sweep: no job folders in {shown(sweep_dir)}; nothing to report (with a "
              "cluster, put hydra.sweep.dir on a filesystem this machine shares)")
        return t
    _write_csv(t, sweep_dir / SWEEP_CSV)
    written = [sweep_dir / SWEEP_CSV]
    finished = t[t["finished"]]
    print(f"sweep: {len(finished)} of {len(t)} jobs finished; table "
          f"{shown(sweep_dir / SWEEP_CSV)}")
    for row in t[~t["finished"]].itertuples():
        print(f"  job {row.job} failed: {row.error}")
    if finished.empty:
        return t
    numeric = [f for f in factors if is_numeric(finished[f])]
    runs = compare.load_all([Path(p) for p in finished["job_dir"]]) \
        if not numeric or len(finished) <= OVERLAY_MAX_JOBS else []
    written += plots(finished, factors, runs, sweep_dir, objective)

    columns = ["job", *factors, *SHOWN, *([objective] if objective and objective not in SHOWN
                                          else [])]
    view = finished[[c for c in columns if c in t.columns]]
    print(view.astype(object).where(view.notna(), "-").to_string(index=False))
    if objective and len(numeric) == 1 and objective in finished:
        print("goal seek: " + crossing(finished, numeric[0], objective,
                                       0.0 if bound is None else bound))
    if not numeric:  # a list of scenarios (or other choices): how each differs from the first
        deltas = compare.table(runs)
        _write_csv(deltas, sweep_dir / "compare.csv")
        written.append(sweep_dir / "compare.csv")
        print("\n" + compare.render(deltas))
    for path in written[1:]:
        print(f"sweep output: {shown(path)}")
    return t


def _write_csv(frame, path: Path) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    frame.to_csv(tmp, index=False)
    os.replace(tmp, path)


def plots(t, factors: list[str], runs: list, sweep_dir: Path, objective: str = ""
          ) -> list[Path]:
    """The plots that fit the sweep's factors (see the module's docstring); their paths.

    ``runs`` are the finished jobs as :class:`sim.compare.Run`, for the overlaid curves
    (empty: none drawn).
    """
    from sim import compare, comparison_plots

    outputs = OUTPUTS if not objective or objective in OUTPUTS else [objective, *OUTPUTS[:3]]
    numeric = [f for f in factors if is_numeric(t[f])]
    others = [f for f in factors if f not in numeric]
    written = []
    if len(numeric) == 1 and len(others) <= 1:
        path = sweep_dir / f"outputs_vs_{numeric[0]}.png"
        comparison_plots.factor_lines(t, numeric[0], others[0] if others else None, outputs,
                                      path)
        written.append(path)
    elif len(numeric) == 2 and not others:
        path = sweep_dir / "heatmap.png"
        comparison_plots.heatmap(t, numeric[0], numeric[1], outputs, path)
        written.append(path)
    elif numeric:
        print(f"sweep: no plot fits {len(numeric)} numeric and {len(others)} other factors; "
              "sweep.csv has every job")
    if runs:
        path = sweep_dir / "operational.png"
        comparison_plots.operational(runs, path, ", ".join(compare.shared_overrides(runs)))
        written.append(path)
    return written
