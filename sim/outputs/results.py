"""Writing one run's outputs into its directory, all or nothing.

Files are written into a hidden staging folder inside the run directory and moved into place
only when every one of them is written; ``manifest.json``, written last, marks the run
complete (with the seed, the hashes of the config and of the seed files, package versions,
wall time and a checksum of every file). A directory without it is not a finished run.
See :mod:`sim.outputs.manifest` for the marks a folder carries.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
import time
from pathlib import Path

import pandas as pd

from sim.calendar import to_date
from sim.errors import WriteError
from sim.outputs import commit, report, terminal
from sim.outputs.figures import FIGURES, Drawing
from sim.outputs.figures import start as start_drawing
from sim.outputs.folders import shown
from sim.outputs.labels import key_labels
from sim.outputs.machine import for_machines, identity, write_parquet
from sim.outputs.manifest import Laps, provenance_fields, sha256
from sim.outputs.text import write_csv
from sim.study import metrics
from sim.study.accounting import check as check_horizon
from sim.study.accounting import check_weekly
from sim.study.bands import band_columns
from sim.study.delay import delay_table
from sim.study.delay import summary as delay_summary
from sim.study.drivers import risks
from sim.study.own_count import summary as own_count_summary
from sim.study.sensitivity import headline as sensitivity_headline
from sim.study.sensitivity import sensitivity
from sim.study.site_table import site_table
from sim.study.study import Study
from sim.study.summary import summary as run_summary
from sim.study.tables import milestone_columns, summary_block
from sim.study.tranche_table import tranche_table
from sim.study.workers import Pool


def tables(study: Study, cfg) -> dict:
    """Every table of one run: the representative replication's, with the bands, P-dates
    and drivers of all replications beside them. No files touched."""
    out = study.representative
    # the sensitivity (a third of this stage at 500 replications) on a worker meanwhile
    spread = Pool.of(cfg).ahead(sensitivity, [(study.mc.replications, list(risks(cfg)),
                                               type(cfg), cfg.seed)])
    timeseries = pd.concat([metrics.timeseries(out), band_columns(study.mc.bands)], axis=1)
    milestones = milestone_columns(study, metrics.milestones(out))
    single = run_summary(out, cfg, study.own_targets)
    check_conservation(single["gpus_at_horizon"], timeseries, out.allocations)
    as_of = getattr(out, "as_of", None) or getattr(cfg, "as_of", None)
    if as_of and "as_of" not in single:  # a forecast says the date it was made as of
        single["as_of"] = str(as_of)
    summary = labelled(single, summary_block(
        study, milestones, cfg.costs.pledge_value_won / sum(out.allocations.values())
        / (12 * cfg.costs.depreciation_years)), study.names)
    delay = delay_table(study.mc.delay, study.names["recipients"])
    if len(delay):
        summary["monte_carlo"]["delay"] = delay_summary(delay)
    if study.counted:
        summary["monte_carlo"]["own_count"] = own_count_summary(
            study.mc.replications, study.counted, to_date(out.horizon_day))
    spread = spread.results()[0]
    summary["monte_carlo"]["sensitivity"] = {"text": sensitivity_headline(spread)}
    replications = pd.concat([study.mc.replications,
                              study.mc.milestone_days.add_prefix("day_reached:")], axis=1)
    return {
        "events": out.events,
        "timeseries": timeseries,
        "site_power": metrics.site_power(out),
        "milestones": milestones,
        "sites": site_table(out.sites, study.mc.site_days, study.names["recipients"]),
        "sites_drawn": out.sites,
        "delay": delay,
        "sensitivity": spread,
        "tranches": tranche_table(study.mc.tranche_days, study.tranches),
        "replications": replications,
        "drivers": study.drivers,
        "summary": summary,
        "own_targets": study.own_targets,
        "observed": observed_table(study.observed),
        "deals_off": deals_off(cfg),
    }


def observed_table(observed) -> pd.DataFrame:
    """The observed events a run takes as fact (:attr:`sim.study.study.Study.observed`), a
    row each: when it happened (first and last day of its window) and its count, if any."""
    return pd.DataFrame(
        [{"id": o.id, "kind": o.kind, "recipient": o.recipient,
          "happened_first": pd.Timestamp(o.happened[0]),
          "happened_last": pd.Timestamp(o.happened[1]),
          "gpus_low": o.gpus[0] if o.gpus else None, "gpus_high": o.gpus[1] if o.gpus else None}
         for o in observed],
        columns=["id", "kind", "recipient", "happened_first", "happened_last", "gpus_low",
                 "gpus_high"])


def deals_off(cfg) -> tuple[str, ...]:
    """The ids of the deals the run switches off (``deals.<id>.enabled=false``)."""
    from dataclasses import fields

    return tuple(f.name for f in fields(cfg.deals)
                 if getattr(getattr(cfg.deals, f.name), "enabled", True) is False)


def check_conservation(at_horizon: dict, timeseries: pd.DataFrame, allocations: dict) -> None:
    """Before anything is written: every recipient's GPUs add up to its allocation, at the
    horizon and every week (:mod:`sim.study.accounting`); else the run fails, unmarked."""
    check_horizon(at_horizon, allocations)
    check_weekly(timeseries, allocations)


def labelled(single: dict, monte_carlo: dict, names: dict) -> dict:
    """``summary.json``: what the run is, the Monte Carlo statistics, then the representative
    replication's own figures, with a line saying which are which, and the readers' names."""
    head = ("scenario", "as_of", "seed", "horizon", "pledged_gpus")
    rep = monte_carlo["representative_replication"]
    return {
        "about": f"monte_carlo holds statistics over all {monte_carlo['replications']} "
                 f"replications. Every other figure here (all_operational_date, milestones, "
                 f"operational_at_year_end, peak_waiting_gpus, stranded and unshipped GPUs, "
                 f"idle GPU-months and their value, MW) is from one replication, no. {rep}, "
                 f"the representative one: its all-operational date is nearest the median.",
        **{k: single[k] for k in head if k in single},
        "monte_carlo": monte_carlo,
        "representative_replication": rep,
        **{k: v for k, v in single.items() if k not in head},
        "names": names,
    }


NOT_INPUTS = ("scenario", "seeds_dir", "objective", "objective_at_most", "mc.n_jobs",
              "mc.progress", "outputs.formats")
"""Config keys the report's table of inputs leaves out: they change no number of the run
(or are said elsewhere on the page)."""


def config_items(cfg, prefix: str = "") -> list[tuple[str, object]]:
    """Every leaf ``(dotted key, value)`` of a config dataclass tree, in field order."""
    out = []
    for f in dataclasses.fields(cfg):
        key, value = f"{prefix}{f.name}", getattr(cfg, f.name)
        if dataclasses.is_dataclass(value) and not hasattr(value, "ppf"):
            out += config_items(value, f"{key}.")
        elif key not in NOT_INPUTS:
            out.append((key, value))
    return out


def input_rows(cfg, sources: dict | None, site_names: dict) -> list[tuple]:
    """The report's table of inputs: key, meaning, value, where set, source."""
    items = config_items(cfg)
    labels = key_labels(type(cfg), [k for k, _ in items], site_names)
    sources = sources or {}
    return [(key, labels[key] if labels[key] != key else "", report.describe(value),
             *sources.get(key, ("", ""))) for key, value in items]


