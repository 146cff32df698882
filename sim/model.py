"""The world of one run: the SimPy environment, its components, and what they record.

:func:`simulate` is the whole model as a function: a resolved config and the seed data in,
a :class:`RunOutput` out. It writes no files; :mod:`sim.results` does that.

The flow, one module per real-world thing:

1. :mod:`sim.deals` fires the three deals on their dates;
2. :mod:`sim.demand`: each recipient submits its demand plan, which says when it wants lots;
3. :mod:`sim.supply`: Korea-bound output, capped per quarter, orders and ships lots;
4. :mod:`sim.logistics`: transit and customs to the recipient;
5. :mod:`sim.sites`: phases of MW come on when built and energized;
6. :mod:`sim.installation`: a lot placed in powered room is installed and burnt in.

A lot that never finds room is *stranded* at the horizon; the run always ends there.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd
import simpy

from sim import deals, demand, installation, sites, supply
from sim.calendar import DAY0, to_day
from sim.config import Config, horizon_date
from sim.seeds import SeedData
from sim.streams import Streams

EVENT_COLUMNS = ["day", "event", "recipient", "site", "lot", "gpus", "mw"]


@dataclass
class Timeline:
    """The run's events other than lots' own (deals, plans, sites coming on)."""

    rows: list[tuple] = field(default_factory=list)

    def record(self, day: float, event: str, recipient=None, site=None, gpus: int = 0,
               mw: float = 0.0) -> None:
        self.rows.append((day, event, recipient, site, -1, gpus, mw))


@dataclass
class World:
    """What every component of one run shares: clock, config, seed data, draws and records."""

    env: simpy.Environment
    cfg: Config
    seeds: SeedData
    streams: Streams
    timeline: Timeline
    horizon_day: float
    recipients: dict[str, demand.Recipient] = field(default_factory=dict)
    sites: list[sites.Site] = field(default_factory=list)
    supply: supply.Supply | None = None
    sampled: dict[str, float] = field(default_factory=dict)
    """Every uncertain input as drawn: ``"power.grid_delay_months[sk_ulsan]" -> 7.2``; for
    inputs drawn per order or lot, their mean over the recipient's."""
    _draws: dict = field(default_factory=dict)

    def draw(self, name: str, entity: str, dist=None) -> float:
        """The input ``name`` for one entity: its distribution at the entity's own uniform
        (or the uniform itself, for a yes/no against a probability)."""
        u = self.streams.uniform(name, entity)
        value = u if dist is None else float(dist.ppf(u))
        self.sampled[f"{name}[{entity}]"] = value
        return value

    def draws(self, name: str, recipient: demand.Recipient, dist) -> np.ndarray:
        """The input ``name`` for each numbered order or lot of a recipient.

        Item ``i`` is the same whatever the order of asking, so it belongs to order or lot
        ``i`` of that recipient alone.
        """
        key = (name, recipient.id)
        if key not in self._draws:
            values = dist.ppf(self.streams.uniforms(recipient.n_lots, name, recipient.id))
            self._draws[key] = values
            self.sampled[f"{name}[{recipient.id}]"] = float(values.mean())
        return self._draws[key]

    def place_waiting(self, recipient_id: str | None) -> None:
        """Give powered room to waiting lots: one recipient's, or (None) everyone's."""
        if recipient_id is None:
            chosen = list(self.recipients.values())
        else:
            chosen = [self.recipients[recipient_id]] if recipient_id in self.recipients else []
        for recipient in chosen:
            installation.place_waiting(self, recipient)


