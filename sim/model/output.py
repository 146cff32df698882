"""What one run hands back: its timeline of events, and every lot's history.

The run's :class:`~sim.model.run.Timeline` holds events other than lots' own (deals, plans,
sites coming on); lots keep their own histories in arrays (:class:`sim.model.demand.Recipient`).
:class:`RunOutput` gathers both when the run ends, with the tables built from them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

import numpy as np
import pandas as pd

from sim.calendar import timestamps
from sim.model.demand import LOT_STAGES

EVENT_COLUMNS = ["day", "event", "recipient", "site", "lot", "gpus", "mw"]


def stranded(columns: dict[str, np.ndarray]) -> np.ndarray:
    """Which lots are *stranded*: arrived, and never given powered room by the horizon."""
    return ~np.isnan(columns["arrived"]) & np.isnan(columns["placed"])


@dataclass
class RunOutput:
    """What one run produced: every lot's history, the other events, the sites.

    ``columns`` holds one array per column of the lot table (one row per lot: recipient,
    lot number, GPUs, ``lot_kw`` (the facility kW the lot draws), its ``generation`` (an index
    of :data:`sim.gpu_generations.GENERATIONS`; -1 if never ordered), the site it went to, and
    the day of each stage, NaN where not reached by the horizon); ``lots`` is that table.
    """

    columns: dict[str, np.ndarray]
    other_events: list[tuple]
    allocations: dict[str, int]
    site_rows: list[dict]
    """One row per site (:func:`site_rows`); :attr:`sites` is the table of them."""
    horizon_day: float
    seed: int
    scenario: str
    replication: int = 0
    sampled: dict[str, float] = field(default_factory=dict)
    pledge_day: float = 0.0
    as_of: date | None = None
    """The date the run's knowledge stops at (``seeds/`` records public by then)."""
    tranche_rows: list[dict] = field(default_factory=list)
    """Which lots each tranche took: ``{tranche, recipient, first, end}``."""

    def stage_days(self, stage: str) -> np.ndarray:
        return self.columns[stage]

    @cached_property
    def lots(self) -> pd.DataFrame:
        return pd.DataFrame(self.columns)

    @cached_property
    def sites(self) -> pd.DataFrame:
        """One row per site: who it serves, its kind, whether it is an undisclosed site drawn
        from the prior, its MW, and its announced and modelled readiness (model days)."""
        return pd.DataFrame(self.site_rows)

    @cached_property
    def stranded(self) -> np.ndarray:
        return stranded(self.columns)

    @cached_property
    def site_ready(self) -> dict[str, np.ndarray]:
        """Every block of MW that came on: arrays ``day``, ``recipient``, ``site``, ``mw``."""
        rows = [r for r in self.other_events if r[1] == "site_ready"]
        return {"day": np.array([r[0] for r in rows], dtype=float),
                "recipient": np.array([r[2] for r in rows], dtype=object),
                "site": np.array([r[3] for r in rows], dtype=object),
                "mw": np.array([r[6] for r in rows], dtype=float)}

    @cached_property
    def masks(self) -> dict[str, np.ndarray]:
        """For each recipient, which lots are its own."""
        return {r: self.rows == i for i, r in enumerate(self.allocations)}

    @cached_property
    def rows(self) -> np.ndarray:
        """Each lot's recipient as its position in :attr:`allocations`."""
        position = {r: i for i, r in enumerate(self.allocations)}
        return np.array([position[r] for r in self.columns["recipient"]], dtype=np.intp)

    @cached_property
    def operational_order(self) -> np.ndarray:
        """The lots that run by the horizon, in the order they start (ties in lot order)."""
        days = self.columns["operational"]
        order = np.argsort(days, kind="stable")
        return order[:int(np.count_nonzero(~np.isnan(days)))]

    @cached_property
    def events(self) -> pd.DataFrame:
        """The timeline: one row per event, lots' stages included, in time order."""
        lots = self.lots
        frames = [pd.DataFrame(self.other_events, columns=EVENT_COLUMNS)]
        for stage in LOT_STAGES:
            reached = lots[lots[stage].notna()]
            frames.append(pd.DataFrame({
                "day": reached[stage], "event": stage, "recipient": reached["recipient"],
                "site": reached["site"] if stage not in ("ordered", "shipped", "arrived")
                else None, "lot": reached["lot"], "gpus": reached["gpus"],
                "mw": reached["lot_kw"] / 1000 if stage == "placed" else 0.0}))
        waiting = lots[self.stranded]
        frames.append(pd.DataFrame({
            "day": self.horizon_day, "event": "stranded", "recipient": waiting["recipient"],
            "site": None, "lot": waiting["lot"], "gpus": waiting["gpus"], "mw": 0.0}))
        df = pd.concat([f for f in frames if len(f)], ignore_index=True)
        df = df[df["day"] <= self.horizon_day].sort_values("day", kind="stable")
        df["lot"] = df["lot"].astype("int64")
        df["gpus"] = df["gpus"].astype("int64")
        df.insert(0, "date", timestamps(df["day"]))
        return df.reset_index(drop=True)


def lot_columns(recipients: list, site_ids: list[str], horizon_day: float
                ) -> dict[str, np.ndarray]:
    """Every lot's history as table columns; days after the horizon did not happen (NaN)."""
    names = np.array([*site_ids, None], dtype=object)
    columns = {
        "recipient": np.repeat(np.array([r.id for r in recipients], dtype=object),
                               [r.n_lots for r in recipients]),
        "lot": np.concatenate([np.arange(r.n_lots) for r in recipients] or [np.zeros(0, int)]),
        "gpus": np.concatenate([r.gpus for r in recipients] or [np.zeros(0, int)]),
        "lot_kw": np.concatenate([r.lot_kw for r in recipients] or [np.zeros(0)]),
        "generation": np.concatenate([r.generation for r in recipients]
                                     or [np.zeros(0, np.int8)]),
        "site": names[np.concatenate([r.site_of for r in recipients]
                                     or [np.zeros(0, int)])],
    }
    for stage in LOT_STAGES:
        days = np.concatenate([r.days[stage] for r in recipients] or [np.zeros(0)])
        columns[stage] = np.where(days <= horizon_day, days, np.nan)
    return columns


def site_rows(all_sites: list) -> list[dict]:
    """A row per site (:class:`sim.model.sites.Site`) for :attr:`RunOutput.sites`."""
    def announced(s, which):
        return s.planned[which][1] if s.planned else None

    return [{
        "site": s.id, "name": s.spec.name, "recipient": s.recipient or "any",
        "region": s.spec.region, "zone": s.spec.grid_zone, "kind": s.spec.kind,
        "prior": s.spec.prior,
        "grid_assessment": s.spec.grid_assessment, "substation": s.spec.substation,
        "mw": s.mw,
        "first_announced_day": announced(s, 0),
        "last_announced_day": announced(s, -1),
        "first_ready_day": s.steps[0][0] if s.steps else None,
        "full_ready_day": s.steps[-1][0] if s.steps else None,
    } for s in all_sites]
