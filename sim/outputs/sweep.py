"""The report that ends every multirun: ``sweep.csv`` and the plots that fit the sweep.

``python -m sim -m +scenario=baseline,slow_power power.grid_delay_months=0,6,12`` runs six
jobs; a user then wants one table and one picture, not six folders. The report reads only
what the jobs wrote into the sweep folder (each job's ``.hydra/overrides.yaml``,
``summary.json`` and, for curves, its timeseries), so it works the same whichever launcher ran
them (:class:`sim.app.callbacks.SweepReport` calls it when the multirun ends).

Into the sweep folder it writes

- ``sweep.csv``: a row per job: its overridden values, its headline figures
  (:func:`sim.study.headline.headline`), whether it finished, and its folder;
- the plots that fit the swept factors (those overrides whose value differs between jobs):
  one numeric factor: ``outputs_vs_<factor>.png``, the headline figures against it, every
  odds in one panel from 0 % to 100 % with Wilson intervals, a line per value of the other
  factor if there is one; two numeric factors: ``heatmap.png`` (:mod:`sim.outputs.sweep_plots`); a
  list of scenarios (no numeric factor), or any sweep of at most 12 jobs:
  ``operational.png``, their operational curves overlaid (:mod:`sim.outputs.compare_plots`);
- for a list of scenarios, also ``compare.csv`` and the table of differences from the first
  job that ``python -m sim.compare`` prints, so one command compares scenarios.

With ``objective=<figure>`` (goal seek) and one numeric factor it also prints between which
values of the factor the figure rises above ``objective_at_most`` (0 if unset).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pandas as pd
from hydra.core.override_parser.overrides_parser import OverridesParser

from sim.errors import InputError
from sim.outputs import compare
from sim.outputs.folders import shown
from sim.outputs.formats import date_or, percent
from sim.outputs.manifest import failure, is_complete, job_dirs, verify
from sim.outputs.text import write_csv
from sim.study.headline import OWN_P, headline, own_unit, reasons, spread, units
from sim.study.undefined import NOT_DEFINED
from sim.text import inert

SWEEP_CSV = "sweep.csv"
OUTPUTS = ["all_operational_days_after_2030", "p_all_operational_by_2030_12_31",
           "operational_2030_12_31", "peak_waiting_gpus"]
"""The headline figures the sweep plots show (the objective is added if it is another), and
after them every other odds the jobs have (each own target's)."""
SHOWN_KEYS = ["all_operational_date", "p_all_operational_by_2030_12_31",
              "operational_2030_12_31", "peak_waiting_gpus"]
"""The headline figures the printed table shows (and the odds of each own target, after the
total's); sweep.csv has them all."""
OVERLAY_MAX_JOBS = 12


def spread_keys(summary: dict) -> list[str]:
    """The figures whose P10 and P90 over a job's replications sweep.csv carries beside the
    P50: all but the odds."""
    return [k for k, unit in units(summary).items() if unit != "probability"]


def overridden_values(overrides: list[str]) -> dict[str, Any]:
    """``{key: value}`` of a job's command-line overrides, parsed as Hydra parses them.

    ``+scenario=slow_power`` gives ``scenario: slow_power``; a distribution given as a dict
    stays its text, so that it fits in one cell.
    """
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
    rows, keys = [], {}
    for job in job_dirs(sweep_dir):
        values = overridden_values(compare.overrides_of(job))
        keys.update(dict.fromkeys(values))
        row = {"job": job.name, **values}
        finished, damaged = _verified(job)
        if finished:
            summary = compare.load(job).summary
            if "scenario" in values:
                row["scenario"] = summary.get("scenario", values["scenario"])
            row.update(headline(summary))
            row.update({f"{key}_reason": why for key, why in reasons(summary).items()})
            row["replications"] = summary.get("monte_carlo", {}).get("replications")
            for key in spread_keys(summary):
                row[f"{key}_p10"], row[f"{key}_p90"] = spread(summary, key)
        failed = {} if finished else damaged or failure(job) or {
            "error": "did not finish (no manifest.json, no error.json): stopped or killed?",
            "bad_input": False}
        row.update(finished=finished, error=failed.get("error", ""),
                   bad_input=failed.get("bad_input", False), job_dir=str(job))
        rows.append(row)
    t = pd.DataFrame(rows)
    if t.empty:
        return t, []
    ends = ["finished", "error", "bad_input", "job_dir"]
    t = t[[c for c in t.columns if c not in ends] + ends]
    factors = [k for k in keys if t[k].astype(str).nunique() > 1]
    return t, factors


def _verified(job: Path) -> tuple[bool, dict | None]:
    """Whether ``job`` is a finished run whose files match its manifest; if it says it is
    but they do not, the failure to report (e.g. a file that is a link)."""
    if not is_complete(job):
        return False, None
    try:
        verify(job, compare.NEEDS)
    except InputError as ex:
        return False, {"error": str(ex), "bad_input": False}
    return True, None


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


def report(sweep_dir: Path, objective: str = "", bound: float | None = None,
           formats=("png",), command: str = "python -m sim -m ..."):
    """Write ``sweep.csv``, the fitting plots, ``report.html`` and, for a list of scenarios,
    ``compare.csv`` into ``sweep_dir``; print the tables. Returns the sweep table
    (:func:`table`). ``command`` is the multirun's, for the report.

    Every file is written into a staging folder first and moved into ``sweep_dir`` once all
    are written: a disk that fills up leaves no part of the report (an ``OSError``), and a
    report written before (by the sweep before it was resumed) as it was."""
    t, factors = table(sweep_dir)
    if t.empty:
        print(f"sweep: no job folders in {shown(sweep_dir)}; nothing to report (with a "
              "cluster, put hydra.sweep.dir on a filesystem this machine shares)")
        return t
    stage = Path(sweep_dir) / f".staging-report-{os.getpid()}"
    shutil.rmtree(stage, ignore_errors=True)
    try:
        stage.mkdir()
        lines, written = _write_report(t, factors, sweep_dir, stage, objective, bound,
                                       formats, command)
        moved: list[Path] = []
        try:
            for path in written:
                os.replace(stage / path.name, path)
                moved.append(path)
        except BaseException:
            for path in moved:  # all of this report, or none of it
                path.unlink(missing_ok=True)
            raise
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    print("\n".join(lines))
    for path in written[1:]:
        print(f"sweep output: {shown(path)}")
    return t


def _write_report(t, factors: list[str], sweep_dir: Path, stage: Path, objective: str,
                  bound: float | None, formats, command: str) -> tuple[list[str], list[Path]]:
    """The report's files, into ``stage``; ``(the lines to print, where each file goes)``."""
    _write_csv(t, stage / SWEEP_CSV)
    written = [stage / SWEEP_CSV]
    finished = t[t["finished"]]
    lines = [f"sweep: {len(finished)} of {len(t)} jobs finished; table "
             f"{shown(sweep_dir / SWEEP_CSV)}"]
    lines += [inert(f"  job {row.job} failed: {row.error}")
              for row in t[~t["finished"]].itertuples()]
    if not finished.empty:
        numeric = [f for f in factors if is_numeric(finished[f])]
        runs = compare.load_all([Path(p) for p in finished["job_dir"]]) \
            if not numeric or len(finished) <= OVERLAY_MAX_JOBS else []
        labels = factor_labels(factors)
        embed = list(formats) if {"png", "svg"} & set(formats) else [*formats, "png"]
        figures, drawn = plots(finished, factors, runs, stage, objective, labels, embed)
        lines.append(render(finished, factors, labels, objective))
        goal = ""
        if objective and len(numeric) == 1 and objective in finished:
            goal = crossing(finished, numeric[0], objective, 0.0 if bound is None else bound)
            lines.append("goal seek: " + goal)
        if not numeric:  # a list of scenarios (or other choices): how each differs from the first
            deltas = compare.table(runs)
            _write_csv(deltas, stage / "compare.csv")
            written.append(stage / "compare.csv")
            lines.append("\n" + compare.render(deltas))
        from sim.outputs.report_many import sweep_report  # (pyplot: only when writing)

        page = sweep_report(stage, finished, factors, labels, figures, command, goal,
                            shown_as=sweep_dir)
        (stage / "report.html").write_text(page)
        for extra in (p for p in drawn if p.suffix[1:] not in formats):
            extra.unlink()  # drawn only to be embedded in the report
        written += [p for p in drawn if p.exists()] + [stage / "report.html"]
    return lines, [Path(sweep_dir) / p.name for p in written]


def factor_labels(factors: list[str]) -> dict[str, str]:
    """Each swept key as a reader names it (the config field's label, with its unit)."""
    from sim.outputs.labels import key_labels
    from sim.study.config import StudyConfig

    return {**key_labels(StudyConfig, factors), "scenario": "scenario"}


def render(t, factors: list[str], labels: dict, objective: str = "") -> str:
    """The printed table: a row per finished job, each column naming its statistic."""

    def when(row, q=""):
        return date_or(row.get(f"all_operational_date{q}"))

    def odds(row, key):
        return _cell(row, key, lambda p: percent(float(p), int(row.get("replications") or 0)
                                                 or 1))

    def count(row, key):
        return _cell(row, key, lambda n: f"{n:,.0f}")

    own = [k for k in t.columns if own_unit(k) == "probability"]
    extra = objective and objective not in SHOWN_KEYS and objective not in own
    rows = [[str(r["job"]), *[str(r.get(f)) for f in factors],
             f"{when(r)} ({when(r, '_p10')} to {when(r, '_p90')})",
             odds(r, "p_all_operational_by_2030_12_31"), *[odds(r, k) for k in own],
             count(r, "operational_2030_12_31"), count(r, "peak_waiting_gpus"),
             *([_cell(r, objective, lambda v: f"{v:,.6g}")] if extra else [])]
            for _, r in t.iterrows()]
    header = ["job", *[labels.get(f, f) for f in factors],
              "all GPUs operational: P50 (P10 to P90)", "P(all by 2030)",
              *[short_odds(k) for k in own],
              "operational 2030-12-31: P50", "peak waiting: P50",
              *([objective] if extra else [])]
    widths = [max(len(x[i]) for x in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(c.rjust(w) for c, w in zip(row, widths)) for row in [header, *rows]]
    return inert("\n".join(lines + ["P50, P10, P90: over each job's replications; P(...): "
                                    "the share of replications (95 % Wilson interval)"]),
                 newlines=True)


def _cell(row, key: str, said) -> str:
    """A cell of the printed table: ``said(value)``, ``-`` if the job has none, or ``not
    defined yet (why)`` where the job does not define it (its ``<key>_reason``)."""
    why = row.get(f"{key}_reason")
    if isinstance(why, str):
        return f"{NOT_DEFINED} ({why})"
    value = row.get(key)
    return "-" if value is None or pd.isna(value) else said(value)


def short_odds(key: str) -> str:
    """An own target's odds as a column head: ``P(government 50k by 2030)``."""
    found = OWN_P.fullmatch(key)
    return f"P({found['recipient']} {found['gpus']} by {found['by'][:4]})" if found else \
        "P(own target)"


def _write_csv(frame, path: Path) -> None:
    """``path`` holds the table whole, or is left as it was (a full disk leaves no part)."""
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        write_csv(frame, tmp)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def plots(t, factors: list[str], runs: list, sweep_dir: Path, objective: str = "",
          labels: dict | None = None, formats=("png",)) -> tuple[list, list[Path]]:
    """The plots that fit the sweep's factors (see the module's docstring): ``([(file stem,
    caption kind)], paths written)``.

    ``runs`` are the finished jobs as :class:`sim.outputs.run_files.Run`, for the overlaid curves
    (empty: none drawn).
    """
    from sim.outputs import compare_plots, sweep_plots  # pyplot: only when drawing
    from sim.outputs.style import font_note, save

    font_note()
    labels = labels or {}
    outputs = OUTPUTS if not objective or objective in OUTPUTS else [objective, *OUTPUTS[:3]]
    outputs = [*outputs, *(k for k in t.columns if sweep_plots.is_odds(k) and k not in outputs)]
    numeric = [f for f in factors if is_numeric(t[f])]
    others = [f for f in factors if f not in numeric]
    figures, written = [], []
    if len(numeric) == 1 and len(others) <= 1:
        stem = f"outputs_vs_{numeric[0]}"
        written += save(sweep_plots.factor_lines(t, numeric[0], others[0] if others else None,
                                                   outputs, labels), sweep_dir / f"{stem}.png",
                        formats)
        figures.append((stem, "outputs_vs"))
    elif len(numeric) == 2 and not others:
        written += save(sweep_plots.heatmap(t, numeric[0], numeric[1], outputs, labels),
                        sweep_dir / "heatmap.png", formats)
        figures.append(("heatmap", "heatmap"))
    elif numeric:
        print(f"sweep: no plot fits {len(numeric)} numeric and {len(others)} other factors; "
              "sweep.csv has every job")
    if runs:
        written += save(compare_plots.operational(runs, ", ".join(
            compare.shared_overrides(runs))), sweep_dir / "operational.png", formats)
        figures.append(("operational", "operational"))
    return figures, written
