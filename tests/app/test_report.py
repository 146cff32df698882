"""A run's report.html, summary.txt, figure formats and the inputs' labels and sources; and
degenerate worlds that end in a complete run whose figures say there is nothing to show."""

from __future__ import annotations

import json

import pandas as pd
import pytest
import yaml
from conftest import run_cli

from sim.app.paths import CONF_DIR
from sim.app.schema import Config
from sim.app.sources import COMMAND_LINE, comments, sources
from sim.model.params import rules
from sim.outputs import results
from sim.outputs.labels import label
from sim.outputs.report import has_source, is_setting


def only_run(cwd, scenario="baseline"):
    (run_dir,) = (cwd / "results" / scenario).iterdir()
    return run_dir


def test_every_config_field_has_a_readers_label():
    missing = [key for key, rule in rules(Config) if not rule.label]
    assert not missing


def test_a_runs_name_keeps_the_overrides_that_change_numbers_only():
    said = label("baseline", ["+scenario=baseline", "mc.replications=1", "overwrite=true",
                              "mc.n_jobs=2", "mc.backend=ray", "mc.ray_address=auto",
                              "hydra.run.dir=x", "outputs.figures=never",
                              "power.grid_delay_months=3"])
    assert said == "baseline mc.replications=1 power.grid_delay_months=3"


def test_sources_come_from_the_comment_beside_each_value():
    found = comments(CONF_DIR / "config.yaml")
    assert "JoongAng" in found["supply.cap_gpus_per_quarter"] or \
        "JPMorgan" in found["supply.cap_gpus_per_quarter"]  # the block above the key
    assert found["sites.slip_months_by_site"].startswith("a what-if slip for one site")  # its line
    assert found["power.grid_delay_months"].startswith("Connection works")  # the block above
    assert found["power.approval_p"] == "grid-impact assessment pass rates"  # a group's
    capital = sources(["power.approval_p.capital"], "baseline", [])["power.approval_p.capital"]
    assert "21%" in capital[1] and "pass rates" in capital[1]  # its own line, then its group's
    where = sources(["power.grid_delay_months", "sites.slip_months", "seed"], "slow_power",
                    ["+scenario=slow_power", "seed=4"])
    assert where["power.grid_delay_months"][0] == "conf/scenario/slow_power.yaml"
    assert "MOTIE" in where["power.grid_delay_months"][1]  # the scenario's notes
    assert where["sites.slip_months"][0] == "conf/config.yaml"
    # a dated value: its history, each revision with its basis, date and sources
    assert where["sites.slip_months"][1].startswith("estimate of 2025-10-31: Korean")
    assert "donga_2019_10_28" in where["sites.slip_months"][1]
    assert "; then estimate of 2026-06-08" in where["sites.slip_months"][1]
    assert where["seed"][0] == COMMAND_LINE


def test_every_number_of_the_baseline_names_a_source_or_is_a_setting_or_listed():
    keys = [k for k, rule in rules(Config) if not k.startswith("outputs.")]
    found = sources(keys, "baseline", [])
    unsourced = sorted(k for k, (_, text) in found.items()
                       if not has_source(text) and not is_setting(k))
    assert unsourced == []


@pytest.mark.parametrize("scenario", sorted(p.stem for p in (CONF_DIR / "scenario").glob("*.yaml")))
def test_every_number_a_scenario_sets_names_a_source(scenario):
    keys = [k for k, rule in rules(Config) if not k.startswith("outputs.")]
    found = sources(keys, scenario, [f"+scenario={scenario}"])
    assert [k for k, (_, text) in found.items() if not has_source(text) and not is_setting(k)] == []


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory):
    cwd = tmp_path_factory.mktemp("user")
    proc = run_cli("+scenario=slow_power", "horizon=2031-12-31", "outputs.formats=[png,svg]",
                   cwd=cwd)
    assert proc.returncode == 0, proc.stderr
    return only_run(cwd, "slow_power"), proc


def test_a_run_writes_its_report_and_what_the_terminal_said(run_dir):
    folder, proc = run_dir
    said = (folder / "summary.txt").read_text().splitlines()
    assert len(said) >= 5 and all(line in proc.stdout for line in said)
    page = (folder / "report.html").read_text()
    summary = json.loads((folder / "summary.json").read_text())
    mc = summary["monte_carlo"]
    p50 = mc["all_operational"]["p50"]
    assert (f"by <b>{p50}</b>" if p50 else "not all 260,000 pledged GPUs") in page
    assert page.count("<figure>") == len(results.report.captions.RUN)
    assert "python -m sim +scenario=slow_power horizon=2031-12-31" in page
    assert json.loads((folder / "manifest.json").read_text())["config_sha256"] in page
    assert "conf/scenario/slow_power.yaml" in page
    # each cited source id links to its entry: publisher, date and address
    assert '<a href="#src-donga_2019_10_28">' in page and 'id="src-donga_2019_10_28"' in page
    for name in ("fan", "drivers", "criticality"):
        assert (folder / "plots" / f"{name}.png").is_file()
        assert (folder / "plots" / f"{name}.svg").is_file()
    assert "report.html" in json.loads((folder / "manifest.json").read_text())["files"]


