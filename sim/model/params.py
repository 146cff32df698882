"""Config fields that carry their own rules, and the one check that reads them.

Every key of ``conf/`` is a field of a dataclass that sits beside the code that reads it:
``power.grid_delay_months`` is a field of :class:`sim.model.power.PowerConfig`, and
:mod:`sim.model.power` draws it. The field's metadata is its rule: what values it takes
(:func:`uncertain`, :func:`number`, :func:`whole`, :func:`choice`, :func:`per_entity`,
:func:`day`) and, for the tornado of drivers, how to hold it central or exclude the risk it
stands for. The dataclasses hold types and rules, not values: every value lives in
``conf/config.yaml`` and the scenario overlays.

:func:`resolve` walks the whole tree once: it checks every value against its rule (one
line naming the key, the value and what is allowed) and replaces each uncertain input with
its distribution (:mod:`sim.distributions`).
"""

from __future__ import annotations

import copy
import dataclasses
import datetime
import functools
import math
import typing
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator, Mapping

from omegaconf import MISSING

from sim import distributions
from sim.calendar import DAY0, parse_date, to_day
from sim.errors import InputError

RULE = "rule"


@dataclass(frozen=True)
class Rule:
    """What one config field takes. ``kind`` is one of ``uncertain`` (a number or a
    distribution within [low, high]), ``number`` (a finite number within [low, high]),
    ``choice`` (one of ``choices``), ``per_entity`` (a mapping of a site's or a recipient's
    id, named in ``choices``, to an uncertain input), ``counts`` (a mapping of an entity of
    ``choices`` to a count ``P/N``) or ``day`` (a ``YYYY-MM-DD`` date after
    the first deal, up to model day ``high``, ``what`` saying why)."""

    kind: str
    low: float = 0.0
    high: float = math.inf
    what: str = ""
    """What is allowed, as the error says it (``a probability in [0, 1]``)."""
    choices: tuple[str, ...] = ()
    excluded: float | None = None
    """For the probability of a risk event: the value that rules the event out."""
    matters: Callable[[Any], bool] | None = None
    """Whether varying the input changes a run of this config (drivers skip it if not)."""
    refuse: Callable[[float], str | None] | None = None
    """An extra check of a value: what is wrong with it, or None."""
    label: str = ""
    """The field as a reader names it, with its unit (``grid connection delay (months)``):
    what figures, tables and the report show instead of the dotted key."""
    earliest: str = ""
    """For a date: the earliest allowed (``YYYY-MM-DD``), if not after the first deal."""


def _field(rule: Rule, **kwargs) -> Any:
    kwargs.setdefault("default", MISSING)
    return field(metadata={RULE: rule}, **kwargs)


def uncertain(low: float = 0.0, high: float = math.inf, *,
              matters: Callable[[Any], bool] | None = None, label: str = "") -> Any:
    """An uncertain input: a plain number or a distribution, whose values lie in [low, high].
    Its value comes from ``conf/config.yaml``."""
    return _field(Rule("uncertain", low, high, matters=matters, label=label),
                  default_factory=dict, default=dataclasses.MISSING)


def number(low: float = 0.0, high: float = math.inf, what: str = "a finite number >= 0", *,
           excluded: float | None = None, label: str = "") -> Any:
    """A finite number within [low, high]."""
    return _field(Rule("number", low, high, what, excluded=excluded, label=label))


def probability(*, excluded: float | None = None, label: str = "") -> Any:
    """A probability; ``excluded`` is the value that rules out the risk event it stands for."""
    return number(0, 1, "a probability in [0, 1]", excluded=excluded, label=label)


def positive(*, label: str = "") -> Any:
    return number(1e-12, math.inf, "a finite number > 0", label=label)


def whole(low: float, high: float, what: str, *,
          refuse: Callable[[float], str | None] | None = None, label: str = "",
          allowed: tuple[str, ...] = ()) -> Any:
    """A whole number within [low, high] (OmegaConf has checked that it is an integer, or,
    for a field typed ``Any`` that also takes the words ``allowed``, ``refuse`` does)."""
    return _field(Rule("number", low, high, what, refuse=refuse, label=label,
                       choices=allowed))


