"""Installation: a lot that has arrived waits for powered room, is installed, and burnt in.

A recipient's waiting lots take room first come, first served, at the first of its sites (in
``seeds/sites.yaml`` order, then any capacity open to all) with room for the whole lot:
lot GPUs × ``hardware.facility_kw_per_gpu``. A placed lot draws that power from then on.

Each site has one install crew that racks ``install.racks_per_week`` lots a week, in the
order they were placed. Burn-in then takes ``install.burnin_days``; with probability
``install.burnin_fail_p`` the lot fails (GB200 racks had yield problems in 2025), waits
``install.replace_days`` for parts and burns in again. Then it is operational. Draws are keyed
by recipient and lot number.

Because the crew is the only shared state after placement, a lot's install and burn-in
times are settled when it is placed: the model writes them into the lot's history then,
rather than stepping a process through them. Lots still waiting at the horizon are
*stranded*. Left out: a second burn-in failure, and crews moving between sites.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from sim.model.calendar import DAYS_PER_WEEK
from sim.model.demand import Recipient
from sim.model.params import positive, probability, uncertain
from sim.model.sites import Site

ROOM_TOLERANCE_KW = 1e-6


@dataclass
class InstallConfig:
    racks_per_week: float = positive(label="racks installed per week per site")
    burnin_days: Any = uncertain(label="burn-in time (days)")
    burnin_fail_p: float = probability(excluded=0.0, label="burn-in failure chance per rack")
    replace_days: Any = uncertain(matters=lambda cfg: cfg.install.burnin_fail_p > 0,
                                label="failed rack repair time (days)")


class Installation:
    """Places waiting lots in powered room and settles their racking and burn-in.

    ``recipients`` are the run's recipients by id (filled when the pledge opens them).
    """

    def __init__(self, run, cfg: InstallConfig, recipients: dict[str, Recipient]):
        self.run = run
        self.cfg = cfg
        self.recipients = recipients
        self.crew_free_day: dict[int, float] = {}
        """For each site (by index), when its install crew can start the next rack."""

    def offer_room(self, recipient_id: str | None) -> None:
        """New powered room: let one recipient's waiting lots (or, for None, everyone's)
        take it."""
        if recipient_id is None:
            chosen = list(self.recipients.values())
        else:
            chosen = [self.recipients[recipient_id]] if recipient_id in self.recipients else []
        for recipient in chosen:
            self.place_waiting(recipient)

    def place_waiting(self, recipient: Recipient) -> None:
        """Place the recipient's waiting lots, in arrival order, while any site has room."""
        while recipient.waiting:
            first, end = recipient.waiting[0]
            need = np.cumsum(recipient.kw[first:end])
            for site in recipient.sites:
                fits = int(np.searchsorted(need, site.room_kw + ROOM_TOLERANCE_KW,
                                           side="right"))
                if fits:
                    break
            else:
                return
            self.commission(recipient, site, first, first + fits)
            if first + fits == end:
                recipient.waiting.popleft()
            else:
                recipient.waiting[0] = (first + fits, end)

    def commission(self, recipient: Recipient, site: Site, first: int, end: int) -> None:
        """Place lots ``first..end-1`` at ``site``; schedule racking, burn-in, any replacement."""
        cfg, days, draws = self.cfg, recipient.days, self.run.draws
        now = self.run.env.now
        n = recipient.n_lots
        site.drawn_kw += float(recipient.kw[first:end].sum())
        rack_days = DAYS_PER_WEEK / cfg.racks_per_week
        start = max(now, self.crew_free_day.get(site.index, 0.0))
        installed = start + rack_days * np.arange(1, end - first + 1)
        self.crew_free_day[site.index] = float(installed[-1])
        burnin = draws.per_lot("install.burnin_days", recipient.id, n)[first:end]
        failed = draws.occurs_per_lot("install.burnin_fail_p", recipient.id, n)[first:end]
        replace = draws.per_lot("install.replace_days", recipient.id, n)[first:end]
        days["placed"][first:end] = now
        days["installed"][first:end] = installed
        days["burnin_failed"][first:end] = np.where(failed, installed + burnin, np.nan)
        days["operational"][first:end] = installed + burnin + np.where(failed, replace + burnin,
                                                                      0)
        recipient.site_of[first:end] = site.index
