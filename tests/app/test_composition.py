"""A distribution is one value: a mapping given for it, in a scenario file or on the command
line, replaces it whole; a dotted key changes one field."""

from __future__ import annotations

import pytest
from conftest import make_cfg
from omegaconf import OmegaConf

from sim.app.runner import prepare
from sim.errors import InputError
from sim.distributions import Fixed, LogNormal, Triangular, Uniform


def value(cfg, key: str):
    return OmegaConf.to_container(OmegaConf.select(cfg, key))


def test_a_mapping_on_the_command_line_replaces_the_distribution_whole():
    cfg = make_cfg("logistics.ship_days={dist:uniform,low:5,high:9}")
    assert value(cfg, "logistics.ship_days") == {"dist": "uniform", "low": 5, "high": 9}
    config, _ = prepare(cfg)
    assert config.logistics.ship_days == Uniform(5.0, 9.0)


def test_a_partial_mapping_is_not_completed_from_the_value_it_replaced():
    # the baseline's triangular has high: 30; a merge would make this uniform(5, 30)
    with pytest.raises(InputError) as err:
        prepare(make_cfg("logistics.ship_days={dist:uniform,low:5}"))
    assert str(err.value) == (
        "logistics.ship_days: uniform needs low, high; missing high; a distribution is replaced "
        "whole: write logistics.ship_days={dist:uniform,low:L,high:H}, or change one field "
        "with its dotted key (logistics.ship_days.low=...)")


@pytest.mark.parametrize("override, field", [
    ("logistics.ship_days={dist:uniform,low:5,high:9,mode:6}", "mode=6 is not a field of uniform"),
    ("logistics.ship_days.dist=uniform", "mode=14 is not a field of uniform"),  # dotted: merges
    ("power.grid_delay_months={dist:fixed,value:3,median:1}", "median=1 is not a field of fixed"),
])
def test_a_field_the_form_does_not_take_is_refused_with_how_to_replace_it(override, field):
    with pytest.raises(InputError) as err:
        prepare(make_cfg(override))
    assert field in str(err.value)
    assert "a distribution is replaced whole: write" in str(err.value)


def test_a_scenario_file_replaces_distributions_too():
    # slow_power's derate {uniform 0.5..0.7} over the baseline's {fixed 1.0}: no stray value
    cfg = make_cfg("+scenario=slow_power")
    assert value(cfg, "power.derate") == {"dist": "uniform", "low": 0.5, "high": 0.7}
    config, _ = prepare(cfg)
    assert config.power.derate == Uniform(0.5, 0.7)
    assert config.power.grid_delay_months == LogNormal(12.0, 30.0)


def test_a_dotted_key_changes_one_field_and_later_overrides_apply_in_order():
    base, _ = prepare(make_cfg())
    config, _ = prepare(make_cfg("supply.order_to_ship_months.high=12"))
    low, mode = base.supply.order_to_ship_months.low, base.supply.order_to_ship_months.mode
    assert config.supply.order_to_ship_months == Triangular(low, mode, 12.0)
    config, _ = prepare(make_cfg("logistics.ship_days={dist:lognormal,median:5,p90:9}",
                                 "logistics.ship_days.p90=12"))
    assert config.logistics.ship_days == LogNormal(5.0, 12.0)
    config, _ = prepare(make_cfg("power.grid_delay_months=18"))
    assert config.power.grid_delay_months == Fixed(18.0)
    config, _ = prepare(make_cfg("power.grid_delay_months=18",
                                 "power.grid_delay_months={dist:uniform,low:1,high:2}"))
    assert config.power.grid_delay_months == Uniform(1.0, 2.0)


def test_one_sites_own_slip_is_replaced_whole_and_others_are_kept():
    cfg = make_cfg("+sites.slip_months_by_site.sk_ulsan={dist:lognormal,median:2,p90:4}",
                   "+sites.slip_months_by_site.naver_gak_sejong=3",
                   "sites.slip_months_by_site.sk_ulsan={dist:uniform,low:1,high:2}")
    assert value(cfg, "sites.slip_months_by_site") == {
        "sk_ulsan": {"dist": "uniform", "low": 1, "high": 2}, "naver_gak_sejong": 3}