def choice(*allowed: str, label: str = "") -> Any:
    return _field(Rule("choice", choices=allowed, label=label))


def choices(*allowed: str, label: str = "") -> Any:
    """A non-empty list of distinct values, each one of ``allowed`` (e.g. figure formats)."""
    return _field(Rule("choices", choices=allowed, label=label), default_factory=list,
                  default=dataclasses.MISSING)


def per_entity(entity: str, low: float = 0.0, high: float = math.inf, *,
               label: str = "") -> Any:
    """A mapping of ``entity`` id (a site, a recipient) to an uncertain input within
    [low, high] that stands in for the shared one for that entity, e.g. one site's own slip.
    The ids are checked against the seed data when the run starts."""
    return _field(Rule("per_entity", low, high, choices=(entity,), label=label),
                  default_factory=dict, default=dataclasses.MISSING)


def counts(entities: tuple[str, ...], *, label: str = "") -> Any:
    """A mapping of an entity id (one of ``entities``, e.g. a grid zone) to a published count
    of outcomes, ``"P/N"``: P passed of N decided, whole numbers, 0 <= P <= N
    (:func:`parse_count` makes it a :class:`Count`)."""
    return _field(Rule("counts", choices=entities, label=label), default_factory=dict,
                  default=dataclasses.MISSING)


def day(optional: bool = False, *, label: str = "", latest: str = "2100-12-31",
        why: str = "", earliest: str = "") -> Any:
    """A ``YYYY-MM-DD`` date after the first deal (or on or after ``earliest`` if given; if
    ``optional``, empty for none) and no later than ``latest`` (``why``)."""
    return _field(Rule("day", low=1.0 if optional else 0.0,
                       high=to_day(parse_date("latest", latest)), what=why, label=label,
                       earliest=earliest))


# --- bounds: a value past one is refused in one line that names it and says why ------------

MAX_SEED = 2 ** 64 - 1


def seed(*, label: str = "") -> Any:
    """The seed of a run: any integer up to 2^64 - 1 (far more realizations than can be run)."""
    return whole(0, MAX_SEED, "an integer >= 0 and < 2^64", label=label)


def won(*, label: str = "") -> Any:
    """An amount of won: at most 1e16, four times Korea's yearly GDP."""
    return number(0, 1e16, "won in [0, 1e16] (1e16 is four times Korea's yearly GDP)",
                  label=label)


def years(low: float = 1 / 12, high: float = 100, *, label: str = "") -> Any:
    return number(low, high, f"years in [{low:.3g}, {high:g}]", label=label)


# --- walking the tree ------------------------------------------------------------------------

def rules(node: type | object, prefix: str = "") -> Iterator[tuple[str, Rule]]:
    """Every ``(dotted key, rule)`` of a config dataclass (or instance), in field order."""
    cls = node if isinstance(node, type) else type(node)
    for key, rule in _rules_of(cls):
        yield f"{prefix}{key}", rule


@functools.cache
def _rules_of(cls: type) -> tuple[tuple[str, Rule], ...]:
    """:func:`rules` of a dataclass, walked once per class (a schema is fixed while the
    program runs, and walking it resolves every field's type hints: slow)."""
    hints = _hints(cls)
    found = []
    for f in dataclasses.fields(cls):
        if RULE in f.metadata:
            found.append((f.name, f.metadata[RULE]))
        elif dataclasses.is_dataclass(hints.get(f.name)):
            found += [(f"{f.name}.{key}", rule) for key, rule in _rules_of(hints[f.name])]
    return tuple(found)


@functools.cache
def _rule_table(schema: type) -> dict[str, Rule]:
    """``dict(rules(schema))``, once per schema class (read-only)."""
    return dict(_rules_of(schema))


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    """``typing.get_type_hints(cls)``, resolved once per class (read-only)."""
    return typing.get_type_hints(cls)


def get(obj, dotted: str):
    """The value at a dotted key (``power.grid_delay_months``) of a config tree."""
    for part in dotted.split("."):
        obj = getattr(obj, part)
    return obj


