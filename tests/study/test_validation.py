"""Hindcasts and their scores: facts taken as facts, undisclosed sites, the verification's
known answers (calibrated, biased, point masses, ranges, one score per target per lead
band, the reference), and ``python -m sim.validate`` end to end."""

from __future__ import annotations

import json
from datetime import date

import numpy as np
import pandas as pd
import pytest
from conftest import resolved as config
from conftest import run_cli

from sim.app.paths import SEEDS_DIR
from sim.calendar import to_day
from sim.gpu_generations import GENERATIONS
from sim.model.world import simulate
from sim.seeds.files import load
from sim.study.validation import forecast, targets
from sim.study.verification import calibration, counted, score

SEEDS = load(SEEDS_DIR)


def test_an_observed_event_before_the_as_of_date_is_taken_as_fact():
    """As of 2025-12-20 the government's first B200 are known to have arrived by 2025-12-01
    and all 10,080 by 2025-12-18: every replication has them there, not drawn."""
    view = SEEDS.at(date(2025, 12, 20))
    cfg = config()
    for replication in range(5):
        out = simulate(cfg, view, replication)
        gov = out.masks["government"]
        arrived = out.columns["arrived"][gov]
        gpus = out.columns["gpus"][gov]
        assert to_day(date(2025, 11, 15)) <= arrived[0] <= to_day(date(2025, 12, 1))
        assert gpus[arrived <= to_day(date(2025, 12, 18))].sum() >= 10_080
        # and nothing unreported has happened by the as-of date
        others = ~gov & ~np.isnan(out.columns["arrived"])
        assert (out.columns["arrived"][others] >= to_day(view.as_of)).all()


def test_a_recipient_without_a_disclosed_site_gets_a_prior_site_and_a_finite_date():
    view = SEEDS.at(date(2025, 10, 31))  # Hyundai's site became public on 2026-02-24
    assert "hyundai" not in {s.recipient for s in view.sites}
    cfg = config("horizon=2040-12-31")
    finished = []
    for replication in range(8):
        out = simulate(cfg, view, replication)
        rows = out.sites[out.sites["recipient"] == "hyundai"]
        assert len(rows) and rows["prior"].all()  # labelled as priors in sites.csv
        assert rows["site"].str.startswith("hyundai_undisclosed_").all()
        days = out.columns["operational"][out.masks["hyundai"]]
        finished.append(not np.isnan(days).any())
    assert all(finished)


def synthetic(bias: float, n: int = 400, seed: int = 0, width: float = 0.0) -> list[dict]:
    """Targets whose truth is drawn from N(0, 1) (observed as a range of ``width`` around
    it), scored against forecasts of N(bias, 1)."""
    rng = np.random.default_rng(seed)
    rows = []
    for k in range(n):
        truth = float(rng.normal())
        rows.append({**score(rng.normal(bias, 1.0, 500), truth - width / 2, truth + width / 2,
                             f"t{k}", ("persistence", np.zeros(1))),
                     "target": f"t{k}", "unit": "GPUs", "lead_days": 30})
    return counted(rows)


def test_a_calibrated_forecast_scores_about_80_percent_and_a_biased_one_far_lower():
    calibrated, biased = calibration(synthetic(0.0)), calibration(synthetic(2.0))
    assert calibrated["share_inside_p10_p90"] == pytest.approx(0.8, abs=0.05)
    low, high = calibrated["inside_interval_95"]
    assert low < 0.8 < high and high - low < 0.1  # Wilson, n = 400
    assert biased["share_inside_p10_p90"] < 0.4
    assert max(calibrated["pit_histogram"]) < 0.3 * 400  # PITs spread evenly
    assert biased["pit_histogram"][0] > 0.6 * 400  # observations at the forecasts' low end
    assert biased["mean_crps_gpus"] > 2 * calibrated["mean_crps_gpus"]
    # the reference (always 0) is as good as a forecast centred on the truth's mean, so a
    # calibrated forecast has no great skill over it, and the biased one has less than none
    assert biased["crpss_gpus"] < 0 < calibrated["crpss_gpus"] + 0.3
    # its central intervals hold about their level
    for row in calibrated["reliability"]:
        assert row["share"] == pytest.approx(row["level"], abs=0.07)


def test_a_narrow_observed_range_keeps_a_calibrated_forecast_near_80_percent():
    assert calibration(synthetic(0.0, width=0.05))["share_inside_p10_p90"] == \
        pytest.approx(0.8, abs=0.06)


def test_a_point_mass_forecast_gets_a_pit_interval_not_0_or_1():
    pinned = np.full(100, 4224.0)  # every replication the same count (a fact, a cap)
    row = score(pinned, 4224.0, 4224.0, "pin")
    assert (row["pit_low"], row["pit_high"]) == (0.0, 1.0)
    assert 0 < row["pit"] < 1 and row["crps"] == 0.0
    # the randomized PIT of many such forecasts is uniform, not a spike at 0, 0.5 or 1
    pits = [score(pinned, 4224.0, 4224.0, f"pin{k}")["pit"] for k in range(500)]
    assert np.histogram(pits, bins=5, range=(0, 1))[0].min() > 70


