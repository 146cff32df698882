"""Reading ``sites.yaml`` and ``tranches.yaml``: each site with its phases and revisions, each
tranche of demand bought on a schedule, parsed and checked into :mod:`sim.seeds.data`
(:mod:`sim.seeds.files` reads the other seed files and puts them together)."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import Any

from sim.calendar import to_day
from sim.gpu_generations import named
from sim.seeds.data import (
    GRID_STATES,
    KINDS,
    REGIONS,
    SUBSTATIONS,
    ZONES,
    Phase,
    Site,
    Tranche,
)
from sim.seeds.events import parse_dist, revisions, window
from sim.seeds.fields import PROVENANCE, Record, records
from sim.seeds.reading import load_file

SITE_FIELDS = ("name", "region", "kind", "grid_assessment", "substation", "grid_group", "zone",
               "fleet")

SITE_RECORD = ("id", "recipient", *SITE_FIELDS, "phases", "revisions", "public", *PROVENANCE)
SITE_REVISION = (*SITE_FIELDS, "phases", "public", *PROVENANCE)
PHASE_RECORD = ("mw", "ready", "public", *PROVENANCE)
TRANCHE_RECORD = ("id", "recipient", "gpus", "budget_won", "ordered", "order_window", "orders",
                  "ships", "generation", "revisions", "public", *PROVENANCE)
TRANCHE_REVISION = ("gpus", "budget_won", "ordered", "order_window", "orders", "ships",
                    "generation", "public", *PROVENANCE)


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


def read_sites(folder: Path, sources, recipients) -> tuple:
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


def read_tranches(folder: Path, sources, recipients) -> tuple:
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
