"""``sensitivity.csv``: which uncertain inputs the headline's spread comes from, measured on the
study's own replications (no run is added).

Every replication records its draw of each uncertain input (:mod:`sim.model.draws`; an input
drawn for several entities, such as one slip per site, counts as their mean, as the drivers'
screen takes it). RBD-FAST on given data (SALib's ``rbd_fast``: Tarantola et al. 2006,
Plischke 2010) estimates each input's first-order index S1, the share of an output's
variance that the input's variation explains on its own, for two outputs: the day all GPUs
are operational (censored at the day after the horizon) and the government's GPUs
operational on 2030-12-31. Each index has a bootstrap interval (SALib's scheme), wide enough
that all of an output's intervals hold together at 90 % (Bonferroni over the inputs). An
input whose interval reaches 0 cannot be told apart from noise at this many replications,
and only those clear of it are ranked. Under :data:`MIN_REPLICATIONS` replications the table ranks
nothing and says how many would do.

Left out: interactions and higher-order indices (a Sobol design needs runs of its own), and
the sign of an effect (the tornado, :mod:`sim.study.drivers`, gives the paired shift of the
P50 when a risk is held central).
"""

from __future__ import annotations

from statistics import NormalDist

import numpy as np
import pandas as pd

from sim.model.draws import columns_of
from sim.model.params import label
from sim.study.targets import DEADLINE

MIN_REPLICATIONS = 50
"""Fewer replications than this rank nothing (RBD-FAST's index is biased and wide below it)."""
RESOLVING = 1000
"""Replications at which the baseline's leading inputs (shares of 10-20 %) come clear of noise
(measured on the baseline of 2026-12: the half-width of an interval is about 0.09 there)."""
HARMONICS = 4
"""The harmonics RBD-FAST sums (SALib's ``M``): few, for studies of ~100 replications."""
RESAMPLES = 200
CONFIDENCE = 0.9
OUTPUTS = {"all_operational_day": "day all GPUs are operational",
           f"government_operational_{DEADLINE:%Y_%m_%d}":
               f"government GPUs operational on {DEADLINE}"}
"""Each output analysed (a column of the replications table) and its reader's name."""
COLUMNS = ["output", "output_label", "input", "input_label", "s1", "s1_low", "s1_high",
           "clear_of_noise", "rank", "replications"]


