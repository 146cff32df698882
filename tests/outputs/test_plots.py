"""The figures of a run show the statistic their legends name, on a run's own tables; and
figures of empty or one-week worlds say there is nothing to show yet instead of failing."""

from __future__ import annotations

from pathlib import Path

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
import pytest
from conftest import make_cfg

from sim.app.runner import prepare
from sim.calendar import DAY0
from sim.outputs import captions, plots, report, report_answer, results, terminal
from sim.outputs import figures as figure_tasks
from sim.outputs.labels import Names
from sim.outputs.style import NOTHING
from sim.study.headline import replications, statistic
from sim.study.study import run_study
from sim.study.targets import TOTAL


def tables(*overrides):
    config, seed_data = prepare(make_cfg(*overrides, "mc.n_jobs=1"))
    return results.tables(run_study(config, seed_data), config)


@pytest.fixture(scope="module")
def run():
    return tables("+scenario=slow_power", "mc.replications=30", "mc.driver_replications=8",
                  "horizon=2038-12-31")  # slow power's P50 falls after the default horizon


def figures(t) -> dict:
    return {name: plots.DRAWERS[name](*args) for name, args in figure_tasks.jobs(t, "test", {})}


def texts(fig) -> str:
    return " ".join(t.get_text() for ax in fig.axes for t in ax.texts) + " ".join(
        t.get_text() for t in fig.texts)


def test_the_fan_line_is_the_p50_column_and_the_legend_says_so(run):
    ts = run["timeseries"]
    fig = plots.fan(ts, Names(run["summary"]["names"]), "test", 30)
    names = Names(run["summary"]["names"])
    panels = {ax.get_title(loc="left"): ax for ax in fig.axes if ax.get_visible()}
    for recipient in ts["recipient"].unique():
        ax = panels[names.recipient(recipient)]
        (line,) = [ln for ln in ax.get_lines() if ln.get_label().startswith("P50")]
        rows = ts[ts["recipient"] == recipient]
        np.testing.assert_array_equal(line.get_ydata(), rows["operational_p50"].to_numpy())
        band = ax.collections[0].get_paths()[0].vertices[:, 1]
        assert band.min() == pytest.approx(rows["operational_p10"].min())
        assert band.max() == pytest.approx(rows["operational_p90"].max())


def _date(x) -> str:
    """An x value of a date axis (a timestamp, or matplotlib's day number) as an ISO date."""
    return (pd.Timestamp(x) if not isinstance(x, (float, np.floating))
            else pd.Timestamp(mdates.num2date(x))).date().isoformat()


def test_the_s_curve_marks_the_headline_p_dates(run):
    mc = run["summary"]["monte_carlo"]
    fig = figures(run)["milestones"]
    ax = fig.axes[0]
    marked = {_date(ln.get_xdata()[0]) for ln in ax.get_lines()
              if len(ln.get_xdata()) == 2 and ln.get_xdata()[0] == ln.get_xdata()[1]}
    for q in ("p10", "p50", "p90"):
        if mc["all_operational"][q]:
            assert mc["all_operational"][q] in marked, q
    curve = ax.get_lines()[0]  # the share of replications done by each date
    days = run["replications"][f"day_reached:{TOTAL}:100%"]
    assert curve.get_ydata()[-1] == pytest.approx(days.notna().mean())


def test_the_tornado_is_drawn_around_the_headline_p50_with_intervals(run):
    mc = run["summary"]["monte_carlo"]
    drivers = run["drivers"]
    fig = figures(run)["drivers"]
    ax = fig.axes[0]
    # the axis' zero is the headline P50, the date the terminal prints
    assert ax.xaxis.get_major_formatter()(0) == mc["all_operational"]["p50"][:7]
    moved = drivers[drivers[["effect_days", "effect_low_days", "effect_high_days"]].abs()
                    .max(axis=1).round() > 0]
    widths = [bar.get_width() for bar in ax.patches if bar.get_height() == 0.6]
    np.testing.assert_allclose(widths, -moved["effect_days"].to_numpy()[::-1])
    rerun = drivers.dropna(subset=["effect_days"])  # the risks the budget re-ran
    assert len(rerun) and (rerun["effect_low_days"] <= rerun["effect_days"] + 1e-9).all()
    assert (rerun["effect_days"] <= rerun["effect_high_days"] + 1e-9).all()
    assert (drivers["p50_all_operational_day"] == drivers["p50_all_operational_day"].iloc[0]
            ).all()
    lo, hi = ax.get_xlim()  # every whisker is drawn in full, none runs off the axis
    assert lo <= (-moved["effect_high_days"]).min() and (-moved["effect_low_days"]).max() <= hi


