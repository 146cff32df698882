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
times are settled when it is placed: the model schedules its events then, rather than
stepping a process through them. Left out: a second burn-in failure, and crews moving
between sites.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sim.calendar import DAYS_PER_WEEK

if TYPE_CHECKING:
    from sim.demand import Lot, Recipient
    from sim.model import World
    from sim.sites import Site

ROOM_TOLERANCE_KW = 1e-6


def place_waiting(world: World, recipient: Recipient) -> None:
    """Place the recipient's waiting lots, in arrival order, while any site has room."""
    sites = [s for s in world.sites if s.recipient in (recipient.id, None)]
    while recipient.waiting:
        lot = recipient.waiting[0]
        site = next((s for s in sites if s.room_kw + ROOM_TOLERANCE_KW >= lot.kw), None)
        if site is None:
            return
        recipient.waiting.popleft()
        site.drawn_kw += lot.kw
        world.timeline.record(world.env.now, "placed", recipient.id, site.id, lot.index,
                              lot.gpus, lot.kw / 1000)
        commission(world, recipient, site, lot)


def commission(world: World, recipient: Recipient, site: Site, lot: Lot) -> None:
    """Schedule the placed lot's installation, burn-in and (if it fails) its replacement."""
    cfg, log = world.cfg.install, world.timeline.record
    rack_days = DAYS_PER_WEEK / cfg.racks_per_week
    start = max(world.env.now, site.crew_free_day)
    site.crew_free_day = start + rack_days
    installed = start + rack_days
    burnin = float(world.draws("install.burnin_days", recipient, cfg.burnin_days)[lot.index])
    ready = installed + burnin
    log(installed, "installed", recipient.id, site.id, lot.index, lot.gpus)
    failed = world.draws("install.burnin_fail_p", recipient, _UNIFORM)[lot.index] < \
        cfg.burnin_fail_p
    if failed:
        log(ready, "burnin_failed", recipient.id, site.id, lot.index, lot.gpus)
        ready += float(world.draws("install.replace_days", recipient,
                                   cfg.replace_days)[lot.index]) + burnin
    log(ready, "operational", recipient.id, site.id, lot.index, lot.gpus)


def strand_waiting(world: World) -> None:
    """At the horizon, every lot still waiting for room is stranded."""
    for recipient in world.recipients.values():
        for lot in recipient.waiting:
            world.timeline.record(world.horizon_day, "stranded", recipient.id, None,
                                  lot.index, lot.gpus)


class _Identity:
    """The draw itself: a uniform, for a yes/no with a probability."""

    @staticmethod
    def ppf(u):
        return u


_UNIFORM = _Identity()
