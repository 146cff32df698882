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

from typing import TYPE_CHECKING

import numpy as np

from sim.calendar import DAYS_PER_WEEK

if TYPE_CHECKING:
    from sim.demand import Recipient
    from sim.model import World
    from sim.sites import Site

ROOM_TOLERANCE_KW = 1e-6


def place_waiting(world: World, recipient: Recipient) -> None:
    """Place the recipient's waiting lots, in arrival order, while any site has room."""
    while recipient.waiting:
        first, end = recipient.waiting[0]
        need = np.cumsum(recipient.kw[first:end])
        for site in recipient.sites:
            fits = int(np.searchsorted(need, site.room_kw + ROOM_TOLERANCE_KW, side="right"))
            if fits:
                break
        else:
            return
        commission(world, recipient, site, first, first + fits)
        if first + fits == end:
            recipient.waiting.popleft()
        else:
            recipient.waiting[0] = (first + fits, end)


def commission(world: World, recipient: Recipient, site: Site, first: int, end: int) -> None:
    """Place lots ``first..end-1`` at ``site``; schedule racking, burn-in, any replacement."""
    cfg, days = world.cfg.install, recipient.days
    now = world.env.now
    site.drawn_kw += float(recipient.kw[first:end].sum())
    rack_days = DAYS_PER_WEEK / cfg.racks_per_week
    start = max(now, site.crew_free_day)
    installed = start + rack_days * np.arange(1, end - first + 1)
    site.crew_free_day = float(installed[-1])
    burnin = world.draws("install.burnin_days", recipient, cfg.burnin_days)[first:end]
    failed = world.draws("install.burnin_fail_p", recipient, UNIFORM)[first:end] < \
        cfg.burnin_fail_p
    replace = world.draws("install.replace_days", recipient, cfg.replace_days)[first:end]
    days["placed"][first:end] = now
    days["installed"][first:end] = installed
    days["burnin_failed"][first:end] = np.where(failed, installed + burnin, np.nan)
    days["operational"][first:end] = installed + burnin + np.where(failed, replace + burnin, 0)
    recipient.site_of[first:end] = site.index


class _Identity:
    """The draw itself: a uniform, for a yes/no with a probability."""

    @staticmethod
    def ppf(u):
        return u


UNIFORM = _Identity()
