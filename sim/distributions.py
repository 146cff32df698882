"""Uncertain inputs: the four forms a delay, lead time, slip or fraction may take in config.

A config value is one of

- a plain number (``power.grid_delay_months: 12``) or ``{dist: fixed, value: .}``;
- ``{dist: uniform, low: ., high: .}``;
- ``{dist: triangular, low: ., mode: ., high: .}``;
- ``{dist: lognormal, median: ., p90: .}``: heavy right tail, for delays that can run long.

Every distribution is sampled by inversion, ``ppf(u)`` (``at(u)`` for one) of a uniform ``u``
that the run draws
from a stream keyed by the entity it belongs to (see :mod:`sim.streams`). Two scenarios that
give one input different distributions therefore still use the same ``u`` for it, so a
stochastically larger distribution gives a larger value in every replication (common random
numbers).
"""

from __future__ import annotations

import math
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
_ALL_KEYS = {"dist", "value", "low", "mode", "high", "median", "p90"}


def _number(key: str, name: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InputError(key, f"{name}={value!r} is not a number")
    if math.isnan(value) or math.isinf(value):
        raise InputError(key, f"{name}={value} is not a finite number")
    return float(value)


def form(kind: str, key: str = "") -> str:
    """How to write a distribution of ``kind`` whole, e.g. ``key={dist:uniform,low:L,high:H}``."""
    fields = ",".join(f"{p}:{p[0].upper() if p != 'p90' else 'P90'}" for p in _PARAMS[kind])
    return f"{key}{'=' if key else ''}{{dist:{kind},{fields}}}"


def _whole(key: str, kind: str) -> str:
    return (f"a distribution is replaced whole: write {form(kind, key)}, or change one field "
            f"with its dotted key ({key}.{_PARAMS[kind][0]}=...)")


def parse(key: str, spec: Any, *, low: float = 0.0, high: float = math.inf) -> Distribution:
    """Turn the config value at ``key`` into a distribution whose support lies in [low, high].

    A mapping holds ``dist`` and exactly the fields of that form: a mapping given for a
    distribution replaces it whole (:mod:`sim.app.composition`), so a missing field is not
    taken from the value it replaced, and a field of another form is refused, not ignored.
    Raises :class:`InputError` naming ``key``, the bad value and what is allowed.
    """
    bounds = f"[{low:g}, {high:g}]"
    if isinstance(spec, Mapping):
        spec = dict(spec)
        kind = spec.get("dist")
        unknown = sorted(set(spec) - _ALL_KEYS, key=str)
        if unknown:
            takes = (f"{kind} takes dist, {', '.join(_PARAMS[kind])}" if kind in _PARAMS else
                     f"a distribution takes dist and {', '.join(sorted(_ALL_KEYS - {'dist'}))}")
            raise InputError(key, f"unknown field {unknown[0]!r}; {takes}")
        if kind not in _PARAMS:
            raise InputError(key, f"dist={kind!r}; allowed: {', '.join(_PARAMS)} "
                                  "(or a plain number)")
        stray = [p for p in spec if p != "dist" and p not in _PARAMS[kind]]
        if stray:
            raise InputError(key, f"{stray[0]}={spec[stray[0]]!r} is not a field of {kind}, "
                                  f"which takes {', '.join(_PARAMS[kind])}; {_whole(key, kind)}")
        missing = [p for p in _PARAMS[kind] if spec.get(p) is None]
        if missing:
            raise InputError(key, f"{kind} needs {', '.join(_PARAMS[kind])}; missing "
                                  f"{', '.join(missing)}; {_whole(key, kind)}")
        args = {p: _number(key, p, spec[p]) for p in _PARAMS[kind]}
        dist = _build(key, kind, args)
    else:
        dist = Fixed(_number(key, "value", spec))
    lo, hi = float(dist.ppf(0.0)), float(dist.ppf(1.0))
    if lo < low or hi > high:
        shown = f"{dist.value:g}" if isinstance(dist, Fixed) else f"{lo:g}..{hi:g}"
        raise InputError(key, f"value {shown} is outside the allowed range {bounds}")
    return dist


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
