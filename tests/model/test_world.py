"""The model's laws on the fixture's world, built with no Hydra: conservation, monotone
counts, power limits, determinism, common random numbers, a hand case."""

from __future__ import annotations

import shutil
from functools import lru_cache

import invariants
import numpy as np
import pandas as pd
import pytest
import yaml
from groups import SEEDS, model, seeds

from sim.calendar import DAYS_PER_MONTH, to_day
from sim.model.world import World, simulate
from sim.seeds.files import load
from sim.study import metrics

SLOW_POWER = dict(power={"grid_delay_months": "lognormal(median=12, p90=30)",
                         "derate": "uniform(low=0.5, high=0.7)",
                         "approval_p": {"capital": 0.175, "non_capital": 0.55}})
"""A grid crunch, as ``conf/scenario/slow_power.yaml`` gives one (values frozen here)."""


@lru_cache(maxsize=16)
def outcome(scenario: str = "base", seed: int = 0, as_of: str | None = None):
    changes = SLOW_POWER if scenario == "slow" else {}
    cfg = model(seed=seed, **changes)
    return cfg, simulate(cfg, seeds(as_of))


@pytest.mark.parametrize("scenario", ["base", "slow"])
def test_each_recipients_stages_sum_to_its_allocation_every_week(scenario):
    out = outcome(scenario)[1]
    ts = metrics.timeseries(out)
    invariants.stages_sum_to_allocations(ts, out.allocations)
    invariants.cumulative_counts_never_fall(ts)
    invariants.no_site_draws_more_than_energized(out)
    invariants.every_lot_accounted_for(out)


def test_every_lot_is_ordered_by_the_horizon_and_runs_with_ample_time():
    out = outcome("slow")[1]
    ordered = out.events[out.events["event"] == "ordered"].groupby("recipient")["gpus"].sum()
    assert ordered.to_dict() == out.allocations
    operational = out.events[out.events["event"] == "operational"]["gpus"].sum()
    assert operational == sum(out.allocations.values())  # the horizon is 2034


def test_same_seed_same_tables_other_seed_other_draws():
    cfg = model(horizon="2029-12-31")
    a, b = simulate(cfg, seeds()), simulate(cfg, seeds())
    c = simulate(model(horizon="2029-12-31", seed=1), seeds())
    pd.testing.assert_frame_equal(a.events, b.events)
    pd.testing.assert_frame_equal(metrics.timeseries(a), metrics.timeseries(b))
    assert not a.sites["full_ready_day"].equals(c.sites["full_ready_day"])
    assert not a.events["day"].equals(c.events["day"])


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_a_slower_grid_is_never_earlier_and_is_later_somewhere(seed):
    b = metrics.milestones(outcome("base", seed)[1]).set_index(["recipient", "milestone"])
    s = metrics.milestones(outcome("slow", seed)[1]).set_index(["recipient", "milestone"])
    reached = b["day"].notna() & s["day"].notna()
    assert (s["day"][reached] >= b["day"][reached] - 1e-9).all()
    assert (s["day"][reached] > b["day"][reached]).any()


def test_changing_one_sites_slip_leaves_the_other_sites_draws_unchanged():
    base = simulate(model(), seeds()).sites.set_index("site")
    moved = simulate(model(sites={"slip_months_by_site": {"naver_campus": 24}}),
                     seeds()).sites.set_index("site")
    others = base.index != "naver_campus"
    pd.testing.assert_frame_equal(base[others], moved[others])
    assert moved.loc["naver_campus", "first_ready_day"] > base.loc["naver_campus",
                                                                   "first_ready_day"]


def test_a_run_as_of_a_date_keeps_what_was_observed_and_forecasts_after_each_report():
    _, out = outcome(as_of="2026-01-01")
    gov = out.lots[out.lots["recipient"] == "government"]
    # the batch's 720 GPUs (10 lots) were observed in by 2025-12-18; the count says no later
    # lot was in by then (its floor), and nothing says more
    arrived = gov["arrived"].to_numpy()
    reported = to_day(pd.Timestamp("2025-12-18").date())
    assert (arrived[:10] <= reported).all()
    assert (arrived[10:] > reported).all()
    assert (out.lots["arrived"].dropna() >= to_day(pd.Timestamp("2025-11-15").date())).all()


def test_an_as_of_run_does_not_freeze_what_no_report_covers(tmp_path):
    """Reports say at most 432 government GPUs (6 lots) were in service on a day in March
    2026. As of 2026-07-01 the model forecasts the months since: in some replication a later
    lot runs before the as-of date, none before the report's window, and no lot waits for
    the as-of date itself (the old freeze put every unreported lot on it)."""
    cfg, data = model(), seeds("2026-07-01")
    as_of, report = to_day(data.as_of), to_day(pd.Timestamp("2026-03-01").date())
    later = np.concatenate([
        simulate(cfg, data, r).lots.query("recipient == 'government'")["operational"]
        .to_numpy()[6:] for r in range(6)])
    assert (later > report).all()
    assert ((later > report) & (later < as_of)).any()
    assert ((later >= as_of) & (later < as_of + 1)).mean() < 0.05


