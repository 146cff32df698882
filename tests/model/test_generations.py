"""GPU generations on their own and in the fixture's world: the generation a lot gets when it
is ordered, its power, and what a budget buys."""

from __future__ import annotations

import dataclasses
from datetime import date

import numpy as np
import pytest
from groups import config, model, seeds
from parts import recipient, run

from sim.calendar import to_day as day_of
from sim.gpu_generations import GENERATIONS, code, named
from sim.model.generations import Generations
from sim.model.world import World, simulate

B200, B300, RUBIN = (GENERATIONS.index(g) for g in GENERATIONS)


def to_day(text: str) -> float:
    return day_of(date.fromisoformat(text))


def generations(replication: int = 0, **changes) -> Generations:
    return Generations(config("hardware", generations=changes).generations,
                       run(replication=replication).draws)


def test_a_lot_gets_the_newest_generation_shipping_on_its_order_day():
    gens = generations(vera_rubin={"first_ship": "2027-01-01"})
    assert gens.on(to_day("2025-08-15")) == B200
    assert gens.on(to_day("2026-12-31")) == B300
    assert gens.on(to_day("2027-01-01")) == RUBIN
    assert gens.on(to_day("2020-01-01")) == B200  # before any: the oldest


def test_the_generations_power_shares_one_uniform():
    for replication in range(20):
        gens = generations(replication, b200={"facility_kw_per_gpu": "uniform(low=2, high=3)"},
                           vera_rubin={"facility_kw_per_gpu": "uniform(low=3, high=5)"})
        # one uniform: a high draw is high for every generation
        assert gens.facility_kw_per_gpu[RUBIN] - 3 == pytest.approx(
            2 * (gens.facility_kw_per_gpu[B200] - 2))


def test_a_budget_buys_its_budget_over_the_unit_price():
    gens = generations(b300={"price_m_won": 150}, vera_rubin={"price_m_won": 250})
    assert gens.budget_gpus(2.1e12, [B300]) == 14_000  # 2.1 tn won / 150 mn won
    assert gens.budget_gpus(2.1e12, [B300, RUBIN]) == 10_500  # at the mean price, 200 mn


def test_a_later_generation_at_more_kw_needs_more_mw_for_the_same_count():
    gens = generations(b200={"facility_kw_per_gpu": 2.5}, vera_rubin={"facility_kw_per_gpu": 4})
    old, new = recipient(lots=4), recipient(lots=4)
    old.generations = new.generations = gens
    old.generation[:] = B200  # named by its tranche
    old.order(0, 4, to_day("2026-01-01"))
    new.order(0, 4, to_day("2028-01-01"))
    assert old.gpus.sum() == new.gpus.sum()
    assert old.kw_before[-1] == pytest.approx(4 * 72 * 2.5)
    assert new.kw_before[-1] == pytest.approx(4 * 72 * 4.0)  # placement needs this room


def test_ordering_some_lots_reprices_the_room_of_those_after_them():
    gens = generations(b200={"facility_kw_per_gpu": 2.0}, b300={"facility_kw_per_gpu": 3.0})
    r = recipient(lots=3, kw_per_gpu=2.0)
    r.generations = gens
    r.order(1, 2, to_day("2026-06-01"))  # a B300 in the middle
    assert np.diff(r.kw_before).tolist() == pytest.approx([144.0, 216.0, 144.0])


def test_a_source_names_generations_by_their_names():
    assert named("B300 / Vera Rubin") == [B300, RUBIN]
    assert named("") == []
    with pytest.raises(ValueError, match="known: B200, B300, Vera Rubin"):
        code("H100")


def _budget_seeds(budget: float, generation: str = ""):
    data = seeds()
    tranches = tuple(dataclasses.replace(t, gpus=None, budget_won=budget, generation=generation)
                     if t.id == "naver_window" else t for t in data.tranches)
    return dataclasses.replace(data, tranches=tranches)


def test_a_budget_tranche_in_the_world_takes_what_its_budget_buys():
    cfg = model(hardware={"generations": {"b200": {"price_m_won": 100},
                                          "b300": {"price_m_won": 100},
                                          "vera_rubin": {"price_m_won": 200,
                                                         "first_ship": "2040-01-01"}}})
    data = _budget_seeds(72_000_000_000)  # 72 bn won: 720 GPUs at 100 mn, 360 at 200 mn
    assert World(cfg, data).tranche_gpus["naver_window"] == 720
    named_data = _budget_seeds(72_000_000_000, "Vera Rubin")
    out = simulate(cfg, named_data)
    span = next(s for s in out.tranche_rows if s["tranche"] == "naver_window")
    lots = out.lots[(out.lots["recipient"] == "naver") & out.lots["lot"].between(
        span["first"], span["end"] - 1)]
    assert lots["gpus"].sum() == 360 and (lots["generation"] == RUBIN).all()
    # every GPU is still accounted for: the rest of naver's allocation is ordered with its sites
    assert out.lots.query("recipient == 'naver'")["gpus"].sum() == out.allocations["naver"]


def test_a_phase_wanted_before_the_pledge_is_planned_at_the_kw_of_what_ships_from_it():
    # the government's hall (2 MW, ready 2026-03-31) is wanted six months ahead, 2025-09-30,
    # before B300 ships; but its lots are ordered from the pledge on, so they are planned at
    # B300's kW, and fit in the hall when they come
    for replication in range(3):
        world = World(model(), seeds(), replication)
        pledge = day_of(seeds().deals["nvidia_pledge"].date)
        world.run.env.run(until=pledge + 1)
        gov = world.recipients["government"]
        hall = next(s for s in world.sites if s.id == "gov_hall")
        block = next(b for b in gov.blocks if b.phase == (hall.index, 0))
        assert world.generations.on(pledge) == code("b300")
        assert block.lots == int(2000.0 / world.generations.kw_on(pledge) // 72)
