"""The generated pages of docs/ are current: the config reference is what the schema and
conf/ give today, and docs/findings.md was made from this code, conf/ and seeds/ (its
fingerprint), by the command it names (its baseline row reproduces)."""

from __future__ import annotations

import pytest

from sim.app import findings, reference
from sim.docs import FINDINGS, PROJECT, REFERENCE, stale

STALE = "stale: run python -m sim.docs from the project's root and commit docs/"


def test_the_config_reference_is_what_the_schema_and_conf_give():
    assert (PROJECT / REFERENCE).read_text() == reference.markdown(), STALE


def test_the_findings_were_made_from_this_code_conf_and_seeds():
    assert findings.recorded((PROJECT / FINDINGS).read_text()) == findings.fingerprint(), STALE
    assert stale() == []


def test_the_readmes_scores_are_those_of_the_findings():
    from sim.docs import README, START, hindcast_table, with_scores

    readme, page = (PROJECT / README).read_text(), (PROJECT / FINDINGS).read_text()
    assert START in readme and hindcast_table(page) in readme, STALE
    assert hindcast_table(page).count("\n") >= 2  # a header, a rule and a row at least
    edited = readme.replace(hindcast_table(page), hindcast_table(page).replace("|", "¦", 3))
    assert with_scores(edited, page) == readme  # a stale block is rewritten whole


def test_the_readmes_five_assumptions_are_the_top_five_swings_of_the_findings():
    from sim.docs import FIVE, FIVE_START, README, five_table, generated

    readme, page = (PROJECT / README).read_text(), (PROJECT / FINDINGS).read_text()
    five = five_table(page)
    assert FIVE_START in readme and five in readme, STALE
    assert five.count("\n") == 1 + FIVE and "P50 swing (90 %)" in five.splitlines()[0]
    edited = readme.replace(five, five.replace("|", "¦", 3))
    assert generated(edited, page) == readme  # a stale block is rewritten whole


def test_a_changed_seed_file_makes_the_findings_stale(monkeypatch, tmp_path):
    import shutil

    from sim.app import paths

    seeds = tmp_path / "seeds"
    shutil.copytree(paths.SEEDS_DIR, seeds)
    before = findings.fingerprint()
    (seeds / "sources.yaml").write_text((seeds / "sources.yaml").read_text() + "\n# edited\n")
    monkeypatch.setattr(findings, "SEEDS_DIR", seeds)
    assert findings.fingerprint() != before


def test_every_key_of_the_schema_has_a_row_with_its_unit_and_default():
    page = reference.markdown()
    assert "| `power.grid_delay_months` | grid connection delay | months |" in page
    assert "lognormal(median=1, p90=4)" in page
    assert page.count("\n| `") >= 60


@pytest.mark.data
def test_the_baseline_row_is_what_the_command_gives(tmp_path):
    row = findings.scenario_row("baseline", root=tmp_path, n_jobs=1)
    page = (PROJECT / FINDINGS).read_text()
    without_run = row.rsplit("|", 2)[0]  # a run's manifest names its own folder and time
    assert without_run in page


@pytest.mark.data
def test_the_largest_swing_is_what_the_command_gives():
    import re

    from sim.app import sensitivity

    page = (PROJECT / FINDINGS).read_text()
    section = page.split("## One assumption at a time", 1)[1].split("\n## ", 1)[0]
    first = [line for line in section.splitlines() if line.startswith("|")][2]
    key = re.search(r"\(`([^`]+)`\)", first).group(1)
    table, skipped, _ = sensitivity.swings([f"seed={findings.SEED}", "mc.n_jobs=1"],
                                           findings.SWING_REPLICATIONS, [key])
    assert findings.swing_rows(table, skipped)[0] == [first]
