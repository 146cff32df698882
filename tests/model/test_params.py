"""Config fields carry their own rules; one check reads them for the whole tree."""

from __future__ import annotations

import pytest
from conftest import make_cfg
from omegaconf import OmegaConf

from sim.app.schema import Config
from sim.errors import InputError
from sim.distributions import Fixed, LogNormal
from sim.model.params import open_keys, resolve, rules, with_value


def test_every_uncertain_input_and_probability_has_a_rule_beside_its_field():
    found = dict(rules(Config))
    assert found["power.grid_delay_months"].kind == "uncertain"
    assert (found["power.derate"].low, found["power.derate"].high) == (0, 1)
    assert found["power.approval_p.capital"].excluded == 1.0
    assert found["install.burnin_fail_p"].excluded == 0.0
    assert found["supply.policy"].choices == ("plan_order", "pro_rata", "government_first")
    assert found["sites.slip_months_by_site"].kind == "per_entity"
    assert found["hardware.facility_kw_per_gpu_by_recipient"].choices == ("recipient",)
    assert "sites.slip_months_by_site" in open_keys(Config)


def test_resolve_parses_distributions_and_leaves_the_input_alone():
    cfg = OmegaConf.to_object(make_cfg())
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
        resolve(OmegaConf.to_object(make_cfg(override)))
    assert str(err.value).startswith(says)


def test_with_value_copies_the_groups_on_the_way():
    cfg = resolve(OmegaConf.to_object(make_cfg()))
    held = with_value(cfg, "power.grid_delay_months", Fixed(1.0))
    assert held.power.grid_delay_months == Fixed(1.0)
    assert isinstance(cfg.power.grid_delay_months, LogNormal)
    assert held.sites is cfg.sites  # untouched groups are shared, not copied
