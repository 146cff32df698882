"""Reading the seed files: each file's records parsed and checked into :mod:`sim.seeds.data`.

``sources.yaml`` lists every source; ``deals.yaml`` the three deals; ``allocations.yaml`` the
pledge and its five recipients; ``sites.yaml`` the data-centre sites with their phases and
revisions; ``tranches.yaml`` demand bought on a schedule; ``priors.yaml`` the undisclosed-site
prior and ``observed.yaml`` what happened after the articles (both read by
:mod:`sim.seeds.events`). Every record names source ids from
``sources.yaml`` or says ``assumption: <why>``, and carries the date it became public.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import date
from functools import lru_cache
from pathlib import Path

from sim.errors import InputError
from sim.seeds.data import (
    COMMITMENTS,
    DEAL_IDS,
    RECIPIENT_ID,
    RESERVED,
    Allocation,
    Deal,
    OwnTarget,
    Records,
    SeedData,
    Source,
    view,
)
from sim.seeds.events import read_observed, read_prior
from sim.seeds.fields import PROVENANCE, Record, records, shown
from sim.seeds.own_count import counted_targets, outside_pledge
from sim.seeds.reading import load_file, read_seed
from sim.seeds.site_files import read_sites, read_tranches

# The fields each kind of record takes (sim.seeds.fields refuses any other, naming these).
SOURCE_RECORD = ("id", "publisher", "title", "date", "kind", "address", "address_kind",
                 "confidence", "note")
DEAL_RECORD = ("id", "date", "commitment", "title", "parties", "facts", "public", *PROVENANCE)
PLEDGE_RECORD = ("deal", "gpus", "public", *PROVENANCE)
ALLOCATION_RECORD = ("recipient", "name", "gpus", "use", "target", "outside_pledge",
                     "counted_targets", "public", *PROVENANCE)
TARGET_RECORD = ("gpus", "by", *PROVENANCE)


def load(folder: str | Path, as_of: date | None = None, horizon: date | None = None
         ) -> SeedData:
    """Read and check every seed file in ``folder``; the view as of ``as_of`` (default:
    :meth:`~sim.seeds.data.Records.default_as_of`, the latest date in the seeds or the
    horizon if earlier). An ``as_of`` given that contradicts the pledge, today or ``horizon``
    is refused (:func:`~sim.seeds.data.check_as_of`)."""
    records = read_all(Path(folder))
    return view(records, as_of, horizon) if as_of else \
        view(records, records.default_as_of(horizon))


SEED_FILES = ("sources.yaml", "deals.yaml", "allocations.yaml", "sites.yaml", "tranches.yaml",
              "priors.yaml", "observed.yaml")


def read_all(folder: Path) -> Records:
    """Every record of the seed files in ``folder``. A run asks twice (its folder's name
    carries the latest date, then the model reads them): files with the same bytes as the
    last ones read are not parsed again."""
    contents = _contents(folder)
    return _read_all(folder) if contents is None else _read_same(contents, Path(folder))


def _contents(folder: Path) -> tuple | None:
    """The folder and a digest of each seed file's bytes; None if one cannot be read as a
    seed file (:func:`~sim.seeds.reading.read_seed`: the reader then says why)."""
    try:
        return (str(Path(folder).resolve()), *(
            hashlib.blake2b(read_seed(Path(folder) / name, name), digest_size=16).digest()
            for name in SEED_FILES))
    except InputError:
        return None


@lru_cache(maxsize=1)
def _read_same(contents: tuple, folder: Path) -> Records:
    return _read_all(folder)


def _read_all(folder: Path) -> Records:
    sources = _sources(folder)
    deals = _deals(folder, sources)
    pledge_gpus, pledge_public, allocations = _allocations(folder, sources)
    recipients = tuple(a.recipient for a in allocations)
    sites = read_sites(folder, sources, recipients)
    tranches = read_tranches(folder, sources, recipients)
    prior, prior_revisions = read_prior(folder, sources)
    return Records(sources, deals, pledge_gpus, pledge_public, allocations, sites, tranches,
                   prior, read_observed(folder, sources, recipients), prior_revisions)


def _sources(folder: Path) -> dict[str, Source]:
    file = "seeds/sources.yaml"
    out = {}
    for rec in records(file, load_file(folder, "sources.yaml", "sources"), "sources", "id",
                       "source", SOURCE_RECORD):
        sid = str(rec.get("id"))
        out[sid] = Source(sid, rec.text("publisher"), rec.text("title"), rec.public("date"),
                          str(rec.get("address")))
    return out


def _deals(folder: Path, sources) -> dict[str, Deal]:
    file = "seeds/deals.yaml"
    out = {}
    for rec in records(file, load_file(folder, "deals.yaml", "deals"), "deals", "id", "deal",
                       DEAL_RECORD):
        rec.provenance(sources)
        did = rec.choice("id", DEAL_IDS)
        parties = rec.get("parties")
        if not isinstance(parties, list) or not parties:
            rec.fail("parties", "must be a non-empty list")
        out[did] = Deal(did, rec.date("date"), rec.choice("commitment", COMMITMENTS),
                        rec.text("title"), tuple(str(p) for p in parties), rec.public())
    missing = [d for d in DEAL_IDS if d not in out]
    if missing:
        raise InputError(file, f"deal {missing[0]!r} is missing; the model needs "
                               f"{', '.join(DEAL_IDS)}")
    return out


def _allocations(folder: Path, sources) -> tuple[int, date, tuple[Allocation, ...]]:
    file = "seeds/allocations.yaml"
    data = load_file(folder, "allocations.yaml", "allocations", ("pledge", "allocations"))
    pledge = Record(file, "pledge", data.get("pledge"), PLEDGE_RECORD)
    pledge.provenance(sources)
    total = int(pledge.positive("gpus", int))
    public = pledge.public()
    out = []
    for rec in records(file, data, "allocations", "recipient", "recipient",
                       ALLOCATION_RECORD):
        rec.provenance(sources)
        if rec.get("public", None) is not None:
            rec.public()
        out.append((rec, Allocation(_recipient_id(rec), rec.text("name"),
                                    int(rec.positive("gpus", int)), rec.text("use", ""))))
    summed = sum(a.gpus for _, a in out)
    if summed != total:
        raise InputError(file, f"allocations sum to {summed:,} GPUs but the pledge is "
                               f"{total:,}; they must be equal")
    return total, public, tuple(replace(a, target=_own_target(file, rec, a.gpus, sources),
                                        outside_pledge=outside_pledge(file, rec, sources),
                                        counted_targets=counted_targets(file, rec, sources))
                                for rec, a in out)


def _recipient_id(rec: Record) -> str:
    """The record's recipient id: a plain name (:data:`~sim.seeds.data.RECIPIENT_ID`), not
    one of the words the tables use for other rows (:data:`~sim.seeds.data.RESERVED`)."""
    rid = rec.text("recipient")
    if rid.lower() in RESERVED:
        rec.fail("recipient", f"={shown(rid)} is a reserved word (the tables use "
                              f"{', '.join(RESERVED)} for rows that are no recipient); "
                              "give the recipient another id")
    if not RECIPIENT_ID.fullmatch(rid):
        rec.fail("recipient", f"={shown(rid)} is not allowed; an id is a letter, then up to "
                              "39 letters, digits, _ or -")
    return rid


def _own_target(file: str, rec: Record, gpus: int, sources) -> OwnTarget | None:
    """The recipient's own target (``target: {gpus, by, sources}``), if it states one: at
    most its allocation, by a date on or after the pledge's (checked by the caller)."""
    raw = rec.get("target", None)
    if raw is None:
        return None
    target = Record(file, f"{rec.label} target", raw, TARGET_RECORD)
    target.provenance(sources)
    wanted = int(target.positive("gpus", int))
    if wanted > gpus:
        target.fail("gpus", f"={wanted:,} is more than the allocation's {gpus:,}; a target "
                            "is at most the GPUs the recipient gets")
    return OwnTarget(wanted, target.date("by"))
