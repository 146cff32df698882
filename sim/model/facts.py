"""Observed events taken as fact: they pin a recipient's lots to the days they were reported,
and say up to when each stream of reports is complete.

A run as of date D knows what was public and had happened by D (``seeds/observed.yaml``):
the government's first GPUs arrived about 2025-12-01 and all 10,080 B200 by mid-December,
the first users were served in February 2026. Those lots reach those stages by those days.

An observation that is a range is drawn within it, once per replication (:func:`drawn`): a
window of dates ``[a, b]`` gives a day in it, a count of ``[low, high]`` GPUs a count in
it, each from the run's own uniform for the event, so the facts' uncertainty is carried
into the forecast rather than pinned at one end. The counts of one stream (one recipient,
one stage) are drawn so that they never fall over time. A drawn count pins the lots that
make it up (the first ones, ordered first) to its day, and a first arrival or first
service the first lot. An arrival is not simulated at all for a pinned lot (it arrives on
the day); a lot pinned as installed or in service gets its drawn day or the pinned one,
whichever is earlier.

What is not recorded is not taken as not having happened. A stream is complete only up to
its last report: a count of c GPUs on day t says that lots beyond the first c had not
reached the stage by t (a count of 0 says so of every lot), and a first arrival or first
service on day d says no lot had reached it before d. Those days are the lots' *floors*
(:func:`floor_days`); after them the model forecasts, up to and beyond the as-of date. A
lot drawn to reach the stage before its floor had not, so it takes the stage's last step
(transit, acceptance) again from the floor: the forecast goes on from the report without a
jump on the report's day. A stream with no report has no floor.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from sim.calendar import to_day
from sim.seeds.data import Observed

STAGE_OF = {"first_arrival": "arrived", "arrived": "arrived", "installed": "installed",
            "first_service": "operational", "in_service": "operational"}
"""The lot stage each kind of observed event reports."""
FLOORED = ("arrived", "operational")
"""Stages whose streams of reports put floors under the lots they do not count."""


@dataclass(frozen=True)
class Report:
    """An observed event as one replication takes it: its day, and its count of GPUs (None
    for a first arrival or first service), each drawn within what was observed."""

    kind: str
    recipient: str
    day: float
    gpus: float | None = None

    @property
    def stage(self) -> str:
        return STAGE_OF[self.kind]


def drawn(facts: tuple[Observed, ...], uniform: Callable[[str, str], float]
          ) -> list[Report]:
    """The facts that report a lot stage, each drawn within its window and range by
    ``uniform(name, fact id)`` (a uniform in [0, 1)), in the order they happened. A
    stream's reports never go back: a day is drawn in the part of its window after the
    stream's last report, and a count between the count before it and the lowest high to
    come."""
    found = sorted((f for f in facts if f.kind in STAGE_OF and f.recipient is not None),
                   key=lambda f: (f.happened[1], f.happened[0]))
    out, last_day, last_gpus = [], {}, {}
    for k, fact in enumerate(found):
        stream = (fact.recipient, STAGE_OF[fact.kind])
        first, end = (to_day(d) for d in fact.happened)
        first = min(max(first, last_day.get(stream, 0.0)), end)  # after the last report
        day = max(first + uniform("report_day", fact.id) * (end - first),
                  last_day.get(stream, 0.0))
        gpus = None
        if fact.gpus is not None:
            low = max(fact.gpus[0], last_gpus.get(stream, 0.0))
            high = max(low, min(f.gpus[1] for f in found[k:] if f.gpus is not None and
                                (f.recipient, STAGE_OF[f.kind]) == stream))
            gpus = last_gpus[stream] = low + uniform("report_gpus", fact.id) * (high - low)
        last_day[stream] = day
        out.append(Report(fact.kind, fact.recipient, day, gpus))
    return out


def pinned_days(reports: list[Report], recipient: str, lot_gpus: np.ndarray
                ) -> dict[str, np.ndarray]:
    """For each stage an observed fact may report, the day each of the recipient's lots
    reached it by (NaN: not pinned). A count of GPUs pins the lots that make it up, the
    first ones; a first arrival or first service pins the first lot."""
    cum = np.cumsum(lot_gpus)
    pins = {stage: np.full(len(lot_gpus), np.nan) for stage in set(STAGE_OF.values())}
    for report in sorted(reports, key=lambda r: r.day):
        if report.recipient != recipient:
            continue
        days = pins[report.stage]
        if report.gpus is None:  # a first arrival or service: the first lot
            covered = np.arange(len(cum)) == 0
        else:  # a count pins the lots it covers whole (none for a count of 0)
            covered = cum <= report.gpus
        days[covered & np.isnan(days)] = report.day
    return pins


def floor_days(reports: list[Report], recipient: str, lot_gpus: np.ndarray
               ) -> dict[str, np.ndarray]:
    """For each stage of :data:`FLOORED`, the day before which, as the recipient's reports
    say, each of its lots had not reached it (0: they say nothing)."""
    cum = np.cumsum(lot_gpus)
    floors = {stage: np.zeros(len(lot_gpus)) for stage in FLOORED}
    for report in reports:
        if report.stage not in floors or report.recipient != recipient:
            continue
        beyond = np.ones(len(cum), bool) if report.gpus is None else cum > report.gpus
        floors[report.stage][beyond] = np.maximum(floors[report.stage][beyond], report.day)
    return floors


def after_floor(days: np.ndarray, floor: np.ndarray, step: np.ndarray) -> np.ndarray:
    """``days``, but a lot drawn to reach the stage before its floor takes the stage's last
    ``step`` again from the floor."""
    return np.where(days < floor, floor + step, days)
