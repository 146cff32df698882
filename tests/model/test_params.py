"""Config fields carry their own rules; one check reads them for the whole tree."""

from __future__ import annotations

import pytest
from conftest import make_cfg
from omegaconf import OmegaConf

from sim.app.schema import Config
from sim.distributions import Fixed, LogNormal, Triangular
from sim.errors import InputError
from sim.model.dated import select
from sim.model.params import build, holds_distribution, open_keys, resolve, rules, with_value


def latest(cfg):
    """The composed tree with each dated value at its latest revision (sim/model/dated.py):
    what :func:`resolve` takes."""
    return select(OmegaConf.to_object(cfg), None)[0]

def test_every_uncertain_input_and_probability_has_a_rule_beside_its_field():
    found = dict(rules(Config))
    assert found["power.grid_delay_months"].kind == "uncertain"
    assert (found["power.derate"].low, found["power.derate"].high) == (0, 1)
    assert found["power.approval_p.capital"].excluded == 1.0
    assert found["install.burnin_fail_p"].excluded == 0.0
    assert found["supply.policy"].choices == ("plan_order", "pro_rata", "government_first")
    assert found["sites.slip_months_by_site"].kind == "per_entity"
    assert found["install.acceptance_months_by_recipient"].choices == ("recipient",)
    assert found["hardware.generations.vera_rubin.facility_kw_per_gpu"].kind == "uncertain"
    assert "sites.slip_months_by_site" in open_keys(Config)


def test_resolve_parses_distributions_and_leaves_the_input_alone():
    cfg = latest(make_cfg())
    resolved = resolve(cfg)
    assert isinstance(resolved.power.grid_delay_months, LogNormal)
    assert cfg.power.grid_delay_months == "lognormal(median=1, p90=4)"  # the input is kept


@pytest.mark.parametrize("override, says", [
    ("power.approval_p.capital=1.5", "power.approval_p.capital: 1.5 is not allowed; need a "
                                     "probability in [0, 1]"),
    ("supply.policy=lottery", "supply.policy: 'lottery' is not allowed; choose one of"),
    ("mc.n_jobs=0", "mc.n_jobs: 0 is not allowed; need a number of workers >= 1"),
    ("horizon=2025-01-01", "horizon: 2025-01-01 is not after the first deal (2025-09-22)"),
    ("install.min_racks_per_week=0", "install.min_racks_per_week: 0.0 is not allowed; need a "
                                     "finite number > 0"),
    ("as_of=2025-01-01", "as_of: 2025-01-01 is not after the first deal (2025-09-22)"),
])
def test_a_value_against_its_rule_is_refused_naming_the_key(override, says):
    with pytest.raises(InputError) as err:
        resolve(latest(make_cfg(override)))
    assert str(err.value).startswith(says)


def test_with_value_copies_the_groups_on_the_way():
    cfg = resolve(latest(make_cfg()))
    held = with_value(cfg, "power.grid_delay_months", Fixed(1.0))
    assert held.power.grid_delay_months == Fixed(1.0)
    assert isinstance(cfg.power.grid_delay_months, LogNormal)
    assert held.sites is cfg.sites  # untouched groups are shared, not copied


def test_a_group_is_built_from_plain_values_checked_as_a_composed_config():
    from sim.model.logistics import LogisticsConfig
    from sim.model.power import PowerConfig

    cfg = build(LogisticsConfig, {"ship_days": "triangular(low=7, mode=14, high=30)"},
                "logistics.")
    assert cfg.ship_days == Triangular(7.0, 14.0, 30.0)
    with pytest.raises(InputError, match=r"^logistics.ship_days: value -3 is outside"):
        build(LogisticsConfig, {"ship_days": -3}, "logistics.")
    with pytest.raises(InputError, match=r"^logistics.ship_dyas: unknown key; allowed here: "
                                         r"ship_days"):
        build(LogisticsConfig, {"ship_dyas": 3}, "logistics.")
    with pytest.raises(InputError, match=r"^power.grid_correlation: is missing"):
        build(PowerConfig, {"grid_delay_months": 1}, "power.")
    with pytest.raises(InputError, match=r"^power.approval_p.capital: 2 is not allowed"):
        build(PowerConfig, {**plain_power(), "approval_p": {"capital": 2, "non_capital": 1}},
              "power.")


@pytest.mark.parametrize("counts, message", [
    ({"jeonbuk": "7/6"}, r"^power.zone_counts.jeonbuk: '7/6' is not allowed; need P/N .*P <= N"),
    ({"jeonbuk": "1.5/6"}, r"^power.zone_counts.jeonbuk: .* whole numbers"),
    ({"jeonbuk": {"passed": 1, "decided": 6}}, r"^power.zone_counts.jeonbuk: .*need P/N"),
    ({"jeonbuk": 0.2}, r"^power.zone_counts.jeonbuk: 0.2 is not allowed; need P/N"),
    ({"busan": "1/2"}, r"^power.zone_counts.busan: unknown; allowed: capital, jeonbuk"),
])
def test_a_zone_count_is_whole_numbers_passed_of_decided_in_a_known_zone(counts, message):
    from sim.model.power import PowerConfig

    with pytest.raises(InputError, match=message):
        build(PowerConfig, {**plain_power(), "zone_counts": counts}, "power.")
    ok = build(PowerConfig, {**plain_power(), "zone_counts": {"jeonbuk": "1/6",
                                                              "sejong": " 6 / 9"}})
    assert ok.zone_counts == {"jeonbuk": (1, 6), "sejong": (6, 9)}
    assert ok.zone_counts["jeonbuk"].decided == 6


def plain_power() -> dict:
    return {"grid_delay_months": 1, "grid_correlation": 0,
            "assessment_months": {"capital": 1, "non_capital": 1},
            "approval_p": {"capital": 1, "non_capital": 1}, "zone_counts": {},
            "zone_prior_weight": 1, "reinforcement_months": 1, "refusal_relocation_p": 0,
            "resite_months": 1, "transformer_lead_months": 1, "derate": 1, "derate_lag_months": 1}


def test_which_keys_hold_one_distribution():
    assert holds_distribution(Config, "logistics.ship_days")
    assert holds_distribution(Config, "sites.slip_months_by_site.sk_ulsan")
    assert not holds_distribution(Config, "sites.slip_months_by_site")
    assert not holds_distribution(Config, "power.approval_p.capital")
    assert not holds_distribution(Config, "power.assessment_months")
