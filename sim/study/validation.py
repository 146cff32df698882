"""How good were the forecasts? Hindcasts as of past dates, scored against what happened.

A forecast as of date D (:func:`sim.seeds.data.view`) knows only what was public by D. Every
observed *outcome* that became public after D is a target for it (:func:`targets`): from
``seeds/observed.yaml``, a recipient's first arrival and first service (dates), and its
GPUs arrived, installed or in service by a date (counts, or [low, high] where sources
disagree). Announcements are not outcomes: a site's revised ready date says what a firm
said, and the model forecasts when sites are ready, not what will be announced, so no
announcement is scored. No site's energization or service has been observed yet.

For each target the forecast is the distribution of that quantity over the replications
(:func:`measure`); :mod:`sim.study.verification` scores it against the observation and
against a reference forecast (:mod:`sim.study.reference`), and sums up the scores.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

import numpy as np

from sim.calendar import to_day
from sim.model.facts import STAGE_OF
from sim.model.output import RunOutput
from sim.model.world import simulate
from sim.seeds.data import Observed, SeedData
from sim.study.montecarlo import chunks
from sim.study.reference import reference
from sim.study.verification import score
from sim.study.workers import Pool

DATE_KINDS = ("first_arrival", "first_service")


@dataclass(frozen=True)
class Target:
    """One observed outcome a forecast is scored against."""

    id: str
    kind: str
    recipient: str | None
    by: date
    """The date a count is taken at (the end of its window); the observed date for a date."""
    low: float
    high: float
    """The observation: model days for a date, GPUs for a count; low < high where sources
    give a range or a window."""
    public: date
    label: str
    event: Observed | None = None

    @property
    def unit(self) -> str:
        return "days" if self.kind in DATE_KINDS else "GPUs"


def targets(seed_data: SeedData) -> list[Target]:
    """What a forecast as of ``seed_data.as_of`` is scored against: every observed outcome
    that became public later."""
    out = []
    names = {a.recipient: a.name for a in seed_data.allocations}
    for o in seed_data.targets:
        if o.kind in DATE_KINDS:
            low, high = to_day(o.happened[0]), to_day(o.happened[1])
        else:
            low, high = o.gpus
        what = o.kind.replace("_", " ")
        out.append(Target(o.id, o.kind, o.recipient, o.happened[1], low, high, o.public,
                          f"{names.get(o.recipient, o.recipient).split(' (')[0]}: {what}"
                          + (f" by {o.happened[1]}" if o.kind not in DATE_KINDS else ""), o))
    return out


def measure(out: RunOutput, target: Target) -> float:
    """The target's quantity in one replication: a day (the day after the horizon if never
    reached: later than any that was) or GPUs."""
    mine = out.masks.get(target.recipient)
    return measured(out.columns[STAGE_OF[target.kind]][mine], out.columns["gpus"][mine],
                    target, out.horizon_day)


def measured(days: np.ndarray, gpus: np.ndarray, target: Target, horizon_day: float) -> float:
    """:func:`measure` from the recipient's lots: the day each reached the target's stage
    (NaN: not by the horizon) and their GPUs."""
    if target.kind in DATE_KINDS:
        return float(np.nanmin(days)) if np.isfinite(days).any() else horizon_day + 1
    return float(gpus[days <= to_day(target.by)].sum())


def _measure_chunk(cfg, seed_data: SeedData, indices: range, found: list[Target]
                   ) -> np.ndarray:
    return np.array([[measure(simulate(cfg, seed_data, i), t) for t in found]
                     for i in indices]).reshape(len(indices), len(found))


def forecast(cfg, seed_data: SeedData, found: list[Target], replications: int,
             pool: Pool | None = None) -> np.ndarray:
    """Each target's quantity in each of ``replications`` replications of ``cfg`` as of
    ``seed_data.as_of``: shape (replications, targets). The same on any workers."""
    results = list((pool or Pool()).run(_measure_chunk, [(cfg, seed_data, r, found)
                                                         for r in chunks(replications)]))
    return np.vstack(results) if results else np.zeros((0, len(found)))


def hindcast(cfg, seed_data: SeedData, replications: int, pool: Pool | None = None
             ) -> list[dict]:
    """Every target of the forecast as of ``seed_data.as_of``, scored against what happened
    and against the reference forecast: a row each."""
    found = targets(seed_data)
    if not found:
        return []
    samples = forecast(cfg, seed_data, found, replications, pool)
    rows = []
    for k, target in enumerate(found):
        ref = reference(target.event, seed_data)
        rows.append({"forecast": "hindcast", "as_of": seed_data.as_of.isoformat(),
                     "target": target.id,
                     "label": target.label, "kind": target.kind,
                     "recipient": target.recipient, "unit": target.unit,
                     "observed_low": target.low, "observed_high": target.high,
                     "by": target.by.isoformat(), "public": target.public.isoformat(),
                     "lead_days": (target.by - seed_data.as_of).days,
                     **score(samples[:, k], target.low, target.high,
                             f"{target.id}@{seed_data.as_of}", ref)})
    return rows


def grid(first: date, last: date) -> list[date]:
    """The as-of dates to hindcast from: ``first``, then each month's last day up to ``last``
    (a monthly grid: the observed record changes a few times a month at most)."""
    out, year, month = [first], first.year, first.month
    while True:
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        day = date(year, month, calendar.monthrange(year, month)[1])
        if day > last:
            return out
        out.append(day)
