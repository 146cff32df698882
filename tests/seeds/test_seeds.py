"""The seed files: they load, every record is sourced and dated, a view as of a date uses only
what was public by then, and broken records are refused in one line. The mechanisms are
tested on the fixture's seed folder; today's seeds/ are checked in the ``data`` tests."""

from __future__ import annotations

from datetime import date

import pytest
import yaml
from conftest import FIXTURE_SEEDS, edit_seed, record

from sim.app.paths import SEEDS_DIR
from sim.errors import InputError
from sim.seeds.data import ZONES
from sim.seeds.files import load

FIXTURE = load(FIXTURE_SEEDS)


@pytest.mark.data
def test_project_seeds_load_and_hold_the_pledge():
    data = load(SEEDS_DIR)
    assert data.pledge_gpus == 260_000
    assert {a.recipient: a.gpus for a in data.allocations} == {
        "government": 50_000, "samsung": 50_000, "sk": 50_000, "hyundai": 50_000,
        "naver": 60_000}
    assert {d.id: (d.date.isoformat(), d.commitment) for d in data.deals.values()} == {
        "blackrock_mou": ("2025-09-22", "MOU"), "stargate_loi": ("2025-10-01", "LOI"),
        "nvidia_pledge": ("2025-10-31", "pledge")}
    assert {f"{i:03d}" for i in range(5)} <= set(data.sources)
    assert data.as_of == data.records.latest  # the default: the latest date in the seeds
    assert {s.recipient for s in data.sites} == set(data.recipients)


@pytest.mark.data
def test_every_record_names_sources_or_an_assumption_and_the_date_it_became_public():
    for name in ("deals", "allocations", "sites", "observed", "tranches"):
        for rec in yaml.safe_load((SEEDS_DIR / f"{name}.yaml").read_text())[name]:
            assert rec.get("sources") or rec.get("assumption"), (name, rec)
            assert rec.get("public"), (name, rec)


def test_a_record_public_after_the_as_of_date_is_not_used():
    before, after = FIXTURE.at(date(2026, 2, 23)), FIXTURE.at(date(2026, 2, 24))
    assert "naver_new_hall" not in {s.id for s in before.sites}  # public on 2026-02-24
    assert "naver_new_hall" in {s.id for s in after.sites}
    # a tranche public after D is not used (the window tranche: 2025-11-06)
    assert "naver_window" not in {t.id for t in FIXTURE.at(date(2025, 10, 31)).tranches}
    assert "naver_window" in {t.id for t in FIXTURE.at(date(2025, 11, 6)).tranches}


def test_the_revision_in_force_on_the_as_of_date_is_used():
    centre = {d: next(s for s in FIXTURE.at(d).sites if s.id == "gov_centre")
              for d in (date(2026, 1, 7), date(2026, 1, 8))}
    assert centre[date(2026, 1, 7)].phases[0].ready == date(2028, 12, 31)
    assert centre[date(2026, 1, 8)].phases[0].ready == date(2029, 12, 31)
    assert not isinstance(centre[date(2026, 1, 8)].phases[0].mw, float)  # still a prior
    window = {d: next(t for t in FIXTURE.at(d).tranches if t.id == "naver_window")
              for d in (date(2026, 3, 11), date(2026, 3, 12))}
    assert (window[date(2026, 3, 11)].gpus, window[date(2026, 3, 11)].ordered) == (360, None)
    assert window[date(2026, 3, 11)].order_window is not None
    assert (window[date(2026, 3, 12)].gpus, window[date(2026, 3, 12)].ordered) == \
        (288, (date(2026, 3, 12), date(2026, 3, 12)))


def test_observed_events_are_facts_once_public_and_targets_before():
    pledge_day = FIXTURE.at(date(2025, 10, 31))
    assert not [o for o in pledge_day.facts if o.kind != "context"]
    assert "gov_first_arrival" in {o.id for o in pledge_day.targets}
    later = FIXTURE.at(date(2025, 12, 20))
    assert {"gov_first_arrival", "gov_arrived"} <= {o.id for o in later.facts}
    assert {o.id for o in later.targets} == {"gov_in_service"}
    assert "naver_first_arrival" not in {o.id for o in pledge_day.targets}  # held out


def test_as_of_before_the_pledge_is_refused():
    with pytest.raises(InputError, match="as_of: 2025-10-30 is before the pledge became "
                                         "public .2025-10-31."):
        load(FIXTURE_SEEDS, date(2025, 10, 30))


def _site(data, site_id):
    return record(data["sites"], id=site_id)


