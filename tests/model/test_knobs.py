"""No inert knobs: every numeric or choice key of the config changes some output when moved
across its range, in the scenario where it acts, in the baseline and with every switch on
(:data:`SWITCHES`: the deals on, GPUs going where the power is).

For each key the test picks two values from its rule (:mod:`sim.model.params`): 0 and 1 for
a probability, each choice of a choice, a small and a large value otherwise (an uncertain
input held fixed at each), runs the same replications with each, and requires that some
lot's history, some site's readiness or some headline figure differs. A key that acts only
in another scenario names the overrides that make it act (:data:`WHERE`); the keys of the
study and the app that change no model output are listed in :data:`NOT_MODEL`, with why.
It runs on today's conf/ and seeds/ (whether an input is inert depends on them): ``data``.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from conftest import resolved as config

from sim.app.paths import SEEDS_DIR
from sim.app.schema import Config
from sim.model.params import get, rules
from sim.model.world import simulate
from sim.seeds.files import load
from sim.study.summary import summary

WHERE = {
    # the deals act only when a scenario turns them on (hbm_crunch, fast_track)
    "deals.stargate_loi": ("deals.stargate_loi.enabled=true",
                           "supply.cap_gpus_per_quarter=20000"),
    "deals.blackrock_mou": ("deals.blackrock_mou.enabled=true", "deals.blackrock_mou.site_p=1",
                            "deals.blackrock_mou.announce_months=6",
                            "deals.blackrock_mou.build_months=24"),
    # a derate lag acts when part of the MW comes late (slow_power)
    "power.derate_lag_months": ("power.derate=0.5",),
    # the allocation policy and the cap act when supply binds (hbm_crunch's 60k; the baseline's
    # cap, NVIDIA's whole output, does not bind)
    "supply.policy": ("supply.cap_gpus_per_quarter=15000",),
    "supply.cap_gpus_per_quarter": ("+scenario=hbm_crunch",),
    # a stated shipping window's slip acts until the shipments are observed (a hindcast)
    "supply.ship_slip_days": ("as_of=2025-10-31",),
    # a relocation's months act when MOU-stage sites relocate (site_delays: 0.2)
    "sites.relocation_months": ("sites.relocation_p=0.5",),
    # a unit price acts on a tranche bought on its budget before its count is known (the 2026
    # government round, awarded on 2026-06-08), when the tranche gets that generation
    "hardware.generations.b200.price_m_won": ("as_of=2026-03-31",
                                              "hardware.generations.b300.first_ship=2027-01-01"),
    "hardware.generations.b300.price_m_won": ("as_of=2026-03-31",),
    "hardware.generations.vera_rubin.price_m_won": (
        "as_of=2026-03-31", "hardware.generations.vera_rubin.first_ship=2026-01-01"),
    # notice of a slip acts when recipients re-plan (the default timing)
    "demand.slip_notice_months": ("demand.timing=expected_ready", "sites.slip_months=12"),
}
NOT_MODEL = {
    "seed": "another realization: checked by tests/model/test_world.py",
    "horizon": "the calendar's end: checked by the laws in generated worlds",
    "as_of": "a date: checked by tests/model/test_seeds.py and tests/study/test_validation.py",
    "mc.replications": "how many replications: tests/study/test_montecarlo.py",
    **{f"mc.precision.{k}": "how many replications mc.replications=auto runs: "
                            "tests/study/test_precision.py"
       for k in ("p50_se_days", "share_se_points", "round", "max_replications")},
    "mc.n_jobs": "workers: documented to change no number (one and two give the same tables)",
    "mc.driver_replications": "replications per risk held: tests/study/test_montecarlo.py",
    "mc.driver_budget": "driver replications spent: tests/study/test_drivers.py",
    "mc.backend": "where replications run, no number: local and Ray give the same tables "
                  "(tests/study/test_montecarlo.py)",
    "outputs.formats": "figure file formats, no number: tests/app/test_report.py",
    "outputs.figures": "whether figures are drawn, no number: tests/app/test_report.py",
}
SEEDS = load(SEEDS_DIR)
pytestmark = pytest.mark.data  # whether today's conf/ and seeds/ leave an input inert


def values(key: str, rule, current) -> list[str]:
    """Two or more values for ``key`` across its range, as command-line overrides."""
    if rule.kind == "choice":
        return [f"{key}={c}" for c in rule.choices]
    if rule.kind == "day":  # a year before and two after
        year = int(str(current)[:4])
        return [f"{key}={year + k}{str(current)[4:]}" for k in (-1, 2)]
    if rule.kind == "per_entity":
        entity = "sk_ulsan" if rule.choices[0] == "site" else "naver"
        return [f"+{key}.{entity}={rule.low + 0.5}", f"+{key}.{entity}={min(rule.high, 30)}"]
    if rule.kind == "counts":  # Ulsan (SK's pending site) has no count: give it one
        return [f"+{key}.ulsan={p}/50" for p in (0, 50)]
    if (rule.low, rule.high) == (0, 1):
        return [f"{key}=0", f"{key}=1"] if rule.kind == "number" else [f"{key}=0.2",
                                                                       f"{key}=1"]
    middle = current.central if hasattr(current, "central") else float(current)
    middle = middle or 1.0
    low = max(rule.low, middle / 5) if rule.low > 0 else 0
    high = min(rule.high, middle * 5)
    if isinstance(current, int) and not isinstance(current, bool):
        low, high = max(1, int(low)), int(high)
    if key == "hardware.gpus_per_lot":
        low, high = 8, 72
    return [f"{key}={low:g}", f"{key}={high:g}"]


def outcome(*overrides: str) -> tuple:
    """What a few replications produce: every lot's history, the sites' readiness, the
    headline figures (a few, so that a key acting on rarer draws, such as a capital-region
    site that awaits its assessment, shows)."""
    cfg = config("horizon=2034-12-31", *overrides)
    seeds = SEEDS.at(cfg.as_of_date) if cfg.as_of_date else SEEDS
    found = []
    for replication in range(6):
        out = simulate(cfg, seeds, replication)
        days = np.concatenate([out.columns[s] for s in ("ordered", "arrived", "placed",
                                                        "operational")])
        found.append((np.nan_to_num(days, nan=-1).round(6).tobytes(),
                      tuple(out.sites["full_ready_day"].round(6)),
                      summary(out, cfg)["idle_value_won"]))
    return tuple(found)


KEYS = [(key, rule) for key, rule in rules(Config) if key not in NOT_MODEL]
SWITCHES = ("deals.stargate_loi.enabled=true", "deals.blackrock_mou.enabled=true",
            "deals.blackrock_mou.site_p=1", "demand.reallocation=national")
"""Every switch on: the deals a scenario turns on, and GPUs that go where the power is. A key
must still act there (a switch must not make another input inert)."""
CONTEXTS = {"baseline": (), "every switch on": SWITCHES}


def test_every_key_is_checked_or_said_why_not():
    assert {k for k, _ in rules(Config)} == {k for k, _ in KEYS} | set(NOT_MODEL)


@pytest.mark.parametrize("context", CONTEXTS)
@pytest.mark.parametrize("key, rule", KEYS, ids=[k for k, _ in KEYS])
def test_moving_a_key_across_its_range_changes_some_output(key, rule, context):
    where = (*CONTEXTS[context],
             *next((v for prefix, v in WHERE.items() if key.startswith(prefix)), ()))
    current = get(config(*where), key)
    runs = {v: outcome(*where, v) for v in values(key, rule, current)}
    assert len(set(runs.values())) > 1, f"{key}: {list(runs)} give the same outputs"
    assert all(math.isfinite(r[2]) for run in runs.values() for r in run)
