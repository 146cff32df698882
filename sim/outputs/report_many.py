"""``report.html`` of a comparison and of a sweep, built from the parts of
:mod:`sim.outputs.report`: the answer first (how each run's date and odds differ from the
first's, or how they move with the swept input), the table with the statistic of each
number named, every figure with its caption, and what reproduces each run.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from sim.outputs import captions
from sim.outputs.formats import (
    HEADLINE_LABELS,
    cell,
    date_or,
    described,
    headline_label,
    percent,
    short_statistic,
)
from sim.outputs.manifest import read as read_manifest
from sim.outputs.report import esc, figure_html, page, table_html
from sim.outputs.run_files import Run
from sim.study.headline import own_unit


def _mc(run: Run) -> dict:
    return run.summary.get("monte_carlo", {})


def run_line(i: int, run: Run, first: Run | None) -> str:
    """One run's answer: its P50 date and range, how much later than the first, its odds."""
    mc = _mc(run)
    when = mc.get("all_operational", {})
    n = mc.get("replications", 0)
    head = (f"<b>[{i + 1}] {esc(run.label)}</b>: all GPUs operational P50 "
            f"<b>{esc(date_or(when.get('p50')))}</b> (P10 {esc(date_or(when.get('p10')))} to "
            f"P90 {esc(date_or(when.get('p90')))})")
    text = ""
    if first is not None and when.get("p50") and _mc(first).get("all_operational", {}).get(
            "p50"):
        days = (pd.Timestamp(when["p50"]) - pd.Timestamp(
            _mc(first)["all_operational"]["p50"])).days
        text += (f", {abs(days):,} days {'later' if days > 0 else 'earlier'} than [1]"
                 if days else ", the same as [1]")
    if n:
        text += f"; P(all by 2030-12-31) {percent(mc['p_all_operational_by_2030_12_31'], n)}"
        text += "".join(f"; {headline_label(key)} {percent(p, n)}" for key, p in mc.items()
                        if own_unit(key) == "probability")
    return head + esc(text) + "."


def table_section(t: pd.DataFrame, runs: list[Run]) -> str:
    """The comparison table as HTML: a row per figure, the statistic named, a column per run."""
    labels = list(dict.fromkeys(t["run"]))
    first = described(t)
    cells = {(r.figure, r.run): cell(r.value, r.delta, r.unit, r.run == labels[0],
                                      r.replications, r.statistic) for r in t.itertuples()}
    rows = [[esc(first.loc[f, "label"]), esc(short_statistic(first.loc[f, "statistic"])),
             *[cells.get((f, r), "-") for r in labels]] for f in first.index]
    return ("<h2>The figures side by side</h2><p>Differences from [1] in brackets (d: days, "
            "pp: percentage points). <em>P50</em>: the median over each run's replications; "
            "<em>% (low-high %)</em>: the share of replications with its 95 % Wilson "
            "interval; "
            "<em>one replication</em>: the run's representative replication, not a "
            "statistic.</p>"
            + table_html(["figure", "statistic", *[f"[{i + 1}]" for i in range(len(labels))]],
                         rows, numeric=set(range(2, len(labels) + 2))))


def runs_section(runs: list[Run]) -> str:
    """Each run: its label, folder, the command that re-runs it, seed, hash and version."""
    rows = []
    for i, run in enumerate(runs):
        manifest = read_manifest(run.path) or {}
        command = " ".join(["python -m sim", *run.overrides])
        rows.append([f"[{i + 1}]", esc(run.label), f"<code>{esc(command)}</code>",
                     esc(run.summary.get("seed")),
                     f"<code>{esc(str(manifest.get('config_sha256', '-'))[:16])}</code>",
                     esc(manifest.get("versions", {}).get("sim", "-")),
                     f"<code>{esc(run.path)}</code>"])
    return ("<h2>How to reproduce them</h2>"
            + table_html(["run", "label", "command", "seed", "config hash", "sim", "folder"],
                         rows))


def compare_report(folder: Path, runs: list[Run], t: pd.DataFrame, figures: list[str],
                   command: str) -> str:
    """The report of a comparison written into ``folder``."""
    answer = "".join(f"<p>{run_line(i, r, runs[0] if i else None)}</p>"
                     for i, r in enumerate(runs))
    body = ['<div class="answer">' + answer + "</div>", "<h2>Figures</h2>"]
    body += [figure_html(folder, name, captions.COMPARE[name]) for name in figures]
    body += [table_section(t, runs), runs_section(runs),
             f"<p>This comparison: <code>{esc(command)}</code></p>"]
    as_of = sorted({r.summary.get("as_of") for r in runs if r.summary.get("as_of")})
    return page("How the runs compare: when will the GPUs run?",
                " · ".join(f"[{i + 1}] {r.label}" for i, r in enumerate(runs)),
                ", ".join(as_of) or None, body)


