"""The facts the model starts from, read from ``seeds/*.yaml`` and checked on the way in.

``sources.yaml`` lists every source; ``deals.yaml`` the three deals; ``allocations.yaml`` the
pledge and its five recipients; ``sites.yaml`` the data-centre sites with their phases of MW;
``observed.yaml`` what happened after the articles, to check the model against. Every record
names source ids from ``sources.yaml`` or says ``assumption: <why>``.

A violation is an :class:`~sim.errors.InputError` whose one line names the file, the record
and the field: ``seeds/sites.yaml: site 'sk_ulsan': recipient 'skk' is not one of ...``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from sim.config import parse_date
from sim.errors import InputError

REGIONS = ("capital", "non_capital")
KINDS = ("existing", "brownfield", "greenfield", "mou_stage")
GRID_STATES = ("energized", "passed", "pending")
COMMITMENTS = ("MOU", "LOI", "pledge")
DEAL_IDS = ("blackrock_mou", "stargate_loi", "nvidia_pledge")


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


class _Record:
    """One mapping from a seed file, with checked access that names file, record and field."""

    def __init__(self, file: str, label: str, data: Any):
        self.label = label
        self.where = f"{file}: {label}"
        if not isinstance(data, dict):
            raise InputError(self.where, f"expected a mapping of fields, got {data!r}")
        self.data = data

    def fail(self, field: str, problem: str):
        sep = "" if problem.startswith("=") else " "
        raise InputError(self.where, f"{field}{sep}{problem}")

    def get(self, field: str, default: Any = ...):
        if field not in self.data or self.data[field] is None:
            if default is ...:
                self.fail(field, "is missing")
            return default
        return self.data[field]

    def text(self, field: str, default: Any = ...) -> str:
        value = self.get(field, default)
        if value is not default and not isinstance(value, str):
            self.fail(field, f"={value!r} is not text")
        return value

    def choice(self, field: str, allowed: tuple[str, ...], default: Any = ...) -> str:
        value = self.get(field, default)
        if value is not default and value not in allowed:
            self.fail(field, f"={value!r} is not one of {', '.join(allowed)}")
        return value

    def date(self, field: str) -> date:
        value = self.get(field)
        try:
            return parse_date(field, value)
        except InputError:
            self.fail(field, f"={value!r} is not a date; use YYYY-MM-DD")

    def positive(self, field: str, kind=(int, float)) -> float:
        value = self.get(field)
        if isinstance(value, bool) or not isinstance(value, kind) or not value > 0:
            self.fail(field, f"={value!r} must be a positive "
                             f"{'whole number' if kind is int else 'number'}")
        return value

    def provenance(self, sources: dict[str, Source] | None) -> None:
        """Every record names its sources or says ``assumption: <why>``."""
        ids = self.data.get("sources") or []
        if not ids and not self.data.get("assumption"):
            self.fail("sources", "are missing: name source ids or say 'assumption: <why>'")
        if not isinstance(ids, list):
            self.fail("sources", f"={ids!r} is not a list of source ids")
        for sid in ids:
            if sources is not None and str(sid) not in sources:
                self.fail("sources", f"name {sid!r}, which is not in seeds/sources.yaml")


class _Loader(yaml.SafeLoader):
    """YAML with dates left as text, for :meth:`_Record.date` to check with the record's name.

    PyYAML turns ``2027-13-45`` into a date itself and fails with a bare ValueError
    ("month must be in 1..12") that says neither file nor record.
    """


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_str)


def _load_file(folder: Path, name: str, key: str) -> Any:
    path = folder / name
    label = f"seeds/{name}"
    if not path.is_file():
        raise InputError(label, f"file is missing (looked in {folder})")
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
    except UnicodeDecodeError as err:
        raise InputError(label, f"is not UTF-8 text (byte {err.start}); save it as UTF-8 "
                                "YAML") from None
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        at = f" at line {mark.line + 1}" if mark else ""
        problem = getattr(err, "problem", None)
        raise InputError(label, f"is not valid YAML{at}" +
                         (f": {problem}" if problem else "")) from None
    if not isinstance(data, dict) or key not in data:
        raise InputError(label, f"is empty or has no top-level '{key}:' list")
    return data


def _records(file: str, data: dict, key: str, id_field: str | None = None, noun: str = "",
             ) -> list[_Record]:
    """The list under ``key``, each item labelled ``<noun> '<id>'`` for error messages.

    Records with an ``id_field`` must be unique by it, and there must be at least one;
    records without one are labelled ``<key>[<i>]`` and may be none.
    """
    items = data[key]
    if not isinstance(items, list) or (id_field and not items):
        raise InputError(file, f"'{key}:' must be a {'non-empty ' if id_field else ''}list "
                               f"of records, got {items!r:.60}")
    records, seen = [], set()
    for i, item in enumerate(items):
        ident = item.get(id_field) if id_field and isinstance(item, dict) else None
        rec = _Record(file, f"{noun} {str(ident)!r}" if ident is not None else f"{key}[{i}]",
                      item)
        if id_field:
            rid = str(rec.get(id_field))
            if rid in seen:
                rec.fail(id_field, f"{rid!r} appears twice; each must be unique")
            seen.add(rid)
        records.append(rec)
    return records


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
    data = _load_file(folder, "sources.yaml", "sources")
    for rec in _records(file, data, "sources", "id", "source"):
        sid = str(rec.get("id"))
        out[sid] = Source(sid, rec.text("publisher"), rec.text("title"), rec.date("date"),
                          str(rec.get("address")))
    return out


def _load_deals(folder: Path, sources) -> dict[str, Deal]:
    file = "seeds/deals.yaml"
    out = {}
    for rec in _records(file, _load_file(folder, "deals.yaml", "deals"), "deals", "id", "deal"):
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
    data = _load_file(folder, "allocations.yaml", "allocations")
    pledge = _Record(file, "pledge", data.get("pledge"))
    pledge.provenance(sources)
    total = int(pledge.positive("gpus", int))
    out = []
    for rec in _records(file, data, "allocations", "recipient", "recipient"):
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
    for rec in _records(file, _load_file(folder, "sites.yaml", "sites"), "sites", "id", "site"):
        rec.provenance(sources)
        recipient = rec.choice("recipient", recipients)
        phases_raw = rec.get("phases")
        if not isinstance(phases_raw, list) or not phases_raw:
            rec.fail("phases", f"={phases_raw!r} must list at least one phase (mw, ready)")
        phases = []
        for j, raw in enumerate(phases_raw):
            ph = _Record(file, f"{rec.label} phases[{j}]", raw)
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
    if not (folder / "observed.yaml").exists():
        return ()
    out = []
    for rec in _records(file, _load_file(folder, "observed.yaml", "observed"), "observed"):
        rec.provenance(sources)
        recipient = rec.choice("recipient", recipients, None)
        gpus = rec.get("gpus", None)
        out.append(Observed(rec.date("date"), rec.text("event"), recipient,
                            None if gpus is None else int(rec.positive("gpus", int))))
    return tuple(out)
