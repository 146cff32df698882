"""Reading the seed files that look past the articles: ``priors.yaml``, the prior of a
recipient's site not yet disclosed, and ``observed.yaml``, what happened after the articles
(each event with the window it happened in and the date it became public).

The fields of each record are checked as :mod:`sim.seeds.files` checks the others;
:func:`parse_dist` reads a number-or-distribution field for both.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import Any

from sim import distributions
from sim.errors import InputError
from sim.seeds.data import KINDS, REGIONS, SCORED, Observed, Plan, Prior, Revision
from sim.seeds.fields import PROVENANCE, Record, records
from sim.seeds.reading import load_file

OBSERVED_KINDS = (*SCORED, "context")
PRIOR_RECORD = ("disclosure_lag_months", "capital_p", "kind", "phase1_mw", "total_mw",
                "lead_months", "lead_by_kind_months", "step_months", "passed_p",
                "new_substation_p", "public", *PROVENANCE, "disclosure_assumption",
                "capital_assumption", "kind_assumption", "size_assumption", "lead_assumption",
                "lead_by_kind_assumption", "step_assumption", "passed_assumption",
                "new_substation_assumption", "revisions")
PRIOR_DISTRIBUTIONS = {"disclosure_lag_months": 0.0, "phase1_mw": 1e-9, "total_mw": 1e-9,
                       "lead_months": 0.0, "step_months": 0.0}
"""The prior's distributions (and the least value each takes), which a revision may change."""
PRIOR_REVISION = ("public", *PRIOR_DISTRIBUTIONS, *PROVENANCE)
OBSERVED_RECORD = ("id", "kind", "recipient", "happened", "public", "gpus", "score", "note",
                   "planned", *PROVENANCE)
PLAN_RECORD = ("public", "happened", *PROVENANCE)
DATED_KINDS = ("first_arrival", "first_service")
"""Kinds of event whose date is observed (the others count GPUs by a date)."""


def parse_dist(rec: Record, name: str, spec: Any, low: float):
    """``spec`` as a distribution of field ``name`` of ``rec``, its values at least ``low``;
    a bad one is refused in one line naming the record and the field."""
    try:
        return distributions.parse(name, spec, low=low)
    except InputError as err:
        rec.fail(name, f"{err.problem}")


def read_prior(folder: Path, sources) -> tuple[Prior | None, tuple[Revision, ...]]:
    """The prior, and its revisions (a distribution set again from later evidence, used
    only from the day that evidence became public)."""
    if not os.path.lexists(folder / "priors.yaml"):
        return None, ()
    data = load_file(folder, "priors.yaml", "prior")
    rec = Record("seeds/priors.yaml", "prior", data.get("prior"), PRIOR_RECORD)
    rec.provenance(sources)

    def shares(name: str, keys: tuple[str, ...]) -> dict[str, float]:
        value = rec.get(name)
        if not isinstance(value, dict) or set(value) != set(keys):
            rec.fail(name, f"={value!r} must give {', '.join(keys)}")
        return {k: _probability(rec, f"{name}.{k}", v) for k, v in value.items()}

    def dist(name: str, low: float = 0.0):
        return parse_dist(rec, name, rec.get(name), low)

    kinds = shares("kind", KINDS)
    if abs(sum(kinds.values()) - 1) > 1e-6:
        rec.fail("kind", f"shares sum to {sum(kinds.values()):g}; they must sum to 1")
    lead_by_kind = rec.get("lead_by_kind_months")
    if not isinstance(lead_by_kind, dict) or set(lead_by_kind) != set(KINDS):
        rec.fail("lead_by_kind_months", f"must give {', '.join(KINDS)}")
    prior = Prior(dist("disclosure_lag_months"), _probability(rec, "capital_p",
                                                              rec.get("capital_p")),
                  kinds, dist("phase1_mw", 1e-9), dist("total_mw", 1e-9), dist("lead_months"),
                  {k: float(_finite(rec, f"lead_by_kind_months.{k}", v))
                   for k, v in lead_by_kind.items()},
                  dist("step_months"), shares("passed_p", REGIONS),
                  _probability(rec, "new_substation_p", rec.get("new_substation_p")),
                  rec.public())
    changes = revisions("seeds/priors.yaml", rec, sources, PRIOR_REVISION, lambda r: {
        name: parse_dist(r, name, r.get(name), low) for name, low in PRIOR_DISTRIBUTIONS.items()
        if name in r.data})
    if changes and changes[0].public < prior.public:
        rec.fail("revisions", f"[0] public {changes[0].public} is before the prior's own "
                              f"({prior.public})")
    return prior, changes