@pytest.mark.parametrize("name, change, fragment", [
    ("allocations", lambda d: d["allocations"][0].update(gpus=2_780),
     "seeds/allocations.yaml: allocations sum to 6,380 GPUs but the pledge is 6,480"),
    ("allocations", lambda d: d["allocations"].append(dict(d["allocations"][1])),
     "recipient 'naver': recipient 'naver' appears twice"),
    ("sites", lambda d: _site(d, "naver_campus").update(recipient="nvr"),
     "seeds/sites.yaml: site 'naver_campus': recipient='nvr' is not one of government, naver"),
    ("sites", lambda d: _site(d, "naver_campus").update(phases=[]),
     "site 'naver_campus': phases=[] must list at least one phase"),
    ("sites", lambda d: _site(d, "gov_hall")["phases"][0].update(ready="2027-13-45"),
     "site 'gov_hall' phases[0]: ready='2027-13-45' is not a date"),
    ("sites", lambda d: _site(d, "gov_hall")["phases"][0].update(mw=-41),
     "site 'gov_hall' phases[0]: mw=-41 must be a positive number"),
    ("sites", lambda d: _site(d, "naver_campus").update(kind="castle"),
     "site 'naver_campus': kind='castle' is not one of existing, brownfield"),
    ("sites", lambda d: _site(d, "naver_campus").update(zone="busan"),
     "site 'naver_campus': zone='busan' is not one of capital, jeonbuk, jeonnam"),
    ("sites", lambda d: _site(d, "naver_campus").update(zone="capital"),
     "site 'naver_campus': zone=capital is not in region non_capital"),
    ("sites", lambda d: _site(d, "naver_campus").update(sources=[], assumption=None),
     "site 'naver_campus': sources are missing"),
    ("sites", lambda d: _site(d, "gov_hall").update(fleet="mostly"),
     "site 'gov_hall': fleet='mostly' must be true or false"),
    ("deals", lambda d: d["deals"][0].update(sources=["nope"]),
     "deal 'blackrock_mou': sources name 'nope', which is not in seeds/sources.yaml"),
    ("allocations", lambda d: d["allocations"][0].update(gpus=0),
     "recipient 'government': gpus=0 must be a positive whole number"),
])
def test_broken_seed_records_are_named_in_one_line(fixture_copy, name, change, fragment):
    edit_seed(fixture_copy, name, change)
    with pytest.raises(InputError) as err:
        load(fixture_copy)
    assert fragment in str(err.value)
    assert "\n" not in str(err.value)


def test_missing_empty_and_non_yaml_files(fixture_copy):
    (fixture_copy / "sites.yaml").unlink()
    with pytest.raises(InputError, match=r"^seeds/sites.yaml: file is missing"):
        load(fixture_copy)
    (fixture_copy / "sites.yaml").write_text("")
    with pytest.raises(InputError, match=r"^seeds/sites.yaml: is empty"):
        load(fixture_copy)
    (fixture_copy / "sites.yaml").write_text("sites: [unclosed\n  - {")
    with pytest.raises(InputError, match=r"^seeds/sites.yaml: is not valid YAML at line"):
        load(fixture_copy)


def test_a_revised_prior_is_used_only_from_the_day_its_evidence_became_public(tmp_path):
    """The disclosure lag was fitted to disclosures made after the pledge: a forecast as of
    the pledge uses the wide prior set then, one as of the revision's day the fitted one."""
    seeds = load(SEEDS_DIR)
    (revision,) = seeds.records.prior_revisions
    before = seeds.at(date(2025, 10, 31)).prior.disclosure_lag_months
    after = seeds.at(revision.public).prior.disclosure_lag_months
    assert before != after == revision.fields["disclosure_lag_months"]
    assert seeds.at(date(2026, 6, 7)).prior.disclosure_lag_months == before  # the day before


def test_a_prior_revision_dated_before_the_prior_is_refused(fixture_copy):
    def early(data):
        data["prior"]["revisions"] = [{"public": "2025-01-01", "sources": ["fixture"],
                                       "disclosure_lag_months": 3}]
    edit_seed(fixture_copy, "priors", early)
    with pytest.raises(InputError, match=r"revisions.*2025-01-01 is before the prior's own"):
        load(fixture_copy)


@pytest.mark.data
def test_every_disclosed_site_names_its_grid_zone_in_its_region():
    for site in load(SEEDS_DIR).sites:
        assert site.zone in ZONES, site.id
        assert (site.zone == "capital") == (site.region == "capital"), site.id
