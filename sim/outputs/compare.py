"""Finished runs side by side: what ``python -m sim.compare`` (:mod:`sim.app.compare`)
and the sweep report print and write.

A reader of two scenarios wants to know by how much one is later than the other. A
comparison reads runs that are already written (it never re-runs a simulation): each folder
is one run, or a multirun folder, which stands for all its jobs in job order. It writes
``results/compare/<timestamp>-<id>/`` with

- ``compare.csv``: each milestone (per recipient and in total) and headline figure of each
  run, with its difference from the first run, in days for dates and in the figure's unit
  (GPUs, MW, won) otherwise;
- ``operational.png``, ``power.png`` and ``milestones.png``: one line (or marker) per run,
  with a P10–P90 band where a run has one;

and prints the table of differences. Each run is labelled by its scenario and the overrides
it was run with (``.hydra/overrides.yaml``), less those all compared runs share.

A folder that does not exist, is not a finished run (no ``manifest.json``), or whose files
no longer match the manifest's checksums, or a file that is not what a run writes, stops the
command before anything is written, with one line on stderr and exit status 2.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd

from sim.errors import InputError
from sim.outputs.folders import deferred_interrupts, new_name
from sim.outputs.formats import cell, described, headline_label, short_statistic
from sim.outputs.labels import Names, label, label_overrides
from sim.outputs.manifest import failure, is_complete, job_dirs, verify
from sim.outputs.run_files import NEEDS, Run, overrides_of, read, summary_file
from sim.outputs.text import write_csv
from sim.study.headline import headline, reasons, spread, statistic, units
from sim.study.metrics import MILESTONES
from sim.study.targets import TOTAL
from sim.study.undefined import NOT_DEFINED
from sim.text import inert

COMPARE_DIR = Path("results") / "compare"


def expand(paths: list[str | Path]) -> list[Path]:
    """Finished run folders from the command line's; refuse what is not one."""
    runs = []
    for given in paths:
        path = Path(given)
        if path.is_symlink():
            raise InputError(str(given), "is a symbolic link, which is not followed; give the "
                                         "run's own folder")
        if not path.is_dir():
            raise InputError(str(given), "no such folder; give a run folder "
                                         "(results/<scenario>/<time>-<id>) or a multirun folder")
        if is_complete(path):
            verify(path, NEEDS)
            runs.append(path)
            continue
        jobs = job_dirs(path) if (path / "multirun.yaml").is_file() else []
        if not jobs:
            raise InputError(str(given), "not a finished run (no manifest.json) nor a "
                                         "multirun folder; was the run interrupted?")
        unfinished = [j for j in jobs if not is_complete(j)]
        if unfinished:
            failed = failure(unfinished[0])
            raise InputError(str(unfinished[0]), (
                f"this job of the multirun failed ({failed['error']})" if failed else
                "this job of the multirun is not a finished run (no manifest.json)")
                + "; compare the finished jobs' folders, or run the sweep again to resume it")
        for job in jobs:
            verify(job, NEEDS)
        runs.extend(jobs)
    return runs


def load(path: Path) -> Run:
    summary = read(path, "summary.json", summary_file)
    return Run(path=Path(path), summary=summary, overrides=overrides_of(path))


def load_all(paths: list[Path]) -> list[Run]:
    """The runs at ``paths``, labelled so that each label says how that run differs."""
    runs = [load(p) for p in paths]
    shared = set(shared_overrides(runs))
    for r in runs:
        r.label = label(r.scenario, [o for o in r.overrides if o not in shared])
    seen: dict[str, int] = {}
    for r in runs:
        seen[r.label] = seen.get(r.label, 0) + 1
    for r in runs:  # the same label twice: tell them apart by their folders
        if seen[r.label] > 1:
            r.label = f"{r.label} [{r.path.parent.name}/{r.path.name}]"
    return runs


