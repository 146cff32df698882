"""The facts the model starts from, as they were known on a date.

``seeds/*.yaml`` hold every record with the date it became public (``public``) and, for sites
and tranches, the revisions that changed it later. :func:`sim.seeds.files.load` reads and
checks them all into :class:`Records`; :func:`view` gives what was known as of a date
(``as_of``, by default the latest date in the seeds): the deals, sites, phases and tranches
public by then, each with the revisions in force on that date, and the observed events that
were facts by then (:attr:`SeedData.facts`) or came later (:attr:`SeedData.targets`, what a
hindcast is scored against). :meth:`SeedData.at` gives the view as of another date without
reading the files again.

A violation is an :class:`~sim.errors.InputError` whose one line names the file, the record
and the field: ``seeds/sites.yaml: site 'sk_ulsan': recipient='skk' is not one of ...``.

Dates that contradict each other are refused here too (:func:`check_as_of`): an as-of date
before the pledge, after today or after the horizon. Nothing in the seeds can be public
after today (:meth:`sim.seeds.fields.Record.public`), so the default as-of date, the latest
in the seeds, never is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from sim.errors import InputError

REGIONS = ("capital", "non_capital")
ZONES = ("capital", "jeonbuk", "jeonnam", "sejong", "gyeongbuk", "ulsan", "gangwon")
"""Grid zones a site may name (``zone``): the capital region, and the provinces and cities of
the pledge's sites outside it, where KEPCO's counts of grid-assessment outcomes are by area."""
KINDS = ("existing", "brownfield", "greenfield", "mou_stage")
GRID_STATES = ("energized", "passed", "pending")
SUBSTATIONS = ("existing", "new")
COMMITMENTS = ("MOU", "LOI", "pledge")
DEAL_IDS = ("blackrock_mou", "stargate_loi", "nvidia_pledge")
PINNED = ("arrived", "installed", "in_service")
"""Kinds of observed counts that pin a recipient's lots once they are facts."""
SCORED = ("first_arrival", "arrived", "installed", "first_service", "in_service")

TOTAL = "total"
"""The row of every table that sums the recipients."""
OPEN_TO_ALL = "any"
"""The recipient of capacity open to every recipient (the colocation pool, a deal's)."""
RESERVED = (TOTAL, OPEN_TO_ALL, "all")
"""Words the tables and figures use for rows that are no recipient (``all``: how readers
name the total): a recipient may not be called so, in any case."""
RECIPIENT_ID = re.compile(r"[A-Za-z][A-Za-z0-9_-]{0,39}")
"""A recipient's id: a name that can be a config key (``...by_recipient.<id>``) and part of
a headline figure's name (``p_<id>_50k_by_2030_12_31``)."""


def today() -> date:
    """Today's date: nothing can have become public after it, and no forecast is made as
    of a later date."""
    return date.today()


def check_as_of(as_of: date, pledge_public: date, key: str = "as_of",
                horizon: date | None = None) -> None:
    """Refuse an as-of date that contradicts the others, in one line naming ``key``: before
    the pledge became public (nothing to forecast yet), after today (what is public then is
    not known), or after ``horizon`` (nothing left to simulate)."""
    if as_of < pledge_public:
        raise InputError(key, f"{as_of} is before the pledge became public "
                              f"({pledge_public}); give that date or a later one")
    now = today()
    if as_of > now:
        raise InputError(key, f"{as_of} is after today ({now}); a forecast uses only what "
                              f"was public by its date: give {now} or an earlier date")
    if horizon is not None and as_of > horizon:
        raise InputError(key, f"{as_of} is after horizon={horizon}; a forecast simulates "
                              f"from its as-of date on: give a date on or before {horizon}, "
                              f"or a horizon on or after {as_of}")


@dataclass(frozen=True)
class Source:
    id: str
    publisher: str
    title: str
    date: date
    address: str


@dataclass(frozen=True)
class Deal:
    id: str
    date: date
    commitment: str
    title: str
    parties: tuple[str, ...]
    public: date | None = None


@dataclass(frozen=True)
class OwnTarget:
    """A recipient's own target, as its allocation record states it: ``gpus`` operational
    by ``by`` (the government's 50,000 by 2030, articles 000 and 001)."""

    gpus: int
    by: date


