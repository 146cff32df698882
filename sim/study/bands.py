"""Weekly bands: per-week percentiles of every series over all replications.

Memory stays flat in the number of replications: each weekly series is folded into a
histogram per week (:class:`Bands`). Workers fold their own chunks of replications
(:class:`Fold`), so the parent only adds counts; counts add in any order, and sums are added
chunk by chunk in chunk order, so the bands are the same whatever the worker count.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from sim.gpu_generations import GENERATIONS
from sim.seeds.data import SeedData
from sim.study.metrics import GPU_SERIES, SERIES

QUANTILES = {"p10": 0.10, "p50": 0.50, "p90": 0.90}


class Grid:
    """Where each weekly value falls: the histogram bins of every (series, row), week by week.

    Bins are one lot wide for GPU counts and ``MW_BIN`` wide for MW (wider where the MW could
    be large, so that no histogram has more than ``MAX_MW_BINS`` bins). All histograms sit
    one after another in one flat array of counts: a cell (series, row, week) and a bin make
    one index into it (:meth:`cells`).

    The counts take at most :data:`MAX_CELLS` cells: where one-lot bins would need more (a
    horizon decades out, lots of one GPU), the histograms with the most bins get wider bins
    (a whole number of lots, or of their MW bin) until they fit, so memory stays bounded
    whatever the input, at the cost of coarser percentiles there.

    A grid is small to send to a worker (it rebuilds its index arrays on arrival).
    """

    MW_BIN = 0.5
    MAX_MW_BINS = 1000
    MAX_CELLS = 2 ** 25
    """At most 64 MiB of counts (the baseline needs about 20 M cells: one-lot bins)."""

    def __init__(self, days: np.ndarray, maxima: np.ndarray, gpus_per_lot: int):
        weeks = max(len(days), 1)
        n_rows = maxima.shape[1]
        mw_width = np.maximum(self.MW_BIN, maxima[len(GPU_SERIES):] / self.MAX_MW_BINS)
        width = np.vstack([np.full((len(GPU_SERIES), n_rows), float(gpus_per_lot)), mw_width])
        nbins = (np.ceil(maxima / width) + 2).astype(int)
        if nbins.sum() * weeks > self.MAX_CELLS:
            width *= np.maximum(1, np.ceil((nbins - 2) / _cap(nbins, self.MAX_CELLS // weeks)))
            nbins = (np.ceil(maxima / width) + 2).astype(int)
        self._build(days, width, nbins)

    def _build(self, days: np.ndarray, width: np.ndarray, nbins: np.ndarray) -> None:
        self.days, self.width, self.nbins = days, width, nbins
        sizes = len(days) * nbins
        self.offset = np.concatenate([[0], np.cumsum(sizes.ravel())[:-1]]).reshape(sizes.shape)
        self.size = int(sizes.sum())
        self._cell_base = (self.offset[:, :, None]
                           + np.arange(len(days))[None, None, :] * nbins[:, :, None])
        self.week_index = np.arange(len(days))
        """0, 1, ... for each week: picks one bin per week out of a (weeks, bins) table."""

    def __reduce__(self):
        return _grid, (self.days, self.width, self.nbins)

    @property
    def shape(self) -> tuple[int, int, int]:
        """(series, rows, weeks): the shape of one replication's weekly series."""
        return (*self.nbins.shape, len(self.days))

    def cells(self, cube: np.ndarray) -> np.ndarray:
        """For each (series, row, week) of ``cube`` whose value is not zero, the index of the
        count its value adds to (the last bin for a value above the histogram's top).

        Zeros are not counted: about half of all weekly values are (nothing in transit yet,
        nothing waiting any more), and a zero's count is what the others leave of the
        number of replications (:meth:`Bands.quantiles`), so folds are half the size."""
        bins = np.clip(np.floor(cube / self.width[:, :, None]).astype(np.int64), 0,
                       self.nbins[:, :, None] - 1)
        return (self._cell_base + bins)[cube != 0].astype(np.uint32)


def _grid(days, width, nbins) -> Grid:
    grid = Grid.__new__(Grid)
    grid._build(days, width, nbins)
    return grid


def _cap(nbins: np.ndarray, budget: int) -> int:
    """The most bins any one histogram may keep so that all fit in ``budget`` per week."""
    low, high = 1, int(nbins.max())
    while low < high:
        cap = (low + high + 1) // 2
        if (np.minimum(nbins, cap + 3)).sum() <= budget:
            low = cap
        else:
            high = cap - 1
    return low


class Fold:
    """Some consecutive replications' share of the bands, folded where they ran: the count
    index of each replication's every value, and their sum, minimum and maximum. What a
    worker hands back for a chunk of replications (small next to their weekly series)."""

    def __init__(self, grid: Grid):
        self.grid = grid
        self.cells: list[np.ndarray] = []
        shape = grid.shape
        self.total = np.zeros(shape)
        self.low = np.full(shape, np.inf)
        self.high = np.full(shape, -np.inf)

    @property
    def n(self) -> int:
        return len(self.cells)

    def add(self, cube: np.ndarray) -> None:
        """Fold in the next replication's weekly series."""
        self.cells.append(self.grid.cells(cube))
        self.total += cube
        np.minimum(self.low, cube, out=self.low)
        np.maximum(self.high, cube, out=self.high)