def test_a_whisker_far_to_the_right_stays_inside_the_tornado(run):
    """A risk whose interval reaches far below zero (holding it central could bring the
    date much later) draws its whisker in full; with one pair the title says so."""
    wide = run["drivers"].copy()
    wide.loc[wide.index[0], ["effect_days", "effect_low_days", "effect_high_days"]] = \
        [5.0, -400.0, 20.0]
    wide["driver_replications"] = 1
    mc = run["summary"]["monte_carlo"]
    fig = plots.drivers(wide, mc["all_operational"]["p50"], run["summary"]["horizon"], {},
                        "test")
    assert fig.axes[0].get_xlim()[1] >= 400
    assert "(1 paired replication)" in texts(fig)


def test_a_tornado_with_no_risk_re_run_says_the_budget_reached_none(run):
    """With mc.driver_budget=0 no risk is re-run: the figure must not say they moved nothing."""
    unrun = run["drivers"].assign(effect_days=np.nan, effect_low_days=np.nan,
                                  effect_high_days=np.nan, driver_replications=0)
    fig = figures({**run, "drivers": unrun})["drivers"]
    assert "re-run within the budget (mc.driver_budget)" in texts(fig)
    assert "moved the P50" not in texts(fig)


def test_what_finishes_last_adds_up_to_every_replication(run):
    mc = run["summary"]["monte_carlo"]
    last = mc["finishes_last"]
    assert sum(last["recipients"].values()) == mc["replications"] == sum(last["sites"].values())
    fig = figures(run)["criticality"]
    shares = sorted(bar.get_width() for bar in fig.axes[0].patches)
    assert shares == pytest.approx(sorted(v / mc["replications"]
                                          for v in last["recipients"].values()))


def test_representative_figures_say_they_are_one_replication(run):
    rep = run["summary"]["monte_carlo"]["representative_replication"]
    for name in ("operational", "pipeline", "power", "timeline"):
        fig = figures(run)[name]
        assert "one replication" in texts(fig) and f"no. {rep} " in texts(fig), name


def test_a_run_of_one_replication_claims_no_median_and_no_band_anywhere():
    t = tables("mc.replications=1", "mc.drivers=false")
    summary = t["summary"]
    drawn = figures(t)
    legend = [text for ax in drawn["fan"].axes for text in ax.get_legend_handles_labels()[1]]
    assert "the one replication (no spread)" in legend
    assert not any("P50" in text or "P10" in text for text in legend)
    assert not drawn["fan"].axes[0].collections  # no band
    for name in ("fan", "milestones", "criticality"):
        said = texts(drawn[name])
        assert "one replication" in said or "1 replication" in said, name
        assert "1 replications" not in said and "P10" not in said.replace("P10–P90)", ""), name
    assert "P50" not in texts(drawn["milestones"])  # its date, not three P-dates
    line = terminal.report(summary, Path("run")).splitlines()[1]
    assert "(seed 0, 1 replication)" in line and "operational on " in line
    assert "P50" not in line and "(P10 " not in line and "no spread" in line
    assert "In its one replication" in report_answer.answer_html(summary, {})
    table = report.milestones_html(t["milestones"], summary)
    assert "one replication" in table and "<th>P50</th>" not in table
    for name in ("fan", "milestones", "criticality"):
        caption = captions.run_caption(name, 1, 0)
        assert "one replication" in caption and "8 of 10" not in caption, name
    assert statistic(summary, "all_operational_date") == "replication 0, the only one"
    assert replications(1) == "1 replication" and replications(1000) == "1,000 replications"


def test_milestones_csv_orders_statistics_first_and_rounds_the_days(run):
    ms = run["milestones"]
    assert list(ms.columns[:7]) == ["recipient", "milestone", "gpus", "p10_date", "p50_date",
                                    "p80_date", "p90_date"]
    assert list(ms.columns[-2:]) == ["representative_day", "representative_date"]
    days = ms["representative_day"].dropna()
    assert (days == days.round(1)).all()


