"""The model's laws as checks on one run's output.

test_model.py applies them to the scenarios, test_properties.py to generated worlds. Each
raises AssertionError saying which law broke.
"""

from __future__ import annotations

from itertools import pairwise

import numpy as np
import pandas as pd

from sim.study import metrics
from sim.study.metrics import STAGES
from sim.study.targets import TOTAL

LOT_STAGES = ("ordered", "shipped", "arrived", "placed", "installed", "operational")
"""A lot's stages, in the order it must reach them."""


def stages_sum_to_allocations(ts: pd.DataFrame, allocations: dict[str, int]) -> None:
    """Every week, each recipient's GPUs across the stages add up to its allocation."""
    per = ts[ts["recipient"] != TOTAL]
    assert set(per["recipient"]) == set(allocations)
    assert (per[STAGES].sum(axis=1) == per["recipient"].map(allocations)).all(), \
        "GPUs appeared or vanished"
    assert (per[STAGES] >= 0).all().all(), "a stage went negative: events out of order"


def cumulative_counts_never_fall(ts: pd.DataFrame) -> None:
    """GPUs shipped, arrived, placed and operational, and MW energized and drawn, only grow."""
    for recipient, rows in ts.groupby("recipient"):
        shipped = rows[["in_transit", "waiting_power", "installing", "operational"]].sum(axis=1)
        arrived = rows[["waiting_power", "installing", "operational"]].sum(axis=1)
        placed = rows[["installing", "operational"]].sum(axis=1)
        for name, series in [("shipped", shipped), ("arrived", arrived), ("placed", placed),
                             *((c, rows[c]) for c in ("operational", "mw_energized",
                                                      "mw_drawn"))]:
            assert (np.diff(series.to_numpy()) >= -1e-9).all(), f"{recipient} {name} fell"


def no_site_draws_more_than_energized(out) -> None:
    """Weekly, and exactly at every placement, no site draws more MW than it has energized."""
    power = metrics.site_power(out)
    assert (power["mw_drawn"] <= power["mw_energized"] + 1e-6).all()
    ev = out.events.sort_values("day", kind="stable")
    room: dict[str, float] = {}
    for row in ev[ev["event"].isin(["site_ready", "placed"])].itertuples():
        room[row.site] = room.get(row.site, 0.0) + (row.mw if row.event == "site_ready"
                                                    else -row.mw)
        assert room[row.site] >= -1e-6, f"{row.site} over-drawn on day {row.day}"


def lot_days(out) -> pd.DataFrame:
    """One row per lot that reached any stage: the day of each stage (NaN: not reached)."""
    ev = out.events
    rows = ev[ev["event"].isin([*LOT_STAGES, "stranded"])]
    assert not rows.duplicated(["recipient", "lot", "event"]).any(), "a lot reached a stage twice"
    days = rows.pivot(index=["recipient", "lot"], columns="event", values="day")
    return days.reindex(columns=[*LOT_STAGES, "stranded"])


def every_lot_accounted_for(out) -> None:
    """The run ends at the horizon with each lot at one stage: not yet ordered, somewhere in
    the pipeline, stranded (arrived and never placed) or operational; stages in order."""
    assert (out.events["day"] <= out.horizon_day + 1e-9).all(), "an event after the horizon"
    days = lot_days(out)
    for earlier, later in pairwise(LOT_STAGES):
        reached = days[later].notna()
        assert (days.loc[reached, earlier].notna()).all(), f"{later} without {earlier}"
        assert (days.loc[reached, later] >= days.loc[reached, earlier] - 1e-9).all(), \
            f"{later} before {earlier}"
    waiting = days["arrived"].notna() & days["placed"].isna()
    assert (days["stranded"].notna() == waiting).all(), "a lot waits at the horizon unreported"
    assert (days.loc[days["stranded"].notna(), "stranded"] == out.horizon_day).all()
    ordered = out.events[out.events["event"] == "ordered"].groupby("recipient")["gpus"].sum()
    for recipient, gpus in ordered.items():
        assert gpus <= out.allocations[recipient], f"{recipient} got more than its allocation"
