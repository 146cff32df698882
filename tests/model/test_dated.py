"""Dated assumptions on their own (no Hydra): the revision in force on a date, and one-line
refusals of a malformed history."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pytest

from sim.errors import InputError
from sim.model.dated import history, in_force, select
from sim.model.params import per_entity, probability, uncertain

OLD = {"since": "2025-10-31", "value": "fixed(1)", "basis": "assumption", "range": "0-2",
       "sources": ["a_2025_01_01"]}
NEW = {"since": "2026-03-03", "value": "fixed(2)", "basis": "estimate", "range": "1-3",
       "fitted_to": ["gov_first_service"], "note": "refit"}


@dataclass
class Group:
    delay: Any = uncertain(label="a delay (months)")
    odds: Any = probability(label="a chance")
    own: dict = per_entity("recipient", label="a recipient's own delay (months)")


@dataclass
class Tree:
    group: Group = field(default_factory=Group)


def test_a_run_uses_the_last_revision_in_force_on_its_date():
    for as_of, value in ((date(2025, 10, 31), "fixed(1)"), (date(2026, 3, 2), "fixed(1)"),
                         (date(2026, 3, 3), "fixed(2)"), (None, "fixed(2)")):
        assert in_force("k", [OLD, NEW], as_of)[0] == value
    plain, revision = in_force("k", "fixed(5)", date(2025, 10, 31))
    assert plain == "fixed(5)" and revision is None  # a plain value is a what-if


def test_select_replaces_dated_values_anywhere_and_says_which_revision():
    tree = Tree(Group(delay=[OLD, NEW], odds=0.5, own={"government": [OLD, NEW], "sk": 3}))
    picked, used = select(tree, date(2025, 12, 1))
    assert (picked.group.delay, picked.group.own) == ("fixed(1)", {"government": "fixed(1)",
                                                                   "sk": 3})
    assert sorted(used) == ["group.delay", "group.own.government"]
    assert used["group.delay"].since == date(2025, 10, 31)
    assert tree.group.delay == [OLD, NEW]  # the tree given is left as it was
    assert [r.since for r in history(tree)["group.own.government"]] == \
        [date(2025, 10, 31), date(2026, 3, 3)]
    assert select(tree, date(2026, 6, 1))[1]["group.delay"].fitted_to == ("gov_first_service",)


@pytest.mark.parametrize("revisions, said", [
    ([OLD, NEW], "no value in force on 2025-10-30; its first revision is dated 2025-10-31"),
    ([NEW, OLD], "k[1].since: 2025-10-31 is not after the revision before it (2026-03-03)"),
    ([{**OLD, "basis": "guess"}], "k[0].basis: 'guess' is not allowed; choose one of fact, "
                                  "estimate, assumption"),
    ([{**OLD, "range": ""}], "k[0].range: is missing: an assumption states its range"),
    ([{k: v for k, v in OLD.items() if k != "value"}], "k[0]: value is missing"),
    ([{**OLD, "since": "2025-13-01"}], "k[0].since"),
    ([{**OLD, "sources": "a_2025_01_01"}], "sources='a_2025_01_01' must be a list of ids"),
    ([{**OLD, "valeu": 1}], "unknown field 'valeu'"),
])
def test_a_malformed_history_is_refused_in_one_line(revisions, said):
    with pytest.raises(InputError) as caught:
        in_force("k", revisions, date(2025, 10, 30))
    assert said in str(caught.value) and "\n" not in str(caught.value)


def test_a_fact_needs_no_range():
    fact = {"since": "2025-12-18", "value": 10080, "basis": "fact"}
    assert in_force("k", [fact], date(2026, 1, 1))[0] == 10080