def write(run_dir: Path, t: dict, cfg, *, config_yaml: str, run_inputs: dict,
          label: str, started: float, laps: Laps | None = None, command: str | None = None,
          sources: dict | None = None, extra_files: dict[str, str] | None = None,
          figures: bool = True, cited: dict | None = None,
          assumptions: list[dict] | None = None) -> dict:
    """Write every output of one run (its :func:`tables` ``t``) into ``run_dir``; return its
    summary.

    ``run_inputs`` is :func:`sim.outputs.manifest.inputs` for this run; ``started`` is the
    run's :func:`time.perf_counter` at its start and ``laps`` the seconds its stages took so
    far (:class:`~sim.outputs.manifest.Laps`), all for the manifest. ``command`` (the command
    line that reproduces the run) and ``sources`` (``{key: (where set, source)}``,
    :func:`sim.app.sources.sources`) go into ``report.html``, with the sources they cite
    (``cited``: ``{id: (publisher, date, title, address)}``); ``assumptions`` are the rows of
    ``assumptions.csv`` (:mod:`sim.app.assumptions`); ``extra_files`` are more text
    files to write with the results (``.hydra/``); without ``figures`` no figure is drawn
    (a sweep's job: :func:`sim.outputs.config.draws_figures`). Every file is written into a
    staging folder first and put in place by :func:`sim.outputs.commit.commit`: a file that
    cannot be written (a full disk) raises :class:`~sim.errors.WriteError` with nothing
    half-written and nothing marked complete, and an earlier run in ``run_dir`` intact.
    """
    run_dir = Path(run_dir)
    laps = laps if laps is not None else Laps()
    staging = None
    try:
        staging = commit.staging(run_dir)
        _write_files(staging, run_dir, t, cfg, config_yaml=config_yaml, run_inputs=run_inputs,
                     label=label, laps=laps, command=command, sources=sources,
                     extra_files=extra_files, figures=figures, cited=cited,
                     assumptions=assumptions)
        files = commit.files_of(staging)
        manifest = {
            "complete": True,
            "scenario": cfg.scenario,
            "seed": cfg.seed,
            "replications": t["summary"]["monte_carlo"]["replications"],
            **run_inputs,
            **provenance_fields(),
            "wall_seconds": round(time.perf_counter() - started, 3),
            "seconds": laps.lap("report"),
            "files": {str(rel): sha256(staging / rel) for rel in files},
        }
        commit.commit(run_dir, staging, json.dumps(manifest, indent=2) + "\n")
    except OSError as err:
        raise WriteError(shown(Path(err.filename or run_dir)),
                         err.strerror or str(err)) from err
    finally:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
    return t["summary"]


