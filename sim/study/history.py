"""The forecast's history: the headline as of every month-end since the pledge, and what
moved it.

For each as-of date D of the grid (:func:`sim.study.validation.grid`), the headline (the
P10, P50 and P90 of the day all the pledge is operational, P(all by 2030) and each
recipient's own target) is forecast with what was public by D: the seed records and the
dated assumptions in force then. Between two dates, the records that became public in
between (:func:`items`: an observed event, a site or tranche as reported on a day, a deal,
a revision of the prior or of a dated assumption) are added one at a time, oldest first,
and each step is forecast again with the same replications (common random numbers), so
each record's move of the P50 is its own: the moves of a month add up to the month's move.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import date

import numpy as np

from sim.calendar import to_day
from sim.model import dated
from sim.model.world import simulate
from sim.seeds.data import Records, view
from sim.study import metrics
from sim.study.montecarlo import chunks
from sim.study.targets import DEADLINE, own_targets
from sim.study.workers import Pool


@dataclass(frozen=True)
class Item:
    """A record that became public on ``public``: ``kind`` and ``id`` say which."""

    kind: str
    id: str
    public: date

    @property
    def label(self) -> str:
        return f"{self.kind} {self.id}"


def _between(day, first: date, last: date) -> bool:
    return day is not None and first < day <= last


def _reported(record, revisions) -> set[date]:
    """The days a site or tranche was reported on: its own, its revisions', its phases'."""
    days = {record.public, *(r.public for r in revisions)}
    days |= {p.public for p in getattr(record, "phases", ()) if p.public}
    for r in revisions:
        days |= {p.public for p in r.fields.get("phases", ()) if getattr(p, "public", None)}
    return {d for d in days if d is not None}


def items(records: Records, raw, first: date, last: date) -> list[Item]:
    """Every record public after ``first`` and by ``last``, oldest first."""
    found = [Item("observed", o.id, o.public) for o in records.observed
             if _between(o.public, first, last)]
    found += [Item("deal", k, d.public) for k, d in records.deals.items()
              if _between(d.public, first, last)]
    for kind, table in (("site", records.sites), ("tranche", records.tranches)):
        found += [Item(kind, f"{rec.id}@{day}", day) for rec, revisions in table
                  for day in _reported(rec, revisions) if _between(day, first, last)]
    found += [Item("prior", f"revision@{r.public}", r.public) for r in records.prior_revisions
              if _between(r.public, first, last)]
    found += [Item("assumption", f"{key}@{r.since}", r.since)
              for key, history in dated.history(raw).items() for r in history
              if _between(r.since, first, last)]
    return sorted(found, key=lambda i: (i.public, i.kind, i.id))


def _phases(phases, held_days: set[date]):
    return tuple(p for p in phases if getattr(p, "public", None) not in held_days)


def held(records: Records, hold: list[Item]) -> Records:
    """``records`` without the items ``hold``: as if they had not been made public yet."""
    ids = {(i.kind, i.id) for i in hold}

    def days(kind: str, rid: str) -> set[date]:
        return {i.public for i in hold if i.kind == kind and i.id.startswith(f"{rid}@")}

    def table(kind: str, rows):
        out = []
        for rec, revisions in rows:
            gone = days(kind, rec.id)
            if rec.public in gone:
                continue
            if hasattr(rec, "phases"):
                rec = replace(rec, phases=_phases(rec.phases, gone))
            kept = tuple(replace(r, fields={**r.fields, "phases": _phases(r.fields["phases"],
                                                                          gone)})
                         if "phases" in r.fields else r
                         for r in revisions if r.public not in gone)
            out.append((rec, kept))
        return tuple(out)

    return replace(
        records, observed=tuple(o for o in records.observed if ("observed", o.id) not in ids),
        deals={k: d for k, d in records.deals.items() if ("deal", k) not in ids},
        sites=table("site", records.sites), tranches=table("tranche", records.tranches),
        prior_revisions=tuple(r for r in records.prior_revisions
                              if ("prior", f"revision@{r.public}") not in ids))


def assumptions_held(raw, hold: list[Item]):
    """The composed config without the dated revisions among ``hold``."""
    out = set()
    for i in hold:
        if i.kind == "assumption":
            key, _, since = i.id.rpartition("@")
            out.add((key, date.fromisoformat(since)))
    return dated.without(raw, out) if out else raw


def headline_rows(cfg, seed_data, indices: range) -> np.ndarray:
    """Per replication: the all-operational day (inf if never), and 1/0 for each own
    target met."""
    total = sum(a.gpus for a in seed_data.allocations)
    rows = []
    for i in indices:
        out = simulate(cfg, seed_data, i)
        day = metrics.first_day_reaching(out, total)
        rows.append([math.inf if day is None else day,
                     *(float(metrics.operational_by(out, t.by, t.recipient) >= t.gpus)
                       for t in own_targets(seed_data))])
    return np.array(rows, float)


def headline(cfg, seed_data, replications: int, pool: Pool | None = None) -> dict:
    """The P10, P50 and P90 day of all operational (None past the horizon), P(all by
    2030) and each own target's share, over ``replications`` replications."""
    parts = (pool or Pool()).run(headline_rows, [(cfg, seed_data, r)
                                                   for r in chunks(replications)])
    values = np.vstack(list(parts))
    days = values[:, 0]
    out = {}
    for name, q in (("p10", 10), ("p50", 50), ("p90", 90)):
        d = float(np.percentile(days, q, method="inverted_cdf"))
        out[f"{name}_day"] = d if math.isfinite(d) else None
    out["p_all_by_2030"] = float(np.mean(days <= to_day(DEADLINE)))
    for k, t in enumerate(own_targets(seed_data)):
        out[t.p_key] = float(values[:, 1 + k].mean())
    return out


def as_of_config(prepared_raw, config_of, records: Records, as_of: date, horizon: date,
                 hold: list[Item]):
    """``(config, seed view)`` as of ``as_of`` with the items ``hold`` held back."""
    seed_data = view(held(records, hold), as_of, horizon)
    config, _ = config_of(assumptions_held(prepared_raw, hold), seed_data)
    return config, seed_data