def test_a_range_counts_as_inside_only_when_it_lies_within_the_band():
    band = np.arange(100, 201, dtype=float)  # P10 110, P90 190
    assert score(band, 120.0, 180.0, "k")["inside_p10_p90"]
    assert not score(band, 90.0, 120.0, "k")["inside_p10_p90"]  # overlaps, sticks out
    assert score(band, 90.0, 120.0, "k")["p50_error"] == 30.0
    far = score(band, 0.0, 10.0, "k")
    assert not far["inside_p10_p90"] and far["pit_low"] == far["pit_high"] == 0.0
    # no penalty inside the range: a forecast within it scores 0
    assert score(np.full(10, 150.0), 100.0, 200.0, "k")["crps"] == 0.0


def test_one_score_per_target_per_lead_band_counts_the_longest_lead():
    rows = counted([{"target": "a", "lead_days": d} for d in (200, 60, 80, 10)])
    assert [(r["lead_band"], r["counted"]) for r in rows] == [
        ("6-12 months", True), ("0-3 months", False), ("0-3 months", True),
        ("0-3 months", False)]


def test_targets_are_outcomes_that_became_public_after_the_as_of_date():
    early = {t.id for t in targets(SEEDS.at(date(2025, 10, 31)))}
    late = {t.id for t in targets(SEEDS.at(date(2026, 1, 31)))}
    assert {"gov_first_arrival", "gov_in_service_march", "gov_first_service"} <= early
    assert "naver_first_arrival" not in early  # held out (score: false)
    assert not any("@" in t for t in early)  # site announcements are not outcomes
    assert "gov_first_arrival" not in late and "gov_in_service_march" in late


def test_the_reference_is_the_plan_public_by_then_or_persistence():
    from sim.study.reference import reference

    found = {t.id: t for t in targets(SEEDS.at(date(2025, 10, 31)))}
    what, samples = reference(found["gov_first_service"].event, SEEDS.at(date(2025, 10, 31)))
    assert what == "plan of 2025-09-21" and samples.min() == to_day(date(2025, 12, 1))
    what, _ = reference(found["gov_first_service"].event, SEEDS.at(date(2025, 12, 31)))
    assert what == "plan of 2025-12-18"
    what, samples = reference(found["gov_in_service_march"].event, SEEDS.at(date(2025, 10, 31)))
    assert what.startswith("none yet") and samples.max() == 0


def test_validate_runs_end_to_end(tmp_path):
    proc = run_cli("--replications", "6", "--dates", "2025-10-31,2026-01-31", cwd=tmp_path,
                   module="sim.validate")
    assert proc.returncode == 0, proc.stderr
    (folder,) = (tmp_path / "results" / "validation").iterdir()
    table = pd.read_csv(folder / "hindcasts.csv")
    assert set(table["as_of"]) == {"2025-10-31", "2026-01-31"}
    assert table["p10"].le(table["p50"]).all() and table["p50"].le(table["p90"]).all()
    summary = json.loads((folder / "calibration.json").read_text())
    assert summary["scored"] == len(table)
    chosen = table[table["counted"]]
    assert summary["scores"] == len(chosen) == len(chosen[["target", "lead_band"]]
                                                   .drop_duplicates())
    assert summary["share_inside_p10_p90"] == pytest.approx(chosen["inside_p10_p90"].mean())
    for name in ("hindcasts.png", "calibration.png", "reliability.png", "report.html"):
        assert (folder / name).stat().st_size > 0
    assert f"inside P10-P90: {summary['inside']} of {summary['scores']}" in proc.stdout


def test_validate_refuses_a_date_before_the_pledge_in_one_line(tmp_path):
    proc = run_cli("--dates", "2025-10-01", cwd=tmp_path, module="sim.validate")
    assert proc.returncode == 2
    assert proc.stderr.strip() == ("error: --dates: 2025-10-01 is before the pledge became "
                                   "public (2025-10-31); give that date or a later one")
    assert not (tmp_path / "results").exists()


@pytest.mark.data
def test_as_of_the_articles_the_bands_hold_the_governments_first_arrival_and_users():
    """Issue 11's bar: forecast on 2025-10-31, the P10-P90 of the government's first arrival
    holds 2025-12-01, and that of its first users the observed Feb 2026."""
    view = SEEDS.at(date(2025, 10, 31))
    found = {t.id: t for t in targets(view)}
    wanted = [found["gov_first_arrival"], found["gov_first_service"]]
    samples = forecast(config(), view, wanted, replications=80)
    arrival, service = (score(samples[:, k], t.low, t.high, t.id)
                        for k, t in enumerate(wanted))
    assert arrival["p10"] <= to_day(date(2025, 12, 1)) <= arrival["p90"]
    assert service["p10"] <= to_day(date(2026, 2, 25)) and \
        service["p90"] >= to_day(date(2026, 2, 10))


def test_at_3_kw_per_gpu_no_gpu_is_stranded_for_want_of_mw():
    """Site MW are sourced or priors, never GPUs x 2.5 kW: at the top of the sources' range a
    recipient
    short of MW gets another site, later, instead of stranding GPUs."""
    cfg = config(*(f"hardware.generations.{g}.facility_kw_per_gpu=3.0" for g in GENERATIONS),
                 "horizon=2040-12-31")
    for replication in range(6):
        out = simulate(cfg, SEEDS, replication)
        assert not out.stranded.any()
        assert not np.isnan(out.columns["operational"]).any()
