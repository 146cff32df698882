"""A sweep's figures show every odds the jobs have, each with its 95 % Wilson interval, on an
axis from 0 % to 100 %: a flat 0 % reads as one, and the government's odds that fall across
the sweep are not left out."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sim.outputs import sweep, sweep_plots
from sim.study.scores import wilson

GOV = "p_government_50k_by_2030_12_31"
ALL = "p_all_operational_by_2030_12_31"


@pytest.fixture
def table():
    """Three jobs of 20 replications over the grid delay, as sweep.csv has them."""
    return pd.DataFrame({
        "power.grid_delay_months": [0, 12, 24], "replications": [20, 20, 20],
        ALL: [0.0, 0.0, 0.0], GOV: [0.4, 0.25, 0.15],
        "all_operational_days_after_2030": [800, 900, 1100],
        "all_operational_days_after_2030_p10": [300, 500, 800],
        "all_operational_days_after_2030_p90": [1400, 1400, 1400],
        "operational_2030_12_31": [200_000, 170_000, 96_000],
        "peak_waiting_gpus": [36_000, 54_000, 53_000]})


def _odds_panel(fig):
    (ax,) = [a for a in fig.axes if a.get_title(loc="left").startswith("the odds")]
    return ax


def test_every_odds_is_drawn_with_its_wilson_interval_on_0_to_100(table):
    outputs = [*sweep.OUTPUTS, GOV]
    fig = sweep_plots.factor_lines(table, "power.grid_delay_months", None, outputs, {})
    ax = _odds_panel(fig)
    low, high = ax.get_ylim()
    assert low <= 0 and high >= 1 and high - low < 1.1
    texts = [t.get_text() for t in ax.get_legend().get_texts()]
    assert len(ax.containers) == 2 == len(texts)
    for key, bars in zip([ALL, GOV], ax.containers):
        shares = table[key].to_numpy()
        np.testing.assert_allclose(bars.lines[0].get_ydata(), shares)
        ends = np.array([seg[:, 1] for seg in bars.lines[2][0].get_segments()])
        expected = np.array([wilson(round(p * 20), 20) for p in shares])
        np.testing.assert_allclose(np.sort(ends, axis=1), expected)
    assert texts[0] == "P(all GPUs by 2030-12-31) (0% in every job)"
    assert texts[1] == "P(government 50k by 2030-12-31)"  # it moves


def test_the_sweep_plots_every_odds_column_the_jobs_have(table, tmp_path, monkeypatch):
    drawn = []
    real = sweep_plots.factor_lines
    monkeypatch.setattr(sweep_plots, "factor_lines",
                        lambda t, f, by, outputs, labels: drawn.append(outputs)
                        or real(t, f, by, outputs, labels))
    figures, written = sweep.plots(table, ["power.grid_delay_months"], [], tmp_path)
    assert figures == [("outputs_vs_power.grid_delay_months", "outputs_vs")]
    assert [p.name for p in written] == ["outputs_vs_power.grid_delay_months.png"]
    (outputs,) = drawn
    assert ALL in outputs and GOV in outputs  # the government's odds are not left out
    assert sweep_plots.panels(outputs).count(sweep_plots.ODDS) == 1


def test_a_heatmap_puts_odds_on_one_0_to_100_scale_with_their_intervals(table):
    two = pd.concat([table.assign(seed=0), table.assign(seed=1)], ignore_index=True)
    fig = sweep_plots.heatmap(two, "power.grid_delay_months", "seed", [ALL, GOV], {})
    panel = [a for a in fig.axes if a.get_title(loc="left").startswith("P(government")][0]
    assert panel.images[0].get_clim() == (0, 1)
    low, high = wilson(round(0.4 * 20), 20)
    assert f"40%\n({low:.0%}-{high:.0%})" in [t.get_text() for t in panel.texts]


def test_the_sweep_reports_table_gives_every_odds_with_its_interval(table):
    from sim.outputs.report_many import jobs_table

    html = jobs_table(table.assign(job=["0", "1", "2"]), ["power.grid_delay_months"], {})
    assert "P(government 50k operational by 2030-12-31)" in html
    low, high = wilson(round(0.4 * 20), 20)
    assert f"<td>40 % ({100 * low:.0f}-{100 * high:.0f} %)</td>" in html
