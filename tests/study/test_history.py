"""``python -m sim.history``: the headline as of each date, and what moved it, end to end on
a few dates at a small replication count; the records of a month, held back and added."""

from __future__ import annotations

from datetime import date

import pandas as pd
from conftest import run_cli

from sim.app.compose import compose
from sim.app.paths import SEEDS_DIR
from sim.app.runner import prepare_dated
from sim.seeds.data import view
from sim.seeds.files import load
from sim.study.history import held, items

RECORDS = load(SEEDS_DIR).records


def test_a_months_records_are_what_became_public_in_it_and_holding_them_undoes_them():
    raw = prepare_dated(compose([])).raw
    found = items(RECORDS, raw, date(2025, 12, 1), date(2026, 3, 31))
    ids = {(i.kind, i.id) for i in found}
    assert ("observed", "gov_first_service") in ids  # public 2026-02-25
    assert ("observed", "gov_first_arrival") not in ids  # public 2025-12-01: before
    assert ("assumption", "install.acceptance_months_by_recipient.government@2026-03-03") in ids
    assert all(date(2025, 12, 1) < i.public <= date(2026, 3, 31) for i in found)
    assert [i.public for i in found] == sorted(i.public for i in found)
    # holding back every record of the months gives what was known at their start
    back = view(held(RECORDS, found), date(2026, 3, 31))
    then = view(RECORDS, date(2025, 12, 1))
    assert {o.id for o in back.facts} == {o.id for o in then.facts}
    assert [s.id for s in back.sites] == [s.id for s in then.sites]
    assert [(s.id, [p.ready for p in s.phases]) for s in back.sites] == \
        [(s.id, [p.ready for p in s.phases]) for s in then.sites]
    assert back.tranches == then.tranches


def test_history_runs_end_to_end_on_a_few_dates(tmp_path):
    # a horizon far enough for every step's P50 to fall inside it (a move to a P50 after the
    # horizon has no size: not defined)
    proc = run_cli("--replications", "4", "--dates", "2025-10-31,2026-01-31",
                   "horizon=2040-12-31", cwd=tmp_path, module="sim.history")
    assert proc.returncode == 0, proc.stderr
    (folder,) = (tmp_path / "results" / "history").iterdir()
    rows = pd.read_csv(folder / "history.csv")
    assert list(rows["as_of"]) == ["2025-10-31", "2026-01-31"]
    assert (rows["p10_date"] <= rows["p50_date"]).all()
    moves = pd.read_csv(folder / "moves.csv")
    assert moves["record"].iloc[0].startswith("the month passing")
    assert moves["record"].str.startswith("observed gov_first_arrival").any()
    # the moves of the months add up to the move of the P50 between the dates
    start, end = (pd.Timestamp(d) for d in rows["p50_date"])
    assert abs(moves["moved_days"].sum() - (end - start).days) <= 1
    assert (folder / "history.png").stat().st_size > 0
    assert "2026-01-31:" in proc.stdout


def test_history_refuses_a_date_before_the_pledge_in_one_line(tmp_path):
    proc = run_cli("--dates", "2025-10-01", cwd=tmp_path, module="sim.history")
    assert proc.returncode == 2 and len(proc.stderr.splitlines()) == 1
    assert "--dates" in proc.stderr and "before the pledge" in proc.stderr
    assert not (tmp_path / "results").exists()
