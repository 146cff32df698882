"""Uncertain inputs: the four forms a delay, lead time, slip or fraction may take in config.

A config value is one of

- a plain number (``power.grid_delay_months: 12``) or ``fixed(12)``;
- ``uniform(low=., high=.)``;
- ``triangular(low=., mode=., high=.)``;
- ``lognormal(median=., p90=.)``: heavy right tail, for delays that can run long.

Each is one string, so that Hydra replaces it whole when a scenario or the command line gives
another (a mapping would be merged field by field into the one below it). The mapping form
``{dist: uniform, low: ., high: .}`` is read too: the command line gives it without quotes,
and over a string it replaces the value whole as well. :func:`parse` reads every form after
composition and :func:`text` writes a distribution back in its string form.

Every distribution is sampled by inversion, ``ppf(u)`` (``at(u)`` for one) of a uniform ``u``
that the run draws
from a stream keyed by the entity it belongs to (see :mod:`sim.streams`). Two scenarios that
give one input different distributions therefore still use the same ``u`` for it, so a
stochastically larger distribution gives a larger value in every replication (common random
numbers).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from statistics import NormalDist
from typing import Any, Mapping

import numpy as np

from sim.errors import InputError

_NORMAL = NormalDist()
_Z90 = _NORMAL.inv_cdf(0.9)
_inv_cdf = np.vectorize(NormalDist().inv_cdf, otypes=[float])


@dataclass(frozen=True)
class Fixed:
    """A value known exactly."""

    value: float

    def ppf(self, u):
        return np.full_like(np.asarray(u, dtype=float), self.value)

    def at(self, u: float) -> float:
        """:meth:`ppf` of one uniform, without numpy's overhead."""
        return float(self.value)

    @property
    def central(self) -> float:
        return self.value


@dataclass(frozen=True)
class Uniform:
    """Any value between ``low`` and ``high`` equally likely."""

    low: float
    high: float

    def ppf(self, u):  # clipped: rounding must not step outside [low, high]
        return np.clip(self.low + (self.high - self.low) * np.asarray(u, dtype=float),
                       self.low, self.high)

    def at(self, u: float) -> float:
        return min(max(self.low + (self.high - self.low) * u, self.low), self.high)

    @property
    def central(self) -> float:
        return (self.low + self.high) / 2


@dataclass(frozen=True)
class Triangular:
    """Three-point estimate: ``low``, most likely ``mode``, ``high``."""

    low: float
    mode: float
    high: float

    def ppf(self, u):
        u = np.asarray(u, dtype=float)
        span = self.high - self.low
        if span == 0:
            return np.full_like(u, self.low)
        cut = (self.mode - self.low) / span
        left = self.low + np.sqrt(u * span * (self.mode - self.low))
        right = self.high - np.sqrt((1 - u) * span * (self.high - self.mode))
        # clipped: with a tiny span, rounding in the square roots can step outside
        return np.minimum(np.maximum(np.where(u < cut, left, right), self.low), self.high)

    def at(self, u: float) -> float:
        span = self.high - self.low
        if span == 0:
            return float(self.low)
        if u < (self.mode - self.low) / span:
            x = self.low + math.sqrt(u * span * (self.mode - self.low))
        else:
            x = self.high - math.sqrt((1 - u) * span * (self.high - self.mode))
        return min(max(x, self.low), self.high)

    @property
    def central(self) -> float:
        return float(self.ppf(0.5))


@dataclass(frozen=True)
class LogNormal:
    """Positive, right-skewed: half the values below ``median``, 90 % below ``p90``."""

    median: float
    p90: float

    @property
    def sigma(self) -> float:
        return math.log(self.p90 / self.median) / _Z90

    def ppf(self, u):
        u = np.clip(np.asarray(u, dtype=float), 1e-12, 1 - 1e-12)
        if self.sigma == 0:
            return np.full_like(u, self.median)
        return self.median * np.exp(self.sigma * _inv_cdf(u))

    def at(self, u: float) -> float:
        if self.sigma == 0:
            return float(self.median)
        return self.median * math.exp(self.sigma * _NORMAL.inv_cdf(min(max(u, 1e-12),
                                                                       1 - 1e-12)))

    @property
    def central(self) -> float:
        return self.median


Distribution = Fixed | Uniform | Triangular | LogNormal

_PARAMS = {"fixed": ("value",), "uniform": ("low", "high"),
           "triangular": ("low", "mode", "high"), "lognormal": ("median", "p90")}
