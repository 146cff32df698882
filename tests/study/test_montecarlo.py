"""Monte Carlo: bands in order, worker count irrelevant, N=1 is a single run, a known answer,
the drivers, and random numbers shared across scenarios."""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd
import pytest
import yaml
from conftest import make_cfg

from sim.app.runner import prepare
from sim.calendar import DAYS_PER_MONTH, to_day
from sim.model.world import simulate
from sim.outputs import results
from sim.study import metrics, montecarlo
from sim.study.study import run_study


def study(*overrides):
    config, seed_data = prepare(make_cfg(*overrides))
    return config, run_study(config, seed_data)


@pytest.fixture(scope="module")
def baseline_study():
    return study("mc.replications=40", "mc.driver_replications=10", "mc.n_jobs=1")


def test_percentile_bands_are_ordered_everywhere(baseline_study):
    config, st = baseline_study
    tables = results.tables(st, config)
    ts = tables["timeseries"]
    for series in metrics.SERIES:
        p10, p50, p90 = (ts[f"{series}_{q}"] for q in ("p10", "p50", "p90"))
        assert (p10 <= p50 + 1e-9).all() and (p50 <= p90 + 1e-9).all(), series
    assert (ts["operational_p90"] > ts["operational_p10"]).any()  # real spread, not copies
    ms = tables["milestones"].dropna(subset=["p10_date", "p90_date"])
    assert (ms["p10_date"] <= ms["p50_date"]).all() and (ms["p50_date"] <= ms["p80_date"]).all()
    assert (ms["p80_date"] <= ms["p90_date"]).all()


def _digests(folder):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir()
            if p.is_file() and p.suffix in (".csv", ".parquet", ".json")
            and p.name != "manifest.json"}


def _written(tmp_path, name, *overrides):
    config, st = study("mc.replications=23", "mc.driver_replications=7", "horizon=2031-12-31",
                       *overrides)
    folder = tmp_path / name
    results.write(folder, results.tables(st, config), config, config_yaml="same",
                  run_inputs={}, label="x", started=0.0)
    return _digests(folder)


@pytest.mark.parametrize("sampling", ["monte_carlo", "latin_hypercube"])
def test_one_worker_and_two_give_byte_identical_tables(tmp_path, sampling):
    one, two = (_written(tmp_path, f"jobs{jobs}", f"mc.n_jobs={jobs}", f"mc.sampling={sampling}")
                for jobs in (1, 2))
    assert one == two
    assert {"timeseries.csv", "replications.parquet", "drivers.csv", "milestones.csv",
            "summary.json", "events.parquet"} <= set(one)


def test_a_ray_run_gives_the_tables_of_a_local_run(tmp_path, one_ray_at_a_time):
    """``mc.backend=ray`` on a local Ray of two CPUs: the same bytes as one local worker."""
    ray = pytest.importorskip("ray")
    ray.init(address="local", num_cpus=2, include_dashboard=False, log_to_driver=False,
             configure_logging=False)
    try:
        on_ray = _written(tmp_path, "ray", "mc.backend=ray")
    finally:
        ray.shutdown()
    assert on_ray == _written(tmp_path, "local", "mc.n_jobs=1")


def test_one_replication_is_the_single_run_with_that_seed():
    config, st = study("mc.replications=1", "mc.drivers=false", "seed=3", "mc.n_jobs=1")
    single = metrics.timeseries(simulate(config, prepare(make_cfg("seed=3"))[1], 0))
    tables = results.tables(st, config)
    ts = tables["timeseries"]
    pd.testing.assert_frame_equal(ts[single.columns], single)
    for series in metrics.SERIES:
        np.testing.assert_allclose(ts[f"{series}_p50"], single[series])
        np.testing.assert_allclose(ts[f"{series}_mean"], single[series])
    ms = tables["milestones"]
    assert (ms["p50_date"].fillna("") == ms["representative_date"].fillna("")).all()