def test_summary_json_says_which_figures_are_one_replication(run_dir):
    folder, _ = run_dir
    summary = json.loads((folder / "summary.json").read_text())
    rep = summary["monte_carlo"]["representative_replication"]
    assert f"no. {rep}" in summary["about"] and summary["representative_replication"] == rep
    assert list(summary)[:2] == ["about", "scenario"]
    assert set(summary["names"]["recipients"]) == {"government", "samsung", "sk", "hyundai",
                                                   "naver"}


def test_only_the_formats_asked_for_are_written(tmp_path):
    proc = run_cli("horizon=2026-06-30", "outputs.formats=[pdf]", "mc.drivers=false",
                   cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    plots = only_run(tmp_path) / "plots"
    assert {p.suffix for p in plots.iterdir()} == {".pdf"}
    assert "data:image/png;base64," in (only_run(tmp_path) / "report.html").read_text()


@pytest.mark.parametrize("value", ["[gif]", "[]", "[png,png]"])
def test_a_bad_format_is_one_line_exit_2(value, tmp_path):
    proc = run_cli(f"outputs.formats={value}", cwd=tmp_path)
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: outputs.formats:"), proc.stderr
    assert "png, svg, pdf" in lines[0]
    assert not (tmp_path / "results").exists()


@pytest.mark.parametrize("overrides", [
    ("horizon=2025-09-23",),  # a day after the first deal: before the pledge
    ("horizon=2025-10-30",),  # the pledge is dated after the horizon
    ("power.grid_delay_months=1e308",),  # sites that never get power
])
def test_degenerate_worlds_give_a_complete_run_that_says_nothing_to_show(overrides, tmp_path):
    proc = run_cli(*overrides, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    folder = only_run(tmp_path)
    assert (folder / "manifest.json").is_file()
    assert "nothing to show yet" in (folder / "report.html").read_text() or \
        json.loads((folder / "summary.json").read_text())["monte_carlo"]["all_operational"][
            "p50"] is None


def test_help_tells_a_newcomer_how_to_choose_sweep_compare_and_where_things_are(tmp_path):
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, "-m", "sim", "--help"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    for needed in ("+scenario=slow_power", "baseline, blackwell_only, fast_track",
                   "python -m sim -m",
                   "python -m sim.compare", "results/<scenario>/", "report.html",
                   "conf/config.yaml", "outputs.formats"):
        assert needed in proc.stdout, needed


def test_an_as_of_date_heads_the_page_where_there_is_one():
    from sim.outputs.report import page

    assert "As of 2025-10-31" in page("h", "s", "2025-10-31", [])
    assert "As of" not in page("h", "s", None, [])


def test_a_sweeps_jobs_draw_figures_only_when_asked_and_a_run_never_when_told(tmp_path):
    """A sweep's report has its own figures: its jobs draw theirs only with
    ``outputs.figures=always``; a single run draws them unless told ``never``. Either way
    the report says where the figures went, and the tables are the same."""
    tiny = ("horizon=2026-06-30", "mc.drivers=false")
    proc = run_cli("-m", "outputs.figures=auto,always", *tiny, "hydra.sweep.dir=sweep",
                   cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    jobs = {yaml.safe_load((job / ".hydra" / "overrides.yaml").read_text())[0]: job
            for job in (tmp_path / "sweep").iterdir() if (job / ".hydra").is_dir()}
    auto, always = jobs["outputs.figures=auto"], jobs["outputs.figures=always"]
    assert not (auto / "plots").exists()
    assert "No figures were drawn" in (auto / "report.html").read_text()
    assert {p.name for p in (always / "plots").iterdir()} >= {"fan.png", "drivers.png"}
    # the same numbers; only the run's identity (its config differs in outputs.figures) does
    numbers = [pd.read_csv(job / "timeseries.csv") for job in (auto, always)]
    pd.testing.assert_frame_equal(*(n.drop(columns="run_config_sha256") for n in numbers))
    assert numbers[0]["run_config_sha256"][0] != numbers[1]["run_config_sha256"][0]
    proc = run_cli("outputs.figures=never", *tiny, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert not (only_run(tmp_path) / "plots").exists()
    assert "No figures were drawn" in (only_run(tmp_path) / "report.html").read_text()
