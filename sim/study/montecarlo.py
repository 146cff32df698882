"""Monte Carlo: many replications of one scenario, folded into bands, P-dates and odds.

Replication ``i`` draws from ``(seed, i, entity key)`` (:mod:`sim.model.streams`), so its numbers do
not depend on which worker ran it or when, and replication ``i`` of two scenarios shares
every draw that the scenarios do not change (common random numbers).

Replications run in chunks of :data:`CHUNK`, on this process, local workers or a Ray
cluster (:mod:`sim.study.workers`). Each worker folds its own chunk's weekly series
(:class:`sim.study.bands.Fold`) and hands back only that and one row per replication; the
parent adds the chunks in chunk order. Chunks do not depend on the worker count, so sums
add in the same order everywhere and the tables are byte-identical on any backend.

Memory stays flat in the number of replications: the weekly series become histograms per
week (:class:`sim.study.bands.Bands`); only one row of inputs and headline outputs is kept
per replication. The full event log is kept for one representative replication only,
re-run at the end: the one whose all-operational date is nearest the median.
"""

from __future__ import annotations

import gc
import math
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from sim.gpu_generations import GENERATIONS
from sim.model.world import simulate
from sim.seeds.data import SeedData
from sim.study import accounting, metrics
from sim.study.bands import Bands, Fold, Grid, band_maxima
from sim.study.blocks import Block, gathered
from sim.study.delay import anatomy
from sim.study.generation_counts import generation_counts
from sim.study.own_count import known, own_counts
from sim.study.targets import TOTAL, YEAR_ENDS, own_targets
from sim.study.workers import Pool

ALL = (TOTAL, 100)


@dataclass
class Replication:
    """What one replication hands back: compact enough to send between processes."""

    index: int
    cube: np.ndarray | None
    """Weekly series, shape (series, recipients + total, weeks); None for driver runs."""
    milestones: dict[tuple[str, int | str], float | None]
    headline: dict[str, float]
    sampled: dict[str, float]
    sites: dict[str, float] | None = None
    """Each site's first-MW-ready day (inf: not by the horizon); None for driver runs."""
    tranches: dict[str, float] | None = None
    """Each tranche's GPUs and the days its last GPU was ordered and arrived
    (:func:`tranche_days`); None for driver runs."""
    delay: dict[str, float] | None = None
    """Where the GPUs' time went (:func:`sim.study.delay.anatomy`); None for driver runs."""


def replicate(cfg, seed_data: SeedData, index: int, days: np.ndarray | None
              ) -> Replication:
    """Run replication ``index``; with ``days``, all its outputs and its weekly series on
    that grid; without, only its all-operational day (enough for a driver run)."""
    with np.errstate(over="ignore"):  # a delay of 1e308 months overflows to inf: never
        out = simulate(cfg, seed_data, replication=index)
    accounting.check(accounting.at_horizon(out), out.allocations, f" in replication {index}")
    if days is None:
        day = metrics.first_day_reaching(out, sum(out.allocations.values()))
        return Replication(index, None, {}, {"all_operational_day":
                                             _censored(day, out.horizon_day)}, {})
    found = metrics.all_milestone_days(out)
    idle_months, peak, _ = metrics.waiting(out)
    headline = {
        "all_operational_day": _censored(found[ALL], out.horizon_day),
        **{t.count_key: metrics.operational_by(out, t.by, t.recipient)
           for t in own_targets(seed_data)},
        **{f"operational_{y}_12_31": metrics.operational_by(out, date(y, 12, 31))
           for y in YEAR_ENDS},
        "peak_waiting_gpus": peak,
        "idle_gpu_months": idle_months,
        "stranded_gpus": int(out.columns["gpus"][out.stranded].sum()),
        **power_drawn(out),
        **own_counts(out, known(seed_data), cfg.seed, index),
        **generation_counts(out),
        **finishes_last(out),
    }
    return Replication(index, metrics.cube(out, days), found, headline, out.sampled,
                       site_days(out), tranche_days(out), anatomy(out))


def power_drawn(out) -> dict[str, float]:
    """The facility MW the placed GPUs draw at the horizon, and what all of them would."""
    kw, placed = out.columns["lot_kw"], ~np.isnan(out.columns["placed"])
    return {"mw_drawn_at_horizon": float(kw[placed].sum()) / 1000,
            "mw_for_full_pledge": float(kw.sum()) / 1000}