def _finite(rec: Record, name: str, value) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value or \
            abs(value) == float("inf"):
        rec.fail(name, f"={value!r} must be a finite number")
    return float(value)


def _probability(rec: Record, name: str, value) -> float:
    value = _finite(rec, name, value)
    if not 0 <= value <= 1:
        rec.fail(name, f"={value!r} must be a probability in [0, 1]")
    return value


def read_observed(folder: Path, sources, recipients) -> tuple[Observed, ...]:
    file = "seeds/observed.yaml"
    if not os.path.lexists(folder / "observed.yaml"):
        return ()
    out = []
    for rec in records(file, load_file(folder, "observed.yaml", "observed"), "observed", "id",
                       "event", OBSERVED_RECORD):
        rec.provenance(sources)
        kind = rec.choice("kind", OBSERVED_KINDS)
        out.append(Observed(str(rec.get("id")), kind, rec.choice("recipient", recipients, None),
                            window(rec, "happened"), rec.public(), _count(rec),
                            bool(rec.get("score", True)), _plans(rec, kind, sources)))
        if kind != "context" and out[-1].recipient is None:
            rec.fail("recipient", f"is missing: a {kind} event belongs to a recipient")
    return tuple(out)


def _plans(rec: Record, kind: str, sources) -> tuple[Plan, ...]:
    """The dates announced for the event before it (``planned:``, a list of ``public``,
    ``happened`` and sources), each public before the event was."""
    items = rec.get("planned", None)
    if items is None:
        return ()
    if kind not in DATED_KINDS or not isinstance(items, list) or not items:
        rec.fail("planned", f"={items!r} must be a non-empty list of plans (public, happened, "
                            f"sources), on a {' or '.join(DATED_KINDS)} event")
    out = []
    for i, item in enumerate(items):
        plan = Record(rec.where.split(": ")[0], f"{rec.label} planned[{i}]", item, PLAN_RECORD)
        plan.provenance(sources)
        public = plan.public()
        if public > rec.public():
            plan.fail("public", f"={public} is after the event's own public date "
                                f"{rec.public()}: a plan is what was said before")
        out.append(Plan(public, window(plan, "happened")))
    return tuple(sorted(out, key=lambda p: p.public))


def revisions(file: str, rec: Record, sources, allowed, fields_of) -> tuple[Revision, ...]:
    """The record's ``revisions:``, each checked by ``fields_of`` and public in order."""
    raw = rec.get("revisions", [])
    if not isinstance(raw, list):
        rec.fail("revisions", f"={raw!r} must be a list of revisions")
    out = []
    for j, item in enumerate(raw):
        rv = Record(file, f"{rec.label} revisions[{j}]", item, allowed)
        rv.provenance(sources)
        out.append(Revision(rv.public(), fields_of(rv)))
    if any(b.public < a.public for a, b in zip(out, out[1:])):
        rec.fail("revisions", "must be in the order they became public")
    return tuple(out)


def window(rec: Record, name: str) -> tuple[date, date]:
    value = rec.get(name)
    if not isinstance(value, list):
        when = rec.date(name)
        return when, when
    if len(value) != 2:
        rec.fail(name, f"={value!r} must be a date or [earliest, latest]")
    pair = Record(rec.where.split(": ")[0], f"{rec.label} {name}",
                  {"earliest": value[0], "latest": value[1]})
    first, last = pair.date("earliest"), pair.date("latest")
    if last < first:
        rec.fail(name, f"={value!r} ends before it starts")
    return first, last


def _count(rec: Record) -> tuple[int, int] | None:
    value = rec.get("gpus", None)
    if value is None:
        return None
    if value == 0 and type(value) is int:  # "none yet": the stream's report that nothing had
        return 0, 0                          # reached the stage by then
    if not isinstance(value, list):
        n = int(rec.positive("gpus", int))
        return n, n
    pair = Record(rec.where.split(": ")[0], f"{rec.label} gpus",
                  {"low": value[0] if value else None, "high": value[-1] if value else None})
    low, high = int(pair.positive("low", int)), int(pair.positive("high", int))
    if len(value) != 2 or high < low:
        rec.fail("gpus", f"={value!r} must be a count or [low, high]")
    return low, high
