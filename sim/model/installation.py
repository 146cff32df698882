"""Installation: a lot that has arrived waits for powered room, is installed, burnt in and
accepted into service.

A recipient's waiting lots take room first come, first served, at the first of its sites
with room for the whole lot (its own sites, then the shared colo pool and any capacity a
deal adds): lot GPUs × the recipient's kW per GPU. A placed lot draws that power from then on.

Each site's install crews rack lots in the order they were placed, at
``install.racks_per_week_per_mw`` times the site's MW energized when the lots are placed
(never under ``install.min_racks_per_week``): the crews grow with the hall as it is powered,
bracketed by Kakao's ~1.5 racks a week per MW in a small hall (businesspost 2025-12-29),
xAI's Colossus at ~0.7-1.1 and Stargate Abilene at ~0.25 (an assumption fitted to those
three). Burn-in then takes
``install.burnin_days``; with probability ``install.burnin_fail_p`` the lot fails (GB200 racks
had yield problems in 2025), waits ``install.replace_days`` for parts and burns in again.
Acceptance (cluster build, tests, handing over to users) takes ``install.acceptance_months`` (a
recipient's own where ``install.acceptance_months_by_recipient`` gives one: the government hands
its GPUs to users through public calls), and ``install.new_hall_months`` more in a hall that is
not an existing one (an assumption: arrival to service 1.5-4 months in existing halls, 1-2 more
in new ones; the 2025 batch's plan said about one month, kollo_2025_05_13, and it took about 3,
zdnet_2026_02_27). Then the lot is operational.

Because the crew is the only shared state after placement, a lot's times are settled when
it is placed. Lots an observed event pins reach that stage on that day; a lot the
recipient's reports say was not yet in service on a day (its floor) is accepted again
from that day (:mod:`sim.model.facts`). Lots still waiting at the horizon
are *stranded*. Left out: a second burn-in failure, and crews moving between sites.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from typing import Any

import numpy as np

from sim.calendar import DAYS_PER_MONTH, DAYS_PER_WEEK
from sim.model.demand import Recipient
from sim.model.draws import Draws
from sim.model.facts import after_floor
from sim.model.params import per_entity, positive, probability, uncertain
from sim.model.run import Run
from sim.model.sites import Site

GROUP = "install"
"""This component's config group: its keys are ``install.*`` (:class:`InstallConfig`)."""

ROOM_TOLERANCE_KW = 1e-6


@dataclass
class InstallConfig:
    racks_per_week_per_mw: Any = uncertain(1e-6, 1e6,
                                           label="racks installed per week per MW of site")
    min_racks_per_week: float = positive(label="racks installed per week, smallest crew")
    burnin_days: Any = uncertain(label="burn-in time (days)")
    burnin_fail_p: float = probability(excluded=0.0, label="burn-in failure chance per rack")
    replace_days: Any = uncertain(matters=lambda cfg: cfg.install.burnin_fail_p > 0,
                                  label="failed rack repair time (days)")
    acceptance_months: Any = uncertain(label="cluster build and acceptance (months)")
    acceptance_months_by_recipient: dict[str, Any] = per_entity(
        "recipient", label="a recipient's own cluster build and acceptance (months)")
    new_hall_months: Any = uncertain(label="extra acceptance time in a new hall (months)")


