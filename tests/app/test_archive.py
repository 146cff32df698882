"""Archived forecasts: kept on the day they are made, scored only against outcomes made
public after that day, exactly as the forecast said them, and refused whole if changed."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest
from conftest import run_cli

from sim.app import archive
from sim.app.compose import compose
from sim.app.runner import check
from sim.errors import InputError
from sim.model.world import simulate
from sim.study.archived import samples, scored
from sim.study.validation import measure, targets

MADE_ON = date(2025, 11, 15)


@pytest.fixture(scope="module")
def kept(tmp_path_factory):
    """A forecast as of 2025-11-15, archived as made that day (a backdated archive)."""
    run = check(compose(["as_of=2025-11-15", "mc.replications=6"]))
    root = tmp_path_factory.mktemp("archive")
    folder, new = archive.save(run, made_on=MADE_ON, root=root)
    return run, root, folder, new


def test_an_archived_forecast_measures_what_its_replications_said(kept):
    run, root, folder, new = kept
    assert new and folder.parent == root and folder.name.startswith("2025-11-15_baseline_")
    ((about, lots),) = archive.archived("baseline", root)
    assert about["made_on"] == "2025-11-15" and about["replications"] == 6
    view = run.seed_data.at(date(2025, 11, 15), run.config.horizon_date)
    for target in targets(view):
        direct = [measure(simulate(run.config, run.seed_data, i), target) for i in range(6)]
        np.testing.assert_array_equal(samples(lots, target, 6, about["horizon_day"]), direct)
    assert archive.archived("slow_power", root) == []  # another scenario's are not its


def test_it_is_scored_only_against_outcomes_public_after_it_was_made(kept):
    run, root, _, _ = kept
    ((about, lots),) = archive.archived("baseline", root)
    view = run.seed_data.at(date(2025, 11, 15), run.config.horizon_date)
    rows = scored(lots, about, view)
    assert rows and all(date.fromisoformat(r["public"]) > MADE_ON for r in rows)
    assert all(r["forecast"] == "archived" and r["lead_days"] ==
               (date.fromisoformat(r["by"]) - MADE_ON).days for r in rows)
    later = dict(about, made_on="2026-06-30")  # made after every outcome: nothing to score
    assert scored(lots, later, view) == []


def test_the_same_forecast_the_same_day_is_kept_once_and_a_changed_one_refused(kept):
    run, root, folder, _ = kept
    again, new = archive.save(run, made_on=MADE_ON, root=root)
    assert again == folder and not new
    copy = root.parent / "damaged"
    import shutil

    shutil.copytree(root, copy)
    (copy / folder.name / "lots.parquet").write_bytes(b"not the forecast")
    with pytest.raises(InputError, match="lots.parquet does not match its checksum"):
        archive.archived("baseline", copy)


def test_archive_true_keeps_todays_forecast_and_validate_reports_it(tmp_path):
    done = run_cli("archive=true", "hydra.run.dir=run", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    (kept,) = (tmp_path / "results" / "archive").iterdir()
    assert f"archived: results/archive/{kept.name}" in done.stdout
    assert kept.name.startswith(f"{date.today().isoformat()}_baseline_")
    # the run itself is unchanged by archiving: same config hash as without it
    plain = run_cli("hydra.run.dir=plain", cwd=tmp_path)
    import json

    hashes = [json.loads((tmp_path / d / "manifest.json").read_text())["config_sha256"]
              for d in ("run", "plain")]
    assert hashes[0] == hashes[1], plain.stderr
    said = run_cli("--dates", "2026-05-31", "--replications", "4", cwd=tmp_path,
                   module="sim.validate")
    assert said.returncode == 0, said.stderr
    assert "archived forecasts: none scored yet" in said.stdout  # made today: nothing later
