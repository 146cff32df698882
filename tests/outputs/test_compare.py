"""``python -m sim.compare``: differences checked against the runs' own summaries, plots with
and without Monte Carlo bands, and refusals of what is not a finished run."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import run_cli

from sim.outputs import compare, compare_plots, manifest
from sim.study.headline import HEADLINE_UNITS
from sim.study.scores import wilson
from sim.study.targets import TOTAL

HORIZON = "horizon=2030-12-31"  # the total's 25 % in both; the odds by 2030 defined


@pytest.fixture(scope="module")
def scenarios(tmp_path_factory):
    """A finished multirun of baseline and slow_power (basic launcher): (cwd, folder, proc)."""
    cwd = tmp_path_factory.mktemp("user")
    proc = run_cli("-m", "+scenario=baseline,slow_power", HORIZON, "mc.replications=12",
                   "mc.driver_replications=2", cwd=cwd, quick=False)
    assert proc.returncode == 0, proc.stderr
    (sweep,) = (cwd / "results" / "multirun").iterdir()
    return cwd, sweep, proc


def run_compare(*args, cwd: Path) -> subprocess.CompletedProcess:
    return run_cli(*args, cwd=cwd, module="sim.compare")


def summary(run_dir: Path) -> dict:
    return json.loads((run_dir / "summary.json").read_text())


def raw(summary: dict, key: str):
    """A headline figure read straight from summary.json: the P50 over the replications
    where the run has one, else the representative replication's own."""
    mc = summary["monte_carlo"]
    if key in mc["figures"]:
        return mc["figures"][key]["p50"]
    if key == "all_operational_days_after_2030":
        return mc["all_operational_days_after_2030_p50"]
    return mc[key] if key.startswith("p_") else summary[key]