KINDS = {kind: tuple(params) for kind, params in _PARAMS.items()}
"""Each kind of distribution and the fields it takes, in order."""
_ALL_KEYS = {"dist", "value", "low", "mode", "high", "median", "p90"}
_CALL = re.compile(r"\s*([A-Za-z_]\w*)\s*\((.*)\)\s*", re.DOTALL)
_PLACEHOLDER = {"value": "V", "low": "L", "mode": "M", "high": "H", "median": "M", "p90": "P"}


def form(kind: str) -> str:
    """How to write a distribution of ``kind``: ``uniform(low=L, high=H)``, ``fixed(V)``."""
    shown = [f"{p}={_PLACEHOLDER[p]}" for p in _PARAMS[kind]]
    return f"{kind}({'V' if kind == 'fixed' else ', '.join(shown)})"


FORMS = f"a number, {', '.join(form(k) for k in list(_PARAMS)[:-1])} or {form('lognormal')}"
"""Every form a config value of an uncertain input may take, as an error line lists them."""


def write_whole(key: str, kinds=tuple(_PARAMS)) -> str:
    """What to say to someone who gave part of the distribution at ``key``: it is one value,
    written whole (quoted on the command line, where Hydra reads ``f(...)`` as a function)."""
    return (f"a distribution is one value: write it whole, as "
            f"{' or '.join(form(k) for k in kinds)} (on the command line: "
            f"'{key}=\"{form(kinds[0])}\"')")


def part_given(key: str, fields) -> str:
    """What to say when an override changes some ``fields`` of the distribution at ``key``
    (``logistics.ship_days.high=45``) instead of giving it whole."""
    named = set(fields) - {"dist"}
    kinds = [k for k in _PARAMS if named <= set(_PARAMS[k])] or list(_PARAMS)
    return f"{', '.join(map(str, fields))} alone is not allowed; {write_whole(key, kinds)}"


def unquoted(override: str) -> str | None:
    """What to say about a command-line override that gives a distribution's string form
    unquoted (``key=uniform(low=1, high=2)``), which Hydra reads as a function; None if it
    does not."""
    key, eq, value = override.partition("=")
    call = _CALL.fullmatch(value) if eq else None
    if call is None or call.group(1) not in _PARAMS:
        return None
    return (f"{key.lstrip('+~')}: quote a distribution on the command line (Hydra reads "
            f"{call.group(1)}(...) as a function): '{key}=\"{value}\"'")