def site_days(out) -> dict[str, float]:
    """Each site's first-MW-ready day in one replication (inf: not by the horizon), and its
    MW (under ``mw:<site>``)."""
    found = {}
    for row in out.site_rows:
        day = row["first_ready_day"]
        found[row["site"]] = np.inf if day is None or not math.isfinite(day) else float(day)
        found[f"mw:{row['site']}"] = float(row["mw"])
    return found


TRANCHE_STAGES = ("ordered", "arrived")


def tranche_days(out) -> dict[str, float]:
    """Per tranche (and each recipient's lots ordered with its sites): its GPUs (under
    ``gpus:<tranche>``; those of each generation under ``gpus_<generation>:<tranche>``) and
    the day its last GPU was ordered and arrived (``ordered:``,
    ``arrived:``; inf if not all by the horizon)."""
    found = {}
    lot = out.columns["lot"]
    for span in out.tranche_rows:
        mine = out.masks[span["recipient"]] & (lot >= span["first"]) & (lot < span["end"])
        name = span["tranche"]
        found[f"gpus:{name}"] = float(out.columns["gpus"][mine].sum())
        for i, gen in enumerate(GENERATIONS):
            found[f"gpus_{gen}:{name}"] = float(
                out.columns["gpus"][mine & (out.columns["generation"] == i)].sum())
        for stage in TRANCHE_STAGES:
            days = out.columns[stage][mine]
            found[f"{stage}:{name}"] = np.inf if np.isnan(days).any() else float(days.max())
    return found


def finishes_last(out) -> dict[str, str]:
    """Who and where the last GPU to run was (the critical path's end), when all run by the
    horizon; ``""`` for both if some never do."""
    days = out.columns["operational"]
    if not len(days) or np.isnan(days).any():
        return {"last_recipient": "", "last_site": ""}
    last = int(np.argmax(days))
    return {"last_recipient": str(out.columns["recipient"][last]),
            "last_site": str(out.columns["site"][last])}


def _censored(day: float | None, horizon_day: float) -> float:
    """A date not reached by the horizon counts as the day after it (for ranking)."""
    return horizon_day + 1 if day is None else day


CHUNK = 10
"""Replications per task, whatever the number of workers: chunks fold in one order on any
backend (so sums, and the tables, are byte-identical), few enough to keep two workers
busy at 100 replications, big enough that a task's overhead is small."""


def chunks(n: int, size: int = CHUNK, start: int = 0) -> list[range]:
    """``range(start, n)`` in consecutive pieces of ``size`` (the last may be shorter)."""
    return [range(a, min(a + size, n)) for a in range(start, n, size)]


@dataclass
class Chunk:
    """What a worker hands back for a chunk of replications: compact to send."""

    fold: Fold | None
    """Its weekly series, folded (:class:`sim.study.bands.Fold`); None for driver runs."""
    headline: pd.DataFrame
    """One row per replication: its number and headline outputs."""
    inputs: Block
    """One row per replication: its sampled inputs."""
    milestones: Block
    """One row per replication, one column per (recipient, milestone): day or NaN."""
    sites: Block
    """One row per replication, one column per site: its first-MW-ready day, inf if not by
    the horizon, NaN where the replication had no such site (a prior it did not draw)."""
    tranches: Block
    """One row per replication: each tranche's GPUs and days (:func:`tranche_days`)."""
    delay: Block
    """One row per replication: its anatomy of the delay (:func:`sim.study.delay.anatomy`)."""


def run_chunk(cfg, seed_data: SeedData, indices: range, grid: Grid | None) -> Chunk:
    """Replications ``indices`` of ``cfg``, folded onto ``grid`` (or, without one, only
    their all-operational days: enough for a driver run)."""
    _freeze_what_lasts()
    fold = None if grid is None else Fold(grid)
    rows, inputs, milestone_rows, site_rows, tranche_rows, delay_rows = [], [], [], [], [], []
    for i in indices:
        rep = replicate(cfg, seed_data, i, None if grid is None else grid.days)
        gc.collect()  # its world's cycles, at once: cheap, with what lasts frozen
        if fold is not None:
            fold.add(rep.cube)
        rows.append({"replication": rep.index, **rep.headline})
        inputs.append(rep.sampled)
        milestone_rows.append({f"{r}:{metrics.milestone_label(m)}": day
                               for (r, m), day in rep.milestones.items()})
        site_rows.append(rep.sites or {})
        tranche_rows.append(rep.tranches or {})
        delay_rows.append(rep.delay or {})
    return Chunk(fold, pd.DataFrame(rows), Block.of(inputs), Block.of(milestone_rows),
                 Block.of(site_rows), Block.of(tranche_rows), Block.of(delay_rows))


