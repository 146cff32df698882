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

If any job raises, Hydra skips this callback (see ``../shared/design/STACK.md``); the jobs'
folders are complete all the same, and ``python -m sim.compare`` reads them.
"""

from __future__ import annotations

import os
import sys
import traceback
from pathlib import Path
from typing import Any

from hydra.experimental.callback import Callback
from omegaconf import DictConfig

SWEEP_CSV = "sweep.csv"
OUTPUTS = ["all_operational_days_after_2030", "operational_2030_12_31", "peak_waiting_gpus",
           "idle_value_won"]
"""The headline figures the sweep plots show (the objective is added if it is another)."""
SHOWN = ["all_operational_date", "all_operational_days_after_2030", "operational_2030_12_31",
         "peak_waiting_gpus"]
"""The headline figures the printed table shows; sweep.csv has them all."""
OVERLAY_MAX_JOBS = 12


class SweepReport(Callback):
    """Hydra callback: at the end of a multirun, write ``sweep.csv`` and the sweep's plots."""

    # Hydra turns an exception in a callback into a warning and carries on, so these exit.

    def on_multirun_start(self, config: DictConfig, **kwargs: Any) -> None:
        """Refuse a bad ``objective`` once, before any job starts (not once per job)."""
        from sim.errors import InputError
        from sim.metrics import check_objective

        optimizer = "optuna" in str(config.hydra.sweeper.get("_target_", ""))
        try:
            check_objective(config.get("objective") or "", config.get("objective_at_most"),
                            required=optimizer)
        except InputError as ex:
            print(f"error: {ex}", file=sys.stderr)
            sys.exit(2)

    def on_multirun_end(self, config: DictConfig, **kwargs: Any) -> None:
        sweep_dir = Path(str(config.hydra.sweep.dir))
        try:
            report(sweep_dir, objective=config.get("objective") or "",
                   bound=config.get("objective_at_most"))
        except Exception as ex:  # a bug here must not pass as a warning with exit status 0
            if os.environ.get("HYDRA_FULL_ERROR") == "1":
                traceback.print_exc()
            print(f"error: the sweep report failed ({type(ex).__name__}: {ex}); the jobs' "
                  f"folders in {sweep_dir} are complete", file=sys.stderr)
            sys.exit(1)


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
    """``(sweep table, swept factors)``: a row per job folder, finished or not."""
    import pandas as pd

    from sim import compare
    from sim.metrics import headline
    from sim.results import is_complete

    rows, keys = [], {}
    for job in compare.job_dirs(sweep_dir):
        values = overridden_values(compare.overrides_of(job))
        keys.update(dict.fromkeys(values))
        row = {"job": job.name, **values}
        if is_complete(job):
            summary = compare.load(job).summary
            if "scenario" in values:
                row["scenario"] = summary.get("scenario", values["scenario"])
            row.update(headline(summary))
        row["finished"] = is_complete(job)
        row["job_dir"] = str(job)
        rows.append(row)
    t = pd.DataFrame(rows)
    if t.empty:
        return t, []
    ends = ["finished", "job_dir"]
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


def report(sweep_dir: Path, objective: str = "", bound: float | None = None) -> list[Path]:
    """Write ``sweep.csv``, the fitting plots and, for a list of scenarios, ``compare.csv``
    into ``sweep_dir``; print the tables. Returns the files written."""
    from sim import compare
    from sim.cli import shown

    t, factors = table(sweep_dir)
    finished = t[t["finished"]] if not t.empty else t
    if finished.empty:
        print(f"sweep: no finished job folders in {shown(sweep_dir)}; nothing to report (with a "
              "cluster, put hydra.sweep.dir on a filesystem this machine shares)")
        return []
    _write_csv(t, sweep_dir / SWEEP_CSV)
    written = [sweep_dir / SWEEP_CSV]
    numeric = [f for f in factors if is_numeric(finished[f])]
    runs = compare.load_all([Path(p) for p in finished["job_dir"]]) \
        if not numeric or len(finished) <= OVERLAY_MAX_JOBS else []
    written += plots(finished, factors, runs, sweep_dir, objective)

    columns = ["job", *factors, *SHOWN, *([objective] if objective and objective not in SHOWN
                                          else [])]
    print(f"sweep: {len(finished)} of {len(t)} jobs finished; table "
          f"{shown(sweep_dir / SWEEP_CSV)}")
    view = t[[c for c in columns if c in t.columns]]
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
    return written


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