def _set(obj, dotted: str, value) -> None:
    *parents, last = dotted.split(".")
    for part in parents:
        obj = getattr(obj, part)
    setattr(obj, last, value)


def with_value(cfg, dotted: str, value):
    """A copy of ``cfg`` with one value changed (the groups on the way copied, not shared)."""
    head, _, rest = dotted.partition(".")
    if not rest:
        return dataclasses.replace(cfg, **{head: value})
    return dataclasses.replace(cfg, **{head: with_value(getattr(cfg, head), rest, value)})


# --- the check -------------------------------------------------------------------------------

def shown(value) -> str:
    """A value as an error line shows it: a whole number of many digits cut short."""
    text = repr(value)
    return text if len(text) <= 24 else f"{text[:12]}... ({len(text)} digits)"


def _check_number(key: str, value, rule: Rule) -> None:
    if isinstance(value, str) and value in rule.choices:  # a word it takes (auto)
        return
    if isinstance(value, bool) or not isinstance(value, (int, float)):  # a field typed Any
        raise InputError(key, f"{shown(value)} is not allowed; need {rule.what}")
    finite = isinstance(value, int) or math.isfinite(value)  # an int of 400 digits overflows
    if not (finite and rule.low <= value <= rule.high):  # NaN and inf too
        raise InputError(key, f"{shown(value)} is not allowed; need {rule.what}")
    problem = rule.refuse(value) if rule.refuse else None
    if problem:
        raise InputError(key, problem)


def _check_choices(key: str, value, allowed: tuple[str, ...]) -> None:
    given = list(value) if isinstance(value, (list, tuple)) else [value]
    wrong = [v for v in given if v not in allowed]
    if not given or wrong or len(set(given)) < len(given):
        shown = ", ".join(map(str, given)) or "nothing"
        raise InputError(key, f"[{shown}] is not allowed; need a list of one or more of "
                              f"{', '.join(allowed)}, each once (e.g. [{allowed[0]}])")


class Count(typing.NamedTuple):
    """A published count of outcomes: ``passed`` of ``decided``."""

    passed: int
    decided: int


def parse_count(key: str, entity: str, value, allowed: tuple[str, ...]) -> Count:
    """A count given as ``"P/N"`` (P passed of N decided; whole numbers, 0 <= P <= N) for an
    entity of ``allowed``."""
    if entity not in allowed:
        raise InputError(key, f"unknown; allowed: {', '.join(allowed)}")
    parts = str(value).replace(" ", "").split("/") if isinstance(value, str) else ()
    if len(parts) == 2 and all(p.isdigit() for p in parts) and int(parts[0]) <= int(parts[1]):
        return Count(int(parts[0]), int(parts[1]))
    raise InputError(key, f"{shown(value)} is not allowed; need P/N (P passed of N decided), "
                          "whole numbers with 0 <= P <= N, e.g. 1/6")


def _resolve_one(cfg, name: str, rule: Rule, prefix: str = "") -> None:
    value, key = get(cfg, name), f"{prefix}{name}"
    if rule.kind == "uncertain":
        _set(cfg, name, distributions.parse(key, value, low=rule.low, high=rule.high))
    elif rule.kind == "per_entity":
        _set(cfg, name, {entity: distributions.parse(f"{key}.{entity}", spec, low=rule.low,
                                                     high=rule.high)
                         for entity, spec in value.items()})
    elif rule.kind == "counts":
        _set(cfg, name, {entity: parse_count(f"{key}.{entity}", entity, count, rule.choices)
                         for entity, count in value.items()})
    elif rule.kind == "number":
        _check_number(key, value, rule)
    elif rule.kind == "choice" and value not in rule.choices:
        raise InputError(key, f"{value!r} is not allowed; "
                              f"choose one of {', '.join(rule.choices)}")
    elif rule.kind == "choices":
        _check_choices(key, value, rule.choices)
    elif rule.kind == "day" and not (rule.low and value == ""):
        when = parse_date(key, value)
        if rule.earliest and when < parse_date(key, rule.earliest):
            raise InputError(key, f"{value} is before {rule.earliest}, the earliest allowed")
        if not rule.earliest and when <= DAY0:
            raise InputError(key, f"{value} is not after the first deal ({DAY0}); "
                                  "give a later date")
        if to_day(when) > rule.high:
            latest = DAY0 + datetime.timedelta(days=int(rule.high))
            raise InputError(key, f"{value} is after {latest}, the latest allowed"
                                  f"{f' ({rule.what})' if rule.what else ''}")


