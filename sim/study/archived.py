"""Archived forecasts: what a forecast said, kept so that it can be scored once its targets
resolve (prospective skill, beside the hindcasts of :mod:`sim.study.validation`).

A hindcast re-runs today's model as of a past date. An archived forecast is what the tool
said on the day it was made (``python -m sim archive=true``, :mod:`sim.app.archive`): every
lot's arrival, installation and first day in service in every replication. Any outcome that
becomes public later (an arrival, a count in service by a date) can then be measured in it
exactly as in a hindcast (:func:`sim.study.validation.measured`), whatever code runs the
scoring then. It is scored only against outcomes made public *after the day it was made*:
anything public by then the forecaster could have known.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from sim.model.facts import STAGE_OF
from sim.model.world import simulate
from sim.seeds.data import SeedData
from sim.study.montecarlo import chunks
from sim.study.reference import reference
from sim.study.validation import Target, measured, targets
from sim.study.verification import score
from sim.study.workers import Pool

STAGES = tuple(dict.fromkeys(STAGE_OF.values()))
"""The lot stages an outcome is measured at (arrived, installed, operational)."""


def _lots_chunk(cfg, seed_data: SeedData, indices: range) -> pd.DataFrame:
    frames = []
    for i in indices:
        out = simulate(cfg, seed_data, i)
        frames.append(pd.DataFrame({
            "replication": np.full(len(out.columns["gpus"]), i, dtype=np.int32),
            "recipient": pd.Categorical(out.columns["recipient"]),
            "gpus": out.columns["gpus"].astype(np.int32),
            **{stage: out.columns[stage].astype(np.float64) for stage in STAGES}}))
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def lots(cfg, seed_data: SeedData, replications: int, pool: Pool | None = None
         ) -> pd.DataFrame:
    """Every lot of ``replications`` replications of ``cfg``: its replication, recipient,
    GPUs and the day it reached each of :data:`STAGES` (NaN: not by the horizon). The same
    replications as the study's (the same seed and numbers), on any workers."""
    parts = list((pool or Pool()).run(_lots_chunk, [(cfg, seed_data, r)
                                                    for r in chunks(replications)]))
    table = pd.concat(parts, ignore_index=True)
    table["recipient"] = table["recipient"].astype(str)
    return table


def samples(table: pd.DataFrame, target: Target, replications: int, horizon_day: float
            ) -> np.ndarray:
    """The target's quantity in each archived replication (:func:`measured`)."""
    mine = table[table["recipient"] == target.recipient]
    groups = dict(tuple(mine.groupby("replication", sort=True)))
    empty = mine.iloc[:0]
    stage = STAGE_OF[target.kind]
    return np.array([measured(g[stage].to_numpy(float), g["gpus"].to_numpy(float), target,
                              horizon_day)
                     for g in (groups.get(i, empty) for i in range(replications))])


def scored(table: pd.DataFrame, about: dict, view: SeedData) -> list[dict]:
    """The archived forecast (its lots ``table``, what it was: ``about``) scored against
    every outcome in ``view`` (the seeds as of the forecast's as-of date, knowing later
    events as targets) made public after the day it was made: a row each."""
    made_on = date.fromisoformat(about["made_on"])
    rows = []
    for target in (t for t in targets(view) if t.public > made_on):
        ref = reference(target.event, view)
        rows.append({"forecast": "archived", "made_on": about["made_on"],
                     "as_of": about["as_of"], "target": target.id, "label": target.label,
                     "kind": target.kind, "recipient": target.recipient, "unit": target.unit,
                     "observed_low": target.low, "observed_high": target.high,
                     "by": target.by.isoformat(), "public": target.public.isoformat(),
                     "lead_days": (target.by - made_on).days,
                     **score(samples(table, target, about["replications"],
                                     about["horizon_day"]), target.low, target.high,
                             f"{target.id}@archived:{about['made_on']}", ref)})
    return rows
