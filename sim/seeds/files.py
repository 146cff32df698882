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
import os
from dataclasses import replace
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from sim.calendar import to_day
from sim.errors import InputError
from sim.gpu_generations import named
from sim.seeds.data import (
    COMMITMENTS,
    DEAL_IDS,
    GRID_STATES,
    KINDS,
    RECIPIENT_ID,
    REGIONS,
    RESERVED,
    SUBSTATIONS,
    ZONES,
    Allocation,
    Deal,
    OwnTarget,
    Phase,
    Records,
    SeedData,
    Site,
    Source,
    Tranche,
    view,
)
from sim.seeds.events import parse_dist, read_observed, read_prior, revisions, window
from sim.seeds.fields import PROVENANCE, Record, records, shown
from sim.seeds.own_count import counted_targets, outside_pledge
from sim.seeds.reading import load_file, read_seed

SITE_FIELDS = ("name", "region", "kind", "grid_assessment", "substation", "grid_group", "zone",
               "fleet")

# The fields each kind of record takes (sim.seeds.fields refuses any other, naming these).
SOURCE_RECORD = ("id", "publisher", "title", "date", "kind", "address", "address_kind",
                 "confidence", "note")
DEAL_RECORD = ("id", "date", "commitment", "title", "parties", "facts", "public", *PROVENANCE)
PLEDGE_RECORD = ("deal", "gpus", "public", *PROVENANCE)
ALLOCATION_RECORD = ("recipient", "name", "gpus", "use", "target", "outside_pledge",
                     "counted_targets", "public", *PROVENANCE)
TARGET_RECORD = ("gpus", "by", *PROVENANCE)
SITE_RECORD = ("id", "recipient", *SITE_FIELDS, "phases", "revisions", "public", *PROVENANCE)
SITE_REVISION = (*SITE_FIELDS, "phases", "public", *PROVENANCE)
PHASE_RECORD = ("mw", "ready", "public", *PROVENANCE)
TRANCHE_RECORD = ("id", "recipient", "gpus", "budget_won", "ordered", "order_window", "orders",
                  "ships", "generation", "revisions", "public", *PROVENANCE)
TRANCHE_REVISION = ("gpus", "budget_won", "ordered", "order_window", "orders", "ships",
                    "generation", "public", *PROVENANCE)


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
    sites = _sites(folder, sources, recipients)
    tranches = _tranches(folder, sources, recipients)
    prior, prior_revisions = read_prior(folder, sources)
    return Records(sources, deals, pledge_gpus, pledge_public, allocations, sites, tranches,
                   prior, read_observed(folder, sources, recipients), prior_revisions)


# --- values that are a number or a distribution ----------------------------------------------

def uncertain_number(rec: Record, name: str, low: float = 0.0) -> Any:
    """A positive number, or a distribution of one (a prior, which needs an ``assumption``)."""
    value = rec.get(name)
    if isinstance(value, dict):
        if not rec.data.get("assumption"):
            rec.fail("assumption", f"is missing: {name} is a prior ({value.get('dist')}); "
                                   "say why it has that range")
        return parse_dist(rec, name, value, low)
    return float(rec.positive(name))


def uncertain_date(rec: Record, name: str) -> Any:
    """A date, or a distribution over dates (``{dist: triangular, low, mode, high}`` with
    dates), returned over model days."""
    value = rec.get(name)
    if not isinstance(value, dict):
        return rec.date(name)
    if not rec.data.get("assumption"):
        rec.fail("assumption", f"is missing: {name} is a prior; say why it has that range")
    fields = {k: v for k, v in value.items() if k != "dist"}
    days = {}
    for key, when in fields.items():
        inner = Record(rec.where.split(": ")[0], f"{rec.label} {name}", fields)
        days[key] = to_day(inner.date(key))
    return parse_dist(rec, name, {"dist": value.get("dist"), **days}, low=-1e9)


# --- the files -------------------------------------------------------------------------------

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


def _phases(file: str, rec: Record, raw: Any, sources, inherit: date | None) -> tuple:
    if not isinstance(raw, list) or not raw:
        rec.fail("phases", f"={raw!r} must list at least one phase (mw, ready)")
    phases = []
    for j, item in enumerate(raw):
        ph = Record(file, f"{rec.label} phases[{j}]", item, PHASE_RECORD)
        if "sources" in item or "assumption" in item:
            ph.provenance(sources)
        public = ph.public() if ph.get("public", None) is not None else inherit
        phases.append(Phase(uncertain_number(ph, "mw", low=1e-9), uncertain_date(ph, "ready"),
                            public))
    return tuple(sorted(phases, key=_ready_key))