def _write_files(staging: Path, run_dir: Path, t: dict, cfg, *, config_yaml: str,
                 run_inputs: dict, label: str, laps: Laps, command: str | None,
                 sources: dict | None, extra_files: dict[str, str] | None,
                 figures: bool, cited: dict | None = None,
                 assumptions: list[dict] | None = None) -> None:
    """Every file of the run but its manifest, into ``staging`` (see :func:`write`)."""
    ids = identity(t["summary"], run_inputs)
    site_names = t["summary"]["names"]["sites"]
    labels = key_labels(type(cfg), t["drivers"]["risk"], site_names)
    as_of = t["summary"].get("as_of")
    label = f"{label} · as of {as_of}" if as_of else label  # a forecast says its date
    formats = list(cfg.outputs.formats)
    embed = formats if {"png", "svg"} & set(formats) else [*formats, "png"]
    # drawn on the study's workers while this process writes the tables
    drawing = figures_of(t, staging / "plots", label, labels, embed, cfg) if figures else None
    try:
        said = _write_tables(staging, run_dir, t, ids, config_yaml=config_yaml,
                             extra_files=extra_files, assumptions=assumptions)
        inputs = input_rows(cfg, sources, site_names)
    except BaseException:  # a full disk, Ctrl-C: no figure is left drawing into staging
        if drawing:
            drawing.abandon()
        raise
    laps.lap("tables")  # the figures are drawn meanwhile: "figures" is the time after
    drawn = drawing.finish() if drawing else []
    laps.lap("figures")
    (staging / report.REPORT).write_text(report.run_report(
        staging, t, where=run_dir, who=label, labels=labels, command=command,
        run_inputs=run_inputs, inputs=inputs, terminal=said,
        figures=list(FIGURES) if drawing else [], as_of=as_of, cited=cited))
    for extra in (p for p in drawn if p.suffix[1:] not in formats):
        extra.unlink()  # drawn only to be embedded in the report


def _write_tables(staging: Path, run_dir: Path, t: dict, ids: dict, *, config_yaml: str,
                  extra_files: dict[str, str] | None, assumptions: list[dict] | None) -> str:
    """The tables and text files of a run into ``staging``; the terminal's summary."""

    def table(name: str):
        return for_machines(t[name], ids)

    write_parquet(table("events"), staging / "events.parquet")
    write_parquet(table("timeseries"), staging / "timeseries.parquet")
    write_csv(table("timeseries"), staging / "timeseries.csv")
    write_parquet(table("site_power"), staging / "site_power.parquet")
    for name in ("milestones", "sites", "sites_drawn", "tranches", "delay", "sensitivity"):
        write_csv(table(name), staging / f"{name}.csv")
    write_parquet(table("replications"), staging / "replications.parquet")
    write_csv(table("drivers"), staging / "drivers.csv")
    if assumptions is not None:
        write_csv(for_machines(pd.DataFrame(assumptions), ids), staging / "assumptions.csv")
    (staging / "summary.json").write_text(
        json.dumps(t["summary"], indent=2, allow_nan=False) + "\n")
    (staging / "config.yaml").write_text(config_yaml)
    for name, text in (extra_files or {}).items():
        (staging / name).parent.mkdir(parents=True, exist_ok=True)
        (staging / name).write_text(text)
    said = terminal.report(t["summary"], run_dir)
    (staging / "summary.txt").write_text(said + "\n")
    return said


def figures_of(t: dict, folder: Path, label: str, labels: dict, formats: list[str], cfg
               ) -> Drawing:
    """A run's figures, handed to its workers to be drawn (:mod:`sim.outputs.figures`)."""
    return start_drawing(t, folder, label, labels, formats, pool=Pool.of(cfg))