@dataclass(frozen=True)
class Allocation:
    recipient: str
    name: str
    gpus: int
    use: str
    target: OwnTarget | None = None
    outside_pledge: tuple = ()
    """GPUs outside the pledge that the recipient counts (:class:`sim.seeds.own_count.
    OutsideGpus`)."""
    counted_targets: tuple = ()
    """Targets it sets on its own count (:class:`sim.seeds.own_count.CountedTarget`)."""


@dataclass(frozen=True)
class Phase:
    """MW a site adds, and when: each a number (a date) or a distribution (over model days)."""

    mw: Any
    ready: Any
    public: date | None = None


@dataclass(frozen=True)
class Site:
    id: str
    name: str
    recipient: str | None  # None: open to every recipient (the colo pool, a deal's capacity)
    region: str
    kind: str
    grid_assessment: str
    phases: tuple[Phase, ...]
    substation: str = "existing"
    grid_group: str | None = None
    public: date | None = None
    prior: bool = False
    """True for a site drawn from the undisclosed-site prior, not disclosed by the as-of date."""
    reported: date | None = None
    """The last report of it known on the as-of date (its record or latest revision): what
    the seeds say about it is complete up to then, and no later."""
    fleet: bool = False
    """An existing hall that runs its owner's current fleet: only a share of its MW is free
    for pledged GPUs (``sites.fleet_free_share``)."""
    zone: str | None = None
    """Its grid zone (one of :data:`ZONES`); None: only its region is known (a site drawn
    from the prior, a deal's capacity). See :attr:`grid_zone`."""

    @property
    def grid_zone(self) -> str:
        """The zone whose grid-assessment odds it meets: its own, else its region's name (a
        capital-region site is in the capital zone; one elsewhere with no zone has only the
        non-capital odds)."""
        return self.zone or self.region


@dataclass(frozen=True)
class Revision:
    """Fields of a site or tranche that change from ``public`` on."""

    public: date
    fields: dict


@dataclass(frozen=True)
class Tranche:
    id: str
    recipient: str
    gpus: int | None
    """The GPUs a source counts; None for a tranche bought on a budget (``budget_won``)
    before its count is known: it buys what the budget pays for (:mod:`sim.model.generations`)."""
    public: date
    ordered: tuple[date, date] | None = None
    """When it was ordered: a date, or the window a source gives (``[first, last]``)."""
    order_window: tuple[date, date] | None = None
    orders: int = 1
    ships: tuple[date, date] | None = None
    """For a tranche ordered already: when its shipments were said to be due, if a source
    says (each order ships within it instead of after the usual lead time)."""
    generation: str = ""
    """The GPU generation a source names for it (``B200``, ``B300 / Vera Rubin``: its lots in
    equal shares, in that order); empty where none does (its lots get the generation shipping
    when they are ordered)."""
    budget_won: float | None = None
    """The budget it is bought on, if a source gives one (used where ``gpus`` is None)."""


@dataclass(frozen=True)
class Plan:
    """A date announced for an observed event before it happened: the ``window`` it was
    planned in, public on ``public``. The reference a forecast is measured against."""

    public: date
    window: tuple[date, date]


@dataclass(frozen=True)
class Observed:
    id: str
    kind: str
    recipient: str | None
    happened: tuple[date, date]
    public: date
    gpus: tuple[int, int] | None = None
    score: bool = True
    planned: tuple[Plan, ...] = ()
    """What was announced for it beforehand (a first arrival's or service's date)."""


@dataclass(frozen=True)
class Prior:
    """The undisclosed-site prior of ``seeds/priors.yaml`` (distributions parsed)."""

    disclosure_lag_months: Any
    capital_p: float
    kind: dict[str, float]
    phase1_mw: Any
    total_mw: Any
    lead_months: Any
    lead_by_kind_months: dict[str, float]
    step_months: Any
    passed_p: dict[str, float]
    new_substation_p: float
    public: date | None = None