def _ready_key(phase: Phase) -> float:
    ready = phase.ready
    return to_day(ready) if isinstance(ready, date) else float(ready.ppf(0.5))


def _site_fields(rec: Record, recipients, base: bool) -> dict:
    fields = {}
    if base or "name" in rec.data:
        fields["name"] = rec.text("name")
    if base:
        fields["recipient"] = rec.choice("recipient", recipients)
    for name, allowed, default in (("region", REGIONS, ...), ("kind", KINDS, ...),
                                   ("grid_assessment", GRID_STATES, "pending"),
                                   ("substation", SUBSTATIONS, "existing")):
        if base or name in rec.data:
            fields[name] = rec.choice(name, allowed, default)
    if base or "zone" in rec.data:
        fields["zone"] = rec.choice("zone", ZONES, None)
    if fields.get("zone") and "region" in fields and \
            (fields["zone"] == "capital") != (fields["region"] == "capital"):
        rec.fail("zone", f"={fields['zone']} is not in region {fields['region']} (the capital "
                         "zone is the capital region; every other zone is outside it)")
    if base or "grid_group" in rec.data:
        fields["grid_group"] = rec.text("grid_group", None)
    if base or "fleet" in rec.data:
        fields["fleet"] = rec.get("fleet", False)
        if not isinstance(fields["fleet"], bool):
            rec.fail("fleet", f"={fields['fleet']!r} must be true or false (an existing hall "
                              "that runs its owner's current fleet)")
    return fields


def _sites(folder: Path, sources, recipients) -> tuple:
    file = "seeds/sites.yaml"
    out = []
    for rec in records(file, load_file(folder, "sites.yaml", "sites"), "sites", "id", "site",
                       SITE_RECORD):
        rec.provenance(sources)
        public = rec.public()
        site = Site(id=str(rec.get("id")), phases=_phases(file, rec, rec.get("phases"),
                                                          sources, public),
                    public=public, **_site_fields(rec, recipients, base=True))
        out.append((site, revisions(file, rec, sources, SITE_REVISION, lambda r: {
            **_site_fields(r, recipients, base=False),
            **({"phases": _phases(file, r, r.get("phases"), sources, r.public())}
               if "phases" in r.data else {})})))
    return tuple(out)


def _tranche_fields(rec: Record) -> dict:
    fields = {}
    if "gpus" in rec.data:
        fields["gpus"] = int(rec.positive("gpus", int))
    if "budget_won" in rec.data:
        fields["budget_won"] = float(rec.positive("budget_won"))
    if "ordered" in rec.data:
        fields["ordered"], fields["order_window"] = window(rec, "ordered"), None
    if "order_window" in rec.data:
        span = rec.get("order_window")
        if not isinstance(span, list) or len(span) != 2:
            rec.fail("order_window", f"={span!r} must be [first date, last date]")
        pair = Record(rec.where.split(": ")[0], f"{rec.label} order_window",
                      {"first": span[0], "last": span[1]})
        first, last = pair.date("first"), pair.date("last")
        if last < first:
            rec.fail("order_window", f"={span!r} ends before it starts")
        fields["order_window"], fields["ordered"] = (first, last), None
    if "orders" in rec.data:
        fields["orders"] = int(rec.positive("orders", int))
    if "ships" in rec.data:
        fields["ships"] = window(rec, "ships")
    if "generation" in rec.data:
        text = rec.text("generation").strip()
        try:
            named(text)
        except ValueError as e:
            rec.fail("generation", f"={text!r}: {e}; name one, or several split by /")
        fields["generation"] = text
    return fields


def _tranches(folder: Path, sources, recipients) -> tuple:
    file = "seeds/tranches.yaml"
    if not os.path.lexists(folder / "tranches.yaml"):  # a link that loops is not "absent"
        return ()
    out = []
    for rec in records(file, load_file(folder, "tranches.yaml", "tranches"), "tranches", "id",
                       "tranche", TRANCHE_RECORD):
        rec.provenance(sources)
        fields = _tranche_fields(rec)
        how = [k for k in ("ordered", "order_window") if fields.get(k) is not None]
        if len(how) != 1:
            rec.fail("ordered", "needs exactly one of ordered or order_window; got "
                                f"{', '.join(how) or 'none'}")
        if "gpus" not in fields and "budget_won" not in fields:
            rec.fail("gpus", "is missing; give the GPUs a source counts, or budget_won (the "
                             "GPUs then follow the price of the generation it gets)")
        tranche = Tranche(str(rec.get("id")), rec.choice("recipient", recipients),
                          fields.pop("gpus", None), rec.public(), **fields)
        out.append((tranche, revisions(file, rec, sources, TRANCHE_REVISION, _tranche_fields)))
    return tuple(out)
