"""Swings over each input's range: which inputs, their two ends, the paired bootstrap, and
``python -m sim.sensitivity``'s refusals."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import FIXTURE_SEEDS, make_cfg, run_cli

from sim.app.runner import prepare_dated
from sim.distributions import Fixed, LogNormal, Triangular
from sim.errors import InputError
from sim.model.params import Rule
from sim.study import swings
from sim.study.drivers import p50, resamples
from sim.study.targets import own_targets
from sim.study.workers import Pool

UNCERTAIN = Rule("uncertain", 0, 1e6)
MATTERS = "install.burnin_days"
INERT = "hardware.generations.b200.price_m_won"


def _prepared(*overrides: str):
    return prepare_dated(make_cfg(f"seeds_dir={FIXTURE_SEEDS}", "horizon=2045-12-31",
                                  *overrides))


def test_a_range_is_read_where_it_is_two_numbers_and_only_then():
    dist = Triangular(24, 36, 54)
    assert swings.stated("k", "24-54 months", UNCERTAIN, dist) == (Fixed(24), Fixed(54))
    assert swings.stated("k", "100-150 million won a GPU, all in", UNCERTAIN, dist) == \
        (Fixed(100), Fixed(150))
    assert swings.stated("k", "2.5-3.5 months to ship, tail to 9", UNCERTAIN, dist) is None
    assert swings.stated("k", "2-3 months planned; queues over a year", UNCERTAIN, dist) is None
    assert swings.stated("k", "median 2-4, p90 12-15 months", UNCERTAIN,
                         LogNormal(3, 12)) == (LogNormal(2, 12), LogNormal(4, 15))
    assert swings.stated("k", "2026-10-01 to 2027-06-30", Rule("day"), "2027-01-01") == \
        ("2026-10-01", "2027-06-30")
    assert swings.stated("k", "0.1-0.4", Rule("number", 0, 1), 0.25) == (0.1, 0.4)
    with pytest.raises(InputError, match="outside"):
        swings.stated("k", "0.1-1.4", Rule("number", 0, 1), 0.25)


def test_every_uncertain_input_is_swung_or_skipped_with_why():
    ready = _prepared()
    ends, skipped = swings.plan(ready.config, ready.used)
    found = {e.key: e for e in ends}
    assert MATTERS in found and INERT in found
    # a dated revision's range where it states one; else P10 and P90 of the distribution
    assert (found[MATTERS].source, found[MATTERS].stated) == (swings.STATED, "14-56 days")
    dist = ready.config.install.replace_days
    plain = found["install.replace_days"]
    assert plain.source == swings.PERCENTILES
    assert (plain.low.value, plain.high.value) == pytest.approx((dist.ppf(0.1), dist.ppf(0.9)))
    why = {s.key: s.why for s in skipped}
    assert "one number" in why["power.approval_p.capital"]  # a probability with no range
    assert all(k not in found for k in why)
    with pytest.raises(InputError, match="--keys.*'seed' is not an uncertain input"):
        swings.plan(ready.config, ready.used, ["seed"])


def test_an_input_made_to_matter_swings_most_and_clear_of_zero_an_inert_one_not():
    ready = _prepared(f"{MATTERS}='uniform(low=0, high=900)'")
    table, _ = swings.swings(ready.config, ready.seed_data, ready.used, 12,
                             [MATTERS, INERT], Pool())
    assert list(table["input"]) == [MATTERS, INERT]  # largest |P50 swing| first
    big, inert = table.iloc[0], table.iloc[1]
    assert big["p50_swing_days"] > 300 and big["p50_swing_low_days"] > 0
    assert inert["p50_swing_low_days"] <= 0 <= inert["p50_swing_high_days"]
    assert inert["p50_swing_days"] == 0
    stems = [swings.P_ALL, *(t.p_key for t in own_targets(ready.seed_data))]
    assert {f"{s}_swing_low" for s in stems} <= set(table)  # each own target too, if any
    assert big["input_label"] != MATTERS and big["replications"] == 12


def test_the_ends_share_their_draws_and_their_bootstrap_indices():
    rng = np.random.default_rng(0)
    low = rng.uniform(1000, 3000, 50)
    picks = resamples(0, 50)
    # the same results at both ends: no swing, and an interval of exactly nothing
    assert swings.paired(low, low.copy(), p50, picks) == (0.0, 0.0, 0.0)
    met = (rng.uniform(size=50) < 0.3).astype(float)
    assert swings.paired(met, met.copy(), np.mean, picks) == (0.0, 0.0, 0.0)
    # every pair moved by 30 days: resampled together, every resample moves by 30 too
    swing, lo, hi = swings.paired(low, low + 30, p50, picks)
    assert swing == pytest.approx(30) and lo == pytest.approx(30) and hi == pytest.approx(30)


def test_an_unchanged_config_at_both_ends_swings_nothing():
    ready = _prepared()
    e = swings.Ends(MATTERS, ready.config.install.burnin_days,
                    ready.config.install.burnin_days, swings.PERCENTILES)
    low, high = swings.run(ready.config, ready.seed_data, [e], 6, Pool())[MATTERS]
    np.testing.assert_array_equal(low, high)  # common random numbers: the same runs
    row = swings.row(ready.config, ready.seed_data, e, low, high, 0)
    assert row["p50_swing_days"] == row["p50_swing_low_days"] == row["p50_swing_high_days"] == 0


@pytest.mark.parametrize("args, named", [
    (("--keys", "power.nothing"), "--keys: 'power.nothing' is not an uncertain input"),
    (("+scenario=nowhere",), "scenario: 'nowhere' is not one of"),
    (("--replications", "0"), "--replications: '0' is not allowed"),
])
def test_the_command_refuses_bad_input_in_one_line_and_writes_nothing(tmp_path, args, named):
    proc = run_cli(*args, cwd=tmp_path, module="sim.sensitivity")
    assert proc.returncode == 2
    assert len(proc.stderr.splitlines()) == 1 and named in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not (tmp_path / "results").exists()


def test_the_command_writes_its_table_and_prints_the_inputs_names(tmp_path):
    proc = run_cli("--replications", "3", "--keys", f"{MATTERS},deals.stargate_loi.supply_cut",
                   f"seeds_dir={FIXTURE_SEEDS}", cwd=tmp_path, module="sim.sensitivity")
    assert proc.returncode == 0, proc.stderr
    (folder,) = (tmp_path / "results" / "sensitivity").iterdir()
    table = pd.read_csv(folder / "swings.csv")
    assert list(table["input"]) == [MATTERS] and table["run_seed"].tolist() == [0]
    assert pd.read_csv(folder / "skipped.csv")["key"].tolist() == ["deals.stargate_loi.supply_cut"]
    assert "burn-in" in proc.stdout and "skipped deals.stargate_loi.supply_cut" in proc.stdout


def test_a_p50_past_the_horizon_makes_the_swing_a_bound_or_not_defined():
    ready = _prepared()
    e = swings.Ends(MATTERS, Fixed(14), Fixed(56), swings.PERCENTILES)
    targets = len(own_targets(ready.seed_data))
    never = np.full((10, 1 + targets), np.inf)
    soon = np.hstack([np.full((10, 1), 3000.0), np.zeros((10, targets))])
    one = swings.row(ready.config, ready.seed_data, e, soon, never, 0)
    assert one["p50_swing_censored"] and one["p50_swing_days"] > 0  # at least this much
    assert np.isnan(one["p50_high_day"]) and one["p50_low_day"] == 3000
    both = swings.row(ready.config, ready.seed_data, e, never, never, 0)
    assert np.isnan([both["p50_swing_days"], both["p50_swing_low_days"]]).all()


def test_a_range_a_comment_states_is_read_as_a_dated_revisions_is(tmp_path):
    from sim.app.sources import stated_ranges

    conf = tmp_path / "config.yaml"
    conf.write_text("demand:\n"
                    "  ahead: 6        # assumption (range 4-9): order-to-ship + margin\n"
                    "  # estimate: 4/19 passed; range 0.05-0.36 (the pilot's)\n"
                    "  odds: 0.2\n"
                    "  first: 2025-10-01   # assumption (range 2025-09-01 to 2026-01-31)\n"
                    "  plain: 3        # a setting, no range\n")
    found = stated_ranges(conf)
    assert {k: (v.range, v.basis) for k, v in found.items()} == {
        "demand.ahead": ("4-9", "assumption"), "demand.odds": ("0.05-0.36", "estimate"),
        "demand.first": ("2025-09-01 to 2026-01-31", "assumption")}


def test_each_input_says_what_it_rests_on_its_revisions_basis_else_its_comments(tmp_path):
    from types import SimpleNamespace

    from sim.app.sources import bases

    conf = tmp_path / "config.yaml"
    conf.write_text("demand:\n"
                    "  ahead: 6        # assumption (range 4-9): a margin\n"
                    "  odds: 0.2       # 4/19 passed [donga_2025_07_29]\n"
                    "  plain: 3        # a setting\n"
                    "  dated: 1\n")
    found = bases({"demand.dated": SimpleNamespace(basis="fact")}, conf)
    assert found == {"demand.ahead": "assumption", "demand.odds": "estimate",
                     "demand.dated": "fact"}