@dataclass
class RunOutput:
    """What one run produced: every lot's history, the other events, the sites.

    ``columns`` holds one array per column of the lot table (one row per lot: recipient,
    lot number, GPUs, kW, the site it went to, and the day of each stage, NaN where not
    reached by the horizon); ``lots`` is that table.
    """

    columns: dict[str, np.ndarray]
    other_events: list[tuple]
    allocations: dict[str, int]
    sites: pd.DataFrame
    horizon_day: float
    seed: int
    scenario: str
    replication: int = 0
    sampled: dict[str, float] = field(default_factory=dict)
    pledge_day: float = 0.0

    def stage_days(self, stage: str) -> np.ndarray:
        return self.columns[stage]

    @cached_property
    def lots(self) -> pd.DataFrame:
        return pd.DataFrame(self.columns)

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
        return {r: self.columns["recipient"] == r for r in self.allocations}

    @cached_property
    def events(self) -> pd.DataFrame:
        """The timeline: one row per event, lots' stages included, in time order."""
        lots = self.lots
        frames = [pd.DataFrame(self.other_events, columns=EVENT_COLUMNS)]
        for stage in demand.LOT_STAGES:
            reached = lots[lots[stage].notna()]
            frames.append(pd.DataFrame({
                "day": reached[stage], "event": stage, "recipient": reached["recipient"],
                "site": reached["site"] if stage not in ("ordered", "shipped", "arrived")
                else None, "lot": reached["lot"], "gpus": reached["gpus"],
                "mw": reached["kw"] / 1000 if stage == "placed" else 0.0}))
        stranded = lots[lots["arrived"].notna() & lots["placed"].isna()]
        frames.append(pd.DataFrame({
            "day": self.horizon_day, "event": "stranded", "recipient": stranded["recipient"],
            "site": None, "lot": stranded["lot"], "gpus": stranded["gpus"], "mw": 0.0}))
        df = pd.concat([f for f in frames if len(f)], ignore_index=True)
        df = df[df["day"] <= self.horizon_day].sort_values("day", kind="stable")
        df["lot"] = df["lot"].astype("int64")
        df["gpus"] = df["gpus"].astype("int64")
        df.insert(0, "date", pd.Timestamp(DAY0) + pd.to_timedelta(df["day"].astype(int), "D"))
        return df.reset_index(drop=True)


def simulate(cfg: Config, seed_data: SeedData, replication: int = 0) -> RunOutput:
    """Run one realization of ``cfg`` (already :func:`sim.config.resolve`-d)."""
    horizon_day = to_day(horizon_date(cfg))
    world = World(simpy.Environment(), cfg, seed_data, Streams(cfg.seed, replication),
                  Timeline(), horizon_day)
    for spec in seed_data.sites:
        world.sites.append(sites.Site.from_seed(world, spec))
    world.supply = supply.Supply(world)
    for site in world.sites:
        world.env.process(site.energize())
    world.env.process(deals.announce(world))
    world.env.run(until=horizon_day)
    return RunOutput(
        columns=lot_columns(world),
        other_events=world.timeline.rows,
        allocations={a.recipient: a.gpus for a in seed_data.allocations},
        sites=sites.table(world.sites),
        horizon_day=horizon_day,
        seed=cfg.seed,
        scenario=cfg.scenario,
        replication=replication,
        sampled=world.sampled,
        pledge_day=to_day(seed_data.deals["nvidia_pledge"].date),
    )


def lot_columns(world: World) -> dict[str, np.ndarray]:
    """Every lot's history as table columns; days after the horizon did not happen (NaN)."""
    site_ids = np.array([s.id for s in world.sites] + [None], dtype=object)
    chosen = list(world.recipients.values())
    columns = {
        "recipient": np.array([r.id for r in chosen for _ in range(r.n_lots)], dtype=object),
        "lot": np.concatenate([np.arange(r.n_lots) for r in chosen] or [np.zeros(0, int)]),
        "gpus": np.concatenate([r.gpus for r in chosen] or [np.zeros(0, int)]),
        "kw": np.concatenate([r.kw for r in chosen] or [np.zeros(0)]),
        "site": site_ids[np.concatenate([r.site_of for r in chosen] or [np.zeros(0, int)])],
    }
    for stage in demand.LOT_STAGES:
        days = np.concatenate([r.days[stage] for r in chosen] or [np.zeros(0)])
        columns[stage] = np.where(days <= world.horizon_day, days, np.nan)
    return columns