def sweep_answer(t: pd.DataFrame, factors: list[str], labels: dict, goal: str = "") -> str:
    """How the P50 date and the odds move over the sweep, in plain words."""
    parts = []
    numeric = [f for f in factors if pd.api.types.is_numeric_dtype(t[f])]
    if len(numeric) == 1 and len(t) > 1:
        f = numeric[0]
        rows = t.sort_values(f)
        lo, hi = rows.iloc[0], rows.iloc[-1]
        parts.append(
            f"As {esc(labels.get(f, f))} goes from {lo[f]:g} to {hi[f]:g}, the P50 date all "
            f"GPUs are operational moves from <b>{esc(date_or(lo['all_operational_date']))}</b> "
            f"to <b>{esc(date_or(hi['all_operational_date']))}</b>, and the chance that all "
            f"run by 2030-12-31 from {_pct(lo)} to {_pct(hi)}.")
    for row in t.itertuples():
        factor_text = ", ".join(f"{labels.get(f, f)} = {t.loc[row.Index, f]}" for f in factors)
        parts.append(f"Job {esc(row.job)} ({esc(factor_text)}): all GPUs operational P50 "
                     f"<b>{esc(date_or(row.all_operational_date))}</b>; P(all by 2030-12-31) "
                     f"{_pct(t.loc[row.Index])}.")
    if goal:
        parts.append(f"Goal seek: {esc(goal)}.")
    return '<div class="answer">' + "".join(f"<p>{p}</p>" for p in parts[:14]) + "</div>"


def _pct(row, key: str = "p_all_operational_by_2030_12_31") -> str:
    n = row.get("replications")
    p = row.get(key)
    if p is None or pd.isna(p):
        return "-"
    return percent(float(p), int(n)) if n and not pd.isna(n) else f"{float(p):.0%}"


def jobs_table(t: pd.DataFrame, factors: list[str], labels: dict) -> str:
    """A row per job; the odds of each own target after the total's, as in the figure."""
    own = [k for k in t.columns if own_unit(k) == "probability"]
    rows = []
    for _, row in t.iterrows():
        rows.append([esc(row["job"]), *[esc(row.get(f)) for f in factors],
                     f"<b>{esc(date_or(row.get('all_operational_date')))}</b> "
                     f"({esc(date_or(row.get('all_operational_date_p10')))} to "
                     f"{esc(date_or(row.get('all_operational_date_p90')))})",
                     esc(_pct(row)), *[esc(_pct(row, k)) for k in own],
                     esc(_quantiles(row, "operational_2030_12_31")),
                     esc(_quantiles(row, "peak_waiting_gpus"))])
    return ("<h2>The jobs</h2><p>Each job is a full Monte Carlo run: dates and counts are the "
            "P50 over its replications with the P10 to P90 in brackets; odds are the share of "
            "replications with their 95 % Wilson intervals. <code>sweep.csv</code> has every "
            "figure.</p>"
            + table_html(["job", *[labels.get(f, f) for f in factors],
                          "all GPUs operational, P50 (P10 to P90)",
                          HEADLINE_LABELS["p_all_operational_by_2030_12_31"],
                          *[headline_label(k) for k in own],
                          HEADLINE_LABELS["operational_2030_12_31"] + ", P50 (P10 to P90)",
                          HEADLINE_LABELS["peak_waiting_gpus"] + ", P50 (P10 to P90)"], rows))


def _quantiles(row, key: str) -> str:
    value = row.get(key)
    if value is None or pd.isna(value):
        return "-"
    low, high = row.get(f"{key}_p10"), row.get(f"{key}_p90")
    if low is None or pd.isna(low):
        return f"{value:,.0f}"
    return f"{value:,.0f} ({low:,.0f} to {high:,.0f})"


def sweep_report(sweep_dir: Path, t: pd.DataFrame, factors: list[str], labels: dict,
                 figures: list[tuple[str, str]], command: str, goal: str = "",
                 shown_as: Path | None = None) -> str:
    """The report of a sweep (finished jobs ``t``), with ``figures`` as (file stem, kind)
    read from ``sweep_dir``; ``shown_as``: the sweep folder it names (if it is written
    elsewhere first)."""
    body = [sweep_answer(t, factors, labels, goal), "<h2>Figures</h2>"]
    body += [figure_html(sweep_dir, stem, captions.SWEEP[kind]) for stem, kind in figures]
    body += [jobs_table(t, factors, labels),
             f"<h2>How to reproduce it</h2><p><code>{esc(command)}</code> (run again with "
             f"<code>hydra.sweep.dir={esc(shown_as or sweep_dir)}</code> to resume it); each "
             "job's folder "
             "holds its own report.html with its command, seed and hashes.</p>"]
    return page("Sweep: when will the GPUs run, input by input?",
                "swept: " + ", ".join(labels.get(f, f) for f in factors) + f" · {len(t)} jobs",
                None, body)
