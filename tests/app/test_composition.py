"""A distribution is one value, and Hydra, unpatched, replaces it whole.

``conf/`` writes each distribution as one string (``lognormal(median=1, p90=4)``), so a
scenario file or an override that gives another replaces it whole: a string over a string, and
a mapping given on the command line over a string, alike. A dotted key that changes one field
of a distribution is refused in one line that says how to write it whole (it cannot work: the
value below it is a string, not a mapping of fields).
"""

from __future__ import annotations

import pytest
from conftest import make_cfg
from hydra._internal.config_loader_impl import ConfigLoaderImpl
from hydra.errors import ConfigCompositionException
from omegaconf import OmegaConf

import sim.app.cli  # noqa: F401 (what importing the command line does is what is tested)
from sim.app.errors import one_line
from sim.app.runner import prepare
from sim.distributions import Fixed, LogNormal, Triangular, Uniform
from sim.errors import InputError


def value(cfg, key: str):
    node = OmegaConf.select(cfg, key)
    return OmegaConf.to_container(node) if OmegaConf.is_config(node) else node


def test_hydras_config_loader_is_hydras_own():
    for name in ("_load_single_config", "_compose_config_from_defaults_list",
                 "_apply_overrides_to_config"):
        assert getattr(ConfigLoaderImpl, name).__module__ == "hydra._internal.config_loader_impl"
    assert not any(name.startswith("_sim") for name in vars(ConfigLoaderImpl))


def test_a_scenario_files_string_replaces_the_baselines_whole():
    # slow_power's derate, uniform(0.5, 0.7), over the baseline's fixed(1.0): no stray value
    cfg = make_cfg("+scenario=slow_power")
    assert value(cfg, "power.derate") == "uniform(low=0.5, high=0.7)"
    config, _ = prepare(cfg)
    assert config.power.derate == Uniform(0.5, 0.7)
    assert config.power.grid_delay_months == LogNormal(12.0, 30.0)
    # worst_case stacks three scenarios: the last one to set a value wins, whole
    worst, _ = prepare(make_cfg("+scenario=worst_case"))
    assert worst.sites.slip_months == Triangular(3.0, 9.0, 24.0)
    assert worst.supply.order_to_ship_months == Triangular(6.0, 8.0, 12.0)


@pytest.mark.parametrize("override", [
    "logistics.ship_days={dist:uniform,low:5,high:9}",
    "logistics.ship_days='uniform(low=5, high=9)'",
    'logistics.ship_days="uniform(low=5,high=9)"',
])
def test_a_command_line_mapping_or_string_replaces_the_distribution_whole(override):
    config, _ = prepare(make_cfg(override))
    assert config.logistics.ship_days == Uniform(5.0, 9.0)


def test_a_partial_mapping_is_not_completed_from_the_value_it_replaced():
    # the baseline's triangular has high=30; a merge would have made this uniform(5, 30)
    with pytest.raises(InputError) as err:
        prepare(make_cfg("logistics.ship_days={dist:uniform,low:5}"))
    assert str(err.value) == (
        "logistics.ship_days: uniform needs low, high; missing high; a distribution is one "
        "value: write it whole, as uniform(low=L, high=H) (on the command line: "
        "'logistics.ship_days=\"uniform(low=L, high=H)\"')")


def test_a_dotted_field_of_a_distribution_is_refused_saying_how_to_write_it_whole():
    with pytest.raises(ConfigCompositionException) as err:
        make_cfg("logistics.ship_days.high=45")
    said = one_line(err.value)
    assert said.startswith("logistics.ship_days.high: high alone is not allowed; a "
                           "distribution is one value: write it whole, as uniform(")
    assert "triangular(low=L, mode=M, high=H)" in said and "\n" not in said
    # with + Hydra adds the field in place of the string: refused after composition alike
    with pytest.raises(InputError, match="high alone is not allowed; a distribution is one"):
        prepare(make_cfg("+logistics.ship_days.high=45"))


def test_later_overrides_replace_earlier_ones_in_order():
    config, _ = prepare(make_cfg("power.grid_delay_months=18"))
    assert config.power.grid_delay_months == Fixed(18.0)
    config, _ = prepare(make_cfg("power.grid_delay_months=18",
                                 "power.grid_delay_months={dist:uniform,low:1,high:2}"))
    assert config.power.grid_delay_months == Uniform(1.0, 2.0)
    config, _ = prepare(make_cfg("power.grid_delay_months={dist:uniform,low:1,high:2}",
                                 "power.grid_delay_months='fixed(3)'"))
    assert config.power.grid_delay_months == Fixed(3.0)


def test_one_sites_own_slip_is_replaced_whole_and_others_are_kept():
    cfg = make_cfg("+sites.slip_months_by_site.sk_ulsan='lognormal(median=2, p90=4)'",
                   "+sites.slip_months_by_site.naver_gak_sejong=3",
                   "sites.slip_months_by_site.sk_ulsan={dist:uniform,low:1,high:2}")
    assert value(cfg, "sites.slip_months_by_site") == {
        "sk_ulsan": "uniform(low=1, high=2)", "naver_gak_sejong": 3}  # given whole
    config, _ = prepare(cfg)
    assert config.sites.slip_months_by_site == {"sk_ulsan": Uniform(1.0, 2.0),
                                                "naver_gak_sejong": Fixed(3.0)}
