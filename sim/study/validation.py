"""How good were the forecasts? Hindcasts as of past dates, scored against what happened.

A forecast as of date D (:func:`sim.seeds.data.view`) knows only what was public by D. Every
observed quantity that became public after D is a *target* for it (:func:`targets`):

- from ``seeds/observed.yaml``: a recipient's first arrival and first service (dates), and
  its GPUs arrived, installed or in service by a date (counts, or [low, high] where sources
  disagree);
- from ``seeds/sites.yaml``: each revised announced ready date of a site's first phase, and
  a recipient's first disclosed site (Hyundai's Saemangeum, 2026-02-24), whose date a
  forecast made before it knew only from the undisclosed-site prior.

For each target, the forecast is the distribution of that quantity over the replications
(:func:`measure`), and :func:`score` reports whether the observation fell inside the P10-P90
range, its percentile in the forecast (the probability integral transform, PIT), the P50's
error, and the continuous ranked probability score (CRPS, from ``scoringrules``). Over all
targets, a calibrated forecast puts ~80 % of observations inside its P10-P90 and spreads the
PITs evenly (:func:`calibration`).
"""

from __future__ import annotations

import calendar
import math
from dataclasses import dataclass
from datetime import date

import numpy as np
import scoringrules

from sim.calendar import to_day
from sim.model.output import RunOutput
from sim.model.world import simulate
from sim.seeds.data import SeedData
from sim.study.montecarlo import chunks
from sim.study.workers import Pool

DATE_KINDS = ("first_arrival", "first_service", "site_ready")
STAGE = {"first_arrival": "arrived", "arrived": "arrived", "installed": "installed",
         "first_service": "operational", "in_service": "operational"}
NOT_REACHED = 1e6
"""A date not reached by the horizon, in days: later than any that was."""


@dataclass(frozen=True)
class Target:
    """One observed quantity a forecast is scored against."""

    id: str
    kind: str
    recipient: str | None
    site: str | None
    by: date
    """The date a count is taken at (the end of its window); the observed date for a date."""
    low: float
    high: float
    """The observation: model days for a date, GPUs for a count; low < high where sources
    give a range or a window."""
    public: date
    label: str

    @property
    def unit(self) -> str:
        return "days" if self.kind in DATE_KINDS else "GPUs"


def targets(seed_data: SeedData) -> list[Target]:
    """What a forecast as of ``seed_data.as_of`` is scored against: everything observed that
    became public later (observed events, and sites' revised or first announced dates)."""
    out = []
    names = {a.recipient: a.name for a in seed_data.allocations}
    for o in seed_data.targets:
        if o.kind in DATE_KINDS:
            low, high = to_day(o.happened[0]), to_day(o.happened[1])
        else:
            low, high = o.gpus
        what = o.kind.replace("_", " ")
        out.append(Target(o.id, o.kind, o.recipient, None, o.happened[1], low, high, o.public,
                          f"{names.get(o.recipient, o.recipient).split(' (')[0]}: {what}"
                          + (f" by {o.happened[1]}" if o.kind not in DATE_KINDS else "")))
    out += _site_targets(seed_data)
    return out


def _site_targets(seed_data: SeedData) -> list[Target]:
    """Revised first-phase dates of sites known on the as-of date, and the first site of a
    recipient that had none (its undisclosed site stands for it)."""
    as_of, records = seed_data.as_of, seed_data.records
    known = {s.id for s in seed_data.sites}
    recipients_with_sites = {s.recipient for s in seed_data.sites}
    out = []
    for site, revisions in records.sites:
        versions = [(r.public, r.fields.get("phases")) for r in revisions if r.public > as_of]
        if site.id not in known:
            if site.recipient in recipients_with_sites or site.public is None:
                continue
            versions = [(site.public, site.phases)] + versions
            stands_for = f"{site.recipient}_undisclosed_1"
        else:
            stands_for = site.id
        for public, phases in versions:
            if not phases or not isinstance(phases[0].ready, date):
                continue
            day = to_day(phases[0].ready)
            out.append(Target(f"{site.id}@{public}", "site_ready", site.recipient, stands_for,
                              phases[0].ready, day, day, public,
                              f"{site.name.split(',')[0].split(' (')[0]}: first MW ready "
                          f"(as announced on {public})"))
    return out


def measure(out: RunOutput, target: Target) -> float:
    """The target's quantity in one replication: a day (``NOT_REACHED`` if never) or GPUs."""
    if target.kind == "site_ready":
        rows = out.sites[out.sites["site"] == target.site]
        day = rows["first_ready_day"].iloc[0] if len(rows) else None
        return NOT_REACHED if day is None or not math.isfinite(day) else float(day)
    days = out.columns[STAGE[target.kind]]
    mine = out.masks.get(target.recipient)
    days, gpus = days[mine], out.columns["gpus"][mine]
    if target.kind in DATE_KINDS:
        return float(np.nanmin(days)) if np.isfinite(days).any() else NOT_REACHED
    return float(gpus[days <= to_day(target.by)].sum())


def score(samples: np.ndarray, target: Target) -> dict:
    """How the forecast ``samples`` of a target fared against its observation."""
    p10, p50, p90 = np.percentile(samples, [10, 50, 90], method="inverted_cdf")
    middle = (target.low + target.high) / 2
    inside = bool(target.high >= p10 and target.low <= p90)
    if target.low <= p50 <= target.high:
        error = 0.0
    else:
        error = float(p50 - (target.high if p50 > target.high else target.low))
    return {"p10": float(p10), "p50": float(p50), "p90": float(p90), "inside_p10_p90": inside,
            "pit": float(np.mean(samples < middle) + 0.5 * np.mean(samples == middle)),
            "p50_error": error,
            "crps": float(scoringrules.crps_ensemble(middle, samples))}


def calibration(scores: list[dict]) -> dict:
    """Over all scored targets: the share inside P10-P90 (80 % if calibrated), the PITs'
    spread (a histogram of five bins, each ~20 % if calibrated) and the mean CRPS by unit."""
    n = len(scores)
    pits = np.array([s["pit"] for s in scores])
    out = {"scored": n,
           "share_inside_p10_p90": float(np.mean([s["inside_p10_p90"] for s in scores]))
           if n else None,
           "pit_histogram": np.histogram(pits, bins=5, range=(0, 1))[0].tolist() if n else [],
           "mean_pit": float(pits.mean()) if n else None}
    for unit in ("days", "GPUs"):
        crps = [s["crps"] for s in scores if s["unit"] == unit]
        out[f"mean_crps_{unit.lower()}"] = float(np.mean(crps)) if crps else None
    return out


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
    """Every target of the forecast as of ``seed_data.as_of``, scored: a row each."""
    found = targets(seed_data)
    if not found:
        return []
    samples = forecast(cfg, seed_data, found, replications, pool)
    rows = []
    for k, target in enumerate(found):
        rows.append({"as_of": seed_data.as_of.isoformat(), "target": target.id,
                     "label": target.label, "kind": target.kind,
                     "recipient": target.recipient, "unit": target.unit,
                     "observed_low": target.low, "observed_high": target.high,
                     "public": target.public.isoformat(),
                     **score(samples[:, k], target)})
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
