"""Dated assumptions: a config value with its history, and the one in force on a date.

A value in ``conf/`` is either plain (a number or a distribution: what a scenario or the
command line gives, a what-if) or *dated*: a list of revisions, oldest first, each with the
date its evidence became public (``since``), its ``value`` (plain), its ``basis`` (``fact``,
``estimate`` or ``assumption``), the ``range`` an estimate or assumption is stated with, its
``sources`` (ids of ``seeds/sources.yaml``), the events it was ``fitted_to`` (ids of
``seeds/observed.yaml``, left out of scoring from its date on) and a ``note``::

    acceptance_months_by_recipient:
      government:
        - since: 2025-10-31
          value: triangular(low=0.5, mode=1.25, high=2.5)
          basis: assumption
          range: "0.5-2.5 months"
          sources: [kollo_2025_05_13]
        - since: 2026-03-03
          value: triangular(low=1.5, mode=2.5, high=6)
          basis: estimate
          ...

A run as of D uses, for each dated key, the last revision with ``since`` on or before D
(:func:`select`): a value fitted to later evidence is never used before that evidence was
public. A key with no revision in force on D is refused in one line. Hydra replaces a list
whole, so a scenario's plain value replaces the history (it is a what-if, undated).
"""

from __future__ import annotations

import copy
import datetime
from dataclasses import dataclass
from typing import Any

from sim.calendar import parse_date
from sim.errors import InputError
from sim.model.params import get, rules

BASES = ("fact", "estimate", "assumption")
FIELDS = ("since", "value", "basis", "range", "sources", "fitted_to", "note")


@dataclass(frozen=True)
class Revision:
    """One dated value of a config key."""

    key: str
    since: datetime.date
    value: Any
    basis: str
    range: str = ""
    sources: tuple[str, ...] = ()
    fitted_to: tuple[str, ...] = ()
    note: str = ""


def is_dated(value) -> bool:
    """Whether a config value is a list of revisions (not a plain value)."""
    return isinstance(value, (list, tuple)) and bool(value) and \
        all(isinstance(v, dict) for v in value)


def _ids(key: str, name: str, value) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
        raise InputError(key, f"{name}={value!r} must be a list of ids")
    return tuple(value)


def revisions(key: str, value) -> tuple[Revision, ...]:
    """The checked revisions of a dated value (oldest first)."""
    out: list[Revision] = []
    for n, item in enumerate(value):
        where = f"{key}[{n}]"
        unknown = sorted(set(item) - set(FIELDS))
        if unknown:
            raise InputError(where, f"unknown field {unknown[0]!r}; a revision has "
                                    f"{', '.join(FIELDS)}")
        for needed in ("since", "value", "basis"):
            if needed not in item or item[needed] in (None, ""):
                raise InputError(where, f"{needed} is missing; a revision needs since, value "
                                        "and basis")
        since = parse_date(f"{where}.since", str(item["since"]))
        basis = item["basis"]
        if basis not in BASES:
            raise InputError(f"{where}.basis", f"{basis!r} is not allowed; choose one of "
                                               f"{', '.join(BASES)}")
        if basis != "fact" and not str(item.get("range") or "").strip():
            raise InputError(f"{where}.range", f"is missing: an {basis} states its range")
        if out and since <= out[-1].since:
            raise InputError(f"{where}.since", f"{since} is not after the revision before "
                                               f"it ({out[-1].since}); list them oldest first")
        out.append(Revision(key, since, item["value"], basis, str(item.get("range") or ""),
                            _ids(where, "sources", item.get("sources")),
                            _ids(where, "fitted_to", item.get("fitted_to")),
                            str(item.get("note") or "")))
    return tuple(out)


def in_force(key: str, value, as_of: datetime.date | None) -> tuple[Any, Revision | None]:
    """``(plain value, its revision)`` of a config value on ``as_of`` (None: the latest);
    a plain value is its own (no revision)."""
    if not is_dated(value):
        return value, None
    history = revisions(key, value)
    chosen = history if as_of is None else [r for r in history if r.since <= as_of]
    if not chosen:
        raise InputError(key, f"no value in force on {as_of}; its first revision is dated "
                              f"{history[0].since}")
    return chosen[-1].value, chosen[-1]


def _entries(cfg):
    """``(dotted key, holder, name)`` of every value that may be dated: uncertain, number and
    date keys, and each entity's entry of a per-entity table or a table of counts."""
    for key, rule in rules(cfg):
        parent, _, name = key.rpartition(".")
        holder = get(cfg, parent) if parent else cfg
        if rule.kind in ("uncertain", "number", "day"):
            yield key, holder, name
        elif rule.kind in ("per_entity", "counts"):
            table = getattr(holder, name)
            for entity in list(table):
                yield f"{key}.{entity}", table, entity


def _value(holder, name):
    return holder[name] if isinstance(holder, dict) else getattr(holder, name)


def _put(holder, name, value) -> None:
    if isinstance(holder, dict):
        holder[name] = value
    else:
        setattr(holder, name, value)


def select(cfg, as_of: datetime.date | None):
    """``(a copy of cfg with every dated value replaced by the one in force on as_of,
    {key: Revision used})``; ``as_of`` None takes each key's latest revision."""
    cfg = copy.deepcopy(cfg)
    used: dict[str, Revision] = {}
    for key, holder, name in list(_entries(cfg)):
        plain, revision = in_force(key, _value(holder, name), as_of)
        if revision is not None:
            _put(holder, name, plain)
            used[key] = revision
    return cfg, used


def history(cfg) -> dict[str, tuple[Revision, ...]]:
    """Every dated key of ``cfg`` (not yet selected) and all its revisions."""
    return {key: revisions(key, _value(holder, name)) for key, holder, name in _entries(cfg)
            if is_dated(_value(holder, name))}


def without(cfg, held: set[tuple[str, datetime.date]]):
    """A copy of ``cfg`` (not yet selected) without the revisions ``(key, since)`` of
    ``held``: the config as if their evidence had not come yet."""
    cfg = copy.deepcopy(cfg)
    for key, holder, name in list(_entries(cfg)):
        value = _value(holder, name)
        if is_dated(value):
            kept = [entry for entry, revision in zip(value, revisions(key, value))
                    if (key, revision.since) not in held]
            _put(holder, name, kept)
    return cfg