def resolve(cfg, prefix: str = ""):
    """Check every value of ``cfg`` against its rule and parse its distributions; return a
    new tree (``cfg`` is the schema dataclass tree, ``OmegaConf.to_object`` of the composed
    config, or a group of it whose key ``prefix`` the errors name)."""
    cfg = copy.deepcopy(cfg)
    for key, rule in rules(cfg):
        _resolve_one(cfg, key, rule, prefix)
    return cfg


def build(cls: type, values: Mapping[str, Any], prefix: str = ""):
    """A config group (the dataclass ``cls``) from plain values, checked and parsed as a
    composed config is (:func:`resolve`): a component's config without Hydra, e.g.
    ``build(LogisticsConfig, {"ship_days": "triangular(low=7, mode=14, high=30)"},
    "logistics.")``. Every field is given; ``prefix`` (the group's key) names them in errors."""
    return resolve(_instance(cls, values, prefix), prefix)


def _instance(cls: type, values: Mapping[str, Any], prefix: str):
    hints = _hints(cls)
    names = [f.name for f in dataclasses.fields(cls)]
    unknown = [k for k in values if k not in names]
    if unknown:
        raise InputError(f"{prefix}{unknown[0]}", f"unknown key; allowed here: {', '.join(names)}")
    missing = [n for n in names if n not in values]
    if missing:
        raise InputError(f"{prefix}{missing[0]}", "is missing; every key of the group is given")
    return cls(**{n: _instance(hints[n], values[n], f"{prefix}{n}.")
                  if dataclasses.is_dataclass(hints[n]) and isinstance(values[n], Mapping)
                  else values[n] for n in names})


def label(schema: type, key: str) -> str:
    """The reader's name of a dotted config key of ``schema`` (its rule's ``label``); the key
    itself if it has none. A key below a labelled field (``sites.slip_months_by_site.<site>``)
    is that field's label and the rest of the key."""
    found = _rule_table(schema)
    parts = key.split(".")
    for n in range(len(parts), 0, -1):
        rule = found.get(".".join(parts[:n]))
        if rule is not None and rule.label:
            rest = parts[n:]
            return _group_label(schema, parts[:n]) + rule.label + (
                f": {'.'.join(rest)}" if rest else "")
    return key


def _group_label(schema: type, parts: list[str]) -> str:
    """``B300: `` for a key inside a group whose field names it (``label`` in the field's
    metadata, as ``hardware.generations.b300`` does): one dataclass serves several groups."""
    prefix, cls = "", schema
    for part in parts[:-1]:
        if not dataclasses.is_dataclass(cls):
            break
        f = next((f for f in dataclasses.fields(cls) if f.name == part), None)
        if f is None:
            break
        if f.metadata.get("label"):
            prefix += f"{f.metadata['label']}: "
        cls = _hints(cls).get(part)
    return prefix


def holds_distribution(schema: type, key: str) -> bool:
    """Whether the dotted ``key`` of ``schema`` holds one distribution: an uncertain input,
    or an entity's entry of a per-entity table (``sites.slip_months_by_site.sk_ulsan``)."""
    found = _rule_table(schema)
    rule = found.get(key)
    table = found.get(key.rpartition(".")[0])
    return (rule is not None and rule.kind == "uncertain") or \
        (table is not None and table.kind == "per_entity")


def open_keys(schema: type) -> list[str]:
    """The keys whose value may be an open mapping (a distribution given as a mapping, a
    per-site table): OmegaConf must not hold them to the schema's fields
    (:func:`sim.distributions.parse` checks them)."""
    return [key for key, rule in rules(schema)
            if rule.kind in ("uncertain", "per_entity", "counts")]