def _number(key: str, name: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InputError(key, f"{name}={value!r} is not a number")
    if math.isnan(value) or math.isinf(value):
        raise InputError(key, f"{name}={value} is not a finite number")
    return float(value)


def text(dist: Distribution) -> str:
    """``dist`` as its config form, which :func:`parse` reads back to the same distribution:
    ``triangular(low=7, mode=14, high=30)``, ``fixed(1)``."""
    kind = _KIND[type(dist)]
    values = [f"{p}={_shown(getattr(dist, p))}" for p in _PARAMS[kind]]
    return f"{kind}({values[0].split('=')[1] if kind == 'fixed' else ', '.join(values)})"


def _shown(x: float) -> str:  # the shortest text that reads back the same number
    return str(int(x)) if float(x).is_integer() and abs(x) < 1e15 else repr(float(x))


def _fields_of_call(key: str, spec: str) -> dict[str, Any]:
    """The fields of ``kind(name=value, ...)`` (or ``fixed(value)``) as a mapping form."""
    call = _CALL.fullmatch(spec)
    if call is None:
        raise InputError(key, f"{spec!r} is not a number or a distribution; write {FORMS}")
    kind, inside = call.group(1), call.group(2).strip()
    if kind not in _PARAMS:
        raise InputError(key, f"{spec!r}: no distribution {kind!r}; write {FORMS}")
    fields: dict[str, Any] = {"dist": kind}
    for i, arg in enumerate(a.strip() for a in inside.split(",") if inside):
        name, eq, value = arg.partition("=")
        if not eq and kind == "fixed" and i == 0:
            name, value = "value", name
        elif not eq or not name.strip():
            raise InputError(key, f"{spec!r}: {arg!r} is not name=value; write {form(kind)}")
        name = name.strip()
        if name in fields:
            raise InputError(key, f"{spec!r}: {name} is given twice; write {form(kind)}")
        fields[name] = _read_number(value.strip())
    return fields


def _read_number(written: str) -> float | str:
    """A number written in a string form; the text itself if it is none (refused later)."""
    try:
        return float(written)
    except ValueError:
        return written


def parse(key: str, spec: Any, *, low: float = 0.0, high: float = math.inf) -> Distribution:
    """Turn the config value at ``key`` into a distribution whose support lies in [low, high].

    ``spec`` is a number, a string form (``lognormal(median=1, p90=4)``, ``fixed(1.0)``), a
    mapping with ``dist`` and exactly the fields of that form (``{dist: uniform, low: 0,
    high: 1}``, as a command line may give it) or a distribution already. A string replaces
    the value below it whole when Hydra composes the config (it is one scalar), and so does a
    mapping given over a string; a missing field is therefore never taken from the value it
    replaced, and a field of another form is refused, not ignored. Raises
    :class:`InputError` naming ``key``, the bad value and what is allowed.
    """
    if isinstance(spec, _KINDS):
        dist = spec
    elif isinstance(spec, str) and "(" in spec:
        dist = _from_fields(key, _fields_of_call(key, spec))
    elif isinstance(spec, Mapping):
        dist = _from_fields(key, dict(spec))
    elif isinstance(spec, str):
        number = _read_number(spec)
        if isinstance(number, str):
            raise InputError(key, f"{spec!r} is not a number or a distribution; "
                                  f"write {FORMS}")
        dist = Fixed(_number(key, "value", number))
    else:
        dist = Fixed(_number(key, "value", spec))
    lo, hi = float(dist.ppf(0.0)), float(dist.ppf(1.0))
    if lo < low or hi > high:
        shown = f"{dist.value:g}" if isinstance(dist, Fixed) else f"{lo:g}..{hi:g}"
        raise InputError(key, f"value {shown} is outside the allowed range [{low:g}, {high:g}]")
    return dist


def _from_fields(key: str, spec: dict) -> Distribution:
    """A distribution from the fields of its mapping form (``dist`` and its parameters)."""
    kind = spec.get("dist")
    if "dist" not in spec and spec:
        raise InputError(key, part_given(key, spec))
    unknown = sorted(set(spec) - _ALL_KEYS, key=str)
    if unknown:
        takes = (f"{kind} takes {', '.join(_PARAMS[kind])}" if kind in _PARAMS else
                 f"a distribution takes dist and {', '.join(sorted(_ALL_KEYS - {'dist'}))}")
        raise InputError(key, f"unknown field {unknown[0]!r}; {takes}")
    if kind not in _PARAMS:
        raise InputError(key, f"dist={kind!r}; allowed: {', '.join(_PARAMS)} "
                              f"(write {FORMS})")
    stray = [p for p in spec if p != "dist" and p not in _PARAMS[kind]]
    if stray:
        value = spec[stray[0]]
        shown = _shown(value) if isinstance(value, float) else repr(value)
        raise InputError(key, f"{stray[0]}={shown} is not a field of {kind}, "
                              f"which takes {', '.join(_PARAMS[kind])}; "
                              f"{write_whole(key, (kind,))}")
    missing = [p for p in _PARAMS[kind] if spec.get(p) is None]
    if missing:
        raise InputError(key, f"{kind} needs {', '.join(_PARAMS[kind])}; missing "
                              f"{', '.join(missing)}; {write_whole(key, (kind,))}")
    return _build(key, kind, {p: _number(key, p, spec[p]) for p in _PARAMS[kind]})


def _build(key: str, kind: str, a: dict[str, float]) -> Distribution:
    if kind == "fixed":
        return Fixed(a["value"])
    if kind == "uniform":
        if a["low"] > a["high"]:
            raise InputError(key, f"low={a['low']:g} > high={a['high']:g}; need low <= high")
        return Uniform(a["low"], a["high"])
    if kind == "triangular":
        if not a["low"] <= a["mode"] <= a["high"]:
            raise InputError(key, f"low={a['low']:g}, mode={a['mode']:g}, high={a['high']:g}; "
                                  "need low <= mode <= high")
        return Triangular(a["low"], a["mode"], a["high"])
    if a["median"] <= 0 or a["p90"] < a["median"]:
        raise InputError(key, f"median={a['median']:g}, p90={a['p90']:g}; "
                              "need 0 < median <= p90")
    return LogNormal(a["median"], a["p90"])


_KIND = {Fixed: "fixed", Uniform: "uniform", Triangular: "triangular", LogNormal: "lognormal"}
_KINDS = tuple(_KIND)
