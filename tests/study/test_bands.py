"""The weekly bands on their own: folds add up to the same counts however the replications
are chunked, and a percentile read off them is within one bin of the exact one."""

from __future__ import annotations

import numpy as np
import pytest

from sim.study.bands import Bands, Fold, Grid

DAYS = np.arange(0.0, 70.0, 7.0)


def grid() -> Grid:
    maxima = np.full((7, 3), 1000.0)
    return Grid(DAYS, maxima, gpus_per_lot=10)


def cubes(n: int, seed: int = 0) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    return [rng.uniform(0, 1000, (7, 3, len(DAYS))) for _ in range(n)]


def folded(sizes: list[int], data: list[np.ndarray]) -> Bands:
    bands, start = Bands(grid()), 0
    for size in sizes:
        fold = Fold(bands.grid)
        for cube in data[start:start + size]:
            fold.add(cube)
        bands.merge(fold)
        start += size
    return bands


@pytest.mark.parametrize("sizes", [[1] * 30, [10, 10, 10], [7, 23], [30]])
def test_counts_and_extremes_do_not_depend_on_the_chunks(sizes):
    data = cubes(30)
    one_by_one, chunked = folded([1] * 30, data), folded(sizes, data)
    np.testing.assert_array_equal(one_by_one.counts, chunked.counts)
    np.testing.assert_array_equal(one_by_one.low, chunked.low)
    np.testing.assert_array_equal(one_by_one.high, chunked.high)
    np.testing.assert_allclose(one_by_one.mean(), chunked.mean())
    assert chunked.n == 30


def test_a_percentile_is_within_one_bin_of_the_exact_one_and_in_order():
    data = cubes(200, seed=1)
    bands = folded([10] * 20, data)
    p10, p50, p90 = bands.quantiles([0.1, 0.5, 0.9])
    exact = np.percentile(np.stack(data), [10, 50, 90], axis=0, method="lower")
    width = bands.grid.width[:, :, None]
    for found, want in zip((p10, p50, p90), exact):
        assert (np.abs(found - want) <= width + 1e-9).all()
    assert (p10 <= p50).all() and (p50 <= p90).all()


def test_zeros_are_counted_as_what_the_other_values_leave():
    """Most weekly values are exactly zero; they are not sent, yet the percentiles are the
    same as with every value counted, and within a bin of the exact ones."""
    rng = np.random.default_rng(4)
    data = [np.where(rng.uniform(size=(7, 3, len(DAYS))) < 0.6, 0.0,
                     rng.uniform(0, 1000, (7, 3, len(DAYS)))) for _ in range(50)]
    bands = folded([10] * 5, data)
    sent = sum(len(bands.grid.cells(cube)) for cube in data)
    assert sent == sum(int((cube != 0).sum()) for cube in data) < 0.5 * data[0].size * 50
    exact = np.percentile(np.stack(data), [10, 50, 90], axis=0, method="lower")
    for found, want in zip(bands.quantiles([0.1, 0.5, 0.9]), exact):
        assert (np.abs(found - want) <= bands.grid.width[:, :, None] + 1e-9).all()
    assert (bands.quantiles([0.1])[0][np.stack(data).mean(axis=0) == 0] == 0).all()


def test_one_replication_is_its_own_percentile():
    (cube,) = cubes(1, seed=2)
    bands = folded([1], [cube])
    for q in bands.quantiles([0.1, 0.5, 0.9]):
        np.testing.assert_array_equal(q, cube)


def test_a_grid_travels_small_and_bins_alike():
    import pickle

    g = grid()
    copy = pickle.loads(pickle.dumps(g))
    (cube,) = cubes(1, seed=3)
    np.testing.assert_array_equal(g.cells(cube), copy.cells(cube))
    assert len(pickle.dumps(g)) < 5_000