class Bands:
    """Per-week percentiles of every series, folded in chunk by chunk (:class:`Fold`).

    Each (series, row) keeps a histogram per week on its :class:`Grid`, plus the running
    sum, minimum and maximum. A percentile is read off the histogram, interpolated within
    its bin and clamped to the values seen, so it is within one bin of the exact one (exact
    for one replication), and P10 <= P50 <= P90. Counts add in any order; the sum is added
    fold by fold, in the order :meth:`merge` is called.
    """

    MAX_CELLS = Grid.MAX_CELLS

    def __init__(self, grid: Grid):
        self.grid = grid
        self.counts = np.zeros(grid.size, dtype=np.uint16)
        shape = grid.shape
        self.total = np.zeros(shape)
        self.low = np.full(shape, np.inf)
        self.high = np.full(shape, -np.inf)
        self.n = 0

    @property
    def width(self) -> np.ndarray:
        return self.grid.width

    @property
    def nbins(self) -> np.ndarray:
        return self.grid.nbins

    def hist(self, s: int, r: int) -> np.ndarray:
        """The (weeks x bins) counts of series ``s``, row ``r``: a view into the flat array
        (values of exactly zero are not in it: :meth:`Grid.cells`)."""
        g = self.grid
        start = g.offset[s, r]
        return self.counts[start:start + len(g.days) * g.nbins[s, r]].reshape(
            len(g.days), g.nbins[s, r])

    def merge(self, fold: Fold) -> None:
        """Add a chunk's fold (in chunk order, for sums that are the same on any workers)."""
        if self.n + fold.n > np.iinfo(np.uint16).max:
            raise OverflowError("a histogram bin would overflow: at most 65,535 replications")
        for cells in fold.cells:
            self.counts[cells] += 1  # one bin per (series, row, week): no repeats
        self.n += fold.n
        self.total += fold.total
        np.minimum(self.low, fold.low, out=self.low)
        np.maximum(self.high, fold.high, out=self.high)

    def mean(self) -> np.ndarray:
        return self.total / max(self.n, 1)

    def quantiles(self, qs: list[float]) -> list[np.ndarray]:
        """The percentiles ``qs`` (fractions) of every cell; each histogram is summed once."""
        outs = [np.empty_like(self.total) for _ in qs]
        if self.n <= 1:  # exact: the one replication (or nothing seen: NaN-free zeros)
            return [np.where(np.isfinite(self.low), self.low, 0.0) for _ in qs]
        weeks = self.grid.week_index
        # every running count below is at most n per week: 32 bits if they fit (faster)
        counts = np.int32 if self.n * len(weeks) < 2 ** 31 else np.int64
        for s, r in np.ndindex(*self.nbins.shape):
            hist = self.hist(s, r)
            nbins = hist.shape[1]
            # the running count over every week's bins, one week after another: week w's
            # own running count at bin j is flat[w, j] - flat[w, -1] of the week before
            flat = np.cumsum(hist, dtype=counts)
            week_start = weeks * nbins
            before_week = np.concatenate([[0], flat[week_start[1:] - 1]])
            zeros = self.n - (flat[week_start + nbins - 1] - before_week)  # not counted
            offset = zeros - before_week  # week w's running count is flat + offset
            for out, q in zip(outs, qs):
                rank = q * (self.n - 1)
                # the first bin whose running count (an integer) exceeds the rank, i.e. its
                # floor; at least the week's first bin, where the zeros are
                k = np.maximum(np.searchsorted(flat, math.floor(rank) - offset, side="right")
                               - week_start, 0)
                before = np.where(k > 0, flat[week_start + k - 1] + offset, 0)
                inside = hist[weeks, k] + np.where(k == 0, zeros, 0)
                frac = (rank - before + 0.5) / np.maximum(inside, 1)
                out[s, r] = (k + np.clip(frac, 0, 1)) * self.width[s, r]
        return [np.clip(out, self.low, self.high) for out in outs]


def _high(value) -> float:
    """A number, or a distribution's 99.9th percentile: what bounds a histogram."""
    return float(value) if isinstance(value, (int, float)) else float(value.ppf(0.999))


def band_maxima(cfg, seed_data: SeedData, quarters: int) -> np.ndarray:
    """About the largest value each (series, row) can take: sizes each histogram (a value
    above it falls in the last bin, and the percentiles stay within the values seen)."""
    recipients = [a.recipient for a in seed_data.allocations]
    alloc = np.array([a.gpus for a in seed_data.allocations], dtype=float)
    gens = cfg.hardware.generations
    kw = np.full(len(recipients), max(_high(getattr(gens, g).facility_kw_per_gpu)
                                      for g in GENERATIONS))
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
    return np.vstack([np.tile(gpus, (len(GPU_SERIES), 1)), energized, drawn])


def band_columns(bands: Bands) -> pd.DataFrame:
    """``<series>_p10/_p50/_p90/_mean`` columns, rows in :func:`metrics.timeseries` order."""
    stats = dict(zip(QUANTILES, bands.quantiles(list(QUANTILES.values()))))
    stats["mean"] = bands.mean()
    return pd.DataFrame({f"{series}_{name}": values[k].ravel()
                         for k, series in enumerate(SERIES)
                         for name, values in stats.items()})