def test_a_reported_range_is_drawn_within_it_replication_by_replication():
    """4 to 6 government lots in service on a day in March 2026: each replication draws its
    count and its day within them, rather than taking the low end every time."""
    cfg, data = model(), seeds("2026-07-01")
    first, last = (to_day(pd.Timestamp(d).date()) for d in ("2026-03-01", "2026-03-31"))
    counts = set()
    for r in range(12):
        lots = simulate(cfg, data, r).lots.query("recipient == 'government'")["operational"]
        by_window = int((lots <= last).sum())
        assert (lots.to_numpy()[:4] <= last).all() and by_window >= 4
        counts.add(int((lots < first).sum()) <= 6 and by_window)
    assert len(counts) > 1  # not the same count in every replication


def test_a_reported_arrival_with_no_ordered_tranche_is_applied():
    """Naver's first GPUs were reported in (in a window), though no source says when they
    were ordered: its first lot arrives within the window in every replication."""
    cfg, data = model(), seeds("2026-07-01")
    first, last = (to_day(pd.Timestamp(d).date()) for d in ("2026-02-01", "2026-06-30"))
    days = [simulate(cfg, data, r).lots.query("recipient == 'naver'")["arrived"].min()
            for r in range(6)]
    assert all(first <= day <= last for day in days) and len(set(days)) > 1
    before = [simulate(cfg, seeds("2026-06-01"), r).lots.query("recipient == 'naver'")
              ["arrived"].min() for r in range(6)]
    assert days != before  # as of a date before the report, the model draws it


def test_a_report_of_none_yet_floors_every_lot_of_its_stream(tmp_path):
    folder = tmp_path / "seeds"
    shutil.copytree(SEEDS, folder)
    none_yet = {"id": "naver_none_yet", "kind": "arrived", "recipient": "naver", "gpus": 0,
                "happened": "2026-05-31", "public": "2026-06-01", "sources": ["fixture"],
                "assumption": "test: no Naver GPU in by 2026-05-31."}
    data = yaml.safe_load((folder / "observed.yaml").read_text())
    data["observed"].append(none_yet)
    (folder / "observed.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
    cfg, floor = model(), to_day(pd.Timestamp("2026-05-31").date())
    for r in range(4):
        naver = simulate(cfg, load(folder), r).lots.query("recipient == 'naver'")
        assert (naver["arrived"].dropna() >= floor).all()


def test_the_world_records_every_draw_under_its_config_key():
    world = World(model(), seeds())
    world.run.env.run(until=world.run.horizon_day)
    groups = {name.split(".", 1)[0] for name in world.run.draws.sampled}
    assert groups == {"hardware", "power", "sites", "prior", "supply", "logistics",
                      "install", "demand"}
    assert all(name.endswith("]") and "[" in name for name in world.run.draws.sampled)


def test_closed_form_last_lot_with_ample_power_and_no_slips(tmp_path):
    """Weekly release of cap/13 GPUs from the first week all plans are in; then fixed lead
    times. No tranches, no observed events: every lot goes through supply."""
    folder = tmp_path / "seeds"
    shutil.copytree(SEEDS, folder)
    sites = {"sites": [{
        "id": f"ample_{r}", "name": f"ample hall for {r}", "recipient": r,
        "region": "non_capital", "kind": "existing", "grid_assessment": "energized",
        "public": "2025-09-22", "assumption": "test: ample power from day 0",
        "phases": [{"mw": 10_000, "ready": "2025-09-22"}]}
        for r in ("government", "naver", "hyundai")]}
    (folder / "sites.yaml").write_text(yaml.safe_dump(sites))
    for name in ("tranches", "observed"):
        (folder / f"{name}.yaml").unlink()
    cap, plan, lead, ship, burnin, racks = 3_900, 1.0, 4.0, 10.0, 21.0, 10_000
    cfg = model(supply={"cap_gpus_per_quarter": cap, "order_to_ship_months": lead},
                demand={"plan_delay_months": plan, "timing": "asap"},
                logistics={"ship_days": ship},
                install={"burnin_days": burnin, "burnin_fail_p": 0, "acceptance_months": 0,
                         "acceptance_months_by_recipient": {},
                         "racks_per_week_per_mw": 1000, "min_racks_per_week": racks},
                horizon="2031-12-31")
    out = simulate(cfg, load(folder))
    weekly_lots = cap / 13 / 72
    weeks = int(np.ceil(90 / weekly_lots)) - 1  # the week the last of 90 lots is released
    first = 7 * np.ceil(plan * DAYS_PER_MONTH / 7)  # the first weekly release after the plans
    by_hand = (to_day(pd.Timestamp("2025-10-31").date()) + first + 7 * weeks
               + lead * DAYS_PER_MONTH + ship + 7 / racks + burnin)
    last = out.events.loc[out.events["event"] == "operational", "day"].max()
    assert abs(last - by_hand) <= 7, (last, by_hand)  # within one weekly release of lots
    assert not out.stranded.any()
