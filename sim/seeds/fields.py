"""Reading a seed file: YAML in, checked records out, every error in one line.

A seed record is a mapping; :class:`Record` gives checked access to its fields, and every
violation is an :class:`~sim.errors.InputError` whose one line names the file, the record
and the field: ``seeds/sites.yaml: site 'sk_ulsan': recipient='skk' is not one of ...``.
Every record names source ids from ``seeds/sources.yaml`` or says ``assumption: <why>``
(:meth:`Record.provenance`).

Each kind of record declares the fields it takes (``fields=``, a tuple of names): a field
it does not take is refused, naming it and the allowed ones, so a misspelled
``grid_assesment`` cannot be silently ignored. Numbers must be finite and within the bounds
of :data:`LIMITS`, each with its reason.

The YAML itself is read by :mod:`sim.seeds.reading`.
"""

from __future__ import annotations

import datetime
import difflib
import math
import reprlib
from typing import Any, Iterable

from sim.calendar import parse_date
from sim.errors import InputError
from sim.seeds import data as _data

PROVENANCE = ("sources", "assumption")
"""The fields with which every sourced record says where it comes from."""

LIMITS = {
    "gpus": (10_000_000, "over 38 times the 260,000 pledged; the model tracks every lot"),
    "mw": (10_000.0, "10 GW, larger than any data-centre campus announced; Korea's whole "
                     "grid peaks near 100 GW"),
    "budget_won": (1e16, "four times Korea's yearly GDP"),
}
"""The largest value a numeric field takes, and why (a field not listed: any finite number)."""

_short = reprlib.Repr()
_short.maxstring = _short.maxother = 60
_short.maxlist = _short.maxdict = 6
_short.maxlong = 40


def shown(value: Any) -> str:
    """``repr(value)``, cut short: an error line stays one readable line."""
    return _short.repr(value)


class Record:
    """One mapping from a seed file, with checked access that names file, record and field.

    ``fields``, if given, are the fields this kind of record takes; any other is refused.
    """

    def __init__(self, file: str, label: str, data: Any, fields: Iterable[str] | None = None):
        self.label = label
        self.where = f"{file}: {label}"
        if not isinstance(data, dict):
            raise InputError(self.where, f"expected a mapping of fields, got {shown(data)}")
        self.data = data
        if fields is not None:
            self.allow(tuple(fields))

    def allow(self, fields: tuple[str, ...]) -> None:
        """Refuse a field this kind of record does not take, naming the ones it does."""
        for name in self.data:
            if name not in fields:
                lower = {f.lower(): f for f in fields}
                close = difflib.get_close_matches(str(name).lower(), list(lower), n=1)
                hint = f" (did you mean {lower[close[0]]!r}?)" if close else ""
                raise InputError(self.where, f"unknown field {shown(name)}{hint}; allowed: "
                                             f"{', '.join(fields)}")

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
            self.fail(field, f"={shown(value)} is not text")
        return value

    def choice(self, field: str, allowed: tuple[str, ...], default: Any = ...) -> str:
        value = self.get(field, default)
        if value is not default and value not in allowed:
            self.fail(field, f"={shown(value)} is not one of {', '.join(allowed)}")
        return value

    def date(self, field: str) -> datetime.date:
        value = self.get(field)
        try:
            return parse_date(field, value)
        except InputError:
            self.fail(field, f"={shown(value)} is not a date; use YYYY-MM-DD")

    def public(self, field: str = "public") -> datetime.date:
        """The date the record became public (a source's: when it was published): not after
        today. A typo of the year (2062 for 2026) would make it the default as-of date and
        put every date of a run after its horizon."""
        when = self.date(field)
        now = _data.today()
        if when > now:
            self.fail(field, f"={when} is after today ({now}); nothing can have become "
                             "public later than today: check the year")
        return when

    def positive(self, field: str, kind=(int, float), *,
                 at_most: tuple[float, str] | None = None) -> float:
        """A finite number > 0 of ``kind``, at most ``at_most`` (the bound and its reason;
        by default the field's :data:`LIMITS`)."""
        value = self.get(field)
        what = "whole number" if kind is int else "number"
        if isinstance(value, bool) or not isinstance(value, kind):
            self.fail(field, f"={shown(value)} must be a positive {what}")
        if not math.isfinite(value):
            self.fail(field, f"={value!r} is not a finite number; need a positive {what}")
        if not value > 0:
            self.fail(field, f"={shown(value)} must be a positive {what}")
        bound, why = at_most or LIMITS.get(field, (math.inf, ""))
        if value > bound:
            most = f"{int(bound):,}" if float(bound).is_integer() else f"{bound:,}"
            self.fail(field, f"={shown(value)} is more than {most}, the most allowed ({why})")
        return value

    def provenance(self, sources: dict | None) -> None:
        """Every record names its sources or says ``assumption: <why>``."""
        ids = self.data.get("sources") or []
        if not ids and not self.data.get("assumption"):
            self.fail("sources", "are missing: name source ids or say 'assumption: <why>'")
        if not isinstance(ids, list):
            self.fail("sources", f"={shown(ids)} is not a list of source ids")
        for sid in ids:
            if sources is not None and str(sid) not in sources:
                self.fail("sources", f"name {shown(sid)}, which is not in seeds/sources.yaml")


def records(file: str, data: dict, key: str, id_field: str | None = None, noun: str = "",
            fields: Iterable[str] | None = None) -> list[Record]:
    """The list under ``key``, each item labelled ``<noun> '<id>'`` for error messages and
    holding only ``fields`` (if given).

    Records with an ``id_field`` must be unique by it, and there must be at least one;
    records without one are labelled ``<key>[<i>]`` and may be none.
    """
    items = data[key]
    if not isinstance(items, list) or (id_field and not items):
        raise InputError(file, f"'{key}:' must be a {'non-empty ' if id_field else ''}list "
                               f"of records, got {shown(items)}")
    fields = tuple(fields) if fields is not None else None
    out, seen = [], set()
    for i, item in enumerate(items):
        ident = item.get(id_field) if id_field and isinstance(item, dict) else None
        label = f"{noun} {shown(str(ident))}" if ident is not None else f"{key}[{i}]"
        rec = Record(file, label, item, fields)
        if id_field:
            rid = str(rec.get(id_field))
            if rid in seen:
                rec.fail(id_field, f"{shown(rid)} appears twice; each must be unique")
            seen.add(rid)
        out.append(rec)
    return out
