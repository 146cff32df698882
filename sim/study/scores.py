"""Scoring rules for a forecast given as samples, against an observation that may be a range.

An observation here is ``[low, high]``: a point where ``low == high``, a window of dates or
a range of counts where sources disagree. The rules treat a range as what it is, an
observation known only to lie somewhere in it (interval-censored), and a forecast's point
masses (a count pinned by a fact, a cap, a date never reached) as what they are:

- :func:`inside`: the observed range lies *within* the forecast's P10-P90 (containment, not
  overlap: a wide range that merely touches the band is not a hit);
- :func:`pit_interval`: the probability integral transform of a range is the interval
  ``[F(low-), F(high)]``, and of a point mass ``[F(y-), F(y)]``; :func:`randomized_pit`
  draws one value in it, which is uniform on [0, 1] for a calibrated forecast (Czado,
  Gneiting and Held 2009, for discrete forecasts);
- :func:`interval_crps`: the continuous ranked probability score with the observation's
  step anywhere in the range, i.e. no penalty inside it:
  ``integral_{x<low} F(x)^2 dx + integral_{x>high} (1 - F(x))^2 dx``. For a point it is the
  usual CRPS of the empirical distribution (``scoringrules.crps_ensemble``, estimator
  ``nrg``);
- :func:`wilson`: the Wilson score interval of a share (``scipy.stats.binomtest``), which
  holds near 0 % and 100 % where the Wald interval fails.
"""

from __future__ import annotations

import numpy as np


def inside(p10: float, p90: float, low: float, high: float) -> bool:
    """Whether the observed range ``[low, high]`` lies within ``[p10, p90]``."""
    return bool(p10 <= low and high <= p90)


def pit_interval(samples: np.ndarray, low: float, high: float) -> tuple[float, float]:
    """``(F(low-), F(high))``: where the observation can fall in the forecast's distribution."""
    samples = np.asarray(samples, float)
    return float(np.mean(samples < low)), float(np.mean(samples <= high))


def randomized_pit(samples: np.ndarray, low: float, high: float, u: float) -> float:
    """A PIT drawn at ``u`` (in [0, 1)) within :func:`pit_interval`."""
    first, last = pit_interval(samples, low, high)
    return first + u * (last - first)


def interval_crps(samples: np.ndarray, low: float, high: float) -> float:
    """The CRPS of the empirical distribution of ``samples`` against an observation known to
    lie in ``[low, high]`` (no penalty inside it). Exact for a step-function CDF."""
    x = np.sort(np.asarray(samples, float))
    n = len(x)
    if n == 0:
        return float("nan")
    edges = np.concatenate([x, [low, high]])
    edges.sort()
    left, right = edges[:-1], edges[1:]
    width = right - left
    cdf = np.searchsorted(x, left, side="right") / n  # F on [left, right)
    below = np.clip(np.minimum(right, low) - left, 0, None) / np.where(width > 0, width, 1)
    above = np.clip(right - np.maximum(left, high), 0, None) / np.where(width > 0, width, 1)
    return float(np.sum(width * (below * cdf ** 2 + above * (1 - cdf) ** 2)))


def wilson(k: int, n: int, level: float = 0.95) -> tuple[float, float] | None:
    """The Wilson score interval of the share ``k`` of ``n`` (None with nothing counted):
    unlike ``p ± z sqrt(p (1 - p) / n)``, it stays inside [0, 1] and is not empty at 0 of n
    or n of n."""
    if n == 0:
        return None
    z = _Z[level] if level in _Z else float(_normal_ppf(0.5 + level / 2))
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return float(max(0.0, centre - half)), float(min(1.0, centre + half))


_Z = {0.95: 1.959963984540054, 0.9: 1.6448536269514722}


def _normal_ppf(q: float) -> float:
    from scipy.stats import norm  # only for an unusual level: scipy is slow to import

    return norm.ppf(q)


def skill(score: float, reference: float) -> float | None:
    """The skill score ``1 - score / reference`` (CRPSS for CRPS): 1 perfect, 0 no better
    than the reference, negative worse. None where the reference scores 0."""
    return None if reference == 0 else float(1 - score / reference)
