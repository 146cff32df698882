"""Weekly bands: per-week percentiles of every series over all replications.

Memory stays flat in the number of replications: each weekly series is folded into a
histogram per week as replications arrive (:class:`Bands`), whatever the worker count.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.model.seeds import SeedData
from sim.study.metrics import SERIES, STAGES

QUANTILES = {"p10": 0.10, "p50": 0.50, "p90": 0.90}


class Bands:
    """Per-week percentiles of every series, folded in one replication at a time.

    Each (series, row) keeps a histogram per week, with bins one lot wide for GPU counts
    and ``MW_BIN`` wide for MW (wider where the MW could be large, so that no histogram has
    more than ``MAX_MW_BINS`` bins), plus the running sum, minimum and maximum. A percentile
    is read off the histogram, interpolated within its bin and clamped to the values seen,
    so it is within one bin of the exact one (exact for one replication), and
    P10 <= P50 <= P90.

    The counts take at most :data:`MAX_CELLS` cells: where one-lot bins would need more (a
    horizon decades out, lots of one GPU), the histograms with the most bins get wider bins
    (a whole number of lots, or of their MW bin) until they fit, so memory stays bounded
    whatever the input, at the cost of coarser percentiles there.
    """

    MW_BIN = 0.5
    MAX_MW_BINS = 1000
    MAX_CELLS = 2 ** 25
    """At most 64 MiB of counts (the baseline needs about 20 M cells: one-lot bins)."""

    def __init__(self, days: np.ndarray, maxima: np.ndarray, gpus_per_lot: int):
        self.days = days
        n_series, n_rows = maxima.shape
        weeks = len(days)
        mw_width = np.maximum(self.MW_BIN, maxima[len(STAGES):] / self.MAX_MW_BINS)
        self.width = np.vstack([np.full((len(STAGES), n_rows), float(gpus_per_lot)),
                                mw_width])
        self.nbins = (np.ceil(maxima / self.width) + 2).astype(int)
        if self.nbins.sum() * max(weeks, 1) > self.MAX_CELLS:
            cap = self._cap(self.MAX_CELLS // max(weeks, 1))
            self.width *= np.maximum(1, np.ceil((self.nbins - 2) / cap))
            self.nbins = (np.ceil(maxima / self.width) + 2).astype(int)
        # one flat array of counts: (series, row) blocks, each weeks x nbins, one after another
        sizes = weeks * self.nbins
        self.offset = np.concatenate([[0], np.cumsum(sizes.ravel())[:-1]]).reshape(sizes.shape)
        self.counts = np.zeros(int(sizes.sum()), dtype=np.uint16)
        self._cell_base = (self.offset[:, :, None]
                           + np.arange(weeks)[None, None, :] * self.nbins[:, :, None])
        shape = (n_series, n_rows, weeks)
        self.total = np.zeros(shape)
        self.low = np.full(shape, np.inf)
        self.high = np.full(shape, -np.inf)
        self.n = 0
        self._weeks = np.arange(weeks)

    def _cap(self, budget: int) -> int:
        """The most bins any one histogram may keep so that all fit in ``budget`` per week."""
        low, high = 1, int(self.nbins.max())
        while low < high:
            cap = (low + high + 1) // 2
            if (np.minimum(self.nbins, cap + 3)).sum() <= budget:
                low = cap
            else:
                high = cap - 1
        return low

    def hist(self, s: int, r: int) -> np.ndarray:
        """The (weeks x bins) counts of series ``s``, row ``r``: a view into the flat array."""
        start = self.offset[s, r]
        return self.counts[start:start + len(self.days) * self.nbins[s, r]].reshape(
            len(self.days), self.nbins[s, r])

    def add(self, cube: np.ndarray) -> None:
        if self.n == np.iinfo(np.uint16).max:
            raise OverflowError("a histogram bin would overflow: at most 65,535 replications")
        self.n += 1
        self.total += cube
        np.minimum(self.low, cube, out=self.low)
        np.maximum(self.high, cube, out=self.high)
        bins = np.clip(np.floor(cube / self.width[:, :, None]).astype(np.int64), 0,
                       self.nbins[:, :, None] - 1)
        self.counts[(self._cell_base + bins).ravel()] += 1  # one bin per cell: no repeats

    def mean(self) -> np.ndarray:
        return self.total / max(self.n, 1)

    def quantile(self, q: float) -> np.ndarray:
        out = np.empty_like(self.total)
        rank = q * (self.n - 1)
        for s, r in np.ndindex(*self.nbins.shape):
            hist = self.hist(s, r)
            cum = np.cumsum(hist, axis=1)
            k = np.argmax(cum > rank, axis=1)
            before = np.where(k > 0, cum[self._weeks, k - 1], 0)
            inside = hist[self._weeks, k]
            frac = (rank - before + 0.5) / np.maximum(inside, 1)
            out[s, r] = (k + np.clip(frac, 0, 1)) * self.width[s, r]
        return np.clip(out, self.low, self.high)


def _high(value) -> float:
    """A number, or a distribution's 99.9th percentile: what bounds a histogram."""
    return float(value) if isinstance(value, (int, float)) else float(value.ppf(0.999))


def band_maxima(cfg, seed_data: SeedData, quarters: int) -> np.ndarray:
    """About the largest value each (series, row) can take: sizes each histogram (a value
    above it falls in the last bin, and the percentiles stay within the values seen)."""
    recipients = [a.recipient for a in seed_data.allocations]
    alloc = np.array([a.gpus for a in seed_data.allocations], dtype=float)
    hw = cfg.hardware
    kw = np.array([_high(hw.facility_kw_per_gpu_by_recipient.get(r, hw.facility_kw_per_gpu))
                   for r in recipients])
    prior = _high(seed_data.prior.total_mw) if seed_data.prior else 0.0
    own_mw = np.array([sum(_high(p.mw) for s in seed_data.sites if s.recipient == r
                           for p in s.phases) for r in recipients]) + alloc * kw / 1000 + prior
    sites = cfg.sites
    shared = _high(sites.colo_mw) + quarters * _high(sites.colo_growth_mw_per_quarter) * \
        sites.colo_available_share
    if cfg.deals.blackrock_mou.enabled:
        shared += _high(cfg.deals.blackrock_mou.mw)
    gpus = np.append(alloc, alloc.sum())
    energized = np.append(own_mw, own_mw.sum() + shared)
    drawn = np.append(alloc * kw / 1000, (alloc * kw).sum() / 1000)
    return np.vstack([np.tile(gpus, (len(STAGES), 1)), energized, drawn])


def band_columns(bands: Bands) -> pd.DataFrame:
    """``<series>_p10/_p50/_p90/_mean`` columns, rows in :func:`metrics.timeseries` order."""
    stats = {name: bands.quantile(q) for name, q in QUANTILES.items()}
    stats["mean"] = bands.mean()
    return pd.DataFrame({f"{series}_{name}": values[k].ravel()
                         for k, series in enumerate(SERIES)
                         for name, values in stats.items()})