def test_two_runs_give_the_deltas_of_their_own_summaries(scenarios, tmp_path):
    _, sweep, _ = scenarios
    first, second = sweep / "0", sweep / "1"
    proc = run_compare(first, second, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    (out,) = (tmp_path / "results" / "compare").iterdir()
    for name in ("compare.csv", "operational.png", "power.png", "milestones.png"):
        assert (out / name).stat().st_size > 0, name
    table = pd.read_csv(out / "compare.csv")
    assert list(dict.fromkeys(table["run"])) == ["baseline", "slow_power"]  # shared: horizon
    s0, s1 = summary(first), summary(second)
    rows = table[table["run"] == "slow_power"].set_index("figure")
    for key, unit in HEADLINE_UNITS.items():
        if unit == "days" and key.endswith("_date"):
            continue
        # compare.csv rounds a difference to 6 decimals
        assert rows.loc[key, "delta"] == pytest.approx(raw(s1, key) - raw(s0, key),
                                                       abs=1e-6), key
    # the total's 25 % milestone is reached in both: its delta is the days between the P50
    # dates over each run's replications
    d0, d1 = (pd.read_csv(run / "milestones.csv").set_index(["recipient", "milestone"])
              .loc[("total", "25%"), "p50_date"] for run in (first, second))
    assert d0 and d1
    assert rows.loc["25% operational: total", "value"] == d1
    assert rows.loc["25% operational: total", "delta"] == \
        (pd.Timestamp(d1) - pd.Timestamp(d0)).days > 0
    # each row names its statistic: a P50 over the replications, a share of them, or the
    # representative replication's own figure
    n = s1["monte_carlo"]["replications"]
    assert rows.loc["peak_waiting_gpus", "statistic"] == f"P50 of {n} replications"
    assert rows.loc["p_all_operational_by_2030_12_31", "statistic"] == \
        f"share of {n} replications"
    assert rows.loc["mw_drawn_at_horizon", "statistic"] == f"P50 of {n} replications"
    assert rows.loc["unshipped_gpus_at_horizon", "statistic"] == \
        f"replication {s1['monte_carlo']['representative_replication']} (representative)"
    # the first run is the reference: every delta it has is zero
    base = table[table["run"] == "baseline"]["delta"].dropna()
    assert len(base) and (base == 0).all()
    # the printed table names both runs and shows the differences
    assert "[1] baseline" in proc.stdout and "[2] slow_power" in proc.stdout
    days = (pd.Timestamp(d1) - pd.Timestamp(d0)).days
    assert f"{d1} (+{days} d)" in proc.stdout


def test_odds_in_the_printed_table_match_summary_json_to_the_percent(scenarios, tmp_path):
    _, sweep, _ = scenarios
    proc = run_compare(sweep / "0", sweep / "1", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    lines = {line.split("  ")[0]: line for line in proc.stdout.splitlines()}
    for job in ("0", "1"):
        mc = summary(sweep / job)["monte_carlo"]
        n = mc["replications"]
        for key, label in (("p_all_operational_by_2030_12_31", "P(all GPUs operational by"),
                           ("p_government_50k_by_2030_12_31", "P(government 50k")):
            (line,) = [v for k, v in lines.items() if k.startswith(label)]
            cells = [c.strip() for c in line.split("  ") if c.strip()][2:]
            p = mc[key]
            cell = cells[int(job)]
            assert cell.startswith(f"{round(100 * p)} %"), (key, cell, p)
            low, high = wilson(round(p * n), n)  # its 95 % Wilson interval
            assert f"{100 * low:.0f}-{100 * high:.0f} %" in cell
            if p in (0, 1):
                assert f"({round(p * n)} of {n}; " in cell


def test_a_comparison_writes_its_report(scenarios, tmp_path):
    _, sweep, _ = scenarios
    proc = run_compare(sweep, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    (out,) = (tmp_path / "results" / "compare").iterdir()
    page = (out / "report.html").read_text()
    for job in "01":  # each run's P50 date, in the answer at the top
        p50 = summary(sweep / job)["monte_carlo"]["all_operational"]["p50"]
        assert f"P50 <b>{p50 or 'after the horizon'}</b>" in page
    assert page.count("<figure>") == 3 and "data:image/png;base64," in page
    assert "python -m sim.compare" in page and "http" not in page.replace(
        "http-equiv", "")


def test_a_multirun_folder_means_all_its_jobs_in_order(scenarios, tmp_path):
    _, sweep, _ = scenarios
    proc = run_compare(sweep, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    (out,) = (tmp_path / "results" / "compare").iterdir()
    table = pd.read_csv(out / "compare.csv")
    assert list(dict.fromkeys(table["run_dir"])) == [str(sweep / "0"), str(sweep / "1")]


def test_the_sweep_report_overlays_a_list_of_scenarios(scenarios):
    _, sweep, _ = scenarios
    table = pd.read_csv(sweep / "sweep.csv")
    assert list(table["scenario"]) == ["baseline", "slow_power"]
    assert table["peak_waiting_gpus"].tolist() == [
        summary(sweep / j)["monte_carlo"]["figures"]["peak_waiting_gpus"]["p50"] for j in "01"]
    assert table["peak_waiting_gpus_p10"].tolist() == [
        summary(sweep / j)["monte_carlo"]["figures"]["peak_waiting_gpus"]["p10"] for j in "01"]
    assert (sweep / "operational.png").stat().st_size > 0
    # a list of scenarios: the sweep itself prints and writes compare's table of differences
    deltas = pd.read_csv(sweep / "compare.csv")
    assert list(dict.fromkeys(deltas["run"])) == ["baseline", "slow_power"]
    assert "[2] slow_power" in scenarios[2].stdout


def _incomplete_run(scenarios, tmp_path):
    copy = tmp_path / "interrupted"
    shutil.copytree(scenarios[1] / "0", copy)
    (copy / "manifest.json").unlink()
    return copy


def _incomplete_job(scenarios, tmp_path):
    copy = tmp_path / "sweep"
    shutil.copytree(scenarios[1], copy)
    (copy / "1" / "manifest.json").unlink()
    return copy


def _failed_job(scenarios, tmp_path):
    copy = _incomplete_job(scenarios, tmp_path)
    manifest.record_failure(copy / "1", "seed: -1 is not allowed; need >= 0", bad_input=True)
    return copy


BAD = {
    "missing": (lambda s, t: t / "no_such_run", "no such folder"),
    "no manifest": (_incomplete_run, "not a finished run"),
    "a multirun with an unfinished job": (_incomplete_job, "not a finished run"),
    "a multirun with a failed job": (_failed_job, "failed (seed: -1 is not allowed"),
    "not a run at all": (lambda s, t: s[0], "not a finished run"),
}


@pytest.mark.parametrize("case", list(BAD))
def test_what_is_not_a_finished_run_is_one_line_exit_2_nothing_written(case, scenarios,
                                                                        tmp_path):
    make, fragment = BAD[case]
    bad = make(scenarios, tmp_path)
    cwd = tmp_path / "user"
    cwd.mkdir()
    proc = run_compare(scenarios[1] / "0", bad, cwd=cwd)
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("error: ") and fragment in lines[0]
    assert bad.name in lines[0] or "/1" in lines[0]
    assert "Traceback" not in proc.stderr + proc.stdout
    assert not (cwd / "results").exists()


# --- bands of Monte Carlo runs, on a hand-made frame ------------------------------------------

def _mc_run(tmp_path, name: str, shift: int) -> compare.Run:
    dates = pd.date_range("2026-01-05", periods=20, freq="7D")
    rows = []
    for recipient in ("government", TOTAL):
        p50 = [1000 * (i + shift) for i in range(20)]
        rows.append(pd.DataFrame({
            "date": dates, "recipient": recipient,
            "operational_p10": [v * 0.8 for v in p50], "operational_p50": p50,
            "operational_p90": [v * 1.2 for v in p50], "operational_mean": p50,
            "mw_drawn_p50": [v / 400 for v in p50], "mw_energized_p50": [v / 300 for v in p50],
        }))
    return compare.Run(path=tmp_path / name, summary={"scenario": name}, overrides=[],
                       label=name, _timeseries=pd.concat(rows, ignore_index=True))


def test_bands_come_from_p10_and_p90_where_a_run_has_them(tmp_path):
    run = _mc_run(tmp_path, "mc", 0)
    rows = run.timeseries[run.timeseries["recipient"] == TOTAL]
    center, low, high = compare_plots.series(rows, "operational")
    assert center.equals(rows["operational_p50"])
    assert low.equals(rows["operational_p10"]) and high.equals(rows["operational_p90"])
    single = rows.rename(columns={"operational_p50": "operational"}).drop(
        columns=["operational_p10", "operational_p90"])
    center, low, high = compare_plots.series(single, "operational")
    assert center.equals(single["operational"]) and low is None and high is None
    fig = compare_plots.operational([run, _mc_run(tmp_path, "later", 3)])
    total = fig.axes[0]  # the first panel: all recipients; its first line: run [1]'s P50
    np.testing.assert_array_equal(total.get_lines()[0].get_ydata(), rows["operational_p50"])
    assert fig.axes[0].get_title(loc="left") == "all recipients"
    assert len(compare_plots.power([run]).axes[0].get_lines()) >= 2


def test_a_milestone_not_reached_is_null_in_summary_json(scenarios):
    """summary.json stays strict JSON (no NaN) when a milestone is past the horizon."""
    def refuse(constant):
        raise ValueError(f"{constant} in summary.json")

    s = json.loads((scenarios[1] / "1" / "summary.json").read_text(), parse_constant=refuse)
    assert s["scenario"] == "slow_power" and s["milestones"]["100%"] is None


def _page_text(path: Path) -> str:
    """report.html as a reader sees its words: tags, styles and images out, spaces folded."""
    import html
    import re

    page = re.sub(r"<(style|script)\b.*?</\1>|<img[^>]*>", " ", path.read_text(), flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))


def test_terminal_report_and_compare_give_each_headline_statistic_the_same_value(scenarios,
                                                                                tmp_path):
    """One run's headline statistics, read from summary.json, appear with the same value (to
    each place's rounding) in what the terminal said, in report.html and in sim.compare."""
    _, sweep, _ = scenarios
    proc = run_compare(sweep / "0", sweep / "1", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    rows = {line.split("  ")[0].strip(): [c.strip() for c in line.split("  ") if c.strip()]
            for line in proc.stdout.splitlines() if "  " in line}
    for job in ("0", "1"):
        folder = sweep / job
        s = summary(folder)
        mc, q = s["monte_carlo"], s["monte_carlo"]["figures"]
        said = " ".join((folder / "summary.txt").read_text().split())
        page = _page_text(folder / "report.html")

        def cell(label: str) -> str:
            return rows[label][2 + int(job)]

        p50 = mc["all_operational"]["p50"] or "after the horizon"
        odds = {k: f"{round(100 * mc[k])} %" for k in ("p_all_operational_by_2030_12_31",
                                                       "p_government_50k_by_2030_12_31")}
        expected = [  # (the value as each place rounds it: terminal and report, compare)
            (p50, p50, "100 % operational: all recipients"),
            (f"= {odds['p_all_operational_by_2030_12_31']}",
             odds["p_all_operational_by_2030_12_31"], "P(all GPUs operational by 2030-12-31)"),
            (f"= {odds['p_government_50k_by_2030_12_31']}",
             odds["p_government_50k_by_2030_12_31"],
             "P(government 50k operational by 2030-12-31)"),
            (f"2030: {q['operational_2030_12_31']['p50'] / 1000:.0f}k",
             f"{q['operational_2030_12_31']['p50']:,.0f}", "GPUs operational on 2030-12-31"),
            (f"peak waiting for power {q['peak_waiting_gpus']['p50']:,.0f} ",
             f"{q['peak_waiting_gpus']['p50']:,.0f}", "peak GPUs waiting for power"),
            (f"idle {q['idle_gpu_months']['p50'] / 1e6:.2f} M",
             f"{q['idle_gpu_months']['p50']:,.0f}",
             "idle GPU-months (arrived, waiting for power)"),
            (f"MW drawn at the horizon {q['mw_drawn_at_horizon']['p50']:.0f} ",
             f"{q['mw_drawn_at_horizon']['p50']:.1f}", "MW drawn at the horizon"),
        ]
        for in_text, in_compare, label in expected:
            assert in_text in said and in_text in page, (job, label, in_text)
            assert cell(label).startswith(in_compare), (job, label, cell(label), in_compare)
            assert rows[label][1] in ("P50", "% (95 %)"), (label, rows[label][1])