class Installation:
    """Places waiting lots in powered room and settles their racking, burn-in and acceptance.

    ``recipients`` are the run's recipients by id (filled when the pledge opens them);
    ``pins`` the days observed events fix, per recipient and stage; ``floors`` the days
    before which they say each lot was not operational.
    """

    def __init__(self, run: Run, cfg: InstallConfig, recipients: dict[str, Recipient],
                 pins: dict[str, dict[str, np.ndarray]] | None = None,
                 floors: dict[str, dict[str, np.ndarray]] | None = None):
        self.run = run
        self.cfg = cfg
        self.draws = run.draws.of(GROUP, cfg)
        self.recipients = recipients
        self.pins = {rid: {stage: days for stage, days in stages.items()
                           if not np.isnan(days).all()}
                     for rid, stages in (pins or {}).items()}
        """Per recipient, the stages an observed event pins (none: no entry)."""
        self.floors = {rid: stages["operational"] for rid, stages in (floors or {}).items()
                       if stages["operational"].any()}
        """Per recipient, the day before which each lot was not operational (none: no entry)."""
        self.crew_free_day: dict[int, float] = {}
        """For each site (by index), when its install crews can start the next rack."""
        self.per_mw: dict[int, float] = {}
        """For each site (by index), its crews' racks a week per MW energized (its draw)."""
        self.lot_times: dict[str, LotTimes] = {}
        """For each recipient, its lots' draws from installed to operational."""

    def offer_room(self, recipient_id: str | None) -> None:
        """New powered room: let one recipient's waiting lots (or, for None, everyone's)
        take it."""
        if recipient_id is None:
            chosen = [r for r in self.recipients.values() if r.waiting]
        else:
            chosen = [self.recipients[recipient_id]] if recipient_id in self.recipients else []
        for recipient in chosen:
            self.place_waiting(recipient)

    def place_waiting(self, recipient: Recipient) -> None:
        """Place the recipient's waiting lots, in arrival order, while any site has room."""
        before = recipient.kw_before
        while recipient.waiting:
            first, end = recipient.waiting[0]
            for site in recipient.sites:  # lots first..first+fits-1 fit in the site's room
                fits = bisect_right(before, before[first] + site.room_kw + ROOM_TOLERANCE_KW,
                                    first + 1, end + 1) - first - 1
                if fits:
                    break
            else:
                return
            self.commission(recipient, site, first, first + fits)
            if first + fits == end:
                recipient.waiting.popleft()
            else:
                recipient.waiting[0] = (first + fits, end)

    def racks_per_week(self, site: Site) -> float:
        """The rate of a site's crews now: per MW energized at the site, never under the
        floor."""
        per_mw = self.per_mw.get(site.index)
        if per_mw is None:
            per_mw = self.per_mw[site.index] = self.draws.one("racks_per_week_per_mw",
                                                              site.id)
        return max(self.cfg.min_racks_per_week, per_mw * site.energized_kw / 1000)

    def commission(self, recipient: Recipient, site: Site, first: int, end: int) -> None:
        """Place lots ``first..end-1`` at ``site``; schedule racking, burn-in, any replacement
        and acceptance."""
        days, draws = recipient.days, self.draws
        now, rid = self.run.env.now, recipient.id
        site.drawn_kw += recipient.kw_before[end] - recipient.kw_before[first]
        rack_days = DAYS_PER_WEEK / self.racks_per_week(site)
        start = max(now, self.crew_free_day.get(site.index, 0.0))
        installed = start + rack_days * recipient.lot_numbers[1:end - first + 1]
        self.crew_free_day[site.index] = float(installed[-1])
        installed = self._pinned("installed", rid, first, end, installed, now)
        times = self._lot_times(recipient)
        tested = installed + times.testing[first:end]
        accept = (times.accept_days if site.spec.kind == "existing"
                  else times.new_hall_accept_days(draws))[first:end]
        ready = tested + accept
        floor = self.floors.get(rid)
        accepted = ready if floor is None else after_floor(ready, floor[first:end], accept)
        operational = self._pinned("operational", rid, first, end, accepted, installed, ready)
        days["placed"][first:end] = now
        days["installed"][first:end] = installed
        days["burnin_failed"][first:end] = np.where(
            times.failed[first:end] & (tested <= operational),
            installed + times.burnin[first:end], np.nan)
        days["operational"][first:end] = operational
        recipient.site_of[first:end] = site.index

    def _lot_times(self, recipient: Recipient) -> LotTimes:
        times = self.lot_times.get(recipient.id)
        if times is None:
            times = self.lot_times[recipient.id] = LotTimes.draw(self.draws, recipient)
        return times

    def _pinned(self, stage: str, rid: str, first: int, end: int, days: np.ndarray,
                earliest, drawn: np.ndarray | None = None) -> np.ndarray:
        """``days``, but where an observed event says a lot reached the stage by a day: its
        ``drawn`` day (``days`` unless given) or that day, whichever is earlier, never before
        ``earliest`` (the stage before)."""
        pins = self.pins.get(rid, {}).get(stage)
        if pins is None:
            return days
        by = pins[first:end]
        drawn = days if drawn is None else drawn
        return np.where(np.isnan(by), days, np.maximum(np.minimum(drawn, by), earliest))


@dataclass
class LotTimes:
    """A recipient's lots' draws from installed to operational, each lot's by its number."""

    recipient: Recipient
    burnin: np.ndarray
    """Days of burn-in."""
    failed: np.ndarray
    """Whether the lot fails burn-in (and waits for parts, then burns in again)."""
    testing: np.ndarray
    """Days from installed to tested: burn-in, and any replacement and second burn-in."""
    accept_days: np.ndarray
    """Days of acceptance in an existing hall."""
    _new_hall: np.ndarray | None = None

    @classmethod
    def draw(cls, draws: Draws, recipient: Recipient) -> LotTimes:
        """The recipient's lots' times (``draws`` bound to ``install``)."""
        n, rid = recipient.n_lots, recipient.id
        burnin = draws.per_lot("burnin_days", rid, n)
        failed = draws.occurs_per_lot("burnin_fail_p", rid, n)
        replace = draws.per_lot("replace_days", rid, n)
        accept = draws.per_lot("acceptance_months", rid, n, own="acceptance_months_by_recipient")
        return cls(recipient, burnin, failed,
                   burnin + np.where(failed, replace + burnin, 0.0), accept * DAYS_PER_MONTH)

    def new_hall_accept_days(self, draws: Draws) -> np.ndarray:
        """Days of acceptance in a hall that is not an existing one (drawn when first asked)."""
        if self._new_hall is None:
            extra = draws.per_lot("new_hall_months", self.recipient.id, self.recipient.n_lots)
            self._new_hall = self.accept_days + extra * DAYS_PER_MONTH
        return self._new_hall
