"""The seed files: they load, every record is sourced, and broken ones are refused in one line."""

from __future__ import annotations

import pytest
import yaml
from conftest import edit_seed, record

from sim.model import seeds
from sim.app.paths import SEEDS_DIR
from sim.errors import InputError


def test_project_seeds_load_and_hold_the_pledge():
    data = seeds.load(SEEDS_DIR)
    assert data.pledge_gpus == 260_000
    assert {a.recipient: a.gpus for a in data.allocations} == {
        "government": 50_000, "samsung": 50_000, "sk": 50_000, "hyundai": 50_000,
        "naver": 60_000}
    assert {d.id: (d.date.isoformat(), d.commitment) for d in data.deals.values()} == {
        "blackrock_mou": ("2025-09-22", "MOU"), "stargate_loi": ("2025-10-01", "LOI"),
        "nvidia_pledge": ("2025-10-31", "pledge")}
    assert {f"{i:03d}" for i in range(5)} <= set(data.sources)
    kinds = {s.kind for s in data.sites}
    assert "existing" in kinds and every_recipient_has_a_site(data)


def every_recipient_has_a_site(data) -> bool:
    return {s.recipient for s in data.sites} == set(data.recipients)


def test_every_record_names_sources_or_an_assumption():
    for name in ("deals", "allocations", "sites", "observed"):
        for rec in yaml.safe_load((SEEDS_DIR / f"{name}.yaml").read_text())[name]:
            assert rec.get("sources") or rec.get("assumption"), (name, rec)


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
        seeds.load(seeds_copy)
    assert fragment in str(err.value)
    assert "\n" not in str(err.value)


def test_missing_empty_and_non_yaml_files(seeds_copy):
    (seeds_copy / "sites.yaml").unlink()
    with pytest.raises(InputError, match=r"^seeds/sites.yaml: file is missing"):
        seeds.load(seeds_copy)
    (seeds_copy / "sites.yaml").write_text("")
    with pytest.raises(InputError, match=r"^seeds/sites.yaml: is empty"):
        seeds.load(seeds_copy)
    (seeds_copy / "sites.yaml").write_text("sites: [unclosed\n  - {")
    with pytest.raises(InputError, match=r"^seeds/sites.yaml: is not valid YAML at line"):
        seeds.load(seeds_copy)