def _freeze_what_lasts() -> None:
    """Collect, then move every object that exists (modules, the config, the seed data) out
    of the cyclic garbage collector's sight (:func:`gc.freeze`); at each chunk, so that what
    a process imported or kept since (another study, a figure's modules) is frozen too.

    A replication leaves its world as cyclic garbage (SimPy's events and processes, the
    components they call back, a megabyte of lot arrays). Python runs a full collection
    only once such garbage reaches a quarter of the long-lived objects, and with pandas,
    matplotlib and Hydra loaded that is tens of MB: memory grew with the replications
    until then. With what lasts frozen, a full collection after each replication costs
    about 0.1 ms and frees its world at once; this one costs little too, but for the first
    chunk of a process (about 25 ms). Objects that are not cyclic are freed as ever."""
    gc.collect()
    gc.freeze()


@dataclass
class MonteCarlo:
    """The folded results of N replications of one config."""

    bands: Bands
    replications: pd.DataFrame
    """One row per replication: its sampled inputs and headline outputs."""
    milestone_days: pd.DataFrame
    """One row per replication, one column per (recipient, milestone): day or NaN."""
    representative: int
    site_days: pd.DataFrame | None = None
    """One row per replication, one column per site: first-MW-ready day, inf if not by the
    horizon, NaN where the replication had no such site (a prior it did not draw)."""
    tranche_days: pd.DataFrame | None = None
    """One row per replication: each tranche's GPUs and the days its last GPU was ordered
    and arrived, inf if not all by the horizon (:func:`tranche_days`)."""
    delay: pd.DataFrame | None = None
    """One row per replication: its anatomy of the delay (:func:`sim.study.delay.anatomy`)."""
    precision: object | None = None
    """With ``mc.replications=auto``, what the study reached
    (:class:`sim.study.precision.Reached`)."""


class Replications:
    """Replications of one config, folded as they come in: :meth:`add` runs more, in chunks
    on a pool's workers (each folds its own), :meth:`result` adds them up in order."""

    def __init__(self, cfg, seed_data: SeedData, days: np.ndarray):
        self.cfg, self.seed_data = cfg, seed_data
        self.grid = Grid(days, band_maxima(cfg, seed_data, quarters=len(days) // 13 + 1),
                         cfg.hardware.gpus_per_lot)
        self.bands = Bands(self.grid)
        self.parts: list[Chunk] = []

    def add(self, indices: range, pool: Pool | None = None, progress: bool = False) -> None:
        parts = chunks(indices.stop, start=indices.start)
        for chunk in (pool or Pool()).run(
                run_chunk, [(self.cfg, self.seed_data, r, self.grid) for r in parts],
                progress=progress, units=[len(r) for r in parts],
                label=f"{self.cfg.scenario}: replications"):
            self.bands.merge(chunk.fold)
            chunk.fold = None  # folded in: kept, it would grow memory with every chunk
            self.parts.append(chunk)

    def table(self) -> pd.DataFrame:
        """One row per replication so far: its headline outputs and sampled inputs."""
        return pd.concat([pd.concat([c.headline for c in self.parts], ignore_index=True),
                          gathered([c.inputs for c in self.parts], sort=True)], axis=1)

    def result(self) -> MonteCarlo:
        table = self.table()
        median = np.percentile(table["all_operational_day"], 50, method="inverted_cdf")
        representative = int(table.loc[(table["all_operational_day"] - median).abs().idxmin(),
                                       "replication"])

        def gather(name: str) -> pd.DataFrame:
            return gathered([getattr(c, name) for c in self.parts])

        return MonteCarlo(self.bands, table, gather("milestones"), representative,
                          gather("sites"), gather("tranches"), gather("delay"))


def run(cfg, seed_data: SeedData, days: np.ndarray, pool: Pool | None = None,
        progress: bool = False) -> MonteCarlo:
    """Run ``cfg.mc.replications`` replications (:class:`Replications`)."""
    reps = Replications(cfg, seed_data, days)
    reps.add(range(cfg.mc.replications), pool, progress)
    return reps.result()


def percentile_days(values: np.ndarray, q: float) -> float:
    """A percentile of days where NaN (not reached) ranks after every date; NaN if it lands
    there."""
    filled = np.where(np.isnan(values), np.inf, values)
    found = float(np.percentile(filled, 100 * q, method="inverted_cdf"))
    return found if math.isfinite(found) else float("nan")
