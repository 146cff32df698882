"""The representative replication's figures mark what they claim where it belongs: the
government's target on the government's own layer of the stack, not on a total; the
timeline's deals that are off greyed out, the as-of date and the observed events drawn, and
site names whole."""

from __future__ import annotations

import matplotlib.colors as mcolors
import pandas as pd
import pytest
from conftest import make_cfg

from sim.app.runner import prepare
from sim.outputs import figures, plots, results
from sim.outputs.labels import Names
from sim.outputs.replication_plots import operational
from sim.outputs.timeline_plot import OFF
from sim.study.study import run_study


@pytest.fixture(scope="module")
def run():
    config, seed_data = prepare(make_cfg("+scenario=slow_power", "mc.replications=8",
                                         "mc.drivers=false", "mc.n_jobs=1"))
    return results.tables(run_study(config, seed_data), config)


def _marker(ax, marker: str):
    (line,) = [ln for ln in ax.get_lines() if ln.get_marker() == marker and len(ln.get_xdata())]
    return line


@pytest.mark.parametrize("first", [True, False])
def test_the_target_star_sits_on_its_recipients_own_layer(run, first):
    ts = run["timeseries"]
    (target,) = [t for t in run["own_targets"] if t.recipient == "government"]
    if not first:  # the government listed after another recipient: still the bottom layer
        ts = pd.concat([ts[ts["recipient"] != "government"], ts[ts["recipient"] == "government"]])
    names = Names(run["summary"]["names"])
    ax = operational(ts, names, "test", run["own_targets"]).axes[0]
    assert ax.collections[0].get_label() == names.recipient("government")
    star, ring = _marker(ax, "*"), _marker(ax, "o")
    assert star.get_ydata()[0] == target.gpus  # nothing under the government's layer
    own = ts[(ts["recipient"] == "government") & (ts["date"] <= pd.Timestamp(target.by))]
    assert ring.get_ydata()[0] == own["operational"].iloc[-1]
    said = ring.get_label()
    assert f"{int(own['operational'].iloc[-1]):,}" in said
    assert ("not met" in said) == (own["operational"].iloc[-1] < target.gpus)


def test_the_timeline_greys_deals_that_are_off_and_draws_as_of_and_observed(run):
    assert run["deals_off"] == ("stargate_loi", "blackrock_mou")  # off in the baseline's conf
    f, args = plots.DRAWERS["timeline"], dict(figures.jobs(run, "test", {}))["timeline"]
    ax = f(*args).axes[0]
    diamonds = [ln for ln in ax.get_lines() if ln.get_marker() == "D"]
    deals = run["events"][run["events"]["event"] == "deal"].sort_values("date")
    assert len(diamonds) == len(deals)
    for line, deal in zip(diamonds, deals.itertuples()):
        off = deal.site in run["deals_off"]
        assert (mcolors.to_hex(line.get_color()) == OFF) == off
        text = [t.get_text() for t in ax.texts if str(deal.site).replace("_", " ") in t.get_text()]
        assert text and ("off in this run" in text[0]) == off
    as_of = pd.Timestamp(run["summary"]["as_of"])
    (line,) = [ln for ln in ax.get_lines() if ln.get_label().startswith("as of")]
    assert pd.Timestamp(line.get_xdata()[0]) == as_of
    seen = run["observed"]
    assert len(seen) and (seen["happened_last"] <= as_of).all()
    row = [t.get_position()[1] for t in ax.get_yticklabels()
           if t.get_text() == "observed, taken as fact"]
    on_row = [ln for ln in ax.get_lines() if len(ln.get_ydata()) == 1
              and ln.get_ydata()[0] == row[0] and ln.get_marker() not in ("", "None")]
    assert len(on_row) == len(seen)


def test_the_timeline_wraps_long_site_names_instead_of_cutting_them(run):
    f, args = plots.DRAWERS["timeline"], dict(figures.jobs(run, "test", {}))["timeline"]
    ticks = " ".join(t.get_text() for t in f(*args).axes[0].get_yticklabels())
    names = Names(run["summary"]["names"])
    longest = max((names.site(s) for s in run["sites_drawn"]["site"]), key=len)
    assert len(longest) > 52 and "…" not in ticks
    assert longest in ticks.replace("\n", " ")


def test_the_timeline_starts_before_the_first_deal_and_puts_older_halls_at_its_edge(run):
    import matplotlib.dates as mdates

    from sim.calendar import DAY0
    from sim.outputs.timeline_plot import BEFORE

    f, args = plots.DRAWERS["timeline"], dict(figures.jobs(run, "test", {}))["timeline"]
    ax = f(*args).axes[0]
    start = pd.Timestamp(DAY0) - BEFORE
    assert mdates.num2date(ax.get_xlim()[0]).date() == start.date()
    # the seeds hold halls announced years before (Naver's GAK Chuncheon, 2013): at the edge
    sites = run["sites_drawn"]
    assert (sites["first_announced_day"] < -365).any()
    edge = [ln for ln in ax.get_lines() if ln.get_marker() == "<"]
    assert edge and all(mdates.num2date(x).date() == start.date()
                        for ln in edge for x in mdates.date2num(ln.get_xdata()))