def shared_overrides(runs: list[Run]) -> list[str]:
    """The overrides every run shares (left out of the labels, said once in titles)."""
    if len(runs) < 2:
        return []
    common = set.intersection(*(set(label_overrides(r.overrides)) for r in runs))
    return [o for o in label_overrides(runs[0].overrides) if o in common]


# --- the table -------------------------------------------------------------------------------

def figures(run: Run) -> list[dict]:
    """Every milestone and headline figure of one run: its name, reader's label, unit, value,
    P10 and P90 where it has them, and which statistic the value is."""
    rows = []
    ms = run.milestones
    names = Names(run.summary.get("names"))
    recipients = [TOTAL] + [r for r in ms["recipient"].unique() if r != TOTAL]
    for recipient in recipients:
        for pct in MILESTONES:
            hit = ms[(ms["recipient"] == recipient) & (ms["milestone"] == f"{pct}%")]
            value = {q: (None if not len(hit) or q not in hit or pd.isna(hit[q].iloc[0])
                         else str(hit[q].iloc[0])) for q in ("date", "p10_date", "p90_date")}
            rows.append({"figure": f"{pct}% operational: {recipient}",
                         "label": f"{pct} % operational: {names.recipient(recipient)}",
                         "unit": "days", "value": value["date"], "p10": value["p10_date"],
                         "p90": value["p90_date"],
                         "statistic": statistic(run.summary, "all_operational_date")})
    row, why, unit_of = headline(run.summary), reasons(run.summary), units(run.summary)
    for key, unit in unit_of.items():
        if key != "all_operational_date":  # = 100% of the total
            low, high = spread(run.summary, key)
            rows.append({"figure": key, "label": headline_label(key), "unit": unit,
                         "value": row[key], "p10": low, "p90": high,
                         "statistic": f"{NOT_DEFINED} ({why[key]})" if key in why else
                         statistic(run.summary, key)})
    return rows


def difference(value, first, unit: str):
    """``value - first``: days between two ISO dates, or the plain difference; None if unknown."""
    if value is None or first is None:
        return None
    if unit == "days" and isinstance(value, str):
        return (pd.Timestamp(value) - pd.Timestamp(first)).days
    diff = value - first
    return round(diff, 6) if isinstance(diff, float) else diff


COLUMNS = ["figure", "label", "statistic", "unit", "run", "value", "p10", "p90", "delta",
           "replications", "run_dir"]


def table(runs: list[Run]) -> pd.DataFrame:
    """One row per figure and run: its value (the statistic named in ``statistic``), P10 and
    P90 where it has them, and its difference from the first run."""
    first = {f["figure"]: f["value"] for f in figures(runs[0])}
    rows = []
    for run in runs:
        n = run.summary.get("monte_carlo", {}).get("replications")
        for f in figures(run):
            rows.append({**f, "run": run.label,
                         "delta": difference(f["value"], first.get(f["figure"]), f["unit"]),
                         "replications": n, "run_dir": str(run.path)})
    return pd.DataFrame(rows, columns=COLUMNS)


def render(t: pd.DataFrame, brief: bool = True) -> str:
    """The table as text: a row per figure, a column per run, differences in brackets; each
    row names its statistic (P50 over the run's replications, a share of them, or the
    representative replication's own figure).

    ``brief`` keeps the total's milestones, each recipient's 100 % and the headline figures.
    """
    runs = list(dict.fromkeys(t["run"]))
    names = list(dict.fromkeys(t["figure"]))
    if brief:
        names = [n for n in names if ": " not in n or n.endswith(": " + TOTAL)
                 or n.startswith("100% ")]
    cells = {(r.figure, r.run): cell(r.value, r.delta, r.unit, r.run == runs[0],
                                      r.replications, r.statistic) for r in t.itertuples()}
    first = described(t)
    header = ["figure", "statistic", *[f"[{i + 1}]" for i in range(len(runs))]]
    body = [[first.loc[n, "label"], short_statistic(first.loc[n, "statistic"]),
             *[cells.get((n, r), "-") for r in runs]] for n in names]
    widths = [max(len(row[i]) for row in [header, *body]) for i in range(len(header))]
    lines = ["  ".join(c.ljust(w) if i < 2 else c.rjust(w) for i, (c, w) in
                       enumerate(zip(row, widths))) for row in [header, *body]]
    legend = [f"[{i + 1}] {r}" for i, r in enumerate(runs)]
    notes = ["differences from [1] in brackets (d = days, pp = percentage points)",
             "P50: the median over the run's replications; % (low-high %): the share of "
             "replications with its 95 % Wilson interval;",
             "one replication: the run's representative replication (nearest the median), not "
             "a statistic"]
    return inert("\n".join([*legend, *notes, "", *lines]), newlines=True)


