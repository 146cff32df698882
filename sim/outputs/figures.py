"""The figures of one run as tasks: which figures, what each is drawn from, and drawing
them on the study's worker processes while this one writes the tables.

:func:`start` hands every figure to the workers (:meth:`sim.study.workers.Pool.ahead`) and
returns at once; :meth:`Drawing.finish` then draws here those no worker has started and
waits for the rest. Nothing here imports matplotlib: this process imports it (with
:mod:`sim.outputs.plots`, which draws) only if it draws a figure itself. Figures are
drawn on this machine whatever the backend (on Ray, by this process).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from sim.calendar import DAY0
from sim.outputs.labels import Names
from sim.study.targets import TOTAL
from sim.study.workers import Ahead, Pool

FIGURES = ("fan", "milestones", "delay", "drivers", "criticality", "operational", "pipeline",
           "power", "timeline")
"""Every figure of a run, in the order the report shows them."""
HEAVIEST_FIRST = ("timeline", "fan", "power", "drivers", "delay", "criticality", "operational",
                  "pipeline", "milestones")
"""The order the figures are handed out in, the slowest to draw first (0.4 s to 0.1 s each,
measured): the workers take them from the first, this process from the last, so that the
last to be drawn are short, and no process waits long for another."""


def jobs(tables: dict, who: str, labels: dict) -> list[tuple[str, tuple]]:
    """``(name, args)`` of every figure of a run (its function:
    :data:`sim.outputs.plots.DRAWERS`)."""
    ts, reps, summary = tables["timeseries"], tables["replications"], tables["summary"]
    mc = summary["monte_carlo"]
    names = Names(summary.get("names"))
    n = mc["replications"]
    rep = mc["representative_replication"]
    horizon_day = float((pd.Timestamp(summary["horizon"]) - pd.Timestamp(DAY0)).days)
    one = (f"{who} · one replication, no. {rep} of {n}: the one whose all-operational date "
           "is nearest the median")
    own = tables.get("own_targets", ())
    return [
        ("fan", (ts, names, who, n, own)),
        ("milestones", (reps[f"day_reached:{TOTAL}:100%"], mc["all_operational"],
                        summary["horizon"], names, who, n)),
        ("delay", (tables["delay"], names, who, n)),
        ("drivers", (tables["drivers"], mc["all_operational"]["p50"], summary["horizon"],
                     labels, who)),
        ("criticality", (mc.get("finishes_last", {}), names, who, n)),
        ("operational", (ts, names, one, own)),
        ("pipeline", (ts, one)),
        ("power", (ts, names, one)),
        ("timeline", (tables["events"], tables["sites_drawn"], tables["milestones"],
                      horizon_day, names, one, tables.get("deals_off", ()),
                      summary.get("as_of"), tables.get("observed"))),
    ]


def draw(name: str, args: tuple, path: Path, formats) -> tuple[list[Path], bool]:
    """Draw figure ``name`` from ``args`` into ``path`` in each of ``formats`` (a task, run
    by whichever process takes it); the paths written, and whether that process has no
    Korean font (:data:`sim.outputs.style.KOREAN`)."""
    from sim.outputs import plots, style

    return style.save(plots.DRAWERS[name](*args), path, formats), style.KOREAN is None


@dataclass
class Drawing:
    """A run's figures handed out to be drawn (:func:`start`)."""

    ahead: Ahead

    def finish(self) -> list[Path]:
        """Draw what no worker has started, wait for the rest; the paths written. Says once
        if a process that drew had no Korean font (:func:`sim.outputs.style.font_note`)."""
        done = self.ahead.results()  # (in HEAVIEST_FIRST's order)
        if any(no_korean for _, no_korean in done):
            from sim.outputs.style import font_note

            font_note()
        return [p for paths, _ in done for p in paths]

    def abandon(self) -> None:
        """Draw nothing more: take back what no worker has started, wait for the rest (so
        that nothing is still being written once the caller cleans up)."""
        self.ahead.abandon()


def start(tables: dict, folder: Path, who: str, labels: dict, formats=("png",),
          pool: Pool | None = None) -> Drawing:
    """Hand every figure of a run to ``pool``'s workers, to be drawn into ``folder``
    (``<name>.<format>``) while this process goes on (this process alone draws them if
    there are no local workers, when :meth:`Drawing.finish` is called)."""
    folder.mkdir(parents=True, exist_ok=True)
    args = dict(jobs(tables, who, labels))
    tasks = [(name, args[name], folder / f"{name}.png", formats) for name in HEAVIEST_FIRST]
    pool = pool if pool is not None and pool.backend == "local" else Pool()
    return Drawing(pool.ahead(draw, tasks))
