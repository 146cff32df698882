"""The GPU working group's yearly plan: each year's orders go to the year's national powered room.

MSIT set up a GPU working group with Samsung, Hyundai, SKT and Naver Cloud on 2025-11-27
(zdnet_2025_11_27); the firms set their yearly supply with the government, and "the 260k is
a plan to 2030" (fnnews_2025_12_12). Under ``demand.reallocation=national`` the model reads
that as a plan of GPUs per year per recipient, revised every year: on 1 January of each year
from :data:`FIRST_YEAR` (the first year start after the group's first plans),

1. the plan takes the powered room each site will have by the year's end less what is drawn,
   and the room each recipient needs this year: its lots ordered and not yet placed, and its
   lots already wanted by the year's end (:meth:`Year.needs`);
2. each recipient's needs take its own sites' room first, then the room open to all (the
   colocation pool), then any other recipient's room left over; what is left is the year's
   *spare* room, a curve over the year as sites come on;
3. the lots wanted soonest after the year's end, whoever they belong to, are wanted earlier
   instead: each ``demand.order_ahead_months`` before the day the spare room can hold it
   (never before the plan), as many as the spare room holds (:func:`plan_year`).

So a recipient whose own sites are late orders GPUs ahead for another recipient's energized
room; where an arrived lot may then run is :mod:`sim.model.installation`'s (a lot keeps its
recipient wherever it runs). The lots only move earlier: none is added or lost, so every GPU
is still accounted for.

Left out: a plan that errs (it knows the room its sites will have within the year: they
report to the group), trading allocations between recipients, the plan's own negotiation
(who gives room to whom), and plans that move lots later.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Callable

import numpy as np

from sim.calendar import DAYS_PER_MONTH, to_day
from sim.model.demand import Block, DemandConfig, Recipient
from sim.model.run import Run
from sim.model.sites import Site

FIRST_YEAR = 2026
"""The first year the working group plans (launched 2025-11-27: zdnet_2025_11_27; yearly
supply plans from 2025-12-12: fnnews_2025_12_12)."""


@dataclass
class Year:
    """The room of one plan year, ``start`` to ``end`` (days)."""

    start: float
    end: float
    sites: list[Site]

    def free_by(self, site: Site, day: float) -> float:
        """The site's kW energized by ``day`` less what its lots draw now."""
        return sum(kw for d, kw in site.steps if d <= day) - site.drawn_kw

    def needs(self, recipient: Recipient) -> tuple[float, int]:
        """The kW the recipient needs this year (lots ordered and not placed, and lots wanted
        by the year's end) and how many lots not yet ordered are wanted by then."""
        days = recipient.days
        pending = ~np.isnan(days["ordered"]) & np.isnan(days["placed"])
        due = sum(b.lots for b in recipient.blocks if b.wanted <= self.end)
        first = recipient.ordered
        return (float(recipient.lot_kw[pending].sum()) + recipient.kw_before[first + due]
                - recipient.kw_before[first], due)

    def spare(self, recipients: list[Recipient]) -> tuple[np.ndarray, np.ndarray]:
        """The days the year's room grows and the spare kW from each: every site's room by
        then less every recipient's needs (in a national plan any lot may run at any site,
        so a recipient's needs take its own room first and the rest from anyone's)."""
        days = np.array(sorted({self.start, *(d for s in self.sites for d, _ in s.steps
                                             if self.start < d <= self.end)}))
        needs = sum(self.needs(r)[0] for r in recipients)
        return days, np.array([sum(self.free_by(s, d) for s in self.sites) for d in days]) \
            - needs


def plan_year(year: Year, recipients: list[Recipient], lead_days: float) -> dict[str, int]:
    """Move the lots wanted soonest after the year's end into the year's spare room (blocks
    wanted ``lead_days`` before the room holds them); the GPUs moved, by recipient."""
    days, spare = year.spare(recipients)
    if not len(days) or spare[-1] <= 0:
        return {}
    later = sorted(((b.wanted, r.id, i, r, b) for r in recipients
                    for i, b in enumerate(r.blocks) if b.lots and b.wanted > year.end),
                   key=lambda t: t[:3])
    start = {r.id: r.ordered + year.needs(r)[1] for r in recipients}
    taken, moved = 0.0, {}
    for _, rid, _, recipient, block in later:
        first = start[rid]
        kw = np.asarray(recipient.kw_before[first + 1:first + block.lots + 1]) - \
            recipient.kw_before[first] + taken
        when = np.searchsorted(spare, kw - 1e-6)
        fits = int(np.searchsorted(when, len(days)))
        if not fits:
            break
        for k in np.unique(when[:fits]):
            lots = int(np.sum(when[:fits] == k))
            recipient.blocks.append(Block(max(year.start, float(days[k]) - lead_days), lots,
                                          planned=True))
        block.lots -= fits
        taken = float(kw[fits - 1])
        start[rid] = first + fits
        moved[rid] = moved.get(rid, 0) + recipient.gpus_before[first + fits] - \
            recipient.gpus_before[first]
        if fits < len(kw):
            break
    for r in recipients:
        r.blocks = [b for b in r.blocks if b.lots]
    return moved


def yearly(run: Run, cfg: DemandConfig, recipients: list[Recipient], sites: list[Site],
           on_change: Callable[[], None]):
    """Process: the plan of each year from :data:`FIRST_YEAR` to the horizon's."""
    lead = cfg.order_ahead_months * DAYS_PER_MONTH
    year = FIRST_YEAR
    while True:
        start, end = to_day(date(year, 1, 1)), to_day(date(year + 1, 1, 1))
        if start >= run.horizon_day or all(r.ordered >= r.n_lots for r in recipients):
            return
        yield run.env.timeout(max(0.0, start - run.env.now))
        moved = plan_year(Year(run.env.now, end, sites), recipients, lead)
        for rid, gpus in moved.items():
            run.timeline.record(run.env.now, "national_plan", rid, gpus=int(gpus))
        if moved:
            on_change()
        year += 1