def inputs(replications: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """One column per uncertain input key: its draw per replication (the mean over the
    entities it was drawn for; in a replication that drew it for none, where it did not act,
    its median); keys never drawn, or drawn the same in every replication, are left out."""
    found = {}
    for key in keys:
        columns = columns_of(key, replications.columns)
        drawn = replications[columns].to_numpy(float) if columns else np.zeros((0, 0))
        if not np.isfinite(drawn).any():
            continue
        finite = np.isfinite(drawn)
        counts = finite.sum(axis=1)  # a replication that drew it for no entity: NaN
        values = np.where(counts > 0, np.where(finite, drawn, 0).sum(axis=1)
                          / np.maximum(counts, 1), np.nan)
        values = np.where(np.isnan(values), np.nanmedian(values), values)
        if np.ptp(values) > 0:
            found[key] = values
    return pd.DataFrame(found, index=replications.index)


def sensitivity(replications: pd.DataFrame, keys: list[str], schema: type,
                seed: int) -> pd.DataFrame:
    """The first-order index of each input for each output (:data:`OUTPUTS`), with its
    interval, whether it is clear of noise, and its rank among those that are."""
    x = inputs(replications, keys)
    n = len(replications)
    rows = []
    for output, output_label in OUTPUTS.items():
        if output not in replications or x.empty:
            continue
        y = replications[output].to_numpy(float)
        s1, conf = _indices(x, y, seed) if n >= MIN_REPLICATIONS else (
            np.full(x.shape[1], np.nan), np.full(x.shape[1], np.nan))
        for key, s, c in zip(x.columns, s1, conf):
            rows.append({"output": output, "output_label": output_label, "input": key,
                         "input_label": label(schema, key), "s1": s, "s1_low": s - c,
                         "s1_high": s + c, "clear_of_noise": bool(s - c > 0),
                         "replications": n})
    table = pd.DataFrame(rows, columns=[c for c in COLUMNS if c != "rank"])
    table["rank"] = pd.array([pd.NA] * len(table), dtype="Int64")
    for output, part in table.groupby("output", sort=False):
        clear = part[part["clear_of_noise"]].sort_values("s1", ascending=False)
        table.loc[clear.index, "rank"] = range(1, len(clear) + 1)
    return table.sort_values(["output", "rank", "s1"], ascending=[True, True, False],
                             na_position="last").reset_index(drop=True)[COLUMNS]


def _indices(x: pd.DataFrame, y: np.ndarray, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """RBD-FAST's S1 of each column of ``x`` (SALib's estimator, bias-corrected) and the
    half-width of its interval: SALib's bootstrap (half-size resamples, the normal quantile
    times their spread) at the family level :func:`family_level`, all resamples of one input
    in one array."""
    n = len(y)
    if np.ptp(y) == 0:  # no spread to explain
        return np.zeros(x.shape[1]), np.zeros(x.shape[1])
    rng = np.random.default_rng([seed % 2**63, 4_201])
    picks = rng.integers(0, n, size=(RESAMPLES, n // 2))
    z = NormalDist().inv_cdf(0.5 + family_level(x.shape[1]) / 2)
    s1, half = [], []
    for column in x.columns:
        values = x[column].to_numpy(float)
        s1.append(_first_order_rows(values[None, :], y[None, :])[0])
        resampled = _first_order_rows(values[picks], y[picks])
        half.append(z * resampled.std(ddof=1))
    return np.clip(np.array(s1), 0, 1), np.array(half)


def _first_order_rows(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """SALib's bias-corrected RBD-FAST S1 (``permute_outputs``, ``compute_first_order``,
    ``unskew_S1``) of each row pair of ``x`` and ``y`` at once, its periodogram in numpy
    (:func:`_periodogram`): the suite checks it against SALib's own, which is not imported
    here because ``scipy.signal`` alone takes most of a second to import."""
    order = np.argsort(x, axis=1, kind="stable")
    order = np.concatenate([order[:, ::2], order[:, 1::2][:, ::-1]], axis=1)
    power = _periodogram(np.take_along_axis(y, order, axis=1))
    s1 = power[:, 1:HARMONICS + 1].sum(axis=1) / power[:, 1:].sum(axis=1)
    lamb = 2 * HARMONICS / x.shape[1]
    return s1 - lamb / (1 - lamb) * (1 - s1)


def _periodogram(y: np.ndarray) -> np.ndarray:
    """``scipy.signal.periodogram(y, axis=-1)[1]`` at its defaults (mean removed, boxcar
    window, one-sided power spectral density) for each row of ``y``."""
    n = y.shape[-1]
    power = np.abs(np.fft.rfft(y - y.mean(axis=-1, keepdims=True), axis=-1)) ** 2 / n
    power[..., 1:n // 2 + (n % 2)] *= 2  # one-sided: every bin but 0 and Nyquist twice
    return power


def family_level(inputs: int) -> float:
    """The confidence of each input's interval such that all of them hold together at
    :data:`CONFIDENCE` (Bonferroni): with many inputs, one clear of 0 by chance is rare."""
    return 1 - (1 - CONFIDENCE) / max(1, inputs)


def headline(table: pd.DataFrame, output: str = "all_operational_day") -> str:
    """What drives the date, in a line: the inputs clear of noise, largest first, with their
    intervals; or why none is named."""
    part = table[table["output"] == output]
    if part.empty:
        return ""
    n = int(part["replications"].iloc[0])
    if n < MIN_REPLICATIONS:
        return (f"too few replications to rank ({n}); run mc.replications="
                f"{MIN_REPLICATIONS} or more")
    clear = part[part["clear_of_noise"]].sort_values("s1", ascending=False).head(3)
    if clear.empty:
        return (f"no input stands out of the noise at {n} replications (RBD-FAST); "
                f"mc.replications={max(RESOLVING, 2 * n)} or more resolves shares of about "
                f"{100 * (0.1 * (RESOLVING / max(n, RESOLVING)) ** 0.5):.0f} %")
    named = "; ".join(f"{r.input_label} {100 * r.s1:.0f} % ({100 * max(0.0, r.s1_low):.0f}-"
                      f"{100 * min(1.0, r.s1_high):.0f} %)" for r in clear.itertuples())
    return (f"{named} of the spread of the date, each on its own (RBD-FAST over {n} "
            "replications, 90 % intervals together; the others cannot be told apart from "
            "noise)")