def test_quantiles_match_a_uniform_delay_when_it_alone_decides(seeds_copy):
    """Each recipient has one new site, announced for 2025-09-22, whose construction slips
    uniformly 24..25 months, the same slip for all (``sites.slip_correlation=1``); no colo
    pool, no tranches, no observed events; everything else fixed and fast. So the
    all-operational date is that uniform plus constants."""
    recipients = ("government", "samsung", "sk", "hyundai", "naver")
    (seeds_copy / "sites.yaml").write_text(yaml.safe_dump({"sites": [{
        "id": f"new_{r}", "name": f"new hall for {r}", "recipient": r, "region": "non_capital",
        "kind": "greenfield", "grid_assessment": "passed", "public": "2025-09-22",
        "assumption": "test", "phases": [{"mw": 1000, "ready": "2025-09-22"}]}
        for r in recipients]}))
    for name in ("tranches", "observed", "priors"):
        (seeds_copy / f"{name}.yaml").unlink()
    burnin = 10.0
    config, st = study(
        f"seeds_dir={seeds_copy}", "sites.slip_months={dist:uniform,low:24,high:25}",
        "sites.slip_correlation=1", "sites.relocation_p=0", "power.grid_delay_months=0",
        "sites.colo_mw=0", "sites.colo_growth_mw_per_quarter=0",
        "demand.timing=asap", "demand.plan_delay_months=0", "supply.order_to_ship_months=1",
        "logistics.ship_days=1", f"install.burnin_days={burnin}", "install.burnin_fail_p=0",
        "install.acceptance_months=0", "install.new_hall_months=0",
        "~install.acceptance_months_by_recipient.government",
        "install.min_racks_per_week=1000000000", "supply.cap_gpus_per_quarter=1000000",
        "horizon=2028-06-30", "mc.replications=1000", "mc.drivers=false", "mc.n_jobs=2")
    days = st.mc.milestone_days["total:100%"].to_numpy(float)
    assert not np.isnan(days).any()
    start = to_day(pd.Timestamp("2025-09-22").date())
    for q in (0.1, 0.5, 0.9):
        expected = start + (24 + q) * DAYS_PER_MONTH + burnin
        assert abs(montecarlo.percentile_days(days, q) - expected) < 1.0, q


@pytest.mark.data
def test_in_slow_power_the_top_driver_is_a_grid_input():
    """Slow power's grid: the connection delay, and the assessments whose refusals wait years
    for reinforcement (power.*), lead the tornado."""
    _, st = study("+scenario=slow_power", "mc.replications=60", "mc.driver_replications=40",
                  "mc.driver_budget=10", "mc.n_jobs=2", "horizon=2040-12-31")
    assert st.drivers.loc[0, "risk"].startswith("power.")
    assert st.drivers.loc[0, "effect_days"] > 30
    assert st.drivers.set_index("risk").loc["power.grid_delay_months", "rank_correlation"] > 0


def replications(*overrides) -> pd.DataFrame:
    config, seed_data = prepare(make_cfg(*overrides))
    return montecarlo.run(config, seed_data, metrics.weeks(seed_data, config)).replications


def test_scenarios_share_the_draws_they_do_not_change():
    a = replications("mc.replications=6")
    b = replications("+scenario=slow_power", "mc.replications=6")
    same = [c for c in a.columns if c.startswith(("sites.slip_months[", "demand.plan_delay",
                                                  "supply.order_to_ship", "logistics.ship_days",
                                                  "install.burnin_days"))]
    assert len(same) > 10
    # a draw made only once a lot is placed (burn-in) is missing where none was by the
    # horizon; wherever both scenarios drew it, it is the same draw
    both = a[same].notna() & b[same].notna()
    assert both.to_numpy().mean() > 0.9
    pd.testing.assert_frame_equal(a[same].where(both), b[same].where(both))
    grid = [c for c in a.columns if c.startswith("power.grid_delay_months[")]
    slow, base = b[grid].to_numpy(), a[grid].to_numpy()
    drawn = ~np.isnan(base)  # an undisclosed site exists in some replications only
    assert drawn.sum() > 20
    assert (slow[drawn] > base[drawn]).all()  # larger, draw for draw
