"""Verification of the hindcasts: each forecast scored, one score per target per lead time,
and the scores summed up with their uncertainty.

- :func:`score`: one forecast (samples) against its observation ``[low, high]`` and, where
  there is one, against the reference forecast (:mod:`sim.study.reference`), with the rules
  of :mod:`sim.study.scores`: containment in P10-P90, the PIT interval and a randomized PIT
  drawn in it (seeded by the forecast's key, so the same on every run), the interval CRPS.
- :func:`counted`: a target scored again at every later as-of date is, within a lead-time
  band, much the same forecast scored again. Only one score per target per band counts, the
  one with the longest lead in it (the earliest as-of date); the others stay in the table.
- :func:`calibration`: over the counted scores, the share inside P10-P90 with its Wilson
  interval, the PIT histogram (counts), the reliability of the central intervals, the mean
  CRPS and the CRPS skill score against the reference (CRPSS, over the scores that have
  one), in all and by lead band, with the number of targets and of scores behind each.
"""

from __future__ import annotations

import hashlib

import numpy as np

from sim.study import scores

LEAD_BANDS = ((0, "happened, not yet public"), (91, "0-3 months"), (182, "3-6 months"),
              (365, "6-12 months"), (float("inf"), "over 12 months"))
"""Upper bounds (days from the as-of date to the observed date, inclusive) and names."""
LEVELS = (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)
"""The central intervals of the reliability diagram."""


def lead_band(days: float) -> str:
    """The lead-time band of a forecast ``days`` before what it forecasts was observed."""
    return next(name for bound, name in LEAD_BANDS if days <= bound)


def _uniform(key: str) -> float:
    """A uniform in [0, 1) fixed by ``key``: a randomized PIT that is the same on every run."""
    return int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big") / 2 ** 64


def score(samples: np.ndarray, low: float, high: float, key: str,
          ref: tuple[str, np.ndarray] | None = None) -> dict:
    """How the forecast ``samples`` fared against the observation ``[low, high]``, and the
    reference ``ref`` (what it is, its samples) against the same."""
    p10, p50, p90 = np.percentile(samples, [10, 50, 90], method="inverted_cdf")
    pit_low, pit_high = scores.pit_interval(samples, low, high)
    error = 0.0 if low <= p50 <= high else float(p50 - (high if p50 > high else low))
    return {"p10": float(p10), "p50": float(p50), "p90": float(p90),
            "inside_p10_p90": scores.inside(p10, p90, low, high),
            "pit_low": pit_low, "pit_high": pit_high,
            "pit": pit_low + _uniform(key) * (pit_high - pit_low),
            "p50_error": error, "crps": scores.interval_crps(samples, low, high),
            "reference": ref[0] if ref else None,
            "reference_crps": scores.interval_crps(ref[1], low, high) if ref else None}


def counted(rows: list[dict]) -> list[dict]:
    """``rows`` with ``lead_band`` and ``counted``: True for one row per target per band,
    the one with the longest lead."""
    out = [{**row, "lead_band": lead_band(row["lead_days"])} for row in rows]
    best: dict[tuple[str, str], int] = {}
    for i, row in enumerate(out):
        key = (row["target"], row["lead_band"])
        if key not in best or row["lead_days"] > out[best[key]]["lead_days"]:
            best[key] = i
    chosen = set(best.values())
    return [{**row, "counted": i in chosen} for i, row in enumerate(out)]


def summary(rows: list[dict]) -> dict:
    """The scores of ``rows`` (all counted) summed up."""
    n = len(rows)
    inside = sum(bool(r["inside_p10_p90"]) for r in rows)
    pits = np.array([r["pit"] for r in rows], float)
    out = {"scores": n, "targets": len({r["target"] for r in rows}), "inside": inside,
           "share_inside_p10_p90": inside / n if n else None,
           "inside_interval_95": scores.wilson(inside, n),
           "pit_histogram": np.histogram(pits, bins=5, range=(0, 1))[0].tolist(),
           "mean_pit": float(pits.mean()) if n else None}
    for unit in ("days", "GPUs"):
        mine = [r for r in rows if r["unit"] == unit]
        paired = [r for r in mine if r["reference_crps"] is not None]
        tag = unit.lower()
        out[f"mean_crps_{tag}"] = float(np.mean([r["crps"] for r in mine])) if mine else None
        out[f"reference_pairs_{tag}"] = len(paired)
        ref = float(np.mean([r["reference_crps"] for r in paired])) if paired else None
        out[f"mean_reference_crps_{tag}"] = ref
        out[f"crpss_{tag}"] = scores.skill(float(np.mean([r["crps"] for r in paired])), ref) \
            if paired else None
    return out


def reliability(rows: list[dict]) -> list[dict]:
    """For each central interval of :data:`LEVELS`, the share of observations it held (by
    the randomized PIT): the level itself if calibrated."""
    pits = np.array([r["pit"] for r in rows], float)
    return [{"level": level, "share": float(np.mean(np.abs(pits - 0.5) <= level / 2))
             if len(pits) else None, "n": len(pits)} for level in LEVELS]


def calibration(rows: list[dict]) -> dict:
    """Over the counted rows: :func:`summary`, :func:`reliability`, and a summary per lead
    band; ``scored`` is every row, counted or not."""
    chosen = [r for r in rows if r.get("counted", True)]
    bands = [name for _, name in LEAD_BANDS]
    return {"scored": len(rows), **summary(chosen), "reliability": reliability(chosen),
            "by_lead": {band: summary([r for r in chosen if r.get("lead_band") == band])
                        for band in bands if any(r.get("lead_band") == band for r in chosen)}}
