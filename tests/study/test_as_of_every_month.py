"""Every as-of date from the first deal to the latest seed date gives a complete run (issue 19,
item 5): a month-end before Hyundai announced a site crashed the summary writer (its odds by
target were NaN). A figure undefined on the date is ``null`` with its reason, never a NaN."""

from __future__ import annotations

import json
import math

import pandas as pd
import pytest

from sim import api
from sim.app.paths import SEEDS_DIR
from sim.seeds.files import read_all
from sim.study.undefined import is_undefined
from sim.study.validation import grid

ARTICLES = read_all(SEEDS_DIR).pledge_public
MONTH_ENDS = grid(ARTICLES, read_all(SEEDS_DIR).latest)


def _numbers(node):
    """Every number in a JSON tree."""
    if isinstance(node, dict):
        for v in node.values():
            yield from _numbers(v)
    elif isinstance(node, list):
        for v in node:
            yield from _numbers(v)
    elif isinstance(node, (int, float)) and not isinstance(node, bool):
        yield node


def _undefined(node):
    """Every value of a JSON tree that is ``{"value": null, "reason": ...}``."""
    if is_undefined(node):
        yield node
    elif isinstance(node, dict):
        for v in node.values():
            yield from _undefined(v)


@pytest.mark.data
@pytest.mark.parametrize("as_of", MONTH_ENDS, ids=str)
def test_a_run_as_of_every_month_end_is_complete(as_of, tmp_path):
    r = api.study(as_of=str(as_of), replications=4, drivers=False, n_jobs=1, figures="never")
    folder = r.write(tmp_path / "run")
    again = api.load(folder)  # the manifest verifies: the run is complete
    summary = json.loads((folder / "summary.json").read_text())
    assert summary["as_of"] == str(as_of) == again.summary["as_of"]
    assert all(math.isfinite(x) for x in _numbers(summary))
    assert all(u["reason"] for u in _undefined(summary))
    counts = summary["gpus_at_horizon"]["total"]
    assert sum(counts.values()) == summary["pledged_gpus"]  # every GPU accounted for
    # what each value rests on was public by the as-of date (issue 21: no hindsight)
    used = pd.read_csv(folder / "assumptions.csv", dtype=str, keep_default_na=False)
    dates = [d for d in used["evidence_date"] if d]
    assert dates and max(dates) <= str(as_of)


def test_the_month_ends_run_from_the_pledge_to_the_latest_seed_date():
    assert MONTH_ENDS[0] == ARTICLES and len(MONTH_ENDS) >= 8
    assert all(a < b for a, b in zip(MONTH_ENDS, MONTH_ENDS[1:]))


@pytest.mark.data
def test_before_hyundai_had_a_site_its_odds_are_not_defined_with_the_reason():
    r = api.study(as_of="2025-10-31", replications=2, drivers=False, n_jobs=1)
    odds = r.summary["monte_carlo"]["p_full_by_target"]["hyundai"]
    assert is_undefined(odds) and "hyundai" in odds["reason"] and "2025-10-31" in odds["reason"]
