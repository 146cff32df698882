"""The facts the model starts from, read from ``seeds/*.yaml`` and checked on the way in.

``sources.yaml`` lists every source; ``deals.yaml`` the three deals; ``allocations.yaml`` the
pledge and its five recipients; ``sites.yaml`` the data-centre sites with their phases of MW;
``observed.yaml`` what happened after the articles, to check the model against. Every record
names source ids from ``sources.yaml`` or says ``assumption: <why>``.

A violation is an :class:`~sim.errors.InputError` whose one line names the file, the record
and the field: ``seeds/sites.yaml: site 'sk_ulsan': recipient 'skk' is not one of ...``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sim.errors import InputError
from sim.model.seed_records import PROVENANCE, Record, load_file, records

REGIONS = ("capital", "non_capital")
KINDS = ("existing", "brownfield", "greenfield", "mou_stage")
GRID_STATES = ("energized", "passed", "pending")
COMMITMENTS = ("MOU", "LOI", "pledge")
DEAL_IDS = ("blackrock_mou", "stargate_loi", "nvidia_pledge")

# The fields each kind of record takes (seed_records refuses any other, naming these).
SOURCE_FIELDS = ("id", "publisher", "title", "date", "kind", "address")
DEAL_FIELDS = ("id", "date", "commitment", "title", "parties", "facts", *PROVENANCE)
PLEDGE_FIELDS = ("deal", "gpus", *PROVENANCE)
ALLOCATION_FIELDS = ("recipient", "name", "gpus", "use", *PROVENANCE)
SITE_FIELDS = ("id", "name", "recipient", "region", "kind", "grid_assessment", "as_of",
               "phases", *PROVENANCE)
PHASE_FIELDS = ("mw", "ready", *PROVENANCE)
OBSERVED_FIELDS = ("date", "event", "recipient", "gpus", "note", *PROVENANCE)


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


@dataclass(frozen=True)
class Allocation:
    recipient: str
    name: str
    gpus: int
    use: str


@dataclass(frozen=True)
class Phase:
    mw: float
    ready: date


@dataclass(frozen=True)
class Site:
    id: str
    name: str
    recipient: str | None  # None: open to every recipient (capacity a deal adds)
    region: str
    kind: str
    grid_assessment: str
    phases: tuple[Phase, ...]


@dataclass(frozen=True)
class Observed:
    date: date
    event: str
    recipient: str | None
    gpus: int | None


@dataclass(frozen=True)
class SeedData:
    sources: dict[str, Source]
    deals: dict[str, Deal]
    pledge_gpus: int
    allocations: tuple[Allocation, ...]
    sites: tuple[Site, ...]
    observed: tuple[Observed, ...]

    @property
    def recipients(self) -> tuple[str, ...]:
        return tuple(a.recipient for a in self.allocations)


def load(folder: str | Path) -> SeedData:
    """Read and check every seed file in ``folder``."""
    folder = Path(folder)
    sources = _load_sources(folder)
    deals = _load_deals(folder, sources)
    pledge_gpus, allocations = _load_allocations(folder, sources)
    recipients = tuple(a.recipient for a in allocations)
    sites = _load_sites(folder, sources, recipients)
    observed = _load_observed(folder, sources, recipients)
    return SeedData(sources, deals, pledge_gpus, allocations, sites, observed)


def _load_sources(folder: Path) -> dict[str, Source]:
    file = "seeds/sources.yaml"
    out = {}
    data = load_file(folder, "sources.yaml", "sources")
    for rec in records(file, data, "sources", "id", "source", SOURCE_FIELDS):
        sid = str(rec.get("id"))
        out[sid] = Source(sid, rec.text("publisher"), rec.text("title"), rec.date("date"),
                          str(rec.get("address")))
    return out


def _load_deals(folder: Path, sources) -> dict[str, Deal]:
    file = "seeds/deals.yaml"
    out = {}
    for rec in records(file, load_file(folder, "deals.yaml", "deals"), "deals", "id", "deal",
                       DEAL_FIELDS):
        rec.provenance(sources)
        did = rec.choice("id", DEAL_IDS)
        parties = rec.get("parties")
        if not isinstance(parties, list) or not parties:
            rec.fail("parties", "must be a non-empty list")
        out[did] = Deal(did, rec.date("date"), rec.choice("commitment", COMMITMENTS),
                        rec.text("title"), tuple(str(p) for p in parties))
    missing = [d for d in DEAL_IDS if d not in out]
    if missing:
        raise InputError(file, f"deal {missing[0]!r} is missing; the model needs "
                               f"{', '.join(DEAL_IDS)}")
    return out


def _load_allocations(folder: Path, sources) -> tuple[int, tuple[Allocation, ...]]:
    file = "seeds/allocations.yaml"
    data = load_file(folder, "allocations.yaml", "allocations", ("pledge", "allocations"))
    pledge = Record(file, "pledge", data.get("pledge"), PLEDGE_FIELDS)
    pledge.provenance(sources)
    total = int(pledge.positive("gpus", int))
    out = []
    for rec in records(file, data, "allocations", "recipient", "recipient",
                       ALLOCATION_FIELDS):
        rec.provenance(sources)
        out.append(Allocation(rec.text("recipient"), rec.text("name"),
                              int(rec.positive("gpus", int)), rec.text("use", "")))
    summed = sum(a.gpus for a in out)
    if summed != total:
        raise InputError(file, f"allocations sum to {summed:,} GPUs but the pledge is "
                               f"{total:,}; they must be equal")
    return total, tuple(out)


def _load_sites(folder: Path, sources, recipients) -> tuple[Site, ...]:
    file = "seeds/sites.yaml"
    out = []
    for rec in records(file, load_file(folder, "sites.yaml", "sites"), "sites", "id", "site",
                       SITE_FIELDS):
        rec.provenance(sources)
        recipient = rec.choice("recipient", recipients)
        phases_raw = rec.get("phases")
        if not isinstance(phases_raw, list) or not phases_raw:
            rec.fail("phases", f"={phases_raw!r} must list at least one phase (mw, ready)")
        phases = []
        for j, raw in enumerate(phases_raw):
            ph = Record(file, f"{rec.label} phases[{j}]", raw, PHASE_FIELDS)
            if "sources" in raw or "assumption" in raw:
                ph.provenance(sources)
            phases.append(Phase(float(ph.positive("mw")), ph.date("ready")))
        out.append(Site(str(rec.get("id")), rec.text("name"), recipient,
                        rec.choice("region", REGIONS), rec.choice("kind", KINDS),
                        rec.choice("grid_assessment", GRID_STATES, "pending"),
                        tuple(sorted(phases, key=lambda p: p.ready))))
    return tuple(out)


def _load_observed(folder: Path, sources, recipients) -> tuple[Observed, ...]:
    file = "seeds/observed.yaml"
    if not os.path.lexists(folder / "observed.yaml"):  # a link that loops is not "absent"
        return ()
    out = []
    for rec in records(file, load_file(folder, "observed.yaml", "observed"), "observed",
                       fields=OBSERVED_FIELDS):
        rec.provenance(sources)
        recipient = rec.choice("recipient", recipients, None)
        gpus = rec.get("gpus", None)
        out.append(Observed(rec.date("date"), rec.text("event"), recipient,
                            None if gpus is None else int(rec.positive("gpus", int))))
    return tuple(out)
