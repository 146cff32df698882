"""The run's draws on their own: keyed by config key and entity, bound to a group, recorded
under one column name per key and entity, the same whatever the order of asking."""

from __future__ import annotations

import numpy as np
import pytest
from groups import config, model, seeds

from sim.model.draws import Draws, column, columns_of
from sim.model.streams import Streams
from sim.model.world import World
from sim.study.drivers import risks


def draws(seed=0, replication=0) -> Draws:
    return Draws(Streams(seed, replication))


def test_a_draw_is_recorded_under_its_full_key_and_entity():
    d = draws().of("logistics", config("logistics", ship_days="uniform(low=5, high=9)"))
    value = d.one("ship_days", "naver")
    assert 5 <= value <= 9
    assert d.sampled == {column("logistics.ship_days", "naver"): value}
    assert column("logistics.ship_days", "naver") == "logistics.ship_days[naver]"


def test_an_entitys_own_distribution_is_recorded_under_its_own_key_with_the_shared_uniform():
    cfg = config("sites", slip_months="uniform(low=0, high=10)",
                 slip_months_by_site={"a": "uniform(low=10, high=20)"})
    d = draws().of("sites", cfg)
    own, shared = d.one("slip_months", "a", own="slip_months_by_site"), \
        d.one("slip_months", "a")
    assert own == pytest.approx(shared + 10)  # one uniform, two distributions
    assert d.sampled == {"sites.slip_months_by_site.a[a]": own, "sites.slip_months[a]": shared}
    assert columns_of("sites.slip_months", d.sampled) == ["sites.slip_months[a]"]
    assert columns_of("sites.slip_months_by_site.a", d.sampled) == \
        ["sites.slip_months_by_site.a[a]"]


def test_draws_depend_on_seed_replication_key_and_entity_not_on_the_order_of_asking():
    cfg = config("install")
    a, b = draws().of("install", cfg), draws().of("install", cfg)
    first = [a.one("burnin_days", "x"), a.one("replace_days", "x"), a.one("burnin_days", "y")]
    second = [b.one("burnin_days", "y"), b.one("replace_days", "x"), b.one("burnin_days", "x")]
    assert first == second[::-1]
    other = draws(replication=1).of("install", cfg).one("burnin_days", "x")
    assert other != first[0]
    lots = a.per_lot("burnin_days", "naver", 10)
    np.testing.assert_array_equal(b.per_lot("burnin_days", "naver", 10), lots)
    assert a.sampled["install.burnin_days[naver]"] == pytest.approx(lots.mean())


def test_an_events_uniform_is_recorded_under_the_events_key_whatever_its_stream():
    d = draws().of("power", config("power", approval_p={"capital": 1, "non_capital": 0}))
    assert d.occurs("approval_p.capital", "s1", stream="approval_p")
    assert not d.occurs("approval_p.non_capital", "s2", stream="approval_p")
    assert set(d.sampled) == {"power.approval_p.capital[s1]", "power.approval_p.non_capital[s2]"}


def test_every_risk_the_drivers_hold_central_has_its_sampled_columns():
    """The tornado's rank correlation of a risk is that of the columns recorded under its key:
    none may be blank for want of a column (a per-recipient risk once was). Runs as of the
    latest date and as of the pledge (a stated shipping window slips only until the
    shipments are observed)."""
    cfg = model(sites={"slip_months_by_site": {"naver_campus": "lognormal(median=6, p90=20)"}},
                power={"approval_p": {"capital": 0.5}})
    sampled: set[str] = set()
    for replication in range(30):
        world = World(cfg, seeds("2025-11-01" if replication % 2 else None), replication)
        world.run.env.run(until=world.run.horizon_day)
        sampled |= set(world.run.draws.sampled)
    found = {key: columns_of(key, sampled) for key in risks(cfg)}
    assert {"hardware.generations.vera_rubin.facility_kw_per_gpu",
            "install.acceptance_months_by_recipient.government",
            "sites.slip_months_by_site.naver_campus", "power.approval_p.capital"} <= set(found)
    assert not [key for key, columns in found.items() if not columns]