@dataclass(frozen=True)
class Records:
    """Every record of the seed files, with all its versions: the input to :meth:`at`."""

    sources: dict[str, Source]
    deals: dict[str, Deal]
    pledge_gpus: int
    pledge_public: date
    allocations: tuple[Allocation, ...]
    sites: tuple[tuple[Site, tuple[Revision, ...]], ...]
    tranches: tuple[tuple[Tranche, tuple[Revision, ...]], ...]
    prior: Prior | None
    observed: tuple[Observed, ...]
    prior_revisions: tuple[Revision, ...] = ()

    @property
    def latest(self) -> date:
        """The latest date in the seeds: the default as-of date."""
        dates = [self.pledge_public, *(d.public for d in self.deals.values() if d.public),
                 *(o.public for o in self.observed)]
        for record, revisions in (*self.sites, *self.tranches):
            dates += [record.public, *(r.public for r in revisions)]
            dates += [p.public for p in getattr(record, "phases", ()) if p.public]
        dates += [r.public for r in self.prior_revisions]
        return max(d for d in dates if d is not None)

    def default_as_of(self, horizon: date | None = None) -> date:
        """The as-of date of a run that gives none: the latest date in the seeds, or the
        horizon if that comes first (a forecast never knows more than its own window holds),
        never before the pledge became public."""
        latest = self.latest if horizon is None else min(self.latest, horizon)
        return max(latest, self.pledge_public)


@dataclass(frozen=True)
class SeedData:
    sources: dict[str, Source]
    deals: dict[str, Deal]
    pledge_gpus: int
    allocations: tuple[Allocation, ...]
    sites: tuple[Site, ...]
    observed: tuple[Observed, ...] = ()
    tranches: tuple[Tranche, ...] = ()
    prior: Prior | None = None
    as_of: date | None = None
    records: Records | None = field(default=None, repr=False, compare=False)

    @property
    def recipients(self) -> tuple[str, ...]:
        return tuple(a.recipient for a in self.allocations)

    @property
    def facts(self) -> tuple[Observed, ...]:
        """Observed events public and happened by the as-of date (all of them without one)."""
        return tuple(o for o in self.observed if self.as_of is None or
                     (o.public <= self.as_of and o.happened[1] <= self.as_of))

    @property
    def targets(self) -> tuple[Observed, ...]:
        """Scored observed events that became public after the as-of date."""
        return tuple(o for o in self.observed if o.score and o.kind in SCORED and
                     self.as_of is not None and o.public > self.as_of)

    def at(self, as_of: date, horizon: date | None = None, key: str = "as_of") -> SeedData:
        """The view of the same records as of another date (checked as :func:`view` does)."""
        if self.records is None:
            raise ValueError("these seed data were not loaded from files")
        return view(self.records, as_of, horizon, key)


def view(records: Records, as_of: date, horizon: date | None = None,
         key: str = "as_of") -> SeedData:
    """What was known on ``as_of``: records public by then, with their revisions applied.
    An as-of date that contradicts the pledge, today or ``horizon`` is refused, naming
    ``key`` (:func:`check_as_of`)."""
    check_as_of(as_of, records.pledge_public, key, horizon)
    sites = []
    for site, revisions in records.sites:
        if site.public is None or site.public <= as_of:
            current = _revised(site, revisions, as_of)
            phases = tuple(p for p in current.phases if p.public is None or p.public <= as_of)
            dates = [d for d in (site.public, *(r.public for r in revisions),
                                 *(p.public for p in phases)) if d is not None and d <= as_of]
            if phases:
                sites.append(replace(current, phases=phases,
                                     reported=max(dates) if dates else None))
    tranches = [_revised(t, revisions, as_of) for t, revisions in records.tranches
                if t.public <= as_of]
    return SeedData(records.sources,
                    {k: d for k, d in records.deals.items() if d.public is None or
                     d.public <= as_of},
                    records.pledge_gpus, records.allocations, tuple(sites), records.observed,
                    tuple(tranches), records.prior and _revised(records.prior,
                                                                records.prior_revisions, as_of),
                    as_of, records)


def _revised(record, revisions: tuple[Revision, ...], as_of: date):
    for revision in revisions:
        if revision.public <= as_of:
            record = replace(record, **revision.fields)
    return record