# --- the comparison folder -------------------------------------------------------------------

FIGURES = ("operational", "milestones", "power")


def draw(runs: list[Run], folder: Path, formats=("png",)) -> list[Path]:
    """The comparison's figures into ``folder`` in each of ``formats``; the paths written."""
    from sim.outputs import compare_plots  # pyplot is slow to import: only when drawing
    from sim.outputs.style import font_note, save

    font_note()
    shared = ", ".join(shared_overrides(runs))
    return [p for name in FIGURES
            for p in save(getattr(compare_plots, name)(runs, shared), folder / f"{name}.png",
                          formats)]


def gather(paths: list[str | Path]) -> tuple[list[Run], pd.DataFrame, str]:
    """The finished runs at ``paths`` (verified), their table and the table as printed;
    every run's files are read here, so a damaged one stops us before anything is written."""
    runs = load_all(expand(paths))
    t = table(runs)
    for r in runs:
        r.timeseries  # noqa: B018 (read now, so a damaged file stops us before writing)
    return runs, t, render(t)


def compare(paths: list[str | Path], out_root: Path = COMPARE_DIR, formats=("png",)
            ) -> tuple[Path, str]:
    """Write the comparison of ``paths`` into a new folder; return it and the printed table.

    The folder appears whole or not at all: it is written under a hidden name and renamed
    when done; Ctrl-C is taken between steps, and what was written is then removed.
    """
    with deferred_interrupts() as interrupts:
        runs, t, text = gather(paths)
        interrupts.check()
        command = " ".join(["python -m sim.compare", *map(str, paths)])
        out = write(runs, t, Path(out_root) / new_name(), formats, command, interrupts)
    return out, text


def write(runs: list[Run], t: pd.DataFrame, out: Path, formats, command: str,
          interrupts=None) -> Path:
    """Write the comparison of ``runs`` (their :func:`table` ``t``) into the new folder
    ``out``, whole or not at all (staged beside it, then renamed); ``interrupts``
    (:func:`~sim.outputs.folders.deferred_interrupts`) is checked between steps."""
    from sim.outputs.report_many import compare_report  # (with pyplot: when writing)

    check = interrupts.check if interrupts is not None else (lambda: None)
    out = Path(out)
    made = [p for p in (out.parent, *out.parent.parents) if not p.exists()]
    staging = out.parent / f".staging-{out.name}"
    try:
        staging.mkdir(parents=True)
        write_csv(t, staging / "compare.csv")
        check()
        embed = list(formats) if {"png", "svg"} & set(formats) else [*formats, "png"]
        drawn = draw(runs, staging, embed)
        check()
        (staging / "report.html").write_text(compare_report(staging, runs, t, list(FIGURES),
                                                            command))
        for extra in (p for p in drawn if p.suffix[1:] not in formats):
            extra.unlink()  # drawn only to be embedded in the report
        check()
        staging.rename(out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        for folder in made:  # results/compare/ and results/, if this made them
            try:
                folder.rmdir()
            except OSError:
                break
        raise
    return out
