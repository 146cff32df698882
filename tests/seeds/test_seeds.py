"""The seed files: they load, every record is sourced and dated, a view as of a date uses only
what was public by then, and broken records are refused in one line."""

from __future__ import annotations

import pytest
import yaml
from conftest import edit_seed, record

from datetime import date

from sim.app.paths import SEEDS_DIR
from sim.seeds.files import load
from sim.errors import InputError


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


def test_every_record_names_sources_or_an_assumption_and_the_date_it_became_public():
    for name in ("deals", "allocations", "sites", "observed", "tranches"):
        for rec in yaml.safe_load((SEEDS_DIR / f"{name}.yaml").read_text())[name]:
            assert rec.get("sources") or rec.get("assumption"), (name, rec)
            assert rec.get("public"), (name, rec)


def test_a_record_public_after_the_as_of_date_is_not_used():
    data = load(SEEDS_DIR)
    before = data.at(date(2026, 2, 23))
    after = data.at(date(2026, 2, 24))
    # Hyundai's Saemangeum site became public on 2026-02-24
    assert "hyundai_saemangeum" not in {s.id for s in before.sites}
    assert "hyundai_saemangeum" in {s.id for s in after.sites}
    # a tranche public after D is not used (Naver's 2026 capex: 2025-11-06)
    assert "naver_2026" not in {t.id for t in data.at(date(2025, 10, 31)).tranches}
    assert "naver_2026" in {t.id for t in data.at(date(2025, 11, 6)).tranches}


def test_the_revision_in_force_on_the_as_of_date_is_used():
    data = load(SEEDS_DIR)
    gumi = {d: next(s for s in data.at(d).sites if s.id == "samsung_sds_gumi")
            for d in (date(2025, 10, 31), date(2025, 11, 17), date(2026, 1, 2))}
    assert not isinstance(gumi[date(2025, 10, 31)].phases[0].mw, float)  # a prior: no MW yet
    assert [(p.mw, p.ready) for p in gumi[date(2025, 11, 17)].phases] == \
        [(120.0, date(2028, 3, 31))]
    assert [(p.mw, p.ready) for p in gumi[date(2026, 1, 2)].phases] == [(60.0, date(2029, 3, 31))]
    purchase = {d: next(t for t in data.at(d).tranches if t.id == "gov_purchase_2026")
                for d in (date(2025, 10, 31), date(2026, 6, 8))}
    assert purchase[date(2025, 10, 31)].gpus == 15000
    assert purchase[date(2025, 10, 31)].order_window is not None
    assert (purchase[date(2026, 6, 8)].gpus, purchase[date(2026, 6, 8)].ordered) == \
        (9704, (date(2026, 6, 8), date(2026, 6, 8)))


def test_observed_events_are_facts_once_public_and_targets_before():
    data = load(SEEDS_DIR)
    pledge_day = data.at(date(2025, 10, 31))
    assert not [o for o in pledge_day.facts if o.kind != "context"]
    assert "gov_first_arrival" in {o.id for o in pledge_day.targets}
    later = data.at(date(2025, 12, 20))
    assert {"gov_first_arrival", "gov_arrived_mid_dec"} <= {o.id for o in later.facts}
    assert "gov_first_arrival" not in {o.id for o in later.targets}
    assert "naver_first_arrival" not in {o.id for o in pledge_day.targets}  # held out


def test_as_of_before_the_pledge_is_refused():
    with pytest.raises(InputError, match="as_of: 2025-10-30 is before the pledge became "
                                         "public .2025-10-31."):
        load(SEEDS_DIR, date(2025, 10, 30))


def _site(data, site_id):
    return record(data["sites"], id=site_id)


@pytest.mark.parametrize("name, change, fragment", [
    ("allocations", lambda d: d["allocations"][0].update(gpus=40_000),
     "seeds/allocations.yaml: allocations sum to 250,000 GPUs but the pledge is 260,000"),
    ("allocations", lambda d: d["allocations"].append(dict(d["allocations"][1])),
     "recipient 'samsung': recipient 'samsung' appears twice"),
    ("sites", lambda d: _site(d, "sk_ulsan").update(recipient="skk"),
     "seeds/sites.yaml: site 'sk_ulsan': recipient='skk' is not one of government, samsung"),
    ("sites", lambda d: _site(d, "sk_ulsan").update(phases=[]),
     "site 'sk_ulsan': phases=[] must list at least one phase"),
    ("sites", lambda d: _site(d, "sk_ulsan")["phases"][0].update(ready="2027-13-45"),
     "site 'sk_ulsan' phases[0]: ready='2027-13-45' is not a date"),
    ("sites", lambda d: _site(d, "sk_ulsan")["phases"][0].update(mw=-41),
     "site 'sk_ulsan' phases[0]: mw=-41 must be a positive number"),
    ("sites", lambda d: _site(d, "sk_ulsan").update(kind="castle"),
     "site 'sk_ulsan': kind='castle' is not one of existing, brownfield"),
    ("sites", lambda d: _site(d, "sk_ulsan").update(sources=[], assumption=None),
     "site 'sk_ulsan': sources are missing"),
    ("deals", lambda d: d["deals"][0].update(sources=["nope"]),
     "deal 'blackrock_mou': sources name 'nope', which is not in seeds/sources.yaml"),
    ("allocations", lambda d: d["allocations"][0].update(gpus=0),
     "recipient 'government': gpus=0 must be a positive whole number"),
])
def test_broken_seed_records_are_named_in_one_line(seeds_copy, name, change, fragment):
    edit_seed(seeds_copy, name, change)
    with pytest.raises(InputError) as err:
        load(seeds_copy)
    assert fragment in str(err.value)
    assert "\n" not in str(err.value)


def test_missing_empty_and_non_yaml_files(seeds_copy):
    (seeds_copy / "sites.yaml").unlink()
    with pytest.raises(InputError, match=r"^seeds/sites.yaml: file is missing"):
        load(seeds_copy)
    (seeds_copy / "sites.yaml").write_text("")
    with pytest.raises(InputError, match=r"^seeds/sites.yaml: is empty"):
        load(seeds_copy)
    (seeds_copy / "sites.yaml").write_text("sites: [unclosed\n  - {")
    with pytest.raises(InputError, match=r"^seeds/sites.yaml: is not valid YAML at line"):
        load(seeds_copy)
