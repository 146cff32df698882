"""conf/'s dated assumptions: each forecast uses the values in force on its as-of date, every
history starts by the pledge and rests on sources public by each revision's date, and a
history that cites what the seeds do not hold is refused in one line."""

from __future__ import annotations

import copy
from datetime import date

import pytest
from conftest import make_cfg, resolved
from omegaconf import OmegaConf

from sim.app.runner import config_as_of, prepare_dated
from sim.errors import InputError
from sim.model import dated
from sim.model.power import pass_odds

PLEDGE = date(2025, 10, 31)


@pytest.fixture(scope="module")
def ready():
    return prepare_dated(make_cfg("as_of=2025-10-31"))


def test_every_history_starts_by_the_pledge_and_each_revision_follows_its_sources(ready):
    known = ready.seed_data.sources
    histories = dated.history(ready.raw)
    assert len(histories) >= 4
    for key, revisions in histories.items():
        assert revisions[0].since <= PLEDGE, key  # a forecast as of the pledge must run
        for r in revisions:
            assert r.sources, key
            assert all(known[s].date <= r.since for s in r.sources), (key, r.since)


def test_a_forecast_as_of_the_pledge_uses_no_value_fitted_later(ready):
    later = ready.seed_data.at(date(2026, 6, 8))
    before, used_before = ready.config, ready.used
    after, used_after = config_as_of(ready.raw, later)
    assert all(r.since <= PLEDGE for r in used_before.values())
    gov = "install.acceptance_months_by_recipient.government"
    assert used_before[gov].basis == "assumption" and used_after[gov].since == date(2026, 3, 3)
    assert before.install.acceptance_months_by_recipient["government"] != \
        after.install.acceptance_months_by_recipient["government"]
    assert before.sites.slip_months != after.sites.slip_months


def test_a_scenario_value_replaces_the_history_whole():
    ready = prepare_dated(make_cfg("+scenario=site_delays", "as_of=2025-10-31"))
    assert "sites.slip_months" not in ready.used  # a what-if, undated


@pytest.mark.parametrize("change, said", [
    (lambda h: h[0].update(sources=["nosuch_2025_01_01"]),
     "supply.ship_slip_days[0].sources: 'nosuch_2025_01_01' is not a source"),
    (lambda h: h[1].update(since="2025-12-01"),
     "supply.ship_slip_days[1].since: 2025-12-01 is before its source "
     "koreajoongangdaily_2025_12_02"),
])
def test_a_history_citing_what_was_not_yet_public_is_refused(ready, change, said):
    raw = copy.deepcopy(ready.raw)
    change(raw.supply.ship_slip_days)
    with pytest.raises(InputError) as caught:
        config_as_of(raw, ready.seed_data)
    assert said in str(caught.value)


def test_the_composed_tree_keeps_the_history_as_a_list():
    cfg = make_cfg()
    assert OmegaConf.is_list(cfg.supply.ship_slip_days)


def test_a_forecast_before_a_zones_count_was_public_uses_the_regions_rate():
    """The counts by zone came with KEPCO's pilot figures (seoul_2026_01_26): a run as of a
    day before uses the earlier revision, after it the count."""
    before, after = resolved("as_of=2026-01-25"), resolved("as_of=2026-01-26")
    rate = before.power.approval_p.non_capital
    assert before.power.zone_counts["jeonbuk"].decided == 0
    assert pass_odds(before.power, "jeonbuk", "non_capital") == rate
    count, weight = after.power.zone_counts["jeonbuk"], after.power.zone_prior_weight
    assert count.decided > 0
    assert pass_odds(after.power, "jeonbuk", "non_capital") == pytest.approx(
        (count.passed + weight * rate) / (count.decided + weight))
    assert pass_odds(after.power, "jeonbuk", "non_capital") < rate