DEGENERATE = {
    "horizon a day after the first deal": ("horizon=2025-09-23",),
    "pledge dated after the horizon": ("horizon=2025-10-30",),
    "one week after the pledge": ("horizon=2025-11-03",),
    "sites that never get power": ("sites.slip_months=1e308",),
}


@pytest.mark.parametrize("case", list(DEGENERATE))
def test_degenerate_worlds_draw_every_figure(case, tmp_path):
    t = tables(*DEGENERATE[case], "mc.replications=3", "mc.driver_replications=2")
    drawn = figures(t)
    assert set(drawn) == set(figure_tasks.FIGURES) == set(plots.DRAWERS)
    ts = t["timeseries"]
    if ts.empty:  # nothing after the pledge: the weekly figures say so
        for name in ("fan", "operational", "pipeline", "power"):
            assert NOTHING in texts(drawn[name]), name
    if not ts.empty and ts["date"].nunique() == 1:  # one week: no line or area either
        for name in ("fan", "operational", "pipeline", "power"):
            assert NOTHING in texts(drawn[name]) and "two weeks" in texts(drawn[name]), name
    if t["replications"][f"day_reached:{TOTAL}:100%"].isna().all():
        assert NOTHING in texts(drawn["milestones"])
    written = figure_tasks.start(t, tmp_path, "test", {}, formats=["png", "svg", "pdf"]).finish()
    assert {p.suffix for p in written} == {".png", ".svg", ".pdf"}
    assert all(p.stat().st_size > 0 for p in written)


@pytest.mark.cli
def test_figures_drawn_on_workers_are_the_bytes_drawn_here(run, tmp_path):
    from sim.study.workers import Pool

    here = figure_tasks.start(run, tmp_path / "here", "test", {}).finish()
    there = figure_tasks.start(run, tmp_path / "there", "test", {}, pool=Pool(n_jobs=2)).finish()
    assert sorted(p.name for p in here) == sorted(p.name for p in there) == sorted(
        f"{name}.png" for name in figure_tasks.FIGURES)
    for path in here:
        assert path.read_bytes() == (tmp_path / "there" / path.name).read_bytes(), path.name


def test_empty_and_one_point_series_draw(run):
    ts = run["timeseries"]
    names = Names(run["summary"]["names"])
    one = ts[ts["date"] == ts["date"].min()]
    for frame in (ts.iloc[:0], one):
        for fig in (plots.fan(frame, names, "t", 3),
                    plots.replication_plots.operational(frame, names, "t"),
                    plots.replication_plots.pipeline(frame, "t"),
                    plots.replication_plots.power(frame, names, "t")):
            fig.canvas.draw()  # raises if an artist cannot be drawn
            if len(frame):  # one week: said, not drawn as an empty frame
                assert NOTHING in texts(fig)
    empty = pd.Series([np.nan, np.nan])
    fig = plots.completion(empty, {"p10": None, "p50": None, "p90": None}, "2030-01-01",
                           names, "t", 2)
    assert NOTHING in texts(fig)
    single = pd.Series([float((pd.Timestamp("2029-01-01") - pd.Timestamp(DAY0)).days)])
    fig = plots.completion(single, {"p10": "2029-01-01", "p50": "2029-01-01",
                                    "p90": "2029-01-01"}, "2030-01-01", names, "t", 1)
    fig.canvas.draw()


def test_a_date_after_the_horizon_reads_so_in_every_table():
    from sim.outputs.formats import date_or

    for missing in (None, float("nan"), ""):
        assert date_or(missing) == "after the horizon"
    assert date_or("2031-04-24") == "2031-04-24"


def test_a_gpu_axis_with_next_to_nothing_reads_whole_gpus_from_zero():
    """A panel of GPU counts that are all zero (a world of two weeks) read "0k" five times
    over, and below zero in a comparison; a full one still reads 10k, 20k, ..."""
    from sim.outputs.style import figure, gpu_axis

    for values, expect in (([0, 0], None), ([0, 50_000], "50k")):
        fig, axes = figure(4, 3)
        ax = axes[0, 0]
        ax.plot([0, 1], values)
        gpu_axis(ax)
        fig.canvas.draw()
        labels = [t.get_text() for t in ax.get_yticklabels() if t.get_text()]
        assert labels and "0k" not in labels, labels
        assert not any(label.startswith(("-", "\u2212")) for label in labels), labels
        assert len(set(labels)) == len(labels), labels
        if expect:
            assert expect in labels and "10k" in labels, labels
